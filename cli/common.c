/* stagger: what the subcommands share. */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/write/advice.h"
#include "io/write/atomic.h"
#include "io/read/dpm_read.h"
#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/read/schedule_read.h"
#include "io/write/sha256.h"
#include "io/read/units.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/advise.h"
#include "solver/parts.h"

void stg_cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "stagger%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int stg_cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "stagger %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'stagger %s --help'.\n", cmd);
    return STG_EXIT_INPUT;
}

stg_fleet *stg_cli_load_fleet(const char *path, char *sha256, int *status)
{
    stg_diags d;
    char *text = NULL;
    size_t len = 0;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_file(path, &text, &len, &d);
    stg_diags_sort(&d);
    stg_report_diags(stderr, path, text, len, &d);
    if (d.oom) {
        stg_cli_error(NULL, "out of memory");
        stg_fleet_free(f);
        f = NULL;
        *status = STG_EXIT_INTERNAL;
    } else if (!f) {
        *status = STG_EXIT_INPUT;
    } else {
        *status = STG_EXIT_OK;
        if (sha256)
            stg_sha256(text ? text : "", text ? len : 0, sha256);
    }
    stg_free(text);
    stg_diags_free(&d);
    return f;
}

void stg_cli_free_histories(stg_dpm_export **hist, int n)
{
    if (!hist)
        return;
    for (int i = 0; i < n; i++)
        stg_dpm_export_free(hist[i]);
    stg_free(hist);
}

stg_dpm_export **stg_cli_load_histories(const char *cmd,
                                        const char *const *paths, int n,
                                        int *status)
{
    stg_dpm_export **hist = stg_calloc((size_t)n + 1, sizeof *hist);
    bool oom = !hist, bad = false;
    for (int i = 0; i < n && !oom; i++) {
        stg_diags d;
        char *text = NULL;
        size_t len = 0;
        stg_diags_init(&d);
        hist[i] = stg_dpm_read_file(paths[i], &text, &len, &d);
        stg_diags_sort(&d);
        stg_report_diags(stderr, paths[i], text, len, &d);
        oom = d.oom;
        bad |= !hist[i];
        if (hist[i] && !hist[i]->njobs)
            fprintf(stderr, "stagger %s: note: %s holds no jobs (an export "
                            "written without the job history?)\n", cmd,
                    paths[i]);
        stg_free(text);
        stg_diags_free(&d);
    }
    if (oom || bad) {
        if (oom)
            stg_cli_error(cmd, "out of memory");
        *status = oom ? STG_EXIT_INTERNAL : STG_EXIT_INPUT;
        stg_cli_free_histories(hist, n);
        return NULL;
    }
    *status = STG_EXIT_OK;
    return hist;
}

void stg_cli_print_links(FILE *out, const stg_fleet *f, const stg_schedule *sc)
{
    char a[STG_QBUF], b[STG_QBUF], c[STG_QBUF], d[STG_QBUF];
    int w = 4;
    for (int l = 0; l < f->nlinks; l++)
        if ((int)strlen(f->links[l].name) > w)
            w = (int)strlen(f->links[l].name);
    /* a computer on a clock of its own: say whose the times are */
    bool clocks = false;
    for (int i = 0; i < f->ncomputers && !clocks; i++)
        clocks = stg_computer_clock(f, i) != f->utc_offset;
    if (clocks)
        fprintf(out, "times: the DPM servers' clock, %s (throttle work hours: "
                "each computer's own)\n",
                stg_fmt_utc_offset(a, sizeof a, f->utc_offset));
    fprintf(out, "%-*s  %10s  %8s  %-9s  %8s\n", w, "link", "capacity",
            "headroom", "at", "bound");
    for (int l = 0; l < f->nlinks; l++) {
        double h = sc->eval->headroom[l];
        fprintf(out, "%-*s  %10s  %8s  %-9s  %8s%s\n", w, f->links[l].name,
                stg_fmt_rate(a, sizeof a, f->links[l].capacity),
                stg_fmt_pct(b, sizeof b, h),
                stg_fmt_cycle_time(c, sizeof c, f->cycle,
                                   sc->eval->at[l] * f->resolution),
                stg_fmt_pct(d, sizeof d, sc->link_bound[l]),
                h < f->headroom - STG_EPS ? "  below the limit" : "");
    }
}

/* Headroom violations of one link, summarized: how many periods, how
 * long in all, the worst and when, and the first four periods (all,
 * six a line, with all). */
static void print_link_violations(FILE *out, const stg_fleet *f,
                                  const stg_eval *e, int link, bool all)
{
    char a[STG_QBUF], b[STG_QBUF], c[STG_QBUF], d[STG_QBUF];
    int runs = 0, slots = 0, worst = -1;
    for (int i = 0; i < e->nviolations; i++) {
        const stg_violation *v = &e->violations[i];
        if (v->kind != STG_VIOL_HEADROOM || v->index != link)
            continue;
        runs++;
        slots += v->to - v->from;
        if (worst < 0 || v->amount > e->violations[worst].amount)
            worst = i;
    }
    if (!runs)
        return;
    fprintf(out, "  %s: below %s in %d period%s, %s in all; at worst %s short from %s\n",
            f->links[link].name, stg_fmt_pct(a, sizeof a, f->headroom), runs,
            runs == 1 ? "" : "s",
            stg_fmt_duration(b, sizeof b, slots * f->resolution),
            stg_fmt_pct(c, sizeof c, e->violations[worst].amount),
            stg_fmt_cycle_time(d, sizeof d, f->cycle,
                               e->violations[worst].from * f->resolution));
    int shown = 0;
    fprintf(out, "    ");
    for (int i = 0; i < e->nviolations && (all || shown < 4); i++) {
        const stg_violation *v = &e->violations[i];
        if (v->kind != STG_VIOL_HEADROOM || v->index != link)
            continue;
        fprintf(out, "%s%s-%s", !shown ? "" : shown % 6 ? ", " : ",\n    ",
                stg_fmt_cycle_time(a, sizeof a, f->cycle, v->from * f->resolution),
                stg_fmt_cycle_time(b, sizeof b, f->cycle, v->to * f->resolution));
        shown++;
    }
    fprintf(out, "%s\n", runs > shown ? ", ..." : "");
}

void stg_cli_print_violations(FILE *out, const stg_fleet *f,
                              const stg_schedule *sc, bool all)
{
    char a[STG_QBUF], b[STG_QBUF];
    const stg_eval *e = sc->eval;
    if (e->nviolations == 0)
        return;
    fprintf(out, "violations:\n");
    for (int l = 0; l < f->nlinks; l++)
        print_link_violations(out, f, e, l, all);
    for (int i = 0; i < e->nviolations; i++) {
        const stg_violation *v = &e->violations[i];
        switch (v->kind) {
        case STG_VIOL_HEADROOM:
            break;
        case STG_VIOL_LAG:
            fprintf(out, "  group %s: lag %s, over its max_lag %s\n",
                    f->groups[v->index].name,
                    stg_fmt_duration(a, sizeof a, sc->sim->lag[v->index]),
                    stg_fmt_duration(b, sizeof b, f->groups[v->index].max_lag));
            break;
        case STG_VIOL_CC_WINDOW:
            fprintf(out, "  group %s: consistency check ends %s after its window\n",
                    f->groups[v->index].name,
                    stg_fmt_duration(a, sizeof a, (int)v->amount));
            break;
        case STG_VIOL_BACKLOG:
            fprintf(out, "  computer %s: never empties its queue (more to send per cycle than its throttle moves)\n",
                    f->computers[v->index].name);
            break;
        }
    }
}

void stg_cli_print_summary(FILE *out, const stg_fleet *f,
                           const stg_schedule *sc)
{
    char a[STG_QBUF], b[STG_QBUF], c[STG_QBUF], d[STG_QBUF];
    const stg_eval *e = sc->eval;
    if (e->worst_link < 0) {
        fprintf(out, "no links: nothing to keep headroom on\n");
        return;
    }
    char w[STG_QBUF + 32] = "";
    if (sc->link_bound_nowait) {
        char x[STG_QBUF], y[STG_QBUF];
        stg_fmt_pct(x, sizeof x, sc->bound_nowait);
        if (strcmp(x, stg_fmt_pct(y, sizeof y, sc->bound)))
            snprintf(w, sizeof w, ", without waits %s", x);
    }
    fprintf(out, "worst-link headroom %s on %s at %s (required %s, bound %s%s, %s)\n",
            stg_fmt_pct(a, sizeof a, e->achieved), f->links[e->worst_link].name,
            stg_fmt_cycle_time(b, sizeof b, f->cycle, e->worst_slot * f->resolution),
            stg_fmt_pct(c, sizeof c, f->headroom),
            stg_fmt_pct(d, sizeof d, sc->bound), w, stg_status_name(sc->status));
}

/* Prints up to 6 names of a list, then how many more. */
static void name_list(FILE *out, const char *const *names, int n)
{
    for (int i = 0; i < n && i < 6; i++)
        fprintf(out, "%s%s", i ? ", " : "", names[i]);
    if (n > 6)
        fprintf(out, " and %d more", n - 6);
    fputc('\n', out);
}

void stg_cli_print_parts(FILE *out, const stg_fleet *f, const stg_parts *pt)
{
    char a[STG_QBUF], b[STG_QBUF];
    int big = stg_parts_largest(pt), groups = 0, n = 0;
    const char **names = stg_calloc((size_t)f->nlinks + (size_t)f->nservers + 1,
                                    sizeof *names);
    if (!names)
        return;
    fprintf(out, "parts: %d, planned apart (docs/model.md, \"Parts\")\n",
            pt->nparts);
    if (pt->nparts > 0) {
        int nc = pt->comp_off[big + 1] - pt->comp_off[big];
        int ng = pt->group_off[big + 1] - pt->group_off[big];
        int nl = pt->link_off[big + 1] - pt->link_off[big];
        fprintf(out, "  largest: %d computer%s, %d group%s, %d link%s of its own\n",
                nc, nc == 1 ? "" : "s", ng, ng == 1 ? "" : "s",
                nl, nl == 1 ? "" : "s");
    }
    for (int k = 0; k < pt->nparts; k++)
        groups += (pt->joined[k] & STG_JOIN_GROUP) != 0;
    fprintf(out, "  parts with a group across several computers: %d\n", groups);
    for (int l = 0; l < f->nlinks; l++)
        if (pt->link_joins[l] && pt->link_behind[l] && !pt->forced[l])
            names[n++] = f->links[l].name;
    fprintf(out, "  wide links that bind and are busy (join their computers): %d%s", n,
            n ? ": " : "\n");
    if (n)
        name_list(out, names, n);
    n = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (pt->link_crowded[l] && pt->link_binds[l])
            names[n++] = f->links[l].name;
    if (n) {
        fprintf(out, "  crowded wide links that bind (more than %d computers: "
                "never joined, polished): ", STG_JOIN_MAX);
        name_list(out, names, n);
    }
    n = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (pt->forced[l])
            names[n++] = f->links[l].name;
    for (int sv = 0; sv < f->nservers; sv++)
        if (pt->forced_server[sv])
            names[n++] = f->servers[sv].name;
    if (n) {
        fprintf(out, "  joined after planning (the plans met there): ");
        name_list(out, names, n);
    }
    n = 0;
    for (int l = 0; l < f->nlinks; l++)
        n += pt->part_of_link[l] < 0 && pt->link_worst[l] < 1;
    fprintf(out, "  links the parts share: %d%s\n", n,
            n ? " (checked after planning)" : "");
    for (int l = 0, shown = 0; l < f->nlinks; l++) {
        if (pt->part_of_link[l] >= 0 || pt->link_worst[l] >= 1)
            continue;
        if (shown++ == 8) {
            fprintf(out, "    ...\n");
            break;
        }
        fprintf(out, "    %-16s all at once %8s headroom, mean load %s\n",
                f->links[l].name, stg_fmt_pct(a, sizeof a, pt->link_worst[l]),
                stg_fmt_pct(b, sizeof b, pt->link_mean[l]));
    }
    n = 0;
    for (int sv = 0; sv < f->nservers; sv++)
        if (pt->server_waits[sv] && !pt->forced_server[sv])
            names[n++] = f->servers[sv].name;
    fprintf(out, "  servers whose max_jobs may make a computer wait: %d%s", n,
            n ? " (shared; checked after planning): " : "\n");
    if (n)
        name_list(out, names, n);
    stg_free(names);
}

int stg_cli_check_output(const char *cmd, const char *output)
{
    char *cause = NULL;
    if (!strcmp(output, "-") || !stg_out_check_writable(output, &cause))
        return 0;
    stg_cli_error(cmd, "%s", cause ? cause : "cannot write the output");
    stg_free(cause);
    return STG_EXIT_INPUT;
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
    (void)sig;
    stop_requested = 1;         /* later ones wait for the best schedule
                                   to be written (a second Ctrl-C, or one
                                   sent to the whole process group) */
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
}

volatile sig_atomic_t *stg_cli_catch_stop(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    return &stop_requested;
}

void stg_cli_ignore_stop(void)
{
    signal(SIGINT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
}

stg_advice *stg_cli_why(const stg_fleet *f, const stg_schedule *sc,
                        int max_links, bool *oom)
{
    bool short_link = false;
    for (int i = 0; i < sc->eval->nviolations; i++)
        short_link |= sc->eval->violations[i].kind == STG_VIOL_HEADROOM;
    if (oom)
        *oom = false;
    if (!short_link || sc->stopped)     /* stopped: the user wants out */
        return NULL;
    stg_advise_opts o;
    stg_advise_opts_init(&o);
    o.why_only = true;
    o.max_links = max_links;
    stg_advice *a = NULL;
    char *cause = NULL;
    if (stg_advise(f, sc, &o, &a, &cause)) {
        a = NULL;
        if (oom)
            *oom = true;
    }
    stg_free(cause);
    return a;
}


stg_settings *stg_cli_load_settings(const char *cmd, const char *path,
                                    const stg_fleet *f,
                                    stg_schedule_doc **doc_out, int *status)
{
    char *text = NULL;
    size_t len = 0;
    stg_settings *s = NULL;
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_file(path, &text, &len, &d);
    if (doc)
        s = stg_schedule_doc_settings(doc, f, &d);
    stg_diags_sort(&d);
    stg_report_diags(stderr, path, text, len, &d);
    if (!s) {
        if (d.oom)
            stg_cli_error(cmd, "out of memory");
        *status = d.oom ? STG_EXIT_INTERNAL : STG_EXIT_INPUT;
    }
    stg_free(text);
    stg_diags_free(&d);
    if (doc_out && s) {
        *doc_out = doc;         /* taken over by the caller */
        doc = NULL;
    } else if (doc_out) {
        *doc_out = NULL;
    }
    stg_schedule_doc_free(doc);
    return s;
}
