/* stagger: a link's bound from the computers at its peak (docs/model.md,
 * "The union model and why the bounds hold", bound 10: the peak's
 * core).
 *
 * A wide link (a server's NIC, a regional hub) is loaded by a hundred
 * decisions and more, whose exact search seldom ends; but its peak is
 * often forced by a few computers: those that send at the plan's peak.
 * The exact search of the link with only their jobs (exact.h,
 * stg_exact_opts.only: the other computers left out) is small, and
 * fewer jobs load a link no more, so its proven optimum is a bound on
 * the link for every schedule without waits.  Starting from the
 * computers busy at the plan's first peak slot, the computers busy near
 * it are added one at a time, the most load near the peak first, each
 * kept when the search with it proves a higher bound (the first search
 * half the budget, each later one a sixteenth; none when the first gave
 * up: a core with one more computer is no easier).
 *
 * stg_peakcore_bound(): link l of incumbent (every decision placed),
 * lower the bound known (utilization; the search starts from it);
 * budget the slot checks all its searches may spend together.  *util
 * gets the highest proven (at least lower, at most the incumbent's
 * utilization on l: there the plan is proven optimal on l), *work the
 * slot checks spent.  Returns 0, or -1 when out of memory. */
#ifndef STG_PEAKCORE_H
#define STG_PEAKCORE_H

#include "clock.h"
#include "problem.h"
#include "state.h"

int stg_peakcore_bound(const stg_problem *p, const stg_state *incumbent,
                       int l, double lower, long budget,
                       const stg_limit *lim, double *util, long *work);

#endif
