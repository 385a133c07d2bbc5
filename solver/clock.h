/* stagger: monotonic time and a stop request shared by the searches. */
#ifndef STG_CLOCK_H
#define STG_CLOCK_H

#include <signal.h>

/* Seconds since an arbitrary origin (CLOCK_MONOTONIC). */
double stg_now(void);

/* Where a search looks to know whether to stop: at the deadline (an
 * stg_now() value; 0 = none) or when *stop (may be NULL) is set, e.g. by
 * a signal handler. */
typedef struct {
    double deadline;
    volatile sig_atomic_t *stop;
} stg_limit;

/* lim may be NULL: no limit. */
int stg_limit_reached(const stg_limit *lim);

#endif
