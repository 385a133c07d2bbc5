/* stagger: a fleet from DPM exports and a sites file (`stagger import`;
 * docs/import.md, "How an export becomes a fleet").
 *
 * stg_import_build() maps what the exports say (one per DPM server) and
 * what the sites file adds (links, paths, defaults) onto the fleet's
 * entries, and keeps beside each entry a note of what it took from where
 * and what it had to assume; io/write/import_write.c writes it as a
 * fleet file, the notes as comments.  Plain data, knowing nothing of
 * JSON or YAML.
 *
 * Diagnostics are located in the file they are about: loc.file is the
 * index of the export (0 .. nexports-1), or nexports for the sites file.
 *
 * Ownership: the stg_import owns its strings and arrays (model/alloc.h);
 * stg_import_free() releases everything.  It keeps no pointer into the
 * exports or the sites. */
#ifndef STG_IMPORT_H
#define STG_IMPORT_H

#include <stdbool.h>

#include "diag.h"
#include "dpmdata.h"
#include "fleet.h"
#include "sites.h"

/* The churn assumed for a data source the job history says nothing
 * about, when the sites file gives none: 2% of its size per day. */
#define STG_IMPORT_CHURN 0.02

typedef struct {
    char *name;                 /* the DPM server's, as its export has it */
    int site_server;            /* its entry in the sites file, or -1 */
} stg_imp_server;

typedef struct {
    char *name;
    int server;
    int site;                   /* -1: no sites file */
    stg_throttle throttle;      /* AUTO, RATE or WORK (never NONE) */
    bool has_utc;
    int utc_offset;             /* its site's clock (has_utc) */
    char *note;                 /* comment lines ('\n' between), or NULL */
} stg_imp_computer;

typedef struct {
    char *name;                 /* unique in its group */
    int computer;
    stg_source_kind kind;
    double size;                /* bytes */
    bool churn_relative;
    double churn;               /* fraction of the size, or bytes, a day */
    bool full_only;             /* express_full_only: its group's recovery
                                   points are its express fulls */
    char *note;
} stg_imp_source;

typedef struct {
    char *name;                 /* unique in the fleet */
    int server;
    bool before_rp;
    bool ef_points;             /* syncs just before each recovery point,
                                   and those are its express fulls: no
                                   sync of its own (its sources are
                                   express_full_only; sync not written) */
    int every, offset;          /* seconds (not before_rp, ef_points) */
    int *rp, nrp;               /* seconds of day, ascending */
    unsigned rp_days;
    int *ef, nef;
    unsigned ef_days;
    bool has_cc;
    int cc_from, cc_to;         /* seconds of day; to == from: a whole day */
    unsigned cc_days;
    int first_source, nsources; /* its sources, one run of the array */
    char *note;
} stg_imp_group;

typedef struct {
    int utc_offset;             /* the DPM servers' clock */
    stg_imp_server *servers;
    int nservers;
    stg_imp_computer *computers;
    int ncomputers;
    stg_imp_group *groups;
    int ngroups;
    stg_imp_source *sources;
    int nsources;
    /* what was taken from where, for the summary */
    int churn_history, churn_sites, churn_default;
    int throttle_set, throttle_off, throttle_unknown, throttle_capped;
    int groups_renamed, sources_renamed, groups_empty, sources_other_type,
        sizes_replica, sizes_unknown;
} stg_import;

/* Builds the fleet of nexports exports (names: their file names, for
 * messages) and the sites (NULL: none; sites_name its file name).
 * Returns 0 with *out set (warnings may be in d), -1 when an input is
 * wrong (errors in d; *out NULL), or -2 when out of memory (d->oom). */
int stg_import_build(const stg_dpm_export *const *exports,
                     const char *const *names, int nexports,
                     const stg_sites *sites, const char *sites_name,
                     stg_import **out, stg_diags *d);

void stg_import_free(stg_import *im);

#endif
