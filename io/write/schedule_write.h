/* stagger: writes a schedule file (schedule.md, version 1).
 *
 * The bytes depend only on the fleet, the schedule and the two strings
 * given: keys in the documented order, groups, computers and links
 * sorted by name (bytewise), transfers by start, computer name, group
 * name, kind and release, every quantity through model/quantity.h.  One
 * addition to schedule.md: `stopped: true` follows `solve:` when the run
 * was interrupted (the schedule is then the best one found so far).
 *
 * Nothing here allocates anything the caller must free except *cause. */
#ifndef STG_SCHEDULE_WRITE_H
#define STG_SCHEDULE_WRITE_H

#include <stdio.h>

#include "model/fleet.h"
#include "model/schedule.h"

/* Writes the schedule sc of fleet f to out.  fleet_file is the name
 * recorded under `fleet: file:` and fleet_sha256 the digest of its bytes
 * (see io/write/sha256.h).  Returns 0, or -1 with *cause set (an allocated
 * string the caller frees with stg_free(); NULL when even that could not
 * be allocated): out of memory, a write error on out, or a schedule that
 * does not fit the fleet. */
int stg_schedule_write(FILE *out, const stg_fleet *f, const char *fleet_file,
                       const char *fleet_sha256, const stg_schedule *sc,
                       char **cause);

/* Writes one string as a YAML scalar that reads back as exactly that
 * string in block and flow context: plain when that is unambiguous
 * (ASCII letters, digits, '.', '-', '_', not starting with '-' or '.',
 * not a word YAML reads as a boolean or null, not a number), else single
 * quoted ('' for '), or double quoted with escapes when it holds control
 * characters, YAML line breaks or bytes that are not UTF-8 (a byte that
 * is not UTF-8 is written \xNN, which YAML reads as U+00NN: names read
 * from a YAML fleet are always UTF-8). */
void stg_yaml_write_scalar(FILE *out, const char *s);

/* Writes s double quoted with YAML escapes. */
void stg_yaml_write_dquoted(FILE *out, const char *s);

#endif
