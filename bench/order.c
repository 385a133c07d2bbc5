/* stagger-order: two schedules of one fleet compared as the planner
 * compares plans (model/schedule.h, stg_schedule_cmp()): one that keeps
 * every rule first, then the links' lowest headrooms from the worst up
 * (leximin), then fewer broken rules other than headroom.  Each
 * schedule's settings are simulated and scored here by the load model
 * of fleet.md (model/sim.h, waits for max_jobs included), as `stagger
 * check` scores them, whatever the program that wrote it printed: an
 * earlier version's plan is judged by the same rules as this one's.
 *
 *   stagger-order FLEET FIRST SECOND
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
 * place.  Exit status: 0, 2 bad input, 3 out of memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "load.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/schedule.h"

static const char *usage_text = "usage: stagger-order FLEET FIRST SECOND\n";

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

/* Prints why the better of a and b (r < 0: a, as stg_schedule_cmp())
 * is better.  Returns 0, or -1 when out of memory. */
static int explain(const stg_fleet *f, const stg_schedule *a,
                   const stg_schedule *b, int r)
{
    const char *better = r < 0 ? "first" : "second";
    const char *worse = r < 0 ? "second" : "first";
    const stg_eval *eb = (r < 0 ? a : b)->eval, *ew = (r < 0 ? b : a)->eval;
    if ((eb->nviolations == 0) != (ew->nviolations == 0)) {
        printf("%s better: it keeps every rule, the %s does not\n", better,
               worse);
        return 0;
    }
    int n = eb->nlinks, rc = -1;
    double *hb = stg_malloc(sizeof *hb * (size_t)(n + 1));
    double *hw = stg_malloc(sizeof *hw * (size_t)(n + 1));
    if (!hb || !hw)
        goto out;
    for (int l = 0; l < n; l++) {
        hb[l] = eb->headroom[l];
        hw[l] = ew->headroom[l];
    }
    qsort(hb, (size_t)n, sizeof *hb, by_value);
    qsort(hw, (size_t)n, sizeof *hw, by_value);
    int i = 0;
    while (i < n && fabs(hb[i] - hw[i]) <= SAME)
        i++;
    if (i < n) {
        int l = link_at(ew, hw[i]);
        printf("%s better: link %d of %d, %.3f%% against %.3f%% (%s in the "
               "%s)\n", better, i + 1, n, 100 * hb[i], 100 * hw[i],
               l >= 0 ? f->links[l].name : "?", worse);
    } else {
        printf("%s better: as good on every link, %d other rules broken "
               "against %d\n", better, other_rules(eb), other_rules(ew));
    }
    rc = 0;
out:
    stg_free(hb);
    stg_free(hw);
    return rc;
}

int main(int argc, char **argv)
{
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
    int r = stg_schedule_cmp(a, b);
    if (r == 0)
        printf("same\n");
    else if (explain(f, a, b, r))
        goto done;
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
