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
 *    over the background (computers of a server whose max_jobs can make
 *    them wait are left out of this one).
 *
 * Fills bound[l] (headroom, 1 - peak / capacity) for every link. */
#ifndef STG_BOUND_H
#define STG_BOUND_H

#include "problem.h"

/* Returns 0, or -1 when out of memory. */
int stg_bound_links(const stg_problem *p, double *bound);

#endif
