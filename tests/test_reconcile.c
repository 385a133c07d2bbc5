/* What-if plans made to agree where a change cannot reach
 * (solver/reconcile.h): two branch sites, the scenario widens the line of
 * one; a plan that did not find the best times for the other site (as a
 * search cut short by its time limit leaves it) is mended from the other
 * plan, and the untouched site ends with the same times in both. */
#include <check.h>
#include <stdlib.h>

#include "fleet_util.h"
#include "model/alloc.h"
#include "model/schedule.h"
#include "solver/planner.h"
#include "solver/reconcile.h"

/* Site a: two groups syncing every 15m on one 20 Mbps line, whose best
 * offsets part them; site b likewise on its own line. */
static const char base_text[] =
    "stagger: 1\nresolution: 5m\nheadroom: 15%\n"
    "links:\n"
    "  - { name: a-wan, capacity: 20Mbps }\n"
    "  - { name: b-wan, capacity: 20Mbps }\n"
    "servers: [ { name: dpm } ]\n"
    "computers:\n"
    "  - { name: a1, server: dpm, path: [a-wan], throttle: 10Mbps }\n"
    "  - { name: a2, server: dpm, path: [a-wan], throttle: 10Mbps }\n"
    "  - { name: b1, server: dpm, path: [b-wan], throttle: 10Mbps }\n"
    "  - { name: b2, server: dpm, path: [b-wan], throttle: 10Mbps }\n"
    "groups:\n"
    "  - { name: A1, sync: { every: 15m, offset: 0m }, sources: [ { name: s, computer: a1, kind: file, size: 100GB, churn: 5GB/day } ] }\n"
    "  - { name: A2, sync: { every: 15m, offset: 0m }, sources: [ { name: s, computer: a2, kind: file, size: 100GB, churn: 5GB/day } ] }\n"
    "  - { name: B1, sync: { every: 15m, offset: 0m }, sources: [ { name: s, computer: b1, kind: file, size: 100GB, churn: 5GB/day } ] }\n"
    "  - { name: B2, sync: { every: 15m, offset: 0m }, sources: [ { name: s, computer: b2, kind: file, size: 100GB, churn: 5GB/day } ] }\n";

/* The scenario: b-wan widened (its groups may keep any times). */
static char *scen_text(void)
{
    const char *from = "b-wan, capacity: 20Mbps";
    const char *at = strstr(base_text, from);
    ck_assert_ptr_nonnull(at);
    size_t n = strlen(base_text);
    char *t = malloc(n + 8);
    ck_assert_ptr_nonnull(t);
    size_t k = (size_t)(at - base_text);
    memcpy(t, base_text, k);
    strcpy(t + k, "b-wan, capacity: 50Mbps");
    strcat(t, at + strlen(from));
    return t;
}

static stg_schedule *plan(const stg_fleet *f)
{
    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.time_limit = 30;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_plan(f, &o, &sc, &cause), 0);
    return sc;
}

/* sc with group g's sync offset set to 0 (today's: both groups of a
 * site at once, the worst), as a plan cut short would leave it. */
static stg_schedule *spoil(const stg_fleet *f, stg_schedule *sc, const char *g)
{
    stg_settings *s = stg_settings_copy(sc->settings);
    ck_assert_ptr_nonnull(s);
    int gi = stg_fleet_group(f, g);
    int other = stg_fleet_group(f, strcmp(g, "A1") == 0 ? "A2" : "A1");
    s->sync_offset[gi] = s->sync_offset[other];
    stg_schedule *worse = stg_schedule_rebuild(f, sc, s);
    ck_assert_ptr_nonnull(worse);
    ck_assert_int_gt(stg_schedule_cmp(worse, sc), 0);
    stg_schedule_free(sc);
    return worse;
}

/* sc with the sync offsets of A1 and A2 swapped: as good, but other
 * times (what a search finds by another path). */
static stg_schedule *swap(const stg_fleet *f, stg_schedule *sc)
{
    stg_settings *s = stg_settings_copy(sc->settings);
    ck_assert_ptr_nonnull(s);
    int a1 = stg_fleet_group(f, "A1"), a2 = stg_fleet_group(f, "A2");
    int t = s->sync_offset[a1];
    s->sync_offset[a1] = s->sync_offset[a2];
    s->sync_offset[a2] = t;
    stg_schedule *other = stg_schedule_rebuild(f, sc, s);
    ck_assert_ptr_nonnull(other);
    ck_assert_int_eq(stg_schedule_cmp(other, sc), 0);
    stg_schedule_free(sc);
    return other;
}

static bool moved(const stg_fleet *fa, const stg_schedule *a,
                  const stg_fleet *fb, const stg_schedule *b, const char *g)
{
    return stg_settings_group_moved(a->settings, stg_fleet_group(fa, g),
                                    b->settings, stg_fleet_group(fb, g));
}

/* which: 0 spoils the baseline's site a, 1 the scenario's, 2 gives the
 * scenario other times there as good as the baseline's. */
static void run(int which)
{
    stg_fleet *base = test_fleet(base_text);
    char *text = scen_text();
    stg_fleet *scen = test_fleet(text);
    free(text);
    stg_schedule *bs = plan(base), *ss = plan(scen);
    double best_a = bs->eval->headroom[stg_fleet_link(base, "a-wan")];
    if (which == 0)
        bs = spoil(base, bs, "A2");
    else if (which == 1)
        ss = spoil(scen, ss, "A2");
    else
        ss = swap(scen, ss);
    ck_assert(moved(base, bs, scen, ss, "A2"));

    const stg_fleet *fleets[1] = { scen };
    stg_schedule *scs[1] = { ss };
    stg_limit lim = { 0, NULL };
    stg_reconcile_res res;
    ck_assert_int_eq(stg_reconcile(base, &bs, fleets, scs, 1, &lim, &res), 0);
    ss = scs[0];
    /* the spoiled plan took the other's times for site a */
    ck_assert_int_ge(which == 0 ? res.base_taken : res.scen_taken, 1);
    ck_assert(!moved(base, bs, scen, ss, "A1"));
    ck_assert(!moved(base, bs, scen, ss, "A2"));
    ck_assert_double_eq_tol(bs->eval->headroom[stg_fleet_link(base, "a-wan")],
                            best_a, 1e-9);
    ck_assert_double_eq_tol(ss->eval->headroom[stg_fleet_link(scen, "a-wan")],
                            best_a, 1e-9);
    /* bounds and their status still hold: achieved never above bound */
    ck_assert(bs->eval->achieved <= bs->bound + 1e-9);
    ck_assert(ss->eval->achieved <= ss->bound + 1e-9);
    ck_assert_ptr_nonnull(bs->method);

    stg_schedule_free(bs);
    stg_schedule_free(ss);
    stg_fleet_free(base);
    stg_fleet_free(scen);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

START_TEST(baseline_takes_better)
{
    run(0);
}
END_TEST

START_TEST(scenario_keeps_baseline)
{
    run(1);
}
END_TEST

START_TEST(equal_times_not_moved)
{
    run(2);
}
END_TEST

/* Groups whose choices differ (here the sync period) are never carried:
 * a 15m offset is no value for a 30m group's, or the reverse. */
START_TEST(other_choices_stay)
{
    stg_fleet *a = test_fleet(base_text);
    char *text = strdup(base_text);
    ck_assert_ptr_nonnull(text);
    char *at = strstr(text, "name: B1, sync: { every: 15m");
    ck_assert_ptr_nonnull(at);
    memcpy(strstr(at, "15m"), "30m", 3);
    stg_fleet *b = test_fleet(text);
    free(text);
    ck_assert(stg_group_same_choices(a, 0, b, 0));
    ck_assert(!stg_group_same_choices(a, stg_fleet_group(a, "B1"), b,
                                      stg_fleet_group(b, "B1")));
    stg_fleet_free(a);
    stg_fleet_free(b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("reconcile");
    TCase *tc = tcase_create("reconcile");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, baseline_takes_better);
    tcase_add_test(tc, scenario_keeps_baseline);
    tcase_add_test(tc, equal_times_not_moved);
    tcase_add_test(tc, other_choices_stay);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
