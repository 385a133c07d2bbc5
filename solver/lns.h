/* stagger: large-neighbourhood search with GLPK sub-MILPs.
 *
 * Repeatedly frees k decisions on the worst link still above its target
 * (the ones loading its peak first), fixes every other decision where
 * it is, and asks GLPK for values of the free ones that lower that
 * link's peak in the union model (milp.h):
 *
 *   minimize P (integer, in units of g = the gcd of the link's rates)
 *   x[d,v] binary, sum_v x[d,v] = 1
 *   busy[c,t] >= x[d,v] for every job of d at v covering c at t
 *   g P >= background + fixed load + sum_c rate[c,t] busy[c,t]
 *   P <= the incumbent's P - 1       (only strictly better answers)
 *
 * An answer is applied to the state (which simulates the queues) and
 * kept only when the score of the links it touches improves.  The size
 * k adapts: up after a sub-MILP closes quickly, down after one runs out
 * of its time.  GLPK runs behind glpk_guard.h.  The state is borrowed
 * and changed in place. */
#ifndef STG_LNS_H
#define STG_LNS_H

#include <stdint.h>

#include "clock.h"
#include "state.h"

typedef struct {
    int tried;                  /* sub-MILPs solved */
    int improved;               /* answers kept */
    int proved;                 /* sub-MILPs that proved no better answer */
    int timed_out;              /* sub-MILPs stopped by their time limit */
    int k;                      /* neighbourhood size at the end */
} stg_lns_stats;

/* target: per link, the utilization below which it is left alone (may
 * be NULL).  Runs until the limit, or until every link is at its target
 * or has failed to improve twice at every size.  Returns 0, or -1 with
 * *cause (allocated) when out of memory or GLPK fails. */
int stg_lns(stg_state *st, const double *target, uint64_t seed,
            const stg_limit *lim, stg_lns_stats *stats, char **cause);

#endif
