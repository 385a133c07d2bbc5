/* stagger: a diagnosis in words (see diagnose_text.h). */
#include "diagnose_text.h"

#include <math.h>
#include <string.h>

#include "io/export/export_common.h"
#include "io/export/fields.h"
#include "model/quantity.h"

/* Microsoft KB 971411, "Protection jobs for various protected servers
 * fail with errors", Symptoms: the messages DPM shows with these IDs, in
 * short.  The article gives saturated links (DCOM control calls timing
 * out) as their common cause. */
const char *stg_dpm_error_meaning(int id)
{
    switch (id) {
    case 41: return "the computer was unreachable (connection refused)";
    case 42: return "access denied by the protection agent";
    case 43: return "the protection agent did not respond";
    case 52: return "the connection to the protection agent broke or timed out";
    case 60: return "the protection agent was briefly in an unexpected state";
    case 104: return "an unexpected error during the job";
    case 308: return "the protection agent service could not be reached "
                     "(RPC server unavailable)";
    default: return NULL;
    }
}

const char *stg_verdict_text(stg_verdict v)
{
    switch (v) {
    case STG_VERDICT_EXPLAINS: return "saturation explains these";
    case STG_VERDICT_NOT: return "saturation does not explain these";
    case STG_VERDICT_CANNOT: return "timing cannot tell";
    case STG_VERDICT_FEW: break;
    }
    return "too few to tell";
}

const char *stg_verdict_word(stg_verdict v)
{
    switch (v) {
    case STG_VERDICT_EXPLAINS: return "explains";
    case STG_VERDICT_NOT: return "does_not";
    case STG_VERDICT_CANNOT: return "cannot_tell";
    case STG_VERDICT_FEW: break;
    }
    return "too_few";
}

/* "<0.001" or "0.104" */
static char *fmt_p(char *buf, size_t size, double p)
{
    if (p < 0.001)
        snprintf(buf, size, "<0.001");
    else
        snprintf(buf, size, "%.3f", p);
    return buf;
}

static const char *plural(int n)
{
    return n == 1 ? "" : "s";
}

/* The links of computer c below the limit at cycle time t, as "a, b"
 * (truncated to size). */
static void links_below(const stg_fleet *f, const stg_diagnosis *d, int c,
                        int t, char *buf, size_t size)
{
    const stg_computer *cp = &f->computers[c];
    size_t k = 0;
    buf[0] = '\0';
    for (int i = 0; i < cp->nfull_path && k + 1 < size; i++) {
        int l = cp->full_path[i];
        if (!stg_diagnosis_below(d, l, t / d->resolution))
            continue;
        int n = snprintf(buf + k, size - k, "%s%s", k ? ", " : "",
                         f->links[l].name);
        k = n < 0 ? size : k + (size_t)n;
    }
}

static void write_head(FILE *out, const stg_fleet *f, const stg_diagnosis *d,
                       const stg_diagnosis_doc *doc)
{
    char a[STG_QBUF], b[STG_QBUF], c[STG_QBUF];
    fprintf(out, "%s: %s\n", doc->schedule_path ? doc->schedule_path
                                                : doc->fleet_path,
            doc->schedule_path ? "the schedule's settings"
                               : "today's settings (offsets and times as "
                                 "configured)");
    fprintf(out, "history: %d file%s, %d job%s", doc->nhist, plural(doc->nhist),
            d->jobs, plural(d->jobs));
    if (d->jobs)
        fprintf(out, " starting %s to %s", stg_fmt_datetime(a, sizeof a, d->first, ' '),
                stg_fmt_datetime(b, sizeof b, d->last, ' '));
    fprintf(out, " (the fleet's clock, %s), %d failed\n",
            stg_fmt_utc_offset(c, sizeof c, f->utc_offset), d->failed);
    if (!d->failed)
        return;
    fprintf(out, "placed: %d failed job%s of the fleet's computers, each at "
                 "its start, on the %s cycle\n", d->nfailures,
            plural(d->nfailures), d->cycle == STG_WEEK ? "week" : "day");
    int from_jobs = 0;
    for (int i = 0; i < d->nfailures; i++)
        from_jobs += d->failures[i].baseline;
    if (from_jobs)
        fprintf(out, "chance: as often below as the succeeded jobs start "
                     "there (a link's: of its computers; an error ID's: of "
                     "the fleet)\n");
    else if (d->nfailures)
        fprintf(out, "chance: the share of time below (fewer than %d "
                     "succeeded jobs of a computer in the history)\n",
                STG_DIAG_MIN_JOBS);
    if (d->nolink)
        fprintf(out, "  of them on no link (their computer's path has none): %d\n",
                d->nolink);
    if (d->unknown) {
        fprintf(out, "not in the fleet: %d failed job%s of %d computer%s: ",
                d->unknown, plural(d->unknown), d->nstrangers,
                plural(d->nstrangers));
        for (int i = 0; i < d->nstrangers && i < 8; i++)
            fprintf(out, "%s%s (%d%s)", i ? ", " : "", d->strangers[i].name,
                    d->strangers[i].failures,
                    d->strangers[i].ambiguous ? "; several of the fleet's "
                                                "computers start so" : "");
        if (d->nstrangers > 8)
            fprintf(out, " and %d more", d->nstrangers - 8);
        fputc('\n', out);
    }
    if (d->nameless)
        fprintf(out, "without a computer: %d failed job%s\n", d->nameless,
                plural(d->nameless));
}

static void tally_cells(FILE *out, const stg_tally *t)
{
    char a[STG_QBUF];
    fprintf(out, "%8d  %5d  %6.2f  %6s  %s", t->failures, t->below, t->chance,
            fmt_p(a, sizeof a, t->p), stg_verdict_text(t->verdict));
}

static void write_links(FILE *out, const stg_fleet *f, const stg_diagnosis *d)
{
    char a[STG_QBUF];
    int w = 4, quiet = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (d->links[l].failures && (int)strlen(f->links[l].name) > w)
            w = (int)strlen(f->links[l].name);
    fprintf(out, "\n%-*s  %11s  %8s  %5s  %6s  %6s  %s\n", w, "link",
            "cycle below", "failures", "below", "chance", "p", "verdict");
    for (int l = 0; l < f->nlinks; l++) {
        if (!d->links[l].failures) {
            quiet++;
            continue;
        }
        fprintf(out, "%-*s  %11s  ", w, f->links[l].name,
                stg_fmt_pct(a, sizeof a, d->nslots ? (double)d->below_slots[l] /
                                                     d->nslots : 0));
        tally_cells(out, &d->links[l]);
        fputc('\n', out);
    }
    if (quiet)
        fprintf(out, "(%d link%s without failures not shown)\n", quiet,
                plural(quiet));
}

static void write_ids(FILE *out, const stg_diagnosis *d)
{
    char id[24];
    fprintf(out, "\n%-5s  %8s  %5s  %6s  %6s  %-33s  %s\n", "error", "failures",
            "below", "chance", "p", "verdict", "meaning (KB 971411)");
    for (int i = 0; i < d->nids; i++) {
        const stg_id_tally *it = &d->ids[i];
        const char *m = it->id ? stg_dpm_error_meaning(it->id)
                               : "no error ID in the history";
        snprintf(id, sizeof id, "%d", it->id);
        fprintf(out, "%-5s  ", it->id ? id : "none");
        tally_cells(out, &it->tally);
        if (m)
            fprintf(out, "%*s  %s",
                    33 - (int)strlen(stg_verdict_text(it->tally.verdict)), "", m);
        fputc('\n', out);
    }
    fprintf(out, "%-5s  ", "all");
    tally_cells(out, &d->all);
    fputc('\n', out);
}

static void write_list(FILE *out, const stg_fleet *f, const stg_diagnosis *d)
{
    char a[STG_QBUF], b[STG_QBUF], l[256], id[24];
    int w = 0;
    for (int i = 0; i < d->nfailures; i++)
        if ((int)strlen(f->computers[d->failures[i].computer].name) > w)
            w = (int)strlen(f->computers[d->failures[i].computer].name);
    fprintf(out, "\nfailures by time in the cycle (when: the fleet's clock):\n");
    for (int i = 0; i < d->nfailures; i++) {
        const stg_failure *fl = &d->failures[i];
        links_below(f, d, fl->computer, fl->t, l, sizeof l);
        snprintf(id, sizeof id, "ID %d", fl->error_id);
        if (!fl->error_id)
            snprintf(id, sizeof id, "no ID");
        fprintf(out, "  %-*s  %s  %-*s  %s",
                d->cycle == STG_WEEK ? 9 : 5,
                stg_fmt_cycle_time(a, sizeof a, d->cycle, fl->t),
                stg_fmt_datetime(b, sizeof b, fl->when, ' '), w,
                f->computers[fl->computer].name, id);
        if (fl->below)
            fprintf(out, "%*s  below on %s", 6 - (int)strlen(id), "", l);
        fputc('\n', out);
    }
}

void stg_diagnosis_write_text(FILE *out, const stg_fleet *f,
                              const stg_diagnosis *d,
                              const stg_diagnosis_doc *doc)
{
    write_head(out, f, d, doc);
    if (!d->failed) {
        fprintf(out, "no failed jobs: nothing to place\n");
        return;
    }
    if (!d->nfailures) {
        fprintf(out, "no failed job of the fleet's computers: nothing to "
                     "place\n");
        return;
    }
    write_links(out, f, d);
    write_ids(out, d);
    if (doc->list)
        write_list(out, f, d);
}

/* ---- JSON ------------------------------------------------------------- */

static void json_number(FILE *out, double v)
{
    char buf[STG_NUMBUF];
    fputs(stg_export_fmt_number(buf, sizeof buf, v), out);
}

static void json_tally(FILE *out, const stg_tally *t)
{
    fprintf(out, "\"failures\": %d, \"below\": %d, \"chance\": ", t->failures,
            t->below);
    json_number(out, t->chance);
    fputs(", \"p\": ", out);
    json_number(out, t->p);
    fprintf(out, ", \"verdict\": \"%s\"", stg_verdict_word(t->verdict));
}

void stg_diagnosis_write_json(FILE *out, const stg_fleet *f,
                              const stg_diagnosis *d,
                              const stg_diagnosis_doc *doc)
{
    char a[STG_QBUF];
    fputs("{\n  \"fleet\": ", out);
    stg_json_write_string(out, doc->fleet_path);
    fputs(",\n  \"schedule\": ", out);
    stg_json_write_string(out, doc->schedule_path);
    fprintf(out, ",\n  \"cycle\": \"%s\",\n  \"resolution_seconds\": %d,\n"
                 "  \"utc_offset\": \"%s\",\n  \"histories\": [",
            d->cycle == STG_WEEK ? "week" : "day", d->resolution,
            stg_fmt_utc_offset(a, sizeof a, f->utc_offset) + 3);
    for (int h = 0; h < doc->nhist; h++) {
        fprintf(out, "%s\n    { \"file\": ", h ? "," : "");
        stg_json_write_string(out, doc->hist_paths[h]);
        fputs(", \"server\": ", out);
        stg_json_write_string(out, doc->hist[h]->server);
        fprintf(out, ", \"utc_offset\": \"%s\", \"jobs\": %d }",
                stg_fmt_utc_offset(a, sizeof a, doc->hist[h]->utc_offset) + 3,
                doc->hist[h]->njobs);
    }
    fprintf(out, "%s],\n  \"jobs\": %d,\n  \"failed\": %d,\n  \"placed\": %d,\n"
                 "  \"not_in_fleet\": %d,\n  \"without_computer\": %d,\n"
                 "  \"on_no_link\": %d,\n  \"links\": [",
            doc->nhist ? "\n  " : "", d->jobs, d->failed, d->nfailures,
            d->unknown, d->nameless, d->nolink);
    for (int l = 0; l < f->nlinks; l++) {
        fprintf(out, "%s\n    { \"name\": ", l ? "," : "");
        stg_json_write_string(out, f->links[l].name);
        fputs(", \"below_share\": ", out);
        json_number(out, d->nslots ? (double)d->below_slots[l] / d->nslots : 0);
        fputs(", ", out);
        json_tally(out, &d->links[l]);
        fputs(" }", out);
    }
    fprintf(out, "%s],\n  \"error_ids\": [", f->nlinks ? "\n  " : "");
    for (int i = 0; i < d->nids; i++) {
        fprintf(out, "%s\n    { \"id\": ", i ? "," : "");
        if (d->ids[i].id)
            fprintf(out, "%d", d->ids[i].id);
        else
            fputs("null", out);
        fputs(", \"meaning\": ", out);
        stg_json_write_string(out, stg_dpm_error_meaning(d->ids[i].id));
        fputs(", ", out);
        json_tally(out, &d->ids[i].tally);
        fputs(" }", out);
    }
    fprintf(out, "%s],\n  \"all\": { ", d->nids ? "\n  " : "");
    json_tally(out, &d->all);
    fputs(" },\n  \"computers_not_in_fleet\": [", out);
    for (int i = 0; i < d->nstrangers; i++) {
        fprintf(out, "%s\n    { \"name\": ", i ? "," : "");
        stg_json_write_string(out, d->strangers[i].name);
        fprintf(out, ", \"failures\": %d, \"ambiguous\": %s }",
                d->strangers[i].failures,
                d->strangers[i].ambiguous ? "true" : "false");
    }
    fprintf(out, "%s],\n  \"failures\": [", d->nstrangers ? "\n  " : "");
    for (int i = 0; i < d->nfailures; i++) {
        const stg_failure *fl = &d->failures[i];
        const stg_computer *cp = &f->computers[fl->computer];
        fprintf(out, "%s\n    { \"history\": %d, \"job\": %d, \"computer\": ",
                i ? "," : "", fl->file, fl->job);
        stg_json_write_string(out, cp->name);
        fputs(", \"error_id\": ", out);
        if (fl->error_id)
            fprintf(out, "%d", fl->error_id);
        else
            fputs("null", out);
        fprintf(out, ", \"when\": \"%s\", ",
                stg_fmt_datetime(a, sizeof a, fl->when, 'T'));
        fputs("\"at\": ", out);
        stg_json_write_string(out, stg_fmt_cycle_time(a, sizeof a, d->cycle,
                                                      fl->t));
        fprintf(out, ", \"cycle_seconds\": %d, \"below\": %s, \"links_below\": [",
                fl->t, fl->below ? "true" : "false");
        for (int j = 0, n = 0; j < cp->nfull_path; j++) {
            int l = cp->full_path[j];
            if (!stg_diagnosis_below(d, l, fl->t / d->resolution))
                continue;
            fputs(n++ ? ", " : "", out);
            stg_json_write_string(out, f->links[l].name);
        }
        fputs("] }", out);
    }
    fprintf(out, "%s]\n}\n", d->nfailures ? "\n  " : "");
}
