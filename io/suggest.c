/* stagger: "did you mean" hints. */
#include "suggest.h"

#include <stdio.h>
#include <string.h>

/* Levenshtein distance, or 99 for long strings. */
static int distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > 64 || m > 64)
        return 99;
    int prev[65], cur[65];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        for (size_t j = 1; j <= m; j++) {
            int best = prev[j - 1] + (a[i - 1] != b[j - 1]);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            cur[j] = best;
        }
        memcpy(prev, cur, sizeof(int) * (m + 1));
    }
    return prev[m];
}

bool stg_close_to(const char *typed, const char *known)
{
    int limit = (int)strlen(known) / 3;
    if (limit < 1)
        limit = 1;
    long dl = (long)strlen(typed) - (long)strlen(known);
    if (dl > limit || -dl > limit)
        return false;
    return distance(typed, known) <= limit;
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
    for (int i = 0; i < n; i++) {
        const char *name = names[i];
        if (!name)
            continue;
        bool again = false;
        for (int k = 0; k < i && !again; k++)
            again = names[k] && strcmp(names[k], name) == 0;
        if (again)
            continue;
        if (!sug[0] && stg_close_to(typed, name))
            snprintf(sug, sizeof sug, "did you mean \"%s\"? ",
                     stg_shorten(q, sizeof q, name));
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
    if (shown == 0)
        snprintf(buf, size, "there are no %s", what);
    else
        snprintf(buf, size, "%s%s are: %s%s", sug, what, list,
                 more ? ", ..." : "");
}
