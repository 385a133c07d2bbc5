/* stagger: large-neighbourhood search with GLPK sub-MILPs (see lns.h). */
#include "lns.h"

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_guard.h"
#include "model/alloc.h"

/* Neighbourhood sizes: start, smallest, largest. */
#define K_START 12
#define K_MIN 4
#define K_MAX 40
/* Links with more computers than this are not rebuilt by a sub-MILP. */
#define MAX_COMPUTERS 64
/* Failures (no better answer) before a link is left alone. */
#define MAX_FAILS 2
/* Seconds one sub-MILP may take at most. */
#define SUB_SECONDS 2.0

typedef struct {
    int i, v, c, t;             /* free decision, value, local computer, slot */
} cover;

typedef struct {
    const stg_problem *p;
    const int *local;           /* computer -> local index or -1 */
    int N;
    /* fixed marking */
    unsigned char *fixed;
    /* cover collection */
    cover *cv;
    size_t n, cap;
    int i, v;
    int oom;
} sub_ctx;

static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static void mark_fixed(void *arg, int c, int s, int len)
{
    sub_ctx *x = arg;
    int lc = x->local[c];
    if (lc < 0)
        return;
    for (int k = 0; k < len; k++)
        x->fixed[(long)lc * x->N + (s + k) % x->N] = 1;
}

static void collect(void *arg, int c, int s, int len)
{
    sub_ctx *x = arg;
    int lc = x->local[c];
    if (lc < 0)
        return;
    for (int k = 0; k < len; k++) {
        if (stg_grow((void **)&x->cv, &x->cap, x->n + 1, sizeof *x->cv)) {
            x->oom = 1;
            return;
        }
        x->cv[x->n++] = (cover){ x->i, x->v, lc, (s + k) % x->N };
    }
}

static int by_ict(const void *a, const void *b)
{
    const cover *x = a, *y = b;
    if (x->i != y->i)
        return x->i - y->i;
    if (x->c != y->c)
        return x->c - y->c;
    if (x->t != y->t)
        return x->t - y->t;
    return x->v - y->v;
}

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t r = a % b;
        a = b;
        b = r;
    }
    return a;
}

/* The matrix in GLPK's 1-based triplets. */
typedef struct {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
    int oom;
} triplets;

static void put(triplets *m, int row, int col, double v)
{
    if (m->oom)
        return;
    size_t cap = m->cap;
    if (m->n + 2 > cap) {
        size_t nc = cap ? 2 * cap : 1024;
        int *ia = stg_realloc(m->ia, nc * sizeof *ia);
        if (ia)
            m->ia = ia;
        int *ja = stg_realloc(m->ja, nc * sizeof *ja);
        if (ja)
            m->ja = ja;
        double *ar = stg_realloc(m->ar, nc * sizeof *ar);
        if (ar)
            m->ar = ar;
        if (!ia || !ja || !ar) {
            m->oom = 1;
            return;
        }
        m->cap = nc;
    }
    m->n++;
    m->ia[m->n] = row;
    m->ja[m->n] = col;
    m->ar[m->n] = v;
}

/* Everything one sub-MILP needs, reused from one to the next. */
typedef struct {
    int *local;                 /* ncomputers: local index or -1 */
    int *comp;                  /* local -> computer */
    int *free_dec;              /* the free decisions */
    unsigned char *is_free;     /* per decision */
    int *xcol;                  /* per free decision: first x column */
    int *busycol;               /* nC x N: column or 0 */
    unsigned char *cur;         /* nC x N: busy at the current values */
    int *values;                /* per free decision: the answer */
    sub_ctx cx;
    triplets m;
} work;

enum { SUB_BETTER, SUB_NONE, SUB_TIMEOUT, SUB_OOM, SUB_FAILED };

/* The GLPK part of solve_sub: builds the model from the covers and the
 * constant loads, and solves it. */
static int run_glpk(const stg_problem *p, work *w, int nfree, int nC,
                    int ncols, const int *busycol, const double *cons,
                    int64_t g, double p_lo, double p_hi,
                    const stg_limit *lim, char **cause)
{
    int N = p->nslots, rc = SUB_FAILED;
    stg_glpk_guard guard;
    glp_prob *volatile lp = NULL;
    if (stg_glpk_enter(&guard)) {
        stg_glpk_recover();
        stg_glpk_leave(&guard);
        *cause = stg_asprintf("the sub-MILP solver failed: %s",
                              stg_glpk_last_message());
        return SUB_FAILED;
    }
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, ncols);
    glp_set_col_kind(lp, 1, GLP_IV);
    glp_set_col_bnds(lp, 1, p_lo < p_hi ? GLP_DB : GLP_FX, p_lo, p_hi);
    glp_set_obj_coef(lp, 1, 1);
    int nx = 1;
    for (int i = 0; i < nfree; i++)
        nx += p->dec[w->free_dec[i]].nvalues;
    for (int c = 2; c <= ncols; c++) {
        if (c <= nx)
            glp_set_col_kind(lp, c, GLP_BV);
        else            /* busy: forced up by x, pushed down by the loads */
            glp_set_col_bnds(lp, c, GLP_DB, 0, 1);
    }
    int row = 0;
    w->m.n = 0;
    w->m.oom = 0;
    for (int i = 0; i < nfree; i++) {
        glp_add_rows(lp, 1);
        row++;
        glp_set_row_bnds(lp, row, GLP_FX, 1, 1);
        for (int v = 0; v < p->dec[w->free_dec[i]].nvalues; v++)
            put(&w->m, row, w->xcol[i] + v, 1);
    }
    for (size_t j = 0; j < w->cx.n;) {
        const cover *x = &w->cx.cv[j];
        long k = (long)x->c * N + x->t;
        size_t e = j;
        while (e < w->cx.n && w->cx.cv[e].i == x->i && w->cx.cv[e].c == x->c &&
               w->cx.cv[e].t == x->t)
            e++;
        if (busycol[k]) {
            glp_add_rows(lp, 1);
            row++;
            glp_set_row_bnds(lp, row, GLP_LO, 0, 0);
            put(&w->m, row, busycol[k], 1);
            int last = -1;
            for (size_t q = j; q < e; q++)
                if (w->cx.cv[q].v != last) {
                    last = w->cx.cv[q].v;
                    put(&w->m, row, w->xcol[x->i] + last, -1);
                }
        }
        j = e;
    }
    for (int t = 0; t < N; t++) {
        int any = 0;
        for (int lc = 0; lc < nC; lc++) {
            long k = (long)lc * N + t;
            if (!busycol[k])
                continue;
            if (!any) {
                glp_add_rows(lp, 1);
                row++;
                glp_set_row_bnds(lp, row, GLP_LO, cons[t] / (double)g, 0);
                put(&w->m, row, 1, 1);
                any = 1;
            }
            put(&w->m, row, busycol[k],
                -(double)stg_problem_rates(p, w->comp[lc])[t] / (double)g);
        }
    }
    if (w->m.oom) {
        glp_delete_prob(lp);
        stg_glpk_leave(&guard);
        return SUB_OOM;
    }
    glp_load_matrix(lp, (int)w->m.n, w->m.ia, w->m.ja, w->m.ar);

    double left = lim && lim->deadline > 0 ? lim->deadline - stg_now()
                                           : SUB_SECONDS;
    if (left > SUB_SECONDS)
        left = SUB_SECONDS;
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_ON;
    ip.tm_lim = left > 0.05 ? (int)(left * 1000) : 50;
    int ret = glp_intopt(lp, &ip);
    int status = glp_mip_status(lp);
    if (status == GLP_OPT || status == GLP_FEAS) {
        for (int i = 0; i < nfree; i++) {
            int best = 0;
            for (int v = 0; v < p->dec[w->free_dec[i]].nvalues; v++)
                if (glp_mip_col_val(lp, w->xcol[i] + v) >
                    glp_mip_col_val(lp, w->xcol[i] + best))
                    best = v;
            w->values[i] = best;
        }
        rc = SUB_BETTER;
    } else if (ret == GLP_ETMLIM || ret == GLP_ESTOP) {
        rc = SUB_TIMEOUT;
    } else if (ret == 0 || ret == GLP_ENOPFS || ret == GLP_ENODFS) {
        rc = SUB_NONE;          /* proved: nothing strictly better */
    } else {
        *cause = stg_asprintf("the sub-MILP solver failed: %s%s%s",
                              stg_glpk_strerror(ret),
                              stg_glpk_last_message()[0] ? ": " : "",
                              stg_glpk_last_message());
        rc = SUB_FAILED;
    }
    glp_delete_prob(lp);
    stg_glpk_leave(&guard);
    return rc;
}

/* Builds and solves the sub-MILP of the nfree free decisions on link L;
 * SUB_BETTER leaves the answer in w->values. */
static int solve_sub(const stg_state *st, int L, work *w, int nfree,
                     const stg_limit *lim, char **cause)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_fleet *f = p->fleet;
    int N = p->nslots, nC = 0, rc = SUB_FAILED;
    for (int c = 0; c < f->ncomputers; c++) {
        w->local[c] = -1;
        if (stg_computer_crosses(&f->computers[c], L)) {
            w->local[c] = nC;
            w->comp[nC++] = c;
        }
    }
    long CN = (long)nC * N;
    w->cx.fixed = stg_calloc((size_t)CN + 1, 1);
    unsigned char *cur = stg_calloc((size_t)CN + 1, 1);
    int *busycol = stg_calloc((size_t)CN + 1, sizeof *busycol);
    double *cons = stg_calloc((size_t)N, sizeof *cons);
    if (!w->cx.fixed || !cur || !busycol || !cons)
        goto oom;
    w->cx.p = p;
    w->cx.local = w->local;
    w->cx.N = N;
    w->cx.n = 0;
    w->cx.oom = 0;

    /* fixed decisions: their jobs keep computers busy where they are */
    int nd;
    const int *decs = stg_state_link_decs(st, L, &nd);
    for (int k = 0; k < nd; k++) {
        int d = decs[k], vi = stg_state_value(st, d);
        if (!w->is_free[d] && vi >= 0)
            stg_problem_busy(p, d, vi, STG_BUSY_NOMINAL, mark_fixed, &w->cx);
    }
    /* free decisions: what each value would cover */
    for (int i = 0; i < nfree; i++) {
        const stg_decision *dc = &p->dec[w->free_dec[i]];
        for (int v = 0; v < dc->nvalues; v++) {
            w->cx.i = i;
            w->cx.v = v;
            stg_problem_busy(p, w->free_dec[i], v, STG_BUSY_NOMINAL, collect,
                             &w->cx);
        }
    }
    if (w->cx.oom)
        goto oom;
    qsort(w->cx.cv, w->cx.n, sizeof *w->cx.cv, by_ict);

    /* the rates in units of their gcd; the constant load per slot */
    int64_t g = 0;
    for (int lc = 0; lc < nC; lc++) {
        const int64_t *r = stg_problem_rates(p, w->comp[lc]);
        for (int t = 0; t < N; t++)
            if (r[t] > 0)
                g = gcd64(g, r[t]);
    }
    if (g <= 0)
        g = 1;
    double cons_max = 0;
    for (int t = 0; t < N; t++) {
        cons[t] = stg_link_background_at(f, &f->links[L], t * p->res);
        for (int lc = 0; lc < nC; lc++)
            if (w->cx.fixed[(long)lc * N + t])
                cons[t] += (double)stg_problem_rates(p, w->comp[lc])[t];
        if (cons[t] > cons_max)
            cons_max = cons[t];
    }

    /* columns: P, x per free decision and value, busy where coverable */
    int ncols = 1;
    for (int i = 0; i < nfree; i++) {
        w->xcol[i] = ncols + 1;
        ncols += p->dec[w->free_dec[i]].nvalues;
    }
    for (size_t j = 0; j < w->cx.n; j++) {
        const cover *x = &w->cx.cv[j];
        long k = (long)x->c * N + x->t;
        if (!w->cx.fixed[k] && !busycol[k])
            busycol[k] = ++ncols;
        if (x->v == stg_state_value(st, w->free_dec[x->i]))
            cur[k] = 1;
    }
    /* the incumbent's peak in the model, in units of g */
    double inc = 0;
    for (int t = 0; t < N; t++) {
        double load = cons[t];
        for (int lc = 0; lc < nC; lc++) {
            long k = (long)lc * N + t;
            if (!w->cx.fixed[k] && cur[k])
                load += (double)stg_problem_rates(p, w->comp[lc])[t];
        }
        if (load > inc)
            inc = load;
    }
    double p_lo = ceil(cons_max / (double)g - 1e-9);
    double p_hi = ceil(inc / (double)g - 1e-9) - 1;
    if (p_hi < p_lo) {
        rc = SUB_NONE;          /* the fixed load alone reaches the peak */
        goto out;
    }

    rc = run_glpk(p, w, nfree, nC, ncols, busycol, cons, g, p_lo, p_hi, lim,
                  cause);
    goto out;
oom:
    rc = SUB_OOM;
out:
    stg_free(w->cx.fixed);
    w->cx.fixed = NULL;
    stg_free(cur);
    stg_free(busycol);
    stg_free(cons);
    return rc;
}

/* The links' utilizations sorted from the highest. */
typedef struct {
    double u;
    int l;
} link_u;

static int by_u(const void *a, const void *b)
{
    const link_u *x = a, *y = b;
    if (x->u != y->u)
        return x->u > y->u ? -1 : 1;
    return x->l - y->l;
}

/* Frees up to k decisions on link L, those loading its peak first (each
 * group in a random order).  Returns how many. */
static int choose(const stg_state *st, int L, int k, uint64_t *rng, work *w)
{
    const stg_problem *p = stg_state_problem(st);
    int nd, n = 0;
    const int *decs = stg_state_link_decs(st, L, &nd);
    int64_t peak = stg_state_peak(st, L);
    for (int pass = 0; pass < 2 && n < k; pass++) {
        int first = n;
        for (int j = 0; j < nd && n < k + nd; j++) {
            int d = decs[j];
            if (w->is_free[d] || p->dec[d].nvalues < 2)
                continue;
            int at_peak = 0;
            const stg_decision *dc = &p->dec[d];
            for (int q = 0; q < dc->ncomputers && !at_peak; q++) {
                int c = dc->computers[q];
                if (!stg_computer_crosses(&p->fleet->computers[c], L))
                    continue;
                for (int t = 0; t < p->nslots && !at_peak; t++)
                    at_peak = stg_state_busy(st, c, t) &&
                              stg_state_load(st, L, t) == peak;
            }
            if (at_peak != (pass == 0))
                continue;
            w->free_dec[n++] = d;
            w->is_free[d] = 1;
        }
        /* shuffle this pass's picks, keep k */
        for (int a = n - 1; a > first; a--) {
            int b = first + (int)(next_random(rng) % (uint64_t)(a - first + 1));
            int tmp = w->free_dec[a];
            w->free_dec[a] = w->free_dec[b];
            w->free_dec[b] = tmp;
        }
        for (int a = k; a < n; a++)
            w->is_free[w->free_dec[a]] = 0;
        if (n > k)
            n = k;
    }
    return n;
}

/* Applies the answer when it improves the links it touches. */
static int apply(stg_state *st, work *w, int nfree)
{
    int links[64] = { 0 }, nl = 0;
    for (int i = 0; i < nfree && nl < 64; i++) {
        int n;
        const int *ls = stg_state_dec_links(st, w->free_dec[i], &n);
        for (int j = 0; j < n && nl < 64; j++) {
            int seen = 0;
            for (int q = 0; q < nl && !seen; q++)
                seen = links[q] == ls[j];
            if (!seen)
                links[nl++] = ls[j];
        }
    }
    stg_score before, after;
    stg_state_score(st, links, nl, &before);
    int old[K_MAX];
    for (int i = 0; i < nfree; i++) {
        old[i] = stg_state_value(st, w->free_dec[i]);
        stg_state_remove(st, w->free_dec[i]);
    }
    for (int i = 0; i < nfree; i++)
        stg_state_place(st, w->free_dec[i], w->values[i]);
    stg_state_score(st, links, nl, &after);
    if (stg_score_cmp(&after, &before) < 0)
        return 1;
    for (int i = 0; i < nfree; i++)
        stg_state_remove(st, w->free_dec[i]);
    for (int i = 0; i < nfree; i++)
        stg_state_place(st, w->free_dec[i], old[i]);
    return 0;
}

int stg_lns(stg_state *st, const double *target, uint64_t seed,
            const stg_limit *lim, stg_lns_stats *stats, char **cause)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_fleet *f = p->fleet;
    int L = f->nlinks, rc = -1;
    uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + 0x5851F42D4C957F2DULL;
    if (!rng)
        rng = 1;
    work w;
    memset(&w, 0, sizeof w);
    memset(stats, 0, sizeof *stats);
    link_u *lu = stg_malloc(sizeof *lu * (size_t)(L + 1));
    int *fails = stg_calloc((size_t)L + 1, sizeof *fails);
    w.local = stg_malloc(sizeof *w.local * (size_t)(f->ncomputers + 1));
    w.comp = stg_malloc(sizeof *w.comp * (size_t)(f->ncomputers + 1));
    w.free_dec = stg_malloc(sizeof *w.free_dec * (size_t)(p->ndecisions + 1));
    w.is_free = stg_calloc((size_t)p->ndecisions + 1, 1);
    w.xcol = stg_malloc(sizeof *w.xcol * (K_MAX + 1));
    w.values = stg_malloc(sizeof *w.values * (K_MAX + 1));
    if (!lu || !fails || !w.local || !w.comp || !w.free_dec || !w.is_free ||
        !w.xcol || !w.values)
        goto oom;
    int k = K_START;
    while (!stg_limit_reached(lim)) {
        /* the worst link above its target that may still improve */
        for (int l = 0; l < L; l++) {
            lu[l].u = stg_state_util(st, l);
            lu[l].l = l;
        }
        qsort(lu, (size_t)L, sizeof *lu, by_u);
        int link = -1;
        for (int j = 0; j < L && link < 0; j++) {
            int l = lu[j].l;
            if (target && lu[j].u <= target[l] + 1e-12)
                continue;
            if (fails[l] >= MAX_FAILS)
                continue;
            int nc = 0;
            for (int c = 0; c < f->ncomputers && nc <= MAX_COMPUTERS; c++)
                nc += stg_computer_crosses(&f->computers[c], l);
            if (nc > MAX_COMPUTERS) {
                fails[l] = MAX_FAILS;
                continue;
            }
            link = l;
        }
        if (link < 0)
            break;
        int nfree = choose(st, link, k, &rng, &w);
        if (nfree == 0) {
            fails[link] = MAX_FAILS;
            continue;
        }
        double t0 = stg_now();
        int r = solve_sub(st, link, &w, nfree, lim, cause);
        double took = stg_now() - t0;
        stats->tried++;
        if (r == SUB_OOM)
            goto oom;
        if (r == SUB_FAILED) {
            for (int i = 0; i < nfree; i++)
                w.is_free[w.free_dec[i]] = 0;
            goto out;
        }
        int kept = r == SUB_BETTER && apply(st, &w, nfree);
        for (int i = 0; i < nfree; i++)
            w.is_free[w.free_dec[i]] = 0;
        if (kept) {
            stats->improved++;
            memset(fails, 0, sizeof *fails * (size_t)L);
        } else {
            fails[link]++;
        }
        if (r == SUB_NONE)
            stats->proved++;
        if (r == SUB_TIMEOUT) {
            stats->timed_out++;
            k = k * 2 / 3 > K_MIN ? k * 2 / 3 : K_MIN;
        } else if (took < 0.25 * SUB_SECONDS && k < K_MAX) {
            k = k * 3 / 2 < K_MAX ? k * 3 / 2 : K_MAX;
            if (r != SUB_BETTER)
                fails[link] = fails[link] > 0 ? fails[link] - 1 : 0;
        }
    }
    stats->k = k;
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
    rc = -1;
out:
    stg_free(lu);
    stg_free(fails);
    stg_free(w.local);
    stg_free(w.comp);
    stg_free(w.free_dec);
    stg_free(w.is_free);
    stg_free(w.xcol);
    stg_free(w.values);
    stg_free(w.cx.cv);
    stg_free(w.m.ia);
    stg_free(w.m.ja);
    stg_free(w.m.ar);
    return rc;
}
