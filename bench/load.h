/* stagger bench programs: a fleet and a schedule's settings read, the
 * errors reported on stderr as file:line:col with the line quoted (the
 * fleet's warnings are stagger validate's, so not repeated here). */
#ifndef STG_BENCH_LOAD_H
#define STG_BENCH_LOAD_H

#include "io/read/schedule_read.h"
#include "model/fleet.h"
#include "model/settings.h"

/* Exit status of the bench programs. */
#define BENCH_EXIT_INPUT 2
#define BENCH_EXIT_INTERNAL 3

/* Reads fleet_file into *f and sched_file's settings for it into *set
 * (both the caller's to free); with doc not NULL, the schedule as read
 * into *doc too (the caller's, stg_schedule_doc_free()), for what it
 * prints besides the settings.  Returns 0, BENCH_EXIT_INPUT (bad input)
 * or BENCH_EXIT_INTERNAL (out of memory), with *f, *set and *doc NULL on
 * failure. */
int bench_load(const char *fleet_file, const char *sched_file,
               stg_fleet **f, stg_settings **set, stg_schedule_doc **doc);

/* Reads sched_file's settings for f into *set (the caller's to free),
 * and with doc not NULL the schedule as read into *doc (the caller's),
 * as bench_load() does; the same return values, *set and *doc NULL on
 * failure. */
int bench_load_schedule(const stg_fleet *f, const char *sched_file,
                        stg_settings **set, stg_schedule_doc **doc);

#endif
