/* stagger: upper bounds on each link's headroom that hold for every
 * schedule the load model allows (colliding and queued ones included):
 *
 *  - background: a link's peak is at least its background's peak;
 *  - average: every computer moves its volume per cycle, and each busy
 *    slot moves at most throttle x efficiency x slot bytes while it loads
 *    the link with the whole throttle, so the link's mean load is at least
 *    background + the sum of 8 V / (efficiency x slot) over its computers;
 *    and a computer that never waits for max_jobs is busy, from each of
 *    its jobs' releases, for at least the job's queued length, so its
 *    busy slots load the link at least as much as the union of those of
 *    any one decision's jobs does at that decision's lightest value (a
 *    sync of a third of a slot every 15 minutes keeps a slot busy every
 *    15 minutes, three times what its volume alone says): the larger of
 *    the two per computer;
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

/* The links whose bounds (either kind) may differ between p and a
 * problem of the same fleet that differs only in its computers' throttles,
 * was[] (ncomputers) then: redo[] (nlinks) set for them, cleared for the
 * rest, whose bounds stay what they were.  Those are the links of the
 * computers whose throttle moved (stg_throttle_same()), of every computer
 * of a server of theirs whose max_jobs binds (their waits change; which
 * servers bind is the fleet's), and of every computer sharing a decision
 * with one of those (its hull and spread change).  Returns 0, -1 when out
 * of memory. */
int stg_bound_affected(const stg_problem *p, const stg_throttle *was,
                       bool *redo);

/* What proves a link's peak at least some load, for every schedule
 * without waits (the placement bounds above, per decision and per pair):
 * a decision whose jobs alone (with the background) load the link that
 * much wherever it is placed, or two decisions sharing no computer that
 * do so together at every pair of their values. */
typedef enum {
    STG_PROOF_BACKGROUND,       /* the background alone */
    STG_PROOF_ONE,              /* decision d1 alone */
    STG_PROOF_PAIR              /* decisions d1 and d2 together */
} stg_proof_kind;

typedef struct {
    stg_proof_kind kind;
    int d1, d2;                 /* decisions (-1: none) */
    double load;                /* bps, background included */
    int slot;                   /* where the background peaks (BACKGROUND) */
} stg_proof;

/* The proofs that link l's peak exceeds load_over bps, the highest
 * first, at most max of them (a pair only when it exceeds both of its
 * decisions alone); *n their number.  Decisions on computers whose
 * server's max_jobs may make them wait count too: the proofs hold for
 * schedules without waits.  Pairs within a work budget, on links of at
 * most 64 decisions.  Returns 0, or -1 when out of memory. */
int stg_bound_proofs(const stg_problem *p, int l, double load_over,
                     stg_proof *out, int max, int *n);

#endif
