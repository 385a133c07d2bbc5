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

/* --- help from idle threads --------------------------------------------- */

enum { JOB_OFFERED, JOB_TAKEN, JOB_DONE, JOB_KEPT };

struct stg_pool_board {
    pthread_mutex_t *lock;
    pthread_cond_t *wake;
    stg_pool_job *first, *last;         /* offered, not taken */
};

stg_pool_board *stg_pool_board_new(pthread_mutex_t *lock,
                                   pthread_cond_t *wake)
{
    stg_pool_board *b = stg_calloc(1, sizeof *b);
    if (b) {
        b->lock = lock;
        b->wake = wake;
    }
    return b;
}

void stg_pool_board_free(stg_pool_board *b)
{
    stg_free(b);
}

void stg_pool_offer(stg_pool_board *b, stg_pool_job *j, void (*fn)(void *),
                    void *arg)
{
    j->fn = fn;
    j->arg = arg;
    j->next = NULL;
    if (!b) {
        j->state = JOB_KEPT;
        return;
    }
    pthread_mutex_lock(b->lock);
    j->state = JOB_OFFERED;
    if (b->last)
        b->last->next = j;
    else
        b->first = j;
    b->last = j;
    pthread_cond_broadcast(b->wake);
    pthread_mutex_unlock(b->lock);
}

/* Under b's lock: the first job offered (now taken), or NULL. */
static stg_pool_job *take(stg_pool_board *b)
{
    stg_pool_job *j = b ? b->first : NULL;
    if (j) {
        b->first = j->next;
        if (!b->first)
            b->last = NULL;
        j->next = NULL;
        j->state = JOB_TAKEN;
    }
    return j;
}

/* Under b's lock: j, taken, has run. */
static void done(stg_pool_board *b, stg_pool_job *j)
{
    j->state = JOB_DONE;
    pthread_cond_broadcast(b->wake);
}

bool stg_pool_help_once(stg_pool_board *b)
{
    stg_pool_job *j = take(b);
    if (!j)
        return false;
    pthread_mutex_unlock(b->lock);
    j->fn(j->arg);
    pthread_mutex_lock(b->lock);
    done(b, j);
    return true;
}

bool stg_pool_withdraw(stg_pool_board *b, stg_pool_job *j)
{
    if (!b)
        return false;
    bool ran = true;
    /* a helper may be changing j->state: read it under the lock */
    pthread_mutex_lock(b->lock);
    if (j->state == JOB_OFFERED) {
        stg_pool_job **at = &b->first, *prev = NULL;
        while (*at != j) {
            prev = *at;
            at = &(*at)->next;
        }
        *at = j->next;
        if (b->last == j)
            b->last = prev;
        j->state = JOB_KEPT;
        ran = false;
    }
    while (j->state == JOB_TAKEN)
        pthread_cond_wait(b->wake, b->lock);
    pthread_mutex_unlock(b->lock);
    return ran;
}
