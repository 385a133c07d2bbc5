/* The planner against exhaustive enumeration on small random fleets: it
 * must find the optimum, its bound must hold for every schedule, and
 * every schedule it plans must pass the independent checker. */
#include <check.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fleet_util.h"
#include "io/write/advice.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/sim.h"
#include "solver/bound.h"
#include "solver/exact.h"
#include "solver/heuristic.h"
#include "solver/lift.h"
#include "solver/peakcore.h"
#include "solver/lns.h"
#include "solver/memo.h"
#include "solver/milp.h"
#include "solver/planner.h"
#include "solver/pool.h"
#include "solver/problem.h"

/* An exact-search budget too small for the proofs of deeper_search's
 * branches (7.2 x 10^6 and 1.1 x 10^7 slot checks from the planned
 * placement), not for the deeper search's 32 times as much. */
#define DEEPER_TEST_BUDGET 2000000L

static uint64_t rng_state;

static int rnd(int n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng_state >> 33) % (uint64_t)n);
}

/* A small fleet: one or two WANs behind a core link, two or three
 * computers, three groups syncing every 15m or 30m at a 5m resolution,
 * one with an express full that may move 10m either way.  crowded: two
 * computers whose syncs take several slots, so that their jobs queue
 * behind each other and behind the express fulls. */
static void fleet_of(char *buf, size_t size, uint64_t seed, int max_jobs,
                     bool crowded)
{
    rng_state = seed * 2654435761ULL + 7;
    int nwan = rnd(4) ? 1 : 2, ncomp = crowded ? 2 : 3 + rnd(2);
    size_t n = 0;
    n += (size_t)snprintf(buf + n, size - n,
        "stagger: 1\nresolution: 5m\nheadroom: 15%%\nlinks:\n"
        "  - { name: core, capacity: 100Mbps }\n");
    for (int w = 0; w < nwan; w++) {
        n += (size_t)snprintf(buf + n, size - n,
            "  - name: wan%d\n    capacity: %dMbps\n", w, 20 + 10 * rnd(2));
        if (rnd(2))
            n += (size_t)snprintf(buf + n, size - n,
                "    background: [ { from: \"08:00\", to: \"18:00\", rate: %dMbps } ]\n",
                1 + rnd(3));
    }
    if (max_jobs > 0)
        n += (size_t)snprintf(buf + n, size - n,
            "servers: [ { name: dpm, path: [core], max_jobs: %d } ]\ncomputers:\n",
            max_jobs);
    else
        n += (size_t)snprintf(buf + n, size - n,
            "servers: [ { name: dpm, path: [core] } ]\ncomputers:\n");
    for (int c = 0; c < ncomp; c++)
        n += (size_t)snprintf(buf + n, size - n,
            "  - { name: c%d, server: dpm, path: [wan%d], throttle: %dMbps }\n",
            c, c % nwan, crowded ? 6 + rnd(3) : 5 + rnd(4));
    n += (size_t)snprintf(buf + n, size - n, "groups:\n");
    for (int g = 0; g < 3; g++) {
        int every = crowded ? (g == 0 ? 60 : 30) : rnd(2) ? 15 : 30;
        int c = rnd(ncomp);
        n += (size_t)snprintf(buf + n, size - n,
            "  - name: g%d\n    sync: { every: %dm, offset: 0m }\n", g, every);
        /* even seeds: two express fulls, each one's volume following
         * the time since the other */
        if (g == 0)
            n += (size_t)snprintf(buf + n, size - n,
                "    express_full: { at: [%s\"20:00\"], flex: 10m }\n",
                seed % 2 ? "" : "\"08:00\", ");
        /* every third seed: a check next to the express full, which
         * then carries only the changes since the check when that came
         * first (one slot long: it fits any start of its window) */
        if (g == 0 && seed % 3 == 0)
            n += (size_t)snprintf(buf + n, size - n,
                "    consistency_check: { from: \"19:45\", to: \"20:15\" }\n");
        int churn = 3 + rnd(9);
        if (crowded)
            churn = g == 0 ? 4 + rnd(6) : 10 + rnd(8);
        n += (size_t)snprintf(buf + n, size - n,
            "    sources:\n      - { name: s, computer: c%d, kind: %s, size: 500GB, churn: %dGB/day%s }\n",
            c, g == 0 ? "sql" : "file", churn,
            g == 0 ? ", cc_volume: 1MB" : "");
        if (rnd(3) == 0)
            n += (size_t)snprintf(buf + n, size - n,
                "      - { name: t, computer: c%d, kind: file, size: 200GB, churn: %dGB/day%s }\n",
                (c + 1) % ncomp, 1 + rnd(4), g == 0 ? ", cc_volume: 1MB" : "");
    }
}

static void tiny_fleet(char *buf, size_t size, uint64_t seed, int max_jobs)
{
    fleet_of(buf, size, seed, max_jobs, false);
}

/* The best of the schedules in which no computer waits for max_jobs:
 * the worst link's headroom, and each link's. */
static double best_nowait;
static double *link_best_nowait;

/* The best worst-link headroom over every schedule, by simulation, and
 * each link's best headroom; the same over the schedules without waits
 * in best_nowait and link_best_nowait (allocated here). */
static double enumerate(const stg_fleet *f, double *link_best)
{
    stg_free(link_best_nowait);
    link_best_nowait = stg_calloc((size_t)f->nlinks + 1, sizeof *link_best_nowait);
    best_nowait = -1e9;
    for (int l = 0; l < f->nlinks; l++)
        link_best_nowait[l] = -1e9;
    stg_settings *s = stg_settings_today(f);
    stg_settings_recommend_throttles(f, s);
    int g0 = stg_fleet_group(f, "g0");
    double best = -1e9;
    for (int l = 0; l < f->nlinks; l++)
        link_best[l] = -1e9;
    int every[3];
    for (int g = 0; g < 3; g++)
        every[g] = f->groups[g].sync_every;
    int nef = f->groups[g0].nef, ef0 = f->groups[g0].ef_at[0];
    int ef1 = f->groups[g0].ef_at[nef - 1];
    /* the check's starts: its window less its one slot */
    int ncc = f->groups[g0].has_cc
              ? (stg_cc_window_len(&f->groups[g0]) - 300) / 300 + 1 : 1;
    for (int a = 0; a < every[0]; a += 300)
        for (int b = 0; b < every[1]; b += 300)
            for (int c = 0; c < every[2]; c += 300)
                for (int k = 0; k < (nef > 1 ? 25 : 5) * ncc; k++) {
                    if (f->groups[g0].has_cc)
                        s->cc_start[g0] = f->groups[g0].cc_from
                                          + 300 * (k / (nef > 1 ? 25 : 5));
                    s->sync_offset[0] = a;
                    s->sync_offset[1] = b;
                    s->sync_offset[2] = c;
                    s->ef_at[s->ef_base[g0]] = ef0 - 600 + 300 * (k % 5);
                    if (nef > 1)
                        s->ef_at[s->ef_base[g0] + 1] = ef1 - 600
                                                       + 300 * (k / 5 % 5);
                    stg_sim *sim = NULL;
                    int rc = stg_sim_run(f, s, &sim);
                    ck_assert_int_ge(rc, 0);
                    if (rc == 1) {      /* never catches up: not allowed */
                        stg_sim_free(sim);
                        continue;
                    }
                    stg_eval *ev = stg_eval_run(f, sim);
                    if (ev->achieved > best)
                        best = ev->achieved;
                    for (int l = 0; l < f->nlinks; l++)
                        if (ev->headroom[l] > link_best[l])
                            link_best[l] = ev->headroom[l];
                    int waits = 0;
                    for (int k = 0; k < f->ncomputers; k++)
                        waits |= sim->waited[k] > 0;
                    if (!waits && ev->achieved > best_nowait)
                        best_nowait = ev->achieved;
                    for (int l = 0; !waits && l < f->nlinks; l++)
                        if (ev->headroom[l] > link_best_nowait[l])
                            link_best_nowait[l] = ev->headroom[l];
                    stg_eval_free(ev);
                    stg_sim_free(sim);
                }
    stg_settings_free(s);
    return best;
}

/* Writes fleet and schedule to files and runs the independent checker. */
static void verify(const char *fleet_text, const stg_fleet *f,
                   const stg_schedule *sc)
{
    const char *verifier = getenv("STAGGER_VERIFY");
    if (!verifier)
        return;                 /* run outside meson: nothing to call */
    char fpath[] = "/tmp/stagger-test-fleet-XXXXXX";
    char spath[] = "/tmp/stagger-test-schedule-XXXXXX";
    int fd = mkstemp(fpath), sd = mkstemp(spath);
    ck_assert(fd >= 0 && sd >= 0);
    FILE *ff = fdopen(fd, "w"), *sf = fdopen(sd, "w");
    fputs(fleet_text, ff);
    fclose(ff);
    char *cause = NULL;
    ck_assert_int_eq(stg_schedule_write(sf, f, fpath, "0", sc, &cause), 0);
    fclose(sf);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s %s %s", verifier, fpath, spath);
    int rc = system(cmd);
    if (rc == 0) {
        unlink(fpath);
        unlink(spath);
    }
    ck_assert_msg(rc == 0, "stagger-verify rejected the planned schedule "
                  "(kept: %s %s)", fpath, spath);
}

/* Plans the tiny fleet of seed and holds the plan to the enumeration.
 * exact_budget: the exact search's (0: the default); tight: every link
 * at risk must end at its bound without waits (proven). */
static void check_seed(uint64_t seed, long exhaustive_max, int max_jobs,
                       long exact_budget, bool tight)
{
    static char text[8192];
    tiny_fleet(text, sizeof text, seed, max_jobs);
    stg_fleet *f = test_fleet(text);
    double *link_best = stg_calloc((size_t)f->nlinks, sizeof *link_best);
    double best = enumerate(f, link_best);

    /* the cheap per-link bounds hold for every schedule */
    stg_problem *p = stg_problem_new(f, NULL);
    double *bound = stg_calloc((size_t)f->nlinks, sizeof *bound);
    ck_assert_int_eq(stg_bound_links(p, 0, NULL, NULL, bound), 0);
    for (int l = 0; l < f->nlinks; l++)
        ck_assert_msg(bound[l] >= link_best[l] - 1e-9,
                      "seed %llu: link %s bound %.4f below achievable %.4f",
                      (unsigned long long)seed, f->links[l].name, bound[l],
                      link_best[l]);

    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.time_limit = 30;
    o.seed = seed;
    o.exhaustive_max = exhaustive_max;
    o.exact_budget = exact_budget;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(f, &o, &sc, &cause), 0);
    /* the optimum, or every link out of risk (50% headroom or more: the
     * planner's documented stop, docs/model.md "The search") */
    ck_assert_msg(sc->eval->achieved >= best - 1e-9 ||
                  sc->eval->achieved >= 0.5 - 1e-9,
                  "seed %llu: planned %.4f, optimum %.4f (%s)",
                  (unsigned long long)seed, sc->eval->achieved, best, sc->method);
    ck_assert_msg(sc->bound >= best - 1e-9,
                  "seed %llu: bound %.4f below the optimum %.4f (%s)",
                  (unsigned long long)seed, sc->bound, best, sc->method);
    /* every link's bound holds for every schedule; its bound without
     * waits for every schedule without waits (the planner's are exact
     * where proven, not only the cheap ones above) */
    ck_assert_ptr_nonnull(sc->link_bound_nowait);
    for (int l = 0; l < f->nlinks; l++) {
        ck_assert_msg(sc->link_bound[l] >= link_best[l] - 1e-9,
                      "seed %llu: link %s planned bound %.4f below achievable %.4f",
                      (unsigned long long)seed, f->links[l].name,
                      sc->link_bound[l], link_best[l]);
        ck_assert_msg(sc->link_bound_nowait[l] >= link_best_nowait[l] - 1e-9,
                      "seed %llu: link %s bound without waits %.4f below "
                      "achievable %.4f", (unsigned long long)seed,
                      f->links[l].name, sc->link_bound_nowait[l],
                      link_best_nowait[l]);
    }
    for (int l = 0; tight && l < f->nlinks; l++)
        ck_assert_msg(sc->eval->headroom[l] >= 0.5 ||
                      sc->link_bound_nowait[l] <= link_best_nowait[l] + 1e-9,
                      "seed %llu: link %s bound without waits %.4f, its "
                      "optimum %.4f: not proven", (unsigned long long)seed,
                      f->links[l].name, sc->link_bound_nowait[l],
                      link_best_nowait[l]);
    ck_assert_msg(sc->bound_nowait >= best_nowait - 1e-9,
                  "seed %llu: bound without waits %.4f below the optimum %.4f",
                  (unsigned long long)seed, sc->bound_nowait, best_nowait);
    if (sc->status == STG_STATUS_OPTIMAL)
        ck_assert_double_le(sc->bound - sc->eval->achieved, 1e-6);
    if (getenv("STAGGER_TEST_VERBOSE"))
        fprintf(stderr, "seed %llu: %s, achieved %.4f bound %.4f optimum %.4f\n",
                (unsigned long long)seed, sc->method, sc->eval->achieved,
                sc->bound, best);
    verify(text, f, sc);

    stg_schedule_free(sc);
    stg_problem_free(p);
    stg_free(bound);
    stg_free(link_best);
    stg_free(link_best_nowait);
    link_best_nowait = NULL;
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* A state of p with every decision at today's value. */
static stg_state *state_today(stg_problem *p)
{
    stg_state *st = stg_state_new(p);
    ck_assert_ptr_nonnull(st);
    for (int d = 0; d < p->ndecisions; d++)
        stg_state_place(st, d, p->dec[d].current);
    return st;
}

/* Frees a test's state, problem, fleet and text (NULL: none) and checks
 * that nothing allocated is left. */
static void state_done(stg_state *st, stg_problem *p, stg_fleet *f,
                       char *text)
{
    stg_state_free(st);
    stg_problem_free(p);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* Two answers of the exact search alike: proof, better placement found,
 * utilization, bound, placement, and the work counted when work; what
 * names them in a failure.  Frees both. */
static void same_exact(stg_exact_result r[2], int ndecisions, bool work,
                       const char *what)
{
    ck_assert_msg(r[0].proven == r[1].proven &&
                  r[0].improved == r[1].improved &&
                  r[0].util == r[1].util && r[0].lower == r[1].lower &&
                  (!work || r[0].work == r[1].work),
                  "%s: %d %.4f %.4f (work %ld) against %d %.4f %.4f "
                  "(work %ld)", what, r[0].proven, r[0].util, r[0].lower,
                  r[0].work, r[1].proven, r[1].util, r[1].lower, r[1].work);
    for (int d = 0; d < ndecisions; d++)
        ck_assert_int_eq(r[0].values[d], r[1].values[d]);
    stg_exact_result_free(&r[0]);
    stg_exact_result_free(&r[1]);
}

/* A clone of st with the placement of an exact answer. */
static stg_state *with_answer(const stg_state *st, const stg_exact_result *r)
{
    stg_state *t = stg_exact_placed(st, r);
    ck_assert_ptr_nonnull(t);
    return t;
}

/* The relaxed exact search (exact.h, stg_exact_opts.only) of link l
 * from st, against best, the best headroom any schedule without waits
 * gives it: with every computer the plain search's optimum, with every
 * other one (the first left out, then the third, ...) and with those
 * of the peak's core (peakcore.h) no more than best allows. */
static void relaxed_on(const stg_problem *p, const stg_state *st, int l,
                       double best, uint64_t seed, bool crowded)
{
    int C = p->fleet->ncomputers;
    unsigned char *only = stg_calloc((size_t)C + 1, 1);
    ck_assert_ptr_nonnull(only);
    for (int k = 0; k < 2; k++) {
        for (int c = 0; c < C; c++)
            only[c] = k == 0 || c % 2;
        stg_exact_opts o = { .only = only };
        stg_exact_result r;
        ck_assert_int_eq(stg_exact_solve_with(p, &l, 1, st, 0, 1000000000L,
                                              NULL, &o, &r), 0);
        ck_assert(r.proven);
        ck_assert_msg(k == 0 ? fabs((1 - r.lower) - best) < 1e-9
                             : 1 - r.lower >= best - 1e-9,
                      "seed %llu%s: link %s, %s computers: %.4f, "
                      "enumeration %.4f", (unsigned long long)seed,
                      crowded ? " (crowded)" : "", p->fleet->links[l].name,
                      k == 0 ? "every" : "every other", 1 - r.lower, best);
        stg_exact_result_free(&r);
    }
    double b;
    long work;
    ck_assert_int_eq(stg_peakcore_bound(p, st, l, 0, 100000000L, NULL, &b,
                                        &work), 0);
    ck_assert_msg(1 - b >= best - 1e-9, "seed %llu%s: link %s: peak's core "
                  "%.4f, enumeration %.4f", (unsigned long long)seed,
                  crowded ? " (crowded)" : "", p->fleet->links[l].name,
                  1 - b, best);
    stg_free(only);
}

/* The exact search (solver/exact.h) on each link of the tiny fleet of
 * seed against enumeration: with no server making computers wait, its
 * proven optimum is exactly the best headroom any schedule gives the
 * link. */
static void exact_on(uint64_t seed, bool crowded)
{
    static char text[8192];
    fleet_of(text, sizeof text, seed, 0, crowded);
    stg_fleet *f = test_fleet(text);
    double *link_best = stg_calloc((size_t)f->nlinks, sizeof *link_best);
    enumerate(f, link_best);
    stg_problem *p = stg_problem_new(f, NULL);
    /* from today's settings (every offset 0, mostly far from the best):
     * the search must descend, and wrong pruning would show */
    stg_state *st = state_today(p);
    for (int l = 0; l < f->nlinks; l++) {
        stg_exact_result r;
        ck_assert_int_eq(stg_exact_solve(p, &l, 1, st, 0, 1000000000L, NULL,
                                         &r), 0);
        ck_assert_msg(r.proven, "seed %llu%s: link %s not proven",
                      (unsigned long long)seed, crowded ? " (crowded)" : "",
                      f->links[l].name);
        ck_assert_msg(fabs((1 - r.lower) - link_best[l]) < 1e-9,
                      "seed %llu%s: link %s: exact %.4f, enumeration %.4f",
                      (unsigned long long)seed, crowded ? " (crowded)" : "",
                      f->links[l].name, 1 - r.lower, link_best[l]);
        /* its placement gives that headroom */
        stg_state *t = with_answer(st, &r);
        ck_assert_double_le(fabs(stg_state_util(t, l) - r.util), 1e-9);
        stg_state_free(t);
        stg_exact_result_free(&r);
        relaxed_on(p, st, l, link_best[l], seed, crowded);
    }
    stg_state_free(st);
    stg_problem_free(p);
    stg_free(link_best);
    stg_free(link_best_nowait);
    link_best_nowait = NULL;
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* stg_state_try() scores a value without placing it: the same score,
 * to the last count and conflict, as placing the decision, scoring and
 * taking it out again, for every value of every decision, from today's
 * placement and from the greedy's (odd _i); the state after it the same
 * as before.  Fleets: the tiny ones (a server whose max_jobs binds on
 * every third, the crowded queues on odd ones), files whose groups run
 * on several computers and whose queues hold syncs back, and a week of
 * five sites (from the greedy's placement, a try there takes every slot
 * at a block's peak down: try_peak()'s changed_block() must look at the
 * whole block then). */
static const char *const try_files[] = {
    "tests/data/plan/lift-group.yaml",
    "tests/data/plan/queued-syncs.yaml",
    "tests/data/plan/repair.yaml",
    "tests/data/plan/week-estate.yaml",
};

/* Fleet i of a loop over ntiny tiny fleets (seeds from seed; a server
 * whose max_jobs binds on every third, crowded queues on odd ones), then
 * the files (*text gets the file's text, the caller frees it). */
static stg_fleet *loop_fleet(int i, int ntiny, uint64_t seed,
                             const char *const *files, char **text)
{
    static char buf[8192];
    *text = NULL;
    if (i >= ntiny)
        return test_fleet_file(files[i - ntiny], text);
    fleet_of(buf, sizeof buf, seed + (uint64_t)i, i % 3 ? 0 : 1, i % 2);
    return test_fleet(buf);
}

START_TEST(try_is_place)
{
    char *text;
    stg_fleet *f = loop_fleet(_i / 2, 12, 300, try_files, &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = _i % 2 ? stg_greedy(p, 1, NULL) : state_today(p);
    ck_assert_ptr_nonnull(st);
    stg_state *was = stg_state_clone(st);
    ck_assert_ptr_nonnull(was);
    long tried = 0;
    for (int d = 0; d < p->ndecisions; d++) {
        int nl, cur = stg_state_value(st, d);
        const int *links = stg_state_dec_links(st, d, &nl);
        stg_state_remove(st, d);
        /* every value on small domains, every seventh on large ones */
        int step = p->dec[d].nvalues > 64 ? 7 : 1;
        for (int vi = 0; vi < p->dec[d].nvalues; vi += step) {
            stg_score a, b;
            stg_state_try(st, d, vi, links, nl, &a);
            ck_assert_int_eq(stg_state_value(st, d), -1);
            stg_state_place(st, d, vi);
            stg_state_score(st, links, nl, &b);
            stg_state_remove(st, d);
            ck_assert_int_eq(a.n, b.n);
            ck_assert_int_eq(a.conflicts, b.conflicts);
            for (int i = 0; i < a.n; i++) {
                ck_assert_msg(a.util[i] == b.util[i] && a.count[i] == b.count[i],
                              "decision %d value %d, link %d of %d: tried "
                              "%.6f x%d, placed %.6f x%d", d, vi, i, a.n,
                              a.util[i], a.count[i], b.util[i], b.count[i]);
            }
            tried++;
        }
        stg_state_place(st, d, cur);
    }
    ck_assert_int_gt(tried, 0);
    ck_assert_int_eq(stg_state_cmp(st, was), 0);
    for (int l = 0; l < f->nlinks; l++)
        for (int t = 0; t < p->nslots; t++)
            ck_assert_int_eq(stg_state_load(st, l, t), stg_state_load(was, l, t));
    stg_state_free(was);
    state_done(st, p, f, text);
}
END_TEST

/* The scores of states a and b over links alike, to the count. */
static void same_score(stg_state *a, stg_state *b, const int *links, int nl,
                       int d, int vi)
{
    stg_score x, y;
    stg_state_try(a, d, vi, links, nl, &x);
    stg_state_try(b, d, vi, links, nl, &y);
    ck_assert_int_eq(x.n, y.n);
    ck_assert_int_eq(x.conflicts, y.conflicts);
    for (int i = 0; i < x.n; i++)
        ck_assert_msg(x.util[i] == y.util[i] && x.count[i] == y.count[i],
                      "decision %d value %d, link %d: %.6f x%d, without "
                      "the memo %.6f x%d", d, vi, i, x.util[i], x.count[i],
                      y.util[i], y.count[i]);
}

/* A memo (memo.h) gives a computer's busy slots only under the values
 * its queue ran with: a state lent a memo of one set (each keep pushes
 * out an older entry) and one lent a roomy memo, tried and moved as a
 * state with none, twice over every decision (the second time from the
 * values the first moved them to), score alike and end with the same
 * loads and busy slots; the roomy memo recalls. */
START_TEST(memo_is_queue)
{
    char *text;
    stg_fleet *f = loop_fleet(_i, 12, 300, try_files, &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *plain = state_today(p);
    stg_memo *small = stg_memo_new(p, 1), *roomy = stg_memo_new(p, 1 << 22);
    stg_state *st[2] = { stg_state_clone(plain), stg_state_clone(plain) };
    ck_assert(small && roomy && st[0] && st[1]);
    stg_state_use_memo(st[0], small);
    stg_state_use_memo(st[1], roomy);
    for (int pass = 0; pass < 2; pass++)
        for (int d = 0; d < p->ndecisions; d++) {
            int nl, n = p->dec[d].nvalues;
            int to = (stg_state_value(plain, d) + 1 + pass) % n;
            const int *links = stg_state_dec_links(plain, d, &nl);
            stg_state_remove(plain, d);
            for (int k = 0; k < 2; k++)
                stg_state_remove(st[k], d);
            for (int vi = 0; vi < n; vi += n > 64 ? 7 : 1)
                for (int k = 0; k < 2; k++)
                    same_score(st[k], plain, links, nl, d, vi);
            stg_state_place(plain, d, to);
            for (int k = 0; k < 2; k++)
                stg_state_place(st[k], d, to);
        }
    for (int k = 0; k < 2; k++) {
        ck_assert_int_eq(stg_state_cmp(st[k], plain), 0);
        for (int l = 0; l < f->nlinks; l++)
            for (int t = 0; t < p->nslots; t++)
                ck_assert_int_eq(stg_state_load(st[k], l, t),
                                 stg_state_load(plain, l, t));
        for (int c = 0; c < f->ncomputers; c++)
            for (int t = 0; t < p->nslots; t++)
                ck_assert_int_eq(stg_state_busy(st[k], c, t),
                                 stg_state_busy(plain, c, t));
        stg_state_free(st[k]);
    }
    long hits, misses;
    stg_memo_counts(roomy, &hits, &misses);
    ck_assert_int_gt(hits, 0);
    stg_memo_free(small);
    stg_memo_free(roomy);
    state_done(plain, p, f, text);
}
END_TEST

/* stg_state_cmp_above(), the order the local search counts its kicks
 * by, against one derived here: each link's peak utilization at most
 * floor[l] counted as floor[l] with no slots at its peak, the links
 * sorted from the highest, compared worst first, then the conflicts,
 * then the rest, then the counts.  Every move of every decision from
 * today's placement against today's, floors from none (the plain
 * order) to every link's own utilization; where the two orders disagree
 * on a utilization, the one derived here is the one that holds. */
typedef struct {
    double u;
    int c;
} counted_link;

static int by_counted(const void *a, const void *b)
{
    const counted_link *x = a, *y = b;
    if (x->u != y->u)
        return x->u > y->u ? -1 : 1;
    return (x->c < y->c) - (x->c > y->c);
}

static int cmp_derived(const stg_state *a, const stg_state *b,
                       const double *floor, int L)
{
    counted_link va[64], vb[64];
    ck_assert_int_le(L, 64);
    for (int l = 0; l < L; l++) {
        va[l] = (counted_link){ stg_state_util(a, l), stg_state_peak_count(a, l) };
        vb[l] = (counted_link){ stg_state_util(b, l), stg_state_peak_count(b, l) };
        if (floor && va[l].u <= floor[l])
            va[l] = (counted_link){ floor[l], 0 };
        if (floor && vb[l].u <= floor[l])
            vb[l] = (counted_link){ floor[l], 0 };
    }
    qsort(va, (size_t)L, sizeof *va, by_counted);
    qsort(vb, (size_t)L, sizeof *vb, by_counted);
    if (va[0].u != vb[0].u)
        return va[0].u < vb[0].u ? -1 : 1;
    if (stg_state_conflicts(a) != stg_state_conflicts(b))
        return stg_state_conflicts(a) < stg_state_conflicts(b) ? -1 : 1;
    for (int l = 1; l < L; l++)
        if (va[l].u != vb[l].u)
            return va[l].u < vb[l].u ? -1 : 1;
    for (int l = 0; l < L; l++)
        if (va[l].c != vb[l].c)
            return va[l].c < vb[l].c ? -1 : 1;
    return 0;
}

START_TEST(cmp_above_at_risk)
{
    char *text;
    stg_fleet *f = loop_fleet(_i, 12, 700, try_files, &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    stg_state *was = stg_state_clone(st);
    ck_assert_ptr_nonnull(was);
    int L = f->nlinks;
    double floor[64];
    long compared = 0;
    for (int d = 0; d < p->ndecisions; d++) {
        int cur = stg_state_value(st, d);
        int step = p->dec[d].nvalues > 64 ? 7 : 1;
        for (int vi = 0; vi < p->dec[d].nvalues; vi += step) {
            stg_state_remove(st, d);
            stg_state_place(st, d, vi);
            ck_assert_int_eq(stg_state_cmp_above(st, was, NULL),
                             stg_state_cmp(st, was));
            ck_assert_int_eq(stg_state_cmp(st, was),
                             cmp_derived(st, was, NULL, L));
            /* floors: each link's utilization in either state, for
             * every link at once; and 0.5, the planner's */
            for (int k = 0; k < 2 * L + 1; k++) {
                for (int l = 0; l < L; l++)
                    floor[l] = k == 2 * L ? 0.5
                             : stg_state_util(k < L ? st : was, k % L);
                int r = stg_state_cmp_above(st, was, floor);
                ck_assert_int_eq(r, cmp_derived(st, was, floor, L));
                ck_assert_int_eq(-r, stg_state_cmp_above(was, st, floor));
                compared++;
            }
            /* every link at its floor: only the conflicts tell */
            for (int l = 0; l < L; l++)
                floor[l] = 1e9;
            long ca = stg_state_conflicts(st), cb = stg_state_conflicts(was);
            ck_assert_int_eq(stg_state_cmp_above(st, was, floor),
                             (ca > cb) - (ca < cb));
        }
        stg_state_remove(st, d);
        stg_state_place(st, d, cur);
    }
    ck_assert_int_gt(compared, 0);
    ck_assert_int_eq(stg_state_cmp(st, was), 0);
    stg_state_free(was);
    state_done(st, p, f, text);
}
END_TEST

/* stg_bound_affected(): with one computer's throttle lowered by a
 * quarter, every link it does not name keeps both of its bounds to the
 * last bit, and those it names, bounded alone (stg_bound_links() with
 * only), get what bounding every link gives them.  Fleets: the tiny ones
 * (loop_fleet()), files whose groups span computers of several sites
 * and whose servers bind, and one where a computer's throttle moves the
 * bound of a line it never crosses (waits-across-sites.yaml: without the
 * rule of the servers that bind, this fails). */
static const char *const affected_files[] = {
    "tests/data/plan/wide-groups.yaml",
    "tests/data/plan/lift-group.yaml",
    "tests/data/plan/queued-syncs.yaml",
    "tests/data/plan/auto-step-down.yaml",
    "tests/data/plan/waits-across-sites.yaml",
};

static void both_bounds(const stg_problem *p, const bool *only, double *b,
                        double *t)
{
    ck_assert_int_eq(stg_bound_links(p, 0, NULL, only, b), 0);
    ck_assert_int_eq(stg_bound_links(p, STG_BOUND_NO_WAIT, NULL, only, t), 0);
}

START_TEST(bounds_affected)
{
    char *text;
    stg_fleet *f = loop_fleet(_i, 18, 500, affected_files, &text);
    int L = f->nlinks, C = f->ncomputers, checked = 0, kept = 0;
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    double *b = stg_calloc((size_t)L, sizeof *b), *t = stg_calloc((size_t)L, sizeof *t);
    double *b2 = stg_calloc((size_t)L, sizeof *b2), *t2 = stg_calloc((size_t)L, sizeof *t2);
    double *b3 = stg_calloc((size_t)L, sizeof *b3), *t3 = stg_calloc((size_t)L, sizeof *t3);
    bool *redo = stg_calloc((size_t)L, sizeof *redo);
    both_bounds(p, NULL, b, t);
    for (int c = 0; c < C; c += C > 12 ? C / 12 : 1) {
        stg_settings *s = stg_settings_copy(p->settings);
        ck_assert_ptr_nonnull(s);
        stg_throttle *th = &s->throttle[c];
        if (th->kind == STG_THROTTLE_WORK) {
            th->work *= 0.75;
            th->other *= 0.75;
        } else if (th->kind != STG_THROTTLE_NONE) {
            th->rate *= 0.75;
        }
        stg_problem *q = stg_problem_new(f, s);
        stg_settings_free(s);
        ck_assert_ptr_nonnull(q);
        for (int sv = 0; sv < f->nservers; sv++)
            ck_assert_int_eq(q->binding[sv], p->binding[sv]);
        if (!stg_throttle_same(&p->settings->throttle[c],
                               &q->settings->throttle[c])) {
            ck_assert_int_eq(stg_bound_affected(q, p->settings->throttle,
                                                redo), 0);
            both_bounds(q, NULL, b2, t2);
            both_bounds(q, redo, b3, t3);
            for (int l = 0; l < L; l++) {
                if (redo[l]) {
                    ck_assert(b3[l] == b2[l] && t3[l] == t2[l]);
                    continue;
                }
                ck_assert_msg(b2[l] == b[l] && t2[l] == t[l],
                              "computer %s lowered: link %s not named, but "
                              "its bounds moved from %.6f / %.6f to %.6f / %.6f",
                              f->computers[c].name, f->links[l].name, b[l],
                              t[l], b2[l], t2[l]);
                kept++;
            }
            checked++;
        }
        stg_problem_free(q);
    }
    ck_assert_int_gt(checked, 0);
    /* the estate's sites keep their links when another's computer moves */
    ck_assert(kept > 0 || _i != 18);
    stg_free(b);
    stg_free(t);
    stg_free(b2);
    stg_free(t2);
    stg_free(b3);
    stg_free(t3);
    stg_free(redo);
    state_done(NULL, p, f, text);
}
END_TEST

START_TEST(exact_is_exact)
{
    exact_on((uint64_t)_i + 1, false);
}
END_TEST

/* The same where jobs queue on their computers: the search simulates
 * the queues of the placements it meets, and takes those it met before
 * from its memo (a memo that answered for another placement would prune
 * what is there, or keep what is not). */
START_TEST(exact_is_exact_queued)
{
    exact_on((uint64_t)_i + 1, true);
}
END_TEST

/* The exact search on a link whose background never stops: three
 * computers at 20Mbps over 40Mbps of background on a 100Mbps line, each
 * syncing about 17 minutes every hour.  Their syncs fit apart, so the
 * best peak is the background and one computer (60%).  From today's
 * settings (every sync at :00, 100%), the search must find that and
 * prove it: it once counted the background twice and "proved" today's
 * 100% optimal. */
START_TEST(exact_background)
{
    stg_fleet *f = test_fleet(
        "stagger: 1\nresolution: 1m\n"
        "links:\n"
        "  - name: wan\n    capacity: 100Mbps\n"
        "    background: [ { from: \"00:00\", to: \"23:59\", rate: 40Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers:\n"
        "  - { name: a, server: dpm, path: [wan], throttle: 20Mbps }\n"
        "  - { name: b, server: dpm, path: [wan], throttle: 20Mbps }\n"
        "  - { name: c, server: dpm, path: [wan], throttle: 20Mbps }\n"
        "groups:\n"
        "  - name: ga\n    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: s, computer: a, kind: file, size: 1TB, churn: 50GB/day } ]\n"
        "  - name: gb\n    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: s, computer: b, kind: file, size: 1TB, churn: 50GB/day } ]\n"
        "  - name: gc\n    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: s, computer: c, kind: file, size: 1TB, churn: 50GB/day } ]\n");
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int l = stg_fleet_link(f, "wan");
    ck_assert_double_le(fabs(stg_state_util(st, l) - 1.0), 1e-9);
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve(p, &l, 1, st, 0, 1000000000L, NULL, &r), 0);
    ck_assert(r.proven);
    ck_assert_msg(fabs(r.lower - 0.6) < 1e-9 && fabs(r.util - 0.6) < 1e-9,
                  "exact: utilization %.4f, lower %.4f; the best is 0.6000",
                  r.util, r.lower);
    stg_exact_result_free(&r);
    state_done(st, p, f, NULL);
}
END_TEST

/* A decision whose own jobs queue behind each other on their computer
 * (tests/data/plan/own-queue.yaml: a file server's syncs before its
 * recovery points, the first still running when the second comes): the
 * exact search must simulate that queue, not take the jobs as apart.
 * Its proven optimum is the best of every placement, and the placement
 * it answers with gives the utilization it claims. */
START_TEST(exact_own_queue)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/own-queue.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_int_eq(p->ndecisions, 2);
    stg_state *st = state_today(p);
    int l = stg_fleet_link(f, "site-wan");
    double best = 1e9;
    for (int a = 0; a < p->dec[0].nvalues; a++) {
        stg_state_place(st, 0, a);
        for (int b = 0; b < p->dec[1].nvalues; b++) {
            stg_state_place(st, 1, b);
            if (stg_state_util(st, l) < best)
                best = stg_state_util(st, l);
        }
    }
    for (int d = 0; d < p->ndecisions; d++)
        stg_state_place(st, d, p->dec[d].current);
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve(p, &l, 1, st, 0, 1000000000L, NULL, &r), 0);
    ck_assert(r.proven);
    ck_assert_msg(fabs(r.lower - best) < 1e-9,
                  "exact: lower %.4f; the best placement gives %.4f",
                  r.lower, best);
    stg_state *t = with_answer(st, &r);
    ck_assert_msg(fabs(stg_state_util(t, l) - r.util) < 1e-9,
                  "exact: utilization %.4f claimed, %.4f placed",
                  r.util, stg_state_util(t, l));
    stg_state_free(t);
    stg_exact_result_free(&r);
    state_done(st, p, f, text);
}
END_TEST

/* Fleets whose branch proofs take the exact search many descents: two
 * planned whole, then both as two parts (deeper_search). */
static const char *const branch_files[] = {
    "tests/data/plan/long-check.yaml",
    "tests/data/plan/check-holds-sync.yaml",
    "tests/data/plan/two-proofs.yaml",
};

/* The fleet of path (*f, its text in *text) planned on 2 threads with
 * exact_budget (0: the default); fails the test when planning fails. */
static stg_schedule *plan_file(const char *path, long exact_budget,
                               stg_fleet **f, char **text)
{
    *f = test_fleet_file(path, text);
    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.threads = 2;
    o.exact_budget = exact_budget;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(*f, &o, &sc, &cause), 0);
    return sc;
}

/* The end of a test of plan_file(): sc goes through the verifier, then
 * sc, f and text are freed and nothing may be left allocated. */
static void verified_free(char *text, stg_fleet *f, stg_schedule *sc)
{
    verify(text, f, sc);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* Plans fleet f with the default options and time_limit seconds. */
static stg_schedule *plan_fleet(const stg_fleet *f, double time_limit)
{
    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.time_limit = time_limit;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(f, &o, &sc, &cause), 0);
    return sc;
}

/* A throttle round (the search's `auto` throttles lowered a quarter,
 * part.c) bounds again the links the lowered throttles reach, and only
 * those: the bounds the plan prints are never looser than those of its
 * throttles computed afresh (the exact search may make them tighter),
 * and never below what the plan reaches (the bounds of the throttles
 * before the round are: lower throttles make the peaks lower).  The
 * estate of six sites (stagger-genestate --sites 6 --seed 15
 * --wide-groups) is planned whole, and its search lowers throttles. */
START_TEST(throttle_round_bounds)
{
    char *text;
    stg_fleet *f;
    stg_schedule *sc = plan_file("tests/data/plan/throttle-round.yaml", 0,
                                 &f, &text);
    ck_assert(sc->found.used & STG_FOUND_THROTTLES);
    ck_assert_int_eq(sc->found.parts, 1);
    for (int c = 0; c < f->ncomputers; c++)
        ck_assert(sc->sim->waited[c] == 0);
    int L = f->nlinks;
    stg_problem *p = stg_problem_for_plan(f, sc->settings);
    ck_assert_ptr_nonnull(p);
    double *b = stg_calloc((size_t)L, sizeof *b), *t = stg_calloc((size_t)L, sizeof *t);
    ck_assert(b && t);
    both_bounds(p, NULL, b, t);
    for (int l = 0; l < L; l++) {
        double h = sc->eval->headroom[l];
        ck_assert_msg(sc->link_bound[l] <= b[l] + 1e-9 &&
                      sc->link_bound_nowait[l] <= t[l] + 1e-9 &&
                      h <= sc->link_bound_nowait[l] + 1e-9 &&
                      sc->link_bound_nowait[l] <= sc->link_bound[l] + 1e-9,
                      "%s: headroom %.6f, the plan's bounds %.6f / %.6f, its "
                      "throttles' %.6f / %.6f", f->links[l].name, h,
                      sc->link_bound[l], sc->link_bound_nowait[l], b[l], t[l]);
    }
    stg_free(b);
    stg_free(t);
    stg_problem_free(p);
    verified_free(text, f, sc);
}
END_TEST

/* The exact search proves the same optimum from any placement: from the
 * planned one (where the proof is one descent below it) and from every
 * decision at its first or its last value (where it must find better
 * placements first, descent after descent).  Descents that leave a first
 * choice out because an earlier one refuted it must not lose what a
 * later threshold needs. */
START_TEST(exact_any_start)
{
    const char *const *files = branch_files;
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file(files[_i], 0, &f, &text);
    stg_problem *p = stg_problem_new(f, sc->settings);
    for (int l = 0; l < f->nlinks; l++) {
        if (!strstr(f->links[l].name, "-wan"))
            continue;
        double lower[3];
        for (int start = 0; start < 3; start++) {
            stg_state *st = start == 0 ? stg_state_placed(p, sc->settings)
                                       : stg_state_new(p);
            ck_assert_ptr_nonnull(st);
            for (int d = 0; start > 0 && d < p->ndecisions; d++)
                stg_state_place(st, d, start == 1 ? 0 : p->dec[d].nvalues - 1);
            stg_exact_result r;
            ck_assert_int_eq(stg_exact_solve(p, &l, 1, st, 0, 4000000000L,
                                             NULL, &r), 0);
            ck_assert_msg(r.proven, "%s: %s not proven from start %d",
                          files[_i], f->links[l].name, start);
            lower[start] = r.lower;
            stg_exact_result_free(&r);
            stg_state_free(st);
        }
        ck_assert_msg(fabs(lower[1] - lower[0]) < 1e-9 &&
                      fabs(lower[2] - lower[0]) < 1e-9,
                      "%s: %s: optimum %.4f from the plan, %.4f and %.4f "
                      "from the first and the last values", files[_i],
                      f->links[l].name, lower[0], lower[1], lower[2]);
    }
    stg_problem_free(p);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Branches whose exact searches simulate queues at most of their
 * placements: one whose SQL server's express fulls hold back its
 * half-hourly syncs on a 2Mbps line (no budget proves it), and one of
 * four computers whose SQL and SharePoint syncs (hourly, every 15
 * minutes) wait behind their express fulls (its proof takes 10^9 slot
 * checks). */
static const char *const queued_files[] = {
    "tests/data/plan/queued-site.yaml",
    "tests/data/plan/queued-syncs.yaml",
};

/* The exact search's memo of the queues it simulated changes nothing
 * but its speed: where the same queues come again under many other
 * placements, the same answer and the same work counted, with the memo
 * and without, for a budget that stops the search midway. */
START_TEST(exact_memo_transparent)
{
    const char *const *files = queued_files;
    char *text = NULL;
    stg_fleet *f = test_fleet_file(files[_i], &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    for (int l = 0; l < f->nlinks; l++) {
        if (!strstr(f->links[l].name, "-wan"))
            continue;
        stg_exact_result r[2];
        for (int k = 0; k < 2; k++) {
            stg_exact_opts o = { .no_memo = k == 1 };
            ck_assert_int_eq(stg_exact_solve_with(p, &l, 1, st, 0, 50000000L,
                                                  NULL, &o, &r[k]), 0);
        }
        char what[256];
        snprintf(what, sizeof what, "%s: %s, with the memo and without",
                 files[_i], f->links[l].name);
        same_exact(r, p->ndecisions, true, what);
    }
    state_done(st, p, f, text);
}
END_TEST

/* An idle thread for exact_help_transparent: runs what is offered on
 * the board until told to stop, counting the jobs it ran. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    stg_pool_board *board;
    bool stop;
    int took;
} helper;

static void *helper_main(void *arg)
{
    helper *h = arg;
    pthread_mutex_lock(&h->lock);
    while (!h->stop) {
        if (stg_pool_help_once(h->board))
            h->took++;
        else
            pthread_cond_wait(&h->wake, &h->lock);
    }
    pthread_mutex_unlock(&h->lock);
    return NULL;
}

/* The exact search's second variable order, run by an idle thread beside
 * the first, changes nothing but the time: the same answer (proof,
 * utilization, bound, placement) with the help as without, for budgets
 * that stop the first order or both, small searches and large ones
 * (every_order), from today's placement. */
START_TEST(exact_help_transparent)
{
    const char *const *files = queued_files;
    char *text = NULL;
    stg_fleet *f = test_fleet_file(files[_i], &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    helper h = { .stop = false, .took = 0 };
    pthread_t th;
    ck_assert_int_eq(pthread_mutex_init(&h.lock, NULL), 0);
    ck_assert_int_eq(pthread_cond_init(&h.wake, NULL), 0);
    h.board = stg_pool_board_new(&h.lock, &h.wake);
    ck_assert_ptr_nonnull(h.board);
    ck_assert_int_eq(pthread_create(&th, NULL, helper_main, &h), 0);
    static const long budgets[] = { 1000000L, 20000000L, 60000000L };
    int searches = 0;
    for (int l = 0; l < f->nlinks; l++) {
        if (!strstr(f->links[l].name, "-wan"))
            continue;
        for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++)
            for (int every = 0; every < 2; every++) {
                stg_exact_result r[2];
                for (int k = 0; k < 2; k++) {
                    stg_exact_opts o = { .every_order = every,
                                         .help = k ? h.board : NULL };
                    ck_assert_int_eq(stg_exact_solve_with(p, &l, 1, st, 0,
                                                          budgets[b], NULL,
                                                          &o, &r[k]), 0);
                }
                char what[256];
                snprintf(what, sizeof what, "%s: %s, budget %ld%s, alone "
                         "and helped", files[_i], f->links[l].name,
                         budgets[b], every ? ", every order" : "");
                same_exact(r, p->ndecisions, false, what);
                searches++;
            }
    }
    pthread_mutex_lock(&h.lock);
    h.stop = true;
    pthread_cond_broadcast(&h.wake);
    pthread_mutex_unlock(&h.lock);
    pthread_join(th, NULL);
    /* the helper did take part (each search offers it its second order
     * before the first starts) */
    ck_assert_msg(h.took > 0, "%s: the idle thread took none of %d",
                  files[_i], searches);
    stg_pool_board_free(h.board);
    pthread_cond_destroy(&h.wake);
    pthread_mutex_destroy(&h.lock);
    state_done(st, p, f, text);
}
END_TEST

/* The MILP alone: GLPK must prove its optimum, and that optimum must
 * bound every schedule (no server here has a binding max_jobs), so it is
 * never better than the enumerated best. */
START_TEST(milp_alone)
{
    static char text[8192];
    uint64_t seed = (uint64_t)_i + 1;
    tiny_fleet(text, sizeof text, seed, 0);
    stg_fleet *f = test_fleet(text);
    double *link_best = stg_calloc((size_t)f->nlinks, sizeof *link_best);
    double best = enumerate(f, link_best);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = stg_greedy(p, 1, NULL);
    stg_limit lim = { stg_now() + 60, NULL };
    stg_milp_result r;
    char *cause = NULL;
    ck_assert_int_eq(stg_milp_solve(p, st, &lim, &r, &cause), 0);
    ck_assert_msg(r.solved, "seed %llu: GLPK did not prove the MILP (%s)",
                  (unsigned long long)seed, r.note);
    ck_assert(r.bound_valid);
    ck_assert_msg(1 - r.lower_bound >= best - 1e-9,
                  "seed %llu: MILP bound %.4f below the optimum %.4f",
                  (unsigned long long)seed, 1 - r.lower_bound, best);
    ck_assert(r.have_solution);
    ck_assert_double_le(r.lower_bound, r.objective + 1e-9);
    if (getenv("STAGGER_TEST_VERBOSE"))
        fprintf(stderr, "seed %llu: milp %s in %.2fs, bound %.4f, optimum %.4f\n",
                (unsigned long long)seed, r.note, r.seconds,
                1 - r.lower_bound, best);
    stg_milp_result_free(&r);
    stg_state_free(st);
    stg_problem_free(p);
    stg_free(link_best);
    stg_free(link_best_nowait);
    link_best_nowait = NULL;
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Large-neighbourhood search from today's settings (every offset 0):
 * the sub-MILPs must never leave the state worse, and from such a start
 * they must improve it on most seeds. */
static int lns_from_today(uint64_t seed)
{
    static char text[8192];
    tiny_fleet(text, sizeof text, seed, 0);
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    stg_state *start = stg_state_clone(st);
    double worst_before = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (stg_state_util(st, l) > worst_before)
            worst_before = stg_state_util(st, l);
    stg_limit lim = { stg_now() + 20, NULL };
    stg_lns_stats ns;
    char *cause = NULL;
    ck_assert_int_eq(stg_lns(st, NULL, seed, &lim, &ns, &cause), 0);
    ck_assert_int_le(stg_state_cmp(st, start), 0);
    double worst_after = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (stg_state_util(st, l) > worst_after)
            worst_after = stg_state_util(st, l);
    ck_assert_double_le(worst_after, worst_before + 1e-12);
    ck_assert_int_ge(ns.tried, 1);
    if (ns.improved > 0)
        ck_assert_int_lt(stg_state_cmp(st, start), 0);
    if (getenv("STAGGER_TEST_VERBOSE"))
        fprintf(stderr, "seed %llu: lns %d tried, %d kept, %d proved, "
                "worst %.4f -> %.4f\n", (unsigned long long)seed, ns.tried,
                ns.improved, ns.proved, worst_before, worst_after);
    /* a schedule from the state passes the independent checker */
    stg_settings *s = stg_settings_copy(p->settings);
    for (int d = 0; d < p->ndecisions; d++)
        stg_problem_apply(p, d, stg_state_value(st, d), s);
    /* no bound is claimed: every link could reach 100% */
    double *none = stg_calloc((size_t)f->nlinks + 1, sizeof *none);
    for (int l = 0; l < f->nlinks; l++)
        none[l] = 1;
    stg_schedule *sc = stg_schedule_build(f, s, none);
    ck_assert_ptr_nonnull(sc);
    verify(text, f, sc);
    stg_schedule_free(sc);
    stg_free(none);
    stg_state_free(start);
    state_done(st, p, f, NULL);
    /* a seed whose sub-MILPs ran out of their time (a slow machine, or
     * under valgrind) says nothing about what they find */
    return ns.timed_out ? -1 : ns.improved > 0;
}

START_TEST(lns_improves)
{
    int improved = 0, counted = 0;
    for (uint64_t seed = 1; seed <= 8; seed++) {
        int r = lns_from_today(seed);
        if (r >= 0) {
            counted++;
            improved += r;
        }
    }
    /* 4 of 8 improve on this machine; at least 3 of every 8 counted */
    ck_assert_int_ge(improved * 8, 3 * counted);
}
END_TEST

/* A files group syncing every 15m on one computer (churn files_churn
 * a day), a portal syncing every 15m with two express fulls a day at 08:00
 * and second (flex given) on another, and extra (the portal's check
 * window, or "").  portal: the portal source's churn and extra keys. */
static stg_fleet *two_fulls_fleet(const char *files_churn, const char *second,
                                  const char *flex, const char *extra,
                                  const char *portal)
{
    static char text[2048];
    snprintf(text, sizeof text,
        "stagger: 1\nresolution: 5m\nheadroom: 15%%\n"
        "links:\n  - { name: wan, capacity: 100Mbps }\n"
        "servers: [ { name: dpm } ]\ncomputers:\n"
        "  - { name: fs, server: dpm, path: [wan], throttle: 30Mbps }\n"
        "  - { name: sp, server: dpm, path: [wan], throttle: 36Mbps }\n"
        "groups:\n"
        "  - name: files\n    sync: { every: 15m, offset: 0m }\n"
        "    sources:\n      - { name: d, computer: fs, kind: file, size: 5000GB, churn: %s/day }\n"
        "  - name: portal\n    sync: { every: 15m, offset: 0m }\n"
        "    express_full: { at: [\"08:00\", \"%s\"], flex: %s }\n"
        "%s"
        "    sources:\n      - { name: w, computer: sp, kind: sharepoint, size: 200GB, churn: %s }\n",
        files_churn, second, flex, extra, portal);
    return test_fleet(text);
}

/* The best headroom of the wan over every sync offset, express-full
 * time within flex (step seconds) and check start in [from, from+span)
 * (span 0: no check), by simulation. */
static double best_two_fulls(const stg_fleet *f, int second, int flex,
                             int step, int cc_from, int cc_span)
{
    stg_settings *s = stg_settings_today(f);
    double best = -1e9;
    int b0 = s->ef_base[1];
    for (int a = 0; a < 900; a += 300)
        for (int b = 0; b < 900; b += 300)
            for (int x = -flex; x <= flex; x += step)
                for (int y = -flex; y <= flex; y += step)
                    for (int c = 0; c < (cc_span ? cc_span : 1); c += 300) {
                        s->sync_offset[0] = a;
                        s->sync_offset[1] = b;
                        s->ef_at[b0] = 8 * 3600 + x;
                        s->ef_at[b0 + 1] = second + y;
                        if (cc_span)
                            s->cc_start[1] = cc_from + c;
                        stg_sim *sim = NULL;
                        ck_assert_int_eq(stg_sim_run(f, s, &sim), 0);
                        stg_eval *ev = stg_eval_run(f, sim);
                        if (ev->headroom[0] > best)
                            best = ev->headroom[0];
                        stg_eval_free(ev);
                        stg_sim_free(sim);
                    }
    stg_settings_free(s);
    return best;
}

/* The wan's cheap bound for schedules without waits. */
static double wan_bound(const stg_fleet *f)
{
    stg_problem *p = stg_problem_new(f, NULL);
    double bound[1];
    ck_assert_int_eq(stg_bound_links(p, STG_BOUND_NO_WAIT, NULL, NULL, bound), 0);
    stg_problem_free(p);
    return bound[0];
}

/* Twenty computers of 10Mbps on a 100Mbps wan, each syncing 1MB every
 * 15 minutes (a fiftieth of a slot at 1m): every sync keeps its computer
 * busy a whole slot, so each is busy 96 slots a day and the wan's mean
 * load is at least 20 x 96 x 10Mbps / 1440 = 13.33Mbps: no schedule
 * keeps more than 86.7% headroom (20 computers on 15 offsets: the best is
 * two at once, 80%).  By volume the mean is 0.18Mbps and one sync alone
 * 10Mbps: the bound was 90%. */
START_TEST(average_counts_busy_slots)
{
    static char text[8192];
    int n = snprintf(text, sizeof text,
        "stagger: 1\nresolution: 1m\nefficiency: 100%%\nheadroom: 15%%\n"
        "links:\n  - { name: wan, capacity: 100Mbps }\n"
        "servers: [ { name: dpm } ]\ncomputers:\n");
    for (int c = 0; c < 20; c++)
        n += snprintf(text + n, sizeof text - (size_t)n,
            "  - { name: c%02d, server: dpm, path: [wan], throttle: 10Mbps }\n", c);
    n += snprintf(text + n, sizeof text - (size_t)n, "groups:\n");
    for (int c = 0; c < 20; c++)
        n += snprintf(text + n, sizeof text - (size_t)n,
            "  - { name: g%02d, sync: { every: 15m, offset: 0m }, sources: "
            "[ { name: d, computer: c%02d, kind: file, size: 1TB, "
            "churn: 96MB/day } ] }\n", c, c);
    stg_fleet *f = test_fleet(text);
    ck_assert_double_eq_tol(wan_bound(f), 1 - 20 * 96 * 10.0 / (1440 * 100), 1e-9);
    stg_problem *p = stg_problem_new(f, NULL);
    double bound[1];
    ck_assert_int_eq(stg_bound_links(p, 0, NULL, NULL, bound), 0);
    ck_assert_double_eq_tol(bound[0], 1 - 20 * 96 * 10.0 / (1440 * 100), 1e-9);
    stg_problem_free(p);
    /* and it holds: a plan keeps 80%, two computers at once */
    stg_schedule *sc = plan_fleet(f, 10);
    ck_assert_double_eq_tol(sc->eval->achieved, 0.8, 1e-9);
    ck_assert(sc->bound >= sc->eval->achieved - 1e-9);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A link of 43 decisions (more than the deeper search takes, as a
 * DPM server's NIC inside a joined part is): three syncs of 6 minutes
 * every 15m cannot all be apart, so two of the 30Mbps computers overlap
 * and the peak is at least 60%, where the average bound says 38.7%.  The
 * exact search of a wide link proves it (the first search only), and the
 * plan is optimal at 40%. */
START_TEST(wide_link_proven)
{
    static char text[16384];
    int n = snprintf(text, sizeof text,
        "stagger: 1\nresolution: 1m\nefficiency: 100%%\nheadroom: 15%%\n"
        "links:\n  - { name: wan, capacity: 100Mbps }\n"
        "servers: [ { name: dpm } ]\ncomputers:\n");
    for (int c = 0; c < 43; c++)
        n += snprintf(text + n, sizeof text - (size_t)n,
            "  - { name: c%02d, server: dpm, path: [wan], throttle: %s }\n",
            c, c < 3 ? "30Mbps" : "1Mbps");
    n += snprintf(text + n, sizeof text - (size_t)n, "groups:\n");
    for (int c = 0; c < 43; c++)
        n += snprintf(text + n, sizeof text - (size_t)n,
            "  - { name: g%02d, sync: { every: 15m, offset: 0m }, sources: "
            "[ { name: d, computer: c%02d, kind: file, size: 1TB, "
            "churn: %s } ] }\n", c, c, c < 3 ? "118.8GB/day" : "480MB/day");
    stg_fleet *f = test_fleet(text);
    ck_assert_double_eq_tol(wan_bound(f), 1 - 38.6667 / 100, 1e-4);
    stg_schedule *sc = plan_fleet(f, 30);
    ck_assert_double_eq_tol(sc->eval->achieved, 0.4, 1e-9);
    ck_assert_double_eq_tol(sc->bound, 0.4, 1e-9);
    ck_assert_double_eq_tol(sc->link_bound[0], 0.4, 1e-9);
    ck_assert_int_eq(sc->status, STG_STATUS_OPTIMAL);
    verify(text, f, sc);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Two express fulls a day whose volumes follow each other: with 40m of
 * flex each may be short (2 slots), but one of them always carries half
 * the day's change (3 slots), and 3 slots of the portal always meet a
 * sync of the files group (every 15m): the cheap bound must see that
 * (the long express full, solver/bound.c) and never claim more than the
 * enumerated best. */
START_TEST(long_express_full)
{
    stg_fleet *f = two_fulls_fleet("2GB", "20:00", "40m", "", "4.8GB/day");
    double best = best_two_fulls(f, 20 * 3600, 2400, 300, 0, 0);
    ck_assert_double_eq_tol(best, 0.34, 1e-9);
    double bound = wan_bound(f);
    ck_assert_msg(fabs(bound - best) < 1e-9, "bound %.4f, best %.4f",
                  bound, best);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The same two express fulls, with 60m of flex and a check at
 * 08:00-08:30 (today at 08:00, after the morning full: no cut): moved
 * before the morning full, the check cuts what that one carries, so the
 * two no longer add up to a day's change (the evening one, an hour
 * nearer the morning one, carries 10h: 2 slots with its sync), and the
 * long express full must not apply (its bound would be the 34% above,
 * below what these schedules reach). */
START_TEST(long_express_full_after_check)
{
    stg_fleet *f = two_fulls_fleet("2GB", "20:00", "60m",
        "    consistency_check: { from: \"08:00\", to: \"08:30\" }\n",
        "4.8GB/day, cc_volume: 1MB");
    double best = best_two_fulls(f, 20 * 3600, 3600, 600, 8 * 3600, 1800);
    ck_assert_double_gt(best, 0.34 + 1e-9);
    double bound = wan_bound(f);
    ck_assert_msg(bound >= best - 1e-9, "bound %.4f, best %.4f", bound, best);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* An express full of full_mb MB on a computer that moves 60MB a slot,
 * beside another group's syncs of 180MB (3 slots) every 15 slots:
 * *alone gets the slots its volume takes alone, the result what
 * stg_problem_queued_len() gives it at 12:00. */
static int queued_len_beside_syncs(int full_mb, int *alone)
{
    char text[1024];
    snprintf(text, sizeof text,
        "stagger: 1\nresolution: 1m\nefficiency: 100%%\n"
        "links: [ { name: wan, capacity: 100Mbps } ]\n"
        "servers: [ { name: dpm, path: [wan] } ]\n"
        "computers: [ { name: c, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: app\n    sync: { every: 24h, offset: 0m }\n"
        "    express_full: { at: [\"12:00\"] }\n"
        "    sources: [ { name: db, computer: c, kind: sql, size: 10GB,"
        " churn: 0%%/day, sync_volume: 1MB, full_volume: %dMB } ]\n"
        "  - name: files\n    sync: { every: 15m, offset: 0m }\n"
        "    sources: [ { name: f, computer: c, kind: file, size: 10GB,"
        " churn: 0%%/day, sync_volume: 180MB } ]\n", full_mb);
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    int ef = -1;
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].kind == STG_DEC_EF)
            ef = d;
    ck_assert_int_ge(ef, 0);
    const stg_dec_job *jb = &p->dec[ef].jobs[0];
    int at = 12 * 60;
    *alone = stg_problem_duration(p, 0, at, jb->volume_lb);
    int len = stg_problem_queued_len(p, ef, 0, at, jb->volume_lb);
    stg_problem_free(p);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
    return len;
}

/* 13 slots alone: the syncs may all fall outside them (one at the slot
 * before, the next 15 later), so nothing is added.  14 slots: a sync
 * falls inside whatever the offset, 3 slots more, and none inside
 * those. */
START_TEST(queued_len_exact)
{
    int alone;
    ck_assert_int_eq(queued_len_beside_syncs(780, &alone), 13);
    ck_assert_int_eq(alone, 13);
    ck_assert_int_eq(queued_len_beside_syncs(840, &alone), 17);
    ck_assert_int_eq(alone, 14);
}
END_TEST

#define QUEUED_SAMPLES 1500

/* A job as long as stg_problem_queued_len() says, counting the periodic
 * syncs of the other decisions on its computer: in every schedule of the
 * crowded tiny fleet of seed (computers that never wait; the checks at
 * today's start; QUEUED_SAMPLES schedules drawn at random where there
 * are more), simulated by the load model, its computer sends in each of
 * those slots.  Returns how many jobs it made longer than their volume
 * takes alone. */
static long queued_len_on(uint64_t seed)
{
    static char text[8192];
    fleet_of(text, sizeof text, seed, 0, true);
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    int N = p->nslots, nd = p->ndecisions;
    int *vi = stg_calloc((size_t)nd + 1, sizeof *vi);
    for (int d = 0; d < nd; d++)
        vi[d] = p->dec[d].kind == STG_DEC_CC ? p->dec[d].current : 0;
    unsigned char *busy = stg_malloc((size_t)f->ncomputers * (size_t)N + 1);
    stg_settings *s = stg_settings_copy(p->settings);
    long longer = 0, combos = 1;
    for (int d = 0; d < nd; d++)
        if (p->dec[d].kind != STG_DEC_CC)
            combos *= p->dec[d].nvalues;
    /* every combination when there are few, else QUEUED_SAMPLES drawn */
    bool all = combos <= QUEUED_SAMPLES;
    rng_state = seed;
    for (long draw = 0;; draw++) {
        for (int d = 0; !all && d < nd; d++)
            if (p->dec[d].kind != STG_DEC_CC)
                vi[d] = rnd(p->dec[d].nvalues);
        for (int d = 0; d < nd; d++)
            stg_problem_apply(p, d, vi[d], s);
        stg_sim *sim = NULL;
        int rc = stg_sim_run(f, s, &sim);
        ck_assert_int_ge(rc, 0);
        memset(busy, 0, (size_t)f->ncomputers * (size_t)N);
        for (int i = 0; rc == 0 && i < sim->ntransfers; i++) {
            const stg_transfer *tr = &sim->transfers[i];
            for (int t = tr->start / p->res; t <= (tr->end - 1) / p->res; t++)
                busy[(long)tr->computer * N + t % N] = 1;
        }
        for (int d = 0; rc == 0 && d < nd; d++) {
            const stg_decision *dc = &p->dec[d];
            for (int j = 0; j < dc->njobs; j++) {
                const stg_dec_job *jb = &dc->jobs[j];
                int c = jb->computer;
                int at = ((dc->values[vi[d]] + jb->rel) % f->cycle + f->cycle)
                         % f->cycle / p->res;
                int len = stg_problem_queued_len(p, d, c, at, jb->volume_lb);
                longer += len > stg_problem_duration(p, c, at, jb->volume_lb);
                for (int k = 0; k < len; k++)
                    ck_assert_msg(busy[(long)c * N + (at + k) % N],
                                  "seed %llu: %s's job of decision %d, "
                                  "released at slot %d, said busy %d slots: "
                                  "idle at %d", (unsigned long long)seed,
                                  f->computers[c].name, d, at, len, k);
            }
        }
        stg_sim_free(sim);
        if (!all && draw + 1 == QUEUED_SAMPLES)
            break;
        int d = 0;              /* the next combination of values (checks
                                   stay at today's start) */
        for (; all && d < nd; d++) {
            if (p->dec[d].kind == STG_DEC_CC)
                continue;
            if (++vi[d] < p->dec[d].nvalues)
                break;
            vi[d] = 0;
        }
        if (all && d == nd)
            break;
    }
    stg_settings_free(s);
    stg_free(busy);
    stg_free(vi);
    stg_problem_free(p);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
    return longer;
}

START_TEST(queued_len_holds)
{
    long longer = 0;
    for (uint64_t seed = 1; seed <= 2; seed++)
        longer += queued_len_on(seed + 3 * (uint64_t)_i);
    /* the fleets make some job wait behind another's syncs */
    ck_assert_int_gt(longer, 0);
}
END_TEST

/* stg_problem_queued_len() and stg_problem_min_work() take short cuts
 * (slots a queue cannot empty in are skipped; a decision's jobs on a
 * computer of one rate are weighed at its first value only, their busy
 * slots summed by running sums): each is what the plain walk gives, to
 * the last bit, slot by slot: the queue's first slot where the bytes
 * moved catch up with those released, and per computer the most over its
 * decisions of the least over their values of its throttle summed over
 * the union of its jobs' busy slots.  Fleets: the tiny ones, and files
 * with work-hour throttles, groups across computers and queued syncs. */
static const char *const walk_files[] = {
    "tests/data/plan/wide-groups.yaml",
    "tests/data/plan/lift-group.yaml",
    "tests/data/plan/queued-site.yaml",
    "tests/data/plan/queued-syncs.yaml",
    "tests/data/plan/hospital.yaml",
    "tests/data/plan/backlog.yaml",
};

static int queued_len_walked(const stg_problem *p, int d, int c, int s,
                             double volume)
{
    int N = p->nslots, len = stg_problem_duration(p, c, s, volume);
    s %= N;
    for (int k = len; k < N; k++) {
        double in = volume;
        for (int i = p->ps_off[c]; i < p->ps_off[c + 1]; i++)
            if (p->ps_dec[i] != d)
                in += stg_problem_sync_in(p->ps_period[i], p->ps_vol[i], k + 1);
        if (in * (1 - 1e-9) <= stg_problem_moved(p, c, s, s + k))
            return k;
    }
    return N;
}

START_TEST(queued_walk_same)
{
    char *text;
    stg_fleet *f = loop_fleet(_i, 12, 700, walk_files, &text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    int N = p->nslots, C = f->ncomputers;
    double *most = stg_calloc((size_t)C, sizeof *most);
    double *least = stg_malloc(sizeof *least * (size_t)C);
    int *mark = stg_calloc((size_t)N, sizeof *mark), stamp = 0;
    for (int d = 0; d < p->ndecisions; d++) {
        const stg_decision *dc = &p->dec[d];
        for (int c = 0; c < C; c++)
            least[c] = -1;
        for (int vi = 0; vi < dc->nvalues; vi++) {
            for (int c = 0; c < C; c++) {
                double work = 0;
                bool on = false;
                stamp++;
                for (int j = 0; j < dc->njobs; j++) {
                    const stg_dec_job *jb = &dc->jobs[j];
                    if (jb->computer != c)
                        continue;
                    int s = stg_problem_job_slot(p, d, vi, j);
                    int len = stg_problem_queued_len(p, d, c, s, jb->volume_lb);
                    ck_assert_int_eq(len, queued_len_walked(p, d, c, s,
                                                            jb->volume_lb));
                    ck_assert_int_eq(len, stg_problem_job_len(p, d, vi, j,
                                                              STG_BUSY_QUEUED));
                    on = true;
                    for (int k = 0; k < len && k < N; k++) {
                        int t = (s + k) % N;
                        if (mark[t] != stamp) {
                            mark[t] = stamp;
                            work += (double)stg_problem_rates(p, c)[t];
                        }
                    }
                }
                if (on && (least[c] < 0 || work < least[c]))
                    least[c] = work;
            }
        }
        for (int c = 0; c < C; c++)
            if (least[c] > most[c])
                most[c] = least[c];
    }
    const double *mw = stg_problem_min_work(p);
    ck_assert_ptr_nonnull(mw);
    for (int c = 0; c < C; c++)
        ck_assert_msg(mw[c] == most[c], "%s: min_work %.17g, walked %.17g",
                      f->computers[c].name, mw[c], most[c]);
    stg_free(most);
    stg_free(least);
    stg_free(mark);
    stg_problem_free(p);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A decision aligned on the slots is weighed at its first value and its
 * load on a link moved from there (problem.h, bound.c): the bounds and
 * min_work are those of the same problem with every decision taken as
 * not aligned (each value worked out on its own), to the last bit. */
START_TEST(aligned_shift_same)
{
    char *text;
    stg_fleet *f = loop_fleet(_i, 12, 900, walk_files, &text);
    int L = f->nlinks, C = f->ncomputers, shifted = 0;
    stg_problem *p = stg_problem_new(f, NULL);
    stg_problem *q = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_nonnull(q);
    for (int d = 0; d < q->ndecisions; d++) {
        shifted += p->dec[d].aligned && p->dec[d].nvalues > 1;
        q->dec[d].aligned = false;
    }
    ck_assert_int_gt(shifted, 0);
    double *b = stg_calloc((size_t)L, sizeof *b), *t = stg_calloc((size_t)L, sizeof *t);
    double *b2 = stg_calloc((size_t)L, sizeof *b2), *t2 = stg_calloc((size_t)L, sizeof *t2);
    both_bounds(p, NULL, b, t);
    both_bounds(q, NULL, b2, t2);
    for (int l = 0; l < L; l++) {
        ck_assert_msg(b[l] == b2[l], "%s: bound %.17g, value by value %.17g",
                      f->links[l].name, b[l], b2[l]);
        ck_assert_msg(t[l] == t2[l], "%s: without waits %.17g, value by "
                      "value %.17g", f->links[l].name, t[l], t2[l]);
    }
    const double *w = stg_problem_min_work(p), *w2 = stg_problem_min_work(q);
    for (int c = 0; c < C; c++)
        ck_assert(w[c] == w2[c]);
    stg_free(b);
    stg_free(t);
    stg_free(b2);
    stg_free(t2);
    stg_problem_free(p);
    stg_problem_free(q);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Two express fulls at 08:00 and 14:00 (40m of flex) beside a files
 * group whose syncs take two of every three slots, with a check whose
 * window (07:00-14:00) lets it come just before either, and so cut
 * either to a slot.  But the check cuts only one of them: the other
 * carries at least the 4h40m of its shortest gap (two slots), which
 * cannot avoid a files sync.  The bound must see that (64% + 30%, 34%
 * headroom; each full's own smallest volume alone says 64%) and it must
 * hold for every schedule enumerated. */
START_TEST(long_express_full_either_cut)
{
    stg_fleet *f = two_fulls_fleet("115.2GB", "14:00", "40m",
        "    consistency_check: { from: \"07:00\", to: \"14:00\" }\n",
        "9.6GB/day, cc_volume: 1MB");
    double best = best_two_fulls(f, 14 * 3600, 2400, 1200, 7 * 3600,
                                 7 * 3600);
    double bound = wan_bound(f);
    ck_assert_msg(bound >= best - 1e-9, "bound %.4f, best %.4f", bound, best);
    ck_assert_double_eq_tol(bound, 0.34, 1e-9);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A server whose max_jobs is below its number of computers: computers
 * may wait, and the bounds must still hold for every schedule. */
START_TEST(binding_max_jobs)
{
    check_seed((uint64_t)_i + 100, 0, 1 + _i % 2, 0, false);
}
END_TEST

START_TEST(exhaustive_path)
{
    check_seed((uint64_t)_i + 1, 2048, 0, 0, false);
}
END_TEST

START_TEST(search_path)
{
    /* the heuristic and the MILP alone, no enumeration */
    check_seed((uint64_t)_i + 1, 0, 0, 0, false);
}
END_TEST

/* An exact search its budget stops is run again with 32 times the budget
 * once the plan is otherwise done (solver/part.c, phase_deeper): for a
 * fleet planned whole, and for one planned in parts (two-proofs.yaml:
 * the planner's deeper pass).  With a budget too small for the first
 * search, even from the planned placement, each branch still ends
 * proven: its bound without waits is its headroom. */
START_TEST(deeper_search)
{
    const char *const *files = branch_files;
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file(files[_i], DEEPER_TEST_BUDGET, &f, &text);
    stg_problem *p = stg_problem_new(f, sc->settings);
    stg_state *st = stg_state_placed(p, sc->settings);
    ck_assert_ptr_nonnull(st);
    int branches = 0;
    for (int l = 0; l < f->nlinks; l++) {
        if (!strstr(f->links[l].name, "-wan"))
            continue;
        branches++;
        stg_exact_result r;
        ck_assert_int_eq(stg_exact_solve(p, &l, 1, st, 0, DEEPER_TEST_BUDGET,
                                         NULL, &r), 0);
        ck_assert_msg(!r.proven, "%s: %s proven within the small budget",
                      files[_i], f->links[l].name);
        stg_exact_result_free(&r);
        ck_assert_msg(fabs(sc->link_bound_nowait[l] - sc->eval->headroom[l]) <
                      1e-6, "%s: %s headroom %.4f, bound without waits %.4f",
                      files[_i], f->links[l].name, sc->eval->headroom[l],
                      sc->link_bound_nowait[l]);
    }
    ck_assert_int_eq(branches, _i == 2 ? 2 : 1);
    verify(text, f, sc);
    stg_state_free(st);
    stg_problem_free(p);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The progress callback of worst_first: stops the run when the first
 * local search after the exact phase reports. */
static void stop_at_search(void *arg, const stg_progress *pr)
{
    volatile sig_atomic_t *stop = arg;
    if (strcmp(pr->phase, "local search") == 0)
        *stop = 1;
}

/* On a fleet planned whole, the worst link whose first exact search its
 * budget stopped is searched deeper before the local search after the
 * exact phase (solver/part.c, phase_worst), not only at the end: a run
 * stopped as that local search reports has its worst link proven all
 * the same (the branch of the two files planned whole, with a budget too
 * small for the first search: deeper_search; the proof ends the run
 * before any local search).  Without that phase the proof came from
 * phase_deeper, which the stop ends before it starts. */
START_TEST(worst_first)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file(branch_files[_i], &text);
    volatile sig_atomic_t stop = 0;
    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.threads = 2;
    o.exact_budget = DEEPER_TEST_BUDGET;
    o.progress = stop_at_search;
    o.progress_arg = (void *)&stop;
    o.stop = &stop;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(f, &o, &sc, &cause), 0);
    int worst = 0;
    for (int l = 1; l < f->nlinks; l++)
        if (sc->eval->headroom[l] < sc->eval->headroom[worst])
            worst = l;
    ck_assert_msg(strstr(f->links[worst].name, "-wan"), "%s: worst link %s",
                  branch_files[_i], f->links[worst].name);
    ck_assert_msg(fabs(sc->link_bound_nowait[worst] -
                       sc->eval->headroom[worst]) < 1e-6,
                  "%s: worst link %s at %.4f, bound without waits %.4f",
                  branch_files[_i], f->links[worst].name,
                  sc->eval->headroom[worst], sc->link_bound_nowait[worst]);
    verified_free(text, f, sc);
}
END_TEST

/* --- lifts (exact.h) ----------------------------------------------- */


static bool crosses_any(const stg_fleet *f, int c, const int *links, int n)
{
    for (int i = 0; i < n; i++)
        if (stg_computer_crosses(&f->computers[c], links[i]))
            return true;
    return false;
}

/* A rule that a placement t keeps or not against st at utilization u
 * (a lift's held links, a held bound's). */
typedef bool (*keeps_fn)(const stg_state *t, const stg_state *st, double u,
                         const void *arg);

/* The lowest utilization of link l over every placement of decisions
 * vars[0..nv) from st that keeps(t, st, u, arg); 2 when none does. */
static double lowest_kept(const stg_state *st, int l, const int *vars,
                          int nv, double u, keeps_fn keeps, const void *arg)
{
    const stg_problem *p = stg_state_problem(st);
    stg_state *t = stg_state_clone(st);
    int *idx = stg_calloc((size_t)nv + 1, sizeof *idx);
    ck_assert(t && idx);
    double low = 2;
    for (;;) {
        for (int i = 0; i < nv; i++)
            if (stg_state_value(t, vars[i]) != idx[i]) {
                stg_state_remove(t, vars[i]);
                stg_state_place(t, vars[i], idx[i]);
            }
        if (stg_state_util(t, l) < low && keeps(t, st, u, arg))
            low = stg_state_util(t, l);
        int i = 0;
        while (i < nv && ++idx[i] == p->dec[vars[i]].nvalues)
            idx[i++] = 0;
        if (i == nv)
            break;
    }
    stg_free(idx);
    stg_state_free(t);
    return low;
}

/* Whether held link m of t keeps a lift's rule at utilization u: not
 * above its peak in st, or below u. */
static bool held_keeps(const stg_state *t, const stg_state *st, int m,
                       double u, double capacity)
{
    int64_t peak = stg_state_peak(t, m);
    return peak <= stg_state_peak(st, m) || (double)peak < u * capacity - 0.5;
}

/* A lift's rule: each held link of held[] (per link of the fleet) keeps
 * held_keeps(). */
static bool lift_keeps(const stg_state *t, const stg_state *st, double u,
                       const void *arg)
{
    const bool *held = arg;
    const stg_fleet *f = stg_state_problem(st)->fleet;
    for (int m = 0; m < f->nlinks; m++)
        if (held[m] && !held_keeps(t, st, m, u, f->links[m].capacity))
            return false;
    return true;
}

/* A lift of each link of the small fleet of seed, with every other link
 * its computers cross as with, from today's placement, against every
 * placement of its variables (the decisions on a computer of those
 * links): its answer keeps every held link, and when proven, no
 * placement that keeps them at that utilization puts the link lower. */
static void lift_on(uint64_t seed, bool crowded)
{
    static char text[8192];
    fleet_of(text, sizeof text, seed, 0, crowded);
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int nl = f->nlinks;
    int *with = stg_malloc(sizeof *with * (size_t)nl);
    int *vars = stg_malloc(sizeof *vars * (size_t)p->ndecisions);
    bool *held = stg_malloc(sizeof *held * (size_t)nl);
    for (int l = 0; l < nl; l++) {
        int nwith = 0, nv = 0, lw[16];
        for (int k = 0; k < nl; k++) {
            bool share = false;
            for (int c = 0; c < f->ncomputers; c++)
                share |= stg_computer_crosses(&f->computers[c], k) &&
                         stg_computer_crosses(&f->computers[c], l);
            if (k != l && share)
                with[nwith++] = k;
        }
        lw[0] = l;
        memcpy(lw + 1, with, sizeof *with * (size_t)nwith);
        for (int k = 0; k < nl; k++) {
            held[k] = false;
            for (int c = 0; c < f->ncomputers && k != l; c++)
                held[k] |= stg_computer_crosses(&f->computers[c], k) &&
                           crosses_any(f, c, lw, nwith + 1);
        }
        for (int d = 0; d < p->ndecisions; d++) {
            bool var = false;
            for (int j = 0; j < p->dec[d].njobs; j++)
                var |= crosses_any(f, p->dec[d].jobs[j].computer, lw,
                                   nwith + 1);
            if (var && p->dec[d].nvalues > 1)
                vars[nv++] = d;
        }
        stg_exact_opts o = { .lift = true, .with = with, .nwith = nwith };
        stg_exact_result r;
        ck_assert_int_eq(stg_exact_solve_with(p, &l, 1, st, 0, 1000000000L,
                                              NULL, &o, &r), 0);
        ck_assert_msg(r.proven, "seed %llu: lift of %s not proven",
                      (unsigned long long)seed, f->links[l].name);
        /* its placement: the utilization it says, every held link kept
         * at the utilization of today's placement */
        stg_state *t = with_answer(st, &r);
        double u0 = stg_state_util(st, l);
        ck_assert_double_le(fabs(stg_state_util(t, l) - r.util), 1e-9);
        for (int m = 0; m < nl; m++)
            ck_assert_msg(!held[m] ||
                          held_keeps(t, st, m, u0, f->links[m].capacity),
                          "seed %llu: lift of %s raises %s (%.4f, was %.4f)",
                          (unsigned long long)seed, f->links[l].name,
                          f->links[m].name, stg_state_util(t, m),
                          stg_state_util(st, m));
        if (r.improved)
            ck_assert_int_lt(stg_state_cmp(t, st), 0);
        stg_state_free(t);
        /* every placement of the variables: none lower that keeps them */
        double low = lowest_kept(st, l, vars, nv, r.util, lift_keeps, held);
        ck_assert_msg(low >= r.util - 1e-9, "seed %llu: lift of %s proved "
                      "%.4f, a placement keeping the held links gives %.4f",
                      (unsigned long long)seed, f->links[l].name, r.util, low);
        stg_exact_result_free(&r);
    }
    stg_free(with);
    stg_free(vars);
    stg_free(held);
    state_done(st, p, f, NULL);
}

START_TEST(lift_is_exact)
{
    lift_on((uint64_t)_i + 1, _i % 2 == 1);
}
END_TEST

/* A held bound's rule: each link of the held list keeps its peak in st. */
typedef struct {
    const int *with;
    int nwith;
} held_list;

static bool held_bound_keeps(const stg_state *t, const stg_state *st,
                             double u, const void *arg)
{
    const held_list *h = arg;
    (void)u;
    for (int i = 0; i < h->nwith; i++)
        if (stg_state_peak(t, h->with[i]) > stg_state_peak(st, h->with[i]))
            return false;
    return true;
}

/* A held bound (exact.h, stg_exact_opts.held) of each link of the small
 * fleet of seed, with the worse links stg_held_worse() finds held, from
 * today's placement, against every placement of every decision: its
 * placement keeps each held link at its peak, and no placement that
 * keeps them puts the link lower than the bound proven. */
static void held_on(uint64_t seed, bool crowded)
{
    static char text[8192];
    fleet_of(text, sizeof text, seed, 0, crowded);
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int nl = f->nlinks, nv = 0;
    int *with = stg_malloc(sizeof *with * (size_t)nl);
    int *vars = stg_malloc(sizeof *vars * (size_t)p->ndecisions);
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].nvalues > 1)
            vars[nv++] = d;
    for (int l = 0; l < nl; l++) {
        int nwith = stg_held_worse(st, l, with);
        ck_assert_int_ge(nwith, 0);
        stg_exact_opts o = { .held = true, .with = with, .nwith = nwith };
        stg_exact_result r;
        ck_assert_int_eq(stg_exact_solve_with(p, &l, 1, st, 0, 1000000000L,
                                              NULL, &o, &r), 0);
        ck_assert_msg(r.proven, "seed %llu: held bound of %s not proven",
                      (unsigned long long)seed, f->links[l].name);
        stg_state *t = with_answer(st, &r);
        ck_assert_double_le(fabs(stg_state_util(t, l) - r.util), 1e-9);
        for (int i = 0; i < nwith; i++)
            ck_assert_int_le(stg_state_peak(t, with[i]),
                             stg_state_peak(st, with[i]));
        stg_state_free(t);
        /* every placement: none that keeps the held links below it */
        held_list h = { with, nwith };
        double low = lowest_kept(st, l, vars, nv, r.lower, held_bound_keeps,
                                 &h);
        ck_assert_msg(low >= r.lower - 1e-9, "seed %llu: held bound of %s "
                      "%.4f, a placement keeping the held links gives %.4f",
                      (unsigned long long)seed, f->links[l].name, r.lower,
                      low);
        stg_exact_result_free(&r);
    }
    stg_free(with);
    stg_free(vars);
    state_done(st, p, f, NULL);
}

START_TEST(held_is_exact)
{
    held_on((uint64_t)_i + 1, _i % 2 == 1);
}
END_TEST

/* A lift that needs the worse link's other decisions
 * (tests/data/plan/lift-room.yaml): a hub of 100Mbps
 * with 30Mbps of background, site A's two computers at 30Mbps, site B's
 * two at 70Mbps, each syncing 15 minutes every hour.  A's syncs both at
 * :00 (its WAN at 60%), B's at :20 and :40: the hub is at 100% wherever
 * a B sync runs, and the gaps between them are too short for an A sync.
 * A's WAN alone reaches 30% only by putting a sync over a B one (the
 * hub at 130%); with B's syncs free too (the hub held at 100%), they
 * move together and leave A's second sync a place of its own. */
START_TEST(lift_makes_room)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/lift-room.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int wa = stg_fleet_link(f, "wa"), hub = stg_fleet_link(f, "hub");
    ck_assert_double_le(fabs(stg_state_util(st, wa) - 0.6), 1e-9);
    ck_assert_double_le(fabs(stg_state_util(st, hub) - 1.0), 1e-9);
    /* A's WAN alone: 30%, over a B sync */
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve(p, &wa, 1, st, 0, 1000000000L, NULL,
                                     &r), 0);
    ck_assert(r.proven && fabs(r.util - 0.3) < 1e-9);
    stg_state *t = with_answer(st, &r);
    ck_assert_double_gt(stg_state_util(t, hub), 1.0 + 1e-9);
    stg_state_free(t);
    stg_exact_result_free(&r);
    /* lifted with the hub: 30%, the hub at 100% */
    stg_exact_opts o = { .lift = true, .with = &hub, .nwith = 1 };
    ck_assert_int_eq(stg_exact_solve_with(p, &wa, 1, st, 0, 1000000000L,
                                          NULL, &o, &r), 0);
    ck_assert(r.improved && fabs(r.util - 0.3) < 1e-9);
    t = with_answer(st, &r);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.3), 1e-9);
    ck_assert_double_le(stg_state_util(t, hub), 1.0 + 1e-9);
    ck_assert_int_lt(stg_state_cmp(t, st), 0);
    stg_state_free(t);
    stg_exact_result_free(&r);
    /* without the hub's other decisions free, nothing below 60% */
    o.nwith = 0;
    ck_assert_int_eq(stg_exact_solve_with(p, &wa, 1, st, 0, 1000000000L,
                                          NULL, &o, &r), 0);
    ck_assert(r.proven && !r.improved && fabs(r.util - 0.6) < 1e-9);
    stg_exact_result_free(&r);
    /* stg_lift() does the same for a link at risk short of its target
     * (the hub, worse, sharing its computers, found by itself); not for
     * one out of risk, within the gap of its target, or not eligible */
    bool eligible[3] = { false, false, false };
    double target[3] = { 0, 0, 0 };
    eligible[wa] = true;
    target[wa] = 0.3;
    t = stg_state_clone(st);
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005, 1000000000L,
                              NULL, NULL), 1);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.3), 1e-9);
    ck_assert_double_le(stg_state_util(t, hub), 1.0 + 1e-9);
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005, 1000000000L,
                              NULL, NULL), 0);
    stg_state_free(t);
    t = stg_state_clone(st);
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.6, 0.005, 1000000000L,
                              NULL, NULL), 0);
    target[wa] = 0.596;
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005, 1000000000L,
                              NULL, NULL), 0);
    target[wa] = 0.3;
    eligible[wa] = false;
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005, 1000000000L,
                              NULL, NULL), 0);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.6), 1e-9);
    stg_state_free(t);
    state_done(st, p, f, text);
}
END_TEST

/* The peak's core (peakcore.h), tests/data/plan/three-long.yaml: three
 * computers whose daily syncs take ten hours each cannot all stay apart
 * (30 hours in 24), so two of them send together somewhere: 20 of wan's
 * 100Mbps over the 15-minute syncs of three more.  No cheap bound sees
 * three decisions at once (each pair can part), but the search of the
 * computers at today's peak, all six sending at 00:00, proves it, and
 * the peak's core is at most the plain search's proven optimum. */
START_TEST(peakcore_three_long)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/three-long.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int wan = stg_fleet_link(f, "wan");
    double cheap[1];
    ck_assert_int_eq(stg_bound_links(p, STG_BOUND_NO_WAIT, NULL, NULL,
                                     cheap), 0);
    double b;
    long work;
    ck_assert_int_eq(stg_peakcore_bound(p, st, wan, 1 - cheap[0],
                                        1000000000L, NULL, &b, &work), 0);
    ck_assert_double_ge(b, 0.2 - 1e-9);
    ck_assert_double_gt(b, 1 - cheap[0] + 0.01);
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve(p, &wan, 1, st, 0, 1000000000L, NULL,
                                     &r), 0);
    ck_assert(r.proven);
    ck_assert_double_le(b, r.lower + 1e-9);
    stg_exact_result_free(&r);
    state_done(st, p, f, text);
}
END_TEST

/* A budget at which the lift of the links eligible alone from st fails
 * and one and a half times it succeeds (0: none below 10^8). */
static long lift_threshold(const stg_state *st, const bool *eligible,
                           const double *target)
{
    for (long b = 2; b < 100000000L; b = b * 5 / 4 + 1) {
        int ok[2];
        for (int k = 0; k < 2; k++) {
            stg_state *t = stg_state_clone(st);
            ok[k] = stg_lift(&t, eligible, target, 0.5, 0.005,
                             k == 0 ? b : b * 3 / 2, NULL, NULL);
            stg_state_free(t);
        }
        if (ok[0] == 0 && ok[1] == 1)
            return b;
    }
    return 0;
}

/* The lifts of one call share their budgets (lift.h): two copies of
 * tests/data/plan/lift-room.yaml (lift-room-twice.yaml), wa and wc each
 * lifted to 30% by a lift of its own.  At a budget with which wa's lift
 * alone fails and one and a half times it succeeds, the lift of wa,
 * first of two, spends what wc's leaves it and succeeds. */
START_TEST(lift_budget_pool)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/lift-room-twice.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int wa = stg_fleet_link(f, "wa"), wc = stg_fleet_link(f, "wc");
    ck_assert_int_ge(wc, 0);
    ck_assert_double_le(fabs(stg_state_util(st, wc) - 0.6), 1e-9);
    bool *eligible = calloc((size_t)f->nlinks, sizeof *eligible);
    double *target = calloc((size_t)f->nlinks, sizeof *target);
    ck_assert(eligible && target);
    target[wa] = target[wc] = 0.3;
    /* a budget at which wa's lift alone fails and 1.5 times it does not */
    eligible[wa] = true;
    long budget = lift_threshold(st, eligible, target);
    ck_assert_int_gt(budget, 0);
    /* with wc's lift after it, wa's is taken at that budget */
    eligible[wc] = true;
    stg_state *t = stg_state_clone(st);
    ck_assert_int_ge(stg_lift(&t, eligible, target, 0.5, 0.005, budget,
                              NULL, NULL), 1);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.3), 1e-9);
    stg_state_free(t);
    free(eligible);
    free(target);
    state_done(st, p, f, text);
}
END_TEST

/* stg_lift_memo: a lift that took nothing records what it met and its
 * allowance; from the same state it is passed by with no more (here it
 * would succeed with more: a memo that claims any allowance makes it
 * take nothing), tried again with more (and taken, which clears it).
 * The fleet of lift_budget_pool, wa's lift alone. */
START_TEST(lift_memo)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/lift-room-twice.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int wa = stg_fleet_link(f, "wa");
    bool *eligible = calloc((size_t)f->nlinks, sizeof *eligible);
    double *target = calloc((size_t)f->nlinks, sizeof *target);
    stg_lift_memo *memo = calloc((size_t)f->nlinks, sizeof *memo);
    ck_assert(eligible && target && memo);
    eligible[wa] = true;
    target[wa] = 0.3;
    long budget = lift_threshold(st, eligible, target);
    ck_assert_int_gt(budget, 0);
    stg_state *t = stg_state_clone(st);
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005, budget,
                              NULL, memo), 0);
    ck_assert(memo[wa].key != 0);
    ck_assert_int_eq(memo[wa].budget, budget);
    stg_lift_memo was = memo[wa];
    memo[wa].budget = LONG_MAX;
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005,
                              budget * 3 / 2, NULL, memo), 0);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.6), 1e-9);
    memo[wa] = was;
    ck_assert_int_eq(stg_lift(&t, eligible, target, 0.5, 0.005,
                              budget * 3 / 2, NULL, memo), 1);
    ck_assert_double_le(fabs(stg_state_util(t, wa) - 0.3), 1e-9);
    ck_assert(memo[wa].key == 0);
    stg_state_free(t);
    free(eligible);
    free(target);
    free(memo);
    state_done(st, p, f, text);
}
END_TEST

/* A lift's strict held link (exact.h): c1's sync lowers k from 85% to
 * its background's 45% only in the hour where m carries 30Mbps, which
 * takes m from 40% to 70%.  A lift allows it (m stays under the utilization searched);
 * with m strict, nothing is better. */
START_TEST(lift_strict)
{
    const char *text =
        "stagger: 1\nresolution: 15m\nefficiency: 100%\nlinks:\n"
        "  - name: k\n    capacity: 100Mbps\n"
        "    background: [ { from: \"00:00\", to: \"20:00\", rate: 45Mbps },"
        " { from: \"21:00\", to: \"23:59\", rate: 45Mbps } ]\n"
        "  - name: m\n    capacity: 100Mbps\n"
        "    background: [ { from: \"20:00\", to: \"21:00\", rate: 30Mbps } ]\n"
        "servers: [ { name: dpm } ]\ncomputers:\n"
        "  - { name: c1, server: dpm, path: [k, m], throttle: 40Mbps }\n"
        "groups:\n  - name: g1\n    sync: { every: 24h, offset: 10h }\n"
        "    sources: [ { name: s, computer: c1, kind: file, size: 1TB, "
        "churn: 4GB/day } ]\n";
    stg_fleet *f = test_fleet(text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int k = stg_fleet_link(f, "k"), m = stg_fleet_link(f, "m");
    ck_assert_double_le(fabs(stg_state_util(st, k) - 0.85), 1e-9);
    ck_assert_double_le(fabs(stg_state_util(st, m) - 0.4), 1e-9);
    stg_exact_opts o = { .lift = true };
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve_with(p, &k, 1, st, 0, 1000000000L, NULL,
                                          &o, &r), 0);
    ck_assert(r.improved && fabs(r.util - 0.45) < 1e-9);
    stg_state *t = with_answer(st, &r);
    ck_assert_double_le(fabs(stg_state_util(t, m) - 0.7), 1e-9);
    stg_state_free(t);
    stg_exact_result_free(&r);
    o.strict = &m;
    o.nstrict = 1;
    ck_assert_int_eq(stg_exact_solve_with(p, &k, 1, st, 0, 1000000000L, NULL,
                                          &o, &r), 0);
    ck_assert(!r.improved && r.proven);
    stg_exact_result_free(&r);
    state_done(st, p, f, NULL);
}
END_TEST

/* A placement of the exact search that a worse link refuses, repaired
 * (tests/data/plan/repair.yaml; lift.h, stg_lift_repair()): nic's best,
 * b1 away from its background, puts b1 on b2's long sync and wb at
 * 135%; with b2 lifted back (nic held at 50%), wb is at its 95% again
 * and the state is better.  Without the budget for the lift, nothing is
 * taken. */
START_TEST(lift_repair)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/repair.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int nic = stg_fleet_link(f, "nic"), wb = stg_fleet_link(f, "wb");
    ck_assert_double_le(fabs(stg_state_util(st, nic) - 0.9), 1e-9);
    ck_assert_double_le(fabs(stg_state_util(st, wb) - 0.95), 1e-9);
    stg_exact_result r;
    ck_assert_int_eq(stg_exact_solve(p, &nic, 1, st, 0, 1000000000L, NULL,
                                     &r), 0);
    ck_assert(r.improved && fabs(r.util - 0.5) < 1e-9);
    stg_state *t = with_answer(st, &r);
    ck_assert_double_le(fabs(stg_state_util(t, wb) - 1.35), 1e-9);
    ck_assert_int_gt(stg_state_cmp(t, st), 0);
    stg_state_free(t);
    t = stg_state_clone(st);
    ck_assert_int_eq(stg_lift_repair(&t, nic, &r, 0.5, 1, NULL), 0);
    ck_assert_int_eq(stg_state_cmp(t, st), 0);
    ck_assert_int_eq(stg_lift_repair(&t, nic, &r, 0.5, 1000000000L, NULL), 1);
    ck_assert_double_le(fabs(stg_state_util(t, nic) - 0.5), 1e-9);
    ck_assert_double_le(fabs(stg_state_util(t, wb) - 0.95), 1e-9);
    ck_assert_int_lt(stg_state_cmp(t, st), 0);
    stg_state_free(t);
    stg_exact_result_free(&r);
    state_done(st, p, f, text);
}
END_TEST

/* The same hub planned (tests/data/plan/lift-room.yaml): the worst link
 * is the hub at its bound, 0% (a B sync alone fills it), and A's WAN
 * reaches its bound, 70%, only by the lift; the planner before it left
 * the WAN at 40%. */
START_TEST(lift_in_plan)
{
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file("tests/data/plan/lift-room.yaml", 0, &f,
                                 &text);
    int wa = stg_fleet_link(f, "wa"), hub = stg_fleet_link(f, "hub");
    ck_assert_double_le(fabs(sc->eval->headroom[hub]), 1e-9);
    ck_assert_msg(fabs(sc->eval->headroom[wa] - 0.7) < 1e-9,
                  "wa: headroom %.4f, its bound 0.7000",
                  sc->eval->headroom[wa]);
    ck_assert(sc->found.used & STG_FOUND_LIFT);
    verified_free(text, f, sc);
}
END_TEST

/* Six sites whose file servers share one group (tests/data/plan/
 * lift-group.yaml): site0191-wan's own best moves the group, which loads
 * site0188, site0189 and site0193 (all worse) through computers that do
 * not cross site0191-wan.  The lift moves past them (lift.c,
 * stg_lift_worse(): links met through a decision, not only through a
 * computer) and the WAN reaches its bound, 50%, where it stayed at 19%
 * when only links sharing a computer were lifted past; then
 * site0196-wan, whose lift holds site0191-wan through the group
 * (exact.c, lift_links()), reaches its bound as well. */
START_TEST(lift_across_sites)
{
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file("tests/data/plan/lift-group.yaml", 0, &f,
                                 &text);
    int l = stg_fleet_link(f, "site0191-wan");
    ck_assert_msg(fabs(sc->link_bound[l] - 0.5) < 1e-9, "bound %.4f",
                  sc->link_bound[l]);
    ck_assert_msg(sc->eval->headroom[l] > 0.5 - 1e-9,
                  "site0191-wan: headroom %.4f, its bound 0.5000",
                  sc->eval->headroom[l]);
    /* and every site at its bound: site0196-wan, the group's better
     * site, too (the lift of site0196-wan holds site0191-wan, whose
     * computer the group has a job on) */
    for (int k = 0; k < f->nlinks; k++)
        if (strstr(f->links[k].name, "-wan"))
            ck_assert_msg(sc->eval->headroom[k] > sc->link_bound[k] - 1e-9,
                          "%s: headroom %.4f, its bound %.4f",
                          f->links[k].name, sc->eval->headroom[k],
                          sc->link_bound[k]);
    /* from today's settings: the three worse sites, met through the
     * group alone */
    stg_problem *p = stg_problem_new(f, NULL);
    stg_state *st = state_today(p);
    int *with = malloc(sizeof *with * (size_t)f->nlinks);
    int n = stg_lift_worse(st, l, with);
    const char *want[] = { "site0188-wan", "site0189-wan", "site0193-wan" };
    for (int i = 0; i < 3; i++) {
        int w = stg_fleet_link(f, want[i]), found = 0;
        ck_assert(!stg_links_meet(f, w, l));
        for (int k = 0; k < n; k++)
            found |= with[k] == w;
        ck_assert_msg(found, "%s not among the worse links", want[i]);
    }
    free(with);
    stg_state_free(st);
    stg_problem_free(p);
    verified_free(text, f, sc);
}
END_TEST

/* An estate of 20 sites whose file servers of several sites share
 * groups (stagger-genestate --wide-groups): the sites join into one part
 * through region01-hub, loaded by 85 decisions, too many for the lift of
 * phase_lift(); its exact search ends unproven and its repair fails, at
 * 13.8%.  The wide lift (part.c, phase_wide(): the part holds every
 * computer) moves the hub's and its four worse sites' decisions and
 * keeps the placement by its simulated schedule: the hub at the limit. */
START_TEST(wide_lift_in_plan)
{
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file("tests/data/plan/wide-groups.yaml", 0, &f,
                                 &text);
    int hub = stg_fleet_link(f, "region01-hub");
    ck_assert_msg(sc->eval->headroom[hub] > 0.15 - 1e-9,
                  "region01-hub: headroom %.4f, the limit 0.1500",
                  sc->eval->headroom[hub]);
    ck_assert(sc->found.used & STG_FOUND_LIFT);
    /* plan's line on the links at risk short of their bounds
     * (io/write/advice.h) names each such link of the schedule, and the
     * hub, 15.6% against a bound of 18.0% without waits, is one */
    char *line = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&line, &len);
    ck_assert_ptr_nonnull(mem);
    int n = stg_advice_print_short(mem, f, sc, "");
    fclose(mem);
    int want = 0;
    for (int l = 0; l < f->nlinks; l++) {
        double h = round(sc->eval->headroom[l] * 1000) / 10;
        double b = round(sc->link_bound_nowait[l] * 1000) / 10;
        if (h < 50 && b - h > 1 + 1e-9) {
            char name[128];
            snprintf(name, sizeof name, " %s %.1f%% (", f->links[l].name, h);
            ck_assert_msg(want >= 6 || strstr(line, name), "%s: not in %s",
                          f->links[l].name, line);
            want++;
        }
    }
    ck_assert_int_eq(n, want);
    ck_assert_msg(strstr(line, "region01-hub 15.6% (bound 18.0%)"), "%s",
                  line);
    free(line);
    verified_free(text, f, sc);
}
END_TEST

/* The company example: dpm02's max_jobs makes South-Files' 22:00 sync
 * wait a minute, into the minute mun-wan's other two computers send,
 * where the search's model (without waits) has them apart: 25% where
 * every schedule keeps at most 45%, and no move the model sees helps.
 * Moves judged with the waits (part.c, phase_waits()) find the 45%. */
START_TEST(waits_judged)
{
    char *text = NULL;
    stg_fleet *f = NULL;
    stg_schedule *sc = plan_file("examples/company.yaml", 0, &f, &text);
    int mun = stg_fleet_link(f, "mun-wan");
    ck_assert_msg(fabs(sc->link_bound[mun] - 0.45) < 1e-9,
                  "mun-wan: bound %.4f", sc->link_bound[mun]);
    ck_assert_msg(sc->eval->headroom[mun] > 0.45 - 1e-9,
                  "mun-wan: headroom %.4f, its bound 0.4500",
                  sc->eval->headroom[mun]);
    ck_assert(sc->found.used & STG_FOUND_WAITS);
    verified_free(text, f, sc);
}
END_TEST

/* The suite's cases, in the order suite() makes them.  tests/meson.build
 * runs each as a test of its own (CK_RUN_CASE) and names them all in
 * STAGGER_CASES: a case it does not name would never run, and main()
 * fails on one. */
static const char *const case_names[] = { "optimum", "queued", "lift", "lns" };

static Suite *suite(void)
{
    Suite *s = suite_create("plan");
    TCase *tc = tcase_create(case_names[0]);
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, exhaustive_path, 0, 6);
    tcase_add_loop_test(tc, search_path, 0, 12);
    tcase_add_loop_test(tc, deeper_search, 0, 3);
    tcase_add_loop_test(tc, worst_first, 0, 2);
    tcase_add_loop_test(tc, milp_alone, 0, 8);
    tcase_add_loop_test(tc, binding_max_jobs, 0, 12);
    tcase_add_loop_test(tc, bounds_affected, 0, 23);
    tcase_add_test(tc, throttle_round_bounds);
    tcase_add_loop_test(tc, try_is_place, 0, 32);
    tcase_add_loop_test(tc, memo_is_queue, 0, 16);
    tcase_add_loop_test(tc, cmp_above_at_risk, 0, 16);
    tcase_add_loop_test(tc, exact_is_exact, 0, 40);
    tcase_add_loop_test(tc, exact_is_exact_queued, 0, 40);
    tcase_add_test(tc, exact_background);
    tcase_add_test(tc, exact_own_queue);
    tcase_add_loop_test(tc, exact_any_start, 0, 2);
    tcase_add_loop_test(tc, exact_memo_transparent, 0, 2);
    tcase_add_loop_test(tc, exact_help_transparent, 0, 2);
    tcase_add_test(tc, average_counts_busy_slots);
    tcase_add_test(tc, wide_link_proven);
    tcase_add_test(tc, peakcore_three_long);
    tcase_add_test(tc, long_express_full);
    tcase_add_test(tc, long_express_full_after_check);
    tcase_add_test(tc, long_express_full_either_cut);
    suite_add_tcase(s, tc);
    TCase *queued = tcase_create(case_names[1]);
    tcase_set_timeout(queued, 300);
    tcase_add_test(queued, queued_len_exact);
    tcase_add_loop_test(queued, queued_len_holds, 0, 2);
    tcase_add_loop_test(queued, queued_walk_same, 0, 18);
    tcase_add_loop_test(queued, aligned_shift_same, 0, 18);
    suite_add_tcase(s, queued);
    TCase *lift = tcase_create(case_names[2]);
    tcase_set_timeout(lift, 300);
    tcase_add_loop_test(lift, lift_is_exact, 12, 24);
    tcase_add_loop_test(lift, held_is_exact, 12, 24);
    tcase_add_test(lift, lift_makes_room);
    tcase_add_test(lift, lift_budget_pool);
    tcase_add_test(lift, lift_memo);
    tcase_add_test(lift, lift_strict);
    tcase_add_test(lift, lift_repair);
    tcase_add_test(lift, waits_judged);
    tcase_add_test(lift, lift_in_plan);
    tcase_add_test(lift, wide_lift_in_plan);
    tcase_add_test(lift, lift_across_sites);
    suite_add_tcase(s, lift);
    TCase *lns = tcase_create(case_names[3]);
    tcase_set_timeout(lns, 300);
    tcase_add_test(lns, lns_improves);
    suite_add_tcase(s, lns);
    return s;
}

/* Whether name is one of the comma-separated names of list. */
static bool listed(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *at = list;; at++) {
        if (strncmp(at, name, n) == 0 && (at[n] == ',' || at[n] == 0))
            return true;
        if (!(at = strchr(at, ',')))
            return false;
    }
}

int main(void)
{
    const char *cases = getenv("STAGGER_CASES");
    for (size_t i = 0; cases && i < sizeof case_names / sizeof *case_names; i++)
        if (!listed(cases, case_names[i])) {
            fprintf(stderr, "case %s is not among the cases tests/meson.build "
                    "runs (%s)\n", case_names[i], cases);
            return EXIT_FAILURE;
        }
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr), run = srunner_ntests_run(sr);
    srunner_free(sr);
    if (run == 0) {
        fprintf(stderr, "no test ran (CK_RUN_CASE=%s)\n",
                getenv("CK_RUN_CASE") ? getenv("CK_RUN_CASE") : "");
        return EXIT_FAILURE;
    }
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
