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

typedef struct {
    stg_settings *settings;
    stg_sim *sim;
    stg_eval *eval;
    double *link_bound;         /* per link: proven best headroom */
    double bound;               /* proven best worst-link headroom */
    stg_status status;
    double seconds;             /* solve time */
    char *method;               /* how it was found, e.g. "greedy+local+milp" */
    bool stopped;               /* the run was stopped before it finished */
    double *sorted_headroom;    /* the links' headrooms, ascending, for
                                   stg_schedule_cmp() (made by
                                   stg_schedule_build(); may be NULL) */
} stg_schedule;

/* Simulates and scores settings (taking ownership of them) into a new
 * schedule; link_bound is copied (per link; the solver computes it),
 * status derived from the evaluation and the bound.  Returns NULL when
 * out of memory; *backlog is set when a computer cannot catch up. */
stg_schedule *stg_schedule_build(const stg_fleet *f, stg_settings *s,
                                 const double *link_bound);
void stg_schedule_free(stg_schedule *sc);

/* Lowers the proven worst-link bound to bound (when it is lower) and
 * derives the status again. */
void stg_schedule_set_bound(stg_schedule *sc, double bound);

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
