/* stagger-bench: runs one planning method on a fleet and prints one
 * tab-separated line, so that `stagger plan` can be compared with the
 * schedules an administrator or a textbook method would set:
 *
 *   method  headroom%  bound%  gap-points  status  seconds  MiB  note
 *
 * Methods:
 *   today    the fleet as configured (every offset as written), with the
 *            AUTO throttles recommended as the planner does;
 *   hand     a hand stagger: the groups that share a sync period P get
 *            offsets spread evenly over P in file order;
 *   ghn      the offset heuristic of Grenier, Havet and Navet ("Pushing
 *            the limits of CAN", ERTS 2008): series by increasing period,
 *            each at the middle of the longest run of least-loaded
 *            offsets;
 *   milp     the time-indexed MILP of solver/milp.h alone (GLPK);
 *   cbc      the same MILP written in CPLEX LP format and solved by the
 *            COIN-OR `cbc` program;
 *   stagger  the planner (stg_plan, one thread).
 *
 * Every method uses the same throttles (today's, AUTO ones recommended)
 * and every schedule is scored by the same simulation; the bound printed
 * is the same for every method (the per-link bounds of solver/bound.h,
 * the lowest of them).  The time is measured around the method and its
 * simulation: for the baselines, reading the fleet, building the planning
 * problem (solver/problem.h) and the bounds are not counted; the
 * planner's time includes its own problem and bounds.  The memory is
 * the peak resident size of this process (and of the cbc process, when
 * larger), from getrusage.
 *
 * Exit status: 0 when the line was printed, 2 when the command line or
 * the fleet is wrong, 3 on an internal failure (out of memory, a solver
 * that fails, cbc missing). */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "io/write/atomic.h"
#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/write/schedule_write.h"
#include "io/write/sha256.h"
#include "io/read/units.h"
#include "model/alloc.h"
#include "model/schedule.h"
#include "model/settings.h"
#include "solver/bound.h"
#include "solver/clock.h"
#include "solver/milp.h"
#include "solver/lns.h"
#include "solver/heuristic.h"
#include "solver/planner.h"
#include "solver/problem.h"

enum { EXIT_LINE = 0, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

/* Rows above which building the MILP would take all the memory. */
#define DEFAULT_MAX_ROWS 2000000L

typedef struct {
    double time_limit;          /* seconds */
    uint64_t seed;
    long max_rows;
    const char *output;         /* schedule file to write, or NULL */
} bench_opts;

/* What a method leaves for the output line. */
typedef struct {
    stg_schedule *sc;           /* NULL: no schedule (status says why) */
    const char *status;         /* when sc is NULL: "none", "skipped" */
    char note[480];
    long child_kib;             /* peak of a child process (cbc) */
} bench_result;

typedef int (*bench_method)(const stg_fleet *f, const stg_problem *p,
                            const bench_opts *o, double t0,
                            bench_result *r, char **cause);

static const char *usage_text =
    "usage: stagger-bench FLEET METHOD [--time-limit 60s] [--seed N]\n"
    "                     [--max-rows N] [-o SCHEDULE]\n"
    "METHOD: today | hand | ghn | milp | cbc | stagger | greedy | lns\n"
    "Prints one tab-separated line: method, worst-link headroom (%), bound (%),\n"
    "gap (points), status, seconds, peak MiB, note.\n"
    "  --time-limit T  for ghn, milp, cbc, stagger and lns (default 60s)\n"
    "  --seed N        the planner's seed (default 1)\n"
    "  --max-rows N    milp and cbc are skipped when the MILP would have more\n"
    "                  rows (default 2000000)\n"
    "  -o SCHEDULE     also writes the method's schedule file (not timed)\n";

static void note_add(bench_result *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void note_add(bench_result *r, const char *fmt, ...)
{
    size_t n = strlen(r->note);
    if (n + 1 >= sizeof r->note)
        return;
    if (n > 0 && n + 3 < sizeof r->note) {
        memcpy(r->note + n, "; ", 3);
        n += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->note + n, sizeof r->note - n, fmt, ap);
    va_end(ap);
    /* the note is one field of a tab-separated line */
    for (char *c = r->note + n; *c; c++)
        if (*c == '\t' || *c == '\n' || *c == '\r')
            *c = ' ';
}

/* A placeholder per-link bound (100%): the real bounds are computed
 * outside the timed part and set afterwards. */
static stg_schedule *simulate(const stg_fleet *f, stg_settings *s)
{
    double *ones = stg_malloc(sizeof *ones * (size_t)(f->nlinks + 1));
    if (!ones) {
        stg_settings_free(s);
        return NULL;
    }
    for (int l = 0; l < f->nlinks; l++)
        ones[l] = 1;
    stg_schedule *sc = stg_schedule_build(f, s, ones);
    stg_free(ones);
    return sc;
}

/* --- today ------------------------------------------------------------ */

static int run_today(const stg_fleet *f, const stg_problem *p,
                     const bench_opts *o, double t0, bench_result *r,
                     char **cause)
{
    (void)o;
    (void)t0;
    /* the problem's settings are today's with AUTO throttles recommended */
    stg_settings *s = stg_settings_copy(p->settings);
    if (!s || !(r->sc = simulate(f, s))) {
        *cause = stg_strdup("out of memory");
        return -1;
    }
    note_add(r, "offsets and times as configured");
    return 0;
}

/* --- hand ------------------------------------------------------------- */

static int run_hand(const stg_fleet *f, const stg_problem *p,
                    const bench_opts *o, double t0, bench_result *r,
                    char **cause)
{
    (void)o;
    (void)t0;
    stg_settings *s = stg_settings_copy(p->settings);
    if (!s) {
        *cause = stg_strdup("out of memory");
        return -1;
    }
    int staggered = 0, periods = 0;
    for (int g = 0; g < f->ngroups; g++) {
        int P = f->groups[g].sync_every;
        if (P <= 0)
            continue;           /* syncs before recovery points: as set */
        int first = 1;
        for (int h = 0; h < g; h++)
            first &= f->groups[h].sync_every != P;
        if (!first)
            continue;           /* this period was spread already */
        periods++;
        long n = 0;
        for (int h = g; h < f->ngroups; h++)
            n += f->groups[h].sync_every == P;
        long k = 0;
        for (int h = g; h < f->ngroups; h++) {
            if (f->groups[h].sync_every != P)
                continue;
            long off = k * P / n;
            s->sync_offset[h] = (int)(off / f->resolution * f->resolution);
            k++;
            staggered++;
        }
    }
    r->sc = simulate(f, s);
    if (!r->sc) {
        *cause = stg_strdup("out of memory");
        return -1;
    }
    note_add(r, "%d groups spread over %d sync periods", staggered, periods);
    return 0;
}

/* --- ghn -------------------------------------------------------------- */

/* One per-link load profile over the cycle's slots under the union model
 * (a job keeps its computer busy for its lone duration at the throttle;
 * a busy computer loads every link of its full path with its throttle). */
typedef struct {
    const stg_problem *p;
    int N;
    int64_t *load;              /* nlinks x N, bps, background included */
    uint16_t *busy;             /* ncomputers x N: jobs covering it */
    double *inv_cap;            /* per link: 1 / capacity */
    int mode;                   /* 1 place, -1 remove, 0 measure */
    double worst;               /* measure: highest utilization touched */
    int overflow;
} ghn_profile;

static void ghn_touch(void *arg, int c, int s, int len)
{
    ghn_profile *g = arg;
    const stg_computer *cp = &g->p->fleet->computers[c];
    const int64_t *rate = stg_problem_rates(g->p, c);
    uint16_t *busy = g->busy + (long)c * g->N;
    int N = g->N;
    for (int k = 0; k < len; k++) {
        int t = (s + k) % N;
        if (g->mode > 0) {
            if (busy[t] == UINT16_MAX) {
                g->overflow = 1;
                continue;
            }
            if (busy[t]++ == 0)
                for (int i = 0; i < cp->nfull_path; i++)
                    g->load[(long)cp->full_path[i] * N + t] += rate[t];
        } else if (g->mode < 0) {
            if (busy[t] == 0)
                continue;
            if (--busy[t] == 0)
                for (int i = 0; i < cp->nfull_path; i++)
                    g->load[(long)cp->full_path[i] * N + t] -= rate[t];
        } else {
            for (int i = 0; i < cp->nfull_path; i++) {
                int l = cp->full_path[i];
                double u = (double)g->load[(long)l * N + t] * g->inv_cap[l];
                if (u > g->worst)
                    g->worst = u;
            }
        }
    }
}

static void ghn_apply(ghn_profile *g, int d, int vi, int mode)
{
    g->mode = mode;
    stg_problem_busy(g->p, d, vi, STG_BUSY_NOMINAL, ghn_touch, g);
}

/* The highest utilization over the slots decision d's jobs occupy at
 * value vi, on the links they cross, once they are placed. */
static double ghn_score(ghn_profile *g, int d, int vi)
{
    ghn_apply(g, d, vi, 1);
    g->worst = 0;
    ghn_apply(g, d, vi, 0);
    ghn_apply(g, d, vi, -1);
    return g->worst;
}

/* The series' period: its sync period, or for syncs before recovery
 * points the smallest gap between the recovery points. */
static int ghn_period(const stg_fleet *f, const stg_decision *dc)
{
    const stg_group *gr = &f->groups[dc->group];
    if (gr->sync_every > 0)
        return gr->sync_every;
    int gap = STG_DAY;
    for (int i = 0; i < gr->nrp; i++) {
        int next = i + 1 < gr->nrp ? gr->rp_at[i + 1] : gr->rp_at[0] + STG_DAY;
        if (next - gr->rp_at[i] > 0 && next - gr->rp_at[i] < gap)
            gap = next - gr->rp_at[i];
    }
    return gap;
}

typedef struct {
    int d, period;
} ghn_series;

static int by_period(const void *a, const void *b)
{
    const ghn_series *x = a, *y = b;
    if (x->period != y->period)
        return x->period < y->period ? -1 : 1;
    return (x->d > y->d) - (x->d < y->d);
}

/* Among the values whose score is the least, the middle of the longest
 * run of consecutive ones (cyclic when the values cover the period). */
static int ghn_pick(const double *score, int n, int cyclic)
{
    double least = INFINITY;
    for (int i = 0; i < n; i++)
        if (score[i] < least)
            least = score[i];
    double tol = 1e-12 * (fabs(least) > 1 ? fabs(least) : 1);
#define TIED(i) (score[(i)] <= least + tol)
    int start = 0;
    if (cyclic) {
        /* begin right after a value that is not tied, so that a run that
         * wraps past the end is seen whole */
        int j = -1;
        for (int i = 0; i < n && j < 0; i++)
            if (!TIED(i))
                j = i;
        if (j < 0)
            return (n - 1) / 2;  /* every value ties */
        start = j + 1;
    }
    int best_start = -1, best_len = 0, run_start = -1, run_len = 0;
    for (int k = 0; k < n; k++) {
        int i = (start + k) % n;
        if (TIED(i)) {
            if (run_len == 0)
                run_start = i;
            run_len++;
            if (run_len > best_len) {
                best_len = run_len;
                best_start = run_start;
            }
        } else {
            run_len = 0;
        }
    }
#undef TIED
    return (best_start + (best_len - 1) / 2) % n;
}

static int run_ghn(const stg_fleet *f, const stg_problem *p,
                   const bench_opts *o, double t0, bench_result *r,
                   char **cause)
{
    int N = p->nslots, L = f->nlinks, rc = -1;
    ghn_profile g;
    memset(&g, 0, sizeof g);
    g.p = p;
    g.N = N;
    g.load = stg_calloc((size_t)L * (size_t)N + 1, sizeof *g.load);
    g.busy = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, sizeof *g.busy);
    g.inv_cap = stg_calloc((size_t)L + 1, sizeof *g.inv_cap);
    ghn_series *series = stg_calloc((size_t)p->ndecisions + 1, sizeof *series);
    int *chosen = stg_calloc((size_t)p->ndecisions + 1, sizeof *chosen);
    double *score = NULL;
    stg_settings *s = NULL;
    int maxv = 1;
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].nvalues > maxv)
            maxv = p->dec[d].nvalues;
    score = stg_calloc((size_t)maxv + 1, sizeof *score);
    if (!g.load || !g.busy || !g.inv_cap || !series || !chosen || !score)
        goto oom;

    /* the links' background */
    for (int l = 0; l < L; l++) {
        g.inv_cap[l] = 1 / f->links[l].capacity;
        for (int t = 0; t < N; t++)
            g.load[(long)l * N + t] =
                llround(stg_link_background_at(f, &f->links[l], t * p->res));
    }
    /* express fulls and checks at today's values first */
    int nseries = 0;
    for (int d = 0; d < p->ndecisions; d++) {
        chosen[d] = p->dec[d].current;
        if (p->dec[d].kind == STG_DEC_SYNC) {
            series[nseries].d = d;
            series[nseries].period = ghn_period(f, &p->dec[d]);
            nseries++;
        } else {
            ghn_apply(&g, d, p->dec[d].current, 1);
        }
    }
    qsort(series, (size_t)nseries, sizeof *series, by_period);

    stg_limit lim = { t0 + o->time_limit, NULL };
    int placed = 0;
    for (int i = 0; i < nseries; i++) {
        int d = series[i].d;
        const stg_decision *dc = &p->dec[d];
        if (stg_limit_reached(&lim)) {
            /* the rest at today's offsets, like the fleet as configured */
            for (int k = i; k < nseries; k++)
                ghn_apply(&g, series[k].d, p->dec[series[k].d].current, 1);
            note_add(r, "time limit reached: %d series at today's offsets",
                     nseries - i);
            break;
        }
        for (int vi = 0; vi < dc->nvalues; vi++)
            score[vi] = ghn_score(&g, d, vi);
        chosen[d] = ghn_pick(score, dc->nvalues,
                             !f->groups[dc->group].before_rp);
        ghn_apply(&g, d, chosen[d], 1);
        placed++;
    }
    if (g.overflow) {
        *cause = stg_strdup("ghn: more than 65535 jobs cover one computer at one slot");
        goto out;
    }
    s = stg_settings_copy(p->settings);
    if (!s)
        goto oom;
    for (int i = 0; i < nseries; i++)
        stg_problem_apply(p, series[i].d, chosen[series[i].d], s);
    r->sc = simulate(f, s);
    s = NULL;
    if (!r->sc)
        goto oom;
    note_add(r, "%d series placed by increasing period", placed);
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    stg_settings_free(s);
    stg_free(g.load);
    stg_free(g.busy);
    stg_free(g.inv_cap);
    stg_free(series);
    stg_free(chosen);
    stg_free(score);
    return rc;
}

/* --- milp ------------------------------------------------------------- */

/* Simulates the problem's settings with value values[d] for each
 * decision. */
static stg_schedule *from_values(const stg_problem *p, const int *values)
{
    stg_settings *s = stg_settings_copy(p->settings);
    if (!s)
        return NULL;
    for (int d = 0; d < p->ndecisions; d++)
        stg_problem_apply(p, d, values[d], s);
    return simulate(p->fleet, s);
}

static int any_binding(const stg_problem *p)
{
    for (int s = 0; s < p->fleet->nservers; s++)
        if (p->binding[s])
            return 1;
    return 0;
}

static int run_milp(const stg_fleet *f, const stg_problem *p,
                    const bench_opts *o, double t0, bench_result *r,
                    char **cause)
{
    (void)f;
    stg_milp_result mr;
    stg_limit lim = { t0 + o->time_limit, NULL };
    int rc = -1;
    if (stg_milp_solve(p, NULL, &lim, &mr, cause))
        return -1;
    note_add(r, "milp: %s%s%s", mr.note, mr.detail[0] ? ": " : "", mr.detail);
    if (mr.bound_valid && mr.lower_bound > 0)
        note_add(r, "milp bound %.1f%%", (1 - mr.lower_bound) * 100);
    if (mr.have_solution) {
        r->sc = from_values(p, mr.values);
        if (!r->sc) {
            *cause = stg_strdup("out of memory");
            goto out;
        }
    } else {
        r->status = "none";
    }
    rc = 0;
out:
    stg_milp_result_free(&mr);
    return rc;
}

/* --- cbc -------------------------------------------------------------- */

/* Runs argv with stdout and stderr into log; kills it (TERM, then KILL)
 * when it runs past kill_at (an stg_now() value).  Returns 0 with its
 * wait status in *status, or -1 with *cause. */
static int run_child(char *const argv[], const char *log, double kill_at,
                     int *status, int *killed, char **cause)
{
    int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0) {
        *cause = stg_asprintf("cannot create %s: %s", log, strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        *cause = stg_asprintf("cannot start %s: %s", argv[0], strerror(errno));
        close(fd);
        return -1;
    }
    if (pid == 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
        execvp(argv[0], argv);
        _exit(127);
    }
    close(fd);
    int sent = 0;
    double term_at = 0;
    *killed = 0;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            *cause = stg_asprintf("waiting for %s: %s", argv[0], strerror(errno));
            return -1;
        }
        double now = stg_now();
        if (!sent && now > kill_at) {
            kill(pid, SIGTERM);
            sent = 1;
            term_at = now;
            *killed = 1;
        } else if (sent == 1 && now > term_at + 5) {
            kill(pid, SIGKILL);
            sent = 2;
        }
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    return 0;
}

/* Reads cbc's solution file: per decision the value index whose x is
 * set.  Returns 1 with values[] filled, 0 when the file holds no integer
 * solution (*what says what it holds), -1 with *cause. */
static int read_cbc_solution(const stg_problem *p, const char *path,
                             int *values, char *what, size_t whatlen,
                             char **cause)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        snprintf(what, whatlen, "no solution file");
        return 0;
    }
    int nd = p->ndecisions, rc = -1;
    double *best = stg_malloc(sizeof *best * (size_t)(nd + 1));
    char line[1024];
    if (!best) {
        *cause = stg_strdup("out of memory");
        goto out;
    }
    for (int d = 0; d < nd; d++) {
        values[d] = 0;
        best[d] = -1;
    }
    if (!fgets(line, sizeof line, in)) {
        snprintf(what, whatlen, "empty solution file");
        rc = 0;
        goto out;
    }
    line[strcspn(line, "\r\n")] = '\0';
    {
        /* "Optimal - objective value 0.8", "Stopped on time - objective
         * value 0.8", "Infeasible - ...", "Stopped on time (no integer
         * solution - continuous used) - ..." */
        const char *dash = strstr(line, " - objective value");
        size_t n = dash ? (size_t)(dash - line) : strlen(line);
        snprintf(what, whatlen, "%.*s", (int)n, line);
    }
    if (strstr(line, "no integer solution") || strncmp(line, "Infeasible", 10) == 0 ||
        strncmp(line, "Integer infeasible", 18) == 0 ||
        (strncmp(line, "Optimal", 7) != 0 && strncmp(line, "Stopped", 7) != 0)) {
        rc = 0;
        goto out;
    }
    while (fgets(line, sizeof line, in)) {
        char *s = line;
        while (*s == ' ' || *s == '*')
            s++;
        int idx, used, d, vi;
        char name[256];
        double val;
        if (sscanf(s, "%d %255s %lf", &idx, name, &val) != 3)
            continue;
        used = 0;
        if (sscanf(name, "x_%d_%d%n", &d, &vi, &used) != 2 || name[used] != '\0')
            continue;           /* U, or a busy column */
        if (d < 0 || d >= nd || vi < 0 || vi >= p->dec[d].nvalues) {
            *cause = stg_asprintf("%s: column %s is not in the model", path, name);
            goto out;
        }
        if (val > best[d]) {
            best[d] = val;
            values[d] = vi;
        }
    }
    for (int d = 0; d < nd; d++)
        if (p->dec[d].nvalues > 1 && best[d] < 0.5) {
            snprintf(what + strlen(what), whatlen - strlen(what),
                     " (no value set for decision %d)", d);
            rc = 0;
            goto out;
        }
    rc = 1;
out:
    fclose(in);
    stg_free(best);
    return rc;
}

/* The "Result - ..." line and the lower bound of cbc's log. */
static void read_cbc_log(const char *path, char *result, size_t len,
                         double *lower, int *have_lower)
{
    FILE *in = fopen(path, "r");
    char line[1024];
    double obj = 0;
    int have_obj = 0, optimal = 0;
    *have_lower = 0;
    result[0] = '\0';
    if (!in)
        return;
    while (fgets(line, sizeof line, in)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (strncmp(line, "Result - ", 9) == 0) {
            snprintf(result, len, "%.*s", (int)(len - 1), line + 9);
            optimal = strstr(line, "Optimal") != NULL;
        } else if (sscanf(line, "Objective value: %lf", &obj) == 1) {
            have_obj = 1;
        } else if (sscanf(line, "Lower bound: %lf", lower) == 1) {
            *have_lower = 1;
        }
    }
    fclose(in);
    if (optimal && have_obj && !*have_lower) {
        *lower = obj;
        *have_lower = 1;
    }
}

static int run_cbc(const stg_fleet *f, const stg_problem *p,
                   const bench_opts *o, double t0, bench_result *r,
                   char **cause)
{
    (void)f;
    int rc = -1;
    char *dir = NULL, *lp = NULL, *sol = NULL, *log = NULL;
    int *values = NULL;
    const char *tmp = getenv("TMPDIR");
    dir = stg_asprintf("%s/stagger-bench-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!dir)
        goto oom;
    if (!mkdtemp(dir)) {
        *cause = stg_asprintf("cannot create a directory %s: %s", dir,
                              strerror(errno));
        stg_free(dir);
        return -1;
    }
    lp = stg_asprintf("%s/model.lp", dir);
    sol = stg_asprintf("%s/solution.txt", dir);
    log = stg_asprintf("%s/cbc.log", dir);
    values = stg_calloc((size_t)p->ndecisions + 1, sizeof *values);
    if (!lp || !sol || !log || !values)
        goto oom;
    if (stg_milp_write_lp(p, lp, cause))
        goto out;

    /* cbc gets what is left of the limit, on the wall clock like the
     * other methods (at least a second) */
    double left = t0 + o->time_limit - stg_now();
    if (left < 1)
        left = 1;
    char secs[32];
    snprintf(secs, sizeof secs, "%.3f", left);
    char *argv[] = { "cbc", lp, "timeMode", "elapsed", "sec", secs, "solve",
                     "solu", sol, NULL };
    int killed = 0, st = 0;
    double grace = left > 60 ? left : 60;
    if (run_child(argv, log, stg_now() + left + grace, &st, &killed, cause))
        goto out;
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) == 0)
        r->child_kib = ru.ru_maxrss;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        *cause = stg_strdup("cannot run cbc; install it (Debian: apt-get install coinor-cbc)");
        goto out;
    }
    char result[160], what[200];
    double lower = 0;
    int have_lower = 0;
    read_cbc_log(log, result, sizeof result, &lower, &have_lower);
    int got = read_cbc_solution(p, sol, values, what, sizeof what, cause);
    if (got < 0)
        goto out;
    note_add(r, "cbc: %s", result[0] ? result : what);
    double over = stg_now() - (t0 + o->time_limit);
    if (killed)
        note_add(r, "cbc ran %.0fs past the limit and was stopped", over);
    else if (over > 1)
        note_add(r, "cbc ended %.0fs past the limit", over);
    else if (WIFSIGNALED(st))
        note_add(r, "cbc ended by signal %d", WTERMSIG(st));
    else if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
        note_add(r, "cbc exited with status %d", WEXITSTATUS(st));
    if (have_lower && lower > 0 && !any_binding(p))
        note_add(r, "cbc bound %.1f%%", (1 - lower) * 100);
    note_add(r, "cbc process %.1f MiB", (double)r->child_kib / 1024);
    if (got == 1) {
        r->sc = from_values(p, values);
        if (!r->sc)
            goto oom;
    } else {
        r->status = "none";
        if (result[0])
            note_add(r, "solution file: %s", what);
    }
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    if (lp)
        unlink(lp);
    if (sol)
        unlink(sol);
    if (log)
        unlink(log);
    if (dir)
        rmdir(dir);
    stg_free(dir);
    stg_free(lp);
    stg_free(sol);
    stg_free(log);
    stg_free(values);
    return rc;
}

/* --- stagger ---------------------------------------------------------- */

static int run_stagger(const stg_fleet *f, const stg_problem *p,
                       const bench_opts *o, double t0, bench_result *r,
                       char **cause)
{
    (void)p;
    (void)t0;
    stg_plan_opts po;
    stg_plan_opts_init(&po);
    po.time_limit = o->time_limit;
    po.seed = o->seed;
    po.threads = 1;
    if (stg_plan(f, &po, &r->sc, cause))
        return -1;
    note_add(r, "%s", r->sc->method ? r->sc->method : "planned");
    return 0;
}

/* The planner's parts alone: its greedy, and its greedy improved only by
 * the large-neighbourhood search (no local search), on the planner's
 * throttles.  They show what each part brings. */
static int run_greedy_lns(const stg_problem *p, const bench_opts *o,
                          double t0, bench_result *r, int lns, char **cause)
{
    stg_limit lim = { t0 + o->time_limit, NULL };
    stg_state *st = stg_greedy(p, o->seed, &lim);
    int *values = stg_calloc((size_t)p->ndecisions + 1, sizeof *values);
    int rc = -1;
    if (!st || !values) {
        *cause = stg_strdup("out of memory");
        goto out;
    }
    if (lns) {
        stg_lns_stats ns;
        if (stg_lns(st, NULL, o->seed, &lim, &ns, cause))
            goto out;
        note_add(r, "lns: %d sub-MILPs, %d kept, %d proved nothing better, "
                 "%d timed out, k %d", ns.tried, ns.improved, ns.proved,
                 ns.timed_out, ns.k);
    }
    for (int d = 0; d < p->ndecisions; d++)
        values[d] = stg_state_value(st, d);
    r->sc = from_values(p, values);
    if (!r->sc) {
        *cause = stg_strdup("out of memory");
        goto out;
    }
    rc = 0;
out:
    stg_free(values);
    stg_state_free(st);
    return rc;
}

static int run_greedy(const stg_fleet *f, const stg_problem *p,
                      const bench_opts *o, double t0, bench_result *r,
                      char **cause)
{
    (void)f;
    return run_greedy_lns(p, o, t0, r, 0, cause);
}

static int run_lns(const stg_fleet *f, const stg_problem *p,
                   const bench_opts *o, double t0, bench_result *r,
                   char **cause)
{
    (void)f;
    return run_greedy_lns(p, o, t0, r, 1, cause);
}

/* ---------------------------------------------------------------------- */

static const struct {
    const char *name;
    bench_method run;
    int needs_milp;             /* skipped when the MILP is too large */
} methods[] = {
    { "today", run_today, 0 },
    { "hand", run_hand, 0 },
    { "ghn", run_ghn, 0 },
    { "milp", run_milp, 1 },
    { "cbc", run_cbc, 1 },
    { "stagger", run_stagger, 0 },
    { "greedy", run_greedy, 0 },
    { "lns", run_lns, 0 },
};

/* Writes the method's schedule file (schedule.md), for checking it with
 * `stagger check` or stagger-verify. */
static int write_schedule(const bench_opts *o, const stg_fleet *f,
                          const char *path, const char *text, size_t len,
                          const char *method, bench_result *r,
                          double seconds, char **cause)
{
    char sha[65];
    stg_sha256(text ? text : "", text ? len : 0, sha);
    if (!r->sc->method) {
        r->sc->method = stg_asprintf("%s", method);
        if (!r->sc->method) {
            *cause = stg_strdup("out of memory");
            return -1;
        }
    }
    r->sc->seconds = seconds;
    stg_out *out = stg_out_open(o->output, cause);
    if (!out)
        return -1;
    if (stg_schedule_write(stg_out_file(out), f, path, sha, r->sc, cause)) {
        stg_out_abort(out);
        return -1;
    }
    return stg_out_commit(out, cause);
}

static int usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "stagger-bench: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n%s", usage_text);
    return EXIT_INPUT;
}

static double peak_mib(long child_kib)
{
    struct rusage ru;
    long kib = 0;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        kib = ru.ru_maxrss;
    if (child_kib > kib)
        kib = child_kib;
    return (double)kib / 1024;
}

static void print_line(const char *method, const bench_result *r,
                       double bound, double seconds, double mib)
{
    char h[32] = "-", g[32] = "-";
    const char *status = r->status ? r->status : "none";
    if (r->sc) {
        double gap = (bound - r->sc->eval->achieved) * 100;
        if (fabs(gap) < 0.05)
            gap = 0;
        snprintf(h, sizeof h, "%.1f", r->sc->eval->achieved * 100);
        snprintf(g, sizeof g, "%.1f", gap);
        status = stg_status_name(r->sc->status);
    }
    printf("%s\t%s\t%.1f\t%s\t%s\t%.2f\t%.1f\t%s\n", method, h, bound * 100,
           g, status, seconds, mib, r->note);
    fflush(stdout);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        { "time-limit", required_argument, NULL, 't' },
        { "seed", required_argument, NULL, 's' },
        { "max-rows", required_argument, NULL, 'r' },
        { "output", required_argument, NULL, 'o' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 }
    };
    bench_opts o = { 60, 1, DEFAULT_MAX_ROWS, NULL };
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_LINE;
        case 't': {
            double v = strtod(optarg, &end);
            stg_unit_err err;
            int secs;
            if (end != optarg && *end == '\0' && isfinite(v) && v > 0)
                o.time_limit = v;
            else if (stg_parse_duration(optarg, &secs, &err) == 0 && secs > 0)
                o.time_limit = secs;
            else
                return usage_error("--time-limit \"%s\" is not a duration; write e.g. 30s or 2m", optarg);
            break;
        }
        case 's': {
            errno = 0;
            unsigned long long v = strtoull(optarg, &end, 10);
            if (end == optarg || *end || errno || optarg[0] == '-')
                return usage_error("--seed \"%s\" is not a whole number", optarg);
            o.seed = (uint64_t)v;
            break;
        }
        case 'o':
            o.output = optarg;
            break;
        case 'r': {
            errno = 0;
            long v = strtol(optarg, &end, 10);
            if (end == optarg || *end || errno || v < 1)
                return usage_error("--max-rows \"%s\" is not a positive whole number", optarg);
            o.max_rows = v;
            break;
        }
        default:
            if (optopt)
                return usage_error("option '%s' needs a value", argv[optind - 1]);
            return usage_error("unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return usage_error("expects a fleet file and a method%s", "");
    char *wcause = NULL;
    if (o.output && stg_out_check_writable(o.output, &wcause)) {
        fprintf(stderr, "stagger-bench: %s\n", wcause ? wcause : "out of memory");
        stg_free(wcause);
        return EXIT_INPUT;
    }
    const char *path = argv[optind], *name = argv[optind + 1];
    int m = -1;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++)
        if (strcmp(name, methods[i].name) == 0)
            m = (int)i;
    if (m < 0)
        return usage_error("unknown method \"%s\"", name);

    int status = EXIT_INTERNAL;
    stg_diags diags;
    char *text = NULL, *cause = NULL;
    size_t len = 0;
    stg_problem *p = NULL;
    double *bound = NULL;
    bench_result r;
    memset(&r, 0, sizeof r);
    stg_diags_init(&diags);
    stg_fleet *f = stg_fleet_read_file(path, &text, &len, &diags);
    stg_diags_sort(&diags);
    stg_report_diags(stderr, path, text, len, &diags);
    if (!f || diags.oom) {
        status = diags.oom ? EXIT_INTERNAL : EXIT_INPUT;
        goto done;
    }
    bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    if (!bound)
        goto oom;

    double t0, seconds;
    if (methods[m].run == run_stagger) {
        /* the planner builds its problem and bounds itself (timed) */
        t0 = stg_now();
        if (run_stagger(f, NULL, &o, t0, &r, &cause))
            goto fail;
        seconds = stg_now() - t0;
        memcpy(bound, r.sc->link_bound, sizeof *bound * (size_t)f->nlinks);
        /* a bound it proved beyond the per-link ones (enumeration, MILP) */
        double own = r.sc->bound, common = 1;
        for (int l = 0; l < f->nlinks; l++)
            if (bound[l] < common)
                common = bound[l];
        if (own < common - 1e-6)
            note_add(&r, "proved bound %.1f%%", own * 100);
    } else {
        /* the planner's throttles and bounds, so every method is compared
         * on the same footing (not timed) */
        double *nowait = stg_calloc((size_t)f->nlinks + 1, sizeof *nowait);
        int bad = !nowait || stg_plan_prepare(f, NULL, &p, bound, nowait);
        stg_free(nowait);
        if (bad)
            goto oom;
        if (methods[m].needs_milp && !stg_milp_fits(p, o.max_rows)) {
            r.status = "skipped";
            note_add(&r, "skipped: model too large (over %ld rows)", o.max_rows);
            seconds = 0;
        } else {
            t0 = stg_now();
            if (methods[m].run(f, p, &o, t0, &r, &cause))
                goto fail;
            seconds = stg_now() - t0;
        }
    }
    double worst = 1;
    for (int l = 0; l < f->nlinks; l++)
        if (bound[l] < worst)
            worst = bound[l];
    if (r.sc && methods[m].run != run_stagger) {
        memcpy(r.sc->link_bound, bound, sizeof *bound * (size_t)f->nlinks);
        stg_schedule_set_bound(r.sc, worst);
    }
    double mib = peak_mib(r.child_kib);
    if (o.output && r.sc && write_schedule(&o, f, path, text, len, name, &r,
                                           seconds, &cause))
        goto fail;
    print_line(name, &r, worst, seconds, mib);
    status = EXIT_LINE;
    goto done;
oom:
    cause = stg_strdup("out of memory");
fail:
    fprintf(stderr, "stagger-bench: %s: %s: %s\n", path, name,
            cause ? cause : "out of memory");
    status = EXIT_INTERNAL;
done:
    stg_free(cause);
    stg_schedule_free(r.sc);
    stg_problem_free(p);
    stg_free(bound);
    stg_fleet_free(f);
    stg_free(text);
    stg_diags_free(&diags);
    return status;
}
