/* stagger tests: a fleet from YAML text, for tests that need one. */
#ifndef STG_TEST_FLEET_UTIL_H
#define STG_TEST_FLEET_UTIL_H

#include <check.h>
#include <stdio.h>
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

#endif
