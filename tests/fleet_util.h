/* stagger tests: a fleet from YAML text, for tests that need one. */
#ifndef STG_TEST_FLEET_UTIL_H
#define STG_TEST_FLEET_UTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"

/* Parses text; fails the test (printing the diagnostics) on any error. */
static inline stg_fleet *test_fleet(const char *text)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, strlen(text), &d);
    if (!f || d.errors)
        stg_report_diags(stderr, "<test>", text, strlen(text), &d);
    stg_diags_free(&d);
    ck_assert_msg(f != NULL, "test fleet does not parse");
    return f;
}

/* The fleet of a file (relative to the source root, the tests' working
 * directory); *text receives the file's text (the caller frees it). */
static inline stg_fleet *test_fleet_file(const char *path, char **text)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    rewind(fp);
    *text = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(*text);
    ck_assert_int_eq(fread(*text, 1, (size_t)n, fp), n);
    (*text)[n] = 0;
    fclose(fp);
    return test_fleet(*text);
}

#endif
