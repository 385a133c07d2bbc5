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
 * of every worse link sharing a computer with it, every link they load
 * held (exact.h, stg_exact_opts.lift).
 *
 * stg_lift() takes the links that may be lifted (eligible: the caller's
 * own links whose target the exact search proved) that are at risk
 * (utilization above at_risk) and more than gap above their target,
 * worst first, and lifts each with budget slot checks; a placement
 * found is taken into *st when the state gets better with it
 * (stg_state_cmp()).  The order is fixed, so the result depends on the
 * state alone unless lim cuts it short.  *st is replaced by a new state
 * when a lift is taken (the old one freed); the caller keeps owning it.
 * Returns the lifts taken, or -1 when out of memory (*st is then the
 * state of the last lift taken). */
#ifndef STG_LIFT_H
#define STG_LIFT_H

#include <stdbool.h>

#include "clock.h"
#include "state.h"

int stg_lift(stg_state **st, const bool *eligible, const double *target,
             double at_risk, double gap, long budget, const stg_limit *lim);

#endif
