/* stagger-order: two schedules of one fleet compared as the planner
 * compares plans (model/schedule.h, stg_schedule_cmp()): one that keeps
 * every rule first, then the links' lowest headrooms from the worst up
 * (leximin), then fewer broken rules other than headroom.  Each
 * schedule's settings are simulated and scored here by the load model
 * of fleet.md (model/sim.h, waits for max_jobs included), as `stagger
 * check` scores them, whatever the program that wrote it printed: an
 * earlier version's plan is judged by the same rules as this one's.
 *
 *   stagger-order [--at-risk] FLEET FIRST SECOND
 *
 * With --at-risk, every headroom above STG_SAFE (50%) counts as 50%:
 * the order on what the planner aims at (a link out of risk is left
 * once the links at risk are at their bounds, docs/model.md).
 *
 * One line on standard output:
 *
 *   same
 *   first better: link 154 of 216, 36.715% against 36.410% (dpm05-nic in the second)
 *   second better: it keeps every rule, the first does not
 *   first better: as good on every link, 2 other rules broken against 3
 *
 * where "link k of n" is the first place, in the order of the sorted
 * headrooms, where the two differ, with the better schedule's headroom
 * there, then the worse's, and the worse schedule's link at that
 * place.  Exit status: 0, 2 bad input, 3 out of memory (or, never
 * expected, this comparison and stg_schedule_cmp() disagree). */
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/schedule.h"
#include "solver/part.h"

static const char *usage_text =
    "usage: stagger-order [--at-risk] FLEET FIRST SECOND\n";

/* Headrooms closer than this are the same (as stg_schedule_cmp()). */
#define SAME 1e-6

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int other_rules(const stg_eval *e)
{
    int n = 0;
    for (int i = 0; i < e->nviolations; i++)
        n += e->violations[i].kind != STG_VIOL_HEADROOM;
    return n;
}

/* The link of e whose headroom is h (the first such), or -1. */
static int link_at(const stg_eval *e, double h)
{
    for (int l = 0; l < e->nlinks; l++)
        if (fabs(e->headroom[l] - h) <= SAME)
            return l;
    return -1;
}

/* Compares a and b as stg_schedule_cmp() does, each headroom taken at
 * most cap (1: as they are), and prints the answer.  Returns the
 * comparison (<0: a better), or INT_MIN when out of memory. */
static int order(const stg_fleet *f, const stg_schedule *a,
                 const stg_schedule *b, double cap)
{
    const stg_eval *ea = a->eval, *eb = b->eval;
    int fa = ea->nviolations == 0, fb = eb->nviolations == 0;
    if (fa != fb) {
        printf("%s better: it keeps every rule, the %s does not\n",
               fa ? "first" : "second", fa ? "second" : "first");
        return fa ? -1 : 1;
    }
    int n = ea->nlinks, r = INT_MIN;
    double *ha = stg_malloc(sizeof *ha * (size_t)(n + 1));
    double *hb = stg_malloc(sizeof *hb * (size_t)(n + 1));
    if (!ha || !hb)
        goto out;
    for (int l = 0; l < n; l++) {
        ha[l] = ea->headroom[l] < cap ? ea->headroom[l] : cap;
        hb[l] = eb->headroom[l] < cap ? eb->headroom[l] : cap;
    }
    qsort(ha, (size_t)n, sizeof *ha, by_value);
    qsort(hb, (size_t)n, sizeof *hb, by_value);
    int i = 0;
    while (i < n && fabs(ha[i] - hb[i]) <= SAME)
        i++;
    if (i < n) {
        r = ha[i] > hb[i] ? -1 : 1;
        const stg_eval *ew = r < 0 ? eb : ea;
        double hi = r < 0 ? ha[i] : hb[i], lo = r < 0 ? hb[i] : ha[i];
        int l = link_at(ew, lo);
        printf("%s better: link %d of %d, %.3f%% against %.3f%% (%s in the "
               "%s)\n", r < 0 ? "first" : "second", i + 1, n, 100 * hi,
               100 * lo, l >= 0 ? f->links[l].name : "?",
               r < 0 ? "second" : "first");
        goto out;
    }
    int oa = other_rules(ea), ob = other_rules(eb);
    r = (oa > ob) - (oa < ob);
    if (r == 0)
        printf("same\n");
    else
        printf("%s better: as good on every link, %d other rules broken "
               "against %d\n", r < 0 ? "first" : "second",
               r < 0 ? oa : ob, r < 0 ? ob : oa);
out:
    stg_free(ha);
    stg_free(hb);
    return r;
}

int main(int argc, char **argv)
{
    bool at_risk = argc > 1 && strcmp(argv[1], "--at-risk") == 0;
    argv += at_risk;
    argc -= at_risk;
    if (argc != 4) {
        fputs(usage_text, stderr);
        return BENCH_EXIT_INPUT;
    }
    stg_fleet *f = NULL;
    stg_settings *sa = NULL, *sb = NULL;
    stg_schedule *a = NULL, *b = NULL;
    double *nobound = NULL;
    int status = bench_load(argv[1], argv[2], &f, &sa, NULL);
    if (status)
        goto done;
    if ((status = bench_load_schedule(f, argv[3], &sb, NULL)))
        goto done;
    status = BENCH_EXIT_INTERNAL;
    /* the bounds play no part in the order */
    if (!(nobound = stg_calloc((size_t)f->nlinks + 1, sizeof *nobound)))
        goto done;
    a = stg_schedule_build(f, sa, nobound);
    sa = NULL;                  /* taken, built or not */
    b = stg_schedule_build(f, sb, nobound);
    sb = NULL;
    if (!a || !b)
        goto done;
    int r = order(f, a, b, at_risk ? STG_SAFE : 1);
    if (r == INT_MIN)
        goto done;
    /* the planner's own comparison agrees (without the cap) */
    int want = stg_schedule_cmp(a, b);
    if (!at_risk && (r > 0) - (r < 0) != (want > 0) - (want < 0)) {
        fprintf(stderr, "stagger-order: the planner's comparison says %d\n",
                want);
        goto done;
    }
    status = 0;
done:
    stg_schedule_free(a);
    stg_schedule_free(b);
    stg_settings_free(sa);
    stg_settings_free(sb);
    stg_free(nobound);
    stg_fleet_free(f);
    return status;
}
