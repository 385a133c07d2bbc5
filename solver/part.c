/* stagger: planning one part (see part.h). */
#include "part.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "exact.h"
#include "heuristic.h"
#include "lift.h"
#include "peakcore.h"
#include "lns.h"
#include "milp.h"
#include "model/alloc.h"
#include "pool.h"
#include "trace.h"

/* Rows above which the MILP is not tried (GLPK stalls long before). */
#define MILP_MAX_ROWS 60000L
/* Kicks without improvement before the local search gives up: the
 * first, quick search (before the exact one proves the bounds), the
 * others, and the others of a part planned beside many. */
#define KICKS_QUICK 30
#define KICKS 300
#define KICKS_PART 30
/* The exact search: links loaded by at most this many decisions, and
 * the slot checks it may spend on each.  A wider link (a DPM server's
 * NIC, a regional hub inside a joined part: up to EXACT_WIDE_DECISIONS)
 * is searched with the same budget, but only as a first search: its
 * proof is often quick (the fixed express fulls and the few decisions
 * at its peak decide it) and when it is not, more budget rarely helps,
 * so it is neither searched deeper nor lifted. */
#define EXACT_MAX_DECISIONS 40
#define EXACT_WIDE_DECISIONS 160
#define EXACT_BUDGET 128000000L
/* The deeper exact search (phase_deeper): its budget, in multiples of
 * EXACT_BUDGET (4.1 x 10^9 slot checks, 10 to 20 seconds; the longest
 * proof of the benchmarks' that ends takes 2.5 x 10^9).  One search
 * with the whole budget: it goes the same way whatever its budget, so a
 * ladder of growing ones would only repeat the smaller ones' work. */
#define DEEPER_SCALE 32
/* A link at risk this far short of its bound is lifted (phase_lift()),
 * with LIFT_SCALE times the exact budget for each lift, pooled. */
#define LIFT_GAP 0.005
#define LIFT_SCALE 2
/* A link at risk whose exact search ends unproven more than this short
 * of its bound gets the bound of its peak's core (peakcore.h), with
 * 1 / PEAKCORE_SCALE of the exact budget (a quarter left e20c's dc-core
 * at 1.0% where this proves -4.5%, e2000c's dpm005-nic at 41.3% where
 * this gives 39.2%, e2000g's region013-hub at 10.8% where this gives
 * 9.9%; docs/performance.md, "The kicks counted on the links at
 * risk"). */
#define PEAKCORE_GAP 0.01
#define PEAKCORE_SCALE 2
/* A wide link's lift (phase_wide()), on a fleet planned whole: this many
 * times the exact budget (5.1 x 10^8 slot checks, 3.4 s on e20g's hub
 * of 85 decisions). */
#define WIDE_LIFT_SCALE 4
/* An exact search's placement that makes worse links worse is repaired
 * (take_exact()) with lifts of this share of its budget each. */
#define REPAIR_SHARE 16
/* The moves judged with the waits (phase_waits()): computer-slots
 * simulated at most (2 x 10^8: some 3,500 simulations of a part of 40
 * computers over a day of minutes), and passes at most. */
#define WAIT_WORK 200000000L
#define WAIT_PASSES 4


static void report(const stg_part *pp, const char *phase)
{
    const stg_plan_opts *o = pp->o;
    if (!o->progress || pp->quiet)
        return;
    stg_progress pr;
    pr.elapsed = stg_now() - pp->t0;
    pr.achieved = pp->best ? pp->best->eval->achieved : 0;
    pr.bound = pp->worst_bound;
    pr.phase = phase;
    pr.partial = false;
    o->progress(o->progress_arg, &pr);
}

/* A schedule from the problem's settings with a state's values (or
 * values[], when given). */
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

/* Keeps the better of *best and cand (freeing the other); 1 when cand
 * won. */
static int keep_better(stg_schedule **best, stg_schedule *cand)
{
    if (!cand)
        return 0;
    if (!*best || stg_schedule_cmp(cand, *best) < 0) {
        stg_schedule_free(*best);
        *best = cand;
        return 1;
    }
    stg_schedule_free(cand);
    return 0;
}

/* The limit for a phase: share (0..1] of the time left. */
static stg_limit phase_limit(const stg_limit *lim, double share)
{
    stg_limit ph = *lim;
    double now = stg_now();
    if (share < 1 && lim->deadline > now)
        ph.deadline = now + (lim->deadline - now) * share;
    return ph;
}

/* Notes that a phase ended at its share of the time: its result then
 * depends on the clock. */
static void note_cut(stg_part *pp, const stg_limit *ph)
{
    if (stg_limit_reached(ph))
        pp->found.time_limit = true;
}

static int oom(stg_part *pp)
{
    if (!*pp->cause)
        *pp->cause = stg_strdup("out of memory");
    return -1;
}

/* Whether a computer waited for max_jobs in sc. */
static bool anyone_waited(const stg_part *pp, const stg_schedule *sc)
{
    for (int c = 0; c < pp->f->ncomputers; c++)
        if (sc->sim->waited[c] > 0)
            return true;
    return false;
}

/* Whether every link at risk meets its bound for schedules without
 * waits (nothing without waits does better there), no computer waits,
 * and no rule other than the headroom is broken. */
static bool meets_targets(const stg_part *pp)
{
    const stg_schedule *sc = pp->best;
    for (int i = 0; i < sc->eval->nviolations; i++)
        if (sc->eval->violations[i].kind != STG_VIOL_HEADROOM)
            return false;
    if (anyone_waited(pp, sc))
        return false;
    for (int l = 0; l < pp->f->nlinks; l++)
        if (sc->eval->headroom[l] < 1 - pp->aim[l] - STG_SAME)
            return false;
    return true;
}

bool stg_part_own(const stg_part *pp, int l)
{
    return !pp->shared || !pp->shared[l];
}

bool stg_part_link_same(const stg_part *pp, int l, const stg_throttle *was,
                        const int *computer_of)
{
    const stg_fleet *f = pp->f;
    for (int c = 0; c < f->ncomputers; c++)
        if (stg_computer_crosses(&f->computers[c], l) &&
            !stg_throttle_same(&pp->p->settings->throttle[c],
                               &was[computer_of ? computer_of[c] : c]))
            return false;
    return true;
}

/* Whether link l is loaded by few enough decisions for every exact
 * search (EXACT_MAX_DECISIONS: the deeper one and the lift too). */
static bool narrow(const stg_part *pp, int l)
{
    return stg_exact_fits(pp->p, &l, 1, EXACT_MAX_DECISIONS);
}

bool stg_part_gave_up(const stg_part *pp, int l)
{
    return stg_part_own(pp, l) && !pp->exact[l] && pp->tried[l] > 0 &&
           narrow(pp, l);
}

/* The search's aims from the targets. */
void stg_part_aims(stg_part *pp)
{
    for (int l = 0; l < pp->f->nlinks; l++) {
        double safe = stg_part_own(pp, l) ? 1 - STG_SAFE : 1 - pp->f->headroom;
        if (pp->floor && pp->floor[l] > safe)
            safe = pp->floor[l];
        pp->aim[l] = pp->target[l] > safe ? pp->target[l] : safe;
    }
}

/* The worst of the part's own links' bounds. */
void stg_part_worst(stg_part *pp)
{
    pp->worst_bound = 1;
    for (int l = 0; l < pp->f->nlinks; l++)
        if (stg_part_own(pp, l) && pp->bound[l] < pp->worst_bound)
            pp->worst_bound = pp->bound[l];
}

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

/* The AUTO computers on links where short[l] holds: with s, lowers their
 * throttles (step_down); returns how many there are (s NULL) or how many
 * changed. */
static int short_auto(const stg_fleet *f, const bool *short_link,
                      stg_settings *s)
{
    int n = 0;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        if (cp->throttle.kind != STG_THROTTLE_AUTO)
            continue;
        int on = 0;
        for (int i = 0; i < cp->nfull_path; i++)
            on |= short_link[cp->full_path[i]];
        if (on)
            n += s ? step_down(f, c, s) : 1;
    }
    return n;
}

/* The bounds of pp->p: every schedule (headroom), and for schedules
 * without waits (as a utilization target); the same when no server of
 * the part can make a computer wait.  A shared link keeps the background
 * and average bounds: the part does not bound it (part.h), and its aim is
 * the limit whatever its bound.  redo (NULL: every link) names the links
 * whose bounds are computed again; the others keep theirs. */
static int compute_bounds(stg_part *pp, const stg_limit *lim, const bool *redo)
{
    const stg_fleet *f = pp->f;
    int L = f->nlinks, rc = -1;
    bool waits = false;
    bool *only = stg_malloc(sizeof *only * (size_t)(L + 1));
    double *b = stg_malloc(sizeof *b * (size_t)(L + 1));
    double *t = stg_malloc(sizeof *t * (size_t)(L + 1));
    if (!only || !b || !t)
        goto out;
    for (int sv = 0; sv < f->nservers; sv++)
        waits |= pp->p->binding[sv] != 0;
    int n = 0;
    for (int l = 0; l < L; l++) {
        only[l] = stg_part_own(pp, l) && (!redo || redo[l]);
        n += only[l];
    }
    double t0 = stg_now();
    if (stg_bound_links(pp->p, 0, lim, only, b))
        goto out;
    if (!waits)
        memcpy(t, b, sizeof *t * (size_t)L);
    else if (stg_bound_links(pp->p, STG_BOUND_NO_WAIT, lim, only, t))
        goto out;
    stg_trace("bounds: %d of %d links, %d computers, %.4fs", n, L,
              f->ncomputers, stg_now() - t0);
    for (int l = 0; l < L; l++) {
        if (!redo || redo[l]) {
            pp->bound[l] = b[l];
            pp->target[l] = 1 - t[l];
        }
        pp->exact[l] = false;
        pp->tried[l] = 0;
    }
    stg_part_aims(pp);
    stg_part_worst(pp);
    rc = 0;
out:
    stg_free(only);
    stg_free(b);
    stg_free(t);
    return rc;
}

/* pp->bound and pp->target, which hold the bounds of problem was, made
 * those of pp->p, the same fleet but for throttles: the links whose
 * bounds the computers whose throttles changed reach are bounded again
 * (stg_bound_affected()). */
static int redo_bounds(stg_part *pp, const stg_problem *was,
                       const stg_limit *lim)
{
    bool *redo = stg_calloc((size_t)pp->f->nlinks + 1, sizeof *redo);
    int rc = -1;
    if (redo && stg_bound_affected(pp->p, was->settings->throttle, redo) == 0)
        rc = compute_bounds(pp, lim, redo);
    stg_free(redo);
    return rc;
}

/* Replaces the problem with one for settings s (taken over), and
 * recomputes its bounds. */
static int new_problem(stg_part *pp, stg_settings *s, const stg_limit *lim)
{
    stg_problem *np = stg_problem_new(pp->f, s);
    stg_settings_free(s);
    if (!np)
        return -1;
    stg_problem *was = pp->p;
    pp->p = np;
    int rc = redo_bounds(pp, was, lim);
    stg_problem_free(was);
    return rc;
}

/* Lowers the recommended (AUTO) throttles on links whose bounds say the
 * required headroom cannot be kept (the bound for every schedule, or the
 * one for schedules without waiting, which the search builds), a quarter
 * at a time and never below what moves the computer's volume, until no
 * such link has an AUTO computer left to lower (at most 8 rounds). */
static int fit_auto_throttles(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    bool *low = stg_calloc((size_t)f->nlinks + 1, sizeof *low);
    if (!low)
        return -1;
    int rc = 0;
    for (int round = 0; round < 8 && !stg_limit_reached(&pp->lim); round++) {
        for (int l = 0; l < f->nlinks; l++)
            low[l] = pp->bound[l] < f->headroom - 1e-9 ||
                     1 - pp->target[l] < f->headroom - 1e-9;
        stg_settings *s = stg_settings_copy(pp->p->settings);
        if (!s) {
            rc = -1;
            break;
        }
        if (!short_auto(f, low, s)) {
            stg_settings_free(s);
            break;
        }
        if ((rc = new_problem(pp, s, &pp->lim)) != 0)
            break;
    }
    stg_free(low);
    return rc;
}

/* prepare: the problem with the part's throttles (the recommended ones
 * stepped down where a bound says the limit cannot hold), its bounds,
 * and today's settings as the first candidate: a plan is never worse
 * than what is configured. */
int stg_part_prepare(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    pp->bound = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->bound);
    pp->target = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->target);
    pp->aim = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->aim);
    pp->floor = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->floor);
    pp->lift_memo = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->lift_memo);
    pp->exact = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->exact);
    pp->tried = stg_calloc((size_t)f->nlinks + 1, sizeof *pp->tried);
    pp->p = stg_problem_new(f, pp->base);
    if (!pp->bound || !pp->target || !pp->aim || !pp->floor ||
        !pp->lift_memo || !pp->exact ||
        !pp->tried || !pp->p ||
        compute_bounds(pp, &pp->lim, NULL) ||
        (!pp->deeper && fit_auto_throttles(pp)))
        return oom(pp);
    stg_settings *today = stg_settings_copy(pp->p->settings);
    if (!today || !(pp->best = stg_schedule_build(f, today, pp->bound)))
        return oom(pp);
    pp->use_milp = stg_milp_fits(pp->p, MILP_MAX_ROWS) && !pp->quiet;
    if (!pp->exact_budget)
        pp->exact_budget = EXACT_BUDGET;
    pp->heur = phase_limit(&pp->lim, pp->use_milp ? 0.4 : 1);
    report(pp, "today");
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

/* exhaustive: when there are few schedules, every one is simulated: the
 * best is optimal, and the best worst-link headroom of them all is the
 * exact bound (waits included: the simulation makes them). */
static int phase_exhaustive(stg_part *pp)
{
    const stg_problem *p = pp->p;
    long max = pp->o->exhaustive_max;
    if (max <= 0 || count_schedules(p, max) > max)
        return 0;
    int nd = p->ndecisions, rc = 1;
    double exact = -INFINITY;
    int *vi = stg_calloc((size_t)nd + 1, sizeof *vi);
    if (!vi)
        return oom(pp);
    for (;;) {
        if (stg_limit_reached(&pp->lim)) {
            pp->found.incomplete = true;
            break;
        }
        stg_schedule *cand = from_state(p, NULL, vi, pp->bound);
        if (!cand) {
            rc = oom(pp);
            break;
        }
        if (cand->eval->achieved > exact)
            exact = cand->eval->achieved;
        keep_better(&pp->best, cand);
        int d = 0;
        while (d < nd && ++vi[d] == p->dec[d].nvalues)
            vi[d++] = 0;
        if (d == nd)
            break;
    }
    stg_free(vi);
    pp->found.used = STG_FOUND_EXHAUSTIVE;
    pp->proven = rc > 0 && !pp->found.incomplete;
    if (pp->proven && exact < pp->worst_bound)
        pp->worst_bound = exact;
    report(pp, "exhaustive");
    return rc;
}

/* greedy: a first placement (heuristic.h), or the start settings' when
 * the part is planned again from its plan so far and that is better; the
 * search goes on from it. */
static int phase_greedy(stg_part *pp)
{
    pp->local = stg_greedy(pp->p, pp->seed, &pp->lim);
    if (!pp->local)
        return oom(pp);
    if (pp->start) {
        stg_state *b = stg_state_placed(pp->p, pp->start);
        if (!b)
            return oom(pp);
        if (stg_state_cmp(b, pp->local) < 0) {
            stg_state_free(pp->local);
            pp->local = b;
            pp->from_start = true;
        } else {
            stg_state_free(b);
        }
    }
    stg_schedule *cand = from_state(pp->p, pp->local, NULL, pp->bound);
    if (!cand)
        return oom(pp);
    bool *low = stg_calloc((size_t)pp->f->nlinks + 1, sizeof *low);
    if (!low) {
        stg_schedule_free(cand);
        return oom(pp);
    }
    for (int l = 0; l < pp->f->nlinks; l++)
        low[l] = cand->eval->headroom[l] < pp->f->headroom - 1e-9;
    pp->auto_short = short_auto(pp->f, low, NULL) > 0;
    stg_free(low);
    if (keep_better(&pp->best, cand))
        pp->found.used |= STG_FOUND_GREEDY;
    pp->stale = true;
    report(pp, "greedy");
    return 0;
}

/* Searches locally from pp->local within ph, giving up after kicks
 * kicks without improvement; keeps the result when it beats the best
 * schedule.  Returns 1 when it did, 0, -1. */
static int search_kicks(stg_part *pp, int kicks, const stg_limit *ph)
{
    /* the utilization at which an own link is out of risk; none for a
     * shared link: its load is the sum of many parts', and whether the
     * whole is at risk no part can tell (polishing it in every part is
     * what keeps a busy core low) */
    int L = pp->f->nlinks;
    double *at_risk = stg_malloc(sizeof *at_risk * (size_t)(L + 1));
    if (!at_risk)
        return oom(pp);
    for (int l = 0; l < L; l++)
        at_risk[l] = stg_part_own(pp, l) ? 1 - STG_SAFE : -1;
    stg_state *st = stg_local_search(pp->local, pp->seed, kicks, pp->aim,
                                      at_risk, ph);
    stg_free(at_risk);
    if (!st)
        return oom(pp);
    stg_schedule *cand = from_state(pp->p, st, NULL, pp->bound);
    if (!cand) {
        stg_state_free(st);
        return oom(pp);
    }
    stg_state_free(pp->local);
    pp->local = st;
    return keep_better(&pp->best, cand);
}

/* Kicks without improvement a local search of pp gives up after: a part
 * of many gives up sooner (its links either reach their bounds early, or
 * are ones the exact search could not settle either). */
static int kicks_of(const stg_part *pp)
{
    return pp->quiet ? KICKS_PART : KICKS;
}

static int search_from_local(stg_part *pp, const stg_limit *ph)
{
    return search_kicks(pp, kicks_of(pp), ph);
}

/* quick local search: a short one from the greedy placement, so that
 * the exact search starts from a good incumbent (it then mostly has to
 * prove it).  Not in the deeper pass from the plan so far: its round
 * searched that placement already (the exact search starts from it at
 * once; the local search after it still runs). */
static int phase_quick(stg_part *pp)
{
    if (meets_targets(pp) || stg_limit_reached(&pp->heur) ||
        (pp->deeper && pp->from_start))
        return 0;
    stg_limit ph = phase_limit(&pp->heur, 0.25);
    int r = search_kicks(pp, KICKS_QUICK, &ph);
    if (r < 0)
        return r;
    /* cut by its share of the time, it ends where the clock says, and
     * so does all that starts from it */
    note_cut(pp, &ph);
    if (r)
        pp->found.used |= STG_FOUND_GREEDY | STG_FOUND_LOCAL;
    /* a later search from here with no more kicks would find the same,
     * unless the exact search changes the placement or the aims */
    if (!stg_limit_reached(&ph) && KICKS_QUICK >= kicks_of(pp))
        pp->stale = false;
    return 0;
}

/* local search, when the state or the aims changed since the last one:
 * the first gets a third of the time when the greedy leaves a link short
 * that carries an AUTO throttle (the rest may go to searching with it
 * lowered), half of it on a part too big for the MILP (later phases
 * share the rest), else all the heuristic time; a later one half of
 * what is left. */
static int phase_search(stg_part *pp)
{
    if (!pp->stale || meets_targets(pp) || stg_limit_reached(&pp->heur))
        return 0;
    bool first = !(pp->found.used & STG_FOUND_LOCAL) && !pp->searched;
    double share = !first ? 0.5 : pp->auto_short ? 1.0 / 3
                 : !pp->use_milp ? 0.5 : 1;
    stg_limit ph = phase_limit(&pp->heur, share);
    int r = search_from_local(pp, &ph);
    if (r < 0)
        return r;
    pp->searched = true;
    pp->stale = false;
    note_cut(pp, &ph);
    if (r)
        pp->found.used |= STG_FOUND_GREEDY | STG_FOUND_LOCAL;
    report(pp, "local search");
    return 0;
}

/* throttles lowered: recommended throttles the search could not fit come
 * down a quarter on the links still short, and the search goes on from
 * the best placement with them, while that gives a better schedule (a
 * bound can miss what the queue does: an express full that keeps its
 * computer busy past a neighbour's sync). */
/* Frees the problem and everything planned on it. */
static void drop_problem(stg_part *pp)
{
    stg_problem_free(pp->p);
    stg_state_free(pp->local);
    stg_free(pp->bound);
    stg_free(pp->target);
    stg_free(pp->aim);
    stg_free(pp->exact);
    stg_free(pp->tried);
    pp->p = NULL;
    pp->local = NULL;
    pp->bound = pp->target = pp->aim = NULL;
    pp->exact = NULL;
    pp->tried = NULL;
}

static int phase_exact(stg_part *pp);

/* The links of `from` searched by the exact search whose computers have
 * the same throttles in `to`: their load is the same, and so are their
 * proofs, and the utilization a search that gave up left (tried), from
 * which `to` does not search them again (exact_round(): as a later round
 * does not, planner.c). */
static void keep_exact(const stg_part *from, stg_part *to)
{
    const stg_fleet *f = from->f;
    for (int l = 0; l < f->nlinks; l++) {
        if ((!from->exact[l] && from->tried[l] <= 0) ||
            !stg_part_link_same(to, l, from->p->settings->throttle, NULL))
            continue;
        if (!from->exact[l]) {
            to->tried[l] = from->tried[l];
            continue;
        }
        to->exact[l] = true;
        if (from->target[l] > to->target[l])
            to->target[l] = from->target[l];
        if (from->bound[l] < to->bound[l])
            to->bound[l] = from->bound[l];
    }
    /* so is the deeper search's give-up, on the same terms */
    to->deep_link = from->deep_link;
    to->deep_util = from->deep_util;
    if (from->deep_util > 0 &&
        !stg_part_link_same(to, from->deep_link, from->p->settings->throttle,
                            NULL))
        to->deep_util = 0;
    stg_part_aims(to);
    stg_part_worst(to);
}

/* One round of lowering throttles: the part with the throttles of s
 * (taken over), its links that the lowered throttles reach bounded again
 * (redo_bounds()), searched from the best placement quickly, then by the
 * exact search where links stay short.  A round whose bounds the clock
 * cut is not taken: its plan could not say how good it is (the cheap
 * bounds of its links would replace proven ones).  Returns 1 when it
 * gave a better schedule (pp goes on with the new problem), 0, -1. */
static int throttle_round(stg_part *pp, stg_settings *s)
{
    const stg_fleet *f = pp->f;
    size_t L = (size_t)f->nlinks + 1;
    stg_part t = *pp;
    stg_schedule *before = pp->best;
    t.p = stg_problem_new(f, s);
    stg_settings_free(s);
    t.bound = stg_malloc(sizeof *t.bound * L);
    t.target = stg_malloc(sizeof *t.target * L);
    t.aim = stg_calloc(L, sizeof *t.aim);
    t.exact = stg_calloc(L, sizeof *t.exact);
    t.tried = stg_calloc(L, sizeof *t.tried);
    t.local = NULL;
    int r = -1;
    if (t.bound && t.target) {
        memcpy(t.bound, pp->bound, sizeof *t.bound * L);
        memcpy(t.target, pp->target, sizeof *t.target * L);
    }
    bool ok = t.p && t.bound && t.target && t.aim && t.exact && t.tried &&
              redo_bounds(&t, pp->p, &pp->heur) == 0;
    if (ok && stg_limit_reached(&pp->heur)) {
        r = 0;                  /* its bounds cut: not taken */
        pp->found.time_limit = true;
    } else if (ok && (t.local = stg_state_placed(t.p, pp->best->settings))) {
        keep_exact(pp, &t);
        t.heur = phase_limit(&pp->heur, pp->use_milp ? 1 : 0.5);
        t.exact_budget = pp->exact_budget / 4;
        r = search_kicks(&t, KICKS_QUICK, &t.heur) < 0 || phase_exact(&t)
            ? -1 : t.best != before;
        if (!pp->use_milp)
            note_cut(&t, &t.heur);
        pp->best = t.best;
        pp->found.time_limit |= t.found.time_limit;
    }
    if (r != 1) {
        drop_problem(&t);
        return r < 0 ? oom(pp) : 0;
    }
    drop_problem(pp);
    pp->p = t.p;
    pp->local = t.local;
    pp->bound = t.bound;
    pp->target = t.target;
    pp->aim = t.aim;
    pp->exact = t.exact;
    pp->tried = t.tried;
    pp->deep_link = t.deep_link;
    pp->deep_util = t.deep_util;
    pp->found.used |= t.found.used | STG_FOUND_THROTTLES;
    pp->stale = true;
    stg_part_worst(pp);
    stg_schedule_set_bounds(pp->best, pp->bound, pp->worst_bound);
    return 1;
}

static int phase_throttles(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    if (pp->deeper)
        return 0;               /* the plan's throttles stay (planner.c) */
    bool *low = stg_calloc((size_t)f->nlinks + 1, sizeof *low);
    double *was = stg_calloc((size_t)f->nlinks + 1, sizeof *was);
    if (!low || !was) {
        stg_free(low);
        stg_free(was);
        return oom(pp);
    }
    int r = 1;
    for (int round = 0; r == 1 && round < 8 &&
                        !stg_limit_reached(&pp->heur); round++) {
        for (int l = 0; l < f->nlinks; l++) {
            was[l] = pp->best->eval->headroom[l];
            low[l] = was[l] < f->headroom - 1e-9;
        }
        /* the domains stay around today's times; only throttles change */
        stg_settings *s = stg_settings_copy(pp->p->settings);
        if (!s) {
            r = oom(pp);
            break;
        }
        memcpy(s->throttle, pp->best->settings->throttle,
               sizeof *s->throttle * (size_t)f->ncomputers);
        if (!short_auto(f, low, s)) {
            stg_settings_free(s);
            break;
        }
        r = throttle_round(pp, s);
        if (r == 1) {
            report(pp, "throttles lowered");
            /* lowered further only while a short link gains by it */
            bool gained = false;
            for (int l = 0; l < f->nlinks; l++)
                gained |= low[l] &&
                          pp->best->eval->headroom[l] > was[l] + 1e-9;
            r = gained;
        }
    }
    stg_free(low);
    stg_free(was);
    return r < 0 ? -1 : 0;
}

/* --- exact ------------------------------------------------------------- */

typedef struct {
    stg_part *pp;
    const int *links;           /* the links searched, one task each */
    long budget;                /* slot checks, each */
    stg_exact_result *res;
    int *rc;
} exact_job;

static void exact_task(void *arg, int i)
{
    exact_job *j = arg;
    stg_part *pp = j->pp;
    int l = j->links[i];
    /* a wide link never more than the first budget (a part planned
     * again for the deeper search has the deeper one in its first exact
     * phase: for its narrow links); the deeper budget's searches have
     * both variable orders */
    long budget = narrow(pp, l) ? j->budget : pp->exact_budget;
    stg_exact_opts o = { .every_order = budget > pp->exact_budget,
                         .help = pp->help };
    stg_exact_result *r = &j->res[i];
    j->rc[i] = stg_exact_solve_with(pp->p, &l, 1, pp->local, pp->target[l],
                                    budget, &pp->lim, &o, r);
    /* unproven, a wide link (no deeper search follows) at risk and more
     * than a point short: the bound of its peak's core (peakcore.h) */
    double u = stg_state_util(pp->local, l);
    if (j->rc[i] || r->proven || stg_limit_reached(&pp->lim) ||
        narrow(pp, l) || u <= 1 - STG_SAFE || u <= r->lower + PEAKCORE_GAP)
        return;
    double b;
    long work;
    j->rc[i] = stg_peakcore_bound(pp->p, pp->local, l, r->lower,
                                  pp->exact_budget / PEAKCORE_SCALE,
                                  &pp->lim, &b, &work);
    stg_trace("peak's core %s: lower %.4f (was %.4f), work %ld",
              pp->f->links[l].name, b, r->lower, work);
    if (b > r->lower)
        r->lower = b;
}

static int offer_local(stg_part *pp, unsigned how);

/* Takes the values of an exact search of link l into the search state
 * when the whole schedule gets better with them; when it does not (the
 * placement makes worse links worse), the links it made worse lifted
 * back (lift.h, stg_lift_repair()), each lift with 1 / REPAIR_SHARE of
 * the exact search's first budget (in a deeper round too: a repair may
 * lift many links). */
static int take_exact(stg_part *pp, int l, const stg_exact_result *r)
{
    int rc = -1, repaired = 0;
    stg_state *st = stg_exact_placed(pp->local, r);
    stg_schedule *cand = st ? from_state(pp->p, st, NULL, pp->bound) : NULL;
    if (!cand)
        goto out;
    if (stg_state_cmp(st, pp->local) <= 0) {
        stg_state_free(pp->local);
        pp->local = st;
        st = NULL;
    } else {
        repaired = stg_lift_repair(&pp->local, l, r, 1 - STG_SAFE,
                                   pp->exact_budget / REPAIR_SHARE,
                                   &pp->lim);
        if (repaired < 0)
            goto out;
    }
    if (keep_better(&pp->best, cand))
        pp->found.used |= STG_FOUND_EXACT;
    cand = NULL;
    if (repaired && offer_local(pp, STG_FOUND_LIFT))
        goto out;
    rc = 0;
out:
    stg_state_free(st);
    stg_schedule_free(cand);
    return rc;
}

/* One exact round: the links chosen searched with budget each (in
 * parallel), their proofs and placements taken.  deeper: the links whose
 * search a budget stopped before (tried), searched again from the
 * placement now, but not the one a deeper search gave up on from a
 * placement no better (deep_link, deep_util); otherwise those not tried,
 * or tried from a worse placement.  only >= 0: that link alone, if
 * chosen.  Returns 0 (*n: the links searched), or -1. */
static int exact_round(stg_part *pp, long budget, bool deeper, int only,
                       int *nrun)
{
    const stg_fleet *f = pp->f;
    const stg_problem *p = pp->p;
    int n = 0, rc = 0;
    int *links = stg_malloc(sizeof *links * (size_t)(f->nlinks + 1));
    stg_exact_result *res = stg_calloc((size_t)f->nlinks + 1, sizeof *res);
    int *rcs = stg_calloc((size_t)f->nlinks + 1, sizeof *rcs);
    if (!links || !res || !rcs) {
        rc = oom(pp);
        goto out;
    }
    for (int l = 0; l < f->nlinks; l++) {
        double u = stg_state_util(pp->local, l);
        if ((only >= 0 && l != only) || !stg_part_own(pp, l) || pp->exact[l] ||
            u <= pp->aim[l] + 1e-12 ||
            !(deeper ? narrow(pp, l)
                     : stg_exact_fits(p, &l, 1, EXACT_WIDE_DECISIONS)))
            continue;
        if (deeper ? pp->tried[l] > 0 &&
                     (l != pp->deep_link || pp->deep_util <= 0 ||
                      u < pp->deep_util - 1e-12)
                   : pp->tried[l] == 0 || u < pp->tried[l] - 1e-12)
            links[n++] = l;
    }
    exact_job job = { pp, links, budget, res, rcs };
    stg_pool_run(n, pp->threads, exact_task, &job);
    for (int i = 0; i < n && !rc; i++) {
        int l = links[i];
        if (rcs[i]) {
            rc = oom(pp);
            break;
        }
        stg_trace("exact %s: proven %d, improved %d, utilization %.4f, lower %.4f (was %.4f), work %ld", f->links[l].name, res[i].proven, res[i].improved, res[i].util, res[i].lower, pp->target[l], res[i].work);
        if (res[i].lower > pp->target[l]) {
            pp->target[l] = res[i].lower;
            pp->stale = true;
        }
        pp->tried[l] = 0;
        if (!res[i].proven) {
            pp->found.time_limit |= stg_limit_reached(&pp->lim);
            if (!stg_limit_reached(&pp->lim))
                pp->tried[l] = res[i].util;
            if (deeper && !stg_limit_reached(&pp->lim)) {
                pp->deep_link = l;
                pp->deep_util = res[i].util;
            }
        } else {
            pp->exact[l] = true;
            /* every schedule: when no computer on the link can wait */
            bool waits = false;
            for (int c = 0; c < f->ncomputers; c++)
                waits |= stg_computer_crosses(&f->computers[c], l) &&
                         f->computers[c].server >= 0 &&
                         p->binding[f->computers[c].server];
            if (!waits && 1 - pp->target[l] < pp->bound[l])
                pp->bound[l] = 1 - pp->target[l];
        }
        if (res[i].improved && take_exact(pp, l, &res[i]))
            rc = oom(pp);
        pp->stale |= res[i].improved;
    }
    stg_part_aims(pp);
    stg_part_worst(pp);
    stg_schedule_set_bound(pp->best, pp->worst_bound);
    *nrun = n;
out:
    for (int i = 0; i < n; i++)
        stg_exact_result_free(&res[i]);
    stg_free(links);
    stg_free(res);
    stg_free(rcs);
    return rc;
}

/* exact: each link not yet at its bound, loaded by few enough decisions,
 * is searched completely (exact.h) from the search's placement: its
 * bound for schedules without waits becomes the proven optimum, and a
 * better placement found is taken.  Where no computer on the link can
 * wait for max_jobs, that optimum holds for every schedule. */
static int phase_exact(stg_part *pp)
{
    int n;
    if (stg_limit_reached(&pp->lim) || meets_targets(pp))
        return 0;
    /* a part planned again for the deeper search gets it at once */
    long budget = pp->exact_budget * (pp->deeper ? DEEPER_SCALE : 1);
    if (exact_round(pp, budget, false, -1, &n))
        return -1;
    report(pp, "exact");
    return 0;
}

/* exact, the worst link: on a fleet planned whole, the worst own link,
 * when the first budget stopped its search, is searched deeper at once:
 * its proof is the bound the plan's first line prints, and the long
 * searches after this phase may leave no time for phase_deeper() (e200wc,
 * a week of 729 computers in one part: its worst site, proven in 10^8
 * slot checks by the deeper search, ended 85 points short of a cheap
 * bound when the 60 s ran out first).  Not for one of many parts: the
 * planner's deeper pass has them. */
static int phase_worst(stg_part *pp)
{
    int n, worst = -1;
    if (pp->quiet || stg_limit_reached(&pp->lim) || meets_targets(pp))
        return 0;
    for (int l = 0; l < pp->f->nlinks; l++)
        if (stg_part_own(pp, l) &&
            (worst < 0 || pp->best->eval->headroom[l] <
                          pp->best->eval->headroom[worst]))
            worst = l;
    if (worst < 0 || pp->exact[worst] || pp->tried[worst] <= 0 ||
        !narrow(pp, worst))
        return 0;
    if (exact_round(pp, pp->exact_budget * DEEPER_SCALE, true, worst, &n))
        return -1;
    report(pp, "exact, the worst link");
    return 0;
}

/* exact, deeper: on a fleet planned whole, the links whose exact search
 * its budget stopped, searched again with a budget DEEPER_SCALE times
 * larger, while there is time: a small site whose proof takes seconds
 * gets them, rather than a bound that promises what no schedule reaches.
 * Not for one of many parts (it would keep the parts after it waiting):
 * the planner plans those again once every part has a plan, with
 * pp->deeper, and their first exact phase has the larger budget
 * (planner.c). */
static int phase_deeper(stg_part *pp)
{
    int n;
    if (pp->quiet || stg_limit_reached(&pp->lim) || meets_targets(pp))
        return 0;
    if (exact_round(pp, pp->exact_budget * DEEPER_SCALE, true, -1, &n))
        return -1;
    if (n == 0)
        return 0;
    report(pp, "exact, deeper");
    return phase_search(pp);
}

/* The schedule of the search's state as a candidate, found by how
 * (STG_FOUND_*) when it is kept.  Returns 0, or -1 when out of memory. */
static int offer_local(stg_part *pp, unsigned how)
{
    stg_schedule *cand = from_state(pp->p, pp->local, NULL, pp->bound);
    if (!cand)
        return oom(pp);
    if (keep_better(&pp->best, cand))
        pp->found.used |= how;
    return 0;
}

/* lift: the own links at risk more than LIFT_GAP short of a target the
 * exact search proved, lifted past the worse links that hold them
 * (lift.h), their budgets (LIFT_SCALE times the exact budget each)
 * pooled; the schedule
 * of the lifted state is taken when it is better (the lifts judge the
 * model without waits). */
static int phase_lift(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    if (stg_limit_reached(&pp->lim) || meets_targets(pp))
        return 0;
    bool *eligible = stg_malloc(sizeof *eligible * (size_t)(f->nlinks + 1));
    if (!eligible)
        return oom(pp);
    for (int l = 0; l < f->nlinks; l++)
        eligible[l] = stg_part_own(pp, l) && pp->exact[l] && narrow(pp, l);
    int n = stg_lift(&pp->local, eligible, pp->target, 1 - STG_SAFE,
                     LIFT_GAP, pp->exact_budget * LIFT_SCALE, &pp->lim,
                     pp->lift_memo);
    stg_free(eligible);
    if (n < 0)
        return oom(pp);
    if (n == 0)
        return 0;
    pp->stale = true;
    if (offer_local(pp, STG_FOUND_LIFT))
        return -1;
    report(pp, "lift");
    return 0;
}

/* The wide lift of link l (phase_wide()): its placement's schedule kept
 * when better, the placement taken into the search's state when that is
 * better too.  Returns 1 when the schedule was kept, 0, -1 when out of
 * memory. */
static int wide_one(stg_part *pp, int l)
{
    double u = stg_state_util(pp->local, l);
    stg_exact_result r;
    stg_state *st = NULL;
    stg_schedule *cand = NULL;
    int rc = stg_lift_search(pp->local, l, pp->target[l],
                             pp->exact_budget * WIDE_LIFT_SCALE, &pp->lim,
                             &r);
    int nwith = rc;
    if (rc <= 0 || !r.improved) {
        rc = rc < 0 ? -1 : 0;
        goto out;
    }
    if (!(st = stg_exact_placed(pp->local, &r)) ||
        !(cand = from_state(pp->p, st, NULL, pp->bound))) {
        rc = -1;
        goto out;
    }
    rc = keep_better(&pp->best, cand);
    if (stg_state_cmp(st, pp->local) < 0) {
        stg_state_free(pp->local);
        pp->local = st;
        st = NULL;
        pp->stale = true;
    }
out:
    if (nwith > 0 && rc >= 0)
        stg_trace("wide lift %s: %d worse links, improved %d, utilization "
                  "%.4f (was %.4f), work %ld, kept %d",
                  pp->f->links[l].name, nwith, r.improved, r.util, u,
                  r.work, rc);
    stg_state_free(st);
    stg_exact_result_free(&r);
    return rc;
}

/* lift, wide: on a fleet planned whole (nothing waits for it), each own
 * link at risk loaded by more decisions than phase_lift() takes (a
 * regional hub, a server's NIC) and more than LIFT_GAP short of its
 * target, worst first, lifted past the worse links it meets with
 * WIDE_LIFT_SCALE times the exact budget (lift.h).  The placement found
 * is judged by its schedule, simulated with the waits (the search's
 * state counts a computer over max_jobs where the simulation lets it
 * wait): kept when the schedule is better, and taken into the search's
 * state when the state is better too. */
static int phase_wide(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    if (!pp->whole || stg_limit_reached(&pp->lim) || meets_targets(pp))
        return 0;
    int rc = 0, kept = 0;
    int *links = stg_malloc(sizeof *links * (size_t)(f->nlinks + 1));
    bool *wide = stg_malloc(sizeof *wide * (size_t)(f->nlinks + 1));
    if (!links || !wide) {
        rc = -1;
        goto out;
    }
    for (int l = 0; l < f->nlinks; l++)
        wide[l] = stg_part_own(pp, l) && !narrow(pp, l) &&
                  stg_exact_fits(pp->p, &l, 1, EXACT_WIDE_DECISIONS);
    int n = stg_lift_candidates(pp->local, wide, pp->target, 1 - STG_SAFE,
                                LIFT_GAP, links);
    for (int i = 0; i < n && !stg_limit_reached(&pp->lim); i++) {
        int l = links[i];
        if (stg_state_util(pp->local, l) <= pp->target[l] + LIFT_GAP)
            continue;           /* an earlier lift raised it */
        int r = wide_one(pp, l);
        if (r < 0) {
            rc = -1;
            break;
        }
        kept += r;
    }
    if (kept) {
        pp->found.used |= STG_FOUND_LIFT;
        report(pp, "lift, wide");
    }
out:
    stg_free(links);
    stg_free(wide);
    return rc ? oom(pp) : 0;
}

typedef struct {
    stg_part *pp;
    int d;
    long *sims;                 /* counted down */
    stg_schedule *top;          /* the best simulated, better or not */
} waits_scan;

/* Value vi of the scanned decision in pp->best's settings, simulated
 * whole; 1 when it is the best simulated so far (stg_scan_values()). */
static int waits_try(void *arg, int vi)
{
    waits_scan *w = arg;
    stg_part *pp = w->pp;
    if (*w->sims <= 0 || stg_limit_reached(&pp->heur))
        return 0;
    (*w->sims)--;
    stg_settings *s = stg_settings_copy(pp->best->settings);
    if (!s)
        return -1;
    stg_problem_apply(pp->p, w->d, vi, s);
    stg_schedule *sc = stg_schedule_build(pp->f, s, pp->bound);
    if (!sc)
        return -1;
    if (w->top && stg_schedule_cmp(sc, w->top) >= 0) {
        stg_schedule_free(sc);
        return 0;
    }
    stg_schedule_free(w->top);
    w->top = sc;
    return 1;
}

/* Decision d of pp->best scanned as the local search scans (heuristic.h,
 * stg_scan_values()), each value simulated with the waits, the best
 * kept when it is better than pp->best (stg_schedule_cmp()).  *sims
 * counts down the simulations.  Returns 1 when pp->best changed, 0, -1
 * when out of memory. */
static int waits_move(stg_part *pp, int d, long *sims)
{
    const stg_problem *p = pp->p;
    if (p->dec[d].nvalues < 2)
        return 0;
    waits_scan w = { pp, d, sims, NULL };
    int was = stg_problem_value_index(p, d, pp->best->settings);
    int rc = stg_scan_values(p->dec[d].nvalues, 0, was, waits_try, &w) == -2
                 ? -1 : 0;
    if (rc == 0 && w.top && stg_schedule_cmp(w.top, pp->best) < 0) {
        stg_schedule_free(pp->best);
        pp->best = w.top;
        w.top = NULL;
        rc = 1;
    }
    stg_schedule_free(w.top);
    return rc;
}

/* waits: where a server's max_jobs makes computers wait, the search's
 * model (which leaves the waits out) can be wrong about a link: a job
 * that waits a minute may start with its neighbours'.  Each own link at
 * risk, short of its aim and lower in the simulation than in the model
 * (the waits made it worse), worst first, has the decisions of its
 * computers moved one at a time, every move judged by the simulation
 * with the waits (waits_move()), in passes while one helps, within
 * WAIT_WORK computer-slots simulated (a count, not the clock: the same
 * plan whatever the machine). */
static int phase_waits(stg_part *pp)
{
    const stg_fleet *f = pp->f;
    const stg_problem *p = pp->p;
    if (meets_targets(pp) || stg_limit_reached(&pp->heur) ||
        !anyone_waited(pp, pp->best))
        return 0;
    long per = (long)f->ncomputers * p->nslots;
    long sims = WAIT_WORK / (per > 0 ? per : 1);
    int nd = p->ndecisions, L = f->nlinks, moves = 0, rc = 0;
    int *decs = stg_malloc(sizeof *decs * (size_t)(nd + 1));
    int *links = stg_malloc(sizeof *links * (size_t)(L + 1));
    char *seen = stg_malloc((size_t)nd + 1);
    stg_state *st = NULL;
    if (!decs || !links || !seen) {
        rc = oom(pp);
        goto out;
    }
    double t = stg_now();
    for (int pass = 0; pass < WAIT_PASSES && sims > 0; pass++) {
        const stg_eval *e = pp->best->eval;
        int nl = 0, n = 0, made = 0;
        /* the model's loads of the best schedule, to tell the links the
         * waits made worse */
        stg_state_free(st);
        if (!(st = stg_state_placed(p, pp->best->settings)) ||
            stg_state_oom(st)) {
            rc = oom(pp);
            goto out;
        }
        for (int l = 0; l < L; l++) {
            if (!stg_part_own(pp, l) || e->headroom[l] >= STG_SAFE ||
                e->headroom[l] >= 1 - pp->aim[l] - STG_SAME ||
                e->headroom[l] >= 1 - stg_state_util(st, l) - STG_SAME)
                continue;
            int k = nl++;
            while (k > 0 && e->headroom[links[k - 1]] > e->headroom[l]) {
                links[k] = links[k - 1];
                k--;
            }
            links[k] = l;
        }
        memset(seen, 0, (size_t)nd);
        for (int i = 0; i < nl; i++)
            for (int c = 0; c < f->ncomputers; c++) {
                if (!stg_computer_crosses(&f->computers[c], links[i]))
                    continue;
                for (int k = p->cj_off[c]; k < p->cj_off[c + 1]; k++)
                    if (!seen[p->cj_dec[k]]) {
                        seen[p->cj_dec[k]] = 1;
                        decs[n++] = p->cj_dec[k];
                    }
            }
        for (int i = 0; i < n && sims > 0; i++) {
            int r = waits_move(pp, decs[i], &sims);
            if (r < 0) {
                rc = oom(pp);
                goto out;
            }
            made += r;
        }
        moves += made;
        if (!made)
            break;
    }
    stg_trace("waits: %d moves, %.2fs, %ld simulations left", moves,
              stg_now() - t, sims);
    if (stg_limit_reached(&pp->heur))
        pp->found.time_limit = true;
    if (moves) {
        pp->found.used |= STG_FOUND_WAITS;
        report(pp, "waits");
    }
out:
    stg_state_free(st);
    stg_free(decs);
    stg_free(links);
    stg_free(seen);
    return rc;
}

/* lns: on a fleet planned whole, too big for the MILP, with a link short
 * of its bound that is too big for the exact search, sub-MILPs over the
 * worst link's decisions with half the time left, then the local search
 * again with what is left. */
static int phase_lns(stg_part *pp)
{
    /* one of many parts: its result must not depend on the clock, and
     * the sub-MILPs stop at theirs */
    if (pp->quiet || pp->use_milp || meets_targets(pp) ||
        stg_limit_reached(&pp->heur))
        return 0;
    bool big = false;
    for (int l = 0; l < pp->f->nlinks && !big; l++)
        big = stg_part_own(pp, l) &&
              stg_state_util(pp->local, l) > pp->aim[l] + 1e-12 &&
              !narrow(pp, l);
    if (!big)
        return 0;
    stg_lns_stats ns;
    stg_limit ph = phase_limit(&pp->heur, 0.5);
    if (stg_lns(pp->local, pp->aim, pp->seed, &ph, &ns, pp->cause))
        return -1;
    note_cut(pp, &ph);
    if (offer_local(pp, STG_FOUND_LNS))
        return -1;
    report(pp, "lns");
    if (meets_targets(pp) || stg_limit_reached(&pp->heur))
        return 0;
    int r = search_from_local(pp, &pp->heur);
    if (r > 0)
        pp->found.used |= STG_FOUND_LOCAL;
    report(pp, "local search");
    return r < 0 ? r : 0;
}

/* Whether the best schedule's worst own link is at the highest of the
 * own links' targets: no schedule without waits has its worst link
 * lower, so the MILP (the worst link's peak over the schedules without
 * waits) can neither find a better one nor prove more than that. */
static bool worst_at_target(const stg_part *pp)
{
    double worst = 0, target = 0;
    for (int l = 0; l < pp->f->nlinks; l++) {
        if (!stg_part_own(pp, l))
            continue;
        if (1 - pp->best->eval->headroom[l] > worst)
            worst = 1 - pp->best->eval->headroom[l];
        if (pp->target[l] > target)
            target = pp->target[l];
    }
    return worst <= target + STG_SAME;
}

/* milp: the whole time-indexed MILP with the time left (a fleet that is
 * one part, small enough): its proven lower bound lowers the worst-link
 * bound, its solution is a candidate.  Not when the worst link is at its
 * target already (a computer that waits, or another link short of its
 * aim, kept the part from being done: the MILP helps neither). */
static int phase_milp(stg_part *pp)
{
    stg_milp_result mr;
    if (!pp->use_milp || meets_targets(pp) || worst_at_target(pp) ||
        stg_limit_reached(&pp->lim))
        return 0;
    memset(&mr, 0, sizeof mr);
    if (stg_milp_solve(pp->p, pp->local, &pp->lim, &mr, pp->cause))
        return -1;
    int rc = 0;
    if (mr.bound_valid && mr.lower_bound > 0 &&
        1 - mr.lower_bound < pp->worst_bound)
        pp->worst_bound = 1 - mr.lower_bound;
    stg_schedule_set_bound(pp->best, pp->worst_bound);
    if (mr.have_solution) {
        stg_schedule *cand = from_state(pp->p, NULL, mr.values, pp->bound);
        if (!cand) {
            rc = oom(pp);
        } else {
            stg_schedule_set_bound(cand, pp->worst_bound);
            if (keep_better(&pp->best, cand))
                pp->found.used = STG_FOUND_MILP |
                                 (pp->found.used & STG_FOUND_THROTTLES);
        }
    }
    snprintf(pp->found.milp, sizeof pp->found.milp, "%s%s%s", mr.note,
             mr.detail[0] ? ": " : "", mr.detail);
    stg_milp_result_free(&mr);
    report(pp, "milp");
    return rc;
}

/* The phases of planning a part, in order.  Each returns 0 to go on, 1
 * when the part is done, -1 on failure (*cause set).  A phase that has
 * nothing to do (the part meets its bounds, or does not fit it) returns
 * 0 at once.  The time shares are the phases' own, as commented. */
static const struct {
    const char *name;
    int (*run)(stg_part *pp);
} phases[] = {
    { "prepare", stg_part_prepare },
    { "exhaustive", phase_exhaustive },
    { "greedy", phase_greedy },
    { "local search", phase_quick },
    { "exact", phase_exact },
    { "exact, the worst link", phase_worst },
    { "local search", phase_search },
    { "throttles lowered", phase_throttles },
    { "exact", phase_exact },
    { "local search", phase_search },
    { "exact, deeper", phase_deeper },
    { "lift", phase_lift },
    { "lift, wide", phase_wide },
    { "waits", phase_waits },
    { "lns", phase_lns },
    { "milp", phase_milp },
};

void stg_part_free(stg_part *pp)
{
    drop_problem(pp);
    stg_free(pp->floor);
    stg_free(pp->lift_memo);
    pp->floor = NULL;
    pp->lift_memo = NULL;
    stg_schedule_free(pp->best);
    pp->best = NULL;
}

/* Runs the phases on pp from phase first on (1: pp is prepared).
 * Returns 0 with pp->best, or -1. */
int stg_part_run(stg_part *pp, size_t first)
{
    for (size_t i = first; i < sizeof phases / sizeof phases[0]; i++) {
        double tp = stg_now();
        int r = phases[i].run(pp);
        stg_trace("phase %s: %.2fs, achieved %.4f", phases[i].name,
              stg_now() - tp, pp->best ? pp->best->eval->achieved : 0);
        if (r < 0)
            return -1;
        if (r > 0)
            break;
    }
    stg_schedule_set_bounds(pp->best, pp->bound, pp->worst_bound);
    if (stg_limit_reached(&pp->lim)) {
        pp->found.time_limit = true;
        pp->found.stopped = pp->o->stop && *pp->o->stop;
    }
    pp->done = pp->proven || meets_targets(pp);
    return 0;
}

/* Gives sc the per-link bounds for schedules without waits (taken
 * over), each at most the link's bound for every schedule (fewer
 * schedules do no better), and the worst link's. */
void stg_part_nowait(stg_schedule *sc, double *nowait)
{
    sc->bound_nowait = 1;
    for (int l = 0; l < sc->eval->nlinks; l++) {
        if (nowait[l] > sc->link_bound[l])
            nowait[l] = sc->link_bound[l];
        if (nowait[l] < sc->bound_nowait)
            sc->bound_nowait = nowait[l];
    }
    if (sc->bound_nowait > sc->bound)
        sc->bound_nowait = sc->bound;
    stg_free(sc->link_bound_nowait);
    sc->link_bound_nowait = nowait;
}
