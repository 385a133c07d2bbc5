/* Tests for io/write/atomic: output written whole or not at all. */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/write/atomic.h"
#include "model/alloc.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/stg-atomic-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_tree(const char *d)
{
    DIR *dh = opendir(d);
    if (!dh)
        return;
    struct dirent *e;
    while ((e = readdir(dh))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char p[512];
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(dh);
    rmdir(d);
}

static void teardown(void)
{
    remove_tree(dir);
}

/* Entries in the test directory (excluding . and ..). */
static int entries(void)
{
    DIR *dh = opendir(dir);
    ck_assert_ptr_nonnull(dh);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dh)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(dh);
    return n;
}

static char *slurp(const char *path)
{
    static char buf[4096];
    FILE *fp = fopen(path, "r");
    if (!fp)
        return NULL;
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void spit(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    ck_assert_ptr_nonnull(fp);
    fputs(text, fp);
    fclose(fp);
}

START_TEST(commit_creates)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/plan.yaml", dir);
    ck_assert_int_eq(stg_out_check_writable(path, &cause), 0);
    ck_assert_ptr_null(cause);
    stg_out *o = stg_out_open(path, &cause);
    ck_assert_ptr_nonnull(o);
    ck_assert_str_eq(stg_out_path(o), path);
    fputs("hello\n", stg_out_file(o));
    /* nothing at the target until the commit */
    ck_assert_ptr_null(slurp(path));
    ck_assert_int_eq(entries(), 1);
    ck_assert_int_eq(stg_out_commit(o, &cause), 0);
    ck_assert_ptr_null(cause);
    ck_assert_str_eq(slurp(path), "hello\n");
    ck_assert_int_eq(entries(), 1);
    struct stat st;
    ck_assert_int_eq(stat(path, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    ck_assert_uint_eq(st.st_mode & 0777, 0644 & ~mask);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(commit_replaces)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/plan.yaml", dir);
    spit(path, "old contents\n");
    stg_out *o = stg_out_open(path, &cause);
    ck_assert_ptr_nonnull(o);
    fputs("new\n", stg_out_file(o));
    ck_assert_str_eq(slurp(path), "old contents\n");
    ck_assert_int_eq(stg_out_commit(o, &cause), 0);
    ck_assert_str_eq(slurp(path), "new\n");
    ck_assert_int_eq(entries(), 1);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(abort_keeps_target)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/plan.yaml", dir);
    spit(path, "old contents\n");
    stg_out *o = stg_out_open(path, &cause);
    ck_assert_ptr_nonnull(o);
    ck_assert_int_eq(entries(), 2);     /* the target and the temporary */
    fputs("half a sched", stg_out_file(o));
    stg_out_abort(o);
    ck_assert_str_eq(slurp(path), "old contents\n");
    ck_assert_int_eq(entries(), 1);
    stg_out_abort(NULL);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(temporary_name)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/out.yaml", dir);
    stg_out *o = stg_out_open(path, &cause);
    ck_assert_ptr_nonnull(o);
    DIR *dh = opendir(dir);
    struct dirent *e;
    int found = 0;
    while ((e = readdir(dh)))
        if (!strncmp(e->d_name, ".out.yaml.tmp.", 14) &&
            strlen(e->d_name) == 20)
            found++;
    closedir(dh);
    ck_assert_int_eq(found, 1);
    stg_out_abort(o);
    ck_assert_int_eq(entries(), 0);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(missing_directory)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/nope/x.yaml", dir);
    ck_assert_int_eq(stg_out_check_writable(path, &cause), -1);
    ck_assert_ptr_nonnull(cause);
    char want[256];
    snprintf(want, sizeof want, "cannot write %s: No such file or directory",
             path);
    ck_assert_str_eq(cause, want);
    stg_free(cause);
    cause = NULL;
    ck_assert_ptr_null(stg_out_open(path, &cause));
    ck_assert_str_eq(cause, want);
    stg_free(cause);
    ck_assert_int_eq(stg_out_check_writable("/nonexistent/x.yaml", &cause), -1);
    ck_assert_str_eq(cause,
                     "cannot write /nonexistent/x.yaml: No such file or directory");
    stg_free(cause);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(target_is_directory)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/sub", dir);
    ck_assert_int_eq(mkdir(path, 0755), 0);
    ck_assert_int_eq(stg_out_check_writable(path, &cause), -1);
    ck_assert_ptr_nonnull(strstr(cause, "Is a directory"));
    stg_free(cause);
    ck_assert_ptr_null(stg_out_open(path, &cause));
    ck_assert_ptr_nonnull(cause);
    stg_free(cause);
    /* a path through a regular file */
    snprintf(path, sizeof path, "%s/file", dir);
    spit(path, "x");
    snprintf(path, sizeof path, "%s/file/x.yaml", dir);
    ck_assert_int_eq(stg_out_check_writable(path, &cause), -1);
    ck_assert_ptr_nonnull(strstr(cause, "Not a directory"));
    stg_free(cause);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(not_regular)
{
    char *cause = NULL;
    ck_assert_int_eq(stg_out_check_writable("/dev/null", &cause), -1);
    ck_assert_ptr_nonnull(cause);
    stg_free(cause);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(read_only_directory)
{
    if (geteuid() == 0)
        return;     /* root writes anywhere */
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/ro", dir);
    ck_assert_int_eq(mkdir(path, 0555), 0);
    snprintf(path, sizeof path, "%s/ro/x.yaml", dir);
    ck_assert_int_eq(stg_out_check_writable(path, &cause), -1);
    ck_assert_ptr_nonnull(strstr(cause, "Permission denied"));
    stg_free(cause);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(relative_path)
{
    char cwd[512], *cause = NULL;
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(dir), 0);
    stg_out *o = stg_out_open("rel.yaml", &cause);
    ck_assert_ptr_nonnull(o);
    fputs("r\n", stg_out_file(o));
    ck_assert_int_eq(stg_out_commit(o, &cause), 0);
    ck_assert_str_eq(slurp("rel.yaml"), "r\n");
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_int_eq(entries(), 1);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(stdout_path)
{
    char *cause = NULL;
    ck_assert_int_eq(stg_out_check_writable("-", &cause), 0);
    stg_out *o = stg_out_open("-", &cause);
    ck_assert_ptr_nonnull(o);
    ck_assert_ptr_eq(stg_out_file(o), stdout);
    ck_assert_int_eq(stg_out_commit(o, &cause), 0);
    o = stg_out_open("-", &cause);
    ck_assert_ptr_nonnull(o);
    stg_out_abort(o);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(out_of_memory)
{
    char path[128], *cause = NULL;
    snprintf(path, sizeof path, "%s/oom.yaml", dir);
    for (long n = 1; n < 20; n++) {
        long base = stg_alloc_count();
        stg_alloc_fail_at(base + n);
        stg_out *o = stg_out_open(path, &cause);
        stg_alloc_fail_at(0);
        if (o) {
            stg_out_abort(o);
        } else {
            stg_free(cause);
            cause = NULL;
        }
        ck_assert_int_eq(entries(), 0);
        ck_assert_int_eq(stg_alloc_live(), 0);
    }
}
END_TEST

static Suite *atomic_suite(void)
{
    Suite *s = suite_create("atomic");
    TCase *tc = tcase_create("files");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, commit_creates);
    tcase_add_test(tc, commit_replaces);
    tcase_add_test(tc, abort_keeps_target);
    tcase_add_test(tc, temporary_name);
    tcase_add_test(tc, missing_directory);
    tcase_add_test(tc, target_is_directory);
    tcase_add_test(tc, not_regular);
    tcase_add_test(tc, read_only_directory);
    tcase_add_test(tc, relative_path);
    tcase_add_test(tc, stdout_path);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(atomic_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
