/* stagger: what every export format reads (`stagger export`).
 *
 * An export turns a schedule file into another form.  The schedule
 * document (io/read/schedule_read.h) is always there; the fleet it was planned
 * for, and the cycle simulated from both, are there when the fleet file
 * could be found and matches the schedule's sha256 (cli/cmd_export.c
 * loads them).  Formats that need rates, links or loads (csv, svg, html)
 * require them; the others use them when present.
 *
 * Each format is one .c/.h pair (io/export_FORMAT.c) with one function
 *
 *     int stg_export_FORMAT(FILE *out, const stg_export_input *in,
 *                           char **cause);
 *
 * that writes the whole output to out and returns 0, or -1 with *cause
 * (allocated with model/alloc.h, the caller frees it; NULL when even that
 * allocation failed) on out of memory or a write error.  Nothing here
 * owns what it points to: the caller keeps every pointer alive for the
 * call. */
#ifndef STG_EXPORT_H
#define STG_EXPORT_H

#include <stdio.h>

#include "io/read/schedule_read.h"
#include "model/diagnose.h"
#include "model/fleet.h"
#include "model/schedule.h"
#include "solver/advise.h"

typedef struct {
    const stg_schedule_doc *doc;  /* the schedule as written; never NULL */
    const char *schedule_path;    /* as given on the command line */
    const stg_fleet *fleet;       /* NULL when not loaded */
    const char *fleet_path;       /* NULL when not loaded */
    /* With the fleet: the schedule's settings simulated and scored
     * (plan), and the fleet's settings as configured today (today).
     * Both NULL without the fleet. */
    const stg_schedule *plan;
    const stg_schedule *today;
    /* With the fleet, when a link is below the limit: the reasons
     * (solver/advise.h, why_only); NULL otherwise.  The report shows
     * them. */
    const stg_advice *advice;
    /* With the fleet and a job history (`--jobs`): its failed jobs
     * placed on today's cycle (model/diagnose.h); the link charts mark
     * each at its time.  NULL otherwise. */
    const stg_diagnosis *failures;
} stg_export_input;

#endif
