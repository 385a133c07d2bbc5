/* stagger: the rows of `stagger whatif` and their three forms: an aligned
 * table, CSV (RFC 4180) and JSON (docs/scenarios.md, "Output").
 *
 * A row sums up one planned fleet (the baseline, or a scenario's fleet)
 * beside the baseline's plan: status, worst-link headroom and where and
 * when, the proven bound, the links below the limit (worst first), the
 * groups whose planned settings differ from the baseline plan (sync
 * offset, express-full times, consistency-check start; by name) and the
 * solve time.
 *
 * A row points into the fleet and schedule it was built from (names,
 * method), which must outlive it; it owns its two name arrays, freed by
 * stg_whatif_row_free(). */
#ifndef STG_WHATIF_REPORT_H
#define STG_WHATIF_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "model/fleet.h"
#include "model/quantity.h"
#include "model/schedule.h"

typedef struct {
    const char *name;
    const char *description;    /* NULL when none */
    stg_status status;
    double required;            /* the fleet's headroom limit */
    double headroom;            /* worst-link headroom achieved */
    const char *link;           /* the worst link; NULL when no links */
    char at[STG_QBUF];          /* when, in the cycle */
    double bound;               /* proven best worst-link headroom */
    const char **below;         /* links below the limit, worst first */
    int nbelow;
    const char **moved;         /* groups whose settings moved, by name */
    int nmoved;                 /* -1: not compared (the baseline) */
    double seconds;
    const char *method;
    bool time_limit;            /* the time limit stopped the search */
    bool stopped;               /* interrupted */
} stg_whatif_row;

/* Builds a row for schedule sc of fleet f; base and base_sc are the
 * baseline's (NULL for the baseline row itself).  Returns 0, or -1 when
 * out of memory. */
int stg_whatif_row_build(stg_whatif_row *row, const char *name,
                         const char *description, const stg_fleet *f,
                         const stg_schedule *sc, const stg_fleet *base,
                         const stg_schedule *base_sc);
void stg_whatif_row_free(stg_whatif_row *row);

typedef enum { STG_WHATIF_TABLE, STG_WHATIF_CSV, STG_WHATIF_JSON } stg_whatif_format;

/* What the JSON form records besides the rows. */
typedef struct {
    const char *fleet_file, *scenarios_file;
    double time_limit;          /* seconds; <= 0: none */
    unsigned long long seed;
} stg_whatif_info;

/* Writes the rows.  Returns 0, or -1 with *cause (allocated) on a write
 * error or out of memory. */
int stg_whatif_write(FILE *out, stg_whatif_format format,
                     const stg_whatif_info *info, const stg_whatif_row *rows,
                     int nrows, char **cause);

#endif
