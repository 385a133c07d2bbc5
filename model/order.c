/* stagger: ranks by name. */
#include "order.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"

typedef struct {
    const char *name;
    int index;
} named;

static int by_name(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int r = strcmp(x->name, y->name);
    return r ? r : (x->index > y->index) - (x->index < y->index);
}

int stg_name_ranks(const void *first, size_t stride, int n, int *rank)
{
    if (n <= 0)
        return 0;
    named *v = stg_malloc(sizeof *v * (size_t)n);
    if (!v)
        return -1;
    for (int i = 0; i < n; i++) {
        v[i].name = *(const char *const *)((const char *)first + stride * (size_t)i);
        v[i].index = i;
    }
    qsort(v, (size_t)n, sizeof *v, by_name);
    for (int i = 0; i < n; i++)
        rank[v[i].index] = i;
    stg_free(v);
    return 0;
}
