/* stagger: one computer's transfer queue, as the load model of fleet.md
 * defines it, implemented once:
 *
 *  - first come, first served: each slot moves its bytes from the head
 *    on, what a finishing job leaves of the slot going to the next one;
 *  - a sync released while the previous sync of its group is still
 *    queued (or sending) merges into it: one transfer, the volumes added;
 *  - the queue carries over the cycle end.
 *
 * The simulation (sim.c) runs one queue per computer and decides, slot
 * by slot, which computers may send (a server's max_jobs); the planner's
 * search state and its exact solver run a computer alone, which
 * stg_queue_cycle() does.  A stg_queue owns its entries; free them with
 * stg_queue_free(). */
#ifndef STG_QUEUE_H
#define STG_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    double remaining, volume;   /* bytes left; bytes in all (merged: the sum) */
    int job;                    /* the caller's: its first job */
    int group;
    int cyc;                    /* the caller's: cycle of its release */
    long start;                 /* seconds its first byte moved; -1 before */
    int deadline;               /* the caller's (a check's window end); -1 */
    bool sync;
    double vol0, rem0;          /* the caller's (volume and remaining when a
                                   cycle began; 0 for entries since) */
} stg_qentry;

typedef struct {
    stg_qentry *q;
    size_t head, n, cap;        /* the entries queued: q[head..n) */
} stg_queue;

/* An empty queue (all zero is one too). */
void stg_queue_init(stg_queue *q);
void stg_queue_free(stg_queue *q);
void stg_queue_clear(stg_queue *q);

static inline bool stg_queue_empty(const stg_queue *q)
{
    return q->head == q->n;
}

/* Enqueues e (remaining = volume, start = -1 are set here), or merges a
 * sync into its group's queued sync.  Returns 0, or -1 when out of
 * memory. */
int stg_queue_release(stg_queue *q, const stg_qentry *e);

/* Called for each entry that finishes, with the end of the slot it
 * finished in; a nonzero return stops stg_queue_send() with it. */
typedef int (*stg_qdone_fn)(void *arg, const stg_qentry *e, long end);

/* Sends one slot of len seconds starting at now (seconds), moving up to
 * bytes from the head on.  Returns 0, or what done returned. */
int stg_queue_send(stg_queue *q, double bytes, long now, int len,
                   stg_qdone_fn done, void *arg);

/* A job of a computer that sends alone (no server makes it wait). */
typedef struct {
    int release;                /* slot, 0 .. N-1 */
    int group;
    bool sync;
    int deadline;               /* a check's window end (slot, may pass N);
                                   -1 for other jobs */
    double volume;
} stg_qjob;

/* Puts jobs[0..n) in first come, first served order: by release, then
 * key[] (the load model's ties: its caller's), stably; key[] moves with
 * them.  A computer's jobs come decision by decision, each decision's in
 * order but for the cycle's wrap: a few sorted runs, merged pairwise.
 * Scratch: tmp_jobs and tmp_key with room for n, run for n + 1. */
void stg_queue_order(stg_qjob *jobs, int *key, int n, stg_qjob *tmp_jobs,
                     int *tmp_key, int *run);

/* Runs a computer alone over the cycle of N slots: jobs[0..n) in first
 * come, first served order (by release, then the load model's ties),
 * bytes[t] what it moves in slot t.  The cycle is run from an empty
 * queue; when something is left at its end, once more with that carried
 * in (the wrapped cycle).  busy[0..N) receives the slots it sends in (of
 * that last run), *late the slots by which checks end after their
 * deadlines.  q is scratch (left empty or holding what never got sent).
 * Returns 0, or -1 when out of memory. */
int stg_queue_cycle(stg_queue *q, const stg_qjob *jobs, int n,
                    const double *bytes, int N, unsigned char *busy,
                    int *late);

#endif
