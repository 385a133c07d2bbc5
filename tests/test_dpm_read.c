/* stagger tests: the DPM export reader (io/read/dpm_read.h).
 *
 * tests/data/dpm/doc-example.json is the example of docs/import.md; each
 * of its values is checked here, read as UTF-8, UTF-8 with a byte-order
 * mark and UTF-16 with one in both byte orders.  The hostile inputs are
 * that file with one edit each (the table `bad`), checked against the
 * first diagnostic they must produce (`LINE:COL: MESSAGE`), and files
 * made at test time: a history of 200,000 jobs, a file past the size
 * limit (sparse), nesting too deep, 20,000 broken jobs.  Every reading
 * must leave no allocation behind, also when an allocation fails. */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "io/read/dpm_read.h"
#include "io/write/report.h"
#include "model/alloc.h"
#include "model/fleet.h"

#define EXAMPLE "tests/data/dpm/doc-example.json"
#define H 3600

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "%s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0, got;
    char *buf = stg_malloc(cap);
    ck_assert_ptr_nonnull(buf);
    while ((got = fread(buf + n, 1, cap - n - 1, fp)) > 0) {
        n += got;
        if (cap - n - 1 == 0)
            ck_assert_int_eq(stg_grow((void **)&buf, &cap, cap * 2, 1), 0);
    }
    fclose(fp);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* The example with the first `from` replaced by `to` (stg_malloc'd). */
static char *edited(const char *from, const char *to)
{
    size_t len;
    char *t = slurp(EXAMPLE, &len);
    if (!from)
        return t;
    char *at = strstr(t, from);
    ck_assert_msg(at != NULL, "the example has no \"%s\"", from);
    char *out = stg_asprintf("%.*s%s%s", (int)(at - t), t, to,
                             at + strlen(from));
    ck_assert_ptr_nonnull(out);
    stg_free(t);
    return out;
}

static void first_diag(char *buf, size_t size, const stg_diags *d)
{
    ck_assert_uint_gt(d->count, 0);
    const stg_diag *it = &d->items[0];
    snprintf(buf, size, "%d:%d: %s", it->loc.line, it->loc.col, it->msg);
}

/* ---- the example ------------------------------------------------------- */

static void check_example(const stg_dpm_export *e)
{
    ck_assert_int_eq(e->version, 1);
    /* 2026-11-30T07:12:00: 20,787 days after 1970-01-01 */
    ck_assert_int_eq(e->collected, 20787LL * 86400 + 7 * H + 12 * 60);
    ck_assert_int_eq(e->collected_loc.line, 3);
    ck_assert_int_eq(e->utc_offset, H);
    ck_assert_str_eq(e->server, "DPM01.contoso.local");
    ck_assert_str_eq(e->server_version, "10.22.148.0");

    ck_assert_int_eq(e->ngroups, 1);
    const stg_dpm_group *g = &e->groups[0];
    ck_assert_str_eq(g->name, "Branch1-Files");
    ck_assert_int_eq(g->loc.line, 7);
    ck_assert(!g->before_recovery_point);
    ck_assert_int_eq(g->every_min, 60);
    ck_assert_int_eq(g->offset_min, 0);
    ck_assert_int_eq(g->sync_loc.line, 9);
    ck_assert_int_eq(g->sync_loc.col, 15);
    ck_assert(g->has_rp);
    ck_assert_int_eq(g->rp.ntimes, 3);
    ck_assert_int_eq(g->rp.times[0], 8 * H);
    ck_assert_int_eq(g->rp.times[1], 12 * H);
    ck_assert_int_eq(g->rp.times[2], 20 * H);
    ck_assert_uint_eq(g->rp.days, STG_DAILY);
    ck_assert(!g->has_ef);
    ck_assert(g->has_cc);
    ck_assert_int_eq(g->cc_start, 22 * H);
    ck_assert_int_eq(g->cc_hours, 8);
    ck_assert_uint_eq(g->cc_days, STG_SUN);
    ck_assert_int_eq(g->nsources, 1);
    ck_assert_str_eq(g->sources[0].name, "D:\\Shares");
    ck_assert_str_eq(g->sources[0].computer, "FS01.branch1.contoso.local");
    ck_assert_str_eq(g->sources[0].type, "Volume");
    ck_assert(g->sources[0].replica_bytes == 2199023255552.0);
    ck_assert(g->sources[0].used_bytes == 1649267441664.0);
    ck_assert_int_eq(g->sources[0].loc.line, 17);

    ck_assert_int_eq(e->ncomputers, 1);
    const stg_dpm_computer *c = &e->computers[0];
    ck_assert_str_eq(c->name, "FS01.branch1.contoso.local");
    ck_assert_int_eq(c->throttle, STG_DPM_THROTTLE_ON);
    ck_assert(c->work_bps == 10240e3);
    ck_assert(c->other_bps == 61440e3);
    ck_assert_int_eq(c->work_start, 8 * H);
    ck_assert_int_eq(c->work_end, 18 * H);
    ck_assert_uint_eq(c->work_days, STG_WEEKDAYS);

    ck_assert_int_eq(e->njobs, 1);
    const stg_dpm_job *j = &e->jobs[0];
    ck_assert_str_eq(j->type, "Replication");
    ck_assert_str_eq(j->group, "Branch1-Files");
    ck_assert_str_eq(j->source, "D:\\Shares");
    ck_assert_str_eq(j->computer, "FS01.branch1.contoso.local");
    ck_assert_int_eq(j->start, 20786LL * 86400 + 8 * H + 4);
    ck_assert_int_eq(j->end - j->start, 21 * 60 + 36);
    ck_assert_str_eq(j->status, "Failed");
    ck_assert_int_eq(j->error_id, 308);
    ck_assert(j->bytes == 734003200.0);
    ck_assert_int_eq(j->loc.line, 31);
    /* the job's texts are held once: the group's name and the
     * computer's are the same pointers in every job */
    ck_assert_int_eq(e->nstrings, 5);
}

START_TEST(example_file)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    stg_dpm_export *e = stg_dpm_read_file(EXAMPLE, &text, &len, &d);
    if (!e)
        stg_report_diags(stderr, EXAMPLE, text, len, &d);
    ck_assert_ptr_nonnull(e);
    ck_assert_uint_eq(d.count, 0);
    check_example(e);
    stg_dpm_export_free(e);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Writes the example encoded as `enc` (0 UTF-8 with a BOM, 1 UTF-16LE
 * with a BOM, 2 UTF-16BE with one), with the first `from` replaced by
 * `to`, to a temporary file; returns its name (stg_malloc'd). */
static char *encoded(int enc, const char *from, const char *to)
{
    char *t = edited(from, to);
    char *path = stg_strdup("/tmp/stagger-dpm-XXXXXX");
    ck_assert_ptr_nonnull(path);
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    FILE *fp = fdopen(fd, "wb");
    ck_assert_ptr_nonnull(fp);
    if (enc == 0) {
        fputs("\xef\xbb\xbf", fp);
        fputs(t, fp);
    } else {
        fputs(enc == 1 ? "\xff\xfe" : "\xfe\xff", fp);
        for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
            unsigned u = *p;    /* the example is ASCII but for the edit */
            if (u >= 0x80 && (u & 0xe0) == 0xc0 && p[1]) {
                u = (u & 0x1f) << 6 | (p[1] & 0x3f);
                p++;
            }
            if (enc == 1) {
                fputc((int)(u & 0xff), fp);
                fputc((int)(u >> 8), fp);
            } else {
                fputc((int)(u >> 8), fp);
                fputc((int)(u & 0xff), fp);
            }
        }
    }
    fclose(fp);
    stg_free(t);
    return path;
}

START_TEST(encodings)
{
    char *path = encoded(_i, NULL, NULL);
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    stg_dpm_export *e = stg_dpm_read_file(path, &text, &len, &d);
    if (!e)
        stg_report_diags(stderr, path, text, len, &d);
    ck_assert_ptr_nonnull(e);
    check_example(e);
    /* *text is the UTF-8 text, the byte-order mark gone */
    ck_assert_int_eq(text[0], '{');
    ck_assert_uint_eq(len, strlen(text));
    size_t elen;
    char *plain = slurp(EXAMPLE, &elen);
    ck_assert_str_eq(text, plain);
    stg_free(plain);
    stg_dpm_export_free(e);
    stg_free(text);
    stg_diags_free(&d);

    /* an error is at the line and column of the file; é is one column */
    char *bad = encoded(_i, "\"name\": \"DPM01.contoso.local\", "
                        "\"version\": \"10.22.148.0\"",
                        "\"name\": \"DPM\u00e9\", \"version\": 7");
    stg_diags_init(&d);
    e = stg_dpm_read_file(bad, &text, &len, &d);
    ck_assert_ptr_null(e);
    char got[512];
    first_diag(got, sizeof got, &d);
    ck_assert_str_eq(got, "5:42: the server's version must be a string, not "
                     "a number (7)");
    ck_assert_ptr_nonnull(strstr(text, "\"DPM\u00e9\", \"version\": 7"));
    stg_free(text);
    stg_diags_free(&d);
    unlink(path);
    unlink(bad);
    stg_free(path);
    stg_free(bad);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* read_buffer() takes a byte-order mark too. */
START_TEST(buffer_bom)
{
    size_t len;
    char *t = slurp(EXAMPLE, &len);
    char *b = stg_asprintf("\xef\xbb\xbf%s", t);
    stg_diags d;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer(b, len + 3, &d);
    ck_assert_ptr_nonnull(e);
    check_example(e);
    stg_dpm_export_free(e);
    stg_diags_free(&d);
    stg_free(b);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- one edit, one error ----------------------------------------------- */

static const struct {
    const char *from, *to;      /* the edit of the example */
    const char *want;           /* the first diagnostic: LINE:COL: MESSAGE */
    int count;                  /* errors in all (0: not checked) */
} bad[] = {
    /* the version, alone whatever else is wrong */
    {"\"stagger_export\": 1", "\"stagger_export\": 2",
     "2:21: export format version 2 is not read here", 1},
    {"\"stagger_export\": 1", "\"stagger_export\": \"1\"",
     "2:21: stagger_export must be the number 1, not a string", 1},
    {"\"stagger_export\": 1,", "",
     "1:1: this is not a DPM export (no \"stagger_export\")", 1},
    {"{\n  \"stagger_export\": 1,", "{ \"groups\": [ { \"bad\": 1 } ],\n"
     "\"stagger_export\": 3,",
     "2:19: export format version 3 is not read here", 1},
    /* the structure */
    {"\"collected\": \"2026-11-30T07:12:00\",", "",
     "1:1: the export has no \"collected\"", 1},
    {"\"replica_bytes\"", "\"replica_byte\"",
     "17:9: a data source has no \"replica_bytes\"", 2},
    {"\"express_full\": null,", "\"express_full\": null, \"expres_full\": 1,",
     "13:29: unknown key \"expres_full\" in a group", 1},
    {"\"utc_offset\"", "\"utc_ofset\"",
     "1:1: the export has no \"utc_offset\"", 2},
    {"\"bytes\": 734003200", "\"bytes\": 734003200, \"bytes\": 1",
     "34:64: \"bytes\" is given twice (first on line 34)", 1},
    {"\"groups\": [", "\"groups\": { \"a\": 1 }, \"x\": [",
     "6:13: groups must be a list, not an object", 0},
    {"{ \"name\": \"DPM01.contoso.local\"", "{ name: \"DPM01.contoso.local\"",
     "5:13: server has no \"name\"", 2},
    {"\"version\": \"10.22.148.0\" }", "\"version\": \"10.22.148.0\", x: 1 }",
     "5:72: a key of server must be a string, not a bare word (not JSON)", 1},
    /* types */
    {"\"used_bytes\": 1649267441664", "\"used_bytes\": \"1649267441664\"",
     "19:25: used_bytes must be a number, not the string \"1649267441664\"",
     1},
    {"\"type\": \"Volume\"", "\"type\": Volume",
     "18:19: a data source's type must be a string, not a bare word (not "
     "JSON) (Volume)", 1},
    {"\"type\": \"Volume\"", "\"type\": 7",
     "18:19: a data source's type must be a string, not a number (7)", 1},
    {"\"enabled\": true", "\"enabled\": \"yes\"",
     "25:32: enabled must be true or false, not a string", 1},
    {"\"hours\": 8", "\"hours\": 8.5",
     "14:57: hours 8.5 is not a whole number", 1},
    {"\"name\": \"Branch1-Files\"", "\"name\": null",
     "8:15: a group's name must be a string, not null", 1},
    {"\"name\": \"Branch1-Files\"", "\"name\": \"\"",
     "8:15: a group's name is empty", 1},
    {"\"sources\": [", "\"sources\": [ 5,",
     "16:20: a data source must be an object, not a number", 1},
    /* ranges */
    {"\"every_minutes\": 60", "\"every_minutes\": 45",
     "9:34: every_minutes 45 is not a DPM sync frequency", 1},
    {"\"offset_minutes\": 0", "\"offset_minutes\": 60",
     "9:56: offset_minutes 60 is not below every_minutes 60", 1},
    {"\"offset_minutes\": 0", "\"offset_minutes\": -1",
     "9:56: offset_minutes -1 is negative", 1},
    {"\"offset_minutes\": 0 }", "\"offset_minutes\": 0, "
     "\"before_recovery_point\": true }",
     "9:84: a sync is either before each recovery point or every so many "
     "minutes", 1},
    {"{ \"every_minutes\": 60, \"offset_minutes\": 0 }",
     "{ \"before_recovery_point\": true }", NULL, 0},
    {"\"hours\": 8", "\"hours\": 25", "14:57: hours 25 is out of range", 1},
    {"\"hours\": 8", "\"hours\": 0", "14:57: hours 0 is out of range", 1},
    {"[\"Sunday\"] }", "[\"sunday\"] }",
     "15:39: day \"sunday\" is not known", 1},
    {"[\"Sunday\"] }", "[\"Sunday\", \"Sunday\"] }",
     "15:49: day Sunday is given twice in the days of a consistency check",
     1},
    {"[\"Sunday\"] }", "[] }",
     "15:38: the days of a consistency check is empty", 1},
    {"\"12:00\"", "\"12:60\"",
     "10:47: recovery_points time \"12:60\" is not a time of day (minutes "
     "run 00 to 59)", 1},
    {"\"12:00\"", "\"08:00\"",
     "10:47: recovery_points time 08:00 is given twice", 1},
    {"\"12:00\"", "\"noon\"",
     "10:47: recovery_points time \"noon\" is not a time of day", 1},
    {"\"2026-11-29T08:00:04\"", "\"2026-11-31T08:00:04\"",
     "33:16: start \"2026-11-31T08:00:04\" is not a date and time that "
     "exists", 1},
    {"\"2026-11-29T08:00:04\"", "\"2026-11-29 08:00:04\"",
     "33:16: start \"2026-11-29 08:00:04\" is not a date and time", 1},
    {"\"2026-11-29T08:21:40\"", "\"2026-11-29T07:21:40\"",
     "33:46: end 2026-11-29T07:21:40 is before start 2026-11-29T08:00:04", 1},
    {"\"2026-11-30T07:12:00\"", "\"2026-11-30T07:12:00Z\"",
     "3:16: collected \"2026-11-30T07:12:00Z\" is not a date and time", 1},
    {"\"+01:00\"", "\"+15:00\"",
     "4:17: utc_offset \"+15:00\" is not a UTC offset (beyond 14 hours)", 1},
    {"\"used_bytes\": 1649267441664", "\"used_bytes\": -5",
     "19:25: used_bytes -5 is negative", 1},
    {"\"bytes\": 734003200", "\"bytes\": 1e30",
     "34:53: bytes 1e30 is not a whole number", 1},
    {"\"bytes\": 734003200", "\"bytes\": 99999999999999999999",
     "34:53: bytes 99999999999999999999 is out of range", 1},
    {"\"work_kbps\": 10240", "\"work_kbps\": 0",
     "25:51: work_kbps 0 is out of range", 1},
    {"\"enabled\": true, \"work_kbps\": 10240,", "\"enabled\": true,",
     "25:19: a throttle has no \"work_kbps\"", 1},
    {"\"throttle\": {", "\"throttle\": null, \"x\": {",
     "25:25: unknown key \"x\" in a computer", 1},
    {"\"enabled\": true, \"work_kbps\": 10240, \"other_kbps\": 61440,\n"
     "                    \"work_start\": \"08:00\", \"work_end\": \"18:00\",\n"
     "                    \"work_days\": [\"Monday\", \"Tuesday\", "
     "\"Wednesday\",\n                                  \"Thursday\", "
     "\"Friday\"] }", "\"enabled\": false }", NULL, 0},
    /* duplicates */
    {"\"computers\": [", "\"computers\": [ { \"name\": "
     "\"FS01.branch1.contoso.local\", \"throttle\": null },",
     "24:15: computer \"FS01.branch1.contoso.local\" is listed twice (first "
     "on line 23)", 1},
    {"\"used_bytes\": 1649267441664 }", "\"used_bytes\": 1 }, { \"name\": "
     "\"D:\\\\Shares\", \"computer\": \"FS01.branch1.contoso.local\", "
     "\"type\": \"Volume\", \"replica_bytes\": 1, \"used_bytes\": 1 }",
     "19:30: data source \"D:\\Shares\" on FS01.branch1.contoso.local is "
     "listed twice in group \"Branch1-Files\" (first on line 17)", 1},
    /* text */
    {"\"DPM01.contoso.local\"", "\"DPM01\\ud83d\"",
     "5:29: \\ud83d is half of a surrogate pair, alone", 1},
    {"\"DPM01.contoso.local\"", "\"DPM\\ud83d\\ude0001\"", NULL, 0},
    {"\"Branch1-Files\",\n      \"sync\"", "\"Branch1-\xff\",\n      \"sync\"",
     "8:24: the file is not valid text: invalid leading UTF-8 octet (#FF)",
     1},
    {"\"status\": \"Failed\"", "\"status\": &a \"Failed\"",
     "34:17: anchors (&a) are not JSON", 1},
    {"\"status\": \"Failed\"", "\"status\": *a",
     "34:17: aliases (*a) are not JSON", 1},
    {"\n}", "\n}\n---\n{}",
     "37:1: an export holds one JSON document, and a second one starts "
     "here", 1},
    {"\"jobs\": [", "\"jobs\": null, \"j\": [",
     "30:17: unknown key \"j\" at the top of an export", 1},
    {"\"jobs\": [", "{ \"x\": 1 }: 2, jobs: [",
     "30:3: a key of the export must be a string, not an object", 2},
};

START_TEST(bad_input)
{
    char *t = edited(bad[_i].from, bad[_i].to);
    stg_diags d;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer(t, strlen(t), &d);
    if (!bad[_i].want) {
        if (!e)
            stg_report_diags(stderr, "edited", t, strlen(t), &d);
        ck_assert_ptr_nonnull(e);
    } else {
        char got[1024];
        ck_assert_ptr_null(e);
        first_diag(got, sizeof got, &d);
        if (strcmp(got, bad[_i].want))
            stg_report_diags(stderr, "edited", t, strlen(t), &d);
        ck_assert_str_eq(got, bad[_i].want);
        ck_assert_ptr_nonnull(d.items[0].hint);
        if (bad[_i].count)
            ck_assert_uint_eq(d.errors, (size_t)bad[_i].count);
    }
    stg_dpm_export_free(e);
    stg_diags_free(&d);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The pieces of JSON that end short of the end, each an error. */
START_TEST(truncated)
{
    size_t len;
    char *t = slurp(EXAMPLE, &len);
    for (size_t n = 0; n < len - 1; n += 7) {
        stg_diags d;
        stg_diags_init(&d);
        stg_dpm_export *e = stg_dpm_read_buffer(t, n, &d);
        ck_assert_msg(e == NULL, "%zu bytes read as an export", n);
        ck_assert_uint_gt(d.errors, 0);
        stg_diags_free(&d);
    }
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(empty_and_not_an_object)
{
    static const char *const texts[] = {"", "  \n", "[1, 2]", "\"x\"",
                                        "{}", "stagger: 1\nlinks: []\n"};
    static const char *const want[] = {
        "1:1: the export file is empty",
        "1:1: the export file is empty",
        "1:1: this is not a DPM export (not an object)",
        "1:1: this is not a DPM export (not an object)",
        "1:1: this is not a DPM export (no \"stagger_export\")",
        "1:1: this is not a DPM export (no \"stagger_export\")",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        stg_diags d;
        stg_diags_init(&d);
        ck_assert_ptr_null(stg_dpm_read_buffer(texts[i], strlen(texts[i]),
                                               &d));
        char got[512];
        first_diag(got, sizeof got, &d);
        ck_assert_str_eq(got, want[i]);
        ck_assert_uint_eq(d.errors, 1);
        stg_diags_free(&d);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(utf16_hostile)
{
    /* UTF-16 without its mark; an odd byte at the end; a lone surrogate */
    static const char nobom[] = "{\0\n\0\"\0s\0";
    static const char odd[] = "\xff\xfe{\0\n\0}";
    static const char lone[] = "\xff\xfe{\0\n\0 \0\x00\xd8}\0";
    stg_diags d;
    char got[512];
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(nobom, sizeof nobom - 1, &d));
    first_diag(got, sizeof got, &d);
    ck_assert_str_eq(got, "1:1: the file looks like UTF-16 without a "
                     "byte-order mark");
    stg_diags_free(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(odd, sizeof odd - 1, &d));
    first_diag(got, sizeof got, &d);
    ck_assert_str_eq(got, "2:1: the file is not valid UTF-16: it ends in "
                     "the middle of a character");
    stg_diags_free(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(lone, sizeof lone - 1, &d));
    first_diag(got, sizeof got, &d);
    ck_assert_str_eq(got, "2:2: the file is not valid UTF-16: a lone "
                     "surrogate (D800)");
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(deep_nesting)
{
    char *t = edited("\"bytes\": 734003200", "\"bytes\": [[[[[[[[[[[[[[[[[["
                     "[[[[1]]]]]]]]]]]]]]]]]]]]");
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(t, strlen(t), &d));
    char got[512];
    first_diag(got, sizeof got, &d);
    ck_assert_str_eq(got, "34:66: nested more than 16 levels deep");
    stg_diags_free(&d);
    stg_free(t);
    /* a million brackets: refused at once, not parsed */
    size_t n = 1000000;
    char *deep = stg_malloc(n + 1);
    ck_assert_ptr_nonnull(deep);
    memset(deep, '[', n);
    deep[n] = '\0';
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(deep, n, &d));
    ck_assert_uint_gt(d.errors, 0);
    stg_diags_free(&d);
    stg_free(deep);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The example with njobs jobs; bad: every job's status a number. */
static char *history(int njobs, bool broken)
{
    size_t len;
    char *t = slurp(EXAMPLE, &len);
    char *jobs = strstr(t, "  \"jobs\": [");
    ck_assert_ptr_nonnull(jobs);
    *jobs = '\0';
    size_t cap = len + (size_t)njobs * 300, n = 0;
    char *out = stg_malloc(cap);
    ck_assert_ptr_nonnull(out);
    n += (size_t)snprintf(out, cap, "%s  \"jobs\": [\n", t);
    for (int i = 0; i < njobs; i++)
        n += (size_t)snprintf(out + n, cap - n,
                              "%s    { \"type\": \"Replication\", \"group\": "
                              "\"G%d\", \"source\": \"D:\\\\\", \"computer\": "
                              "\"FS%02d.branch.contoso.local\", \"start\": "
                              "\"2026-11-%02dT%02d:%02d:04\", \"end\": null, "
                              "\"status\": %s, \"error_id\": null, "
                              "\"bytes\": %d }",
                              i ? ",\n" : "", i % 40, i % 25, 1 + i % 28,
                              i % 24, i % 60,
                              broken ? "1" : "\"Succeeded\"", i);
    snprintf(out + n, cap - n, "\n  ]\n}\n");
    stg_free(t);
    return out;
}

START_TEST(long_history)
{
    char *t = history(200000, false);
    stg_diags d;
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer(t, strlen(t), &d);
    ck_assert_ptr_nonnull(e);
    ck_assert_int_eq(e->njobs, 200000);
    /* 40 groups, 25 computers, one source, type and status; the
     * example's group, computer and source */
    ck_assert_int_eq(e->nstrings, 40 + 25 + 3);
    ck_assert_str_eq(e->jobs[199999].group, "G39");
    ck_assert_ptr_eq(e->jobs[0].group, e->jobs[40].group);
    ck_assert(e->jobs[123].bytes == 123.0);
    ck_assert_int_lt(e->jobs[5].end, 0);
    stg_dpm_export_free(e);
    stg_diags_free(&d);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(many_errors)
{
    char *t = history(20000, true);
    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer(t, strlen(t), &d));
    ck_assert_uint_eq(d.count, 50);
    ck_assert(d.truncated);
    ck_assert_str_eq(d.items[0].msg, "a job's status must be a string, not a "
                     "number (1)");
    stg_diags_free(&d);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(too_big)
{
    char path[] = "/tmp/stagger-dpm-big-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    /* sparse: no disk used, and refused before it is read */
    ck_assert_int_eq(ftruncate(fd, (off_t)STG_DPM_MAX_BYTES + 1), 0);
    close(fd);
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len = 0;
    ck_assert_ptr_null(stg_dpm_read_file(path, &text, &len, &d));
    ck_assert_ptr_null(text);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, 0);
    ck_assert_str_eq(d.items[0].msg, "the file is larger than 1 GiB");
    stg_diags_free(&d);
    unlink(path);
    /* the buffer reader refuses such a length before looking at it */
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_buffer("{", (size_t)STG_DPM_MAX_BYTES + 1,
                                           &d));
    ck_assert_str_eq(d.items[0].msg, "the file is larger than 1 GiB");
    stg_diags_free(&d);
    /* a file that is not there */
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_dpm_read_file("/nonexistent/x.json", &text, &len,
                                         &d));
    ck_assert_str_eq(d.items[0].msg, "cannot read: No such file or "
                     "directory");
    stg_diags_free(&d);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Every allocation of a reading fails in turn: NULL with oom set (and
 * nothing left allocated), or the whole export. */
START_TEST(each_allocation)
{
    char *t = history(50, false);
    char *u = stg_asprintf("\xef\xbb\xbf%s", t);   /* decoded too */
    stg_diags d;
    long before = stg_alloc_count();
    stg_diags_init(&d);
    stg_dpm_export *e = stg_dpm_read_buffer(u, strlen(u), &d);
    ck_assert_ptr_nonnull(e);
    stg_dpm_export_free(e);
    stg_diags_free(&d);
    long total = stg_alloc_count() - before;
    long live = stg_alloc_live();
    for (long k = 1; k <= total; k++) {
        stg_diags_init(&d);
        stg_alloc_fail_at(stg_alloc_count() + k);
        e = stg_dpm_read_buffer(u, strlen(u), &d);
        stg_alloc_fail_at(0);
        if (e) {
            ck_assert_int_eq(e->njobs, 50);
        } else {
            ck_assert_msg(d.oom, "allocation %ld of %ld failed: no export, "
                          "and no out of memory", k, total);
        }
        stg_dpm_export_free(e);
        stg_diags_free(&d);
        ck_assert_int_eq(stg_alloc_live(), live);
    }
    stg_free(u);
    stg_free(t);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("dpm_read");
    TCase *tc = tcase_create("dpm_read");
    tcase_add_test(tc, example_file);
    tcase_add_loop_test(tc, encodings, 0, 3);
    tcase_add_test(tc, buffer_bom);
    tcase_add_loop_test(tc, bad_input, 0, (int)(sizeof bad / sizeof *bad));
    tcase_add_test(tc, truncated);
    tcase_add_test(tc, empty_and_not_an_object);
    tcase_add_test(tc, utf16_hostile);
    tcase_add_test(tc, deep_nesting);
    tcase_add_test(tc, long_history);
    tcase_add_test(tc, many_errors);
    tcase_add_test(tc, too_big);
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
