/* stagger: what the planner does, on standard error, when the
 * environment has STAGGER_TRACE (docs/performance.md: where the time
 * goes).  One line a call; safe from any thread. */
#ifndef STG_TRACE_H
#define STG_TRACE_H

#include <stdbool.h>

void stg_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Whether the environment has STAGGER_CHECK: the planner then checks
 * what its searches claim against its load model, and aborts with a
 * message on standard error where they differ (the tests run with it;
 * docs/model.md).  Safe from any thread. */
bool stg_check_on(void);

#endif
