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
            stg_problem_busy(p, d, cl.vi, STG_BUSY_NOMINAL, collect, &cl);
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

/* The model being built: its columns (run() numbers them) and the rows
 * so far (row), the matrix entries in mp. */
typedef struct {
    const stg_problem *p;
    glp_prob *lp;
    const int *xcol;            /* per decision: first x column, 0 if fixed */
    const int *busycol;         /* per computer x slot: column or 0 */
    const unsigned char *fixed; /* per computer x slot: busy at every value */
    triplets *mp;
    cover_list *clp;
    int row;
} model;

/* A new row with bounds; its number. */
static int add_row(model *m, int type, double lb, double ub)
{
    glp_add_rows(m->lp, 1);
    m->row++;
    glp_set_row_bnds(m->lp, m->row, type, lb, ub);
    return m->row;
}

/* U at least the highest background utilization, minimized; the x
 * binary; busy in [0, 1], fixed at 1 where every value is busy. */
static void set_columns(model *m, int ncols)
{
    const stg_problem *p = m->p;
    const stg_fleet *f = p->fleet;
    int N = p->nslots;
    glp_add_cols(m->lp, ncols);
    double u_low = 0;
    for (int l = 0; l < f->nlinks; l++)
        for (int t = 0; t < N; t++) {
            double bg = (double)llround(stg_link_background_at(f, &f->links[l],
                                                               t * p->res));
            if (bg / f->links[l].capacity > u_low)
                u_low = bg / f->links[l].capacity;
        }
    glp_set_col_bnds(m->lp, 1, GLP_LO, u_low, 0);
    glp_set_obj_coef(m->lp, 1, 1);
    for (int d = 0; d < p->ndecisions; d++)
        for (int vi = 0; m->xcol[d] && vi < p->dec[d].nvalues; vi++)
            glp_set_col_kind(m->lp, m->xcol[d] + vi, GLP_BV);
    for (long k = 0; k < (long)f->ncomputers * N; k++)
        if (m->busycol[k])
            glp_set_col_bnds(m->lp, m->busycol[k], m->fixed[k] ? GLP_FX : GLP_DB,
                             m->fixed[k] ? 1 : 0, 1);
}

/* One value per decision.  Returns -1 when out of memory. */
static int rows_one_value(model *m)
{
    for (int d = 0; d < m->p->ndecisions; d++) {
        if (!m->xcol[d])
            continue;
        int row = add_row(m, GLP_FX, 1, 1);
        for (int vi = 0; vi < m->p->dec[d].nvalues; vi++)
            if (put(m->mp, row, m->xcol[d] + vi, 1))
                return -1;
    }
    return 0;
}

/* Busy covers every job of the chosen value: per decision and slot of a
 * computer, busy >= the sum of the values that keep it busy there. */
static int rows_cover(model *m)
{
    const stg_problem *p = m->p;
    cover_list *clp = m->clp;
    int N = p->nslots;
    for (int d = 0; d < p->ndecisions; d++) {
        if (!m->xcol[d])
            continue;
        clp->n = 0;
        for (int vi = 0; vi < p->dec[d].nvalues; vi++) {
            clp->vi = vi;
            stg_problem_busy(p, d, vi, STG_BUSY_UNION, collect, clp);
        }
        if (clp->oom)
            return -1;
        for (size_t i = 0; i < clp->n; i++)
            clp->v[i].t %= N;
        qsort(clp->v, clp->n, sizeof *clp->v, by_cover);
        for (size_t i = 0; i < clp->n;) {
            size_t j = i;
            long k = (long)clp->v[i].c * N + clp->v[i].t;
            if (m->fixed[k]) {  /* busy anyway */
                while (j < clp->n && clp->v[j].c == clp->v[i].c && clp->v[j].t == clp->v[i].t)
                    j++;
                i = j;
                continue;
            }
            int row = add_row(m, GLP_LO, 0, 0);
            if (put(m->mp, row, m->busycol[k], 1))
                return -1;
            int last = -1;
            for (; j < clp->n && clp->v[j].c == clp->v[i].c &&
                   clp->v[j].t == clp->v[i].t; j++) {
                if (clp->v[j].vi == last)
                    continue;
                last = clp->v[j].vi;
                if (put(m->mp, row, m->xcol[d] + clp->v[j].vi, -1))
                    return -1;
            }
            i = j;
        }
    }
    return 0;
}

/* Link loads: background + the busy computers' throttles at most U of
 * the capacity, per link and slot (in units of the capacity: well
 * scaled). */
static int rows_links(model *m)
{
    const stg_problem *p = m->p;
    const stg_fleet *f = p->fleet;
    int N = p->nslots;
    for (int l = 0; l < f->nlinks; l++) {
        double cap = f->links[l].capacity;
        for (int t = 0; t < N; t++) {
            double bg = (double)llround(stg_link_background_at(f, &f->links[l],
                                                               t * p->res));
            int row = 0;
            for (int c = 0; c < f->ncomputers; c++) {
                long k = (long)c * N + t;
                if (!m->busycol[k] || !stg_computer_crosses(&f->computers[c], l))
                    continue;
                if (!row) {
                    row = add_row(m, GLP_UP, 0, -bg / cap);
                    if (put(m->mp, row, 1, -1))
                        return -1;
                }
                if (put(m->mp, row, m->busycol[k],
                        (double)stg_problem_rates(p, c)[t] / cap))
                    return -1;
            }
        }
    }
    return 0;
}

/* Servers whose max_jobs binds: at most that many busy computers a
 * slot. */
static int rows_servers(model *m)
{
    const stg_fleet *f = m->p->fleet;
    int N = m->p->nslots;
    for (int s = 0; s < f->nservers; s++) {
        if (!m->p->binding[s])
            continue;
        for (int t = 0; t < N; t++) {
            int n = 0;
            for (int c = 0; c < f->ncomputers; c++)
                n += f->computers[c].server == s && m->busycol[(long)c * N + t];
            if (n <= f->servers[s].max_jobs)
                continue;
            int row = add_row(m, GLP_UP, 0, f->servers[s].max_jobs);
            for (int c = 0; c < f->ncomputers; c++) {
                long k = (long)c * N + t;
                if (f->computers[c].server == s && m->busycol[k] &&
                    put(m->mp, row, m->busycol[k], 1))
                    return -1;
            }
        }
    }
    return 0;
}

/* The model in CPLEX LP form at path, its columns named. */
static int write_model(model *m, const char *path, stg_milp_result *out,
                       char **cause)
{
    char name[48];
    glp_set_col_name(m->lp, 1, "U");
    for (int d = 0; d < m->p->ndecisions; d++)
        for (int vi = 0; m->xcol[d] && vi < m->p->dec[d].nvalues; vi++) {
            snprintf(name, sizeof name, "x_%d_%d", d, vi);
            glp_set_col_name(m->lp, m->xcol[d] + vi, name);
        }
    if (glp_write_lp(m->lp, NULL, path)) {
        *cause = stg_asprintf("cannot write the MILP to %s: %s", path,
                              stg_glpk_last_message());
        return -1;
    }
    out->note = "written";
    return 0;
}

/* The LP relaxation; 1 when solved (its optimum a bound in *out), 0 when
 * not (the reason in out->note). */
static int solve_lp(glp_prob *lp, const stg_limit *lim, stg_milp_result *out)
{
    double left = lim->deadline > 0 ? lim->deadline - stg_now() : 3600;
    if (left < 0.05) {
        out->note = "no time left";
        return 0;
    }
    glp_smcp sp;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_DUALP;
    sp.presolve = GLP_OFF;
    sp.tm_lim = (int)(left * 1000);
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
        return 0;
    }
    out->lower_bound = glp_get_obj_val(lp);
    return 1;
}

/* Branch and bound from the incumbent (when its bound is valid for the
 * MILP); its status, glp_mip_status(). */
static int solve_mip(model *m, const stg_state *incumbent, const stg_limit *lim,
                     int ncols, stg_milp_result *out)
{
    cb_ctx cx;
    memset(&cx, 0, sizeof cx);
    cx.p = m->p;
    cx.lim = lim;
    cx.xcol = m->xcol;
    cx.busycol = m->busycol;
    cx.ncols = ncols;
    if (incumbent && out->bound_valid) {
        cx.inc = incumbent;
        cx.inc_u = 0;
        for (int l = 0; l < m->p->fleet->nlinks; l++)
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
    double left = lim->deadline > 0 ? lim->deadline - stg_now() : 3600;
    ip.tm_lim = left > 0.05 ? (int)(left * 1000) : 50;
    int ret = glp_intopt(m->lp, &ip);
    int st = glp_mip_status(m->lp);
    if (cx.have_bound && cx.best_bound > out->lower_bound)
        out->lower_bound = cx.best_bound;
    if (ret == 0 && st == GLP_OPT) {
        out->solved = 1;
        out->note = "proved optimal";
        out->lower_bound = glp_mip_obj_val(m->lp);
    } else if (ret == 0 || ret == GLP_ETMLIM || ret == GLP_ESTOP ||
               ret == GLP_EMIPGAP) {
        out->note = ret == 0 ? "ended without proof" : stg_glpk_strerror(ret);
    } else {
        out->note = stg_glpk_strerror(ret);
        snprintf(out->detail, sizeof out->detail, "%s", stg_glpk_last_message());
    }
    return st;
}

/* The values of the solution GLPK found (the largest x of each
 * decision).  Returns -1 when out of memory. */
static int read_solution(model *m, stg_milp_result *out)
{
    const stg_problem *p = m->p;
    out->values = stg_calloc((size_t)p->ndecisions + 1, sizeof *out->values);
    if (!out->values)
        return -1;
    out->have_solution = 1;
    out->objective = glp_mip_obj_val(m->lp);
    for (int d = 0; d < p->ndecisions; d++) {
        int best = 0;
        for (int vi = 0; m->xcol[d] && vi < p->dec[d].nvalues; vi++)
            if (glp_mip_col_val(m->lp, m->xcol[d] + vi) >
                glp_mip_col_val(m->lp, m->xcol[d] + best))
                best = vi;
        out->values[d] = best;
    }
    return 0;
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
    model m = { p, lp, xcol, busycol, fixed, mp, clp, 0 };
    set_columns(&m, ncols);
    if (rows_one_value(&m) || rows_cover(&m) || rows_links(&m) ||
        rows_servers(&m))
        goto oom;
    glp_load_matrix(lp, (int)mp->n, mp->ia, mp->ja, mp->ar);
    if (write_path) {
        step = "writing the model";
        rc = write_model(&m, write_path, out, cause);
        goto done;
    }
    step = "solving the LP relaxation (glp_simplex)";
    rc = 0;
    if (!solve_lp(lp, lim, out))
        goto done;
    step = "searching for integer solutions (glp_intopt)";
    int st = solve_mip(&m, incumbent, lim, ncols, out);
    step = "reading the solution";
    if ((st == GLP_OPT || st == GLP_FEAS) && read_solution(&m, out))
        goto oom;
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
            stg_problem_busy(p, d, vi, STG_BUSY_UNION, collect, &cl);
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
