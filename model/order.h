/* stagger: deterministic orders by name (bytewise), shared by the
 * modules that must break ties the way fleet.md says. */
#ifndef STG_ORDER_H
#define STG_ORDER_H

#include <stddef.h>

/* rank[i] = the position of the i-th name in byte order, where the i-th
 * name is the char * at (char *)first + i * stride (an array of structs
 * whose name member is first).  Returns 0, or -1 when out of memory. */
int stg_name_ranks(const void *first, size_t stride, int n, int *rank);

/* The indices of the n names (as above) in byte order, equal names by
 * index: an index to look names up by halves (stg_name_find()).  The
 * caller frees it; NULL when out of memory. */
int *stg_name_order(const void *first, size_t stride, int n);

/* The lowest index whose name is name, among the n names (as above)
 * whose stg_name_order() is ord; -1 when none. */
int stg_name_find(const void *first, size_t stride, const int *ord, int n,
                  const char *name);

#endif
