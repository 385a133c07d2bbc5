/* stagger: the fleet as data (links, DPM servers, protected computers,
 * protection groups and their data sources).
 *
 * Knows nothing of YAML: a reader fills a stg_fleet (every string and
 * array allocated with stg_alloc and owned by the fleet), then calls
 * stg_fleet_finish() to resolve defaults and run the semantic checks.
 * stg_fleet_free() releases everything.
 *
 * Units inside the model:
 *   sizes and volumes  bytes (double)
 *   rates, capacities  bits per second (double)
 *   durations, times   whole seconds (int); a time of day is seconds after
 *                      midnight, a time in the cycle is seconds after the
 *                      cycle start (Monday 00:00 in a week cycle)
 *   fractions          0..1 (double)
 *   days               bit mask, STG_MON .. STG_SUN */
#ifndef STG_FLEET_H
#define STG_FLEET_H

#include <stdbool.h>

#include "diag.h"

#define STG_DAY 86400
#define STG_WEEK (7 * STG_DAY)

enum {
    STG_MON = 1 << 0, STG_TUE = 1 << 1, STG_WED = 1 << 2, STG_THU = 1 << 3,
    STG_FRI = 1 << 4, STG_SAT = 1 << 5, STG_SUN = 1 << 6,
    STG_WEEKDAYS = 0x1f, STG_WEEKEND = 0x60, STG_DAILY = 0x7f
};

/* A rate that applies from..to (seconds of day; to <= from wraps past
 * midnight, from == to is the whole day) on the given days; a window
 * that wraps belongs to the day it starts on. */
typedef struct {
    int from, to;
    unsigned days;
    double rate;
    stg_loc loc;
} stg_timed_rate;

typedef struct {
    char *name;
    double capacity;            /* bps */
    stg_timed_rate *background;
    int nbackground;
    double *others;             /* per slot (cycle / resolution of them):
                                   load that is not the fleet's to plan,
                                   added to the background (the planner
                                   gives a part the load of the other
                                   parts on a link they share); NULL: none.
                                   Never read from a file. */
    stg_loc loc, capacity_loc;
} stg_link;

typedef struct {
    char *name;
    int *path;                  /* link indices */
    int npath;
    int max_jobs;               /* 0: no limit */
    stg_loc loc;
} stg_server;

typedef enum {
    STG_THROTTLE_AUTO,          /* none set today; planning recommends one */
    STG_THROTTLE_NONE,          /* unthrottled: the whole bottleneck */
    STG_THROTTLE_RATE,          /* one rate all the time */
    STG_THROTTLE_WORK           /* work rate in work hours, other outside */
} stg_throttle_kind;

typedef struct {
    stg_throttle_kind kind;
    double rate;                /* RATE */
    double work, other;         /* WORK */
    bool has_hours;             /* WORK, or AUTO with a work/other pair */
    int hours_from, hours_to;   /* seconds of day */
    unsigned days;              /* days the work hours apply */
    int shift;                  /* seconds from the DPM servers' clock to
                                   the computer's, whose clock its work
                                   hours and days are in (set by
                                   stg_fleet_finish()) */
} stg_throttle;

typedef struct {
    char *name;
    int server;                 /* index; -1 until resolved */
    int *path;                  /* links of its own (not the server's) */
    int npath;
    int *full_path;             /* own path then the server's, no repeats */
    int nfull_path;
    stg_throttle throttle;
    int utc_offset;             /* its clock, seconds east of UTC */
    bool utc_offset_set;        /* written (else the fleet's) */
    stg_loc loc, throttle_loc, server_loc, utc_loc;
} stg_computer;

typedef enum {
    STG_SRC_FILE, STG_SRC_SQL, STG_SRC_EXCHANGE, STG_SRC_SHAREPOINT,
    STG_SRC_HYPERV, STG_SRC_SYSTEM, STG_SRC_CLIENT
} stg_source_kind;

typedef struct {
    char *name;
    int computer;               /* index */
    stg_source_kind kind;
    double size;                /* bytes */
    double churn;               /* bytes per day (a %/day is resolved) */
    double sync_volume;         /* bytes per job; < 0: derived */
    double full_volume;
    double cc_volume;
    double cc_ratio;            /* default 0.01 */
    bool full_only;             /* express_full_only: no syncs; its group's
                                   express fulls carry its changes */
    stg_loc loc;
} stg_source;

typedef struct {
    char *name;
    int server;                 /* index; -1 until resolved */
    /* sync */
    int sync_every;             /* seconds; 0 with before_recovery_point */
    int sync_offset;            /* seconds, as configured today */
    bool before_rp;
    /* recovery points (file data) */
    int *rp_at;                 /* seconds of day, ascending */
    int nrp;
    unsigned rp_days;
    /* express full (application data) */
    int *ef_at;                 /* seconds of day, ascending */
    int nef;
    unsigned ef_days;
    int ef_flex;                /* seconds */
    /* consistency check window */
    bool has_cc;
    int cc_from, cc_to;         /* seconds of day; to <= from wraps */
    unsigned cc_days;
    int max_lag;                /* seconds; 0: none */
    double saving;              /* on-the-wire compression: the share of
                                   its bytes it saves (0: none) */
    int *sources;               /* indices into fleet.sources */
    int nsources;
    stg_loc loc, server_loc, sync_loc, offset_loc, ef_loc, cc_loc, rp_loc;
} stg_group;

typedef struct stg_fleet {
    int version;
    int cycle;                  /* STG_DAY or STG_WEEK */
    bool cycle_set;             /* written in the file */
    int resolution;             /* seconds */
    double headroom;            /* required, 0..1 */
    double efficiency;          /* 0..1 */
    int utc_offset;             /* the DPM servers' clock, seconds east of
                                   UTC (every time but a computer's work
                                   hours is in it) */
    stg_loc cycle_loc, resolution_loc, headroom_loc;
    stg_link *links;
    int nlinks;
    stg_server *servers;
    int nservers;
    stg_computer *computers;
    int ncomputers;
    stg_group *groups;
    int ngroups;
    stg_source *sources;
    int nsources;
} stg_fleet;

/* A fleet with the defaults of fleet.md (cycle unset, 1m, 15%, 80%). */
stg_fleet *stg_fleet_new(void);
void stg_fleet_free(stg_fleet *f);

/* Index by name, or -1. */
int stg_fleet_link(const stg_fleet *f, const char *name);
int stg_fleet_server(const stg_fleet *f, const char *name);
int stg_fleet_computer(const stg_fleet *f, const char *name);
int stg_fleet_group(const stg_fleet *f, const char *name);

/* The fleet's group and computer names in byte order, for many lookups
 * (a schedule names a group and a computer per transfer): the same
 * answers as stg_fleet_group() and stg_fleet_computer(), by halves
 * rather than one name after another.  It reads f, which must outlive it
 * unchanged; the caller frees it with stg_fleet_names_free().  NULL when
 * out of memory. */
typedef struct stg_fleet_names stg_fleet_names;
stg_fleet_names *stg_fleet_names_new(const stg_fleet *f);
void stg_fleet_names_free(stg_fleet_names *x);
int stg_fleet_names_group(const stg_fleet_names *x, const char *name);
int stg_fleet_names_computer(const stg_fleet_names *x, const char *name);

/* Resolves defaults (cycle, groups' and computers' servers, full paths)
 * and runs the checks that need the whole fleet: ranges, days against the
 * cycle, resolution against the cycle, sync periods, offsets and times, a
 * sync that cannot finish within its period, a computer whose volume per
 * cycle exceeds what its throttle moves, a throttle above its path's
 * capacity, unthrottled computers and express fulls without application
 * sources (warnings).  The volume and throttle checks run only when the
 * others found nothing.  Adds to diags (out of memory: an error and
 * diags->oom); returns the number of errors found.  May be called again
 * after a change (full paths are rebuilt). */
int stg_fleet_finish(stg_fleet *f, stg_diags *diags);

/* The bottleneck capacity of a computer's full path (bps); INFINITY when
 * the path is empty (needs stg_fleet_finish() for the full path). */
double stg_fleet_bottleneck(const stg_fleet *f, int computer);

/* A group's lag (its longest sync release-to-done time) this many times
 * its sync period is worth a warning where no max_lag makes it a rule:
 * its recovery points come that late (docs/model.md). */
#define STG_LAG_WARN_FACTOR 4

/* What `compression: true` saves of a group's bytes on the wire (this
 * tool's assumption: DPM publishes no ratio; write the share measured
 * from the job details instead, e.g. compression: 45%). */
#define STG_COMPRESSION_SAVING 0.30

/* The bytes group g puts on the wire for each byte of its data (1 minus
 * its compression's saving). */
static inline double stg_group_wire(const stg_fleet *f, int g)
{
    return 1 - f->groups[g].saving;
}

/* Whether group g's lag (seconds) is over factor times its sync period
 * (groups that sync before their recovery points have none: false). */
bool stg_group_lag_over(const stg_fleet *f, int g, int lag, int factor);

/* Gives every group without a max_lag one of factor times its sync
 * period (`--max-lag-factor`); groups that sync before their recovery
 * points keep none. */
void stg_fleet_set_lag_factor(stg_fleet *f, int factor);

/* True when link l is on computer c's full path. */
/* Computer c's clock, seconds east of UTC: its utc_offset, else the
 * fleet's (the DPM servers'); its throttle's work hours are on it. */
int stg_computer_clock(const stg_fleet *f, int c);

bool stg_computer_crosses(const stg_computer *c, int l);
/* Whether some computer crosses both links a and b. */
bool stg_links_meet(const stg_fleet *f, int a, int b);

/* Background rate on a link at a time in the cycle (bps), the others'
 * load included. */
double stg_link_background_at(const stg_fleet *f, const stg_link *l, int t);

/* The bytes a consistency check of source s moves: its cc_volume when
 * the fleet gives one, else its size times its cc_ratio. */
double stg_source_cc_volume(const stg_source *s);

/* The length of group g's consistency-check window (seconds; a window
 * whose end is its start is a whole day). */
int stg_cc_window_len(const stg_group *g);

/* True when a daily window [from,to) on the given days covers cycle time t. */
bool stg_window_covers(int cycle, int from, int to, unsigned days, int t);

/* A window of the servers' clock (from, to: seconds of day; days: the
 * days it starts on) in the terms of a clock shift seconds ahead (a
 * computer's): the same stretch of time, its start moved to that
 * clock's day. */
void stg_window_shift(int shift, int *from, int *to, unsigned *days);

#endif
