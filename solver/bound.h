/* stagger: upper bounds on each link's headroom that hold for every
 * schedule the load model allows (colliding and queued ones included):
 *
 *  - background: a link's peak is at least its background's peak;
 *  - average: every computer moves its volume per cycle, and each busy
 *    slot moves at most throttle x efficiency x slot bytes while it loads
 *    the link with the whole throttle, so the link's mean load is at least
 *    background + the sum of 8 V / (efficiency x slot) over its computers;
 *  - placement: whatever value a decision takes, its jobs keep their
 *    computers busy for at least their lone durations from their releases
 *    (problem.h), so the link's peak is at least the smallest, over the
 *    decision's values, of the highest load those jobs alone put on it
 *    over the background;
 *  - anywhere: a computer whose server's max_jobs can make it wait (so
 *    the placement bound does not hold for it) still sends its largest
 *    job at some time, for at least its lone duration: the link's peak is
 *    at least the smallest, over every start, of the highest load that
 *    job alone puts on it over the background.
 *
 * Fills bound[l] (headroom, 1 - peak / capacity) for every link.  The
 * placement bounds are left out on links shared by more than 256
 * decisions (one decision is a small part of such a link's load); when
 * the limit (may be NULL) is reached, the links not yet done keep the
 * background and average bounds, which always hold. */
#ifndef STG_BOUND_H
#define STG_BOUND_H

#include <stdbool.h>

#include "clock.h"
#include "problem.h"

/* How: STG_BOUND_NO_WAIT applies the placement bound to every computer:
 * the bound then holds for schedules in which no computer waits for
 * max_jobs (the planner's search space), not for every schedule. */
enum { STG_BOUND_NO_WAIT = 1 };

/* Returns 0, or -1 when out of memory.  only (may be NULL: every link)
 * says which links get more than the background and average bounds. */
int stg_bound_links(const stg_problem *p, unsigned how, const stg_limit *lim,
                    const bool *only, double *bound);

#endif
