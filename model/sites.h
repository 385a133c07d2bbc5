/* stagger: what DPM does not know of an estate, given to `stagger
 * import` in a sites file (docs/import.md, "The sites file"): the
 * network links, each DPM server's path and max_jobs, and the sites
 * whose computers (matched by name patterns) sit behind the same links,
 * with their defaults (churn, clock).
 *
 * Plain data, knowing nothing of YAML: io/read/sites_read.c fills it.
 * Every string and array is allocated with model/alloc.h and owned by
 * the stg_sites; stg_sites_free() releases everything.  Units as in
 * model/fleet.h. */
#ifndef STG_SITES_H
#define STG_SITES_H

#include <stdbool.h>

#include "diag.h"
#include "fleet.h"

/* A churn as a fleet writes it: a share of the size per day
 * ("2%/day", relative) or bytes per day ("60GB/day"). */
typedef struct {
    bool set;
    bool relative;
    double value;               /* fraction per day, or bytes per day */
    stg_loc loc;
} stg_churn_default;

typedef struct {
    char *name;
    int *path;                  /* indices into the stg_sites' links */
    int npath;
    char **patterns;            /* computer names: * and ?, any case */
    int npatterns;
    stg_churn_default churn;    /* its sources' churn, when the history
                                   has none */
    bool has_utc;
    int utc_offset;             /* its computers' clock (seconds east of
                                   UTC) */
    stg_loc loc;
} stg_site;

typedef struct {
    char *name;                 /* the DPM server, as the export names it */
    int *path;                  /* indices into the links */
    int npath;
    int max_jobs;               /* 0: no limit */
    stg_loc loc;
} stg_site_server;

typedef struct {
    stg_link *links;            /* as a fleet's (background included) */
    int nlinks;
    stg_site_server *servers;
    int nservers;
    stg_site *sites;
    int nsites;
    bool has_headroom;
    double headroom;            /* the fleet's, when given */
    stg_churn_default churn;    /* every site's default churn */
} stg_sites;

void stg_sites_free(stg_sites *s);

/* True when name matches pattern: * any run of characters, ? one, the
 * rest compared without regard to (ASCII) case. */
bool stg_glob_match(const char *pattern, const char *name);

/* The first site with a pattern that matches computer, or -1. */
int stg_sites_match(const stg_sites *s, const char *computer);

/* The server of that name (compared without regard to case), or -1. */
int stg_sites_server(const stg_sites *s, const char *name);

#endif
