/* Replays a fuzz harness (fuzz/HARNESS.c, linked into this program) on
 * every file of tests/data/fuzz-regressions/HARNESS/ (inputs that once
 * crashed, leaked, hung or broke a property, kept after the fix) and of
 * the harness's seed corpus fuzz/corpus/HARNESS/.  Each file is one test:
 * the harness aborts on a broken property, and the sanitizer build
 * (docs/hardening.md) reports memory errors and undefined behaviour.
 * Built once per harness with -DSTG_FUZZ_HARNESS="name". */
#include <check.h>
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"

#ifndef STG_FUZZ_HARNESS
#error "build with -DSTG_FUZZ_HARNESS=\"name\""
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 4096

static char *files[MAX_FILES];
static int nfiles;

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds every regular file of dir (sorted) to files[]. */
static void list_dir(const char *dir)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    int first = nfiles;
    struct dirent *e;
    while ((e = readdir(dh)) && nfiles < MAX_FILES) {
        if (e->d_name[0] == '.')
            continue;
        char *p = stg_asprintf("%s/%s", dir, e->d_name);
        if (p)
            files[nfiles++] = p;
    }
    closedir(dh);
    qsort(files + first, (size_t)(nfiles - first), sizeof *files, by_name);
}

START_TEST(replay)
{
    const char *path = files[_i];
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    size_t cap = 1 << 16, len = 0;
    unsigned char *buf = stg_malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            ck_assert_int_eq(stg_grow((void **)&buf, &cap, cap + 1, 1), 0);
        }
    }
    fclose(fp);
    long live = stg_alloc_live();
    LLVMFuzzerTestOneInput(buf, len);
    ck_assert_msg(stg_alloc_live() == live, "%s: an allocation was not freed",
                  path);
    stg_free(buf);
}
END_TEST

START_TEST(found_inputs)
{
    /* the suite runs something: the seed corpus is never empty */
    ck_assert_int_gt(nfiles, 0);
}
END_TEST

int main(void)
{
    int argc = 1;
    char *args[] = { "test-fuzz-" STG_FUZZ_HARNESS, NULL };
    char **argv = args;
    LLVMFuzzerInitialize(&argc, &argv);
    list_dir("tests/data/fuzz-regressions/" STG_FUZZ_HARNESS);
    list_dir("fuzz/corpus/" STG_FUZZ_HARNESS);

    Suite *s = suite_create("fuzz-" STG_FUZZ_HARNESS);
    TCase *tc = tcase_create("replay");
    tcase_add_test(tc, found_inputs);
    tcase_add_loop_test(tc, replay, 0, nfiles);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    for (int i = 0; i < nfiles; i++)
        stg_free(files[i]);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
