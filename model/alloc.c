/* stagger: counted allocation with failure injection. */
#include "alloc.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Atomic: the planner's threads allocate concurrently. */
static atomic_long live_blocks;
static atomic_long total_allocs;
static atomic_long fail_at;

static int should_fail(void)
{
    long n = atomic_fetch_add(&total_allocs, 1) + 1;
    long f = atomic_load(&fail_at);
    return f > 0 && n == f;
}

void *stg_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    void *p = malloc(size ? size : 1);
    if (p)
        live_blocks++;
    return p;
}

void *stg_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p)
        live_blocks++;
    return p;
}

void *stg_realloc(void *ptr, size_t size)
{
    if (!ptr)
        return stg_malloc(size);
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

size_t stg_grown_cap(size_t cap, size_t need)
{
    if (need <= cap)
        return cap;
    size_t n = cap ? cap : 8;
    while (n < need)
        n *= 2;
    return n;
}

int stg_grow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t ncap = stg_grown_cap(*cap, need);
    if (ncap > (size_t)-1 / elem)
        return -1;
    void *p = stg_realloc(*array, ncap * elem);
    if (!p)
        return -1;
    *array = p;
    *cap = ncap;
    return 0;
}

char *stg_strndup(const char *s, size_t n)
{
    char *p = stg_malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

char *stg_strdup(const char *s)
{
    return stg_strndup(s, strlen(s));
}

char *stg_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *p = stg_malloc((size_t)n + 1);
    if (!p)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void stg_free(void *ptr)
{
    if (ptr) {
        live_blocks--;
        free(ptr);
    }
}

long stg_alloc_live(void) { return atomic_load(&live_blocks); }
long stg_alloc_count(void) { return atomic_load(&total_allocs); }
void stg_alloc_fail_at(long nth) { atomic_store(&fail_at, nth); }
