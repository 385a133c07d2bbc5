/* stagger: cheap, always-valid per-link bounds (see bound.h). */
#include "bound.h"

#include <math.h>
#include <string.h>

#include "model/alloc.h"

/* Entry visits the pairwise bound may spend, over all links. */
#define PAIR_BUDGET 200000000L

typedef struct {
    const stg_problem *p;
    int link;
    int no_wait;
    double *extra;              /* nslots: load the decision adds */
    int *touched;               /* slots touched, to reset */
    int ntouched;
    unsigned char *seen;        /* per computer x slot for this value */
    int *seen_list;
    int nseen;
} placement;

static void on_busy(void *arg, int c, int s, int len)
{
    placement *pl = arg;
    const stg_problem *p = pl->p;
    const stg_computer *cp = &p->fleet->computers[c];
    int on = 0;
    for (int i = 0; i < cp->nfull_path; i++)
        on |= cp->full_path[i] == pl->link;
    if (!on || (p->binding[cp->server] && !pl->no_wait))
        return;
    int N = p->nslots;
    for (int k = 0; k < len && k < N; k++) {
        int t = (s + k) % N;
        long key = (long)c * N + t;
        if (pl->seen[key])
            continue;           /* one computer counts once per slot */
        pl->seen[key] = 1;
        pl->seen_list[pl->nseen++] = (int)key;
        if (pl->extra[t] == 0)
            pl->touched[pl->ntouched++] = t;
        pl->extra[t] += (double)p->rate[key];
    }
}

/* A computer whose server can make it wait still sends each job at some
 * time: its largest job, started wherever it hurts least, gives a bound
 * on every link of its path. */
static double anywhere(const stg_problem *p, int c, double volume,
                       const double *bg)
{
    int N = p->nslots;
    const int64_t *rate = p->rate + (long)c * N;
    double best = INFINITY;
    for (int s = 0; s < N; s++) {
        int len = stg_problem_duration(p, c, s, volume);
        double high = 0;
        for (int k = 0; k < len && high < best; k++) {
            int t = (s + k) % N;
            if (bg[t] + (double)rate[t] > high)
                high = bg[t] + (double)rate[t];
        }
        if (high < best)
            best = high;
    }
    return best;
}

/* --- pairs ---------------------------------------------------------- */

/* Load one decision puts on one link at each of its values: sparse
 * (slot, rate) entries, each computer counted once per slot. */
typedef struct {
    int *off;                   /* nvalues + 1 offsets into t[], r[] */
    int *t;
    double *r;
    int nvalues;
} spread;

typedef struct {
    placement *pl;
    spread *sp;
    size_t n, cap;
    int oom;
} spread_ctx;

static void spread_free(spread *sp)
{
    stg_free(sp->off);
    stg_free(sp->t);
    stg_free(sp->r);
    memset(sp, 0, sizeof *sp);
}

/* Fills sp for decision d on pl->link; returns -1 when out of memory. */
static int spread_build(const stg_problem *p, placement *pl, int d, spread *sp)
{
    size_t n = 0, cap = 0;
    memset(sp, 0, sizeof *sp);
    sp->nvalues = p->dec[d].nvalues;
    sp->off = stg_malloc(sizeof *sp->off * (size_t)(sp->nvalues + 1));
    if (!sp->off)
        return -1;
    for (int vi = 0; vi < sp->nvalues; vi++) {
        sp->off[vi] = (int)n;
        pl->ntouched = pl->nseen = 0;
        stg_problem_busy(p, d, vi, 1, on_busy, pl);
        for (int k = 0; k < pl->ntouched; k++) {
            int t = pl->touched[k];
            if (n + 1 > cap) {
                size_t nc = cap ? 2 * cap : 256;
                int *nt = stg_realloc(sp->t, nc * sizeof *nt);
                if (!nt)
                    return -1;
                sp->t = nt;
                double *nr = stg_realloc(sp->r, nc * sizeof *nr);
                if (!nr)
                    return -1;
                sp->r = nr;
                cap = nc;
            }
            sp->t[n] = t;
            sp->r[n] = pl->extra[t];
            n++;
            pl->extra[t] = 0;
        }
        for (int k = 0; k < pl->nseen; k++)
            pl->seen[pl->seen_list[k]] = 0;
    }
    sp->off[sp->nvalues] = (int)n;
    return 0;
}

static int share_computer(const stg_decision *a, const stg_decision *b)
{
    for (int i = 0; i < a->njobs; i++)
        for (int j = 0; j < b->njobs; j++)
            if (a->jobs[i].computer == b->jobs[j].computer)
                return 1;
    return 0;
}

/* The smallest, over both decisions' values, of the highest load the two
 * put on the link over its background; stops early once it cannot beat
 * floor.  *work counts entry visits against the budget. */
static double pair_peak(const spread *a, const spread *b, double *load,
                        double floor, long *work)
{
    double best = INFINITY;
    for (int va = 0; va < a->nvalues && best > floor; va++) {
        double ma = 0;
        for (int k = a->off[va]; k < a->off[va + 1]; k++) {
            load[a->t[k]] += a->r[k];
            if (load[a->t[k]] > ma)
                ma = load[a->t[k]];
        }
        for (int vb = 0; vb < b->nvalues && ma < best; vb++) {
            double m = ma;
            for (int k = b->off[vb]; k < b->off[vb + 1] && m < best; k++)
                if (load[b->t[k]] + b->r[k] > m)
                    m = load[b->t[k]] + b->r[k];
            *work += b->off[vb + 1] - b->off[vb];
            if (m < best)
                best = m;
        }
        for (int k = a->off[va]; k < a->off[va + 1]; k++)
            load[a->t[k]] -= a->r[k];
        *work += a->off[va + 1] - a->off[va];
    }
    return best;
}

/* Raises *peak with every pair of decisions on link l (computers of
 * servers that may make them wait are left out unless no_wait), within
 * the work budget. */
static int pairs(const stg_problem *p, placement *pl, const double *bg,
                 double *peak, long *work, long budget)
{
    int N = p->nslots, nd = p->ndecisions, rc = -1;
    int *on = stg_malloc(sizeof *on * (size_t)(nd + 1));
    spread *sp = stg_calloc((size_t)nd + 1, sizeof *sp);
    double *load = stg_malloc(sizeof *load * (size_t)N + 1);
    int n = 0;
    if (!on || !sp || !load)
        goto out;
    memcpy(load, bg, sizeof *load * (size_t)N);
    for (int d = 0; d < nd; d++) {
        pl->ntouched = pl->nseen = 0;
        stg_problem_busy(p, d, p->dec[d].current, 1, on_busy, pl);
        int touches = pl->ntouched > 0;
        for (int k = 0; k < pl->ntouched; k++)
            pl->extra[pl->touched[k]] = 0;
        for (int k = 0; k < pl->nseen; k++)
            pl->seen[pl->seen_list[k]] = 0;
        if (touches)
            on[n++] = d;
    }
    for (int i = 0; i < n && *work < budget; i++) {
        if (!sp[i].off && spread_build(p, pl, on[i], &sp[i]))
            goto out;
        for (int j = i + 1; j < n && *work < budget; j++) {
            if (share_computer(&p->dec[on[i]], &p->dec[on[j]]))
                continue;
            if (!sp[j].off && spread_build(p, pl, on[j], &sp[j]))
                goto out;
            double m = pair_peak(&sp[i], &sp[j], load, *peak, work);
            if (isfinite(m) && m > *peak)
                *peak = m;
        }
    }
    rc = 0;
out:
    for (int i = 0; sp && i < n; i++)
        spread_free(&sp[i]);
    stg_free(sp);
    stg_free(on);
    stg_free(load);
    return rc;
}

int stg_bound_links(const stg_problem *p, int no_wait, double *bound)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, L = f->nlinks;
    int rc = -1;
    long work = 0;
    double *bg = stg_malloc(sizeof *bg * (size_t)N + 1);
    double *vol = stg_calloc((size_t)f->ncomputers + 1, sizeof *vol);
    double *biggest = stg_calloc((size_t)f->ncomputers + 1, sizeof *biggest);
    placement pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.no_wait = no_wait;
    pl.extra = stg_calloc((size_t)N + 1, sizeof *pl.extra);
    pl.touched = stg_malloc(sizeof *pl.touched * (size_t)N + 1);
    pl.seen = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, 1);
    pl.seen_list = stg_malloc(sizeof *pl.seen_list
                              * ((size_t)f->ncomputers * (size_t)N + 1));
    if (!bg || !vol || !biggest || !pl.extra || !pl.touched || !pl.seen || !pl.seen_list)
        goto out;

    for (int d = 0; d < p->ndecisions; d++)
        for (int j = 0; j < p->dec[d].njobs; j++)
        {
            const stg_dec_job *jb = &p->dec[d].jobs[j];
            vol[jb->computer] += jb->volume_lb;
            if (jb->volume_lb > biggest[jb->computer])
                biggest[jb->computer] = jb->volume_lb;
        }

    for (int l = 0; l < L; l++) {
        const stg_link *lk = &f->links[l];
        double peak = 0, sum = 0;
        for (int t = 0; t < N; t++) {
            bg[t] = (double)llround(stg_link_background_at(f, lk, t * p->res));
            sum += bg[t];
            if (bg[t] > peak)
                peak = bg[t];
        }
        /* average */
        for (int c = 0; c < f->ncomputers; c++) {
            const stg_computer *cp = &f->computers[c];
            int on = 0;
            for (int i = 0; i < cp->nfull_path; i++)
                on |= cp->full_path[i] == l;
            if (on && vol[c] > 0)
                sum += vol[c] * 8.0 / (f->efficiency * p->res);
        }
        if (sum / N > peak)
            peak = sum / N;
        /* computers that may wait for max_jobs: somewhere */
        for (int c = 0; c < f->ncomputers; c++) {
            const stg_computer *cp = &f->computers[c];
            int on = 0;
            for (int i = 0; i < cp->nfull_path; i++)
                on |= cp->full_path[i] == l;
            if (on && p->binding[cp->server] && !no_wait && biggest[c] > 0) {
                double h = anywhere(p, c, biggest[c], bg);
                if (h > peak)
                    peak = h;
            }
        }
        /* placement, decision by decision */
        pl.link = l;

        for (int d = 0; d < p->ndecisions; d++) {
            double best = INFINITY;

            for (int vi = 0; vi < p->dec[d].nvalues && best > peak; vi++) {
                pl.ntouched = pl.nseen = 0;
                stg_problem_busy(p, d, vi, 1, on_busy, &pl);
                double high = 0;
                for (int k = 0; k < pl.ntouched; k++) {
                    int t = pl.touched[k];
                    if (bg[t] + pl.extra[t] > high)
                        high = bg[t] + pl.extra[t];
                    pl.extra[t] = 0;
                }
                for (int k = 0; k < pl.nseen; k++)
                    pl.seen[pl.seen_list[k]] = 0;
                if (pl.ntouched == 0)
                    high = 0;   /* not on this link */
                if (high < best)
                    best = high;
            }
            if (isfinite(best) && best > peak)
                peak = best;
        }
        if (pairs(p, &pl, bg, &peak, &work, PAIR_BUDGET))
            goto out;
        bound[l] = 1 - peak / lk->capacity;
    }
    rc = 0;
out:
    stg_free(bg);
    stg_free(vol);
    stg_free(biggest);
    stg_free(pl.extra);
    stg_free(pl.touched);
    stg_free(pl.seen);
    stg_free(pl.seen_list);
    return rc;
}
