/* stagger: changes to a fleet (see change.h). */
#include "change.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "fleet_copy.h"

char *stg_split_name(const stg_fleet *f, int g, int c)
{
    const char *host = f->computers[c].name;
    size_t n = strcspn(host, ".");
    return stg_asprintf("%s (%.*s)", f->groups[g].name, (int)n, host);
}

/* The computers group g has sources on, in source order (n of them). */
static int group_computers(const stg_fleet *f, int g, int *out)
{
    int n = 0;
    for (int i = 0; i < f->groups[g].nsources; i++) {
        int c = f->sources[f->groups[g].sources[i]].computer, seen = 0;
        for (int k = 0; k < n && !seen; k++)
            seen = out[k] == c;
        if (!seen)
            out[n++] = c;
    }
    return n;
}

/* Splits group g of f (in place) into one group per computer: g keeps
 * the sources of its first computer, each other computer's go to a new
 * group at the end, with g's settings.  Returns 0, or -1 when out of
 * memory (f is then still whole, to be freed). */
static int split(stg_fleet *f, int g)
{
    int *comp = stg_malloc(sizeof *comp * (size_t)(f->groups[g].nsources + 1));
    if (!comp)
        return -1;
    int nc = group_computers(f, g, comp), rc = -1;
    if (nc < 2) {
        stg_free(comp);
        return 0;
    }
    stg_group *grown = stg_realloc(f->groups, sizeof *grown *
                                   (size_t)(f->ngroups + nc));
    if (!grown)
        goto out;
    f->groups = grown;
    for (int k = 1; k < nc; k++) {
        const stg_group *src = &f->groups[g];
        stg_group *dst = &f->groups[f->ngroups];
        *dst = *src;
        dst->name = stg_split_name(f, g, comp[k]);
        dst->rp_at = NULL;
        dst->ef_at = NULL;
        dst->sources = stg_malloc(sizeof *dst->sources *
                                  (size_t)(src->nsources + 1));
        if (src->nrp > 0 && dst->name)
            dst->rp_at = stg_malloc(sizeof *dst->rp_at * (size_t)src->nrp);
        if (src->nef > 0 && dst->name)
            dst->ef_at = stg_malloc(sizeof *dst->ef_at * (size_t)src->nef);
        if (!dst->name || !dst->sources || (src->nrp > 0 && !dst->rp_at) ||
            (src->nef > 0 && !dst->ef_at)) {
            stg_free(dst->name);
            stg_free(dst->sources);
            stg_free(dst->rp_at);
            stg_free(dst->ef_at);
            goto out;
        }
        if (src->nrp > 0)
            memcpy(dst->rp_at, src->rp_at, sizeof *dst->rp_at * (size_t)src->nrp);
        if (src->nef > 0)
            memcpy(dst->ef_at, src->ef_at, sizeof *dst->ef_at * (size_t)src->nef);
        dst->nsources = 0;
        for (int i = 0; i < src->nsources; i++)
            if (f->sources[src->sources[i]].computer == comp[k])
                dst->sources[dst->nsources++] = src->sources[i];
        f->ngroups++;
    }
    /* g keeps its first computer's sources */
    stg_group *gg = &f->groups[g];
    int kept = 0;
    for (int i = 0; i < gg->nsources; i++)
        if (f->sources[gg->sources[i]].computer == comp[0])
            gg->sources[kept++] = gg->sources[i];
    gg->nsources = kept;
    rc = 0;
out:
    stg_free(comp);
    return rc;
}

int stg_change_closure(const stg_fleet *f, int g, bool *comp, bool *grp)
{
    memset(comp, 0, sizeof *comp * (size_t)f->ncomputers);
    memset(grp, 0, sizeof *grp * (size_t)f->ngroups);
    grp[g] = true;
    for (bool more = true; more;) {
        more = false;
        for (int k = 0; k < f->ngroups; k++)
            for (int i = 0; i < f->groups[k].nsources; i++) {
                int c = f->sources[f->groups[k].sources[i]].computer;
                if (grp[k] && !comp[c])
                    more = comp[c] = true;
                if (comp[c] && !grp[k])
                    more = grp[k] = true;
            }
    }
    return 0;
}

/* Moves group g, its computers and every group on them to server sv. */
static void move_server(stg_fleet *f, int g, int sv)
{
    bool *comp = stg_calloc((size_t)f->ncomputers + 1, sizeof *comp);
    bool *grp = stg_calloc((size_t)f->ngroups + 1, sizeof *grp);
    if (comp && grp) {
        stg_change_closure(f, g, comp, grp);
        for (int c = 0; c < f->ncomputers; c++)
            if (comp[c])
                f->computers[c].server = sv;
        for (int k = 0; k < f->ngroups; k++)
            if (grp[k])
                f->groups[k].server = sv;
    }
    stg_free(comp);
    stg_free(grp);
}

static void shift_times(int *at, int n, int shift)
{
    for (int i = 0; i < n; i++)
        at[i] = ((at[i] + shift) % STG_DAY + STG_DAY) % STG_DAY;
    /* ascending again */
    for (int i = 1; i < n; i++) {
        int v = at[i], k = i;
        while (k > 0 && at[k - 1] > v) {
            at[k] = at[k - 1];
            k--;
        }
        at[k] = v;
    }
}

stg_fleet *stg_fleet_changed(const stg_fleet *f, const stg_change *ch, int n,
                             char *err, size_t size)
{
    if (size > 0)
        err[0] = '\0';
    stg_fleet *c = stg_fleet_copy(f);
    if (!c)
        return NULL;
    for (int i = 0; i < n; i++) {
        const stg_change *x = &ch[i];
        switch (x->kind) {
        case STG_CHANGE_THROTTLE:
            c->computers[x->target].throttle = x->throttle;
            break;
        case STG_CHANGE_SPLIT:
            if (split(c, x->target)) {
                stg_fleet_free(c);
                return NULL;
            }
            break;
        case STG_CHANGE_EXPRESS_FULL:
            shift_times(c->groups[x->target].ef_at, c->groups[x->target].nef,
                        x->shift);
            break;
        case STG_CHANGE_CHECK: {
            stg_group *g = &c->groups[x->target];
            g->cc_from = ((g->cc_from + x->shift) % STG_DAY + STG_DAY) % STG_DAY;
            g->cc_to = ((g->cc_to + x->shift) % STG_DAY + STG_DAY) % STG_DAY;
            break;
        }
        case STG_CHANGE_SYNC_EVERY: {
            stg_group *g = &c->groups[x->target];
            g->sync_every = x->every;
            g->sync_offset %= x->every;
            break;
        }
        case STG_CHANGE_SERVER:
            move_server(c, x->target, x->server);
            break;
        case STG_CHANGE_CAPACITY:
            c->links[x->target].capacity = x->capacity;
            break;
        }
    }
    stg_diags d;
    stg_diags_init(&d);
    int errors = stg_fleet_finish(c, &d);
    if (errors > 0 || d.oom) {
        for (size_t i = 0; i < d.count && size > 0; i++)
            if (d.items[i].level == STG_DIAG_ERROR) {
                snprintf(err, size, "%s", d.items[i].msg);
                break;
            }
        stg_fleet_free(c);
        c = NULL;
    }
    stg_diags_free(&d);
    return c;
}

int stg_change_rank(stg_change_kind kind)
{
    switch (kind) {
    case STG_CHANGE_THROTTLE: return 0;
    case STG_CHANGE_SPLIT: return 1;
    case STG_CHANGE_EXPRESS_FULL: return 2;
    case STG_CHANGE_CHECK: return 3;
    case STG_CHANGE_SYNC_EVERY: return 4;
    case STG_CHANGE_SERVER: return 5;
    case STG_CHANGE_CAPACITY: return 6;
    }
    return 7;
}
