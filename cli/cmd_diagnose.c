/* stagger diagnose FLEET --jobs HISTORY... [SCHEDULE] [--list]
 *                 [--format table|json] [-o FILE]
 *
 * Reads the fleet, the schedule's settings when one is given (else
 * today's), every job history, simulates and scores the cycle as
 * `stagger check` does, places the failed jobs on it (model/diagnose.h)
 * and writes the diagnosis (io/write/diagnose_text.h) whole.  Exit
 * status 1 when saturation explains the failures on some link. */
#include <stdio.h>

#include "cli.h"
#include "io/write/atomic.h"
#include "io/write/diagnose_text.h"
#include "model/alloc.h"
#include "model/diagnose.h"
#include "model/eval.h"
#include "model/sim.h"

int stg_cmd_diagnose(const stg_args *a)
{
    const char *path = a->operand[0];
    const char *spath = a->noperands == 2 ? a->operand[1] : NULL;
    const char *output = stg_args_text(a, "output", "-");
    const char *paths[STG_MAX_LIST];
    int nhist = stg_args_list(a, "jobs", paths, STG_MAX_LIST);
    bool json = stg_args_choice(a, "format", 0) == 1;

    int status;
    char *cause = NULL;
    stg_dpm_export **hist = NULL;
    stg_settings *s = NULL;
    stg_sim *sim = NULL;
    stg_eval *e = NULL;
    stg_diagnosis *d = NULL;
    stg_out *out = NULL;
    stg_fleet *f = NULL;

    if ((status = stg_cli_check_output("diagnose", output)))
        goto done;
    if (!(f = stg_cli_load_fleet(path, NULL, &status)))
        goto done;
    if (spath && !(s = stg_cli_load_settings("diagnose", spath, f, NULL,
                                             &status)))
        goto done;
    if (!(hist = stg_cli_load_histories("diagnose", paths, nhist, &status)))
        goto done;
    status = STG_EXIT_INTERNAL;
    if (!s && !(s = stg_settings_today(f)))
        goto nomem;
    /* a computer that never catches up still loads its links: the cycle
     * simulated last is the one placed on (check reports the backlog) */
    if (stg_sim_run(f, s, &sim) < 0 || !(e = stg_eval_run(f, sim)))
        goto nomem;
    d = stg_diagnose(f, sim, e, (const stg_dpm_export *const *)hist, nhist);
    if (!d)
        goto nomem;

    stg_diagnosis_doc doc = { path, spath, paths,
                              (const stg_dpm_export *const *)hist, nhist,
                              stg_args_flag(a, "list") };
    if (!(out = stg_out_open(output, &cause)))
        goto fail;
    if (json)
        stg_diagnosis_write_json(stg_out_file(out), f, d, &doc);
    else
        stg_diagnosis_write_text(stg_out_file(out), f, d, &doc);
    if (stg_out_commit(out, &cause))
        goto fail;
    status = STG_EXIT_OK;
    for (int l = 0; l < f->nlinks; l++)
        if (d->links[l].verdict == STG_VERDICT_EXPLAINS)
            status = STG_EXIT_RULES;
    for (int i = 0; i < d->nids; i++)
        if (d->ids[i].tally.verdict == STG_VERDICT_EXPLAINS)
            status = STG_EXIT_RULES;
    goto done;
nomem:
    stg_cli_error("diagnose", "out of memory");
    goto done;
fail:
    stg_cli_error("diagnose", "%s", cause ? cause : "cannot write the output");
    status = STG_EXIT_INTERNAL;
done:
    stg_free(cause);
    stg_diagnosis_free(d);
    stg_eval_free(e);
    stg_sim_free(sim);
    stg_settings_free(s);
    stg_cli_free_histories(hist, nhist);
    stg_fleet_free(f);
    return status;
}
