/* stagger: the planner's trace (see trace.h). */
#include "trace.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void stg_trace(const char *fmt, ...)
{
    static int on = -1;
    if (on < 0)
        on = getenv("STAGGER_TRACE") != NULL;
    if (!on)
        return;
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* one write a line, so that threads do not interleave within it */
    fprintf(stderr, "%s\n", line);
}

bool stg_check_on(void)
{
    static int on = -1;
    if (on < 0)
        on = getenv("STAGGER_CHECK") != NULL;
    return on;
}
