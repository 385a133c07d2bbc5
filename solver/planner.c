/* stagger: the planner (see planner.h). */
#include "planner.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "bound.h"
#include "clock.h"
#include "heuristic.h"
#include "lns.h"
#include "milp.h"
#include "model/alloc.h"
#include "problem.h"
#include "state.h"

/* Rows above which the MILP is not tried (GLPK stalls long before). */
#define MILP_MAX_ROWS 60000L
/* Kicks without improvement before the local search gives up. */
#define KICKS 300
/* Schedules few enough to simulate every one of them. */
#define ENUMERATE_MAX 2048

void stg_plan_opts_init(stg_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->time_limit = 60;
    o->seed = 1;
    o->threads = 1;
    o->exhaustive_max = ENUMERATE_MAX;
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

static void keep_better(stg_schedule **best, stg_schedule *cand);

/* Lowers computer c's recommended throttle in s by a quarter, never below
 * what moves its volume.  Returns 1 when it changed. */
static int step_down(const stg_fleet *f, int c, stg_settings *s)
{
    double floor = stg_throttle_floor(f, c);
    stg_throttle *th = &s->throttle[c];
    double *rates[2] = { &th->rate, NULL };
    int changed = 0;
    if (th->kind == STG_THROTTLE_WORK) {
        rates[0] = &th->work;
        rates[1] = &th->other;
    }
    for (int k = 0; k < 2 && rates[k]; k++) {
        double r = stg_rate_round_down(*rates[k] * 0.75);
        if (r < floor)
            r = floor;
        if (r < *rates[k] - 0.5) {
            *rates[k] = r;
            changed = 1;
        }
    }
    return changed;
}

/* The AUTO computers on links a schedule leaves below the required
 * headroom: with s, lowers their throttles there (step_down); returns
 * how many there are (s NULL) or how many changed. */
static int short_auto(const stg_fleet *f, const stg_schedule *sc,
                      stg_settings *s)
{
    int n = 0;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        if (cp->throttle.kind != STG_THROTTLE_AUTO)
            continue;
        int short_link = 0;
        for (int i = 0; i < cp->nfull_path; i++)
            short_link |= sc->eval->headroom[cp->full_path[i]] <
                          f->headroom - 1e-9;
        if (short_link)
            n += s ? step_down(f, c, s) : 1;
    }
    return n;
}

/* Lowers the recommended (AUTO) throttles on links whose bound says the
 * required headroom cannot be kept (the bound for every schedule, or the
 * one for schedules without waiting, which the search builds), a quarter
 * at a time and
 * never below what moves the computer's volume, rebuilding the problem
 * and its bounds, until no such link has an AUTO computer left to lower
 * (at most 8 rounds).  Returns 0, or -1 when out of memory. */
static int fit_auto_throttles(const stg_fleet *f, stg_problem **pp,
                              double *bound, double *target,
                              const stg_limit *lim)
{
    for (int round = 0; round < 8 && !stg_limit_reached(lim); round++) {
        stg_problem *p = *pp;
        stg_settings *s = stg_settings_copy(p->settings);
        if (!s)
            return -1;
        int changed = 0;
        for (int c = 0; c < f->ncomputers; c++) {
            const stg_computer *cp = &f->computers[c];
            if (cp->throttle.kind != STG_THROTTLE_AUTO)
                continue;
            int short_link = 0;
            for (int i = 0; i < cp->nfull_path; i++) {
                int l = cp->full_path[i];
                short_link |= bound[l] < f->headroom - 1e-9 ||
                              target[l] < f->headroom - 1e-9;
            }
            if (!short_link)
                continue;
            changed |= step_down(f, c, s);
        }
        if (!changed) {
            stg_settings_free(s);
            return 0;
        }
        stg_problem *np = stg_problem_new(f, s);
        stg_settings_free(s);
        if (!np)
            return -1;
        stg_problem_free(p);
        *pp = np;
        if (stg_bound_links(np, 0, lim, bound) ||
            stg_bound_links(np, 1, lim, target))
            return -1;
    }
    return 0;
}

/* The number of schedules (product of the domain sizes), capped. */
static long count_schedules(const stg_problem *p, long cap)
{
    long n = 1;
    for (int d = 0; d < p->ndecisions; d++) {
        n *= p->dec[d].nvalues;
        if (n > cap)
            return cap + 1;
    }
    return n;
}

/* Simulates every schedule: the best is optimal, and the best worst-link
 * headroom of them all is the exact bound.  Returns 1 when it went
 * through them all, 0 when the limit stopped it, -1 when out of memory. */
static int enumerate(const stg_problem *p, const double *bound,
                     const stg_limit *lim, stg_schedule **best,
                     double *exact)
{
    int nd = p->ndecisions, rc = -1;
    int *vi = stg_calloc((size_t)nd + 1, sizeof *vi);
    if (!vi)
        return -1;
    *exact = -INFINITY;
    for (;;) {
        if (stg_limit_reached(lim)) {
            rc = 0;
            break;
        }
        stg_schedule *cand = from_state(p, NULL, vi, bound);
        if (!cand)
            break;
        if (cand->eval->achieved > *exact)
            *exact = cand->eval->achieved;
        keep_better(best, cand);
        int d = 0;
        while (d < nd && ++vi[d] == p->dec[d].nvalues)
            vi[d++] = 0;
        if (d == nd) {
            rc = 1;
            break;
        }
    }
    stg_free(vi);
    return rc;
}

/* One local search, run by a thread of its own. */
typedef struct {
    const stg_state *start;
    uint64_t seed;
    const double *target;
    const stg_limit *lim;
    stg_state *out;
} search_job;

static void *search_thread(void *arg)
{
    search_job *j = arg;
    j->out = stg_local_search(j->start, j->seed, KICKS, j->target, j->lim);
    return NULL;
}

/* Runs n local searches from start with seeds seed, seed+1, ... in
 * parallel (the calling thread runs the first); each job's out is its
 * result (NULL when out of memory). */
static void parallel_search(search_job *jobs, int n)
{
    pthread_t *th = stg_calloc((size_t)n, sizeof *th);
    int *started = stg_calloc((size_t)n, sizeof *started);
    for (int i = 1; i < n; i++)
        started[i] = th && started &&
                     pthread_create(&th[i], NULL, search_thread, &jobs[i]) == 0;
    search_thread(&jobs[0]);
    for (int i = 1; i < n; i++) {
        if (started && started[i])
            pthread_join(th[i], NULL);
        else
            search_thread(&jobs[i]);    /* no thread: run it here */
    }
    stg_free(th);
    stg_free(started);
}

/* Runs o->threads local searches from start (seeds o->seed, o->seed+1,
 * ...) in parallel, keeps the best result in *best, and gives the best
 * search's state in *first (the first search's when none beat *best; the
 * caller frees it).  Returns 1 when a result beat *best, 0 when none
 * did, -1 when out of memory. */
static int search(const stg_problem *p, const stg_state *start,
                  const double *target, const double *bound,
                  const stg_limit *lim, const stg_plan_opts *o,
                  stg_schedule **best, stg_state **first)
{
    int n = o->threads > 1 ? o->threads : 1, rc = 0, lost = 0;
    search_job *jobs = stg_calloc((size_t)n, sizeof *jobs);
    if (!jobs)
        return -1;
    for (int i = 0; i < n; i++) {
        jobs[i].start = start;
        jobs[i].seed = o->seed + (uint64_t)i;
        jobs[i].target = target;
        jobs[i].lim = lim;
    }
    parallel_search(jobs, n);
    int pick = 0;
    for (int i = 0; i < n; i++) {
        stg_schedule *cand = jobs[i].out ? from_state(p, jobs[i].out, NULL,
                                                      bound) : NULL;
        lost |= !cand;
        if (cand && stg_schedule_cmp(cand, *best) < 0) {
            rc = 1;
            pick = i;
        }
        keep_better(best, cand);
    }
    *first = jobs[pick].out;
    for (int i = 0; i < n; i++)
        if (i != pick)
            stg_state_free(jobs[i].out);
    stg_free(jobs);
    return lost || !*first ? -1 : rc;
}

/* The limit for a search phase: share (0..1] of the time left. */
static stg_limit phase(const stg_limit *lim, double share)
{
    stg_limit ph = *lim;
    double now = stg_now();
    if (share < 1 && lim->deadline > now)
        ph.deadline = now + (lim->deadline - now) * share;
    return ph;
}

/* A state with every decision at the value settings s give it. */
static stg_state *placed(const stg_problem *p, const stg_settings *s)
{
    stg_state *st = stg_state_new(p);
    for (int d = 0; st && d < p->ndecisions; d++)
        stg_state_place(st, d, stg_problem_value_index(p, d, s));
    return st;
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

int stg_plan_prepare(const stg_fleet *f, const stg_limit *lim,
                     stg_problem **out, double *bound, double *target)
{
    stg_problem *p = stg_problem_new(f, NULL);
    if (!p || stg_bound_links(p, 0, lim, bound) ||
        stg_bound_links(p, 1, lim, target) ||
        fit_auto_throttles(f, &p, bound, target, lim)) {
        stg_problem_free(p);
        return -1;
    }
    *out = p;
    return 0;
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
    double *target = stg_calloc((size_t)f->nlinks + 1, sizeof *target);
    char method[400];
    int cut = 0;                /* a phase ended at its share of the time */
    stg_limit lim = { o->time_limit > 0 ? t0 + o->time_limit : 0, o->stop };

    if (!bound || !target || stg_plan_prepare(f, &lim, &p, bound, target))
        goto oom;
    for (int l = 0; l < f->nlinks; l++)
        target[l] = 1 - target[l];
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

    if (o->exhaustive_max > 0 &&
        count_schedules(p, o->exhaustive_max) <= o->exhaustive_max) {
        double exact;
        int r = enumerate(p, bound, &lim, &best, &exact);
        if (r < 0)
            goto oom;
        strcpy(method, r ? "exhaustive" : "exhaustive (incomplete)");
        if (r && exact < worst_bound)
            worst_bound = exact;
        report(o, t0, best, worst_bound, "exhaustive");
        goto finish;
    }

    int use_milp = stg_milp_fits(p, MILP_MAX_ROWS);
    stg_limit heur = lim;
    if (use_milp && lim.deadline > 0)
        heur.deadline = t0 + o->time_limit * 0.4;
    greedy = stg_greedy(p, o->seed, &lim);
    if (!greedy)
        goto oom;
    stg_schedule *cand = from_state(p, greedy, NULL, bound);
    if (!cand)
        goto oom;
    if (stg_schedule_cmp(cand, best) < 0)
        strcpy(method, "greedy");

    /* When the greedy leaves links short that carry recommended (AUTO)
     * throttles, the first search gets half the time: the rest goes to
     * searching again with those throttles lowered. */
    int auto_short = short_auto(f, cand, NULL);
    keep_better(&best, cand);
    report(o, t0, best, worst_bound, "greedy");
    /* On fleets too big for the MILP the search phases share the time:
     * each gets half of what is left, the first a third when throttles
     * may have to come down after it (a phase cut short counts as the
     * time limit reached: its result depends on the clock). */
    int split = auto_short || !use_milp;
    stg_limit first = phase(&heur, auto_short ? 1.0 / 3 : split ? 0.5 : 1);
    int r = search(p, greedy, target, bound, &first, o, &best, &local);
    if (r < 0)
        goto oom;
    cut |= split && stg_limit_reached(&first);
    if (r)
        strcpy(method, "greedy+local search");
    report(o, t0, best, worst_bound, "local search");

    /* Recommended throttles the search could not fit: lower them on the
     * links still short (a quarter at a time) and search again from the
     * best placement, while that helps. */
    for (int round = 0; round < 8 && !stg_limit_reached(&heur); round++) {
        /* the domains stay around today's times; only the throttles
         * change */
        stg_settings *s = stg_settings_copy(p->settings);
        if (!s)
            goto oom;
        memcpy(s->throttle, best->settings->throttle,
               sizeof *s->throttle * (size_t)f->ncomputers);
        if (!short_auto(f, best, s)) {
            stg_settings_free(s);
            break;
        }
        stg_problem *np = stg_problem_new(f, s);
        stg_settings_free(s);
        double *nb = stg_calloc((size_t)f->nlinks + 1, sizeof *nb);
        double *nt = stg_calloc((size_t)f->nlinks + 1, sizeof *nt);
        stg_state *start = NULL, *found = NULL;
        r = -1;
        if (np && nb && nt && !stg_bound_links(np, 0, &heur, nb) &&
            !stg_bound_links(np, 1, &heur, nt) &&
            (start = placed(np, best->settings)) != NULL) {
            for (int l = 0; l < f->nlinks; l++)
                nt[l] = 1 - nt[l];
            stg_limit rl = phase(&heur, use_milp ? 1 : 0.5);
            r = search(np, start, nt, nb, &rl, o, &best, &found);
            cut |= !use_milp && stg_limit_reached(&rl);
        }
        stg_state_free(start);
        if (r == 1) {           /* better: go on from the new throttles */
            stg_problem_free(p);
            stg_state_free(local);
            stg_free(bound);
            stg_free(target);
            p = np;
            local = found;
            bound = nb;
            target = nt;
            worst_bound = 1;
            for (int l = 0; l < f->nlinks; l++)
                if (bound[l] < worst_bound)
                    worst_bound = bound[l];
            stg_schedule_set_bound(best, worst_bound);
            if (!strstr(method, "throttles lowered"))
                strcat(method, ", throttles lowered");
            report(o, t0, best, worst_bound, "throttles lowered");
            continue;
        }
        stg_problem_free(np);
        stg_state_free(found);
        stg_free(nb);
        stg_free(nt);
        if (r < 0)
            goto oom;
        break;
    }

    /* Too big for the MILP: sub-MILPs on the worst links, then the
     * local search again from there with what is left. */
    if (best->status != STG_STATUS_OPTIMAL && !use_milp &&
        !stg_limit_reached(&heur)) {
        stg_lns_stats ns;
        stg_limit nl = phase(&heur, 0.5);
        if (stg_lns(local, target, o->seed, &nl, &ns, cause))
            goto out;
        cut |= stg_limit_reached(&nl);
        cand = from_state(p, local, NULL, bound);
        if (!cand)
            goto oom;
        if (stg_schedule_cmp(cand, best) < 0) {
            size_t n = strlen(method);
            snprintf(method + n, sizeof method - n, "+lns");
        }
        keep_better(&best, cand);
        report(o, t0, best, worst_bound, "lns");
        if (best->status != STG_STATUS_OPTIMAL && !stg_limit_reached(&heur)) {
            stg_state *again = NULL;
            r = search(p, local, target, bound, &heur, o, &best, &again);
            if (r < 0) {
                stg_state_free(again);
                goto oom;
            }
            stg_state_free(local);
            local = again;
            if (r && !strstr(method, "local search"))
                strcat(method, "+local search");
            report(o, t0, best, worst_bound, "local search");
        }
    }

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
        snprintf(method + n, sizeof method - n, " (milp: %s%s%s)", mr.note,
                 mr.detail[0] ? ": " : "", mr.detail);
        report(o, t0, best, worst_bound, "milp");
    }
finish:
    stg_schedule_set_bound(best, worst_bound);
    if (cut || stg_limit_reached(&lim)) {
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
    stg_free(target);
    return rc;
}

int stg_evaluate(const stg_fleet *f, stg_settings *s, stg_schedule **out,
                 char **cause)
{
    double t0 = stg_now();
    /* The bounds hold for the throttles the settings give (a plan's may
     * have been lowered); today's are taken with the recommended
     * throttles planning starts from, so the bound says what a plan
     * could reach. */
    stg_problem *p = stg_problem_new(f, s);
    double *bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    int rc = -1;
    if (!s)
        s = stg_settings_today(f);
    if (!p || !bound || !s || stg_bound_links(p, 0, NULL, bound)) {
        stg_settings_free(s);
        goto oom;
    }
    *out = stg_schedule_build(f, s, bound);
    if (!*out)
        goto oom;
    (*out)->method = stg_strdup("evaluated");
    if (!(*out)->method) {
        stg_schedule_free(*out);
        *out = NULL;
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
