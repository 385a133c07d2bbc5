/* stagger: what a DPM server's export says (see dpmdata.h). */
#include "dpmdata.h"

#include "alloc.h"

static void free_times(stg_dpm_times *t)
{
    stg_free(t->times);
}

void stg_dpm_export_free(stg_dpm_export *e)
{
    if (!e)
        return;
    for (int g = 0; g < e->ngroups; g++) {
        stg_dpm_group *gr = &e->groups[g];
        stg_free(gr->name);
        free_times(&gr->rp);
        free_times(&gr->ef);
        for (int s = 0; s < gr->nsources; s++) {
            stg_free(gr->sources[s].name);
            stg_free(gr->sources[s].computer);
            stg_free(gr->sources[s].type);
        }
        stg_free(gr->sources);
    }
    stg_free(e->groups);
    for (int c = 0; c < e->ncomputers; c++)
        stg_free(e->computers[c].name);
    stg_free(e->computers);
    stg_free(e->jobs);                  /* their texts are the strings' */
    for (int i = 0; i < e->nstrings; i++)
        stg_free(e->strings[i]);
    stg_free(e->strings);
    stg_free(e->server);
    stg_free(e->server_version);
    stg_free(e);
}
