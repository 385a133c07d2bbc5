/* stagger: advice when a plan cannot keep a link at the headroom limit:
 * why, and the smallest sets of changes that do (docs/advice.md).
 *
 * Why: for each link below the limit, what proves its peak above the
 * room the limit leaves, for every schedule without waits (bound.h's
 * placement bounds, per transfer and per pair), classified in the terms
 * an administrator acts on: the background alone; one transfer alone; a
 * group whose jobs on several computers behind the link start together;
 * a transfer longer than another group's sync period; two transfers held
 * in their express-full flex or check windows; computers that waited for
 * their server's max_jobs.  When nothing proves it, the reason says so.
 *
 * Changes (model/change.h): for each such link, candidate changes are
 * drawn from its reasons (a throttle on a computer of the peak, fixed
 * ones included, as one rate or, where the link has office-hours
 * background, as a work/other pair; a group split by computer; an
 * express full or a check window moved; a sync made less frequent; the
 * link made wider, last), each made on a copy of the fleet and planned
 * on the computers behind the link ("probes"; the whole-fleet plans of
 * the sets answer for the servers they share with computers elsewhere).  A candidate that brings the link to the limit
 * without taking another link of the part below it (or below where it
 * was) is a change set; when none alone does, the best one is kept and
 * the search goes on from it, up to max_changes.  Sets are ranked by
 * how much they disturb: fewest changes, then the kinds in the order of
 * stg_change_rank() (sync frequency and capacity last), then the
 * headroom they give; a set that widens a link comes after every set
 * that does not.
 *
 * Fleet sets: the best set of every link together (then the second
 * best, where links have one), each planned on the whole fleet: only
 * what that plan shows is reported as meeting the limit.
 *
 * Knows nothing of files; io/write/advice.c says it in words and writes the
 * sets as a scenarios file.  stg_advise() returns a stg_advice that owns
 * everything it points to; free with stg_advice_free(). */
#ifndef STG_ADVISE_H
#define STG_ADVISE_H

#include <stdbool.h>

#include "model/change.h"
#include "model/fleet.h"
#include "model/schedule.h"
#include "planner.h"
#include "problem.h"

typedef enum {
    STG_WHY_BACKGROUND,         /* the background alone */
    STG_WHY_ALONE,              /* one transfer wherever it is placed */
    STG_WHY_GROUP,              /* one group's jobs on several computers */
    STG_WHY_LONGER,             /* a transfer longer than the other
                                   group's sync period */
    STG_WHY_PINNED,             /* two transfers held in their windows */
    STG_WHY_OVERLAP,            /* two transfers no placement parts */
    STG_WHY_WAITS,              /* computers waited for max_jobs */
    STG_WHY_UNPROVEN            /* none of the above proves it */
} stg_why_kind;

/* One transfer of a reason: a group's sync, express full or check on a
 * computer (computer -1: the group's on several computers). */
typedef struct {
    int group, computer;
    stg_dec_kind job;
    double rate;                /* bps: its throttle (summed for a group) */
    int duration;               /* seconds it keeps its computer busy */
    int period;                 /* a sync's period, seconds */
} stg_why_job;

typedef struct {
    stg_why_kind kind;
    double load;                /* bps it puts on the link at least,
                                   background included */
    double allowed;             /* bps the limit leaves */
    stg_why_job a, b;           /* b: pairs */
    int ncomputers;             /* GROUP: its computers behind the link */
    int server;                 /* WAITS */
    int at;                     /* BACKGROUND: cycle time of its peak */
    bool proven;                /* UNPROVEN: the link's bound (the
                                   energy or average bound) still shows
                                   no schedule does better */
} stg_why;

typedef struct {
    stg_change *changes;
    int nchanges;
    int nlinks;                 /* the links it touches (planned) */
    int *link;                  /* fleet link indices */
    double *before, *after;     /* their headroom */
    int lag_before, lag_after;  /* seconds: the longest sync lag of the
                                   groups behind the link (whole-fleet
                                   sets: of every group), before and
                                   after */
    bool meets;                 /* every link it touches at the limit */
    int rules_before, rules_after;  /* rules other than the headroom
                                   broken (lag, check window, backlog) */
} stg_change_set;

typedef struct {
    int link;
    double headroom, bound;     /* in the schedule advised on */
    stg_why *why;
    int nwhy;
    stg_change_set *sets;       /* best first; meets or not, as found */
    int nsets;
    bool stopped;               /* the search ended at the limit */
} stg_advice_link;

typedef struct {
    stg_advice_link *links;     /* the links below the limit (the worst
                                   max_links of them), in link order */
    int nlinks;
    int more;                   /* links below the limit left out */
    stg_change_set *fleet;      /* whole-fleet sets, each planned whole */
    int nfleet;
    int probes;                 /* plans of parts */
    double seconds;
    bool stopped;
} stg_advice;

typedef struct {
    stg_plan_opts plan;         /* the whole-fleet plans; the probes get
                                   probe_limit each */
    double probe_limit;         /* seconds (default 2) */
    bool keep_throttles;        /* no throttle changes */
    bool keep_groups;           /* no splits and no server moves */
    bool keep_frequency;        /* no sync frequency changes */
    bool keep_capacity;         /* no capacity changes */
    int max_changes;            /* per link (default 3) */
    int alternatives;           /* sets per link (default 3) */
    int fleet_sets;             /* whole-fleet sets (default 2) */
    bool why_only;              /* the reasons alone: no change sets */
    int max_links;              /* the worst links only (0: every one) */
    /* Called as each link is done (may be NULL). */
    void (*progress)(void *arg, int done, int total, double elapsed);
    void *progress_arg;
} stg_advise_opts;

void stg_advise_opts_init(stg_advise_opts *o);

/* Advice for fleet f on schedule sc (planned or evaluated on f).
 * Returns 0, or -1 with *cause set (allocated) when out of memory. */
int stg_advise(const stg_fleet *f, const stg_schedule *sc,
               const stg_advise_opts *o, stg_advice **out, char **cause);
void stg_advice_free(stg_advice *a);

#endif
