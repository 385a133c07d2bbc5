/* stagger: the fleet file of an import (see import_write.h). */
#include "io/write/import_write.h"

#include <math.h>
#include <string.h>

#include "io/read/units.h"
#include "io/write/schedule_write.h"
#include "model/quantity.h"

/* ---- text -------------------------------------------------------------- */

/* Text in a comment: on one line. */
static void put_comment_text(FILE *out, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, out);
}

/* Each line of a note as a comment at indentation ind. */
static void put_note(FILE *out, int ind, const char *note)
{
    if (!note)
        return;
    for (const char *p = note; *p;) {
        size_t n = strcspn(p, "\n");
        fprintf(out, "%*s# ", ind, "");
        for (size_t i = 0; i < n; i++)
            fputc((unsigned char)p[i] < 0x20 ? '?' : p[i], out);
        fputc('\n', out);
        p += n + (p[n] == '\n');
    }
}

/* ---- exact quantities --------------------------------------------------- */

/* v in unit f ("%.Nf" with the zeros trimmed) into buf. */
static void number(char *buf, size_t size, double v, int decimals)
{
    snprintf(buf, size, "%.*f", decimals, v);
    stg_trim_zeros(buf);
}

typedef int (*parser)(const char *, double *, stg_unit_err *);

/* The value in the first unit (largest first) whose number, with at
 * most `decimals` decimals, reads back as exactly v; else in the last
 * unit as a whole number. */
static const char *exact(char *buf, size_t size, double v,
                         const double *f, const char *const *u, int nu,
                         int decimals, parser parse)
{
    char num[40];
    for (int i = 0; i < nu; i++) {
        double back;
        stg_unit_err e;
        if (v < f[i] && i < nu - 1)
            continue;
        number(num, sizeof num, v / f[i], decimals);
        snprintf(buf, size, "%s%s", num, u[i]);
        if (!parse(buf, &back, &e) && back == v)
            return buf;
    }
    snprintf(buf, size, "%.0f%s", v / f[nu - 1], u[nu - 1]);
    return buf;
}

static const char *size_exact(char *buf, size_t size, double bytes)
{
    /* binary units first (a replica of 2TiB), then decimal ones */
    static const double f[] = {1099511627776.0, 1073741824.0, 1048576.0,
                               1e12, 1e9, 1e6, 1e3, 1};
    static const char *const u[] = {"TiB", "GiB", "MiB", "TB", "GB", "MB",
                                    "KB", "B"};
    char num[40];
    double back;
    stg_unit_err e;
    for (int i = 0; i < 3; i++) {
        if (bytes < f[i])
            continue;
        number(num, sizeof num, bytes / f[i], 3);
        snprintf(buf, size, "%s%s", num, u[i]);
        if (!stg_parse_size(buf, &back, &e) && back == bytes)
            return buf;
    }
    return exact(buf, size, bytes, f + 3, u + 3, 5, 12, stg_parse_size);
}

static const char *rate_exact(char *buf, size_t size, double bps)
{
    static const double f[] = {1e12, 1e9, 1e6, 1e3, 1};
    static const char *const u[] = {"Tbps", "Gbps", "Mbps", "Kbps", "bps"};
    return exact(buf, size, bps, f, u, 5, 9, stg_parse_rate);
}

/* An estimate (churn): three decimals are plenty. */
static const char *size_round(char *buf, size_t size, double bytes)
{
    return stg_fmt_size(buf, size, bytes);
}

static const char *utc(char *buf, size_t size, int seconds)
{
    int a = seconds < 0 ? -seconds : seconds;
    snprintf(buf, size, "\"%c%02d:%02d\"", seconds < 0 ? '-' : '+',
             a / 3600, a / 60 % 60);
    return buf;
}

static void put_times(FILE *out, const int *t, int n)
{
    char b[STG_QBUF];
    fputc('[', out);
    for (int i = 0; i < n; i++)
        fprintf(out, "%s\"%s\"", i ? ", " : "", stg_fmt_clock(b, sizeof b,
                                                             t[i]));
    fputc(']', out);
}

static void put_path(FILE *out, const stg_sites *s, const int *path, int n)
{
    fputc('[', out);
    for (int i = 0; i < n; i++) {
        fputs(i ? ", " : "", out);
        stg_yaml_write_scalar(out, s->links[path[i]].name);
    }
    fputc(']', out);
}

/* ---- sections ----------------------------------------------------------- */

static void put_header(FILE *out, const stg_dpm_export *const *ex,
                       const char *const *names, int nex,
                       const char *sites_name)
{
    fputs("# A fleet imported by stagger import (docs/import.md) from the "
          "DPM export", out);
    fputs(nex == 1 ? "\n" : "s\n", out);
    for (int i = 0; i < nex; i++) {
        char when[32];
        fputs("#   ", out);
        put_comment_text(out, names[i]);
        fputs(": ", out);
        put_comment_text(out, ex[i]->server);
        fputs(" (DPM ", out);
        put_comment_text(out, ex[i]->server_version);
        fprintf(out, "), collected %s\n",
                stg_fmt_datetime(when, sizeof when, ex[i]->collected, ' '));
    }
    if (sites_name) {
        fputs("# and the sites file ", out);
        put_comment_text(out, sites_name);
        fputs(".\n", out);
    }
    fputs("# A comment above an entry says where a value comes from; one "
          "that starts\n# \"check:\" marks a value the exports do not give: "
          "check it.  A throttle\n# is auto where DPM's throttling is off or "
          "not known: unthrottled today, and\n# planning recommends a rate "
          "(write none to keep a computer unthrottled).\n", out);
}

static void put_links(FILE *out, const stg_sites *s)
{
    char b1[STG_QBUF], b2[STG_QBUF], b3[STG_QBUF], b4[STG_QBUF];
    if (!s || s->nlinks == 0) {
        fputs("\nlinks: []     # no sites file: add the links, and each "
              "computer's path\n", out);
        return;
    }
    fputs("\nlinks:\n", out);
    for (int i = 0; i < s->nlinks; i++) {
        const stg_link *l = &s->links[i];
        fputs("  - name: ", out);
        stg_yaml_write_scalar(out, l->name);
        fprintf(out, "\n    capacity: %s\n", rate_exact(b1, sizeof b1,
                                                        l->capacity));
        if (l->nbackground)
            fputs("    background:\n", out);
        for (int k = 0; k < l->nbackground; k++) {
            const stg_timed_rate *t = &l->background[k];
            fprintf(out, "      - { from: \"%s\", to: \"%s\", rate: %s, "
                    "days: %s }\n", stg_fmt_clock(b1, sizeof b1, t->from),
                    stg_fmt_clock(b2, sizeof b2, t->to),
                    rate_exact(b3, sizeof b3, t->rate),
                    stg_fmt_days(b4, sizeof b4, t->days));
        }
    }
}

static void put_servers(FILE *out, const stg_import *im, const stg_sites *s)
{
    fputs("\nservers:\n", out);
    for (int i = 0; i < im->nservers; i++) {
        const stg_imp_server *sv = &im->servers[i];
        const stg_site_server *ss = sv->site_server >= 0 ?
            &s->servers[sv->site_server] : NULL;
        fputs("  - { name: ", out);
        stg_yaml_write_scalar(out, sv->name);
        if (ss && ss->npath) {
            fputs(", path: ", out);
            put_path(out, s, ss->path, ss->npath);
        }
        if (ss && ss->max_jobs)
            fprintf(out, ", max_jobs: %d", ss->max_jobs);
        fputs(" }\n", out);
    }
}

static void put_throttle(FILE *out, const stg_throttle *t)
{
    char b1[STG_QBUF], b2[STG_QBUF], b3[STG_QBUF], b4[STG_QBUF], b5[STG_QBUF];
    switch (t->kind) {
    case STG_THROTTLE_RATE:
        fputs(rate_exact(b1, sizeof b1, t->rate), out);
        break;
    case STG_THROTTLE_WORK:
        fprintf(out, "{ work: %s, other: %s, hours: \"%s-%s\", days: %s }",
                rate_exact(b1, sizeof b1, t->work),
                rate_exact(b2, sizeof b2, t->other),
                stg_fmt_clock(b3, sizeof b3, t->hours_from),
                stg_fmt_clock(b4, sizeof b4, t->hours_to),
                stg_fmt_days(b5, sizeof b5, t->days));
        break;
    case STG_THROTTLE_NONE:
        fputs("none", out);
        break;
    default:
        fputs("auto", out);
    }
}

static void put_computer(FILE *out, const stg_import *im, const stg_sites *s,
                         const stg_imp_computer *c)
{
    char b[STG_QBUF];
    put_note(out, 2, c->note);
    fputs("  - { name: ", out);
    stg_yaml_write_scalar(out, c->name);
    fputs(", server: ", out);
    stg_yaml_write_scalar(out, im->servers[c->server].name);
    if (c->site >= 0 && s->sites[c->site].npath) {
        fputs(", path: ", out);
        put_path(out, s, s->sites[c->site].path, s->sites[c->site].npath);
    }
    if (c->has_utc)
        fprintf(out, ", utc_offset: %s", utc(b, sizeof b, c->utc_offset));
    fputs(", throttle: ", out);
    put_throttle(out, &c->throttle);
    fputs(" }\n", out);
}

/* The computers site by site, in the sites file's order. */
static void put_computers(FILE *out, const stg_import *im,
                          const stg_sites *s)
{
    fputs("\ncomputers:\n", out);
    for (int site = -1; site < (s ? s->nsites : 0); site++) {
        bool first = true;
        for (int i = 0; i < im->ncomputers; i++) {
            const stg_imp_computer *c = &im->computers[i];
            if (c->site != site)
                continue;
            if (first && site >= 0) {
                fputs("  # site ", out);
                put_comment_text(out, s->sites[site].name);
                if (!s->sites[site].npath && s->nservers)
                    fputs(": beside its DPM server", out);
                fputc('\n', out);
            }
            first = false;
            put_computer(out, im, s, c);
        }
    }
}

static const char *const kind_names[] = {
    "file", "sql", "exchange", "sharepoint", "hyperv", "system", "client"
};

static void put_source(FILE *out, const stg_import *im,
                       const stg_imp_source *x)
{
    char b1[STG_QBUF], b2[STG_QBUF];
    put_note(out, 6, x->note);
    fputs("      - { name: ", out);
    stg_yaml_write_scalar(out, x->name);
    fputs(", computer: ", out);
    stg_yaml_write_scalar(out, im->computers[x->computer].name);
    fprintf(out, ", kind: %s, size: %s, churn: ", kind_names[x->kind],
            size_exact(b1, sizeof b1, x->size));
    if (x->churn_relative) {
        number(b2, sizeof b2, x->churn * 100, 4);
        fprintf(out, "%s%%/day", b2);
    } else {
        fprintf(out, "%s/day", size_round(b2, sizeof b2, x->churn));
    }
    fputs(x->full_only ? ", express_full_only: true }\n" : " }\n", out);
}

static void put_groups(FILE *out, const stg_import *im)
{
    char b1[STG_QBUF], b2[STG_QBUF], b3[STG_QBUF];
    fputs("\ngroups:\n", out);
    for (int i = 0; i < im->ngroups; i++) {
        const stg_imp_group *g = &im->groups[i];
        put_note(out, 2, g->note);
        fputs("  - name: ", out);
        stg_yaml_write_scalar(out, g->name);
        fputs("\n    server: ", out);
        stg_yaml_write_scalar(out, im->servers[g->server].name);
        if (g->ef_points)
            fputs("\n", out);      /* no sync of its own */
        else if (g->before_rp)
            fputs("\n    sync: { before_recovery_point: true }\n", out);
        else
            fprintf(out, "\n    sync: { every: %s, offset: %s }\n",
                    stg_fmt_duration(b1, sizeof b1, g->every),
                    stg_fmt_duration(b2, sizeof b2, g->offset));
        if (g->nrp) {
            fputs("    recovery_points: { at: ", out);
            put_times(out, g->rp, g->nrp);
            fprintf(out, ", days: %s }\n", stg_fmt_days(b1, sizeof b1,
                                                        g->rp_days));
        }
        if (g->nef) {
            fputs("    express_full: { at: ", out);
            put_times(out, g->ef, g->nef);
            fprintf(out, ", days: %s }\n", stg_fmt_days(b1, sizeof b1,
                                                        g->ef_days));
        }
        if (g->has_cc)
            fprintf(out, "    consistency_check: { from: \"%s\", to: \"%s\", "
                    "days: %s }\n", stg_fmt_clock(b1, sizeof b1, g->cc_from),
                    stg_fmt_clock(b2, sizeof b2, g->cc_to),
                    stg_fmt_days(b3, sizeof b3, g->cc_days));
        fputs("    sources:\n", out);
        for (int k = 0; k < g->nsources; k++)
            put_source(out, im, &im->sources[g->first_source + k]);
    }
}

int stg_import_write(FILE *out, const stg_import *im,
                     const stg_dpm_export *const *exports,
                     const char *const *names, int nexports,
                     const stg_sites *sites, const char *sites_name)
{
    char b[STG_QBUF];
    put_header(out, exports, names, nexports, sites ? sites_name : NULL);
    fprintf(out, "stagger: 1\nutc_offset: %s      # the DPM server%s clock\n",
            utc(b, sizeof b, im->utc_offset), nexports == 1 ? "'s" : "s'");
    if (sites && sites->has_headroom) {
        char pct[64];
        number(pct, sizeof pct, sites->headroom * 100, 4);
        fprintf(out, "headroom: %s%%\n", pct);
    }
    put_links(out, sites);
    put_servers(out, im, sites);
    put_computers(out, im, sites);
    put_groups(out, im);
    return ferror(out) ? -1 : 0;
}
