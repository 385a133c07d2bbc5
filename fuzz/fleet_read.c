/* stagger: libFuzzer harness for the fleet reader (io/read/fleet_read.h).
 *
 * Each input is read as a fleet file; its diagnostics are printed the way
 * the command line prints them (to /dev/null), so quoting hostile lines
 * is exercised too.  A fleet that reads without error, and is small
 * enough (at most SCORE_MAX groups and computers: larger ones are what
 * the examples and tests score, and would slow the fuzzer tenfold), is
 * scored with today's settings, written as a schedule and read back with
 * the schedule reader: the round trip must succeed and keep every group,
 * computer and link name byte for byte.  Every input must leave no
 * allocation behind (stg_alloc_live() as before).
 *
 * Build and run: scripts/fuzz fleet_read SECONDS (docs/hardening.md). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/read/schedule_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "solver/planner.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define SCORE_MAX 8

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

static void fail(const char *what, const char *name)
{
    fprintf(stderr, "fuzz fleet_read: %s%s%s\n", what, name ? ": " : "",
            name ? name : "");
    abort();
}

/* Is name one of the doc's names of that kind? */
static int find_group(const stg_schedule_doc *d, const char *name)
{
    for (int i = 0; i < d->ngroups; i++)
        if (!strcmp(d->groups[i].name, name))
            return 1;
    return 0;
}

static int find_computer(const stg_schedule_doc *d, const char *name)
{
    for (int i = 0; i < d->ncomputers; i++)
        if (!strcmp(d->computers[i].name, name))
            return 1;
    return 0;
}

static int find_link(const stg_schedule_doc *d, const char *name)
{
    for (int i = 0; i < d->nlinks; i++)
        if (!strcmp(d->links[i].name, name))
            return 1;
    return 0;
}

/* Writes the schedule of f and reads it back. */
static void round_trip(const stg_fleet *f, const stg_schedule *sc)
{
    char *buf = NULL, *cause = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return;
    int rc = stg_schedule_write(mem, f, "fuzz.yaml",
                                "0000000000000000000000000000000000000000000000000000000000000000",
                                sc, &cause);
    fclose(mem);
    if (rc) {
        /* only running out of memory may stop the writer */
        if (cause && !strstr(cause, "out of memory"))
            fail("the schedule writer failed", cause);
        stg_free(cause);
        free(buf);
        return;
    }
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_buffer(buf, len, &d);
    if (!doc) {
        stg_report_diags(stderr, "written.yaml", buf, len, &d);
        fprintf(stderr, "%s", buf);
        fail("the written schedule does not read back", NULL);
    }
    for (int g = 0; g < f->ngroups; g++)
        if (!find_group(doc, f->groups[g].name))
            fail("a group name did not survive", f->groups[g].name);
    for (int c = 0; c < f->ncomputers; c++)
        if (!find_computer(doc, f->computers[c].name))
            fail("a computer name did not survive", f->computers[c].name);
    for (int l = 0; l < f->nlinks; l++)
        if (!find_link(doc, f->links[l].name))
            fail("a link name did not survive", f->links[l].name);
    stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
    if (!s && !d.oom) {
        stg_report_diags(stderr, "written.yaml", buf, len, &d);
        fail("the written schedule does not match its fleet", NULL);
    }
    stg_settings_free(s);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    free(buf);
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
    stg_fleet *f = stg_fleet_read_buffer(text, size, &d);
    stg_diags_sort(&d);
    stg_report_diags(devnull, "fuzz.yaml", text, size, &d);
    if (!f && d.errors == 0 && !d.oom)
        fail("no fleet and no error", NULL);
    if (f && f->ngroups <= SCORE_MAX && f->ncomputers <= SCORE_MAX) {
        stg_schedule *sc = NULL;
        char *cause = NULL;
        if (stg_evaluate(f, NULL, true, &sc, &cause) == 0)
            round_trip(f, sc);
        stg_schedule_free(sc);
        stg_free(cause);
    }
    stg_fleet_free(f);
    stg_diags_free(&d);
    stg_free(text);
    if (stg_alloc_live() != live)
        fail("an allocation was not freed", NULL);
    return 0;
}
