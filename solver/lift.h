/* stagger: links lifted past the worse links that hold them (docs/
 * model.md, "Links lifted").
 *
 * A link's own best placement, proven by the exact search, may raise a
 * worse link its computers cross (a site's best time for its express
 * full is where the hub's peak is): the order of schedules (state.h:
 * the worst link first) refuses it, and the link stays short of its
 * bound.  Moving the worse link's other decisions as well (the hub's
 * other sites) may make room for it without raising any link.  A lift
 * is that search: the exact search over the link's decisions and those
 * of every worse link it meets (stg_lift_worse(): through a computer, or
 * through a group with sources at several sites), every link their
 * computers cross held (exact.h, stg_exact_opts.lift).
 *
 * stg_lift() takes the links that may be lifted (eligible: the caller's
 * own links whose target the exact search proved) that are at risk
 * (utilization above at_risk) and more than gap above their target,
 * worst first, and lifts each from one pool of budget slot checks per
 * lift: each may spend what the lifts before it left, less budget / 2
 * for each lift after it (the worse link's lift may take more than its
 * share, the later ones never less than half); a placement
 * found is taken into *st when the state gets better with it
 * (stg_state_cmp()).  The order is fixed, so the result depends on the
 * state alone unless lim cuts it short.  *st is replaced by a new state
 * when a lift is taken (the old one freed); the caller keeps owning it.
 * Returns the lifts taken, or -1 when out of memory (*st is then the
 * state of the last lift taken). */
#ifndef STG_LIFT_H
#define STG_LIFT_H

#include <stdbool.h>
#include <stdint.h>

#include "clock.h"
#include "exact.h"
#include "state.h"

/* What a lift that took nothing was given (memo, may be NULL: per link
 * of st's fleet, kept by the caller from round to round): a key of what
 * it met, its link's utilization and target and each worse link it
 * meets, by name, with its utilization; and the slot checks it might
 * spend.  A lift whose key is the same and whose allowance is no larger
 * is passed by (a heuristic, as the exact search's give-ups: the other
 * decisions of the held links are not in the key); a lift that takes
 * nothing records its key, one taken clears it; a lift the limit cuts
 * records nothing. */
typedef struct {
    uint64_t key;               /* 0: none */
    long budget;
} stg_lift_memo;

int stg_lift(stg_state **st, const bool *eligible, const double *target,
             double at_risk, double gap, long budget, const stg_limit *lim,
             stg_lift_memo *memo);

/* The links a lift of l moves past, into with[] (room for every link):
 * those worse than l in st that a computer of l crosses, or a computer
 * that a decision of those has a job on (a group whose sources sit at
 * several sites), and so on (stg_problem_close_computers()).  Returns
 * how many, or -1 when out of memory. */
int stg_lift_worse(const stg_state *st, int l, int *with);

/* The links a held bound of l holds (exact.h, stg_exact_opts.held),
 * into with[] (room for every link): those worse than l in st that a
 * computer of l crosses, or a computer of a link already taken, or a
 * computer a decision of those has a job on, until none is added.
 * Returns how many, or -1 when out of memory. */
int stg_held_worse(const stg_state *st, int l, int *with);

/* The links stg_lift() lifts, in its order, into cand[] (room for every
 * link); returns how many. */
int stg_lift_candidates(const stg_state *st, const bool *eligible,
                        const double *target, double at_risk, double gap,
                        int *cand);

/* The search of one lift of link l from st (lower: a proven lower bound
 * on l's utilization), into *r, nothing taken: the caller judges the
 * placement (stg_exact_placed()) and frees *r whatever the return.
 * Returns how many worse links the lift moves past (0: none, *r then
 * empty: the exact search of l alone is the lift), or -1 when out of
 * memory. */
int stg_lift_search(const stg_state *st, int l, double lower, long budget,
                    const stg_limit *lim, stg_exact_result *r);

/* stg_lift_repair(): a placement the exact search found for link l (r:
 * lower on l than *st) that the order of schedules refuses, because
 * links worse than l come out worse, repaired: each link it made worse
 * and left worse than l is lifted back (worst first; its computers'
 * decisions move, l held at its new peak, every other link held as in
 * a lift), then each link it made worse that is at risk (utilization
 * above at_risk) once.  The repaired state replaces *st (the old one
 * freed; the caller keeps owning *st) when it is better
 * (stg_state_cmp()); a link worse than l that cannot be lifted back
 * ends the repair.  Each lift spends at most budget slot checks.
 * Returns 1 when taken, 0, or -1 when out of memory (*st unchanged). */
int stg_lift_repair(stg_state **st, int l, const stg_exact_result *r,
                    double at_risk, long budget, const stg_limit *lim);

#endif
