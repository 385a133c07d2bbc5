/* stagger: capacity analysis: for every link, the smallest capacity at
 * which a planned schedule keeps the required headroom on it, and the
 * largest uniform growth of the data that still fits with re-planning
 * (docs/capacity.md).
 *
 * Every answer comes from planner runs ("probes", stg_plan()) on modified
 * copies of the fleet (model/fleet_copy.h), or from the proven per-link
 * bounds (bound.h) where they are valid:
 *
 *  - minimum capacity of link L: L's lowest headroom in the planned
 *    schedule >= the required headroom, the other links as they are.  The
 *    bound proves every capacity below peak / (1 - required) short when
 *    the throttles crossing L do not depend on its capacity (no auto or
 *    unthrottled computer crosses it); the planned schedule's peak gives
 *    a capacity that meets; between the two, bisection over probes at a
 *    stated resolution (stg_capacity_resolution()).
 *  - growth: every size, churn and volume override multiplied by g
 *    (capacities and throttles as they are, auto throttles chosen again by
 *    the planner); per link the largest g (a multiple of 0.01) at which
 *    a schedule planned for that link (stg_capacity_focus()) keeps it at
 *    the limit, and for the whole fleet the largest g at which a
 *    re-planned schedule keeps every rule.  The model and the bound
 *    bracket each answer from above before any planner run.
 *
 * Probes for link L plan only the part of the fleet that can affect it:
 * the computers whose full path crosses L (and every computer of their
 * servers whose max_jobs can make computers wait), their data sources and
 * groups, servers and links.  Parts that come out the same are shared,
 * and so are the growth probes' model checks and bounds.
 *
 * What binds is returned as data (capwhy.h), worded by io/.  Knows nothing
 * of files.  stg_capacity_run() returns a stg_capacity that owns
 * everything it points to; free with stg_capacity_free(). */
#ifndef STG_CAPACITY_H
#define STG_CAPACITY_H

#include <stdbool.h>

#include "capwhy.h"
#include "model/fleet.h"
#include "planner.h"

typedef enum {
    STG_CAP_BOUND,              /* exact: the bound proves every capacity
                                   below it short, a planned schedule
                                   meets the limit at it */
    STG_CAP_SEARCHED,           /* exact with respect to the planner: a
                                   probe at it meets, one a step below
                                   does not */
    STG_CAP_NONE,               /* no capacity up to the search's top meets */
    STG_CAP_STOPPED             /* the search was stopped before an answer */
} stg_cap_method;

typedef struct {
    double capacity;            /* bps, as configured */
    double resolution;          /* bps: answers are multiples of it */
    double headroom_today;      /* today's settings (stg_evaluate, NULL) */
    double headroom_planned;    /* the whole fleet planned */
    double min_capacity;        /* bps (0 unless BOUND or SEARCHED) */
    double proven_below;        /* bps: every capacity below it is proven
                                   short by the bound (0: no proof) */
    double top;                 /* bps: the highest capacity searched */
    stg_cap_method method;
    bool bound_valid;           /* no throttle crossing the link depends on
                                   its capacity */
    stg_capwhy *binds;          /* what binds at the minimum (or why none) */
    double growth;              /* largest factor that fits (multiple of
                                   0.01); meaningful when !growth_stopped */
    bool growth_beyond;         /* fits at the top of the range */
    bool growth_below;          /* short even at 0.01 */
    bool growth_stopped;
    bool growth_proven;         /* the factor a step above breaks for every
                                   schedule (the model or the bound) */
    stg_capwhy *growth_binds;   /* what breaks first above the factor */
    bool analysed;              /* false: left out (opts.link) */
    int part;                   /* index of the part its probes plan */
    int probes;                 /* planner runs of its capacity search */
} stg_cap_link;

typedef struct {
    int nlinks;
    stg_cap_link *links;        /* in the fleet's link order */
    double required;            /* the fleet's required headroom */
    bool meets_today;           /* the planned fleet keeps every rule */
    bool fleet_growth;          /* the fleet-wide growth was searched */
    double growth;              /* fleet-wide: every link, every rule */
    bool growth_beyond, growth_below, growth_stopped, growth_proven;
    stg_capwhy *growth_binds;
    double growth_max;          /* the top of the growth range */
    int nparts;                 /* distinct parts planned */
    int probes;                 /* planner runs in all */
    int bound_checks;           /* probes' bound computations (a probe the
                                   bound proves short is not planned) */
    int limited;                /* of which reached their time limit */
    int early;                  /* of which stopped early, every link at
                                   the limit (plan_probe in capacity.c) */
    double seconds;
    bool stopped;               /* stopped before every search ended */
} stg_capacity;

typedef struct {
    stg_plan_opts plan;         /* every probe (and the plan of today);
                                   time_limit 2s by default; stop (may be
                                   NULL) is the user's, set to 1 to stop */
    double growth_max;          /* top of the growth range (default 100) */
    double capacity_max;        /* top of the capacity range, as a multiple
                                   of the link's capacity (default 1000) */
    int link;                   /* analyse only this link (-1: every link;
                                   then the fleet-wide growth is left out) */
    bool whole_fleet;           /* probes plan the whole fleet, not the
                                   part that can affect the link */
    bool no_bound;              /* search even where the bound is valid
                                   (to compare the two; tests) */
    bool skip_growth;           /* leave the growth searches out */
    /* Called before each probe: what is searched ("capacity" or
     * "growth"), the link (-1: the fleet) and the probes so far. */
    void (*progress)(void *arg, const char *what, const char *link,
                     int probes, double elapsed);
    void *progress_arg;
} stg_capacity_opts;

void stg_capacity_opts_init(stg_capacity_opts *o);

/* Runs every search on a finished fleet.  Returns 0 with *out, or -1 with
 * *cause (allocated; out of memory or a solver failure). */
int stg_capacity_run(const stg_fleet *f, const stg_capacity_opts *o,
                     stg_capacity **out, char **cause);
void stg_capacity_free(stg_capacity *c);

/* The fleet a link's growth probe plans at factor g (with whole_fleet;
 * otherwise the same is made of the link's part): f grown by g, every
 * auto and unthrottled computer at the throttle the planner chooses for
 * the grown fleet, and every other link's capacity out of the way (1e15
 * bps), so that the plan is made for link l alone; finished.  Returns 0
 * with *out, 1 with *why (allocated) when the model rejects the grown
 * fleet, -1 when out of memory. */
int stg_capacity_focus(const stg_fleet *f, int l, double g, stg_fleet **out,
                       char **why);

/* The step of a link's capacity answers: the largest power of ten in bps
 * at most 1% of its capacity (1Kbps at least): 20Mbps -> 100Kbps,
 * 100Mbps -> 1Mbps, 1Gbps -> 10Mbps. */
double stg_capacity_resolution(double capacity);

/* Whole months until growth at rate (per month, > 0) passes factor g:
 * floor(log(g) / log(1 + rate)), 0 when g < 1.  -1 ("never") when
 * beyond is set (the factor is above the search's range). */
int stg_capacity_months(double g, bool beyond, double rate);

#endif
