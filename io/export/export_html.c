/* stagger: the html report.  See export_html.h.
 *
 * Choices made here (docs/export-pictures.md describes them for users):
 * - The tables show the schedule as written (the schedule file's values);
 *   today's headroom per link, and the charts, come from the simulated
 *   cycles.  When the file's worst-link headroom differs from the one
 *   recomputed from the fleet, the summary says so.
 * - Links are listed worst headroom first, as the charts are; groups and
 *   computers by name, as in the schedule file.
 * - Values below the required headroom, lags above a group's max_lag and
 *   broken rules are marked in red (and in words, for print).
 * - No element or entity that only HTML knows: the page is XHTML-clean
 *   (void elements closed, only &amp; &lt; &gt; &quot; and numeric
 *   references), so XML tools can read it too. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/export/export_common.h"
#include "io/export/export_html.h"
#include "io/write/advice.h"
#include "io/export/export_svg.h"
#include "model/alloc.h"
#include "model/quantity.h"

#define esc stg_xml_write_text

static const char css[] =
    ":root{color-scheme:light}\n"
    "body{margin:0;background:#f3f4f6;color:#1d2330;"
    "font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,"
    "Arial,sans-serif}\n"
    ".page{max-width:1160px;margin:0 auto;padding:20px 24px 40px}\n"
    "h1{font-size:22px;margin:0 0 2px}\n"
    "h2{font-size:17px;margin:0 0 10px}\n"
    ".sub{color:#5b6370;margin:0}\n"
    "nav{margin:10px 0 0;font-size:13px}\n"
    "nav a{color:#2c5d91;margin-right:14px;text-decoration:none}\n"
    ".card{background:#fff;border:1px solid #dde1e7;border-radius:6px;"
    "padding:16px 20px;margin:16px 0}\n"
    ".status{display:inline-block;padding:2px 10px;border-radius:12px;"
    "font-weight:600;color:#fff;background:#5b6370}\n"
    ".status.optimal{background:#23803a}.status.feasible{background:#2c5d91}"
    ".status.violates{background:#c62828}\n"
    ".kpis{display:grid;grid-template-columns:repeat(auto-fit,minmax(230px,1fr));"
    "gap:12px;margin:14px 0 6px}\n"
    ".kpi{border:1px solid #e3e6ea;border-radius:6px;padding:10px 12px}\n"
    ".kpi .k{color:#5b6370;font-size:12px;text-transform:uppercase;"
    "letter-spacing:.03em}\n"
    ".kpi .v{font-size:24px;font-weight:600;overflow-wrap:anywhere}\n"
    ".kpi .d{color:#5b6370;font-size:13px}\n"
    ".bad{color:#c62828;font-weight:600}\n"
    ".note{color:#5b6370}\n"
    ".card.warn{border-left:4px solid #c0392b}\n"
    ".chart{margin:0 0 6px;break-inside:avoid;page-break-inside:avoid}\n"
    "svg{display:block;width:100%;height:auto;max-width:1100px}\n"
    ".scroll{overflow-x:auto}\n"
    "table{border-collapse:collapse;width:100%;font-size:13px;"
    "font-variant-numeric:tabular-nums}\n"
    "th,td{padding:4px 8px;border-bottom:1px solid #e3e6ea;text-align:left;"
    "vertical-align:top}\n"
    "th{background:#f7f8fa;font-weight:600;white-space:nowrap}\n"
    "td.n,th.n{text-align:right;white-space:nowrap}\n"
    "td.name{overflow-wrap:anywhere}\n"
    "tbody tr:nth-child(even) td{background:#fafbfc}\n"
    /* a broken rule's colour wins over the stripe of even rows */
    "tr.over td,tbody tr.over:nth-child(even) td{background:#fdecec}\n"
    "@media print{\n"
    "  @page{size:A4 portrait;margin:12mm}\n"
    "  body{background:#fff;font-size:10pt}\n"
    "  .page{max-width:none;padding:0}\n"
    "  nav{display:none}\n"
    "  .card{border:0;padding:0;margin:0 0 14pt}\n"
    "  h2{break-after:avoid;page-break-after:avoid}\n"
    "  tr,.kpi{break-inside:avoid;page-break-inside:avoid}\n"
    "  thead{display:table-header-group}\n"
    "  table{font-size:8.5pt}\n"
    "  .scroll{overflow:visible}\n"
    "  *{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "}\n";

static void put_time(FILE *out, int cycle, int t)
{
    char b[STG_QBUF];
    fputs(stg_fmt_cycle_time(b, sizeof b, cycle, t), out);
}

/* A headroom, marked when below the required one. */
static void put_headroom(FILE *out, double h, double required)
{
    char b[STG_QBUF];
    if (h < required - STG_EPS)
        fprintf(out, "<span class=\"bad\">%s</span>",
                stg_fmt_pct(b, sizeof b, h));
    else
        fputs(stg_fmt_pct(b, sizeof b, h), out);
}

/* Days as a reader writes them: "daily", "weekdays", "sat, sun". */
static const char *days_text(char *buf, size_t size, unsigned days)
{
    stg_fmt_days(buf, size, days);
    size_t n = strlen(buf);
    if (n >= 2 && buf[0] == '[' && buf[n - 1] == ']') {
        memmove(buf, buf + 1, n - 2);
        buf[n - 2] = '\0';
    }
    return buf;
}

static int count_below(const stg_eval *e, double required)
{
    int n = 0;
    for (int l = 0; l < e->nlinks; l++)
        if (e->headroom[l] < required - STG_EPS)
            n++;
    return n;
}

static void put_throttle(FILE *out, int cycle, const stg_throttle *th)
{
    char b1[STG_QBUF], b2[STG_QBUF];
    if (th->kind == STG_THROTTLE_RATE) {
        fputs(stg_fmt_rate(b1, sizeof b1, th->rate), out);
        return;
    }
    if (th->kind != STG_THROTTLE_WORK) {
        fputs("none", out);
        return;
    }
    if (!th->has_hours) {
        fprintf(out, "work %s, other %s", stg_fmt_rate(b1, sizeof b1, th->work),
                stg_fmt_rate(b2, sizeof b2, th->other));
        return;
    }
    fprintf(out, "%s %s&#8211;", stg_fmt_rate(b1, sizeof b1, th->work),
            stg_fmt_clock(b2, sizeof b2, th->hours_from));
    fprintf(out, "%s %s, ", stg_fmt_clock(b1, sizeof b1, th->hours_to),
            cycle == STG_DAY ? "daily" : days_text(b2, sizeof b2, th->days));
    fprintf(out, "%s otherwise", stg_fmt_rate(b1, sizeof b1, th->other));
}

/* ---- sections ------------------------------------------------------- */

static void write_head(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *doc = in->doc;
    const stg_fleet *f = in->fleet;
    const char *fleet = in->fleet_path ? in->fleet_path : doc->fleet_file;
    char b[STG_QBUF];

    fputs("<!DOCTYPE html>\n"
          "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n"
          "<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\"/>\n"
          "<meta name=\"generator\" content=\"stagger " STG_VERSION "\"/>\n"
          "<title>Schedule report: ", out);
    esc(out, fleet);
    fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
                 "<div class=\"page\">\n<div class=\"head\">\n<h1>Schedule "
                 "report for ", css);
    esc(out, fleet);
    fputs("</h1>\n<p class=\"sub\">schedule ", out);
    esc(out, in->schedule_path ? in->schedule_path : "(unnamed)");
    fprintf(out, " &#183; %s cycle at %s slots &#183; %d link%s, %d "
                 "computer%s, %d group%s, %d transfers</p>\n",
            f->cycle == STG_WEEK ? "week" : "day",
            stg_fmt_duration(b, sizeof b, in->plan->sim->resolution),
            f->nlinks, f->nlinks == 1 ? "" : "s",
            f->ncomputers, f->ncomputers == 1 ? "" : "s",
            f->ngroups, f->ngroups == 1 ? "" : "s", in->plan->sim->ntransfers);
    fputs("<nav><a href=\"#summary\">Summary</a><a href=\"#charts\">Link "
          "charts</a><a href=\"#timeline\">Timeline</a><a href=\"#links\">"
          "Links</a><a href=\"#groups\">Groups</a><a href=\"#computers\">"
          "Computers</a>", out);
    if (doc->nviolations > 0)
        fputs("<a href=\"#violations\">Broken rules</a>", out);
    if (in->advice && in->advice->nlinks > 0)
        fputs("<a href=\"#why\">Why</a>", out);
    fputs("</nav>\n</div>\n", out);
}

static void write_summary(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *doc = in->doc;
    const stg_fleet *f = in->fleet;
    const stg_eval *te = in->today->eval, *pe = in->plan->eval;
    int cycle = f->cycle;
    double req = doc->required;
    char b1[STG_QBUF], b2[STG_QBUF];
    const char *st = stg_status_name(doc->status);

    fprintf(out, "<div class=\"card\" id=\"summary\">\n<h2>Summary</h2>\n"
                 "<p><span class=\"status %s\">%s</span> ", st, st);
    switch (doc->status) {
    case STG_STATUS_OPTIMAL:
        fputs("The worst link keeps the most headroom any schedule can give "
              "it (achieved equals the proven bound), and every rule holds.",
              out);
        break;
    case STG_STATUS_FEASIBLE:
        fputs("Every rule holds; a schedule with more headroom on the worst "
              "link has not been ruled out (achieved is below the bound).", out);
        break;
    case STG_STATUS_VIOLATES:
        fputs("No schedule meeting every rule was found; this is the best "
              "one found, and the rules it breaks are listed at the end.", out);
        break;
    }
    if (doc->stopped)
        fputs(" The run was stopped before it finished: this is the best "
              "schedule found by then.", out);
    fputs("</p>\n<div class=\"kpis\">\n", out);

    fputs("<div class=\"kpi\"><div class=\"k\">worst-link headroom</div>"
          "<div class=\"v\">", out);
    put_headroom(out, doc->achieved, req);
    fprintf(out, "</div><div class=\"d\">required %s &#183; best possible %s"
                 "</div></div>\n",
            stg_fmt_pct(b1, sizeof b1, req), stg_fmt_pct(b2, sizeof b2, doc->bound));

    fputs("<div class=\"kpi\"><div class=\"k\">where and when</div>"
          "<div class=\"v\">", out);
    if (doc->link) {
        esc(out, doc->link);
        fputs("</div><div class=\"d\">at ", out);
        put_time(out, cycle, doc->at);
    } else {
        fputs("&#8211;</div><div class=\"d\">no link", out);
    }
    fputs("</div></div>\n", out);

    fputs("<div class=\"kpi\"><div class=\"k\">today&#39;s settings</div>"
          "<div class=\"v\">", out);
    put_headroom(out, te->achieved, req);
    fputs("</div><div class=\"d\">", out);
    if (te->worst_link >= 0) {
        esc(out, f->links[te->worst_link].name);
        fputs(" at ", out);
        put_time(out, cycle, te->worst_slot * in->today->sim->resolution);
    }
    fputs("</div></div>\n", out);

    fprintf(out, "<div class=\"kpi\"><div class=\"k\">solved in</div>"
                 "<div class=\"v\">%.2fs</div><div class=\"d\">", doc->seconds);
    esc(out, doc->method ? doc->method : "method not recorded");
    fputs("</div></div>\n</div>\n", out);

    /* today against the plan, in words */
    int tb = count_below(te, req), pb = count_below(pe, req);
    fputs("<p>With today&#39;s settings the worst link keeps ", out);
    put_headroom(out, te->achieved, req);
    fprintf(out, " headroom, and %d of %d link%s %s below the %s limit. "
                 "The plan&#39;s worst link keeps ",
            tb, f->nlinks, f->nlinks == 1 ? "" : "s", tb == 1 ? "goes" : "go",
            stg_fmt_pct(b1, sizeof b1, req));
    put_headroom(out, doc->achieved, req);
    double gain = (doc->achieved - te->achieved) * 100;
    if (fabs(gain) >= 0.05)
        fprintf(out, " (%s%.1f points)", gain > 0 ? "+" : "&#8722;", fabs(gain));
    if (pb == 0)
        fputs(", and no link goes below the limit.", out);
    else
        fprintf(out, ", and %d link%s %s below the limit.", pb,
                pb == 1 ? "" : "s", pb == 1 ? "goes" : "go");
    if (doc->nviolations == 0)
        fputs(" Every rule holds.", out);
    else
        fprintf(out, " <span class=\"bad\">%d rule%s broken.</span>",
                doc->nviolations, doc->nviolations == 1 ? " is" : "s are");
    fputs("</p>\n", out);
    if (fabs(doc->achieved - pe->achieved) > 0.0005) {
        fputs("<p class=\"note\">Recomputed from the fleet file, the plan&#39;s "
              "worst-link headroom is ", out);
        put_headroom(out, pe->achieved, req);
        fputs(", not what the schedule file says: the fleet or the schedule "
              "was changed since planning.</p>\n", out);
    }
    fputs("</div>\n", out);
}

static int write_charts(FILE *out, const stg_export_input *in,
                        const stg_svg_layout *lay, char **cause)
{
    char b1[STG_QBUF], b2[STG_QBUF];
    fprintf(out, "<div class=\"card\" id=\"charts\">\n<h2>Link utilization "
                 "over the %s</h2>\n<p class=\"note\">Per link, worst headroom "
                 "first: the share of its capacity in use (backups and "
                 "background traffic) with the plan (blue area) and with "
                 "today&#39;s settings (orange line). The dashed red line is "
                 "the limit, %s used (%s headroom required); the circle marks "
                 "the plan&#39;s lowest headroom.",
            in->fleet->cycle == STG_WEEK ? "week" : "day",
            stg_fmt_pct(b1, sizeof b1, 1 - in->doc->required),
            stg_fmt_pct(b2, sizeof b2, in->doc->required));
    if (lay->links_left > 0)
        fprintf(out, " The %d links with the least headroom are drawn; %d "
                     "more are in the table below.", lay->nlinks,
                lay->links_left);
    if (in->failures)
        fprintf(out, " The pink marks are the %d failed job%s of the job "
                     "history, each at its end in the cycle, on the links of "
                     "its computer (hover for when, which computer and the "
                     "error ID); stagger diagnose says whether today&#39;s "
                     "load explains them.", in->failures->nfailures,
                in->failures->nfailures == 1 ? "" : "s");
    fputs("</p>\n", out);
    for (int i = 0; i < lay->nlinks; i++) {
        fputs("<div class=\"chart\">\n", out);
        stg_svg_write_link_chart(out, in, lay->links[i], 0);
        fputs("</div>\n", out);
    }
    fputs("</div>\n<div class=\"card\" id=\"timeline\">\n<h2>Transfers of the "
          "plan</h2>\n<p class=\"note\">One row per group; each bar is a "
          "transfer from its start to its end (bars that touch are drawn as "
          "one; hover for times), wrapping at the end of the cycle.</p>\n"
          "<div class=\"chart\">\n", out);
    if (stg_svg_write_timeline(out, in, lay, 0, cause))
        return -1;
    fputs("</div>\n</div>\n", out);
    return 0;
}

/* Worst first, as the charts: lower headroom (within STG_EPS equal),
 * then earlier, then by name. */
typedef struct {
    double h;
    int at;
    const char *name;
    int i;
} link_row;

static int by_headroom(const void *a, const void *b)
{
    const link_row *x = a, *y = b;
    if (x->h < y->h - STG_EPS)
        return -1;
    if (x->h > y->h + STG_EPS)
        return 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int write_links(FILE *out, const stg_export_input *in, char **cause)
{
    const stg_schedule_doc *doc = in->doc;
    const stg_fleet *f = in->fleet;
    const stg_eval *te = in->today->eval;
    double req = doc->required;
    char b[STG_QBUF];
    link_row *rows = NULL;

    if (doc->nlinks > 0 &&
        !(rows = stg_calloc((size_t)doc->nlinks, sizeof *rows)))
        return stg_export_oom(cause);
    /* ordered by the recomputed values, so that the rows come in the
     * order of the charts */
    for (int i = 0; i < doc->nlinks; i++) {
        int l = stg_fleet_link(f, doc->links[i].name);
        const stg_eval *pe = in->plan->eval;
        rows[i] = l >= 0 ? (link_row){ pe->headroom[l], pe->at[l],
                                       doc->links[i].name, i }
                         : (link_row){ doc->links[i].headroom,
                                       doc->links[i].at / in->plan->sim->resolution,
                                       doc->links[i].name, i };
    }
    if (doc->nlinks > 0)
        qsort(rows, (size_t)doc->nlinks, sizeof *rows, by_headroom);

    fputs("<div class=\"card\" id=\"links\">\n<h2>Links</h2>\n<div "
          "class=\"scroll\"><table>\n<thead><tr><th>link</th><th class=\"n\">"
          "capacity</th><th class=\"n\">peak</th><th class=\"n\">headroom"
          "</th><th>at</th><th class=\"n\">best possible</th><th class=\"n\">"
          "today&#39;s headroom</th><th>today at</th></tr></thead>\n<tbody>\n",
          out);
    for (int k = 0; k < doc->nlinks; k++) {
        const stg_sdoc_link *lk = &doc->links[rows[k].i];
        int l = stg_fleet_link(f, lk->name);
        fprintf(out, "<tr%s><td class=\"name\">",
                lk->headroom < req - STG_EPS ? " class=\"over\"" : "");
        esc(out, lk->name);
        fprintf(out, "</td><td class=\"n\">%s</td>",
                stg_fmt_rate(b, sizeof b, lk->capacity));
        fprintf(out, "<td class=\"n\">%s</td><td class=\"n\">",
                stg_fmt_pct(b, sizeof b, lk->peak));
        put_headroom(out, lk->headroom, req);
        fputs("</td><td>", out);
        put_time(out, f->cycle, lk->at);
        fprintf(out, "</td><td class=\"n\">%s</td><td class=\"n\">",
                stg_fmt_pct(b, sizeof b, lk->bound));
        if (l >= 0) {
            put_headroom(out, te->headroom[l], req);
            fputs("</td><td>", out);
            put_time(out, f->cycle, te->at[l] * in->today->sim->resolution);
        } else {
            fputs("&#8211;</td><td>not in the fleet", out);
        }
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n</div>\n", out);
    stg_free(rows);
    return 0;
}

/* In a week cycle, the days on which group g's checks start in the
 * plan (a check that starts after midnight runs on the next day of its
 * window's); 0 in a day cycle. */
static unsigned check_days(const stg_export_input *in, int g)
{
    const stg_sim *sim = in->plan->sim;
    unsigned days = 0;
    if (sim->cycle != STG_WEEK)
        return 0;
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        if (t->group == g && t->kind == STG_JOB_CC)
            days |= 1u << (t->release % STG_WEEK / STG_DAY);
    }
    return days;
}

static void write_groups(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *doc = in->doc;
    const stg_fleet *f = in->fleet;
    char b1[STG_QBUF], b2[STG_QBUF];

    fputs("<div class=\"card\" id=\"groups\">\n<h2>Groups</h2>\n<div "
          "class=\"scroll\"><table>\n<thead><tr><th>group</th><th>sync</th>"
          "<th>express full</th><th>consistency check</th><th class=\"n\">"
          "lag</th></tr></thead>\n<tbody>\n", out);
    for (int i = 0; i < doc->ngroups; i++) {
        const stg_sdoc_group *g = &doc->groups[i];
        int fg = stg_fleet_group(f, g->name);
        int max_lag = fg >= 0 ? f->groups[fg].max_lag : 0;
        bool late = max_lag > 0 && g->lag > max_lag;
        fprintf(out, "<tr%s><td class=\"name\">", late ? " class=\"over\"" : "");
        esc(out, g->name);
        fputs("</td><td>", out);
        if (g->before_rp)
            fputs("before each recovery point", out);
        else
            fprintf(out, "every %s, offset %s",
                    stg_fmt_duration(b1, sizeof b1, g->every),
                    stg_fmt_duration(b2, sizeof b2, g->offset));
        fputs("</td><td>", out);
        for (int k = 0; k < g->nef; k++)
            fprintf(out, "%s%s %s", k ? "<br/>" : "",
                    stg_fmt_clock(b1, sizeof b1, g->ef_at[k]),
                    days_text(b2, sizeof b2, g->ef_days[k]));
        if (g->nef == 0)
            fputs("&#8211;", out);
        fputs("</td><td>", out);
        if (g->cc_start >= 0) {
            fputs(stg_fmt_clock(b1, sizeof b1, g->cc_start), out);
            unsigned days = fg >= 0 ? check_days(in, fg) : 0;
            if (days)
                fprintf(out, " %s", days_text(b1, sizeof b1, days));
            fprintf(out, ", up to %dh", g->cc_hours);
        } else
            fputs("&#8211;", out);
        fputs("</td><td class=\"n\">", out);
        if (g->lag >= 0) {
            if (late)
                fprintf(out, "<span class=\"bad\">%s</span>",
                        stg_fmt_duration(b1, sizeof b1, g->lag));
            else
                fputs(stg_fmt_duration(b1, sizeof b1, g->lag), out);
        } else {
            fputs("&#8211;", out);
        }
        if (max_lag > 0)
            fprintf(out, " (max %s)", stg_fmt_duration(b1, sizeof b1, max_lag));
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table></div>\n</div>\n", out);
}

static void write_computers(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *doc = in->doc;
    char b[STG_QBUF];

    fputs("<div class=\"card\" id=\"computers\">\n<h2>Computers</h2>\n<div "
          "class=\"scroll\"><table>\n<thead><tr><th>computer</th><th>throttle"
          "</th><th>recommended</th><th class=\"n\">busy</th></tr></thead>\n"
          "<tbody>\n", out);
    for (int i = 0; i < doc->ncomputers; i++) {
        const stg_sdoc_computer *c = &doc->computers[i];
        fputs("<tr><td class=\"name\">", out);
        esc(out, c->name);
        fputs("</td><td>", out);
        put_throttle(out, in->fleet->cycle, &c->throttle);
        fprintf(out, "</td><td>%s</td><td class=\"n\">%s</td></tr>\n",
                c->recommended ? "yes, by the plan" : "no, as set today",
                stg_fmt_pct(b, sizeof b, c->busy));
    }
    fputs("</tbody></table></div>\n</div>\n", out);
}

static void write_violations(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *doc = in->doc;
    char b[STG_QBUF];
    if (doc->nviolations == 0)
        return;
    fputs("<div class=\"card\" id=\"violations\">\n<h2>Broken rules</h2>\n"
          "<div class=\"scroll\"><table>\n<thead><tr><th>rule</th><th>where"
          "</th><th>when</th><th class=\"n\">by</th></tr></thead>\n<tbody>\n",
          out);
    for (int i = 0; i < doc->nviolations; i++) {
        const stg_sdoc_violation *v = &doc->violations[i];
        const char *rule = v->kind == STG_VIOL_HEADROOM ? "headroom below the limit"
                         : v->kind == STG_VIOL_LAG ? "lag above max_lag"
                         : v->kind == STG_VIOL_CC_WINDOW
                             ? "consistency check past its window"
                             : "computer never catches up";
        fprintf(out, "<tr class=\"over\"><td>%s</td><td class=\"name\">", rule);
        esc(out, v->name);
        fputs("</td><td>", out);
        if (v->kind == STG_VIOL_HEADROOM) {
            put_time(out, in->fleet->cycle, v->from);
            fputs("&#8211;", out);
            put_time(out, in->fleet->cycle, v->to);
            fprintf(out, "</td><td class=\"n\">%s</td></tr>\n",
                    stg_fmt_pct(b, sizeof b, v->amount));
        } else if (v->kind == STG_VIOL_BACKLOG) {
            fputs("&#8211;</td><td class=\"n\">&#8211;</td></tr>\n", out);
        } else {
            fprintf(out, "&#8211;</td><td class=\"n\">%s</td></tr>\n",
                    stg_fmt_duration(b, sizeof b, (int)lround(v->amount)));
        }
    }
    fputs("</tbody></table></div>\n</div>\n", out);
}

/* The reasons of the links below the limit (io/write/advice.h), when given. */
static void write_why(FILE *out, const stg_export_input *in)
{
    const stg_advice *a = in->advice;
    char buf[2000];
    if (!a || a->nlinks == 0)
        return;
    fputs("<div class=\"card\" id=\"why\">\n<h2>Why links are below the "
          "limit</h2>\n", out);
    for (int i = 0; i < a->nlinks; i++) {
        const stg_link *lk = &in->fleet->links[a->links[i].link];
        fputs("<h3>", out);
        esc(out, lk->name);
        fputs("</h3>\n<ul>\n", out);
        for (int k = 0; k < a->links[i].nwhy; k++) {
            stg_why_text(in->fleet, lk, &a->links[i].why[k], buf, sizeof buf);
            fputs("<li>", out);
            esc(out, buf);
            fputs("</li>\n", out);
        }
        fputs("</ul>\n", out);
    }
    if (a->more > 0)
        fprintf(out, "<p>And %d more link%s below the limit.</p>\n", a->more,
                a->more == 1 ? "" : "s");
    fputs("<p class=\"note\"><code>stagger advise</code> on the fleet finds the "
          "changes that meet the limit.</p>\n</div>\n", out);
}

static void warning_item(FILE *out, int *n, const char *text)
{
    if ((*n)++ == 0)
        fputs("<div class=\"card warn\" id=\"warnings\">\n"
              "<h2>Warnings</h2>\n<ul>\n", out);
    fputs("<li>", out);
    esc(out, text);
    fputs("</li>\n", out);
}

/* Recommended throttles that break the limit by themselves, lags many
 * times their sync period and servers whose queues alternate between two
 * cycles (io/write/advice.h), when the fleet is given. */
static void write_warnings(FILE *out, const stg_export_input *in)
{
    char buf[1200];
    int n = 0;
    if (!in->fleet || !in->plan)
        return;
    for (int c = 0; c < in->fleet->ncomputers; c++)
        if (stg_throttle_warning(in->fleet, in->plan->settings, c, buf,
                                 sizeof buf))
            warning_item(out, &n, buf);
    for (int g = 0; g < in->fleet->ngroups; g++)
        if (stg_lag_warning(in->fleet, in->plan, g, buf, sizeof buf))
            warning_item(out, &n, buf);
    for (int sv = 0; sv < in->fleet->nservers; sv++)
        if (stg_alternate_warning(in->fleet, in->plan, sv, buf, sizeof buf))
            warning_item(out, &n, buf);
    if (n)
        fputs("</ul>\n</div>\n", out);
}

int stg_export_html(FILE *out, const stg_export_input *in, char **cause)
{
    stg_svg_layout lay;
    const char *why;
    int rc = -1;

    if (cause)
        *cause = NULL;
    if ((why = stg_svg_input_problem(in))) {
        if (cause)
            *cause = stg_asprintf("cannot write the report: %s", why);
        return -1;
    }
    if (stg_svg_layout_make(in, &lay, cause))
        return -1;
    write_head(out, in);
    write_summary(out, in);
    if (write_charts(out, in, &lay, cause) || write_links(out, in, cause))
        goto out;
    write_groups(out, in);
    write_computers(out, in);
    write_violations(out, in);
    write_warnings(out, in);
    write_why(out, in);
    fputs("<p class=\"note\">Written by stagger " STG_VERSION " from the "
          "schedule file and the fleet file; the page needs nothing else.</p>\n"
          "</div>\n</body>\n</html>\n", out);
    rc = stg_export_finish(out, cause);
out:
    stg_svg_layout_free(&lay);
    return rc;
}
