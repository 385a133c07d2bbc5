/* stagger: libFuzzer harness for the scenarios reader
 * (io/scenario/scenario_read.h) and the scenario applier (io/scenario/scenario_apply.h).
 *
 * Each input is read as a scenarios file and its diagnostics printed as
 * `stagger whatif` prints them (to /dev/null).  Scenarios that read are
 * each applied to the branch-office example (read once as a node tree),
 * as whatif does before planning, and the messages of the result printed
 * too; the same against the scenarios tests' base fleet
 * (tests/data/scenarios/base.yaml), which the scenario seeds from the
 * tests name.  Every input must leave no allocation behind.
 *
 * Build and run: scripts/fuzz scenario_read SECONDS (docs/hardening.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/write/report.h"
#include "io/scenario/scenario_apply.h"
#include "io/scenario/scenario_read.h"
#include "io/read/textfile.h"
#include "io/read/ynode.h"
#include "model/alloc.h"
#include "model/fleet.h"

#ifndef STG_FUZZ_ROOT
#define STG_FUZZ_ROOT "."
#endif

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const base_files[] = {
    STG_FUZZ_ROOT "/examples/branch-office.yaml",
    STG_FUZZ_ROOT "/tests/data/scenarios/base.yaml",
};
#define NBASES (sizeof base_files / sizeof base_files[0])

static stg_ynode *base[NBASES];
static char *base_text[NBASES];
static size_t base_len[NBASES];
static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    for (size_t b = 0; b < NBASES; b++) {
        if (stg_textfile_read(base_files[b], (size_t)16 << 20, &base_text[b],
                              &base_len[b]) != STG_TEXTFILE_OK)
            abort();
        stg_diags d;
        stg_diags_init(&d);
        base[b] = stg_ynode_read(base_text[b], base_len[b], STG_SCEN_FLEET, 16,
                                 NULL, 0, &d);
        if (!base[b])
            abort();
        stg_diags_free(&d);
    }
    return 0;
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
    stg_scenarios *s = stg_scenarios_read_buffer(text, size, &d);
    stg_diags_sort(&d);
    stg_report_diags(devnull, "scenarios.yaml", text, size, &d);
    if (!s && d.errors == 0 && !d.oom) {
        fprintf(stderr, "fuzz scenario_read: no scenarios and no error\n");
        abort();
    }
    for (int i = 0; s && i < s->n * (int)NBASES; i++) {
        size_t b = (size_t)i % NBASES;
        const stg_scenario *sc = &s->items[i / (int)NBASES];
        stg_scen_result r;
        stg_scen_result_init(&r);
        int rc = stg_scenario_apply(base[b], sc, &r);
        if (rc == 0 && !r.fleet) {
            fprintf(stderr, "fuzz scenario_read: applied, but no fleet\n");
            abort();
        }
        stg_diags_sort(&r.diags[STG_SCEN_FLEET]);
        stg_diags_sort(&r.diags[STG_SCEN_FILE]);
        stg_report_diags(devnull, "fleet.yaml", base_text[b], base_len[b],
                         &r.diags[STG_SCEN_FLEET]);
        stg_report_diags(devnull, "scenarios.yaml", text, size,
                         &r.diags[STG_SCEN_FILE]);
        stg_scen_result_free(&r);
    }
    stg_scenarios_free(s);
    stg_diags_free(&d);
    stg_free(text);
    if (stg_alloc_live() != live) {
        fprintf(stderr, "fuzz scenario_read: an allocation was not freed\n");
        abort();
    }
    return 0;
}
