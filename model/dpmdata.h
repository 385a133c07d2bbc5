/* stagger: what a DPM server's export says (docs/import.md, "The export
 * format"): its protection groups with their schedules and data sources,
 * its computers' throttles, and its job history.
 *
 * Plain data, knowing nothing of JSON: io/read/dpm_read.c fills it, and
 * `stagger import` (a fleet from exports) and `stagger diagnose`
 * (failures against the predicted load) read it.  Every string and array
 * is allocated with model/alloc.h and owned by the export;
 * stg_dpm_export_free() releases everything.
 *
 * Units: sizes in bytes (double, so 2^53 bytes and more stay exact
 * enough), rates in bits per second, times of day in seconds after
 * midnight, date-times in seconds since 1970-01-01 00:00 on the DPM
 * server's clock (not UTC: utc_offset says how far that clock is from
 * it), days as model/fleet.h's STG_MON .. STG_SUN bit mask.  Every item
 * keeps the place of its text (stg_loc) so that a later step (import,
 * diagnose) can say where a value it refuses came from. */
#ifndef STG_DPMDATA_H
#define STG_DPMDATA_H

#include <stdbool.h>

#include "diag.h"

typedef struct {
    int *times;                 /* seconds of day, ascending */
    int ntimes;
    unsigned days;
    stg_loc loc;
} stg_dpm_times;

typedef struct {
    char *name;
    char *computer;
    char *type;                 /* DPM's word: Volume, SQL, ... */
    double replica_bytes;       /* < 0: not known */
    double used_bytes;          /* < 0: not known */
    stg_loc loc;
} stg_dpm_source;

typedef struct {
    char *name;
    bool before_recovery_point; /* sync only before each recovery point:
                                   the file recovery points (has_rp), or,
                                   without them, the express fulls */
    int every_min, offset_min;  /* when not before_recovery_point */
    bool sync_unknown;          /* sync null: not read from DPM */
    bool offset_unknown;        /* offset_minutes null (offset_min 0) */
    bool has_rp, has_ef, has_cc;
    stg_dpm_times rp;           /* recovery points (has_rp) */
    stg_dpm_times ef;           /* express fulls (has_ef) */
    int cc_start, cc_hours;     /* check window (has_cc): start (seconds of
                                   day) and length in hours (0: null, not
                                   read from DPM) */
    unsigned cc_days;           /* 0: null, not read from DPM */
    stg_dpm_source *sources;
    int nsources;
    stg_loc loc, sync_loc, cc_loc;
} stg_dpm_group;

typedef enum {
    STG_DPM_THROTTLE_UNKNOWN,   /* null in the export */
    STG_DPM_THROTTLE_OFF,       /* enabled: false */
    STG_DPM_THROTTLE_ON
} stg_dpm_throttle_state;

typedef struct {
    char *name;
    stg_dpm_throttle_state throttle;
    double work_bps, other_bps; /* ON */
    int work_start, work_end;   /* ON: seconds of day */
    unsigned work_days;         /* ON */
    stg_loc loc, throttle_loc;
} stg_dpm_computer;

/* A job's texts repeat from job to job (a year of history names the
 * same groups, types and statuses a million times): each distinct text
 * is held once, in the export's strings, and a job points there.  They
 * are freed with the export, never one by one. */
typedef struct {
    const char *type;           /* DPM's job type: Replication, ... */
    const char *group, *source, *computer;  /* NULL: not in the export */
    long long start, end;       /* seconds (see above); end < 0: running */
    const char *status;         /* Succeeded, Failed, ... */
    int error_id;               /* 0: none */
    double bytes;               /* < 0: not known */
    stg_loc loc;
} stg_dpm_job;

typedef struct {
    int version;                /* stagger_export */
    long long collected;        /* seconds, as a job's start */
    int utc_offset;             /* seconds east of UTC */
    char *server, *server_version;
    stg_dpm_group *groups;
    int ngroups;
    stg_dpm_computer *computers;
    int ncomputers;
    stg_dpm_job *jobs;
    int njobs;
    char **strings;             /* the jobs' texts, each once */
    int nstrings;
    stg_loc collected_loc, utc_offset_loc, server_loc;
} stg_dpm_export;

void stg_dpm_export_free(stg_dpm_export *e);

#endif
