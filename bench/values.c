/* stagger-values: what each value of one decision does to some links,
 * every other setting as a schedule has it.  It answers "is this
 * link's gap to its own bound the plan's, or the price of a worse
 * link?" (docs/performance.md): a link whose better value takes another,
 * worse link past its peak is held where it is by the lexicographic
 * order.
 *
 *   stagger-values FLEET SCHEDULE GROUP DECISION LINK...
 *
 * DECISION is sync (the group's sync offset), ef1, ef2, ... (its
 * express fulls in the order of their times) or check (its consistency
 * check's start); its values are those the planner may give it.  One
 * line per value: its index, its time (as schedules write it: "20:05",
 * "mon 20:05" on a week), each link's peak utilization in percent, and a
 * star on the schedule's own value.  Each line is the load model of
 * fleet.md simulated whole (model/sim.h: waits for max_jobs, the
 * schedule's throttles), as `stagger check` scores a schedule: the
 * starred line gives the schedule's peaks.  Exit status: 0, 2 bad
 * input, 3 out of memory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/write/report.h"
#include "load.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/quantity.h"
#include "model/sim.h"
#include "solver/problem.h"


static const char *usage_text =
    "usage: stagger-values FLEET SCHEDULE GROUP sync|ef1|ef2|...|check LINK...\n";

/* The decision of group g that name says, or -1. */
static int find_decision(const stg_problem *p, int g, const char *name)
{
    stg_dec_kind kind = STG_DEC_SYNC;
    int index = 0;
    if (strcmp(name, "check") == 0) {
        kind = STG_DEC_CC;
    } else if (strncmp(name, "ef", 2) == 0) {
        char *end;
        long i = strtol(name + 2, &end, 10);
        if (end == name + 2 || *end || i < 1 || i > 1000)
            return -1;
        kind = STG_DEC_EF;
        index = (int)i - 1;
    } else if (strcmp(name, "sync") != 0) {
        return -1;
    }
    /* a group's express fulls are its decisions in the order of their
     * times (solver/problem.c) */
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].group == g && p->dec[d].kind == kind && index-- == 0)
            return d;
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 6) {
        fputs(usage_text, stderr);
        return BENCH_EXIT_INPUT;
    }
    int nl = argc - 5;
    stg_fleet *f = NULL;
    stg_settings *set = NULL;
    stg_problem *p = NULL;
    int *links = stg_malloc(sizeof *links * (size_t)nl);
    int status = links ? bench_load(argv[1], argv[2], &f, &set, NULL)
                       : BENCH_EXIT_INTERNAL;
    if (status)
        goto done;
    status = BENCH_EXIT_INTERNAL;
    int g = stg_fleet_group(f, argv[3]);
    if (g < 0) {
        fprintf(stderr, "stagger-values: the fleet has no group \"%s\"\n",
                argv[3]);
        status = BENCH_EXIT_INPUT;
        goto done;
    }
    for (int i = 0; i < nl; i++)
        if ((links[i] = stg_fleet_link(f, argv[5 + i])) < 0) {
            fprintf(stderr, "stagger-values: the fleet has no link \"%s\"\n",
                    argv[5 + i]);
            status = BENCH_EXIT_INPUT;
            goto done;
        }
    /* the decisions and their values as the planner has them (the
     * fleet's windows and flex, not the schedule's times) */
    p = stg_problem_new(f, NULL);
    if (!p)
        goto done;
    int d = find_decision(p, g, argv[4]);
    if (d < 0) {
        fprintf(stderr, "stagger-values: group \"%s\" has no decision \"%s\" "
                "that moves (sync, ef1, ef2, ..., check)\n", argv[3], argv[4]);
        status = BENCH_EXIT_INPUT;
        goto done;
    }
    int own = stg_problem_value_index(p, d, set);
    printf("value  time ");
    for (int i = 0; i < nl; i++)
        printf("  %s", argv[5 + i]);
    printf("\n");
    for (int vi = 0; vi < p->dec[d].nvalues; vi++) {
        stg_sim *sim = NULL;
        stg_eval *e = NULL;
        stg_problem_apply(p, d, vi, set);
        if (stg_sim_run(f, set, &sim) < 0 || !(e = stg_eval_run(f, sim))) {
            stg_sim_free(sim);
            goto done;
        }
        char tbuf[32], pbuf[32];
        printf("%5d  %s", vi, stg_fmt_cycle_time(tbuf, sizeof tbuf, f->cycle,
                                                 p->dec[d].values[vi]));
        for (int i = 0; i < nl; i++)
            printf("  %s", stg_fmt_pct(pbuf, sizeof pbuf,
                                       1 - e->headroom[links[i]]));
        printf("%s\n", vi == own ? "  *" : "");
        stg_eval_free(e);
        stg_sim_free(sim);
    }
    status = 0;
done:
    stg_problem_free(p);
    stg_settings_free(set);
    stg_fleet_free(f);
    stg_free(links);
    return status;
}
