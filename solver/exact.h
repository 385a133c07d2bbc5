/* stagger: the lowest peak a few links can have, proven by a complete
 * search (the "exact" bound of docs/model.md).
 *
 * The question: over every value of every decision that loads the links
 * (a group's sync offset, an express-full time, a check start), what is
 * the lowest worst utilization (peak load / capacity) the links can
 * have, when no computer waits for a server's max_jobs?  It is answered
 * by descending from an incumbent: "is there a schedule whose worst
 * utilization is below the incumbent's?" is a constraint satisfaction
 * problem, searched depth first with forward checking, the variable
 * with the fewest values per dead end it took part in first (dom/wdeg),
 * in descents cut after a growing number of dead ends (the weights
 * kept, so the decisions in conflict rise to the top):
 *
 *  - each decision's footprint at each value is where its jobs keep
 *    their computers busy in the union model (problem.h): from their
 *    releases for as long as their volume takes alone.  Every schedule
 *    is at least this busy, so a partial placement whose union load
 *    already exceeds the threshold somewhere cannot be completed;
 *  - each computer's queue of the decisions placed so far is simulated
 *    (model/queue.h: merged syncs, jobs that wait behind each other, the
 *    cycle wrapped; a volume that depends on an open decision at its
 *    smallest) and the slots it adds are checked too: a queue that sends
 *    whenever it holds bytes is busy at least there in every completion,
 *    and once all of a computer's decisions are placed, the placement
 *    is judged by the load model itself.  A queue met again (the same
 *    values of its computer's decisions under other placements) comes
 *    from a memo of those already simulated, counted as work all the
 *    same.
 *
 * A placement found becomes the incumbent and the search starts again
 * below it; when the search finds none, the incumbent is optimal.  (An
 * express full's volume follows the time since the previous one of its
 * group, or since the group's check when that came between: the
 * footprints take the smallest it can be, the queue the one the
 * placement gives.)  The work is counted, and the search gives up
 * past a budget: the answer then says nothing beyond the lower bound it
 * was given.  A small search, or one with every_order, has a second
 * variable order beside the first (stg_exact_solve_with()), which idle
 * threads may run at the same time without changing the answer.
 *
 * The result owns its values; free with stg_exact_result_free(). */
#ifndef STG_EXACT_H
#define STG_EXACT_H

#include <stdbool.h>

#include "clock.h"
#include "pool.h"
#include "problem.h"
#include "state.h"

typedef struct {
    bool proven;                /* util is the lowest possible */
    bool improved;              /* values beat the incumbent */
    double util;                /* the lowest worst utilization found */
    double lower;               /* proven: no schedule does better */
    int *values;                /* per decision of the problem: value index
                                   (-1: not on these links) */
    long work;                  /* slot checks spent */
} stg_exact_result;

/* Searches over the decisions that load links[0..nlinks) of p, from the
 * placement of incumbent (every decision placed; its loads are the
 * incumbent's).  lower is a proven lower bound on the worst utilization
 * (the cheap bounds; 0 when none).  budget: slot checks before giving
 * up.  Returns 0, or -1 when out of memory. */
int stg_exact_solve(const stg_problem *p, const int *links, int nlinks,
                    const stg_state *incumbent, double lower, long budget,
                    const stg_limit *lim, stg_exact_result *out);
void stg_exact_result_free(stg_exact_result *r);
/* A clone of st with r's placement (each decision r gives a value moved
 * there); the caller frees it.  NULL when out of memory. */
stg_state *stg_exact_placed(const stg_state *st, const stg_exact_result *r);

/* Options of the search. */
typedef struct {
    bool no_memo;               /* for tests: without its memo of the
                                   queues it simulated (the same answer,
                                   the same work counted, only slower) */
    bool every_order;           /* the second variable order for a large
                                   search too (stg_exact_solve_with()) */
    stg_pool_board *help;       /* idle threads that may run the second
                                   order beside the first (NULL: none) */
    /* A lift (docs/model.md, "Links lifted"): the decisions on the links
     * and on with[0..nwith), and on every computer one of those has a
     * job on (and so on: a group across sites), are the variables,
     * every other decision stays where the incumbent has it, and every
     * other link their computers cross is held: it may not end above
     * both its peak in the incumbent and the threshold (its load at the
     * utilization searched).  A placement found lowers the links
     * without raising a worse link or taking a better one past them.
     * The answer is a placement, never a bound: proven says only that
     * no such placement is below util. */
    bool lift;
    const int *with;
    int nwith;
    /* Held links of a lift that may not end above their peak in the
     * incumbent, whatever the utilization searched (lift.h,
     * stg_lift_repair(): a link kept where a placement took it while
     * the links that placement made worse are lifted back). */
    const int *strict;
    int nstrict;
    /* A held bound (docs/model.md, "Held bounds"; lift need not be
     * set): a lift whose held links are with[0..nwith) alone, each at its peak in the incumbent
     * (whatever the utilization searched); no other link is held, a
     * better one may end anywhere.  Every decision that loads the links
     * or with[] is a variable, so a proven answer is a bound: no
     * schedule without waits that keeps every link of with[] at its
     * peak in the incumbent or lower gives the links a lower worst
     * utilization (stagger-exact --held). */
    bool held;
    /* A relaxation (not with lift or held): only the jobs of the
     * computers marked here (per computer, nonzero) load the links, the
     * other computers' left out; every decision with a job on one of
     * them is a variable.  Fewer jobs load a link no more (a queue with
     * fewer jobs is busy no longer), so a proven answer is a bound on
     * the links' worst utilization for every schedule without waits:
     * lower (or util, when improved) is at most it.  The values answered
     * are no placement of the whole fleet: not to be applied. */
    const unsigned char *only;
    /* Searches only below this utilization (0: below the incumbent's);
     * when nothing is, proven with lower = below and util = below, the
     * values the incumbent's (stagger-exact --below: how far a link is
     * from a bound). */
    double below;
} stg_exact_opts;

/* stg_exact_solve() with options (NULL: the defaults).  The caller's
 * thread runs the first order; o->help's threads may run the second
 * (pool.h), which the call waits for or withdraws before it returns. */
int stg_exact_solve_with(const stg_problem *p, const int *links, int nlinks,
                         const stg_state *incumbent, double lower,
                         long budget, const stg_limit *lim,
                         const stg_exact_opts *o, stg_exact_result *out);

/* The decisions loading links[0..nlinks), and whether that is at most
 * max of them (the search is worth trying). */
bool stg_exact_fits(const stg_problem *p, const int *links, int nlinks,
                    int max);

#endif
