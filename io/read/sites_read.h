/* stagger: the reader of a sites file (docs/import.md, "The sites
 * file"), what `stagger import` adds to the DPM exports.
 *
 * YAML, read through io/read/ynode.c with the fleet file's rules (one
 * document, anchors and aliases refused, nesting capped, at most
 * 16 MiB).  Links are written exactly as a fleet's, with the fleet's
 * units (io/read/units.h) and wording; unknown keys, a key written
 * twice, a missing or other version, unknown link names and values out
 * of range are errors located at line and column in d (the caller adds
 * the file name and quotes the line).
 *
 * Returns the sites (caller frees with stg_sites_free()) when no error
 * was found, else NULL (out of memory sets d->oom). */
#ifndef STG_SITES_READ_H
#define STG_SITES_READ_H

#include <stddef.h>

#include "model/diag.h"
#include "model/sites.h"

stg_sites *stg_sites_read_buffer(const char *text, size_t len, stg_diags *d);

/* Reads the file whole into *text (caller frees with stg_free(); kept so
 * that messages can quote lines) and parses it.  A file that cannot be
 * read is one error at line 0. */
stg_sites *stg_sites_read_file(const char *path, char **text, size_t *len,
                               stg_diags *d);

#endif
