/* stagger: a link's bound from the computers at its peak (see
 * peakcore.h). */
#include "peakcore.h"

#include <stdlib.h>

#include "exact.h"
#include "model/alloc.h"

/* The search of the computers at the peak has half the budget; each
 * with a computer near it added, this share of it. */
#define PEAKCORE_SHARE 16
/* Near the peak: busy within this many minutes of it. */
#define PEAKCORE_NEAR_MIN 30

typedef struct {
    int c;
    double weight;              /* rate-slots busy near the peak */
} cand;

static int by_weight(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->c - y->c;
}

/* The relaxed search of l over the computers in[], from *best: raised
 * when it proves more.  Returns 2 when it did, 1 when it proved no
 * more, 0 when it gave up, -1 when out of memory. */
static int search_with(const stg_problem *p, const stg_state *incumbent,
                       int l, const unsigned char *in, long budget,
                       const stg_limit *lim, double *best, long *work)
{
    stg_exact_opts o = { .only = in };
    stg_exact_result r;
    if (stg_exact_solve_with(p, &l, 1, incumbent, *best, budget, lim, &o,
                             &r))
        return -1;
    *work += r.work;
    int rc = !r.proven ? 0 : r.lower > *best + 1e-12 ? 2 : 1;
    if (rc == 2)
        *best = r.lower;
    stg_exact_result_free(&r);
    return rc;
}

int stg_peakcore_bound(const stg_problem *p, const stg_state *incumbent,
                       int l, double lower, long budget,
                       const stg_limit *lim, double *util, long *work)
{
    const stg_fleet *f = p->fleet;
    int C = f->ncomputers, N = p->nslots, rc = -1, ncand = 0;
    int near = PEAKCORE_NEAR_MIN * 60 / p->res;
    double top = stg_state_util(incumbent, l);
    unsigned char *in = stg_calloc((size_t)C + 1, 1);
    cand *cs = stg_malloc(sizeof *cs * (size_t)(C + 1));
    *util = lower;
    *work = 0;
    if (!in || !cs)
        goto out;
    if (lower >= top - 1e-12) {
        rc = 0;
        goto out;
    }
    int64_t peak = stg_state_peak(incumbent, l);
    int at = 0;
    while (at < N - 1 && stg_state_load(incumbent, l, at) != peak)
        at++;
    for (int c = 0; c < C; c++) {
        if (!stg_computer_crosses(&f->computers[c], l))
            continue;
        if (stg_state_busy(incumbent, c, at)) {
            in[c] = 1;
            continue;
        }
        double w = 0;
        for (int k = -near; k <= near; k++) {
            int t = ((at + k) % N + N) % N;
            if (stg_state_busy(incumbent, c, t))
                w += (double)stg_problem_rates(p, c)[t];
        }
        if (w > 0)
            cs[ncand++] = (cand){ c, w };
    }
    qsort(cs, (size_t)ncand, sizeof *cs, by_weight);
    long each = budget / PEAKCORE_SHARE;
    int first = search_with(p, incumbent, l, in, budget / 2, lim, util,
                            work);
    if (first < 0)
        goto out;
    /* a core that gave up: one more computer makes it no easier */
    for (int i = 0; first > 0 && i < ncand && *work + each <= budget &&
                    *util < top - 1e-12 && !stg_limit_reached(lim); i++) {
        in[cs[i].c] = 1;
        int r = search_with(p, incumbent, l, in, each, lim, util, work);
        if (r < 0)
            goto out;
        in[cs[i].c] = r == 2;
    }
    rc = 0;
out:
    stg_free(in);
    stg_free(cs);
    return rc;
}
