/* stagger: the sites file's data (see sites.h). */
#include "sites.h"

#include <ctype.h>
#include <strings.h>

#include "alloc.h"

void stg_sites_free(stg_sites *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->nlinks; i++) {
        stg_free(s->links[i].name);
        stg_free(s->links[i].background);
    }
    stg_free(s->links);
    for (int i = 0; i < s->nservers; i++) {
        stg_free(s->servers[i].name);
        stg_free(s->servers[i].path);
    }
    stg_free(s->servers);
    for (int i = 0; i < s->nsites; i++) {
        stg_site *t = &s->sites[i];
        stg_free(t->name);
        stg_free(t->path);
        for (int k = 0; k < t->npatterns; k++)
            stg_free(t->patterns[k]);
        stg_free(t->patterns);
    }
    stg_free(s->sites);
    stg_free(s);
}

bool stg_glob_match(const char *p, const char *s)
{
    /* the last * seen and where in s it stands: on a mismatch, that *
     * takes one more character (linear in practice, no recursion) */
    const char *star = NULL, *mark = NULL;
    while (*s) {
        if (*p == '*') {
            star = ++p;
            mark = s;
        } else if (*p && (*p == '?' ||
                          tolower((unsigned char)*p) ==
                          tolower((unsigned char)*s))) {
            p++;
            s++;
        } else if (star) {
            p = star;
            s = ++mark;
        } else {
            return false;
        }
    }
    while (*p == '*')
        p++;
    return !*p;
}

int stg_sites_match(const stg_sites *s, const char *computer)
{
    for (int i = 0; s && i < s->nsites; i++)
        for (int k = 0; k < s->sites[i].npatterns; k++)
            if (stg_glob_match(s->sites[i].patterns[k], computer))
                return i;
    return -1;
}

int stg_sites_server(const stg_sites *s, const char *name)
{
    for (int i = 0; s && i < s->nservers; i++)
        if (!strcasecmp(s->servers[i].name, name))
            return i;
    return -1;
}
