/* stagger tests: `stagger import`'s pieces: the sites file reader
 * (io/read/sites_read.h), the mapping (model/import.h) and the fleet it
 * writes (io/write/import_write.h).
 *
 * The round trip: the examples of examples/dpm/ are imported, the fleet
 * text written and read back by the fleet reader, and every group's
 * sync, recovery points, express fulls (flex 0) and check window, every
 * computer's throttle and every source's size and kind must be what the
 * exports say, each churn what its succeeded synchronizations moved per
 * day of history; so `stagger check` of the fleet is DPM as it is.
 * Then the sites file's errors, one per edit, and the decisions of the
 * mapping on small made-up exports (docs/import.md). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/dpm_read.h"
#include "io/read/fleet_read.h"
#include "io/read/sites_read.h"
#include "io/write/import_write.h"
#include "io/write/report.h"
#include "model/alloc.h"
#include "model/import.h"

#define PARIS "examples/dpm/dpm01-paris.json"
#define LYON "examples/dpm/dpm02-lyon.json"
#define SITES "examples/dpm/sites.yaml"

static stg_dpm_export *export_file(const char *path)
{
    stg_diags d;
    char *text = NULL;
    size_t len = 0;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_file(path, &text, &len, &d);
    if (!e)
        stg_report_diags(stderr, path, text, len, &d);
    ck_assert_ptr_nonnull(e);
    stg_free(text);
    stg_diags_free(&d);
    return e;
}

static stg_sites *sites_text(const char *text, stg_diags *d)
{
    stg_diags_init(d);
    return stg_sites_read_buffer(text, strlen(text), d);
}

/* The fleet text of an import (stg_malloc'd). */
static char *written(const stg_import *im, const stg_dpm_export *const *ex,
                     int n, const stg_sites *s)
{
    static const char *const names[] = {"a.json", "b.json", "c.json"};
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(mem);
    ck_assert_int_eq(stg_import_write(mem, im, ex, names, n, s, "sites.yaml"),
                     0);
    fclose(mem);
    char *copy = stg_strdup(buf);
    free(buf);
    ck_assert_ptr_nonnull(copy);
    return copy;
}

static stg_fleet *read_back(const char *text)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, strlen(text), &d);
    if (!f || d.errors)
        stg_report_diags(stderr, "imported.yaml", text, strlen(text), &d);
    ck_assert_ptr_nonnull(f);
    stg_diags_free(&d);
    return f;
}

/* ---- the round trip ---------------------------------------------------- */

static const stg_source *fleet_source(const stg_fleet *f, const stg_group *g,
                                      const stg_dpm_source *x)
{
    const stg_source *found = NULL;
    for (int i = 0; i < g->nsources; i++) {
        const stg_source *s = &f->sources[g->sources[i]];
        if (strcmp(f->computers[s->computer].name, x->computer))
            continue;
        /* its own name, or "NAME (COMPUTER)" where the name is shared */
        size_t n = strlen(x->name);
        if (!strcmp(s->name, x->name) ||
            (!strncmp(s->name, x->name, n) && s->name[n] == ' ')) {
            ck_assert_ptr_null(found);
            found = s;
        }
    }
    ck_assert_msg(found != NULL, "no source %s on %s", x->name, x->computer);
    return found;
}

static void same_times(const int *at, int n, unsigned days,
                       const stg_dpm_times *t)
{
    ck_assert_int_eq(n, t->ntimes);
    for (int i = 0; i < n; i++)
        ck_assert_int_eq(at[i], t->times[i]);
    ck_assert_uint_eq(days, t->days);
}

/* The churn the history says: succeeded synchronizations' bytes per day
 * from the first job to the collection. */
static double history_churn(const stg_dpm_export *e, const char *group,
                            const stg_dpm_source *x)
{
    double bytes = 0;
    long long first = e->collected;
    int n = 0;
    for (int j = 0; j < e->njobs; j++) {
        const stg_dpm_job *job = &e->jobs[j];
        if (job->start < first)
            first = job->start;
        if (job->group && job->source && job->computer &&
            !strcmp(job->type, "Replication") &&
            !strcmp(job->status, "Succeeded") && job->bytes >= 0 &&
            !strcmp(job->group, group) && !strcmp(job->source, x->name) &&
            !strcmp(job->computer, x->computer)) {
            bytes += job->bytes;
            n++;
        }
    }
    double days = (double)(e->collected - first) / 86400;
    return n ? bytes / (days < 1 ? 1 : days) : -1;
}

static void compare(const stg_fleet *f, const stg_dpm_export *e)
{
    ck_assert_int_eq(f->utc_offset, e->utc_offset);
    int server = stg_fleet_server(f, e->server);
    ck_assert_int_ge(server, 0);
    for (int gi = 0; gi < e->ngroups; gi++) {
        const stg_dpm_group *dg = &e->groups[gi];
        int g = stg_fleet_group(f, dg->name);
        if (g < 0) {            /* a name two servers have */
            char *renamed = stg_asprintf("%s (%.*s)", dg->name,
                                         (int)strcspn(e->server, "."),
                                         e->server);
            g = stg_fleet_group(f, renamed);
            stg_free(renamed);
        }
        ck_assert_msg(g >= 0, "group %s is not in the fleet", dg->name);
        const stg_group *fg = &f->groups[g];
        ck_assert_int_eq(fg->server, server);
        /* a sync before each recovery point whose recovery points are
         * the express fulls: no sync, its sources express_full_only */
        bool ef_points = dg->before_recovery_point && !dg->has_rp;
        ck_assert(fg->before_rp == (dg->before_recovery_point && !ef_points));
        for (int k = 0; k < fg->nsources; k++)
            ck_assert(f->sources[fg->sources[k]].full_only == ef_points);
        if (ef_points) {
            /* its sync is the fleet's default, and moves nothing */
        } else if (!dg->before_recovery_point) {
            ck_assert_int_eq(fg->sync_every, dg->every_min * 60);
            ck_assert_int_eq(fg->sync_offset, dg->offset_min * 60);
        } else {
            ck_assert_int_eq(fg->sync_offset, 0);
        }
        if (dg->has_rp)
            same_times(fg->rp_at, fg->nrp, fg->rp_days, &dg->rp);
        else
            ck_assert_int_eq(fg->nrp, 0);
        if (dg->has_ef)
            same_times(fg->ef_at, fg->nef, fg->ef_days, &dg->ef);
        else
            ck_assert_int_eq(fg->nef, 0);
        ck_assert_int_eq(fg->ef_flex, 0);
        ck_assert(fg->has_cc == dg->has_cc);
        if (dg->has_cc) {
            ck_assert_int_eq(fg->cc_from, dg->cc_start);
            ck_assert_int_eq(stg_cc_window_len(fg), dg->cc_hours * 3600);
            ck_assert_uint_eq(fg->cc_days, dg->cc_days);
        }
        ck_assert_int_eq(fg->nsources, dg->nsources);
        for (int si = 0; si < dg->nsources; si++) {
            const stg_dpm_source *x = &dg->sources[si];
            const stg_source *s = fleet_source(f, fg, x);
            double size = x->used_bytes >= 0 ? x->used_bytes
                                              : x->replica_bytes;
            ck_assert_msg(s->size == size, "%s: size %.0f, export %.0f",
                          x->name, s->size, size);
            static const char *const types[] = {
                "Volume", "SQL", "Exchange", "SharePoint", "HyperV",
                "SystemProtection", "Client"
            };
            ck_assert_msg(!strcmp(types[s->kind], x->type) ||
                          (s->kind == STG_SRC_FILE &&
                           !strcmp(x->type, "Share")),
                          "%s: kind %d for %s", x->name, s->kind, x->type);
            double churn = history_churn(e, dg->name, x);
            ck_assert(churn > 0);
            /* written with three decimals of its unit */
            ck_assert_msg(fabs(s->churn - churn) <= churn * 1e-3,
                          "%s: churn %.0f, history %.0f", x->name, s->churn,
                          churn);
        }
    }
    for (int ci = 0; ci < e->ncomputers; ci++) {
        const stg_dpm_computer *x = &e->computers[ci];
        int c = stg_fleet_computer(f, x->name);
        ck_assert_int_ge(c, 0);
        const stg_computer *fc = &f->computers[c];
        ck_assert_int_eq(fc->server, server);
        const stg_throttle *t = &fc->throttle;
        if (x->throttle != STG_DPM_THROTTLE_ON) {
            ck_assert_int_eq(t->kind, STG_THROTTLE_AUTO);
            ck_assert(!t->has_hours);
            continue;
        }
        ck_assert_int_eq(t->kind, STG_THROTTLE_WORK);
        ck_assert(t->work == x->work_bps);
        ck_assert(t->other == x->other_bps);
        ck_assert_int_eq(t->hours_from, x->work_start);
        ck_assert_int_eq(t->hours_to, x->work_end);
        ck_assert_uint_eq(t->days, x->work_days);
    }
}

START_TEST(round_trip)
{
    const stg_dpm_export *ex[2] = {export_file(PARIS), export_file(LYON)};
    stg_diags d;
    char *text = NULL;
    size_t len;
    stg_diags_init(&d);
    stg_sites *s = stg_sites_read_file(SITES, &text, &len, &d);
    ck_assert_ptr_nonnull(s);
    stg_free(text);
    stg_import *im = NULL;
    static const char *const names[] = {PARIS, LYON};
    ck_assert_int_eq(stg_import_build(ex, names, 2, s, SITES, &im, &d), 0);
    ck_assert_uint_eq(d.errors, 0);
    /* the examples' imperfections: a replica size, a throttle not known,
     * a group name on both servers */
    ck_assert_uint_eq(d.count, 4);
    ck_assert_int_eq(im->churn_history, im->nsources);
    ck_assert_int_eq(im->throttle_unknown, 1);
    ck_assert_int_eq(im->groups_renamed, 2);
    ck_assert_int_eq(im->sources_renamed, 6);
    char *fleet = written(im, ex, 2, s);
    stg_fleet *f = read_back(fleet);
    ck_assert_int_eq(f->nservers, 2);
    ck_assert_int_eq(f->nlinks, s->nlinks);
    ck_assert_int_eq(f->ngroups, ex[0]->ngroups + ex[1]->ngroups);
    ck_assert(fabs(f->headroom - 0.15) < 1e-12);
    compare(f, ex[0]);
    compare(f, ex[1]);
    /* the paths are the sites' and the servers' */
    int c = stg_fleet_computer(f, "FS01.rennes.contoso.local");
    ck_assert_int_eq(f->computers[c].npath, 1);
    ck_assert_str_eq(f->links[f->computers[c].path[0]].name, "rennes-wan");
    ck_assert_int_eq(f->computers[c].nfull_path, 2);
    int sv = stg_fleet_server(f, "DPM01.paris.contoso.local");
    ck_assert_int_eq(f->servers[sv].max_jobs, 20);
    /* the notes */
    ck_assert_ptr_nonnull(strstr(fleet, "# check: its throttle is not in "
                                 "the export"));
    ck_assert_ptr_nonnull(strstr(fleet, "name: 'System Protection (FS01."
                                 "paris.contoso.local)'"));
    stg_fleet_free(f);
    stg_free(fleet);
    stg_import_free(im);
    stg_sites_free(s);
    stg_diags_free(&d);
    stg_dpm_export_free((stg_dpm_export *)ex[0]);
    stg_dpm_export_free((stg_dpm_export *)ex[1]);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the sites file ---------------------------------------------------- */

static const char good_sites[] =
    "stagger_sites: 1\n"
    "headroom: 20%\n"
    "churn: 3%/day\n"
    "links:\n"
    "  - name: wan1\n"
    "    capacity: 20Mbps\n"
    "    background:\n"
    "      - { from: \"08:00\", to: \"18:00\", rate: 6Mbps, days: weekdays }\n"
    "  - { name: core, capacity: 1Gbps }\n"
    "servers:\n"
    "  - { name: DPM01.contoso.local, path: [core], max_jobs: 4 }\n"
    "sites:\n"
    "  - name: branch\n"
    "    path: [wan1]\n"
    "    computers: [\"*.branch.contoso.local\", \"BR-??\"]\n"
    "    churn: 60GB/day\n"
    "    utc_offset: \"-05:00\"\n"
    "  - { name: dc, path: [], computers: [\"*\"] }\n";

START_TEST(sites_good)
{
    stg_diags d;
    stg_sites *s = sites_text(good_sites, &d);
    if (!s)
        stg_report_diags(stderr, "sites", good_sites, strlen(good_sites), &d);
    ck_assert_ptr_nonnull(s);
    ck_assert(s->has_headroom && fabs(s->headroom - 0.2) < 1e-12);
    ck_assert(s->churn.set && s->churn.relative &&
              fabs(s->churn.value - 0.03) < 1e-12);
    ck_assert_int_eq(s->nlinks, 2);
    ck_assert(s->links[0].capacity == 20e6);
    ck_assert_int_eq(s->links[0].nbackground, 1);
    ck_assert_uint_eq(s->links[0].background[0].days, STG_WEEKDAYS);
    ck_assert_int_eq(s->nservers, 1);
    ck_assert_int_eq(s->servers[0].path[0], 1);
    ck_assert_int_eq(s->servers[0].max_jobs, 4);
    ck_assert_int_eq(s->nsites, 2);
    ck_assert(!s->sites[0].churn.relative &&
              s->sites[0].churn.value == 60e9);
    ck_assert(s->sites[0].has_utc);
    ck_assert_int_eq(s->sites[0].utc_offset, -5 * 3600);
    /* first match wins, patterns any case */
    ck_assert_int_eq(stg_sites_match(s, "fs01.BRANCH.contoso.local"), 0);
    ck_assert_int_eq(stg_sites_match(s, "br-07"), 0);
    ck_assert_int_eq(stg_sites_match(s, "BR-100"), 1);
    ck_assert_int_eq(stg_sites_match(s, "sql01.dc.contoso.local"), 1);
    ck_assert_int_eq(stg_sites_server(s, "dpm01.CONTOSO.local"), 0);
    stg_sites_free(s);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(glob)
{
    ck_assert(stg_glob_match("*", ""));
    ck_assert(stg_glob_match("*.lyon.*", "FS01.LYON.contoso.local"));
    ck_assert(!stg_glob_match("*.lyon", "FS01.lyon.contoso.local"));
    ck_assert(stg_glob_match("fs0?.*", "FS07.x"));
    ck_assert(!stg_glob_match("fs0?.*", "FS1.x"));
    ck_assert(stg_glob_match("a*b*c", "aXXbYYbc"));
    ck_assert(!stg_glob_match("a*b*c", "aXXbYYb"));
    ck_assert(stg_glob_match("**x", "x"));
}
END_TEST

static const struct {
    const char *from, *to;
    const char *want;           /* first error: LINE:COL: MESSAGE */
} bad_sites[] = {
    {"stagger_sites: 1", "stagger_sites: 2",
     "1:16: sites file format version \"2\" is not read here"},
    {"stagger_sites: 1\n", "",
     "1:1: a sites file has no stagger_sites"},
    {"headroom: 20%", "headroom: 100%",
     "2:11: headroom \"100%\" leaves nothing for transfers"},
    {"churn: 3%/day", "chrun: 3%/day",
     "3:1: unknown key \"chrun\" in a sites file"},
    {"    capacity: 20Mbps", "    capacity: 20",
     "6:15: capacity \"20\" has no unit"},
    {"    capacity: 20Mbps", "    capacity: 20mbps",
     "6:15: capacity \"20mbps\" has an unknown unit \"mbps\""},
    {"    capacity: 20Mbps", "    capacity: 0Mbps",
     "6:15: capacity \"0Mbps\" is not above zero"},
    {"  - { name: core, capacity: 1Gbps }",
     "  - { name: wan1, capacity: 1Gbps }",
     "9:13: duplicate link name \"wan1\" (first at line 5)"},
    {"rate: 6Mbps, days: weekdays", "rate: 6Mbps, days: workdays",
     "8:58: days \"workdays\" is not a day name"},
    {"path: [core]", "path: [cor]", "11:41: no link named \"cor\""},
    {"path: [core], max_jobs: 4", "path: [core], max_jobs: 0",
     "11:58: max_jobs \"0\" is below 1"},
    {"    path: [wan1]\n", "", "13:5: a site has no path"},
    {"\"*.branch.contoso.local\", \"BR-??\"", "",
     "15:16: site \"branch\" names no computers"},
    {"churn: 60GB/day", "churn: 60GB",
     "16:12: churn \"60GB\""},
    {"utc_offset: \"-05:00\"", "utc_offset: \"-5\"",
     "17:17: utc_offset \"-5\" is not a UTC offset"},
    {"{ name: dc,", "{ name: branch,",
     "18:13: duplicate site name \"branch\" (first at line 13)"},
    {"  - { name: DPM01.contoso.local", "  - { name: dpm01.contoso.local, "
     "path: [] }\n  - { name: DPM01.contoso.local",
     "12:13: duplicate server name \"DPM01.contoso.local\" (first at "
     "line 11)"},
    {"links:\n", "links: &a\n", "4:8: anchors are not supported (&a)"},
};

static char *edit(const char *text, const char *from, const char *to)
{
    const char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "no \"%s\"", from);
    char *out = stg_asprintf("%.*s%s%s", (int)(at - text), text, to,
                             at + strlen(from));
    ck_assert_ptr_nonnull(out);
    return out;
}

START_TEST(sites_bad)
{
    char *t = edit(good_sites, bad_sites[_i].from, bad_sites[_i].to);
    stg_diags d;
    stg_sites *s = sites_text(t, &d);
    ck_assert_ptr_null(s);
    ck_assert_uint_gt(d.count, 0);
    char got[1024];
    snprintf(got, sizeof got, "%d:%d: %s", d.items[0].loc.line,
             d.items[0].loc.col, d.items[0].msg);
    if (strncmp(got, bad_sites[_i].want, strlen(bad_sites[_i].want)))
        stg_report_diags(stderr, "sites", t, strlen(t), &d);
    ck_assert_msg(!strncmp(got, bad_sites[_i].want,
                           strlen(bad_sites[_i].want)), "got %s", got);
    ck_assert_ptr_nonnull(d.items[0].hint);
    stg_diags_free(&d);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the mapping's decisions ------------------------------------------- */

/* A small export of server `server`: its groups' JSON (a list's items),
 * its computers', its jobs'. */
static stg_dpm_export *small(const char *server, const char *offset,
                             const char *groups, const char *computers,
                             const char *jobs)
{
    char *t = stg_asprintf(
        "{ \"stagger_export\": 1, \"collected\": \"2026-11-30T00:00:00\",\n"
        "  \"utc_offset\": \"%s\",\n"
        "  \"server\": { \"name\": \"%s\", \"version\": \"10\" },\n"
        "  \"groups\": [%s],\n  \"computers\": [%s],\n  \"jobs\": [%s] }\n",
        offset, server, groups, computers, jobs);
    stg_diags d;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer(t, strlen(t), &d);
    if (!e)
        stg_report_diags(stderr, server, t, strlen(t), &d);
    ck_assert_ptr_nonnull(e);
    stg_diags_free(&d);
    stg_free(t);
    return e;
}

#define SRC(name, comp, type, used) \
    "{ \"name\": \"" name "\", \"computer\": \"" comp "\", \"type\": \"" \
    type "\", \"replica_bytes\": 2000000000000, \"used_bytes\": " used " }"
#define GROUP(name, sources) \
    "{ \"name\": \"" name "\", \"sync\": { \"every_minutes\": 60, " \
    "\"offset_minutes\": 0 }, \"recovery_points\": null, " \
    "\"express_full\": null, \"consistency_check\": null, " \
    "\"sources\": [" sources "] }"
#define THROTTLE(comp, on) \
    "{ \"name\": \"" comp "\", \"throttle\": { \"enabled\": true, " \
    "\"work_kbps\": 40000, \"other_kbps\": 80000, \"work_start\": " \
    "\"08:00\", \"work_end\": \"18:00\", \"work_days\": " on " } }"

static const char small_sites[] =
    "stagger_sites: 1\n"
    "links:\n"
    "  - { name: wan, capacity: 50Mbps }\n"
    "sites:\n"
    "  - { name: b, path: [wan], computers: [\"*.b.local\"], churn: 60GB/day }\n"
    "  - { name: unused, path: [], computers: [\"*.nowhere\"] }\n";

/* Builds the import of n exports; returns build's code, the messages
 * in d (caller frees), *im when built. */
static int build(stg_dpm_export **ex, int n, const char *sites_text_,
                 stg_import **im, stg_diags *d)
{
    static const char *const names[] = {"one.json", "two.json"};
    stg_diags sd;
    stg_sites *s = sites_text_ ? sites_text(sites_text_, &sd) : NULL;
    if (sites_text_) {
        ck_assert_ptr_nonnull(s);
        stg_diags_free(&sd);
    }
    stg_diags_init(d);
    int rc = stg_import_build((const stg_dpm_export *const *)ex, names, n, s,
                              "sites.yaml", im, d);
    stg_diags_sort(d);
    if (*im && s) {             /* the fleet reads back (without links, it
                                   is refused: the user adds them) */
        char *fleet = written(*im, (const stg_dpm_export *const *)ex, n, s);
        stg_diags fd;
        stg_diags_init(&fd);
        stg_fleet *f = stg_fleet_read_buffer(fleet, strlen(fleet), &fd);
        if (!f)
            stg_report_diags(stderr, "fleet", fleet, strlen(fleet), &fd);
        ck_assert_ptr_nonnull(f);
        stg_fleet_free(f);
        stg_diags_free(&fd);
        stg_free(fleet);
    }
    stg_sites_free(s);
    return rc;
}

static bool said(const stg_diags *d, stg_diag_level level, int file,
                 const char *part)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].level == level && d->items[i].loc.file == file &&
            strstr(d->items[i].msg, part))
            return true;
    return false;
}

static void done(stg_dpm_export **ex, int n, stg_import *im, stg_diags *d)
{
    for (int i = 0; i < n; i++)
        stg_dpm_export_free(ex[i]);
    stg_import_free(im);
    stg_diags_free(d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

START_TEST(decisions)
{
    /* sizes, kinds, throttles, churn without history */
    stg_dpm_export *ex[1] = {small("DPM01",
        "+01:00",
        GROUP("Files", SRC("C:\\\\", "FS01.b.local", "Volume", "null") ","
              SRC("C:\\\\", "FS02.b.local", "Volume", "5") ","
              SRC("Odd", "FS02.b.local", "Oracle", "7")) ","
        GROUP("Empty", ""),
        THROTTLE("FS01.b.local", "[]") "," THROTTLE("FS02.b.local",
                                                    "[\"Monday\"]"),
        "")};
    stg_import *im = NULL;
    stg_diags d;
    ck_assert_int_eq(build(ex, 1, small_sites, &im, &d), 0);
    ck_assert_int_eq(im->ngroups, 1);
    ck_assert_int_eq(im->groups_empty, 1);
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "group Empty has no data "
                   "sources: left out"));
    ck_assert_int_eq(im->nsources, 3);
    ck_assert_str_eq(im->sources[0].name, "C:\\ (FS01)");
    ck_assert_str_eq(im->sources[1].name, "C:\\ (FS02)");
    ck_assert(im->sources[0].size == 2e12);         /* the replica's */
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "no used size in the export"));
    ck_assert(im->sources[1].size == 5);
    ck_assert_int_eq(im->sources[2].kind, STG_SRC_FILE);
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "DPM's type Oracle is not one "
                   "stagger knows"));
    /* the site's churn; a warning for the export without history */
    ck_assert(!im->sources[0].churn_relative &&
              im->sources[0].churn == 60e9);
    ck_assert_int_eq(im->churn_sites, 3);
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "the export has no job "
                   "history"));
    /* no work day: the other rate all the time; the pair above the 50Mbps
     * of the link: capped */
    ck_assert_int_eq(im->computers[0].throttle.kind, STG_THROTTLE_RATE);
    ck_assert(im->computers[0].throttle.rate == 50e6);
    ck_assert_int_eq(im->computers[1].throttle.kind, STG_THROTTLE_WORK);
    ck_assert(im->computers[1].throttle.work == 40e6);
    ck_assert(im->computers[1].throttle.other == 50e6);
    ck_assert_uint_eq(im->computers[1].throttle.days, STG_MON);
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "DPM's other throttle of 80Mbps "
                   "is above the 50Mbps of link wan"));
    ck_assert_int_eq(im->throttle_capped, 2);
    /* the unused site */
    ck_assert(said(&d, STG_DIAG_WARNING, 1, "site unused matches no "
                   "computer"));
    ck_assert_uint_eq(d.errors, 0);
    done(ex, 1, im, &d);
}
END_TEST

START_TEST(history_and_defaults)
{
    /* one source synced (its bytes per day of history), one not: the
     * sites file's churn, then stagger's */
    const char *jobs =
        "{ \"type\": \"Replication\", \"group\": \"G\", \"source\": \"A\", "
        "\"computer\": \"X.b.local\", \"start\": \"2026-11-20T00:00:00\", "
        "\"end\": \"2026-11-20T00:01:00\", \"status\": \"Succeeded\", "
        "\"error_id\": null, \"bytes\": 1000000000 },"
        "{ \"type\": \"Replication\", \"group\": \"G\", \"source\": \"A\", "
        "\"computer\": \"X.b.local\", \"start\": \"2026-11-21T00:00:00\", "
        "\"end\": \"2026-11-21T00:01:00\", \"status\": \"Failed\", "
        "\"error_id\": 308, \"bytes\": 7000000000 },"
        "{ \"type\": \"ShadowCopy\", \"group\": \"G\", \"source\": \"B\", "
        "\"computer\": \"X.b.local\", \"start\": \"2026-11-25T00:00:00\", "
        "\"end\": null, \"status\": \"InProgress\", \"error_id\": null, "
        "\"bytes\": null }";
    stg_dpm_export *ex[1] = {small("DPM01", "+01:00",
        GROUP("G", SRC("A", "X.b.local", "Volume", "1000") ","
              SRC("B", "X.b.local", "SQL", "1000")), "", jobs)};
    stg_import *im = NULL;
    stg_diags d;
    /* without a sites file: no links, stagger's churn */
    ck_assert_int_eq(build(ex, 1, NULL, &im, &d), 0);
    ck_assert(!im->sources[0].churn_relative);
    ck_assert(fabs(im->sources[0].churn - 1e9 / 10.0) < 1);   /* 10 days */
    ck_assert(im->sources[1].churn_relative &&
              im->sources[1].churn == STG_IMPORT_CHURN);
    ck_assert_int_eq(im->churn_default, 1);
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "data source B of group G has "
                   "no succeeded synchronization"));
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "the export lists no "
                   "computers"));
    ck_assert(said(&d, STG_DIAG_WARNING, 0, "no sites file"));
    ck_assert_int_eq(im->computers[0].site, -1);
    ck_assert_int_eq(im->computers[0].throttle.kind, STG_THROTTLE_AUTO);
    stg_import_free(im);
    stg_diags_free(&d);
    done(ex, 1, NULL, &d);
}
END_TEST

START_TEST(errors)
{
    stg_import *im = NULL;
    stg_diags d;
    /* another clock; the same server twice */
    stg_dpm_export *ex[2] = {
        small("DPM01", "+01:00", GROUP("G", SRC("A", "X.b.local", "Volume",
                                               "1")), "", ""),
        small("dpm01", "+02:00", GROUP("H", SRC("A", "Y.b.local", "Volume",
                                               "1")), "", "")};
    ck_assert_int_eq(build(ex, 2, small_sites, &im, &d), -1);
    ck_assert_ptr_null(im);
    ck_assert(said(&d, STG_DIAG_ERROR, 1, "DPM server dpm01 is +2.00 hours "
                   "from UTC, and DPM01 (one.json) +1.00"));
    ck_assert(said(&d, STG_DIAG_ERROR, 1, "DPM server dpm01 is exported in "
                   "one.json too"));
    ck_assert_int_eq(d.items[0].loc.line, 2);
    done(ex, 2, NULL, &d);

    /* a computer on two servers; one no site matches */
    stg_dpm_export *ey[2] = {
        small("DPM01", "+01:00", GROUP("G", SRC("A", "X.b.local", "Volume",
                                               "1")), "", ""),
        small("DPM02", "+01:00", GROUP("H", SRC("A", "X.b.local", "Volume",
                                               "1") ","
                                           SRC("B", "Z.elsewhere", "Volume",
                                               "1")), "", "")};
    ck_assert_int_eq(build(ey, 2, small_sites, &im, &d), -1);
    ck_assert(said(&d, STG_DIAG_ERROR, 1, "computer X.b.local has data "
                   "sources on DPM server DPM01 (one.json) and on DPM02 "
                   "(two.json)"));
    ck_assert(said(&d, STG_DIAG_ERROR, 1, "computer Z.elsewhere matches no "
                   "site of sites.yaml"));
    done(ey, 2, NULL, &d);

    /* a group name on both servers: named apart */
    stg_dpm_export *ez[2] = {
        small("DPM01.a", "+01:00", GROUP("G", SRC("A", "X.b.local", "Volume",
                                                 "1")), "", ""),
        small("DPM02.a", "+01:00", GROUP("G", SRC("A", "Y.b.local", "Volume",
                                                 "1")), "", "")};
    ck_assert_int_eq(build(ez, 2, small_sites, &im, &d), 0);
    ck_assert_str_eq(im->groups[0].name, "G (DPM01)");
    ck_assert_str_eq(im->groups[1].name, "G (DPM02)");
    done(ez, 2, im, &d);
}
END_TEST

/* Every allocation of a build fails in turn: -2 with oom, nothing left. */
START_TEST(each_allocation)
{
    stg_dpm_export *ex[1] = {small("DPM01", "+01:00",
        GROUP("Files", SRC("C:\\\\", "FS01.b.local", "Volume", "null") ","
              SRC("C:\\\\", "FS02.b.local", "Volume", "5")),
        THROTTLE("FS01.b.local", "[\"Monday\"]"), "")};
    stg_diags sd, d;
    stg_sites *s = sites_text(small_sites, &sd);
    static const char *const names[] = {"one.json"};
    stg_import *im = NULL;
    long before = stg_alloc_count();
    stg_diags_init(&d);
    ck_assert_int_eq(stg_import_build((const stg_dpm_export *const *)ex,
                                      names, 1, s, "s", &im, &d), 0);
    long total = stg_alloc_count() - before;
    stg_import_free(im);
    stg_diags_free(&d);
    long live = stg_alloc_live();
    for (long k = 1; k <= total; k++) {
        stg_diags_init(&d);
        stg_alloc_fail_at(stg_alloc_count() + k);
        int rc = stg_import_build((const stg_dpm_export *const *)ex, names,
                                  1, s, "s", &im, &d);
        stg_alloc_fail_at(0);
        ck_assert(rc == 0 || (rc == -2 && d.oom && !im));
        stg_import_free(im);
        im = NULL;
        stg_diags_free(&d);
        ck_assert_int_eq(stg_alloc_live(), live);
    }
    stg_sites_free(s);
    stg_diags_free(&sd);
    done(ex, 1, NULL, &d);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("import");
    TCase *tc = tcase_create("import");
    tcase_add_test(tc, round_trip);
    tcase_add_test(tc, sites_good);
    tcase_add_test(tc, glob);
    tcase_add_loop_test(tc, sites_bad, 0,
                        (int)(sizeof bad_sites / sizeof *bad_sites));
    tcase_add_test(tc, decisions);
    tcase_add_test(tc, history_and_defaults);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, each_allocation);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
