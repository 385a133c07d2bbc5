/* stagger: libFuzzer harness for the DPM export reader
 * (io/read/dpm_read.h).
 *
 * Each input is read as an export (raw bytes: a byte-order mark, UTF-16
 * and JSON's escapes are the reader's to decode) and its diagnostics
 * printed as `stagger import` prints them (to /dev/null).  An input must
 * give an export or at least one error, and leave no allocation behind;
 * an export read must hold what the reader promises (times ascending
 * within a day, offsets below their period, check hours 1 to 24, a
 * finished job's end at or after its start).
 *
 * Build and run: scripts/fuzz dpm_read SECONDS (docs/hardening.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/dpm_read.h"
#include "io/write/report.h"
#include "model/alloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    return 0;
}

static void fail(const char *what)
{
    fprintf(stderr, "fuzz dpm_read: %s\n", what);
    abort();
}

static void check_times(const stg_dpm_times *t)
{
    for (int i = 0; i < t->ntimes; i++)
        if (t->times[i] < 0 || t->times[i] >= 86400 ||
            (i && t->times[i] <= t->times[i - 1]))
            fail("times not ascending within a day");
}

static void check(const stg_dpm_export *e)
{
    for (int g = 0; g < e->ngroups; g++) {
        const stg_dpm_group *gr = &e->groups[g];
        if (!gr->name || (!gr->before_recovery_point &&
                          (gr->offset_min < 0 ||
                           gr->offset_min >= gr->every_min)))
            fail("a group's sync out of range");
        if (gr->has_rp)
            check_times(&gr->rp);
        if (gr->has_ef)
            check_times(&gr->ef);
        if (gr->has_cc && (gr->cc_hours < 1 || gr->cc_hours > 24))
            fail("check hours out of range");
        for (int s = 0; s < gr->nsources; s++)
            if (!gr->sources[s].name || !gr->sources[s].computer)
                fail("a source without a name");
    }
    for (int j = 0; j < e->njobs; j++)
        if (!e->jobs[j].type || !e->jobs[j].status ||
            (e->jobs[j].end >= 0 && e->jobs[j].end < e->jobs[j].start))
            fail("a job out of order");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long live = stg_alloc_live();
    stg_diags d;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer((const char *)data, size, &d);
    if (!e && d.errors == 0 && !d.oom)
        fail("no export and no error");
    if (e)
        check(e);
    stg_report_diags(devnull, "fuzz.json", (const char *)data, size, &d);
    stg_dpm_export_free(e);
    stg_diags_free(&d);
    if (stg_alloc_live() != live)
        fail("an allocation was not freed");
    return 0;
}
