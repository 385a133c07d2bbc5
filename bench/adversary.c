/* stagger-adversary: a search, link by link, for a schedule that beats
 * the bound a schedule file prints for that link, so that the claim "no
 * schedule does better than bound B" (docs/model.md, "Waits") is tried
 * by something other than the code that proves it.
 *
 *   stagger-adversary [--seed N] [--evals N] [--link NAME]... FLEET SCHEDULE
 *
 * For each link (every one, or those named), the search takes the
 * computers that can affect the link's headroom (stg_fleet_mask_link:
 * those whose path crosses it and every computer of a server of theirs
 * whose max_jobs can make them wait) as a fleet of their own, and looks
 * for the values of their groups' decisions (the planner's values:
 * the fleet's windows and flex, the schedule's throttles) that give the
 * link the most headroom: a first-improvement descent from the
 * schedule's values, then perturbations of the best so far (a few
 * decisions at random, all of them now and then, or many decisions
 * bunched at one time so that servers fill up and computers wait for
 * max_jobs), and the descent again, until N simulations of the load
 * model whole (model/sim.h: waits included) have been spent on the link
 * (default 2,000).  The best schedule found, and the best in which no
 * computer waits, are then applied to the schedule and simulated on the
 * whole fleet; those figures are the ones printed and compared.
 *
 * The search is deterministic: its random choices come from a generator
 * seeded with N (default 1) and the link's name, so a link named with
 * --link gets the same line as in a run over every link.  No clock
 * decides anything; the seconds are only printed.
 *
 * One line per link: its name, its printed `bound` and
 * `bound_without_waits` (as the file has them, to 0.1 point), its
 * headroom in the schedule, the best found (any schedule) and the best
 * found without waits ("-" when no schedule without waits was met), the
 * simulations spent and the seconds, then BROKEN when a found headroom
 * exceeds the matching printed bound by more than its rounding (0.05
 * point): the best found against `bound`, the best without waits against
 * `bound_without_waits`.  The file gives no unrounded bound, so that
 * margin is what makes a BROKEN certain.  Last, a summary: "links N,
 * evaluations N, broken N, S s".  Exit status: 0 nothing broken, 1 some
 * bound broken, 2 bad usage or input, 3 out of memory. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/fleet_copy.h"
#include "model/hash.h"
#include "model/sim.h"
#include "solver/clock.h"
#include "solver/problem.h"

/* Enough for a 20-site estate (about 23 links) in well under a minute. */
#define DEFAULT_EVALS 2000L
/* Half the last printed digit of a percentage (stg_fmt_pct: 0.1 point). */
#define PRINTED_ROUNDING 0.0005
/* Decisions with at most this many values try them all in the descent;
 * others try their neighbours and some values at random. */
#define ALL_VALUES 48
#define NEAR 3
#define RANDOM_VALUES 40

static const char *usage_text =
    "usage: stagger-adversary [--seed N] [--evals N] [--link NAME]... "
    "FLEET SCHEDULE\n";

/* xorshift64: small, and the same sequence on every platform. */
typedef struct {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    r->s ^= r->s << 13;
    r->s ^= r->s >> 7;
    r->s ^= r->s << 17;
    return r->s;
}

static int rng_below(rng *r, int n)
{
    return (int)(rng_next(r) % (uint64_t)n);
}

static void shuffle(rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(r, i + 1), t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}

/* The link's own generator: the seed and its name (FNV-1a), so that its
 * search does not depend on which other links are searched. */
static rng link_rng(uint64_t seed, const char *name)
{
    uint64_t h = stg_hash_str(STG_HASH_BASIS, name);
    rng r = { (h ^ (seed * 0x9E3779B97F4A7C15ULL)) | 1 };
    for (int i = 0; i < 8; i++)
        rng_next(&r);
    return r;
}

/* One simulated schedule of the part, as the search ranks it. */
typedef struct {
    bool valid;                 /* every computer catches up */
    double headroom;            /* the link's */
    int at_peak;                /* slots at its peak: fewer is closer to a
                                   better peak, which lets the descent
                                   cross plateaus */
    bool waits;                 /* some computer of the part waited */
} score;

static bool better(score a, score b)
{
    if (!a.valid)
        return false;
    if (!b.valid)
        return true;
    if (a.headroom > b.headroom + 1e-12)
        return true;
    if (a.headroom < b.headroom - 1e-12)
        return false;
    return a.at_peak < b.at_peak;
}

/* The search of one link on its part of the fleet. */
typedef struct {
    const stg_fleet *part;
    const stg_problem *p;
    int link;                   /* in the part */
    long evals, budget;
    rng r;
    stg_settings *s;            /* the settings being tried */
    int *cur;                   /* their value index per decision */
    bool *crosses;              /* per decision: a job on a computer whose
                                   path crosses the link */
    score best_any, best_free;  /* best_free: no computer waits */
    stg_settings *at_any, *at_free;
} search;

/* Simulates sr->s into *out and keeps it when it is a best.  Returns 0,
 * or -1 when out of memory. */
static int evaluate(search *sr, score *out)
{
    int rc = -1;
    stg_sim *sim = NULL;
    score sc = { 0 };
    sr->evals++;
    int run = stg_sim_run(sr->part, sr->s, &sim);
    if (run < 0)
        goto done;
    if (run == 0) {
        double cap = sr->part->links[sr->link].capacity, peak = -INFINITY;
        for (int t = 0; t < sim->nslots; t++) {
            double u = stg_sim_load(sim, sr->link, t) / cap;
            if (u > peak + 1e-12) {
                peak = u;
                sc.at_peak = 1;
            } else if (u >= peak - 1e-12) {
                sc.at_peak++;
            }
        }
        sc.valid = true;
        sc.headroom = 1 - peak;
        for (int c = 0; c < sim->ncomputers && !sc.waits; c++)
            sc.waits = sim->waited[c] > 0;
    }
    if (better(sc, sr->best_any)) {
        stg_settings *k = stg_settings_copy(sr->s);
        if (!k)
            goto done;
        stg_settings_free(sr->at_any);
        sr->at_any = k;
        sr->best_any = sc;
    }
    if (!sc.waits && better(sc, sr->best_free)) {
        stg_settings *k = stg_settings_copy(sr->s);
        if (!k)
            goto done;
        stg_settings_free(sr->at_free);
        sr->at_free = k;
        sr->best_free = sc;
    }
    *out = sc;
    rc = 0;
done:
    stg_sim_free(sim);
    return rc;
}

static bool spent(const search *sr)
{
    return sr->evals >= sr->budget;
}

/* First-improvement descent from sr->cur (scored *cs): decisions in a
 * random order (those of computers that do not cross the link one time
 * in four), each one's values in a random order, the first better one
 * taken, until a whole round improves nothing or the budget is spent.
 * order and cand have room for every decision and 2 NEAR + RANDOM_VALUES
 * (or ALL_VALUES) values.  Returns 0, or -1 when out of memory. */
static int descend(search *sr, score *cs, int *order, int *cand)
{
    const stg_problem *p = sr->p;
    bool improved = true;
    while (improved && !spent(sr)) {
        improved = false;
        for (int i = 0; i < p->ndecisions; i++)
            order[i] = i;
        shuffle(&sr->r, order, p->ndecisions);
        for (int oi = 0; oi < p->ndecisions && !spent(sr); oi++) {
            int d = order[oi], nv = p->dec[d].nvalues, old = sr->cur[d];
            int nc = 0;
            if (nv <= 1 || (!sr->crosses[d] && rng_below(&sr->r, 4)))
                continue;
            if (nv <= ALL_VALUES) {
                for (int v = 0; v < nv; v++)
                    if (v != old)
                        cand[nc++] = v;
            } else {
                for (int k = -NEAR; k <= NEAR; k++)
                    if (k && old + k >= 0 && old + k < nv)
                        cand[nc++] = old + k;
                for (int k = 0; k < RANDOM_VALUES; k++)
                    cand[nc++] = rng_below(&sr->r, nv);
            }
            shuffle(&sr->r, cand, nc);
            for (int k = 0; k < nc && !spent(sr); k++) {
                score sc;
                if (cand[k] == old)
                    continue;
                stg_problem_apply(p, d, cand[k], sr->s);
                if (evaluate(sr, &sc) < 0)
                    return -1;
                if (better(sc, *cs)) {
                    *cs = sc;
                    sr->cur[d] = cand[k];
                    improved = true;
                    break;
                }
            }
            if (sr->cur[d] == old)
                stg_problem_apply(p, d, old, sr->s);
        }
    }
    return 0;
}

/* Moves most decisions to the value nearest one random time of the
 * cycle (a sync to the offset nearest it in its period): the jobs of
 * many computers released together fill their servers' max_jobs places,
 * so that some computers wait, which the descent alone seldom reaches. */
static void bunch(search *sr)
{
    const stg_problem *p = sr->p;
    int cycle = sr->part->cycle;
    int at = rng_below(&sr->r, cycle), share = 50 + rng_below(&sr->r, 51);
    for (int d = 0; d < p->ndecisions; d++) {
        const stg_decision *de = &p->dec[d];
        int period = cycle, near = sr->cur[d], dist = cycle + 1;
        if (rng_below(&sr->r, 100) >= share)
            continue;
        if (de->kind == STG_DEC_SYNC &&
            sr->part->groups[de->group].sync_every > 0)
            period = sr->part->groups[de->group].sync_every;
        for (int v = 0; v < de->nvalues; v++) {
            int x = ((de->values[v] - at) % period + period) % period;
            if (period - x < x)
                x = period - x;
            if (x < dist) {
                dist = x;
                near = v;
            }
        }
        sr->cur[d] = near;
    }
}

/* The search proper, from the schedule's values (sr->s, scored plan):
 * descend, keep the best point, perturb it (three times in four; else
 * the point reached), and again, until the budget is spent.  Returns 0,
 * or -1 when out of memory. */
static int run_search(search *sr, score plan)
{
    int rc = -1;
    const stg_problem *p = sr->p;
    int nd = p->ndecisions;
    size_t ncand = (size_t)(2 * NEAR + RANDOM_VALUES + ALL_VALUES);
    int *order = stg_malloc(sizeof *order * (size_t)(nd + 1));
    int *cand = stg_malloc(sizeof *cand * ncand);
    int *home = stg_malloc(sizeof *home * (size_t)(nd + 1));
    if (!order || !cand || !home)
        goto done;
    score cs = plan, at_home = plan;
    memcpy(home, sr->cur, sizeof *home * (size_t)nd);
    for (int round = 1; nd > 0 && !spent(sr); round++) {
        if (descend(sr, &cs, order, cand) < 0)
            goto done;
        if (!better(at_home, cs)) {
            at_home = cs;
            memcpy(home, sr->cur, sizeof *home * (size_t)nd);
        }
        if (spent(sr))
            break;
        if (rng_below(&sr->r, 4))
            memcpy(sr->cur, home, sizeof *home * (size_t)nd);
        if (rng_below(&sr->r, 5) == 0) {
            bunch(sr);
        } else {
            int k = round % 10 == 0 ? nd : 1 + rng_below(&sr->r, nd < 6 ? nd : 6);
            for (int i = 0; i < k; i++) {
                int d = rng_below(&sr->r, nd);
                sr->cur[d] = rng_below(&sr->r, p->dec[d].nvalues);
            }
        }
        for (int d = 0; d < nd; d++)
            stg_problem_apply(p, d, sr->cur[d], sr->s);
        if (evaluate(sr, &cs) < 0)
            goto done;
    }
    rc = 0;
done:
    stg_free(order);
    stg_free(cand);
    stg_free(home);
    return rc;
}

/* The part's settings as the schedule has them. */
static stg_settings *part_settings(const stg_fleet *part,
                                   const stg_settings *set,
                                   const int *computer_of, const int *group_of)
{
    stg_settings *s = stg_settings_today(part);
    if (!s)
        return NULL;
    for (int g = 0; g < part->ngroups; g++)
        stg_settings_group_copy(s, g, set, group_of[g]);
    for (int c = 0; c < part->ncomputers; c++) {
        s->throttle[c] = set->throttle[computer_of[c]];
        s->recommended[c] = set->recommended[computer_of[c]];
    }
    return s;
}

/* The schedule with the part's groups as s has them (the throttles are
 * the schedule's already). */
static stg_settings *whole_settings(const stg_settings *set,
                                    const stg_fleet *part,
                                    const stg_settings *s, const int *group_of)
{
    stg_settings *w = stg_settings_copy(set);
    if (!w)
        return NULL;
    for (int g = 0; g < part->ngroups; g++)
        stg_settings_group_copy(w, group_of[g], s, g);
    return w;
}

/* Link l's headroom in schedule s of the whole fleet into *headroom,
 * and whether some computer waits into *waits; NAN when a computer
 * cannot catch up.  Returns 0, or -1 when out of memory. */
static int whole_headroom(const stg_fleet *f, const stg_settings *s, int l,
                          double *headroom, bool *waits)
{
    int rc = -1;
    stg_sim *sim = NULL;
    stg_eval *e = NULL;
    *headroom = NAN;
    *waits = false;
    int run = stg_sim_run(f, s, &sim);
    if (run < 0)
        goto done;
    if (run == 0) {
        if (!(e = stg_eval_run(f, sim)))
            goto done;
        *headroom = e->headroom[l];
        for (int c = 0; c < f->ncomputers && !*waits; c++)
            *waits = sim->waited[c] > 0;
    }
    rc = 0;
done:
    stg_eval_free(e);
    stg_sim_free(sim);
    return rc;
}

/* What the search of one link found, on the whole fleet. */
typedef struct {
    double schedule;            /* the schedule's headroom */
    double any;                 /* the best found */
    double nowait;              /* the best found without waits; NAN: none */
    long evals;
} found;

/* Takes headroom h (NAN: a computer cannot catch up) of a schedule
 * found into out's bests. */
static void keep_best(found *out, double h, bool waits)
{
    if (isnan(h))
        return;
    if (isnan(out->any) || h > out->any)
        out->any = h;
    if (!waits && (isnan(out->nowait) || h > out->nowait))
        out->nowait = h;
}

/* Searches link l of f from schedule set.  Returns 0, or -1 when out of
 * memory. */
static int search_link(const stg_fleet *f, const stg_settings *set, int l,
                       uint64_t seed, long budget, found *out)
{
    int rc = -1, crossing = 0;
    bool *keep = NULL, waits;
    int *link_of = NULL, *computer_of = NULL, *group_of = NULL;
    stg_fleet *part = NULL;
    stg_problem *p = NULL;
    stg_settings *w = NULL;
    search sr = { .budget = budget, .r = link_rng(seed, f->links[l].name) };
    out->evals = 0;
    out->any = out->nowait = NAN;
    if (whole_headroom(f, set, l, &out->schedule, &waits) < 0)
        goto done;
    keep_best(out, out->schedule, waits);
    if (!(keep = stg_fleet_mask_link(f, l, false, &crossing)))
        goto done;
    if (crossing == 0) {
        /* the background alone: no decision moves the link */
        rc = 0;
        goto done;
    }
    if (!(link_of = stg_malloc(sizeof *link_of * (size_t)(f->nlinks + 1))) ||
        !(computer_of = stg_malloc(sizeof *computer_of *
                                   (size_t)(f->ncomputers + 1))) ||
        !(group_of = stg_malloc(sizeof *group_of * (size_t)(f->ngroups + 1))) ||
        !(part = stg_fleet_subset(f, keep, link_of, computer_of, group_of)))
        goto done;
    sr.part = part;
    sr.link = -1;
    for (int k = 0; k < part->nlinks; k++)
        if (link_of[k] == l)
            sr.link = k;
    if (!(sr.s = part_settings(part, set, computer_of, group_of)) ||
        !(p = stg_problem_for_plan(part, sr.s)))
        goto done;
    sr.p = p;
    if (!(sr.cur = stg_malloc(sizeof *sr.cur * (size_t)(p->ndecisions + 1))) ||
        !(sr.crosses = stg_calloc((size_t)p->ndecisions + 1,
                                  sizeof *sr.crosses)))
        goto done;
    for (int d = 0; d < p->ndecisions; d++) {
        sr.cur[d] = stg_problem_value_index(p, d, sr.s);
        for (int j = 0; j < p->dec[d].njobs; j++)
            if (stg_computer_crosses(
                    &part->computers[p->dec[d].jobs[j].computer], sr.link))
                sr.crosses[d] = true;
    }
    score plan;
    if (evaluate(&sr, &plan) < 0 || run_search(&sr, plan) < 0)
        goto done;
    out->evals = sr.evals;
    /* the bests on the whole fleet: the link's headroom is the part's,
     * but a group moved may make a computer outside the part wait */
    double h;
    if (sr.at_any) {
        if (!(w = whole_settings(set, part, sr.at_any, group_of)) ||
            whole_headroom(f, w, l, &h, &waits) < 0)
            goto done;
        keep_best(out, h, waits);
        stg_settings_free(w);
        w = NULL;
    }
    if (sr.at_free) {
        if (!(w = whole_settings(set, part, sr.at_free, group_of)) ||
            whole_headroom(f, w, l, &h, &waits) < 0)
            goto done;
        keep_best(out, h, waits);
    }
    rc = 0;
done:
    stg_settings_free(w);
    stg_settings_free(sr.at_any);
    stg_settings_free(sr.at_free);
    stg_settings_free(sr.s);
    stg_free(sr.cur);
    stg_free(sr.crosses);
    stg_problem_free(p);
    stg_fleet_free(part);
    stg_free(keep);
    stg_free(link_of);
    stg_free(computer_of);
    stg_free(group_of);
    return rc;
}

/* A positive count or seed from text, or -1. */
static long long count_arg(const char *text, bool zero_ok)
{
    char *end;
    if (!*text || *text == '-' || *text == '+')
        return -1;
    long long v = strtoll(text, &end, 10);
    if (*end || v < 0 || (v == 0 && !zero_ok) || v > (1LL << 53))
        return -1;
    return v;
}

/* "12.3%", or "-" for a figure there is not. */
static const char *pct(char *buf, size_t n, double fraction, int decimals)
{
    if (isnan(fraction))
        snprintf(buf, n, "-");
    else
        snprintf(buf, n, "%.*f%%", decimals, 100 * fraction);
    return buf;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    long budget = DEFAULT_EVALS;
    int a = 1, nnamed = 0;
    const char **named = stg_malloc(sizeof *named * (size_t)argc);
    if (!named)
        return BENCH_EXIT_INTERNAL;
    for (; a < argc && argv[a][0] == '-' && argv[a][1]; a++) {
        long long v = -1;
        if (strcmp(argv[a], "--seed") == 0 && a + 1 < argc &&
            (v = count_arg(argv[a + 1], true)) >= 0) {
            seed = (uint64_t)v;
            a++;
        } else if (strcmp(argv[a], "--evals") == 0 && a + 1 < argc &&
                   (v = count_arg(argv[a + 1], false)) > 0 &&
                   v <= 1000000000LL) {
            budget = (long)v;
            a++;
        } else if (strcmp(argv[a], "--link") == 0 && a + 1 < argc) {
            named[nnamed++] = argv[++a];
        } else {
            break;
        }
    }
    if (argc - a != 2 || argv[a][0] == '-') {
        fputs(usage_text, stderr);
        stg_free(named);
        return BENCH_EXIT_INPUT;
    }
    const char *fleet_file = argv[a], *sched_file = argv[a + 1];
    stg_fleet *f = NULL;
    stg_settings *set = NULL;
    stg_schedule_doc *doc = NULL;
    double *bound = NULL, *bound_free = NULL;
    bool *want = NULL;
    int status = bench_load(fleet_file, sched_file, &f, &set, &doc);
    if (status)
        goto done;
    status = BENCH_EXIT_INTERNAL;
    /* the printed bounds, from the schedule as read */
    if (!(bound = stg_malloc(sizeof *bound * (size_t)(f->nlinks + 1))) ||
        !(bound_free = stg_malloc(sizeof *bound_free *
                                  (size_t)(f->nlinks + 1))) ||
        !(want = stg_calloc((size_t)f->nlinks + 1, sizeof *want)))
        goto done;
    for (int l = 0; l < f->nlinks; l++)
        bound[l] = bound_free[l] = NAN;
    for (int i = 0; i < doc->nlinks; i++) {
        int l = stg_fleet_link(f, doc->links[i].name);
        if (l >= 0) {
            bound[l] = doc->links[i].bound;
            bound_free[l] = doc->links[i].bound_nowait;
        }
    }
    for (int i = 0; i < nnamed; i++) {
        int l = stg_fleet_link(f, named[i]);
        if (l < 0) {
            fprintf(stderr, "stagger-adversary: the fleet has no link \"%s\"\n",
                    named[i]);
            status = BENCH_EXIT_INPUT;
            goto done;
        }
        want[l] = true;
    }
    int nsearched = 0, nbroken = 0;
    long total = 0;
    double t0 = stg_now();
    for (int l = 0; l < f->nlinks; l++) {
        if (nnamed && !want[l])
            continue;
        found r;
        double t1 = stg_now();
        if (search_link(f, set, l, seed, budget, &r) < 0)
            goto done;
        /* beyond the printed bound by more than its rounding: beyond the
         * bound itself, whatever its unprinted digits */
        bool broken =
            r.any > bound[l] + PRINTED_ROUNDING + 1e-9 ||
            r.nowait > bound_free[l] + PRINTED_ROUNDING + 1e-9;
        char b1[32], b2[32], h0[32], h1[32], h2[32];
        printf("%s  bound %s  without waits %s  schedule %s  found %s  "
               "without waits %s  evaluations %ld  %.2f s%s\n",
               f->links[l].name, pct(b1, sizeof b1, bound[l], 1),
               pct(b2, sizeof b2, bound_free[l], 1),
               pct(h0, sizeof h0, r.schedule, 2), pct(h1, sizeof h1, r.any, 2),
               pct(h2, sizeof h2, r.nowait, 2), r.evals, stg_now() - t1,
               broken ? "  BROKEN" : "");
        fflush(stdout);
        nsearched++;
        nbroken += broken;
        total += r.evals;
    }
    printf("links %d, evaluations %ld, broken %d, %.1f s\n", nsearched, total,
           nbroken, stg_now() - t0);
    status = nbroken ? 1 : 0;
done:
    stg_free(named);
    stg_free(want);
    stg_free(bound);
    stg_free(bound_free);
    stg_schedule_doc_free(doc);
    stg_settings_free(set);
    stg_fleet_free(f);
    return status;
}
