/* stagger: the jobs a fleet releases in one cycle under given settings
 * (the load model of fleet.md).
 *
 * A job is one transfer by one computer for one group: the group's
 * sources on that computer, one after another.  stg_jobs_derive() returns
 * an array the caller frees with stg_free(). */
#ifndef STG_JOBS_H
#define STG_JOBS_H

#include "fleet.h"
#include "settings.h"

typedef enum { STG_JOB_SYNC, STG_JOB_EXPRESS_FULL, STG_JOB_CC } stg_job_kind;

typedef struct {
    int group, computer;
    stg_job_kind kind;
    int release;                /* seconds after the cycle start */
    double volume;              /* bytes */
    int deadline;               /* consistency check: end of its window
                                   (seconds after the cycle start, may pass
                                   the cycle end); -1 for other jobs */
    int since;                  /* express full: seconds since the group's
                                   previous one (what it carries unless a
                                   check came between: stg_jobs_ef_carry);
                                   0 for other jobs */
} stg_job;

/* Jobs sorted by release, then group name, then kind, then computer
 * name (first come, first served order).  Returns the count, or -1 when
 * out of memory. */
int stg_jobs_derive(const stg_fleet *f, const stg_settings *s,
                    stg_job **jobs);

/* Bytes an express full of group g on computer c carries per second of
 * the time since the previous one (its application sources' churn;
 * full_volume overrides do not grow): its volume moves by this much per
 * second that it, or the previous one, moves. */
double stg_jobs_full_rate(const stg_fleet *f, int g, int c);

/* Bytes an express full of group g on computer c carries whatever the
 * time since the previous one (full_volume overrides, compressed). */
double stg_jobs_full_fixed(const stg_fleet *f, int g, int c);

/* Seconds of changes an express full of group g released at `release`
 * (seconds in the cycle) carries when the group's previous one was
 * `since` seconds before and its consistency check starts at cc_start
 * (seconds of day as the settings hold it; -1: no check).  An express
 * full carries the blocks changed since the more recent of the previous
 * express full and the last check (Microsoft, "Express Full Backup"):
 * a check released in [release - since, release) cuts it to the time
 * since that check; one released at the same minute runs after it (the
 * first-come order puts express fulls before checks) and does not. */
int stg_jobs_ef_carry(const stg_fleet *f, int g, int cc_start, int release,
                      int since);

/* Jobs per cycle, without building them (for summaries). */
long stg_jobs_count(const stg_fleet *f);

const char *stg_job_kind_name(stg_job_kind k);

/* The kind in words: "sync", "express full", "consistency check". */
const char *stg_job_kind_words(stg_job_kind k);

#endif
