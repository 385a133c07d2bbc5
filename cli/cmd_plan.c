/* stagger plan FLEET [-o SCHEDULE] [--time-limit T] [--seed N] [--threads N] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io/atomic.h"
#include "io/schedule_write.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/parts.h"
#include "solver/planner.h"
#include "solver/pool.h"

static void progress(void *arg, const stg_progress *pr)
{
    (void)arg;
    char a[STG_QBUF], b[STG_QBUF];
    fprintf(stderr, "\r\033[Kplanning: %-13s best %s  bound %s  gap %.1f points  %.1fs",
            pr->phase, stg_fmt_pct(a, sizeof a, pr->achieved),
            stg_fmt_pct(b, sizeof b, pr->bound),
            (pr->bound - pr->achieved) * 100 > 0 ? (pr->bound - pr->achieved) * 100 : 0,
            pr->elapsed);
    fflush(stderr);
}


int stg_cmd_plan(const stg_args *a)
{
    stg_plan_opts po;
    stg_plan_opts_init(&po);
    const char *output = stg_args_text(a, "output", "-");
    po.time_limit = stg_args_duration(a, "time-limit", po.time_limit);
    po.seed = stg_args_seed(a, "seed", po.seed);
    po.threads = (int)stg_args_count(a, "threads", stg_pool_cores());
    stg_parts *parts = NULL;
    if (stg_args_flag(a, "verbose"))
        po.parts = &parts;
    const char *path = a->operand[0];

    char *cause = NULL;
    if (stg_cli_check_output("plan", output))
        return STG_EXIT_INPUT;
    int status;
    char sha[65];
    stg_fleet *f = stg_cli_load_fleet(path, sha, &status);
    if (!f)
        return status;

    po.stop = stg_cli_catch_stop();
    int tty = isatty(STDERR_FILENO);
    if (tty)
        po.progress = progress;

    stg_schedule *sc = NULL;
    stg_out *out = NULL;
    if (stg_plan(f, &po, &sc, &cause)) {
        if (tty)
            fputc('\n', stderr);
        stg_cli_error("plan", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (tty)
        fprintf(stderr, "\r\033[K");
    /* the search is over: a signal now would only leave the temporary
     * file behind, so the schedule is written whole first */
    stg_cli_ignore_stop();
    out = stg_out_open(output, &cause);
    if (!out ||
        stg_schedule_write(stg_out_file(out), f, path, sha, sc, &cause)) {
        stg_out_abort(out);
        stg_cli_error("plan", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (stg_out_commit(out, &cause)) {
        stg_cli_error("plan", "%s", cause ? cause : "cannot write the output");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    stg_cli_print_summary(stderr, f, sc);
    if (sc->eval->nviolations) {
        stg_cli_print_violations(stderr, f, sc);
        stg_cli_print_why(stderr, f, sc, path);
    }
    if (sc->stopped)
        fprintf(stderr, "stopped before the search ended: this is the best schedule found so far\n");
    fprintf(stderr, "planned in %.2fs (%s)\n", sc->seconds, sc->method);
    if (parts)
        stg_cli_print_parts(stderr, f, parts);
    status = sc->status == STG_STATUS_VIOLATES ? STG_EXIT_RULES : STG_EXIT_OK;
done:
    stg_free(cause);
    stg_schedule_free(sc);
    stg_parts_free(parts);
    stg_fleet_free(f);
    return status;
}
