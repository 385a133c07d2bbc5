/* stagger capacity FLEET [--growth R%/month] [--time-limit T] [--seed N]
 *                        [--format table|csv|json] [-o FILE] */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io/export/fields.h"
#include "io/write/atomic.h"
#include "io/write/capacity_text.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/capacity.h"

typedef enum { FMT_TABLE, FMT_CSV, FMT_JSON } out_format;

typedef struct {
    bool given;
    double monthly;             /* per month, > 0 */
    double value;               /* as written (a fraction) */
    bool yearly;
} growth_rate;

static void progress(void *arg, const char *what, const char *link,
                     int probes, double elapsed)
{
    (void)arg;
    fprintf(stderr, "\r\033[Kcapacity: %s%s%s, %d planner runs, %.1fs",
            what, link ? " of " : "", link ? link : "", probes, elapsed);
    fflush(stderr);
}

/* "3%/month" or "40%/year" (also "0.03/month").  Returns 0 or -1. */
static int parse_growth(const char *s, growth_rate *g)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || !isfinite(v) || *s == '-' || *s == '+')
        return -1;
    if (*end == '%') {
        v /= 100;
        end++;
    }
    if (!strcmp(end, "/month"))
        g->yearly = false;
    else if (!strcmp(end, "/year"))
        g->yearly = true;
    else
        return -1;
    if (!(v > 0) || v > 10)
        return -1;
    g->given = true;
    g->value = v;
    g->monthly = g->yearly ? pow(1 + v, 1.0 / 12) - 1 : v;
    return 0;
}


/* ---- values as text ---------------------------------------------------- */

static const char *method_name(stg_cap_method m)
{
    switch (m) {
    case STG_CAP_BOUND: return "bound";
    case STG_CAP_SEARCHED: return "searched";
    case STG_CAP_NONE: return "none";
    case STG_CAP_STOPPED: return "stopped";
    }
    return "?";
}

static char *fmt_minimum(char *buf, size_t size, const stg_cap_link *lk)
{
    char a[STG_QBUF];
    switch (lk->method) {
    case STG_CAP_BOUND:
    case STG_CAP_SEARCHED:
        snprintf(buf, size, "%s %s", stg_fmt_rate(a, sizeof a, lk->min_capacity),
                 method_name(lk->method));
        break;
    case STG_CAP_NONE:
        snprintf(buf, size, "none <= %s", stg_fmt_rate(a, sizeof a, lk->top));
        break;
    case STG_CAP_STOPPED:
        snprintf(buf, size, "stopped");
        break;
    }
    return buf;
}

static char *fmt_growth(char *buf, size_t size, double g, bool beyond,
                        bool below, bool stopped, double top)
{
    if (stopped)
        snprintf(buf, size, "stopped");
    else if (beyond)
        snprintf(buf, size, ">%gx", top);
    else if (below)
        snprintf(buf, size, "<0.01x");
    else
        snprintf(buf, size, "%.2fx", g);
    return buf;
}

/* Months as text ("7", "never", "0"); "-" when stopped. */
static char *fmt_months(char *buf, size_t size, const growth_rate *gr, double g,
                        bool beyond, bool stopped)
{
    if (stopped) {
        snprintf(buf, size, "-");
        return buf;
    }
    int m = stg_capacity_months(g, beyond, gr->monthly);
    if (m < 0)
        snprintf(buf, size, "never");
    else
        snprintf(buf, size, "%d", m);
    return buf;
}

/* Links from the worst planned headroom up (ties: fleet order). */
static const stg_capacity *sort_cap;

static int by_planned(const void *a, const void *b)
{
    int i = *(const int *)a, j = *(const int *)b;
    double hi = sort_cap->links[i].headroom_planned;
    double hj = sort_cap->links[j].headroom_planned;
    if (hi < hj - 1e-12)
        return -1;
    if (hi > hj + 1e-12)
        return 1;
    return i - j;
}

/* ---- the reasons in words (io/write/capacity_text.h) -------------------- */

typedef struct {
    char **binds, **growth;     /* per link; NULL: none */
    char *fleet;                /* the fleet's growth */
    int n;
} words;

static void words_free(words *w)
{
    for (int l = 0; l < w->n; l++) {
        if (w->binds)
            stg_free(w->binds[l]);
        if (w->growth)
            stg_free(w->growth[l]);
    }
    stg_free(w->binds);
    stg_free(w->growth);
    stg_free(w->fleet);
}

/* *out the reason in words, or NULL for none; false when out of memory. */
static bool word(const stg_capwhy *why, char **out)
{
    *out = why ? stg_capwhy_text(why) : NULL;
    return !why || *out;
}

/* Every reason of c in words; -1 when out of memory. */
static int words_make(const stg_capacity *c, words *w)
{
    memset(w, 0, sizeof *w);
    w->n = c->nlinks;
    w->binds = stg_calloc((size_t)c->nlinks + 1, sizeof *w->binds);
    w->growth = stg_calloc((size_t)c->nlinks + 1, sizeof *w->growth);
    bool ok = w->binds && w->growth && word(c->growth_binds, &w->fleet);
    for (int l = 0; ok && l < c->nlinks; l++)
        ok = word(c->links[l].binds, &w->binds[l]) &&
             word(c->links[l].growth_binds, &w->growth[l]);
    return ok ? 0 : -1;
}

/* ---- table ------------------------------------------------------------- */

static void write_table(FILE *out, const stg_fleet *f, const stg_capacity *c,
                        const words *wd,
                        const int *order, int n, const growth_rate *gr,
                        const char *path, double limit)
{
    char a[STG_QBUF], b[STG_QBUF], d[STG_QBUF], e[96], g[STG_QBUF],
         h[STG_QBUF], m[STG_QBUF];
    int w = 4, wm = 7;
    for (int i = 0; i < n; i++) {
        int l = order[i];
        if ((int)strlen(f->links[l].name) > w)
            w = (int)strlen(f->links[l].name);
        int len = (int)strlen(fmt_minimum(e, sizeof e, &c->links[l]));
        if (len > wm)
            wm = len;
    }
    fprintf(out, "%s: required headroom %s; each probe planned with a %gs "
            "limit\n", path, stg_fmt_pct(a, sizeof a, c->required), limit);
    fprintf(out, "%-*s  %9s  %7s  %7s  %-*s  %8s  %7s", w, "link", "capacity",
            "today", "planned", wm, "minimum", "step", "growth");
    if (gr->given)
        fprintf(out, "  %6s", "months");
    fputc('\n', out);
    for (int i = 0; i < n; i++) {
        int l = order[i];
        const stg_cap_link *lk = &c->links[l];
        fprintf(out, "%-*s  %9s  %7s  %7s  %-*s  %8s  %7s", w, f->links[l].name,
                stg_fmt_rate(a, sizeof a, lk->capacity),
                stg_fmt_pct(b, sizeof b, lk->headroom_today),
                stg_fmt_pct(d, sizeof d, lk->headroom_planned), wm,
                fmt_minimum(e, sizeof e, lk),
                stg_fmt_rate(g, sizeof g, lk->resolution),
                fmt_growth(h, sizeof h, lk->growth, lk->growth_beyond,
                           lk->growth_below, lk->growth_stopped, c->growth_max));
        if (gr->given)
            fprintf(out, "  %6s", fmt_months(m, sizeof m, gr, lk->growth,
                                             lk->growth_beyond,
                                             lk->growth_stopped));
        fputc('\n', out);
    }
    fprintf(out, "fleet: %s planned today",
            c->meets_today ? "every rule holds" : "a rule is broken");
    if (c->fleet_growth) {
        fprintf(out, "; every rule holds up to growth %s",
                fmt_growth(h, sizeof h, c->growth, c->growth_beyond,
                           c->growth_below, c->growth_stopped, c->growth_max));
        if (gr->given)
            fprintf(out, " (%s months)", fmt_months(m, sizeof m, gr, c->growth,
                                                    c->growth_beyond,
                                                    c->growth_stopped));
    }
    fputc('\n', out);
    if (wd->fleet)
        fprintf(out, "  first to break: %s\n", wd->fleet);
    fprintf(out, "what binds:\n");
    for (int i = 0; i < n; i++) {
        int l = order[i];
        fprintf(out, "  %s\n    minimum: %s\n", f->links[l].name,
                wd->binds[l] ? wd->binds[l] : "-");
        if (wd->growth[l])
            fprintf(out, "    growth: %s\n", wd->growth[l]);
    }
}

/* ---- CSV ---------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s)
{
    if (s)
        stg_csv_write_field(out, s);
}

static void write_csv(FILE *out, const stg_fleet *f, const stg_capacity *c,
                      const words *wd,
                      const int *order, int n, const growth_rate *gr)
{
    char m[STG_QBUF];
    fprintf(out, "link,capacity_bps,headroom_today,headroom_planned,"
                 "min_capacity_bps,method,resolution_bps,proven_below_bps,"
                 "growth,growth_limit,growth_method,months,binds,growth_binds\n");
    for (int i = 0; i < n; i++) {
        int l = order[i];
        const stg_cap_link *lk = &c->links[l];
        bool answered = lk->method == STG_CAP_BOUND ||
                        lk->method == STG_CAP_SEARCHED;
        csv_field(out, f->links[l].name);
        fprintf(out, ",%.0f,%.4f,%.4f,", lk->capacity, lk->headroom_today,
                lk->headroom_planned);
        if (answered)
            fprintf(out, "%.0f", lk->min_capacity);
        fprintf(out, ",%s,%.0f,%.0f,", method_name(lk->method),
                lk->resolution, lk->proven_below);
        if (!lk->growth_stopped && !lk->growth_below)
            fprintf(out, "%.2f", lk->growth);
        fprintf(out, ",%s,%s,",
                lk->growth_stopped ? "stopped"
                : lk->growth_beyond ? "beyond"
                : lk->growth_below ? "below" : "found",
                lk->growth_proven ? "bound" : "searched");
        if (gr->given)
            fputs(fmt_months(m, sizeof m, gr, lk->growth, lk->growth_beyond,
                             lk->growth_stopped), out);
        fputc(',', out);
        csv_field(out, wd->binds[l]);
        fputc(',', out);
        csv_field(out, wd->growth[l]);
        fputc('\n', out);
    }
}

/* ---- JSON --------------------------------------------------------------- */

/* "growth": {...} of a link or of the fleet. */
static void json_growth(FILE *out, const growth_rate *gr, double g,
                        bool beyond, bool below, bool stopped, bool proven,
                        const char *binds, const char *indent)
{
    fprintf(out, "{\n%s  \"factor\": ", indent);
    if (stopped || below)
        fputs("null", out);
    else
        fprintf(out, "%.2f", g);
    fprintf(out, ",\n%s  \"limit\": \"%s\",\n%s  \"method\": \"%s\","
            "\n%s  \"months\": ", indent,
            stopped ? "stopped" : beyond ? "beyond" : below ? "below" : "found",
            indent, proven ? "bound" : "searched", indent);
    int m = stg_capacity_months(g, beyond, gr->monthly);
    if (!gr->given || stopped || m < 0)
        fputs("null", out);
    else
        fprintf(out, "%d", m);
    fprintf(out, ",\n%s  \"binds\": ", indent);
    stg_json_write_string(out, binds);
    fprintf(out, "\n%s}", indent);
}

static void write_json(FILE *out, const stg_fleet *f, const stg_capacity *c,
                       const words *wd,
                       const int *order, int n, const growth_rate *gr,
                       const char *path, double limit)
{
    fprintf(out, "{\n  \"fleet\": ");
    stg_json_write_string(out, path);
    fprintf(out, ",\n  \"required_headroom\": %.4f,\n"
                 "  \"probe_time_limit_seconds\": %g,\n  \"growth_rate\": ",
            c->required, limit);
    if (gr->given)
        fprintf(out, "{ \"value\": %g, \"per\": \"%s\", \"monthly\": %.6f }",
                gr->value, gr->yearly ? "year" : "month", gr->monthly);
    else
        fputs("null", out);
    fprintf(out, ",\n  \"meets_today\": %s,\n  \"growth_max\": %g,\n"
                 "  \"growth\": ", c->meets_today ? "true" : "false",
            c->growth_max);
    if (c->fleet_growth)
        json_growth(out, gr, c->growth, c->growth_beyond, c->growth_below,
                    c->growth_stopped, c->growth_proven, wd->fleet, "  ");
    else
        fputs("null", out);
    fprintf(out, ",\n  \"probes\": %d,\n  \"parts\": %d,\n  \"stopped\": %s,\n"
                 "  \"links\": [", c->probes, c->nparts,
            c->stopped ? "true" : "false");
    for (int i = 0; i < n; i++) {
        int l = order[i];
        const stg_cap_link *lk = &c->links[l];
        bool answered = lk->method == STG_CAP_BOUND ||
                        lk->method == STG_CAP_SEARCHED;
        fprintf(out, "%s\n    {\n      \"name\": ", i ? "," : "");
        stg_json_write_string(out, f->links[l].name);
        fprintf(out, ",\n      \"capacity_bps\": %.0f,\n"
                     "      \"headroom_today\": %.4f,\n"
                     "      \"headroom_planned\": %.4f,\n"
                     "      \"min_capacity_bps\": ",
                lk->capacity, lk->headroom_today, lk->headroom_planned);
        if (answered)
            fprintf(out, "%.0f", lk->min_capacity);
        else
            fputs("null", out);
        fprintf(out, ",\n      \"method\": \"%s\",\n"
                     "      \"resolution_bps\": %.0f,\n"
                     "      \"proven_below_bps\": %.0f,\n"
                     "      \"range_top_bps\": %.0f,\n"
                     "      \"bound_valid\": %s,\n"
                     "      \"probes\": %d,\n      \"binds\": ",
                method_name(lk->method), lk->resolution, lk->proven_below,
                lk->top, lk->bound_valid ? "true" : "false", lk->probes);
        stg_json_write_string(out, wd->binds[l]);
        fprintf(out, ",\n      \"growth\": ");
        json_growth(out, gr, lk->growth, lk->growth_beyond, lk->growth_below,
                    lk->growth_stopped, lk->growth_proven, wd->growth[l],
                    "      ");
        fprintf(out, "\n    }");
    }
    fprintf(out, "\n  ]\n}\n");
}

int stg_cmd_capacity(const stg_args *a)
{
    stg_capacity_opts co;
    stg_capacity_opts_init(&co);
    growth_rate gr;
    memset(&gr, 0, sizeof gr);
    /* the order of the --format choices in the table */
    out_format fmt = (out_format)stg_args_choice(a, "format", FMT_TABLE);
    const char *output = stg_args_text(a, "output", "-");
    const char *link = stg_args_text(a, "link", NULL);
    const char *growth = stg_args_text(a, "growth", NULL);
    co.plan.time_limit = stg_args_duration(a, "time-limit", co.plan.time_limit);
    co.plan.seed = stg_args_seed(a, "seed", co.plan.seed);
    if (growth && parse_growth(growth, &gr))
        return stg_cli_usage_error("capacity", "--growth \"%s\" is not a growth rate; write e.g. 3%%/month or 40%%/year (above 0)", growth);
    const char *path = a->operand[0];

    char *cause = NULL;
    if (stg_cli_check_output("capacity", output))
        return STG_EXIT_INPUT;
    int status;
    stg_fleet *f = stg_cli_load_fleet(path, NULL, &status);
    if (!f)
        return status;
    if (link && (co.link = stg_fleet_link(f, link)) < 0) {
        stg_fleet_free(f);
        return stg_cli_usage_error("capacity", "--link \"%s\" is not a link of %s", link, path);
    }

    co.plan.stop = stg_cli_catch_stop();
    int tty = isatty(STDERR_FILENO);
    if (tty)
        co.progress = progress;

    stg_capacity *res = NULL;
    stg_out *out = NULL;
    int *order = NULL;
    words wd;
    memset(&wd, 0, sizeof wd);
    if (stg_capacity_run(f, &co, &res, &cause)) {
        if (tty)
            fputc('\n', stderr);
        stg_cli_error("capacity", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (tty)
        fprintf(stderr, "\r\033[K");
    order = stg_malloc(sizeof *order * (size_t)(f->nlinks + 1));
    if (!order || words_make(res, &wd)) {
        stg_cli_error("capacity", "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    int nshown = 0;
    for (int l = 0; l < f->nlinks; l++)
        if (res->links[l].analysed)
            order[nshown++] = l;
    sort_cap = res;
    qsort(order, (size_t)nshown, sizeof *order, by_planned);
    out = stg_out_open(output, &cause);
    if (!out) {
        stg_cli_error("capacity", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    FILE *fp = stg_out_file(out);
    if (fmt == FMT_TABLE)
        write_table(fp, f, res, &wd, order, nshown, &gr, path,
                    co.plan.time_limit);
    else if (fmt == FMT_CSV)
        write_csv(fp, f, res, &wd, order, nshown, &gr);
    else
        write_json(fp, f, res, &wd, order, nshown, &gr, path,
                   co.plan.time_limit);
    if (stg_out_commit(out, &cause)) {
        stg_cli_error("capacity", "%s", cause ? cause : "cannot write the output");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (res->stopped)
        fprintf(stderr, "stopped before every search ended: what is shown "
                        "was found so far\n");
    if (res->limited)
        fprintf(stderr, "%d planner run%s reached the time limit: the searched "
                        "answers are what the planner found within it\n",
                res->limited, res->limited == 1 ? "" : "s");
    fprintf(stderr, "%d planner runs and %d bound computations on %d part%s "
            "of the fleet, planned in %.2fs\n", res->probes, res->bound_checks,
            res->nparts, res->nparts == 1 ? "" : "s", res->seconds);
    status = res->meets_today ? STG_EXIT_OK : STG_EXIT_RULES;
done:
    words_free(&wd);
    stg_free(cause);
    stg_free(order);
    stg_capacity_free(res);
    stg_fleet_free(f);
    return status;
}
