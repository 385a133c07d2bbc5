/* stagger: a fleet split into parts that can be planned apart.
 *
 * Two computers belong to one part when
 *  - a group has sources on both: DPM starts a group's jobs on all its
 *    computers together, so one decision moves both;
 *  - a link on both their paths is the narrowest link of some computer's
 *    path (a branch line: where the headroom is won or lost, planned
 *    with everything on it);
 *  - a wider link on both their paths (every computer on it reaches it
 *    through a narrower one: a regional hub, a data-centre core) binds
 *    and is busy: with every computer on it sending at once (at most
 *    max_jobs of each server's) its headroom would fall below the
 *    required one at some slot, and its mean load (what every schedule
 *    puts on it on average) is at least half the load the limit allows;
 *    unless it is crowded: more than STG_JOIN_MAX computers, and more
 *    than a quarter of the fleet's, cross it (a data-centre core: one
 *    part of all of them could not be planned in any time limit; its
 *    parts are planned against each other's load on it instead);
 *  - a link on both their paths is forced (force[l]: the planner joins
 *    the parts of a shared link that their plans took below the limit or
 *    below the worst link of their own, and plans them again together);
 *  - their server is forced (force_server[s]: the planner joins the parts
 *    of a server whose max_jobs made a computer wait in their plans put
 *    together: who waits depends on what all its computers do).
 * What parts share is then wide links that cannot bind or carry little on
 * average, and servers: those bind only where the parts' plans happen to
 * meet, which the planner checks once it has them.  A part's own links
 * carry only its computers' load, which its decisions alone decide (when
 * no computer waits): each part can be planned, and its links bounded for
 * schedules without waits, on its own, and the plans put together load
 * every own link the same way.
 *
 * stg_parts_split() returns a new stg_parts the caller frees with
 * stg_parts_free(); the fleet and settings are only read. */
#ifndef STG_PARTS_H
#define STG_PARTS_H

#include <stdbool.h>

#include "model/fleet.h"
#include "model/settings.h"

/* A wide link crossed by more computers than this (and by more than a
 * quarter of the fleet's) is crowded: it never joins its computers, not
 * when it binds and is busy nor when the planner finds its plans too
 * low there (one part of several thousand computers is more than the
 * search can plan in any time limit: its preparation alone takes a
 * minute). */
#define STG_JOIN_MAX 1000

/* What joined a part's computers (bits of stg_parts.joined). */
enum {
    STG_JOIN_GROUP = 1,         /* a group across several computers */
    STG_JOIN_LINK = 2,          /* a link that can bind */
    STG_JOIN_SERVER = 4         /* a server's max_jobs */
};

typedef struct stg_parts_s {
    int nparts;                 /* numbered by their first computer */
    int *part_of_computer;      /* per computer */
    int *part_of_group;         /* per group; -1 when it has no sources */
    int *part_of_link;          /* per link: the part whose computers alone
                                   cross it; -1 when several parts share it
                                   (it cannot bind) or none crosses it */
    double *link_worst;         /* per link: headroom with every computer
                                   on it sending at once (at most max_jobs
                                   per server); 1 when none crosses it */
    double *link_mean;          /* per link: its mean utilization in every
                                   schedule (background and the volumes) */
    bool *link_binds;           /* per link: link_worst below the required
                                   headroom */
    bool *link_behind;          /* per link: every computer on it has a
                                   narrower link on its path */
    int *link_computers;        /* per link: the computers that cross it */
    bool *link_crowded;         /* per link: wide and crossed by too many
                                   computers to join (STG_JOIN_MAX) */
    bool *link_joins;           /* per link: it joins its computers */
    bool *server_waits;         /* per server: max_jobs below its number of
                                   computers (a computer may wait) */
    /* per part k: its computers, own links and groups, in fleet order */
    int *comp_off, *comp;       /* comp[comp_off[k] .. comp_off[k+1]) */
    int *link_off, *link;
    int *group_off, *group;
    unsigned *joined;           /* per part: STG_JOIN_* bits */
    bool *forced;               /* per link: joined because forced */
    bool *forced_server;        /* per server: likewise */
} stg_parts;

/* Splits f with the throttles of s; force and force_server (either may
 * be NULL) name links and servers that join their computers whatever
 * else (a crowded link too: the caller decides).  NULL when out of memory. */
stg_parts *stg_parts_split(const stg_fleet *f, const stg_settings *s,
                           const bool *force, const bool *force_server);
void stg_parts_free(stg_parts *pt);

/* The part with the most computers (ties: the first). */
int stg_parts_largest(const stg_parts *pt);

#endif
