/* stagger: the busy slots of a computer's queue remembered by the values
 * they depend on.
 *
 * A local search simulates a computer's queue (state.c) for every value
 * it tries of a decision on it; the descent tries the same decision
 * again whenever a move on one of its links unsettles it, with the
 * computer's own decisions where they were, and a week's queue is
 * 10,080 slots.  A memo keeps the busy slots and late count of recent
 * simulations under the values of the decisions the queue depends on
 * (those with a job on the computer, and the express fulls' previous
 * ones and checks, which set what they carry), compared in full: a
 * recalled row is the simulation's, to the byte, and a search with a
 * memo makes the same moves as one without.
 *
 * Set-associative, the least recently used of a set replaced, at most
 * the budget's bytes and no more rows than the problem has values of a
 * decision on a computer.  A memo borrows its problem (which must not
 * change while the memo lives) and is used by one thread at a time;
 * free with stg_memo_free(). */
#ifndef STG_MEMO_H
#define STG_MEMO_H

#include <stdbool.h>
#include <stddef.h>

#include "problem.h"

typedef struct stg_memo stg_memo;

/* A memo for p's computers of at most about budget bytes (NULL when out
 * of memory). */
stg_memo *stg_memo_new(const stg_problem *p, size_t budget);
void stg_memo_free(stg_memo *m);

/* Computer c's busy slots (p->nslots, into busy) and late count under
 * values (per decision: value index or -1) when the memo holds them. */
bool stg_memo_recall(stg_memo *m, int c, const int *values,
                     unsigned char *busy, int *late);
/* Keeps them, in place of the least recently used of their set. */
void stg_memo_keep(stg_memo *m, int c, const int *values,
                   const unsigned char *busy, int late);

/* Recalls that found a row and those that did not, so far. */
void stg_memo_counts(const stg_memo *m, long *hits, long *misses);

#endif
