/* Capacity analysis (solver/capacity.c) and fleet copies
 * (model/fleet_copy.c): the answers are checked against planner runs made
 * here, outside the search: planning at the reported minimum capacity
 * meets the limit and planning one resolution step below does not; the
 * same for growth factors; the bound-derived answer equals the searched
 * one; binding messages; copies are deep and nothing leaks. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_util.h"
#include "io/write/capacity_text.h"
#include "model/alloc.h"
#include "model/fleet_copy.h"
#include "solver/capacity.h"
#include "solver/planner.h"

/* Probes and checks plan with the same options (small fleets: the
 * planner enumerates every schedule, far within the limit). */
#define TIME_LIMIT 20

/* One computer's 10Mbps sync over 6Mbps of office traffic: 16Mbps
 * whatever the stagger, so 16 / 85% = 18.8Mbps, 18.9Mbps at the 100Kbps
 * step; the other computer's syncs can be staggered away. */
static const char *ONE_TRANSFER =
    "stagger: 1\nresolution: 5m\nheadroom: 15%\n"
    "links:\n"
    "  - name: wan\n    capacity: 20Mbps\n"
    "    background: [ { from: \"08:00\", to: \"18:00\", rate: 6Mbps } ]\n"
    "  - { name: core, capacity: 1Gbps }\n"
    "servers: [ { name: dpm, path: [core] } ]\n"
    "computers:\n"
    "  - { name: fs01, server: dpm, path: [wan], throttle: 10Mbps }\n"
    "  - { name: app01, server: dpm, path: [wan], throttle: 4Mbps }\n"
    "groups:\n"
    "  - name: Files\n    sync: { every: 15m, offset: 0m }\n"
    "    sources: [ { name: D, computer: fs01, kind: file, size: 1TB, churn: 10GB/day } ]\n"
    "  - name: App\n    sync: { every: 30m, offset: 0m }\n"
    "    sources: [ { name: A, computer: app01, kind: file, size: 100GB, churn: 2GB/day } ]\n";

/* A 20GB express full at 10Mbps takes 5h34m and may move 30m either
 * way: it sends 20:30-01:04 whatever its time, and a 15-minute sync of
 * another computer (8Mbps) cannot avoid it: 18Mbps, 21.2Mbps at least. */
static const char *LONG_FULL =
    "stagger: 1\nresolution: 5m\nheadroom: 15%\n"
    "links:\n"
    "  - { name: wan, capacity: 30Mbps }\n"
    "  - { name: core, capacity: 1Gbps }\n"
    "servers: [ { name: dpm, path: [core] } ]\n"
    "computers:\n"
    "  - { name: sql01, server: dpm, path: [wan], throttle: 10Mbps }\n"
    "  - { name: fs01, server: dpm, path: [wan], throttle: 8Mbps }\n"
    "groups:\n"
    "  - name: SQL\n    sync: { every: 1h, offset: 0m }\n"
    "    express_full: { at: [\"20:00\"], flex: 30m }\n"
    "    sources: [ { name: DB, computer: sql01, kind: sql, size: 500GB, churn: 5GB/day, full_volume: 20GB } ]\n"
    "  - name: Files\n    sync: { every: 15m, offset: 0m }\n"
    "    sources: [ { name: D, computer: fs01, kind: file, size: 1TB, churn: 10GB/day } ]\n";

static uint64_t rng_state;

static int rnd(int n)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng_state >> 33) % (uint64_t)n);
}

/* A small random fleet: one or two WANs behind a core link, three
 * computers (one of them auto when with_auto), three groups syncing every
 * 15m or 30m at a 5m resolution, one with an express full that may move
 * 10m either way: few enough schedules for the planner to try them all. */
static void tiny_fleet(char *buf, size_t size, uint64_t seed, bool with_auto)
{
    rng_state = seed * 2654435761ULL + 11;
    int nwan = rnd(2) + 1;
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
    n += (size_t)snprintf(buf + n, size - n,
        "servers: [ { name: dpm, path: [core] } ]\ncomputers:\n");
    for (int c = 0; c < 3; c++) {
        if (with_auto && c == 2)
            n += (size_t)snprintf(buf + n, size - n,
                "  - { name: c%d, server: dpm, path: [wan%d], throttle: auto }\n",
                c, c % nwan);
        else
            n += (size_t)snprintf(buf + n, size - n,
                "  - { name: c%d, server: dpm, path: [wan%d], throttle: %dMbps }\n",
                c, c % nwan, 5 + rnd(4));
    }
    n += (size_t)snprintf(buf + n, size - n, "groups:\n");
    for (int g = 0; g < 3; g++) {
        int every = rnd(2) ? 15 : 30;
        n += (size_t)snprintf(buf + n, size - n,
            "  - name: g%d\n    sync: { every: %dm, offset: 0m }\n", g, every);
        if (g == 0)
            n += (size_t)snprintf(buf + n, size - n,
                "    express_full: { at: [\"20:00\"], flex: 10m }\n");
        n += (size_t)snprintf(buf + n, size - n,
            "    sources:\n      - { name: s, computer: c%d, kind: %s, size: 500GB, churn: %dGB/day }\n",
            g, g == 0 ? "sql" : "file", 3 + rnd(9));
    }
}

static void opts(stg_capacity_opts *o)
{
    stg_capacity_opts_init(o);
    o->plan.time_limit = TIME_LIMIT;
    o->whole_fleet = true;      /* the checks below plan the whole fleet */
}

/* Plans a copy of f with link l's capacity set to cap (when > 0), or the
 * data grown by g (when > 0: for a link, the fleet its growth probes plan,
 * stg_capacity_focus(); for the fleet, l < 0, the whole fleet grown): 1
 * when link l keeps the limit (l < 0: every rule holds), 0 when not or
 * when the model rejects the copy. */
static int plan_meets(const stg_fleet *f, int l, double cap, double g)
{
    stg_fleet *c = NULL;
    if (g > 0 && l >= 0) {
        char *why = NULL;
        int r = stg_capacity_focus(f, l, g, &c, &why);
        ck_assert_int_ge(r, 0);
        stg_free(why);
        if (r > 0)
            return 0;
    } else {
        c = stg_fleet_copy(f);
        ck_assert_ptr_nonnull(c);
        if (cap > 0)
            c->links[l].capacity = cap;
        if (g > 0)
            stg_fleet_scale_data(c, g);
        stg_diags d;
        stg_diags_init(&d);
        int errors = stg_fleet_finish(c, &d);
        stg_diags_free(&d);
        if (errors) {
            stg_fleet_free(c);
            return 0;
        }
    }
    stg_plan_opts po;
    stg_plan_opts_init(&po);
    po.time_limit = TIME_LIMIT;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(c, &po, &sc, &cause), 0);
    int meets;
    if (l < 0) {
        meets = sc->status != STG_STATUS_VIOLATES;
    } else {
        meets = sc->eval->headroom[l] >= f->headroom - STG_EPS;
        for (int k = 0; k < c->ncomputers; k++)
            if (sc->sim->never_idle[k] &&
                stg_computer_crosses(&c->computers[k], l))
                meets = 0;
    }
    stg_schedule_free(sc);
    stg_fleet_free(c);
    return meets;
}

static stg_capacity *run(const stg_fleet *f, const stg_capacity_opts *o)
{
    stg_capacity *res = NULL;
    char *cause = NULL;
    int rc = stg_capacity_run(f, o, &res, &cause);
    ck_assert_msg(rc == 0, "capacity failed: %s", cause ? cause : "?");
    ck_assert_ptr_nonnull(res);
    return res;
}

/* The done-when: at the reported minimum capacity a plan meets the limit
 * on the link, one resolution step below no plan does; the growth factor
 * fits and the next hundredth does not; both for every link and for the
 * fleet's factor.  Returns how many answers were checked. */
static int check_self_consistent(const char *text, bool growth)
{
    stg_fleet *f = test_fleet(text);
    stg_capacity_opts o;
    opts(&o);
    o.skip_growth = !growth;
    stg_capacity *res = run(f, &o);
    int checked = 0;
    for (int l = 0; l < f->nlinks; l++) {
        const stg_cap_link *lk = &res->links[l];
        ck_assert(lk->analysed);
        ck_assert_msg(lk->method == STG_CAP_BOUND ||
                      lk->method == STG_CAP_SEARCHED,
                      "link %s: no minimum (kind %d)", f->links[l].name,
                      lk->binds ? (int)lk->binds->kind : -1);
        double k = lk->min_capacity / lk->resolution;
        ck_assert_double_eq_tol(k, round(k), 1e-9);     /* a multiple */
        ck_assert_msg(plan_meets(f, l, lk->min_capacity, 0),
                      "link %s: a plan at the minimum %.0f does not meet",
                      f->links[l].name, lk->min_capacity);
        if (lk->min_capacity > lk->resolution)
            ck_assert_msg(!plan_meets(f, l, lk->min_capacity - lk->resolution, 0),
                          "link %s: a plan a step below %.0f meets",
                          f->links[l].name, lk->min_capacity);
        checked++;
        if (!growth || lk->growth_beyond)
            continue;
        ck_assert(!lk->growth_stopped);
        if (!lk->growth_below)
            ck_assert_msg(plan_meets(f, l, 0, lk->growth),
                          "link %s: a plan at growth %.2f does not meet",
                          f->links[l].name, lk->growth);
        ck_assert_msg(!plan_meets(f, l, 0, lk->growth + 0.01),
                      "link %s: a plan at growth %.2f meets",
                      f->links[l].name, lk->growth + 0.01);
        ck_assert_ptr_nonnull(lk->growth_binds);
        checked++;
    }
    if (getenv("STAGGER_TEST_VERBOSE"))
        for (int l = 0; l < f->nlinks; l++)
            fprintf(stderr, "%s: min %.0f (%d) growth %.2f%s%s\n",
                    f->links[l].name, res->links[l].min_capacity,
                    res->links[l].method, res->links[l].growth,
                    res->links[l].growth_beyond ? " beyond" : "",
                    res->links[l].growth_below ? " below" : "");
    if (growth && !res->growth_beyond) {
        ck_assert(res->fleet_growth);
        if (!res->growth_below)
            ck_assert(plan_meets(f, -1, 0, res->growth));
        ck_assert(!plan_meets(f, -1, 0, res->growth + 0.01));
        checked++;
    }
    stg_capacity_free(res);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
    return checked;
}

START_TEST(self_consistent_examples)
{
    ck_assert_int_ge(check_self_consistent(ONE_TRANSFER, true), 4);
    ck_assert_int_ge(check_self_consistent(LONG_FULL, true), 4);
}
END_TEST

START_TEST(self_consistent_random)
{
    char buf[4096];
    tiny_fleet(buf, sizeof buf, (uint64_t)_i + 1, _i % 2 == 1);
    ck_assert_int_ge(check_self_consistent(buf, _i < 2), 2);
}
END_TEST

/* Where the bound is valid (no auto throttle), the answer it gives
 * equals the one bisection over planner runs finds without it. */
static void check_bound_equals_search(const char *text)
{
    stg_fleet *f = test_fleet(text);
    stg_capacity_opts o;
    opts(&o);
    o.skip_growth = true;
    stg_capacity *a = run(f, &o);
    o.no_bound = true;
    stg_capacity *b = run(f, &o);
    int bound = 0;
    for (int l = 0; l < f->nlinks; l++) {
        ck_assert(a->links[l].bound_valid);
        ck_assert(!b->links[l].bound_valid);
        ck_assert_int_eq(b->links[l].method, STG_CAP_SEARCHED);
        bound += a->links[l].method == STG_CAP_BOUND;
        ck_assert_msg(a->links[l].min_capacity == b->links[l].min_capacity,
                      "link %s: bound %.0f, searched %.0f", f->links[l].name,
                      a->links[l].min_capacity, b->links[l].min_capacity);
        /* nothing below the proven end was found to meet */
        ck_assert_double_ge(b->links[l].min_capacity,
                            a->links[l].proven_below - 1e-6);
    }
    ck_assert_int_ge(bound, 1);
    stg_capacity_free(a);
    stg_capacity_free(b);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

START_TEST(bound_equals_search)
{
    check_bound_equals_search(ONE_TRANSFER);
    check_bound_equals_search(LONG_FULL);
    char buf[4096];
    for (uint64_t seed = 1; seed <= 4; seed++) {
        tiny_fleet(buf, sizeof buf, seed * 2, false);
        check_bound_equals_search(buf);
    }
}
END_TEST

START_TEST(binds_one_transfer)
{
    stg_fleet *f = test_fleet(ONE_TRANSFER);
    stg_capacity_opts o;
    opts(&o);
    o.skip_growth = true;
    stg_capacity *res = run(f, &o);
    const stg_cap_link *lk = &res->links[stg_fleet_link(f, "wan")];
    ck_assert_int_eq(lk->method, STG_CAP_BOUND);
    ck_assert_double_eq(lk->resolution, 100e3);
    ck_assert_double_eq_tol(lk->min_capacity, 18.9e6, 1e-3);
    ck_assert_double_eq_tol(lk->proven_below, 16e6 / 0.85, 1);
    /* the reason as data */
    const stg_capwhy *w = lk->binds;
    ck_assert_int_eq(w->kind, STG_CAPWHY_ONE);
    ck_assert_str_eq(w->job.group, "Files");
    ck_assert_str_eq(w->job.computer, "fs01");
    ck_assert_int_eq(w->job.kind, STG_JOB_SYNC);
    ck_assert_double_eq(w->rate, 10e6);
    ck_assert_double_eq(w->bg, 6e6);
    ck_assert_int_eq(w->nbg, 1);
    ck_assert_int_eq(w->bg_from[0], 8 * 3600);
    ck_assert_int_eq(w->bg_to[0], 18 * 3600);
    /* and in words */
    char *text = stg_capwhy_text(w);
    ck_assert_msg(strstr(text, "one transfer alone") &&
                  strstr(text, "group Files from fs01") &&
                  strstr(text, "10Mbps throttle") &&
                  strstr(text, "6Mbps background (08:00-18:00)") &&
                  strstr(text, "no stagger lowers it"),
                  "binds: %s", text);
    stg_free(text);
    stg_capacity_free(res);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(binds_long_full)
{
    stg_fleet *f = test_fleet(LONG_FULL);
    stg_capacity_opts o;
    opts(&o);
    o.skip_growth = true;
    stg_capacity *res = run(f, &o);
    const stg_cap_link *lk = &res->links[stg_fleet_link(f, "wan")];
    ck_assert_int_eq(lk->method, STG_CAP_BOUND);
    ck_assert_double_eq_tol(lk->min_capacity, 21.2e6, 1e-3);
    const stg_capwhy *w = lk->binds;
    ck_assert_int_eq(w->kind, STG_CAPWHY_PINNED);
    ck_assert_int_eq(w->job.kind, STG_JOB_EXPRESS_FULL);
    ck_assert_str_eq(w->job.group, "SQL");
    ck_assert_int_eq(w->flex, 30 * 60);
    ck_assert_int_ge(w->njobs, 1);
    char *text = stg_capwhy_text(w);
    ck_assert_msg(strstr(text, "no stagger fixes it") &&
                  strstr(text, "express full of group SQL from sql01") &&
                  strstr(text, "30m flex") &&
                  strstr(text, "Files (fs01 sync)"),
                  "binds: %s", text);
    ck_assert(!strstr(text, "one transfer alone"));
    stg_free(text);
    stg_capacity_free(res);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* An auto throttle is chosen from the capacity: the bound does not
 * decide, the answer is searched. */
START_TEST(auto_throttle_searched)
{
    char buf[4096];
    tiny_fleet(buf, sizeof buf, 3, true);
    stg_fleet *f = test_fleet(buf);
    stg_capacity_opts o;
    opts(&o);
    o.skip_growth = true;
    stg_capacity *res = run(f, &o);
    int l = stg_fleet_link(f, "core");
    ck_assert(!res->links[l].bound_valid);
    ck_assert_int_eq(res->links[l].method, STG_CAP_SEARCHED);
    /* what is known below: only that a fixed throttle is above it */
    double fixed = 0;
    for (int c = 0; c < f->ncomputers; c++)
        if (f->computers[c].throttle.kind == STG_THROTTLE_RATE &&
            f->computers[c].throttle.rate > fixed)
            fixed = f->computers[c].throttle.rate;
    ck_assert_double_eq(res->links[l].proven_below, fixed);
    ck_assert_double_ge(res->links[l].min_capacity, fixed);
    stg_capacity_free(res);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The part of a fleet a link's probes plan gives the same minimum
 * capacity as the whole fleet (company: two servers whose max_jobs
 * binds, so a link's part is its server's half of the fleet). */
START_TEST(part_equals_whole)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    stg_fleet *f = stg_fleet_read_file("examples/company.yaml", &text, &len, &d);
    ck_assert_ptr_nonnull(f);
    stg_free(text);
    stg_diags_free(&d);
    const char *links[] = { "cph-wan", "osl-wan", "lis-wan" };
    for (size_t i = 0; i < sizeof links / sizeof links[0]; i++) {
        stg_capacity_opts o;
        stg_capacity_opts_init(&o);
        o.plan.time_limit = 5;
        o.skip_growth = true;
        o.link = stg_fleet_link(f, links[i]);
        ck_assert_int_ge(o.link, 0);
        stg_capacity *part = run(f, &o);
        o.whole_fleet = true;
        stg_capacity *whole = run(f, &o);
        const stg_cap_link *a = &part->links[o.link], *b = &whole->links[o.link];
        ck_assert(a->analysed && b->analysed);
        ck_assert_int_eq(a->method, b->method);
        ck_assert_msg(a->min_capacity == b->min_capacity,
                      "%s: part %.0f, whole %.0f", links[i], a->min_capacity,
                      b->min_capacity);
        ck_assert_int_eq(part->nparts, 1);
        for (int l = 0; l < f->nlinks; l++)
            ck_assert(part->links[l].analysed == (l == o.link));
        stg_capacity_free(part);
        stg_capacity_free(whole);
    }
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(months)
{
    ck_assert_int_eq(stg_capacity_months(2.0, false, 0.03), 23);
    ck_assert_int_eq(stg_capacity_months(1.03, false, 0.03), 1);
    ck_assert_int_eq(stg_capacity_months(1.02, false, 0.03), 0);
    ck_assert_int_eq(stg_capacity_months(1.0, false, 0.03), 0);
    ck_assert_int_eq(stg_capacity_months(0.5, false, 0.03), 0);
    ck_assert_int_eq(stg_capacity_months(100, true, 0.03), -1);
    /* 12.68%/year is 1%/month: 1.01^12 = 1.1268 */
    ck_assert_int_eq(stg_capacity_months(1.13, false, pow(1.1268, 1.0 / 12) - 1), 12);
}
END_TEST

START_TEST(resolution)
{
    ck_assert_double_eq(stg_capacity_resolution(20e6), 100e3);
    ck_assert_double_eq(stg_capacity_resolution(10e6), 100e3);
    ck_assert_double_eq(stg_capacity_resolution(50e6), 100e3);
    ck_assert_double_eq(stg_capacity_resolution(100e6), 1e6);
    ck_assert_double_eq(stg_capacity_resolution(1e9), 10e6);
    ck_assert_double_eq(stg_capacity_resolution(1e6), 10e3);
    ck_assert_double_eq(stg_capacity_resolution(50e3), 1e3);
}
END_TEST

/* A copy is deep: the original freed, the copy still finishes, plans and
 * keeps every name; a part keeps what its computers need, renumbered. */
START_TEST(fleet_copy_deep)
{
    stg_fleet *f = test_fleet(LONG_FULL);
    stg_fleet *c = stg_fleet_copy(f);
    ck_assert_ptr_nonnull(c);
    ck_assert_ptr_ne(c->links, f->links);
    ck_assert_ptr_ne(c->groups[0].name, f->groups[0].name);
    stg_fleet_free(f);
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_int_eq(stg_fleet_finish(c, &d), 0);
    stg_diags_free(&d);
    ck_assert_str_eq(c->links[0].name, "wan");
    ck_assert_str_eq(c->computers[1].name, "fs01");
    ck_assert_str_eq(c->sources[0].name, "DB");
    ck_assert_int_eq(c->groups[0].nef, 1);
    ck_assert_int_eq(c->groups[0].ef_at[0], 20 * 3600);
    ck_assert_int_eq(c->computers[0].nfull_path, 2);
    stg_plan_opts po;
    stg_plan_opts_init(&po);
    po.time_limit = TIME_LIMIT;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(c, &po, &sc, &cause), 0);
    ck_assert_double_ge(sc->eval->achieved, 0.15);
    stg_schedule_free(sc);

    /* the part of fs01: its link and its server's, its group only */
    bool keep[2] = { false, true };
    int link_of[2] = { -1, -1 }, computer_of[2] = { -1, -1 },
        group_of[2] = { -1, -1 };
    stg_fleet *p = stg_fleet_subset(c, keep, link_of, computer_of, group_of);
    ck_assert_ptr_nonnull(p);
    ck_assert_int_eq(p->nlinks, 2);
    ck_assert_int_eq(p->ncomputers, 1);
    ck_assert_int_eq(p->ngroups, 1);
    ck_assert_int_eq(p->nsources, 1);
    ck_assert_int_eq(p->nservers, 1);
    ck_assert_str_eq(p->groups[0].name, "Files");
    ck_assert_int_eq(group_of[0], 1);
    ck_assert_int_eq(computer_of[0], 1);
    ck_assert_int_eq(p->sources[0].computer, 0);
    ck_assert_int_eq(p->groups[0].sources[0], 0);
    stg_diags_init(&d);
    ck_assert_int_eq(stg_fleet_finish(p, &d), 0);
    stg_diags_free(&d);

    /* scaling: sizes, churn and overrides */
    stg_fleet_scale_data(c, 2);
    ck_assert_double_eq_tol(c->sources[0].full_volume, 40e9, 1);
    ck_assert_double_eq_tol(c->sources[0].churn, 10e9, 1);
    ck_assert_double_eq_tol(c->sources[1].size, 2e12, 1);
    stg_fleet_free(p);
    stg_fleet_free(c);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Out of memory anywhere in a copy or a part: NULL, nothing leaks. */
START_TEST(fleet_copy_oom)
{
    stg_fleet *f = test_fleet(LONG_FULL);
    bool keep[2] = { true, false };
    for (long n = 1; n < 200; n++) {
        long before = stg_alloc_live();
        stg_alloc_fail_at(stg_alloc_count() + n);
        stg_fleet *c = stg_fleet_copy(f);
        stg_fleet *p = stg_fleet_subset(f, keep, NULL, NULL, NULL);
        stg_alloc_fail_at(0);
        stg_fleet_free(c);
        stg_fleet_free(p);
        ck_assert_int_eq(stg_alloc_live(), before);
    }
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Out of memory anywhere in an analysis: an error (or, where the failed
 * allocation was not needed, an answer), never a crash or a leak. */
START_TEST(capacity_oom)
{
    stg_fleet *f = test_fleet(ONE_TRANSFER);
    stg_capacity_opts o;
    opts(&o);
    long before = stg_alloc_count();
    stg_capacity *res = run(f, &o);
    long total = stg_alloc_count() - before;
    stg_capacity_free(res);
    int failed = 0;
    for (long k = 1; k <= 60; k++) {
        long live = stg_alloc_live();
        stg_alloc_fail_at(stg_alloc_count() + 1 + total * k / 61);
        char *cause = NULL;
        res = NULL;
        int rc = stg_capacity_run(f, &o, &res, &cause);
        stg_alloc_fail_at(0);
        if (rc) {
            ck_assert_ptr_null(res);
            failed++;
        }
        stg_free(cause);
        stg_capacity_free(res);
        ck_assert_int_eq(stg_alloc_live(), live);
    }
    ck_assert_int_ge(failed, 1);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("capacity");
    TCase *tc = tcase_create("capacity");
    tcase_set_timeout(tc, 900);
    tcase_add_test(tc, months);
    tcase_add_test(tc, resolution);
    tcase_add_test(tc, fleet_copy_deep);
    tcase_add_test(tc, fleet_copy_oom);
    tcase_add_test(tc, capacity_oom);
    tcase_add_test(tc, binds_one_transfer);
    tcase_add_test(tc, binds_long_full);
    tcase_add_test(tc, auto_throttle_searched);
    tcase_add_test(tc, bound_equals_search);
    tcase_add_test(tc, self_consistent_examples);
    tcase_add_loop_test(tc, self_consistent_random, 0, 4);
    tcase_add_test(tc, part_equals_whole);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
