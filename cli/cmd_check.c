/* stagger check FLEET [SCHEDULE] */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/write/advice.h"
#include "io/read/schedule_read.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "solver/parts.h"
#include "solver/planner.h"

/* Claims of a schedule file that the recomputation does not support;
 * printed one per line.  Returns how many. */
static int compare_claims(const stg_fleet *f, const stg_schedule_doc *doc,
                          const stg_schedule *sc, const char *fleet_sha)
{
    char a[STG_QBUF], b[STG_QBUF];
    int bad = 0;
    if (doc->fleet_sha256 && strcmp(doc->fleet_sha256, fleet_sha))
        fprintf(stdout, "note: the schedule was planned for another version of "
                        "the fleet file (sha256 differs)\n");
    /* Percentages are written with one decimal: a claim holds when the
     * recomputed value is written the same way. */
    stg_fmt_pct(a, sizeof a, doc->achieved);
    stg_fmt_pct(b, sizeof b, sc->eval->achieved);
    if (strcmp(a, b)) {
        fprintf(stdout, "claim: headroom.achieved is %s, recomputed %s\n",
                a, b);
        bad++;
    }
    for (int i = 0; i < doc->nlinks; i++) {
        int l = stg_fleet_link(f, doc->links[i].name);
        if (l < 0)
            continue;
        stg_fmt_pct(a, sizeof a, doc->links[i].headroom);
        stg_fmt_pct(b, sizeof b, sc->eval->headroom[l]);
        if (strcmp(a, b)) {
            fprintf(stdout, "claim: link %s headroom is %s, recomputed %s\n",
                    f->links[l].name, a, b);
            bad++;
        }
    }
    if (doc->ntransfers != sc->sim->ntransfers) {
        fprintf(stdout, "claim: %d transfers listed, recomputed %d\n",
                doc->ntransfers, sc->sim->ntransfers);
        bad++;
    }
    if ((doc->status == STG_STATUS_VIOLATES) != (sc->status == STG_STATUS_VIOLATES)) {
        fprintf(stdout, "claim: status %s, but the recomputed schedule %s\n",
                stg_status_name(doc->status),
                sc->status == STG_STATUS_VIOLATES ? "breaks a rule"
                                                  : "keeps every rule");
        bad++;
    }
    return bad;
}

int stg_cmd_check(const stg_args *a)
{
    const char *path = a->operand[0];
    const char *spath = a->noperands == 2 ? a->operand[1] : NULL;

    int status;
    char sha[65];
    char *cause = NULL;
    stg_schedule_doc *doc = NULL;
    stg_settings *s = NULL;
    stg_schedule *sc = NULL;
    stg_fleet *f = stg_cli_load_fleet(path, sha, &status);
    if (!f)
        goto done;
    long factor = stg_args_count(a, "max-lag-factor", 0);
    if (factor > 0)
        stg_fleet_set_lag_factor(f, (int)factor);
    if (spath && !(s = stg_cli_load_settings("check", spath, f, &doc,
                                             &status)))
        goto done;
    if (stg_evaluate(f, s, true, &sc, &cause)) {
        s = NULL;
        stg_cli_error("check", "%s", cause ? cause : "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    s = NULL;                   /* taken over by the schedule */
    printf("%s: %s\n", spath ? spath : path,
           spath ? "the schedule's settings"
                 : "today's settings (offsets and times as configured)");
    stg_cli_print_links(stdout, f, sc);
    stg_cli_print_summary(stdout, f, sc);
    stg_cli_print_violations(stdout, f, sc, stg_args_flag(a, "all"));
    stg_advice_print_warnings(stdout, f, sc, "warning: ");
    if (spath) {        /* today's settings: the stagger is the first fix */
        stg_advice *why = stg_cli_why(f, sc, 5, NULL);
        stg_advice_print_why(stdout, f, why, path);
        stg_advice_free(why);
    }
    int bad = doc ? compare_claims(f, doc, sc, sha) : 0;
    if (stg_args_flag(a, "parts")) {
        stg_parts *pt = NULL;
        if (stg_plan_parts(f, &pt)) {
            stg_cli_error("check", "out of memory");
            status = STG_EXIT_INTERNAL;
            goto done;
        }
        stg_cli_print_parts(stdout, f, pt);
        stg_parts_free(pt);
    }
    status = sc->eval->nviolations || bad ? STG_EXIT_RULES : STG_EXIT_OK;
done:
    stg_free(cause);
    stg_settings_free(s);
    stg_schedule_free(sc);
    stg_schedule_doc_free(doc);
    stg_fleet_free(f);
    return status;
}
