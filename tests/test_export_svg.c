/* Tests for io/export/export_svg and io/export/export_html: the pictures and the report
 * of a planned schedule are well-formed, escape every name, draw the
 * headroom limit where 1 - required is, draw the right charts and rows
 * (worst links first, at most 40 links and 200 groups), merge equal
 * loads into one step, fail cleanly when memory runs out, and leak
 * nothing.
 *
 * The input is built as `stagger export` builds it: a fleet read from
 * YAML, planned, its schedule written to memory and read back, the
 * schedule's settings and today's simulated and scored. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_util.h"
#include "io/export/export_html.h"
#include "io/export/export_svg.h"
#include "io/read/schedule_read.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "model/diagnose.h"
#include "solver/planner.h"

#define SHA "0000000000000000000000000000000000000000000000000000000000000000"

/* A link, a computer and a group whose names need escaping, with
 * non-ASCII letters that must be kept as they are. */
#define LINK_NAME "wan <&>\"' Z\xc3\xbcrich\xe2\x80\x93Ost"
#define LINK_ESC "wan &lt;&amp;&gt;&quot;&#39; Z\xc3\xbcrich\xe2\x80\x93Ost"
#define GROUP_NAME "Files <&>\"' \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9"
#define GROUP_ESC "Files &lt;&amp;&gt;&quot;&#39; \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9"

static const char small_fleet[] =
    "stagger: 1\n"
    "resolution: 5m\n"
    "headroom: 20%\n"
    "links:\n"
    "  - { name: core, capacity: 100Mbps }\n"
    "  - name: 'wan <&>\"'' Z\xc3\xbcrich\xe2\x80\x93Ost'\n"
    "    capacity: 20Mbps\n"
    "    background: [ { from: \"08:00\", to: \"18:00\", rate: 4Mbps } ]\n"
    "servers: [ { name: dpm, path: [core] } ]\n"
    "computers:\n"
    "  - { name: 'fs01 <b>&amp;', server: dpm, throttle: 8Mbps,\n"
    "      path: ['wan <&>\"'' Z\xc3\xbcrich\xe2\x80\x93Ost'] }\n"
    "  - { name: sql01, server: dpm, throttle: 8Mbps,\n"
    "      path: ['wan <&>\"'' Z\xc3\xbcrich\xe2\x80\x93Ost'] }\n"
    "groups:\n"
    "  - name: 'Files <&>\"'' \xc3\x9cn\xc3\xaf" "c\xc3\xb8" "d\xc3\xa9'\n"
    "    sync: { every: 15m, offset: 0m }\n"
    "    recovery_points: { at: [\"08:00\", \"12:00\"] }\n"
    "    consistency_check: { from: \"22:00\", to: \"06:00\" }\n"
    "    sources:\n"
    "      - { name: s, computer: 'fs01 <b>&amp;', kind: file, size: 300GB, churn: 6GB/day }\n"
    "  - name: SQL\n"
    "    sync: { every: 30m, offset: 0m }\n"
    "    express_full: { at: [\"20:00\"], flex: 1h }\n"
    "    sources:\n"
    "      - { name: d, computer: sql01, kind: sql, size: 200GB, churn: 8GB/day }\n";

/* ---- building the input ------------------------------------------- */

typedef struct {
    stg_fleet *fleet;
    stg_schedule_doc *doc;
    stg_schedule *plan, *today;
    stg_export_input in;
} input;

/* The schedule sc of f written and read back. */
static stg_schedule_doc *round_trip(const stg_fleet *f, const stg_schedule *sc)
{
    char *buf = NULL, *cause = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(fp);
    int rc = stg_schedule_write(fp, f, "fleet.yaml", SHA, sc, &cause);
    fclose(fp);
    ck_assert_msg(rc == 0, "write failed: %s", cause ? cause : "?");
    stg_diags d;
    stg_diags_init(&d);
    stg_schedule_doc *doc = stg_schedule_read_buffer(buf, n, &d);
    if (!doc)
        stg_report_diags(stderr, "<schedule>", buf, n, &d);
    stg_diags_free(&d);
    free(buf);
    ck_assert_ptr_nonnull(doc);
    return doc;
}

/* plan: planned (with the planner) or today's settings scored. */
static void make_input(input *x, stg_fleet *f, int plan)
{
    char *cause = NULL;
    stg_schedule *sc = NULL;
    memset(x, 0, sizeof *x);
    x->fleet = f;
    if (plan) {
        stg_plan_opts o;
        stg_plan_opts_init(&o);
        o.time_limit = 5;
        o.threads = 1;
        ck_assert_msg(stg_plan(f, &o, &sc, &cause) == 0, "plan: %s",
                      cause ? cause : "?");
    } else {
        ck_assert_int_eq(stg_evaluate(f, NULL, true, &sc, &cause), 0);
    }
    x->doc = round_trip(f, sc);
    stg_schedule_free(sc);

    stg_diags d;
    stg_diags_init(&d);
    stg_settings *s = stg_schedule_doc_settings(x->doc, f, &d);
    stg_diags_free(&d);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(stg_evaluate(f, s, true, &x->plan, &cause), 0);
    ck_assert_int_eq(stg_evaluate(f, NULL, true, &x->today, &cause), 0);
    x->in = (stg_export_input){ x->doc, "plan <1>.yaml", f, "fleet & co.yaml",
                                x->plan, x->today, NULL, NULL };
}

static void free_input(input *x)
{
    stg_schedule_free(x->plan);
    stg_schedule_free(x->today);
    stg_schedule_doc_free(x->doc);
    stg_fleet_free(x->fleet);
}

typedef int (*export_fn)(FILE *, const stg_export_input *, char **);

/* The whole output of fn (caller frees with free()). */
static char *render(export_fn fn, const stg_export_input *in, size_t *len)
{
    char *buf = NULL, *cause = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    ck_assert_ptr_nonnull(fp);
    int rc = fn(fp, in, &cause);
    fclose(fp);
    ck_assert_msg(rc == 0, "export failed: %s", cause ? cause : "?");
    ck_assert_ptr_null(cause);
    if (len)
        *len = n;
    return buf;
}

/* ---- a tiny markup checker ------------------------------------------ */

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '_' || c == ':';
}

/* Length of the reference at s ("&amp;", "&#39;"), or 0 when it is not
 * one XML knows. */
static size_t reference(const char *s)
{
    static const char *const named[] = {"&amp;", "&lt;", "&gt;", "&quot;",
                                        "&apos;"};
    for (size_t i = 0; i < 5; i++)
        if (!strncmp(s, named[i], strlen(named[i])))
            return strlen(named[i]);
    if (s[1] != '#')
        return 0;
    size_t i = 2;
    while (s[i] >= '0' && s[i] <= '9')
        i++;
    return i > 2 && s[i] == ';' ? i + 1 : 0;
}

/* Checks that every element is closed in order inside one root, that
 * attribute values are quoted and hold no '<', that every '&' starts a
 * known reference and that text holds no raw '<' or '>'.  Returns NULL
 * or what is wrong (in err).  *elements counts the elements. */
static const char *check_markup(const char *s, size_t n, int *elements,
                                char *err, size_t errsize)
{
    enum { DEPTH = 64, NAME = 32 };
    char stack[DEPTH][NAME];
    int depth = 0, roots = 0;
    *elements = 0;
#define FAIL(...) do { snprintf(err, errsize, __VA_ARGS__); return err; } while (0)
    for (size_t i = 0; i < n;) {
        if (s[i] == '&') {
            size_t r = reference(s + i);
            if (!r)
                FAIL("bad reference at byte %zu: %.20s", i, s + i);
            i += r;
            continue;
        }
        if (s[i] == '>')
            FAIL("raw '>' in text at byte %zu: %.30s", i, s + (i > 20 ? i - 20 : 0));
        if (s[i] != '<') {
            if (depth == 0 && roots > 0 && s[i] != '\n' && s[i] != ' ')
                FAIL("text after the root element at byte %zu", i);
            i++;
            continue;
        }
        if (!strncmp(s + i, "<?", 2) || !strncmp(s + i, "<!", 2)) {
            const char *end = strstr(s + i, !strncmp(s + i, "<!--", 4) ? "-->" : ">");
            if (!end)
                FAIL("unterminated declaration at byte %zu", i);
            i = (size_t)(end - s) + 1;
            continue;
        }
        int closing = s[i + 1] == '/';
        size_t j = i + 1 + (size_t)closing, k = 0;
        char name[NAME];
        while (j < n && name_char(s[j]) && k < NAME - 1)
            name[k++] = s[j++];
        name[k] = '\0';
        if (!k)
            FAIL("'<' without a name at byte %zu: %.20s", i, s + i);
        if (closing) {
            if (s[j] != '>')
                FAIL("bad end tag </%s at byte %zu", name, i);
            if (!depth || strcmp(stack[depth - 1], name))
                FAIL("</%s> at byte %zu closes <%s>", name, i,
                     depth ? stack[depth - 1] : "(nothing)");
            depth--;
            i = j + 1;
            continue;
        }
        /* attributes */
        int empty = 0;
        for (;;) {
            while (j < n && (s[j] == ' ' || s[j] == '\n'))
                j++;
            if (j >= n)
                FAIL("unterminated <%s", name);
            if (s[j] == '>') {
                j++;
                break;
            }
            if (s[j] == '/' && s[j + 1] == '>') {
                j += 2;
                empty = 1;
                break;
            }
            size_t a = j;
            while (j < n && name_char(s[j]))
                j++;
            if (j == a || s[j] != '=' || s[j + 1] != '"')
                FAIL("bad attribute in <%s at byte %zu: %.20s", name, j, s + j);
            j += 2;
            while (j < n && s[j] != '"') {
                if (s[j] == '<')
                    FAIL("'<' in an attribute of <%s at byte %zu", name, j);
                if (s[j] == '&') {
                    size_t r = reference(s + j);
                    if (!r)
                        FAIL("bad reference in <%s at byte %zu", name, j);
                    j += r;
                } else {
                    j++;
                }
            }
            if (j >= n)
                FAIL("unterminated attribute in <%s", name);
            j++;
        }
        (*elements)++;
        if (depth == 0) {
            if (roots++)
                FAIL("a second root <%s> at byte %zu", name, i);
        }
        if (!empty) {
            if (depth == DEPTH)
                FAIL("nesting too deep at <%s>", name);
            memcpy(stack[depth++], name, sizeof name);
        }
        i = j;
    }
    if (depth)
        FAIL("<%s> is never closed", stack[depth - 1]);
    if (!roots)
        FAIL("no root element");
#undef FAIL
    return NULL;
}

static void assert_markup(const char *what, const char *s, size_t n)
{
    char err[160];
    int elements;
    const char *bad = check_markup(s, n, &elements, err, sizeof err);
    ck_assert_msg(bad == NULL, "%s: %s", what, bad ? bad : "");
    ck_assert_int_gt(elements, 10);
}

START_TEST(checker_finds_errors)
{
    static const char *const bad[] = {
        "<svg><g></svg></g>", "<svg><text>a < b</text></svg>",
        "<svg><text>a & b</text></svg>", "<svg a=\"x<y\"/>",
        "<svg><g></svg>", "<svg/><svg/>", "<svg a=x/>",
        "<svg><text>a > b</text></svg>", "<svg>&nbsp;</svg>",
    };
    char err[160];
    int el;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(check_markup(bad[i], strlen(bad[i]), &el, err, sizeof err),
                      "accepted: %s", bad[i]);
    const char *good = "<?xml version=\"1.0\"?>\n<!DOCTYPE html>\n<html a=\"&#39;\">"
                       "<b>x &amp; &#8211;</b><br/></html>\n";
    ck_assert_ptr_null(check_markup(good, strlen(good), &el, err, sizeof err));
    ck_assert_int_eq(el, 3);
}
END_TEST

/* ---- what the charts should be ------------------------------------- */

static int count(const char *s, const char *what)
{
    int n = 0;
    for (const char *p = s; (p = strstr(p, what)); p += strlen(what))
        n++;
    return n;
}

static double peak_of(const stg_fleet *f, const stg_sim *sim, int l)
{
    double peak = 0;
    for (int s = 0; s < sim->nslots; s++) {
        double u = stg_sim_load(sim, l, s) / f->links[l].capacity;
        if (u > peak)
            peak = u;
    }
    return peak;
}

/* The links, worst first as the summary picks the worst: lower headroom,
 * then earlier, then by name. */
static const stg_export_input *order_in;

static int by_worst(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    const stg_eval *e = order_in->plan->eval;
    if (fabs(e->headroom[x] - e->headroom[y]) > STG_EPS)
        return e->headroom[x] < e->headroom[y] ? -1 : 1;
    if (e->at[x] != e->at[y])
        return e->at[x] < e->at[y] ? -1 : 1;
    return strcmp(order_in->fleet->links[x].name, order_in->fleet->links[y].name);
}

static int *worst_first(const stg_export_input *in)
{
    int n = in->fleet->nlinks;
    int *ord = calloc((size_t)n, sizeof *ord);
    ck_assert_ptr_nonnull(ord);
    for (int i = 0; i < n; i++)
        ord[i] = i;
    order_in = in;
    qsort(ord, (size_t)n, sizeof *ord, by_worst);
    return ord;
}

/* The chart of the k-th link drawn (its text up to its </svg>), or NULL. */
static const char *chart(const char *doc, int k, size_t *len)
{
    const char *p = doc;
    for (int i = 0; i <= k; i++) {
        p = strstr(p, "class=\"link-chart\"");
        if (!p)
            return NULL;
        p++;
    }
    const char *end = strstr(p, "</svg>");
    ck_assert_ptr_nonnull(end);
    *len = (size_t)(end - p);
    return p;
}

/* Number of times c occurs in the d attribute of the path with the given
 * class inside a chart. */
static int path_commands(const char *ch, size_t len, const char *cls, char c,
                         double *last_x)
{
    char key[48];
    snprintf(key, sizeof key, "<path class=\"%s\" d=\"", cls);
    const char *p = strstr(ch, key);
    ck_assert_msg(p && (size_t)(p - ch) < len, "no %s path", cls);
    p += strlen(key);
    int n = 0;
    for (; *p != '"'; p++) {
        if (*p == c)
            n++;
        if (*p == 'H' && last_x)
            *last_x = atof(p + 1);
    }
    return n;
}

/* Checks every chart of doc against in: their number, order (names in
 * the worst-first order), the limit line at 1 - required on the chart's
 * axis, one step per change of the plan's load. */
static void check_charts(const char *doc, const stg_export_input *in,
                         int expect_charts)
{
    const stg_fleet *f = in->fleet;
    double req = in->doc->required;
    int *ord = worst_first(in);
    ck_assert_int_eq(count(doc, "class=\"link-chart\""), expect_charts);
    for (int k = 0; k < expect_charts; k++) {
        int l = ord[k];
        size_t len;
        const char *ch = chart(doc, k, &len);
        ck_assert_ptr_nonnull(ch);

        /* the name (escaped) says which link this is */
        char *name = NULL;
        size_t nlen = 0;
        FILE *fp = open_memstream(&name, &nlen);
        stg_xml_write_text(fp, f->links[l].name);
        fclose(fp);
        const char *at = strstr(ch, name);
        ck_assert_msg(at && (size_t)(at - ch) < len, "chart %d is not %s", k,
                      f->links[l].name);
        free(name);

        /* the limit */
        double ymax = fmax(peak_of(f, in->plan->sim, l),
                           peak_of(f, in->today->sim, l));
        ymax = ymax <= 1 + 1e-9 ? 1 : ceil(ymax * 10 - 1e-6) / 10;
        double want = STG_SVG_PLOT_TOP +
                      STG_SVG_PLOT_HEIGHT * (1 - (1 - req) / ymax);
        const char *lim = strstr(ch, "class=\"limit\"");
        ck_assert_msg(lim && (size_t)(lim - ch) < len, "chart %d has no limit", k);
        double x1, y1, x2, y2;
        ck_assert_int_eq(sscanf(lim, "class=\"limit\" x1=\"%lf\" y1=\"%lf\" "
                                     "x2=\"%lf\" y2=\"%lf\"", &x1, &y1, &x2, &y2), 4);
        ck_assert_msg(fabs(y1 - want) < 0.051 && fabs(y2 - want) < 0.051,
                      "chart %d: limit at y %g, want %g (ymax %g)", k, y1, want, ymax);
        ck_assert_double_eq_tol(x1, STG_SVG_LEFT, 1e-9);
        ck_assert_double_eq_tol(x2, STG_SVG_WIDTH - STG_SVG_RIGHT, 1e-9);

        /* a step only where the plan's load changes */
        const stg_sim *sim = in->plan->sim;
        int changes = 0;
        for (int s = 1; s < sim->nslots; s++)
            if (stg_sim_load(sim, l, s) != stg_sim_load(sim, l, s - 1))
                changes++;
        double last_x = 0;
        int v = path_commands(ch, len, "plan", 'V', &last_x);
        ck_assert_int_le(v, changes + 2);
        ck_assert_int_ge(v, changes > 0 ? 3 : 2);
        ck_assert_double_eq_tol(last_x, STG_SVG_WIDTH - STG_SVG_RIGHT, 1e-9);
        ck_assert_int_le(path_commands(ch, len, "today", 'V', NULL),
                         sim->nslots);
        ck_assert_int_eq(count(ch, "class=\"lowest\"") > 0, 1);
    }
    free(ord);
}

/* ---- the tests ------------------------------------------------------ */

START_TEST(small_fleet_svg)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 1);
    ck_assert_int_eq(x.fleet->nlinks, 2);
    size_t n;
    char *svg = render(stg_export_svg, &x.in, &n);

    ck_assert_int_eq(strncmp(svg, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg ", 44), 0);
    assert_markup("svg", svg, n);
    ck_assert_ptr_null(strstr(svg, "<script"));
    ck_assert_ptr_null(strstr(svg, "href"));
    check_charts(svg, &x.in, 2);

    /* escaping, non-ASCII kept */
    ck_assert_ptr_nonnull(strstr(svg, LINK_ESC));
    ck_assert_ptr_nonnull(strstr(svg, GROUP_ESC));
    ck_assert_ptr_null(strstr(svg, "<&>"));
    ck_assert_ptr_null(strstr(svg, LINK_NAME));
    ck_assert_ptr_nonnull(strstr(svg, "fleet &amp; co.yaml"));

    /* one timeline row per group, by name; bars of each kind */
    ck_assert_int_eq(count(svg, "class=\"timeline\""), 1);
    ck_assert_int_eq(count(svg, "class=\"group\""), 2);
    const char *g1 = strstr(svg, GROUP_ESC), *g2 = strstr(svg, ">SQL<");
    ck_assert_ptr_nonnull(g2);
    ck_assert(g1 < g2);
    ck_assert_int_eq(count(svg, "<g class=\"sync\""), 1);
    ck_assert_int_eq(count(svg, "<g class=\"express_full\""), 1);
    ck_assert_int_eq(count(svg, "<g class=\"consistency_check\""), 1);
    ck_assert_int_eq(count(svg, "limit 80.0% (20.0% headroom)"), 2);
    ck_assert_ptr_null(strstr(svg, "not drawn"));

    free(svg);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

START_TEST(small_fleet_html)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 1);
    size_t n;
    char *html = render(stg_export_html, &x.in, &n);

    ck_assert_int_eq(strncmp(html, "<!DOCTYPE html>\n<html ", 22), 0);
    assert_markup("html", html, n);
    /* nothing from outside the page */
    /* a broken rule's row keeps its colour on an even (striped) row: its
     * rule is more specific than the stripe's */
    ck_assert_ptr_nonnull(strstr(html, "tbody tr:nth-child(even) td{background:#fafbfc}"));
    ck_assert_ptr_nonnull(strstr(html, "tbody tr.over:nth-child(even) td{background:#fdecec}"));
    ck_assert_ptr_null(strstr(html, "<script"));
    ck_assert_ptr_null(strstr(html, "<link"));
    ck_assert_ptr_null(strstr(html, "<img"));
    ck_assert_ptr_null(strstr(html, "url("));
    ck_assert_ptr_null(strstr(html, "@import"));
    ck_assert_ptr_null(strstr(html, "http://www.w3.org/1999/xlink"));
    ck_assert_int_eq(count(html, "href=\"") , count(html, "href=\"#"));

    check_charts(html, &x.in, 2);
    ck_assert_int_eq(count(html, "class=\"timeline\""), 1);

    /* names escaped in the title, the tables and the pictures */
    ck_assert_ptr_null(strstr(html, "<&>"));
    ck_assert_int_ge(count(html, LINK_ESC), 3);
    ck_assert_int_ge(count(html, GROUP_ESC), 2);
    ck_assert_ptr_nonnull(strstr(html, "fs01 &lt;b&gt;&amp;amp;"));
    ck_assert_ptr_nonnull(strstr(html, "<title>Schedule report: fleet &amp; co.yaml</title>"));
    ck_assert_ptr_nonnull(strstr(html, "schedule plan &lt;1&gt;.yaml"));

    /* the summary and the tables */
    ck_assert_ptr_nonnull(strstr(html, "id=\"summary\""));
    ck_assert_ptr_nonnull(strstr(html, "required 20.0%"));
    ck_assert_ptr_nonnull(strstr(html, "id=\"links\""));
    ck_assert_ptr_nonnull(strstr(html, "id=\"groups\""));
    ck_assert_ptr_nonnull(strstr(html, "id=\"computers\""));
    ck_assert_ptr_nonnull(strstr(html, "every 15m, offset"));
    ck_assert_ptr_nonnull(strstr(html, "@media print"));
    if (x.doc->nviolations == 0)
        ck_assert_ptr_null(strstr(html, "id=\"violations\""));

    free(html);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A job history's failures drawn on the link charts: one mark per slot
 * and link, its tooltip naming each failure (escaped); the page stays
 * well-formed and self-contained. */
START_TEST(failure_marks)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 1);
    /* 2026-11-29 08:02:10 and 08:04:50 fall in one 5m slot; 14:31 in
     * another; the stranger is not drawn */
    const long long day = 1795910400LL;
    stg_dpm_job jobs[4];
    memset(jobs, 0, sizeof jobs);
    const char *who[4] = { "fs01 <b>&amp;", "SQL01", "sql01", "ws07" };
    const long long end[4] = { day + 8 * 3600 + 130, day + 8 * 3600 + 290,
                               day + 14 * 3600 + 1860, day + 9 * 3600 };
    for (int i = 0; i < 4; i++) {
        jobs[i].computer = (char *)who[i];
        jobs[i].status = "Failed";
        jobs[i].start = end[i];         /* the moment: its start */
        jobs[i].end = end[i] + 60;
        jobs[i].error_id = i == 2 ? 0 : 308;
        jobs[i].bytes = -1;
    }
    stg_dpm_export h;
    memset(&h, 0, sizeof h);
    h.jobs = jobs;
    h.njobs = 4;
    const stg_dpm_export *hist[1] = { &h };
    stg_diagnosis *d = stg_diagnose(x.fleet, x.today->sim, x.today->eval,
                                    hist, 1);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(d->nfailures, 3);
    x.in.failures = d;

    size_t n;
    char *svg = render(stg_export_svg, &x.in, &n);
    assert_markup("svg", svg, n);
    /* both computers cross both links: two marks on each chart */
    ck_assert_int_eq(count(svg, "<g class=\"failures\">"), 2);
    ck_assert_int_eq(count(svg, "class=\"failure\""), 4);
    ck_assert_int_eq(count(svg, "failed jobs (today)"), 2);
    ck_assert_int_eq(count(svg, "<title>2 failed jobs at 08:00&#10;"
                                "2026-11-29 08:02 fs01 &lt;b&gt;&amp;amp;, ID 308&#10;"
                                "2026-11-29 08:04 sql01, ID 308</title>"), 2);
    ck_assert_int_eq(count(svg, "<title>1 failed job at 14:30&#10;"
                                "2026-11-29 14:31 sql01, no error ID</title>"), 2);
    ck_assert_ptr_null(strstr(svg, "ws07"));
    free(svg);

    char *html = render(stg_export_html, &x.in, &n);
    assert_markup("html", html, n);
    ck_assert_int_eq(count(html, "class=\"failure\""), 4);
    ck_assert_ptr_nonnull(strstr(html, "The pink marks are the 3 failed jobs"));
    ck_assert_ptr_null(strstr(html, "<script"));
    free(html);

    /* without a history, no marks */
    x.in.failures = NULL;
    html = render(stg_export_html, &x.in, &n);
    ck_assert_ptr_null(strstr(html, "failure"));
    free(html);
    stg_diagnosis_free(d);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Today's settings of the small fleet break the limit: the report lists
 * the broken rules and marks them. */
START_TEST(violations_listed)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 0);
    ck_assert_int_gt(x.doc->nviolations, 0);
    size_t n;
    char *html = render(stg_export_html, &x.in, &n);
    assert_markup("html", html, n);
    ck_assert_ptr_nonnull(strstr(html, "id=\"violations\""));
    ck_assert_ptr_nonnull(strstr(html, "headroom below the limit"));
    ck_assert_ptr_nonnull(strstr(html, "<span class=\"status violates\">"));
    free(html);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* 45 links and 205 groups: the 40 worst links and 200 groups drawn, and
 * the pictures say how many were left out. */
static char *big_fleet(void)
{
    size_t size = 64 * 1024, n = 0;
    char *b = malloc(size);
    ck_assert_ptr_nonnull(b);
    n += (size_t)snprintf(b + n, size - n,
        "stagger: 1\nresolution: 5m\nheadroom: 15%%\nlinks:\n"
        "  - { name: core, capacity: 1Gbps }\n");
    for (int l = 0; l < 44; l++)
        n += (size_t)snprintf(b + n, size - n,
            "  - { name: wan%02d, capacity: %dMbps }\n", l, 10 + l % 7);
    n += (size_t)snprintf(b + n, size - n,
        "servers: [ { name: dpm, path: [core] } ]\ncomputers:\n");
    for (int c = 0; c < 44; c++)
        n += (size_t)snprintf(b + n, size - n,
            "  - { name: c%02d, server: dpm, path: [wan%02d], throttle: 4Mbps }\n",
            c, c);
    n += (size_t)snprintf(b + n, size - n, "groups:\n");
    for (int g = 0; g < 205; g++)
        n += (size_t)snprintf(b + n, size - n,
            "  - { name: g%03d, sync: { every: 1h, offset: 0m }, sources: "
            "[ { name: s, computer: c%02d, kind: file, size: 100GB, "
            "churn: 1GB/day } ] }\n", g, g % 44);
    ck_assert_uint_lt(n, size - 1);
    return b;
}

START_TEST(big_fleet_cut)
{
    char *text = big_fleet();
    input x;
    make_input(&x, test_fleet(text), 0);
    free(text);
    ck_assert_int_eq(x.fleet->nlinks, 45);
    size_t n;
    char *svg = render(stg_export_svg, &x.in, &n);
    assert_markup("svg", svg, n);
    check_charts(svg, &x.in, 40);
    ck_assert_ptr_nonnull(strstr(svg, "5 more links not drawn"));
    ck_assert_int_eq(count(svg, "class=\"group\""), 200);
    ck_assert_ptr_nonnull(strstr(svg, "5 more groups not drawn"));
    /* the groups left out are those whose link has the most headroom */
    double drawn_max = -2, left_min = 2;
    int left = 0;
    for (int g = 0; g < x.fleet->ngroups; g++) {
        char row[64];
        snprintf(row, sizeof row, ">%s</text>", x.fleet->groups[g].name);
        int c = x.fleet->sources[x.fleet->groups[g].sources[0]].computer;
        double h = x.plan->eval->headroom[x.fleet->computers[c].path[0]];
        if (strstr(svg, row)) {
            drawn_max = fmax(drawn_max, h);
        } else {
            left_min = fmin(left_min, h);
            left++;
        }
    }
    ck_assert_int_eq(left, 5);
    ck_assert_double_le(drawn_max, left_min);
    ck_assert_uint_lt(n, 2 * 1024 * 1024);

    char *html = render(stg_export_html, &x.in, &n);
    assert_markup("html", html, n);
    check_charts(html, &x.in, 40);
    ck_assert_ptr_nonnull(strstr(html, "The 40 links with the least headroom are drawn; 5"));
    /* every link is in the table */
    ck_assert_int_eq(count(html, "<td class=\"name\">wan"), 44);
    free(html);
    free(svg);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A week of one-minute slots: day labels, and paths that stay small. */
START_TEST(week_cycle)
{
    stg_diags d;
    stg_diags_init(&d);
    char *text = NULL;
    size_t len;
    stg_fleet *f = stg_fleet_read_file("examples/week-cycle.yaml", &text, &len, &d);
    stg_free(text);
    stg_diags_free(&d);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->cycle, STG_WEEK);
    input x;
    make_input(&x, f, 0);
    ck_assert_int_eq(x.plan->sim->nslots, 10080);
    size_t n;
    char *svg = render(stg_export_svg, &x.in, &n);
    assert_markup("svg", svg, n);
    check_charts(svg, &x.in, x.fleet->nlinks);
    ck_assert_ptr_nonnull(strstr(svg, ">mon</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">sun</text>"));
    ck_assert_ptr_null(strstr(svg, ">21:00</text>"));
    ck_assert_ptr_nonnull(strstr(svg, "over the week"));
    ck_assert_uint_lt(n, 1024 * 1024);
    free(svg);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Without the fleet or the simulated cycles: an error with a cause. */
START_TEST(needs_fleet)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 0);
    export_fn fns[2] = { stg_export_svg, stg_export_html };
    for (int i = 0; i < 2; i++) {
        stg_export_input in = x.in;
        char *cause = NULL;
        in.fleet = NULL;
        ck_assert_int_eq(fns[i](stdout, &in, &cause), -1);
        ck_assert_ptr_nonnull(cause);
        ck_assert_ptr_nonnull(strstr(cause, "fleet"));
        stg_free(cause);
        cause = NULL;
        in = x.in;
        in.today = NULL;
        ck_assert_int_eq(fns[i](stdout, &in, &cause), -1);
        ck_assert_ptr_nonnull(strstr(cause, "today"));
        stg_free(cause);
    }
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Every allocation failing in turn: -1 with "out of memory" (or no
 * cause), nothing left allocated, until the export succeeds. */
START_TEST(out_of_memory)
{
    input x;
    make_input(&x, test_fleet(small_fleet), 0);
    long base = stg_alloc_live();
    export_fn fns[2] = { stg_export_svg, stg_export_html };
    for (int i = 0; i < 2; i++) {
        int failures = 0;
        for (long k = 1;; k++) {
            char *buf = NULL, *cause = NULL;
            size_t n = 0;
            FILE *fp = open_memstream(&buf, &n);
            ck_assert_ptr_nonnull(fp);
            stg_alloc_fail_at(stg_alloc_count() + k);
            int rc = fns[i](fp, &x.in, &cause);
            stg_alloc_fail_at(0);
            fclose(fp);
            free(buf);
            if (rc == 0) {
                ck_assert_ptr_null(cause);
                break;
            }
            failures++;
            ck_assert_int_eq(rc, -1);
            if (cause)
                ck_assert_str_eq(cause, "out of memory");
            stg_free(cause);
            ck_assert_int_eq(stg_alloc_live(), base);
            ck_assert_int_lt(k, 1000);
        }
        ck_assert_int_gt(failures, 0);
    }
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A write error is reported. */
START_TEST(write_error)
{
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        return;                 /* no /dev/full here */
    input x;
    make_input(&x, test_fleet(small_fleet), 0);
    char *cause = NULL;
    ck_assert_int_eq(stg_export_svg(full, &x.in, &cause), -1);
    ck_assert_ptr_nonnull(cause);
    ck_assert_ptr_nonnull(strstr(cause, "cannot write"));
    stg_free(cause);
    clearerr(full);
    cause = NULL;
    ck_assert_int_eq(stg_export_html(full, &x.in, &cause), -1);
    ck_assert_ptr_nonnull(cause);
    stg_free(cause);
    fclose(full);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Bytes that are not UTF-8, and control characters, become U+FFFD;
 * long names are cut with an ellipsis and kept whole in a tooltip. */
START_TEST(text_escaping)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *fp = open_memstream(&buf, &n);
    stg_xml_write_text(fp, "a\x01" "b\xff" "c\xc3\x28" "d\xed\xa0\x80" "e\ttab");
    fclose(fp);
    ck_assert_str_eq(buf, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd(d"
                          "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd" "e&#9;tab");
    free(buf);
}
END_TEST

/* Names too long for their place are cut with an ellipsis and kept
 * whole in a tooltip; one that just fits is written whole. */
START_TEST(long_names_clipped)
{
    stg_fleet *f = test_fleet(small_fleet);
    int g = stg_fleet_group(f, "SQL"), l = stg_fleet_link(f, "core");
    ck_assert_int_ge(g, 0);
    ck_assert_int_ge(l, 0);
    stg_free(f->groups[g].name);
    f->groups[g].name = stg_strdup("SQL-0123456789-0123456789-abcd");
    stg_free(f->links[l].name);
    f->links[l].name = stg_strdup("core-0123456789-0123456789");
    ck_assert_ptr_nonnull(f->groups[g].name);
    ck_assert_ptr_nonnull(f->links[l].name);
    input x;
    make_input(&x, f, 0);
    size_t n;
    char *svg = render(stg_export_svg, &x.in, &n);
    assert_markup("svg", svg, n);
    ck_assert_ptr_nonnull(strstr(svg, ">SQL-0123456789-0123456789-abcd</text>"));
    ck_assert_ptr_nonnull(strstr(svg, ">core-0123456789-01234\xe2\x80\xa6<title>"
                                      "core-0123456789-0123456789</title></text>"));
    free(svg);
    free_input(&x);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("export_svg");
    TCase *tc = tcase_create("export_svg");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, checker_finds_errors);
    tcase_add_test(tc, text_escaping);
    tcase_add_test(tc, small_fleet_svg);
    tcase_add_test(tc, small_fleet_html);
    tcase_add_test(tc, violations_listed);
    tcase_add_test(tc, big_fleet_cut);
    tcase_add_test(tc, week_cycle);
    tcase_add_test(tc, needs_fleet);
    tcase_add_test(tc, out_of_memory);
    tcase_add_test(tc, write_error);
    tcase_add_test(tc, long_names_clipped);
    tcase_add_test(tc, failure_marks);
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
