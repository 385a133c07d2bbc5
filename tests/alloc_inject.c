/* Allocation-failure injection for scripts/alloc-sweep.
 *
 * Linked, with the objects of the stagger program, into a second program,
 * stagger-faults (tests/meson.build); the stagger program itself has no
 * such hook.  Before main() runs it reads two environment variables:
 *   STAGGER_ALLOC_FAIL_AT=N   the Nth allocation fails (model/alloc.h)
 *   STAGGER_ALLOC_COUNT=FILE  at exit, the number of allocations made is
 *                             written to FILE (one line)
 * so the sweep can count a run's allocations, then fail each in turn. */
#include <stdio.h>
#include <stdlib.h>

#include "model/alloc.h"

static const char *count_file;

static void write_count(void)
{
    FILE *fp = fopen(count_file, "w");
    if (fp) {
        fprintf(fp, "%ld\n", stg_alloc_count());
        fclose(fp);
    }
}

__attribute__((constructor)) static void inject(void)
{
    const char *at = getenv("STAGGER_ALLOC_FAIL_AT");
    if (at && *at) {
        char *end;
        long n = strtol(at, &end, 10);
        if (*end == '\0' && n > 0)
            stg_alloc_fail_at(n);
    }
    count_file = getenv("STAGGER_ALLOC_COUNT");
    if (count_file && *count_file)
        atexit(write_count);
}
