/* stagger: the planner (see planner.h). */
#include "planner.h"

#include <stdio.h>
#include <string.h>

#include "bound.h"
#include "clock.h"
#include "heuristic.h"
#include "milp.h"
#include "model/alloc.h"
#include "problem.h"
#include "state.h"

/* Rows above which the MILP is not tried (GLPK stalls long before). */
#define MILP_MAX_ROWS 60000L
/* Kicks without improvement before the local search gives up. */
#define KICKS 300

void stg_plan_opts_init(stg_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->time_limit = 60;
    o->seed = 1;
    o->threads = 1;
}

static void report(const stg_plan_opts *o, double t0, const stg_schedule *sc,
                   double bound, const char *phase)
{
    if (!o->progress)
        return;
    stg_progress pr;
    pr.elapsed = stg_now() - t0;
    pr.achieved = sc ? sc->eval->achieved : 0;
    pr.bound = bound;
    pr.phase = phase;
    o->progress(o->progress_arg, &pr);
}

/* A schedule from the problem's settings with a state's values. */
static stg_schedule *from_state(const stg_problem *p, const stg_state *st,
                                const int *values, const double *bound)
{
    stg_settings *s = stg_settings_copy(p->settings);
    if (!s)
        return NULL;
    for (int d = 0; d < p->ndecisions; d++) {
        int vi = values ? values[d] : stg_state_value(st, d);
        if (vi >= 0)
            stg_problem_apply(p, d, vi, s);
    }
    return stg_schedule_build(p->fleet, s, bound);
}

/* Keeps the better of *best and cand (freeing the other). */
static void keep_better(stg_schedule **best, stg_schedule *cand)
{
    if (!cand)
        return;
    if (!*best || stg_schedule_cmp(cand, *best) < 0) {
        stg_schedule_free(*best);
        *best = cand;
    } else {
        stg_schedule_free(cand);
    }
}

int stg_plan(const stg_fleet *f, const stg_plan_opts *o, stg_schedule **out,
             char **cause)
{
    double t0 = stg_now();
    int rc = -1;
    stg_problem *p = NULL;
    stg_state *greedy = NULL, *local = NULL;
    stg_schedule *best = NULL;
    stg_milp_result mr;
    memset(&mr, 0, sizeof mr);
    double *bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    char method[160];
    stg_limit lim = { o->time_limit > 0 ? t0 + o->time_limit : 0, o->stop };

    if (!bound || !(p = stg_problem_new(f)) || stg_bound_links(p, bound))
        goto oom;
    double worst_bound = 1;
    for (int l = 0; l < f->nlinks; l++)
        if (bound[l] < worst_bound)
            worst_bound = bound[l];

    /* today's settings (with throttles recommended) are a candidate too */
    stg_settings *today = stg_settings_copy(p->settings);
    if (!today)
        goto oom;
    best = stg_schedule_build(f, today, bound);
    if (!best)
        goto oom;
    strcpy(method, "today");
    report(o, t0, best, worst_bound, "today");

    int use_milp = stg_milp_fits(p, MILP_MAX_ROWS);
    stg_limit heur = lim;
    if (use_milp && lim.deadline > 0)
        heur.deadline = t0 + o->time_limit * 0.4;
    greedy = stg_greedy(p, o->seed);
    if (!greedy)
        goto oom;
    stg_schedule *cand = from_state(p, greedy, NULL, bound);
    if (!cand)
        goto oom;
    if (stg_schedule_cmp(cand, best) < 0)
        strcpy(method, "greedy");
    keep_better(&best, cand);
    report(o, t0, best, worst_bound, "greedy");

    local = stg_local_search(greedy, o->seed, KICKS, &heur);
    if (!local)
        goto oom;
    cand = from_state(p, local, NULL, bound);
    if (!cand)
        goto oom;
    if (stg_schedule_cmp(cand, best) < 0)
        strcpy(method, "greedy+local search");
    keep_better(&best, cand);
    report(o, t0, best, worst_bound, "local search");

    if (best->status != STG_STATUS_OPTIMAL && use_milp &&
        !stg_limit_reached(&lim)) {
        if (stg_milp_solve(p, local, &lim, &mr, cause))
            goto out;
        if (mr.bound_valid && mr.lower_bound > 0 &&
            1 - mr.lower_bound < worst_bound)
            worst_bound = 1 - mr.lower_bound;
        stg_schedule_set_bound(best, worst_bound);
        if (mr.have_solution) {
            cand = from_state(p, NULL, mr.values, bound);
            if (!cand)
                goto oom;
            stg_schedule_set_bound(cand, worst_bound);
            if (stg_schedule_cmp(cand, best) < 0)
                strcpy(method, "milp");
            keep_better(&best, cand);
        }
        size_t n = strlen(method);
        snprintf(method + n, sizeof method - n, " (milp: %s)", mr.note);
        report(o, t0, best, worst_bound, "milp");
    }
    stg_schedule_set_bound(best, worst_bound);
    if (stg_limit_reached(&lim)) {
        size_t n = strlen(method);
        snprintf(method + n, sizeof method - n, "%s",
                 o->stop && *o->stop ? ", stopped" : ", time limit reached");
        best->stopped = o->stop && *o->stop;
    }
    best->method = stg_strdup(method);
    if (!best->method)
        goto oom;
    best->seconds = stg_now() - t0;
    *out = best;
    best = NULL;
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    stg_milp_result_free(&mr);
    stg_schedule_free(best);
    stg_state_free(greedy);
    stg_state_free(local);
    stg_problem_free(p);
    stg_free(bound);
    return rc;
}

int stg_evaluate(const stg_fleet *f, stg_settings *s, stg_schedule **out,
                 char **cause)
{
    double t0 = stg_now();
    stg_problem *p = stg_problem_new(f);
    double *bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    int rc = -1;
    if (!s)
        s = stg_settings_today(f);
    if (!p || !bound || !s || stg_bound_links(p, bound)) {
        stg_settings_free(s);
        goto oom;
    }
    *out = stg_schedule_build(f, s, bound);
    if (!*out)
        goto oom;
    (*out)->method = stg_strdup("evaluated");
    if (!(*out)->method) {
        stg_schedule_free(*out);
        goto oom;
    }
    (*out)->seconds = stg_now() - t0;
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    stg_problem_free(p);
    stg_free(bound);
    return rc;
}
