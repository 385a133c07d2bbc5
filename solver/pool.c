/* stagger: a fixed pool of threads (see pool.h). */
#include "pool.h"

#include <pthread.h>
#include <unistd.h>

#include "model/alloc.h"

typedef struct {
    pthread_mutex_t lock;
    int next, n;
    stg_task_fn fn;
    void *arg;
} pool;

static void *worker(void *arg)
{
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        int task = pl->next < pl->n ? pl->next++ : -1;
        pthread_mutex_unlock(&pl->lock);
        if (task < 0)
            return NULL;
        pl->fn(pl->arg, task);
    }
}

void stg_pool_run(int n, int threads, stg_task_fn fn, void *arg)
{
    pool pl = { .next = 0, .n = n, .fn = fn, .arg = arg };
    if (threads > n)
        threads = n;
    pthread_t *th = threads > 1
        ? stg_calloc((size_t)threads, sizeof *th) : NULL;
    int started = 0;
    if (th && pthread_mutex_init(&pl.lock, NULL) == 0) {
        for (int i = 1; i < threads; i++)
            if (pthread_create(&th[started], NULL, worker, &pl) == 0)
                started++;
        worker(&pl);
        for (int i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        pthread_mutex_destroy(&pl.lock);
    } else {
        for (int i = 0; i < n; i++)
            fn(arg, i);
    }
    stg_free(th);
}

int stg_pool_cores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 ? (int)(n < 256 ? n : 256) : 1;
}
