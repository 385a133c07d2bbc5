/* stagger: copies of a fleet, whole or in part, and scaled data (see
 * fleet_copy.h). */
#include "fleet_copy.h"

#include <string.h>

#include "alloc.h"

/* A copy of n elements of elem bytes; *ok is cleared when out of memory.
 * A NULL source stays NULL. */
static void *dup_array(const void *src, int n, size_t elem, bool *ok)
{
    if (!src)
        return NULL;
    void *p = stg_malloc(elem * (size_t)(n > 0 ? n : 1));
    if (!p) {
        *ok = false;
        return NULL;
    }
    if (n > 0)
        memcpy(p, src, elem * (size_t)n);
    return p;
}

static char *dup_name(const char *s, bool *ok)
{
    if (!s)
        return NULL;
    char *p = stg_strdup(s);
    if (!p)
        *ok = false;
    return p;
}

/* Copies the scalar settings of a fleet (everything but its arrays). */
static stg_fleet *new_like(const stg_fleet *f)
{
    stg_fleet *c = stg_fleet_new();
    if (!c)
        return NULL;
    c->version = f->version;
    c->cycle = f->cycle;
    c->cycle_set = f->cycle_set;
    c->resolution = f->resolution;
    c->headroom = f->headroom;
    c->efficiency = f->efficiency;
    c->utc_offset = f->utc_offset;
    c->cycle_loc = f->cycle_loc;
    c->resolution_loc = f->resolution_loc;
    c->headroom_loc = f->headroom_loc;
    return c;
}

/* Element copies whose pointers are then replaced by owned copies: each
 * takes the source element and leaves the copy's arrays its own. */
static void copy_link(const stg_fleet *f, stg_link *dst, const stg_link *src,
                      bool *ok)
{
    *dst = *src;
    dst->name = dup_name(src->name, ok);
    dst->background = dup_array(src->background, src->nbackground,
                                sizeof *src->background, ok);
    dst->others = src->others ? dup_array(src->others, f->cycle / f->resolution,
                                          sizeof *src->others, ok)
                              : NULL;
}

static void copy_group_arrays(stg_group *dst, const stg_group *src, bool *ok)
{
    *dst = *src;
    dst->name = dup_name(src->name, ok);
    dst->rp_at = dup_array(src->rp_at, src->nrp, sizeof *src->rp_at, ok);
    dst->ef_at = dup_array(src->ef_at, src->nef, sizeof *src->ef_at, ok);
    dst->sources = NULL;
}

stg_fleet *stg_fleet_copy(const stg_fleet *f)
{
    bool ok = true;
    stg_fleet *c = new_like(f);
    if (!c)
        return NULL;
    c->links = stg_calloc((size_t)f->nlinks + 1, sizeof *c->links);
    c->servers = stg_calloc((size_t)f->nservers + 1, sizeof *c->servers);
    c->computers = stg_calloc((size_t)f->ncomputers + 1, sizeof *c->computers);
    c->groups = stg_calloc((size_t)f->ngroups + 1, sizeof *c->groups);
    c->sources = stg_calloc((size_t)f->nsources + 1, sizeof *c->sources);
    if (!c->links || !c->servers || !c->computers || !c->groups ||
        !c->sources) {
        ok = false;
        goto done;
    }
    /* the counts grow with each element copied, so a failure part way
     * leaves a fleet that stg_fleet_free() releases whole */
    for (int i = 0; i < f->nlinks; i++, c->nlinks++)
        copy_link(f, &c->links[i], &f->links[i], &ok);
    for (int i = 0; i < f->nservers; i++, c->nservers++) {
        c->servers[i] = f->servers[i];
        c->servers[i].name = dup_name(f->servers[i].name, &ok);
        c->servers[i].path = dup_array(f->servers[i].path, f->servers[i].npath,
                                       sizeof *f->servers[i].path, &ok);
    }
    for (int i = 0; i < f->ncomputers; i++, c->ncomputers++) {
        const stg_computer *s = &f->computers[i];
        stg_computer *d = &c->computers[i];
        *d = *s;
        d->name = dup_name(s->name, &ok);
        d->path = dup_array(s->path, s->npath, sizeof *s->path, &ok);
        d->full_path = dup_array(s->full_path, s->nfull_path,
                                 sizeof *s->full_path, &ok);
    }
    for (int i = 0; i < f->ngroups; i++, c->ngroups++) {
        copy_group_arrays(&c->groups[i], &f->groups[i], &ok);
        c->groups[i].sources = dup_array(f->groups[i].sources,
                                         f->groups[i].nsources,
                                         sizeof *f->groups[i].sources, &ok);
    }
    for (int i = 0; i < f->nsources; i++, c->nsources++) {
        c->sources[i] = f->sources[i];
        c->sources[i].name = dup_name(f->sources[i].name, &ok);
    }
done:
    if (!ok) {
        stg_fleet_free(c);
        return NULL;
    }
    return c;
}

/* The indices of v[0..n) that map to a kept element (map[x] >= 0),
 * renumbered; *ok cleared when out of memory.  NULL stays NULL. */
static int *remap(const int *v, int n, const int *map, int *nout, bool *ok)
{
    *nout = 0;
    if (!v)
        return NULL;
    int *p = stg_malloc(sizeof *p * (size_t)(n > 0 ? n : 1));
    if (!p) {
        *ok = false;
        return NULL;
    }
    for (int i = 0; i < n; i++)
        if (v[i] >= 0 && map[v[i]] >= 0)
            p[(*nout)++] = map[v[i]];
    return p;
}

stg_fleet *stg_fleet_subset(const stg_fleet *f, const bool *keep,
                            int *link_of, int *computer_of, int *group_of)
{
    return stg_fleet_subset_links(f, keep, NULL, link_of, computer_of,
                                  group_of);
}

stg_fleet *stg_fleet_subset_links(const stg_fleet *f, const bool *keep,
                                  const bool *keep_link, int *link_of,
                                  int *computer_of, int *group_of)
{
    bool ok = true;
    stg_fleet *c = NULL;
    /* new index of each kept element, -1 for the others */
    int *lmap = stg_malloc(sizeof *lmap * (size_t)(f->nlinks + 1));
    int *smap = stg_malloc(sizeof *smap * (size_t)(f->nservers + 1));
    int *cmap = stg_malloc(sizeof *cmap * (size_t)(f->ncomputers + 1));
    int *gmap = stg_malloc(sizeof *gmap * (size_t)(f->ngroups + 1));
    int *srcmap = stg_malloc(sizeof *srcmap * (size_t)(f->nsources + 1));
    if (!lmap || !smap || !cmap || !gmap || !srcmap)
        goto fail;
    int nl = 0, ns = 0, nc = 0, ng = 0, nsrc = 0;
    for (int i = 0; i < f->nlinks; i++)
        lmap[i] = -1;
    for (int i = 0; i < f->nservers; i++)
        smap[i] = -1;
    for (int i = 0; i < f->ncomputers; i++) {
        cmap[i] = -1;
        if (!keep[i])
            continue;
        const stg_computer *cp = &f->computers[i];
        for (int k = 0; k < cp->nfull_path; k++)
            if (cp->full_path[k] >= 0 &&
                (!keep_link || keep_link[cp->full_path[k]]))
                lmap[cp->full_path[k]] = 0;
        if (cp->server >= 0)
            smap[cp->server] = 0;
        cmap[i] = 0;
    }
    for (int i = 0; i < f->nsources; i++) {
        int cp = f->sources[i].computer;
        srcmap[i] = cp >= 0 && keep[cp] ? 0 : -1;
    }
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        gmap[g] = -1;
        for (int k = 0; k < gr->nsources && gmap[g] < 0; k++)
            if (srcmap[gr->sources[k]] >= 0)
                gmap[g] = 0;
        if (gmap[g] >= 0 && gr->server >= 0)
            smap[gr->server] = 0;
    }
    /* number the kept elements in their order in f */
    for (int i = 0; i < f->nlinks; i++)
        if (lmap[i] >= 0) {
            if (link_of)
                link_of[nl] = i;
            lmap[i] = nl++;
        }
    for (int i = 0; i < f->nservers; i++)
        if (smap[i] >= 0)
            smap[i] = ns++;
    for (int i = 0; i < f->ncomputers; i++)
        if (cmap[i] >= 0) {
            if (computer_of)
                computer_of[nc] = i;
            cmap[i] = nc++;
        }
    for (int g = 0; g < f->ngroups; g++)
        if (gmap[g] >= 0) {
            if (group_of)
                group_of[ng] = g;
            gmap[g] = ng++;
        }
    for (int i = 0; i < f->nsources; i++)
        if (srcmap[i] >= 0)
            srcmap[i] = nsrc++;

    c = new_like(f);
    if (!c)
        goto fail;
    c->cycle_set = true;        /* the part keeps the fleet's cycle */
    c->links = stg_calloc((size_t)nl + 1, sizeof *c->links);
    c->servers = stg_calloc((size_t)ns + 1, sizeof *c->servers);
    c->computers = stg_calloc((size_t)nc + 1, sizeof *c->computers);
    c->groups = stg_calloc((size_t)ng + 1, sizeof *c->groups);
    c->sources = stg_calloc((size_t)nsrc + 1, sizeof *c->sources);
    if (!c->links || !c->servers || !c->computers || !c->groups ||
        !c->sources)
        goto fail;
    for (int i = 0; i < f->nlinks; i++)
        if (lmap[i] >= 0)
            copy_link(f, &c->links[c->nlinks++], &f->links[i], &ok);
    for (int i = 0; i < f->nservers; i++) {
        if (smap[i] < 0)
            continue;
        stg_server *d = &c->servers[c->nservers++];
        *d = f->servers[i];
        d->name = dup_name(f->servers[i].name, &ok);
        d->path = remap(f->servers[i].path, f->servers[i].npath, lmap,
                        &d->npath, &ok);
    }
    for (int i = 0; i < f->ncomputers; i++) {
        if (cmap[i] < 0)
            continue;
        const stg_computer *s = &f->computers[i];
        stg_computer *d = &c->computers[c->ncomputers++];
        *d = *s;
        d->server = s->server >= 0 ? smap[s->server] : -1;
        d->name = dup_name(s->name, &ok);
        d->path = remap(s->path, s->npath, lmap, &d->npath, &ok);
        d->full_path = remap(s->full_path, s->nfull_path, lmap,
                             &d->nfull_path, &ok);
    }
    for (int g = 0; g < f->ngroups; g++) {
        if (gmap[g] < 0)
            continue;
        const stg_group *s = &f->groups[g];
        stg_group *d = &c->groups[c->ngroups++];
        copy_group_arrays(d, s, &ok);
        d->server = s->server >= 0 ? smap[s->server] : -1;
        d->sources = remap(s->sources, s->nsources, srcmap, &d->nsources,
                           &ok);
    }
    for (int i = 0; i < f->nsources; i++) {
        if (srcmap[i] < 0)
            continue;
        stg_source *d = &c->sources[c->nsources++];
        *d = f->sources[i];
        d->computer = cmap[f->sources[i].computer];
        d->name = dup_name(f->sources[i].name, &ok);
    }
    if (!ok)
        goto fail;
    goto done;
fail:
    stg_fleet_free(c);
    c = NULL;
done:
    stg_free(lmap);
    stg_free(smap);
    stg_free(cmap);
    stg_free(gmap);
    stg_free(srcmap);
    return c;
}

void stg_fleet_scale_data(stg_fleet *f, double factor)
{
    for (int i = 0; i < f->nsources; i++) {
        stg_source *s = &f->sources[i];
        s->size *= factor;
        s->churn *= factor;
        if (s->sync_volume >= 0)
            s->sync_volume *= factor;
        if (s->full_volume >= 0)
            s->full_volume *= factor;
        if (s->cc_volume >= 0)
            s->cc_volume *= factor;
    }
}

/* The computers that can affect link l's planned headroom: those whose
 * full path crosses it, and every computer of a server of theirs whose
 * max_jobs can make its computers wait.  NULL when out of memory. */
bool *stg_fleet_mask_link(const stg_fleet *f, int l, bool whole, int *count)
{
    bool *mask = stg_calloc((size_t)f->ncomputers + 1, sizeof *mask);
    bool *server = stg_calloc((size_t)f->nservers + 1, sizeof *server);
    int *ncomp = stg_calloc((size_t)f->nservers + 1, sizeof *ncomp);
    *count = 0;
    if (!mask || !server || !ncomp) {
        stg_free(mask);
        mask = NULL;
        goto out;
    }
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        if (cp->server >= 0)
            ncomp[cp->server]++;
        if (l >= 0 && stg_computer_crosses(cp, l)) {
            mask[c] = true;
            (*count)++;
            if (cp->server >= 0)
                server[cp->server] = true;
        }
    }
    for (int c = 0; c < f->ncomputers; c++) {
        int s = f->computers[c].server;
        int mj = s >= 0 ? f->servers[s].max_jobs : 0;
        if (whole || l < 0 || (s >= 0 && server[s] && mj > 0 && mj < ncomp[s]))
            mask[c] = true;
    }
out:
    stg_free(server);
    stg_free(ncomp);
    return mask;
}
