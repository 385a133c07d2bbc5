/* stagger: monotonic clock. */
#include "clock.h"

#include <time.h>

double stg_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int stg_limit_reached(const stg_limit *lim)
{
    if (!lim)
        return 0;
    if (lim->stop && *lim->stop)
        return 1;
    return lim->deadline > 0 && stg_now() >= lim->deadline;
}
