/* stagger: the schedule file as JSON (`stagger export --to json`,
 * docs/export.md).
 *
 * The same structure and key names as the YAML schedule (schedule.md),
 * from the schedule document alone, with one mapping for every value:
 *
 * - a quantity becomes a number in the model's units, its unit in the
 *   key: capacity_bps, rate_bps, work_bps, other_bps, volume_bytes,
 *   every_s, offset_s, lag_s, over_s (durations in seconds), resolution_s;
 *   fractions (percentages in the YAML) are numbers from 0 to 1 under
 *   the YAML's key (required, achieved, bound, peak, headroom, busy, and
 *   a headroom violation's over); counts and solve.seconds stay numbers;
 * - a time keeps its YAML text ("20:05", "mon 20:05", "08:00-18:00")
 *   under the YAML's key and gains a numeric twin KEY_s: seconds after
 *   midnight for times of day, after the cycle start for times in the
 *   cycle (a transfer's start_s and end_s unwrapped as the reader does:
 *   start at or after release, end after start); a list of times gets a
 *   list twin, a range a two-element one;
 * - days are always a list of day names ("mon" .. "sun"), never the
 *   shorthands daily / weekdays / weekend;
 * - a throttle is an object: { "rate_bps": N } or { "work_bps", "other_bps"
 *   [, "hours", "hours_s", "days"] };
 * - optional YAML entries (headroom.link and .at, recovery_points,
 *   express_full, consistency_check, lag) are left out when the YAML
 *   leaves them out; the lists groups, computers, links, violations and
 *   transfers are always there (maybe empty); solve.stopped is always
 *   there (true or false).
 *
 * Strings are escaped per RFC 8259: " and \ with a backslash, control
 * characters as \b \f \n \r \t or \u00XX, U+2028 and U+2029 as \u2028
 * and \u2029; other characters are written as UTF-8.  A byte that is not
 * UTF-8 is written \u00XX (read as that Latin-1 character); names read
 * from a YAML file are always UTF-8.  A number that is not finite is
 * written null.  Numbers have at most 12 significant digits: every value
 * comes from the schedule's text, which has fewer (so 98.4% reads back as
 * 0.984, not 0.9840000000000001).
 *
 * Nothing is allocated but *cause. */
#ifndef STG_EXPORT_JSON_H
#define STG_EXPORT_JSON_H

#include <stdio.h>

#include "io/export/export.h"

int stg_export_json(FILE *out, const stg_export_input *in, char **cause);

#endif
