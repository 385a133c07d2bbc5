/* stagger: the html report (`stagger export SCHEDULE --to html`).
 *
 * One self-contained page: inline CSS for screen and print, the pictures
 * of io/export/export_svg.h inline, no scripts, fonts, images or links to
 * anything outside the page.  It holds the summary (status, worst-link
 * headroom achieved against required and the proven bound, where and
 * when, solve time and method, today's worst headroom against the
 * plan's), the link charts and the group timeline, and tables of the
 * links, groups, computers and broken rules.  Every text is escaped;
 * the markup is also well-formed XML (polyglot HTML), so both HTML and
 * XML parsers read it.
 *
 * Needs the fleet and both simulated cycles (see export.h); without them
 * it fails with a cause.  Nothing here keeps what it is given; *cause is
 * allocated with model/alloc.h and freed by the caller (NULL when even
 * that allocation failed). */
#ifndef STG_EXPORT_HTML_H
#define STG_EXPORT_HTML_H

#include <stdio.h>

#include "io/export/export.h"

int stg_export_html(FILE *out, const stg_export_input *in, char **cause);

#endif
