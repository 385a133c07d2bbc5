/* stagger: scores a simulated cycle: per link the lowest headroom and
 * when, the worst link, lags, and every rule broken.
 *
 * stg_eval_run() returns a stg_eval the caller frees with
 * stg_eval_free(). */
#ifndef STG_EVAL_H
#define STG_EVAL_H

#include "fleet.h"
#include "sim.h"

typedef enum {
    STG_VIOL_HEADROOM,          /* link below the required headroom */
    STG_VIOL_LAG,               /* group's lag above its max_lag */
    STG_VIOL_CC_WINDOW,         /* check ran past its window */
    STG_VIOL_BACKLOG            /* computer never empties its queue */
} stg_viol_kind;

typedef struct {
    stg_viol_kind kind;
    int index;                  /* link, group or computer */
    int from, to;               /* HEADROOM: slot run [from, to); else 0 */
    double amount;              /* HEADROOM: worst shortfall (fraction of
                                   capacity); LAG, CC_WINDOW: seconds over */
} stg_violation;

typedef struct {
    int nlinks;
    double *headroom;           /* per link: lowest headroom (1 - peak) */
    int *at;                    /* per link: first slot where it happens */
    double achieved;            /* lowest over links (1 when no links) */
    int worst_link;             /* -1 when no links */
    int worst_slot;
    stg_violation *violations;
    int nviolations;
} stg_eval;

stg_eval *stg_eval_run(const stg_fleet *f, const stg_sim *sim);
void stg_eval_free(stg_eval *e);

/* Headroom values within this of each other are equal (1e-9). */
#define STG_EPS 1e-9

#endif
