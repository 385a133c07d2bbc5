/* stagger: planning a fleet's schedule, and scoring given settings.
 *
 * stg_plan(): today's settings with AUTO throttles recommended are the
 * start; the per-link bounds of bound.h are computed; a greedy placement
 * is improved by local search; when the result does not meet the bound
 * and the MILP is small enough, GLPK solves it with the remaining time
 * (tightening the worst-link bound and offering its solution).  Every
 * candidate is simulated (model/sim.h) and the best by
 * stg_schedule_cmp() is returned; its status compares the simulated
 * worst-link headroom with the proven bound.
 *
 * Results are new stg_schedule values the caller frees. */
#ifndef STG_PLANNER_H
#define STG_PLANNER_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "model/fleet.h"
#include "model/schedule.h"
#include "clock.h"
#include "problem.h"

typedef struct {
    double elapsed;             /* seconds since the start */
    double achieved;            /* best worst-link headroom so far */
    double bound;               /* proven best */
    const char *phase;
    bool partial;               /* achieved and bound are those of the parts
                                   planned so far (parts.h), not yet of the
                                   whole fleet */
} stg_progress;

typedef struct {
    double time_limit;          /* seconds; <= 0: none */
    uint64_t seed;
    int threads;                /* >= 1 */
    volatile sig_atomic_t *stop;  /* set asynchronously to stop early */
    long exhaustive_max;        /* simulate every schedule when there are at
                                   most this many (default 256; 0: never) */
    long exact_budget;          /* slot checks per exact search (the deeper
                                   one gets 32 times as many); 0: the
                                   default, 1.28 x 10^8 */
    int focus_link;             /* a link planned with all its computers in
                                   one part (the one a capacity probe asks
                                   about); -1: none (default) */
    struct stg_parts_s **parts; /* when not NULL, receives the parts the
                                   fleet was planned in (the caller frees
                                   them with stg_parts_free()) */
    void (*progress)(void *arg, const stg_progress *pr);
    void *progress_arg;
} stg_plan_opts;

void stg_plan_opts_init(stg_plan_opts *o);

/* The first step of planning, for tools that compare other methods on
 * the same footing: the problem with the AUTO throttles recommended and
 * stepped down where a link's bound says the limit cannot hold, with its
 * per-link headroom bounds (bound: every schedule; target: schedules
 * without max_jobs waiting), nlinks each.  lim may be NULL.  Returns 0
 * with *out (free with stg_problem_free), or -1 when out of memory. */
int stg_plan_prepare(const stg_fleet *f, const stg_limit *lim,
                     stg_problem **out, double *bound, double *target);

/* Returns 0 with *out, or -1 with *cause (allocated; out of memory or a
 * solver failure). */
int stg_plan(const stg_fleet *f, const stg_plan_opts *o, stg_schedule **out,
             char **cause);

/* The parts stg_plan() starts from (today's settings, the AUTO throttles
 * recommended).  Returns 0 with *out (free with stg_parts_free()), or -1
 * when out of memory. */
int stg_plan_parts(const stg_fleet *f, struct stg_parts_s **out);

/* Scores settings (taken over) with the same bounds as planning, or
 * today's settings when s is NULL; with bounds false, scores them only
 * (the schedule's link_bound NULL: no bound worked out, which on a
 * large fleet is most of the time).  Returns 0 with *out, or -1. */
int stg_evaluate(const stg_fleet *f, stg_settings *s, bool bounds,
                 stg_schedule **out, char **cause);

#endif
