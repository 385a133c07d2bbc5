/* stagger: prints diagnostics the way users read them:
 *
 *   fleet.yaml:12:15: capacity "100" has no unit; write e.g. 100Mbps
 *      12 |     capacity: 100
 *         |               ^
 *
 * (warnings say "warning: " after the position).  text is the file's
 * contents, for quoting; it may be NULL. */
#ifndef STG_REPORT_H
#define STG_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "model/diag.h"

void stg_report_diags(FILE *out, const char *file, const char *text,
                      size_t len, const stg_diags *d);

#endif
