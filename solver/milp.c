/* stagger: the time-indexed MILP (see milp.h). */
#include "milp.h"

#include <glpk.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "glpk_guard.h"
#include "model/alloc.h"

typedef struct {
    int c, t, vi;
} cover;

typedef struct {
    cover *v;
    size_t n, cap;
    int vi;
    int oom;
} cover_list;

static void collect(void *arg, int c, int s, int len)
{
    cover_list *cl = arg;
    for (int k = 0; k < len; k++) {
        if (stg_grow((void **)&cl->v, &cl->cap, cl->n + 1, sizeof *cl->v)) {
            cl->oom = 1;
            return;
        }
        cl->v[cl->n].c = c;
        cl->v[cl->n].t = s + k;   /* reduced modulo N by the caller */
        cl->v[cl->n].vi = cl->vi;
        cl->n++;
    }
}

static int by_cover(const void *a, const void *b)
{
    const cover *x = a, *y = b;
    if (x->c != y->c)
        return x->c - y->c;
    if (x->t != y->t)
        return x->t - y->t;
    return x->vi - y->vi;
}

/* The matrix, grown as rows are added (1-based as GLPK wants). */
typedef struct {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
} triplets;

static int put(triplets *m, int row, int col, double v)
{
    if (m->n + 2 > m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 4096;
        int *ia = stg_realloc(m->ia, cap * sizeof *ia);
        if (!ia)
            return -1;
        m->ia = ia;
        int *ja = stg_realloc(m->ja, cap * sizeof *ja);
        if (!ja)
            return -1;
        m->ja = ja;
        double *ar = stg_realloc(m->ar, cap * sizeof *ar);
        if (!ar)
            return -1;
        m->ar = ar;
        m->cap = cap;
    }
    m->n++;
    m->ia[m->n] = row;
    m->ja[m->n] = col;
    m->ar[m->n] = v;
    return 0;
}

typedef struct {
    const stg_problem *p;
    const stg_state *inc;
    const stg_limit *lim;
    const int *xcol;            /* per decision: first x column, 0 if fixed */
    const int *busycol;         /* per computer x slot: column or 0 */
    int ncols;
    double inc_u;
    int injected;
    double best_bound;
    int have_bound;
} cb_ctx;

static void callback(glp_tree *tree, void *info)
{
    cb_ctx *cx = info;
    int reason = glp_ios_reason(tree);
    if (stg_limit_reached(cx->lim)) {
        glp_ios_terminate(tree);
        return;
    }
    int node = glp_ios_best_node(tree);
    if (node) {
        double b = glp_ios_node_bound(tree, node);
        if (!cx->have_bound || b > cx->best_bound)
            cx->best_bound = b;
        cx->have_bound = 1;
    }
    if (reason == GLP_IHEUR && cx->inc && !cx->injected) {
        const stg_problem *p = cx->p;
        int N = p->nslots;
        double *x = stg_calloc((size_t)cx->ncols + 1, sizeof *x);
        if (!x)
            return;
        x[1] = cx->inc_u;
        for (int d = 0; d < p->ndecisions; d++)
            if (cx->xcol[d])
                x[cx->xcol[d] + stg_state_value(cx->inc, d)] = 1;
        for (long k = 0; k < (long)p->fleet->ncomputers * N; k++)
            if (cx->busycol[k])
                x[cx->busycol[k]] = 0;
        /* busy where the incumbent's jobs are */
        for (int d = 0; d < p->ndecisions; d++) {
            cover_list cl = { NULL, 0, 0, stg_state_value(cx->inc, d), 0 };
            stg_problem_busy(p, d, cl.vi, 0, collect, &cl);
            for (size_t i = 0; i < cl.n; i++) {
                long k = (long)cl.v[i].c * N + cl.v[i].t % N;
                if (cx->busycol[k])
                    x[cx->busycol[k]] = 1;
            }
            stg_free(cl.v);
        }
        glp_ios_heur_sol(tree, x);
        stg_free(x);
        cx->injected = 1;
    }
}

int stg_milp_fits(const stg_problem *p, long max_rows)
{
    long rows = (long)p->fleet->nlinks * p->nslots;
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].nvalues > 1)
            rows += (long)p->dec[d].njobs * p->nslots / 2 + 1;
    return rows <= max_rows;
}

void stg_milp_result_free(stg_milp_result *r)
{
    stg_free(r->values);
    r->values = NULL;
}

/* Builds and solves the model; the only function that touches GLPK, so
 * that a GLPK failure (a longjmp to its start) leaves nothing behind but
 * what its caller owns. */
static int solve_glpk(const stg_problem *p, const stg_state *incumbent,
                      const stg_limit *lim, stg_milp_result *out, int ncols,
                      const int *xcol, const int *busycol,
                      const unsigned char *fixed, triplets *mp,
                      cover_list *clp, const char *write_path, char **cause)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, L = f->nlinks, nd = p->ndecisions;
    long CN = (long)f->ncomputers * N;
    stg_glpk_guard guard;
    glp_prob *volatile lp = NULL;
    /* what GLPK was doing, for the message when it fails */
    const char *volatile step = "building the model";
    int rc = -1;
    if (stg_glpk_enter(&guard)) {
        stg_glpk_recover();
        stg_glpk_leave(&guard);
        *cause = stg_asprintf("the MILP solver (GLPK %s) failed while %s: %s",
                              stg_glpk_version(), step,
                              stg_glpk_last_message());
        return -1;
    }
    lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_cols(lp, ncols);
    double u_low = 0;
    for (int l = 0; l < L; l++)
        for (int t = 0; t < N; t++) {
            double bg = (double)llround(stg_link_background_at(f, &f->links[l],
                                                               t * p->res));
            if (bg / f->links[l].capacity > u_low)
                u_low = bg / f->links[l].capacity;
        }
    glp_set_col_bnds(lp, 1, GLP_LO, u_low, 0);
    glp_set_obj_coef(lp, 1, 1);
    for (int d = 0; d < nd; d++)
        for (int vi = 0; xcol[d] && vi < p->dec[d].nvalues; vi++)
            glp_set_col_kind(lp, xcol[d] + vi, GLP_BV);
    for (long k = 0; k < CN; k++)
        if (busycol[k])
            glp_set_col_bnds(lp, busycol[k], fixed[k] ? GLP_FX : GLP_DB,
                             fixed[k] ? 1 : 0, 1);

    int row = 0;
    /* one value per decision */
    for (int d = 0; d < nd; d++) {
        if (!xcol[d])
            continue;
        glp_add_rows(lp, 1);
        row++;
        glp_set_row_bnds(lp, row, GLP_FX, 1, 1);
        for (int vi = 0; vi < p->dec[d].nvalues; vi++)
            if (put(mp, row, xcol[d] + vi, 1))
                goto oom;
    }
    /* busy covers every job of the chosen value */
    for (int d = 0; d < nd; d++) {
        if (!xcol[d])
            continue;
        clp->n = 0;
        for (int vi = 0; vi < p->dec[d].nvalues; vi++) {
            clp->vi = vi;
            stg_problem_busy(p, d, vi, 1, collect, clp);
        }
        if (clp->oom)
            goto oom;
        for (size_t i = 0; i < clp->n; i++)
            clp->v[i].t %= N;
        qsort(clp->v, clp->n, sizeof *clp->v, by_cover);
        for (size_t i = 0; i < clp->n;) {
            size_t j = i;
            long k = (long)clp->v[i].c * N + clp->v[i].t;
            if (fixed[k]) {     /* busy anyway */
                while (j < clp->n && clp->v[j].c == clp->v[i].c && clp->v[j].t == clp->v[i].t)
                    j++;
                i = j;
                continue;
            }
            glp_add_rows(lp, 1);
            row++;
            glp_set_row_bnds(lp, row, GLP_LO, 0, 0);
            if (put(mp, row, busycol[k], 1))
                goto oom;
            int last = -1;
            for (; j < clp->n && clp->v[j].c == clp->v[i].c && clp->v[j].t == clp->v[i].t; j++) {
                if (clp->v[j].vi == last)
                    continue;
                last = clp->v[j].vi;
                if (put(mp, row, xcol[d] + clp->v[j].vi, -1))
                    goto oom;
            }
            i = j;
        }
    }
    /* link loads */
    for (int l = 0; l < L; l++) {
        double cap = f->links[l].capacity;
        for (int t = 0; t < N; t++) {
            double bg = (double)llround(stg_link_background_at(f, &f->links[l],
                                                               t * p->res));
            int any = 0;
            for (int c = 0; c < f->ncomputers; c++) {
                const stg_computer *cp = &f->computers[c];
                long k = (long)c * N + t;
                if (!busycol[k])
                    continue;
                if (!stg_computer_crosses(cp, l))
                    continue;
                if (!any) {
                    glp_add_rows(lp, 1);
                    row++;
                    /* in units of the link's capacity: well scaled */
                    glp_set_row_bnds(lp, row, GLP_UP, 0, -bg / cap);
                    if (put(mp, row, 1, -1))
                        goto oom;
                    any = 1;
                }
                if (put(mp, row, busycol[k],
                        (double)stg_problem_rates(p, c)[t] / cap))
                    goto oom;
            }
        }
    }
    /* servers whose max_jobs binds */
    for (int s = 0; s < f->nservers; s++) {
        if (!p->binding[s])
            continue;
        for (int t = 0; t < N; t++) {
            int n = 0;
            for (int c = 0; c < f->ncomputers; c++)
                n += f->computers[c].server == s && busycol[(long)c * N + t];
            if (n <= f->servers[s].max_jobs)
                continue;
            glp_add_rows(lp, 1);
            row++;
            glp_set_row_bnds(lp, row, GLP_UP, 0, f->servers[s].max_jobs);
            for (int c = 0; c < f->ncomputers; c++) {
                long k = (long)c * N + t;
                if (f->computers[c].server == s && busycol[k] &&
                    put(mp, row, busycol[k], 1))
                    goto oom;
            }
        }
    }
    glp_load_matrix(lp, (int)mp->n, mp->ia, mp->ja, mp->ar);

    if (write_path) {
        char name[48];
        glp_set_col_name(lp, 1, "U");
        for (int d = 0; d < nd; d++)
            for (int vi = 0; xcol[d] && vi < p->dec[d].nvalues; vi++) {
                snprintf(name, sizeof name, "x_%d_%d", d, vi);
                glp_set_col_name(lp, xcol[d] + vi, name);
            }
        step = "writing the model";
        if (glp_write_lp(lp, NULL, write_path)) {
            *cause = stg_asprintf("cannot write the MILP to %s: %s", write_path,
                                  stg_glpk_last_message());
            rc = -1;
        } else {
            out->note = "written";
            rc = 0;
        }
        goto done;
    }

    double left = lim->deadline > 0 ? lim->deadline - stg_now() : 3600;
    if (left < 0.05) {
        out->note = "no time left";
        rc = 0;
        goto done;
    }
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP;
    sp.presolve = GLP_OFF;
    sp.tm_lim = (int)(left * 1000);
    step = "solving the LP relaxation (glp_simplex)";
    glp_scale_prob(lp, GLP_SF_AUTO);
    glp_adv_basis(lp, 0);
    int ret = glp_simplex(lp, &sp);
    if (ret != 0 || glp_get_status(lp) != GLP_OPT) {
        if (ret == 0 && glp_get_status(lp) == GLP_NOFEAS) {
            /* only max_jobs rows can make it infeasible: jobs that must
             * overlap on more computers than the server lets send */
            out->note = "no schedule without waiting for max_jobs";
        } else {
            out->note = ret ? stg_glpk_strerror(ret) : "LP relaxation not solved";
            snprintf(out->detail, sizeof out->detail, "%s",
                     stg_glpk_last_message());
        }
        rc = 0;
        goto done;
    }
    out->lower_bound = glp_get_obj_val(lp);

    cb_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.p = p;
    cx.lim = lim;
    cx.xcol = xcol;
    cx.busycol = busycol;
    cx.ncols = ncols;
    if (incumbent && out->bound_valid) {
        cx.inc = incumbent;
        cx.inc_u = 0;
        for (int l = 0; l < L; l++)
            if (stg_state_util(incumbent, l) > cx.inc_u)
                cx.inc_u = stg_state_util(incumbent, l);
    }
    glp_iocp ip;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_OFF;
    ip.br_tech = GLP_BR_DTH;
    ip.bt_tech = GLP_BT_BLB;
    ip.cb_func = callback;
    ip.cb_info = &cx;
    left = lim->deadline > 0 ? lim->deadline - stg_now() : 3600;
    ip.tm_lim = left > 0.05 ? (int)(left * 1000) : 50;
    step = "searching for integer solutions (glp_intopt)";
    ret = glp_intopt(lp, &ip);
    int st = glp_mip_status(lp);
    if (cx.have_bound && cx.best_bound > out->lower_bound)
        out->lower_bound = cx.best_bound;
    if (ret == 0 && st == GLP_OPT) {
        out->solved = 1;
        out->note = "proved optimal";
        out->lower_bound = glp_mip_obj_val(lp);
    } else if (ret == 0 || ret == GLP_ETMLIM || ret == GLP_ESTOP ||
               ret == GLP_EMIPGAP) {
        out->note = ret == 0 ? "ended without proof" : stg_glpk_strerror(ret);
    } else {
        out->note = stg_glpk_strerror(ret);
        snprintf(out->detail, sizeof out->detail, "%s", stg_glpk_last_message());
    }
    step = "reading the solution";
    if (st == GLP_OPT || st == GLP_FEAS) {
        out->values = stg_calloc((size_t)nd + 1, sizeof *out->values);
        if (!out->values)
            goto oom;
        out->have_solution = 1;
        out->objective = glp_mip_obj_val(lp);
        for (int d = 0; d < nd; d++) {
            int best = 0;
            for (int vi = 0; xcol[d] && vi < p->dec[d].nvalues; vi++)
                if (glp_mip_col_val(lp, xcol[d] + vi) >
                    glp_mip_col_val(lp, xcol[d] + best))
                    best = vi;
            out->values[d] = best;
        }
    }
    rc = 0;
    goto done;
oom:
    *cause = stg_strdup("out of memory");
    rc = -1;
done:
    if (lp)
        glp_delete_prob(lp);
    stg_glpk_leave(&guard);
    return rc;
}

static int run(const stg_problem *p, const stg_state *incumbent,
               const stg_limit *lim, stg_milp_result *out,
               const char *write_path, char **cause)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, nd = p->ndecisions;
    long CN = (long)f->ncomputers * N;
    double t0 = stg_now();
    int rc = -1;
    triplets m = { NULL, NULL, NULL, 0, 0 };
    cover_list cl = { NULL, 0, 0, 0, 0 };
    int *xcol = stg_calloc((size_t)nd + 1, sizeof *xcol);
    int *busycol = stg_calloc((size_t)CN + 1, sizeof *busycol);
    unsigned char *fixed = stg_calloc((size_t)CN + 1, 1);
    memset(out, 0, sizeof *out);
    out->note = "not run";
    if (!xcol || !busycol || !fixed)
        goto oom;

    out->bound_valid = 1;
    for (int s = 0; s < f->nservers; s++)
        if (p->binding[s])
            out->bound_valid = 0;

    /* columns: U, the x of free decisions, then busy where coverable */
    int ncols = 1;
    for (int d = 0; d < nd; d++) {
        cl.vi = 0;
        if (p->dec[d].nvalues > 1) {
            xcol[d] = ncols + 1;
            ncols += p->dec[d].nvalues;
        }
        for (int vi = 0; vi < p->dec[d].nvalues; vi++) {
            cl.n = 0;
            cl.vi = vi;
            stg_problem_busy(p, d, vi, 1, collect, &cl);
            if (cl.oom)
                goto oom;
            for (size_t i = 0; i < cl.n; i++) {
                long k = (long)cl.v[i].c * N + cl.v[i].t % N;
                if (!busycol[k])
                    busycol[k] = -1;
                if (p->dec[d].nvalues == 1)
                    fixed[k] = 1;
            }
        }
    }
    for (long k = 0; k < CN; k++)
        if (busycol[k])
            busycol[k] = ++ncols;

    rc = solve_glpk(p, incumbent, lim, out, ncols, xcol, busycol, fixed,
                    &m, &cl, write_path, cause);
    goto out;
oom:
    *cause = stg_strdup("out of memory");
    rc = -1;
out:
    out->seconds = stg_now() - t0;
    stg_free(cl.v);
    stg_free(m.ia);
    stg_free(m.ja);
    stg_free(m.ar);
    stg_free(xcol);
    stg_free(busycol);
    stg_free(fixed);
    return rc;
}

int stg_milp_solve(const stg_problem *p, const stg_state *incumbent,
                   const stg_limit *lim, stg_milp_result *out, char **cause)
{
    return run(p, incumbent, lim, out, NULL, cause);
}

int stg_milp_write_lp(const stg_problem *p, const char *path, char **cause)
{
    stg_milp_result r;
    stg_limit none = { 0, NULL };
    int rc = run(p, NULL, &none, &r, path, cause);
    stg_milp_result_free(&r);
    return rc;
}
