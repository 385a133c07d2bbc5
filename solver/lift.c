/* stagger: links lifted (see lift.h). */
#include "lift.h"

#include <string.h>

#include "exact.h"
#include "model/alloc.h"
#include "model/hash.h"
#include "trace.h"

/* Takes the placement r found for link l into *st (the old one freed)
 * when the whole state is better with it (whole) or when l comes out
 * lower (!whole: a repair's step).  Returns 1 when taken, 0, -1 when
 * out of memory. */
static int take_lift(stg_state **st, int l, const stg_exact_result *r,
                     bool whole)
{
    if (!r->improved ||
        (!whole && r->util >= stg_state_util(*st, l) - 1e-12))
        return 0;
    stg_state *t = stg_exact_placed(*st, r);
    if (!t)
        return -1;
    if (whole && stg_state_cmp(t, *st) >= 0) {
        stg_state_free(t);
        return 0;
    }
    stg_state_free(*st);
    *st = t;
    return 1;
}

/* The links worse than l in st that a computer of l crosses, or a
 * computer that a decision of those has a job on (a group across
 * sites: the lift's computers, exact.c), into with[] in the order of
 * the fleet's links; transitive: then those that the computers of the
 * links taken cross, and so on, until none is added.  Returns how
 * many, or -1 when out of memory. */
static int worse_met(const stg_state *st, int l, int *with, bool transitive)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_fleet *f = p->fleet;
    int C = f->ncomputers, nwith = 0;
    double u = stg_state_util(st, l);
    unsigned char *on = stg_calloc((size_t)C + 1, 1);
    unsigned char *in = stg_calloc((size_t)f->nlinks + 1, 1);
    if (!on || !in) {
        nwith = -1;
        goto out;
    }
    in[l] = 1;
    for (int c = 0; c < C; c++)
        on[c] = stg_computer_crosses(&f->computers[c], l);
    for (;;) {
        stg_problem_close_computers(p, on);
        int taken = nwith;
        for (int k = 0; k < f->nlinks; k++) {
            if (in[k] || stg_state_util(st, k) <= u)
                continue;
            for (int c = 0; c < C && !in[k]; c++)
                in[k] = on[c] && stg_computer_crosses(&f->computers[c], k);
            if (in[k])
                with[nwith++] = k;
        }
        if (!transitive || nwith == taken)
            break;
        /* the computers of the links just taken */
        for (int c = 0; c < C; c++)
            for (int i = taken; i < nwith && !on[c]; i++)
                on[c] = stg_computer_crosses(&f->computers[c], with[i]);
    }
out:
    stg_free(on);
    stg_free(in);
    return nwith;
}

int stg_lift_worse(const stg_state *st, int l, int *with)
{
    return worse_met(st, l, with, false);
}

int stg_held_worse(const stg_state *st, int l, int *with)
{
    return worse_met(st, l, with, true);
}

int stg_lift_search(const stg_state *st, int l, double lower, long budget,
                    const stg_limit *lim, stg_exact_result *r)
{
    const stg_fleet *f = stg_state_problem(st)->fleet;
    memset(r, 0, sizeof *r);
    int *with = stg_malloc(sizeof *with * (size_t)(f->nlinks + 1));
    if (!with)
        return -1;
    int rc = 0, nwith = stg_lift_worse(st, l, with);
    if (nwith < 0) {
        rc = -1;
    } else if (nwith > 0) {
        stg_exact_opts o = { .lift = true, .with = with, .nwith = nwith };
        rc = stg_exact_solve_with(stg_state_problem(st), &l, 1, st, lower,
                                  budget, lim, &o, r) ? -1 : nwith;
    }
    stg_free(with);
    return rc;
}

/* One lift of link l from *st (lift.h), its slot checks added to
 * *work.  Returns 1 when taken, 0, -1. */
static int lift_one(stg_state **st, int l, const double *target,
                    long budget, const stg_limit *lim, long *work)
{
    const stg_fleet *f = stg_state_problem(*st)->fleet;
    double u = stg_state_util(*st, l);
    stg_exact_result r;
    int nwith = stg_lift_search(*st, l, target[l], budget, lim, &r);
    int rc = nwith > 0 ? take_lift(st, l, &r, true) : nwith;
    *work += r.work;
    if (nwith > 0 && rc >= 0)
        stg_trace("lift %s: %d worse links, improved %d, utilization %.4f "
                  "(was %.4f), work %ld, taken %d", f->links[l].name, nwith,
                  r.improved, r.util, u, r.work, rc);
    stg_exact_result_free(&r);
    return rc;
}

int stg_lift_candidates(const stg_state *st, const bool *eligible,
                        const double *target, double at_risk, double gap,
                        int *cand)
{
    const stg_fleet *f = stg_state_problem(st)->fleet;
    int n = 0;
    for (int l = 0; l < f->nlinks; l++) {
        double u = stg_state_util(st, l);
        if (eligible[l] && u > at_risk && u > target[l] + gap)
            cand[n++] = l;
    }
    /* worst first (stable: ties by index) */
    for (int i = 1; i < n; i++) {
        int l = cand[i], m = i;
        double u = stg_state_util(st, l);
        while (m > 0 && stg_state_util(st, cand[m - 1]) < u) {
            cand[m] = cand[m - 1];
            m--;
        }
        cand[m] = l;
    }
    return n;
}

static uint64_t link_key(const stg_state *st, int l)
{
    const char *name = stg_state_problem(st)->fleet->links[l].name;
    double u = stg_state_util(st, l);
    return stg_hash_bytes(stg_hash_str(STG_HASH_BASIS, name), &u, sizeof u);
}

/* The key of a lift of l from st (stg_lift_memo): l's and target[l],
 * then the worse links it meets, summed (their order is the part's).
 * Returns 0, or -1 when out of memory. */
static int lift_key(const stg_state *st, int l, const double *target,
                    uint64_t *key)
{
    int *with = stg_malloc(sizeof *with *
                           (size_t)(stg_state_problem(st)->fleet->nlinks + 1));
    int n = with ? stg_lift_worse(st, l, with) : -1;
    if (n >= 0) {
        uint64_t h = stg_hash_bytes(link_key(st, l), &target[l], sizeof target[l]);
        uint64_t sum = 0;
        for (int i = 0; i < n; i++)
            sum += link_key(st, with[i]);
        h = stg_hash_bytes(h, &sum, sizeof sum);
        *key = h ? h : 1;
    }
    stg_free(with);
    return n < 0 ? -1 : 0;
}

int stg_lift(stg_state **st, const bool *eligible, const double *target,
             double at_risk, double gap, long budget, const stg_limit *lim,
             stg_lift_memo *memo)
{
    const stg_fleet *f = stg_state_problem(*st)->fleet;
    int n = 0, taken = 0;
    int *cand = stg_malloc(sizeof *cand * (size_t)(f->nlinks + 1));
    if (!cand) {
        taken = -1;
        goto out;
    }
    n = stg_lift_candidates(*st, eligible, target, at_risk, gap, cand);
    /* one pool of n budgets: each lift may spend what those before it
     * left, less half a budget for each after it */
    long pool = budget * n;
    for (int i = 0; i < n && !stg_limit_reached(lim); i++) {
        int l = cand[i];
        if (stg_state_util(*st, l) <= target[l] + gap)
            continue;           /* an earlier lift raised it */
        long spent = 0, may = pool - budget / 2 * (n - 1 - i);
        long allow = may > budget / 2 ? may : budget / 2;
        uint64_t key = 0;
        if (memo && lift_key(*st, l, target, &key)) {
            taken = -1;
            break;
        }
        if (memo && memo[l].key == key && allow <= memo[l].budget) {
            stg_trace("lift %s: passed by, nothing found from here before",
                      f->links[l].name);
            continue;
        }
        int r = lift_one(st, l, target, allow, lim, &spent);
        pool -= spent;
        if (r < 0) {
            taken = -1;
            break;
        }
        if (memo && (r || !stg_limit_reached(lim)))
            memo[l] = r ? (stg_lift_memo){ 0, 0 }
                        : (stg_lift_memo){ key, allow };
        taken += r;
    }
out:
    stg_free(cand);
    return taken;
}

/* The worst link that t makes worse than before, above utilization
 * above and not done; -1 when none. */
static int hurt_link(const stg_state *t, const stg_state *before, int l,
                     double above, const unsigned char *done)
{
    const stg_fleet *f = stg_state_problem(t)->fleet;
    int worst = -1;
    double wu = above;
    for (int k = 0; k < f->nlinks; k++) {
        double u = stg_state_util(t, k);
        if (k != l && !done[k] && u > stg_state_util(before, k) + 1e-12 &&
            u > wu) {
            wu = u;
            worst = k;
        }
    }
    return worst;
}

/* Lifts link k of *t with l held at its peak (lift.h); *t replaced when
 * k comes out lower.  Returns 0, or -1 when out of memory. */
static int lift_back(stg_state **t, int k, int l, long budget,
                     const stg_limit *lim)
{
    stg_exact_opts o = { .lift = true, .strict = &l, .nstrict = 1 };
    stg_exact_result q = { 0 };
    int rc = stg_exact_solve_with(stg_state_problem(*t), &k, 1, *t, 0,
                                  budget, lim, &o, &q)
             ? -1 : take_lift(t, k, &q, false);
    stg_exact_result_free(&q);
    return rc < 0 ? -1 : 0;
}

int stg_lift_repair(stg_state **st, int l, const stg_exact_result *r,
                    double at_risk, long budget, const stg_limit *lim)
{
    const stg_fleet *f = stg_state_problem(*st)->fleet;
    int rc = -1, lifts = 0, k;
    bool failed = false;
    stg_state *t = stg_exact_placed(*st, r);
    unsigned char *done = stg_calloc((size_t)f->nlinks + 1, 1);
    if (!t || !done)
        goto out;
    double ul = stg_state_util(t, l);
    /* the links worse than l that it made worse: each lifted back once,
     * and the repair fails when one stays worse than before */
    while (!failed && (k = hurt_link(t, *st, l, ul, done)) >= 0) {
        done[k] = 1;
        if (stg_limit_reached(lim)) {
            failed = true;
            break;
        }
        if (lift_back(&t, k, l, budget, lim))
            goto out;
        lifts++;
        failed = stg_state_util(t, k) > stg_state_util(*st, k) + 1e-12 &&
                 stg_state_util(t, k) > ul;
        if (failed)
            stg_trace("repair %s: %s stays at %.4f (was %.4f)",
                      f->links[l].name, f->links[k].name,
                      stg_state_util(t, k), stg_state_util(*st, k));
    }
    /* then those at risk that it made worse, once each */
    memset(done, 0, (size_t)f->nlinks);
    while (!failed && !stg_limit_reached(lim) &&
           (k = hurt_link(t, *st, l, at_risk, done)) >= 0) {
        done[k] = 1;
        if (lift_back(&t, k, l, budget, lim))
            goto out;
        lifts++;
    }
    if (stg_state_oom(t))
        goto out;
    rc = !failed && stg_state_cmp(t, *st) < 0;
    stg_trace("repair %s: utilization %.4f (was %.4f), %d lifts, taken %d",
              f->links[l].name, ul, stg_state_util(*st, l), lifts, rc);
    if (rc) {
        stg_state_free(*st);
        *st = t;
        t = NULL;
    }
out:
    stg_state_free(t);
    stg_free(done);
    return rc;
}
