/* How the planner splits a fleet into parts (solver/parts.h), and that a
 * fleet planned in parts plans the same on any number of threads. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_util.h"
#include "io/read/fleet_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "solver/parts.h"
#include "solver/planner.h"
#include "solver/polish.h"
#include "solver/problem.h"

/* Two sites of one computer each: their WANs (wan_a, wan_b), a hub
 * both cross (hub), a core behind it; each computer syncs one group.
 * The hub's capacity and the throttles, volumes and max_jobs vary. */
static stg_fleet *two_sites(const char *hub, const char *thr, const char *churn,
                            const char *max_jobs, const char *extra_group)
{
    static char text[4096];
    snprintf(text, sizeof text,
        "stagger: 1\n"
        "links:\n"
        "  - { name: wan_a, capacity: 20Mbps }\n"
        "  - { name: wan_b, capacity: 20Mbps }\n"
        "  - { name: hub, capacity: %s }\n"
        "  - { name: core, capacity: 10Gbps }\n"
        "servers: [ { name: dpm, path: [core]%s } ]\n"
        "computers:\n"
        "  - { name: a, server: dpm, path: [wan_a, hub], throttle: %s }\n"
        "  - { name: b, server: dpm, path: [wan_b, hub], throttle: %s }\n"
        "groups:\n"
        "  - name: ga\n    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: s, computer: a, kind: file, size: 1TB, churn: %s } ]\n"
        "  - name: gb\n    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: s, computer: b, kind: file, size: 1TB, churn: %s } ]\n"
        "%s",
        hub, max_jobs, thr, thr, churn, churn, extra_group);
    return test_fleet(text);
}

static stg_parts *split(const stg_fleet *f, const bool *force,
                        const bool *force_server)
{
    stg_settings *s = stg_settings_today(f);
    ck_assert_ptr_nonnull(s);
    stg_settings_recommend_throttles(f, s);
    stg_parts *pt = stg_parts_split(f, s, force, force_server);
    ck_assert_ptr_nonnull(pt);
    stg_settings_free(s);
    return pt;
}

/* Each site's WAN is the narrowest link of its computer: own links; the
 * hub, wide and lightly used, is shared: two parts. */
START_TEST(sites_apart)
{
    stg_fleet *f = two_sites("1Gbps", "10Mbps", "1%/day", "", "");
    stg_parts *pt = split(f, NULL, NULL);
    ck_assert_int_eq(pt->nparts, 2);
    ck_assert_int_ne(pt->part_of_computer[0], pt->part_of_computer[1]);
    ck_assert_int_ge(pt->part_of_link[stg_fleet_link(f, "wan_a")], 0);
    ck_assert_int_eq(pt->part_of_link[stg_fleet_link(f, "hub")], -1);
    ck_assert_int_eq(pt->part_of_link[stg_fleet_link(f, "core")], -1);
    /* 10 + 10 of 1Gbps at once: 98% headroom at worst, cannot bind */
    ck_assert(!pt->link_binds[stg_fleet_link(f, "hub")]);
    ck_assert_double_eq_tol(pt->link_worst[stg_fleet_link(f, "hub")], 0.98, 1e-9);
    stg_parts_free(pt);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A hub narrower than a site's WAN is that site's narrowest link: it
 * joins everything behind it. */
START_TEST(narrow_hub_joins)
{
    stg_fleet *f = two_sites("15Mbps", "10Mbps", "1%/day", "", "");
    stg_parts *pt = split(f, NULL, NULL);
    ck_assert_int_eq(pt->nparts, 1);
    ck_assert_int_eq(pt->part_of_link[stg_fleet_link(f, "hub")], 0);
    ck_assert(pt->joined[0] & STG_JOIN_LINK);
    stg_parts_free(pt);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A wide hub that can bind (18 + 18 of 30Mbps at once) joins only when
 * it is busy: its mean load at least half of what the limit allows. */
START_TEST(busy_wide_hub_joins)
{
    stg_fleet *f = two_sites("30Mbps", "18Mbps", "1%/day", "", "");
    stg_parts *pt = split(f, NULL, NULL);
    int hub = stg_fleet_link(f, "hub");
    ck_assert(pt->link_binds[hub]);
    ck_assert(pt->link_behind[hub]);
    ck_assert_double_lt(pt->link_mean[hub], (1 - f->headroom) / 2);
    ck_assert_int_eq(pt->nparts, 2);
    stg_parts_free(pt);
    stg_fleet_free(f);
    /* 60GB a day each at 18Mbps x 80%: a third of the time busy, 13.9Mbps
     * on average together: over half of the 25.5Mbps the limit allows */
    f = two_sites("30Mbps", "18Mbps", "60GB/day", "", "");
    pt = split(f, NULL, NULL);
    ck_assert_double_ge(pt->link_mean[hub], (1 - f->headroom) / 2);
    ck_assert_int_eq(pt->nparts, 1);
    stg_parts_free(pt);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* n sites of one computer each (its own 20Mbps WAN, 18Mbps throttle,
 * 60GB a day: busy a third of the time), all behind one core of 15Mbps
 * per site: with every computer at once 120% of it (it binds), and its
 * mean load 46% of it, over half of what the limit allows (busy). */
static stg_fleet *sites_behind_core(int n)
{
    size_t size = 256 + (size_t)n * 320, k = 0;
    char *text = malloc(size);
    ck_assert_ptr_nonnull(text);
    k += (size_t)snprintf(text + k, size - k,
        "stagger: 1\nlinks:\n  - { name: core, capacity: %dMbps }\n", 15 * n);
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, size - k,
            "  - { name: w%d, capacity: 20Mbps }\n", i);
    k += (size_t)snprintf(text + k, size - k,
        "servers: [ { name: dpm, path: [core] } ]\ncomputers:\n");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, size - k,
            "  - { name: c%d, server: dpm, path: [w%d], throttle: 18Mbps }\n", i, i);
    k += (size_t)snprintf(text + k, size - k, "groups:\n");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, size - k,
            "  - { name: g%d, sync: { every: 1h, offset: 0m }, sources: "
            "[ { name: s, computer: c%d, kind: file, size: 1TB, churn: 60GB/day } ] }\n",
            i, i);
    ck_assert_uint_lt(k, size);
    stg_fleet *f = test_fleet(text);
    free(text);
    return f;
}

/* A core that binds and is busy joins the sites behind it while few
 * computers cross it; crossed by more than STG_JOIN_MAX (and more than a
 * quarter of the fleet's), it is crowded: the sites stay apart, each
 * its own part, and the core is shared (one part of them all would take
 * minutes to prepare). */
START_TEST(crowded_core_stays_shared)
{
    stg_fleet *f = sites_behind_core(4);
    stg_parts *pt = split(f, NULL, NULL);
    int core = stg_fleet_link(f, "core");
    ck_assert(pt->link_binds[core] && pt->link_behind[core]);
    ck_assert_double_ge(pt->link_mean[core], (1 - f->headroom) / 2);
    ck_assert(!pt->link_crowded[core]);
    ck_assert_int_eq(pt->link_computers[core], 4);
    ck_assert_int_eq(pt->nparts, 1);
    stg_parts_free(pt);
    stg_fleet_free(f);

    f = sites_behind_core(STG_JOIN_MAX + 1);
    pt = split(f, NULL, NULL);
    core = stg_fleet_link(f, "core");
    ck_assert(pt->link_binds[core] && pt->link_behind[core]);
    ck_assert_double_ge(pt->link_mean[core], (1 - f->headroom) / 2);
    ck_assert(pt->link_crowded[core]);
    ck_assert(!pt->link_joins[core]);
    ck_assert_int_eq(pt->nparts, STG_JOIN_MAX + 1);
    ck_assert_int_eq(pt->part_of_link[core], -1);
    /* forced (the planner never forces a crowded link), it joins */
    bool *force = calloc((size_t)f->nlinks, sizeof *force);
    ck_assert_ptr_nonnull(force);
    force[core] = true;
    stg_parts *forced = split(f, force, NULL);
    ck_assert_int_eq(forced->nparts, 1);
    stg_parts_free(forced);
    free(force);
    stg_parts_free(pt);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A group with sources on both computers: one decision moves both. */
START_TEST(group_joins)
{
    stg_fleet *f = two_sites("1Gbps", "10Mbps", "1%/day", "",
        "  - name: both\n    sync: { every: 1h, offset: 0m }\n"
        "    sources:\n"
        "      - { name: x, computer: a, kind: file, size: 10GB, churn: 1%/day }\n"
        "      - { name: y, computer: b, kind: file, size: 10GB, churn: 1%/day }\n");
    stg_parts *pt = split(f, NULL, NULL);
    ck_assert_int_eq(pt->nparts, 1);
    ck_assert(pt->joined[0] & STG_JOIN_GROUP);
    stg_parts_free(pt);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* max_jobs caps the worst case: with one place, at most one 18Mbps
 * computer sends, 40% of the 30Mbps hub: it cannot bind.  A server whose
 * max_jobs is below its computers is marked, and joins only when
 * forced (the planner forces it when its computers waited). */
START_TEST(max_jobs_and_forcing)
{
    stg_fleet *f = two_sites("30Mbps", "18Mbps", "50GB/day", ", max_jobs: 1", "");
    stg_parts *pt = split(f, NULL, NULL);
    int hub = stg_fleet_link(f, "hub");
    ck_assert_double_eq_tol(pt->link_worst[hub], 0.4, 1e-9);
    ck_assert(!pt->link_binds[hub]);
    ck_assert(pt->server_waits[0]);
    ck_assert_int_eq(pt->nparts, 2);
    stg_parts_free(pt);
    bool force_server[1] = { true };
    pt = split(f, NULL, force_server);
    ck_assert_int_eq(pt->nparts, 1);
    ck_assert(pt->joined[0] & STG_JOIN_SERVER);
    ck_assert(pt->forced_server[0]);
    stg_parts_free(pt);
    bool *force = stg_calloc((size_t)f->nlinks, sizeof *force);
    force[stg_fleet_link(f, "core")] = true;
    pt = split(f, force, NULL);
    ck_assert_int_eq(pt->nparts, 1);
    ck_assert(pt->forced[stg_fleet_link(f, "core")]);
    stg_parts_free(pt);
    stg_free(force);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A schedule file's text without its measured solve time. */
static char *schedule_text(const stg_fleet *f, const stg_schedule *sc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    char *cause = NULL;
    ck_assert_int_eq(stg_schedule_write(out, f, "estate12.yaml", "0", sc, &cause), 0);
    fclose(out);
    char *solve = strstr(buf, "\nsolve: ");
    ck_assert_ptr_nonnull(solve);
    char *end = strchr(solve + 1, '\n');
    memmove(solve, end, strlen(end) + 1);
    return buf;
}

/* Parts planned side by side give the same plan on 1, 2 or 4 threads
 * (tests/data/plan/estate12.yaml: parts, a hub, a server with max_jobs
 * below its computers, sites that cannot keep the limit; two-proofs.yaml
 * with an exact-search budget that sends both parts to the planner's
 * deeper pass, docs/model.md). */
START_TEST(same_plan_any_threads)
{
    static const struct {
        const char *path;
        long exact_budget;
    } cases[] = {
        { "tests/data/plan/estate12.yaml", 0 },
        { "tests/data/plan/two-proofs.yaml", 2000000L },
    };
    char *text = NULL;
    stg_fleet *f = test_fleet_file(cases[_i].path, &text);
    char *first = NULL;
    int threads[] = { 1, 2, 4 };
    for (int i = 0; i < 3; i++) {
        stg_plan_opts o;
        stg_plan_opts_init(&o);
        o.time_limit = 0;       /* no limit: the result is the work's */
        o.threads = threads[i];
        o.exact_budget = cases[_i].exact_budget;
        stg_schedule *sc = NULL;
        stg_parts *parts = NULL;
        char *cause = NULL;
        o.parts = &parts;
        ck_assert_int_eq(stg_plan(f, &o, &sc, &cause), 0);
        ck_assert_int_gt(parts->nparts, 1);
        ck_assert_int_gt(sc->found.parts, 1);
        char *text_i = schedule_text(f, sc);
        if (!first)
            first = text_i;
        else {
            ck_assert_msg(strcmp(first, text_i) == 0,
                          "%d threads plan differently from 1", threads[i]);
            free(text_i);
        }
        stg_parts_free(parts);
        stg_schedule_free(sc);
    }
    free(first);
    free(text);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Two sites whose express fulls (one slot each) meet on the core at
 * 20:00 (40Mbps each on a 100Mbps core: 20% headroom); bg: background
 * on each site's WAN (or nothing). */
static stg_fleet *two_fulls(const char *bg)
{
    static char text[4096];
    snprintf(text, sizeof text,
        "stagger: 1\nresolution: 5m\n"
        "links:\n"
        "  - { name: wan_a, capacity: 100Mbps%s }\n"
        "  - { name: wan_b, capacity: 100Mbps%s }\n"
        "  - { name: core, capacity: 100Mbps }\n"
        "servers: [ { name: dpm } ]\n"
        "computers:\n"
        "  - { name: a, server: dpm, path: [wan_a, core], throttle: 40Mbps }\n"
        "  - { name: b, server: dpm, path: [wan_b, core], throttle: 40Mbps }\n"
        "groups:\n"
        "  - name: ga\n    sync: { every: 24h, offset: 0m }\n"
        "    express_full: { at: [\"20:00\"], flex: 1h }\n"
        "    sources: [ { name: s, computer: a, kind: sql, size: 1TB, churn: 1GB/day } ]\n"
        "  - name: gb\n    sync: { every: 24h, offset: 0m }\n"
        "    express_full: { at: [\"20:00\"], flex: 1h }\n"
        "    sources: [ { name: s, computer: b, kind: sql, size: 1TB, churn: 1GB/day } ]\n",
        bg, bg);
    return test_fleet(text);
}

/* The polish of a shared link (solver/polish.h) from today's settings:
 * the moves made, the core's utilization after, the sites' highest. */
static int polish_core(stg_fleet *f, double *core, double *site)
{
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    stg_state *st = stg_state_placed(p, p->settings);
    ck_assert_ptr_nonnull(st);
    int l = stg_fleet_link(f, "core");
    ck_assert_double_eq_tol(stg_state_util(st, l), 0.8, 1e-9);
    int moves = stg_polish(st, &l, 1, 4, NULL);
    *core = stg_state_util(st, l);
    double a = stg_state_util(st, stg_fleet_link(f, "wan_a"));
    double b = stg_state_util(st, stg_fleet_link(f, "wan_b"));
    *site = a > b ? a : b;
    stg_state_free(st);
    stg_problem_free(p);
    return moves;
}

/* The two express fulls part on the core: one moves. */
START_TEST(polish_parts_fulls)
{
    stg_fleet *f = two_fulls("");
    double core, site;
    ck_assert_int_gt(polish_core(f, &core, &site), 0);
    ck_assert_double_eq_tol(core, 0.4, 1e-9);
    ck_assert_double_le(site, 0.4 + 1e-9);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Office traffic on both sites' WANs around 20:00: moving an express
 * full would put its site at 70%, into risk, so the core keeps its 80%
 * (the syncs, which meet at 00:00 too, may part: fewer slots at the
 * peak). */
START_TEST(polish_keeps_sites_out_of_risk)
{
    stg_fleet *f = two_fulls(", background: [ "
                             "{ from: \"18:00\", to: \"20:00\", rate: 30Mbps }, "
                             "{ from: \"20:05\", to: \"22:00\", rate: 30Mbps } ]");
    double core, site;
    ck_assert_int_le(polish_core(f, &core, &site), 1);
    ck_assert_double_eq_tol(core, 0.8, 1e-9);
    ck_assert_double_eq_tol(site, 0.4, 1e-9);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("parts");
    TCase *rule = tcase_create("rule");
    tcase_add_test(rule, sites_apart);
    tcase_add_test(rule, narrow_hub_joins);
    tcase_add_test(rule, busy_wide_hub_joins);
    tcase_add_test(rule, crowded_core_stays_shared);
    tcase_add_test(rule, group_joins);
    tcase_add_test(rule, max_jobs_and_forcing);
    suite_add_tcase(s, rule);
    TCase *threads = tcase_create("threads");
    tcase_set_timeout(threads, 300);
    tcase_add_loop_test(threads, same_plan_any_threads, 0, 2);
    suite_add_tcase(s, threads);
    TCase *polish = tcase_create("polish");
    tcase_add_test(polish, polish_parts_fulls);
    tcase_add_test(polish, polish_keeps_sites_out_of_risk);
    suite_add_tcase(s, polish);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
