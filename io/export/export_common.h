/* stagger: what the export formats (io/export_*.c) share: UTF-8
 * decoding, numbers written so they read back exactly, the days a
 * group's jobs run on, and the final write check.
 *
 * Nothing here allocates except the *cause of stg_export_finish() and
 * stg_export_oom(), which the caller frees with stg_free(). */
#ifndef STG_EXPORT_COMMON_H
#define STG_EXPORT_COMMON_H

#include <stddef.h>
#include <stdio.h>

#include "io/export/export.h"

/* Length (1 to 4) of the UTF-8 sequence at p, with the code point in
 * *cp; 0 when the bytes there are not valid UTF-8 (overlong forms,
 * surrogates and values past U+10FFFF included), with *cp the first
 * byte.  p must be NUL-terminated. */
int stg_utf8_decode(const unsigned char *p, unsigned long *cp);

/* The shortest decimal form that strtod() reads back as exactly v
 * ("0.2", "85000000", "1e+18"); -0 is written "0".  Returns buf.  v must
 * be finite (the callers write null otherwise). */
#define STG_NUMBUF 32
char *stg_export_fmt_number(char *buf, size_t size, double v);

/* Days (STG_MON..STG_SUN bits) on which group g of in->doc (an index
 * into doc->groups) starts its consistency check: every day in a day
 * cycle; in a week cycle the fleet's days when in->fleet is there and
 * knows the group, else the days the schedule's check transfers of the
 * group are released on (every day when there are none). */
unsigned stg_export_check_days(const stg_export_input *in, int g);

/* Flushes out and checks it for a write error.  Returns 0, or -1 with
 * *cause ("cannot write the export: No space left on device"). */
int stg_export_finish(FILE *out, char **cause);

/* Sets *cause to "out of memory" (NULL when even that fails); returns -1. */
int stg_export_oom(char **cause);

#endif
