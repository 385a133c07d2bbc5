/* Tests for the export formats (io/export/: export_csv, export_json, export_ps1,
 * export_ics): each is written into a temporary file and read back.
 *
 * The CSV rows must add up to the simulated link loads slot by slot
 * (background plus the rate of every computer a row says is busy on the
 * link), every transfer must appear once (in one or more consecutive
 * constant-rate rows whose volumes add up to its volume), and names with
 * quotes, commas, colons, apostrophes, tabs and non-ASCII letters must
 * come back unchanged.  The JSON must pass a strict RFC 8259 parser
 * written here; the iCalendar lines must be CRLF-terminated, at most 75
 * octets, folded between UTF-8 sequences and escaped; the PowerShell
 * strings must be single-quoted with every quote character doubled. */
#include <check.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_util.h"
#include "io/export/export.h"
#include "io/export/export_csv.h"
#include "io/export/export_ics.h"
#include "io/export/export_json.h"
#include "io/export/fields.h"
#include "io/export/export_ps1.h"
#include "io/read/fleet_read.h"
#include "io/read/schedule_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "solver/planner.h"

typedef int (*export_fn)(FILE *out, const stg_export_input *in, char **cause);

/* A day-cycle fleet whose names need every kind of quoting, with a
 * work-hours throttle that changes during the check (17:00-18:28 crosses
 * 18:00) and an express full that runs past midnight. */
static const char *const TRICKY =
    "stagger: 1\n"
    "cycle: day\n"
    "resolution: 1m\n"
    "headroom: 15%\n"
    "links:\n"
    "  - name: 'wan, \"main\": Z\xc3\xbcrich'\n"
    "    capacity: 100Mbps\n"
    "    background:\n"
    "      - { from: \"08:00\", to: \"18:00\", rate: 10Mbps, days: daily }\n"
    "  - name: \"=core\"\n"
    "    capacity: 1Gbps\n"
    "servers:\n"
    "  - name: \"dpm'01\"\n"
    "    path: [\"=core\"]\n"
    "computers:\n"
    "  - name: \"fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s, \\\"quoted\\\"\"\n"
    "    server: \"dpm'01\"\n"
    "    path: ['wan, \"main\": Z\xc3\xbcrich']\n"
    "    throttle: { work: 10Mbps, other: 40Mbps, hours: \"08:00-18:00\", days: daily }\n"
    "  - name: \"sql:01 \xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9\"\n"
    "    server: \"dpm'01\"\n"
    "    path: ['wan, \"main\": Z\xc3\xbcrich']\n"
    "    throttle: 20Mbps\n"
    "groups:\n"
    "  - name: \"Files, 'main'\"\n"
    "    server: \"dpm'01\"\n"
    "    sync: { every: 15m, offset: 0m }\n"
    "    consistency_check: { from: \"17:00\", to: \"23:00\", days: daily }\n"
    "    sources:\n"
    "      - { name: 'D:\\Data', computer: \"fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s, \\\"quoted\\\"\", kind: file, size: 1TB, churn: 1%/day }\n"
    "  - name: \"=SUM(A1)+\\\"x\\\"\"\n"
    "    server: \"dpm'01\"\n"
    "    sync: { every: 30m, offset: 0m }\n"
    "    express_full: { at: [\"23:30\"], days: daily }\n"
    "    sources:\n"
    "      - { name: DB, computer: \"sql:01 \xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9\", kind: sql, size: 400GB, churn: 5%/day }\n"
    "  - name: \"tab\\there O'Brien\xe2\x80\x99s \xe2\x80\x98" "data\xe2\x80\x99 "
    "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 "
    "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 "
    "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9 \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9\"\n"
    "    server: \"dpm'01\"\n"
    "    sync: { every: 1h, offset: 5m }\n"
    "    sources:\n"
    "      - { name: E, computer: \"fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s, \\\"quoted\\\"\", kind: file, size: 100GB, churn: 1%/day }\n";

/* A week cycle: work hours on some days only, and an express full that
 * runs past the end of the week into Monday's work hours. */
static const char *const WEEK =
    "stagger: 1\n"
    "cycle: week\n"
    "resolution: 1m\n"
    "links:\n"
    "  - { name: wan, capacity: 100Mbps }\n"
    "servers:\n"
    "  - { name: dpm }\n"
    "computers:\n"
    "  - name: fs\n"
    "    server: dpm\n"
    "    path: [wan]\n"
    "    throttle: { work: 10Mbps, other: 40Mbps, hours: \"08:00-18:00\", days: [mon, wed] }\n"
    "  - name: sql\n"
    "    server: dpm\n"
    "    path: [wan]\n"
    "    throttle: { work: 5Mbps, other: 20Mbps, hours: \"00:00-06:00\", days: [mon] }\n"
    "groups:\n"
    "  - name: Files\n"
    "    server: dpm\n"
    "    sync: { every: 1h, offset: 0m }\n"
    "    consistency_check: { from: \"17:00\", to: \"23:00\", days: [mon, tue] }\n"
    "    sources:\n"
    "      - { name: D, computer: fs, kind: file, size: 1TB, churn: 1%/day }\n"
    "  - name: DB\n"
    "    server: dpm\n"
    "    sync: { every: 1h, offset: 30m }\n"
    "    express_full: { at: [\"23:30\"], days: [sun] }\n"
    "    sources:\n"
    "      - { name: S, computer: sql, kind: sql, size: 40GB, churn: 5%/day }\n";

#define FS01 "fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s, \"quoted\""
#define SQL01 "sql:01 \xc3\xbcn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9"
#define FORMULA "=SUM(A1)+\"x\""
#define TABBED_HEAD "tab\there O'Brien\xe2\x80\x99s \xe2\x80\x98" "data\xe2\x80\x99 "

/* ---- fixtures ----------------------------------------------------------- */

typedef struct {
    stg_fleet *f;
    stg_schedule *plan, *today;
    stg_schedule_doc *doc;
    stg_export_input in;
} fixture;

/* Everything written to fp, NUL-terminated (free with stg_free). */
static char *slurp(FILE *fp, size_t *len)
{
    ck_assert_int_eq(fflush(fp), 0);
    long n = ftell(fp);
    ck_assert_int_ge(n, 0);
    char *t = stg_malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(t);
    rewind(fp);
    ck_assert_uint_eq(fread(t, 1, (size_t)n, fp), (size_t)n);
    t[n] = '\0';
    *len = (size_t)n;
    return t;
}

/* Today's settings of f written as a schedule file, read back, and
 * scored, the way `stagger export` does it. */
static void fixture_init(fixture *x, stg_fleet *f)
{
    char *cause = NULL;
    size_t len;
    memset(x, 0, sizeof *x);
    x->f = f;
    ck_assert_int_eq(stg_evaluate(f, NULL, true, &x->today, &cause), 0);
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(stg_schedule_write(fp, f, "fleet.yaml",
        "0000000000000000000000000000000000000000000000000000000000000000",
        x->today, &cause), 0);
    char *text = slurp(fp, &len);
    fclose(fp);
    stg_diags d;
    stg_diags_init(&d);
    x->doc = stg_schedule_read_buffer(text, len, &d);
    stg_settings *s = x->doc ? stg_schedule_doc_settings(x->doc, f, &d) : NULL;
    if (!s)
        stg_report_diags(stderr, "<schedule>", text, len, &d);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(stg_evaluate(f, s, true, &x->plan, &cause), 0);
    stg_diags_free(&d);
    stg_free(text);
    x->in = (stg_export_input){ x->doc, "plan.yaml", f, "fleet.yaml",
                                x->plan, x->today, NULL, NULL };
}

static void fixture_tricky(fixture *x)
{
    fixture_init(x, test_fleet(TRICKY));
}

static void fixture_week_tricky(fixture *x)
{
    fixture_init(x, test_fleet(WEEK));
}

/* The fixture of a fleet file. */
static void fixture_file(fixture *x, const char *path)
{
    stg_diags d;
    char *text = NULL;
    size_t len;
    stg_diags_init(&d);
    stg_fleet *f = stg_fleet_read_file(path, &text, &len, &d);
    ck_assert_ptr_nonnull(f);
    stg_diags_free(&d);
    stg_free(text);
    fixture_init(x, f);
}

static void fixture_week(fixture *x)
{
    fixture_file(x, "examples/week-cycle.yaml");
}

static void fixture_free(fixture *x)
{
    stg_schedule_free(x->plan);
    stg_schedule_free(x->today);
    stg_schedule_doc_free(x->doc);
    stg_fleet_free(x->f);
}

static char *run_export(export_fn fn, const stg_export_input *in, size_t *len)
{
    char *cause = NULL;
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    int rc = fn(fp, in, &cause);
    ck_assert_msg(rc == 0, "export failed: %s", cause ? cause : "(no cause)");
    ck_assert_ptr_null(cause);
    char *t = slurp(fp, len);
    fclose(fp);
    return t;
}

/* ---- CSV ---------------------------------------------------------------- */

#define NCOLS 14
enum { C_JOB, C_GROUP, C_COMPUTER, C_KIND, C_RELEASE, C_START, C_END, C_RATE,
       C_VOLUME, C_LINKS, C_START_MIN, C_END_MIN, C_RATE_BPS, C_VOLUME_BYTES };

typedef struct {
    char **cell;                /* nrows x NCOLS */
    int nrows;
} csv;

/* A strict RFC 4180 reader: CRLF after every record, quotes only around
 * a whole field, doubled inside. */
static void csv_parse(const char *t, size_t len, csv *c)
{
    size_t cap = 0, n = 0;
    char **cell = NULL;
    char *field = stg_malloc(len + 1);
    ck_assert_ptr_nonnull(field);
    size_t i = 0;
    int col = 0;
    while (i < len) {
        size_t k = 0;
        if (t[i] == '"') {
            for (i++;; i++) {
                ck_assert_msg(i < len, "unterminated quoted field");
                if (t[i] == '"') {
                    if (i + 1 < len && t[i + 1] == '"') {
                        field[k++] = '"';
                        i++;
                        continue;
                    }
                    i++;
                    break;
                }
                field[k++] = t[i];
            }
        } else {
            while (i < len && t[i] != ',' && t[i] != '\r') {
                ck_assert_msg(t[i] != '"' && t[i] != '\n',
                              "unquoted field holds a quote or LF at %zu", i);
                field[k++] = t[i++];
            }
        }
        field[k] = '\0';
        ck_assert_int_eq(stg_grow((void **)&cell, &cap, n + 1, sizeof *cell), 0);
        cell[n] = stg_strdup(field);
        ck_assert_ptr_nonnull(cell[n]);
        n++;
        col++;
        ck_assert_msg(i < len, "the last record has no CRLF");
        if (t[i] == ',') {
            i++;
            continue;
        }
        ck_assert_msg(t[i] == '\r' && i + 1 < len && t[i + 1] == '\n',
                      "a record does not end in CRLF at %zu", i);
        ck_assert_int_eq(col, NCOLS);
        col = 0;
        i += 2;
    }
    stg_free(field);
    c->cell = cell;
    c->nrows = (int)(n / NCOLS);
}

static void csv_free(csv *c)
{
    for (int i = 0; i < c->nrows * NCOLS; i++)
        stg_free(c->cell[i]);
    stg_free(c->cell);
}

static const char *cell(const csv *c, int row, int col)
{
    return c->cell[row * NCOLS + col];
}

static double num(const csv *c, int row, int col)
{
    char *end;
    double v = strtod(cell(c, row, col), &end);
    ck_assert_msg(*end == '\0' && end != cell(c, row, col),
                  "row %d column %d is not a number: %s", row, col,
                  cell(c, row, col));
    return v;
}

/* A text field as the writer meant it: without the apostrophe that
 * keeps a spreadsheet from running it as a formula. */
static const char *unguard(const char *s)
{
    if (s[0] == '\'' && s[1] && strchr("=+-@\t\r", s[1]))
        return s + 1;
    return s;
}

/* Rebuilds every link's load, slot by slot, from the rows alone and
 * compares it with the simulation; checks that every transfer is there
 * once and its parts add up. */
static void check_csv(const fixture *x, const char *t, size_t len,
                      int want_split)   /* 1: some, 0: none, -1: any */
{
    const stg_fleet *f = x->f;
    const stg_sim *sim = x->plan->sim;
    int N = sim->nslots, res = sim->resolution;
    csv c;
    csv_parse(t, len, &c);
    ck_assert_int_ge(c.nrows, 2);
    ck_assert_str_eq(cell(&c, 0, C_JOB), "job");
    ck_assert_str_eq(cell(&c, 0, C_VOLUME_BYTES), "volume_bytes");

    double *rate = stg_malloc(sizeof *rate * (size_t)f->ncomputers * (size_t)N);
    ck_assert_ptr_nonnull(rate);
    for (long i = 0; i < (long)f->ncomputers * N; i++)
        rate[i] = -1;
    /* a computer's link list, as read, joined back per computer */
    char **links = stg_calloc((size_t)f->ncomputers, sizeof *links);
    ck_assert_ptr_nonnull(links);

    int job = 0, split = 0;
    double sum = 0, prev_end = 0;
    for (int r = 1; r < c.nrows; r++) {
        int j = (int)num(&c, r, C_JOB);
        ck_assert_int_ge(j, 1);
        ck_assert_int_le(j, sim->ntransfers);
        const stg_transfer *tr = &sim->transfers[j - 1];
        const char *group = unguard(cell(&c, r, C_GROUP));
        const char *comp = unguard(cell(&c, r, C_COMPUTER));
        ck_assert_str_eq(group, f->groups[tr->group].name);
        ck_assert_str_eq(comp, f->computers[tr->computer].name);
        ck_assert_str_eq(cell(&c, r, C_KIND), stg_job_kind_name(tr->kind));
        double s = num(&c, r, C_START_MIN), e = num(&c, r, C_END_MIN);
        if (j != job) {
            /* a new job: the previous one is complete and whole */
            ck_assert_int_eq(j, job + 1);
            if (job)
                ck_assert_double_eq_tol(sum, sim->transfers[job - 1].volume,
                                        1e-9 * sim->transfers[job - 1].volume + 1e-6);
            ck_assert_double_eq_tol(s * 60, tr->start, 1e-6);
            job = j;
            sum = 0;
        } else {
            split++;
            ck_assert_double_eq_tol(s, prev_end, 1e-9);
            ck_assert_double_ne(num(&c, r, C_RATE_BPS), num(&c, r - 1, C_RATE_BPS));
        }
        ck_assert_double_gt(e, s);
        prev_end = e;
        double vol = num(&c, r, C_VOLUME_BYTES);
        ck_assert_double_ge(vol, 0);
        sum += vol;

        int ci = tr->computer;
        double rbps = num(&c, r, C_RATE_BPS);
        /* a part moves at most what its slots carry */
        double cap = 0;
        for (long k = lround(s * 60 / res); k < lround(e * 60 / res); k++) {
            long sk = k % N;
            double *rk = &rate[(long)ci * N + sk];
            ck_assert_msg(*rk < 0 || *rk == rbps,
                          "two rates for one computer in one slot");
            *rk = rbps;
            cap += rbps * f->efficiency * res / 8;
        }
        ck_assert_double_le(vol, cap * (1 + 1e-9));
        if (!links[ci]) {
            links[ci] = stg_strdup(unguard(cell(&c, r, C_LINKS)));
            ck_assert_ptr_nonnull(links[ci]);
        } else {
            ck_assert_str_eq(links[ci], unguard(cell(&c, r, C_LINKS)));
        }
    }
    ck_assert_int_eq(job, sim->ntransfers);
    ck_assert_double_eq_tol(sum, sim->transfers[job - 1].volume,
                            1e-9 * sim->transfers[job - 1].volume + 1e-6);
    if (want_split > 0)
        ck_assert_msg(split > 0, "no transfer changed its rate: the test proves nothing");
    if (want_split == 0)
        ck_assert_int_eq(split, 0);

    /* each link: background + the busy computers whose row lists it */
    for (int l = 0; l < f->nlinks; l++) {
        for (int k = 0; k < N; k++) {
            double load = stg_link_background_at(f, &f->links[l], k * res);
            for (int ci = 0; ci < f->ncomputers; ci++) {
                double rk = rate[(long)ci * N + k];
                if (rk < 0)
                    continue;
                ck_assert_ptr_nonnull(links[ci]);
                /* the list holds link l's name as one ';'-separated item */
                const char *name = f->links[l].name, *p = links[ci];
                size_t nl = strlen(name);
                bool on = false;
                while (p && !on) {
                    on = !strncmp(p, name, nl) && (p[nl] == ';' || p[nl] == '\0');
                    p = strchr(p, ';');
                    if (p)
                        p++;
                }
                if (on)
                    load += rk;
            }
            ck_assert_msg(fabs(load - stg_sim_load(sim, l, k)) <=
                          1e-9 * f->links[l].capacity,
                          "link %s slot %d: rows add to %.17g, simulated %.17g",
                          f->links[l].name, k, load, stg_sim_load(sim, l, k));
        }
    }
    for (int ci = 0; ci < f->ncomputers; ci++)
        stg_free(links[ci]);
    stg_free(links);
    stg_free(rate);
    csv_free(&c);
}

START_TEST(csv_readds_loads_day)
{
    fixture x;
    size_t len;
    fixture_tricky(&x);
    char *t = run_export(stg_export_csv, &x.in, &len);
    check_csv(&x, t, len, 1);
    /* by hand: the 17:00 sync (1TB x 1%/day / 96 = 104.17MB) takes the
     * 17:00 slot (10Mbps x 80% x 60s = 60MB) and 44.17MB of 17:01; the
     * check gets the rest of 17:01 and 58 slots more until 18:00, then
     * the remainder of its 10GB at 40Mbps */
    double sync = 1e12 * 0.01 / 96, slot = 10e6 * 0.8 * 60 / 8;
    double first = 59 * slot - (sync - slot);
    char want[200];
    snprintf(want, sizeof want, ",consistency_check,17:00,17:01,18:00,10Mbps,"
             "3.496GB,\"wan, \"\"main\"\": Z\xc3\xbcrich;=core\",1021,1080,10000000,%.0f",
             floor(first));
    ck_assert_msg(strstr(t, want) != NULL, "no row %s", want);
    snprintf(want, sizeof want, ",18:00,18:28,40Mbps,6.504GB,\"wan, \"\"main\"\": "
             "Z\xc3\xbcrich;=core\",1080,1108,40000000,%.0f", floor(1e10 - first));
    ck_assert_msg(strstr(t, want) != NULL, "no row %s", want);
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(csv_readds_loads_week)
{
    fixture x;
    size_t len;
    fixture_week(&x);
    char *t = run_export(stg_export_csv, &x.in, &len);
    check_csv(&x, t, len, -1);
    stg_free(t);
    fixture_free(&x);
    /* Monday's check crosses 18:00 (two rows), Tuesday's has no work
     * hours (one row); the express full crosses the week's end into
     * Monday's work hours (two rows, the second at 5Mbps from 0) */
    fixture_week_tricky(&x);
    t = run_export(stg_export_csv, &x.in, &len);
    check_csv(&x, t, len, 1);
    ck_assert_ptr_nonnull(strstr(t, ",consistency_check,mon 17:00,mon 17:"));
    ck_assert_ptr_nonnull(strstr(t, ",mon 18:00,mon 18:"));
    ck_assert_ptr_nonnull(strstr(t, ",express_full,sun 23:30,sun 23:30,mon 00:00,20Mbps,"));
    ck_assert_ptr_nonnull(strstr(t, ",express_full,sun 23:30,mon 00:00,mon 0"));
    ck_assert_ptr_nonnull(strstr(t, ",5Mbps,"));
    ck_assert_ptr_nonnull(strstr(t, ",10080,"));
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(csv_quoting)
{
    fixture x;
    size_t len;
    fixture_tricky(&x);
    char *t = run_export(stg_export_csv, &x.in, &len);
    /* formula guarded, quotes doubled; commas and non-ASCII kept */
    ck_assert_ptr_nonnull(strstr(t, ",\"'=SUM(A1)+\"\"x\"\"\","));
    ck_assert_ptr_nonnull(strstr(t, ",\"fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s, \"\"quoted\"\"\","));
    ck_assert_ptr_nonnull(strstr(t, ",\"Files, 'main'\","));
    ck_assert_ptr_nonnull(strstr(t, "," SQL01 ","));
    ck_assert_ptr_nonnull(strstr(t, ",\"wan, \"\"main\"\": Z\xc3\xbcrich;=core\","));
    csv c;
    csv_parse(t, len, &c);
    bool formula = false;
    for (int r = 1; r < c.nrows; r++)
        if (!strcmp(cell(&c, r, C_GROUP), "'" FORMULA))
            formula = true;
    ck_assert(formula);
    csv_free(&c);
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* One CSV field, as every CSV writer (export, whatif, capacity) puts
 * it. */
START_TEST(csv_fields)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "" },
        { "plain", "plain" },
        { "a,b", "\"a,b\"" },
        { "say \"hi\"", "\"say \"\"hi\"\"\"" },
        { "two\nlines", "\"two\nlines\"" },
        { " padded", "\" padded\"" },
        { "padded ", "\"padded \"" },
        { "=SUM(A1)", "\"'=SUM(A1)\"" },
        { "+1 call", "\"'+1 call\"" },
        { "-rf", "\"'-rf\"" },
        { "@here", "\"'@here\"" },
        { "\tx", "\"'\tx\"" },
        { "-81.2", "-81.2" },      /* a number, not a formula */
        { "+3e2", "+3e2" },
        { "-inf", "\"'-inf\"" },
        { "-0x10", "\"'-0x10\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t len;
        FILE *fp = tmpfile();
        ck_assert_ptr_nonnull(fp);
        stg_csv_write_field(fp, cases[i].in);
        char *t = slurp(fp, &len);
        fclose(fp);
        ck_assert_str_eq(t, cases[i].out);
        stg_free(t);
    }
}
END_TEST

START_TEST(csv_needs_fleet)
{
    fixture x;
    char *cause = NULL;
    fixture_tricky(&x);
    stg_export_input in = { x.doc, "plan.yaml", NULL, NULL, NULL, NULL, NULL, NULL };
    FILE *fp = tmpfile();
    ck_assert_int_eq(stg_export_csv(fp, &in, &cause), -1);
    ck_assert_ptr_nonnull(cause);
    ck_assert_ptr_nonnull(strstr(cause, "fleet"));
    ck_assert_int_eq(ftell(fp), 0);
    fclose(fp);
    stg_free(cause);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- JSON --------------------------------------------------------------- */

typedef struct {
    const unsigned char *p, *end;
    int depth;
} jp;

static void j_ws(jp *j)
{
    while (j->p < j->end && strchr(" \t\r\n", *j->p) && *j->p)
        j->p++;
}

static bool j_value(jp *j);

/* One UTF-8 character (no overlongs, surrogates or values past U+10FFFF). */
static bool j_utf8(jp *j)
{
    unsigned char b = *j->p;
    int n = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3
          : (b & 0xf8) == 0xf0 ? 4 : 0;
    if (!n || j->end - j->p < n)
        return false;
    unsigned long c = n == 1 ? b : b & (0xff >> (n + 1));
    for (int i = 1; i < n; i++) {
        if ((j->p[i] & 0xc0) != 0x80)
            return false;
        c = c << 6 | (j->p[i] & 0x3f);
    }
    static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return false;
    j->p += n;
    return true;
}

static bool j_string(jp *j)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        if (*j->p < 0x20)
            return false;
        if (*j->p == '\\') {
            j->p++;
            if (j->p >= j->end)
                return false;
            if (*j->p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (j->p + i >= j->end || !j->p[i] ||
                        !strchr("0123456789abcdefABCDEF", j->p[i]))
                        return false;
                j->p += 5;
            } else if (*j->p && strchr("\"\\/bfnrt", *j->p)) {
                j->p++;
            } else {
                return false;
            }
            continue;
        }
        if (!j_utf8(j))
            return false;
    }
    if (j->p >= j->end)
        return false;
    j->p++;
    return true;
}

static bool digit(jp *j)
{
    return j->p < j->end && *j->p >= '0' && *j->p <= '9';
}

static bool j_number(jp *j)
{
    if (j->p < j->end && *j->p == '-')
        j->p++;
    if (!digit(j))
        return false;
    if (*j->p == '0')
        j->p++;
    else
        while (digit(j))
            j->p++;
    if (j->p < j->end && *j->p == '.') {
        j->p++;
        if (!digit(j))
            return false;
        while (digit(j))
            j->p++;
    }
    if (j->p < j->end && (*j->p == 'e' || *j->p == 'E')) {
        j->p++;
        if (j->p < j->end && (*j->p == '+' || *j->p == '-'))
            j->p++;
        if (!digit(j))
            return false;
        while (digit(j))
            j->p++;
    }
    return true;
}

static bool j_word(jp *j, const char *w)
{
    size_t n = strlen(w);
    if ((size_t)(j->end - j->p) < n || memcmp(j->p, w, n))
        return false;
    j->p += n;
    return true;
}

static bool j_value(jp *j)
{
    bool ok;
    j_ws(j);
    if (j->p >= j->end || ++j->depth > 64)
        return false;
    switch (*j->p) {
    case '{':
        j->p++;
        j_ws(j);
        if (j->p < j->end && *j->p == '}') {
            j->p++;
            ok = true;
            break;
        }
        for (;;) {
            j_ws(j);
            if (!j_string(j))
                return false;
            j_ws(j);
            if (j->p >= j->end || *j->p++ != ':' || !j_value(j))
                return false;
            j_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == '}') {
                j->p++;
                break;
            }
            return false;
        }
        ok = true;
        break;
    case '[':
        j->p++;
        j_ws(j);
        if (j->p < j->end && *j->p == ']') {
            j->p++;
            ok = true;
            break;
        }
        for (;;) {
            if (!j_value(j))
                return false;
            j_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == ']') {
                j->p++;
                break;
            }
            return false;
        }
        ok = true;
        break;
    case '"':
        ok = j_string(j);
        break;
    case 't':
        ok = j_word(j, "true");
        break;
    case 'f':
        ok = j_word(j, "false");
        break;
    case 'n':
        ok = j_word(j, "null");
        break;
    default:
        ok = j_number(j);
    }
    j->depth--;
    return ok;
}

static bool json_valid(const char *t, size_t len)
{
    jp j = { (const unsigned char *)t, (const unsigned char *)t + len, 0 };
    if (!j_value(&j))
        return false;
    j_ws(&j);
    return j.p == j.end;
}

START_TEST(json_parser_self_test)
{
    static const char *const good[] = {
        "{}", "[]", "{\"a\": [1, -0.5, 2e10, 1E-3, true, false, null]}",
        "\"\\u00e9\\n\"", "\"\xc3\xa9\"", " 0 ",
    };
    static const char *const bad[] = {
        "{", "[1,]", "{\"a\" 1}", "01", "1.", "NaN", "Infinity", "\"\t\"",
        "\"\\x41\"", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "{} {}", "'a'",
        "[1 2]", "\"abc",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        ck_assert_msg(json_valid(good[i], strlen(good[i])), "refused %s", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        ck_assert_msg(!json_valid(bad[i], strlen(bad[i])), "accepted %s", bad[i]);
}
END_TEST

static char *json_string_of(const char *s)
{
    size_t len;
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    stg_json_write_string(fp, s);
    char *t = slurp(fp, &len);
    fclose(fp);
    return t;
}

START_TEST(json_strings)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "\"\"" },
        { "plain", "\"plain\"" },
        { "q\"b\\", "\"q\\\"b\\\\\"" },
        { "\x01\x1f\t\n\r\b\f", "\"\\u0001\\u001F\\t\\n\\r\\b\\f\"" },
        { "\xc3\xa9\xe2\x80\x99", "\"\xc3\xa9\xe2\x80\x99\"" },
        { "a\xe2\x80\xa8" "b\xe2\x80\xa9", "\"a\\u2028b\\u2029\"" },
        { "\xff" "x\xc3", "\"\\u00FFx\\u00C3\"" },
        { "\x7f", "\"\x7f\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *t = json_string_of(cases[i].in);
        ck_assert_str_eq(t, cases[i].out);
        ck_assert(json_valid(t, strlen(t)));
        stg_free(t);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static void check_json(const stg_export_input *in)
{
    size_t len;
    char *t = run_export(stg_export_json, in, &len);
    ck_assert_msg(json_valid(t, len), "invalid JSON:\n%s", t);
    stg_free(t);
}

START_TEST(json_export)
{
    fixture x;
    size_t len;
    fixture_tricky(&x);
    check_json(&x.in);
    char *t = run_export(stg_export_json, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, "\"name\": \"=SUM(A1)+\\\"x\\\"\""));
    ck_assert_ptr_nonnull(strstr(t, "\"name\": \"tab\\there O'Brien\xe2\x80\x99s"));
    ck_assert_ptr_nonnull(strstr(t, "\"name\": \"" SQL01 "\""));
    ck_assert_ptr_nonnull(strstr(t, "\"capacity_bps\": 100000000"));
    ck_assert_ptr_nonnull(strstr(t, "\"throttle\": { \"work_bps\": 10000000, "
                                    "\"other_bps\": 40000000, \"hours\": \"08:00-18:00\", "
                                    "\"hours_s\": [28800, 64800], \"days\": [\"mon\", "
                                    "\"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"] }"));
    ck_assert_ptr_nonnull(strstr(t, "\"consistency_check\": { \"start\": \"17:00\", "
                                    "\"start_s\": 61200, \"hours\": 2 }"));
    ck_assert_ptr_nonnull(strstr(t, "\"required\": 0.15,"));
    ck_assert_ptr_null(strstr(t, "NaN"));
    ck_assert_ptr_null(strstr(t, "inf"));
    stg_free(t);
    /* from the schedule alone */
    stg_export_input alone = { x.doc, "plan.yaml", NULL, NULL, NULL, NULL, NULL,
                               NULL };
    check_json(&alone);
    fixture_free(&x);
    fixture_week(&x);
    check_json(&x.in);
    t = run_export(stg_export_json, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, "\"release\": \"sat 06:00\", \"release_s\": 453600"));
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- PowerShell --------------------------------------------------------- */

static char *ps1_string_of(const char *s)
{
    size_t len;
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    stg_ps1_write_string(fp, s);
    char *t = slurp(fp, &len);
    fclose(fp);
    return t;
}

START_TEST(ps1_strings)
{
    static const struct { const char *in, *out; } cases[] = {
        { "", "''" },
        { "plain", "'plain'" },
        { "O'Brien", "'O''Brien'" },
        { "$(rm -rf /) `n \"x\" @{}", "'$(rm -rf /) `n \"x\" @{}'" },
        /* U+2018 U+2019 U+201A U+201B: single quotes to PowerShell */
        { "\xe2\x80\x98" "a\xe2\x80\x99" "b\xe2\x80\x9a" "c\xe2\x80\x9b",
          "'\xe2\x80\x98\xe2\x80\x98" "a\xe2\x80\x99\xe2\x80\x99"
          "b\xe2\x80\x9a\xe2\x80\x9a" "c\xe2\x80\x9b\xe2\x80\x9b'" },
        /* U+201C (a double quote) is left alone */
        { "\xe2\x80\x9cx", "'\xe2\x80\x9cx'" },
        { "\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9", "'\xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9'" },
        { "a\nb", "('' + 'a' + [char]0x0A + 'b')" },
        { "\t'x", "('' + [char]0x09 + '''x')" },
        { "a\xe2\x80\xa8", "('' + 'a' + [char]0x2028)" },
        { "\xff", "('' + [char]0xFF)" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *t = ps1_string_of(cases[i].in);
        ck_assert_str_eq(t, cases[i].out);
        stg_free(t);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(ps1_export)
{
    fixture x;
    size_t len;
    fixture_tricky(&x);
    char *t = run_export(stg_export_ps1, &x.in, &len);
    ck_assert(!memcmp(t, "\xef\xbb\xbf", 3));
    ck_assert_ptr_nonnull(strstr(t, "        Name = 'Files, ''main'''\n"));
    ck_assert_ptr_nonnull(strstr(t, "        Name = '=SUM(A1)+\"x\"'\n"));
    ck_assert_ptr_nonnull(strstr(t, "        Name = ('' + 'tab' + [char]0x09 + "
                                    "'here O''Brien\xe2\x80\x99\xe2\x80\x99s "
                                    "\xe2\x80\x98\xe2\x80\x98" "data\xe2\x80\x99\xe2\x80\x99 "));
    ck_assert_ptr_nonnull(strstr(t, "        Server = 'dpm''01'\n"));
    ck_assert_ptr_nonnull(strstr(t, "    [string[]]$DPMServerName = @('dpm''01'),\n"));
    ck_assert_ptr_nonnull(strstr(t, "        CheckStart = '17:00'\n        CheckHours = 2\n"));
    ck_assert_ptr_nonnull(strstr(t, "Set-DPMProtectionJobStartTime -ProtectionGroup $mpg "
                                    "-JobType ConsistencyCheck -StartTime $g.CheckStart "
                                    "-MaximumDurationInHours $g.CheckHours\n"));
    ck_assert_ptr_nonnull(strstr(t, "        ExpressFullTimes = @('23:30')\n"
                                    "        ExpressFullDays = @('Su', 'Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa')\n"));
    /* each group's sources, for the manual step of a group DPM has not */
    ck_assert_ptr_nonnull(strstr(t, "        Sources = @(\n            @{ Computer = "));
    ck_assert_ptr_nonnull(strstr(t, "Write-Output ('manual step: {0} is not a protection group"));
    ck_assert_ptr_nonnull(strstr(t, "if ($manual -gt 0 -and $Apply) {\n    exit 1\n}"));
    /* the throttle checklist, names in comments without control chars */
    ck_assert_ptr_nonnull(strstr(t, "#   [ ] " FS01 " (DPM server dpm'01): 10 Mbps in work "
                                    "hours 08:00-18:00 every day, 40 Mbps at other times"));
    /* no control character but LF anywhere, so no name can end a comment */
    for (size_t i = 0; i < len; i++)
        ck_assert_msg((unsigned char)t[i] >= 0x20 || t[i] == '\n',
                      "control character 0x%02x at %zu", (unsigned char)t[i], i);
    /* one entry per group */
    int n = 0;
    for (const char *p = t; (p = strstr(p, "\n        Name = ")); p++)
        n++;
    ck_assert_int_eq(n, x.doc->ngroups);
    stg_free(t);

    /* without the fleet: the server names are required */
    stg_export_input alone = { x.doc, "plan.yaml", NULL, NULL, NULL, NULL, NULL,
                               NULL };
    t = run_export(stg_export_ps1, &alone, &len);
    ck_assert_ptr_nonnull(strstr(t, "    [Parameter(Mandatory = $true)]\n"
                                    "    [string[]]$DPMServerName,\n"));
    ck_assert_ptr_nonnull(strstr(t, "        Server = $null\n"));
    ck_assert_ptr_nonnull(strstr(t, "        Sources = @()\n"));
    stg_free(t);
    fixture_free(&x);

    /* a check that cannot end in its window: the window is kept, the
     * check cut to what is left of it, and -Apply needs -Force */
    fixture_file(&x, "tests/data/plan/check-overrun.yaml");
    ck_assert_int_eq(x.doc->status, STG_STATUS_VIOLATES);
    ck_assert_int_gt(x.doc->groups[0].cc_hours, 9);
    t = run_export(stg_export_ps1, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, "        CheckStart = '21:00'\n        CheckHours = 9\n"
                                    "        WindowStart = '21:00'\n        WindowHours = 9\n"));
    ck_assert_ptr_nonnull(strstr(t, "    # the plan's consistency check runs up to "));
    ck_assert_ptr_nonnull(strstr(t, "$PlanStatus = 'violates'\n"));
    ck_assert_ptr_nonnull(strstr(t, "if ($Apply -and $PlanStatus -eq 'violates' -and -not $Force) {"));
    ck_assert_ptr_nonnull(strstr(t, "-StartTime $g.WindowStart -DurationInHours $g.WindowHours\n"));
    stg_free(t);
    fixture_free(&x);

    /* the hospital group (a violating plan): every EHR check stays in
     * its 21:00-06:00 window, never widened into the clinical day */
    fixture_file(&x, "tests/data/plan/hospital.yaml");
    ck_assert_int_eq(x.doc->status, STG_STATUS_VIOLATES);
    t = run_export(stg_export_ps1, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, "$PlanStatus = 'violates'\n"));
    int windows = 0;
    for (const char *p = t; (p = strstr(p, "        CheckStart = '")); p++) {
        int sh, sm, hours, wh;
        char wstart[8];
        ck_assert_int_eq(sscanf(p, "        CheckStart = '%d:%d'\n"
                                "        CheckHours = %d\n"
                                "        WindowStart = '%5[0-9:]'\n"
                                "        WindowHours = %d\n",
                                &sh, &sm, &hours, wstart, &wh), 5);
        ck_assert_str_eq(wstart, "21:00");
        ck_assert_int_eq(wh, 9);
        /* the check starts in the window and ends by 06:00 */
        int from = ((sh * 60 + sm) - 21 * 60 + 24 * 60) % (24 * 60);
        ck_assert_int_lt(from, 9 * 60);
        ck_assert_int_le(from + hours * 60, 9 * 60);
        windows++;
    }
    ck_assert_int_eq(windows, 3);
    stg_free(t);
    fixture_free(&x);

    /* a computer the fleet leaves unthrottled is said to be so */
    fixture_file(&x, "tests/data/bad/unthrottled.yaml");
    t = run_export(stg_export_ps1, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, ": unthrottled, as in the fleet: it may send at "
                                    "the line's "));
    stg_free(t);
    fixture_free(&x);

    fixture_week(&x);
    t = run_export(stg_export_ps1, &x.in, &len);
    ck_assert_ptr_nonnull(strstr(t, "        Name = 'Lab-Files'\n"));
    ck_assert_ptr_nonnull(strstr(t, "        CheckDays = @('Su', 'Sa')\n"));
    ck_assert_ptr_nonnull(strstr(t, "        ExpressFullDays = @('Mo', 'Tu', 'We', 'Th', 'Fr')\n"));
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- iCalendar ---------------------------------------------------------- */

static bool utf8_valid(const char *s, size_t n)
{
    jp j = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };
    while (j.p < j.end)
        if (!j_utf8(&j))
            return false;
    return true;
}

/* Checks the physical lines and returns the unfolded text (stg_free). */
static char *check_ics_lines(const char *t, size_t len)
{
    char *u = stg_malloc(len + 1);
    ck_assert_ptr_nonnull(u);
    size_t n = 0;
    const char *p = t, *end = t + len;
    ck_assert(len > 2 && !memcmp(end - 2, "\r\n", 2));
    while (p < end) {
        const char *eol = strstr(p, "\r\n");
        ck_assert_ptr_nonnull(eol);
        ck_assert_msg(memchr(p, '\n', (size_t)(eol - p)) == NULL, "bare LF");
        ck_assert_msg(memchr(p, '\r', (size_t)(eol - p)) == NULL, "bare CR");
        ck_assert_msg(eol - p <= 75, "a line of %d octets", (int)(eol - p));
        ck_assert_msg(utf8_valid(p, (size_t)(eol - p)),
                      "a fold splits a UTF-8 sequence: %.*s", (int)(eol - p), p);
        if (p != t && *p == ' ') {
            /* a continuation: joins the previous line */
            n -= 2;
            memcpy(u + n, p + 1, (size_t)(eol - p - 1));
            n += (size_t)(eol - p - 1);
        } else {
            memcpy(u + n, p, (size_t)(eol - p));
            n += (size_t)(eol - p);
        }
        memcpy(u + n, "\r\n", 2);
        n += 2;
        p = eol + 2;
    }
    u[n] = '\0';
    return u;
}

static int count(const char *t, const char *s)
{
    int n = 0;
    for (const char *p = t; (p = strstr(p, s)); p += strlen(s))
        n++;
    return n;
}

START_TEST(ics_export)
{
    fixture x;
    size_t len, len2;
    fixture_tricky(&x);
    char *t = run_export(stg_export_ics, &x.in, &len);
    char *u = check_ics_lines(t, len);
    ck_assert(!strncmp(u, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:", 37));
    ck_assert_ptr_nonnull(strstr(u, "\r\nCALSCALE:GREGORIAN\r\n"));
    ck_assert_ptr_nonnull(strstr(u, "\r\nEND:VCALENDAR\r\n"));
    /* one express full, one check */
    ck_assert_int_eq(count(u, "BEGIN:VEVENT\r\n"), 2);
    ck_assert_int_eq(count(u, "END:VEVENT\r\n"), 2);
    ck_assert_int_eq(count(u, "\r\nDTSTAMP:20260105T000000Z\r\n"), 2);
    ck_assert_ptr_nonnull(strstr(u, "\r\nSUMMARY:Consistency check: Files\\, 'main'\r\n"));
    ck_assert_ptr_nonnull(strstr(u, "\r\nSUMMARY:Express full: " FORMULA "\r\n"));
    ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTART:20260105T170000\r\nDURATION:PT2H\r\n"
                                    "RRULE:FREQ=DAILY\r\n"));
    /* the 23:30 express full runs past midnight: its duration says so */
    ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTART:20260105T233000\r\nDURATION:PT"));
    ck_assert_ptr_nonnull(strstr(u, "Computers: fs01 \xe2\x80\x98o\xe2\x80\x99" "Brien\xe2\x80\x99s\\, \"quoted\".\\n"));
    ck_assert_ptr_nonnull(strstr(u, "Computers: " SQL01 ".\\n"));
    /* the same schedule, the same bytes (UIDs included) */
    char *t2 = run_export(stg_export_ics, &x.in, &len2);
    ck_assert_uint_eq(len, len2);
    ck_assert(!memcmp(t, t2, len));
    stg_free(t2);
    stg_free(u);
    stg_free(t);
    fixture_free(&x);

    fixture_week(&x);
    t = run_export(stg_export_ics, &x.in, &len);
    u = check_ics_lines(t, len);
    ck_assert_ptr_nonnull(strstr(u, "\r\nDTSTART:20260110T060000\r\nDURATION:PT"));
    ck_assert_ptr_nonnull(strstr(u, "\r\nRRULE:FREQ=WEEKLY;BYDAY=SA,SU\r\n"
                                    "SUMMARY:Consistency check: Lab-Files\r\n"));
    ck_assert_ptr_nonnull(strstr(u, "\r\nRRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR\r\n"
                                    "SUMMARY:Express full: Lab-SQL\r\n"));
    stg_free(u);
    stg_free(t);
    /* without the fleet, the check's days come from its transfers */
    stg_export_input alone = { x.doc, "plan.yaml", NULL, NULL, NULL, NULL, NULL,
                               NULL };
    t = run_export(stg_export_ics, &alone, &len);
    ck_assert_ptr_nonnull(strstr(t, "RRULE:FREQ=WEEKLY;BYDAY=SA,SU\r\n"
                                    "SUMMARY:Consistency check: Lab-Files\r\n"));
    stg_free(t);
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(ics_folding)
{
    /* a group name of two-byte letters long enough to fold several times,
     * at every alignment */
    for (int pad = 0; pad < 4; pad++) {
        fixture x;
        size_t len;
        fixture_tricky(&x);
        char name[400] = "";
        for (int i = 0; i < pad; i++)
            strcat(name, "x");
        for (int i = 0; i < 60; i++)
            strcat(name, "\xc3\xbc");
        strcat(name, "\xe2\x80\x99\xf0\x9f\x98\x80;,\\");
        /* rename the check's group in the document only */
        for (int g = 0; g < x.doc->ngroups; g++)
            if (x.doc->groups[g].cc_start >= 0) {
                stg_free(x.doc->groups[g].name);
                x.doc->groups[g].name = stg_strdup(name);
                ck_assert_ptr_nonnull(x.doc->groups[g].name);
            }
        char *t = run_export(stg_export_ics, &x.in, &len);
        char *u = check_ics_lines(t, len);
        char want[500];
        snprintf(want, sizeof want, "\r\nSUMMARY:Consistency check: %.*s"
                 "\xe2\x80\x99\xf0\x9f\x98\x80\\;\\,\\\\\r\n",
                 (int)(strlen(name) - 10), name);
        ck_assert_ptr_nonnull(strstr(u, want));
        stg_free(u);
        stg_free(t);
        fixture_free(&x);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* ---- failures ------------------------------------------------------------ */

/* Every allocation of every format fails in turn: each run returns -1
 * (with a cause, or NULL when even that failed) and leaks nothing, until
 * one runs with no failure. */
START_TEST(out_of_memory)
{
    static const export_fn fns[] = { stg_export_csv, stg_export_json,
                                     stg_export_ps1, stg_export_ics };
    fixture x;
    fixture_week(&x);
    long live = stg_alloc_live();
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        int failures = 0;
        for (long k = 1;; k++) {
            ck_assert_int_lt(k, 1000);
            char *cause = NULL;
            FILE *fp = tmpfile();
            ck_assert_ptr_nonnull(fp);
            long base = stg_alloc_count();
            stg_alloc_fail_at(base + k);
            int rc = fns[i](fp, &x.in, &cause);
            long used = stg_alloc_count() - base;
            stg_alloc_fail_at(0);
            fclose(fp);
            if (rc == 0) {
                ck_assert_int_lt(used, k);
                ck_assert_ptr_null(cause);
                break;
            }
            ck_assert_int_eq(rc, -1);
            if (cause)
                ck_assert_str_eq(cause, "out of memory");
            stg_free(cause);
            failures++;
            ck_assert_int_eq(stg_alloc_live(), live);
        }
        if (fns[i] == stg_export_csv || fns[i] == stg_export_ics)
            ck_assert_int_gt(failures, 0);
    }
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(write_error)
{
    static const export_fn fns[] = { stg_export_csv, stg_export_json,
                                     stg_export_ps1, stg_export_ics };
    FILE *probe = fopen("/dev/full", "w");
    if (!probe)
        return;                 /* no /dev/full here */
    fclose(probe);
    fixture x;
    fixture_week(&x);
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        char *cause = NULL;
        FILE *fp = fopen("/dev/full", "w");
        ck_assert_ptr_nonnull(fp);
        ck_assert_int_eq(fns[i](fp, &x.in, &cause), -1);
        ck_assert_ptr_nonnull(cause);
        ck_assert_ptr_nonnull(strstr(cause, "cannot write"));
        stg_free(cause);
        fclose(fp);
    }
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(same_bytes)
{
    static const export_fn fns[] = { stg_export_csv, stg_export_json,
                                     stg_export_ps1, stg_export_ics };
    fixture x;
    fixture_tricky(&x);
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++) {
        size_t a, b;
        char *t1 = run_export(fns[i], &x.in, &a);
        char *t2 = run_export(fns[i], &x.in, &b);
        ck_assert_uint_eq(a, b);
        ck_assert(!memcmp(t1, t2, a));
        stg_free(t1);
        stg_free(t2);
    }
    fixture_free(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The formats that `stagger export` writes without working the bounds
 * out again (cli/cmd_export.c: all but svg and html) write the same
 * bytes from schedules scored without them: they never read a bound. */
START_TEST(unbounded_same)
{
    static const char *const files[] = {
        "examples/week-cycle.yaml",
        "tests/data/plan/hospital.yaml",
        "tests/data/plan/check-overrun.yaml",
    };
    static const export_fn fns[] = {
        stg_export_csv, stg_export_ps1, stg_export_ics, stg_export_json,
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        fixture x;
        fixture_file(&x, files[i]);
        char *cause = NULL;
        stg_diags d;
        stg_diags_init(&d);
        stg_settings *s = stg_schedule_doc_settings(x.doc, x.f, &d);
        ck_assert_ptr_nonnull(s);
        stg_diags_free(&d);
        stg_schedule *plan = NULL, *today = NULL;
        ck_assert_int_eq(stg_evaluate(x.f, s, false, &plan, &cause), 0);
        ck_assert_int_eq(stg_evaluate(x.f, NULL, false, &today, &cause), 0);
        ck_assert_ptr_null(plan->link_bound);
        ck_assert_ptr_null(today->link_bound);
        stg_export_input in = x.in;
        in.plan = plan;
        in.today = today;
        for (size_t k = 0; k < sizeof fns / sizeof fns[0]; k++) {
            size_t la, lb;
            char *a = run_export(fns[k], &x.in, &la);
            char *b = run_export(fns[k], &in, &lb);
            ck_assert_msg(la == lb && !memcmp(a, b, la),
                          "%s: format %zu differs without the bounds",
                          files[i], k);
            stg_free(a);
            stg_free(b);
        }
        stg_schedule_free(plan);
        stg_schedule_free(today);
        fixture_free(&x);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *export_suite(void)
{
    Suite *s = suite_create("export");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, unbounded_same);
    tcase_add_test(tc, csv_readds_loads_day);
    tcase_add_test(tc, csv_readds_loads_week);
    tcase_add_test(tc, csv_quoting);
    tcase_add_test(tc, csv_fields);
    tcase_add_test(tc, csv_needs_fleet);
    suite_add_tcase(s, tc);
    tc = tcase_create("json");
    tcase_add_test(tc, json_parser_self_test);
    tcase_add_test(tc, json_strings);
    tcase_add_test(tc, json_export);
    suite_add_tcase(s, tc);
    tc = tcase_create("ps1");
    tcase_add_test(tc, ps1_strings);
    tcase_add_test(tc, ps1_export);
    suite_add_tcase(s, tc);
    tc = tcase_create("ics");
    tcase_add_test(tc, ics_export);
    tcase_add_test(tc, ics_folding);
    suite_add_tcase(s, tc);
    tc = tcase_create("failures");
    tcase_add_test(tc, out_of_memory);
    tcase_add_test(tc, write_error);
    tcase_add_test(tc, same_bytes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(export_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
