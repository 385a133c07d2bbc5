/* stagger tests: the planner's searches when memory runs out.
 *
 * A search re-simulates computers as it moves decisions; when that runs
 * out of memory it must not go on from stale scores and hand back another
 * schedule as if nothing happened (found by scripts/alloc-sweep on
 * `stagger plan examples/week-cycle.yaml`): it must report out of memory.
 * Each allocation stg_greedy() and stg_local_search() make fails in turn:
 * the result is NULL, or the same placement as without a failure.  And
 * the planner's comparison of two schedules (stg_schedule_cmp) allocates
 * nothing, so it cannot give another answer when memory is short (found
 * by the sweep on `stagger plan examples/company.yaml`). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/read/fleet_read.h"
#include "model/alloc.h"
#include "model/schedule.h"
#include "solver/heuristic.h"
#include "solver/problem.h"
#include "solver/state.h"

static stg_fleet *example(const char *path, char **text)
{
    size_t len;
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_file(path, text, &len, &d);
    ck_assert_ptr_nonnull(f);
    stg_diags_free(&d);
    return f;
}

static int same(const stg_problem *p, const stg_state *a, const stg_state *b)
{
    for (int d = 0; d < p->ndecisions; d++)
        if (stg_state_value(a, d) != stg_state_value(b, d))
            return 0;
    return 1;
}

static const char *const examples[] = {
    "examples/week-cycle.yaml", "examples/branch-office.yaml",
};

START_TEST(greedy_each_allocation)
{
    char *text = NULL;
    stg_fleet *f = example(examples[_i], &text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    long before = stg_alloc_count();
    stg_state *ref = stg_greedy(p, 1, NULL);
    ck_assert_ptr_nonnull(ref);
    long total = stg_alloc_count() - before;
    int nulls = 0;
    for (long k = 1; k <= total; k++) {
        stg_alloc_fail_at(stg_alloc_count() + k);
        stg_state *st = stg_greedy(p, 1, NULL);
        stg_alloc_fail_at(0);
        if (!st) {
            nulls++;
            continue;
        }
        ck_assert_msg(same(p, st, ref), "%s: allocation %ld of %ld failed, "
                      "and greedy gave another placement", examples[_i], k,
                      total);
        stg_state_free(st);
    }
    ck_assert_int_gt(nulls, 0);
    stg_state_free(ref);
    stg_problem_free(p);
    stg_fleet_free(f);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(local_search_each_allocation)
{
    char *text = NULL;
    stg_fleet *f = example(examples[_i], &text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    stg_state *start = stg_state_new(p);
    ck_assert_ptr_nonnull(start);
    for (int d = 0; d < p->ndecisions; d++)
        stg_state_place(start, d, p->dec[d].current);   /* today */
    /* the kicks counted on the links at risk (the planner's way) */
    double *at_risk = malloc(sizeof *at_risk * (size_t)(f->nlinks + 1));
    ck_assert_ptr_nonnull(at_risk);
    for (int l = 0; l < f->nlinks; l++)
        at_risk[l] = 0.5;
    long before = stg_alloc_count();
    stg_state *ref = stg_local_search(start, 1, 4, NULL, at_risk, NULL);
    ck_assert_ptr_nonnull(ref);
    long total = stg_alloc_count() - before;
    for (long k = 1; k <= total; k++) {
        stg_alloc_fail_at(stg_alloc_count() + k);
        stg_state *st = stg_local_search(start, 1, 4, NULL, at_risk, NULL);
        stg_alloc_fail_at(0);
        if (!st)
            continue;
        ck_assert_msg(same(p, st, ref), "%s: allocation %ld of %ld failed, "
                      "and the local search gave another placement",
                      examples[_i], k, total);
        stg_state_free(st);
    }
    stg_state_free(ref);
    stg_state_free(start);
    free(at_risk);
    stg_problem_free(p);
    stg_fleet_free(f);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(compare_allocates_nothing)
{
    char *text = NULL;
    stg_fleet *f = example("examples/company.yaml", &text);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    stg_state *st = stg_greedy(p, 1, NULL);
    ck_assert_ptr_nonnull(st);
    stg_settings *s = stg_settings_copy(p->settings);
    ck_assert_ptr_nonnull(s);
    for (int d = 0; d < p->ndecisions; d++)
        stg_problem_apply(p, d, stg_state_value(st, d), s);
    double *bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    ck_assert_ptr_nonnull(bound);
    stg_schedule *planned = stg_schedule_build(f, s, bound);
    stg_schedule *today = stg_schedule_build(f, stg_settings_copy(p->settings),
                                             bound);
    ck_assert_ptr_nonnull(planned);
    ck_assert_ptr_nonnull(today);
    int r = stg_schedule_cmp(planned, today);
    ck_assert_int_lt(r, 0);
    long before = stg_alloc_count();
    stg_alloc_fail_at(before + 1);
    ck_assert_int_eq(stg_schedule_cmp(planned, today), r);
    ck_assert_int_eq(stg_schedule_cmp(today, planned), -r);
    stg_alloc_fail_at(0);
    ck_assert_int_eq(stg_alloc_count(), before);
    stg_schedule_free(planned);
    stg_schedule_free(today);
    stg_free(bound);
    stg_state_free(st);
    stg_problem_free(p);
    stg_fleet_free(f);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *oom_suite(void)
{
    Suite *s = suite_create("oom");
    TCase *t = tcase_create("searches");
    tcase_add_loop_test(t, greedy_each_allocation, 0, 2);
    tcase_add_loop_test(t, local_search_each_allocation, 0, 2);
    tcase_add_test(t, compare_allocates_nothing);
    tcase_set_timeout(t, 600);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(oom_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
