/* stagger tests: GLPK failures (solver/glpk_guard.h, solver/milp.h).
 *
 * A GLPK failure must never print to the terminal or end the process: it
 * comes back to the caller as an error that says what GLPK was doing and
 * what it said, and GLPK works again afterwards.  Two real failures are
 * forced: a call with an invalid parameter (glp_add_cols with -1
 * columns), and GLPK running out of the memory it is allowed
 * (glp_mem_limit) while the planner's MILP is built. */
#include <check.h>
#include <fcntl.h>
#include <glpk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fleet_util.h"
#include "model/alloc.h"
#include "solver/glpk_guard.h"
#include "solver/heuristic.h"
#include "solver/milp.h"
#include "solver/problem.h"

/* Standard output and error go to a file while a test runs GLPK, so
 * that anything GLPK prints is seen. */
static char capture_path[64];
static int saved_out = -1, saved_err = -1;

static void capture(void)
{
    strcpy(capture_path, "/tmp/stg-glpk-XXXXXX");
    int fd = mkstemp(capture_path);
    ck_assert_int_ge(fd, 0);
    fflush(stdout);
    fflush(stderr);
    saved_out = dup(1);
    saved_err = dup(2);
    dup2(fd, 1);
    dup2(fd, 2);
    close(fd);
}

/* Restores the terminal; returns how many bytes were printed. */
static long release(void)
{
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    struct stat st;
    ck_assert_int_eq(stat(capture_path, &st), 0);
    unlink(capture_path);
    return (long)st.st_size;
}

START_TEST(invalid_parameter)
{
    stg_glpk_guard g;
    glp_prob *volatile lp = NULL;
    volatile int failed = 0;
    capture();
    if (stg_glpk_enter(&g)) {
        stg_glpk_recover();
        failed = 1;
    } else {
        lp = glp_create_prob();
        glp_add_cols(lp, -1);           /* GLPK: invalid number of columns */
        glp_delete_prob(lp);
    }
    stg_glpk_leave(&g);
    long printed = release();
    ck_assert_int_eq(failed, 1);
    ck_assert_int_eq(printed, 0);
    ck_assert_msg(strstr(stg_glpk_last_message(), "glp_add_cols") != NULL,
                  "GLPK's message: \"%s\"", stg_glpk_last_message());

    /* GLPK works again */
    if (stg_glpk_enter(&g))
        ck_abort_msg("GLPK failed after recovering");
    lp = glp_create_prob();
    ck_assert_int_eq(glp_add_cols(lp, 2), 1);
    glp_delete_prob(lp);
    stg_glpk_leave(&g);
}
END_TEST

START_TEST(every_code_named)
{
    for (int code = 1; code <= 0x13; code++)
        ck_assert_str_ne(stg_glpk_strerror(code), "unknown GLPK error");
    ck_assert_str_eq(stg_glpk_strerror(0x7f), "unknown GLPK error");
}
END_TEST

START_TEST(milp_out_of_memory)
{
    char *text = NULL;
    size_t len = 0;
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_file("examples/branch-office.yaml", &text,
                                       &len, &d);
    ck_assert_ptr_nonnull(f);
    stg_problem *p = stg_problem_new(f, NULL);
    ck_assert_ptr_nonnull(p);
    ck_assert(stg_milp_fits(p, 1L << 30));
    stg_state *st = stg_greedy(p, 1, NULL);
    ck_assert_ptr_nonnull(st);

    stg_limit lim = { stg_now() + 60, NULL };
    stg_milp_result r;
    char *cause = NULL;
    capture();
    glp_mem_limit(1);                   /* 1 MB: the model needs more */
    int rc = stg_milp_solve(p, st, &lim, &r, &cause);
    long printed = release();
    ck_assert_int_eq(rc, -1);
    ck_assert_int_eq(printed, 0);
    ck_assert_ptr_nonnull(cause);
    if (getenv("STAGGER_TEST_VERBOSE"))
        fprintf(stderr, "%s\n", cause);
    ck_assert_msg(strstr(cause, "the MILP solver (GLPK ") == cause &&
                  strstr(cause, "failed while building the model: ") &&
                  strstr(cause, "memory"), "cause: \"%s\"", cause);
    stg_free(cause);
    cause = NULL;
    stg_milp_result_free(&r);

    /* the limit went with GLPK's environment: the same model is built
     * and solved (for a second: only that GLPK runs matters here) */
    lim.deadline = stg_now() + 1;
    capture();
    rc = stg_milp_solve(p, st, &lim, &r, &cause);
    printed = release();
    ck_assert_msg(rc == 0, "cause: %s", cause ? cause : "");
    ck_assert_int_eq(printed, 0);
    stg_milp_result_free(&r);

    stg_state_free(st);
    stg_problem_free(p);
    stg_fleet_free(f);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *glpk_suite(void)
{
    Suite *s = suite_create("glpk");
    TCase *t = tcase_create("failures");
    tcase_add_test(t, invalid_parameter);
    tcase_add_test(t, every_code_named);
    tcase_add_test(t, milp_out_of_memory);
    tcase_set_timeout(t, 300);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(glpk_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
