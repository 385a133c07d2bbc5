/* stagger: a planned (or evaluated) schedule: the settings, their
 * simulated cycle and its score, the proven bounds and the status.
 *
 * This is what the schedule writer serializes (schedule.md).  A
 * stg_schedule owns everything it points to; stg_schedule_free()
 * releases it. */
#ifndef STG_SCHEDULE_H
#define STG_SCHEDULE_H

#include <stdbool.h>

#include "eval.h"
#include "settings.h"
#include "sim.h"

typedef enum {
    STG_STATUS_OPTIMAL,         /* achieved == bound, every rule holds */
    STG_STATUS_FEASIBLE,        /* every rule holds, optimality not proven */
    STG_STATUS_VIOLATES         /* some rule is broken */
} stg_status;

/* How a plan was found: the methods whose results it keeps, and how the
 * search ended.  stg_found_text() says it in words (the schedule's
 * method). */
enum {
    STG_FOUND_EXHAUSTIVE = 1 << 0,  /* every schedule simulated */
    STG_FOUND_GREEDY = 1 << 1,
    STG_FOUND_LOCAL = 1 << 2,       /* local search */
    STG_FOUND_LNS = 1 << 3,         /* large-neighbourhood search */
    STG_FOUND_EXACT = 1 << 4,       /* the exact search (solver/exact.h) */
    STG_FOUND_MILP = 1 << 5,        /* GLPK's solution of the whole MILP */
    STG_FOUND_THROTTLES = 1 << 6,   /* recommended throttles lowered */
    STG_FOUND_LIFT = 1 << 7,        /* links lifted (solver/lift.h) */
    STG_FOUND_WAITS = 1 << 8        /* moves judged with the waits for
                                       max_jobs (solver/part.c) */
};

typedef struct {
    unsigned used;              /* STG_FOUND_* */
    bool incomplete;            /* the enumeration was cut short */
    bool time_limit;            /* a phase or the run ended at its limit */
    bool stopped;               /* stopped on request */
    char milp[200];             /* how GLPK ended, when the MILP ran */
    int parts;                  /* parts planned apart (parts.h); 0 or 1:
                                   the fleet as a whole */
    int parts_proven;           /* parts whose schedule meets the bound for
                                   schedules without waits */
} stg_found;

/* "greedy+local search, throttles lowered, 12 parts, time limit reached" */
void stg_found_text(const stg_found *fd, char *buf, size_t n);

typedef struct {
    stg_settings *settings;
    stg_sim *sim;
    stg_eval *eval;
    double *link_bound;         /* per link: proven best headroom (NULL:
                                   none worked out, stg_schedule_build()) */
    double bound;               /* proven best worst-link headroom */
    double *link_bound_nowait;  /* per link: the same for schedules in
                                   which no computer waits for max_jobs
                                   (NULL: as link_bound) */
    double bound_nowait;        /* the worst link's, likewise */
    stg_status status;
    double seconds;             /* solve time */
    char *method;               /* how it was found, e.g. "greedy+local+milp" */
    stg_found found;            /* the same as data (plans only) */
    bool stopped;               /* the run was stopped before it finished */
    double *sorted_headroom;    /* the links' headrooms, ascending, for
                                   stg_schedule_cmp() (made by
                                   stg_schedule_build(); may be NULL) */
} stg_schedule;

/* Simulates and scores settings (taking ownership of them) into a new
 * schedule; link_bound is copied (per link; the solver computes it),
 * status derived from the evaluation and the bound.  link_bound NULL:
 * none was worked out (the schedule's link_bound stays NULL and its
 * bound 100%, which no schedule beats).  Returns NULL when out of
 * memory; *backlog is set when a computer cannot catch up. */
stg_schedule *stg_schedule_build(const stg_fleet *f, stg_settings *s,
                                 const double *link_bound);
void stg_schedule_free(stg_schedule *sc);

/* Simulates and scores settings s (taking ownership) on f as another
 * version of like, a schedule of the same fleet: like's bounds (for
 * every schedule and without waits), how it was found and its solve
 * time are copied, the status derived again.  NULL when out of memory. */
stg_schedule *stg_schedule_rebuild(const stg_fleet *f, const stg_schedule *like,
                                   stg_settings *s);

/* Lowers the proven worst-link bound to bound (when it is lower) and
 * derives the status again. */
void stg_schedule_set_bound(stg_schedule *sc, double bound);

/* Sets the links' bounds (copied) and the worst link's (the lowest of
 * them and worst), and derives the status again. */
void stg_schedule_set_bounds(stg_schedule *sc, const double *link_bound,
                             double worst);

/* Orders two schedules of one fleet: one that keeps every rule first,
 * then the links' lowest headrooms compared from the worst up (leximin),
 * then fewer broken rules other than headroom.  <0 when a is better, 0
 * when equal.  Allocates nothing for schedules made by
 * stg_schedule_build(), so running out of memory cannot change an
 * answer; for others it sorts copies, and compares the worst links
 * alone if those cannot be allocated. */
int stg_schedule_cmp(const stg_schedule *a, const stg_schedule *b);

const char *stg_status_name(stg_status st);

#endif
