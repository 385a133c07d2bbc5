/* stagger: the settings an administrator makes in DPM, which decide when
 * every job is released: per group the sync offset, the express-full
 * times and the consistency-check start; per computer the throttle.
 *
 * "Today's settings" are the fleet as written; a plan is the same
 * structure with the planner's choices, so both go through the same
 * simulation.  A settings value owns its arrays; stg_settings_free()
 * releases it. */
#ifndef STG_SETTINGS_H
#define STG_SETTINGS_H

#include <stdbool.h>

#include "fleet.h"

typedef struct {
    int ngroups, ncomputers;
    int *sync_offset;           /* per group, seconds */
    int *ef_base;               /* per group: first index into ef_at */
    int *ef_at;                 /* express-full times, seconds of day */
    int *cc_start;              /* per group, seconds of day; -1: no check */
    stg_throttle *throttle;     /* per computer: RATE, WORK (never AUTO, NONE) */
    bool *recommended;          /* per computer: throttle chosen by planning */
} stg_settings;

/* The fleet as configured today: offsets and times as written, each
 * check at the start of its window, AUTO and NONE computers unthrottled
 * (their path's bottleneck).  NULL when out of memory. */
stg_settings *stg_settings_today(const stg_fleet *f);
stg_settings *stg_settings_copy(const stg_settings *s);
void stg_settings_free(stg_settings *s);

/* True when group g of a and group h of b have different times: sync
 * offset, express-full times or check start (what a plan moves). */
bool stg_settings_group_moved(const stg_settings *a, int g,
                              const stg_settings *b, int h);

/* True when group g of fleet a and group h of fleet b offer a plan the
 * same choices: sync period, recovery-point times, express-full times,
 * days and flex, check window (fleets of one cycle and resolution), so
 * that times planned for one are valid for the other. */
bool stg_group_same_choices(const stg_fleet *a, int g, const stg_fleet *b,
                            int h);

/* Group g's times in dst set to those of group h in src (same number of
 * express fulls: the same fleet's group). */
void stg_settings_group_copy(stg_settings *dst, int g,
                             const stg_settings *src, int h);

/* True when throttles a and b give the same rate at every time (the
 * same kind, and the same rate, or the same work/other rates, hours and
 * days); fields no rate depends on are not compared. */
bool stg_throttle_same(const stg_throttle *a, const stg_throttle *b);

/* Replaces each AUTO computer's throttle with the planner's
 * recommendation: the largest rate that keeps the required headroom on
 * every link of its path over the background in force (per work/other
 * period when the computer gives hours) when it sends together with the
 * fastest other computer on that link (half the room when another AUTO
 * computer shares it; a quarter at least), raised if needed towards what
 * moves its volume in half the cycle but not past what keeps the limit
 * when it sends alone, rounded down to three significant digits (1Gbps
 * for a computer whose path crosses no link, where any rate loads
 * nothing).  Only when that cannot move its volume STG_CATCH_UP times
 * over is it raised further, to the smallest rate that does (the other
 * rate first): stg_throttle_over() then finds the limit broken.  Marks
 * them recommended. */
void stg_settings_recommend_throttles(const stg_fleet *f, stg_settings *s);

/* The lowest throttle planning recommends for computer c: what moves its
 * volume per cycle in half the cycle (bps). */
double stg_throttle_floor(const stg_fleet *f, int c);

/* A recommended throttle must move its computer's volume per cycle this
 * many times over (busy at most 80% of the cycle); when only a rate that
 * breaks the limit by itself does, that rate is recommended and flagged
 * (stg_throttle_over). */
#define STG_CATCH_UP 1.25

/* Bytes computer c has to send per cycle (its sources' churn, express
 * fulls and checks). */
double stg_computer_cycle_volume(const stg_fleet *f, int c);

/* Bytes throttle th moves in one cycle when it sends all the time. */
double stg_throttle_cycle_bytes(const stg_fleet *f, const stg_throttle *th);

/* The largest rates (a work and an other one where th has hours) at which
 * computer c, sending alone over the background, keeps the headroom on
 * every link of its path (0 where the background alone breaks it). */
void stg_throttle_keeping(const stg_fleet *f, int c, const stg_throttle *th,
                          stg_throttle *out);

/* Where computer c's throttle in s, sending alone over the background,
 * breaks the required headroom on a link of its path (where the
 * background alone keeps it): returns the link it exceeds most and sets
 * *at (cycle seconds of that moment) and *over (bps above the limit
 * there); -1 when it keeps the headroom everywhere. */
int stg_throttle_over(const stg_fleet *f, const stg_settings *s, int c,
                      int *at, double *over);

/* A positive rate rounded down to three significant digits. */
double stg_rate_round_down(double bps);

/* Computers whose throttles are equal share a profile: profile[c]
 * receives computer c's profile (0 .. n-1, numbered by first computer)
 * and owner[k] the first computer of profile k.  Both have room for
 * s->ncomputers entries.  Returns n. */
int stg_throttle_profiles(const stg_settings *s, int *profile, int *owner);

/* Throttle (bps) of a computer at cycle time t. */
double stg_throttle_at(const stg_fleet *f, const stg_throttle *th, int t);
/* Whether time t of the cycle (the servers' clock) falls in th's work
 * hours, which are on its computer's clock (th->shift). */
bool stg_throttle_in_work(const stg_fleet *f, const stg_throttle *th, int t);

/* Bytes a computer moves in one slot starting at cycle time t. */
double stg_slot_bytes(const stg_fleet *f, const stg_throttle *th, int t);

/* Whole slots a computer needs to move volume bytes when it starts alone
 * at cycle time t (cyclic); -1 when it cannot within one cycle. */
int stg_transfer_slots(const stg_fleet *f, const stg_throttle *th, int t,
                       double volume);

#endif
