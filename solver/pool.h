/* stagger: a fixed pool of threads for independent tasks.
 *
 * stg_pool_run() runs fn(arg, i) for every task i in 0..n-1 on up to
 * threads threads (the calling thread is one of them) and returns when
 * all are done.  Tasks are taken in order by whichever thread is free,
 * so a task's result must depend on the task alone (each writes its own
 * slot of the caller's results): the outcome is then the same for any
 * number of threads.  When a thread cannot be started, its share runs
 * on the others. */
#ifndef STG_POOL_H
#define STG_POOL_H

#include <pthread.h>
#include <stdbool.h>

typedef void (*stg_task_fn)(void *arg, int task);

void stg_pool_run(int n, int threads, stg_task_fn fn, void *arg);

/* The number of processors online (at least 1). */
int stg_pool_cores(void);

/* Help from idle threads.  A pool whose threads sometimes have nothing
 * to do (a round's workers with no part left to take) keeps a board of
 * jobs under its own lock.  A task with work that may run beside its
 * own (another order of the same search) offers it there
 * (stg_pool_offer()); an idle thread, holding the lock, takes and runs
 * it (stg_pool_help_once(), the lock released while it runs); the
 * task gets it back when it needs it (stg_pool_withdraw()): a job no
 * thread took is withdrawn (the caller runs it itself if it still wants
 * it), one taken is waited for.  Whether help came changes only when a
 * job runs, never what it computes.
 *
 * The board borrows its owner's lock and condition (the owner frees
 * them after the board); a job's storage is its offerer's and must
 * outlive stg_pool_withdraw().  With a NULL board nothing is offered
 * and nothing is ever taken. */
typedef struct stg_pool_board stg_pool_board;

typedef struct stg_pool_job {
    void (*fn)(void *arg);
    void *arg;
    int state;                  /* (pool.c) */
    struct stg_pool_job *next;
} stg_pool_job;

/* A board under lock, its changes broadcast on wake; NULL when out of
 * memory.  Free with stg_pool_board_free() (no job may be on it). */
stg_pool_board *stg_pool_board_new(pthread_mutex_t *lock,
                                   pthread_cond_t *wake);
void stg_pool_board_free(stg_pool_board *b);

/* Puts fn(arg) on board b (NULL: keeps it for the caller). */
void stg_pool_offer(stg_pool_board *b, stg_pool_job *j, void (*fn)(void *),
                    void *arg);
/* Under b's lock: takes the first job offered and runs it (the lock
 * released meanwhile); false when none was offered. */
bool stg_pool_help_once(stg_pool_board *b);
/* Takes j off board b: returns true when a thread ran it (waiting for
 * the end of it), false when none took it (it never ran). */
bool stg_pool_withdraw(stg_pool_board *b, stg_pool_job *j);

#endif
