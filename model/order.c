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

int *stg_name_order(const void *first, size_t stride, int n)
{
    int *rank = stg_malloc(sizeof *rank * (size_t)(n > 0 ? n : 1));
    int *ord = stg_malloc(sizeof *ord * (size_t)(n > 0 ? n : 1));
    if (!rank || !ord || stg_name_ranks(first, stride, n, rank)) {
        stg_free(rank);
        stg_free(ord);
        return NULL;
    }
    for (int i = 0; i < n; i++)
        ord[rank[i]] = i;
    stg_free(rank);
    return ord;
}

int stg_name_find(const void *first, size_t stride, const int *ord, int n,
                  const char *name)
{
    int lo = 0, hi = n;         /* the first place not below name */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        const char *m = *(const char *const *)((const char *)first +
                                               stride * (size_t)ord[mid]);
        if (strcmp(m, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n)
        return -1;
    const char *m = *(const char *const *)((const char *)first +
                                           stride * (size_t)ord[lo]);
    return strcmp(m, name) ? -1 : ord[lo];
}
