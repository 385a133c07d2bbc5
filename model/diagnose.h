/* stagger: failed DPM jobs placed on the predicted load of their
 * computers' links (`stagger diagnose`, docs/diagnose.md).
 *
 * Each job of a job history counts at one moment: its start, when DPM
 * calls its protection agent (a failure does not move it, so failed and
 * succeeded jobs are placed alike).  That moment, on its export's DPM
 * server clock, is moved to the fleet's clock through the two
 * utc_offsets and into the cycle (a day, or a week from Monday 00:00),
 * then into its slot of the simulated cycle.  A failed job (status
 * "Failed", any case) is *below* on a link when the link's headroom in
 * that slot is below the required one, exactly where the evaluation
 * (model/eval.h) finds a headroom violation, so `stagger check` and
 * `stagger diagnose` agree.
 *
 * Chance: if failures struck jobs whatever the load, a failed job would
 * be below as often as the jobs of its computer that did not fail.  So
 * a failure's chance of being below is the share of its computer's
 * succeeded jobs that start below on any link of its path, when the
 * histories hold at least STG_DIAG_MIN_JOBS of them; per link, the
 * share of the succeeded jobs of the computers crossing it that start
 * below on it.  With fewer (a history of failures only), the share of
 * the cycle's time below stands in: for jobs that all start at the same
 * minutes it says too little, which is why the jobs are better.  The
 * expected count by chance is the sum of those probabilities, and p is
 * the probability that chance alone puts at least as many failures
 * below as the history has (the failures independent: binomial per
 * link, Poisson-binomial per ID).
 *
 * Verdict (stg_verdict): too few to tell when fewer than
 * STG_DIAG_MIN_FAILURES failures count, or when even all of them below
 * would be no surprise (chance puts them all there with probability
 * STG_DIAG_LEVEL or more); else saturation explains them when p <
 * STG_DIAG_LEVEL, and does not otherwise.
 *
 * Computers are matched by name, ignoring case; a name without a dot
 * (a host name) also matches the one fleet computer whose DNS name
 * starts with it, and a DNS name the one fleet computer named by its
 * first label, when exactly one does (docs/diagnose.md).  Failures of
 * other computers are counted per name, never dropped.
 *
 * Knows nothing of files.  stg_diagnose() returns a stg_diagnosis the
 * caller frees with stg_diagnosis_free(); it copies every name it
 * keeps, so the exports and the simulation may be freed before it. */
#ifndef STG_DIAGNOSE_H
#define STG_DIAGNOSE_H

#include <stdbool.h>

#include "dpmdata.h"
#include "eval.h"
#include "fleet.h"
#include "sim.h"

/* The verdict's rule (docs/diagnose.md, "The verdict"). */
#define STG_DIAG_MIN_FAILURES 5
#define STG_DIAG_LEVEL 0.05
/* Succeeded jobs of a computer (of a link's computers) the chance is
 * taken from; with fewer, the share of the cycle's time below. */
#define STG_DIAG_MIN_JOBS 20

typedef enum {
    STG_VERDICT_FEW,            /* too few to tell */
    STG_VERDICT_CANNOT,         /* enough, but even all below would be no
                                   surprise: the jobs start there */
    STG_VERDICT_EXPLAINS,       /* saturation explains these */
    STG_VERDICT_NOT             /* saturation does not explain these */
} stg_verdict;

typedef struct {
    int failures;               /* failures that count (n) */
    int below;                  /* of them, in a slot below the limit (k) */
    double chance;              /* below expected by chance */
    double p;                   /* chance of k or more below */
    stg_verdict verdict;
    int baseline;               /* links: succeeded jobs the chance is
                                   from (0: the share of time) */
} stg_tally;

typedef struct {
    int file;                   /* which history (index into those given) */
    int job;                    /* its index in that history's jobs */
    int computer;               /* fleet index */
    long long when;             /* the moment that counts, on the fleet's
                                   clock: seconds since 1970-01-01 00:00 */
    int t;                      /* that moment in the cycle, seconds */
    int error_id;               /* 0: none */
    bool below;                 /* below on some link of its path */
    double share;               /* chance it is below: the share of its
                                   computer's succeeded jobs that start
                                   below on the union of its links
                                   (baseline), else of the cycle's time */
    bool baseline;
} stg_failure;

typedef struct {
    int id;                     /* 0: failures without an error ID */
    stg_tally tally;
} stg_id_tally;

typedef struct {
    char *name;                 /* as the first failed job wrote it */
    int failures;
    bool ambiguous;             /* a host name that several fleet
                                   computers start with */
} stg_stranger;

typedef struct stg_diagnosis_s {
    int cycle, resolution, nslots, nlinks;
    int jobs;                   /* jobs read, whatever their status */
    int failed;                 /* of them, failed */
    long long first, last;      /* fleet clock, seconds since 1970 (see
                                   stg_failure.when): the earliest and
                                   latest moment of any job; first > last
                                   when there are no jobs */
    stg_failure *failures;      /* failed jobs of the fleet's computers,
                                   by cycle time, then history, then job */
    int nfailures;
    unsigned char *below;       /* nlinks x nslots: 1 where the link is
                                   below the limit (stg_diagnosis_below) */
    int *below_slots;           /* per link: slots below the limit */
    stg_tally *links;           /* per link (fleet order) */
    stg_id_tally *ids;          /* per error ID: most failures first, then
                                   by ID */
    int nids;
    stg_tally all;              /* every placed failure (the ID rule) */
    int nolink;                 /* placed failures whose computer's path
                                   crosses no link */
    stg_stranger *strangers;    /* computers not in the fleet: most
                                   failures first, then by name */
    int nstrangers;
    int unknown;                /* failed jobs of computers not in the
                                   fleet */
    int nameless;               /* failed jobs without a computer */
} stg_diagnosis;

/* Places the failed jobs of the nhist histories (exports; their jobs
 * lists) on the simulated cycle sim of fleet f and its evaluation e.
 * Returns NULL when out of memory. */
stg_diagnosis *stg_diagnose(const stg_fleet *f, const stg_sim *sim,
                            const stg_eval *e,
                            const stg_dpm_export *const *hist, int nhist);
void stg_diagnosis_free(stg_diagnosis *d);

/* True when slot s of link l is below the limit in d. */
bool stg_diagnosis_below(const stg_diagnosis *d, int l, int s);

/* The time in a cycle (STG_DAY or STG_WEEK; a week starts on Monday
 * 00:00) of a moment t (seconds since 1970-01-01 00:00 on a clock
 * from_offset seconds east of UTC) read on a clock to_offset east. */
int stg_diag_cycle_time(int cycle, long long t, int from_offset,
                        int to_offset);

/* The probability that k or more of n independent events of
 * probabilities p[0..n) happen (exact; when n * k passes 5e7, the normal
 * approximation with continuity correction); -1 when out of memory.
 * stg_binomial_tail() is the same for n events of one probability p
 * (allocates nothing). */
double stg_chance_tail(const double *p, int n, int k);
double stg_binomial_tail(int n, int k, double p);

/* The verdict of a tally whose failures' chances are p[0..n) (NULL: all
 * equal to same): sets its p and verdict from its failures and below.
 * Returns 0, or -1 when out of memory. */
int stg_tally_judge(stg_tally *t, const double *p, double same);

#endif
