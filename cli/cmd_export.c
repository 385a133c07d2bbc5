/* stagger export SCHEDULE --to FORMAT [-o FILE] [--fleet FILE]
 *                         [--jobs HISTORY]...
 *
 * Reads the schedule, finds the fleet it was planned for (--fleet, else
 * the schedule's fleet.file as written, else that name beside the
 * schedule; the one beside it also when only it has the schedule's
 * sha256), checks the fleet's sha256 against the schedule's, scores the
 * schedule's settings and today's, places the failed jobs of job
 * histories on today's cycle (--jobs: html and svg mark them), and hands
 * everything to the format's writer (io/export_*.h).  The export is written to a temporary file
 * first and copied to the output only when it is whole, so a failure
 * writes nothing, on standard output too. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "io/write/atomic.h"
#include "io/export/export.h"
#include "io/export/export_csv.h"
#include "io/export/export_html.h"
#include "io/export/export_ics.h"
#include "io/export/export_json.h"
#include "io/export/export_ps1.h"
#include "io/export/export_svg.h"
#include "io/write/report.h"
#include "io/read/schedule_read.h"
#include "io/write/sha256.h"
#include "model/alloc.h"
#include "solver/planner.h"

typedef struct {
    const char *name;
    int (*write)(FILE *out, const stg_export_input *in, char **cause);
    bool needs_fleet;           /* rates, links or loads */
    bool bounds;                /* reads the plan's bounds, worked out
                                   again (the pictures' "best possible",
                                   the report's reasons); the others are
                                   spared that pass, most of an export's
                                   time on a large fleet */
} format;

/* in the order of --to's choices in the command table (cli/main.c) */
static const format formats[] = {
    { "csv", stg_export_csv, true, false },
    { "ps1", stg_export_ps1, false, false },
    { "ics", stg_export_ics, false, false },
    { "svg", stg_export_svg, true, true },
    { "html", stg_export_html, true, true },
    { "json", stg_export_json, false, false },
};

#define NFORMATS (sizeof formats / sizeof formats[0])

static const format *find_format(const char *name)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (!strcmp(formats[i].name, name))
            return &formats[i];
    return NULL;
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* The schedule's fleet.file beside the schedule (NULL when that is the
 * name as written, or out of memory: *oom then set). */
static char *beside(const char *spath, const char *name, bool *oom)
{
    const char *slash = strrchr(spath, '/');
    if (!slash || name[0] == '/')
        return NULL;
    char *p = stg_asprintf("%.*s/%s", (int)(slash - spath), spath, name);
    if (!p)
        *oom = true;
    return p;
}

/* True when the file at path has the SHA-256 sha (hex); false when it
 * differs or cannot be read. */
static bool same_sha(const char *path, const char *sha)
{
    unsigned char buf[16384];
    char hex[STG_SHA256_HEX];
    size_t n;
    stg_sha256_ctx c;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    stg_sha256_init(&c);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        stg_sha256_update(&c, buf, n);
    bool ok = !ferror(fp);
    fclose(fp);
    stg_sha256_final(&c, hex);
    return ok && sha && !strcmp(hex, sha);
}

/* Copies the whole of tmp to out. */
static int copy(FILE *tmp, FILE *out)
{
    char buf[16384];
    size_t n;
    rewind(tmp);
    while ((n = fread(buf, 1, sizeof buf, tmp)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            return -1;
    return ferror(tmp) ? -1 : 0;
}

/* The fleet beside a schedule: its fleet.file as written, or other (the
 * same name beside the schedule), the first that exists unless only the
 * other one is the fleet the schedule was planned for; NULL: neither. */
static const char *pick_fleet(const stg_schedule_doc *doc, const char *other)
{
    const char *fpath = exists(doc->fleet_file) ? doc->fleet_file : NULL;
    if (other && exists(other) &&
        (!fpath || (!same_sha(fpath, doc->fleet_sha256) &&
                    same_sha(other, doc->fleet_sha256))))
        fpath = other;
    return fpath;
}

/* No fleet found for the schedule at spath: an error when the format
 * needs one (returns 1), else a note (0). */
static int no_fleet(const stg_schedule_doc *doc, const char *spath,
                    const format *fmt, const char *other)
{
    const char *name = doc->fleet_file && doc->fleet_file[0]
                     ? doc->fleet_file : NULL;
    if (fmt->needs_fleet) {
        if (!name)
            stg_cli_error("export", "--to %s needs the fleet the schedule "
                          "was planned for, and %s names none: pass --fleet FILE",
                          fmt->name, spath);
        else
            stg_cli_error("export", "--to %s needs the fleet the schedule "
                          "was planned for: '%s' not found%s%s%s; pass --fleet FILE",
                          fmt->name, name, other ? " (nor '" : "",
                          other ? other : "", other ? "')" : "");
        return 1;
    }
    if (name)
        fprintf(stderr, "stagger export: note: the fleet '%s' was not found; "
                        "exporting from the schedule alone\n", name);
    return 0;
}

/* Writes the export to a temporary file first, then to output whole (or
 * not at all).  Returns 0, or -1 with the error printed. */
static int write_export(const format *fmt, const stg_export_input *in,
                        const char *output)
{
    char *cause = NULL;
    int rc = -1;
    stg_out *out = NULL;
    FILE *tmp = tmpfile();
    if (!tmp) {
        stg_cli_error("export", "cannot create a temporary file: %s",
                      strerror(errno));
        goto done;
    }
    if (fmt->write(tmp, in, &cause)) {
        stg_cli_error("export", "%s", cause ? cause : "out of memory");
        goto done;
    }
    out = stg_out_open(output, &cause);
    if (!out) {
        stg_cli_error("export", "%s", cause ? cause : "cannot write the output");
        goto done;
    }
    if (copy(tmp, stg_out_file(out))) {
        stg_out_abort(out);
        stg_cli_error("export", "cannot write %s: %s", output, strerror(errno));
        goto done;
    }
    if (stg_out_commit(out, &cause)) {
        stg_cli_error("export", "%s", cause ? cause : "cannot write the output");
        goto done;
    }
    rc = 0;
done:
    if (tmp)
        fclose(tmp);
    stg_free(cause);
    return rc;
}

int stg_cmd_export(const stg_args *a)
{
    const char *output = stg_args_text(a, "output", "-");
    const char *to = stg_args_text(a, "to", NULL);
    const char *fleet_opt = stg_args_text(a, "fleet", NULL);
    const format *fmt = find_format(to);
    const char *spath = a->operand[0];
    const char *hpaths[STG_MAX_LIST];
    int nhist = stg_args_list(a, "jobs", hpaths, STG_MAX_LIST);

    int status = STG_EXIT_INTERNAL;
    char sha[65];
    char *cause = NULL, *text = NULL, *other = NULL;
    const char *fpath = NULL;
    size_t len = 0;
    bool oom = false;
    stg_schedule_doc *doc = NULL;
    stg_fleet *f = NULL;
    stg_settings *s = NULL;
    stg_schedule *plan = NULL, *today = NULL;
    stg_advice *advice = NULL;
    stg_dpm_export **hist = NULL;
    stg_diagnosis *failures = NULL;
    stg_export_input in;
    stg_diags d;
    stg_diags_init(&d);

    if (nhist && strcmp(fmt->name, "html") && strcmp(fmt->name, "svg")) {
        status = stg_cli_usage_error("export", "--jobs marks failed jobs on "
                                     "the link charts: it goes with --to html "
                                     "or --to svg");
        goto done;
    }
    if (stg_cli_check_output("export", output)) {
        status = STG_EXIT_INPUT;
        goto done;
    }

    doc = stg_schedule_read_file(spath, &text, &len, &d);
    stg_diags_sort(&d);
    stg_report_diags(stderr, spath, text, len, &d);
    if (!doc) {
        if (d.oom)
            stg_cli_error("export", "out of memory");
        status = d.oom ? STG_EXIT_INTERNAL : STG_EXIT_INPUT;
        goto done;
    }

    /* the fleet */
    if (fleet_opt) {
        fpath = fleet_opt;
    } else if (doc->fleet_file && doc->fleet_file[0]) {
        other = beside(spath, doc->fleet_file, &oom);
        if (oom)
            goto nomem;
        fpath = pick_fleet(doc, other);
    }
    if (!fpath) {
        if (no_fleet(doc, spath, fmt, other)) {
            status = STG_EXIT_INPUT;
            goto done;
        }
    } else {
        f = stg_cli_load_fleet(fpath, sha, &status);
        if (!f)
            goto done;
        if (doc->fleet_sha256 && strcmp(doc->fleet_sha256, sha)) {
            if (fleet_opt)
                stg_cli_error("export", "%s is not the fleet %s was planned for "
                              "(its sha256 differs from the schedule's fleet.sha256): "
                              "plan again with it, or pass --fleet with the fleet "
                              "file the schedule was planned from", fpath, spath);
            else
                stg_cli_error("export", "the fleet %s has changed since %s was "
                              "planned (its sha256 differs from the schedule's "
                              "fleet.sha256): plan again, or pass --fleet with the "
                              "fleet file the schedule was planned from", fpath, spath);
            status = STG_EXIT_INPUT;
            goto done;
        }
        stg_diags_free(&d);
        stg_diags_init(&d);
        s = stg_schedule_doc_settings(doc, f, &d);
        stg_diags_sort(&d);
        stg_report_diags(stderr, spath, text, len, &d);
        if (!s) {
            if (d.oom)
                stg_cli_error("export", "out of memory");
            status = d.oom ? STG_EXIT_INTERNAL : STG_EXIT_INPUT;
            goto done;
        }
        if (nhist && !(hist = stg_cli_load_histories("export", hpaths, nhist,
                                                      &status)))
            goto done;
        /* today's bounds: read by no format */
        int rc = stg_evaluate(f, s, fmt->bounds, &plan, &cause);
        s = NULL;               /* taken over */
        if (rc || stg_evaluate(f, NULL, false, &today, &cause)) {
            stg_cli_error("export", "%s", cause ? cause : "out of memory");
            status = STG_EXIT_INTERNAL;
            goto done;
        }
        /* the failures happened under today's settings: on today's cycle */
        if (nhist && !(failures = stg_diagnose(
                           f, today->sim, today->eval,
                           (const stg_dpm_export *const *)hist, nhist)))
            goto nomem;
    }

    in = (stg_export_input){ doc, spath, f, f ? fpath : NULL, plan, today,
                             NULL, failures };
    if (plan && !strcmp(fmt->name, "html")) {
        bool oom;
        advice = stg_cli_why(f, plan, 20, &oom);
        if (oom)
            goto nomem;
    }
    in.advice = advice;
    status = STG_EXIT_INTERNAL;
    if (write_export(fmt, &in, output))
        goto done;
    if (doc->status == STG_STATUS_VIOLATES)
        fprintf(stderr, "stagger export: note: %s breaks a rule (status "
                        "violates); exported as it is\n", spath);
    status = STG_EXIT_OK;
    goto done;
nomem:
    stg_cli_error("export", "out of memory");
    status = STG_EXIT_INTERNAL;
done:
    stg_free(cause);
    stg_free(text);
    stg_free(other);
    stg_diags_free(&d);
    stg_settings_free(s);
    stg_schedule_free(plan);
    stg_schedule_free(today);
    stg_advice_free(advice);
    stg_diagnosis_free(failures);
    stg_cli_free_histories(hist, nhist);
    stg_schedule_doc_free(doc);
    stg_fleet_free(f);
    return status;
}
