/* stagger: applies a scenario (io/scenario/scenario_read.h) to a fleet document.
 *
 * The base fleet is a node tree (io/read/ynode.h, file id STG_SCEN_FLEET),
 * the one the base fleet was read from (stg_fleet_read_file_tree()).  A
 * scenario's changes are made on a copy of it, in a fixed order: remove,
 * add, move, set, scale.  The fleet reader (io/read/fleet_read.h) then
 * reads the edited tree, so every rule of a fleet file holds for a
 * scenario's fleet exactly as for a file.
 *
 * Every message is located in the file the user wrote: errors of the
 * scenario itself (a name that is not in the fleet, a path that leads
 * nowhere) in the scenarios file; the fleet reader's messages about the
 * edited fleet at the mark of the node they are about: a line of the
 * base fleet, or a value the scenario wrote.  Each message starts with
 * "scenario NAME: ".
 *
 * The result owns its fleet, text and messages; stg_scen_result_free()
 * releases them. */
#ifndef STG_SCENARIO_APPLY_H
#define STG_SCENARIO_APPLY_H

#include <stddef.h>

#include "io/scenario/scenario_read.h"
#include "io/read/ynode.h"
#include "model/diag.h"
#include "model/fleet.h"

typedef struct {
    stg_fleet *fleet;           /* the edited fleet; NULL when invalid */
    char *text;                 /* the edited fleet as YAML (when valid),
                                   for --save-dir; never read back */
    size_t len;
    /* messages, by the file they point into: [STG_SCEN_FLEET] the base
     * fleet file, [STG_SCEN_FILE] the scenarios file; warnings too */
    stg_diags diags[2];
} stg_scen_result;

void stg_scen_result_init(stg_scen_result *r);
void stg_scen_result_free(stg_scen_result *r);

/* Applies s to base (left unchanged).  Returns 0 with r->fleet, 1 when
 * the scenario or the fleet it gives has errors (in r->diags), or -1
 * when out of memory. */
int stg_scenario_apply(const stg_ynode *base, const stg_scenario *s,
                       stg_scen_result *r);

/* Formats a size so that stg_parse_size reads back the same bytes (to a
 * part in 10^9): "2.6TB", "432.9GB"; the exact form of model/quantity.h
 * when it is exact.  Exposed for the tests. */
char *stg_scen_fmt_size(char *buf, size_t size, double bytes);

#endif
