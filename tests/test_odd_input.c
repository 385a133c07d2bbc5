/* stagger tests: odd input the fleet reader must take, or refuse with a
 * clear error (docs/limits.md).  The refused cases of the list are files
 * in tests/data/bad/ (test_fleet_read.c); here are the ones that need a
 * program: files that must be read (a byte-order mark, CRLF line ends,
 * tabs between tokens, UTF-16) with names kept byte for byte through
 * the fleet and through a schedule written and read back, and the limits
 * on file size and entries, which need large inputs. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "io/read/fleet_read.h"
#include "io/read/flowcheck.h"
#include "io/write/report.h"
#include "io/read/schedule_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "solver/planner.h"

/* Names with quotes, colons, '#', spaces and letters beyond ASCII, as
 * they must come out of the reader (UTF-8 bytes). */
#define LINK "wan: 'ü' \"x\""
#define SERVER "dpm: '01'"
#define COMPUTER "D\xc3\xa9p\xc3\xb4t-01 # a"
#define GROUP "SQL: \"prod\" \xc3\xa9t\xc3\xa9"
#define SOURCE "\xe5\x90\x8d\xe5\x89\x8d #1"

/* The same fleet, written with those names in YAML's quoting styles. */
static const char fleet_text[] =
    "stagger: 1\n"
    "links:\n"
    "  - { name: \"wan: '\\u00fc' \\\"x\\\"\", capacity: 10Mbps }\n"
    "servers:\n"
    "  - { name: 'dpm: ''01''' }\n"
    "computers:\n"
    "  - name: \"D\xc3\xa9p\xc3\xb4t-01 # a\"\n"
    "    server: 'dpm: ''01'''\n"
    "    path: [\"wan: '\xc3\xbc' \\\"x\\\"\"]\n"
    "    throttle: 8Mbps\n"
    "groups:\n"
    "  - name: 'SQL: \"prod\" \xc3\xa9t\xc3\xa9'\n"
    "    sources:\n"
    "      - { name: '\xe5\x90\x8d\xe5\x89\x8d #1', computer: \"D\\xe9p\\xf4t-01 # a\",\n"
    "          kind: file, size: 1TB, churn: 1%/day }\n";

/* What a fleet needs besides its links to have something to plan (three
 * lines; the computer crosses no link, which is only a warning). */
#define REST "servers: [{ name: dpm01 }]\n" \
    "computers: [{ name: fs01, server: dpm01, throttle: 1Mbps }]\n" \
    "groups: [{ name: G, sources: [{ name: s, computer: fs01, kind: file, " \
    "size: 1GB, churn: 1GB/day }] }]\n"

/* fleet_text changed by one of the variants below (stg_malloc'd). */
static char *variant(int which, size_t *len)
{
    size_t n = strlen(fleet_text);
    char *out = stg_malloc(2 * n + 8);
    ck_assert_ptr_nonnull(out);
    size_t k = 0;
    if (which == 1) {                   /* a UTF-8 byte-order mark */
        memcpy(out, "\xef\xbb\xbf", 3);
        k = 3;
    }
    for (size_t i = 0; i < n; i++) {
        if (which == 2 && fleet_text[i] == '\n')
            out[k++] = '\r';            /* CRLF line ends */
        if (which == 3 && fleet_text[i] == ' ' && i > 0 &&
            (fleet_text[i - 1] == ',' || fleet_text[i - 1] == '{'))
            out[k++] = '\t';            /* tabs between flow tokens */
        else
            out[k++] = fleet_text[i];
    }
    out[k] = '\0';
    *len = k;
    return out;
}

static void check_names(const stg_fleet *f)
{
    ck_assert_int_eq(f->nlinks, 1);
    ck_assert_str_eq(f->links[0].name, LINK);
    ck_assert_str_eq(f->servers[0].name, SERVER);
    ck_assert_str_eq(f->computers[0].name, COMPUTER);
    ck_assert_str_eq(f->groups[0].name, GROUP);
    ck_assert_str_eq(f->sources[0].name, SOURCE);
}

static stg_fleet *read_ok(const char *text, size_t len)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, len, &d);
    if (!f || d.count)
        stg_report_diags(stderr, "odd.yaml", text, len, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(d.count, 0);
    stg_diags_free(&d);
    return f;
}

START_TEST(names_kept)
{
    size_t len;
    char *text = variant(_i, &len);
    stg_fleet *f = read_ok(text, len);
    check_names(f);
    stg_fleet_free(f);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The names survive a schedule written and read back, and the schedule
 * matches the fleet again. */
START_TEST(names_through_schedule)
{
    stg_fleet *f = read_ok(fleet_text, strlen(fleet_text));
    stg_schedule *sc = NULL;
    char *cause = NULL;
    ck_assert_int_eq(stg_evaluate(f, NULL, true, &sc, &cause), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    ck_assert_ptr_nonnull(mem);
    ck_assert_int_eq(stg_schedule_write(mem, f, "odd: 'fleet'.yaml",
        "0000000000000000000000000000000000000000000000000000000000000000",
        sc, &cause), 0);
    fclose(mem);

    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_buffer(buf, len, &d);
    if (!doc)
        stg_report_diags(stderr, "schedule.yaml", buf, len, &d);
    ck_assert_ptr_nonnull(doc);
    ck_assert_str_eq(doc->fleet_file, "odd: 'fleet'.yaml");
    ck_assert_int_eq(doc->ngroups, 1);
    ck_assert_str_eq(doc->groups[0].name, GROUP);
    ck_assert_int_eq(doc->ncomputers, 1);
    ck_assert_str_eq(doc->computers[0].name, COMPUTER);
    ck_assert_int_eq(doc->nlinks, 1);
    ck_assert_str_eq(doc->links[0].name, LINK);
    ck_assert_int_gt(doc->ntransfers, 0);
    ck_assert_str_eq(doc->transfers[0].group, GROUP);
    ck_assert_str_eq(doc->transfers[0].computer, COMPUTER);
    stg_settings *s = stg_schedule_doc_settings(doc, f, &d);
    ck_assert_ptr_nonnull(s);
    stg_settings_free(s);
    stg_schedule_doc_free(doc);
    stg_diags_free(&d);
    free(buf);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* UTF-16 with a byte-order mark is read too (libyaml converts it). */
START_TEST(utf16)
{
    /* a fleet in ASCII, as UTF-16LE */
    const char *ascii = "stagger: 1\n" REST "links:\n  - { name: wan, capacity: 10Mbps }\n";
    size_t n = strlen(ascii);
    char *text = stg_malloc(2 * n + 2);
    ck_assert_ptr_nonnull(text);
    text[0] = (char)0xff;
    text[1] = (char)0xfe;
    for (size_t i = 0; i < n; i++) {
        text[2 + 2 * i] = ascii[i];
        text[3 + 2 * i] = 0;
    }
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, 2 * n + 2, &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->links[0].name, "wan");
    stg_fleet_free(f);
    stg_diags_free(&d);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The first diagnostic of a text, as the .expect files write it. */
static void first_error(const char *text, size_t len, char *buf, size_t size)
{
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, len, &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_ge(d.count, 1);
    snprintf(buf, size, "%d:%d: %s; %s", d.items[0].loc.line,
             d.items[0].loc.col, d.items[0].msg,
             d.items[0].hint ? d.items[0].hint : "");
    stg_diags_free(&d);
}

/* A file over 16 MiB is refused before it is parsed. */
START_TEST(file_too_big)
{
    size_t len = ((size_t)16 << 20) + 1;
    char *text = stg_malloc(len + 1);
    ck_assert_ptr_nonnull(text);
    memset(text, '#', len);
    text[len] = '\0';
    char got[512];
    first_error(text, len, got, sizeof got);
    ck_assert_str_eq(got, "0:0: the file is larger than 16 MiB; "
                          "a fleet file is at most 16 MiB");
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* 100,000 links are read; the 100,001st is an error, reported once. */
START_TEST(too_many_entries)
{
    const int n = 100001;
    size_t cap = (size_t)n * 48 + 64 + sizeof REST, k = 0;
    char *text = stg_malloc(cap);
    ck_assert_ptr_nonnull(text);
    k += (size_t)snprintf(text + k, cap - k, "stagger: 1\n" REST "links:\n");
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(text + k, cap - k,
                              "  - { name: l%d, capacity: 1Mbps }\n", i);
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, k, &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.errors, 1);
    char got[512];
    snprintf(got, sizeof got, "%d:%d: %s; %s", d.items[0].loc.line,
             d.items[0].loc.col, d.items[0].msg, d.items[0].hint);
    ck_assert_str_eq(got, "100006:5: more than 100000 links; "
                          "a fleet has at most 100000 links");
    stg_diags_free(&d);

    /* one fewer is fine */
    char *last = strrchr(text, '\n');
    *last = '\0';
    last = strrchr(text, '\n');
    last[1] = '\0';
    f = stg_fleet_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->nlinks, 100000);
    stg_fleet_free(f);
    stg_diags_free(&d);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* 100,000 [ on one line: libyaml (whose scanner takes half a minute on
 * them all) is given the first 64, and each reader refuses the 17th
 * level. */
START_TEST(deep_brackets)
{
    const int n = 100000;
    char *text = stg_malloc((size_t)n + 64);
    ck_assert_ptr_nonnull(text);
    int k = sprintf(text, "stagger: 1\nlinks: ");
    memset(text + k, '[', (size_t)n);
    text[k + n] = '\n';
    size_t len = (size_t)k + (size_t)n + 1;
    clock_t t0 = clock();
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, len, &d);
    ck_assert_ptr_null(f);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, 2);
    ck_assert_int_eq(d.items[0].loc.col, 8 + 15);     /* the 17th level */
    ck_assert_str_eq(d.items[0].msg, "nesting deeper than 16 levels");
    stg_diags_free(&d);
    stg_diags_init(&d);
    memcpy(text, "stagger-schedule: 1\nlinks: ", 27);
    stg_schedule_doc *doc = stg_schedule_read_buffer(text, len, &d);
    ck_assert_ptr_null(doc);
    ck_assert_uint_eq(d.errors, 1);
    ck_assert_str_eq(d.items[0].msg, "nested more than 16 levels deep");
    stg_diags_free(&d);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    ck_assert_msg(secs < 1, "refused in %.2f s", secs);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* What the pass before libyaml gives it of text (stg_free() it). */
static char *fed(const char *text, size_t len, size_t *n)
{
    stg_prepass pp;
    stg_prepass_init(&pp, text, len, true);
    char *out = stg_malloc(len + 1);
    ck_assert_ptr_nonnull(out);
    *n = 0;
    size_t got;
    do {
        stg_prepass_read(&pp, (unsigned char *)out + *n, 1000, &got);
        *n += got;
    } while (got);
    out[*n] = '\0';
    return out;
}

/* 2 MiB of comment lines before a schedule's error: libyaml is given
 * the lines cut to their #, and the error keeps its line and column;
 * a comment line that is not UTF-8 is still refused; a text that may
 * hold a block scalar, where a line starting with # can be its text, is
 * not cut at all. */
START_TEST(comment_lines_cut)
{
    const size_t lines = 2 * 1024 * 1024 / 64;
    char *text = stg_malloc(lines * 64 + 256);
    ck_assert_ptr_nonnull(text);
    size_t len = (size_t)sprintf(text, "stagger-schedule: 1\n");
    for (size_t i = 0; i < lines; i++)
        len += (size_t)sprintf(text + len, "  # %59zu\n", i);
    len += (size_t)sprintf(text + len, "cycle: \"day\n# not a comment\"\n"
                           "resolution: 1m  # a comment after text\n"
                           "status: {\n");

    size_t lean_len = 0;
    char *lean = fed(text, len, &lean_len);
    ck_assert_uint_lt(lean_len, len / 10);
    ck_assert_ptr_nonnull(strstr(lean, "\n# not a comment\""));
    ck_assert_ptr_nonnull(strstr(lean, "1m  # a comment after text\n"));
    stg_free(lean);

    stg_diags d;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_schedule_read_buffer(text, len, &d));
    ck_assert_uint_ge(d.errors, 1);
    ck_assert_int_eq(d.items[0].loc.line, (int)lines + 6);
    ck_assert_int_eq(d.items[0].loc.col, 1);
    stg_diags_free(&d);

    /* a byte that is not UTF-8 in a comment: kept for libyaml to refuse */
    char *bad = text + 20 + 64 * 17;    /* line 2 + 17 */
    ck_assert(!strncmp(bad, "  # ", 4));
    bad[5] = (char)0xff;
    stg_diags_init(&d);
    ck_assert_ptr_null(stg_schedule_read_buffer(text, len, &d));
    ck_assert_int_eq(d.items[0].loc.line, 2 + 17);
    stg_diags_free(&d);

    /* a block scalar may start: nothing after it is cut */
    memcpy(text + 20 + 64 * 100, "x: >\n", 5);
    lean = fed(text, len, &lean_len);
    ck_assert_uint_eq(lean_len, len - 99 * 60);  /* line 17 is not ASCII */
    stg_free(lean);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A name of 1024 bytes is the longest accepted. */
START_TEST(longest_name)
{
    char name[1026];
    memset(name, 'n', 1024);
    name[1024] = '\0';
    char *text = stg_asprintf("stagger: 1\n" REST
                              "links:\n  - { name: %s, capacity: 1Mbps }\n", name);
    ck_assert_ptr_nonnull(text);
    stg_diags d;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_buffer(text, strlen(text), &d);
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->links[0].name, name);
    stg_fleet_free(f);
    stg_diags_free(&d);
    stg_free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *odd_input_suite(void)
{
    Suite *s = suite_create("odd_input");
    TCase *t = tcase_create("odd");
    /* 0: as written, 1: BOM, 2: CRLF, 3: tabs */
    tcase_add_loop_test(t, names_kept, 0, 4);
    tcase_add_test(t, names_through_schedule);
    tcase_add_test(t, utf16);
    tcase_add_test(t, file_too_big);
    tcase_add_test(t, too_many_entries);
    tcase_add_test(t, longest_name);
    tcase_add_test(t, deep_brackets);
    tcase_add_test(t, comment_lines_cut);
    tcase_set_timeout(t, 120);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(odd_input_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
