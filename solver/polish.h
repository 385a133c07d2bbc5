/* stagger: a plan's shared links polished (docs/model.md, "Parts").
 *
 * The parts of a fleet are planned apart; a link they share that many
 * computers cross (a data-centre core) is not joined into one part, so
 * its peak is wherever the parts' own best placements meet.  The polish
 * takes such links one at a time, worst first, and moves the decisions
 * that load their peak: each to the value that leaves the best score on
 * the links it loads (state.h: leximax peaks, then conflicts, then slots
 * at each peak; found as the local search finds it, stg_best_value() of
 * heuristic.h: a large domain coarse to fine), and only when no link it loads ends above the higher of
 * its utilization before and 1 - STG_SAFE (a link out of risk may come
 * nearer to it, none goes into it or deeper) or breaks the limit in more
 * slots than before.  A link is done once it is out of risk (STG_SAFE
 * headroom or more).  Passes repeat while a move is made, at most
 * max_passes; the order is fixed (decision indices, values from the
 * one after the decision's own), so the result depends on the state
 * alone unless lim cuts it short.
 *
 * Returns the moves made, or -1 when out of memory (the state is then
 * as the last complete move left it). */
#ifndef STG_POLISH_H
#define STG_POLISH_H

#include "clock.h"
#include "state.h"

int stg_polish(stg_state *st, const int *links, int nlinks, int max_passes,
               const stg_limit *lim);

#endif
