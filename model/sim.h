/* stagger: the simulation that turns release times into transfers and
 * per-slot link loads (fleet.md, "The load model").
 *
 * Each computer sends whenever it has anything queued, first come first
 * served, at the throttle in force; a sync released while the previous
 * sync of its group on that computer is queued merges into it; a server
 * lets at most max_jobs of its computers send at once (a sending computer
 * keeps its place until its queue is empty; waiting ones are admitted by
 * the release time of their oldest job, then name).  Cycles are simulated
 * from empty queues until the queue state at the cycle boundary repeats;
 * that cycle is the one reported.  Where it comes back only every second
 * cycle, the heavier of the two alternating cycles is reported and the
 * server's computers are marked (alternates).  A cycle reported without
 * a repeat (that one, or the eighth of a server whose state never
 * repeats) lists what each computer sent in it, each transfer cut to the
 * cycle: its transfers are its busy slots, their volumes the bytes moved
 * in it. 
 *
 * stg_sim_run() returns a stg_sim the caller frees with stg_sim_free(). */
#ifndef STG_SIM_H
#define STG_SIM_H

#include "fleet.h"
#include "jobs.h"
#include "settings.h"

typedef struct {
    int group, computer;
    stg_job_kind kind;
    int release;                /* seconds in [0, cycle) */
    int start, end;             /* seconds, start >= release, end exclusive;
                                   may pass the cycle end (wrap) */
    double volume;              /* bytes (merged syncs: the sum) */
} stg_transfer;

typedef struct {
    int cycle, resolution, nslots, nlinks, ncomputers, ngroups;
    stg_transfer *transfers;    /* sorted by start, computer, group */
    int ntransfers;
    double *load;               /* nlinks x nslots: bps incl. background */
    int *busy;                  /* per computer: busy slots in the cycle */
    int *lag;                   /* per group: longest sync release-to-end,
                                   seconds; -1 when it has no sync, or a
                                   source on a computer that cannot catch
                                   up (its lag grows every cycle) */
    int *cc_late;               /* per group: seconds a check ended past its
                                   window (0: in time) */
    int *never_idle;            /* per computer: 1 when its queue never
                                   empties (cannot catch up) */
    int *waited;                /* per computer: slots it had something
                                   queued but no max_jobs place */
    int *alternates;            /* per computer: 1 when its server's queue
                                   state at the boundary alternates between
                                   two cycles (no cycle repeats); the one
                                   reported is the one whose busy slots
                                   load the links more */
} stg_sim;

/* Returns 0, -1 when out of memory, or 1 when some computer can never
 * empty its queue (then never_idle says which; transfers are those of
 * the last cycle simulated). */
int stg_sim_run(const stg_fleet *f, const stg_settings *s, stg_sim **out);
void stg_sim_free(stg_sim *sim);

static inline double stg_sim_load(const stg_sim *sim, int link, int slot)
{
    return sim->load[(long)link * sim->nslots + slot];
}

#endif
