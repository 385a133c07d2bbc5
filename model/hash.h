/* stagger: FNV-1a, the one hash of the project's strings and bytes: the
 * planner's seeds per part (a plan depends on its bits), the keys of
 * lifts remembered, the readers' string tables.  Header only; nothing
 * to own. */
#ifndef STG_HASH_H
#define STG_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The start of every hash (FNV-1a's offset basis). */
#define STG_HASH_BASIS UINT64_C(14695981039346656037)

/* h with the n bytes at v mixed in. */
static inline uint64_t stg_hash_bytes(uint64_t h, const void *v, size_t n)
{
    const unsigned char *b = v;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * UINT64_C(1099511628211);
    return h;
}

/* h with the characters of s (without its end) mixed in. */
static inline uint64_t stg_hash_str(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

#endif
