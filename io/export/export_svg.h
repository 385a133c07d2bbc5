/* stagger: the svg export (`stagger export SCHEDULE --to svg`), and the
 * pictures the html report (io/export/export_html.h) draws with it.
 *
 * The document holds, per link, a chart of its utilization over the
 * cycle -- the plan and today's settings drawn against each other, the
 * headroom limit (1 - required) as a line, the plan's lowest-headroom
 * point marked -- links ordered worst first by the plan's headroom; then
 * a timeline with one row per group and each transfer of the plan as a
 * bar, colored by kind.  Each series is one path with a point only where
 * the drawn value changes, so a week cycle (10080 one-minute slots)
 * stays small; at most STG_SVG_MAX_LINKS charts and STG_SVG_MAX_GROUPS
 * rows are drawn, and the picture says how many were left out.  The
 * document is self-contained (no external references, no scripts) and
 * well-formed XML; every name is escaped, non-ASCII kept as UTF-8.
 *
 * Needs the fleet and both simulated cycles (in->fleet, in->plan,
 * in->today); without them the export fails with a cause.
 *
 * Ownership: nothing here keeps what it is given.  A stg_svg_layout owns
 * its arrays (stg_svg_layout_free()); every cause is allocated with
 * model/alloc.h and freed by the caller (NULL when even that allocation
 * failed). */
#ifndef STG_EXPORT_SVG_H
#define STG_EXPORT_SVG_H

#include <stdio.h>

#include "io/export/export.h"

/* Drawn at most; the others are counted in the picture. */
#define STG_SVG_MAX_LINKS 40
#define STG_SVG_MAX_GROUPS 200

/* Geometry, in the user units of each chart's viewBox: every chart and
 * the timeline are STG_SVG_WIDTH wide with the cycle drawn from x =
 * STG_SVG_LEFT to STG_SVG_WIDTH - STG_SVG_RIGHT, so their time axes line
 * up.  In a link chart the plot spans y = STG_SVG_PLOT_TOP (utilization
 * ymax) to STG_SVG_PLOT_TOP + STG_SVG_PLOT_HEIGHT (0). */
#define STG_SVG_WIDTH 1100
#define STG_SVG_LEFT 200
#define STG_SVG_RIGHT 20
#define STG_SVG_PLOT_TOP 24
#define STG_SVG_PLOT_HEIGHT 110
#define STG_SVG_CHART_HEIGHT 156

int stg_export_svg(FILE *out, const stg_export_input *in, char **cause);

/* What is drawn, and in which order. */
typedef struct {
    int *links;         /* fleet link indices, worst plan headroom first
                           (ties by name) */
    int nlinks;
    int links_left;     /* links not drawn (those with the most headroom) */
    int *groups;        /* fleet group indices, by name (bytewise) */
    int ngroups;
    int groups_left;    /* groups not drawn: those whose worst link has
                           the most headroom */
} stg_svg_layout;

/* Why in cannot be drawn (no fleet, no simulated cycle, a cycle that
 * does not match the fleet), or NULL when it can.  The other functions
 * below expect an input this accepts. */
const char *stg_svg_input_problem(const stg_export_input *in);

/* Fills lay.  Returns 0, or -1 with *cause (out of memory). */
int stg_svg_layout_make(const stg_export_input *in, stg_svg_layout *lay,
                        char **cause);
void stg_svg_layout_free(stg_svg_layout *lay);

/* The top of link l's chart y axis, as a fraction of its capacity: 1,
 * or when the plan or today's settings load the link beyond its capacity
 * their peak rounded up to the next 10%. */
double stg_svg_chart_ymax(const stg_export_input *in, int link);

/* The y coordinate, in a link chart, of a utilization (fraction of the
 * capacity) on an axis that ends at ymax. */
double stg_svg_chart_y(double ymax, double utilization);

/* Writes link l's chart as one <svg> element (class "link-chart",
 * STG_SVG_WIDTH x STG_SVG_CHART_HEIGHT, placed at x = 0, y when nested
 * in another svg).  Classes name the parts: "plan" (the plan's area),
 * "today" (today's line), "limit" (the headroom limit's line),
 * "lowest" (the marker). */
void stg_svg_write_link_chart(FILE *out, const stg_export_input *in, int link,
                              double y);

/* Height of the timeline of lay's groups. */
double stg_svg_timeline_height(const stg_svg_layout *lay);

/* Writes the timeline of lay's groups as one <svg> element (class
 * "timeline", placed at x = 0, y; each row's label has class "group",
 * the bars sit in one element per kind, classed by the kind's name as
 * the schedule writes it).  Returns 0, or -1 with *cause (out of
 * memory). */
int stg_svg_write_timeline(FILE *out, const stg_export_input *in,
                           const stg_svg_layout *lay, double y, char **cause);

/* Writes s as XML (and HTML) text, good in element content and in
 * attribute values: & < > " ' escaped, valid UTF-8 kept, and each byte
 * that is not valid UTF-8 or a control character XML forbids written as
 * U+FFFD.  A NULL s writes nothing. */
void stg_xml_write_text(FILE *out, const char *s);

#endif
