/* stagger: what the planner does, on standard error, when the
 * environment has STAGGER_TRACE (docs/performance.md: where the time
 * goes).  One line a call; safe from any thread. */
#ifndef STG_TRACE_H
#define STG_TRACE_H

void stg_trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
