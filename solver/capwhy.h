/* stagger: why a capacity or growth answer is what it is, as data
 * (capacity.h's binds and growth_binds).  The solver fills it; io/
 * words it (io/write/capacity_text.h), so the explanations' English
 * lives in one place and other outputs (a report, advice) can use the
 * facts.
 *
 * A reason is a kind and the facts that kind needs; some wrap another
 * reason (`then`).  Names are copied: the probes plan copies of parts of
 * the fleet, whose indices are not the fleet's.
 *
 * Ownership: a reason owns its strings, arrays and `then`; free with
 * stg_capwhy_free() (NULL is fine). */
#ifndef STG_CAPWHY_H
#define STG_CAPWHY_H

#include <stdbool.h>

#include "model/jobs.h"

typedef enum {
    STG_CAPWHY_NOTHING,         /* no transfer and no background crosses
                                   the link */
    STG_CAPWHY_NO_TRANSFER,     /* no transfer crosses it */
    STG_CAPWHY_BACKGROUND,      /* its background alone: rate at `at` */
    STG_CAPWHY_BACKGROUND_BREAKS, /* its background alone breaks the limit */
    STG_CAPWHY_TOP,             /* no capacity up to `rate` meets: `then` */
    STG_CAPWHY_MODEL,           /* the model rejects it: `text` */
    STG_CAPWHY_MODEL_AT,        /* at capacity `rate` the model rejects the
                                   fleet: `text` */
    STG_CAPWHY_BOUND,           /* the bound proves it short: no schedule
                                   keeps more than `pct` */
    STG_CAPWHY_SHORT,           /* the bound proves it short (no figure) */
    STG_CAPWHY_THROTTLE,        /* computer `name`'s throttle `rate`: no
                                   capacity below it is allowed */
    STG_CAPWHY_ONE,             /* one transfer alone (`job` at throttle
                                   `rate`, over `bg`) needs `need` for
                                   `pct` headroom wherever it is placed */
    STG_CAPWHY_PINNED,          /* `job` (`volume`, `duration` at `rate`)
                                   sends `from`-`to` whatever the schedule
                                   (held by `flex`, its window `win_from`-
                                   `win_to`, or its offsets); with it the
                                   peak at `at`: `jobs` */
    STG_CAPWHY_PEAK,            /* the peak at `at`: `jobs`, over `bg` */
    STG_CAPWHY_BACKLOG,         /* computer `name` never empties its queue:
                                   it cannot catch up */
    STG_CAPWHY_LINK,            /* link `name`: `then` */
    STG_CAPWHY_LAG,             /* group `name`: lag `lag`, over `max_lag` */
    STG_CAPWHY_CC_LATE,         /* group `name`'s check ends `over` seconds
                                   after its window */
    STG_CAPWHY_QUEUE,           /* computer `name` never empties its queue
                                   (a broken rule of the plan) */
    STG_CAPWHY_STOPPED,         /* stopped before the search ended */
    STG_CAPWHY_GROWTH           /* at `factor`: `then` (the model rejects
                                   the fleet when `rejected`); no `then`:
                                   the limit is broken */
} stg_capwhy_kind;

typedef struct {
    char *group, *computer;
    stg_job_kind kind;
} stg_capwhy_job;

typedef struct stg_capwhy stg_capwhy;

struct stg_capwhy {
    stg_capwhy_kind kind;
    int cycle;                  /* seconds: times are printed in it */
    char *name;                 /* the link, computer or group named */
    char *text;                 /* MODEL, MODEL_AT: the model's message */
    double rate;                /* bps (see the kinds) */
    double need;                /* ONE: bps */
    double pct;                 /* BOUND, ONE: a headroom (fraction) */
    double factor;              /* GROWTH */
    bool rejected;              /* GROWTH */
    int at;                     /* seconds in the cycle */
    /* ONE, PINNED: the transfer */
    stg_capwhy_job job;
    double volume;              /* PINNED: bytes */
    int duration;               /* PINNED: seconds alone */
    int flex;                   /* PINNED express full: its flex */
    int win_from, win_to;       /* PINNED check: its window */
    int from, to;               /* PINNED: where it sends, seconds */
    /* PEAK, PINNED: the transfers at the peak, at most a few named */
    stg_capwhy_job *jobs;
    int njobs;
    int more;                   /* ... and this many more */
    bool skip;                  /* PINNED: the others ("nothing else") */
    /* the background in force (PEAK, PINNED: at `at`; ONE: where the
     * transfer peaks): its rate and the entries' windows */
    double bg;
    int nbg;
    int *bg_from, *bg_to;       /* seconds of day */
    int lag, max_lag, over;     /* LAG, CC_LATE: seconds */
    stg_capwhy *then;
};

/* A reason of the kind, zeroed (NULL when out of memory). */
stg_capwhy *stg_capwhy_new(stg_capwhy_kind kind, int cycle);

/* A deep copy (NULL when out of memory, or when w is NULL). */
stg_capwhy *stg_capwhy_copy(const stg_capwhy *w);

void stg_capwhy_free(stg_capwhy *w);

#endif
