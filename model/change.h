/* stagger: changes to a fleet that an administrator can make beside the
 * stagger itself (a throttle, a group split by computer, an express full
 * or a check window moved, a sync made less frequent, a group moved to
 * another DPM server, a link made wider), and a fleet with them made.
 *
 * Changes name what they change by index into the fleet they are made
 * on.  A split appends the new groups after the fleet's, so the indices
 * of what was there stay valid through a list of changes.
 *
 * stg_fleet_changed() returns a new fleet (free with stg_fleet_free()),
 * finished: the model's rules hold for it, or it is NULL with the first
 * error written into err (a throttle too low to move the volume of a
 * cycle, a sync period the fleet format does not allow...). */
#ifndef STG_CHANGE_H
#define STG_CHANGE_H

#include <stdbool.h>
#include <stddef.h>

#include "fleet.h"

typedef enum {
    STG_CHANGE_THROTTLE,        /* computer: a new throttle */
    STG_CHANGE_SPLIT,           /* group: one group per computer */
    STG_CHANGE_EXPRESS_FULL,    /* group: every express-full time moved */
    STG_CHANGE_CHECK,           /* group: the check window moved */
    STG_CHANGE_SYNC_EVERY,      /* group: a longer sync period */
    STG_CHANGE_SERVER,          /* group: to another DPM server, with its
                                   computers */
    STG_CHANGE_CAPACITY         /* link: a new capacity */
} stg_change_kind;

typedef struct {
    stg_change_kind kind;
    int target;                 /* computer, group or link index */
    stg_throttle throttle;      /* THROTTLE: the new one (RATE or WORK) */
    int shift;                  /* EXPRESS_FULL, CHECK: seconds added */
    int every;                  /* SYNC_EVERY: the new period (seconds) */
    int server;                 /* SERVER: the new server */
    double capacity;            /* CAPACITY: bps */
} stg_change;

/* The name the split of group g gives to the group of computer c: "NAME
 * (HOST)", HOST the computer's name up to its first dot.  Allocated;
 * NULL when out of memory. */
char *stg_split_name(const stg_fleet *f, int g, int c);

/* f with the n changes made, in order; see above.  err (size bytes) gets
 * the reason when the model rejects the result (the function then
 * returns NULL; it also does when out of memory, with err empty). */
stg_fleet *stg_fleet_changed(const stg_fleet *f, const stg_change *ch, int n,
                             char *err, size_t size);

/* What a server move of group g takes along: the group, its computers
 * and every group on them, closed (comp: f->ncomputers entries, grp:
 * f->ngroups; both overwritten).  Returns 0. */
int stg_change_closure(const stg_fleet *f, int g, bool *comp, bool *grp);

/* Rank of a change's kind by how much it disturbs: a throttle first,
 * capacity last (the order of the advice). */
int stg_change_rank(stg_change_kind kind);

#endif
