/* stagger: the planner's incremental load state: which value each
 * decision holds, every computer's busy slots, every link's load per slot
 * with its peak, and the conflicts (slot-senders over a server's
 * max_jobs) where the real simulation would make computers wait.
 *
 * A computer's busy slots come from simulating its own queue exactly as
 * the load model does (first come first served, merged syncs, carried
 * over the cycle end); only max_jobs waiting is left to the full
 * simulation.  A move re-simulates the computers of the decision moved
 * (their jobs and busy slots) and updates the links where their busy
 * slots changed, each link's max segment tree once per run of changes.
 * A stg_state borrows its problem; free with stg_state_free(). */
#ifndef STG_STATE_H
#define STG_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "memo.h"
#include "problem.h"

typedef struct stg_state stg_state;

/* All decisions unplaced (only background on the links). */
stg_state *stg_state_new(const stg_problem *p);
void stg_state_free(stg_state *st);
/* A copy of the placement (same problem). */
stg_state *stg_state_clone(const stg_state *st);

const stg_problem *stg_state_problem(const stg_state *st);

/* Lends st a memo of its problem's computers' busy slots (memo.h),
 * which its simulations recall and keep from then on (NULL: none);
 * st's clones have none.  The caller keeps the memo alive while st
 * uses it. */
void stg_state_use_memo(stg_state *st, stg_memo *m);

/* Placing or removing a decision re-simulates computers; when that runs
 * out of memory the state keeps the old profiles, and stg_state_oom()
 * says so from then on (clones too): its scores are stale, and the
 * search that made it must end with out of memory. */
void stg_state_place(stg_state *st, int d, int vi);
bool stg_state_oom(const stg_state *st);
void stg_state_remove(stg_state *st, int d);
/* Value index decision d holds, or -1. */
int stg_state_value(const stg_state *st, int d);
/* Whether computer c sends in slot t. */
int stg_state_busy(const stg_state *st, int c, int t);

int64_t stg_state_peak(const stg_state *st, int link);
/* Slots at the peak. */
int stg_state_peak_count(const stg_state *st, int link);
double stg_state_util(const stg_state *st, int link);
int64_t stg_state_load(const stg_state *st, int link, int slot);
long stg_state_conflicts(const stg_state *st);

/* Links decision d puts load on, and decisions that put load on a link. */
const int *stg_state_dec_links(const stg_state *st, int d, int *n);
const int *stg_state_link_decs(const stg_state *st, int link, int *n);

/* A score over a set of links, for comparing the state before and after
 * a move: their peak utilizations sorted from the highest (compared
 * lexicographically, lower is better: leximax), then the conflicts, then
 * the slots at each peak. */
typedef struct {
    int n;
    double util[64];
    int count[64];
    long conflicts;
} stg_score;

/* Scores the links (at most 64; more are summarized by their top 64). */
void stg_state_score(const stg_state *st, const int *links, int n,
                     stg_score *out);
/* <0 when a is better than b, 0 when equal, >0 when worse. */
int stg_score_cmp(const stg_score *a, const stg_score *b);

/* Compares two states over all links: the sorted peak vectors, then the
 * conflicts, then the peak counts.  <0 when a is better. */
int stg_state_cmp(const stg_state *a, const stg_state *b);
/* The same with link l's utilization counted as floor[l] where it is no
 * higher, with no slots at its peak (floor NULL: stg_state_cmp()): with
 * floor the utilization of a link out of risk, the order on the links at
 * risk. */
int stg_state_cmp_above(const stg_state *a, const stg_state *b,
                        const double *floor);

/* Scores unplaced decision d at value vi over links (stg_state_score)
 * and leaves d unplaced: its computers are simulated with it at vi and
 * the links' peaks computed from the loads as they are plus what
 * changes, without changing the state (the same score as placing d,
 * scoring and taking it out again, in a fraction of the time). */
void stg_state_try(stg_state *st, int d, int vi, const int *links, int nl,
                   stg_score *out);

/* A new state with every decision placed at the value of settings s
 * (or the nearest, stg_problem_value_index()); NULL when out of memory. */
stg_state *stg_state_placed(const stg_problem *p, const stg_settings *s);

/* Writes every placed decision's value into settings. */
void stg_state_settings(const stg_state *st, stg_settings *s);

#endif
