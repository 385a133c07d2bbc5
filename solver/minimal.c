/* stagger: a re-plan that moves as few groups as it can (see minimal.h). */
#include "minimal.h"

#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "part.h"

/* Whether cand is as good as the plan (minimal.h). */
static bool as_good(const stg_fleet *f, const stg_schedule *plan,
                    const stg_schedule *cand)
{
    int other_p = 0, other_c = 0;
    for (int i = 0; i < plan->eval->nviolations; i++)
        other_p += plan->eval->violations[i].kind != STG_VIOL_HEADROOM;
    for (int i = 0; i < cand->eval->nviolations; i++)
        other_c += cand->eval->violations[i].kind != STG_VIOL_HEADROOM;
    if (other_c > other_p)
        return false;
    if (cand->eval->achieved < plan->eval->achieved - STG_SAME)
        return false;
    for (int l = 0; l < f->nlinks; l++) {
        double want = plan->eval->headroom[l];
        if (want > f->headroom)
            want = f->headroom;
        if (cand->eval->headroom[l] < want - STG_SAME)
            return false;
    }
    return true;
}

/* Tries s (a copy of the current settings with one thing put back):
 * keeps it in *cur when as good.  0, or -1 when out of memory. */
static int try_settings(const stg_fleet *f, const stg_schedule *plan,
                        stg_settings *s, stg_schedule **cur)
{
    stg_schedule *cand = stg_schedule_rebuild(f, plan, s);
    if (!cand)
        return -1;
    if (as_good(f, plan, cand)) {
        stg_schedule_free(*cur);
        *cur = cand;
    } else {
        stg_schedule_free(cand);
    }
    return 0;
}

static int by_name(const void *a, const void *b, void *fleet)
{
    const stg_fleet *f = fleet;
    return strcmp(f->groups[*(const int *)a].name, f->groups[*(const int *)b].name);
}

/* Insertion sort of the group indices by name (qsort_r is not C11). */
static void sort_groups(const stg_fleet *f, int *g, int n)
{
    for (int i = 1; i < n; i++) {
        int v = g[i], k = i;
        while (k > 0 && by_name(&g[k - 1], &v, (void *)f) > 0) {
            g[k] = g[k - 1];
            k--;
        }
        g[k] = v;
    }
}

int stg_plan_minimal(const stg_fleet *f, const stg_schedule *plan,
                     const stg_settings *from, const stg_limit *lim,
                     stg_schedule **out, stg_minimal *res)
{
    memset(res, 0, sizeof *res);
    *out = NULL;
    int rc = -1;
    int *order = stg_malloc(sizeof *order * (size_t)(f->ngroups + 1));
    stg_settings *s = stg_settings_copy(plan->settings);
    stg_schedule *cur = s ? stg_schedule_rebuild(f, plan, s) : NULL;
    if (!order || !cur)
        goto out;
    /* from's settings whole (the plan's recommendations for computers
     * from leaves to planning) */
    s = stg_settings_copy(from);
    if (!s)
        goto out;
    for (int c = 0; c < f->ncomputers; c++)
        if (plan->settings->recommended[c])
            s->throttle[c] = plan->settings->throttle[c];
    stg_schedule *whole = stg_schedule_rebuild(f, plan, s);
    if (!whole)
        goto out;
    if (as_good(f, plan, whole)) {
        stg_schedule_free(cur);
        cur = whole;
        res->whole = true;
    } else {
        stg_schedule_free(whole);
        for (int g = 0; g < f->ngroups; g++)
            order[g] = g;
        sort_groups(f, order, f->ngroups);
        for (int i = 0; i < f->ngroups; i++) {
            int g = order[i];
            if (!stg_settings_group_moved(cur->settings, g, from, g))
                continue;
            if (stg_limit_reached(lim)) {
                res->stopped = true;
                break;
            }
            res->tried++;
            if (!(s = stg_settings_copy(cur->settings)))
                goto out;
            stg_settings_group_copy(s, g, from, g);
            if (try_settings(f, plan, s, &cur))
                goto out;
        }
        for (int c = 0; c < f->ncomputers && !res->stopped; c++) {
            if (plan->settings->recommended[c] ||
                stg_throttle_same(&cur->settings->throttle[c],
                                  &from->throttle[c]))
                continue;
            if (stg_limit_reached(lim)) {
                res->stopped = true;
                break;
            }
            res->tried++;
            if (!(s = stg_settings_copy(cur->settings)))
                goto out;
            s->throttle[c] = from->throttle[c];
            if (try_settings(f, plan, s, &cur))
                goto out;
        }
    }
    for (int g = 0; g < f->ngroups; g++)
        res->moved += stg_settings_group_moved(cur->settings, g, from, g);
    for (int c = 0; c < f->ncomputers; c++)
        res->throttles += !stg_throttle_same(&cur->settings->throttle[c],
                                             &from->throttle[c]);
    *out = cur;
    cur = NULL;
    rc = 0;
out:
    stg_free(order);
    stg_schedule_free(cur);
    return rc;
}
