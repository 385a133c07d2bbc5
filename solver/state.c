/* stagger: incremental union-model load state: per link the load of
 * every slot, the peak and its count per block of BLOCK slots, and over
 * the cycle. */
#include "state.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "model/queue.h"
#include "memo.h"
#include "trace.h"

/* Slots per block: a move refreshes the blocks its changes touch (a
 * straight scan the compiler vectorizes), then the link's blocks. */
#define BLOCK 64
/* Computers of one decision stg_state_try scores without placing it. */
#define TRY_MAX 8

struct stg_state {
    const stg_problem *p;
    int N, NB, nlinks, ncomputers, nservers;
    int *value;                 /* per decision: value index or -1 */
    unsigned char *busy;        /* ncomputers x N */
    int64_t *load;              /* nlinks x N */
    int64_t *bmax;              /* nlinks x NB: each block's peak */
    int *bcnt;                  /*   and the slots at it */
    int64_t *gmax;              /* nlinks: the link's peak */
    int *gcnt;                  /*   and the slots at it */
    int *srv_busy;              /* nservers x N */
    long overjobs;
    long late;                  /* slots checks end after their windows */
    int *late_c;                /* per computer */
    int nb_late;                /* of the last simulation */
    /* scratch for one computer's queue simulation */
    stg_qjob *qj, *tmp_qj;      /* its jobs; stg_queue_order()'s scratch */
    int *qkey, *tmp_key, *run;  /*   their tie order; the same */
    size_t cap;
    stg_queue queue;
    unsigned char *nb;
    unsigned char *dirty;       /* nlinks x NB: block peak to rescan */
    /* stg_state_try: the decision's computers (tried_c), their busy
     * slots with the value tried, which blocks of them changed, their
     * late slots */
    unsigned char *tried;       /* TRY_MAX x N */
    unsigned char *changed;     /* TRY_MAX x NB */
    int *cslot;                 /* TRY_MAX x N: the slots where each
                                   changes, in order, */
    int64_t *cdelta;            /*   the load it adds there, */
    int *coff;                  /*   TRY_MAX x (NB + 1): where each
                                   block's begin in them */
    int64_t *dmax;              /* TRY_MAX x NB: the most it adds in a
                                   changed block (0 at least) */
    int tried_c[TRY_MAX];
    int tried_late[TRY_MAX];
    int *dl_off, *dl;           /* decision -> links */
    int *ld_off, *ld;           /* link -> decisions */
    bool oom;                   /* a re-simulation ran out of memory */
    stg_memo *memo;             /* borrowed (stg_state_use_memo()); NULL */
    unsigned char *again;       /* N: a recalled queue run again
                                   (STAGGER_CHECK); NULL until then */
};

/* The peak of n loads and how many slots reach it. */
static void peak_of(const int64_t *v, const int *cnt, int n, int64_t *mx,
                    int *ct)
{
    int64_t m = v[0];
    for (int i = 1; i < n; i++)
        m = v[i] > m ? v[i] : m;
    int c = 0;
    if (cnt) {
        for (int i = 0; i < n; i++)
            c += v[i] == m ? cnt[i] : 0;
    } else {
        for (int i = 0; i < n; i++)
            c += v[i] == m;
    }
    *mx = m;
    *ct = c;
}

/* Recomputes block b of link l from its slots. */
static void block_refresh(stg_state *st, int l, int b)
{
    int a = b * BLOCK, e = a + BLOCK < st->N ? a + BLOCK : st->N;
    long i = (long)l * st->NB + b;
    peak_of(st->load + (long)l * st->N + a, NULL, e - a, &st->bmax[i],
            &st->bcnt[i]);
}

/* Recomputes link l's peak from its blocks. */
static void link_refresh(stg_state *st, int l)
{
    long o = (long)l * st->NB;
    peak_of(st->bmax + o, st->bcnt + o, st->NB, &st->gmax[l], &st->gcnt[l]);
}

void stg_state_free(stg_state *st)
{
    if (!st)
        return;
    stg_free(st->value);
    stg_free(st->busy);
    stg_free(st->qj);
    stg_free(st->tmp_qj);
    stg_free(st->qkey);
    stg_free(st->tmp_key);
    stg_free(st->run);
    stg_queue_free(&st->queue);
    stg_free(st->nb);
    stg_free(st->dirty);
    stg_free(st->tried);
    stg_free(st->changed);
    stg_free(st->cslot);
    stg_free(st->cdelta);
    stg_free(st->coff);
    stg_free(st->dmax);
    stg_free(st->late_c);
    stg_free(st->load);
    stg_free(st->bmax);
    stg_free(st->bcnt);
    stg_free(st->gmax);
    stg_free(st->gcnt);
    stg_free(st->srv_busy);
    stg_free(st->dl_off);
    stg_free(st->dl);
    stg_free(st->ld_off);
    stg_free(st->ld);
    stg_free(st->again);
    stg_free(st);
}

/* decision -> links (union of its computers' paths), link -> decisions */
static int build_adjacency(stg_state *st)
{
    const stg_problem *p = st->p;
    const stg_fleet *f = p->fleet;
    int nd = p->ndecisions, L = st->nlinks;
    int rc = -1;
    int *mark = stg_calloc((size_t)L + 1, sizeof *mark);
    int *deg = stg_calloc((size_t)L + 1, sizeof *deg);
    st->dl_off = stg_calloc((size_t)nd + 1, sizeof *st->dl_off);
    st->ld_off = stg_calloc((size_t)L + 1, sizeof *st->ld_off);
    if (!mark || !deg || !st->dl_off || !st->ld_off)
        goto out;
    size_t total = 0;
    for (int pass = 0; pass < 2; pass++) {
        total = 0;
        for (int d = 0; d < nd; d++) {
            st->dl_off[d] = (int)total;
            for (int j = 0; j < p->dec[d].ncomputers; j++) {
                const stg_computer *cp = &f->computers[p->dec[d].computers[j]];
                for (int i = 0; i < cp->nfull_path; i++) {
                    int l = cp->full_path[i];
                    if (mark[l] == d + 1 + pass * nd)
                        continue;
                    mark[l] = d + 1 + pass * nd;
                    if (pass)
                        st->dl[total] = l;
                    else
                        deg[l]++;
                    total++;
                }
            }
        }
        st->dl_off[nd] = (int)total;
        if (!pass) {
            st->dl = stg_malloc(sizeof *st->dl * (total + 1));
            if (!st->dl)
                goto out;
        }
    }
    for (int l = 0; l < L; l++)
        st->ld_off[l + 1] = st->ld_off[l] + deg[l];
    st->ld = stg_malloc(sizeof *st->ld * (total + 1));
    if (!st->ld)
        goto out;
    memset(deg, 0, sizeof *deg * (size_t)L);
    for (int d = 0; d < nd; d++)
        for (int k = st->dl_off[d]; k < st->dl_off[d + 1]; k++) {
            int l = st->dl[k];
            st->ld[st->ld_off[l] + deg[l]++] = d;
        }
    rc = 0;
out:
    stg_free(mark);
    stg_free(deg);
    return rc;
}

stg_state *stg_state_new(const stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    stg_state *st = stg_calloc(1, sizeof *st);
    if (!st)
        return NULL;
    st->p = p;
    st->N = p->nslots;
    st->NB = (st->N + BLOCK - 1) / BLOCK;
    st->nlinks = f->nlinks;
    st->ncomputers = f->ncomputers;
    st->nservers = f->nservers;
    size_t L = (size_t)st->nlinks, N = (size_t)st->N, NB = (size_t)st->NB;
    st->value = stg_malloc(sizeof *st->value * (size_t)(p->ndecisions + 1));
    st->busy = stg_calloc((size_t)st->ncomputers * (size_t)st->N + 1, 1);
    st->nb = stg_malloc((size_t)st->N + 1);
    st->dirty = stg_calloc(L * NB + 1, 1);
    st->tried = stg_malloc((size_t)TRY_MAX * (size_t)st->N + 1);
    st->changed = stg_malloc((size_t)TRY_MAX * (size_t)st->NB + 1);
    st->cslot = stg_malloc(sizeof *st->cslot * TRY_MAX * (size_t)st->N + 1);
    st->cdelta = stg_malloc(sizeof *st->cdelta * TRY_MAX * (size_t)st->N + 1);
    st->coff = stg_malloc(sizeof *st->coff * TRY_MAX * (size_t)(st->NB + 1));
    st->dmax = stg_malloc(sizeof *st->dmax * TRY_MAX * (size_t)st->NB + 1);
    st->late_c = stg_calloc((size_t)st->ncomputers + 1, sizeof *st->late_c);
    st->load = stg_malloc(sizeof *st->load * L * N + 1);
    st->bmax = stg_malloc(sizeof *st->bmax * L * NB + 1);
    st->bcnt = stg_malloc(sizeof *st->bcnt * L * NB + 1);
    st->gmax = stg_malloc(sizeof *st->gmax * L + 1);
    st->gcnt = stg_malloc(sizeof *st->gcnt * L + 1);
    st->srv_busy = stg_calloc((size_t)st->nservers * (size_t)st->N + 1,
                              sizeof *st->srv_busy);
    if (!st->value || !st->busy || !st->nb || !st->tried || !st->changed ||
        !st->cslot || !st->cdelta || !st->coff || !st->dmax ||
        !st->late_c ||
        !st->load || !st->bmax || !st->bcnt || !st->gmax || !st->gcnt ||
        !st->srv_busy || !st->dirty || build_adjacency(st)) {
        stg_state_free(st);
        return NULL;
    }
    for (int d = 0; d < p->ndecisions; d++)
        st->value[d] = -1;
    for (int l = 0; l < st->nlinks; l++) {
        int64_t *ld = st->load + (long)l * st->N;
        for (int t = 0; t < st->N; t++)
            ld[t] = llround(stg_link_background_at(f, &f->links[l], t * p->res));
        for (int b = 0; b < st->NB; b++)
            block_refresh(st, l, b);
        link_refresh(st, l);
    }
    return st;
}

static void *dup(const void *src, size_t size)
{
    void *d = stg_malloc(size ? size : 1);
    if (d && size)
        memcpy(d, src, size);
    return d;
}

stg_state *stg_state_clone(const stg_state *src)
{
    const stg_problem *p = src->p;
    stg_state *st = stg_calloc(1, sizeof *st);
    if (!st)
        return NULL;
    *st = *src;
    size_t L = (size_t)st->nlinks, N = (size_t)st->N, NB = (size_t)st->NB;
    int nd = p->ndecisions;
    st->value = dup(src->value, sizeof *st->value * (size_t)nd);
    st->busy = dup(src->busy, (size_t)st->ncomputers * st->N);
    st->nb = stg_malloc((size_t)st->N + 1);
    st->dirty = stg_calloc(L * NB + 1, 1);
    st->tried = stg_malloc((size_t)TRY_MAX * (size_t)st->N + 1);
    st->changed = stg_malloc((size_t)TRY_MAX * (size_t)st->NB + 1);
    st->cslot = stg_malloc(sizeof *st->cslot * TRY_MAX * (size_t)st->N + 1);
    st->cdelta = stg_malloc(sizeof *st->cdelta * TRY_MAX * (size_t)st->N + 1);
    st->coff = stg_malloc(sizeof *st->coff * TRY_MAX * (size_t)(st->NB + 1));
    st->dmax = stg_malloc(sizeof *st->dmax * TRY_MAX * (size_t)st->NB + 1);
    st->late_c = dup(src->late_c, sizeof *st->late_c * (size_t)st->ncomputers);
    st->memo = NULL;
    st->again = NULL;
    st->qj = st->tmp_qj = NULL;
    st->qkey = st->tmp_key = st->run = NULL;
    st->cap = 0;
    stg_queue_init(&st->queue);
    st->load = dup(src->load, sizeof *st->load * L * N);
    st->bmax = dup(src->bmax, sizeof *st->bmax * L * NB);
    st->bcnt = dup(src->bcnt, sizeof *st->bcnt * L * NB);
    st->gmax = dup(src->gmax, sizeof *st->gmax * L);
    st->gcnt = dup(src->gcnt, sizeof *st->gcnt * L);
    st->srv_busy = dup(src->srv_busy,
                       sizeof *st->srv_busy * (size_t)st->nservers * st->N);
    st->dl_off = dup(src->dl_off, sizeof *st->dl_off * (size_t)(nd + 1));
    st->dl = dup(src->dl, sizeof *st->dl * (size_t)src->dl_off[nd]);
    st->ld_off = dup(src->ld_off, sizeof *st->ld_off * (L + 1));
    st->ld = dup(src->ld, sizeof *st->ld * (size_t)src->ld_off[L]);
    if (!st->value || !st->busy || !st->nb || !st->tried || !st->changed ||
        !st->cslot || !st->cdelta || !st->coff || !st->dmax ||
        !st->late_c ||
        !st->load || !st->bmax || !st->bcnt || !st->gmax || !st->gcnt ||
        !st->srv_busy || !st->dl_off || !st->dl || !st->ld_off || !st->ld ||
        !st->dirty) {
        stg_state_free(st);
        return NULL;
    }
    return st;
}

/* Rescans link l's blocks whose peak a removal left unknown, then
 * recomputes its peak from the blocks. */
static void refresh_link(stg_state *st, int l)
{
    unsigned char *dirty = st->dirty + (long)l * st->NB;
    for (int b = 0; b < st->NB; b++)
        if (dirty[b]) {
            block_refresh(st, l, b);
            dirty[b] = 0;
        }
    link_refresh(st, l);
}

/* Adds r to link l's load at slot t, keeping its block's peak and count
 * where it can: only a slot that leaves a block's peak while no other
 * reaches it leaves the block to rescan. */
static inline void add_load(stg_state *st, int l, int t, int64_t r)
{
    int64_t *ld = st->load + (long)l * st->N + t;
    long i = (long)l * st->NB + t / BLOCK;
    int64_t old = *ld, now = old + r;
    *ld = now;
    if (st->dirty[i])
        return;
    int64_t *bm = &st->bmax[i];
    int *bc = &st->bcnt[i];
    if (old == *bm)
        --*bc;
    if (now > *bm) {
        *bm = now;
        *bc = 1;
    } else if (now == *bm) {
        ++*bc;
    } else if (*bc == 0) {
        st->dirty[i] = 1;
    }
}

/* Adds delta to a server's senders in a slot (*srv); returns how much
 * that changes the senders over max_jobs mj. */
static inline int server_add(int *srv, int mj, int delta)
{
    int before = *srv > mj ? *srv - mj : 0;
    *srv += delta;
    return (*srv > mj ? *srv - mj : 0) - before;
}

/* Applies computer c's busy change on slots [a, b) (no wrap) where
 * st->nb differs from st->busy: link loads and server counts (the
 * caller refreshes the links' peaks). */
static void apply_range(stg_state *st, int c, int a, int b)
{
    const stg_problem *p = st->p;
    const stg_fleet *f = p->fleet;
    const stg_computer *cp = &f->computers[c];
    int sv = cp->server;
    int mj = f->servers[sv].max_jobs;
    int bind = p->binding[sv];
    unsigned char *old = st->busy + (long)c * st->N;
    const int64_t *rate = stg_problem_rates(p, c);
    int *srv = st->srv_busy + (long)sv * st->N;
    for (int t = a; t < b; t++) {
        if (old[t] == st->nb[t])
            continue;
        int delta = st->nb[t] ? 1 : -1;
        old[t] = st->nb[t];
        int64_t r = rate[t] * delta;
        for (int i = 0; i < cp->nfull_path; i++)
            add_load(st, cp->full_path[i], t, r);
        if (bind)
            st->overjobs += server_add(&srv[t], mj, delta);
        else
            srv[t] += delta;
    }
}

/* Runs computer c's queue over the cycle (model/queue.h: the load
 * model's queue, the computer alone) into busy (N slots) and *late.
 * Returns -1 when out of memory. */
static int run_queue(stg_state *st, int c, unsigned char *busy, int *late)
{
    const stg_problem *p = st->p;
    size_t n = 0, need = (size_t)(p->cj_off[c + 1] - p->cj_off[c]) + 1;
    if (need > st->cap) {
        void **arr[] = { (void **)&st->qj, (void **)&st->tmp_qj,
                         (void **)&st->qkey, (void **)&st->tmp_key,
                         (void **)&st->run };
        size_t size[] = { sizeof *st->qj, sizeof *st->tmp_qj, sizeof *st->qkey,
                          sizeof *st->tmp_key, sizeof *st->run };
        for (size_t i = 0; i < sizeof arr / sizeof arr[0]; i++) {
            void *grown = stg_realloc(*arr[i], (need + 1) * size[i]);
            if (!grown)
                return -1;
            *arr[i] = grown;
        }
        st->cap = need;
    }
    n = (size_t)stg_problem_queue_jobs(p, c, st->value, false, st->qj,
                                       st->qkey, st->tmp_qj, st->tmp_key,
                                       st->run);
    return stg_queue_cycle(&st->queue, st->qj, (int)n,
                           stg_problem_slot_bytes(p, c), st->N, busy, late);
}

/* With STAGGER_CHECK: computer c's busy slots and late count recalled
 * from the memo against its queue run again; aborts where they differ. */
static void check_recall(stg_state *st, int c, const unsigned char *busy,
                         int late)
{
    int l2 = 0;
    if (!st->again)             /* once: a search's allocations stay few */
        st->again = stg_malloc((size_t)st->N + 1);
    if (st->again && !run_queue(st, c, st->again, &l2) &&
        (l2 != late || memcmp(st->again, busy, (size_t)st->N) != 0)) {
        fprintf(stderr, "stagger: check: the memo's busy slots of computer "
                "%s are not its queue's\n", st->p->fleet->computers[c].name);
        abort();
    }
}

/* Computer c's busy slots and late count with the decisions' values as
 * they are (st->value): recalled from the memo, or its queue run and
 * kept there.  Returns -1 when out of memory. */
static int simulate_computer(stg_state *st, int c, unsigned char *busy,
                             int *late)
{
    if (st->memo && stg_memo_recall(st->memo, c, st->value, busy, late)) {
        if (stg_check_on())
            check_recall(st, c, busy, *late);
        return 0;
    }
    if (run_queue(st, c, busy, late))
        return -1;
    if (st->memo)
        stg_memo_keep(st->memo, c, st->value, busy, *late);
    return 0;
}

/* Makes st->nb (and st->nb_late) computer c's busy slots, updating the
 * links where they change. */
static void apply_busy(stg_state *st, int c)
{
    unsigned char *old = st->busy + (long)c * st->N;
    int t = 0, N = st->N;
    st->late += st->nb_late - st->late_c[c];
    st->late_c[c] = st->nb_late;
    if (memcmp(old, st->nb, (size_t)N) == 0)
        return;
    while (t < N) {
        /* equal stretches a word at a time */
        while (t + 8 <= N && memcmp(old + t, st->nb + t, 8) == 0)
            t += 8;
        if (t >= N)
            break;
        if (old[t] == st->nb[t]) {
            t++;
            continue;
        }
        int a = t;
        /* a run of changes, allowing short equal gaps to share it */
        int last = t;
        while (t < N && t - last <= 8) {
            if (old[t] != st->nb[t])
                last = t;
            t++;
        }
        apply_range(st, c, a, last + 1);
        t = last + 1;
    }
    const stg_computer *cp = &st->p->fleet->computers[c];
    for (int i = 0; i < cp->nfull_path; i++)
        refresh_link(st, cp->full_path[i]);
}

/* Re-simulates computer c and applies what changed. */
static void refresh_computer(stg_state *st, int c)
{
    if (simulate_computer(st, c, st->nb, &st->nb_late)) {
        /* out of memory: keep the old profile, and remember it, so that
         * no search goes on from stale scores (stg_state_oom()) */
        st->oom = true;
        return;
    }
    apply_busy(st, c);
}

/* Re-simulates every computer decision d has a job on. */
static void refresh_decision(stg_state *st, int d)
{
    const stg_decision *dc = &st->p->dec[d];
    for (int j = 0; j < dc->ncomputers; j++)
        refresh_computer(st, dc->computers[j]);
}

static void score_insert(stg_score *s, double u, int c);

/* The server counts of the slots where computer k of st->tried_c is
 * busy otherwise in its row of st->tried (its changed blocks) moved by
 * sign (1: to that row, -1: back), the jobs over max_jobs kept in
 * *over. */
static void try_servers(stg_state *st, int k, int sign, long *over)
{
    const stg_fleet *f = st->p->fleet;
    int c = st->tried_c[k], sv = f->computers[c].server;
    if (sv < 0 || !st->p->binding[sv])
        return;
    int mj = f->servers[sv].max_jobs, N = st->N;
    const unsigned char *old = st->busy + (long)c * N;
    const unsigned char *busy = st->tried + (long)k * N;
    int *srv = st->srv_busy + (long)sv * N;
    for (int t = 0; t < N; t++) {
        if (!st->changed[(long)k * st->NB + t / BLOCK]) {
            t |= BLOCK - 1;     /* the block's last slot */
            continue;
        }
        if (old[t] == busy[t])
            continue;
        *over += server_add(&srv[t], mj, (busy[t] ? 1 : -1) * sign);
    }
}

/* Block b of link l with the changes of the computers on[0..n) of
 * st->tried_c, its loads ld: its peak and the slots at it into *bm,
 * *bc, which hold the block's peak and count without the changes.  One
 * computer: its changed slots alone, beside the old peak while a slot
 * left alone still holds it; else the block's loads with the changes
 * added. */
static void changed_block(const stg_state *st, const int *on, int n, int b,
                          const int64_t *ld, int64_t *bm, int *bc)
{
    int NB = st->NB, N = st->N;
    if (n == 1) {
        const int *off = st->coff + (long)on[0] * (NB + 1);
        const int *cs = st->cslot + (long)on[0] * N;
        const int64_t *cd = st->cdelta + (long)on[0] * N;
        int64_t cm = INT64_MIN;
        int cc = 0, left = *bc;
        for (int i = off[b]; i < off[b + 1]; i++) {
            int64_t x = ld[cs[i]];
            left -= x == *bm;
            x += cd[i];
            if (x > cm) {
                cm = x;
                cc = 1;
            } else if (x == cm) {
                cc++;
            }
        }
        if (left > 0) {
            /* a slot left alone holds the old peak */
            if (cm > *bm) {
                *bm = cm;
                *bc = cc;
            } else {
                *bc = left + (cm == *bm ? cc : 0);
            }
            return;
        }
    }
    int a = b * BLOCK, m = a + BLOCK < N ? BLOCK : N - a;
    int64_t v[BLOCK];
    memcpy(v, ld + a, sizeof *v * (size_t)m);
    for (int k = 0; k < n; k++) {
        const int *off = st->coff + (long)on[k] * (NB + 1);
        const int *cs = st->cslot + (long)on[k] * N;
        const int64_t *cd = st->cdelta + (long)on[k] * N;
        for (int i = off[b]; i < off[b + 1]; i++)
            v[cs[i] - a] += cd[i];
    }
    peak_of(v, NULL, m, bm, bc);
}

/* Link l's peak and the slots at it were the ncomp computers of
 * st->tried_c busy as in their rows of st->tried (their changed slots
 * and the load each adds in st->cslot, st->cdelta, by block in
 * st->coff, their blocks in st->changed, the most they add in a block
 * in st->dmax), the state left as it is.  The blocks no change reaches
 * keep their peaks; a changed block is looked at only when its peak
 * plus the most the changes add there reaches the peak so far. */
static void try_peak(const stg_state *st, int ncomp, int l, int64_t *peak,
                     int *count)
{
    const stg_fleet *f = st->p->fleet;
    int N = st->N, NB = st->NB, on[TRY_MAX], n = 0;
    for (int k = 0; k < ncomp; k++)
        if (stg_computer_crosses(&f->computers[st->tried_c[k]], l))
            on[n++] = k;
    if (n == 0) {
        *peak = st->gmax[l];
        *count = st->gcnt[l];
        return;
    }
    const int64_t *ld = st->load + (long)l * N;
    const int64_t *bmax = st->bmax + (long)l * NB;
    const int *bcnt = st->bcnt + (long)l * NB;
    int64_t pk = INT64_MIN;
    int cnt = 0;
    /* the blocks left alone, then the changed ones */
    for (int pass = 0; pass < 2; pass++)
        for (int b = 0; b < NB; b++) {
            int64_t bm = bmax[b], up = 0;
            int bc = bcnt[b];
            bool any = false;
            for (int i = 0; i < n; i++)
                if (st->changed[(long)on[i] * NB + b]) {
                    any = true;
                    up += st->dmax[(long)on[i] * NB + b];
                }
            if (any != (pass == 1) || (any && bm + up < pk))
                continue;
            if (any)
                changed_block(st, on, n, b, ld, &bm, &bc);
            if (bm > pk) {
                pk = bm;
                cnt = bc;
            } else if (bm == pk) {
                cnt += bc;
            }
        }
    *peak = pk;
    *count = cnt;
}

/* Lists where row k of st->tried differs from the busy slots old of its
 * computer: the slots, the load each change adds on the computer's
 * links, where each block begins in them, which blocks change and the
 * most a change adds in each (the slots compared eight at a time). */
static void list_changes(stg_state *st, int k, const unsigned char *row,
                         const unsigned char *old)
{
    int N = st->N, NB = st->NB;
    const int64_t *rate = stg_problem_rates(st->p, st->tried_c[k]);
    int *cs = st->cslot + (long)k * N, *off = st->coff + (long)k * (NB + 1);
    int64_t *cd = st->cdelta + (long)k * N;
    int m = 0;
    for (int b = 0; b < NB; b++) {
        int a = b * BLOCK, e = a + BLOCK < N ? a + BLOCK : N;
        int64_t most = 0;
        off[b] = m;
        for (int t = a; t < e; t += 8) {
            int w = e - t < 8 ? e - t : 8;
            if (w == 8) {
                uint64_t x, y;
                memcpy(&x, row + t, 8);
                memcpy(&y, old + t, 8);
                if (x == y)
                    continue;
            }
            for (int u = t; u < t + w; u++) {
                if (row[u] == old[u])
                    continue;
                int64_t dl = ((int64_t)row[u] - old[u]) * rate[u];
                cs[m] = u;
                cd[m++] = dl;
                most = dl > most ? dl : most;
            }
        }
        st->changed[(long)k * NB + b] = m > off[b];
        st->dmax[(long)k * NB + b] = most;
    }
    off[NB] = m;
}

void stg_state_try(stg_state *st, int d, int vi, const int *links, int nl,
                   stg_score *out)
{
    const stg_decision *dc = &st->p->dec[d];
    int N = st->N, ncomp = dc->ncomputers;
    if (ncomp > TRY_MAX) {
        /* too many computers: the slow way */
        stg_state_place(st, d, vi);
        stg_state_score(st, links, nl, out);
        stg_state_remove(st, d);
        return;
    }
    memcpy(st->tried_c, dc->computers, sizeof *st->tried_c * (size_t)ncomp);
    /* each computer simulated with d at vi into its row of st->tried
     * (out of memory: its row as it is, and the state says so) */
    st->value[d] = vi;
    for (int k = 0; k < ncomp; k++) {
        int c = st->tried_c[k];
        unsigned char *row = st->tried + (long)k * N;
        const unsigned char *old = st->busy + (long)c * N;
        if (simulate_computer(st, c, row, &st->tried_late[k])) {
            st->oom = true;
            memcpy(row, old, (size_t)N);
            st->tried_late[k] = st->late_c[c];
        }
        list_changes(st, k, row, old);
    }
    st->value[d] = -1;
    /* the conflicts: the servers' counts moved and back */
    long over = st->overjobs, late = st->late;
    for (int k = 0; k < ncomp; k++) {
        late += st->tried_late[k] - st->late_c[st->tried_c[k]];
        try_servers(st, k, 1, &over);
    }
    long back = over;
    for (int k = ncomp - 1; k >= 0; k--)
        try_servers(st, k, -1, &back);
    out->n = 0;
    out->conflicts = over + late;
    for (int i = 0; i < nl; i++) {
        int64_t pk;
        int cnt;
        try_peak(st, ncomp, links[i], &pk, &cnt);
        score_insert(out, (double)pk / st->p->fleet->links[links[i]].capacity,
                     cnt);
    }
}

void stg_state_place(stg_state *st, int d, int vi)
{
    st->value[d] = vi;
    refresh_decision(st, d);
}

void stg_state_remove(stg_state *st, int d)
{
    if (st->value[d] < 0)
        return;
    st->value[d] = -1;
    refresh_decision(st, d);
}

int stg_state_busy(const stg_state *st, int c, int t)
{
    return st->busy[(long)c * st->N + t];
}

int stg_state_value(const stg_state *st, int d) { return st->value[d]; }

const stg_problem *stg_state_problem(const stg_state *st) { return st->p; }

int64_t stg_state_peak(const stg_state *st, int l)
{
    return st->gmax[l];
}

int stg_state_peak_count(const stg_state *st, int l)
{
    return st->gcnt[l];
}

double stg_state_util(const stg_state *st, int l)
{
    return (double)stg_state_peak(st, l) / st->p->fleet->links[l].capacity;
}

int64_t stg_state_load(const stg_state *st, int l, int t)
{
    return st->load[(long)l * st->N + t];
}

long stg_state_conflicts(const stg_state *st)
{
    return st->overjobs + st->late;
}

const int *stg_state_dec_links(const stg_state *st, int d, int *n)
{
    *n = st->dl_off[d + 1] - st->dl_off[d];
    return st->dl + st->dl_off[d];
}

const int *stg_state_link_decs(const stg_state *st, int l, int *n)
{
    *n = st->ld_off[l + 1] - st->ld_off[l];
    return st->ld + st->ld_off[l];
}

static void score_insert(stg_score *s, double u, int c)
{
    /* keep the 64 highest, sorted descending (ties: larger count first) */
    int cap = (int)(sizeof s->util / sizeof s->util[0]);
    int i = s->n < cap ? s->n++ : cap - 1;
    if (i == cap - 1 && s->n == cap && (u < s->util[i] ||
        (u == s->util[i] && c <= s->count[i])))
        return;
    while (i > 0 && (s->util[i - 1] < u ||
                     (s->util[i - 1] == u && s->count[i - 1] < c))) {
        s->util[i] = s->util[i - 1];
        s->count[i] = s->count[i - 1];
        i--;
    }
    s->util[i] = u;
    s->count[i] = c;
}

void stg_state_score(const stg_state *st, const int *links, int n,
                     stg_score *out)
{
    out->n = 0;
    out->conflicts = stg_state_conflicts(st);
    for (int i = 0; i < n; i++)
        score_insert(out, stg_state_util(st, links[i]),
                     stg_state_peak_count(st, links[i]));
}

int stg_score_cmp(const stg_score *a, const stg_score *b)
{
    int n = a->n < b->n ? a->n : b->n;
    /* the worst link first; then conflicts: where a server has more
     * senders than max_jobs the simulation makes computers wait, and the
     * loads are not these; then the other links */
    if (n > 0 && a->util[0] != b->util[0])
        return a->util[0] < b->util[0] ? -1 : 1;
    if (a->conflicts != b->conflicts)
        return a->conflicts < b->conflicts ? -1 : 1;
    for (int i = 1; i < n; i++)
        if (a->util[i] != b->util[i])
            return a->util[i] < b->util[i] ? -1 : 1;
    for (int i = 0; i < n; i++)
        if (a->count[i] != b->count[i])
            return a->count[i] < b->count[i] ? -1 : 1;
    return 0;
}

typedef struct {
    double u;
    int c;
} link_peak;

static int by_peak_desc(const void *x, const void *y)
{
    const link_peak *a = x, *b = y;
    if (a->u != b->u)
        return a->u > b->u ? -1 : 1;
    return (a->c < b->c) - (a->c > b->c);
}

/* Link l of st as an order counts it: its peak utilization, or floor[l]
 * when it is no higher (floor NULL: none), and the slots at its peak
 * (none at the floor). */
static link_peak counted(const stg_state *st, int l, const double *floor)
{
    link_peak v = { stg_state_util(st, l), stg_state_peak_count(st, l) };
    if (floor && v.u <= floor[l]) {
        v.u = floor[l];
        v.c = 0;
    }
    return v;
}

int stg_state_cmp_above(const stg_state *a, const stg_state *b,
                        const double *floor)
{
    int L = a->nlinks, r = 0;
    link_peak *va = stg_malloc(sizeof *va * (size_t)(L + 1));
    link_peak *vb = stg_malloc(sizeof *vb * (size_t)(L + 1));
    if (!va || !vb) {
        /* fall back to the worst link alone */
        double ua = 0, ub = 0;
        for (int l = 0; l < L; l++) {
            if (counted(a, l, floor).u > ua)
                ua = counted(a, l, floor).u;
            if (counted(b, l, floor).u > ub)
                ub = counted(b, l, floor).u;
        }
        r = (ua > ub) - (ua < ub);
        goto out;
    }
    for (int l = 0; l < L; l++) {
        va[l] = counted(a, l, floor);
        vb[l] = counted(b, l, floor);
    }
    qsort(va, (size_t)L, sizeof *va, by_peak_desc);
    qsort(vb, (size_t)L, sizeof *vb, by_peak_desc);
    if (L > 0 && va[0].u != vb[0].u)
        r = va[0].u < vb[0].u ? -1 : 1;
    if (!r && stg_state_conflicts(a) != stg_state_conflicts(b))
        r = stg_state_conflicts(a) < stg_state_conflicts(b) ? -1 : 1;
    for (int l = 1; l < L && !r; l++)
        if (va[l].u != vb[l].u)
            r = va[l].u < vb[l].u ? -1 : 1;
    for (int l = 0; l < L && !r; l++)
        if (va[l].c != vb[l].c)
            r = va[l].c < vb[l].c ? -1 : 1;
out:
    stg_free(va);
    stg_free(vb);
    return r;
}

int stg_state_cmp(const stg_state *a, const stg_state *b)
{
    return stg_state_cmp_above(a, b, NULL);
}

void stg_state_settings(const stg_state *st, stg_settings *s)
{
    for (int d = 0; d < st->p->ndecisions; d++)
        if (st->value[d] >= 0)
            stg_problem_apply(st->p, d, st->value[d], s);
}

void stg_state_use_memo(stg_state *st, stg_memo *m)
{
    st->memo = m;
}

bool stg_state_oom(const stg_state *st)
{
    return st->oom;
}

stg_state *stg_state_placed(const stg_problem *p, const stg_settings *s)
{
    stg_state *st = stg_state_new(p);
    for (int d = 0; st && d < p->ndecisions; d++)
        stg_state_place(st, d, stg_problem_value_index(p, d, s));
    if (st && stg_state_oom(st)) {
        stg_state_free(st);
        st = NULL;
    }
    return st;
}
