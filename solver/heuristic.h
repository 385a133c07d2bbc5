/* stagger: the constructive heuristic and local search.
 *
 * Greedy: fixed jobs first, then decisions by falling weight (rate x
 * busy slots), each placed at the value that leaves the best score on its
 * links (leximax peaks, then conflicts, then slots at the peak).
 * Local search: moves a decision that loads a peak slot of the worst link
 * (then the next worst, ...) to its best value while that improves the
 * whole state lexicographically; when no move does, the worst link's
 * decisions are taken out and placed again greedily (ruin and recreate),
 * or, every other time, a seeded kick moves a few of them at random, and
 * the descent restarts from there; the best state is kept.  It stops
 * after a fixed number of kicks without improvement on the links at risk
 * (a better state that moves only links out of risk is kept, but is no
 * such improvement), so its result depends on the seed alone unless the
 * limit cuts it short.
 *
 * Both return a new state the caller frees (NULL when out of memory). */
#ifndef STG_HEURISTIC_H
#define STG_HEURISTIC_H

#include <stdint.h>

#include "clock.h"
#include "problem.h"
#include "state.h"

/* The value of unplaced decision d that leaves the best score on the
 * links it loads (state.h), -1 when none but skip: values are scanned
 * from rotate (so that equal ones are chosen by seed), skip left out; a
 * large domain (express-full flex, check windows) every few values
 * first, then value by value around the best of those.  The greedy, the
 * local search's moves and the polish (polish.h) place by it. */
int stg_best_value(stg_state *st, int d, int rotate, int skip);

/* The scan of stg_best_value() for any judge: value indices of a domain
 * of n, from rotate, skip left out, every few first when n is large,
 * then one by one around the best of those; try_vi(arg, vi) judges vi
 * and returns 1 when it is the best so far, 0 when not, -1 on failure
 * (the scan stops).  Returns the last value judged best, -1 when none,
 * -2 when try_vi failed. */
int stg_scan_values(int n, int rotate, int skip,
                    int (*try_vi)(void *arg, int vi), void *arg);

/* When lim (may be NULL) is reached, the decisions not yet placed keep
 * today's values.  NULL when out of memory (stg_state_oom() included),
 * here and from stg_local_search(). */
stg_state *stg_greedy(const stg_problem *p, uint64_t seed,
                      const stg_limit *lim);

/* Improves start (not modified); kicks: rounds without improvement
 * before it gives up, counted on the links at risk when at_risk (may be
 * NULL) is given: a link l whose peak utilization is at most at_risk[l]
 * counts as at at_risk[l] (stg_state_cmp_above()).  target[l] (may be
 * NULL) is what the search aims at on link l (at most its proven lowest
 * peak utilization): links there are left alone, and the search ends
 * when every link is there.  It remembers its computers' queues
 * (memo.h; at most 16 MiB, freed when it returns). */
stg_state *stg_local_search(const stg_state *start, uint64_t seed,
                            int kicks, const double *target,
                            const double *at_risk, const stg_limit *lim);

#endif
