/* stagger: links lifted (see lift.h). */
#include "lift.h"

#include "exact.h"
#include "model/alloc.h"
#include "trace.h"

/* One lift of link l from *st (lift.h).  Returns 1 when taken, 0, -1. */
static int lift_one(stg_state **st, int l, const double *target, int *with,
                    long budget, const stg_limit *lim)
{
    const stg_problem *p = stg_state_problem(*st);
    const stg_fleet *f = p->fleet;
    double u = stg_state_util(*st, l);
    int nwith = 0, rc = 0;
    for (int k = 0; k < f->nlinks; k++)
        if (k != l && stg_state_util(*st, k) > u && stg_links_meet(f, k, l))
            with[nwith++] = k;
    if (nwith == 0)
        return 0;               /* the exact search of l alone is this */
    stg_exact_opts o = { .lift = true, .with = with, .nwith = nwith };
    stg_exact_result r;
    if (stg_exact_solve_with(p, &l, 1, *st, target[l], budget, lim, &o, &r))
        return -1;
    stg_trace("lift %s: %d worse links, improved %d, utilization %.4f "
              "(was %.4f), work %ld", f->links[l].name, nwith, r.improved,
              r.util, u, r.work);
    if (r.improved) {
        stg_state *t = stg_exact_placed(*st, &r);
        if (!t) {
            rc = -1;
        } else if (stg_state_cmp(t, *st) < 0) {
            stg_state_free(*st);
            *st = t;
            rc = 1;
        } else {
            stg_state_free(t);
        }
    }
    stg_exact_result_free(&r);
    return rc;
}

int stg_lift(stg_state **st, const bool *eligible, const double *target,
             double at_risk, double gap, long budget, const stg_limit *lim)
{
    const stg_fleet *f = stg_state_problem(*st)->fleet;
    int n = 0, taken = 0;
    int *cand = stg_malloc(sizeof *cand * (size_t)(f->nlinks + 1));
    int *with = stg_malloc(sizeof *with * (size_t)(f->nlinks + 1));
    if (!cand || !with) {
        taken = -1;
        goto out;
    }
    for (int l = 0; l < f->nlinks; l++) {
        double u = stg_state_util(*st, l);
        if (eligible[l] && u > at_risk && u > target[l] + gap)
            cand[n++] = l;
    }
    /* worst first (stable: ties by index) */
    for (int i = 1; i < n; i++) {
        int l = cand[i], m = i;
        double u = stg_state_util(*st, l);
        while (m > 0 && stg_state_util(*st, cand[m - 1]) < u) {
            cand[m] = cand[m - 1];
            m--;
        }
        cand[m] = l;
    }
    for (int i = 0; i < n && !stg_limit_reached(lim); i++) {
        int l = cand[i];
        if (stg_state_util(*st, l) <= target[l] + gap)
            continue;           /* an earlier lift raised it */
        int r = lift_one(st, l, target, with, budget, lim);
        if (r < 0) {
            taken = -1;
            break;
        }
        taken += r;
    }
out:
    stg_free(cand);
    stg_free(with);
    return taken;
}
