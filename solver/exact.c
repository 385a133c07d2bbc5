/* stagger: exact bounds by a complete search (see exact.h). */
#include "exact.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "model/queue.h"
#include "trace.h"

/* Slot checks between two looks at the limit. */
#define LIMIT_EVERY 100000L
/* Dead ends in the first descent; each next one allows twice as many
 * (a search that proves there is nothing below repeats the top of its
 * tree in every descent: doubling keeps that to the last one's work,
 * where half more tripled it). */
#define RESTART_FIRST 100L
/* A search of at most this many variables that half its budget stopped
 * is run again with the other variable order (pick()) and the rest. */
#define PORTFOLIO_VARS 8
/* The most memory the rows' slot bitsets may take (rbits). */
#define RBITS_MAX_BYTES (32L << 20)
/* The most memory the queue memo may take (qm_*: its entries and its
 * table): past it, queues are simulated without being kept. */
#define QMEMO_MAX_BYTES (64L << 20)
/* ... and while it is found at least once per QMEMO_MISSES lookups, past
 * the first QMEMO_FIRST (a search that seldom meets a placement again
 * spends less simulating than keeping). */
#define QMEMO_MISSES 4
#define QMEMO_FIRST 4096

/* One busy interval of a footprint: a computer (local index) busy over
 * slots [from, from + len), not past the cycle end; self when it merges
 * jobs of the decision that overlap (they queue behind each other). */
typedef struct {
    int lc, from, len;
    bool self;
} fp_iv;

typedef struct {
    const stg_problem *p;
    const stg_limit *lim;
    int N;
    /* the links */
    int nl, np, nvl;            /* links; the first np are searched, the
                                   rest held (a lift: link_set) */
    const int *link;
    const unsigned char *comp_in; /* per computer: one of the search's
                                   (a lift: link_set); NULL: those that
                                   cross link[0..nvl) */
    const int64_t *held_cap;    /* nl - np: a held link's peak before */
    const bool *held_strict;    /* nl - np: held at held_cap, whatever the
                                   utilization searched */
    int64_t *bg, *load;         /* nl x N: background, load now (with it) */
    int64_t *cap;               /* nl: the highest load allowed */
    int64_t *bmax;              /* nl x 64: at least the highest load in a
                                   block (the highest, unless bstale) */
    uint64_t *bstale;           /* nl: blocks whose highest load fell */
    /* the computers on them (local indices) */
    int nc;
    int *comp;                  /* lc -> computer */
    int *lc_of;                 /* computer -> lc, or -1 */
    int *cl_off, *cl;           /* lc -> its local links */
    int *left, *total;          /* lc: its decisions not placed, in all */
    bool *complete;             /* lc: its queue's slots are applied */
    unsigned short *cnt;        /* nc x N: placed jobs covering a slot */
    unsigned char *cov;         /* nc x N: 1 where cnt is not 0 (eight
                                   slots to a word in apply_queue()) */
    int *overlap;               /* lc: its slots covered more than once */
    int *nvary;                 /* lc: its placed vars whose volumes vary */
    bool *varies;               /* var: its footprints are not its jobs
                                   (stg_problem_fixed_volume()) */
    int *qsl, *nq;              /* lc: the slots its queue adds (nc x N),
                                   and how many */
    /* the variables: the decisions on the links */
    int nv;
    int *dec;                   /* var -> decision */
    int *var_of;                /* decision -> var, or -1 */
    int *vfirst;                /* var -> its first row (value 0) */
    int *foot_off;              /* row -> foot[] range */
    fp_iv *foot;
    uint64_t *blocks;           /* row -> the blocks of slots it touches */
    unsigned char *one_lc;      /* row -> its footprint is on one computer */
    unsigned char *blk;         /* slot -> its block */
    int64_t *brate;             /* nc x 64: lc's highest rate in a block */
    int bstart[65];             /* block -> its first slot (64: N) */
    int *vc_off, *vc;           /* var -> its lcs */
    int *value;                 /* var -> value index, or -1 */
    int *dval;                  /* decision -> value index, or -1 */
    unsigned *removed;          /* row -> depth + 1 it was removed at */
    unsigned char *refuted;     /* row -> a descent went through every
                                   placement with it first and found none
                                   under its caps: later descents start
                                   without it (below a lower peak too) */
    int *dsize;                 /* var -> rows alive */
    int *wit_iv, *wit_t;        /* row -> the foot[] interval and slot
                                   where it last did not fit (iv -1: none) */
    long *wdeg;                 /* var -> 1 + the dead ends it took part in */
    int *trail;                 /* rows removed, in order */
    size_t ntrail, trail_cap;
    int *qs;                    /* per lc of each placed var, in order: the
                                   slots its queue added before, then how
                                   many (-1: no queue), so that unplace()
                                   puts them back without simulating */
    size_t nqs, qs_cap;
    /* scratch */
    int64_t *extra;             /* nl x N, for footprints on several lcs */
    int *touched;
    int *order;                 /* rows of one variable, to try in order */
    double *slack;
    stg_queue q;
    stg_qjob *qj, *tmp_qj;      /* a computer's jobs; stg_queue_order()'s */
    int *qkey, *tmp_key, *qrun; /*   their tie order; scratch */
    unsigned char *qb;
    /* the queue memo: a computer's queue slots (qsl) follow from the
     * values of the decisions that have jobs on it, of their previous
     * express fulls and of their checks (volumes); apply_queue() keeps
     * them per those values, and a placement met again (the search
     * places the same values under many others) is not simulated again */
    int *qk_off, *qk;           /* lc -> the decisions of its key */
    uint64_t *qm_hash;          /* qm_size buckets: the key's hash */
    long *qm_at;                /*   its entry in qm (-1: empty) */
    long qm_size, qm_used;
    long qm_hits, qm_misses;    /* lookups that found an entry, or not */
    bool qm_off;                /* keep nothing (stg_exact_opts) */
    int *qm;                    /* entries: lc, the key's values, the
                                   number of slots, the slots */
    size_t qm_n, qm_cap;
    uint64_t changed;           /* blocks whose load rose since ... */
    int W;                      /* words of a slot bitset */
    uint64_t *rbits;            /* per row, per computer of its var (its
                                   vc[] order): the slots of its footprint
                                   there, W words each; NULL when too big
                                   to keep, or more than one link */
    long *rb_off;               /* row -> its first word in rbits */
    int *rvar;                  /* row -> its var */
    uint64_t *chg;              /* W: the slots whose load rose since ... */
    uint64_t *hot;              /* W (with rbits: one link): the slots
                                   where a computer's highest rate in the
                                   block would exceed the cap (no row on
                                   one computer fails elsewhere) */
    int64_t *lrate;             /* nl x 64: the highest rate of a computer
                                   on the link in a block */
    uint64_t *chot;             /* W: chg & hot, while forward_check() runs */
    int *wchg, *whot;           /* the words where chg, chot are not 0 */
    int nwchg, nwhot;
    uint64_t *bad;              /* nc x W: a word of chot's slots where lc
                                   alone does not fit (worked out when
                                   bad_at[] of it is stamp) */
    unsigned *bad_at, stamp;
    /* the search */
    long work, budget, next_look;
    long fails, fail_limit;     /* dead ends in this descent, and its cap */
    int stop;
    double found_util;
    int *found_value;           /* var -> value of the placement found */
    bool queue_first;           /* pick() takes first the variables that
                                   share a computer with another open one */
    atomic_bool *cancel;        /* set: stop (another order settled it) */
} csp;

static int block_of(const csp *x, int t)
{
    return (int)((long)t * 64 / x->N);
}

/* The first slot of block b (x->N for b = 64). */
static int block_start(const csp *x, int b)
{
    return (int)(((long)b * x->N + 63) / 64);
}

/* Adds r to the load of local link i at slot t (r < 0: takes it off),
 * keeping the block's highest load. */
static inline void load_add(csp *x, int i, int t, int64_t r)
{
    int64_t *at = &x->load[(long)i * x->N + t];
    int64_t *m = &x->bmax[i * 64 + x->blk[t]];
    if (r < 0 && *at == *m)
        x->bstale[i] |= UINT64_C(1) << x->blk[t];
    *at += r;
    if (*at > *m)
        *m = *at;
    if (x->hot) {
        uint64_t bit = UINT64_C(1) << (t & 63);
        uint64_t *h = &x->hot[(long)i * x->W + (t >> 6)];
        if (*at + x->lrate[i * 64 + x->blk[t]] > x->cap[i])
            *h |= bit;
        else
            *h &= ~bit;
    }
}

/* The highest load of local link i in block b. */
static inline int64_t block_max(csp *x, int i, int b)
{
    if (x->bstale[i] >> b & 1) {
        const int64_t *load = x->load + (long)i * x->N;
        int64_t m = INT64_MIN;
        for (int t = x->bstart[b]; t < x->bstart[b + 1]; t++)
            if (load[t] > m)
                m = load[t];
        x->bmax[i * 64 + b] = m;
        x->bstale[i] &= ~(UINT64_C(1) << b);
    }
    return x->bmax[i * 64 + b];
}

/* --- building -------------------------------------------------------- */

static int by_lc_from(const void *a, const void *b)
{
    const fp_iv *x = a, *y = b;
    if (x->lc != y->lc)
        return x->lc - y->lc;
    return x->from - y->from;
}

typedef struct {
    csp *x;
    fp_iv *tmp;
    size_t n, cap;
    int oom;
} foot_ctx;

static void on_job(void *arg, int c, int s, int len)
{
    foot_ctx *fc = arg;
    csp *x = fc->x;
    int lc = x->lc_of[c];
    if (lc < 0 || fc->oom)
        return;
    if (len > x->N)
        len = x->N;
    for (int piece = 0; piece < 2 && len > 0; piece++) {
        int a = piece ? 0 : s, n = piece ? s + len - x->N : len;
        if (!piece && s + len > x->N)
            n = x->N - s;
        if (n <= 0)
            continue;
        if (stg_grow((void **)&fc->tmp, &fc->cap, fc->n + 1, sizeof *fc->tmp)) {
            fc->oom = 1;
            return;
        }
        fc->tmp[fc->n++] = (fp_iv){ lc, a, n, false };
        if (!piece && s + len <= x->N)
            break;
    }
}

/* Appends the footprint of decision d at value vi to x->foot (merged per
 * computer); *cap is foot's room.  Returns -1 when out of memory. */
static int add_footprint(csp *x, int d, int vi, foot_ctx *fc, size_t *nfoot,
                         size_t *cap)
{
    fc->n = 0;
    stg_problem_busy(x->p, d, vi, STG_BUSY_UNION, on_job, fc);
    if (fc->oom)
        return -1;
    qsort(fc->tmp, fc->n, sizeof *fc->tmp, by_lc_from);
    for (size_t i = 0; i < fc->n; i++) {
        fp_iv iv = fc->tmp[i];
        fp_iv *last = *nfoot > 0 ? &x->foot[*nfoot - 1] : NULL;
        int row_start = x->foot_off[x->vfirst[x->var_of[d]] + vi];
        if (last && (long)(last - x->foot) >= row_start && last->lc == iv.lc &&
            iv.from <= last->from + last->len) {
            int end = iv.from + iv.len;
            last->self |= iv.from < last->from + last->len;
            if (end > last->from + last->len)
                last->len = end - last->from;
            continue;
        }
        if (stg_grow((void **)&x->foot, cap, *nfoot + 1, sizeof *x->foot))
            return -1;
        x->foot[(*nfoot)++] = iv;
    }
    return 0;
}

static int build_footprints(csp *x)
{
    const stg_problem *p = x->p;
    int nrows = 0;
    for (int v = 0; v < x->nv; v++) {
        x->vfirst[v] = nrows;
        nrows += p->dec[x->dec[v]].nvalues;
    }
    x->vfirst[x->nv] = nrows;
    x->foot_off = stg_malloc(sizeof *x->foot_off * (size_t)(nrows + 1));
    x->blocks = stg_calloc((size_t)nrows + 1, sizeof *x->blocks);
    x->one_lc = stg_malloc((size_t)nrows + 1);
    x->removed = stg_calloc((size_t)nrows + 1, sizeof *x->removed);
    x->refuted = stg_calloc((size_t)nrows + 1, 1);
    x->order = stg_malloc(sizeof *x->order * (size_t)(nrows + 1));
    x->slack = stg_malloc(sizeof *x->slack * (size_t)(nrows + 1));
    x->wit_iv = stg_malloc(sizeof *x->wit_iv * (size_t)(nrows + 1));
    x->wit_t = stg_calloc((size_t)nrows + 1, sizeof *x->wit_t);
    if (!x->foot_off || !x->blocks || !x->one_lc || !x->removed ||
        !x->refuted || !x->order ||
        !x->slack || !x->wit_iv || !x->wit_t)
        return -1;
    for (int r = 0; r < nrows; r++)
        x->wit_iv[r] = -1;
    foot_ctx fc = { x, NULL, 0, 0, 0 };
    size_t nfoot = 0, cap = 0;
    int rc = 0;
    for (int v = 0; v < x->nv && !rc; v++)
        for (int vi = 0; vi < p->dec[x->dec[v]].nvalues && !rc; vi++) {
            int row = x->vfirst[v] + vi;
            x->foot_off[row] = (int)nfoot;
            rc = add_footprint(x, x->dec[v], vi, &fc, &nfoot, &cap);
            x->one_lc[row] = 1;
            for (size_t k = x->foot_off[row]; !rc && k < nfoot; k++) {
                const fp_iv *iv = &x->foot[k];
                x->one_lc[row] &= iv->lc == x->foot[x->foot_off[row]].lc;
                int b0 = block_of(x, iv->from);
                int b1 = block_of(x, iv->from + iv->len - 1);
                for (int b = b0; b <= b1; b++)
                    x->blocks[row] |= UINT64_C(1) << b;
            }
        }
    x->foot_off[nrows] = (int)nfoot;
    stg_free(fc.tmp);
    x->W = (x->N + 63) / 64;
    x->chg = stg_calloc((size_t)x->W + 1, sizeof *x->chg);
    x->chot = stg_calloc((size_t)x->W + 1, sizeof *x->chot);
    x->wchg = stg_calloc((size_t)x->W + 1, sizeof *x->wchg);
    x->whot = stg_calloc((size_t)x->W + 1, sizeof *x->whot);
    x->bad = stg_calloc((size_t)x->nc * (size_t)x->W + 1, sizeof *x->bad);
    x->bad_at = stg_calloc((size_t)x->nc * (size_t)x->W + 1, sizeof *x->bad_at);
    if (!x->chg || !x->chot || !x->wchg || !x->whot || !x->bad || !x->bad_at)
        return -1;
    x->rvar = stg_malloc(sizeof *x->rvar * (size_t)(nrows + 1));
    x->rb_off = stg_malloc(sizeof *x->rb_off * (size_t)(nrows + 1));
    if (!x->rvar || !x->rb_off)
        return -1;
    long words = 0;
    for (int v = 0; v < x->nv; v++)
        for (int r = x->vfirst[v]; r < x->vfirst[v + 1]; r++) {
            x->rvar[r] = v;
            x->rb_off[r] = words;
            words += (long)(x->vc_off[v + 1] - x->vc_off[v]) * x->W;
        }
    if (rc || x->nl != 1 || words * 8 > RBITS_MAX_BYTES)
        return rc;
    x->rbits = stg_calloc((size_t)words + 1, sizeof *x->rbits);
    if (!x->rbits)
        return -1;
    for (int r = 0; r < nrows; r++) {
        int v = x->rvar[r];
        for (int k = x->foot_off[r]; k < x->foot_off[r + 1]; k++) {
            const fp_iv *iv = &x->foot[k];
            int j = 0;
            while (x->vc[x->vc_off[v] + j] != iv->lc)
                j++;
            uint64_t *b = x->rbits + x->rb_off[r] + (long)j * x->W;
            for (int t = iv->from; t < iv->from + iv->len; t++)
                b[t >> 6] |= UINT64_C(1) << (t & 63);
        }
    }
    return 0;
}

/* Whether computer c crosses one of links[0..n). */
static bool crosses_any(const stg_fleet *f, int c, const int *links, int n)
{
    for (int i = 0; i < n; i++)
        if (stg_computer_crosses(&f->computers[c], links[i]))
            return true;
    return false;
}

/* The computers of the search (those on the links, or comp_in's) and the
 * decisions on those computers. */
static int build_sets(csp *x)
{
    const stg_problem *p = x->p;
    const stg_fleet *f = p->fleet;
    int nc = f->ncomputers;
    x->lc_of = stg_malloc(sizeof *x->lc_of * (size_t)(nc + 1));
    x->comp = stg_malloc(sizeof *x->comp * (size_t)(nc + 1));
    x->var_of = stg_malloc(sizeof *x->var_of * (size_t)(p->ndecisions + 1));
    x->dec = stg_malloc(sizeof *x->dec * (size_t)(p->ndecisions + 1));
    if (!x->lc_of || !x->comp || !x->var_of || !x->dec)
        return -1;
    for (int c = 0; c < nc; c++) {
        x->lc_of[c] = -1;
        if (x->comp_in ? x->comp_in[c] != 0
                       : crosses_any(f, c, x->link, x->nvl)) {
            x->lc_of[c] = x->nc;
            x->comp[x->nc++] = c;
        }
    }
    for (int d = 0; d < p->ndecisions; d++) {
        x->var_of[d] = -1;
        for (int j = 0; j < p->dec[d].ncomputers && x->var_of[d] < 0; j++)
            if (x->lc_of[p->dec[d].computers[j]] >= 0) {
                x->var_of[d] = x->nv;
                x->dec[x->nv++] = d;
            }
    }
    return 0;
}

/* Links of each lc; vars of each lc; the lcs of each var. */
static int build_adjacency(csp *x)
{
    const stg_problem *p = x->p;
    const stg_fleet *f = p->fleet;
    x->cl_off = stg_calloc((size_t)x->nc + 2, sizeof *x->cl_off);
    x->cl = stg_malloc(sizeof *x->cl * (size_t)(x->nc * x->nl + 1));
    x->vc_off = stg_calloc((size_t)x->nv + 2, sizeof *x->vc_off);
    x->vc = stg_malloc(sizeof *x->vc * (size_t)(x->nv * x->nc + 1));
    x->left = stg_calloc((size_t)x->nc + 1, sizeof *x->left);
    x->total = stg_calloc((size_t)x->nc + 1, sizeof *x->total);
    x->complete = stg_calloc((size_t)x->nc + 1, sizeof *x->complete);
    if (!x->cl_off || !x->cl || !x->vc_off || !x->vc || !x->left || !x->total ||
        !x->complete)
        return -1;
    int n = 0;
    for (int lc = 0; lc < x->nc; lc++) {
        x->cl_off[lc] = n;
        for (int i = 0; i < x->nl; i++)
            if (stg_computer_crosses(&f->computers[x->comp[lc]], x->link[i]))
                x->cl[n++] = i;
    }
    x->cl_off[x->nc] = n;
    n = 0;
    for (int v = 0; v < x->nv; v++) {
        const stg_decision *dc = &p->dec[x->dec[v]];
        x->vc_off[v] = n;
        for (int j = 0; j < dc->ncomputers; j++) {
            int lc = x->lc_of[dc->computers[j]];
            if (lc < 0)
                continue;
            x->vc[n++] = lc;
            x->left[lc]++;
            x->total[lc]++;
        }
    }
    x->vc_off[x->nv] = n;
    return 0;
}

static void csp_free(csp *x)
{
    stg_free(x->bg);
    stg_free(x->cap);
    stg_free(x->bmax);
    stg_free(x->bstale);
    stg_free(x->brate);
    stg_free(x->overlap);
    stg_free(x->nvary);
    stg_free(x->varies);
    stg_free(x->load);
    stg_free(x->comp);
    stg_free(x->lc_of);
    stg_free(x->cl_off);
    stg_free(x->cl);
    stg_free(x->left);
    stg_free(x->total);
    stg_free(x->complete);
    stg_free(x->cnt);
    stg_free(x->cov);
    stg_free(x->qsl);
    stg_free(x->nq);
    stg_free(x->dec);
    stg_free(x->var_of);
    stg_free(x->vfirst);
    stg_free(x->foot_off);
    stg_free(x->foot);
    stg_free(x->blocks);
    stg_free(x->rbits);
    stg_free(x->rb_off);
    stg_free(x->rvar);
    stg_free(x->hot);
    stg_free(x->lrate);
    stg_free(x->chg);
    stg_free(x->chot);
    stg_free(x->wchg);
    stg_free(x->whot);
    stg_free(x->bad);
    stg_free(x->bad_at);
    stg_free(x->one_lc);
    stg_free(x->blk);
    stg_free(x->vc_off);
    stg_free(x->vc);
    stg_free(x->value);
    stg_free(x->dval);
    stg_free(x->removed);
    stg_free(x->refuted);
    stg_free(x->dsize);
    stg_free(x->wit_iv);
    stg_free(x->wit_t);
    stg_free(x->wdeg);
    stg_free(x->trail);
    stg_free(x->qs);
    stg_free(x->extra);
    stg_free(x->touched);
    stg_free(x->order);
    stg_free(x->slack);
    stg_queue_free(&x->q);
    stg_free(x->qj);
    stg_free(x->qkey);
    stg_free(x->tmp_qj);
    stg_free(x->tmp_key);
    stg_free(x->qrun);
    stg_free(x->qb);
    stg_free(x->qk_off);
    stg_free(x->qk);
    stg_free(x->qm_hash);
    stg_free(x->qm_at);
    stg_free(x->qm);
    stg_free(x->found_value);
}

static int build_qkeys(csp *x);

/* The links of a search: link[0..np) searched, the computers of
 * link[0..nvl) carrying its variables, link[np..nl) held (a lift,
 * exact.h: each at most the higher of held_cap and the threshold, or
 * held_cap alone where held_strict, its load from the other computers
 * as incumbent has it). */
typedef struct {
    const int *link;
    int nl, np, nvl;
    unsigned char *comp;        /* per computer: one whose decisions are
                                   variables (a lift: lift_links(), the
                                   search's to free); NULL: those that
                                   cross link[0..nvl) */
    const int64_t *held_cap;
    const bool *held_strict;
    const stg_state *incumbent;
} link_set;

/* A held link's background: its load in the incumbent less what the
 * search's computers send there. */
static void held_background(csp *x, const stg_state *st)
{
    const stg_fleet *f = x->p->fleet;
    int N = x->N;
    for (int i = x->np; i < x->nl; i++)
        for (int t = 0; t < N; t++)
            x->bg[(long)i * N + t] = stg_state_load(st, x->link[i], t);
    for (int lc = 0; lc < x->nc; lc++) {
        int c = x->comp[lc];
        const int64_t *rate = stg_problem_rates(x->p, c);
        for (int i = x->np; i < x->nl; i++) {
            if (!stg_computer_crosses(&f->computers[c], x->link[i]))
                continue;
            for (int t = 0; t < N; t++)
                if (stg_state_busy(st, c, t))
                    x->bg[(long)i * N + t] -= rate[t];
        }
    }
}

static int csp_init(csp *x, const stg_problem *p, const link_set *ls)
{
    int N = p->nslots, nl = ls->nl;
    const int *links = ls->link;
    memset(x, 0, sizeof *x);
    x->p = p;
    x->N = N;
    x->nl = nl;
    x->np = ls->np;
    x->nvl = ls->nvl;
    x->link = links;
    x->comp_in = ls->comp;
    x->held_cap = ls->held_cap;
    x->held_strict = ls->held_strict;
    size_t LN = (size_t)nl * (size_t)N;
    x->bg = stg_malloc(sizeof *x->bg * LN + 1);
    x->cap = stg_malloc(sizeof *x->cap * (size_t)(nl + 1));
    x->bmax = stg_malloc(sizeof *x->bmax * (size_t)(64 * nl + 1));
    x->bstale = stg_malloc(sizeof *x->bstale * (size_t)(nl + 1));
    x->load = stg_malloc(sizeof *x->load * LN + 1);
    x->extra = stg_calloc(LN + 1, sizeof *x->extra);
    x->touched = stg_malloc(sizeof *x->touched * LN + 1);
    x->qb = stg_malloc((size_t)N + 1);
    x->blk = stg_malloc((size_t)N + 1);
    if (!x->bg || !x->cap || !x->bmax || !x->bstale || !x->load ||
        !x->extra || !x->touched || !x->qb || !x->blk || build_sets(x))
        return -1;
    for (int b = 0; b <= 64; b++)
        x->bstart[b] = block_start(x, b);
    for (int t = 0; t < N; t++)
        x->blk[t] = (unsigned char)block_of(x, t);
    for (int i = 0; i < nl; i++)
        for (int t = 0; t < N; t++)
            x->bg[(long)i * N + t] = llround(stg_link_background_at(
                p->fleet, &p->fleet->links[links[i]], t * p->res));
    if (x->np < nl)
        held_background(x, ls->incumbent);
    x->vfirst = stg_malloc(sizeof *x->vfirst * (size_t)(x->nv + 1));
    x->value = stg_malloc(sizeof *x->value * (size_t)(x->nv + 1));
    x->dval = stg_malloc(sizeof *x->dval * (size_t)(p->ndecisions + 1));
    x->dsize = stg_malloc(sizeof *x->dsize * (size_t)(x->nv + 1));
    x->wdeg = stg_malloc(sizeof *x->wdeg * (size_t)(x->nv + 1));
    x->found_value = stg_malloc(sizeof *x->found_value * (size_t)(x->nv + 1));
    x->cnt = stg_calloc((size_t)x->nc * (size_t)N + 1, sizeof *x->cnt);
    x->cov = stg_calloc((size_t)x->nc * (size_t)N + 8, 1);
    x->qsl = stg_malloc(sizeof *x->qsl * ((size_t)x->nc * (size_t)N + 1));
    x->nq = stg_calloc((size_t)x->nc + 1, sizeof *x->nq);
    x->brate = stg_calloc((size_t)x->nc * 64 + 1, sizeof *x->brate);
    x->overlap = stg_calloc((size_t)x->nc + 1, sizeof *x->overlap);
    x->nvary = stg_calloc((size_t)x->nc + 1, sizeof *x->nvary);
    x->varies = stg_calloc((size_t)x->nv + 1, sizeof *x->varies);
    if (!x->brate || !x->overlap || !x->nvary || !x->varies)
        return -1;
    for (int v = 0; v < x->nv; v++)
        x->varies[v] = !stg_problem_fixed_volume(p, x->dec[v]);
    for (int lc = 0; lc < x->nc; lc++) {
        const int64_t *rate = stg_problem_rates(p, x->comp[lc]);
        for (int t = 0; t < N; t++)
            if (rate[t] > x->brate[lc * 64 + x->blk[t]])
                x->brate[lc * 64 + x->blk[t]] = rate[t];
    }
    size_t maxj = 1;
    for (int lc = 0; lc < x->nc; lc++) {
        int c = x->comp[lc];
        size_t nj = (size_t)(p->cj_off[c + 1] - p->cj_off[c]);
        if (nj > maxj)
            maxj = nj;
    }
    x->qj = stg_malloc(sizeof *x->qj * (maxj + 1));
    x->qkey = stg_malloc(sizeof *x->qkey * (maxj + 1));
    x->tmp_qj = stg_malloc(sizeof *x->tmp_qj * (maxj + 1));
    x->tmp_key = stg_malloc(sizeof *x->tmp_key * (maxj + 1));
    x->qrun = stg_malloc(sizeof *x->qrun * (maxj + 2));
    /* room for every job and as many carried over the cycle end, so that
     * putting a queue back (unplace) never allocates */
    if (stg_grow((void **)&x->q.q, &x->q.cap, 2 * maxj + 2, sizeof *x->q.q))
        return -1;
    if (!x->vfirst || !x->value || !x->dval || !x->dsize || !x->wdeg ||
        !x->found_value || !x->cnt || !x->cov ||
        !x->qsl || !x->nq || !x->qj || !x->qkey || !x->tmp_qj || !x->tmp_key ||
        !x->qrun || build_adjacency(x) || build_qkeys(x) ||
        build_footprints(x))
        return -1;
    if (x->rbits) {
        x->hot = stg_calloc((size_t)x->W + 1, sizeof *x->hot);
        x->lrate = stg_calloc((size_t)nl * 64 + 1, sizeof *x->lrate);
        if (!x->hot || !x->lrate)
            return -1;
        for (int lc = 0; lc < x->nc; lc++)
            for (int k = x->cl_off[lc]; k < x->cl_off[lc + 1]; k++)
                for (int b = 0; b < 64; b++)
                    if (x->brate[lc * 64 + b] > x->lrate[x->cl[k] * 64 + b])
                        x->lrate[x->cl[k] * 64 + b] = x->brate[lc * 64 + b];
    }
    return 0;
}

/* --- the load -------------------------------------------------------- */

/* The highest load below which every link's utilization is under util
 * (strictly), per link; the slot caps follow from the background. */
static void set_caps(csp *x, double util)
{
    const stg_fleet *f = x->p->fleet;
    for (int i = 0; i < x->nl; i++) {
        double r = util * f->links[x->link[i]].capacity;
        int64_t most = llround(r);
        if ((double)most >= r * (1 - 1e-12))
            most--;
        /* the load counts the background (restart()): the cap is the
         * link's whole allowance */
        if (i >= x->np && (x->held_cap[i - x->np] > most ||
                           x->held_strict[i - x->np]))
            most = x->held_cap[i - x->np];
        x->cap[i] = most;
    }
}

static const int64_t *lc_rate(const csp *x, int lc)
{
    return stg_problem_rates(x->p, x->comp[lc]);
}

/* Whether the slot where row last did not fit is still too full for it
 * alone (then it does not fit: its other slots only add). */
static int witness_holds(csp *x, int row)
{
    if (x->wit_iv[row] < 0)
        return 0;
    int N = x->N, t = x->wit_t[row];
    const fp_iv *iv = &x->foot[x->wit_iv[row]];
    x->work++;
    if (x->cnt[(long)iv->lc * N + t])
        return 0;
    int64_t r = lc_rate(x, iv->lc)[t];
    for (int k = x->cl_off[iv->lc]; k < x->cl_off[iv->lc + 1]; k++) {
        long at = (long)x->cl[k] * N + t;
        if (x->cap[x->cl[k]] - x->load[at] - r < 0)
            return 1;
    }
    return 0;
}

/* Whether row fits the load as it is, looking only at the slots of the
 * blocks in `only` (where the load rose since it last fitted, or all);
 * *slack (when not NULL): the least room it leaves there, in bps, over
 * the links it loads.  A footprint on one computer adds nothing up
 * across computers: its slots are checked against the room alone, and
 * without slack a block whose highest load leaves room for the
 * computer's highest rate at once. */
static int fits_in(csp *x, int row, uint64_t only, double *slack)
{
    const fp_iv *a = x->foot + x->foot_off[row];
    const fp_iv *b = x->foot + x->foot_off[row + 1];
    int N = x->N, ok = 1, nt = 0, one = x->one_lc[row];
    int64_t least = INT64_MAX;
    if (witness_holds(x, row)) {
        if (slack)
            *slack = -1;
        return 0;
    }
    for (const fp_iv *iv = a; iv < b && ok; iv++) {
        const int64_t *rate = lc_rate(x, iv->lc);
        const unsigned short *cnt = x->cnt + (long)iv->lc * N;
        const int *k0 = x->cl + x->cl_off[iv->lc];
        const int *k1 = x->cl + x->cl_off[iv->lc + 1];
        int end = iv->from + iv->len;
        for (int t = iv->from; t < end && ok;) {
            int bl = x->blk[t], stop = x->bstart[bl + 1];
            if (stop > end)
                stop = end;
            if (!(only >> bl & 1)) {
                t = stop;
                continue;
            }
            if (!slack && one) {
                /* the block's highest load and lc's highest rate in it
                 * fit (bmax first: it is at least the highest): so does
                 * every slot of it, counted as checked (budgets keep
                 * their meaning) */
                int64_t r = x->brate[iv->lc * 64 + bl];
                const int *k = k0;
                while (k < k1 && (x->bmax[*k * 64 + bl] + r <= x->cap[*k] ||
                                  block_max(x, *k, bl) + r <= x->cap[*k]))
                    k++;
                if (k == k1) {
                    x->work += stop - t;
                    t = stop;
                    continue;
                }
            }
            if (one && k1 - k0 == 1) {
                /* one computer on one link: the common case, plainly */
                const int64_t *load = x->load + (long)*k0 * N;
                int64_t cap = x->cap[*k0];
                int from = t;
                for (; t < stop; t++) {
                    if (cnt[t])
                        continue;
                    int64_t room = cap - load[t] - rate[t];
                    if (room < least)
                        least = room;
                    if (room < 0)
                        break;
                }
                x->work += (t < stop ? t + 1 : t) - from;
                if (t < stop) {
                    ok = 0;
                    x->wit_iv[row] = (int)(iv - x->foot);
                    x->wit_t[row] = t;
                }
                continue;
            }
            for (; t < stop && ok; t++) {
                x->work++;
                if (cnt[t])
                    continue;
                for (const int *k = k0; k < k1; k++) {
                    long at = (long)*k * N + t;
                    int64_t room = x->cap[*k] - x->load[at] - rate[t];
                    /* a footprint on several computers adds up per slot */
                    if (!one) {
                        if (x->extra[at] == 0)
                            x->touched[nt++] = (int)at;
                        room -= x->extra[at];
                        x->extra[at] += rate[t];
                    }
                    if (room < 0 && ok) {
                        ok = 0;
                        x->wit_iv[row] = (int)(iv - x->foot);
                        x->wit_t[row] = t;
                    }
                    if (room < least)
                        least = room;
                }
            }
        }
    }
    for (int i = 0; i < nt; i++)
        x->extra[x->touched[i]] = 0;
    if (slack)
        *slack = least == INT64_MAX ? INFINITY : (double)least;
    return ok;
}

/* Notes the words of x->chg and of x->chg & x->hot that are not 0, for
 * fits_changed() (the load does not move while forward_check() runs). */
static void note_changed_words(csp *x)
{
    x->nwchg = x->nwhot = 0;
    if (++x->stamp == 0) {      /* wrapped: forget every word */
        memset(x->bad_at, 0, sizeof *x->bad_at * (size_t)x->nc * (size_t)x->W);
        x->stamp = 1;
    }
    for (int w = 0; w < x->W; w++) {
        x->chot[w] = x->chg[w] & x->hot[w];
        if (x->chg[w])
            x->wchg[x->nwchg++] = w;
        if (x->chot[w])
            x->whot[x->nwhot++] = w;
    }
}

/* Word w of the slots of x->chot where computer lc alone does not fit
 * (it is not busy there, and its rate would take the load over the
 * cap); worked out once per forward_check(), for every row on lc. */
static uint64_t bad_word(csp *x, int lc, int w)
{
    long at = (long)lc * x->W + w;
    if (x->bad_at[at] == x->stamp)
        return x->bad[at];
    const int64_t *rate = lc_rate(x, lc);
    const unsigned short *cnt = x->cnt + (long)lc * x->N;
    uint64_t m = x->chot[w], out = 0;
    while (m) {
        int t = w * 64 + __builtin_ctzll(m);
        uint64_t bit = m & -m;
        m ^= bit;
        if (rate[t] && !cnt[t] && x->cap[0] - x->load[t] - rate[t] < 0)
            out |= bit;
    }
    x->bad_at[at] = x->stamp;
    return x->bad[at] = out;
}

/* As fits_in() without slack (one link), for a row that fitted the load
 * before the last placement: only the slots where the load rose since
 * (x->chg), and for a row on one computer only where its highest rate
 * would not fit (x->hot), can have made it not fit.  Needs
 * note_changed_words() since the load last rose. */
static int fits_changed(csp *x, int row)
{
    if (witness_holds(x, row))
        return 0;
    int v = x->rvar[row], N = x->N, W = x->W;
    int nj = x->vc_off[v + 1] - x->vc_off[v];
    const int *lcs = x->vc + x->vc_off[v];
    const uint64_t *rb = x->rbits + x->rb_off[row];
    /* counted as one slot check per word and per slot of the row where
     * the load rose, up to the one that does not fit: the work of
     * looking at them one by one, which budgets were set for */
    x->work += W;
    if (nj == 1) {
        /* one computer: where it alone does not fit (hot says where it
         * may not) */
        for (int i = 0; i < x->nwhot; i++) {
            int w = x->whot[i];
            uint64_t m = rb[w] & x->chot[w];
            if (!m)
                continue;
            uint64_t b = m & bad_word(x, lcs[0], w);
            if (!b) {
                x->work += __builtin_popcountll(m);
                continue;
            }
            uint64_t low = b & -b;
            x->work += __builtin_popcountll(m & ((low << 1) - 1));
            x->wit_iv[row] = x->foot_off[row];
            x->wit_t[row] = w * 64 + __builtin_ctzll(b);
            return 0;
        }
        return 1;
    }
    /* several: they add up, slot by slot */
    for (int i = 0; i < x->nwchg; i++) {
        int w = x->wchg[i];
        uint64_t m = rb[w];
        for (int j = 1; j < nj; j++)
            m |= rb[(long)j * W + w];
        m &= x->chg[w];
        while (m) {
            int t = w * 64 + __builtin_ctzll(m);
            m &= m - 1;
            x->work++;
            /* what the row adds at t: its computers not yet busy there */
            int64_t add = 0, alone = 0;
            int worst = -1;
            for (int j = 0; j < nj; j++) {
                if (!(rb[(long)j * W + w] >> (t & 63) & 1) ||
                    x->cnt[(long)lcs[j] * N + t])
                    continue;
                int64_t r = lc_rate(x, lcs[j])[t];
                add += r;
                if (r > alone) {
                    alone = r;
                    worst = lcs[j];
                }
            }
            if (add == 0 || x->cap[0] - x->load[t] - add >= 0)
                continue;
            /* the witness: a computer that does not fit there alone */
            x->wit_iv[row] = -1;
            if (x->cap[0] - x->load[t] - alone < 0)
                for (int k = x->foot_off[row]; k < x->foot_off[row + 1]; k++)
                    if (x->foot[k].lc == worst) {
                        x->wit_iv[row] = k;
                        x->wit_t[row] = t;
                        break;
                    }
            return 0;
        }
    }
    return 1;
}

/* No slot's load rose yet. */
static void clear_changed(csp *x)
{
    x->changed = 0;
    memset(x->chg, 0, sizeof *x->chg * (size_t)x->W);
}

static int fits(csp *x, int row, double *slack)
{
    return fits_in(x, row, ~UINT64_C(0), slack);
}

/* --- the queue memo ------------------------------------------------ */

/* The decisions whose values lc's queue slots follow from: those with
 * jobs on its computer, their previous express fulls and their checks
 * (stg_problem_job()). */
static int build_qkeys(csp *x)
{
    const stg_problem *p = x->p;
    int nd = p->ndecisions, n = 0, rc = -1;
    size_t cap = 0;
    int *seen = stg_malloc(sizeof *seen * (size_t)(nd + 1));
    x->qk_off = stg_malloc(sizeof *x->qk_off * (size_t)(x->nc + 1));
    if (!seen || !x->qk_off)
        goto out;
    for (int d = 0; d < nd; d++)
        seen[d] = -1;
    for (int lc = 0; lc < x->nc; lc++) {
        int c = x->comp[lc];
        x->qk_off[lc] = n;
        for (int k = p->cj_off[c]; k < p->cj_off[c + 1]; k++) {
            const stg_decision *dc = &p->dec[p->cj_dec[k]];
            int ds[3] = { p->cj_dec[k], dc->prev, dc->cc };
            for (int i = 0; i < 3; i++) {
                if (ds[i] < 0 || seen[ds[i]] == lc)
                    continue;
                seen[ds[i]] = lc;
                if (stg_grow((void **)&x->qk, &cap, (size_t)n + 1,
                             sizeof *x->qk))
                    goto out;
                x->qk[n++] = ds[i];
            }
        }
    }
    x->qk_off[x->nc] = n;
    rc = 0;
out:
    stg_free(seen);
    return rc;
}

static uint64_t qm_hash_of(const csp *x, int lc)
{
    uint64_t h = UINT64_C(0x9e3779b97f4a7c15) * (uint64_t)(lc + 1);
    for (int k = x->qk_off[lc]; k < x->qk_off[lc + 1]; k++) {
        h ^= (uint64_t)(uint32_t)(x->dval[x->qk[k]] + 1);
        h *= UINT64_C(0x100000001b3);
        h ^= h >> 29;
    }
    return h;
}

/* The entry of lc's key as the placement has it now (hash h), or -1. */
static long qm_find(const csp *x, int lc, uint64_t h)
{
    long mask = x->qm_size - 1;
    for (long i = (long)(h & (uint64_t)mask); x->qm_size && x->qm_at[i] >= 0;
         i = (i + 1) & mask) {
        const int *e = x->qm + x->qm_at[i];
        if (x->qm_hash[i] != h || e[0] != lc)
            continue;
        int m = 1, k = x->qk_off[lc];
        while (k < x->qk_off[lc + 1] && e[m] == x->dval[x->qk[k]]) {
            m++;
            k++;
        }
        if (k == x->qk_off[lc + 1])
            return x->qm_at[i];
    }
    return -1;
}

static void qm_insert(uint64_t *hash, long *at, long size, uint64_t h,
                      long entry)
{
    long i = (long)(h & (uint64_t)(size - 1));
    while (at[i] >= 0)
        i = (i + 1) & (size - 1);
    hash[i] = h;
    at[i] = entry;
}

/* Keeps lc's queue slots (qsl, nq) under its key now (hash h).  A memo
 * only saves time: once it is found less than once per QMEMO_MISSES
 * lookups (past the first ones), when its entries and table would take
 * more than QMEMO_MAX_BYTES, or out of memory, it keeps nothing more and
 * the search goes on simulating. */
static void qm_keep(csp *x, int lc, uint64_t h)
{
    int nk = x->qk_off[lc + 1] - x->qk_off[lc], nq = x->nq[lc];
    size_t need = x->qm_n + 2 + (size_t)nk + (size_t)nq;
    long size = x->qm_size;
    if (2 * (x->qm_used + 1) > size)
        size = size ? 2 * size : 1024;
    size_t bytes = stg_grown_cap(x->qm_cap, need) * sizeof *x->qm +
                   (size_t)size * (sizeof *x->qm_hash + sizeof *x->qm_at);
    if (x->qm_off || bytes > (size_t)QMEMO_MAX_BYTES ||
        x->qm_misses > QMEMO_MISSES * x->qm_hits + QMEMO_FIRST)
        return;
    if (size > x->qm_size) {
        uint64_t *hash = stg_malloc(sizeof *hash * (size_t)size);
        long *at = stg_malloc(sizeof *at * (size_t)size);
        if (!hash || !at) {
            stg_free(hash);
            stg_free(at);
            return;
        }
        for (long i = 0; i < size; i++)
            at[i] = -1;
        for (long i = 0; i < x->qm_size; i++)
            if (x->qm_at[i] >= 0)
                qm_insert(hash, at, size, x->qm_hash[i], x->qm_at[i]);
        stg_free(x->qm_hash);
        stg_free(x->qm_at);
        x->qm_hash = hash;
        x->qm_at = at;
        x->qm_size = size;
    }
    if (stg_grow((void **)&x->qm, &x->qm_cap, need, sizeof *x->qm))
        return;
    int *e = x->qm + x->qm_n;
    e[0] = lc;
    for (int k = 0; k < nk; k++)
        e[1 + k] = x->dval[x->qk[x->qk_off[lc] + k]];
    e[1 + nk] = nq;
    memcpy(e + 2 + nk, x->qsl + (long)lc * x->N, sizeof *e * (size_t)nq);
    qm_insert(x->qm_hash, x->qm_at, x->qm_size, h, (long)x->qm_n);
    x->qm_n = need;
    x->qm_used++;
}

/* Adds to x->qb (computer c's queue simulated with its n placed jobs
 * x->qj) the slots the periodic syncs of its open sync decisions keep
 * busy whatever their offsets: from the start a of each busy period (the
 * queue empty before it), the computer sends at slot a + k while the
 * bytes released in slots a .. a + k, the placed jobs' and at least
 * (k + 1) / P (rounded down) of each open sync's of period P, exceed what
 * it moves in slots a .. a + k - 1 (stg_problem_queued_len() for one
 * job; the first QUEUE_OPEN_MAX open syncs, a bound all the same). */
#define QUEUE_OPEN_MAX 8
static void queue_open_syncs(csp *x, int c, int n)
{
    const stg_problem *p = x->p;
    int N = x->N, per[QUEUE_OPEN_MAX], m = 0, pmin = N + 1;
    double vol[QUEUE_OPEN_MAX];
    for (int i = p->ps_off[c]; i < p->ps_off[c + 1] && m < QUEUE_OPEN_MAX; i++)
        if (x->dval[p->ps_dec[i]] < 0) {
            per[m] = p->ps_period[i];
            vol[m++] = p->ps_vol[i];
            if (per[m - 1] < pmin)
                pmin = per[m - 1];
        }
    if (!m || n == 0)
        return;
    const double *bytes = stg_problem_slot_bytes(p, c);
    unsigned char *qb = x->qb;
    const stg_qjob *qj = x->qj;
    int until = -1;             /* slots up to it (unwrapped) are walked */
    /* a busy period starts at a release into an empty queue; qj[] is in
     * release order */
    for (int j = 0; j < n; j++) {
        int a = qj[j].release;
        if (a <= until || !qb[a] || qb[(a + N - 1) % N] ||
            (j > 0 && qj[j - 1].release == a))
            continue;
        /* the period's end e (unwrapped; the queue idle there) */
        const unsigned char *z = memchr(qb + a, 0, (size_t)(N - a));
        int e = z ? (int)(z - qb) : -1;
        if (e < 0) {
            z = memchr(qb, 0, (size_t)a);
            if (!z)
                return;         /* busy all cycle */
            e = (int)(z - qb) + N;
        }
        if (e - a + 1 < pmin) {
            until = e;
            continue;           /* no open sync releases in time */
        }
        /* bytes in: the jobs released in [a, e) (in release order,
         * wrapping: those before j come a cycle later), and out: what
         * it moves meanwhile */
        double in = 0, out = stg_problem_moved(p, c, a, e);
        int i = j, seen = 0;
        while (seen < n && qj[i].release + (i < j ? N : 0) < e) {
            in += qj[i].volume;
            i = (i + 1) % n;
            seen++;
        }
        int k = e - a;
        for (; k < N; k++) {
            int t = (a + k) % N;
            while (seen < n && qj[i].release + (i < j ? N : 0) == a + k) {
                in += qj[i].volume;
                i = (i + 1) % n;
                seen++;
            }
            if (!qb[t]) {       /* the simulation left it idle */
                double g = 0;
                for (int s = 0; s < m; s++)
                    g += stg_problem_sync_in(per[s], vol[s], k + 1);
                if ((in + g) * (1 - 1e-9) <= out)
                    break;      /* may be empty at slot t */
                qb[t] = 1;
            }
            out += bytes[t];
        }
        until = a + k;
    }
}

/* Simulates lc's queue with the decisions on it placed so far, and adds
 * the slots it is busy beyond its union footprint.  A queue that sends
 * whenever it holds bytes is busy at least where it is with fewer jobs
 * or smaller ones (and carries at least as much over the cycle end), so
 * with decisions still open these slots are busy in every completion:
 * their jobs are left out, and a job whose volume depends on an open
 * decision (an express full's on the previous one, or on its group's
 * check) takes its smallest.  The slots of a placement met before come
 * from the memo (counted as work all the same, so that budgets buy the
 * same search).
 * Returns 0, 1 when a cap is exceeded, -1 when out of memory. */
static int apply_queue(csp *x, int lc)
{
    const stg_problem *p = x->p;
    int c = x->comp[lc], N = x->N, over = 0;
    if (x->overlap[lc] == 0 && x->nvary[lc] == 0) {
        /* jobs apart, each as long as its volume takes alone: the queue
         * sends them as they come, busy where their footprints are */
        x->nq[lc] = 0;
        x->complete[lc] = true;
        return 0;
    }
    int *qs = x->qsl + (long)lc * N;
    uint64_t h = qm_hash_of(x, lc);
    long at = qm_find(x, lc, h);
    if (at >= 0) {
        x->qm_hits++;
        const int *e = x->qm + at + 1 + (x->qk_off[lc + 1] - x->qk_off[lc]);
        x->nq[lc] = e[0];
        memcpy(qs, e + 1, sizeof *qs * (size_t)e[0]);
    } else {
        x->qm_misses++;
        int n = stg_problem_queue_jobs(p, c, x->dval, true, x->qj, x->qkey,
                                       x->tmp_qj, x->tmp_key, x->qrun);
        int late;
        if (stg_queue_cycle(&x->q, x->qj, n, stg_problem_slot_bytes(p, c), N,
                            x->qb, &late))
            return -1;
        queue_open_syncs(x, c, n);
        const unsigned short *cnt = x->cnt + (long)lc * N;
        const unsigned char *cov = x->cov + (long)lc * N;
        x->nq[lc] = 0;
        for (int t = 0; t < N; t++) {
            /* mostly idle or covered: eight slots at a time (bytes of
             * 0/1) */
            uint64_t busy, covered;
            if (t + 8 <= N && (memcpy(&busy, x->qb + t, 8),
                               memcpy(&covered, cov + t, 8),
                               !(busy & ~covered))) {
                t += 7;
                continue;
            }
            if (x->qb[t] && !cnt[t])
                qs[x->nq[lc]++] = t;
        }
        qm_keep(x, lc, h);
    }
    const int64_t *rate = lc_rate(x, lc);
    for (int i = 0; i < x->nq[lc]; i++) {
        int t = qs[i];
        x->changed |= UINT64_C(1) << block_of(x, t);
        x->chg[t >> 6] |= UINT64_C(1) << (t & 63);
        for (int k = x->cl_off[lc]; k < x->cl_off[lc + 1]; k++) {
            load_add(x, x->cl[k], t, rate[t]);
            over |= x->load[(long)x->cl[k] * N + t] > x->cap[x->cl[k]];
        }
    }
    x->work += N;
    x->complete[lc] = true;
    return over;
}

static void unapply_queue(csp *x, int lc)
{
    int N = x->N;
    const int64_t *rate = lc_rate(x, lc);
    const int *qs = x->qsl + (long)lc * N;
    for (int i = 0; i < x->nq[lc]; i++)
        for (int k = x->cl_off[lc]; k < x->cl_off[lc + 1]; k++)
            load_add(x, x->cl[k], qs[i], -rate[qs[i]]);
    x->work += x->nq[lc];
    x->nq[lc] = 0;
    x->complete[lc] = false;
}

/* Pushes the slots lc's queue adds now (before a placement changes it)
 * onto x->qs.  Returns -1 when out of memory. */
static int save_queue(csp *x, int lc)
{
    int n = x->complete[lc] ? x->nq[lc] : 0;
    if (stg_grow((void **)&x->qs, &x->qs_cap, x->nqs + (size_t)n + 1,
                 sizeof *x->qs))
        return -1;
    memcpy(x->qs + x->nqs, x->qsl + (long)lc * x->N, sizeof *x->qs * (size_t)n);
    x->nqs += (size_t)n;
    x->qs[x->nqs++] = x->complete[lc] ? n : -1;
    x->work += n;
    return 0;
}

/* Puts back the queue slots save_queue() pushed last for lc, with their
 * load: the queue of the decisions placed before, with the same union
 * footprint under it. */
static void restore_queue(csp *x, int lc)
{
    int N = x->N, n = x->qs[--x->nqs];
    if (n < 0)
        return;
    const int64_t *rate = lc_rate(x, lc);
    int *qs = x->qsl + (long)lc * N;
    x->nqs -= (size_t)n;
    memcpy(qs, x->qs + x->nqs, sizeof *qs * (size_t)n);
    for (int i = 0; i < n; i++)
        for (int k = x->cl_off[lc]; k < x->cl_off[lc + 1]; k++)
            load_add(x, x->cl[k], qs[i], rate[qs[i]]);
    x->nq[lc] = n;
    x->complete[lc] = true;
    x->work += n;
}

static void unplace(csp *x, int v);

/* Places var v at value vi (its row must fit).  Returns 0, 1 when a
 * computer's queue then exceeds a cap (v is left unplaced), -1 when out
 * of memory. */
static int place(csp *x, int v, int vi)
{
    int row = x->vfirst[v] + vi, N = x->N;
    for (int k = x->foot_off[row]; k < x->foot_off[row + 1]; k++) {
        const fp_iv *iv = &x->foot[k];
        const int64_t *rate = lc_rate(x, iv->lc);
        unsigned short *cnt = x->cnt + (long)iv->lc * N;
        x->overlap[iv->lc] += iv->self;
        for (int t = iv->from; t < iv->from + iv->len; t++) {
            if (cnt[t] == 1)
                x->overlap[iv->lc]++;
            if (cnt[t]++ == 0) {
                x->cov[(long)iv->lc * N + t] = 1;
                for (int m = x->cl_off[iv->lc]; m < x->cl_off[iv->lc + 1]; m++)
                    load_add(x, x->cl[m], t, rate[t]);
            }
        }
    }
    x->changed |= x->blocks[row];
    if (x->rbits)
        for (int j = 0; j < x->vc_off[v + 1] - x->vc_off[v]; j++)
            for (int w = 0; w < x->W; w++)
                x->chg[w] |= x->rbits[x->rb_off[row] + (long)j * x->W + w];
    x->value[v] = vi;
    x->dval[x->dec[v]] = vi;
    for (int k = x->vc_off[v]; k < x->vc_off[v + 1]; k++) {
        x->left[x->vc[k]]--;
        x->nvary[x->vc[k]] += x->varies[v];
    }
    int rc = 0;
    for (int k = x->vc_off[v]; k < x->vc_off[v + 1]; k++)
        if (save_queue(x, x->vc[k]))
            return -1;
    for (int k = x->vc_off[v]; k < x->vc_off[v + 1] && !rc; k++) {
        int lc = x->vc[k];
        if (x->complete[lc])
            unapply_queue(x, lc);
        rc = apply_queue(x, lc);
    }
    if (rc)
        unplace(x, v);
    return rc;
}

static void unplace(csp *x, int v)
{
    int vi = x->value[v], row = x->vfirst[v] + vi, N = x->N;
    for (int k = x->vc_off[v]; k < x->vc_off[v + 1]; k++) {
        int lc = x->vc[k];
        if (x->complete[lc])
            unapply_queue(x, lc);
        x->left[lc]++;
        x->nvary[lc] -= x->varies[v];
    }
    for (int k = x->foot_off[row]; k < x->foot_off[row + 1]; k++) {
        const fp_iv *iv = &x->foot[k];
        const int64_t *rate = lc_rate(x, iv->lc);
        unsigned short *cnt = x->cnt + (long)iv->lc * N;
        x->overlap[iv->lc] -= iv->self;
        for (int t = iv->from; t < iv->from + iv->len; t++) {
            if (cnt[t] == 2)
                x->overlap[iv->lc]--;
            if (--cnt[t] == 0) {
                x->cov[(long)iv->lc * N + t] = 0;
                for (int m = x->cl_off[iv->lc]; m < x->cl_off[iv->lc + 1]; m++)
                    load_add(x, x->cl[m], t, -rate[t]);
            }
        }
    }
    x->value[v] = -1;
    x->dval[x->dec[v]] = -1;
    /* the queues of what stays placed, as they were before v */
    for (int k = x->vc_off[v + 1] - 1; k >= x->vc_off[v]; k--)
        restore_queue(x, x->vc[k]);
}

/* --- the search -------------------------------------------------------- */

static int look(csp *x)
{
    if (x->work > x->budget)
        x->stop = 1;
    if (x->work >= x->next_look) {
        x->next_look = x->work + LIMIT_EVERY;
        if (stg_limit_reached(x->lim) ||
            atomic_load_explicit(x->cancel, memory_order_relaxed))
            x->stop = 1;
    }
    return x->stop;
}

static int remove_row(csp *x, int v, int row, int depth)
{
    if (stg_grow((void **)&x->trail, &x->trail_cap, x->ntrail + 1,
                 sizeof *x->trail))
        return -1;
    x->trail[x->ntrail++] = row;
    x->removed[row] = (unsigned)depth + 1;
    x->dsize[v]--;
    return 0;
}

static void restore(csp *x, int depth)
{
    while (x->ntrail > 0 &&
           x->removed[x->trail[x->ntrail - 1]] == (unsigned)depth + 1) {
        int row = x->trail[--x->ntrail];
        x->removed[row] = 0;
        x->dsize[x->rvar[row]]++;
    }
}

/* Removes the rows of unplaced variables that no longer fit where the
 * load rose (x->changed) by placing var v.  Returns 1 when a variable has
 * none left (it and v then weigh more in pick()), 0, or -1 when out of
 * memory. */
static int forward_check(csp *x, int v, int depth)
{
    uint64_t changed = x->changed;
    if (x->rbits)
        note_changed_words(x);
    for (int w = 0; w < x->nv; w++) {
        if (x->value[w] >= 0)
            continue;
        for (int row = x->vfirst[w]; row < x->vfirst[w + 1]; row++) {
            if (x->removed[row] || !(x->blocks[row] & changed) ||
                (x->rbits ? fits_changed(x, row)
                          : fits_in(x, row, changed, NULL)))
                continue;
            if (remove_row(x, w, row, depth))
                return -1;
        }
        if (x->dsize[w] == 0) {
            x->wdeg[w]++;
            x->wdeg[v]++;
            x->fails++;
            return 1;
        }
    }
    return 0;
}

/* The unplaced variable with the fewest rows for the dead ends it took
 * part in (dom/wdeg: the variables that conflict come first once the
 * search has met their conflict; ties: the heaviest); with queue_first,
 * among those that share a computer with another open decision first. */
/* Whether var v shares a computer with another open decision (its
 * placement then fills in more of that computer's queue). */
static bool queued(const csp *x, int v)
{
    for (int k = x->vc_off[v]; k < x->vc_off[v + 1]; k++)
        if (x->left[x->vc[k]] > 1)
            return true;
    return false;
}

static int pick(const csp *x)
{
    int best = -1;
    bool best_q = false;
    for (int v = 0; v < x->nv; v++) {
        if (x->value[v] >= 0)
            continue;
        bool q = x->queue_first && queued(x, v);
        if (best >= 0 && q != best_q) {
            if (q) {
                best = v;
                best_q = q;
            }
            continue;
        }
        double a = (double)x->dsize[v] * (double)(best < 0 ? 1 : x->wdeg[best]);
        double b = best < 0 ? 0 : (double)x->dsize[best] * (double)x->wdeg[v];
        if (best < 0 || a < b ||
            (a == b &&
             x->p->dec[x->dec[v]].weight > x->p->dec[x->dec[best]].weight)) {
            best = v;
            best_q = q;
        }
    }
    return best;
}

/* The worst utilization of a complete placement. */
static double placed_util(const csp *x)
{
    const stg_fleet *f = x->p->fleet;
    double u = 0;
    for (int i = 0; i < x->np; i++) {
        int64_t peak = 0;
        for (int t = 0; t < x->N; t++)
            if (x->load[(long)i * x->N + t] > peak)
                peak = x->load[(long)i * x->N + t];
        double r = (double)peak / f->links[x->link[i]].capacity;
        if (r > u)
            u = r;
    }
    return u;
}

/* Depth-first search: 1 when a placement under the caps was found (in
 * found_value), 0 when there is none, -1 when out of memory, 2 when the
 * budget or the limit stopped it, 3 when it met more dead ends than
 * fail_limit (the caller starts again, with the weights it learnt). */
static int dfs(csp *x, int depth)
{
    int v = pick(x);
    if (v < 0) {
        x->found_util = placed_util(x);
        memcpy(x->found_value, x->value, sizeof *x->value * (size_t)x->nv);
        return 1;
    }
    if (look(x))
        return 2;
    if (x->fails > x->fail_limit)
        return 3;
    /* the rows that fit, the roomiest first */
    int n = 0;
    for (int row = x->vfirst[v]; row < x->vfirst[v + 1]; row++) {
        if (x->removed[row])
            continue;
        double s;
        if (!fits(x, row, &s))
            continue;
        x->slack[row] = s;
        x->order[n++] = row;
    }
    /* insertion sort, stable: roomiest first, then value order */
    for (int i = 1; i < n; i++) {
        int r = x->order[i], m = i;
        while (m > 0 && x->slack[x->order[m - 1]] < x->slack[r]) {
            x->order[m] = x->order[m - 1];
            m--;
        }
        x->order[m] = r;
    }
    int *rows = stg_malloc(sizeof *rows * (size_t)(n + 1));
    if (!rows)
        return -1;
    memcpy(rows, x->order, sizeof *rows * (size_t)n);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++) {
        int vi = rows[i] - x->vfirst[v];
        clear_changed(x);
        int r = place(x, v, vi);
        if (r < 0) {
            rc = -1;
            break;
        }
        if (r > 0) {
            x->wdeg[v]++;
            x->fails++;
            x->refuted[rows[i]] |= depth == 1;
            continue;
        }
        int fc = forward_check(x, v, depth);
        if (fc < 0)
            rc = -1;
        else if (fc == 0)
            rc = dfs(x, depth + 1);
        /* the first placement of a descent, with nothing under it */
        x->refuted[rows[i]] |= depth == 1 && (fc == 1 || (fc == 0 && rc == 0));
        restore(x, depth);
        unplace(x, v);
    }
    stg_free(rows);
    return rc;
}

/* Resets the load, the domains and the placement, with caps for util;
 * removes the rows that do not fit alone.  Returns 1 when a variable has
 * none left, 0, -1 when out of memory. */
static int restart(csp *x, double util)
{
    int N = x->N, dead = 0;
    set_caps(x, util);
    memcpy(x->load, x->bg, sizeof *x->load * (size_t)x->nl * (size_t)N);
    /* the blocks' highest loads and the hot slots, for these caps; a
     * background above a cap leaves no placement under it (a search
     * with no variable, a relaxed one's, would take it for one) */
    for (int i = 0; i < x->nl; i++) {
        x->bstale[i] = 0;
        for (int b = 0; b < 64; b++)
            x->bmax[i * 64 + b] = INT64_MIN;
        for (int t = 0; t < N; t++) {
            load_add(x, i, t, 0);
            dead |= x->bg[(long)i * N + t] > x->cap[i];
        }
    }
    memset(x->cnt, 0, sizeof *x->cnt * (size_t)x->nc * (size_t)N);
    memset(x->cov, 0, (size_t)x->nc * (size_t)N);
    memset(x->nq, 0, sizeof *x->nq * (size_t)x->nc);
    memset(x->overlap, 0, sizeof *x->overlap * (size_t)x->nc);
    memset(x->nvary, 0, sizeof *x->nvary * (size_t)x->nc);
    memset(x->complete, 0, sizeof *x->complete * (size_t)x->nc);
    for (int lc = 0; lc < x->nc; lc++)
        x->left[lc] = 0;
    for (int v = 0; v < x->nv; v++)
        for (int k = x->vc_off[v]; k < x->vc_off[v + 1]; k++)
            x->left[x->vc[k]]++;
    x->ntrail = 0;
    x->nqs = 0;
    for (int d = 0; d < x->p->ndecisions; d++)
        x->dval[d] = -1;
    for (int v = 0; v < x->nv; v++) {
        x->value[v] = -1;
        x->dsize[v] = 0;
        for (int row = x->vfirst[v]; row < x->vfirst[v + 1]; row++) {
            double s;
            x->removed[row] = 0;
            if (!x->refuted[row] && fits(x, row, &s))
                x->dsize[v]++;
            else
                x->removed[row] = 1;    /* depth 0: never restored */
        }
        dead |= x->dsize[v] == 0;
    }
    return dead;
}

/* Searches for placements of ever lower utilization from util down to
 * out->lower, improving out (values, util) and proving it (proven,
 * lower) where it can.  Returns 0, or -1 when out of memory. */
static int search(csp *x, double util, stg_exact_result *out)
{
    for (;;) {
        if (util <= out->lower + 1e-12) {
            out->proven = true;
            return 0;
        }
        /* descents with more dead ends allowed each time, the weights
         * of the last ones kept: the variables in conflict move to the
         * top, where a first descent may not have put them */
        int r = 3;
        x->fail_limit = RESTART_FIRST;
        while (r == 3) {
            x->fails = 0;
            r = restart(x, util);
            if (r < 0)
                return -1;
            if (r == 0) {
                clear_changed(x);
                r = dfs(x, 1);
                if (r < 0)
                    return -1;
            } else {
                r = 0;
            }
            x->fail_limit *= 2;
        }
        if (r == 2)
            return 0;           /* gave up: lower stays what it was */
        if (r == 0) {           /* nothing below util */
            out->proven = true;
            out->lower = util;
            return 0;
        }
        util = x->found_util;
        out->util = util;
        out->improved = true;
        for (int v = 0; v < x->nv; v++)
            out->values[x->dec[v]] = x->found_value[v];
    }
}

/* One order's search (the portfolio of stg_exact_solve_with()): from
 * the placement and utilization in res, with its own state, budget and
 * weights. */
typedef struct {
    const stg_problem *p;
    const link_set *ls;
    const stg_limit *lim;
    bool no_memo, queue_first;
    long budget;
    atomic_bool cancel;         /* its answer is no longer wanted */
    atomic_bool *settles;       /* set when it proves that nothing is
                                   below where it started (NULL: none) */
    stg_exact_result res;
    bool stopped;               /* its budget, the limit or cancel */
    int rc;
    stg_pool_job job;
} order_run;

static void run_order(void *arg)
{
    order_run *r = arg;
    csp x;
    r->rc = -1;
    r->stopped = false;
    if (csp_init(&x, r->p, r->ls))
        goto done;
    x.lim = r->lim;
    x.cancel = &r->cancel;
    x.qm_off = r->no_memo;
    x.queue_first = r->queue_first;
    x.budget = r->budget;
    x.next_look = LIMIT_EVERY;
    for (int v = 0; v < x.nv; v++)
        x.wdeg[v] = 1;
    if (search(&x, r->res.util, &r->res))
        goto done;
    r->stopped = x.stop;
    r->rc = 0;
    if (r->settles && r->res.proven && !r->res.improved)
        atomic_store(r->settles, true);
done:
    r->res.work = x.work;
    csp_free(&x);
}

static int order_init(order_run *r, const stg_problem *p, const link_set *ls,
                      const stg_limit *lim,
                      const stg_exact_opts *o, bool queue_first, long budget,
                      const stg_exact_result *from)
{
    memset(r, 0, sizeof *r);
    r->p = p;
    r->ls = ls;
    r->lim = lim;
    r->no_memo = o && o->no_memo;
    r->queue_first = queue_first;
    r->budget = budget;
    atomic_init(&r->cancel, false);
    r->res = *from;
    r->res.work = 0;
    r->res.values = stg_malloc(sizeof *r->res.values *
                               (size_t)(p->ndecisions + 1));
    if (!r->res.values)
        return -1;
    memcpy(r->res.values, from->values,
           sizeof *r->res.values * (size_t)p->ndecisions);
    return 0;
}

static bool in_list(const int *a, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (a[i] == x)
            return true;
    return false;
}

/* Whether decision d is a variable of the search over ls: it has a job
 * on one of its computers. */
static bool is_var(const stg_problem *p, int d, const link_set *ls)
{
    for (int j = 0; j < p->dec[d].ncomputers; j++) {
        int c = p->dec[d].computers[j];
        if (ls->comp ? ls->comp[c] != 0
                     : crosses_any(p->fleet, c, ls->link, ls->nvl))
            return true;
    }
    return false;
}

/* How many variables the search over ls has, counting up to max + 1. */
static int count_vars(const stg_problem *p, const link_set *ls, int max)
{
    int n = 0;
    for (int d = 0; d < p->ndecisions && n <= max; d++)
        n += is_var(p, d, ls);
    return n;
}

/* A lift's links and computers (exact.h): after the searched links,
 * o->with; the computers that cross them, and every computer a decision
 * of those has a job on (a group whose sources sit at several sites),
 * and so on (comp); then every other link those computers cross, held
 * (not for a held bound, o->held: o->with alone are held).
 * Returns 0, or -1 when out of memory. */
static int lift_links(const stg_problem *p, const stg_exact_opts *o,
                      link_set *ls, int *all)
{
    const stg_fleet *f = p->fleet;
    int n = ls->np, C = f->ncomputers;
    unsigned char *in = stg_calloc((size_t)C + 1, 1);
    if (!in)
        return -1;
    for (int i = 0; i < o->nwith; i++)
        if (!in_list(all, n, o->with[i]))
            all[n++] = o->with[i];
    ls->nvl = n;
    for (int c = 0; c < C; c++)
        in[c] = crosses_any(f, c, all, ls->nvl);
    stg_problem_close_computers(p, in);
    for (int c = 0; c < C && !o->held; c++)
        for (int l = 0; in[c] && l < f->nlinks; l++)
            if (stg_computer_crosses(&f->computers[c], l) &&
                !in_list(all, n, l))
                all[n++] = l;
    /* a computer none of the links crosses (a held bound's: a group's
     * other site) loads none of them: not one of the search's (and the
     * forward check of one link takes every computer to be on it) */
    for (int c = 0; c < C; c++)
        if (in[c] && !crosses_any(f, c, all, n))
            in[c] = 0;
    ls->nl = n;
    ls->comp = in;
    return 0;
}

/* Takes r's answer into out (its values, its bounds; improved when
 * either improved). */
static void take_order(stg_exact_result *out, order_run *r)
{
    bool improved = out->improved || r->res.improved;
    long work = out->work + r->res.work;
    stg_free(out->values);
    *out = r->res;
    r->res.values = NULL;
    out->improved = improved;
    out->work = work;
}

/* STAGGER_CHECK (trace.h): the placement answered, put in the
 * incumbent, gives the links the utilization the answer claims, or the
 * search's model and the load model differ: that is a bug, and the
 * program stops.  Returns -1 when out of memory, else 0. */
static int check_answer(const stg_problem *p, const int *links, int nlinks,
                        const stg_state *incumbent,
                        const stg_exact_result *out)
{
    stg_state *t = stg_exact_placed(incumbent, out);
    if (!t)
        return -1;
    double u = 0;
    for (int i = 0; i < nlinks; i++)
        if (stg_state_util(t, links[i]) > u)
            u = stg_state_util(t, links[i]);
    stg_state_free(t);
    if (fabs(u - out->util) > 1e-9) {
        fprintf(stderr, "stagger: STAGGER_CHECK: the exact search of %s "
                "claims utilization %.9f, its placement gives %.9f\n",
                p->fleet->links[links[0]].name, out->util, u);
        abort();
    }
    return 0;
}

/* The search in two variable orders (pick()): the first, dom/wdeg; the
 * second, each computer's decisions first (a check that holds back its
 * computer's next sync prunes only once both are placed).  The second
 * runs when the first gave up (its budget spent) without a better
 * placement, from the incumbent, and its answer is the search's; when
 * the first found a better one unproven, from there.  A small search
 * (PORTFOLIO_VARS) always has both, each with half the budget; a larger
 * one when o->every_order, the first with the whole (none of its proofs
 * lost) and the second with half (on an idle thread, it ends no later
 * than the first when it starts before the first's middle).  The
 * second, offered to idle threads (o->help) while the first runs, ends
 * the search at once when it proves that nothing is below the
 * incumbent: the first could then only prove the same.  So the answer
 * is the same whether help came or not. */
int stg_exact_solve_with(const stg_problem *p, const int *links, int nlinks,
                         const stg_state *incumbent, double lower,
                         long budget, const stg_limit *lim,
                         const stg_exact_opts *o, stg_exact_result *out)
{
    order_run r[2];
    int rc = -1, nr = 0, nf = p->fleet->nlinks;
    bool relaxed = o && o->only && !o->lift && !o->held;
    int *all = stg_malloc(sizeof *all * (size_t)(nf + 1));
    int64_t *held_cap = stg_malloc(sizeof *held_cap * (size_t)(nf + 1));
    bool *strict = stg_calloc((size_t)nf + 1, sizeof *strict);
    link_set ls = { all, nlinks, nlinks, nlinks, NULL, held_cap, strict,
                    incumbent };
    memset(out, 0, sizeof *out);
    out->values = stg_malloc(sizeof *out->values * (size_t)(p->ndecisions + 1));
    if (!out->values || !all || !held_cap || !strict)
        goto done;
    memcpy(all, links, sizeof *all * (size_t)nlinks);
    if (o && (o->lift || o->held) && lift_links(p, o, &ls, all))
        goto done;
    if (relaxed) {
        int C = p->fleet->ncomputers;
        if (!(ls.comp = stg_calloc((size_t)C + 1, 1)))
            goto done;
        for (int c = 0; c < C; c++)
            ls.comp[c] = o->only[c] && crosses_any(p->fleet, c, links, nlinks);
    }
    for (int i = ls.np; i < ls.nl; i++) {
        held_cap[i - ls.np] = stg_state_peak(incumbent, all[i]);
        strict[i - ls.np] = o->held;
        for (int k = 0; k < o->nstrict; k++)
            strict[i - ls.np] |= o->strict[k] == all[i];
    }
    /* the incumbent's placement and worst utilization over the links */
    double util = 0;
    for (int i = 0; i < nlinks; i++) {
        double u = stg_state_util(incumbent, links[i]);
        if (u > util)
            util = u;
    }
    for (int d = 0; d < p->ndecisions; d++)
        out->values[d] = is_var(p, d, &ls) ? stg_state_value(incumbent, d)
                                           : -1;
    if (o && o->below > 0 && o->below < util)
        util = o->below;
    out->util = util;
    out->lower = lower;
    bool small = count_vars(p, &ls, PORTFOLIO_VARS) <= PORTFOLIO_VARS;
    bool both = small || (o && o->every_order);
    long first = small ? budget / 2 : budget, half = budget / 2;
    stg_pool_board *help = o ? o->help : NULL;
    if (order_init(&r[0], p, &ls, lim, o, false, first, out))
        goto done;
    nr = 1;
    if (both) {
        if (order_init(&r[1], p, &ls, lim, o, true, half, out))
            goto done;
        nr = 2;
        r[1].settles = &r[0].cancel;
        stg_pool_offer(help, &r[1].job, run_order, &r[1]);
    }
    run_order(&r[0]);
    if (r[0].rc) {
        if (both) {             /* a helper may be running it */
            atomic_store(&r[1].cancel, true);
            stg_pool_withdraw(help, &r[1].job);
        }
        goto done;
    }
    bool second = both && !r[0].res.proven && r[0].stopped &&
                  !stg_limit_reached(lim);
    if (!second || r[0].res.improved) {
        /* the second, from the incumbent, is not wanted */
        if (both) {
            atomic_store(&r[1].cancel, true);
            stg_pool_withdraw(help, &r[1].job);
            nr = 1;
            stg_exact_result_free(&r[1].res);
        }
        take_order(out, &r[0]);
        if (second) {
            /* from the first's better placement */
            if (order_init(&r[1], p, &ls, lim, o, true, half, out))
                goto done;
            nr = 2;
            run_order(&r[1]);
            if (r[1].rc)
                goto done;
            take_order(out, &r[1]);
        }
    } else {
        if (!stg_pool_withdraw(help, &r[1].job))
            run_order(&r[1]);
        if (r[1].rc)
            goto done;
        out->work += r[0].res.work;
        take_order(out, &r[1]);
    }
    rc = 0;
done:
    if (!rc && out->improved && !relaxed && stg_check_on() &&
        check_answer(p, links, nlinks, incumbent, out))
        rc = -1;
    for (int i = 0; i < nr; i++)
        stg_exact_result_free(&r[i].res);
    if (rc)
        stg_exact_result_free(out);
    stg_free(all);
    stg_free(held_cap);
    stg_free(strict);
    stg_free(ls.comp);
    return rc;
}

int stg_exact_solve(const stg_problem *p, const int *links, int nlinks,
                    const stg_state *incumbent, double lower, long budget,
                    const stg_limit *lim, stg_exact_result *out)
{
    return stg_exact_solve_with(p, links, nlinks, incumbent, lower, budget,
                                lim, NULL, out);
}

void stg_exact_result_free(stg_exact_result *r)
{
    stg_free(r->values);
    r->values = NULL;
}

stg_state *stg_exact_placed(const stg_state *st, const stg_exact_result *r)
{
    const stg_problem *p = stg_state_problem(st);
    stg_state *t = stg_state_clone(st);
    if (!t)
        return NULL;
    for (int d = 0; d < p->ndecisions; d++)
        if (r->values[d] >= 0 && r->values[d] != stg_state_value(t, d)) {
            stg_state_remove(t, d);
            stg_state_place(t, d, r->values[d]);
        }
    if (stg_state_oom(t)) {
        stg_state_free(t);
        return NULL;
    }
    return t;
}

bool stg_exact_fits(const stg_problem *p, const int *links, int nlinks,
                    int max)
{
    link_set ls = { links, nlinks, nlinks, nlinks, NULL, NULL, NULL, NULL };
    return count_vars(p, &ls, max) <= max;
}
