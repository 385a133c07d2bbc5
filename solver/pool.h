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

typedef void (*stg_task_fn)(void *arg, int task);

void stg_pool_run(int n, int threads, stg_task_fn fn, void *arg);

/* The number of processors online (at least 1). */
int stg_pool_cores(void);

#endif
