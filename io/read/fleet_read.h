/* stagger: the fleet file reader (fleet.md).
 *
 * Reads the text into a ynode tree (ynode.h), walks it (aliases and
 * anchors refused, nesting capped), fills a stg_fleet, then runs
 * stg_fleet_finish().  Every error found is added to
 * diags with its line and column (up to diags->limit); the caller prints
 * them with stg_report_diags(), in file order.  Returns the fleet (caller
 * frees with stg_fleet_free()) only when no error was found, else NULL;
 * out of memory is an error and sets diags->oom.  The rules fleet.md
 * leaves open are listed at the top of fleet_read.c. */
#ifndef STG_FLEET_READ_H
#define STG_FLEET_READ_H

#include <stddef.h>

#include "model/diag.h"
#include "model/fleet.h"
#include "io/read/ynode.h"

stg_fleet *stg_fleet_read_buffer(const char *text, size_t len,
                                 stg_diags *diags);

/* Reads a fleet from a tree (e.g. one stg_ynode_read() gave and a
 * scenario edited), as stg_fleet_read_buffer() reads the tree of its
 * text: every diagnostic is located by the mark of its node (the mark's
 * file is not looked at).  The tree stays the caller's and is not
 * changed; the fleet returned is the caller's (stg_fleet_free()). */
stg_fleet *stg_fleet_read_tree(const stg_ynode *root, stg_diags *diags);

/* Reads the whole file into *text (caller frees with stg_free(); kept so
 * messages can quote lines) and parses it.  A file that cannot be read is
 * one error at line 0. */
stg_fleet *stg_fleet_read_file(const char *path, char **text, size_t *len,
                               stg_diags *diags);

#endif
