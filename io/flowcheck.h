/* stagger: a pass over a YAML text's bytes before libyaml sees it, for
 * flow collections nested too deep.
 *
 * libyaml's scanner keeps a possible simple key for every open [ or { and
 * walks all of them for every token, so a line of 100,000 [ takes it
 * half a minute before the first event arrives (quadratic).  The readers
 * cap nesting at 16 anyway; this finds the bracket that goes over in one
 * pass, so they refuse such a file in milliseconds (docs/limits.md).
 *
 * Counted: [ and { outside quoted scalars and comments, less ] and },
 * and the root when it is a block collection (as the readers count).
 * A quote opens a quoted scalar only where one may start (the line's
 * first text, or after a space, [, {, , or :).  Block scalars (| and >)
 * are not told apart: brackets in one count too, which only matters for
 * text with 16 more [ than ] in it. */
#ifndef STG_FLOWCHECK_H
#define STG_FLOWCHECK_H

#include <stddef.h>

#include "model/diag.h"

/* Where the flow nesting of text first exceeds max, or 64 when max is
 * less (line and column, 1-based, the column in characters); line 0 when
 * it never does.  Up to 64 open brackets cost libyaml nothing worth
 * saving, and the readers' own count (block levels included) then says
 * where the nesting first goes too deep. */
#define STG_FLOW_SCAN_MIN 64
stg_loc stg_flow_too_deep(const char *text, size_t len, int max);

#endif
