/* stagger: one computer's transfer queue (see queue.h). */
#include "queue.h"

#include <string.h>

#include "alloc.h"

void stg_queue_init(stg_queue *q)
{
    memset(q, 0, sizeof *q);
}

void stg_queue_free(stg_queue *q)
{
    stg_free(q->q);
    stg_queue_init(q);
}

void stg_queue_clear(stg_queue *q)
{
    q->head = q->n = 0;
}

int stg_queue_release(stg_queue *q, const stg_qentry *e)
{
    if (e->sync)
        for (size_t i = q->head; i < q->n; i++)
            if (q->q[i].sync && q->q[i].group == e->group) {
                q->q[i].remaining += e->volume;
                q->q[i].volume += e->volume;
                return 0;
            }
    if (q->head > 0 && q->n == q->cap) {
        memmove(q->q, q->q + q->head, (q->n - q->head) * sizeof *q->q);
        q->n -= q->head;
        q->head = 0;
    }
    if (stg_grow((void **)&q->q, &q->cap, q->n + 1, sizeof *q->q))
        return -1;
    stg_qentry *x = &q->q[q->n++];
    *x = *e;
    x->remaining = e->volume;
    x->start = -1;
    return 0;
}

/* stg_queue_send(), inline for stg_queue_cycle()'s loop (the same code:
 * the simulation and the planner's queues must move the same bytes). */
static inline int send(stg_queue *q, double bytes, long now, int len,
                       stg_qdone_fn done, void *arg)
{
    while (q->head < q->n && bytes > 0) {
        stg_qentry *e = &q->q[q->head];
        if (e->start < 0)
            e->start = now;
        double take = e->remaining < bytes ? e->remaining : bytes;
        e->remaining -= take;
        bytes -= take;
        if (e->remaining > e->volume * 1e-12)
            break;
        q->head++;
        int rc = done ? done(arg, e, now + len) : 0;
        if (rc)
            return rc;
    }
    if (q->head == q->n)
        q->head = q->n = 0;
    return 0;
}

int stg_queue_send(stg_queue *q, double bytes, long now, int len,
                   stg_qdone_fn done, void *arg)
{
    return send(q, bytes, now, len, done, arg);
}

static int job_cmp(const stg_qjob *a, int ka, const stg_qjob *b, int kb)
{
    if (a->release != b->release)
        return a->release < b->release ? -1 : 1;
    return (ka > kb) - (ka < kb);
}

void stg_queue_order(stg_qjob *jobs, int *key, int n, stg_qjob *tmp_jobs,
                     int *tmp_key, int *run)
{
    int nr = 0;
    for (int i = 0; i < n; i++)
        if (i == 0 || job_cmp(&jobs[i - 1], key[i - 1], &jobs[i], key[i]) > 0)
            run[nr++] = i;
    run[nr] = n;
    stg_qjob *sj = jobs, *dj = tmp_jobs;
    int *sk = key, *dk = tmp_key;
    while (nr > 1) {
        int m = 0;
        for (int r = 0; r < nr; r += 2) {
            int a = run[r], mid = run[r + 1];
            int e = r + 2 <= nr ? run[r + 2] : mid;
            int i = a, j = mid, k = a;
            while (i < mid || j < e) {
                /* the left one on ties: stable */
                int from = j >= e || (i < mid &&
                           job_cmp(&sj[j], sk[j], &sj[i], sk[i]) >= 0) ? i++ : j++;
                dj[k] = sj[from];
                dk[k++] = sk[from];
            }
            run[m++] = a;
        }
        run[m] = n;
        nr = m;
        stg_qjob *tj = sj;
        sj = dj;
        dj = tj;
        int *tk = sk;
        sk = dk;
        dk = tk;
    }
    if (sj != jobs) {
        memcpy(jobs, sj, sizeof *jobs * (size_t)n);
        memcpy(key, sk, sizeof *key * (size_t)n);
    }
}

/* stg_queue_cycle's done: counts the slots a check ends late. */
static int count_late(void *arg, const stg_qentry *e, long end)
{
    int *late = arg;
    if (e->deadline >= 0 && end > e->deadline)
        *late += (int)(end - e->deadline);
    return 0;
}

int stg_queue_cycle(stg_queue *q, const stg_qjob *jobs, int n,
                    const double *bytes, int N, unsigned char *busy,
                    int *late)
{
    stg_queue_clear(q);
    for (int pass = 0; pass < 2; pass++) {
        memset(busy, 0, (size_t)N);
        *late = 0;
        int next = 0;
        for (int t = 0; t < N; t++) {
            if (stg_queue_empty(q)) {   /* idle: on to the next release */
                if (next >= n)
                    break;
                if (jobs[next].release > t)
                    t = jobs[next].release;
            }
            for (; next < n && jobs[next].release == t; next++) {
                const stg_qjob *j = &jobs[next];
                stg_qentry e = { .volume = j->volume, .job = next,
                                 .group = j->group, .deadline = j->deadline,
                                 .sync = j->sync };
                if (stg_queue_release(q, &e))
                    return -1;
            }
            if (stg_queue_empty(q))
                continue;
            busy[t] = 1;
            /* slots are counted from the cycle start: a slot's end is t+1 */
            send(q, bytes[t], t, 1, count_late, late);
        }
        if (stg_queue_empty(q))
            break;              /* empty at the cycle end: it repeats */
        /* carried into the next cycle: deadlines in its frame */
        for (size_t m = q->head; m < q->n; m++)
            if (q->q[m].deadline >= 0)
                q->q[m].deadline -= N;
    }
    return 0;
}
