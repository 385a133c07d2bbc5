/* stagger: what-if plans made to agree where a change cannot reach (see
 * reconcile.h). */
#include "reconcile.h"

#include <string.h>

#include "model/alloc.h"
#include "parts.h"
#include "planner.h"

/* A scenario's fleet against the baseline's: its parts, and what of it
 * the baseline has too. */
typedef struct {
    const stg_fleet *f;
    stg_parts *pt;
    int *gmap;                  /* per group: the baseline's group with the
                                   same name and choices, or -1 */
} pairing;

static void pairing_free(pairing *pr)
{
    stg_parts_free(pr->pt);
    stg_free(pr->gmap);
    memset(pr, 0, sizeof *pr);
}

/* Returns 0, or -1 when out of memory. */
static int pairing_make(pairing *pr, const stg_fleet *base, const stg_fleet *f)
{
    memset(pr, 0, sizeof *pr);
    pr->f = f;
    pr->gmap = stg_malloc(sizeof *pr->gmap * (size_t)(f->ngroups + 1));
    if (!pr->gmap || stg_plan_parts(f, &pr->pt))
        return -1;
    bool same_cycle = base->cycle == f->cycle && base->resolution == f->resolution;
    for (int g = 0; g < f->ngroups; g++) {
        int h = same_cycle ? stg_fleet_group(base, f->groups[g].name) : -1;
        pr->gmap[g] = h >= 0 && stg_group_same_choices(f, g, base, h) ? h : -1;
    }
    return 0;
}

/* Which way settings are carried. */
typedef enum { TO_BASE, TO_SCEN } direction;

/* Whether part k's shared group times differ between the two plans. */
static bool part_differs(const pairing *pr, int k, const stg_settings *base_s,
                         const stg_settings *scen_s)
{
    const stg_parts *pt = pr->pt;
    for (int i = pt->group_off[k]; i < pt->group_off[k + 1]; i++) {
        int g = pt->group[i], h = pr->gmap[g];
        if (h >= 0 && stg_settings_group_moved(scen_s, g, base_s, h))
            return true;
    }
    return false;
}

/* Part k's shared group times from src into dst (dir says which of them
 * is the baseline's). */
static void carry(const pairing *pr, int k, direction dir, stg_settings *dst,
                  const stg_settings *src)
{
    const stg_parts *pt = pr->pt;
    for (int i = pt->group_off[k]; i < pt->group_off[k + 1]; i++) {
        int g = pt->group[i], h = pr->gmap[g];
        if (h < 0)
            continue;
        if (dir == TO_BASE)
            stg_settings_group_copy(dst, h, src, g);
        else
            stg_settings_group_copy(dst, g, src, h);
    }
}

/* Carries the parts whose settings differ into *to (the baseline's plan
 * or the scenario's, by dir) from the other plan: all of them at once,
 * else one by one; each is kept when better (strict) or not worse.
 * *taken counts the parts kept.  Returns 0, or -1 when out of memory. */
static int carry_parts(const pairing *pr, direction dir, const stg_fleet *base,
                       stg_schedule **base_sc, stg_schedule **scen_sc,
                       bool strict, const stg_limit *lim, stg_reconcile_res *res,
                       int *taken)
{
    stg_schedule **to = dir == TO_BASE ? base_sc : scen_sc;
    const stg_schedule *from = dir == TO_BASE ? *scen_sc : *base_sc;
    const stg_fleet *tf = dir == TO_BASE ? base : pr->f;
    int rc = -1, nd = 0;
    int *diff = stg_malloc(sizeof *diff * (size_t)(pr->pt->nparts + 1));
    if (!diff)
        return -1;
    for (int k = 0; k < pr->pt->nparts; k++)
        if (part_differs(pr, k, (*base_sc)->settings, (*scen_sc)->settings))
            diff[nd++] = k;
    /* try 0: every part that differs; then each alone */
    for (int t = 0; t < (nd > 1 ? nd + 1 : nd); t++) {
        if (stg_limit_reached(lim)) {
            res->stopped = true;
            break;
        }
        stg_settings *s = stg_settings_copy((*to)->settings);
        if (!s)
            goto out;
        for (int i = t ? t - 1 : 0; i < (t ? t : nd); i++)
            carry(pr, diff[i], dir, s, from->settings);
        stg_schedule *cand = stg_schedule_rebuild(tf, *to, s);
        if (!cand)
            goto out;
        res->tried++;
        int r = stg_schedule_cmp(cand, *to);
        if (r < 0 || (r == 0 && !strict)) {
            stg_schedule_free(*to);
            *to = cand;
            *taken += t ? 1 : nd;
            if (t == 0)
                break;
        } else {
            stg_schedule_free(cand);
        }
    }
    rc = 0;
out:
    stg_free(diff);
    return rc;
}

int stg_reconcile(const stg_fleet *base, stg_schedule **base_sc,
                  const stg_fleet *const *scen, stg_schedule **scen_sc, int n,
                  const stg_limit *lim, stg_reconcile_res *res)
{
    memset(res, 0, sizeof *res);
    int rc = -1;
    pairing *pr = stg_calloc((size_t)n + 1, sizeof *pr);
    if (!pr)
        return -1;
    for (int i = 0; i < n; i++)
        if (pairing_make(&pr[i], base, scen[i]))
            goto out;
    /* 1: the baseline takes what any scenario found better for it */
    for (int i = 0; i < n; i++)
        if (carry_parts(&pr[i], TO_BASE, base, base_sc, &scen_sc[i], true, lim,
                        res, &res->base_taken))
            goto out;
    /* 2: each scenario keeps the baseline's times where not worse */
    for (int i = 0; i < n; i++)
        if (carry_parts(&pr[i], TO_SCEN, base, base_sc, &scen_sc[i], false, lim,
                        res, &res->scen_taken))
            goto out;
    rc = 0;
out:
    for (int i = 0; pr && i < n; i++)
        pairing_free(&pr[i]);
    stg_free(pr);
    return rc;
}
