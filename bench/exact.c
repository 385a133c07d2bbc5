/* stagger-exact: the exact search of one link alone, from a schedule's
 * placement, so that the single-link figures of docs/performance.md and
 * docs/model.md can be rerun.
 *
 *   stagger-exact [--lift | --held | --peak] [--with LINK]...
 *                 [--below P] [--budget N]
 *                 FLEET SCHEDULE LINK
 *
 * The problem is the planner's (the values of the fleet's windows and
 * flex) with the schedule's throttles; the search
 * (solver/exact.h) starts from the schedule's placement and spends at
 * most N slot checks (default 4.1 x 10^9, the deeper pass's budget).
 * With --lift, the search is a lift (exact.h, docs/model.md): the
 * decisions on LINK and on every link worse than it in the schedule
 * (a higher peak utilization) that shares a computer with it, or a
 * group whose sources sit on its computers and theirs, move, the
 * other decisions stay, and no link ends worse than before or below
 * LINK; the placement found is then applied to the schedule and each
 * link whose headroom it moves is listed, as the load model whole has
 * it (waits for max_jobs included).  --with LINK, repeated, is a lift
 * whose links with free decisions are those named rather than every
 * worse one.  The first line: the link, its headroom in the schedule
 * (without waits), the best headroom found, whether that is proven (a
 * lift: whether no better one exists with those links held), the slot
 * checks and the seconds.  With --held, the search is a held bound
 * (exact.h): every link worse than LINK that a computer of LINK crosses,
 * or a computer of such a link, and so on (lift.h, stg_held_worse()),
 * or those named with --with, is held at its peak in the schedule, the
 * decisions on them and on LINK move, the better links are free, and a
 * proven answer ("held bound") is a bound: no schedule without waits
 * that keeps those links as they are does better on LINK.  --below P
 * searches only for placements P headroom points above the schedule's
 * (a proof then says LINK is within P points of its best).  With
 * --peak, the bound of LINK's peak's core (solver/peakcore.h: the exact
 * search of the computers sending at the schedule's peak alone, then
 * with those near it, within the budget) is printed instead: "LINK
 * schedule H%  peak's core bound B%  slot checks W  S s" (not with
 * --lift, --held, --with or --below).
 * Exit status: 0, 2 bad
 * input, 3 out of memory. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/quantity.h"
#include "model/sim.h"
#include "solver/clock.h"
#include "solver/exact.h"
#include "solver/lift.h"
#include "solver/peakcore.h"
#include "solver/problem.h"
#include "solver/state.h"

/* The deeper pass's budget (solver/part.c). */
#define DEFAULT_BUDGET 4096000000L

static const char *usage_text =
    "usage: stagger-exact [--lift | --held | --peak] [--with LINK]... "
    "[--below P] [--budget N] FLEET SCHEDULE LINK\n";

/* A lift's placement applied to the schedule: each link whose headroom
 * it moves, as the load model whole has it (waits for max_jobs
 * included, as stagger check scores a schedule).  Returns 0, or -1 when
 * out of memory. */
static int lifted(const stg_fleet *f, const stg_problem *p,
                  const stg_settings *set, const stg_state *st,
                  const stg_exact_result *r)
{
    int rc = -1;
    stg_sim *s0 = NULL, *s1 = NULL;
    stg_eval *e0 = NULL, *e1 = NULL;
    stg_settings *moved = stg_settings_copy(set);
    if (!moved)
        return -1;
    for (int d = 0; d < p->ndecisions; d++)
        if (r->values[d] >= 0 && r->values[d] != stg_state_value(st, d))
            stg_problem_apply(p, d, r->values[d], moved);
    if (stg_sim_run(f, set, &s0) < 0 || !(e0 = stg_eval_run(f, s0)) ||
        stg_sim_run(f, moved, &s1) < 0 || !(e1 = stg_eval_run(f, s1)))
        goto done;
    for (int k = 0; k < f->nlinks; k++) {
        char a[32], b[32];
        if (fabs(e0->headroom[k] - e1->headroom[k]) > 1e-9)
            printf("  %s %s -> %s\n", f->links[k].name,
                   stg_fmt_pct(a, sizeof a, e0->headroom[k]),
                   stg_fmt_pct(b, sizeof b, e1->headroom[k]));
    }
    rc = 0;
done:
    stg_eval_free(e0);
    stg_eval_free(e1);
    stg_sim_free(s0);
    stg_sim_free(s1);
    stg_settings_free(moved);
    return rc;
}

int main(int argc, char **argv)
{
    bool lift = false, held = false, peak = false;
    double below = 0;
    long budget = DEFAULT_BUDGET;
    const char *with_name[64];
    int nwith_name = 0, a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (strcmp(argv[a], "--lift") == 0) {
            lift = true;
        } else if (strcmp(argv[a], "--peak") == 0) {
            peak = true;
        } else if (strcmp(argv[a], "--held") == 0) {
            lift = held = true;
        } else if (strcmp(argv[a], "--with") == 0 && a + 1 < argc &&
                   nwith_name < 64) {
            lift = true;
            with_name[nwith_name++] = argv[++a];
        } else if (strcmp(argv[a], "--below") == 0 && a + 1 < argc) {
            char *end;
            below = strtod(argv[++a], &end);
            if (*end || below <= 0) {
                fputs(usage_text, stderr);
                return BENCH_EXIT_INPUT;
            }
        } else if (strcmp(argv[a], "--budget") == 0 && a + 1 < argc) {
            char *end;
            budget = strtol(argv[++a], &end, 10);
            if (*end || budget <= 0) {
                fputs(usage_text, stderr);
                return BENCH_EXIT_INPUT;
            }
        } else {
            fputs(usage_text, stderr);
            return BENCH_EXIT_INPUT;
        }
    }
    /* --peak is a bound of its own: no lift, held links or --below */
    if (argc - a != 3 || (peak && (lift || below > 0))) {
        fputs(usage_text, stderr);
        return BENCH_EXIT_INPUT;
    }
    const char *fleet_file = argv[a], *sched_file = argv[a + 1];
    const char *link_name = argv[a + 2];
    stg_fleet *f = NULL;
    stg_settings *set = NULL;
    stg_problem *p = NULL;
    stg_state *st = NULL;
    int *with = NULL, nwith = 0;
    stg_exact_result r = { 0 };
    int status = bench_load(fleet_file, sched_file, &f, &set, NULL);
    if (status)
        goto done;
    status = BENCH_EXIT_INTERNAL;
    int l = stg_fleet_link(f, link_name);
    if (l < 0) {
        fprintf(stderr, "stagger-exact: the fleet has no link \"%s\"\n",
                link_name);
        status = BENCH_EXIT_INPUT;
        goto done;
    }
    /* the planner's problem: the values of the fleet's windows and flex
     * (today's times), the schedule's throttles */
    if (!(p = stg_problem_for_plan(f, set)) ||
        !(st = stg_state_placed(p, set)) ||
        !(with = stg_malloc(sizeof *with * (size_t)(f->nlinks + 1))))
        goto done;
    double u = stg_state_util(st, l);
    for (int i = 0; i < nwith_name; i++)
        if ((with[nwith++] = stg_fleet_link(f, with_name[i])) < 0) {
            fprintf(stderr, "stagger-exact: the fleet has no link \"%s\"\n",
                    with_name[i]);
            status = BENCH_EXIT_INPUT;
            goto done;
        }
    if (lift && nwith_name == 0 &&
        (nwith = held ? stg_held_worse(st, l, with)
                      : stg_lift_worse(st, l, with)) < 0)
        goto done;
    if (peak) {
        double t0 = stg_now(), b;
        long work;
        if (stg_peakcore_bound(p, st, l, 0, budget, NULL, &b, &work))
            goto done;
        printf("%s  schedule %.1f%%  peak's core bound %.1f%%  slot checks "
               "%.2g  %.2f s\n", link_name, 100 * (1 - u), 100 * (1 - b),
               (double)work, stg_now() - t0);
        status = 0;
        goto done;
    }
    stg_exact_opts o = { .lift = lift, .with = with, .nwith = nwith,
                         .held = held };
    if (below > 0)              /* headroom points more than the schedule */
        o.below = u - below / 100;
    double t0 = stg_now();
    if (stg_exact_solve_with(p, &l, 1, st, 0, budget, NULL, &o, &r))
        goto done;
    double t1 = stg_now();
    /* with --below and nothing found there, the answer is the bound */
    char what[64];
    if (!r.proven)
        snprintf(what, sizeof what, "not proven");
    else if (o.below > 0 && !r.improved)
        snprintf(what, sizeof what, "nothing above %.1f%%",
                 100 * (1 - r.lower));
    else
        snprintf(what, sizeof what, "%s",
                 held ? "held bound" : lift ? "nothing better" : "proven");
    printf("%s  schedule %.1f%%  best %.1f%%  %s  slot checks %.2g  %.2f s\n",
           link_name, 100 * (1 - u), 100 * (1 - (r.improved ? r.util : u)),
           what, (double)r.work, t1 - t0);
    if (held)
        for (int i = 0; i < nwith; i++)
            printf("  held %s %.1f%%\n", f->links[with[i]].name,
                   100 * (1 - stg_state_util(st, with[i])));
    if (lift && r.improved && lifted(f, p, set, st, &r) < 0)
        goto done;
    status = 0;
done:
    stg_exact_result_free(&r);
    stg_free(with);
    stg_state_free(st);
    stg_problem_free(p);
    stg_settings_free(set);
    stg_fleet_free(f);
    return status;
}
