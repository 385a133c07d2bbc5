/* stagger: the svg export.  See export_svg.h.
 *
 * Choices made here (docs/export-pictures.md describes them for users):
 * - Colors: the plan is a filled blue area, today's settings an orange
 *   line, the headroom limit a dashed red line; transfers are blue
 *   (sync), purple (express full) and green (consistency check).
 * - A series is drawn as steps, one per slot run of equal load; changes
 *   smaller than the drawing resolution (0.1 unit) are merged.
 * - Timeline bars of one kind in one row that overlap, or lie closer
 *   than one unit (about 98s in a day cycle), are merged into one bar
 *   whose tooltip says how many transfers it holds; a bar is at least
 *   one unit wide so that one-minute transfers stay visible.
 * - Presentation attributes instead of a style sheet, so the same
 *   elements render alike standalone and inline in the html report. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/export/export_svg.h"
#include "io/export/export_common.h"
#include "io/write/diagnose_text.h"
#include "model/alloc.h"
#include "model/quantity.h"

#define W STG_SVG_WIDTH
#define L STG_SVG_LEFT
#define PW (STG_SVG_WIDTH - STG_SVG_LEFT - STG_SVG_RIGHT)
#define PT STG_SVG_PLOT_TOP
#define PH STG_SVG_PLOT_HEIGHT

#define C_PLAN "#3a6ea5"
#define C_TODAY "#e07b20"
#define C_LIMIT "#c62828"
#define C_GRID "#e1e4e8"
#define C_AXIS "#8a9099"
#define C_TEXT "#1d2330"
#define C_MUTED "#5b6370"
#define C_SYNC "#4e79a7"
#define C_EF "#8e5ac8"
#define C_CC "#3f9a4a"
#define C_FAIL "#d81b60"

/* Timeline rows. */
#define TL_TOP 42               /* first row */
#define TL_ROW 16
#define TL_BAR 10

static const char *const day_names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};

/* ---- text ----------------------------------------------------------- */

/* Length of the UTF-8 sequence at p when it encodes a character XML 1.0
 * allows and HTML does not call a control character, else 0. */
static int good_char(const unsigned char *p)
{
    unsigned long cp;
    int n = stg_utf8_decode(p, &cp);
    if (!n)
        return 0;
    if (cp < 0x20)
        return cp == '\t' || cp == '\n' || cp == '\r' ? n : 0;
    if ((cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
        return 0;
    return n;
}

/* Writes s escaped; at most max characters (0: all), the rest replaced
 * by an ellipsis.  Returns true when it cut s short. */
static bool write_text(FILE *out, const char *s, int max)
{
    if (!s)
        return false;
    const unsigned char *p = (const unsigned char *)s;
    int chars = 0;
    while (*p) {
        if (max > 0 && chars == max - 1) {
            /* room for one more: the last character, or the ellipsis */
            int n = good_char(p);
            if (!p[n ? n : 1]) {
                max = 0;
            } else {
                fputs("\xe2\x80\xa6", out);
                return true;
            }
        }
        int n = good_char(p);
        chars++;
        if (!n) {
            fputs("\xef\xbf\xbd", out);
            p++;
            continue;
        }
        switch (*p) {
        case '&': fputs("&amp;", out); break;
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        case '\t': fputs("&#9;", out); break;
        case '\n': fputs("&#10;", out); break;
        case '\r': fputs("&#13;", out); break;
        default: fwrite(p, 1, (size_t)n, out); break;
        }
        p += n;
    }
    return false;
}

void stg_xml_write_text(FILE *out, const char *s)
{
    write_text(out, s, 0);
}

/* <text ...>s</text>, cut to max characters with the whole text as its
 * tooltip when cut.  attrs is written inside the start tag. */
static void text_clipped(FILE *out, const char *attrs, const char *s, int max)
{
    fprintf(out, "<text %s>", attrs);
    if (write_text(out, s, max)) {
        fputs("<title>", out);
        write_text(out, s, 0);
        fputs("</title>", out);
    }
    fputs("</text>\n", out);
}

/* ---- input ---------------------------------------------------------- */

static const char *sched_problem(const stg_fleet *f, const stg_schedule *sc)
{
    if (!sc->sim || !sc->eval || !sc->sim->load)
        return "a schedule has not been simulated";
    const stg_sim *sim = sc->sim;
    if (sim->nlinks != f->nlinks || sim->ngroups != f->ngroups ||
        sim->ncomputers != f->ncomputers || sim->cycle != f->cycle ||
        sim->nslots <= 0 || sim->resolution <= 0 ||
        (long)sim->nslots * sim->resolution != sim->cycle ||
        sc->eval->nlinks != f->nlinks)
        return "a simulated cycle does not match the fleet";
    return NULL;
}

const char *stg_svg_input_problem(const stg_export_input *in)
{
    if (!in || !in->doc)
        return "no schedule was given";
    if (!in->fleet)
        return "the fleet file is needed (links, capacities and loads "
               "come from it)";
    if (!in->plan || !in->today)
        return "the simulated cycles of the plan and of today's settings "
               "are needed";
    if (in->fleet->cycle != STG_DAY && in->fleet->cycle != STG_WEEK)
        return "the fleet's cycle is neither a day nor a week";
    const char *why = sched_problem(in->fleet, in->plan);
    if (!why)
        why = sched_problem(in->fleet, in->today);
    if (!why && in->plan->sim->nslots != in->today->sim->nslots)
        why = "the two simulated cycles differ";
    return why;
}

/* ---- layout --------------------------------------------------------- */

/* Ordered as model/eval.h picks the worst link: the lower key (values
 * within STG_EPS are equal), then the earlier time, then by name. */
typedef struct {
    double key;
    int at;
    const char *name;
    int index;
} ranked;

static int by_key_name(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->key < y->key - STG_EPS)
        return -1;
    if (x->key > y->key + STG_EPS)
        return 1;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->index > y->index) - (x->index < y->index);
}

int stg_svg_layout_make(const stg_export_input *in, stg_svg_layout *lay,
                        char **cause)
{
    const stg_fleet *f = in->fleet;
    const double *head = in->plan->eval->headroom;
    ranked *r = NULL;
    int rc = -1;
    memset(lay, 0, sizeof *lay);

    int n = f->nlinks > f->ngroups ? f->nlinks : f->ngroups;
    if (n > 0 && !(r = stg_calloc((size_t)n, sizeof *r)))
        goto out;

    /* links: worst first */
    for (int l = 0; l < f->nlinks; l++)
        r[l] = (ranked){ head[l], in->plan->eval->at[l], f->links[l].name, l };
    if (f->nlinks > 0)
        qsort(r, (size_t)f->nlinks, sizeof *r, by_key_name);
    lay->nlinks = f->nlinks < STG_SVG_MAX_LINKS ? f->nlinks : STG_SVG_MAX_LINKS;
    lay->links_left = f->nlinks - lay->nlinks;
    if (lay->nlinks > 0 &&
        !(lay->links = stg_calloc((size_t)lay->nlinks, sizeof *lay->links)))
        goto out;
    for (int i = 0; i < lay->nlinks; i++)
        lay->links[i] = r[i].index;

    /* groups: when there are too many, those whose worst link has the
     * least headroom; drawn by name */
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        double worst = 2;
        for (int i = 0; i < gr->nsources; i++) {
            int src = gr->sources[i];
            if (src < 0 || src >= f->nsources)
                continue;
            int c = f->sources[src].computer;
            if (c < 0 || c >= f->ncomputers)
                continue;
            for (int k = 0; k < f->computers[c].nfull_path; k++) {
                int l = f->computers[c].full_path[k];
                if (l >= 0 && l < f->nlinks && head[l] < worst)
                    worst = head[l];
            }
        }
        r[g] = (ranked){ f->ngroups > STG_SVG_MAX_GROUPS ? worst : 0, 0,
                         gr->name, g };
    }
    if (f->ngroups > 0)
        qsort(r, (size_t)f->ngroups, sizeof *r, by_key_name);
    lay->ngroups = f->ngroups < STG_SVG_MAX_GROUPS ? f->ngroups
                                                   : STG_SVG_MAX_GROUPS;
    lay->groups_left = f->ngroups - lay->ngroups;
    for (int i = 0; i < lay->ngroups; i++)
        r[i].key = 0;
    if (lay->ngroups > 0) {
        qsort(r, (size_t)lay->ngroups, sizeof *r, by_key_name);
        if (!(lay->groups = stg_calloc((size_t)lay->ngroups,
                                       sizeof *lay->groups)))
            goto out;
    }
    for (int i = 0; i < lay->ngroups; i++)
        lay->groups[i] = r[i].index;
    rc = 0;
out:
    stg_free(r);
    if (rc) {
        stg_svg_layout_free(lay);
        stg_export_oom(cause);
    }
    return rc;
}

void stg_svg_layout_free(stg_svg_layout *lay)
{
    if (!lay)
        return;
    stg_free(lay->links);
    stg_free(lay->groups);
    memset(lay, 0, sizeof *lay);
}

/* ---- coordinates ---------------------------------------------------- */

static double xpos(int cycle, double t)
{
    return L + (double)PW * t / cycle;
}

static double util(const stg_fleet *f, const stg_sim *sim, int l, int s)
{
    double cap = f->links[l].capacity;
    return cap > 0 ? stg_sim_load(sim, l, s) / cap : 0;
}

double stg_svg_chart_ymax(const stg_export_input *in, int l)
{
    double peak = 0;
    const stg_sim *sims[2] = { in->plan->sim, in->today->sim };
    for (int k = 0; k < 2; k++)
        for (int s = 0; s < sims[k]->nslots; s++) {
            double u = util(in->fleet, sims[k], l, s);
            if (u > peak)
                peak = u;
        }
    if (peak <= 1 + 1e-9)
        return 1;
    return ceil(peak * 10 - 1e-6) / 10;
}

double stg_svg_chart_y(double ymax, double u)
{
    if (u < 0)
        u = 0;
    if (u > ymax)
        u = ymax;
    return PT + PH * (1 - u / ymax);
}

/* Tenths of a unit, as the path data writes them. */
static long tenths(double v)
{
    return lround(v * 10);
}

static void put_tenths(FILE *out, long v)
{
    if (v < 0) {
        fputc('-', out);
        v = -v;
    }
    if (v % 10)
        fprintf(out, "%ld.%ld", v / 10, v % 10);
    else
        fprintf(out, "%ld", v / 10);
}

/* ---- axes ----------------------------------------------------------- */

/* Vertical grid lines from y0 to y1: every 3 hours in a day cycle,
 * every 12 hours in a week (days darker). */
static void time_grid(FILE *out, int cycle, double y0, double y1)
{
    int step = cycle == STG_WEEK ? 12 : 3, hours = cycle / 3600;
    fputs("<path fill=\"none\" stroke=\"" C_GRID "\" d=\"", out);
    for (int h = step; h < hours; h += step) {
        if (cycle == STG_WEEK && h % 24 == 0)
            continue;
        fprintf(out, "M%.1f %.1fV%.1f", xpos(cycle, h * 3600.0), y0, y1);
    }
    fputs("\"/>\n", out);
    if (cycle == STG_WEEK) {
        fputs("<path fill=\"none\" stroke=\"" C_AXIS "\" stroke-opacity=\"0.6\" d=\"", out);
        for (int d = 1; d < 7; d++)
            fprintf(out, "M%.1f %.1fV%.1f", xpos(cycle, d * 86400.0), y0, y1);
        fputs("\"/>\n", out);
    }
}

/* Hour ticks on a horizontal axis at y, pointing down (dir 1) or up
 * (dir -1), and the labels at label_y: hours every 3 hours in a day
 * cycle, day names in a week. */
static void time_axis(FILE *out, int cycle, double y, int dir, double label_y)
{
    int hours = cycle / 3600;
    fputs("<path fill=\"none\" stroke=\"" C_AXIS "\" d=\"", out);
    for (int h = 0; h <= hours; h++) {
        int len = cycle == STG_WEEK ? (h % 24 == 0 ? 7 : h % 12 == 0 ? 4 : 2)
                                    : (h % 3 == 0 ? 5 : 3);
        fprintf(out, "M%.1f %.1fv%d", xpos(cycle, h * 3600.0), y, dir * len);
    }
    fputs("\"/>\n", out);
    fprintf(out, "<g font-size=\"10\" fill=\"" C_MUTED "\" text-anchor=\"middle\">");
    if (cycle == STG_WEEK) {
        for (int d = 0; d < 7; d++)
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%s</text>",
                    xpos(cycle, d * 86400.0 + 43200), label_y, day_names[d]);
    } else {
        for (int h = 0; h < 24; h += 3)
            fprintf(out, "<text x=\"%.1f\" y=\"%.1f\">%02d:00</text>",
                    xpos(cycle, h * 3600.0), label_y, h);
    }
    fputs("</g>\n", out);
}

/* ---- link chart ----------------------------------------------------- */

/* One series of link l as steps: an area down to 0 (area) or a line. */
static void series_path(FILE *out, const stg_fleet *f, const stg_sim *sim,
                        int l, double ymax, bool area)
{
    int cycle = sim->cycle, n = sim->nslots;
    long bottom = tenths(PT + PH);
    long x = tenths(xpos(cycle, 0));
    long y = tenths(stg_svg_chart_y(ymax, util(f, sim, l, 0)));
    fprintf(out, "<path class=\"%s\" d=\"M", area ? "plan" : "today");
    put_tenths(out, x);
    fputc(' ', out);
    put_tenths(out, area ? bottom : y);
    if (area) {
        fputc('V', out);
        put_tenths(out, y);
    }
    long lastx = x;
    for (int s = 1; s < n; s++) {
        long ny = tenths(stg_svg_chart_y(ymax, util(f, sim, l, s)));
        if (ny == y)
            continue;
        long nx = tenths(xpos(cycle, (double)s * sim->resolution));
        if (nx != lastx) {
            fputc('H', out);
            put_tenths(out, nx);
            lastx = nx;
        }
        fputc('V', out);
        put_tenths(out, ny);
        y = ny;
    }
    fputc('H', out);
    put_tenths(out, tenths(xpos(cycle, cycle)));
    if (area) {
        fputc('V', out);
        put_tenths(out, bottom);
        fputs("Z\" fill=\"" C_PLAN "\" fill-opacity=\"0.45\" stroke=\"" C_PLAN
              "\" stroke-width=\"1\" stroke-linejoin=\"round\"/>\n", out);
    } else {
        fputs("\" fill=\"none\" stroke=\"" C_TODAY "\" stroke-width=\"1.3\" "
              "stroke-linejoin=\"round\"/>\n", out);
    }
}

/* "23.4% at mon 20:05" */
static void put_headroom(FILE *out, const stg_schedule *sc, int l,
                         double required)
{
    char b1[STG_QBUF], b2[STG_QBUF];
    int slot = sc->eval->at[l];
    double h = sc->eval->headroom[l];
    fprintf(out, "<tspan font-weight=\"bold\"%s>%s</tspan> at %s",
            h < required - STG_EPS ? " fill=\"" C_LIMIT "\"" : "",
            stg_fmt_pct(b1, sizeof b1, h),
            stg_fmt_cycle_time(b2, sizeof b2, sc->sim->cycle,
                               slot * sc->sim->resolution));
}

/* Most failures a mark's tooltip names; it counts the others. */
#define MARK_NAMES 6

/* One mark per slot in which failed jobs of computers crossing link l
 * ended (in->failures): a line across the plot under a small triangle,
 * its tooltip the time, computer and error ID of each. */
static void failure_marks(FILE *out, const stg_export_input *in, int l)
{
    const stg_diagnosis *d = in->failures;
    const stg_fleet *f = in->fleet;
    char b1[STG_QBUF], b2[STG_QBUF];
    bool open = false;
    for (int i = 0; i < d->nfailures;) {
        int slot = d->failures[i].t / d->resolution, n = 0, j = i;
        for (; j < d->nfailures && d->failures[j].t / d->resolution == slot; j++)
            n += stg_computer_crosses(&f->computers[d->failures[j].computer], l);
        if (!n) {
            i = j;
            continue;
        }
        if (!open)
            fputs("<g class=\"failures\">\n", out);
        open = true;
        double x = xpos(f->cycle, (slot + 0.5) * d->resolution);
        fprintf(out, "<path class=\"failure\" d=\"M%.1f %dV%dM%.1f %dh7l-3.5 6z\" "
                     "stroke=\"" C_FAIL "\" fill=\"" C_FAIL "\" "
                     "stroke-width=\"1.2\" stroke-opacity=\"0.6\"><title>", x,
                PT + 6, PT + PH, x - 3.5, PT);
        fprintf(out, "%d failed job%s at %s", n, n == 1 ? "" : "s",
                stg_fmt_cycle_time(b1, sizeof b1, f->cycle,
                                   slot * d->resolution));
        for (int k = i, shown = 0; k < j; k++) {
            const stg_failure *fl = &d->failures[k];
            const stg_computer *cp = &f->computers[fl->computer];
            if (!stg_computer_crosses(cp, l))
                continue;
            if (shown++ == MARK_NAMES) {
                fprintf(out, "&#10;and %d more", n - MARK_NAMES);
                break;
            }
            fprintf(out, "&#10;%s ", stg_fmt_datetime(b2, sizeof b2, fl->when,
                                                      ' '));
            write_text(out, cp->name, 0);
            if (fl->error_id)
                fprintf(out, ", ID %d", fl->error_id);
            else
                fputs(", no error ID", out);
        }
        fputs("</title></path>\n", out);
        i = j;
    }
    if (open)
        fputs("</g>\n", out);
}

void stg_svg_write_link_chart(FILE *out, const stg_export_input *in, int l,
                              double y)
{
    const stg_fleet *f = in->fleet;
    const stg_schedule *plan = in->plan, *today = in->today;
    const stg_link *link = &f->links[l];
    int cycle = f->cycle, res = plan->sim->resolution;
    double req = in->doc->required, ymax = stg_svg_chart_ymax(in, l);
    double bottom = PT + PH;
    char b1[STG_QBUF], b2[STG_QBUF];

    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"link-chart\" "
                 "x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
                 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
                 "font-size=\"11\" fill=\"" C_TEXT "\">\n",
            y, W, STG_SVG_CHART_HEIGHT, W, STG_SVG_CHART_HEIGHT);
    fputs("<title>", out);
    write_text(out, link->name, 0);
    fputs(": utilization over the cycle, the plan against today&#39;s "
          "settings</title>\n", out);

    /* legend, above the plot */
    fprintf(out, "<g font-size=\"10\" fill=\"" C_MUTED "\">"
                 "<rect x=\"%d\" y=\"6\" width=\"14\" height=\"9\" fill=\"" C_PLAN
                 "\" fill-opacity=\"0.35\" stroke=\"" C_PLAN "\"/>"
                 "<text x=\"%d\" y=\"14\">plan</text>"
                 "<path d=\"M%d 10.5h14\" stroke=\"" C_TODAY "\" stroke-width=\"1.6\"/>"
                 "<text x=\"%d\" y=\"14\">today&#39;s settings</text>"
                 "<path d=\"M%d 10.5h18\" stroke=\"" C_LIMIT "\" stroke-width=\"1.5\" "
                 "stroke-dasharray=\"5 3\"/>"
                 "<text x=\"%d\" y=\"14\">headroom limit</text>"
                 "<circle cx=\"%d\" cy=\"10.5\" r=\"3.5\" fill=\"#fff\" stroke=\""
                 C_TEXT "\" stroke-width=\"1.5\"/>"
                 "<text x=\"%d\" y=\"14\">lowest headroom of the plan</text></g>\n",
            L, L + 18, L + 60, L + 78, L + 190, L + 212, L + 310, L + 318);
    if (in->failures)
        fprintf(out, "<g font-size=\"10\" fill=\"" C_MUTED "\">"
                     "<path d=\"M%d 8h7l-3.5 6zM%.1f 14v4\" stroke=\"" C_FAIL
                     "\" fill=\"" C_FAIL "\" stroke-width=\"1.2\"/>"
                     "<text x=\"%d\" y=\"14\">failed jobs (today)</text></g>\n",
                L + 480, L + 483.5, L + 492);

    /* plot area and grid */
    fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
                 "fill=\"#fbfcfd\" stroke=\"" C_AXIS "\"/>\n", L, PT, PW, PH);
    double step = ymax <= 2 ? 0.25 : ymax <= 4 ? 0.5 : 1;
    fputs("<path fill=\"none\" stroke=\"" C_GRID "\" d=\"", out);
    for (double v = step; v < ymax - 1e-9; v += step)
        fprintf(out, "M%d %.1fh%d", L, stg_svg_chart_y(ymax, v), PW);
    fputs("\"/>\n", out);
    time_grid(out, cycle, PT, bottom);
    fputs("<g font-size=\"10\" fill=\"" C_MUTED "\" text-anchor=\"end\">", out);
    double v = 0;
    for (; v <= ymax + 1e-9; v += step)
        fprintf(out, "<text x=\"%d\" y=\"%.1f\">%.0f%%</text>", L - 5,
                stg_svg_chart_y(ymax, v) + 3.5, v * 100);
    /* the top, when it is off the grid and there is room for it */
    if (stg_svg_chart_y(ymax, v - step) - PT >= 12)
        fprintf(out, "<text x=\"%d\" y=\"%.1f\">%.0f%%</text>", L - 5,
                PT + 3.5, ymax * 100);
    fputs("</g>\n", out);
    time_axis(out, cycle, bottom, 1, bottom + 16);

    /* the two series, the plan on top */
    series_path(out, f, today->sim, l, ymax, false);
    series_path(out, f, plan->sim, l, ymax, true);

    /* the limit */
    double ly = stg_svg_chart_y(ymax, 1 - req);
    fprintf(out, "<line class=\"limit\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" "
                 "y2=\"%.1f\" stroke=\"" C_LIMIT "\" stroke-width=\"1.5\" "
                 "stroke-dasharray=\"6 4\"/>\n", L, ly, L + PW, ly);
    /* its label at the end of the plot away from the lowest point's */
    int at = plan->eval->at[l];
    bool marked = at >= 0 && at < plan->sim->nslots;
    bool label_left = marked && xpos(cycle, (at + 0.5) * res) > L + PW / 2.0;
    fprintf(out, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"%s\" font-size=\"10\" "
                 "fill=\"" C_LIMIT "\" stroke=\"#fff\" stroke-width=\"3\" "
                 "paint-order=\"stroke\">limit %s (%s headroom)</text>\n",
            label_left ? L + 4 : L + PW - 4, ly - 4 < PT + 9 ? ly + 11 : ly - 4,
            label_left ? "start" : "end",
            stg_fmt_pct(b1, sizeof b1, 1 - req),
            stg_fmt_pct(b2, sizeof b2, req));

    if (in->failures)
        failure_marks(out, in, l);

    /* the plan's lowest headroom */
    if (marked) {
        double mx = xpos(cycle, (at + 0.5) * res);
        double my = stg_svg_chart_y(ymax, util(f, plan->sim, l, at));
        fprintf(out, "<circle class=\"lowest\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                     "fill=\"#fff\" stroke=\"" C_TEXT "\" stroke-width=\"1.8\"/>\n",
                mx, my);
        bool left = mx > L + PW * 0.75;
        double ty = my - 8 < PT + 10 ? my + 16 : my - 8;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" "
                     "font-size=\"10\" stroke=\"#fff\" stroke-width=\"3\" "
                     "paint-order=\"stroke\">lowest headroom %s at %s</text>\n",
                left ? mx - 7 : mx + 7, ty, left ? "end" : "start",
                stg_fmt_pct(b1, sizeof b1, plan->eval->headroom[l]),
                stg_fmt_cycle_time(b2, sizeof b2, cycle, at * res));
    }

    /* the link, left of the plot */
    char attrs[96];
    snprintf(attrs, sizeof attrs, "x=\"6\" y=\"%d\" font-size=\"12\" "
             "font-weight=\"bold\"", PT + 12);
    text_clipped(out, attrs, link->name, 22);
    fprintf(out, "<text x=\"6\" y=\"%d\" fill=\"" C_MUTED "\">capacity %s</text>\n",
            PT + 29, stg_fmt_rate(b1, sizeof b1, link->capacity));
    fprintf(out, "<rect x=\"6\" y=\"%d\" width=\"10\" height=\"8\" fill=\"" C_PLAN
                 "\" fill-opacity=\"0.5\" stroke=\"" C_PLAN "\"/>"
                 "<text x=\"20\" y=\"%d\">plan ", PT + 38, PT + 46);
    put_headroom(out, plan, l, req);
    fputs("</text>\n", out);
    fprintf(out, "<path d=\"M6 %.1fh10\" stroke=\"" C_TODAY "\" stroke-width=\"2\"/>"
                 "<text x=\"20\" y=\"%d\">today ", PT + 59.5, PT + 63);
    put_headroom(out, today, l, req);
    fputs("</text>\n", out);
    if (plan->link_bound)
        fprintf(out, "<text x=\"6\" y=\"%d\" fill=\"" C_MUTED "\">best possible "
                     "%s</text>\n", PT + 80,
                stg_fmt_pct(b1, sizeof b1, plan->link_bound[l]));
    fputs("</svg>\n", out);
}

/* ---- timeline ------------------------------------------------------- */

typedef struct {
    int row, kind;
    int start, end;             /* seconds in [0, cycle] */
    int n;                      /* transfers starting in it */
} piece;

static int by_piece(const void *a, const void *b)
{
    const piece *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->row != y->row)
        return x->row < y->row ? -1 : 1;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    return (x->end > y->end) - (x->end < y->end);
}

double stg_svg_timeline_height(const stg_svg_layout *lay)
{
    return TL_TOP + (double)lay->ngroups * TL_ROW + 10 +
           (lay->groups_left > 0 ? 16 : 0);
}

static const char *kind_color(int kind)
{
    return kind == STG_JOB_SYNC ? C_SYNC
         : kind == STG_JOB_EXPRESS_FULL ? C_EF : C_CC;
}

static const char *kind_label(int kind)
{
    return kind == STG_JOB_SYNC ? "sync"
         : kind == STG_JOB_EXPRESS_FULL ? "express full" : "consistency check";
}

int stg_svg_write_timeline(FILE *out, const stg_export_input *in,
                           const stg_svg_layout *lay, double y, char **cause)
{
    const stg_fleet *f = in->fleet;
    const stg_sim *sim = in->plan->sim;
    int cycle = sim->cycle;
    int *row = NULL;
    piece *pc = NULL;
    int npc = 0, rc = -1;
    double h = stg_svg_timeline_height(lay);
    double rows_end = TL_TOP + (double)lay->ngroups * TL_ROW;
    char b1[STG_QBUF], b2[STG_QBUF];

    if (f->ngroups > 0 && !(row = stg_malloc((size_t)f->ngroups * sizeof *row)))
        goto out;
    for (int g = 0; g < f->ngroups; g++)
        row[g] = -1;
    for (int i = 0; i < lay->ngroups; i++)
        row[lay->groups[i]] = i;
    if (sim->ntransfers > 0 &&
        !(pc = stg_calloc((size_t)sim->ntransfers * 2, sizeof *pc)))
        goto out;
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        if (t->group < 0 || t->group >= f->ngroups || row[t->group] < 0 ||
            t->end <= t->start)
            continue;
        int r = row[t->group], k = (int)t->kind;
        int s = t->start % cycle;
        if (s < 0)
            s += cycle;
        long e = (long)s + (t->end - t->start);
        if (e - s >= cycle) {
            pc[npc++] = (piece){ r, k, 0, cycle, 1 };
        } else if (e <= cycle) {
            pc[npc++] = (piece){ r, k, s, (int)e, 1 };
        } else {
            pc[npc++] = (piece){ r, k, s, cycle, 1 };
            pc[npc++] = (piece){ r, k, 0, (int)(e - cycle), 0 };
        }
    }
    if (npc > 0)
        qsort(pc, (size_t)npc, sizeof *pc, by_piece);
    /* merge what overlaps or lies within one unit */
    int unit = cycle / PW, m = 0;
    for (int i = 0; i < npc; i++) {
        if (m > 0 && pc[m - 1].row == pc[i].row && pc[m - 1].kind == pc[i].kind &&
            pc[i].start <= pc[m - 1].end + unit) {
            if (pc[i].end > pc[m - 1].end)
                pc[m - 1].end = pc[i].end;
            pc[m - 1].n += pc[i].n;
        } else {
            pc[m++] = pc[i];
        }
    }
    npc = m;

    fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" "
                 "x=\"0\" y=\"%.1f\" width=\"%d\" height=\"%.0f\" "
                 "viewBox=\"0 0 %d %.0f\" font-family=\"sans-serif\" "
                 "font-size=\"11\" fill=\"" C_TEXT "\">\n", y, W, h, W, h);
    fputs("<title>Transfers of the plan over the cycle, one row per "
          "group</title>\n", out);
    /* legend */
    fputs("<g font-size=\"10\" fill=\"" C_MUTED "\">", out);
    int lx = L;
    for (int k = STG_JOB_SYNC; k <= STG_JOB_CC; k++) {
        fprintf(out, "<rect x=\"%d\" y=\"5\" width=\"14\" height=\"10\" "
                     "fill=\"%s\"/><text x=\"%d\" y=\"14\">%s</text>",
                lx, kind_color(k), lx + 18, kind_label(k));
        lx += k == STG_JOB_SYNC ? 70 : 120;
    }
    fputs("</g>\n", out);
    fprintf(out, "<text x=\"6\" y=\"%d\" font-weight=\"bold\">group</text>\n",
            TL_TOP - 8);
    time_axis(out, cycle, TL_TOP, -1, TL_TOP - 12);
    /* rows */
    fputs("<path fill=\"#f1f3f5\" d=\"", out);
    for (int i = 0; i < lay->ngroups; i += 2)
        fprintf(out, "M0 %dh%dv%dh-%dZ", TL_TOP + i * TL_ROW, W - STG_SVG_RIGHT,
                TL_ROW, W - STG_SVG_RIGHT);
    fputs("\"/>\n", out);
    if (lay->ngroups > 0)
        time_grid(out, cycle, TL_TOP, rows_end);
    fprintf(out, "<path fill=\"none\" stroke=\"" C_AXIS "\" d=\"M%d %dV%.0f"
                 "M%d %dV%.0f\"/>\n",
            L, TL_TOP, rows_end, L + PW, TL_TOP, rows_end);
    for (int i = 0; i < lay->ngroups; i++) {
        char attrs[64];
        snprintf(attrs, sizeof attrs, "class=\"group\" x=\"6\" y=\"%d\"",
                 TL_TOP + i * TL_ROW + 12);
        text_clipped(out, attrs, f->groups[lay->groups[i]].name, 30);
    }
    /* bars, one group element per kind */
    int kind = -1;
    for (int i = 0; i < npc; i++) {
        const piece *p = &pc[i];
        if (p->kind != kind) {
            if (kind >= 0)
                fputs("</g>\n", out);
            kind = p->kind;
            fprintf(out, "<g class=\"%s\" fill=\"%s\">\n",
                    stg_job_kind_name((stg_job_kind)kind), kind_color(kind));
        }
        double x0 = xpos(cycle, p->start), x1 = xpos(cycle, p->end);
        if (x1 - x0 < 1)
            x1 = x0 + 1;
        fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">"
                     "<title>%s %s&#8211;%s",
                x0, TL_TOP + p->row * TL_ROW + (TL_ROW - TL_BAR) / 2, x1 - x0,
                TL_BAR, kind_label(p->kind),
                stg_fmt_cycle_time(b1, sizeof b1, cycle, p->start),
                stg_fmt_cycle_time(b2, sizeof b2, cycle, p->end));
        if (p->n > 1)
            fprintf(out, ", %d transfers", p->n);
        fputs("</title></rect>\n", out);
    }
    if (kind >= 0)
        fputs("</g>\n", out);
    if (lay->groups_left > 0)
        fprintf(out, "<text x=\"6\" y=\"%.0f\" fill=\"" C_MUTED "\">%d more "
                     "group%s not drawn (those whose links have the most "
                     "headroom)</text>\n", rows_end + 20, lay->groups_left,
                lay->groups_left == 1 ? "" : "s");
    fputs("</svg>\n", out);
    rc = 0;
out:
    stg_free(row);
    stg_free(pc);
    if (rc)
        stg_export_oom(cause);
    return rc;
}

/* ---- the document --------------------------------------------------- */

#define HEAD_H 84
#define SECTION_H 30

int stg_export_svg(FILE *out, const stg_export_input *in, char **cause)
{
    stg_svg_layout lay;
    char b1[STG_QBUF], b2[STG_QBUF], b3[STG_QBUF], b4[STG_QBUF];
    const char *why;

    if (cause)
        *cause = NULL;
    if ((why = stg_svg_input_problem(in))) {
        if (cause)
            *cause = stg_asprintf("cannot draw the schedule: %s", why);
        return -1;
    }
    if (stg_svg_layout_make(in, &lay, cause))
        return -1;

    const stg_schedule_doc *doc = in->doc;
    const stg_schedule *today = in->today;
    const stg_fleet *f = in->fleet;
    int cycle = f->cycle;
    double links_y = HEAD_H + SECTION_H + (lay.links_left > 0 ? 16 : 0);
    double tl_head = links_y + (double)lay.nlinks * STG_SVG_CHART_HEIGHT + 12;
    double tl_y = tl_head + SECTION_H;
    double height = tl_y + stg_svg_timeline_height(&lay) + 12;

    fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
                 "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
                 "font-family=\"sans-serif\" font-size=\"12\" fill=\"" C_TEXT "\">\n",
            W, height, W, height);
    fputs("<title>stagger schedule: ", out);
    write_text(out, in->fleet_path ? in->fleet_path : doc->fleet_file, 0);
    fputs("</title>\n<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>\n", out);

    /* summary */
    fputs("<text x=\"6\" y=\"24\" font-size=\"17\" font-weight=\"bold\">Schedule for ", out);
    write_text(out, in->fleet_path ? in->fleet_path : doc->fleet_file, 80);
    fprintf(out, ": %s</text>\n", stg_status_name(doc->status));
    fprintf(out, "<text x=\"6\" y=\"46\">worst-link headroom <tspan "
                 "font-weight=\"bold\">%s</tspan>",
            stg_fmt_pct(b1, sizeof b1, doc->achieved));
    if (doc->link) {
        fputs(" on ", out);
        write_text(out, doc->link, 60);
        fprintf(out, " at %s", stg_fmt_cycle_time(b2, sizeof b2, cycle, doc->at));
    }
    fprintf(out, " (required %s, best possible %s); solved in %.2fs",
            stg_fmt_pct(b3, sizeof b3, doc->required),
            stg_fmt_pct(b4, sizeof b4, doc->bound), doc->seconds);
    if (doc->method) {
        fputs(" by ", out);
        write_text(out, doc->method, 40);
    }
    fputs("</text>\n", out);
    fprintf(out, "<text x=\"6\" y=\"66\" fill=\"" C_MUTED "\">today&#39;s "
                 "settings: worst-link headroom <tspan font-weight=\"bold\"%s>%s"
                 "</tspan>",
            today->eval->achieved < doc->required - STG_EPS
                ? " fill=\"" C_LIMIT "\"" : "",
            stg_fmt_pct(b1, sizeof b1, today->eval->achieved));
    if (today->eval->worst_link >= 0) {
        fputs(" on ", out);
        write_text(out, f->links[today->eval->worst_link].name, 60);
        fprintf(out, " at %s", stg_fmt_cycle_time(b2, sizeof b2, cycle,
                today->eval->worst_slot * today->sim->resolution));
    }
    fputs("</text>\n", out);

    /* link charts */
    fprintf(out, "<text x=\"6\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">"
                 "Link utilization over the %s, worst headroom first</text>\n",
            HEAD_H + 18, cycle == STG_WEEK ? "week" : "day");
    if (lay.links_left > 0)
        fprintf(out, "<text x=\"6\" y=\"%d\" fill=\"" C_MUTED "\">the %d links "
                     "with the least headroom; %d more link%s not drawn</text>\n",
                HEAD_H + 36, lay.nlinks, lay.links_left,
                lay.links_left == 1 ? "" : "s");
    for (int i = 0; i < lay.nlinks; i++)
        stg_svg_write_link_chart(out, in, lay.links[i],
                                 links_y + (double)i * STG_SVG_CHART_HEIGHT);

    /* timeline */
    fprintf(out, "<text x=\"6\" y=\"%.0f\" font-size=\"14\" font-weight=\"bold\">"
                 "Transfers of the plan, one row per group</text>\n", tl_head + 18);
    int rc = stg_svg_write_timeline(out, in, &lay, tl_y, cause);
    stg_svg_layout_free(&lay);
    if (rc)
        return -1;
    fputs("</svg>\n", out);
    return stg_export_finish(out, cause);
}
