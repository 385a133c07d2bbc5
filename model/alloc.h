/* stagger: the one place memory is allocated.
 *
 * Every allocation in the project goes through these functions so that
 * tests can count live blocks (no leaks) and inject a failure at the Nth
 * allocation.  On failure they return NULL; callers report "out of memory"
 * through their normal error path (exit 3 in the CLI). */
#ifndef STG_ALLOC_H
#define STG_ALLOC_H

#include <stddef.h>

void *stg_malloc(size_t size);
void *stg_calloc(size_t count, size_t size);
/* Like realloc; on failure the old block is left untouched. */
void *stg_realloc(void *ptr, size_t size);
/* Grows *array to hold at least need elements of elem bytes, doubling
 * *cap.  Returns 0, or -1 (array untouched) when out of memory. */
int stg_grow(void **array, size_t *cap, size_t need, size_t elem);
/* The capacity stg_grow() gives an array of cap elements for need. */
size_t stg_grown_cap(size_t cap, size_t need);
char *stg_strdup(const char *s);
char *stg_strndup(const char *s, size_t n);
/* printf into a newly allocated string (NULL when out of memory). */
char *stg_asprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void stg_free(void *ptr);

/* Test hooks: blocks currently allocated, allocations made so far, and
 * the number of the allocation that must fail (0: none). */
long stg_alloc_live(void);
long stg_alloc_count(void);
void stg_alloc_fail_at(long nth);

#endif
