/* stagger: the pass over a YAML text's bytes on their way to libyaml.
 *
 * The readers give libyaml their text through stg_prepass_read() (a
 * libyaml read handler), which looks at each byte as libyaml asks for it,
 * so its cost follows what libyaml reads: a file refused at its third
 * line is not scanned to its end.  On the way it does two things:
 *
 *  - Flow nesting.  libyaml's scanner keeps a possible simple key for
 *    every open [ or { and walks all of them for every token, so a line
 *    of 100,000 [ takes it half a minute (quadratic).  The pass stops the
 *    text before the 65th open bracket (STG_FLOW_SCAN_MIN; the readers'
 *    own limit, 16 levels, comes first in any text that gets that far),
 *    and stg_prepass_too_deep() says where it was.  Counted: [ and {
 *    outside quoted scalars and comments, less ] and }, and the root when
 *    it is a block collection.  A quote opens a quoted scalar only where
 *    one may start (the line's first text, or after a space, [, {, , or
 *    :).  Block scalars are not told apart: brackets in one count too.
 *
 *  - Comment lines (when asked).  libyaml reads a comment a byte at a
 *    time: 256 MiB of them take it a second.  A line that is only a
 *    comment is given to libyaml cut to its # (still a comment; every
 *    line keeps its number, every other line its columns), unless a block
 *    scalar may have started before it (a | or > outside quotes and
 *    comments: a line starting with # may then be its text), the line
 *    holds bytes beyond ASCII (libyaml checks that they are UTF-8), or
 *    the text is UTF-16.
 *
 * A stg_prepass points into the caller's text and owns nothing. */
#ifndef STG_FLOWCHECK_H
#define STG_FLOWCHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "model/diag.h"

#define STG_FLOW_SCAN_MIN 64

typedef struct {
    const char *text;
    size_t len;
    size_t pos, end;            /* next byte of text; where feeding stops */
    size_t skip_from, skip_to;  /* a comment line's text, not fed */
    size_t deep;                /* the bracket past the limit, or len */
    size_t fed;                 /* bytes given to libyaml */
    int depth;
    bool cut, root_known, bol, comment, single, dbl, escape, block;
    char prev;                  /* the last byte outside a quote */
} stg_prepass;

/* Ready to give libyaml text[0..len); cut_comments: cut comment lines. */
void stg_prepass_init(stg_prepass *s, const char *text, size_t len,
                      bool cut_comments);

/* A yaml_read_handler_t (data: the stg_prepass). */
int stg_prepass_read(void *data, unsigned char *buffer, size_t size,
                     size_t *size_read);

/* Where the flow nesting went past STG_FLOW_SCAN_MIN (1-based line and
 * column in characters); line 0 when it did not. */
stg_loc stg_prepass_too_deep(const stg_prepass *s);

/* The offset in the text of byte fed of what libyaml was given (for
 * libyaml's errors, which give offsets in what it read). */
size_t stg_prepass_offset(const stg_prepass *s, size_t fed);

#endif
