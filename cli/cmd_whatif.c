/* stagger whatif FLEET SCENARIOS [--time-limit T] [--seed N] [--jobs N]
 *                [--format table|csv|json] [-o FILE] [--save-dir DIR]
 *
 * Every scenario is applied and its fleet read first: when any is
 * invalid, every error is printed and nothing is planned (exit 2).  Then
 * the baseline and the scenarios are planned with the same options, up
 * to --jobs at once (each plan in a thread of its own, one search
 * thread each), and the rows are printed in the order of the file, so
 * the output does not depend on --jobs. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "io/write/atomic.h"
#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/scenario/scenario_apply.h"
#include "io/scenario/scenario_read.h"
#include "io/write/schedule_write.h"
#include "io/write/sha256.h"
#include "io/scenario/whatif_report.h"
#include "io/read/ynode.h"
#include "model/alloc.h"
#include "solver/clock.h"
#include "solver/glpk_guard.h"
#include "solver/planner.h"
#include "solver/reconcile.h"


/* ---- planning, up to --jobs at once -------------------------------- */

typedef struct {
    const stg_fleet *fleet;
    stg_schedule *sc;
    char *cause;
    int rc;
} plan_job;

typedef struct {
    plan_job *jobs;
    int n, next, done;
    const stg_plan_opts *po;
    pthread_mutex_t mu;
    bool tty;
    double t0;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        int i = p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            break;
        plan_job *j = &p->jobs[i];
        j->rc = stg_plan(j->fleet, p->po, &j->sc, &j->cause);
        pthread_mutex_lock(&p->mu);
        p->done++;
        if (p->tty) {
            fprintf(stderr, "\r\033[Kwhatif: %d of %d planned  %.1fs", p->done,
                    p->n, stg_now() - p->t0);
            fflush(stderr);
        }
        pthread_mutex_unlock(&p->mu);
    }
    return NULL;
}

/* A thread of the pool: GLPK keeps an environment per thread, freed
 * here before the thread ends. */
static void *worker_thread(void *arg)
{
    worker(arg);
    stg_glpk_recover();
    return NULL;
}

static void run_pool(pool *p, int jobs)
{
    int nthreads = jobs < p->n ? jobs : p->n;
    if (nthreads <= 1) {
        worker(p);
        return;
    }
    pthread_t *th = stg_calloc((size_t)nthreads, sizeof *th);
    int started = 0;
    for (int i = 0; th && i < nthreads; i++) {
        if (pthread_create(&th[i], NULL, worker_thread, p) != 0)
            break;
        started++;
    }
    if (started == 0)
        worker(p);              /* no thread: plan them all here */
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    stg_free(th);
}

/* ---- messages ------------------------------------------------------- */

/* Prints a scenario's messages against the file they point into; a
 * warning the base fleet gave already at the same place is left out.
 * Returns -1 when out of memory (nothing printed for that file). */
static int report_scenario(const char *name, const stg_scen_result *r,
                            const char *fleet_path, const char *fleet_text,
                            size_t fleet_len, const stg_diags *base_diags,
                            const char *scen_path, const char *scen_text,
                            size_t scen_len)
{
    char prefix[128];
    snprintf(prefix, sizeof prefix, "scenario %s: ", name);
    size_t plen = strlen(prefix);
    for (int file = STG_SCEN_FILE; file >= STG_SCEN_FLEET; file--) {
        const stg_diags *d = &r->diags[file];
        stg_diags keep;
        stg_diags_init(&keep);
        keep.limit = (size_t)-1;
        for (size_t i = 0; i < d->count; i++) {
            const stg_diag *it = &d->items[i];
            bool known = false;
            for (size_t k = 0; file == STG_SCEN_FLEET &&
                 it->level == STG_DIAG_WARNING && k < base_diags->count && !known; k++) {
                const stg_diag *b = &base_diags->items[k];
                known = b->level == STG_DIAG_WARNING &&
                        b->loc.line == it->loc.line && b->loc.col == it->loc.col &&
                        strncmp(it->msg, prefix, plen) == 0 &&
                        strcmp(it->msg + plen, b->msg) == 0;
            }
            if (!known)
                stg_diag_add(&keep, it->level, it->loc, it->hint, "%s", it->msg);
        }
        if (keep.oom) {
            stg_diags_free(&keep);
            return -1;
        }
        if (file == STG_SCEN_FILE)
            stg_report_diags(stderr, scen_path, scen_text, scen_len, &keep);
        else
            stg_report_diags(stderr, fleet_path, fleet_text, fleet_len, &keep);
        stg_diags_free(&keep);
    }
    size_t dropped = r->diags[0].dropped + r->diags[1].dropped;
    if (dropped)
        fprintf(stderr, "... and %zu more error%s in scenario %s\n", dropped,
                dropped == 1 ? "" : "s", name);
    return 0;
}

/* ---- --save-dir ----------------------------------------------------- */

static int save_schedule(const char *dir, const char *name, const stg_fleet *f,
                         const char *fleet_file, const char *fleet_text,
                         size_t fleet_len, const char *header,
                         const stg_schedule *sc, char **cause)
{
    char sha[65];
    char *path = NULL;
    stg_out *o = NULL;
    int rc = -1;
    if (header) {
        /* the scenario's fleet, as planned */
        o = stg_out_open(fleet_file, cause);
        if (!o)
            goto done;
        fputs(header, stg_out_file(o));
        fwrite(fleet_text, 1, fleet_len, stg_out_file(o));
        int bad = stg_out_commit(o, cause);
        o = NULL;
        if (bad)
            goto done;
        /* the digest is of the bytes written */
        char *whole = stg_asprintf("%s%s", header, fleet_text);
        if (!whole) {
            *cause = stg_strdup("out of memory");
            goto done;
        }
        stg_sha256(whole, strlen(whole), sha);
        stg_free(whole);
    } else {
        stg_sha256(fleet_text, fleet_len, sha);
    }
    path = stg_asprintf("%s/%s.schedule.yaml", dir, name);
    if (!path) {
        *cause = stg_strdup("out of memory");
        goto done;
    }
    o = stg_out_open(path, cause);
    if (!o || stg_schedule_write(stg_out_file(o), f, fleet_file, sha, sc, cause)) {
        stg_out_abort(o);
        goto done;
    }
    rc = stg_out_commit(o, cause);
done:
    stg_free(path);
    return rc;
}

/* ---- the command ---------------------------------------------------- */

/* Whether --save-dir can be written before any long work: a folder
 * that is not there yet is made when the files are written, in a folder
 * that is (*make_dir).  Returns 0, or the exit status with the error
 * printed. */
static int check_save_dir(const char *save_dir, bool *make_dir)
{
    struct stat st;
    char *probe = NULL, *cause = NULL;
    int status = STG_EXIT_INPUT;
    bool exists = stat(save_dir, &st) == 0;
    if (exists && !S_ISDIR(st.st_mode)) {
        stg_cli_error("whatif", "--save-dir %s is not a directory", save_dir);
        goto done;
    }
    *make_dir = !exists;
    if (*make_dir) {            /* probe: the folder it is made in */
        const char *slash = strrchr(save_dir, '/');
        probe = slash == save_dir ? stg_strdup("/")
                : slash ? stg_strndup(save_dir, (size_t)(slash - save_dir))
                : stg_strdup(".");
    } else {
        probe = stg_asprintf("%s/baseline.schedule.yaml", save_dir);
    }
    if (!probe) {
        stg_cli_error("whatif", "out of memory");
        status = STG_EXIT_INTERNAL;
        goto done;
    }
    if (*make_dir && (stat(probe, &st) != 0 || !S_ISDIR(st.st_mode) ||
                      access(probe, W_OK | X_OK) != 0)) {
        stg_cli_error("whatif", "cannot make --save-dir %s: %s is not "
                      "a folder this user can write in", save_dir, probe);
        goto done;
    }
    if (!*make_dir && stg_out_check_writable(probe, &cause)) {
        stg_cli_error("whatif", "%s", cause ? cause : "cannot write in --save-dir");
        goto done;
    }
    status = 0;
done:
    stg_free(probe);
    stg_free(cause);
    return status;
}

/* Plans every fleet of pj[0..n) on jobs threads (pj[i].sc, .rc,
 * .cause), with progress on a terminal.  Returns 0, or -1 with the
 * first plan that failed said (pj[0] the baseline, pj[i] scenario
 * i - 1 of scen). */
static int plan_all(plan_job *pj, int n, const stg_plan_opts *po, long jobs,
                    const stg_scenarios *scen)
{
    pool p;
    memset(&p, 0, sizeof p);
    p.jobs = pj;
    p.n = n;
    p.po = po;
    p.tty = isatty(STDERR_FILENO);
    p.t0 = stg_now();
    pthread_mutex_init(&p.mu, NULL);
    run_pool(&p, (int)jobs);
    pthread_mutex_destroy(&p.mu);
    if (p.tty)
        fprintf(stderr, "\r\033[K");
    for (int i = 0; i < n; i++)
        if (pj[i].rc) {
            stg_cli_error("whatif", "%s: %s", i ? scen->items[i - 1].name : "baseline",
                          pj[i].cause ? pj[i].cause : "out of memory");
            return -1;
        }
    return 0;
}

/* Writes each plan's schedule to save_dir (made first when make_dir),
 * and each scenario's fleet (pj[0] is the baseline, pj[i] scenario
 * i - 1).  Returns 0, or -1 with the error printed. */
static int save_all(const char *save_dir, bool make_dir, const plan_job *pj,
                    int n, const char *fleet_path, const char *fleet_text,
                    size_t fleet_len, const stg_scenarios *scen,
                    const char *scen_path, const stg_scen_result *res)
{
    char *cause = NULL;
    int bad = 0;
    if (make_dir && mkdir(save_dir, 0777) != 0 && errno != EEXIST) {
        stg_cli_error("whatif", "cannot make --save-dir %s: %s", save_dir,
                      strerror(errno));
        return -1;
    }
    for (int i = 0; i < n && !bad; i++) {
        if (i == 0) {
            bad = save_schedule(save_dir, "baseline", pj[0].fleet, fleet_path,
                                fleet_text, fleet_len, NULL, pj[0].sc, &cause);
            continue;
        }
        const char *name = scen->items[i - 1].name;
        char *ff = stg_asprintf("%s/%s.fleet.yaml", save_dir, name);
        char *header = stg_asprintf("# The fleet of scenario %s: %s with "
                                    "the changes of %s (stagger whatif).\n",
                                    name, fleet_path, scen_path);
        bad = !ff || !header ||
              save_schedule(save_dir, name, pj[i].fleet, ff, res[i - 1].text,
                            res[i - 1].len, header, pj[i].sc, &cause);
        stg_free(ff);
        stg_free(header);
    }
    if (bad)
        stg_cli_error("whatif", "%s", cause ? cause : "out of memory");
    stg_free(cause);
    return bad ? -1 : 0;
}

/* The plans made to agree where the scenarios' changes cannot reach
 * (solver/reconcile.h), within the time limit of one plan more.
 * Returns 0, or -1 with the error printed. */
static int reconcile_all(plan_job *pj, int n, const stg_plan_opts *po)
{
    const stg_fleet **fleets = stg_calloc((size_t)n, sizeof *fleets);
    stg_schedule **scs = stg_calloc((size_t)n, sizeof *scs);
    stg_reconcile_res res;
    int rc = -1;
    if (!fleets || !scs)
        goto out;
    for (int i = 1; i < n; i++) {
        fleets[i - 1] = pj[i].fleet;
        scs[i - 1] = pj[i].sc;
    }
    stg_limit lim = { stg_now() + po->time_limit, po->stop };
    rc = stg_reconcile(pj[0].fleet, &pj[0].sc, fleets, scs, n - 1, &lim, &res);
    for (int i = 1; i < n; i++)
        pj[i].sc = scs[i - 1];
    if (rc == 0 && res.stopped && !*po->stop)
        fprintf(stderr, "whatif: the plans were compared part by part until "
                        "the time limit: rows may still differ where a "
                        "change cannot reach\n");
out:
    if (rc)
        stg_cli_error("whatif", "out of memory");
    stg_free(fleets);
    stg_free(scs);
    return rc;
}

/* The table's rows (*nrows of them built): the baseline, then each
 * scenario against it.  Returns 0, -1 when out of memory. */
static int build_rows(stg_whatif_row *rows, int *nrows, const plan_job *pj,
                      int n, const stg_scenarios *scen)
{
    for (int i = 0; i < n; i++) {
        const char *name = i ? scen->items[i - 1].name : "baseline";
        const char *desc = i ? scen->items[i - 1].description : NULL;
        if (stg_whatif_row_build(&rows[i], name, desc, pj[i].fleet, pj[i].sc,
                                 i ? pj[0].fleet : NULL, i ? pj[0].sc : NULL))
            return -1;
        (*nrows)++;
    }
    return 0;
}

/* The rows to output, whole or not at all.  Returns 0, or -1 with the
 * error printed. */
static int write_rows(const char *output, stg_whatif_format format,
                      const stg_whatif_info *info, const stg_whatif_row *rows,
                      int nrows)
{
    char *cause = NULL;
    int rc = -1;
    stg_out *out = stg_out_open(output, &cause);
    if (!out || stg_whatif_write(stg_out_file(out), format, info, rows, nrows,
                                 &cause)) {
        stg_out_abort(out);
        stg_cli_error("whatif", "%s", cause ? cause : "out of memory");
    } else if (stg_out_commit(out, &cause)) {
        stg_cli_error("whatif", "%s", cause ? cause : "cannot write the output");
    } else {
        rc = 0;
    }
    stg_free(cause);
    return rc;
}

int stg_cmd_whatif(const stg_args *a)
{
    stg_plan_opts po;
    stg_plan_opts_init(&po);
    const char *output = stg_args_text(a, "output", "-");
    const char *save_dir = stg_args_text(a, "save-dir", NULL);
    /* the order of the --format choices in the table */
    stg_whatif_format format = (stg_whatif_format)stg_args_choice(
        a, "format", STG_WHATIF_TABLE);
    long jobs = stg_args_count(a, "jobs", 1);
    po.time_limit = stg_args_duration(a, "time-limit", po.time_limit);
    po.seed = stg_args_seed(a, "seed", po.seed);
    const char *fleet_path = a->operand[0], *scen_path = a->operand[1];

    int status = STG_EXIT_INTERNAL;
    char *cause = NULL, *fleet_text = NULL, *scen_text = NULL;
    bool make_dir = false;      /* --save-dir is made when written */
    size_t fleet_len = 0, scen_len = 0;
    stg_diags base_diags, scen_diags;
    stg_fleet *base = NULL;
    stg_ynode *tree = NULL;
    stg_scenarios *scen = NULL;
    stg_scen_result *res = NULL;
    plan_job *pj = NULL;
    stg_whatif_row *rows = NULL;
    int nrows = 0;
    stg_diags_init(&base_diags);
    stg_diags_init(&scen_diags);

    /* the outputs can be written: checked before any long work */
    if (stg_cli_check_output("whatif", output)) {
        status = STG_EXIT_INPUT;
        goto done;
    }
    if (save_dir && (status = check_save_dir(save_dir, &make_dir)) != 0)
        goto done;
    status = STG_EXIT_INTERNAL;

    /* the base fleet and the tree it was read from (its marks carry file
     * id 0, STG_SCEN_FLEET), which each scenario edits; the scenarios */
    base = stg_fleet_read_file_tree(fleet_path, &fleet_text, &fleet_len, &tree,
                                    &base_diags);
    stg_diags_sort(&base_diags);
    stg_report_diags(stderr, fleet_path, fleet_text, fleet_len, &base_diags);
    if (base_diags.oom)
        goto nomem;
    if (!base) {
        status = STG_EXIT_INPUT;
        goto done;
    }
    scen = stg_scenarios_read_file(scen_path, &scen_text, &scen_len, &scen_diags);
    stg_report_diags(stderr, scen_path, scen_text, scen_len, &scen_diags);
    if (scen_diags.oom)
        goto nomem;
    if (!scen) {
        status = STG_EXIT_INPUT;
        goto done;
    }

    /* every scenario applied and read before anything is planned */
    res = stg_calloc((size_t)scen->n + 1, sizeof *res);
    if (!res)
        goto nomem;
    for (int i = 0; i < scen->n; i++)
        stg_scen_result_init(&res[i]);
    int invalid = 0;
    for (int i = 0; i < scen->n; i++) {
        int rc = stg_scenario_apply(tree, &scen->items[i], &res[i]);
        if (rc < 0 ||
            report_scenario(scen->items[i].name, &res[i], fleet_path, fleet_text,
                            fleet_len, &base_diags, scen_path, scen_text, scen_len))
            goto nomem;
        invalid += rc != 0;
    }
    if (invalid) {
        stg_cli_error("whatif", "%d of %d scenario%s cannot be planned; nothing "
                      "was planned", invalid, scen->n, scen->n == 1 ? "" : "s");
        status = STG_EXIT_INPUT;
        goto done;
    }

    /* planning */
    int n = scen->n + 1;
    pj = stg_calloc((size_t)n, sizeof *pj);
    if (!pj)
        goto nomem;
    pj[0].fleet = base;
    for (int i = 0; i < scen->n; i++)
        pj[i + 1].fleet = res[i].fleet;
    po.stop = stg_cli_catch_stop();
    if (plan_all(pj, n, &po, jobs, scen) || reconcile_all(pj, n, &po))
        goto done;

    /* the rows, in the file's order */
    rows = stg_calloc((size_t)n, sizeof *rows);
    if (!rows || build_rows(rows, &nrows, pj, n, scen))
        goto nomem;
    int broken = 0;
    for (int i = 0; i < n; i++)
        broken += pj[i].sc->status == STG_STATUS_VIOLATES;

    if (save_dir && save_all(save_dir, make_dir, pj, n, fleet_path,
                             fleet_text, fleet_len, scen, scen_path, res))
        goto done;

    stg_whatif_info info = { fleet_path, scen_path, po.time_limit,
                             (unsigned long long)po.seed };
    if (write_rows(output, format, &info, rows, nrows))
        goto done;
    if (*po.stop)
        fprintf(stderr, "stopped before the searches ended: each row is the best "
                        "schedule found so far\n");
    status = broken ? STG_EXIT_RULES : STG_EXIT_OK;
    goto done;
nomem:
    stg_cli_error("whatif", "out of memory");
    status = STG_EXIT_INTERNAL;
done:
    for (int i = 0; rows && i < nrows; i++)
        stg_whatif_row_free(&rows[i]);
    stg_free(rows);
    for (int i = 0; pj && scen && i <= scen->n; i++) {
        stg_schedule_free(pj[i].sc);
        stg_free(pj[i].cause);
    }
    stg_free(pj);
    for (int i = 0; res && i < scen->n; i++)
        stg_scen_result_free(&res[i]);
    stg_free(res);
    stg_scenarios_free(scen);
    stg_ynode_free(tree);
    stg_fleet_free(base);
    stg_free(fleet_text);
    stg_free(scen_text);
    stg_free(cause);
    stg_diags_free(&base_diags);
    stg_diags_free(&scen_diags);
    return status;
}
