/* Tests for io/write/schedule_write and io/read/schedule_read: exact bytes of the
 * schedule file, and reading it back into the same settings and
 * transfers. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "io/read/schedule_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"

#define H 3600
#define M 60

/* ---- fixtures built by hand -------------------------------------------- */

static char *dup(const char *s)
{
    char *p = stg_strdup(s);
    ck_assert_ptr_nonnull(p);
    return p;
}

static int *ints(int n, const int *v)
{
    int *p = stg_calloc((size_t)n, sizeof *p);
    ck_assert_ptr_nonnull(p);
    memcpy(p, v, (size_t)n * sizeof *p);
    return p;
}

/* Three groups, two computers, two links; names that need quoting, and
 * arrays deliberately out of name order. */
static stg_fleet *make_fleet(int cycle)
{
    stg_fleet *f = stg_fleet_new();
    ck_assert_ptr_nonnull(f);
    f->cycle = cycle;
    f->cycle_set = true;
    f->resolution = 60;
    f->headroom = 0.15;

    f->nlinks = 2;
    f->links = stg_calloc(2, sizeof *f->links);
    ck_assert_ptr_nonnull(f->links);
    f->links[0].name = dup("dc core: 'main'");
    f->links[0].capacity = 1e9;
    f->links[1].name = dup("branch1-wan");
    f->links[1].capacity = 100e6;

    f->ncomputers = 2;
    f->computers = stg_calloc(2, sizeof *f->computers);
    ck_assert_ptr_nonnull(f->computers);
    stg_computer *c = &f->computers[0];
    c->name = dup("sql 'one': primary");
    c->server = -1;
    c->throttle.kind = STG_THROTTLE_WORK;
    c->throttle.work = 10e6;
    c->throttle.other = 60e6;
    c->throttle.has_hours = true;
    c->throttle.hours_from = 8 * H;
    c->throttle.hours_to = 18 * H;
    c->throttle.days = STG_WEEKDAYS;
    c = &f->computers[1];
    c->name = dup("fs01.branch1.contoso.local");
    c->server = -1;
    c->throttle.kind = STG_THROTTLE_AUTO;

    f->ngroups = 3;
    f->groups = stg_calloc(3, sizeof *f->groups);
    ck_assert_ptr_nonnull(f->groups);
    stg_group *g = &f->groups[0];
    g->name = dup("SQL: 'prod' db");
    g->server = -1;
    g->sync_every = 30 * M;
    g->nef = 2;
    g->ef_at = ints(2, (int[]){ 9 * H, 21 * H });
    g->ef_days = STG_WEEKDAYS;
    g->ef_flex = 2 * H;
    g = &f->groups[1];
    g->name = dup("Branch1-Files");
    g->server = -1;
    g->sync_every = 15 * M;
    g->nrp = 3;
    g->rp_at = ints(3, (int[]){ 8 * H, 12 * H, 20 * H });
    g->rp_days = STG_DAILY;
    g->has_cc = true;
    g->cc_from = 22 * H;
    g->cc_to = 6 * H;
    g->cc_days = STG_DAILY;
    g = &f->groups[2];
    g->name = dup("yes");
    g->server = -1;
    g->before_rp = true;
    g->nrp = 2;
    g->rp_at = ints(2, (int[]){ 0, 23 * H + 55 * M });
    g->rp_days = STG_DAILY;
    return f;
}

static stg_settings *make_settings(const stg_fleet *f)
{
    stg_settings *s = stg_calloc(1, sizeof *s);
    ck_assert_ptr_nonnull(s);
    s->ngroups = f->ngroups;
    s->ncomputers = f->ncomputers;
    s->sync_offset = ints(3, (int[]){ 10 * M, 7 * M, 5 * M });
    s->ef_base = ints(4, (int[]){ 0, 2, 2, 2 });
    s->ef_at = ints(2, (int[]){ 9 * H + 20 * M, 21 * H });
    s->cc_start = ints(3, (int[]){ -1, 23 * H + 10 * M, -1 });
    s->throttle = stg_calloc(2, sizeof *s->throttle);
    s->recommended = stg_calloc(2, sizeof *s->recommended);
    ck_assert_ptr_nonnull(s->throttle);
    ck_assert_ptr_nonnull(s->recommended);
    s->throttle[0] = f->computers[0].throttle;
    s->throttle[1].kind = STG_THROTTLE_RATE;
    s->throttle[1].rate = 85e6;
    s->recommended[1] = true;
    return s;
}

/* Transfers in no particular order (the writer sorts them). */
static const stg_transfer transfers[] = {
    { 1, 1, STG_JOB_SYNC, 7 * M, 7 * M, 9 * M, 417e6 },
    { 0, 0, STG_JOB_EXPRESS_FULL, 9 * H + 20 * M, 9 * H + 20 * M, 10 * H, 3.1e9 },
    { 1, 1, STG_JOB_CC, 23 * H + 10 * M, 23 * H + 10 * M, 24 * H + 30 * M, 20e9 },
    { 2, 1, STG_JOB_SYNC, 5 * M, 7 * M, 8 * M, 1.5e6 },
    { 0, 0, STG_JOB_SYNC, 23 * H + 40 * M, 23 * H + 50 * M, 24 * H + 5 * M, 250e6 },
    { 0, 0, STG_JOB_SYNC, 7 * M, 7 * M, 8 * M, 50e6 },
};
#define NTRANSFERS ((int)(sizeof transfers / sizeof transfers[0]))

/* A week-cycle schedule shifts everything to later days. */
static int week_shift(int cycle, int i)
{
    return cycle == STG_WEEK ? (i % 3) * STG_DAY : 0;
}

static stg_schedule *make_schedule(const stg_fleet *f, int violates)
{
    int cycle = f->cycle;
    stg_schedule *sc = stg_calloc(1, sizeof *sc);
    ck_assert_ptr_nonnull(sc);
    sc->settings = make_settings(f);

    stg_sim *sim = stg_calloc(1, sizeof *sim);
    ck_assert_ptr_nonnull(sim);
    sc->sim = sim;
    sim->cycle = cycle;
    sim->resolution = 60;
    sim->nslots = cycle / 60;
    sim->nlinks = 2;
    sim->ncomputers = 2;
    sim->ngroups = 3;
    sim->ntransfers = NTRANSFERS;
    sim->transfers = stg_calloc(NTRANSFERS, sizeof *sim->transfers);
    ck_assert_ptr_nonnull(sim->transfers);
    for (int i = 0; i < NTRANSFERS; i++) {
        stg_transfer t = transfers[i];
        int d = week_shift(cycle, i);
        t.release += d;
        t.start += d;
        t.end += d;
        if (cycle == STG_WEEK && t.end > STG_WEEK)
            ck_abort_msg("fixture transfer past the week");
        sim->transfers[i] = t;
    }
    sim->load = stg_calloc((size_t)sim->nlinks * sim->nslots, sizeof *sim->load);
    sim->busy = ints(2, (int[]){ 120 * cycle / STG_DAY, 72 * cycle / STG_DAY });
    sim->lag = ints(3, (int[]){ 5 * M, 9 * M, -1 });
    sim->cc_late = ints(3, (int[]){ 0, violates ? 20 * M : 0, 0 });
    sim->never_idle = ints(2, (int[]){ violates, 0 });
    ck_assert_ptr_nonnull(sim->load);

    stg_eval *e = stg_calloc(1, sizeof *e);
    ck_assert_ptr_nonnull(e);
    sc->eval = e;
    e->nlinks = 2;
    e->headroom = stg_calloc(2, sizeof *e->headroom);
    ck_assert_ptr_nonnull(e->headroom);
    e->headroom[0] = violates ? -0.042 : 0.612;
    e->headroom[1] = 0.234;
    e->at = ints(2, (int[]){ (23 * H + 10 * M) / 60, (20 * H + 5 * M) / 60 });
    e->achieved = violates ? -0.042 : 0.234;
    e->worst_link = violates ? 0 : 1;
    e->worst_slot = e->at[e->worst_link];
    if (cycle == STG_WEEK) {
        e->at[0] += 4 * STG_DAY / 60;
        e->worst_slot = e->at[e->worst_link];
    }
    if (violates) {
        e->nviolations = 4;
        e->violations = stg_calloc(4, sizeof *e->violations);
        ck_assert_ptr_nonnull(e->violations);
        e->violations[0] = (stg_violation){ STG_VIOL_HEADROOM, 0,
            (23 * H + 10 * M) / 60, (23 * H + 40 * M) / 60, 0.042 };
        e->violations[1] = (stg_violation){ STG_VIOL_LAG, 0, 0, 0, 300 };
        e->violations[2] = (stg_violation){ STG_VIOL_CC_WINDOW, 1, 0, 0, 1200 };
        e->violations[3] = (stg_violation){ STG_VIOL_BACKLOG, 0, 0, 0, 0 };
    }
    sc->link_bound = stg_calloc(2, sizeof *sc->link_bound);
    ck_assert_ptr_nonnull(sc->link_bound);
    sc->link_bound[0] = violates ? 0.05 : 0.7;
    sc->link_bound[1] = 0.251;
    sc->bound = violates ? 0.05 : 0.234;
    sc->status = violates ? STG_STATUS_VIOLATES : STG_STATUS_OPTIMAL;
    sc->seconds = violates ? 1.21 : 30;
    sc->method = dup(violates ? "greedy+local+milp" : "greedy \"fast\"");
    sc->stopped = !violates;
    return sc;
}

#define SHA "3f1c5e0b9a7d2c4e6f8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e"

/* Writes sc into a malloc'd string (free with free()). */
static char *write_text(const stg_fleet *f, const stg_schedule *sc,
                        const char *file, size_t *len)
{
    char *buf = NULL, *cause = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(fp);
    int rc = stg_schedule_write(fp, f, file, SHA, sc, &cause);
    fclose(fp);
    if (rc)
        ck_abort_msg("write failed: %s", cause ? cause : "(no cause)");
    ck_assert_ptr_null(cause);
    if (len)
        *len = n;
    return buf;
}

static char *read_data(const char *path)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    return buf;
}

/* Compares with a data file; with STG_REGEN=1 in the environment the
 * file is rewritten instead (review the difference before keeping it). */
static void expect_file(const char *path, const char *text)
{
    if (getenv("STG_REGEN")) {
        FILE *fp = fopen(path, "wb");
        ck_assert_ptr_nonnull(fp);
        fputs(text, fp);
        fclose(fp);
    }
    ck_assert_str_eq(text, read_data(path));
}

static void dump_diags(const stg_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "%d:%d: %s%s%s\n", d->items[i].loc.line,
                d->items[i].loc.col, d->items[i].msg,
                d->items[i].hint ? "; " : "",
                d->items[i].hint ? d->items[i].hint : "");
}

static stg_schedule_doc *read_text(const char *text, stg_diags *d)
{
    stg_schedule_doc *doc = stg_schedule_read_buffer(text, strlen(text), d);
    if (!doc)
        dump_diags(d);
    return doc;
}

/* ---- writing ----------------------------------------------------------- */

START_TEST(write_day)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 1);
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    expect_file("tests/data/schedule/expected.yaml", text);
    /* the same input gives the same bytes */
    char *again = write_text(f, sc, "fleet.yaml", NULL);
    ck_assert_str_eq(text, again);
    free(again);
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(write_week)
{
    stg_fleet *f = make_fleet(STG_WEEK);
    stg_schedule *sc = make_schedule(f, 0);
    char *text = write_text(f, sc, "my fleet: 'west'.yaml", NULL);
    expect_file("tests/data/schedule/expected-week.yaml", text);
    ck_assert_ptr_null(strstr(text, "violations"));
    ck_assert_ptr_nonnull(strstr(text, "}\nstopped: true\ngroups:\n"));
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* violates with nothing listed still has the key */
START_TEST(write_violates_empty)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 0);
    sc->status = STG_STATUS_VIOLATES;
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    ck_assert_ptr_nonnull(strstr(text, "\nviolations: []\ntransfers:\n"));
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(write_empty_fleet)
{
    stg_fleet *f = stg_fleet_new();
    ck_assert_ptr_nonnull(f);
    f->cycle = STG_DAY;
    f->resolution = 60;
    f->headroom = 0.15;
    stg_schedule *sc = stg_calloc(1, sizeof *sc);
    sc->settings = stg_calloc(1, sizeof *sc->settings);
    sc->settings->sync_offset = stg_calloc(1, sizeof(int));
    sc->settings->ef_base = stg_calloc(1, sizeof(int));
    sc->settings->ef_at = stg_calloc(1, sizeof(int));
    sc->settings->cc_start = stg_calloc(1, sizeof(int));
    sc->settings->throttle = stg_calloc(1, sizeof(stg_throttle));
    sc->settings->recommended = stg_calloc(1, sizeof(bool));
    sc->sim = stg_calloc(1, sizeof *sc->sim);
    sc->sim->cycle = STG_DAY;
    sc->sim->resolution = 60;
    sc->sim->nslots = 1440;
    sc->eval = stg_calloc(1, sizeof *sc->eval);
    sc->eval->achieved = 1;
    sc->eval->worst_link = -1;
    sc->link_bound = stg_calloc(1, sizeof(double));
    sc->bound = 1;
    sc->method = dup("none");
    char *text = write_text(f, sc, "empty.yaml", NULL);
    const char *want =
        "stagger-schedule: 1\n"
        "fleet: { file: empty.yaml, sha256: " SHA " }\n"
        "cycle: day\n"
        "resolution: 1m\n"
        "status: optimal\n"
        "headroom:\n"
        "  required: 15.0%\n"
        "  achieved: 100.0%\n"
        "  bound: 100.0%\n"
        "solve: { seconds: 0.00, method: \"none\" }\n"
        "groups: []\n"
        "computers: []\n"
        "links: []\n"
        "transfers: []\n";
    ck_assert_str_eq(text, want);
    /* and it reads back */
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = read_text(text, &d);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_null(doc->link);
    ck_assert_int_eq(doc->at, -1);
    ck_assert_int_eq(doc->ngroups + doc->ncomputers + doc->nlinks +
                     doc->ntransfers, 0);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(write_refuses_mismatch)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 1);
    sc->settings->throttle[1].kind = STG_THROTTLE_AUTO;
    char *buf = NULL, *cause = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    ck_assert_int_eq(stg_schedule_write(fp, f, "f", SHA, sc, &cause), -1);
    fclose(fp);
    ck_assert_ptr_nonnull(cause);
    ck_assert_str_eq(cause, "cannot write the schedule: a computer has no "
                     "throttle in the settings");
    ck_assert_uint_eq(n, 0);
    stg_free(cause);
    free(buf);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(write_out_of_memory)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 1);
    char *want = write_text(f, sc, "fleet.yaml", NULL);
    int succeeded = 0;
    for (long k = 1; k < 40 && !succeeded; k++) {
        char *buf = NULL, *cause = NULL;
        size_t n = 0;
        FILE *fp = open_memstream(&buf, &n);
        long live = stg_alloc_live();
        stg_alloc_fail_at(stg_alloc_count() + k);
        int rc = stg_schedule_write(fp, f, "fleet.yaml", SHA, sc, &cause);
        stg_alloc_fail_at(0);
        fclose(fp);
        if (rc == 0) {
            ck_assert_str_eq(buf, want);
            succeeded = 1;
        } else {
            ck_assert_uint_eq(n, 0);
            stg_free(cause);
        }
        ck_assert_int_eq(stg_alloc_live(), live);
        free(buf);
    }
    ck_assert(succeeded);
    free(want);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- scalars ----------------------------------------------------------- */

/* Parses "- <scalar>\n" with libyaml and returns the scalar's value
 * (malloc'd) and whether it was plain. */
static char *yaml_value(const char *doc, size_t *len, int *plain)
{
    yaml_parser_t p;
    yaml_event_t ev;
    char *out = NULL;
    ck_assert(yaml_parser_initialize(&p));
    yaml_parser_set_input_string(&p, (const unsigned char *)doc, strlen(doc));
    for (;;) {
        ck_assert_msg(yaml_parser_parse(&p, &ev), "YAML error in <%s>", doc);
        if (ev.type == YAML_SCALAR_EVENT && !out) {
            out = malloc(ev.data.scalar.length + 1);
            memcpy(out, ev.data.scalar.value, ev.data.scalar.length);
            out[ev.data.scalar.length] = '\0';
            *len = ev.data.scalar.length;
            *plain = ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        }
        int end = ev.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&ev);
        if (end)
            break;
    }
    yaml_parser_delete(&p);
    return out;
}

static char *scalar_text(const char *s)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    stg_yaml_write_scalar(fp, s);
    fclose(fp);
    return buf;
}

START_TEST(scalar_forms)
{
    static const struct { const char *in, *out; } cases[] = {
        { "Branch1-Files", "Branch1-Files" },
        { "fs01.branch1.contoso.local", "fs01.branch1.contoso.local" },
        { "3f1c9a", "3f1c9a" },
        { "2019host", "2019host" },
        { "_x", "_x" },
        { "yes", "'yes'" },
        { "No", "'No'" },
        { "NULL", "'NULL'" },
        { "on", "'on'" },
        { "123", "'123'" },
        { "1e5", "'1e5'" },
        { "0x1F", "'0x1F'" },
        { "0abc", "'0abc'" },
        { "1f", "1f" },
        { "12e", "'12e'" },
        { "0b101", "'0b101'" },
        { "1_000", "'1_000'" },
        { "2024-01-02", "'2024-01-02'" },
        { "12:30", "'12:30'" },
        { ".inf", "'.inf'" },
        { "-dash", "'-dash'" },
        { "", "''" },
        { "~", "'~'" },
        { "it's", "'it''s'" },
        { "a: b", "'a: b'" },
        { "D:\\Shares", "'D:\\Shares'" },
        { "quote\"d", "'quote\"d'" },
        { "caf\xc3\xa9", "'caf\xc3\xa9'" },
        { "tab\there", "\"tab\\there\"" },
        { "new\nline", "\"new\\nline\"" },
        { "\x01", "\"\\x01\"" },
        { "nel\xc2\x85", "\"nel\\N\"" },
        { "ls\xe2\x80\xa8", "\"ls\\L\"" },
        { "back\\\"\t", "\"back\\\\\\\"\\t\"" },
        { "bad\xff", "\"bad\\xFF\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = scalar_text(cases[i].in);
        ck_assert_msg(!strcmp(t, cases[i].out), "<%s> written as <%s>",
                      cases[i].in, t);
        free(t);
    }
}
END_TEST

START_TEST(scalar_round_trip)
{
    static const char *const names[] = {
        "plain", "yes", "Y", "off", "null", "~", "123", "-1", "+1", "1.5",
        "1e5", ".5", "0o17", "0x1F", "12:30", "1:2:3", "2024-01-02",
        "#hash", "&anchor", "*star", "!tag", "%pct", "@at", "`tick",
        "[x]", "{y}", "a,b", "a, b", " lead", "trail ", "a #b", "a: b",
        "? q", "- item", "|", ">", "'", "\"", "''", "it's", "x\ty",
        "multi\nline\n", "\r", "\x1b[0m", "\x7f", "caf\xc3\xa9",
        "\xe2\x80\xa9", "\xef\xbb\xbf" "bom", "\xc2\x80", "\xef\xbf\xbe",
        "\xf0\x9f\x98\x80", "<<", "=", "---", "...", "a---",
        "sql 'one': primary", "SQL: 'prod' db",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *t = scalar_text(names[i]);
        /* in block context and in flow context */
        char *doc1 = NULL, *doc2 = NULL;
        size_t n1 = 0, n2 = 0;
        FILE *fp = open_memstream(&doc1, &n1);
        fprintf(fp, "- %s\n", t);
        fclose(fp);
        fp = open_memstream(&doc2, &n2);
        fprintf(fp, "- { name: %s, x: 1 }\n", t);
        fclose(fp);
        size_t len;
        int plain;
        char *v = yaml_value(doc1, &len, &plain);
        ck_assert_msg(len == strlen(names[i]) && !memcmp(v, names[i], len),
                      "<%s> (written %s) read back as <%s>", names[i], t, v);
        if (plain)
            ck_assert_msg(!strcmp(t, names[i]), "plain %s", t);
        free(v);
        v = yaml_value(doc2, &len, &plain);
        free(v);
        /* the first scalar in flow is the key "name"; read the value */
        yaml_parser_t p;
        yaml_event_t ev;
        int seen = 0;
        ck_assert(yaml_parser_initialize(&p));
        yaml_parser_set_input_string(&p, (const unsigned char *)doc2,
                                     strlen(doc2));
        for (;;) {
            ck_assert_msg(yaml_parser_parse(&p, &ev), "flow <%s>", doc2);
            if (ev.type == YAML_SCALAR_EVENT && ++seen == 2)
                ck_assert_msg(ev.data.scalar.length == strlen(names[i]) &&
                              !memcmp(ev.data.scalar.value, names[i],
                                      strlen(names[i])),
                              "flow <%s> read back wrong", doc2);
            int end = ev.type == YAML_STREAM_END_EVENT;
            yaml_event_delete(&ev);
            if (end)
                break;
        }
        yaml_parser_delete(&p);
        free(doc1);
        free(doc2);
        free(t);
    }
}
END_TEST

/* ---- reading back ------------------------------------------------------ */

/* b is read back from what a was written as, in a cycle of this length */
static void check_settings_equal(const stg_settings *a, const stg_settings *b,
                                 int cycle)
{
    ck_assert_int_eq(a->ngroups, b->ngroups);
    ck_assert_int_eq(a->ncomputers, b->ncomputers);
    for (int g = 0; g < a->ngroups; g++) {
        ck_assert_int_eq(a->sync_offset[g], b->sync_offset[g]);
        ck_assert_int_eq(a->cc_start[g], b->cc_start[g]);
    }
    for (int g = 0; g <= a->ngroups; g++)
        ck_assert_int_eq(a->ef_base[g], b->ef_base[g]);
    for (int i = 0; i < a->ef_base[a->ngroups]; i++)
        ck_assert_int_eq(a->ef_at[i], b->ef_at[i]);
    for (int c = 0; c < a->ncomputers; c++) {
        const stg_throttle *x = &a->throttle[c], *y = &b->throttle[c];
        ck_assert_int_eq(x->kind, y->kind);
        ck_assert_int_eq(a->recommended[c], b->recommended[c]);
        if (x->kind == STG_THROTTLE_RATE) {
            ck_assert_double_eq_tol(x->rate, y->rate, 1e-6);
        } else {
            ck_assert_double_eq_tol(x->work, y->work, 1e-6);
            ck_assert_double_eq_tol(x->other, y->other, 1e-6);
            ck_assert_int_eq(x->has_hours, y->has_hours);
            ck_assert_int_eq(x->hours_from, y->hours_from);
            ck_assert_int_eq(x->hours_to, y->hours_to);
            /* a day cycle applies work hours every day: written daily */
            if (cycle == STG_WEEK)
                ck_assert_uint_eq(x->days, y->days);
            else
                ck_assert_uint_eq(y->days, STG_DAILY);
        }
    }
}

static void round_trip(int cycle, int violates)
{
    stg_fleet *f = make_fleet(cycle);
    stg_schedule *sc = make_schedule(f, violates);
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = read_text(text, &d);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(d.count, 0);

    ck_assert_int_eq(doc->version, 1);
    ck_assert_str_eq(doc->fleet_file, "fleet.yaml");
    ck_assert_str_eq(doc->fleet_sha256, SHA);
    ck_assert_int_eq(doc->cycle, cycle);
    ck_assert_int_eq(doc->resolution, 60);
    ck_assert_int_eq(doc->status, sc->status);
    ck_assert_double_eq_tol(doc->required, 0.15, 1e-9);
    ck_assert_double_eq_tol(doc->achieved, sc->eval->achieved, 1e-9);
    ck_assert_double_eq_tol(doc->bound, sc->bound, 1e-9);
    ck_assert_str_eq(doc->link, f->links[sc->eval->worst_link].name);
    ck_assert_int_eq(doc->at, sc->eval->worst_slot * 60);
    ck_assert_double_eq_tol(doc->seconds, sc->seconds, 1e-9);
    ck_assert_str_eq(doc->method, sc->method);
    ck_assert_int_eq(doc->stopped, sc->stopped);

    /* groups in name order, with what the file says about them */
    ck_assert_int_eq(doc->ngroups, 3);
    ck_assert_str_eq(doc->groups[0].name, "Branch1-Files");
    ck_assert_str_eq(doc->groups[1].name, "SQL: 'prod' db");
    ck_assert_str_eq(doc->groups[2].name, "yes");
    ck_assert_int_eq(doc->groups[0].every, 15 * M);
    ck_assert_int_eq(doc->groups[0].offset, 7 * M);
    ck_assert_int_eq(doc->groups[0].nrp, 3);
    ck_assert_int_eq(doc->groups[0].rp_at[0], 8 * H + 7 * M);
    ck_assert_int_eq(doc->groups[0].cc_start, 23 * H + 10 * M);
    ck_assert_int_eq(doc->groups[0].cc_hours, 2);   /* the check takes 1h20m */
    ck_assert_int_eq(doc->groups[0].lag, 9 * M);
    ck_assert_int_eq(doc->groups[1].nef, 2);
    ck_assert_uint_eq(doc->groups[1].ef_days[1], STG_WEEKDAYS);
    ck_assert_int_eq(doc->groups[1].cc_start, -1);
    ck_assert(doc->groups[2].before_rp);
    ck_assert_int_eq(doc->groups[2].offset, 5 * M);
    ck_assert_int_eq(doc->groups[2].nrp, 2);
    ck_assert_int_eq(doc->groups[2].rp_at[0], 0);        /* 23:55 + 5m */
    ck_assert_int_eq(doc->groups[2].rp_at[1], 5 * M);
    ck_assert_int_eq(doc->groups[2].lag, -1);

    ck_assert_int_eq(doc->ncomputers, 2);
    ck_assert_str_eq(doc->computers[0].name, "fs01.branch1.contoso.local");
    ck_assert_str_eq(doc->computers[1].name, "sql 'one': primary");
    ck_assert_double_eq_tol(doc->computers[1].busy, 0.083, 1e-9);

    ck_assert_int_eq(doc->nlinks, 2);
    ck_assert_str_eq(doc->links[0].name, "branch1-wan");
    ck_assert_str_eq(doc->links[1].name, "dc core: 'main'");
    ck_assert_double_eq_tol(doc->links[0].capacity, 100e6, 1e-3);
    ck_assert_double_eq_tol(doc->links[0].peak, 0.766, 1e-9);
    ck_assert_double_eq_tol(doc->links[0].headroom, 0.234, 1e-9);
    ck_assert_double_eq_tol(doc->links[0].bound, 0.251, 1e-9);
    ck_assert_int_eq(doc->links[0].at, 20 * H + 5 * M);

    ck_assert_int_eq(doc->nviolations, violates ? 4 : 0);
    if (violates) {
        const stg_sdoc_violation *v = doc->violations;
        ck_assert_int_eq(v[0].kind, STG_VIOL_HEADROOM);
        ck_assert_str_eq(v[0].name, "dc core: 'main'");
        ck_assert_int_eq(v[0].from, 23 * H + 10 * M);
        ck_assert_int_eq(v[0].to, 23 * H + 40 * M);
        ck_assert_double_eq_tol(v[0].amount, 0.042, 1e-9);
        ck_assert_int_eq(v[1].kind, STG_VIOL_LAG);
        ck_assert_str_eq(v[1].name, "SQL: 'prod' db");
        ck_assert_double_eq_tol(v[1].amount, 300, 1e-9);
        ck_assert_int_eq(v[2].kind, STG_VIOL_CC_WINDOW);
        ck_assert_str_eq(v[2].name, "Branch1-Files");
        ck_assert_double_eq_tol(v[2].amount, 1200, 1e-9);
        ck_assert_int_eq(v[3].kind, STG_VIOL_BACKLOG);
        ck_assert_str_eq(v[3].name, "sql 'one': primary");
    }

    /* the settings, matched against the fleet */
    stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
    if (!s)
        dump_diags(&d);
    ck_assert_ptr_nonnull(s);
    check_settings_equal(sc->settings, s, cycle);

    /* the transfers: each one written, sorted by start, computer name,
     * group name */
    stg_transfer *tr = NULL;
    int n = stg_schedule_doc_transfers(doc, f, &tr, &d);
    ck_assert_int_eq(n, NTRANSFERS);
    int used[NTRANSFERS] = { 0 };
    for (int i = 0; i < n; i++) {
        const stg_transfer *a = &tr[i];
        int match = -1;
        for (int j = 0; j < NTRANSFERS && match < 0; j++) {
            const stg_transfer *b = &sc->sim->transfers[j];
            if (!used[j] && a->group == b->group &&
                a->computer == b->computer && a->kind == b->kind &&
                a->release == b->release && a->start == b->start &&
                a->end == b->end && fabs(a->volume - b->volume) <= 1e-6)
                match = j;
        }
        ck_assert_msg(match >= 0, "transfer %d read back differs", i);
        used[match] = 1;
        if (i > 0) {
            const stg_transfer *p = &tr[i - 1];
            int c = p->start < a->start ? -1 : p->start > a->start;
            if (!c)
                c = strcmp(f->computers[p->computer].name,
                           f->computers[a->computer].name);
            if (!c)
                c = strcmp(f->groups[p->group].name, f->groups[a->group].name);
            ck_assert_int_lt(c, 0);
        }
    }
    ck_assert_uint_eq(d.count, 0);

    /* the read settings write the same file */
    stg_settings_free(sc->settings);
    sc->settings = s;
    char *again = write_text(f, sc, "fleet.yaml", NULL);
    ck_assert_str_eq(again, text);
    free(again);

    stg_free(tr);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

START_TEST(round_trip_day)
{
    round_trip(STG_DAY, 1);
}
END_TEST

START_TEST(round_trip_week)
{
    round_trip(STG_WEEK, 0);
}
END_TEST

/* The reader on a file written by hand: flow and block styles mixed,
 * keys in another order, days as a list. */
START_TEST(read_hand_written)
{
    const char *text =
        "# planned by hand\n"
        "stagger-schedule: 1\n"
        "cycle: day\n"
        "fleet:\n"
        "  sha256: " SHA "\n"
        "  file: \"fleet.yaml\"\n"
        "resolution: 1m\n"
        "status: feasible\n"
        "headroom: { required: 15%, achieved: 20.0%, bound: 30.0%,"
        " link: branch1-wan, at: '20:05' }\n"
        "solve: { seconds: 3, method: manual }\n"
        "groups:\n"
        "  - name: 'SQL: ''prod'' db'\n"
        "    sync: { every: 30m, offset: 0m }\n"
        "    express_full:\n"
        "      - at: \"9:00\"\n"
        "        days: [mon, tue, wed, thu, fri]\n"
        "      - { at: \"22:30\", days: weekdays }\n"
        "  - name: Branch1-Files\n"
        "    consistency_check: { start: \"22:00\", hours: 8 }\n"
        "    sync:\n"
        "      offset: 14m\n"
        "      every: 15m\n"
        "  - name: \"yes\"\n"
        "    sync: { before_recovery_point: true, offset: 0m }\n"
        "computers:\n"
        "  - name: \"sql 'one': primary\"\n"
        "    throttle: { work: 1Gbps, other: 12.5MB/s }\n"
        "    recommended: false\n"
        "    busy: 0%\n"
        "  - { name: fs01.branch1.contoso.local, throttle: 40Mbps,"
        " recommended: true, busy: 1.5% }\n"
        "links: []\n"
        "transfers: []\n";
    stg_fleet *f = make_fleet(STG_DAY);
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = read_text(text, &d);
    ck_assert_ptr_nonnull(doc);
    stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
    if (!s)
        dump_diags(&d);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->sync_offset[0], 0);
    ck_assert_int_eq(s->sync_offset[1], 14 * M);
    ck_assert_int_eq(s->ef_at[0], 9 * H);
    ck_assert_int_eq(s->ef_at[1], 22 * H + 30 * M);
    ck_assert_int_eq(s->cc_start[1], 22 * H);
    ck_assert_int_eq(s->throttle[0].kind, STG_THROTTLE_WORK);
    ck_assert_double_eq_tol(s->throttle[0].work, 1e9, 1e-3);
    ck_assert_double_eq_tol(s->throttle[0].other, 100e6, 1e-3);
    ck_assert(!s->throttle[0].has_hours);
    ck_assert_int_eq(s->throttle[1].kind, STG_THROTTLE_RATE);
    ck_assert_double_eq_tol(s->throttle[1].rate, 40e6, 1e-3);
    ck_assert(s->recommended[1]);
    ck_assert_uint_eq(doc->groups[0].ef_days[0], STG_WEEKDAYS);
    stg_settings_free(s);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- errors ------------------------------------------------------------ */

/* The day schedule with one substitution applied. */
static char *edited(const char *from, const char *to)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 1);
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    char *at = strstr(text, from);
    ck_assert_msg(at != NULL, "no <%s> in the schedule", from);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *out = malloc(n + 1);
    size_t pre = (size_t)(at - text);
    memcpy(out, text, pre);
    strcpy(out + pre, to);
    strcat(out, at + strlen(from));
    free(text);
    return out;
}

/* Asserts that reading text (and, when the read succeeds, matching it
 * with the fleet) gives an error at line:col whose message holds want. */
static void expect_error(const char *text, int line, int col,
                         const char *want)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule_doc *doc = stg_schedule_read_buffer(text, strlen(text), &d);
    if (doc) {
        stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
        ck_assert_ptr_null(s);
        stg_schedule_doc_free(doc);
    }
    int found = 0;
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].level == STG_DIAG_ERROR &&
            d.items[i].loc.line == line && d.items[i].loc.col == col &&
            strstr(d.items[i].msg, want))
            found = 1;
    if (!found) {
        fprintf(stderr, "wanted %d:%d: ...%s...\n", line, col, want);
        dump_diags(&d);
    }
    ck_assert(found);
    stg_diags_free(&d);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* Line and column of the first occurrence of what in text. */
static void where(const char *text, const char *what, int *line, int *col)
{
    const char *at = strstr(text, what);
    ck_assert_ptr_nonnull(at);
    *line = 1;
    const char *bol = text;
    for (const char *p = text; p < at; p++)
        if (*p == '\n') {
            (*line)++;
            bol = p + 1;
        }
    *col = (int)(at - bol) + 1;
}

static void expect_edit_error(const char *from, const char *to,
                              const char *mark, const char *want)
{
    char *text = edited(from, to);
    int line, col;
    where(text, mark, &line, &col);
    expect_error(text, line, col, want);
    free(text);
}

START_TEST(error_unknown_group)
{
    expect_edit_error("- name: Branch1-Files", "- name: Branch9-Files",
                      "name: Branch9", "group \"Branch9-Files\" is not in "
                      "the fleet");
}
END_TEST

START_TEST(error_missing_group)
{
    char *text = edited("- name: Branch1-Files", "- name: yes2");
    int line, col;
    where(text, "  - name: yes2", &line, &col);
    expect_error(text, line, col + 4, "\"yes2\" is not in the fleet");
    where(text, "groups:", &line, &col);
    (void)col;
    /* the groups list starts on the next line */
    expect_error(text, line + 1, 3, "no entry for group \"Branch1-Files\"");
    free(text);
}
END_TEST

START_TEST(error_unknown_computer)
{
    expect_edit_error("{ name: fs01.branch1", "{ name: fs02.branch1",
                      "{ name: fs02", "computer \"fs02.branch1.contoso.local\""
                      " is not in the fleet");
}
END_TEST

START_TEST(error_ef_count)
{
    expect_edit_error("express_full: [ { at: \"09:20\", days: weekdays }, ",
                      "express_full: [ ", "[ { at: \"21:00\"",
                      "has 2 express-full times in the fleet, 1 in the "
                      "schedule");
}
END_TEST

START_TEST(error_ef_flex)
{
    expect_edit_error("{ at: \"09:20\"", "{ at: \"13:20\"", "[ { at: \"13:20\"",
                      "more than its flex (2h) from 09:00");
}
END_TEST

START_TEST(error_offset)
{
    expect_edit_error("{ every: 15m, offset: 7m }", "{ every: 15m, offset: 15m }",
                      "{ every: 15m, offset: 15m }", "offset 15m is not below 15m");
}
END_TEST

START_TEST(error_every)
{
    expect_edit_error("{ every: 15m, offset: 7m }", "{ every: 30m, offset: 7m }",
                      "{ every: 30m", "syncs every 15m in the fleet, every 30m");
}
END_TEST

START_TEST(error_cc_outside)
{
    expect_edit_error("start: \"23:10\"", "start: \"12:00\"", "{ start: \"12:00\"",
                      "check start 12:00 is outside its window 22:00-06:00");
}
END_TEST

START_TEST(error_cc_missing)
{
    expect_edit_error("    consistency_check: { start: \"23:10\", hours: 2 }\n",
                      "", "name: Branch1-Files",
                      "no check start in the schedule");
}
END_TEST

START_TEST(error_unit)
{
    expect_edit_error("volume: 417MB", "volume: 417", "417 }",
                      "volume \"417\"");
    expect_edit_error("throttle: 85Mbps", "throttle: 85mbps", "85mbps",
                      "throttle \"85mbps\"");
}
END_TEST

START_TEST(error_unknown_key)
{
    expect_edit_error("status: violates", "status: violates\nstatuz: 1",
                      "statuz", "unknown key \"statuz\"");
}
END_TEST

START_TEST(error_duplicate_key)
{
    expect_edit_error("resolution: 1m", "resolution: 1m\nresolution: 2m",
                      "resolution: 2m", "\"resolution\" is given twice");
}
END_TEST

START_TEST(error_missing_key)
{
    expect_edit_error("  bound: 5.0%\n", "", "required", "headroom has no "
                      "\"bound\"");
}
END_TEST

START_TEST(error_time)
{
    expect_edit_error("release: \"00:05\"", "release: \"24:05\"", "\"24:05\"",
                      "release \"24:05\"");
}
END_TEST

START_TEST(error_week_time)
{
    char *text = edited("cycle: day", "cycle: week");
    int line, col;
    where(text, "release: \"00:05\"", &line, &col);
    col += 9;
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_null(doc);
    ck_assert_int_gt(d.errors, 5);
    int found = 0;
    for (size_t i = 0; i < d.count; i++)
        if (d.items[i].loc.line == line && d.items[i].loc.col == col &&
            strstr(d.items[i].msg, "does not start with a day"))
            found = 1;
    ck_assert(found);
    stg_diags_free(&d);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(error_cycle_mismatch)
{
    stg_fleet *f = make_fleet(STG_WEEK);
    stg_schedule *sc = make_schedule(f, 0);
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    expect_error(text, 3, 8, "the schedule's cycle is a week, the fleet's a day");
    free(text);
}
END_TEST

START_TEST(error_alias)
{
    expect_edit_error("resolution: 1m", "resolution: &r 1m\nx: *r", "*r",
                      "aliases (*r) are not allowed");
}
END_TEST

START_TEST(error_nesting)
{
    char text[512] = "stagger-schedule: 1\nx: ";
    for (int i = 0; i < 40; i++)
        strcat(text, "[");
    for (int i = 0; i < 40; i++)
        strcat(text, "]");
    strcat(text, "\n");
    /* the 16th level is refused */
    expect_error(text, 2, 4 + 15, "nested more than 16 levels deep");
}
END_TEST

START_TEST(error_not_a_schedule)
{
    expect_error("stagger: 1\nlinks: []\n", 1, 1, "this is not a schedule file");
    expect_error("stagger-schedule: 2\n", 1, 19, "version \"2\" is not supported");
    expect_error("", 1, 1, "the schedule file is empty");
    expect_error("- 1\n", 1, 1, "a schedule file should be a mapping");
    expect_error("stagger-schedule: 1\ncycle: [day\n", 3, 1, "");
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "one YAML document");
}
END_TEST

/* Refused as soon as the parser reaches it, not after the whole file is
 * a tree: a key given twice, a list before "stagger-schedule", "cycle"
 * after a list that needs it, a mapping of more keys than any in the
 * format, and the 10,000th error of a list's entries. */
START_TEST(error_early)
{
    expect_error("stagger-schedule: 1\ncycle: day\nresolution: 1m\n"
                 "cycle: day\n", 4, 1, "\"cycle\" is given twice "
                 "(first on line 2)");
    expect_error("stagger-schedule: 1\ncycle: day\ngroups:\n"
                 "  - { name: a, name: b }\n", 4, 16,
                 "\"name\" is given twice");
    expect_error("stagger-schedule: 1\ngroups: []\ncycle: week\n", 3, 8,
                 "\"cycle\" should come before \"groups\"");
    expect_error("fleet: {}\ntransfers: []\nstagger-schedule: 1\n", 1, 1,
                 "no \"stagger-schedule\" before \"transfers\"");
    expect_error("stagger-schedule: 7\ntransfers: [x]\n", 1, 19,
                 "version \"7\" is not supported");

    char t[1024] = "stagger-schedule: 1\nfleet: {";
    for (int i = 0; i < 65; i++)
        sprintf(t + strlen(t), "k%d: 1, ", i);
    strcat(t, "}\n");
    int line, col;
    where(t, "k64:", &line, &col);
    expect_error(t, line, col, "more than 64 keys in one mapping");

    /* 30,000 broken transfers: reading stops 10,000 errors past the
     * first 50 kept, and says so */
    size_t n = 30000, len = 0;
    char *big = malloc(64 + 4 * n);
    ck_assert_ptr_nonnull(big);
    len += (size_t)sprintf(big, "stagger-schedule: 1\ncycle: day\n"
                           "transfers:\n");
    for (size_t i = 0; i < n; i++)
        len += (size_t)sprintf(big + len, "- x\n");
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_schedule_read_buffer(big, len, &d));
    ck_assert_int_eq(d.truncated, 1);
    ck_assert_uint_lt(d.count + d.dropped, n);
    stg_diags_free(&d);
    free(big);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(warn_ef_days)
{
    char *text = edited("{ at: \"21:00\", days: weekdays }",
                        "{ at: \"21:00\", days: [sat, sun] }");
    stg_fleet *f = make_fleet(STG_DAY);
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = read_text(text, &d);
    ck_assert_ptr_nonnull(doc);
    ck_assert_uint_eq(doc->groups[1].ef_days[1], STG_WEEKEND);
    stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(d.errors, 0);
    ck_assert_uint_eq(d.count, 1);
    ck_assert_int_eq(d.items[0].level, STG_DIAG_WARNING);
    ck_assert_str_eq(d.items[0].msg, "group \"SQL: 'prod' db\": the express "
                     "full at 21:00 runs on weekdays in the fleet; the "
                     "fleet's days apply");
    stg_settings_free(s);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(error_transfer_names)
{
    /* the group "yes" is written quoted */
    char *text = edited("{ group: 'yes',", "{ group: 'no',");
    stg_fleet *f = make_fleet(STG_DAY);
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = read_text(text, &d);
    ck_assert_ptr_nonnull(doc);
    stg_transfer *tr = NULL;
    ck_assert_int_eq(stg_schedule_doc_transfers(doc, f, &tr, &d), -1);
    ck_assert_ptr_null(tr);
    int line, col;
    where(text, "{ group: 'no'", &line, &col);
    ck_assert_uint_eq(d.count, 1);
    ck_assert_int_eq(d.items[0].loc.line, line);
    ck_assert_int_eq(d.items[0].loc.col, col);
    ck_assert_str_eq(d.items[0].msg, "transfer of group \"no\": no such group "
                     "in the fleet");
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(read_file_missing)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = (char *)1;
    size_t len = 7;
    ck_assert_ptr_null(stg_schedule_read_file("tests/data/schedule/nope.yaml",
                                              &text, &len, &d));
    ck_assert_ptr_null(text);
    ck_assert_uint_eq(len, 0);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, 0);
    ck_assert_str_eq(d.items[0].msg, "cannot read tests/data/schedule/nope.yaml:"
                     " No such file or directory");
    stg_diags_free(&d);
    /* the expected file reads */
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_file(
        "tests/data/schedule/expected.yaml", &text, &len, &d);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(len, strlen(text));
    ck_assert_int_eq(doc->ntransfers, NTRANSFERS);
    stg_schedule_doc_free(doc);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(read_out_of_memory)
{
    stg_fleet *f = make_fleet(STG_DAY);
    stg_schedule *sc = make_schedule(f, 1);
    char *text = write_text(f, sc, "fleet.yaml", NULL);
    int succeeded = 0;
    for (long k = 1; !succeeded; k++) {
        stg_diags d;
        stg_diags_init(&d);
        long live = stg_alloc_live();
        stg_alloc_fail_at(stg_alloc_count() + k);
        stg_schedule_doc *doc = stg_schedule_read_buffer(text, strlen(text), &d);
        stg_settings *s = doc ? stg_schedule_doc_settings(doc, f, &d) : NULL;
        stg_transfer *tr = NULL;
        int n = s ? stg_schedule_doc_transfers(doc, f, &tr, &d) : -1;
        stg_alloc_fail_at(0);
        if (n == NTRANSFERS) {
            succeeded = 1;
            ck_assert_uint_eq(d.count, 0);
        } else {
            /* failure only through memory, never a made-up error */
            ck_assert_msg(d.oom, "allocation %ld: no oom flag", k);
        }
        stg_free(tr);
        stg_settings_free(s);
        stg_schedule_doc_free(doc);
        stg_diags_free(&d);
        ck_assert_int_eq(stg_alloc_live(), live);
        ck_assert_int_lt(k, 2000);
    }
    free(text);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *schedule_io_suite(void)
{
    Suite *s = suite_create("schedule_io");
    TCase *tc = tcase_create("write");
    tcase_add_test(tc, write_day);
    tcase_add_test(tc, write_week);
    tcase_add_test(tc, write_violates_empty);
    tcase_add_test(tc, write_empty_fleet);
    tcase_add_test(tc, write_refuses_mismatch);
    tcase_add_test(tc, write_out_of_memory);
    tcase_add_test(tc, scalar_forms);
    tcase_add_test(tc, scalar_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("read");
    tcase_add_test(tc, round_trip_day);
    tcase_add_test(tc, round_trip_week);
    tcase_add_test(tc, read_hand_written);
    tcase_add_test(tc, read_file_missing);
    tcase_add_test(tc, read_out_of_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("errors");
    tcase_add_test(tc, error_unknown_group);
    tcase_add_test(tc, error_missing_group);
    tcase_add_test(tc, error_unknown_computer);
    tcase_add_test(tc, error_ef_count);
    tcase_add_test(tc, error_ef_flex);
    tcase_add_test(tc, error_offset);
    tcase_add_test(tc, error_every);
    tcase_add_test(tc, error_cc_outside);
    tcase_add_test(tc, error_cc_missing);
    tcase_add_test(tc, error_unit);
    tcase_add_test(tc, error_unknown_key);
    tcase_add_test(tc, error_duplicate_key);
    tcase_add_test(tc, error_missing_key);
    tcase_add_test(tc, error_time);
    tcase_add_test(tc, error_week_time);
    tcase_add_test(tc, error_cycle_mismatch);
    tcase_add_test(tc, error_alias);
    tcase_add_test(tc, error_nesting);
    tcase_add_test(tc, error_not_a_schedule);
    tcase_add_test(tc, error_early);
    tcase_add_test(tc, error_transfer_names);
    tcase_add_test(tc, warn_ef_days);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(schedule_io_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
