/* stagger: names in messages: "did you mean" hints for names that are
 * not known, and long names shortened for quoting.
 *
 * Nothing here allocates; hints are written into the caller's buffer. */
#ifndef STG_SUGGEST_H
#define STG_SUGGEST_H

#include <stdbool.h>
#include <stddef.h>

/* True when typed is a likely misspelling of known: an edit distance
 * (insertions, deletions, changes, and swaps of two neighbouring
 * letters, one each) of at most a third of known's length, at least 1. */
bool stg_close_to(const char *typed, const char *known);

/* The closest of the names offered that typed is a likely misspelling
 * of (the first of equals); best is NULL while there is none.  It points
 * at the caller's name. */
typedef struct {
    const char *typed;
    const char *best;
    int distance;
} stg_closest;

void stg_closest_init(stg_closest *c, const char *typed);
void stg_closest_offer(stg_closest *c, const char *known);

/* Writes a hint for a name that was not found among names[0..n-1]
 * (entries may be NULL, skipped; a name written twice is listed once):
 *   did you mean "osl-wan"? links are: ams-wan, ber-wan, ... (first 5)
 * naming the closest of all the names (stg_closest),
 * or, with no names, "there are no <what>".  what names the list
 * ("links"). */
void stg_suggest(char *buf, size_t size, const char *typed,
                 const char *const *names, int n, const char *what);

/* Writes the hint for a key of a mapping that is not one of keys[0..n):
 *   did you mean "churn"? known keys: name, computer, kind, ...
 * (the question only when one is close: stg_closest; every key listed,
 * as far as buf holds them). */
void stg_suggest_key(char *buf, size_t size, const char *typed,
                     const char *const *keys, int n);

/* s for quoting in a message: s itself when it fits in size bytes, else
 * its start cut at a character boundary with "..." written into buf
 * (size at least 8). */
const char *stg_shorten(char *buf, size_t size, const char *s);

#endif
