/* stagger advise FLEET [SCHEDULE] [-o CHANGES] [--keep-...] [--max-changes N]
 * [--time-limit T] [--probe-limit T] [--seed N] [--threads N] */
#include <stdio.h>
#include <unistd.h>

#include "cli.h"
#include "io/write/advice.h"
#include "io/write/atomic.h"
#include "io/read/textfile.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/advise.h"
#include "solver/planner.h"
#include "solver/pool.h"

static void progress(void *arg, int done, int total, double elapsed)
{
    (void)arg;
    fprintf(stderr, "\r\033[Kadvising: %d of %d links  %.1fs", done, total, elapsed);
    fflush(stderr);
}

/* The schedule advised on: SCHEDULE's settings evaluated, or a plan. */
static int schedule_of(const char *path, const char *spath, stg_fleet *f,
                       const stg_plan_opts *po, stg_schedule **sc)
{
    char *cause = NULL;
    int status = STG_EXIT_OK;
    if (spath) {
        stg_settings *s = stg_cli_load_settings("advise", spath, f, NULL, &status);
        if (!s)
            return status;
        if (stg_evaluate(f, s, true, sc, &cause)) {   /* takes s over */
            stg_cli_error("advise", "%s", cause ? cause : "out of memory");
            status = STG_EXIT_INTERNAL;
        }
    } else if (stg_plan(f, po, sc, &cause)) {
        stg_cli_error("advise", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
    } else {
        char a[STG_QBUF];
        fprintf(stderr, "%s: planned in %.2fs, worst link %s\n", path,
                (*sc)->seconds, stg_fmt_pct(a, sizeof a, (*sc)->eval->achieved));
    }
    stg_free(cause);
    return status;
}

int stg_cmd_advise(const stg_args *a)
{
    stg_advise_opts o;
    stg_advise_opts_init(&o);
    const char *output = stg_args_text(a, "output", NULL);
    o.plan.time_limit = stg_args_duration(a, "time-limit", o.plan.time_limit);
    o.probe_limit = stg_args_duration(a, "probe-limit", o.probe_limit);
    o.plan.seed = stg_args_seed(a, "seed", o.plan.seed);
    o.plan.threads = (int)stg_args_count(a, "threads", stg_pool_cores());
    o.max_changes = (int)stg_args_count(a, "max-changes", o.max_changes);
    o.keep_throttles = stg_args_flag(a, "keep-throttles");
    o.keep_groups = stg_args_flag(a, "keep-groups");
    o.keep_frequency = stg_args_flag(a, "keep-frequency");
    o.keep_capacity = stg_args_flag(a, "keep-capacity");
    const char *path = a->operand[0];
    const char *spath = a->noperands == 2 ? a->operand[1] : NULL;

    if (output && stg_cli_check_output("advise", output))
        return STG_EXIT_INPUT;
    int status;
    char sha[65], *cause = NULL, *ftext = NULL, *ytext = NULL;
    size_t flen = 0, ylen = 0;
    stg_schedule *sc = NULL;
    stg_advice *adv = NULL;
    stg_fleet *f = stg_cli_load_fleet(path, sha, &status);
    if (!f)
        return status;
    if (stg_textfile_read(path, (size_t)1 << 30, &ftext, &flen) != STG_TEXTFILE_OK) {
        stg_cli_error("advise", "cannot read %s again", path);
        status = STG_EXIT_INPUT;
        goto done;
    }
    o.plan.stop = stg_cli_catch_stop();
    if ((status = schedule_of(path, spath, f, &o.plan, &sc)) != STG_EXIT_OK)
        goto done;
    int tty = isatty(STDERR_FILENO);
    if (tty)
        o.progress = progress;
    if (stg_advise(f, sc, &o, &adv, &cause)) {
        if (tty)
            fputc('\n', stderr);
        stg_cli_error("advise", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (tty)
        fprintf(stderr, "\r\033[K");
    stg_cli_ignore_stop();
    stg_advice_print(stdout, f, sc, adv);
    fflush(stdout);
    bool meets = adv->nlinks == 0;
    for (int k = 0; k < adv->nfleet; k++)
        meets |= adv->fleet[k].meets;
    if (output) {
        int nsc = 0;
        if (adv->nlinks > 0 &&
            stg_advice_scenarios(f, sc, ftext, flen, adv, &ytext, &ylen, &nsc,
                                 &cause)) {
            stg_cli_error("advise", "%s", cause ? cause : "out of memory");
            status = STG_EXIT_INTERNAL;
            goto done;
        }
        if (nsc == 0) {
            fprintf(stderr, "%s: %s is not written\n",
                    adv->nlinks ? "no change set meets the limit"
                                : "nothing to change", output);
        } else {
            stg_out *out = stg_out_open(output, &cause);
            if (!out || fwrite(ytext, 1, ylen, stg_out_file(out)) != ylen ||
                (ylen > 0 && ytext[ylen - 1] != '\n' &&
                 fputc('\n', stg_out_file(out)) == EOF)) {
                stg_out_abort(out);
                stg_cli_error("advise", "%s", cause ? cause : "cannot write the output");
                status = STG_EXIT_INTERNAL;
                goto done;
            }
            if (stg_out_commit(out, &cause)) {
                stg_cli_error("advise", "%s", cause ? cause : "cannot write the output");
                status = STG_EXIT_INTERNAL;
                goto done;
            }
            fprintf(stderr, "wrote %d change set%s to %s (stagger whatif %s %s "
                    "replays them)\n", nsc, nsc == 1 ? "" : "s", output, path,
                    output);
        }
    }
    status = meets ? STG_EXIT_OK : STG_EXIT_RULES;
done:
    stg_free(cause);
    stg_free(ftext);
    stg_free(ytext);
    stg_advice_free(adv);
    stg_schedule_free(sc);
    stg_fleet_free(f);
    return status;
}
