/* stagger: planning one part of a fleet (parts.h), or a fleet that is
 * one part: the phases of docs/model.md ("The search"), in order, each
 * deciding whether it has anything to do:
 *
 *   prepare      the problem with the part's throttles (the recommended
 *                ones stepped down where a bound says the limit cannot
 *                hold), its bounds, today's settings as the first
 *                candidate (a plan is never worse than what is set);
 *   exhaustive   every schedule simulated, when there are few;
 *   greedy       a first placement;
 *   local search a quick one, so that the exact search starts near;
 *   exact        each link short of its bound searched completely
 *                (exact.h): its bound proven, a better placement taken;
 *   local search from there, towards the bounds;
 *   throttles    recommended throttles lowered where links stay short;
 *   exact, local search again, for the new throttles;
 *   deeper       the exact search again with a larger budget, on links
 *                it could not settle (a fleet planned whole; one of many
 *                parts is planned again for it, planner.c);
 *   lift         links short of a proven bound that a worse link holds,
 *                lifted past it (lift.h);
 *   waits        where computers wait for max_jobs, the decisions of the
 *                links short of their aims moved one at a time, each
 *                move judged by the simulation with the waits;
 *   lns          sub-MILPs on links too big for the exact search;
 *   milp         the whole MILP, on a small fleet planned whole.
 *
 * The part is done, and the remaining phases skip, once every link at
 * risk meets its bound for schedules without waits (no such schedule
 * does better), no computer waits, and every other rule holds.
 *
 * A stg_part is filled in by its caller (the inputs below), then owns
 * what the phases make; stg_part_free() releases that (not the inputs). */
#ifndef STG_PART_H
#define STG_PART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clock.h"
#include "lift.h"
#include "model/schedule.h"
#include "planner.h"
#include "pool.h"
#include "problem.h"
#include "state.h"

/* A link with at least this headroom is not at risk: once the links at
 * risk are at their bounds, the search leaves it be. */
#define STG_SAFE 0.5
/* Headroom values this close are the same. */
#define STG_SAME 1e-6

typedef struct stg_part {
    const stg_fleet *f;         /* the part's fleet (or the whole fleet) */
    const stg_settings *base;   /* throttles recommended */
    const stg_plan_opts *o;
    stg_limit lim;              /* the run's */
    stg_limit heur;             /* the heuristics': 40% of the time left
                                   when the MILP may follow */
    uint64_t seed;              /* the run's seed, and for a part mixed
                                   with its first computer's name, so that
                                   parts alike do not all choose alike */
    int threads;                /* for the exact searches of its links */
    stg_pool_board *help;       /* idle threads of the planner's (NULL:
                                   none), for its exact searches */
    bool quiet;                 /* reports no progress (one of many) */
    bool whole;                 /* the whole fleet: no other part of the
                                   run waits for it (phase_wide()) */
    long exact_budget;          /* slot checks per exact search */
    bool deeper;                /* one of many parts planned again for the
                                   deeper exact search (its exact phase
                                   gets that budget), with the throttles
                                   it was given */
    const stg_settings *start;  /* when not NULL, the search starts from
                                   these settings when they are better
                                   than the greedy placement */
    double t0;                  /* when the run started, for progress */
    stg_problem *p;
    double *bound;              /* per link: headroom, every schedule */
    double *target;             /* per link: utilization no schedule
                                   without waits goes below */
    double *aim;                /* per link: what the search aims at: the
                                   target, or 1 - SAFE when above */
    bool *exact;                /* per link: target proven by the exact
                                   search or the enumeration */
    double *tried;              /* per link: the utilization an exact search
                                   on this problem ended at unproven (0:
                                   none); it is not run again from there */
    int deep_link;              /* the link a deeper search last gave up
                                   on, and the utilization it ended at: */
    double deep_util;           /*   not searched deeper again from there
                                   (deep_util 0: none) */
    const bool *shared;         /* per link: one the part shares with others
                                   (their load is its background): it is
                                   kept above the limit, but neither
                                   bounded nor searched to its bound here;
                                   NULL: none */
    const bool *forced;         /* per link: one joined into the part after
                                   a round (parts.h): the search keeps it
                                   above the limit; NULL: none */
    stg_lift_memo *lift_memo;   /* per link: the lift that took nothing
                                   (lift.h), from an earlier round too
                                   (the planner's); owned by the part */
    double *floor;              /* per link: an aim the search needs not go
                                   below (a later round's: what the plan so
                                   far gives); NULL: none */
    double worst_bound;         /* the worst link's, every schedule */
    stg_schedule *best;
    stg_state *local;           /* the search's best state */
    stg_found found;
    bool use_milp, auto_short;
    bool stale;                 /* the state or the aims changed since the
                                   last local search */
    bool searched;              /* a local search ran */
    bool from_start;            /* the search started from start (better
                                   than the greedy placement) */
    bool proven;                /* the enumeration went through all */
    bool done;                  /* nothing without waits does better */
    char **cause;
} stg_part;

/* The prepare phase.  Returns 0, or -1 with *cause set. */
int stg_part_prepare(stg_part *pp);

/* The phases from the first-th on (0: prepare too; 1: pp is prepared).
 * Returns 0 with pp->best and pp->done, or -1 with *cause set. */
int stg_part_run(stg_part *pp, size_t first);

void stg_part_free(stg_part *pp);

/* Whether link l is the part's own (not one it shares). */
bool stg_part_own(const stg_part *pp, int l);
/* Whether every computer crossing link l has in pp->p the throttle it has
 * in was[] (indexed through computer_of[], the fleet's computer of each
 * of the part's; NULL: the same indices): the link's load is then the
 * same, and so are its exact search's proofs and give-ups. */
bool stg_part_link_same(const stg_part *pp, int l, const stg_throttle *was,
                        const int *computer_of);
/* Whether the exact search gave up on own link l, its budget spent, where
 * a deeper one may prove it (a link of few enough decisions). */
bool stg_part_gave_up(const stg_part *pp, int l);
/* Recomputes the aims (after the targets or the floors change). */
void stg_part_aims(stg_part *pp);
/* Recomputes the worst own link's bound. */
void stg_part_worst(stg_part *pp);

/* Gives sc the per-link bounds for schedules without waits (nowait,
 * taken over), each at most the link's bound for every schedule (fewer
 * schedules do no better), and the worst link's. */
void stg_part_nowait(stg_schedule *sc, double *nowait);

#endif
