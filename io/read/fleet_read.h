/* stagger: the fleet file reader (fleet.md).
 *
 * Walks libyaml's event stream (aliases refused, nesting capped), fills a
 * stg_fleet, then runs stg_fleet_finish().  Every error found is added to
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

stg_fleet *stg_fleet_read_buffer(const char *text, size_t len,
                                 stg_diags *diags);

/* Reads the whole file into *text (caller frees with stg_free(); kept so
 * messages can quote lines) and parses it.  A file that cannot be read is
 * one error at line 0. */
stg_fleet *stg_fleet_read_file(const char *path, char **text, size_t *len,
                               stg_diags *diags);

#endif
