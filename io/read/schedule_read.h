/* stagger: reads a schedule file (schedule.md, version 1) back, for
 * `stagger check FLEET SCHEDULE` and `stagger export`.
 *
 * The reader builds a stg_schedule_doc from the YAML tree of
 * io/read/ynode.h (its streaming reader: the root's lists are read one
 * entry at a time; aliases refused, nesting capped), without a fleet: names
 * stay strings, every quantity is converted to the model's units, and
 * each element remembers where it was written.  Every error found is
 * added to diags with its line and column (up to diags->limit).
 * stg_schedule_doc_settings() then matches the names against a fleet.
 *
 * Ownership: a stg_schedule_doc owns every string and array it points to
 * (allocated with model/alloc.h); stg_schedule_doc_free() releases it.
 *
 * Times in the cycle are seconds after the cycle start ("mon 20:05" in a
 * week cycle); times of day are seconds after midnight.  A transfer's
 * start and end are unwrapped as in stg_transfer: start is at or after
 * release (a cycle is added when the written start is earlier), and end
 * is after start (a cycle is added when the written end is not). */
#ifndef STG_SCHEDULE_READ_H
#define STG_SCHEDULE_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "model/diag.h"
#include "model/eval.h"
#include "model/fleet.h"
#include "model/jobs.h"
#include "model/schedule.h"
#include "model/settings.h"
#include "model/sim.h"

typedef struct {
    char *name;
    bool before_rp;             /* sync: { before_recovery_point: true } */
    int every;                  /* seconds; 0 with before_rp */
    int offset;                 /* seconds */
    int *rp_at;                 /* recovery points as written, seconds of
                                   day; NULL when not written */
    int nrp;
    int *ef_at;                 /* express-full times, seconds of day, in
                                   the order written */
    unsigned *ef_days;          /* their days (STG_MON..STG_SUN bits) */
    int nef;
    int cc_start;               /* seconds of day; -1: no check */
    int cc_hours;               /* 0 when no check */
    int lag;                    /* seconds; -1 when not written */
    stg_loc loc, sync_loc, ef_loc, cc_loc;
} stg_sdoc_group;

typedef struct {
    char *name;
    stg_throttle throttle;      /* RATE or WORK */
    bool recommended;
    double busy;                /* fraction of the cycle's slots */
    stg_loc loc, throttle_loc;
} stg_sdoc_computer;

typedef struct {
    char *name;
    double capacity;            /* bps */
    double peak, headroom;      /* fractions */
    int at;                     /* time in the cycle */
    double bound;
    double bound_nowait;        /* bound_without_waits, or bound when not
                                   written */
    stg_loc loc;
} stg_sdoc_link;

typedef struct {
    stg_viol_kind kind;
    char *name;                 /* link (HEADROOM), group (LAG,
                                   CC_WINDOW) or computer (BACKLOG) */
    int from, to;               /* HEADROOM: times in the cycle; else 0 */
    double amount;              /* HEADROOM: fraction; LAG, CC_WINDOW:
                                   seconds; BACKLOG: 0 */
    stg_loc loc;
} stg_sdoc_violation;

typedef struct {
    char *group, *computer;
    stg_job_kind kind;
    int release;                /* seconds in [0, cycle) */
    int start, end;             /* unwrapped, see above */
    double volume;              /* bytes */
    stg_loc loc;
} stg_sdoc_transfer;

typedef struct {
    int version;                /* 1 */
    char *fleet_file;
    char *fleet_sha256;
    int cycle;                  /* STG_DAY or STG_WEEK */
    int resolution;             /* seconds */
    stg_status status;
    /* headroom: */
    double required, achieved, bound;
    double bound_nowait;        /* bound_without_waits, or bound */
    char *link;                 /* worst link; NULL when not written */
    int at;                     /* its time in the cycle; -1 without link */
    /* solve: */
    double seconds;
    char *method;
    bool stopped;
    stg_sdoc_group *groups;
    int ngroups;
    stg_sdoc_computer *computers;
    int ncomputers;
    stg_sdoc_link *links;
    int nlinks;
    stg_sdoc_violation *violations;
    int nviolations;
    stg_sdoc_transfer *transfers;
    int ntransfers;
    stg_loc cycle_loc, groups_loc, computers_loc, transfers_loc;
} stg_schedule_doc;

/* Parses a schedule held in memory.  Returns the document (caller frees
 * with stg_schedule_doc_free()) only when no error was found, else NULL
 * (diags->oom is set when memory ran out). */
stg_schedule_doc *stg_schedule_read_buffer(const char *text, size_t len,
                                           stg_diags *diags);

/* Reads the whole file into *text (caller frees with stg_free(); kept so
 * messages can quote lines, NULL when it could not be read) and parses
 * it.  A file that cannot be read is one error at line 0. */
stg_schedule_doc *stg_schedule_read_file(const char *path, char **text,
                                         size_t *len, stg_diags *diags);

void stg_schedule_doc_free(stg_schedule_doc *d);

/* The settings the schedule gives for fleet f (arrays in the fleet's
 * group and computer order, ef_base/ef_at laid out as in settings.h).
 * Errors, located where the schedule says it: a group or computer the
 * fleet does not have (or one given twice), a fleet group or computer the
 * schedule leaves out, another cycle or sync period than the fleet's, an
 * offset outside its period, another number of express-full times than
 * the fleet's or a time moved beyond its flex, a check missing, extra or
 * starting outside its window.  Express-full days that differ from the
 * fleet's are a warning (the fleet's days are what runs).  Returns the settings (caller frees with
 * stg_settings_free()) only when there was no error; NULL otherwise, with
 * diags->oom set when memory ran out. */
stg_settings *stg_schedule_doc_settings(const stg_schedule_doc *d,
                                        const stg_fleet *f, stg_diags *diags);

/* The schedule's transfers with group and computer resolved against
 * fleet f, in the order written.  Returns the count and sets *out (caller
 * frees with stg_free()), or -1 (an unknown name is a located error;
 * diags->oom is set when memory ran out). */
int stg_schedule_doc_transfers(const stg_schedule_doc *d, const stg_fleet *f,
                               stg_transfer **out, stg_diags *diags);

#endif
