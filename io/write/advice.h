/* stagger: advice in words and as a scenarios file (docs/advice.md).
 *
 * stg_advice_print() writes, for each link below the limit, its reasons
 * and the change sets found, then the whole-fleet sets.
 *
 * stg_advice_scenarios() turns the change sets into a scenarios file
 * (docs/scenarios.md) that `stagger whatif` replays: the whole-fleet sets
 * first ("advice-1", ...), then every link's ("LINK-1", ...).  A group
 * split copies the group's entry from the fleet document (fleet_text),
 * one per computer after the first, with that computer's sources, and
 * removes those sources from the group.  Returns 0 with *text (allocated,
 * NUL-terminated, *len bytes) and the number of scenarios in *count (0:
 * nothing worth writing), or -1 with *cause (allocated). */
#ifndef STG_IO_ADVICE_H
#define STG_IO_ADVICE_H

#include <stddef.h>
#include <stdio.h>

#include "model/fleet.h"
#include "model/schedule.h"
#include "solver/advise.h"

void stg_advice_print(FILE *out, const stg_fleet *f, const stg_schedule *sc,
                      const stg_advice *a);

/* The reasons alone, for plan and check: "why site-wan is below the
 * limit:" and the reasons of each link, then the hint to run advise
 * (nothing when a is NULL or has no link). */
void stg_advice_print_why(FILE *out, const stg_fleet *f, const stg_advice *a,
                          const char *fleet_path);

/* The same as YAML comments, for the end of a schedule file ("# why
 * LINK is below the limit:" and "#   - " each reason).  Returns 0, or -1
 * when the output fails. */
int stg_advice_write_why(FILE *out, const stg_fleet *f, const stg_advice *a,
                         const char *fleet_path);

/* One reason in words, without a line end. */
void stg_why_text(const stg_fleet *f, const stg_link *lk, const stg_why *w,
                  char *buf, size_t n);

/* A recommended throttle that breaks the limit by itself (the computer
 * has more to move than any throttle that keeps the headroom carries,
 * model/settings.h stg_throttle_over): its warning in words, without a
 * line end, into buf.  Returns 1, or 0 (buf untouched) when computer c's
 * throttle in s is not recommended or keeps the limit. */
int stg_throttle_warning(const stg_fleet *f, const stg_settings *s, int c,
                         char *buf, size_t n);

/* A group without max_lag whose lag is over STG_LAG_WARN_FACTOR times its
 * sync period in schedule sc: its warning in words into buf.  Returns 1,
 * or 0 (buf untouched). */
int stg_lag_warning(const stg_fleet *f, const stg_schedule *sc, int g,
                    char *buf, size_t n);

/* A server whose queues alternate between two cycles in sc (model/sim.h,
 * alternates): its warning in words into buf.  Returns 1, or 0 (buf
 * untouched). */
int stg_alternate_warning(const stg_fleet *f, const stg_schedule *sc,
                          int server, char *buf, size_t n);

/* Every such warning of sc (throttles, lags, then alternating servers),
 * one line each after
 * prefix ("warning: " for plan and check, "# warning: " in a schedule
 * file).  Returns how many, or -1 when the output fails. */
int stg_advice_print_warnings(FILE *out, const stg_fleet *f,
                              const stg_schedule *sc, const char *prefix);

/* The links at risk (headroom under 50%) that end more than a point
 * below their own bound (the bound without waits where sc has one), as
 * the schedule file prints them (one decimal), the worst first: one line
 * after prefix naming up to six, "3 links at risk end more than a point
 * below their bound: region01-hub 15.5% (bound 20.0%), ...", and what
 * that may mean.  Nothing when there is none.  Returns how many, or -1
 * when the output fails. */
int stg_advice_print_short(FILE *out, const stg_fleet *f,
                           const stg_schedule *sc, const char *prefix);

/* One change in words: "throttle fs01: 40Mbps -> 20Mbps". */
void stg_change_text(const stg_fleet *f, const stg_schedule *sc,
                     const stg_change *ch, char *buf, size_t size);

int stg_advice_scenarios(const stg_fleet *f, const stg_schedule *sc,
                         const char *fleet_text, size_t fleet_len,
                         const stg_advice *a, char **text, size_t *len,
                         int *count, char **cause);

#endif
