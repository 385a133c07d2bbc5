/* stagger: a re-plan that moves as few groups as it can (stagger plan
 * --from): administrators change a running estate one step at a time.
 *
 * From a plan and the settings the estate runs (a schedule file's, or
 * the fleet's own), the settings the estate runs are taken whole when
 * they are as good as the plan; otherwise each group the plan moves (in
 * name order), then each computer whose throttle it changes, is put back
 * as it was when the schedule stays as good.  "As good": the worst
 * link keeps the plan's headroom, every other link the required one (or
 * the plan's, where the plan has it below), and no other rule is broken
 * that the plan keeps: the headroom a plan gives above the limit is not
 * worth a change in DPM.  Each try is one simulation of the whole fleet; the
 * tries stop at the limit (the groups not tried keep the plan's times).
 *
 * Knows nothing of files.  *out is a new schedule with the plan's bounds
 * (free with stg_schedule_free()). */
#ifndef STG_MINIMAL_H
#define STG_MINIMAL_H

#include <stdbool.h>

#include "clock.h"
#include "model/fleet.h"
#include "model/schedule.h"
#include "model/settings.h"

typedef struct {
    int moved;                  /* groups whose times differ from from's */
    int throttles;              /* computers whose throttles differ */
    int tried;                  /* groups and computers tried */
    bool whole;                 /* from's settings taken whole */
    bool stopped;               /* the limit cut the tries short */
} stg_minimal;

/* Returns 0, or -1 when out of memory. */
int stg_plan_minimal(const stg_fleet *f, const stg_schedule *plan,
                     const stg_settings *from, const stg_limit *lim,
                     stg_schedule **out, stg_minimal *res);

#endif
