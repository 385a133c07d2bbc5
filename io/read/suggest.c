/* stagger: "did you mean" hints. */
#include "io/read/suggest.h"

#include <stdio.h>
#include <string.h>

/* Edit distance counting a swap of two neighbouring letters as one edit
 * (optimal string alignment: "chrun" is one from "churn"), or 99 for
 * long strings. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return 99;
    int d[65][65];
    for (size_t i = 0; i <= n; i++)
        d[i][0] = (int)i;
    for (size_t j = 0; j <= m; j++)
        d[0][j] = (int)j;
    for (size_t i = 1; i <= n; i++)
        for (size_t j = 1; j <= m; j++) {
            int best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[n][m];
}

/* The distance of typed from known when it is a likely misspelling of
 * it, else -1. */
static int close_distance(const char *typed, const char *known)
{
    int limit = (int)strlen(known) / 3;
    if (limit < 1)
        limit = 1;
    long dl = (long)strlen(typed) - (long)strlen(known);
    if (dl > limit || -dl > limit)
        return -1;
    int dist = distance(typed, known);
    return dist <= limit ? dist : -1;
}

bool stg_close_to(const char *typed, const char *known)
{
    return close_distance(typed, known) >= 0;
}

void stg_closest_init(stg_closest *c, const char *typed)
{
    c->typed = typed;
    c->best = NULL;
    c->distance = 0;
}

void stg_closest_offer(stg_closest *c, const char *known)
{
    int dist = known ? close_distance(c->typed, known) : -1;
    if (dist >= 0 && (!c->best || dist < c->distance)) {
        c->best = known;
        c->distance = dist;
    }
}

const char *stg_shorten(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);
    if (n < size)
        return s;
    size_t k = size - 4;
    while (k > 0 && ((unsigned char)s[k] & 0xc0) == 0x80)
        k--;
    snprintf(buf, size, "%.*s...", (int)k, s);
    return buf;
}

void stg_suggest(char *buf, size_t size, const char *typed,
                 const char *const *names, int n, const char *what)
{
    char list[320] = "", sug[96] = "", q[64];
    size_t len = 0;
    int shown = 0;
    bool more = false;
    stg_closest near;
    stg_closest_init(&near, typed);
    for (int i = 0; i < n; i++) {
        const char *name = names[i];
        if (!name)
            continue;
        bool again = false;
        for (int k = 0; k < i && !again; k++)
            again = names[k] && strcmp(names[k], name) == 0;
        if (again)
            continue;
        stg_closest_offer(&near, name);
        if (shown == 5) {
            more = true;
            continue;
        }
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    shown ? ", " : "",
                                    stg_shorten(q, sizeof q, name));
        shown++;
    }
    if (near.best)
        snprintf(sug, sizeof sug, "did you mean \"%s\"? ",
                 stg_shorten(q, sizeof q, near.best));
    if (shown == 0)
        snprintf(buf, size, "there are no %s", what);
    else
        snprintf(buf, size, "%s%s are: %s%s", sug, what, list,
                 more ? ", ..." : "");
}

void stg_suggest_key(char *buf, size_t size, const char *typed,
                     const char *const *keys, int n)
{
    size_t len = 0;
    stg_closest near;
    stg_closest_init(&near, typed);
    for (int i = 0; i < n; i++)
        stg_closest_offer(&near, keys[i]);
    if (near.best)
        len = (size_t)snprintf(buf, size, "did you mean \"%s\"? ", near.best);
    if (len < size)
        len += (size_t)snprintf(buf + len, size - len, "known keys:");
    for (int i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s %s", i ? "," : "",
                                keys[i]);
}
