/* stagger: copies of a fleet, whole or in part, and scaled data, for the
 * analyses that plan modified fleets (capacity, growth).
 *
 * Every function returns a new fleet that owns all its strings and arrays
 * (free with stg_fleet_free()), or NULL when out of memory; the source is
 * only read.  A copy keeps the source's resolved state (servers, full
 * paths, cycle); after changing a copy's capacities or data sizes call
 * stg_fleet_finish() on it again to run the model's checks. */
#ifndef STG_FLEET_COPY_H
#define STG_FLEET_COPY_H

#include <stdbool.h>

#include "fleet.h"

/* A deep copy of f. */
stg_fleet *stg_fleet_copy(const stg_fleet *f);

/* The part of a finished fleet made of the computers with keep[c] set:
 * those computers, the data sources on them, the groups holding such
 * sources (with those sources only), the servers of the kept computers
 * and groups, and the links on the kept computers' full paths; every
 * index renumbered, names, locations and the cycle kept (the cycle is
 * marked as set, so finishing the part again keeps it).  The maps, when
 * not NULL, receive for each index of the part the index in f it comes
 * from (arrays of f->nlinks, f->ncomputers, f->ngroups entries). */
stg_fleet *stg_fleet_subset(const stg_fleet *f, const bool *keep,
                            int *link_of, int *computer_of, int *group_of);

/* The same, keeping of those links only the ones with keep_link[l] set
 * (NULL: all); a path loses the links left out. */
stg_fleet *stg_fleet_subset_links(const stg_fleet *f, const bool *keep,
                                  const bool *keep_link, int *link_of,
                                  int *computer_of, int *group_of);

/* Multiplies every data size, churn and volume override (sync_volume,
 * full_volume, cc_volume where given) by factor; capacities, background
 * and throttles are left as they are. */
void stg_fleet_scale_data(stg_fleet *f, double factor);

/* The computers that can affect link l's planned headroom, as a mask
 * over f's computers: those whose full path crosses it, and every
 * computer of a server of theirs whose max_jobs can make its computers
 * wait (whole, or l < 0: every computer).  *count gets the number that
 * cross l.  A new array (stg_free()), or NULL when out of memory. */
bool *stg_fleet_mask_link(const stg_fleet *f, int l, bool whole, int *count);

#endif
