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

/* Reads a fleet from a tree (e.g. one stg_fleet_read_file_tree() gave
 * and a scenario edited), as stg_fleet_read_buffer() reads the tree of
 * its text: every diagnostic is located by the mark of its node, its
 * file id too (stg_loc.file), so the caller can tell which text each
 * message is about when the tree was put together from several (a
 * mapping's by the mark of its first key, where a block mapping starts,
 * so that a mapping written { in: flow } is where the block document
 * written from the tree has it).  A
 * message that names another place ("duplicate key \"x\" (first at line
 * 4)") names its text when it is another one than the message's own:
 * " of the " and files[id] for file id id ("(first at line 4 of the
 * fleet file)"); files (nfiles names, NULL entries allowed) may be NULL
 * for none.  The tree and files stay the caller's and are not changed;
 * the fleet returned is the caller's (stg_fleet_free()). */
stg_fleet *stg_fleet_read_tree(const stg_ynode *root, const char *const *files,
                               int nfiles, stg_diags *diags);

/* Reads the whole file into *text (caller frees with stg_free(); kept so
 * messages can quote lines) and parses it.  A file that cannot be read is
 * one error at line 0. */
stg_fleet *stg_fleet_read_file(const char *path, char **text, size_t *len,
                               stg_diags *diags);

/* As stg_fleet_read_file(), and with the fleet hands over in *tree the
 * tree it was read from (marks with file id 0), so that a caller that
 * edits the fleet (stagger whatif) reads the text once: the caller frees
 * it with stg_ynode_free().  *tree is NULL when no fleet is returned.
 * tree may be NULL (stg_fleet_read_file()). */
stg_fleet *stg_fleet_read_file_tree(const char *path, char **text, size_t *len,
                                    stg_ynode **tree, stg_diags *diags);

#endif
