/* stagger plan FLEET [-o SCHEDULE] [--time-limit T] [--seed N] [--threads N] */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "io/write/advice.h"
#include "io/write/atomic.h"
#include "io/write/schedule_write.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/clock.h"
#include "solver/minimal.h"
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


/* The settings of --from: a schedule file's, or the fleet's own
 * ("today").  NULL with *status set when it cannot be read. */
static stg_settings *from_settings(const char *from, const stg_fleet *f,
                                   int *status)
{
    if (!strcmp(from, "today")) {
        stg_settings *s = stg_settings_today(f);
        if (!s) {
            stg_cli_error("plan", "out of memory");
            *status = STG_EXIT_INTERNAL;
        }
        return s;
    }
    return stg_cli_load_settings("plan", from, f, NULL, status);
}

/* Puts back what need not move from from (minimal.h): *sc replaced. */
static int keep_from(const stg_fleet *f, const char *name,
                     const stg_settings *from, const stg_plan_opts *po,
                     stg_schedule **sc)
{
    double t = po->time_limit / 10 > 1 ? po->time_limit / 10 : 1;
    stg_limit lim = { stg_now() + t, po->stop };
    stg_schedule *kept = NULL;
    stg_minimal m;
    if (stg_plan_minimal(f, *sc, from, &lim, &kept, &m))
        return -1;
    kept->seconds = (*sc)->seconds + (stg_now() - (lim.deadline - t));
    stg_schedule_free(*sc);
    *sc = kept;
    fprintf(stderr, "from %s: %d of %d groups moved", name, m.moved, f->ngroups);
    int shown = 0;
    for (int g = 0; g < f->ngroups && shown < 8; g++)
        if (stg_settings_group_moved(kept->settings, g, from, g))
            fprintf(stderr, "%s%s", shown++ ? ", " : " (", f->groups[g].name);
    if (shown)
        fprintf(stderr, "%s)", m.moved > shown ? ", ..." : "");
    fprintf(stderr, ", %d throttle%s changed%s\n", m.throttles,
            m.throttles == 1 ? "" : "s",
            m.stopped ? " (time was up before every group was tried)" : "");
    return 0;
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
    long factor = stg_args_count(a, "max-lag-factor", 0);
    if (factor > 0)
        stg_fleet_set_lag_factor(f, (int)factor);

    const char *from = stg_args_text(a, "from", NULL);
    stg_settings *from_s = NULL;
    if (from && !(from_s = from_settings(from, f, &status))) {
        stg_fleet_free(f);
        return status;
    }

    po.stop = stg_cli_catch_stop();
    int tty = isatty(STDERR_FILENO);
    if (tty)
        po.progress = progress;

    stg_schedule *sc = NULL;
    stg_advice *why = NULL;
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
    if (from_s && keep_from(f, from, from_s, &po, &sc)) {
        stg_cli_error("plan", "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    /* the search is over: a signal now would only leave the temporary
     * file behind, so the schedule is written whole first */
    stg_cli_ignore_stop();
    why = stg_cli_why(f, sc, 5, NULL);   /* advise has them all */
    out = stg_out_open(output, &cause);
    if (!out ||
        stg_schedule_write(stg_out_file(out), f, path, sha, sc, &cause) ||
        stg_advice_print_warnings(stg_out_file(out), f, sc,
                                  "# warning: ") < 0 ||
        (why && stg_advice_write_why(stg_out_file(out), f, why, path))) {
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
    stg_advice_print_warnings(stderr, f, sc, "warning: ");
    if (sc->eval->nviolations) {
        stg_cli_print_violations(stderr, f, sc, false);
        stg_advice_print_why(stderr, f, why, path);
    }
    stg_advice_print_short(stderr, f, sc, "");
    if (sc->stopped)
        fprintf(stderr, "stopped before the search ended: this is the best schedule found so far\n");
    fprintf(stderr, "planned in %.2fs (%s)\n", sc->seconds, sc->method);
    if (sc->found.time_limit && !sc->stopped)
        fprintf(stderr, "the time limit ended the search before it was "
                "done: a longer --time-limit may give a better schedule\n");
    if (parts)
        stg_cli_print_parts(stderr, f, parts);
    status = sc->status == STG_STATUS_VIOLATES ? STG_EXIT_RULES : STG_EXIT_OK;
done:
    stg_free(cause);
    stg_settings_free(from_s);
    stg_advice_free(why);
    stg_schedule_free(sc);
    stg_parts_free(parts);
    stg_fleet_free(f);
    return status;
}
