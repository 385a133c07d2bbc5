/* stagger: libFuzzer harness for the schedule reader (io/read/schedule_read.h).
 *
 * Each input is read as a schedule file and its diagnostics printed as
 * `stagger check` prints them (to /dev/null).  A schedule that reads is
 * matched against a fleet, as `stagger check FLEET SCHEDULE` does: the
 * fleet whose file name the schedule records (one of the examples and
 * test fleets, loaded once), else the first; settings that match are
 * scored, and the transfers resolved.  Every input must leave no
 * allocation behind.
 *
 * Build and run: scripts/fuzz schedule_read SECONDS (docs/hardening.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/read/schedule_read.h"
#include "model/alloc.h"
#include "solver/planner.h"

#ifndef STG_FUZZ_ROOT
#define STG_FUZZ_ROOT "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fleet_files[] = {
    "tests/data/verify/fleet.yaml",
    "examples/branch-office.yaml",
    "examples/company.yaml",
    "examples/week-cycle.yaml",
    "tests/data/fleet/every-key.yaml",
};
#define NFLEETS (sizeof fleet_files / sizeof fleet_files[0])

static stg_fleet *fleets[NFLEETS];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    for (size_t i = 0; i < NFLEETS; i++) {
        char path[4096];
        char *text = NULL;
        size_t len = 0;
        stg_diags d;
        stg_diags_init(&d);
        snprintf(path, sizeof path, "%s/%s", STG_FUZZ_ROOT, fleet_files[i]);
        fleets[i] = stg_fleet_read_file(path, &text, &len, &d);
        if (!fleets[i]) {
            stg_report_diags(stderr, path, text, len, &d);
            abort();
        }
        stg_free(text);
        stg_diags_free(&d);
    }
    return 0;
}

/* The fleet the schedule says it was planned for. */
static const stg_fleet *fleet_for(const stg_schedule_doc *doc)
{
    const char *file = doc->fleet_file ? doc->fleet_file : "";
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    for (size_t i = 0; i < NFLEETS; i++) {
        const char *fb = strrchr(fleet_files[i], '/') + 1;
        if (!strcmp(base, fb))
            return fleets[i];
    }
    return fleets[0];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = stg_alloc_live();
    char *text = stg_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';

    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_buffer(text, size, &d);
    if (!doc && d.errors == 0 && !d.oom) {
        fprintf(stderr, "fuzz schedule_read: no document and no error\n");
        abort();
    }
    if (doc) {
        const stg_fleet *f = fleet_for(doc);
        stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
        if (s) {
            stg_schedule *sc = NULL;
            char *cause = NULL;
            stg_evaluate(f, s, true, &sc, &cause);   /* takes s over */
            stg_schedule_free(sc);
            stg_free(cause);
        }
        stg_transfer *tr = NULL;
        if (stg_schedule_doc_transfers(doc, f, &tr, &d) >= 0)
            stg_free(tr);
    }
    stg_diags_sort(&d);
    stg_report_diags(devnull, "fuzz.yaml", text, size, &d);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    stg_free(text);
    if (stg_alloc_live() != live) {
        fprintf(stderr, "fuzz schedule_read: an allocation was not freed\n");
        abort();
    }
    return 0;
}
