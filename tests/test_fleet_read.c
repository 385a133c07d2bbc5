/* stagger tests: the fleet reader (io/read/fleet_read.h), the model's checks
 * (model/fleet.h) and the report (io/write/report.h).
 *
 * tests/data/fleet/every-key.yaml writes every key of fleet.md; each value
 * is checked here.  tests/data/bad/NAME.yaml is one file per class of
 * error, NAME.expect the exact first diagnostic as `LINE:COL: MESSAGE;
 * HINT` (the report's first line without the file name); the table below
 * also gives the number of errors and whether a fleet is still returned
 * (files with warnings only). */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "io/read/ynode.h"
#include "io/write/report.h"
#include "io/read/suggest.h"
#include "model/alloc.h"
#include "model/fleet.h"
#include "model/quantity.h"

#define H (3600)
#define EVERY_KEY "tests/data/fleet/every-key.yaml"

/* ---- helpers --------------------------------------------------------- */

/* The whole file (stg_malloc'd, NUL-terminated). */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = stg_malloc(cap);
    ck_assert_ptr_nonnull(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (cap - n - 1 == 0) {
            ck_assert_int_eq(stg_grow((void **)&buf, &cap, cap * 2, 1), 0);
        }
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A diagnostic as the .expect files write it. */
static void diag_line(char *buf, size_t size, const stg_diag *it)
{
    snprintf(buf, size, "%d:%d: %s%s%s%s", it->loc.line, it->loc.col,
             it->level == STG_DIAG_WARNING ? "warning: " : "", it->msg,
             it->hint ? "; " : "", it->hint ? it->hint : "");
}

static stg_fleet *read_text(const char *text, stg_diags *d)
{
    stg_diags_init(d);
    return stg_fleet_read_buffer(text, strlen(text), d);
}

/* Prints what went wrong, for a failing test's log. */
static void show(const char *name, const char *text, const stg_diags *d)
{
    stg_report_diags(stderr, name, text, text ? strlen(text) : 0, d);
}

/* ---- the good fleet: every key --------------------------------------- */

START_TEST(every_key)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    stg_fleet *f = stg_fleet_read_file(EVERY_KEY, &text, &len, &d);
    if (!f)
        show(EVERY_KEY, text, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, strlen(text));

    /* one warning: app01 is unthrottled */
    ck_assert_uint_eq(d.errors, 0);
    ck_assert_uint_eq(d.count, 1);
    ck_assert_int_eq(d.items[0].level, STG_DIAG_WARNING);
    ck_assert_int_eq(d.items[0].loc.line, 69);
    ck_assert_int_eq(d.items[0].loc.col, 15);
    ck_assert_str_eq(d.items[0].msg, "computer app01 is unthrottled: its transfers "
                     "take the whole 100Mbps of branch-wan and leave no headroom");

    /* top level */
    ck_assert_int_eq(f->version, 1);
    ck_assert_int_eq(f->cycle, STG_WEEK);
    ck_assert(f->cycle_set);
    ck_assert_int_eq(f->cycle_loc.line, 5);
    ck_assert_int_eq(f->resolution, 300);
    ck_assert_int_eq(f->resolution_loc.line, 6);
    ck_assert(f->headroom == 0.2);
    ck_assert_int_eq(f->headroom_loc.line, 7);
    ck_assert_int_eq(f->headroom_loc.col, 11);
    ck_assert(f->efficiency == 0.9);

    /* links */
    ck_assert_int_eq(f->nlinks, 2);
    stg_link *wan = &f->links[0], *core = &f->links[1];
    ck_assert_str_eq(wan->name, "branch-wan");
    ck_assert(wan->capacity == 100e6);
    ck_assert_int_eq(wan->capacity_loc.line, 41);
    ck_assert_int_eq(wan->capacity_loc.col, 15);
    ck_assert_int_eq(wan->nbackground, 2);
    ck_assert_int_eq(wan->background[0].from, 8 * H);
    ck_assert_int_eq(wan->background[0].to, 18 * H);
    ck_assert(wan->background[0].rate == 30e6);
    ck_assert_uint_eq(wan->background[0].days, STG_WEEKDAYS);
    ck_assert_int_eq(wan->background[1].from, 22 * H);
    ck_assert_int_eq(wan->background[1].to, 2 * H);
    ck_assert(wan->background[1].rate == 10e6);
    ck_assert_uint_eq(wan->background[1].days, STG_DAILY);
    ck_assert_str_eq(core->name, "dc-core");
    ck_assert(core->capacity == 1e9);
    ck_assert_int_eq(core->nbackground, 0);

    /* servers */
    ck_assert_int_eq(f->nservers, 2);
    ck_assert_str_eq(f->servers[0].name, "dpm01");
    ck_assert_int_eq(f->servers[0].npath, 1);
    ck_assert_int_eq(f->servers[0].path[0], 1);
    ck_assert_int_eq(f->servers[0].max_jobs, 10);
    ck_assert_str_eq(f->servers[1].name, "dpm02");
    ck_assert_int_eq(f->servers[1].npath, 0);
    ck_assert_int_eq(f->servers[1].max_jobs, 0);

    /* computers */
    ck_assert_int_eq(f->ncomputers, 5);
    int fs01 = stg_fleet_computer(f, "fs01"), sql01 = stg_fleet_computer(f, "sql01");
    int mail01 = stg_fleet_computer(f, "mail01"), app01 = stg_fleet_computer(f, "app01");
    int spare01 = stg_fleet_computer(f, "spare01");
    ck_assert_int_eq(fs01, 0);
    ck_assert_int_eq(spare01, 4);
    ck_assert_int_eq(stg_fleet_computer(f, "fs02"), -1);
    const stg_computer *c = &f->computers[fs01];
    ck_assert_int_eq(c->server, 0);             /* from its group */
    ck_assert_int_eq(c->server_loc.line, 0);
    ck_assert_int_eq(c->npath, 1);
    ck_assert_int_eq(c->path[0], 0);
    ck_assert_int_eq(c->nfull_path, 2);
    ck_assert_int_eq(c->full_path[0], 0);
    ck_assert_int_eq(c->full_path[1], 1);
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_RATE);
    ck_assert(c->throttle.rate == 40e6);
    ck_assert_int_eq(c->throttle_loc.line, 57);
    c = &f->computers[sql01];
    ck_assert_int_eq(c->server, 0);
    ck_assert_int_eq(c->server_loc.line, 59);
    ck_assert_int_eq(c->npath, 2);
    ck_assert_int_eq(c->nfull_path, 2);         /* dc-core once */
    ck_assert_int_eq(c->full_path[0], 0);
    ck_assert_int_eq(c->full_path[1], 1);
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_WORK);
    ck_assert(c->throttle.work == 10e6);
    ck_assert(c->throttle.other == 60e6);
    ck_assert(c->throttle.has_hours);
    ck_assert_int_eq(c->throttle.hours_from, 8 * H);
    ck_assert_int_eq(c->throttle.hours_to, 18 * H);
    ck_assert_uint_eq(c->throttle.days, STG_WEEKDAYS);
    c = &f->computers[mail01];
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_AUTO);
    ck_assert(c->throttle.has_hours);
    ck_assert_int_eq(c->throttle.hours_from, 7 * H);
    ck_assert_int_eq(c->throttle.hours_to, 19 * H);
    ck_assert_uint_eq(c->throttle.days, STG_MON | STG_TUE | STG_WED | STG_THU);
    c = &f->computers[app01];
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_NONE);
    ck_assert_int_eq(c->server, 1);
    ck_assert_int_eq(c->nfull_path, 1);
    c = &f->computers[spare01];
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_AUTO);
    ck_assert(!c->throttle.has_hours);
    ck_assert_int_eq(c->throttle_loc.line, c->loc.line);
    /* clocks: the servers' at +01:00, spare01's at -06:00, the others the
     * servers' */
    ck_assert_int_eq(f->utc_offset, 3600);
    ck_assert(c->utc_offset_set);
    ck_assert_int_eq(c->utc_offset, -6 * 3600);
    ck_assert_int_eq(c->utc_loc.line, 73);
    ck_assert_int_eq(c->throttle.shift, -7 * 3600);
    ck_assert(!f->computers[app01].utc_offset_set);
    ck_assert_int_eq(f->computers[app01].throttle.shift, 0);

    /* groups */
    ck_assert_int_eq(f->ngroups, 3);
    int files = stg_fleet_group(f, "Files"), sql = stg_fleet_group(f, "SQL");
    int mail = stg_fleet_group(f, "Mail");
    ck_assert_int_eq(stg_fleet_group(f, "files"), -1);
    const stg_group *g = &f->groups[files];
    ck_assert_int_eq(g->loc.line, 11);
    ck_assert_int_eq(g->loc.col, 11);
    ck_assert_int_eq(g->server, 0);
    ck_assert_int_eq(g->server_loc.line, 12);
    ck_assert_int_eq(g->sync_every, 30 * 60);
    ck_assert_int_eq(g->sync_offset, 10 * 60);
    ck_assert_int_eq(g->offset_loc.line, 13);
    ck_assert(!g->before_rp);
    ck_assert_int_eq(g->nrp, 2);
    ck_assert_int_eq(g->rp_at[0], 8 * H);       /* sorted */
    ck_assert_int_eq(g->rp_at[1], 20 * H);
    ck_assert_uint_eq(g->rp_days, STG_MON | STG_WED | STG_FRI);
    ck_assert(g->has_cc);
    ck_assert_int_eq(g->cc_from, 22 * H);
    ck_assert_int_eq(g->cc_to, 6 * H);
    ck_assert_uint_eq(g->cc_days, STG_WEEKEND);
    ck_assert_int_eq(g->max_lag, 2 * H);
    ck_assert(fabs(g->saving - 0.40) < 1e-12);
    ck_assert_int_eq(g->nef, 0);
    ck_assert_int_eq(g->nsources, 2);
    const stg_source *s = &f->sources[g->sources[0]];
    ck_assert_str_eq(s->name, "D:\\Shares");
    ck_assert_int_eq(s->computer, fs01);
    ck_assert_int_eq(s->kind, STG_SRC_FILE);
    ck_assert(s->size == 2e12);
    ck_assert(s->churn == 4e10);                /* 2%/day of 2TB */
    ck_assert(s->sync_volume < 0 && s->full_volume < 0 && s->cc_volume < 0);
    ck_assert(s->cc_ratio == 0.01);
    s = &f->sources[g->sources[1]];
    ck_assert_str_eq(s->name, "E:\\Home");
    ck_assert(s->size == 750 * 1073741824.0);
    ck_assert(s->churn == 6e9);
    ck_assert(s->sync_volume == 1e8);
    ck_assert(s->cc_volume == 5e9);
    ck_assert(s->full_volume < 0);

    g = &f->groups[sql];
    ck_assert_int_eq(g->server, 0);             /* from sql01 */
    ck_assert_int_eq(g->server_loc.line, 0);
    ck_assert(g->before_rp);
    ck_assert_int_eq(g->sync_every, 0);
    ck_assert_int_eq(g->sync_offset, 15 * 60);
    ck_assert_int_eq(g->nrp, 2);
    ck_assert_int_eq(g->rp_at[0], 12 * H);
    ck_assert_uint_eq(g->rp_days, STG_DAILY);
    ck_assert_int_eq(g->nef, 1);
    ck_assert_int_eq(g->ef_at[0], 21 * H);
    ck_assert_uint_eq(g->ef_days, STG_WEEKDAYS);
    ck_assert_int_eq(g->ef_flex, H);
    ck_assert(!g->has_cc);
    ck_assert_int_eq(g->max_lag, 0);
    ck_assert(g->saving == 0);
    s = &f->sources[g->sources[0]];
    ck_assert_int_eq(s->kind, STG_SRC_SQL);
    ck_assert(s->size == 400e9);
    ck_assert(s->churn == 20e9);
    ck_assert(s->full_volume == 30e9);
    ck_assert(s->cc_ratio == 0.02);
    s = &f->sources[g->sources[1]];
    ck_assert(s->size == 1.5 * 1099511627776.0);
    ck_assert(s->churn == 512e6);
    ck_assert(s->cc_ratio == 0.05);
    ck_assert(s->full_only);
    ck_assert(!f->sources[g->sources[0]].full_only);

    g = &f->groups[mail];
    ck_assert_int_eq(g->sync_every, H);
    ck_assert_int_eq(g->sync_offset, 0);
    ck_assert_int_eq(g->nef, 1);
    ck_assert_int_eq(g->ef_at[0], 20 * H);
    ck_assert_uint_eq(g->ef_days, STG_DAILY);
    ck_assert_int_eq(g->ef_flex, 0);
    ck_assert_int_eq(f->sources[g->sources[0]].kind, STG_SRC_EXCHANGE);
    ck_assert_int_eq(f->nsources, 5);

    /* the model's helpers on it */
    ck_assert_int_eq(stg_fleet_link(f, "dc-core"), 1);
    ck_assert_int_eq(stg_fleet_link(f, "nope"), -1);
    ck_assert_int_eq(stg_fleet_server(f, "dpm02"), 1);
    ck_assert(stg_fleet_bottleneck(f, fs01) == 100e6);
    ck_assert(stg_link_background_at(f, wan, 9 * H) == 30e6);            /* mon */
    ck_assert(stg_link_background_at(f, wan, 5 * 86400 + 9 * H) == 0);   /* sat */
    ck_assert(stg_link_background_at(f, wan, 23 * H) == 10e6);           /* mon night */
    ck_assert(stg_link_background_at(f, wan, 86400 + H) == 10e6);        /* into tue */
    ck_assert(stg_link_background_at(f, wan, H) == 10e6);                /* from sun */
    ck_assert(stg_link_background_at(f, wan, 3 * H) == 0);

    stg_fleet_free(f);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- defaults -------------------------------------------------------- */

static const char minimal[] =
    "stagger: 1\n"
    "links: [ { name: wan, capacity: 10Mbps } ]\n"
    "servers: [ { name: dpm01, path: [wan] } ]\n"
    "computers: [ { name: fs01 } ]\n"
    "groups:\n"
    "  - name: G\n"
    "    server: dpm01\n"
    "    sources: [ { name: s, computer: fs01, kind: file, size: 1TB, churn: 1%/day } ]\n";

START_TEST(defaults)
{
    stg_fleet *n = stg_fleet_new();
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->cycle, STG_DAY);
    ck_assert(!n->cycle_set);
    ck_assert_int_eq(n->resolution, 60);
    ck_assert(n->headroom == 0.15);
    ck_assert(n->efficiency == 0.8);
    stg_fleet_free(n);

    stg_diags d;
    stg_fleet *f = read_text(minimal, &d);
    if (!f)
        show("minimal", minimal, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(d.count, 0);
    ck_assert_int_eq(f->cycle, STG_DAY);        /* nothing names days */
    ck_assert(!f->cycle_set);
    ck_assert_int_eq(f->resolution, 60);
    ck_assert(f->headroom == 0.15);
    ck_assert(f->efficiency == 0.8);
    const stg_group *g = &f->groups[0];
    ck_assert_int_eq(g->sync_every, 900);
    ck_assert_int_eq(g->sync_offset, 0);
    ck_assert(!g->before_rp && !g->has_cc);
    ck_assert_int_eq(g->nrp + g->nef + g->max_lag, 0);
    const stg_computer *c = &f->computers[0];
    ck_assert_int_eq(c->server, 0);             /* from its group */
    ck_assert_int_eq(c->throttle.kind, STG_THROTTLE_AUTO);
    ck_assert(!c->throttle.has_hours);
    ck_assert_int_eq(c->nfull_path, 1);         /* the server's path */
    ck_assert(f->sources[0].cc_ratio == 0.01);
    ck_assert(f->sources[0].sync_volume < 0);
    stg_fleet_free(f);
    stg_diags_free(&d);

    /* a days value that is not daily makes the cycle a week */
    char text[1024];
    snprintf(text, sizeof text, "%s    recovery_points: { at: [\"20:00\"], days: weekdays }\n",
             minimal);
    f = read_text(text, &d);
    if (!f)
        show("weekdays", text, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->cycle, STG_WEEK);
    ck_assert(!f->cycle_set);
    stg_fleet_free(f);
    stg_diags_free(&d);

    /* so does a work/other throttle (days default to weekdays) */
    snprintf(text, sizeof text, "%s", minimal);
    char *at = strstr(text, "{ name: fs01 }");
    ck_assert_ptr_nonnull(at);
    snprintf(at, sizeof text - (size_t)(at - text),
             "{ name: fs01, throttle: { work: 2Mbps, other: 8Mbps, hours: \"08:00-18:00\" } } ]\n%s",
             strstr(minimal, "groups:"));
    f = read_text(text, &d);
    if (!f)
        show("work hours", text, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->cycle, STG_WEEK);
    ck_assert_uint_eq(f->computers[0].throttle.days, STG_WEEKDAYS);
    stg_fleet_free(f);
    stg_diags_free(&d);

    /* ... unless cycle: day is written: then they apply every day */
    char day[1200];
    snprintf(day, sizeof day, "cycle: day\n%s", text);
    f = read_text(day, &d);
    if (!f)
        show("work hours, day", day, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->cycle, STG_DAY);
    stg_fleet_free(f);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the table of bad files ------------------------------------------ */

static const struct {
    const char *name;
    int errors;                 /* errors reported */
    bool fleet;                 /* a fleet is returned (warnings only) */
} bad[] = {
    {"alias", 1, false},
    {"anchor", 1, false},
    {"bad-every", 1, false},
    {"full-only-file", 1, false},
    {"full-only-no-ef", 1, false},
    {"bad-unit", 1, false},
    {"before-rp-no-rp", 1, false},
    {"before-rp-offset", 1, false},
    {"bom-error", 1, false},
    {"capacity-hex", 1, false},
    {"capacity-huge", 1, false},
    {"capacity-inf", 1, false},
    {"capacity-nan", 1, false},
    {"capacity-negative", 1, false},
    {"capacity-tiny", 1, false},
    {"capacity-zero", 1, false},
    {"churn-huge", 1, false},
    {"churn-negative", 1, false},
    {"churn-week", 1, false},
    {"comments-only", 1, false},
    {"computer-volume", 1, false},
    {"crlf-error", 1, false},
    {"dangling-computer", 1, false},
    {"dangling-link", 1, false},
    {"dangling-server", 1, false},
    {"day-name", 1, false},
    {"days-cycle-day", 1, false},
    {"duplicate-key", 1, false},
    {"duplicate-key-flow", 1, false},
    {"duplicate-link", 1, false},
    {"duplicate-source", 1, false},
    {"duplicate-time", 1, false},
    {"ef-no-app", 0, true},
    {"efficiency-tiny", 1, false},
    {"efficiency-zero", 1, false},
    {"empty", 1, false},
    {"flex-too-big", 1, false},
    {"garbage-rate", 1, false},
    {"group-no-server", 1, false},
    {"headroom-full", 1, false},
    {"missing-capacity", 1, false},
    {"missing-sources", 1, false},
    {"multiple-errors", 6, false},
    {"name-too-long", 1, false},
    {"negative-size", 1, false},
    {"nesting-deep", 1, false},
    {"no-groups", 1, false},
    {"no-link-on-path", 0, true},
    {"no-sources", 1, false},
    {"no-unit", 1, false},
    {"not-utf8", 1, false},
    {"nul-byte", 1, false},
    {"nul-escape", 1, false},
    {"null-value", 1, false},
    {"offset-not-multiple", 1, false},
    {"offset-period", 1, false},
    {"path-twice", 1, false},
    {"ref-too-long", 1, false},
    {"resolution-period", 1, false},
    {"resolution-seconds", 1, false},
    {"server-conflict", 1, false},
    {"size-overflow", 1, false},
    {"size-space", 1, false},
    {"sync-too-slow", 1, false},
    {"tab-indent", 1, false},
    {"throttle-capacity", 1, false},
    {"throttle-mixed", 1, false},
    {"throttle-tiny", 1, false},
    {"throttle-zero", 1, false},
    {"time-not-multiple", 1, false},
    {"two-documents", 1, false},
    {"unknown-key-nested", 1, false},
    {"unknown-key-top", 1, false},
    {"unthrottled", 0, true},
    {"utc-offset", 1, false},
    {"version-2", 1, false},
    {"version-huge", 1, false},
    {"version-missing", 1, false},
    {"wrong-type-list", 1, false},
    {"wrong-type-scalar", 1, false},
    {"wrong-type-top", 1, false},
    {"yaml-syntax", 1, false},
};
#define NBAD ((int)(sizeof bad / sizeof bad[0]))

START_TEST(bad_file)
{
    char path[256], got[1400];
    snprintf(path, sizeof path, "tests/data/bad/%s.expect", bad[_i].name);
    char *expect = slurp(path, NULL);
    expect[strcspn(expect, "\n")] = '\0';

    snprintf(path, sizeof path, "tests/data/bad/%s.yaml", bad[_i].name);
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len;
    stg_fleet *f = stg_fleet_read_file(path, &text, &len, &d);
    if ((int)d.errors != bad[_i].errors || (f != NULL) != bad[_i].fleet)
        show(path, text, &d);
    ck_assert_msg((f != NULL) == bad[_i].fleet, "%s: fleet %s", bad[_i].name,
                  f ? "returned" : "not returned");
    ck_assert_int_eq((int)d.errors, bad[_i].errors);
    ck_assert_int_eq(d.dropped, 0);
    ck_assert_int_eq(d.oom, 0);
    ck_assert_uint_ge(d.count, 1);
    diag_line(got, sizeof got, &d.items[0]);
    ck_assert_str_eq(got, expect);
    /* the diagnostics come in file order */
    for (size_t i = 1; i < d.count; i++)
        ck_assert(d.items[i - 1].loc.line < d.items[i].loc.line ||
                  (d.items[i - 1].loc.line == d.items[i].loc.line &&
                   d.items[i - 1].loc.col <= d.items[i].loc.col));

    stg_fleet_free(f);
    stg_free(text);
    stg_free(expect);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* "did you mean" names the closest known name, not the first close one,
 * and a swap of two letters counts as one edit. */
START_TEST(did_you_mean_closest)
{
    static const char *const names[] = { "cl2-sql01", "cl3-sql01", "cl3-fs01" };
    char hint[256];
    stg_suggest(hint, sizeof hint, "cl3-sql1", names, 3, "computers");
    ck_assert_str_eq(hint, "did you mean \"cl3-sql01\"? computers are: "
                           "cl2-sql01, cl3-sql01, cl3-fs01");
    ck_assert(stg_close_to("chrun", "churn"));
    ck_assert(!stg_close_to("xyz", "churn"));
    stg_closest c;
    stg_closest_init(&c, "chrun");
    stg_closest_offer(&c, "cc_ratio");
    stg_closest_offer(&c, "churn");
    ck_assert_str_eq(c.best, "churn");
    ck_assert_int_eq(c.distance, 1);

    /* the same through the reader: an unknown key of a source */
    const char *text =
        "stagger: 1\n"
        "links: [{ name: wan, capacity: 10Mbps }]\n"
        "servers: [{ name: dpm01 }]\n"
        "computers: [{ name: fs01, server: dpm01, path: [wan], throttle: 8Mbps }]\n"
        "groups:\n"
        "  - name: Files\n"
        "    server: dpm01\n"
        "    sync: { every: 1h }\n"
        "    sources: [{ name: d, computer: fs01, kind: file, size: 1TB, chrun: 1%/day }]\n";
    stg_diags d;
    stg_fleet *f = read_text(text, &d);
    ck_assert_ptr_null(f);
    bool found = false;
    for (size_t i = 0; i < d.count; i++)
        found |= d.items[i].hint && strstr(d.items[i].hint, "did you mean \"churn\"?");
    ck_assert(found);
    stg_diags_free(&d);
}
END_TEST

/* Every error of a file is reported, each at its place. */
START_TEST(every_error_reported)
{
    static const char *const want[] = {
        "3:28: capacity \"100\" has no unit; write e.g. 100Mbps",
        "4:36: unknown key \"colour\" in a link; known keys: name, capacity, background",
        "6:26: no link named \"lan\"; did you mean \"wan\"? links are: wan, core",
        "6:42: throttle \"10mbps\" has an unknown unit \"mbps\"; units are "
        "case-sensitive: write 10Mbps",
        "9:20: every \"20m\" is not a DPM sync frequency; write one of 15m, 30m, "
        "45m, 1h, 2h, 4h, 6h, 12h, 24h",
        "11:66: churn \"3%\" has no period; write the churn per day, e.g. 3%/day",
    };
    char *text = slurp("tests/data/bad/multiple-errors.yaml", NULL);
    stg_diags d;
    stg_fleet *f = read_text(text, &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.count, 6);
    for (size_t i = 0; i < d.count; i++) {
        char got[1400];
        diag_line(got, sizeof got, &d.items[i]);
        ck_assert_str_eq(got, want[i]);
    }
    stg_diags_free(&d);

    /* with a limit of 3: three kept, the rest counted */
    stg_diags_init(&d);
    d.limit = 3;
    f = stg_fleet_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.count, 3);
    ck_assert_uint_eq(d.errors, 6);
    ck_assert_uint_eq(d.dropped, 3);
    stg_diags_free(&d);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A version other than 1 is the only error reported. */
START_TEST(version_alone)
{
    stg_diags d;
    stg_fleet *f = read_text("links: 5\nstagger: 3\nfoo: bar\n", &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.count, 1);
    ck_assert_str_eq(d.items[0].msg,
                     "stagger 3 is not a format version this program reads");
    stg_diags_free(&d);
    f = read_text("stagger: one\n", &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.count, 1);
    ck_assert_str_eq(d.items[0].msg, "stagger \"one\" is not a format version");
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Types: scalars, lists and mappings in each other's places. */
START_TEST(wrong_types)
{
    static const struct {
        const char *text, *first;
    } cases[] = {
        {"stagger: 1\nlinks: { name: wan }\n",
         "2:8: links must be a list, not a mapping; write e.g. links: "
         "[{ name: branch1-wan, capacity: 100Mbps }]"},
        {"stagger: 1\nlinks: [ wan ]\n",
         "2:10: an entry of links must be a mapping, not a single value; "
         "write e.g. - { name: branch1-wan, capacity: 100Mbps }"},
        {"stagger: 1\nlinks: [ { name: [wan], capacity: 1Mbps } ]\n",
         "2:18: name must be a single value, not a list; write e.g. name: branch1-wan"},
        {"stagger: 1\nlinks: [ { name: wan, capacity: { a: 1 } } ]\n",
         "2:33: capacity must be a single value, not a mapping; write e.g. "
         "capacity: 100Mbps"},
        {"stagger: 1\n[a]: 1\n",
         "2:1: a key must be a name, not a list; write keys as plain names"},
        {"stagger: 1\nlinks:\n  -\n",
         "3:4: an entry of links has no value; write e.g. - { name: "
         "branch1-wan, capacity: 100Mbps }"},
        {"stagger: 1\ncycle: month\n",
         "2:8: cycle \"month\" is neither day nor week; write cycle: day or cycle: week"},
        {"stagger: 1\nlinks: [ { name: \"\", capacity: 1Mbps } ]\n",
         "2:18: name is empty; write e.g. name: branch1-wan"},
        {"stagger: 1\nlinks: [ { name: \"a\\0b\", capacity: 1Mbps } ]\n",
         "2:18: name contains a NUL character"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stg_diags d;
        char got[1400];
        stg_fleet *f = read_text(cases[i].text, &d);
        ck_assert_ptr_null(f);
        ck_assert_uint_ge(d.count, 1);
        diag_line(got, sizeof got, &d.items[0]);
        ck_assert_str_eq(got, cases[i].first);
        stg_diags_free(&d);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* An empty list is fine where lists are optional; days take a list. */
START_TEST(lists_and_days)
{
    stg_diags d;
    char text[2048];
    snprintf(text, sizeof text,
             "stagger: 1\nlinks:\n  - { name: wan, capacity: 10Mbps, background: }\n"
             "servers: [ { name: dpm01, path: [wan] } ]\n"
             "computers: [ { name: fs01, path: [] } ]\n"
             "groups:\n  - name: G\n    server: dpm01\n"
             "    recovery_points: { at: [\"08:00\"], days: [weekend, mon] }\n"
             "    sources: [ { name: s, computer: fs01, kind: file, size: 1TB, churn: 1%%/day } ]\n");
    stg_fleet *f = read_text(text, &d);
    if (!f)
        show("lists", text, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(f->groups[0].rp_days, STG_WEEKEND | STG_MON);
    ck_assert_int_eq(f->cycle, STG_WEEK);
    ck_assert_int_eq(f->links[0].nbackground, 0);
    ck_assert_int_eq(f->computers[0].npath, 0);
    stg_fleet_free(f);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(cannot_read)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = (char *)"x";
    size_t len = 7;
    stg_fleet *f = stg_fleet_read_file("tests/data/no-such-file.yaml", &text, &len, &d);
    ck_assert_ptr_null(f);
    ck_assert_ptr_null(text);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, 0);
    ck_assert_str_eq(d.items[0].msg, "cannot read: No such file or directory");
    stg_diags_free(&d);

    /* a directory */
    f = stg_fleet_read_file("tests/data", &text, &len, &d);
    ck_assert_ptr_null(f);
    ck_assert_ptr_null(text);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_str_eq(d.items[0].msg, "cannot read: Is a directory");
    stg_diags_free(&d);

    /* more than 16 MiB */
    size_t big = ((size_t)16 << 20) + 1;
    char *buf = stg_malloc(big);
    ck_assert_ptr_nonnull(buf);
    memset(buf, '#', big);
    f = stg_fleet_read_buffer(buf, big, &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_str_eq(d.items[0].msg, "the file is larger than 16 MiB");
    stg_diags_free(&d);
    stg_free(buf);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Each allocation failing in turn: NULL and out of memory, or a fleet,
 * and never a leak. */
START_TEST(out_of_memory)
{
    size_t len;
    char *text = slurp(EVERY_KEY, &len);
    long base = stg_alloc_live();
    int failures = 0;
    for (long k = 1;; k++) {
        stg_diags d;
        stg_diags_init(&d);
        long start = stg_alloc_count();
        stg_alloc_fail_at(start + k);
        stg_fleet *f = stg_fleet_read_buffer(text, len, &d);
        bool failed = stg_alloc_count() >= start + k;
        stg_alloc_fail_at(0);
        if (!failed) {
            ck_assert_ptr_nonnull(f);
            stg_fleet_free(f);
            stg_diags_free(&d);
            break;
        }
        failures++;
        if (f) {
            /* a failure while adding a warning: only the warning is lost */
            ck_assert_uint_eq(d.errors, 0);
            stg_fleet_free(f);
        } else {
            ck_assert_msg(d.oom, "allocation %ld failed unreported", k);
        }
        stg_diags_free(&d);
        ck_assert_int_eq(stg_alloc_live(), base);
    }
    ck_assert_int_gt(failures, 50);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the model ------------------------------------------------------- */

START_TEST(windows)
{
    /* day cycle: days are ignored */
    ck_assert(stg_window_covers(STG_DAY, 8 * H, 18 * H, STG_SAT, 8 * H));
    ck_assert(!stg_window_covers(STG_DAY, 8 * H, 18 * H, STG_SAT, 18 * H));
    ck_assert(stg_window_covers(STG_DAY, 22 * H, 6 * H, 0, 23 * H));
    ck_assert(stg_window_covers(STG_DAY, 22 * H, 6 * H, 0, 5 * H));
    ck_assert(!stg_window_covers(STG_DAY, 22 * H, 6 * H, 0, 6 * H));
    ck_assert(stg_window_covers(STG_DAY, 5 * H, 5 * H, 0, 4 * H));   /* 24 h */
    ck_assert(stg_window_covers(STG_DAY, 8 * H, 18 * H, 0, 86400 + 9 * H));
    /* week cycle: a wrapping window belongs to the day it starts on */
    const int day = 86400;
    ck_assert(stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_FRI, 4 * day + 23 * H));
    ck_assert(stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_FRI, 5 * day + 5 * H));
    ck_assert(!stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_FRI, 5 * day + 23 * H));
    ck_assert(!stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_FRI, 4 * day + 5 * H));
    /* sunday night runs into monday, the start of the cycle */
    ck_assert(stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_SUN, 2 * H));
    ck_assert(stg_window_covers(STG_WEEK, 22 * H, 6 * H, STG_SUN, 6 * day + 22 * H));
    ck_assert(!stg_window_covers(STG_WEEK, 8 * H, 18 * H, STG_WEEKDAYS, 5 * day + 9 * H));
    ck_assert(stg_window_covers(STG_WEEK, 8 * H, 18 * H, STG_WEEKDAYS, 4 * day + 9 * H));
    ck_assert(stg_window_covers(STG_WEEK, 8 * H, 18 * H, STG_WEEKDAYS, -3 * day + 9 * H));
    /* 24 h from 08:00 on monday only */
    ck_assert(stg_window_covers(STG_WEEK, 8 * H, 8 * H, STG_MON, day + 7 * H));
    ck_assert(!stg_window_covers(STG_WEEK, 8 * H, 8 * H, STG_MON, day + 8 * H));
    ck_assert(!stg_window_covers(STG_WEEK, 8 * H, 8 * H, STG_MON, 7 * H));
}
END_TEST

/* stg_fleet_finish on a fleet built or changed in code: checks run again,
 * full paths are rebuilt without leaking. */
START_TEST(finish_again)
{
    stg_diags d;
    stg_fleet *f = read_text(minimal, &d);
    ck_assert_ptr_nonnull(f);
    stg_diags_free(&d);
    stg_diags_init(&d);
    ck_assert_int_eq(stg_fleet_finish(f, &d), 0);
    ck_assert_int_eq(f->computers[0].nfull_path, 1);

    f->groups[0].sync_offset = 900;
    f->links[0].capacity = 0;
    ck_assert_int_eq(stg_fleet_finish(f, &d), 2);
    char got[1400];
    diag_line(got, sizeof got, &d.items[0]);
    ck_assert_str_eq(got, "2:33: link wan: capacity 0bps is not above zero; "
                     "write e.g. 100Mbps");
    diag_line(got, sizeof got, &d.items[1]);
    ck_assert_str_eq(got, "6:11: group G: offset 15m is not below its period 15m; "
                     "an offset runs from 0m up to, not including, the period");
    stg_fleet_free(f);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A computer in groups of two servers, one in a group without a server,
 * and one in no group. */
/* stg_fleet_names: every group and computer of a fleet of many found at
 * its index, as stg_fleet_group() and stg_fleet_computer() find it, and
 * names that are not there (before the first, after the last, between
 * two, a prefix, a case apart) not found. */
START_TEST(names_by_halves)
{
    static char text[16384];
    int n = snprintf(text, sizeof text,
        "stagger: 1\nlinks: [ { name: wan, capacity: 1Gbps } ]\n"
        "servers: [ { name: dpm, path: [wan] } ]\ncomputers:\n");
    /* names out of order, so that the index differs from name order */
    for (int i = 0; i < 40; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
                      "  - { name: fs%02d.site }\n", (i * 17) % 40);
    n += snprintf(text + n, sizeof text - (size_t)n, "groups:\n");
    for (int i = 0; i < 40; i++)
        n += snprintf(text + n, sizeof text - (size_t)n,
            "  - { name: G%02d, server: dpm, sources: [ { name: s, computer: "
            "fs%02d.site, kind: file, size: 1TB, churn: 1%%/day } ] }\n",
            (i * 23) % 40, i);
    stg_diags d;
    stg_fleet *f = read_text(text, &d);
    ck_assert_ptr_nonnull(f);
    stg_fleet_names *x = stg_fleet_names_new(f);
    ck_assert_ptr_nonnull(x);
    for (int g = 0; g < f->ngroups; g++) {
        ck_assert_int_eq(stg_fleet_names_group(x, f->groups[g].name), g);
        ck_assert_int_eq(stg_fleet_group(f, f->groups[g].name), g);
    }
    for (int c = 0; c < f->ncomputers; c++)
        ck_assert_int_eq(stg_fleet_names_computer(x, f->computers[c].name), c);
    static const char *const absent[] = {
        "", "A", "G", "G0", "G005", "G40", "Z", "g01", "fs", "fs01",
        "fs01.sitf", "fs39.site.x", "fs40.site", "zz",
    };
    for (size_t i = 0; i < sizeof absent / sizeof *absent; i++) {
        ck_assert_int_eq(stg_fleet_names_group(x, absent[i]), -1);
        ck_assert_int_eq(stg_fleet_names_computer(x, absent[i]), -1);
    }
    stg_fleet_names_free(x);
    stg_fleet_free(f);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(servers_resolved)
{
    static const char text[] =
        "stagger: 1\n"
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: a, path: [wan] }, { name: b, path: [wan] } ]\n"
        "computers: [ { name: c1 }, { name: c2 }, { name: c3 } ]\n"
        "groups:\n"
        "  - { name: G1, server: a, sources: [ { name: s, computer: c1, kind: file, size: 1TB, churn: 1%/day } ] }\n"
        "  - { name: G2, server: b, sources: [ { name: s, computer: c1, kind: file, size: 1TB, churn: 1%/day } ] }\n"
        "  - { name: G3, sources: [ { name: s, computer: c2, kind: file, size: 1TB, churn: 1%/day } ] }\n";
    stg_diags d;
    stg_fleet *f = read_text(text, &d);
    ck_assert_ptr_null(f);
    /* c2 is not named: its group's missing server says it */
    ck_assert_uint_eq(d.errors, 3);
    ck_assert_str_eq(d.items[0].msg, "computer c1 is in groups of different servers "
                     "(G1 on a, G2 on b)");
    ck_assert_str_eq(d.items[1].msg, "computer c3 has no server");
    ck_assert_str_eq(d.items[2].msg, "group G3 has no server");
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the report ------------------------------------------------------ */

static char *report(const char *file, const char *text, const stg_diags *d)
{
    char *out = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&out, &n);
    ck_assert_ptr_nonnull(fp);
    stg_report_diags(fp, file, text, text ? strlen(text) : 0, d);
    fclose(fp);
    return out;                 /* plain malloc'd by the stream */
}

START_TEST(report_format)
{
    stg_diags d;
    stg_diags_init(&d);
    const char text[] = "stagger: 1\nlinks:\n  - name: wan\n    capacity: 100\n";
    stg_diag_error(&d, ((stg_loc){4, 15, 0}), "write e.g. 100Mbps",
                   "capacity \"100\" has no unit");
    stg_diag_warn(&d, ((stg_loc){3, 11, 0}), NULL, "a warning");
    stg_diag_error(&d, ((stg_loc){0, 0, 0}), NULL, "cannot read: gone");
    char *out = report("fleet.yaml", text, &d);
    ck_assert_str_eq(out,
        "fleet.yaml:4:15: capacity \"100\" has no unit; write e.g. 100Mbps\n"
        "    4 |     capacity: 100\n"
        "      |               ^\n"
        "fleet.yaml:3:11: warning: a warning\n"
        "    3 |   - name: wan\n"
        "      |           ^\n"
        "fleet.yaml: cannot read: gone\n");
    free(out);

    /* no text: positions only; a line beyond the text is not quoted */
    out = report("f.yaml", NULL, &d);
    ck_assert_str_eq(out,
        "f.yaml:4:15: capacity \"100\" has no unit; write e.g. 100Mbps\n"
        "f.yaml:3:11: warning: a warning\n"
        "f.yaml: cannot read: gone\n");
    free(out);
    stg_diags_free(&d);

    /* tabs are kept so the caret lines up; CR LF and UTF-8 */
    stg_diags_init(&d);
    stg_diag_error(&d, ((stg_loc){1, 6, 0}), NULL, "tab");
    stg_diag_error(&d, ((stg_loc){2, 5, 0}), NULL, "utf8");
    stg_diag_error(&d, ((stg_loc){9, 1, 0}), NULL, "beyond");
    d.limit = 3;
    stg_diag_error(&d, ((stg_loc){1, 1, 0}), NULL, "dropped");
    stg_diag_error(&d, ((stg_loc){1, 1, 0}), NULL, "dropped");
    out = report("t", "a:\tb: c\r\n\xc3\xa9t\xc3\xa9: x\n", &d);
    ck_assert_str_eq(out,
        "t:1:6: tab\n"
        "    1 | a:\tb: c\n"
        "      |   \t  ^\n"
        "t:2:5: utf8\n"
        "    2 | \xc3\xa9t\xc3\xa9: x\n"
        "      |     ^\n"
        "t:9:1: beyond\n"
        "... and 2 more errors\n");
    free(out);
    stg_diags_free(&d);

    /* a real file's error, as the command line shows it */
    stg_diags_init(&d);
    char *file = slurp("tests/data/bad/no-unit.yaml", NULL);
    stg_fleet *f = stg_fleet_read_buffer(file, strlen(file), &d);
    ck_assert_ptr_null(f);
    out = report("fleet.yaml", file, &d);
    ck_assert_str_eq(out,
        "fleet.yaml:4:15: capacity \"100\" has no unit; write e.g. 100Mbps\n"
        "    4 |     capacity: 100\n"
        "      |               ^\n");
    free(out);
    stg_free(file);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* stg_fleet_read_tree: a tree built by hand reads as its text does, each
 * message at its node's mark; the tree is left as it was. */
static stg_ynode *pair_text(stg_ynode *map, const char *k, const char *v,
                            int line, int col)
{
    stg_ynode_add_pair(map, stg_ynode_scalar(k, STG_YPLAIN,
                                             (stg_ymark){4, line, 1}),
                       stg_ynode_scalar(v, STG_YPLAIN,
                                        (stg_ymark){4, line, col}));
    return map;
}

START_TEST(read_tree)
{
    stg_ymark top = {4, 10, 1};
    stg_ynode *root = stg_ynode_map(top);
    ck_assert_ptr_nonnull(root);
    pair_text(root, "stagger", "1", 10, 10);
    stg_ynode *links = stg_ynode_seq((stg_ymark){4, 12, 3});
    stg_ynode *wan = stg_ynode_map((stg_ymark){4, 12, 5});
    pair_text(wan, "name", "wan", 12, 11);
    pair_text(wan, "capacity", "100", 13, 15);
    ck_assert_int_eq(stg_ynode_append(links, wan), 0);
    ck_assert_int_eq(stg_ynode_add_pair(root, stg_ynode_scalar("links",
                         STG_YPLAIN, (stg_ymark){4, 11, 1}), links), 0);
    stg_ynode *copy = stg_ynode_copy(root);
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_fleet_read_tree(root, NULL, 0, &d));
    ck_assert_uint_ge(d.count, 1);
    ck_assert_int_eq(d.items[0].loc.line, 13);
    ck_assert_int_eq(d.items[0].loc.col, 15);
    ck_assert_int_eq(d.items[0].loc.file, 4);
    ck_assert_str_eq(d.items[0].msg, "capacity \"100\" has no unit");
    ck_assert(stg_ynode_equal(root, copy));
    stg_diags_free(&d);

    /* the same fleet as text, read both ways: the same messages */
    static const char text[] =
        "stagger: 1\nlinks:\n  - name: wan\n    capacity: 100\n";
    stg_ynode *t = stg_ynode_read(text, strlen(text), 0, 16, NULL, 0, &d);
    ck_assert_ptr_nonnull(t);
    stg_diags e;
    stg_diags_init(&e);
    ck_assert_ptr_null(stg_fleet_read_tree(t, NULL, 0, &d));
    ck_assert_ptr_null(stg_fleet_read_buffer(text, strlen(text), &e));
    ck_assert_uint_eq(d.count, e.count);
    for (size_t i = 0; i < d.count; i++) {
        char a[1400], b[1400];
        diag_line(a, sizeof a, &d.items[i]);
        diag_line(b, sizeof b, &e.items[i]);
        ck_assert_str_eq(a, b);
    }
    stg_diags_free(&d);
    stg_diags_free(&e);
    stg_ynode_free(t);
    stg_ynode_free(copy);
    stg_ynode_free(root);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A tree put together from two texts: each message carries the file id
 * of its node, and one that names a place in the other text names it. */
START_TEST(read_tree_two_files)
{
    static const char text[] = "stagger: 1\nlinks:\n  - name: wan\n"
        "    capacity: 1Gbps\n";
    stg_diags d;
    stg_diags_init(&d);
    stg_ynode *t = stg_ynode_read(text, strlen(text), 0, 16, NULL, 0, &d);
    ck_assert_ptr_nonnull(t);
    stg_ynode *wan = stg_ynode_get(t, "links")->items[0];
    stg_ynode *again = stg_ynode_map((stg_ymark){1, 7, 5});
    ck_assert_int_eq(stg_ynode_add_pair(again, stg_ynode_scalar("name",
                         STG_YPLAIN, (stg_ymark){1, 7, 5}), stg_ynode_scalar(
                         "wan", STG_YPLAIN, (stg_ymark){1, 7, 11})), 0);
    ck_assert_int_eq(stg_ynode_add_pair(again, stg_ynode_scalar("capacity",
                         STG_YPLAIN, (stg_ymark){1, 8, 5}), stg_ynode_scalar(
                         "1Gbps", STG_YPLAIN, (stg_ymark){1, 8, 15})), 0);
    ck_assert_int_eq(stg_ynode_append(stg_ynode_get(t, "links"), again), 0);
    ck_assert_int_eq(stg_ynode_add_pair(wan, stg_ynode_scalar("name",
                         STG_YPLAIN, (stg_ymark){1, 9, 5}), stg_ynode_scalar(
                         "lan", STG_YPLAIN, (stg_ymark){1, 9, 11})), 0);
    static const char *const files[] = { "fleet file", "scenarios file" };
    for (int named = 0; named < 2; named++) {
        stg_diags_free(&d);
        stg_diags_init(&d);
        ck_assert_ptr_null(stg_fleet_read_tree(t, named ? files : NULL, 2, &d));
        ck_assert_uint_eq(d.count, 2);
        stg_diags_sort(&d);
        const char *of = named ? " of the fleet file" : "";
        char want[128];
        /* both in the scenarios file, each naming line 3 of the fleet's */
        ck_assert_int_eq(d.items[0].loc.file, 1);
        ck_assert_int_eq(d.items[0].loc.line, 7);
        snprintf(want, sizeof want,
                 "duplicate link name \"wan\" (first at line 3%s)", of);
        ck_assert_str_eq(d.items[0].msg, want);
        ck_assert_int_eq(d.items[1].loc.file, 1);
        ck_assert_int_eq(d.items[1].loc.line, 9);
        snprintf(want, sizeof want, "duplicate key \"name\" (first at line 3%s)",
                 of);
        ck_assert_str_eq(d.items[1].msg, want);
    }
    stg_diags_free(&d);
    stg_ynode_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *fleet_read_suite(void)
{
    Suite *s = suite_create("fleet_read");
    TCase *t = tcase_create("read");
    tcase_add_test(t, every_key);
    tcase_add_test(t, defaults);
    tcase_add_test(t, every_error_reported);
    tcase_add_test(t, version_alone);
    tcase_add_test(t, wrong_types);
    tcase_add_test(t, lists_and_days);
    tcase_add_test(t, cannot_read);
    tcase_add_test(t, out_of_memory);
    tcase_add_test(t, read_tree);
    tcase_add_test(t, read_tree_two_files);
    suite_add_tcase(s, t);
    TCase *b = tcase_create("bad");
    tcase_add_loop_test(b, bad_file, 0, NBAD);
    suite_add_tcase(s, b);
    TCase *m = tcase_create("model");
    tcase_add_test(m, windows);
    tcase_add_test(m, finish_again);
    tcase_add_test(m, servers_resolved);
    tcase_add_test(m, names_by_halves);
    tcase_add_test(m, report_format);
    tcase_add_test(m, did_you_mean_closest);
    suite_add_tcase(s, m);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(fleet_read_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
