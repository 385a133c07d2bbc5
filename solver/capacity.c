/* stagger: capacity analysis (see capacity.h and docs/capacity.md). */
#include "capacity.h"

#include <math.h>
#include <signal.h>
#include <string.h>

#include "bound.h"
#include "clock.h"
#include "model/alloc.h"
#include "model/fleet_copy.h"
#include "problem.h"

/* Growth factors are searched in hundredths. */
#define GROWTH_STEP 100
/* Groups named in a description of a peak, at most. */
#define PEAK_NAMES 6
/* Slots at a link's peak searched for a job no stagger moves, at most. */
#define PEAK_SLOTS 256

void stg_capacity_opts_init(stg_capacity_opts *o)
{
    memset(o, 0, sizeof *o);
    stg_plan_opts_init(&o->plan);
    o->plan.time_limit = 2;
    o->growth_max = 100;
    o->capacity_max = 1000;
    o->link = -1;
}

double stg_capacity_resolution(double capacity)
{
    double r = 1000;
    while (r * 10 <= capacity * 0.01 * (1 + 1e-9))
        r *= 10;
    return r;
}

int stg_capacity_months(double g, bool beyond, double rate)
{
    if (beyond)
        return -1;
    if (g < 1 || !(rate > 0))
        return g < 1 ? 0 : -1;
    /* a factor is a multiple of 0.01: keep 1.03^1 = 1.03 at one month */
    double m = log(g) / log(1 + rate);
    return (int)floor(m + 1e-9);
}

/* ---- reasons ---------------------------------------------------------- */

/* The background of link l in force at cycle time t into w: its rate and
 * the windows of the entries that cover t.  false when out of memory. */
static bool fill_background(stg_capwhy *w, const stg_fleet *f,
                            const stg_link *l, int t)
{
    w->bg = stg_link_background_at(f, l, t);
    if (w->bg <= 0)
        return true;
    w->bg_from = stg_malloc(sizeof *w->bg_from * (size_t)(l->nbackground + 1));
    w->bg_to = stg_malloc(sizeof *w->bg_to * (size_t)(l->nbackground + 1));
    if (!w->bg_from || !w->bg_to)
        return false;
    for (int i = 0; i < l->nbackground; i++) {
        const stg_timed_rate *r = &l->background[i];
        if (!stg_window_covers(f->cycle, r->from, r->to, r->days, t))
            continue;
        w->bg_from[w->nbg] = r->from;
        w->bg_to[w->nbg++] = r->to;
    }
    return true;
}

/* The job of group g, computer c, kind k into j (names copied); false
 * when out of memory. */
static bool fill_job(stg_capwhy_job *j, const stg_fleet *f, int g, int c,
                     stg_job_kind k)
{
    j->kind = k;
    j->group = stg_strdup(f->groups[g].name);
    j->computer = stg_strdup(f->computers[c].name);
    return j->group && j->computer;
}

/* A reason naming one thing (copied); NULL when out of memory. */
static stg_capwhy *named(stg_capwhy_kind kind, const stg_fleet *f,
                         const char *name)
{
    stg_capwhy *w = stg_capwhy_new(kind, f->cycle);
    if (w && !(w->name = stg_strdup(name))) {
        stg_capwhy_free(w);
        return NULL;
    }
    return w;
}

/* The model's message as a reason (the text taken over; NULL when out of
 * memory, the text then freed). */
static stg_capwhy *model_why(const stg_fleet *f, char *text)
{
    stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_MODEL, f->cycle);
    if (!w) {
        stg_free(text);
        return NULL;
    }
    w->text = text;
    return w;
}

/* True when transfer tr sends in slot t (cyclic). */
static bool transfer_in_slot(const stg_fleet *f, const stg_transfer *tr, int t)
{
    int from = t * f->resolution, to = from + f->resolution;
    for (int wrap = 0; wrap < 2; wrap++) {
        int a = from + wrap * f->cycle, z = to + wrap * f->cycle;
        if (tr->start < z && tr->end > a)
            return true;
    }
    return false;
}

/* A computer crossing link l that never empties its queue in the
 * schedule (it cannot catch up: the link's loads mean nothing), or -1. */
static int backlog_on(const stg_fleet *f, const stg_schedule *sc, int l)
{
    for (int c = 0; c < f->ncomputers; c++)
        if (sc->sim->never_idle[c] && stg_computer_crosses(&f->computers[c], l))
            return c;
    return -1;
}

/* ---- what binds at a capacity ------------------------------------------ */

/* The background of link lp at every slot (nslots values). */
static double *background_slots(const stg_problem *p, int lp)
{
    const stg_fleet *f = p->fleet;
    double *bg = stg_malloc(sizeof *bg * (size_t)(p->nslots + 1));
    if (!bg)
        return NULL;
    for (int t = 0; t < p->nslots; t++)
        bg[t] = stg_link_background_at(f, &f->links[lp], t * p->res);
    return bg;
}

/* The highest background + throttle job j of decision d puts on the link
 * alone at value vi, and its slot. */
static double job_high(const stg_problem *p, const double *bg, int d, int j,
                       int vi, int *slot)
{
    const stg_decision *dc = &p->dec[d];
    const stg_dec_job *jb = &dc->jobs[j];
    int N = p->nslots;
    int s = stg_problem_job_slot(p, d, vi, j);
    int len = stg_problem_duration(p, jb->computer, s, jb->volume_lb);
    const int64_t *rate = stg_problem_rates(p, jb->computer);
    double high = -1;
    *slot = s;
    for (int k = 0; k < len; k++) {
        int t = (s + k) % N;
        double v = bg[t] + (double)rate[t];
        if (v > high) {
            high = v;
            *slot = t;
        }
    }
    return high;
}

/* The lowest, over every start, of the highest background + throttle a
 * job puts on the link alone (for a computer that may wait: any start). */
static double job_anywhere(const stg_problem *p, const double *bg, int d,
                           int j, int *slot)
{
    const stg_dec_job *jb = &p->dec[d].jobs[j];
    int N = p->nslots;
    const int64_t *rate = stg_problem_rates(p, jb->computer);
    double best = INFINITY;
    *slot = 0;
    for (int s = 0; s < N; s++) {
        int len = stg_problem_duration(p, jb->computer, s, jb->volume_lb);
        double high = -1;
        int at = s;
        for (int k = 0; k < len && high < best; k++) {
            int t = (s + k) % N;
            if (bg[t] + (double)rate[t] > high) {
                high = bg[t] + (double)rate[t];
                at = t;
            }
        }
        if (high < best) {
            best = high;
            *slot = at;
        }
    }
    return best;
}

typedef struct {
    double peak;                /* bps: one transfer alone, at its best */
    int decision, job, slot;
} one_transfer;

/* The highest load one transfer alone puts on link lp, wherever its
 * decision places it: over the decisions with a job on a computer
 * crossing it, the lowest over the decision's values of the highest
 * background + throttle of one such job (a computer whose server's
 * max_jobs can make it wait: over every start). */
static void largest_transfer(const stg_problem *p, const double *bg, int lp,
                             one_transfer *out)
{
    const stg_fleet *f = p->fleet;
    out->peak = 0;
    out->decision = -1;
    out->job = 0;
    out->slot = 0;
    for (int d = 0; d < p->ndecisions; d++) {
        const stg_decision *dc = &p->dec[d];
        double best = INFINITY;
        int bj = -1, bs = 0;
        bool any = false;
        for (int vi = 0; vi < dc->nvalues; vi++) {
            double high = -1;
            int hj = -1, hs = 0;
            for (int j = 0; j < dc->njobs; j++) {
                const stg_computer *cp = &f->computers[dc->jobs[j].computer];
                if (!stg_computer_crosses(cp, lp) || p->binding[cp->server])
                    continue;
                int s;
                double v = job_high(p, bg, d, j, vi, &s);
                if (v > high) {
                    high = v;
                    hj = j;
                    hs = s;
                }
            }
            if (hj < 0)
                break;          /* no job of this decision counts here */
            any = true;
            if (high < best) {
                best = high;
                bj = hj;
                bs = hs;
            }
        }
        if (!any)
            best = 0;
        for (int j = 0; j < dc->njobs; j++) {
            const stg_computer *cp = &f->computers[dc->jobs[j].computer];
            if (!stg_computer_crosses(cp, lp) || !p->binding[cp->server])
                continue;
            int s = 0;
            double v = job_anywhere(p, bg, d, j, &s);
            if (v > best) {
                best = v;
                bj = j;
                bs = s;
            }
        }
        if (bj >= 0 && best > out->peak) {
            out->peak = best;
            out->decision = d;
            out->job = bj;
            out->slot = bs;
        }
    }
}

/* True when job j of decision d keeps its computer busy in slot t (union
 * model, its lone duration) whatever value the decision takes. */
static bool covered_always(const stg_problem *p, int d, int j, int t)
{
    const stg_decision *dc = &p->dec[d];
    const stg_dec_job *jb = &dc->jobs[j];
    int N = p->nslots;
    for (int vi = 0; vi < dc->nvalues; vi++) {
        int s = stg_problem_job_slot(p, d, vi, j);
        int len = stg_problem_duration(p, jb->computer, s, jb->volume);
        if (((t - s) % N + N) % N >= len)
            return false;
    }
    return true;
}

/* The job of the given group, kind and computer that keeps the computer
 * busy in slot t under every value of its decision: *dd its decision, *jj
 * the job; false when there is none. */
static bool find_pinned(const stg_problem *p, int group, stg_job_kind kind,
                        int computer, int t, int *dd, int *jj)
{
    stg_dec_kind want = kind == STG_JOB_SYNC ? STG_DEC_SYNC
                      : kind == STG_JOB_EXPRESS_FULL ? STG_DEC_EF : STG_DEC_CC;
    for (int d = 0; d < p->ndecisions; d++) {
        const stg_decision *dc = &p->dec[d];
        if (dc->group != group || dc->kind != want)
            continue;
        for (int j = 0; j < dc->njobs; j++)
            if (dc->jobs[j].computer == computer &&
                covered_always(p, d, j, t)) {
                *dd = d;
                *jj = j;
                return true;
            }
    }
    return false;
}

/* Indices of the transfers sending on link l in slot t (t < 0: in any
 * slot), appended to *list (n, cap).  Returns -1 when out of memory. */
static int transfers_at(const stg_fleet *f, const stg_sim *sim, int l, int t,
                        int **list, size_t *n, size_t *cap)
{
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *tr = &sim->transfers[i];
        if (!stg_computer_crosses(&f->computers[tr->computer], l) ||
            (t >= 0 && !transfer_in_slot(f, tr, t)))
            continue;
        if (stg_grow((void **)list, cap, *n + 1, sizeof **list))
            return -1;
        (*list)[(*n)++] = i;
    }
    return 0;
}

/* The transfers list[0..n) sending on link l in slot t into w (the
 * peak: "at 20:05: Branch-Files (fs01 sync), ..." in words), one mention
 * per group, computer and kind, leaving out the one at index skip (-1:
 * none).  false when out of memory. */
static bool fill_peak(stg_capwhy *w, const stg_fleet *f, const stg_sim *sim,
                      int l, int t, const int *list, size_t n, int skip)
{
    w->at = t * f->resolution;
    w->skip = skip >= 0;
    w->jobs = stg_calloc(PEAK_NAMES + 1, sizeof *w->jobs);
    if (!w->jobs)
        return false;
    for (size_t i = 0; i < n; i++) {
        const stg_transfer *tr = &sim->transfers[list[i]];
        bool seen = false;
        for (size_t k = 0; k < i && !seen; k++) {
            const stg_transfer *o = &sim->transfers[list[k]];
            seen = o->group == tr->group && o->computer == tr->computer &&
                   o->kind == tr->kind;
        }
        if (skip >= 0) {
            const stg_transfer *o = &sim->transfers[skip];
            seen |= o->group == tr->group && o->computer == tr->computer &&
                    o->kind == tr->kind;
        }
        if (seen)
            continue;
        if (w->njobs == PEAK_NAMES) {
            w->more++;
            continue;
        }
        if (!fill_job(&w->jobs[w->njobs++], f, tr->group, tr->computer,
                      tr->kind))
            return false;
    }
    return fill_background(w, f, &f->links[l], w->at);
}

/* The peak of link l in a schedule, as a reason (NULL when out of
 * memory). */
static stg_capwhy *peak_why(const stg_fleet *f, const stg_schedule *sc, int l)
{
    int *list = NULL;
    size_t n = 0, cap = 0;
    stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_PEAK, f->cycle);
    if (!w || transfers_at(f, sc->sim, l, sc->eval->at[l], &list, &n, &cap) ||
        !fill_peak(w, f, sc->sim, l, sc->eval->at[l], list, n, -1)) {
        stg_capwhy_free(w);
        w = NULL;
    }
    stg_free(list);
    return w;
}

/* What binds on link l of fleet fc in schedule sc, planned at the
 * minimum capacity: one transfer alone, a job that no value of its
 * decision moves off the peak, or the jobs that make the peak.  NULL when
 * out of memory. */
static stg_capwhy *binds_at_minimum(const stg_fleet *fc,
                                    const stg_schedule *sc, int l)
{
    stg_capwhy *w = NULL;
    stg_problem *p = NULL;
    double *bg = NULL;
    int *list = NULL, *cross = NULL;
    size_t n = 0, cap = 0, ncross = 0, ccap = 0;
    /* today's times, the planned throttles */
    p = stg_problem_for_plan(fc, sc->settings);
    if (!p || !(bg = background_slots(p, l)))
        goto oom;
    double req = fc->headroom;

    /* the planned peak at the minimum is one transfer alone */
    one_transfer one;
    largest_transfer(p, bg, l, &one);
    double peak = (1 - sc->eval->headroom[l]) * fc->links[l].capacity;
    if (one.decision >= 0 && one.peak >= peak - 0.5) {
        const stg_decision *dc = &p->dec[one.decision];
        int c0 = dc->jobs[one.job].computer;
        if (!(w = stg_capwhy_new(STG_CAPWHY_ONE, fc->cycle)) ||
            !fill_job(&w->job, fc, dc->group, c0, stg_dec_job_kind(dc->kind)) ||
            !fill_background(w, fc, &fc->links[l], one.slot * p->res))
            goto oom;
        w->rate = (double)stg_problem_rates(p, c0)[one.slot];
        w->need = one.peak / (1 - req);
        w->pct = req;
        goto done;
    }

    /* a job that sends in a slot of the peak whatever value its decision
     * takes (the first such slot, of the first PEAK_SLOTS at the peak) */
    int t = sc->eval->at[l], pd = -1, pj = -1, pi = -1, seen = 0;
    if (transfers_at(fc, sc->sim, l, -1, &cross, &ncross, &ccap))
        goto oom;
    for (int u = 0; u < p->nslots && pd < 0 && seen < PEAK_SLOTS; u++) {
        if (stg_sim_load(sc->sim, l, u) < peak - 0.5)
            continue;
        seen++;
        n = 0;
        for (size_t i = 0; i < ncross; i++)
            if (transfer_in_slot(fc, &sc->sim->transfers[cross[i]], u)) {
                if (stg_grow((void **)&list, &cap, n + 1, sizeof *list))
                    goto oom;
                list[n++] = cross[i];
            }
        for (int pass = 0; pass < 2 && pd < 0; pass++)
            for (size_t i = 0; i < n && pd < 0; i++) {
                const stg_transfer *tr = &sc->sim->transfers[list[i]];
                /* express fulls and checks first, then syncs */
                if ((tr->kind == STG_JOB_SYNC) != (pass == 1))
                    continue;
                if (find_pinned(p, tr->group, tr->kind, tr->computer, u,
                                &pd, &pj)) {
                    pi = list[i];
                    t = u;
                }
            }
    }
    if (pd < 0) {
        n = 0;
        if (transfers_at(fc, sc->sim, l, t, &list, &n, &cap))
            goto oom;
    }
    if (pd >= 0) {
        const stg_decision *dc = &p->dec[pd];
        const stg_dec_job *jb = &dc->jobs[pj];
        const stg_group *gr = &fc->groups[dc->group];
        int N = p->nslots, from = t, to = t + 1;
        while (to - from < N && covered_always(p, pd, pj, (from - 1 + N) % N))
            from--;
        while (to - from < N && covered_always(p, pd, pj, to % N))
            to++;
        int s = stg_problem_job_slot(p, pd, dc->current, pj);
        int len = stg_problem_duration(p, jb->computer, s, jb->volume);
        if (!(w = stg_capwhy_new(STG_CAPWHY_PINNED, fc->cycle)) ||
            !fill_job(&w->job, fc, dc->group, jb->computer,
                      stg_dec_job_kind(dc->kind)))
            goto oom;
        w->volume = jb->volume;
        w->duration = len * p->res;
        w->rate = (double)stg_problem_rates(p, jb->computer)[s];
        w->flex = gr->ef_flex;
        w->win_from = gr->cc_from;
        w->win_to = gr->cc_to;
        w->from = (from % N + N) % N * p->res;
        w->to = to % N * p->res;
        if (!fill_peak(w, fc, sc->sim, l, t, list, n, pi))
            goto oom;
        goto done;
    }
    if (!(w = stg_capwhy_new(STG_CAPWHY_PEAK, fc->cycle)) ||
        !fill_peak(w, fc, sc->sim, l, t, list, n, -1))
        goto oom;
    goto done;
oom:
    stg_capwhy_free(w);
    w = NULL;
done:
    stg_problem_free(p);
    stg_free(bg);
    stg_free(list);
    stg_free(cross);
    return w;
}

/* ---- parts of the fleet and probes ------------------------------------ */

/* One growth probe of a part: the factor (hundredths), whether the model
 * accepted the scaled part, each part link's proven bound, and once
 * planned each link's lowest headroom, whether every rule held, and what
 * broke (per part link below the limit, and for the part as a whole). */
typedef struct {
    int k;
    bool rejected, planned, all_rules;
    double *bound;
    stg_throttle *thr;          /* per part computer: the planner's */
    double *headroom;
    bool *ok;                   /* at the limit, no computer backlogged */
    stg_capwhy **why;           /* per part link below the limit */
    stg_capwhy *part_why;       /* the first broken rule of the part */
} gprobe;

typedef struct {
    bool *mask;                 /* per fleet computer */
    stg_fleet *fleet;           /* the part, owned */
    int *link_of;               /* part link -> fleet link */
    int *part_link;             /* fleet link -> part link, or -1 */
    gprobe *cache;
    size_t ncache, cap;
} part;

typedef struct {
    const stg_fleet *f;
    const stg_capacity_opts *o;
    stg_plan_opts po;
    stg_capacity *res;
    part *parts;
    int nparts;
    int whole;                  /* the part that is the whole fleet, or -1 */
    double t0;
    char **cause;
    /* The planner's stop flag in probes: the caller's (set to 1 by a
     * signal handler when the user stops), or this one when it has none.
     * A probe sets it to EARLY_STOP to end a run whose schedule so far
     * keeps the limit on every link, and clears that value afterwards,
     * so the user's stop reaches a running planner at once.  (A stop in
     * the instant between that test and that write is lost; the
     * command line's second Ctrl-C still ends the program.) */
    volatile sig_atomic_t own_stop;
    volatile sig_atomic_t *stop;
    bool early_on, early_hit;
} ctx;

#define EARLY_STOP 2

/* The user asked to stop. */
static bool stopped(const ctx *x)
{
    return *x->stop && *x->stop != EARLY_STOP;
}

static void gprobe_free(gprobe *g, int nlinks)
{
    stg_free(g->bound);
    stg_free(g->thr);
    stg_free(g->headroom);
    stg_free(g->ok);
    if (g->why)
        for (int l = 0; l < nlinks; l++)
            stg_capwhy_free(g->why[l]);
    stg_free(g->why);
    stg_capwhy_free(g->part_why);
}

static void part_free(part *pt)
{
    int nl = pt->fleet ? pt->fleet->nlinks : 0;
    for (size_t i = 0; i < pt->ncache; i++)
        gprobe_free(&pt->cache[i], nl);
    stg_free(pt->cache);
    stg_free(pt->mask);
    stg_free(pt->link_of);
    stg_free(pt->part_link);
    stg_fleet_free(pt->fleet);
}

static int oom(ctx *x)
{
    if (!*x->cause)
        *x->cause = stg_strdup("out of memory");
    return -1;
}

/* The part with this computer mask (created when new); its index, or -1
 * when out of memory. */
static int part_for(ctx *x, bool *mask)
{
    const stg_fleet *f = x->f;
    size_t bytes = sizeof *mask * (size_t)f->ncomputers;
    for (int i = 0; i < x->nparts; i++)
        if (!memcmp(x->parts[i].mask, mask, bytes)) {
            stg_free(mask);
            return i;
        }
    part *np = stg_realloc(x->parts, sizeof *np * (size_t)(x->nparts + 1));
    if (!np) {
        stg_free(mask);
        return -1;
    }
    x->parts = np;
    part *pt = &x->parts[x->nparts];
    memset(pt, 0, sizeof *pt);
    pt->mask = mask;
    pt->link_of = stg_malloc(sizeof *pt->link_of * (size_t)(f->nlinks + 1));
    pt->part_link = stg_malloc(sizeof *pt->part_link * (size_t)(f->nlinks + 1));
    bool all = true;
    for (int c = 0; c < f->ncomputers; c++)
        all &= mask[c];
    if (pt->link_of && pt->part_link) {
        if (all) {
            pt->fleet = stg_fleet_copy(f);
            for (int l = 0; l < f->nlinks; l++)
                pt->link_of[l] = l;
        } else {
            pt->fleet = stg_fleet_subset(f, mask, pt->link_of, NULL, NULL);
        }
    }
    x->nparts++;                /* freed with the others from here on */
    if (!pt->fleet)
        return -1;
    for (int l = 0; l < f->nlinks; l++)
        pt->part_link[l] = -1;
    for (int l = 0; l < pt->fleet->nlinks; l++)
        pt->part_link[pt->link_of[l]] = l;
    if (all)
        x->whole = x->nparts - 1;
    return x->nparts - 1;
}

/* The first error the model found, or a copy of fallback. */
static char *first_error(const stg_diags *d, const char *fallback)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].level == STG_DIAG_ERROR)
            return stg_strdup(d->items[i].msg);
    return stg_strdup(fallback);
}

/* Finishes fc again; 0 when the model accepts it, 1 with *why (the
 * model's first error) when not, -1 when out of memory. */
static int refinish(stg_fleet *fc, char **why)
{
    stg_diags d;
    stg_diags_init(&d);
    int errors = stg_fleet_finish(fc, &d);
    int rc = 0;
    if (d.oom) {
        rc = -1;
    } else if (errors > 0) {
        *why = first_error(&d, "the model rejects it");
        rc = *why ? 1 : -1;
    }
    stg_diags_free(&d);
    return rc;
}

/* The planner's progress in a probe: passes the user's stop on, and
 * stops early once the best schedule so far keeps the limit on every
 * link (see plan_probe). */
static void probe_progress(void *arg, const stg_progress *pr)
{
    ctx *x = arg;
    if (x->early_on && !*x->stop && !pr->partial &&
        pr->achieved >= x->f->headroom - STG_EPS) {
        x->early_hit = true;
        *x->stop = EARLY_STOP;
    }
}

/* How a probe's planner run may stop early (plan_probe): never; once
 * every link keeps the limit (the probe asks about links); once every
 * link keeps the limit, confirmed in full unless every rule holds (the
 * probe asks about every rule). */
enum { EARLY_NEVER, EARLY_LINKS, EARLY_RULES };

/* True when a computer never empties its queue in the schedule. */
static bool any_backlog(const stg_schedule *sc)
{
    for (int i = 0; i < sc->eval->nviolations; i++)
        if (sc->eval->violations[i].kind == STG_VIOL_BACKLOG)
            return true;
    return false;
}

/* One planner run.  With early, the run stops as soon as its best
 * schedule so far keeps the limit on every link.  A full run would keep
 * the limit on every link too: it only ever trades its best for one that
 * compares better by stg_schedule_cmp(), i.e. one that keeps every rule,
 * or one whose links' headrooms are, from the worst up, at least as high.
 * So the early schedule answers for every link, unless a computer is left
 * with a backlog (which a full run might clear, and which decides a
 * probe too): then the run is made again in full.  With EARLY_RULES it
 * is made again in full unless the early schedule keeps every rule.
 * Returns 0 with *sc, or -1 (cause set). */
static int plan_probe(ctx *x, const stg_fleet *fc, const char *what,
                      const char *link, int early, stg_schedule **sc)
{
    if (x->o->progress)
        x->o->progress(x->o->progress_arg, what, link, x->res->probes,
                       stg_now() - x->t0);
    for (int attempt = 0; attempt < 2; attempt++) {
        x->early_on = early != EARLY_NEVER && attempt == 0;
        x->early_hit = false;
        x->res->probes++;
        /* the probe asks about link: planned with all its computers */
        x->po.focus_link = link ? stg_fleet_link(fc, link) : -1;
        int rc = stg_plan(fc, &x->po, sc, x->cause);
        if (*x->stop == EARLY_STOP)
            *x->stop = 0;
        if (rc)
            return -1;
        if (!x->early_hit || stopped(x))
            break;
        if (early == EARLY_LINKS ? !any_backlog(*sc)
                                 : (*sc)->status != STG_STATUS_VIOLATES) {
            (*sc)->stopped = false;
            x->res->early++;
            return 0;
        }
        stg_schedule_free(*sc);
        *sc = NULL;
    }
    if (stopped(x))
        x->res->stopped = true;
    else if ((*sc)->found.time_limit && !(*sc)->found.stopped)
        x->res->limited++;
    return 0;
}

/* The proven per-link bounds of a fleet as the planner computes them
 * (its auto throttles chosen), into bound (nlinks), and when thr is not
 * NULL the throttles it chooses (a new array, one per computer).
 * Returns 0 or -1. */
static int fleet_bounds(ctx *x, const stg_fleet *fc, double *bound,
                        stg_throttle **thr)
{
    stg_problem *p = NULL;
    double *target = stg_calloc((size_t)fc->nlinks + 1, sizeof *target);
    stg_limit lim = { x->po.time_limit > 0 ? stg_now() + x->po.time_limit : 0,
                      x->stop };
    int rc = target ? stg_plan_prepare(fc, &lim, &p, bound, target) : -1;
    if (!rc && thr) {
        size_t bytes = sizeof **thr * (size_t)(fc->ncomputers + 1);
        if ((*thr = stg_malloc(bytes)))
            memcpy(*thr, p->settings->throttle,
                   sizeof **thr * (size_t)fc->ncomputers);
        else
            rc = -1;
    }
    stg_problem_free(p);
    stg_free(target);
    x->res->bound_checks++;
    return rc ? oom(x) : 0;
}

/* ---- minimum capacity ------------------------------------------------- */

/* A capacity probe: the part with one link's capacity changed; planned
 * unless the model rejects it or the bound proves the link short. */
typedef struct {
    stg_fleet *fleet;
    stg_schedule *sc;           /* NULL when not planned */
    char *why;                  /* the model's reason */
    double bound;               /* the link's proven best headroom */
    bool meets;
    long k;
} cprobe;

static void cprobe_clear(cprobe *p)
{
    stg_schedule_free(p->sc);
    stg_fleet_free(p->fleet);
    stg_free(p->why);
    memset(p, 0, sizeof *p);
}

static int cap_probe(ctx *x, int pi, int lp, long k, double res, cprobe *out)
{
    part *pt = &x->parts[pi];
    double *bound = NULL;
    memset(out, 0, sizeof *out);
    out->k = k;
    out->fleet = stg_fleet_copy(pt->fleet);
    if (!out->fleet)
        return oom(x);
    out->fleet->links[lp].capacity = (double)k * res;
    int r = refinish(out->fleet, &out->why);
    if (r < 0)
        return oom(x);
    if (r > 0)
        return 0;
    bound = stg_calloc((size_t)out->fleet->nlinks + 1, sizeof *bound);
    if (!bound)
        return oom(x);
    if (fleet_bounds(x, out->fleet, bound, NULL)) {
        stg_free(bound);
        return -1;
    }
    out->bound = bound[lp];
    stg_free(bound);
    if (out->bound < x->f->headroom - STG_EPS)
        return 0;               /* proven short: no plan can meet */
    if (plan_probe(x, out->fleet, "capacity", out->fleet->links[lp].name,
                   EARLY_LINKS, &out->sc))
        return -1;
    out->meets = out->sc->eval->headroom[lp] >= x->f->headroom - STG_EPS &&
                 backlog_on(out->fleet, out->sc, lp) < 0;
    return 0;
}

/* The largest throttle rate of a computer, and whether it depends on the
 * capacities of its path (auto, none). */
static double fixed_rate(const stg_throttle *th, bool *depends)
{
    switch (th->kind) {
    case STG_THROTTLE_RATE:
        return th->rate;
    case STG_THROTTLE_WORK:
        return th->work > th->other ? th->work : th->other;
    default:
        *depends = true;
        return 0;
    }
}

/* k with k * res at least v (within a billionth). */
static long steps_up(double v, double res)
{
    double k = ceil(v / res - 1e-9);
    return k < 0 ? 0 : k > 1e15 ? (long)1e15 : (long)k;
}

/* Makes *dst the reason w (taken over; NULL: out of memory). */
static int set_why(ctx *x, stg_capwhy **dst, stg_capwhy *w)
{
    if (!w)
        return oom(x);
    stg_capwhy_free(*dst);
    *dst = w;
    return 0;
}

/* A link no computer crosses: its load is its background, exactly. */
static int background_only(ctx *x, int l)
{
    const stg_fleet *f = x->f;
    stg_cap_link *lk = &x->res->links[l];
    const stg_link *ln = &f->links[l];
    double peak = 0;
    int at = 0;
    for (int t = 0; t < f->cycle; t += f->resolution) {
        double v = stg_link_background_at(f, ln, t);
        if (v > peak) {
            peak = v;
            at = t;
        }
    }
    long k = steps_up(peak / (1 - f->headroom), lk->resolution);
    if (k < 1)
        k = 1;
    lk->min_capacity = (double)k * lk->resolution;
    lk->proven_below = peak / (1 - f->headroom);
    lk->top = lk->min_capacity;
    lk->method = STG_CAP_BOUND;
    lk->bound_valid = true;
    lk->growth_beyond = lk->headroom_planned >= f->headroom - STG_EPS;
    lk->growth_below = !lk->growth_beyond;
    lk->growth = lk->growth_beyond ? x->o->growth_max : 0;
    lk->growth_proven = lk->growth_below;
    if (peak <= 0)
        return set_why(x, &lk->binds,
                       stg_capwhy_new(STG_CAPWHY_NOTHING, f->cycle)) ||
               set_why(x, &lk->growth_binds,
                       stg_capwhy_new(STG_CAPWHY_NO_TRANSFER, f->cycle));
    stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_BACKGROUND, f->cycle);
    if (w) {
        w->rate = peak;
        w->at = at;
    }
    if (set_why(x, &lk->binds, w))
        return -1;
    return set_why(x, &lk->growth_binds,
                   stg_capwhy_new(lk->growth_below
                                  ? STG_CAPWHY_BACKGROUND_BREAKS
                                  : STG_CAPWHY_NO_TRANSFER, f->cycle));
}

/* Where link l's capacity search runs, in steps of its resolution. */
typedef struct {
    long k_thr;                 /* below: a fixed throttle is above it */
    long k_bound;               /* below: the bound proves it short */
    long k_min, k_hi, k_max;    /* the least allowed, the plan's, the top */
    double max_thr;             /* the largest fixed throttle on it */
    int thr_computer;           /* whose */
} search_range;

/* The range of link l's search: from the bound and the largest fixed
 * throttle crossing it, to what the plan's peak needs, to the top;
 * sets the link's bound_valid, proven_below and top. */
static void capacity_range(ctx *x, int l, const stg_schedule *planned,
                           search_range *rg)
{
    const stg_fleet *f = x->f;
    stg_cap_link *lk = &x->res->links[l];
    double req = f->headroom, C = f->links[l].capacity, R = lk->resolution;
    /* throttles crossing the link: the largest fixed one; whether any
     * depends on the capacity */
    bool depends = false;
    rg->max_thr = 0;
    rg->thr_computer = -1;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        if (!stg_computer_crosses(cp, l))
            continue;
        double r = fixed_rate(&cp->throttle, &depends);
        if (r > rg->max_thr) {
            rg->max_thr = r;
            rg->thr_computer = c;
        }
    }
    lk->bound_valid = !depends && !x->o->no_bound;
    rg->k_thr = steps_up(rg->max_thr, R);
    rg->k_bound = 0;
    if (lk->bound_valid) {
        double p_min = (1 - planned->link_bound[l]) * C;
        lk->proven_below = p_min / (1 - req);
        rg->k_bound = steps_up(lk->proven_below, R);
    }
    rg->k_min = rg->k_bound > rg->k_thr ? rg->k_bound : rg->k_thr;
    if (rg->k_min < 1)
        rg->k_min = 1;
    if (rg->k_thr > rg->k_bound && rg->k_thr == rg->k_min &&
        rg->max_thr > lk->proven_below)
        lk->proven_below = rg->max_thr;
    double p_plan = (1 - planned->eval->headroom[l]) * C;
    rg->k_hi = steps_up(p_plan / (1 - req), R);
    if (rg->k_hi < rg->k_min)
        rg->k_hi = rg->k_min;
    rg->k_max = (long)floor(x->o->capacity_max * C / R + 1e-9);
    if (rg->k_max < rg->k_hi)
        rg->k_max = rg->k_hi;
    lk->top = (double)rg->k_max * R;
}

static int capacity_search(ctx *x, int l, const stg_schedule *planned)
{
    const stg_fleet *f = x->f;
    stg_cap_link *lk = &x->res->links[l];
    double R = lk->resolution;
    cprobe hi = {0}, cur = {0};
    char *below_why = NULL;
    double below_cap = 0;
    int rc = -1;

    if (lk->part < 0)
        return background_only(x, l);
    int lp = x->parts[lk->part].part_link[l];
    search_range rg;
    capacity_range(x, l, planned, &rg);
    long k_min = rg.k_min, k_hi = rg.k_hi, k_max = rg.k_max;

    long lo = k_min - 1;        /* known short: proven, or not allowed */
    long first = k_min < k_hi && lk->bound_valid ? k_min : k_hi;
    int probes0 = x->res->probes;
    /* upwards from the first guess until a probe meets */
    for (long k = first, step = 1;; ) {
        if (stopped(x))
            goto stop;
        if (cap_probe(x, lk->part, lp, k, R, &cur))
            goto out;
        if (cur.meets) {
            hi = cur;
            memset(&cur, 0, sizeof cur);
            break;
        }
        lo = k;
        stg_free(below_why);
        below_why = cur.why;
        cur.why = NULL;
        below_cap = (double)k * R;
        if (k == k_max) {
            /* nothing up to the top meets */
            stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_TOP, f->cycle);
            if (!w)
                goto oom_out;
            w->rate = (double)k_max * R;
            if (below_why) {
                w->then = model_why(f, below_why);
                below_why = NULL;
            } else if (!cur.sc) {
                if ((w->then = stg_capwhy_new(STG_CAPWHY_BOUND, f->cycle)))
                    w->then->pct = cur.bound;
            } else {
                w->then = peak_why(cur.fleet, cur.sc, lp);
            }
            if (!w->then) {
                stg_capwhy_free(w);
                goto oom_out;
            }
            stg_capwhy_free(lk->binds);
            lk->binds = w;
            lk->method = STG_CAP_NONE;
            cprobe_clear(&cur);
            rc = 0;
            goto out;
        }
        cprobe_clear(&cur);
        if (k < k_hi) {
            k = k_hi;
        } else {
            k = k + step > k_max ? k_max : k + step;
            step *= 2;
        }
    }
    /* downwards from there, doubling the step, until a probe fails */
    for (long step = 1; hi.k - step > lo; step *= 2) {
        if (stopped(x))
            goto stop;
        long k = hi.k - step;
        if (cap_probe(x, lk->part, lp, k, R, &cur))
            goto out;
        if (cur.meets) {
            cprobe_clear(&hi);
            hi = cur;
            memset(&cur, 0, sizeof cur);
            continue;
        }
        lo = k;
        stg_free(below_why);
        below_why = cur.why;
        cur.why = NULL;
        below_cap = (double)k * R;
        cprobe_clear(&cur);
        break;
    }
    /* bisection, nearer the capacity that meets: a probe that meets
     * stops early, one that does not may use its whole time limit */
    while (hi.k - lo > 1) {
        if (stopped(x))
            goto stop;
        long step = (hi.k - lo) / 3;
        long k = hi.k - (step > 0 ? step : 1);
        if (cap_probe(x, lk->part, lp, k, R, &cur))
            goto out;
        if (cur.meets) {
            cprobe_clear(&hi);
            hi = cur;
            memset(&cur, 0, sizeof cur);
        } else {
            lo = k;
            stg_free(below_why);
            below_why = cur.why;
            cur.why = NULL;
            below_cap = (double)k * R;
            cprobe_clear(&cur);
        }
    }
    lk->min_capacity = (double)hi.k * R;
    lk->method = hi.k == k_min && (lk->bound_valid || k_min == rg.k_thr)
                 ? STG_CAP_BOUND : STG_CAP_SEARCHED;
    if (below_why && lo == hi.k - 1) {
        stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_MODEL_AT, f->cycle);
        if (w) {
            w->rate = below_cap;
            w->text = below_why;
            below_why = NULL;
        }
        if (set_why(x, &lk->binds, w))
            goto out;
    } else if (hi.k == rg.k_thr && rg.k_thr > rg.k_bound) {
        stg_capwhy *w = named(STG_CAPWHY_THROTTLE, f,
                              f->computers[rg.thr_computer].name);
        if (w)
            w->rate = rg.max_thr;
        if (set_why(x, &lk->binds, w))
            goto out;
    } else if (set_why(x, &lk->binds, binds_at_minimum(hi.fleet, hi.sc, lp))) {
        goto out;
    }
    rc = 0;
    goto out;
stop:
    lk->method = STG_CAP_STOPPED;
    rc = set_why(x, &lk->binds, stg_capwhy_new(STG_CAPWHY_STOPPED, f->cycle));
    goto out;
oom_out:
    oom(x);
out:
    lk->probes = x->res->probes - probes0;
    stg_free(below_why);
    cprobe_clear(&hi);
    cprobe_clear(&cur);
    return rc;
}

/* ---- growth ----------------------------------------------------------- */

/* Whether the plan breaks a rule other than the headroom. */
static bool broken_any(const stg_eval *e)
{
    for (int i = 0; i < e->nviolations; i++)
        if (e->violations[i].kind != STG_VIOL_HEADROOM)
            return true;
    return false;
}

/* The first rule other than the headroom a plan breaks (NULL: none, or
 * out of memory). */
static stg_capwhy *broken_rule(const stg_fleet *fc, const stg_schedule *sc)
{
    const stg_eval *e = sc->eval;
    for (int i = 0; i < e->nviolations; i++) {
        const stg_violation *v = &e->violations[i];
        if (v->kind == STG_VIOL_HEADROOM)
            continue;
        if (v->kind == STG_VIOL_LAG) {
            stg_capwhy *r = named(STG_CAPWHY_LAG, fc, fc->groups[v->index].name);
            if (r) {
                r->lag = sc->sim->lag[v->index];
                r->max_lag = fc->groups[v->index].max_lag;
            }
            return r;
        }
        if (v->kind == STG_VIOL_CC_WINDOW) {
            stg_capwhy *r = named(STG_CAPWHY_CC_LATE, fc,
                                  fc->groups[v->index].name);
            if (r)
                r->over = (int)v->amount;
            return r;
        }
        return named(STG_CAPWHY_QUEUE, fc, fc->computers[v->index].name);
    }
    return NULL;
}

/* The first rule a planned part breaks, its worst link first, as a
 * reason; NULL when there is none to name, or out of memory (*oom_out
 * set). */
static stg_capwhy *first_broken(const stg_fleet *fc, const stg_schedule *sc,
                                const gprobe *g, bool *oom_out)
{
    *oom_out = false;
    const stg_eval *e = sc->eval;
    int w = e->worst_link, stuck = -1;
    for (int c = 0; c < fc->ncomputers && stuck < 0; c++)
        if (sc->sim->never_idle[c])
            stuck = c;
    stg_capwhy *r = NULL;
    if (stuck >= 0) {
        r = named(STG_CAPWHY_BACKLOG, fc, fc->computers[stuck].name);
    } else if (w >= 0 && e->headroom[w] < fc->headroom - STG_EPS) {
        r = named(STG_CAPWHY_LINK, fc, fc->links[w].name);
        if (r && g->why[w] && !(r->then = stg_capwhy_copy(g->why[w]))) {
            stg_capwhy_free(r);
            r = NULL;
        }
    } else {
        r = broken_rule(fc, sc);
        if (!r && !broken_any(e))
            return NULL;        /* nothing to name */
    }
    *oom_out = r == NULL;
    return r;
}

/* Fills a growth probe from a planned part: each link's headroom, what
 * makes the peak of each link below the limit, and the first broken rule
 * of the part (its worst link first).  Returns -1 when out of memory. */
static int growth_record(gprobe *g, const stg_fleet *fc, const stg_schedule *sc)
{
    int nl = fc->nlinks, rc = -1;
    const stg_eval *e = sc->eval;
    double req = fc->headroom;
    int **list = stg_calloc((size_t)nl + 1, sizeof *list);
    size_t *n = stg_calloc((size_t)nl + 1, sizeof *n);
    size_t *cap = stg_calloc((size_t)nl + 1, sizeof *cap);
    g->headroom = stg_malloc(sizeof *g->headroom * (size_t)(nl + 1));
    g->ok = stg_malloc(sizeof *g->ok * (size_t)(nl + 1));
    g->why = stg_calloc((size_t)nl + 1, sizeof *g->why);
    if (!list || !n || !cap || !g->headroom || !g->ok || !g->why)
        goto out;
    stg_capwhy_free(g->part_why);
    g->part_why = NULL;
    g->planned = true;
    g->all_rules = sc->status != STG_STATUS_VIOLATES;
    for (int l = 0; l < nl; l++) {
        g->headroom[l] = e->headroom[l];
        g->ok[l] = e->headroom[l] >= req - STG_EPS;
    }
    /* one pass over the transfers for every link below the limit */
    for (int i = 0; i < sc->sim->ntransfers; i++) {
        const stg_transfer *tr = &sc->sim->transfers[i];
        const stg_computer *cp = &fc->computers[tr->computer];
        for (int k = 0; k < cp->nfull_path; k++) {
            int l = cp->full_path[k];
            if (e->headroom[l] >= req - STG_EPS ||
                !transfer_in_slot(fc, tr, e->at[l]))
                continue;
            if (stg_grow((void **)&list[l], &cap[l], n[l] + 1, sizeof *list[l]))
                goto out;
            list[l][n[l]++] = i;
        }
    }
    for (int l = 0; l < nl; l++) {
        int c = backlog_on(fc, sc, l);
        if (c >= 0) {
            g->ok[l] = false;
            g->why[l] = named(STG_CAPWHY_BACKLOG, fc, fc->computers[c].name);
            if (!g->why[l])
                goto out;
            continue;
        }
        if (g->ok[l])
            continue;
        g->why[l] = stg_capwhy_new(STG_CAPWHY_PEAK, fc->cycle);
        if (!g->why[l] ||
            !fill_peak(g->why[l], fc, sc->sim, l, e->at[l], list[l], n[l], -1))
            goto out;
    }
    bool no_mem = false;
    if (!g->all_rules && !(g->part_why = first_broken(fc, sc, g, &no_mem)) &&
        no_mem)
        goto out;
    rc = 0;
out:
    for (int l = 0; list && l < nl; l++)
        stg_free(list[l]);
    stg_free(list);
    stg_free(n);
    stg_free(cap);
    return rc;
}

/* The growth probe of part pi at factor k hundredths, from the cache or
 * made now: the scaled part finished and its bounds computed, and planned
 * when plan is set.  Its index in the part's cache, or -1 (cause set). */
static int growth_probe(ctx *x, int pi, int k, const char *label, bool plan)
{
    part *pt = &x->parts[pi];
    int i = -1;
    for (size_t j = 0; j < pt->ncache && i < 0; j++)
        if (pt->cache[j].k == k)
            i = (int)j;
    gprobe *g = i >= 0 ? &pt->cache[i] : NULL;
    if (g && (g->rejected || g->planned || !plan))
        return i;
    stg_schedule *sc = NULL;
    stg_fleet *fc = stg_fleet_copy(pt->fleet);
    int rc = -1;
    if (!fc) {
        oom(x);
        goto out;
    }
    stg_fleet_scale_data(fc, k / (double)GROWTH_STEP);
    if (!g) {
        if (stg_grow((void **)&pt->cache, &pt->cap, pt->ncache + 1,
                     sizeof *pt->cache)) {
            oom(x);
            goto out;
        }
        i = (int)pt->ncache++;
        g = &pt->cache[i];
        memset(g, 0, sizeof *g);
        g->k = k;
        char *why = NULL;
        int r = refinish(fc, &why);
        if (r > 0 && !(g->part_why = model_why(fc, why)))
            r = -1;
        if (r < 0) {
            oom(x);
            goto out;
        }
        g->rejected = r > 0;
        if (!g->rejected) {
            g->bound = stg_calloc((size_t)fc->nlinks + 1, sizeof *g->bound);
            if (!g->bound) {
                oom(x);
                goto out;
            }
            if (fleet_bounds(x, fc, g->bound, &g->thr))
                goto out;
        }
    } else {
        char *why = NULL;       /* accepted before: accepted again */
        int r = refinish(fc, &why);
        stg_free(why);
        if (r < 0) {
            oom(x);
            goto out;
        }
    }
    if (plan && !g->rejected) {
        if (plan_probe(x, fc, "growth", label, EARLY_RULES, &sc))
            goto out;
        if (growth_record(g, fc, sc)) {
            oom(x);
            goto out;
        }
    }
    rc = i;
out:
    stg_schedule_free(sc);
    stg_fleet_free(fc);
    return rc;
}

/* What probe g says of a target (part link lp, or every rule of the part
 * when lp < 0): 0 it breaks (the model rejects the part, or the bound
 * proves the link short -- any link, for every rule), 1 it holds, -1 not
 * known until the probe is planned. */
static int growth_decides(const ctx *x, const part *pt, const gprobe *g,
                          int lp)
{
    double req = x->f->headroom - STG_EPS;
    if (g->rejected)
        return 0;
    for (int l = 0; l < pt->fleet->nlinks; l++)
        if ((lp < 0 || l == lp) && g->bound[l] < req)
            return 0;
    if (!g->planned)
        return -1;
    return lp >= 0 ? g->ok[lp] : g->all_rules;
}

/* What probe g proves of a target without a plan: 0 it breaks (the
 * model rejects the part, or the bound proves the link short -- any
 * link, for every rule), 1 nothing is proven against it. */
static int growth_bound_ok(const ctx *x, const part *pt, const gprobe *g,
                           int lp)
{
    if (g->rejected)
        return 0;
    for (int l = 0; l < pt->fleet->nlinks; l++)
        if ((lp < 0 || l == lp) && g->bound[l] < x->f->headroom - STG_EPS)
            return 0;
    return 1;
}

/* A growth search of one target of a part: the largest factor known to
 * hold (lo) and the smallest known to break above it (hi), in hundredths,
 * -1 while unknown. */
typedef struct {
    int lp;                     /* part link, or -1: every rule */
    const char *label;          /* for progress */
    int lo, hi;
    int first;                  /* planning: the factor to plan first */
    bool planning;              /* the planning phase */
    bool beyond, below, stopped;
    bool proven;                /* the step above the answer breaks for
                                   every schedule (model or bound) */
    stg_capwhy *hi_why;         /* what breaks at hi, from its probe */
    stg_capwhy *binds;
} gtarget;

static bool target_done(const gtarget *t)
{
    return t->beyond || t->below || t->stopped ||
           (t->lo >= 0 && t->hi >= 0 && t->hi - t->lo <= 1);
}

/* The factor a target wants probed next.  Bound phase: 1x first, then
 * doubling up (to the top) or halving down (to 0.01) until it is
 * bracketed, then the middle of its bracket.  Planning phase: the bound
 * phase's answer first; when it breaks, the same from 1x below it.  0
 * when it needs none. */
static int target_next(gtarget *t, int kmax)
{
    if (target_done(t))
        return 0;
    if (t->first && ((t->hi >= 0 && t->first >= t->hi) || t->first <= t->lo))
        t->first = 0;
    if (t->first)
        return t->first;
    if (t->lo < 0 && t->hi < 0)
        return GROWTH_STEP;
    if (t->hi < 0) {
        if (t->lo >= kmax) {
            t->beyond = true;
            return 0;
        }
        return 2 * t->lo < kmax ? 2 * t->lo : kmax;
    }
    if (t->lo < 0) {
        if (t->hi <= 1) {
            t->below = true;
            return 0;
        }
        return t->hi > GROWTH_STEP ? GROWTH_STEP : t->hi / 2;
    }
    /* planning: nearer the factor that holds, whose runs stop early */
    int step = t->planning ? (t->hi - t->lo) / 3 : (t->hi - t->lo) / 2;
    return t->lo + (step > 0 ? step : 1);
}

/* One phase of the search of every target of part pi together: each
 * probe (a factor) is chosen for one target -- bracketing first, then the
 * widest bracket -- and narrows every target whose bracket it falls in
 * and for which it decides.  Phase 0 decides by the model and the bound
 * alone (no planner run); phase 1 plans.  Returns 0, or -1. */
static int growth_phase(ctx *x, int pi, gtarget *t, int nt, int phase)
{
    long km = lround(x->o->growth_max * GROWTH_STEP);
    int kmax = km < GROWTH_STEP + 1 ? GROWTH_STEP + 1 : (int)km;
    part *pt = &x->parts[pi];
    for (;;) {
        int pick = -1, k = 0;
        long width = -1;
        for (int i = 0; i < nt; i++) {
            int want = target_next(&t[i], kmax);
            if (!want)
                continue;
            bool bracketing = t[i].lo < 0 || t[i].hi < 0;
            long w = bracketing ? 1L << 40 : t[i].hi - t[i].lo;
            if (w > width) {
                width = w;
                pick = i;
                k = want;
            }
        }
        if (pick < 0)
            return 0;
        if (stopped(x)) {
            for (int i = 0; i < nt; i++)
                if (!target_done(&t[i]))
                    t[i].stopped = true;
            return 0;
        }
        if (t[pick].first == k)
            t[pick].first = 0;
        int gi = growth_probe(x, pi, k, t[pick].label, false);
        if (gi < 0)
            return -1;
        if (phase == 1 && growth_decides(x, pt, &pt->cache[gi], t[pick].lp) < 0 &&
            (gi = growth_probe(x, pi, k, t[pick].label, true)) < 0)
            return -1;
        pt = &x->parts[pi];
        const gprobe *g = &pt->cache[gi];
        for (int i = 0; i < nt; i++) {
            gtarget *ti = &t[i];
            if (target_done(ti) || (ti->lo >= 0 && k <= ti->lo) ||
                (ti->hi >= 0 && k >= ti->hi))
                continue;
            int r = phase == 0 ? growth_bound_ok(x, pt, g, ti->lp)
                               : growth_decides(x, pt, g, ti->lp);
            if (r > 0) {
                ti->lo = k;
            } else if (r == 0) {
                ti->hi = k;
            }
        }
    }
}

/* Capacity given, in a probe planned for one link, to the part's other
 * links: far out of the way. */
#define OUT_OF_THE_WAY 1e15

/* A copy of fleet pf grown by factor, every auto and unthrottled
 * computer at the throttle thr gives it, every link but lp out of the
 * way; not finished.  NULL when out of memory. */
static stg_fleet *focus_copy(const stg_fleet *pf, double factor,
                             const stg_throttle *thr, int lp)
{
    stg_fleet *fc = stg_fleet_copy(pf);
    if (!fc)
        return NULL;
    stg_fleet_scale_data(fc, factor);
    for (int c = 0; c < fc->ncomputers; c++) {
        stg_throttle *th = &fc->computers[c].throttle;
        if (th->kind == STG_THROTTLE_AUTO || th->kind == STG_THROTTLE_NONE)
            *th = thr[c];
    }
    for (int l = 0; l < fc->nlinks; l++)
        if (l != lp && fc->links[l].capacity < OUT_OF_THE_WAY)
            fc->links[l].capacity = OUT_OF_THE_WAY;
    return fc;
}

int stg_capacity_focus(const stg_fleet *f, int l, double g, stg_fleet **out,
                       char **why)
{
    *out = NULL;
    *why = NULL;
    stg_problem *p = NULL;
    double *bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
    double *target = stg_calloc((size_t)f->nlinks + 1, sizeof *target);
    stg_fleet *grown = stg_fleet_copy(f);
    int rc = -1;
    if (!bound || !target || !grown)
        goto out;
    stg_fleet_scale_data(grown, g);
    if ((rc = refinish(grown, why)) != 0)
        goto out;
    rc = -1;
    if (stg_plan_prepare(grown, NULL, &p, bound, target) ||
        !(*out = focus_copy(f, g, p->settings->throttle, l)))
        goto out;
    if ((rc = refinish(*out, why)) != 0) {
        stg_fleet_free(*out);
        *out = NULL;
    }
out:
    stg_problem_free(p);
    stg_free(bound);
    stg_free(target);
    stg_fleet_free(grown);
    return rc;
}

/* The planner run for link lp of part pi at factor k (probe gi: accepted
 * by the model, the bound not against it) on the part as
 * stg_capacity_focus() makes it: the jobs and throttles of the plain
 * probe, the plan made for lp alone.  *meets as for the plain probe; *why
 * (allocated) what breaks on lp when it does not.  Returns 0, or -1. */
static int focused_probe(ctx *x, int pi, int gi, int lp, const char *label,
                         bool *meets, stg_capwhy **why)
{
    part *pt = &x->parts[pi];
    const gprobe *g = &pt->cache[gi];
    stg_schedule *sc = NULL;
    int rc = -1;
    *meets = false;
    *why = NULL;
    stg_fleet *fc = focus_copy(pt->fleet, g->k / (double)GROWTH_STEP, g->thr,
                               lp);
    if (!fc)
        return oom(x);
    char *text = NULL;
    int r = refinish(fc, &text);
    if (r > 0 && !(*why = model_why(fc, text)))
        r = -1;
    if (r < 0) {
        oom(x);
        goto out;
    }
    if (r == 0) {
        if (plan_probe(x, fc, "growth", label, EARLY_LINKS, &sc))
            goto out;
        int c = backlog_on(fc, sc, lp);
        *meets = c < 0 && sc->eval->headroom[lp] >= x->f->headroom - STG_EPS;
        if (c >= 0)
            *why = named(STG_CAPWHY_BACKLOG, fc, fc->computers[c].name);
        else if (!*meets)
            *why = peak_why(fc, sc, lp);
        if (!*meets && !*why) {
            oom(x);
            goto out;
        }
    }
    rc = 0;
out:
    stg_schedule_free(sc);
    stg_fleet_free(fc);
    return rc;
}

/* The planning phase of one link's search: every probe planned for the
 * link alone (focused_probe), the bound phase's answer first.  Returns 0,
 * or -1 (cause set). */
static int focused_search(ctx *x, int pi, gtarget *t)
{
    long km = lround(x->o->growth_max * GROWTH_STEP);
    int kmax = km < GROWTH_STEP + 1 ? GROWTH_STEP + 1 : (int)km;
    for (;;) {
        int k = target_next(t, kmax);
        if (!k)
            return 0;
        if (stopped(x)) {
            t->stopped = true;
            return 0;
        }
        if (t->first == k)
            t->first = 0;
        int gi = growth_probe(x, pi, k, t->label, false);
        if (gi < 0)
            return -1;
        bool meets = false;
        stg_capwhy *why = NULL;
        if (growth_bound_ok(x, &x->parts[pi], &x->parts[pi].cache[gi], t->lp) &&
            focused_probe(x, pi, gi, t->lp, t->label, &meets, &why))
            return -1;
        if (meets) {
            t->lo = k;
        } else {
            t->hi = k;
            stg_capwhy_free(t->hi_why);
            t->hi_why = why;
            why = NULL;
        }
        stg_capwhy_free(why);
    }
}

/* Searches every target of part pi: first by the model and the bound
 * alone, which brackets each answer from above with a proof; then by
 * planner runs from there down.  Every answer lo and the step above it
 * are probes of the target.  Then the first factor that breaks each
 * target is planned, to say what breaks.  Returns 0, or -1 (cause set). */
static int growth_part(ctx *x, int pi, gtarget *t, int nt)
{
    long km = lround(x->o->growth_max * GROWTH_STEP);
    int kmax = km < GROWTH_STEP + 1 ? GROWTH_STEP + 1 : (int)km;
    if (growth_phase(x, pi, t, nt, 0))
        return -1;
    for (int i = 0; i < nt; i++) {
        gtarget *ti = &t[i];
        if (ti->stopped || ti->below)
            continue;           /* below: proven short at 0.01 already */
        ti->planning = true;
        ti->first = ti->beyond ? kmax : ti->lo;
        ti->hi = ti->beyond ? -1 : ti->hi;
        ti->lo = -1;
        ti->beyond = false;
    }
    for (int i = 0; i < nt; i++)
        if (t[i].lp >= 0 ? focused_search(x, pi, &t[i])
                         : growth_phase(x, pi, &t[i], 1, 1))
            return -1;
    for (int i = 0; i < nt; i++) {
        gtarget *ti = &t[i];
        if (ti->stopped || ti->beyond)
            continue;
        if (ti->below)
            ti->lo = -1;
        if (stopped(x)) {
            ti->stopped = true;
            continue;
        }
        /* the first factor that breaks: what breaks there */
        int gi = growth_probe(x, pi, ti->hi, ti->label, false);
        if (gi < 0)
            return -1;
        const gprobe *g = &x->parts[pi].cache[gi];
        ti->proven = !growth_bound_ok(x, &x->parts[pi], g, ti->lp);
        if (!g->rejected && ti->lp >= 0 && !ti->hi_why) {
            /* proven short by the bound: a plan for it says where */
            bool meets;
            if (focused_probe(x, pi, gi, ti->lp, ti->label, &meets,
                              &ti->hi_why))
                return -1;
        } else if (!g->rejected && ti->lp < 0 &&
                   (gi = growth_probe(x, pi, ti->hi, ti->label, true)) < 0) {
            return -1;
        }
        g = &x->parts[pi].cache[gi];
        const stg_capwhy *why = g->rejected ? g->part_why
                              : ti->lp >= 0 ? ti->hi_why : g->part_why;
        stg_capwhy *w = stg_capwhy_new(STG_CAPWHY_GROWTH, x->f->cycle);
        if (!w)
            return oom(x);
        w->factor = ti->hi / (double)GROWTH_STEP;
        w->rejected = g->rejected;
        if (why)
            w->then = stg_capwhy_copy(why);
        else if (!g->rejected)
            w->then = stg_capwhy_new(STG_CAPWHY_SHORT, x->f->cycle);
        stg_capwhy_free(ti->binds);
        ti->binds = w;
        if ((why || !g->rejected) && !w->then)
            return oom(x);
    }
    return 0;
}
/* Runs the growth searches: every link's on its part (the parts one at
 * a time), and the whole fleet's for every rule.  Returns 0 or -1. */
static int growth_all(ctx *x)
{
    const stg_fleet *f = x->f;
    stg_capacity *res = x->res;
    gtarget *t = stg_calloc((size_t)f->nlinks + 2, sizeof *t);
    int *link_of = stg_calloc((size_t)f->nlinks + 2, sizeof *link_of);
    int rc = -1;
    if (!t || !link_of) {
        oom(x);
        goto out;
    }
    for (int pi = 0; pi < x->nparts; pi++) {
        int nt = 0;
        for (int l = 0; l < f->nlinks; l++) {
            if (!res->links[l].analysed || res->links[l].part != pi)
                continue;
            memset(&t[nt], 0, sizeof t[nt]);
            t[nt].lp = x->parts[pi].part_link[l];
            t[nt].label = f->links[l].name;
            t[nt].lo = t[nt].hi = -1;
            link_of[nt++] = l;
        }
        if (pi == x->whole && res->fleet_growth) {
            memset(&t[nt], 0, sizeof t[nt]);
            t[nt].lp = -1;
            t[nt].lo = t[nt].hi = -1;
            link_of[nt++] = -1;
        }
        if (!nt)
            continue;
        int r = growth_part(x, pi, t, nt);
        for (int i = 0; i < nt; i++) {
            double g = t[i].lo < 0 ? 0 : t[i].lo / (double)GROWTH_STEP;
            if (link_of[i] < 0) {
                res->growth = g;
                res->growth_beyond = t[i].beyond;
                res->growth_below = t[i].below;
                res->growth_stopped = t[i].stopped;
                res->growth_proven = t[i].proven;
                res->growth_binds = t[i].binds;
            } else {
                stg_cap_link *lk = &res->links[link_of[i]];
                lk->growth = g;
                lk->growth_beyond = t[i].beyond;
                lk->growth_below = t[i].below;
                lk->growth_stopped = t[i].stopped;
                lk->growth_proven = t[i].proven;
                lk->growth_binds = t[i].binds;
            }
            t[i].binds = NULL;
            stg_capwhy_free(t[i].hi_why);
            t[i].hi_why = NULL;
        }
        if (r)
            goto out;
    }
    rc = 0;
out:
    stg_free(t);
    stg_free(link_of);
    return rc;
}

/* ---- the whole analysis ----------------------------------------------- */

void stg_capacity_free(stg_capacity *c)
{
    if (!c)
        return;
    for (int l = 0; l < c->nlinks; l++) {
        stg_capwhy_free(c->links[l].binds);
        stg_capwhy_free(c->links[l].growth_binds);
    }
    stg_free(c->links);
    stg_capwhy_free(c->growth_binds);
    stg_free(c);
}

int stg_capacity_run(const stg_fleet *f, const stg_capacity_opts *o,
                     stg_capacity **out, char **cause)
{
    ctx x;
    memset(&x, 0, sizeof x);
    x.f = f;
    x.o = o;
    x.po = o->plan;
    x.stop = o->plan.stop ? o->plan.stop : &x.own_stop;
    x.po.stop = x.stop;
    x.po.progress = probe_progress;
    x.po.progress_arg = &x;
    x.whole = -1;
    x.t0 = stg_now();
    x.cause = cause;
    *cause = NULL;
    int rc = -1;
    stg_schedule *today = NULL, *planned = NULL;
    stg_capacity *res = stg_calloc(1, sizeof *res);
    if (!res)
        return oom(&x);
    x.res = res;
    res->nlinks = f->nlinks;
    res->required = f->headroom;
    res->growth_max = o->growth_max;
    res->links = stg_calloc((size_t)f->nlinks + 1, sizeof *res->links);
    if (!res->links) {
        oom(&x);
        goto out;
    }

    if (stg_evaluate(f, NULL, false, &today, cause) ||
        plan_probe(&x, f, "plan", NULL, EARLY_NEVER, &planned))
        goto out;
    res->meets_today = planned->status != STG_STATUS_VIOLATES;
    for (int l = 0; l < f->nlinks; l++) {
        stg_cap_link *lk = &res->links[l];
        lk->capacity = f->links[l].capacity;
        lk->resolution = stg_capacity_resolution(lk->capacity);
        lk->headroom_today = today->eval->headroom[l];
        lk->headroom_planned = planned->eval->headroom[l];
        lk->analysed = o->link < 0 || o->link == l;
        lk->part = -1;
        if (!lk->analysed)
            continue;
        int count;
        bool *mask = stg_fleet_mask_link(f, l, o->whole_fleet, &count);
        if (!mask) {
            oom(&x);
            goto out;
        }
        if (count == 0) {
            stg_free(mask);
            lk->part = -1;
            continue;
        }
        if ((lk->part = part_for(&x, mask)) < 0) {
            oom(&x);
            goto out;
        }
    }
    res->fleet_growth = !o->skip_growth && o->link < 0;
    if (res->fleet_growth && x.whole < 0) {
        int count;
        bool *mask = stg_fleet_mask_link(f, -1, true, &count);
        if (!mask || part_for(&x, mask) < 0) {
            oom(&x);
            goto out;
        }
    }
    /* the whole fleet at 1x is the plan already made */
    if (x.whole >= 0) {
        part *pt = &x.parts[x.whole];
        if (stg_grow((void **)&pt->cache, &pt->cap, 1, sizeof *pt->cache)) {
            oom(&x);
            goto out;
        }
        gprobe *g = &pt->cache[0];
        memset(g, 0, sizeof *g);
        g->k = GROWTH_STEP;
        pt->ncache = 1;
        g->bound = stg_calloc((size_t)f->nlinks + 1, sizeof *g->bound);
        if (!g->bound) {
            oom(&x);
            goto out;
        }
        if (fleet_bounds(&x, f, g->bound, &g->thr))
            goto out;
        if (growth_record(g, f, planned)) {
            oom(&x);
            goto out;
        }
    }

    for (int l = 0; l < f->nlinks; l++)
        if (res->links[l].analysed && capacity_search(&x, l, planned))
            goto out;
    if (!o->skip_growth && growth_all(&x))
        goto out;
    res->stopped |= stopped(&x);
    res->nparts = x.nparts;
    res->seconds = stg_now() - x.t0;
    *out = res;
    res = NULL;
    rc = 0;
out:
    for (int i = 0; i < x.nparts; i++)
        part_free(&x.parts[i]);
    stg_free(x.parts);
    stg_schedule_free(today);
    stg_schedule_free(planned);
    stg_capacity_free(res);
    return rc;
}
