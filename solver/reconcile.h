/* stagger: what-if plans that differ from the baseline's only where
 * their change can reach (stagger whatif; docs/scenarios.md).
 *
 * A plan that reaches its time limit keeps whatever its search found by
 * then, so two plans of fleets that differ in one branch line may differ
 * anywhere: a scenario's row would show a gain on a link its change never
 * touched, one the baseline could have had as well.  stg_reconcile()
 * takes such gains back part by part (the parts of each scenario's
 * fleet, parts.h: what the change cannot reach lies in other parts than
 * the change, or in the same settings):
 *
 *  1. each scenario's settings of a part go into the baseline's plan when
 *     that makes the baseline strictly better (stg_schedule_cmp()): the
 *     baseline row shows the better plan;
 *  2. then the baseline's settings of each part go into every scenario's
 *     plan when that is not worse for the scenario: where the change does
 *     not reach, the scenario keeps the baseline's times.
 *
 * Carried are the times of the groups both fleets have (by name) with
 * the same choices (stg_group_same_choices()); throttles are not (an
 * AUTO throttle is recommended from its own fleet, and the bounds assume
 * it there).  The parts
 * whose carried settings differ are tried together first, then one by
 * one; every try simulates the whole fleet, and the tries stop at the
 * limit.  Bounds stay those of each plan.
 *
 * Knows nothing of files.  Replaced schedules are freed and the new ones
 * stored in *base_sc / scen_sc[i]; the fleets are only read. */
#ifndef STG_RECONCILE_H
#define STG_RECONCILE_H

#include <stdbool.h>

#include "clock.h"
#include "model/fleet.h"
#include "model/schedule.h"

typedef struct {
    int base_taken;             /* parts the baseline took from scenarios */
    int scen_taken;             /* parts scenarios took from the baseline */
    int tried;                  /* candidates simulated */
    bool stopped;               /* the limit cut the tries short */
} stg_reconcile_res;

/* base planned as *base_sc; scenario fleet scen[i] as scen_sc[i], n of
 * them.  Returns 0, or -1 when out of memory (the plans stay valid: each
 * is replaced only by a finished schedule). */
int stg_reconcile(const stg_fleet *base, stg_schedule **base_sc,
                  const stg_fleet *const *scen, stg_schedule **scen_sc, int n,
                  const stg_limit *lim, stg_reconcile_res *res);

#endif
