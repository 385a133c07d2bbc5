/* stagger: the reader of a DPM export (docs/import.md, "The export
 * format", version 1).
 *
 * The text may be UTF-8 (with or without a byte-order mark) or UTF-16
 * with a byte-order mark (what Windows PowerShell 5.1 writes); it is
 * read as the JSON subset of YAML through io/read/ynode.c (the one
 * walker of libyaml's events), its `jobs` list streamed so that a year
 * of history reads in the memory of its jobs, not of their tree.
 * Unknown keys, a missing or other version, a value of the wrong type
 * or out of range are errors located at line and column in d (the
 * caller adds the file name and quotes the line, as for a fleet).
 *
 * JSON's types are told by how a value is written: a string where a
 * number belongs ("60") is refused, and so is a bare word where a
 * string belongs.  A wrong or missing stagger_export is the only error
 * said.  A job's texts are held once by the export (model/dpmdata.h).
 *
 * Returns the export (caller frees with stg_dpm_export_free()) when no
 * error was found, else NULL (out of memory sets d->oom).
 *
 * stg_dpm_read_buffer() takes the file's bytes as they are (a byte-order
 * mark, UTF-16) and locates its messages in the text as decoded: the
 * same lines and columns, but on the first line after a UTF-8 mark and
 * on a line with a \ud83d\ude00 escape pair past it (two columns each). */
#ifndef STG_DPM_READ_H
#define STG_DPM_READ_H

#include <stddef.h>

#include "model/diag.h"
#include "model/dpmdata.h"

stg_dpm_export *stg_dpm_read_buffer(const char *text, size_t len,
                                    stg_diags *d);

/* Reads the file whole into *text (caller frees with stg_free(): kept so
 * that messages can quote lines; UTF-16 is converted to UTF-8 first and
 * *text holds the converted text, whose lines are the file's) and
 * parses it.  A file that cannot be read, or is larger than
 * STG_DPM_MAX_BYTES, is one error at line 0. */
#define STG_DPM_MAX_BYTES (1024LL * 1024 * 1024)
stg_dpm_export *stg_dpm_read_file(const char *path, char **text, size_t *len,
                                  stg_diags *d);

#endif
