/* stagger: the planning problem: the decisions (a group's sync offset, one
 * express-full time, a consistency-check start), the values each may
 * take, and the busy slots each value puts on each computer.
 *
 * The planner's load model is the "union" model: a job released at slot r
 * keeps its computer busy for the D slots it needs alone at the computer's
 * throttle ([r, r+D), cyclic); a computer is busy where any of its jobs
 * is.  Every schedule the load model of fleet.md allows is at least this
 * busy (a computer with something queued sends, and a job's volume takes
 * D slots), so bounds computed on it hold for every schedule; schedules
 * whose jobs never overlap on one computer (and never wait for max_jobs)
 * are simulated exactly by it.
 *
 * A stg_problem borrows the fleet (which must outlive it) and owns the
 * rest; free with stg_problem_free(). */
#ifndef STG_PROBLEM_H
#define STG_PROBLEM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/fleet.h"
#include "model/jobs.h"
#include "model/queue.h"
#include "model/settings.h"

typedef enum { STG_DEC_SYNC, STG_DEC_EF, STG_DEC_CC } stg_dec_kind;

/* The kind of job a decision's kind places. */
static inline stg_job_kind stg_dec_job_kind(stg_dec_kind k)
{
    return k == STG_DEC_SYNC ? STG_JOB_SYNC
         : k == STG_DEC_EF ? STG_JOB_EXPRESS_FULL : STG_JOB_CC;
}

typedef struct {
    int computer;
    int rel;                    /* release = value + rel (seconds) */
    double volume;              /* bytes, at the nominal settings */
    double rate;                /* express full: bytes per second it moves
                                   later than the previous one of its group
                                   (model/jobs.h); 0 for other jobs */
    double fixed;               /* express full: bytes it moves whatever
                                   its time (full_volume overrides) */
    int since;                  /* express full: seconds since the previous
                                   one at today's settings */
    double volume_lb;           /* smallest volume over every value */
    double volume_ub;           /* largest volume over every value */
} stg_dec_job;

typedef struct {
    stg_dec_kind kind;
    int group;
    int ef_index;               /* EF: index into the settings' ef_at */
    int *values;                /* seconds; sorted ascending */
    int nvalues;
    int current;                /* index of today's value (or the nearest) */
    int prev;                   /* express full: the decision of its group's
                                   previous express full (itself when it is
                                   the only one); -1 for other decisions */
    int cc;                     /* express full: the decision of its group's
                                   consistency check, which cuts what it
                                   carries (model/jobs.h); -1 none */
    stg_dec_job *jobs;
    int njobs;
    int *computers;             /* the computers of its jobs, each once, */
    int ncomputers;             /*   in the order of their first job */
    double weight;              /* rate-slots it puts on its links */
    bool aligned;               /* its values and its jobs' releases fall
                                   on slot boundaries: every job moves by
                                   the same slots from one value to
                                   another (stg_problem_job_slot()) */
} stg_decision;

typedef struct {
    const stg_fleet *fleet;
    stg_settings *settings;     /* throttles resolved (recommended) */
    int nslots, res;
    int ndecisions;
    stg_decision *dec;
    /* Throttle profiles, shared by computers with the same throttle: */
    int nprofiles;
    int *profile;               /* per computer: its profile */
    int64_t *rate;              /* nprofiles x nslots: bps in force */
    double *prefix;             /* per profile whose rate changes over the
                                   cycle, at prefix_at[k]: 2 nslots + 1
                                   cumulative bytes moved from slot 0
                                   (stg_problem_moved()); none for one of
                                   one rate (const_bytes) */
    long *prefix_at;            /* per profile: -1 for one of one rate */
    double *const_bytes;        /* per profile: bytes a slot, or 0 when the
                                   rate changes over the cycle */
    double *bytes;              /* nprofiles x nslots: bytes moved a slot */
    double *max_bytes;          /* per profile: the most bytes a slot moves */
    int *binding;               /* per server: max_jobs can make it wait */
    /* Each computer's jobs, as (decision, job index) pairs: */
    int *cj_off;                /* ncomputers + 1 offsets */
    int *cj_dec, *cj_job;
    /* Each computer's periodic syncs (every `every`, not before a
     * recovery point): whatever their offset, one of period P slots
     * releases at least k / P (rounded down) of them in any k slots. */
    int *ps_off;                /* ncomputers + 1 offsets */
    int *ps_dec, *ps_period;    /* the sync decision; its period (slots) */
    double *ps_vol;             /* bytes each release adds (smallest) */
    int *group_rank;            /* per group: its place in name order */
    double *min_work;           /* stg_problem_min_work(), once made */
    pthread_mutex_t min_work_lock;
    bool min_work_lock_made;
} stg_problem;

/* Per computer: the load its busy slots put on each link it crosses,
 * summed over the cycle (bps x slots), at least, in every schedule in
 * which it never waits for max_jobs: from each job's release it is busy
 * for the job's queued length (stg_problem_queued_len()), so over the
 * union of those of any one decision's jobs, at the value where that
 * union weighs least; the most over its decisions.  A busy slot loads at
 * the full throttle however little of it a job uses, which the volume
 * alone does not count (bound.h, the average).  Made on the first call
 * (threads may share the problem) and owned by it; NULL when out of
 * memory. */
const double *stg_problem_min_work(const stg_problem *p);

/* Computer c's throttle at each slot (bps), nslots values. */
static inline const int64_t *stg_problem_rates(const stg_problem *p, int c)
{
    return p->rate + (long)p->profile[c] * p->nslots;
}

/* Bytes computer c moves in each slot, nslots values. */
static inline const double *stg_problem_slot_bytes(const stg_problem *p,
                                                   int c)
{
    return p->bytes + (long)p->profile[c] * p->nslots;
}

/* The bytes computer c moves in slots [a, b), 0 <= a <= b <= 2 nslots
 * (the cycle twice: a transfer may wrap). */
static inline double stg_problem_moved(const stg_problem *p, int c, int a,
                                       int b)
{
    int k = p->profile[c];
    if (p->prefix_at[k] < 0)
        return (double)(b - a) * p->const_bytes[k];
    const double *pre = p->prefix + p->prefix_at[k];
    return pre[b] - pre[a];
}

/* Decision d's jobs' place among jobs released in the same slot of a
 * computer's queue (stg_queue_order()'s key: the load model's ties). */
static inline int stg_problem_tie_key(const stg_problem *p, int d)
{
    return p->group_rank[p->dec[d].group] * 3 + (int)p->dec[d].kind;
}

/* Job j of decision d at value index vi, as its computer's queue takes
 * it (model/queue.h).  An express full's volume depends on the time
 * since the previous one, or since the group's check when that came
 * between: values (per decision, -1 unplaced: today's value; NULL: every
 * other decision at today's value) says where those are. */
void stg_problem_job(const stg_problem *p, int d, int vi, int j,
                     const int *values, stg_qjob *out);

/* Computer c's jobs as its queue takes them: those of the decisions
 * placed in values[] (per decision, -1: open), in first come, first
 * served order (stg_queue_order(), ties by stg_problem_tie_key()), into
 * jobs[] and their keys into key[].  smallest: a job whose volume
 * depends on an open decision (the previous express full, the group's
 * check) takes the smallest it can be (the exact search's bound);
 * otherwise stg_problem_job()'s.  Scratch as stg_queue_order() asks;
 * every array has room for the computer's jobs (run: one more).  Returns
 * how many jobs. */
int stg_problem_queue_jobs(const stg_problem *p, int c, const int *values,
                           bool smallest, stg_qjob *jobs, int *key,
                           stg_qjob *tmp_jobs, int *tmp_key, int *run);

/* Builds the problem from the fleet and base settings (copied; NULL:
 * today's settings with the AUTO throttles recommended).  NULL when out
 * of memory. */
stg_problem *stg_problem_new(const stg_fleet *f, const stg_settings *base);
/* The problem of a plan's settings (for f): its decisions' values around
 * today's times, as the planner has them (not around the plan's), and
 * the plan's throttles.  NULL when out of memory. */
stg_problem *stg_problem_for_plan(const stg_fleet *f,
                                  const stg_settings *plan);
void stg_problem_free(stg_problem *p);

/* Slots computer c needs to move volume from slot s alone (cyclic); at
 * least 1, at most nslots. */
int stg_problem_duration(const stg_problem *p, int c, int s, double volume);

/* Bytes a periodic sync of period slots and vol bytes a release surely
 * releases in any `slots` consecutive slots, whatever its offset. */
static inline double stg_problem_sync_in(int period, double vol, int slots)
{
    return vol * (double)(slots / period);
}

/* Slots a job of decision d keeps computer c busy at least, released at
 * slot s with volume bytes, where c never waits for max_jobs: a computer
 * with bytes queued sends, so it is busy at slot s + k while the bytes
 * released in slots s .. s + k (the job's, and the periodic syncs of the
 * other decisions on c, at least k + 1 over P of each whatever their
 * offsets) exceed what it moves in slots s .. s + k - 1.  At least
 * stg_problem_duration(), at most nslots. */
int stg_problem_queued_len(const stg_problem *p, int d, int c, int s,
                           double volume);

/* Writes value index vi of decision d into settings. */
void stg_problem_apply(const stg_problem *p, int d, int vi, stg_settings *s);
/* The index of the value settings s give decision d (the nearest one
 * when s holds a value outside its domain). */
int stg_problem_value_index(const stg_problem *p, int d,
                            const stg_settings *s);

/* How stg_problem_busy() takes a job's volume and length. */
typedef enum {
    STG_BUSY_NOMINAL,           /* the volume at the nominal settings */
    STG_BUSY_UNION,             /* the smallest volume (the union model,
                                   for bounds) */
    STG_BUSY_QUEUED             /* the smallest volume, each job as long
                                   as stg_problem_queued_len() (for bounds
                                   on computers that never wait for
                                   max_jobs) */
} stg_busy_how;

/* The slot at which job j of decision d is released at value index vi. */
int stg_problem_job_slot(const stg_problem *p, int d, int vi, int j);
/* The slots from there that the job keeps its computer busy, its volume
 * and length as how says. */
int stg_problem_job_len(const stg_problem *p, int d, int vi, int j,
                        stg_busy_how how);
/* Calls fn(arg, computer, first_slot, length) for every job of decision
 * d at value index vi (the two above). */
typedef void (*stg_busy_fn)(void *arg, int computer, int slot, int len);
void stg_problem_busy(const stg_problem *p, int d, int vi, stg_busy_how how,
                      stg_busy_fn fn, void *arg);
/* Whether decision d's jobs move the same volume wherever d and the other
 * decisions are: then its busy slots with the smallest volumes
 * (STG_BUSY_UNION) are those of the jobs stg_problem_job() gives. */
bool stg_problem_fixed_volume(const stg_problem *p, int d);
/* Closes the set of computers in[] (nonzero: in it) under the decisions:
 * every computer a decision with a job on one in the set has a job on is
 * in it too (1), and so on (a group whose sources sit at
 * several sites brings in its other sites' computers). */
void stg_problem_close_computers(const stg_problem *p, unsigned char *in);

#endif
