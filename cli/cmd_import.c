/* stagger import EXPORT... [--sites SITES] [-o FLEET]
 *
 * Reads the DPM exports (one per DPM server) and the sites file, maps
 * them onto a fleet (model/import.h), puts it in words with its comments
 * (io/write/import_write.h), reads that text back with the fleet reader,
 * and writes it whole or not at all: what the fleet reader says of it
 * is printed against the written file.  Exit status: 0 written, 1 written but the
 * fleet breaks a rule of fleet.md (fix it, or the sites file), 2 an
 * input is wrong (nothing written), 3 internal failure. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/read/dpm_read.h"
#include "io/read/fleet_read.h"
#include "io/read/sites_read.h"
#include "io/write/atomic.h"
#include "io/write/import_write.h"
#include "io/write/report.h"
#include "model/alloc.h"
#include "model/import.h"

/* Prints the diagnostics of d about file id `file` (d sorted by file). */
static void report_file(const stg_diags *d, int file, const char *name,
                        const char *text, size_t len)
{
    stg_diags view = *d;
    size_t i = 0;
    while (i < d->count && d->items[i].loc.file < file)
        i++;
    view.items = d->items + i;
    view.count = 0;
    while (i + view.count < d->count &&
           d->items[i + view.count].loc.file == file)
        view.count++;
    view.dropped = 0;
    view.truncated = 0;
    stg_report_diags(stderr, name, text, len, &view);
}

/* Lines of the notes that start "check:". */
static int checks(const char *note)
{
    int n = 0;
    for (const char *p = note; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1
                                                            : "")
        n += !strncmp(p, "check:", 6);
    return n;
}

static void summary(const stg_import *im, const stg_dpm_export *const *ex,
                    const char *const *names, int nex, const char *output,
                    const stg_fleet *f)
{
    for (int i = 0; i < nex; i++) {
        const stg_dpm_export *e = ex[i];
        int nsources = 0;
        long long first = e->collected;
        for (int g = 0; g < e->ngroups; g++)
            nsources += e->groups[g].nsources;
        for (int j = 0; j < e->njobs; j++)
            if (e->jobs[j].start < first)
                first = e->jobs[j].start;
        fprintf(stderr, "%s: %s, %d group%s, %d data source%s, %d job%s",
                names[i], e->server, e->ngroups, e->ngroups == 1 ? "" : "s",
                nsources, nsources == 1 ? "" : "s", e->njobs,
                e->njobs == 1 ? "" : "s");
        if (e->njobs)
            fprintf(stderr, " over %.1f days", (double)(e->collected - first)
                    / 86400.0);
        fputc('\n', stderr);
    }
    if (f)
        fprintf(stderr, "%s: %d link%s, %d server%s, %d computer%s, %d "
                "group%s, %d source%s\n", output, f->nlinks,
                f->nlinks == 1 ? "" : "s", f->nservers,
                f->nservers == 1 ? "" : "s", f->ncomputers,
                f->ncomputers == 1 ? "" : "s", f->ngroups,
                f->ngroups == 1 ? "" : "s", f->nsources,
                f->nsources == 1 ? "" : "s");
    fprintf(stderr, "  churn: %d from the job history, %d from the sites "
            "file, %d assumed (2%%/day)\n", im->churn_history,
            im->churn_sites, im->churn_default);
    fprintf(stderr, "  throttles: %d as set in DPM%s, %d off in DPM (auto), "
            "%d not in the export (auto)\n", im->throttle_set,
            im->throttle_capped ? " (some capped at their link)" : "",
            im->throttle_off, im->throttle_unknown);
    int n = 0;
    for (int i = 0; i < im->ncomputers; i++)
        n += checks(im->computers[i].note);
    for (int i = 0; i < im->ngroups; i++)
        n += checks(im->groups[i].note);
    for (int i = 0; i < im->nsources; i++)
        n += checks(im->sources[i].note);
    if (n)
        fprintf(stderr, "  %d value%s to check: the comments that start "
                "\"check:\" in %s\n", n, n == 1 ? "" : "s", output);
}

int stg_cmd_import(const stg_args *a)
{
    const char *output = stg_args_text(a, "output", "-");
    const char *sites_path = stg_args_text(a, "sites", NULL);
    const char *shown = strcmp(output, "-") ? output : "standard output";
    int nex = a->noperands, status = STG_EXIT_OK;
    stg_dpm_export **ex = NULL;
    char **texts = NULL, *sites_text = NULL, *fleet_text = NULL;
    char *cause = NULL;
    size_t *lens = NULL, sites_len = 0, fleet_len = 0;
    stg_sites *sites = NULL;
    stg_import *im = NULL;
    stg_fleet *f = NULL;
    stg_out *out = NULL;
    FILE *mem = NULL;
    stg_diags d, fd;
    stg_diags_init(&d);
    stg_diags_init(&fd);
    if (stg_cli_check_output("import", output))
        return STG_EXIT_INPUT;
    ex = stg_calloc((size_t)nex, sizeof *ex);
    texts = stg_calloc((size_t)nex, sizeof *texts);
    lens = stg_calloc((size_t)nex, sizeof *lens);
    if (!ex || !texts || !lens)
        goto oom;

    /* the inputs, each with its own messages */
    for (int i = 0; i < nex; i++) {
        stg_diags one;
        stg_diags_init(&one);
        ex[i] = stg_dpm_read_file(a->operand[i], &texts[i], &lens[i], &one);
        stg_diags_sort(&one);
        stg_report_diags(stderr, a->operand[i], texts[i], lens[i], &one);
        if (one.oom) {
            stg_diags_free(&one);
            goto oom;
        }
        if (!ex[i])
            status = STG_EXIT_INPUT;
        stg_diags_free(&one);
    }
    if (sites_path) {
        stg_diags one;
        stg_diags_init(&one);
        sites = stg_sites_read_file(sites_path, &sites_text, &sites_len,
                                    &one);
        stg_diags_sort(&one);
        stg_report_diags(stderr, sites_path, sites_text, sites_len, &one);
        bool short_of_memory = one.oom;
        stg_diags_free(&one);
        if (short_of_memory)
            goto oom;
        if (!sites)
            status = STG_EXIT_INPUT;
    }
    if (status != STG_EXIT_OK)
        goto done;

    /* the fleet, its messages against the inputs */
    int rc = stg_import_build((const stg_dpm_export *const *)ex,
                              (const char *const *)a->operand, nex, sites,
                              sites_path, &im, &d);
    stg_diags_sort(&d);
    for (int i = 0; i < nex; i++)
        report_file(&d, i, a->operand[i], texts[i], lens[i]);
    if (sites_path)
        report_file(&d, nex, sites_path, sites_text, sites_len);
    if (d.dropped)
        fprintf(stderr, "... and %zu more error%s\n", d.dropped,
                d.dropped == 1 ? "" : "s");
    if (rc == -2)
        goto oom;
    if (rc) {
        status = STG_EXIT_INPUT;
        goto done;
    }
    if (!(mem = open_memstream(&fleet_text, &fleet_len)))
        goto oom;
    if (stg_import_write(mem, im, (const stg_dpm_export *const *)ex,
                         (const char *const *)a->operand, nex, sites,
                         sites_path)) {
        fclose(mem);
        mem = NULL;
        goto oom;
    }
    if (fclose(mem)) {
        mem = NULL;
        goto oom;
    }
    mem = NULL;

    /* read back as any fleet is read, then written whole */
    f = stg_fleet_read_buffer(fleet_text, fleet_len, &fd);
    if (fd.oom)
        goto oom;
    out = stg_out_open(output, &cause);
    if (!out || fwrite(fleet_text, 1, fleet_len, stg_out_file(out)) !=
                fleet_len) {
        stg_out_abort(out);
        stg_cli_error("import", "%s", cause ? cause : "cannot write the "
                      "output");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (stg_out_commit(out, &cause)) {
        stg_cli_error("import", "%s", cause ? cause : "cannot write the "
                      "output");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    stg_diags_sort(&fd);
    stg_report_diags(stderr, shown, fleet_text, fleet_len, &fd);
    summary(im, (const stg_dpm_export *const *)ex,
            (const char *const *)a->operand, nex, shown, f);
    if (!f) {
        fprintf(stderr, "%s is written, and breaks the rules of a fleet "
                "above: correct it, or the sites file, and import again\n",
                shown);
        status = STG_EXIT_RULES;
    }
    goto done;
oom:
    stg_cli_error("import", "out of memory");
    status = STG_EXIT_INTERNAL;
done:
    if (mem)
        fclose(mem);
    free(fleet_text);           /* open_memstream's: the C library's */
    stg_fleet_free(f);
    stg_import_free(im);
    stg_sites_free(sites);
    stg_free(sites_text);
    for (int i = 0; ex && i < nex; i++)
        stg_dpm_export_free(ex[i]);
    for (int i = 0; texts && i < nex; i++)
        stg_free(texts[i]);
    stg_free(ex);
    stg_free(texts);
    stg_free(lens);
    stg_free(cause);
    stg_diags_free(&d);
    stg_diags_free(&fd);
    return status;
}
