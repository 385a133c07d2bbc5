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

/* Jobs per cycle, without building them (for summaries). */
long stg_jobs_count(const stg_fleet *f);

const char *stg_job_kind_name(stg_job_kind k);

#endif
