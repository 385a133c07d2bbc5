/* stagger tests: the YAML node tree (io/read/ynode.h), the scenarios file
 * (io/scenario/scenario_read.h) and applying scenarios to a fleet
 * (io/scenario/scenario_apply.h).
 *
 * tests/data/scenarios/base.yaml is the fleet every scenario here edits.
 * tests/data/scenarios/bad/NAME.yaml is one scenarios file per class of
 * error; NAME.expect is the first message as `FILE:LINE:COL: MESSAGE;
 * HINT` where FILE says which file the message points into (scenarios
 * or fleet); the table below gives the number of errors. */
#include <check.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/scenario/scenario_apply.h"
#include "io/scenario/scenario_read.h"
#include "io/scenario/whatif_report.h"
#include "io/read/ynode.h"
#include "model/alloc.h"
#include "model/fleet.h"
#include "solver/planner.h"

#define BASE "tests/data/scenarios/base.yaml"
#define GB 1e9
#define TB 1e12

/* ---- helpers --------------------------------------------------------- */

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
        if (cap - n - 1 == 0)
            ck_assert_int_eq(stg_grow((void **)&buf, &cap, cap * 2, 1), 0);
    }
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

static void diag_line(char *buf, size_t size, const char *file,
                      const stg_diag *it)
{
    snprintf(buf, size, "%s:%d:%d: %s%s%s%s", file, it->loc.line, it->loc.col,
             it->level == STG_DIAG_WARNING ? "warning: " : "", it->msg,
             it->hint ? "; " : "", it->hint ? it->hint : "");
}

static void show(const char *name, const char *text, const stg_diags *d)
{
    stg_report_diags(stderr, name, text, text ? strlen(text) : 0, d);
}

static stg_ynode *base_tree(void)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = slurp(BASE, NULL);
    stg_ynode *t = stg_ynode_read(text, strlen(text), STG_SCEN_FLEET, 16, NULL, 0, &d);
    if (!t)
        show(BASE, text, &d);
    ck_assert_ptr_nonnull(t);
    stg_free(text);
    stg_diags_free(&d);
    return t;
}

/* Applies the one scenario of a scenarios text to the base fleet;
 * fails the test unless it gives a fleet (caller frees). */
static stg_fleet *apply_ok(const char *scenarios)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_scenarios *s = stg_scenarios_read_buffer(scenarios, strlen(scenarios), &d);
    if (!s)
        show("<scenarios>", scenarios, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->n, 1);
    stg_ynode *base = base_tree();
    stg_scen_result r;
    stg_scen_result_init(&r);
    int rc = stg_scenario_apply(base, &s->items[0], &r);
    if (rc) {
        show("<scenarios>", scenarios, &r.diags[STG_SCEN_FILE]);
        show(BASE, NULL, &r.diags[STG_SCEN_FLEET]);
    }
    ck_assert_int_eq(rc, 0);
    ck_assert_ptr_nonnull(r.text);
    stg_fleet *f = r.fleet;
    r.fleet = NULL;
    stg_scen_result_free(&r);
    stg_ynode_free(base);
    stg_scenarios_free(s);
    stg_diags_free(&d);
    return f;
}

/* The scenario's first message (scenarios file first, then the fleet),
 * as the .expect files write it; the number of errors in *errors. */
static void apply_bad(const char *scenarios, char *got, size_t size,
                      int *errors)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_scenarios *s = stg_scenarios_read_buffer(scenarios, strlen(scenarios), &d);
    got[0] = '\0';
    *errors = (int)d.errors;
    if (!s) {
        ck_assert_uint_ge(d.count, 1);
        diag_line(got, size, "scenarios", &d.items[0]);
        stg_diags_free(&d);
        return;
    }
    stg_ynode *base = base_tree();
    stg_scen_result r;
    stg_scen_result_init(&r);
    ck_assert_int_eq(stg_scenario_apply(base, &s->items[0], &r), 1);
    ck_assert_ptr_null(r.fleet);
    *errors = (int)(r.diags[0].errors + r.diags[1].errors);
    if (r.diags[STG_SCEN_FILE].count)
        diag_line(got, size, "scenarios", &r.diags[STG_SCEN_FILE].items[0]);
    else if (r.diags[STG_SCEN_FLEET].count)
        diag_line(got, size, "fleet", &r.diags[STG_SCEN_FLEET].items[0]);
    stg_scen_result_free(&r);
    stg_ynode_free(base);
    stg_scenarios_free(s);
    stg_diags_free(&d);
}

static const stg_source *source(const stg_fleet *f, const char *group,
                                const char *name)
{
    int g = stg_fleet_group(f, group);
    ck_assert_msg(g >= 0, "no group %s", group);
    for (int i = 0; i < f->groups[g].nsources; i++) {
        const stg_source *s = &f->sources[f->groups[g].sources[i]];
        if (!strcmp(s->name, name))
            return s;
    }
    ck_abort_msg("no source %s in %s", name, group);
    return NULL;
}

/* Relative closeness for values that went through decimal text. */
#define ck_assert_near(a, b) \
    ck_assert_msg(fabs((a) - (b)) <= 1e-9 * fabs(b), "%.17g != %.17g", \
                  (double)(a), (double)(b))

/* ---- the node tree --------------------------------------------------- */

/* text -> tree -> YAML -> tree: the same tree, the same YAML again. */
static void round_trip(const char *text)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_ynode *a = stg_ynode_read(text, strlen(text), 7, 16, NULL, 0, &d);
    if (!a)
        show("<text>", text, &d);
    ck_assert_ptr_nonnull(a);
    char *out = NULL, *out2 = NULL;
    size_t len, len2;
    ck_assert_int_eq(stg_ynode_emit(a, &out, &len), 0);
    ck_assert_uint_eq(len, strlen(out));
    stg_ynode *b = stg_ynode_read(out, len, 8, 16, NULL, 0, &d);
    if (!b)
        show("<written>", out, &d);
    ck_assert_ptr_nonnull(b);
    ck_assert_msg(stg_ynode_equal(a, b), "the tree read back differs:\n%s", out);
    ck_assert_int_eq(stg_ynode_emit(b, &out2, &len2), 0);
    ck_assert_str_eq(out, out2);
    /* a copy is the same tree */
    stg_ynode *c = stg_ynode_copy(a);
    ck_assert(stg_ynode_equal(a, c));
    stg_ynode_free(c);
    stg_ynode_free(a);
    stg_ynode_free(b);
    stg_free(out);
    stg_free(out2);
    stg_diags_free(&d);
}

START_TEST(ynode_round_trip_styles)
{
    round_trip(
        "plain: word\n"
        "number: 12.5\n"
        "time: \"08:00\"\n"
        "single: 'it''s'\n"
        "double: \"tab\\there \\\"q\\\" back\\\\slash\"\n"
        "quoted_null: 'null'\n"
        "plain_null: null\n"
        "tilde: ~\n"
        "empty:\n"
        "empty_quoted: ''\n"
        "colon: 'a: b'\n"
        "hash: 'a #b'\n"
        "dash: '- x'\n"
        "lead: '  spaces  '\n"
        "unicode: \"Malm\\u00f6 \\u2028 line\"\n"
        "control: \"bell\\a nul\\0 end\"\n"
        "path: 'D:\\Shares (ams-fs01)'\n"
        "literal: |\n  two\n  lines\n"
        "folded: >\n  one\n  line\n"
        "flow: { a: [1, 2, [3, []]], b: {}, c: [] }\n"
        "seq:\n  - - nested\n    - list\n  - { k: v }\n  -\n  - ''\n"
        "? [complex, key]\n: value\n"
        "? ''\n: empty key\n"
        "dup: 1\ndup: 2\n"
        "'yes': true\n"
        "...x: '...'\n");
    round_trip("just a scalar\n");
    round_trip("[]\n");
    round_trip("- a\n- b: c\n  d: [e]\n");
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Every example fleet: read as a tree, written, read as a fleet again:
 * the same fleet as the file. */
static void fleet_round_trip(const char *path)
{
    stg_diags d;
    stg_diags_init(&d);
    size_t len;
    char *text = slurp(path, &len);
    round_trip(text);
    stg_ynode *t = stg_ynode_read(text, len, 0, 16, NULL, 0, &d);
    ck_assert_ptr_nonnull(t);
    char *out;
    size_t olen;
    ck_assert_int_eq(stg_ynode_emit(t, &out, &olen), 0);
    stg_fleet *a = stg_fleet_read_buffer(text, len, &d);
    stg_fleet *b = stg_fleet_read_buffer(out, olen, &d);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(a->nlinks, b->nlinks);
    ck_assert_int_eq(a->ncomputers, b->ncomputers);
    ck_assert_int_eq(a->ngroups, b->ngroups);
    ck_assert_int_eq(a->nsources, b->nsources);
    ck_assert(a->headroom == b->headroom && a->cycle == b->cycle &&
              a->resolution == b->resolution);
    for (int l = 0; l < a->nlinks; l++) {
        ck_assert_str_eq(a->links[l].name, b->links[l].name);
        ck_assert(a->links[l].capacity == b->links[l].capacity);
        ck_assert_int_eq(a->links[l].nbackground, b->links[l].nbackground);
    }
    for (int c = 0; c < a->ncomputers; c++) {
        ck_assert_str_eq(a->computers[c].name, b->computers[c].name);
        ck_assert_int_eq(a->computers[c].server, b->computers[c].server);
        ck_assert_int_eq(a->computers[c].nfull_path, b->computers[c].nfull_path);
        ck_assert(memcmp(&a->computers[c].throttle, &b->computers[c].throttle,
                         sizeof a->computers[c].throttle) == 0);
    }
    for (int g = 0; g < a->ngroups; g++) {
        ck_assert_str_eq(a->groups[g].name, b->groups[g].name);
        ck_assert_int_eq(a->groups[g].sync_every, b->groups[g].sync_every);
        ck_assert_int_eq(a->groups[g].nrp, b->groups[g].nrp);
        ck_assert_int_eq(a->groups[g].nef, b->groups[g].nef);
        ck_assert_int_eq(a->groups[g].ef_flex, b->groups[g].ef_flex);
        ck_assert_int_eq(a->groups[g].cc_from, b->groups[g].cc_from);
    }
    for (int s = 0; s < a->nsources; s++) {
        ck_assert_str_eq(a->sources[s].name, b->sources[s].name);
        ck_assert(a->sources[s].size == b->sources[s].size);
        ck_assert(a->sources[s].churn == b->sources[s].churn);
    }
    stg_fleet_free(a);
    stg_fleet_free(b);
    stg_ynode_free(t);
    stg_free(out);
    stg_free(text);
    stg_diags_free(&d);
}

START_TEST(ynode_round_trip_fleets)
{
    fleet_round_trip("examples/company.yaml");
    fleet_round_trip("examples/branch-office.yaml");
    fleet_round_trip("examples/week-cycle.yaml");
    fleet_round_trip("tests/data/fleet/every-key.yaml");
    fleet_round_trip(BASE);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(ynode_errors)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"a: &x 1\nb: *x\n", "1:4: anchors are not supported (&x); remove the "
         "anchor and write each value out in full"},
        {"a: [1\n", "2:1: invalid YAML: did not find expected ',' or ']' "
         "(while parsing a flow sequence at line 1)"},
        {"a: 1\n---\nb: 2\n", "2:1: the file holds one YAML document, and a "
         "second one starts here; keep one document: remove this --- and what "
         "follows"},
        {"a: [[[1]]]\n", "1:5: nesting deeper than 2 levels; at most 2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stg_diags d;
        stg_diags_init(&d);
        stg_ynode *t = stg_ynode_read(cases[i].text, strlen(cases[i].text), 0,
                                      2, "at most 2", 0, &d);
        ck_assert_ptr_null(t);
        ck_assert_uint_ge(d.count, 1);
        char got[512];
        snprintf(got, sizeof got, "%d:%d: %s%s%s", d.items[0].loc.line,
                 d.items[0].loc.col, d.items[0].msg, d.items[0].hint ? "; " : "",
                 d.items[0].hint ? d.items[0].hint : "");
        ck_assert_str_eq(got, cases[i].want);
        stg_diags_free(&d);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Past its limits the reader stops at once rather than build a tree of
 * millions: a mapping of 1,025 keys; a scenarios file of 2 million
 * values (refused at the 500,001st, in well under a second). */
START_TEST(ynode_limits)
{
    size_t cap = 64 + 16 * 1100;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)sprintf(text, "a:\n");
    for (int i = 0; i < 1100; i++)
        len += (size_t)sprintf(text + len, "  k%d: 1\n", i);
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_ynode_read(text, len, 0, 16, NULL, 0, &d));
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, 2 + STG_YNODE_MAX_KEYS);
    ck_assert_str_eq(d.items[0].msg, "more than 1024 keys in one mapping");
    stg_diags_free(&d);
    free(text);

    size_t n = 2000000;
    text = malloc(64 + 2 * n);
    ck_assert_ptr_nonnull(text);
    len = (size_t)sprintf(text, "stagger-scenarios: 1\nscenarios: [");
    for (size_t i = 0; i < n; i++) {
        text[len++] = 'x';
        text[len++] = i + 1 < n ? ',' : ']';
    }
    text[len] = '\0';
    clock_t t0 = clock();
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_scenarios_read_buffer(text, len, &d));
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_str_eq(d.items[0].msg, "more than 500000 values in one file");
    ck_assert_msg(secs < 2, "refused in %.2f s", secs);
    stg_diags_free(&d);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- the streaming reader -------------------------------------------- */

typedef struct {
    char log[8192];             /* what the callbacks saw, in order */
    long most_live;             /* allocations live during an entry() */
    int entries, stop_at;       /* entry() returns 0 at entry stop_at */
} stream_seen;

static void seen(stream_seen *s, const char *what, const stg_ynode *n)
{
    size_t used = strlen(s->log);
    snprintf(s->log + used, sizeof s->log - used, "%s%s@%d ", what,
             n->kind == STG_YSCALAR ? n->text : n->kind == STG_YMAP ? "{}"
                                                                    : "[]",
             n->mark.line);
}

static int seen_key(void *arg, const stg_ynode *root, const stg_ynode *key)
{
    ck_assert_int_eq(root->kind, STG_YMAP);
    seen(arg, "k:", key);
    return 1;
}

static int seen_pair(void *arg, const stg_ynode *root, const stg_ynode *key,
                     const stg_ynode *value)
{
    (void)root;
    (void)key;
    seen(arg, "v:", value);
    return 1;
}

static int seen_entry(void *arg, const char *list, const stg_ynode *entry)
{
    stream_seen *s = arg;
    long live = stg_alloc_live();
    if (live > s->most_live)
        s->most_live = live;
    seen(s, list, entry);
    return ++s->entries != s->stop_at;
}

/* The entries of a streamed list are handed over one at a time, in file
 * order, and freed after each call: memory does not grow with the list;
 * the root keeps the list as an empty sequence, its other values whole;
 * keys come before their values. */
START_TEST(ynode_stream_entries)
{
    static const char *const lists[] = { "items", NULL };
    char text[16384];
    size_t len = (size_t)sprintf(text, "a: 1\nitems:\n");
    for (int i = 0; i < 200; i++)
        len += (size_t)sprintf(text + len, "  - {n: %d, v: [1, 2, 3]}\n", i);
    len += (size_t)sprintf(text + len, "b: [x]\n");
    stream_seen s = {{0}, 0, 0, 0};
    stg_ynode_stream how = {
        .lists = lists, .arg = &s, .key = seen_key, .pair = seen_pair,
        .entry = seen_entry,
    };
    stg_diags d;
    stg_diags_init(&d);
    /* an entry holds 8 nodes, the root 6: a cap of 14 live nodes reads
     * the whole list */
    stg_ynode *t = stg_ynode_read_stream(text, len, 5, 16, 14, &how, &d);
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(d.count, 0);
    ck_assert_int_eq(s.entries, 200);
    ck_assert_int_eq(strncmp(s.log, "k:a@1 v:1@1 k:items@2 items{}@3 "
                             "items{}@4 ", 32), 0);
    ck_assert_ptr_nonnull(strstr(s.log, "v:[]@3 k:b@203 v:[]@203 "));
    ck_assert_int_eq(t->n, 3);
    ck_assert_int_eq(stg_ynode_get(t, "items")->kind, STG_YSEQ);
    ck_assert_int_eq(stg_ynode_get(t, "items")->n, 0);
    ck_assert_int_eq(stg_ynode_get(t, "b")->n, 1);
    ck_assert_int_eq(t->mark.file, 5);
    /* the tree so far and one entry: far fewer than 200 entries' worth */
    ck_assert_int_lt(s.most_live, 100);
    stg_ynode_free(t);

    /* the same cap refuses the list when it is not streamed */
    stg_ynode *u = stg_ynode_read_stream(text, len, 5, 16, 14, NULL, &d);
    ck_assert_ptr_null(u);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_str_eq(d.items[0].msg, "more than 14 values in one file");
    stg_diags_free(&d);

    /* an entry() that returns 0 stops the reading: NULL, nothing said */
    memset(&s, 0, sizeof s);
    s.stop_at = 3;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_ynode_read_stream(text, len, 0, 16, 0, &how, &d));
    ck_assert_int_eq(s.entries, 3);
    ck_assert_uint_eq(d.count, 0);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A strict reader's own texts: the first error ends the reading, a key
 * given twice and anchors as it says; stg_ynode_read() keeps both keys
 * and refuses anchors. */
START_TEST(ynode_stream_texts)
{
    static const stg_ytexts strict = {
        .empty = "empty!", .second_doc = "two docs",
        .alias = "no alias %s", .depth = "deep %d", .nodes = "many %zu",
        .max_keys = 2, .keys = "keys %d", .twice = "twice %s (line %d)",
        .strict = true,
    };
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"", "1:1: empty!"},
        {"# nothing\n", "1:1: empty!"},
        {"a: *x\nb: *y\n", "1:4: no alias x"},
        {"a: 1\na: 2\n", "2:1: twice a (line 1)"},
        {"a: 1\nb: 2\nc: 3\n", "3:1: keys 2"},
        {"a: [[1]]\n", "1:5: deep 2"},
        {"a: [1, 2, 3, 4]\n", "1:14: many 6"},
        {"a: 1\n---\nb: 2\n", "2:1: two docs"},
    };
    stg_ynode_stream how = { .texts = &strict };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        stg_diags d;
        stg_diags_init(&d);
        const char *text = cases[i].text;
        ck_assert_ptr_null(stg_ynode_read_stream(text, strlen(text), 0, 2, 6,
                                                 &how, &d));
        ck_assert_uint_eq(d.count, 1);
        char got[256];
        snprintf(got, sizeof got, "%d:%d: %s", d.items[0].loc.line,
                 d.items[0].loc.col, d.items[0].msg);
        ck_assert_str_eq(got, cases[i].want);
        stg_diags_free(&d);
    }

    /* anchors are let through when the texts have none; "---" alone
     * keeps its mark when the texts say what empty is */
    stg_diags d;
    stg_diags_init(&d);
    const char *text = "a: &x 1\n";
    stg_ynode *t = stg_ynode_read_stream(text, strlen(text), 0, 2, 0, &how,
                                         &d);
    ck_assert_ptr_nonnull(t);
    stg_ynode_free(t);
    t = stg_ynode_read_stream("---\n", 4, 0, 2, 0, &how, &d);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_ne(t->mark.line, 0);
    stg_ynode_free(t);
    ck_assert_uint_eq(d.count, 0);
    t = stg_ynode_read("---\n", 4, 0, 2, NULL, 0, &d);
    ck_assert_int_eq(t->mark.line, 0);
    stg_ynode_free(t);

    /* stg_ynode_read: a key written twice is kept twice */
    text = "a: 1\na: 2\n";
    t = stg_ynode_read(text, strlen(text), 0, 2, NULL, 0, &d);
    ck_assert_ptr_nonnull(t);
    ck_assert_int_eq(t->n, 2);
    stg_ynode_free(t);
    ck_assert_uint_eq(d.count, 0);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A flow mapping in a list is written in block form, its first pair on
 * the line of its "-". */
START_TEST(ynode_emit_block)
{
    stg_diags d;
    stg_diags_init(&d);
    const char *text = "top:\n  - { name: x,   size: 2TB }\n";
    stg_ynode *t = stg_ynode_read(text, strlen(text), 3, 16, NULL, 0, &d);
    ck_assert_ptr_nonnull(t);
    char *out;
    size_t len;
    ck_assert_int_eq(stg_ynode_emit(t, &out, &len), 0);
    ck_assert_str_eq(out, "top:\n  - name: x\n    size: 2TB\n");
    stg_free(out);
    stg_ynode_free(t);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- factors, paths, sizes ------------------------------------------ */

START_TEST(factors)
{
    double f;
    const char *problem;
    ck_assert_int_eq(stg_parse_factor("130%", &f, &problem), 0);
    ck_assert(fabs(f - 1.3) < 1e-15);
    ck_assert_int_eq(stg_parse_factor("1.3x", &f, &problem), 0);
    ck_assert(f == 1.3);
    ck_assert_int_eq(stg_parse_factor("2", &f, &problem), 0);
    ck_assert(f == 2);
    ck_assert_int_eq(stg_parse_factor(".5", &f, &problem), 0);
    ck_assert(f == 0.5);
    ck_assert_int_eq(stg_parse_factor("0%", &f, &problem), -1);
    ck_assert_str_eq(problem, "is not above zero");
    ck_assert_int_eq(stg_parse_factor("-2x", &f, &problem), -1);
    ck_assert_str_eq(problem, "is negative");
    ck_assert_int_eq(stg_parse_factor("2X", &f, &problem), -1);
    ck_assert_str_eq(problem, "is not a factor");
    ck_assert_int_eq(stg_parse_factor("1001", &f, &problem), -1);
    ck_assert_str_eq(problem, "is above 1000x");
    ck_assert_int_eq(stg_parse_factor("x", &f, &problem), -1);

    size_t at;
    ck_assert_int_eq(stg_path_check("a.b.c", &problem, &at), 0);
    ck_assert_int_eq(stg_path_check("a[b.c].d", &problem, &at), 0);
    ck_assert_int_eq(stg_path_check("a['b]c'][x]", &problem, &at), 0);
    ck_assert_int_eq(stg_path_check("a..b", &problem, &at), -1);
    ck_assert_uint_eq(at, 1);
    ck_assert_int_eq(stg_path_check("a.", &problem, &at), -1);
    ck_assert_str_eq(problem, "ends with a dot");
    ck_assert_int_eq(stg_path_check("a[b", &problem, &at), -1);
    ck_assert_str_eq(problem, "has a [ that is not closed");
    ck_assert_int_eq(stg_path_check("a[b]c", &problem, &at), -1);
    ck_assert_uint_eq(at, 4);
    ck_assert_int_eq(stg_path_check("a[]", &problem, &at), -1);
    ck_assert_int_eq(stg_path_check("", &problem, &at), -1);

    char buf[64];
    ck_assert_str_eq(stg_scen_fmt_size(buf, sizeof buf, 2.6e12), "2.6TB");
    ck_assert_str_eq(stg_scen_fmt_size(buf, sizeof buf, 1.3 * 333e9), "432.9GB");
    /* more digits than the three decimals of quantity.h */
    ck_assert_str_eq(stg_scen_fmt_size(buf, sizeof buf, 1.0004e12), "1.0004TB");
    ck_assert_str_eq(stg_scen_fmt_size(buf, sizeof buf, 0), "0B");
}
END_TEST

/* ---- set ----------------------------------------------------------- */

START_TEST(set_paths)
{
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    set:\n"
        "      headroom: 20%\n"
        "      links.wan.a.capacity: 30Mbps\n"          /* a name with a dot */
        "      computers.fs01.a.local.throttle: 9Mbps\n" /* the longest name */
        "      computers.fs01.a.throttle: 3Mbps\n"      /* its prefix */
        "      computers[sql01.b.local].path: [wan.a]\n"
        "      links.wan-b.background.0.rate: 3Mbps\n"  /* an entry by number */
        "      groups.SQL.max_lag: 2h\n"                /* a key created */
        "      groups.South.consistency_check: { from: \"22:00\", to: \"04:00\" }\n"
        "      groups.Files.sync.every: 1h\n"
        "      'groups.Files.sources[D:\\Data].size': 2TB\n"
        "      groups.SQL.express_full.at: [\"21:00\", \"23:00\"]\n");
    ck_assert(f->headroom == 0.2);
    ck_assert(f->links[stg_fleet_link(f, "wan.a")].capacity == 30e6);
    ck_assert(f->computers[stg_fleet_computer(f, "fs01.a.local")].throttle.rate == 9e6);
    ck_assert(f->computers[stg_fleet_computer(f, "fs01.a")].throttle.rate == 3e6);
    const stg_computer *sql = &f->computers[stg_fleet_computer(f, "sql01.b.local")];
    ck_assert_int_eq(sql->npath, 1);
    ck_assert_int_eq(sql->path[0], stg_fleet_link(f, "wan.a"));
    ck_assert(f->links[stg_fleet_link(f, "wan-b")].background[0].rate == 3e6);
    const stg_group *g = &f->groups[stg_fleet_group(f, "SQL")];
    ck_assert_int_eq(g->max_lag, 7200);
    ck_assert_int_eq(g->nef, 2);
    ck_assert_int_eq(g->ef_at[0], 21 * 3600);
    ck_assert_int_eq(g->ef_at[1], 23 * 3600);
    g = &f->groups[stg_fleet_group(f, "South")];
    ck_assert(g->has_cc);
    ck_assert_int_eq(g->cc_from, 22 * 3600);
    ck_assert_int_eq(g->cc_to, 4 * 3600);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "Files")].sync_every, 3600);
    ck_assert(source(f, "Files", "D:\\Data")->size == 2 * TB);
    /* what was not set is as it was */
    ck_assert(f->links[stg_fleet_link(f, "wan-b")].capacity == 10e6);
    ck_assert_int_eq(f->ncomputers, 4);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A whole entry replaced, and bracket steps with quotes. */
START_TEST(set_entries)
{
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    set:\n"
        "      links.wan-b: { name: wan-b, capacity: 50Mbps }\n"
        "      computers['fs02.c.local'].throttle: { work: 1Mbps, other: 5Mbps, hours: \"08:00-18:00\" }\n");
    const stg_link *l = &f->links[stg_fleet_link(f, "wan-b")];
    ck_assert(l->capacity == 50e6);
    ck_assert_int_eq(l->nbackground, 0);
    const stg_throttle *t = &f->computers[stg_fleet_computer(f, "fs02.c.local")].throttle;
    ck_assert_int_eq(t->kind, STG_THROTTLE_WORK);
    ck_assert(t->work == 1e6 && t->other == 5e6);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- scale ----------------------------------------------------------- */

START_TEST(scale_all)
{
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    scale: { size: 2x }\n");
    const stg_source *s = source(f, "Files", "D:\\Data");
    ck_assert_near(s->size, 2 * TB);
    ck_assert_near(s->churn, 20 * GB);          /* 1%/day of 2TB */
    s = source(f, "Files", "E:\\Home");
    ck_assert_near(s->size, 200 * GB);
    ck_assert_near(s->churn, 10 * GB);          /* a size per day: as it was */
    ck_assert_near(s->cc_volume, 10 * GB);      /* follows the size */
    s = source(f, "SQL", "Sales");
    ck_assert_near(s->size, 400 * GB);
    ck_assert_near(s->churn, 8 * GB);
    ck_assert_near(s->sync_volume, 1 * GB);     /* follows the daily change */
    ck_assert_near(source(f, "South", "D:\\S")->size, 200 * GB);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(scale_selected)
{
    /* the churn of a group */
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    scale: { churn: 150%, group: SQL }\n");
    const stg_source *s = source(f, "SQL", "Sales");
    ck_assert_near(s->size, 200 * GB);
    ck_assert_near(s->churn, 6 * GB);           /* 3%/day */
    ck_assert_near(s->sync_volume, 0.75 * GB);
    ck_assert_near(source(f, "Files", "D:\\Data")->churn, 10 * GB);
    stg_fleet_free(f);

    /* a site (the sources of the computers behind a link), a computer,
     * and the factors of two entries multiplied */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    scale:\n"
        "      - { churn: 2x, link: wan.a }\n"
        "      - { size: 1.5, computer: fs01.a }\n"
        "      - { size: 2x, link: core, group: South }\n");
    s = source(f, "Files", "D:\\Data");
    ck_assert_near(s->size, 1 * TB);
    ck_assert_near(s->churn, 20 * GB);          /* 2%/day */
    s = source(f, "Files", "E:\\Home");
    ck_assert_near(s->size, 150 * GB);
    ck_assert_near(s->churn, 20 * GB);
    ck_assert_near(s->cc_volume, 7.5 * GB);
    s = source(f, "SQL", "Sales");               /* on wan-b: as it was */
    ck_assert_near(s->size, 200 * GB);
    ck_assert_near(s->churn, 4 * GB);
    ck_assert_near(source(f, "South", "D:\\S")->size, 200 * GB);
    stg_fleet_free(f);

    /* scale after set: the value set is scaled */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    set: { 'groups.South.sources[D:\\S].size': 300GB }\n"
        "    scale: [ { size: 130% }, { size: 130%, group: South } ]\n");
    ck_assert_near(source(f, "South", "D:\\S")->size, 507 * GB);
    ck_assert_near(source(f, "SQL", "Sales")->size, 260 * GB);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- add, remove, move ---------------------------------------------- */

START_TEST(add_entries)
{
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    add:\n"
        "      links: [ { name: x-wan, capacity: 20Mbps } ]\n"
        "      servers: [ { name: dpm03, path: [core], max_jobs: 2 } ]\n"
        "      computers:\n"
        "        - { name: x-fs01, server: dpm03, path: [x-wan], throttle: 5Mbps }\n"
        "      groups:\n"
        "        - name: X-Files\n"
        "          sync: { every: 1h }\n"
        "          sources: [ { name: 'D:\\X', computer: x-fs01, kind: file, size: 50GB, churn: 1%/day } ]\n"
        "      sources:\n"
        "        - { group: SQL, name: Billing, computer: sql01.b.local, kind: sql, size: 10GB, churn: 1GB/day }\n");
    ck_assert_int_eq(f->nlinks, 4);
    ck_assert_str_eq(f->links[3].name, "x-wan");
    ck_assert_int_eq(f->nservers, 3);
    ck_assert_int_eq(f->servers[2].max_jobs, 2);
    const stg_computer *c = &f->computers[stg_fleet_computer(f, "x-fs01")];
    ck_assert_int_eq(c->server, 2);
    ck_assert_int_eq(c->nfull_path, 2);
    const stg_group *g = &f->groups[stg_fleet_group(f, "X-Files")];
    ck_assert_int_eq(g->server, 2);             /* from its computer */
    ck_assert_int_eq(g->nsources, 1);
    g = &f->groups[stg_fleet_group(f, "SQL")];
    ck_assert_int_eq(g->nsources, 2);
    const stg_source *s = source(f, "SQL", "Billing");
    ck_assert_near(s->churn, 1 * GB);
    ck_assert_int_eq(s->kind, STG_SRC_SQL);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(remove_entries)
{
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    remove:\n"
        "      groups: [South]\n"
        "      computers: [fs02.c.local]\n"
        "      servers: [dpm02]\n"
        "      sources: [ { group: Files, name: 'E:\\Home' } ]\n");
    ck_assert_int_eq(f->ngroups, 2);
    ck_assert_int_eq(stg_fleet_group(f, "South"), -1);
    ck_assert_int_eq(f->ncomputers, 3);
    ck_assert_int_eq(f->nservers, 1);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "Files")].nsources, 1);
    ck_assert_int_eq(f->nsources, 2);
    stg_fleet_free(f);

    /* removed, then added again with other values */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    remove: { links: [core] }\n"
        "    add: { links: [ { name: core, capacity: 10Gbps } ] }\n");
    ck_assert(f->links[stg_fleet_link(f, "core")].capacity == 10e9);
    stg_fleet_free(f);

    /* a link removed, and the paths that crossed it set by the same
     * scenario: only the fleet at the end must be right */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    remove: { links: [wan-b] }\n"
        "    move: { computer: sql01.b.local, path: [wan.a] }\n"
        "    set: { computers.fs02.c.local.path: [wan.a] }\n");
    ck_assert_int_eq(f->nlinks, 2);
    ck_assert_int_eq(f->computers[stg_fleet_computer(f, "fs02.c.local")].path[0],
                     stg_fleet_link(f, "wan.a"));
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(move_computers)
{
    /* the only computer of South: the group follows it */
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    move: { computer: fs02.c.local, server: dpm01 }\n");
    int dpm01 = stg_fleet_server(f, "dpm01");
    ck_assert_int_eq(f->computers[stg_fleet_computer(f, "fs02.c.local")].server, dpm01);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "South")].server, dpm01);
    stg_fleet_free(f);

    /* into another group on the new server; Files keeps D:\Data */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    move: { computer: fs01.a, server: dpm02, group: South, path: [wan-b] }\n");
    const stg_computer *c = &f->computers[stg_fleet_computer(f, "fs01.a")];
    ck_assert_int_eq(c->server, stg_fleet_server(f, "dpm02"));
    ck_assert_int_eq(c->path[0], stg_fleet_link(f, "wan-b"));
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "South")].nsources, 2);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "Files")].nsources, 1);
    ck_assert_near(source(f, "South", "E:\\Home")->cc_volume, 5 * GB);
    stg_fleet_free(f);

    /* to the server it is on: its shared group stays, nothing else */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    move: { computer: fs01.a, server: dpm01 }\n");
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "Files")].nsources, 2);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "Files")].server,
                     stg_fleet_server(f, "dpm01"));
    stg_fleet_free(f);

    /* a group left without sources is removed; two moves in a row */
    f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    move:\n"
        "      - { computer: sql01.b.local, server: dpm02, group: South }\n"
        "      - { computer: fs02.c.local, path: [wan.a] }\n");
    ck_assert_int_eq(stg_fleet_group(f, "SQL"), -1);
    ck_assert_int_eq(f->ngroups, 2);
    ck_assert_int_eq(f->groups[stg_fleet_group(f, "South")].nsources, 2);
    c = &f->computers[stg_fleet_computer(f, "fs02.c.local")];
    ck_assert_int_eq(c->path[0], stg_fleet_link(f, "wan.a"));
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- several scenarios, warnings ------------------------------------ */

START_TEST(scenarios_file)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = slurp("examples/company-scenarios.yaml", NULL);
    stg_scenarios *s = stg_scenarios_read_buffer(text, strlen(text), &d);
    if (!s)
        show("examples/company-scenarios.yaml", text, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(d.count, 0);
    ck_assert_int_ge(s->n, 7);
    ck_assert_str_eq(s->items[0].name, "osl-50");
    ck_assert_str_eq(s->items[0].description, "Oslo line upgraded to 50Mbps");
    stg_scenarios_free(s);
    stg_free(text);

    const char *nothing = "stagger-scenarios: 1\nscenarios:\n  - name: same\n";
    s = stg_scenarios_read_buffer(nothing, strlen(nothing), &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_uint_eq(d.count, 1);
    char got[512];
    diag_line(got, sizeof got, "scenarios", &d.items[0]);
    ck_assert_str_eq(got, "scenarios:3:5: warning: scenario same changes nothing; "
                     "add set, scale, add, remove or move");
    stg_scenarios_free(s);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The edited fleet's warnings come back mapped: an unthrottled computer
 * set by the scenario is a warning at the value the scenario wrote. */
START_TEST(warnings_mapped)
{
    const char *text =
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: w\n"
        "    set:\n"
        "      computers.fs01.a.throttle: none\n";
    stg_diags d;
    stg_diags_init(&d);
    stg_scenarios *s = stg_scenarios_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_nonnull(s);
    stg_ynode *base = base_tree();
    stg_scen_result r;
    stg_scen_result_init(&r);
    ck_assert_int_eq(stg_scenario_apply(base, &s->items[0], &r), 0);
    ck_assert_uint_eq(r.diags[STG_SCEN_FILE].count, 1);
    char got[512];
    diag_line(got, sizeof got, "scenarios", &r.diags[STG_SCEN_FILE].items[0]);
    ck_assert_str_eq(got, "scenarios:5:34: warning: scenario w: computer fs01.a is "
                     "unthrottled: its transfers take the whole 20Mbps of wan.a "
                     "and leave no headroom; set a throttle, or write auto to "
                     "have one recommended");
    stg_scen_result_free(&r);
    stg_ynode_free(base);
    stg_scenarios_free(s);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- rows and their forms ------------------------------------------- */

/* The whole of what f was given by the writer (stg_malloc'd). */
static char *written(FILE *fp)
{
    long n = ftell(fp);
    rewind(fp);
    char *buf = stg_malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    buf[n] = '\0';
    return buf;
}

/* Rows of today's settings (evaluated, not planned): the scenario moves
 * one group's offset and one link's capacity, so exactly that group has
 * moved and exactly that link is below the limit. */
START_TEST(rows_and_forms)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = slurp(BASE, NULL);
    stg_fleet *base = stg_fleet_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_nonnull(base);
    stg_fleet *f = apply_ok(
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    set:\n"
        "      groups.SQL.sync.offset: 5m\n"
        "      links.wan-b.capacity: 9Mbps\n");
    stg_schedule *bs = NULL, *fs = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_evaluate(base, NULL, true, &bs, &cause), 0);
    ck_assert_int_eq(stg_evaluate(f, NULL, true, &fs, &cause), 0);
    stg_whatif_row rows[2];
    ck_assert_int_eq(stg_whatif_row_build(&rows[0], "baseline", NULL, base, bs,
                                          NULL, NULL), 0);
    ck_assert_int_eq(stg_whatif_row_build(&rows[1], "a,\"b\"", "two\nlines",
                                          f, fs, base, bs), 0);
    ck_assert_int_eq(rows[0].nmoved, -1);
    ck_assert_int_eq(rows[1].nmoved, 1);
    ck_assert_str_eq(rows[1].moved[0], "SQL");
    ck_assert_int_eq(rows[1].nbelow, 1);
    ck_assert_str_eq(rows[1].below[0], "wan-b");
    ck_assert_str_eq(rows[1].link, "wan-b");
    rows[0].seconds = 0.5;
    rows[1].seconds = 1.25;

    stg_whatif_info info = {"f.yaml", "s.yaml", 30, 7};
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(stg_whatif_write(fp, STG_WHATIF_CSV, &info, rows, 2, &cause), 0);
    char *csv = written(fp);
    static const char head[] = "scenario,status,required,headroom,link,at,"
        "bound,below_count,below,moved_count,moved,seconds\nbaseline,";
    ck_assert_msg(strncmp(csv, head, strlen(head)) == 0, "%s", csv);
    ck_assert_ptr_nonnull(strstr(csv, "\n\"a,\"\"b\"\"\",violates,15.0,"));
    ck_assert_ptr_nonnull(strstr(csv, ",1,wan-b,1,SQL,1.25\n"));
    stg_free(csv);
    fclose(fp);

    fp = tmpfile();
    ck_assert_int_eq(stg_whatif_write(fp, STG_WHATIF_JSON, &info, rows, 2, &cause), 0);
    char *json = written(fp);
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"a,\\\"b\\\"\""));
    ck_assert_ptr_nonnull(strstr(json, "\"description\": \"two\\nlines\""));
    ck_assert_ptr_nonnull(strstr(json, "\"groups_moved\": null"));
    ck_assert_ptr_nonnull(strstr(json, "\"groups_moved\": [\"SQL\"]"));
    ck_assert_ptr_nonnull(strstr(json, "\"links_below_limit\": [\"wan-b\"]"));
    ck_assert_ptr_nonnull(strstr(json, "\"time_limit_seconds\": 30,\n  \"seed\": 7"));
    stg_free(json);
    fclose(fp);

    fp = tmpfile();
    ck_assert_int_eq(stg_whatif_write(fp, STG_WHATIF_TABLE, &info, rows, 2, &cause), 0);
    char *table = written(fp);
    /* aligned: every line as long as the header (the last column is
     * right-aligned) */
    size_t width = strcspn(table, "\n");
    for (const char *line = table; *line; line += strcspn(line, "\n") + 1)
        ck_assert_uint_eq(strcspn(line, "\n"), width);
    ck_assert_ptr_nonnull(strstr(table, "\nbaseline  "));
    ck_assert_ptr_nonnull(strstr(table, "  1: wan-b  "));
    ck_assert_ptr_nonnull(strstr(table, "  1: SQL  "));
    ck_assert_ptr_nonnull(strstr(table, "  1.25\n"));
    stg_free(table);
    fclose(fp);

    stg_whatif_row_free(&rows[0]);
    stg_whatif_row_free(&rows[1]);
    stg_schedule_free(bs);
    stg_schedule_free(fs);
    stg_fleet_free(f);
    stg_fleet_free(base);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- bad scenario files ---------------------------------------------- */

static const struct {
    const char *name;
    int errors;
} bad[] = {
    {"empty", 1},
    {"no-version", 1},
    {"bad-version", 1},
    {"not-mapping", 1},
    {"no-scenarios", 1},
    {"empty-scenarios", 1},
    {"unknown-top-key", 1},
    {"unknown-key", 1},
    {"no-name", 1},
    {"bad-name", 1},
    {"baseline-name", 1},
    {"duplicate-name", 1},
    {"duplicate-key", 1},
    {"alias", 2},
    {"tab", 1},
    {"nesting-deep", 1},
    {"bad-factor", 1},
    {"zero-factor", 1},
    {"scale-nothing", 1},
    {"scale-unknown-key", 1},
    {"set-not-map", 1},
    {"set-no-value", 1},
    {"set-empty-step", 1},
    {"set-open-bracket", 1},
    {"remove-not-list", 1},
    {"remove-twice", 1},
    {"remove-source-no-group", 1},
    {"add-not-map", 1},
    {"add-source-no-group", 1},
    {"move-no-computer", 1},
    {"move-nothing", 1},
    {"description-list", 1},
    {"set-unknown-name", 1},
    {"set-under-value", 1},
    {"set-unnamed-list", 1},
    {"remove-unknown-link", 1},
    {"remove-unknown-source", 1},
    {"add-source-unknown-group", 1},
    {"move-unknown-computer", 1},
    {"move-unknown-server", 1},
    {"move-shared-group", 1},
    {"scale-unknown-link", 1},
    {"remove-used-link", 2},
    {"remove-used-computer", 1},
    {"set-unitless", 1},
    {"set-key-typo", 1},
    {"add-duplicate-link", 1},
    {"add-incomplete-link", 1},
    {"scale-churn-over", 1},
    {"move-group-server", 1},
    {"set-throttle-over", 1},
    {"set-name-taken", 3},
};

START_TEST(bad_file)
{
    char path[256], got[1400];
    snprintf(path, sizeof path, "tests/data/scenarios/bad/%s.yaml", bad[_i].name);
    char *text = slurp(path, NULL);
    snprintf(path, sizeof path, "tests/data/scenarios/bad/%s.expect", bad[_i].name);
    int errors;
    apply_bad(text, got, sizeof got, &errors);
    char *expect = slurp(path, NULL);
    expect[strcspn(expect, "\n")] = '\0';
    ck_assert_msg(strcmp(got, expect) == 0, "%s:\n  got    %s\n  wanted %s",
                  bad[_i].name, got, expect);
    ck_assert_msg(errors == bad[_i].errors, "%s: %d errors, not %d", bad[_i].name,
                  errors, bad[_i].errors);
    stg_free(expect);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Every bad file is in the table. */
START_TEST(bad_files_listed)
{
    FILE *ls = popen("ls tests/data/scenarios/bad", "r");
    ck_assert_ptr_nonnull(ls);
    char line[256];
    int yaml = 0;
    while (fgets(line, sizeof line, ls)) {
        line[strcspn(line, "\n")] = '\0';
        char *dot = strstr(line, ".yaml");
        if (!dot || dot[5])
            continue;
        *dot = '\0';
        yaml++;
        bool found = false;
        for (size_t i = 0; i < sizeof bad / sizeof bad[0] && !found; i++)
            found = !strcmp(bad[i].name, line);
        ck_assert_msg(found, "tests/data/scenarios/bad/%s.yaml is not in the table",
                      line);
    }
    pclose(ls);
    ck_assert_int_eq(yaml, (int)(sizeof bad / sizeof bad[0]));
}
END_TEST

/* ---- out of memory at every allocation ----------------------------- */

START_TEST(allocation_failures)
{
    const char *text =
        "stagger-scenarios: 1\n"
        "scenarios:\n"
        "  - name: s\n"
        "    remove: { sources: [ { group: Files, name: 'E:\\Home' } ] }\n"
        "    add: { links: [ { name: x, capacity: 5Mbps } ] }\n"
        "    move: { computer: fs02.c.local, server: dpm01 }\n"
        "    set: { links.wan.a.capacity: 30Mbps, groups.SQL.max_lag: 2h }\n"
        "    scale: { size: 2x, link: wan-b }\n";
    char *base_text = slurp(BASE, NULL);
    long allocs = 0;
    for (long n = 1;; n++) {
        stg_diags d, bd;
        stg_diags_init(&d);
        stg_diags_init(&bd);
        long before = stg_alloc_count();
        stg_alloc_fail_at(before + n);
        stg_ynode *base = stg_ynode_read(base_text, strlen(base_text), 0, 16,
                                         NULL, 0, &bd);
        stg_scenarios *s = base ? stg_scenarios_read_buffer(text, strlen(text), &d) : NULL;
        int rc = -2;
        stg_scen_result r;
        stg_scen_result_init(&r);
        if (base && s)
            rc = stg_scenario_apply(base, &s->items[0], &r);
        bool failed = stg_alloc_count() - before >= n;
        stg_alloc_fail_at(0);
        if (!failed) {
            /* every allocation made: the whole thing worked */
            ck_assert_int_eq(rc, 0);
            ck_assert_ptr_nonnull(r.fleet);
            allocs = n - 1;
        } else {
            /* the failure is out of memory, never bad input */
            bool oom = (!base && bd.oom) || (base && !s && d.oom) || rc == -1;
            ck_assert_msg(oom, "allocation %ld: rc %d, base %p, scenarios %p", n,
                          rc, (void *)base, (void *)s);
            ck_assert_ptr_null(r.fleet);
        }
        stg_scen_result_free(&r);
        stg_scenarios_free(s);
        stg_ynode_free(base);
        stg_diags_free(&d);
        stg_diags_free(&bd);
        ck_assert_msg(stg_alloc_live() == 1, "allocation %ld: %ld blocks left", n,
                      stg_alloc_live() - 1);
        if (!failed)
            break;
    }
    ck_assert_int_gt(allocs, 100);
    stg_free(base_text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *t = tcase_create("ynode");
    tcase_add_test(t, ynode_round_trip_styles);
    tcase_add_test(t, ynode_round_trip_fleets);
    tcase_add_test(t, ynode_errors);
    tcase_add_test(t, ynode_limits);
    tcase_add_test(t, ynode_stream_entries);
    tcase_add_test(t, ynode_stream_texts);
    tcase_add_test(t, ynode_emit_block);
    suite_add_tcase(s, t);
    t = tcase_create("apply");
    tcase_add_test(t, factors);
    tcase_add_test(t, set_paths);
    tcase_add_test(t, set_entries);
    tcase_add_test(t, scale_all);
    tcase_add_test(t, scale_selected);
    tcase_add_test(t, add_entries);
    tcase_add_test(t, remove_entries);
    tcase_add_test(t, move_computers);
    tcase_add_test(t, scenarios_file);
    tcase_add_test(t, warnings_mapped);
    tcase_add_test(t, rows_and_forms);
    suite_add_tcase(s, t);
    t = tcase_create("bad");
    tcase_add_loop_test(t, bad_file, 0, (int)(sizeof bad / sizeof bad[0]));
    tcase_add_test(t, bad_files_listed);
    tcase_add_test(t, allocation_failures);
    tcase_set_timeout(t, 300);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? 1 : 0;
}
