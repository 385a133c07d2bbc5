/* stagger: why a link cannot keep the limit, and the smallest changes
 * that let it (see advise.h, docs/advice.md). */
#include "advise.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "clock.h"
#include "model/alloc.h"
#include "model/fleet_copy.h"
#include "model/settings.h"
#include "part.h"
#include "pool.h"
#include "trace.h"

/* Reasons kept per link. */
#define MAX_WHY 6
/* Candidate changes tried per link, and probes per link at most. */
#define MAX_CANDIDATES 40
#define MAX_PROBES 60
/* Non-meeting sets carried to the next depth. */
#define BEAM 2

/* Sync periods, shortest first: a longer one is the next in the list. */
static const int periods[] = {
    15 * 60, 30 * 60, 3600, 2 * 3600, 4 * 3600, 6 * 3600, 12 * 3600, STG_DAY
};
/* Express-full and check-window moves tried, seconds. */
static const int ef_shifts[] = { 2 * 3600, -2 * 3600, 4 * 3600, -4 * 3600, 8 * 3600 };
static const int cc_shifts[] = { 2 * 3600, -2 * 3600, 4 * 3600, -4 * 3600 };

void stg_advise_opts_init(stg_advise_opts *o)
{
    memset(o, 0, sizeof *o);
    stg_plan_opts_init(&o->plan);
    o->plan.time_limit = 60;
    o->probe_limit = 2;
    o->max_changes = 3;
    o->alternatives = 3;
    o->fleet_sets = 2;
}

typedef struct {
    const stg_fleet *f;
    const stg_schedule *sc;
    const stg_advise_opts *o;
    stg_advice *a;
    char **cause;               /* per advice link */
    int *rc;
    pthread_mutex_t lock;
    int done;
    double t0;
} ctx;

static void set_free(stg_change_set *s)
{
    stg_free(s->changes);
    stg_free(s->link);
    stg_free(s->before);
    stg_free(s->after);
    memset(s, 0, sizeof *s);
}

void stg_advice_free(stg_advice *a)
{
    if (!a)
        return;
    for (int i = 0; i < a->nlinks; i++) {
        stg_advice_link *al = &a->links[i];
        stg_free(al->why);
        for (int k = 0; k < al->nsets; k++)
            set_free(&al->sets[k]);
        stg_free(al->sets);
    }
    stg_free(a->links);
    for (int k = 0; k < a->nfleet; k++)
        set_free(&a->fleet[k]);
    stg_free(a->fleet);
    stg_free(a);
}

static bool stopped(const ctx *x)
{
    return x->o->plan.stop && *x->o->plan.stop;
}

/* --- why ------------------------------------------------------------------ */

/* The highest rate computer c's throttle reaches (bps). */
static double top_rate(const stg_throttle *th)
{
    if (th->kind == STG_THROTTLE_WORK)
        return th->work > th->other ? th->work : th->other;
    return th->rate;
}

/* A decision's transfer as a reason's job: the computer behind link l
 * that sends it (-1 when several do: a group's), its rate and lone
 * duration there. */
static stg_why_job why_job(const stg_problem *p, int d, int l)
{
    const stg_fleet *f = p->fleet;
    const stg_decision *dc = &p->dec[d];
    stg_why_job j;
    memset(&j, 0, sizeof j);
    j.group = dc->group;
    j.computer = -2;
    j.job = dc->kind;
    j.period = dc->kind == STG_DEC_SYNC ? f->groups[dc->group].sync_every : 0;
    for (int k = 0; k < dc->njobs; k++) {
        int c = dc->jobs[k].computer;
        if (!stg_computer_crosses(&f->computers[c], l))
            continue;
        bool seen = false;
        for (int i = 0; i < k && !seen; i++)
            seen = dc->jobs[i].computer == c &&
                   stg_computer_crosses(&f->computers[c], l);
        if (seen)
            continue;
        j.computer = j.computer == -2 ? c : -1;
        j.rate += top_rate(&p->settings->throttle[c]);
        int len = stg_problem_duration(p, c,
                                       stg_problem_job_slot(p, d, dc->current, k),
                                       dc->jobs[k].volume_lb) * p->res;
        if (len > j.duration)
            j.duration = len;
    }
    if (j.computer == -2)
        j.computer = -1;
    return j;
}

/* The number of computers behind l that decision d's jobs run on. */
static int computers_behind(const stg_problem *p, int d, int l)
{
    const stg_decision *dc = &p->dec[d];
    int n = 0;
    for (int k = 0; k < dc->ncomputers; k++)
        n += stg_computer_crosses(&p->fleet->computers[dc->computers[k]], l);
    return n;
}

static stg_why why_of(const stg_problem *p, int l, const stg_proof *pr,
                      double allowed)
{
    stg_why w;
    memset(&w, 0, sizeof w);
    w.load = pr->load;
    w.allowed = allowed;
    w.server = -1;
    w.a.computer = w.b.computer = -1;
    w.a.group = w.b.group = -1;
    switch (pr->kind) {
    case STG_PROOF_BACKGROUND:
        w.kind = STG_WHY_BACKGROUND;
        w.at = pr->slot * p->res;
        break;
    case STG_PROOF_ONE:
        w.a = why_job(p, pr->d1, l);
        w.ncomputers = computers_behind(p, pr->d1, l);
        w.kind = w.ncomputers >= 2 ? STG_WHY_GROUP : STG_WHY_ALONE;
        break;
    case STG_PROOF_PAIR: {
        w.a = why_job(p, pr->d1, l);
        w.b = why_job(p, pr->d2, l);
        bool a_sync = w.a.job == STG_DEC_SYNC, b_sync = w.b.job == STG_DEC_SYNC;
        if ((a_sync && w.b.duration >= w.a.period) ||
            (b_sync && w.a.duration >= w.b.period)) {
            w.kind = STG_WHY_LONGER;
            if (!(b_sync && w.a.duration >= w.b.period)) {
                stg_why_job t = w.a;    /* a: the longer transfer */
                w.a = w.b;
                w.b = t;
            }
        } else if (!a_sync && !b_sync) {
            w.kind = STG_WHY_PINNED;
        } else {
            w.kind = STG_WHY_OVERLAP;
        }
        break;
    }
    }
    return w;
}

/* The reasons for link l (allowed: the load the limit leaves). */
static int why_link(const stg_problem *p, const stg_schedule *sc, int l,
                    double allowed, stg_advice_link *al)
{
    const stg_fleet *f = p->fleet;
    stg_proof pr[MAX_WHY];
    int n = 0;
    if (stg_bound_proofs(p, l, allowed, pr, MAX_WHY - 1, &n))
        return -1;
    al->why = stg_calloc(MAX_WHY + 1, sizeof *al->why);
    if (!al->why)
        return -1;
    for (int i = 0; i < n; i++)
        al->why[al->nwhy++] = why_of(p, l, &pr[i], allowed);
    /* the background first: nothing on top of it matters then */
    for (int i = 1; i < al->nwhy; i++)
        if (al->why[i].kind == STG_WHY_BACKGROUND) {
            stg_why w = al->why[i];
            memmove(&al->why[1], &al->why[0], sizeof w * (size_t)i);
            al->why[0] = w;
            break;
        }
    /* waits for max_jobs, from the schedule */
    for (int c = 0; c < f->ncomputers; c++) {
        if (!stg_computer_crosses(&f->computers[c], l) || !sc->sim->waited[c] ||
            f->computers[c].server < 0)
            continue;
        stg_why *w = &al->why[al->nwhy++];
        memset(w, 0, sizeof *w);
        w->kind = STG_WHY_WAITS;
        w->server = f->computers[c].server;
        w->allowed = allowed;
        w->load = (1 - sc->eval->headroom[l]) * f->links[l].capacity;
        w->a.computer = c;
        w->a.group = w->b.group = -1;
        w->b.computer = -1;
        break;
    }
    if (al->nwhy == 0) {
        stg_why *w = &al->why[al->nwhy++];
        memset(w, 0, sizeof *w);
        w->kind = STG_WHY_UNPROVEN;
        w->proven = sc->link_bound &&
                    sc->link_bound[l] <= sc->eval->headroom[l] + STG_SAME;
        w->allowed = allowed;
        w->load = (1 - sc->eval->headroom[l]) * f->links[l].capacity;
        w->server = -1;
        w->a.computer = w->b.computer = -1;
        w->a.group = w->b.group = -1;
    }
    return 0;
}

/* --- candidates ------------------------------------------------------------ */

typedef struct {
    stg_change *c;
    int n, cap;
} clist;

static int add(clist *cl, stg_change ch)
{
    for (int i = 0; i < cl->n; i++) {
        const stg_change *o = &cl->c[i];
        if (o->kind == ch.kind && o->target == ch.target &&
            o->shift == ch.shift && o->every == ch.every &&
            o->server == ch.server && o->capacity == ch.capacity &&
            stg_throttle_same(&o->throttle, &ch.throttle))
            return 0;
    }
    if (cl->n == MAX_CANDIDATES)
        return 0;
    if (cl->n == cl->cap) {
        int cap = cl->cap ? 2 * cl->cap : 16;
        stg_change *nc = stg_realloc(cl->c, sizeof *nc * (size_t)cap);
        if (!nc)
            return -1;
        cl->c = nc;
        cl->cap = cap;
    }
    cl->c[cl->n++] = ch;
    return 0;
}

/* A change of group g's (a split, a shift of its express fulls or check
 * window, a new sync period) added to cl. */
static int add_group(clist *cl, stg_change_kind kind, int g, int shift, int every)
{
    stg_change ch;
    memset(&ch, 0, sizeof ch);
    ch.kind = kind;
    ch.target = g;
    ch.shift = shift;
    ch.every = every;
    return add(cl, ch);
}

/* A rate rounded up to three significant digits. */
static double round_up3(double v)
{
    if (v <= 0)
        return v;
    double e = pow(10, floor(log10(v)) - 2);
    return ceil(v / e - 1e-9) * e;
}

/* A throttle of computer c lowered by excess bps (never below what moves
 * its volume in half the cycle); 0 when it would not be lower. */
static int throttle_change(const ctx *x, int c, double excess, stg_change *out)
{
    const stg_throttle *th = &x->sc->settings->throttle[c];
    /* what moves its volume in 80% of the cycle (the recommendation's
     * floor, stg_throttle_floor(), is half of it) */
    double r = top_rate(th), floor_rate = stg_throttle_floor(x->f, c) / 2 / 0.8;
    double nr = stg_rate_round_down(r - excess);
    if (nr < floor_rate)
        nr = round_up3(floor_rate);
    if (!(nr < r * 0.999) || nr <= 0)
        return 0;
    memset(out, 0, sizeof *out);
    out->kind = STG_CHANGE_THROTTLE;
    out->target = c;
    out->throttle.kind = STG_THROTTLE_RATE;
    out->throttle.rate = nr;
    out->throttle.shift = x->f->computers[c].throttle.shift;
    return 1;
}

/* Where link l has office-hours background (the entry of the highest
 * rate that covers part of the cycle only), computer c's throttle as a
 * work/other pair: lowered by excess in those hours, as today outside
 * them; 0 when there is none. */
static int work_change(const ctx *x, int l, int c, double excess, stg_change *out)
{
    const stg_link *lk = &x->f->links[l];
    const stg_timed_rate *best = NULL;
    for (int i = 0; i < lk->nbackground; i++) {
        const stg_timed_rate *b = &lk->background[i];
        if (b->rate > 0 && b->from != b->to && (!best || b->rate > best->rate))
            best = b;
    }
    stg_change rate;
    if (!best || !throttle_change(x, c, excess, &rate))
        return 0;
    double r = top_rate(&x->sc->settings->throttle[c]);
    memset(out, 0, sizeof *out);
    out->kind = STG_CHANGE_THROTTLE;
    out->target = c;
    out->throttle.kind = STG_THROTTLE_WORK;
    out->throttle.work = rate.throttle.rate;
    out->throttle.other = r;
    out->throttle.has_hours = true;
    out->throttle.hours_from = best->from;
    out->throttle.hours_to = best->to;
    out->throttle.days = best->days ? best->days : STG_DAILY;
    /* the link's hours are on the servers' clock, a throttle's on its
     * computer's */
    out->throttle.shift = x->f->computers[c].throttle.shift;
    stg_window_shift(out->throttle.shift, &out->throttle.hours_from,
                     &out->throttle.hours_to, &out->throttle.days);
    return 1;
}

/* The computers of group g behind link l. */
static int group_computers_behind(const stg_fleet *f, int g, int l, int *out, int max)
{
    int n = 0;
    for (int i = 0; i < f->groups[g].nsources && n < max; i++) {
        int c = f->sources[f->groups[g].sources[i]].computer;
        bool seen = false;
        for (int k = 0; k < n && !seen; k++)
            seen = out[k] == c;
        if (!seen && stg_computer_crosses(&f->computers[c], l))
            out[n++] = c;
    }
    return n;
}

static int group_ncomputers(const stg_fleet *f, int g)
{
    int n = 0;
    for (int i = 0; i < f->groups[g].nsources; i++) {
        int c = f->sources[f->groups[g].sources[i]].computer;
        bool seen = false;
        for (int k = 0; k < i && !seen; k++)
            seen = f->sources[f->groups[g].sources[k]].computer == c;
        n += !seen;
    }
    return n;
}

/* The changes a reason's job suggests. */
static int job_candidates(const ctx *x, int l, const stg_why_job *j,
                          double excess, clist *cl)
{
    const stg_fleet *f = x->f;
    const stg_advise_opts *o = x->o;
    if (j->group < 0)
        return 0;
    const stg_group *g = &f->groups[j->group];
    stg_change ch;
    if (!o->keep_throttles) {
        int comp[16];
        int n = group_computers_behind(f, j->group, l, comp, 16);
        for (int i = 0; i < n; i++) {
            if (throttle_change(x, comp[i], excess, &ch) && add(cl, ch))
                return -1;
            if (work_change(x, l, comp[i], excess, &ch) && add(cl, ch))
                return -1;
        }
    }
    if (!o->keep_groups && group_ncomputers(f, j->group) >= 2 &&
        add_group(cl, STG_CHANGE_SPLIT, j->group, 0, 0))
        return -1;
    if (j->job == STG_DEC_EF && g->nef > 0)
        for (size_t i = 0; i < sizeof ef_shifts / sizeof *ef_shifts; i++)
            if (add_group(cl, STG_CHANGE_EXPRESS_FULL, j->group, ef_shifts[i], 0))
                return -1;
    if (j->job == STG_DEC_CC && g->has_cc)
        for (size_t i = 0; i < sizeof cc_shifts / sizeof *cc_shifts; i++)
            if (add_group(cl, STG_CHANGE_CHECK, j->group, cc_shifts[i], 0))
                return -1;
    if (!o->keep_frequency && j->job == STG_DEC_SYNC && g->sync_every > 0)
        for (size_t i = 0; i < sizeof periods / sizeof *periods; i++)
            if (periods[i] > g->sync_every && periods[i] <= f->cycle &&
                periods[i] % g->sync_every == 0)
                return add_group(cl, STG_CHANGE_SYNC_EVERY, j->group, 0,
                                 periods[i]);
    return 0;
}

/* Another DPM server for group g: the first whose max_jobs cannot make
 * its computers wait with g's added; -1 when none. */
static int other_server(const stg_fleet *f, int g)
{
    int sv = f->groups[g].server, add_n = group_ncomputers(f, g);
    for (int s = 0; s < f->nservers; s++) {
        if (s == sv)
            continue;
        int n = 0;
        for (int c = 0; c < f->ncomputers; c++)
            n += f->computers[c].server == s;
        if (f->servers[s].max_jobs == 0 || n + add_n <= f->servers[s].max_jobs)
            return s;
    }
    return -1;
}

/* Every candidate change for link l of advice al, in order of rank. */
static int candidates(const ctx *x, const stg_advice_link *al, clist *cl)
{
    const stg_fleet *f = x->f;
    int l = al->link;
    double cap = f->links[l].capacity;
    double allowed = (1 - f->headroom) * cap;
    double peak = (1 - al->headroom) * cap;
    for (int i = 0; i < al->nwhy; i++) {
        const stg_why *w = &al->why[i];
        /* a throttle takes off what this reason puts above the room */
        double excess = w->load - allowed;
        if (job_candidates(x, l, &w->a, excess, cl) ||
            job_candidates(x, l, &w->b, excess, cl))
            return -1;
        if (w->kind == STG_WHY_WAITS && !x->o->keep_groups) {
            for (int g = 0; g < f->ngroups; g++) {
                int comp[2];
                if (f->groups[g].server != w->server ||
                    !group_computers_behind(f, g, l, comp, 1))
                    continue;
                int sv = other_server(f, g);
                if (sv < 0)
                    break;
                stg_change ch;
                memset(&ch, 0, sizeof ch);
                ch.kind = STG_CHANGE_SERVER;
                ch.target = g;
                ch.server = sv;
                if (add(cl, ch))
                    return -1;
                break;
            }
        }
    }
    /* no reason named a transfer: the computers behind the link with the
     * highest throttles */
    if (cl->n == 0 && !x->o->keep_throttles) {
        for (int k = 0; k < 4; k++) {
            int best = -1;
            for (int c = 0; c < f->ncomputers; c++) {
                if (!stg_computer_crosses(&f->computers[c], l))
                    continue;
                bool have = false;
                for (int i = 0; i < cl->n && !have; i++)
                    have = cl->c[i].target == c;
                if (!have && (best < 0 ||
                              top_rate(&x->sc->settings->throttle[c]) >
                              top_rate(&x->sc->settings->throttle[best])))
                    best = c;
            }
            stg_change ch;
            if (best >= 0 && throttle_change(x, best, peak - allowed, &ch) &&
                add(cl, ch))
                return -1;
        }
    }
    if (!x->o->keep_capacity) {
        stg_change ch;
        memset(&ch, 0, sizeof ch);
        ch.kind = STG_CHANGE_CAPACITY;
        ch.target = l;
        ch.capacity = round_up3(peak / (1 - f->headroom));
        if (ch.capacity > cap && add(cl, ch))
            return -1;
    }
    return 0;
}

/* --- probes ---------------------------------------------------------------- */

/* A plan of the part of a fleet that can affect link l. */
typedef struct {
    bool refused;               /* the model rejects the changed fleet */
    int nlinks;
    int *link;                  /* fleet indices of its links */
    double *headroom;
    int lag;                    /* longest sync lag behind l, seconds */
    int other_rules;            /* rules broken other than headroom */
} probe;

static void probe_free(probe *pr)
{
    stg_free(pr->link);
    stg_free(pr->headroom);
    memset(pr, 0, sizeof *pr);
}

static double probe_at(const probe *pr, int l);

static int probe_run(ctx *x, int l, const stg_change *ch, int n, probe *out)
{
    const stg_fleet *f = x->f;
    char err[300];
    memset(out, 0, sizeof *out);
    stg_fleet *fc = stg_fleet_changed(f, ch, n, err, sizeof err);
    if (!fc) {
        out->refused = err[0] != '\0';
        return out->refused ? 0 : -1;
    }
    /* the computers behind l alone: a probe is quick, and the whole
     * fleet's plan of the sets (fleet_set) answers for the servers they
     * share with computers elsewhere */
    int count = 0, rc = -1;
    bool *mask = stg_calloc((size_t)fc->ncomputers + 1, sizeof *mask);
    for (int c = 0; mask && c < fc->ncomputers; c++)
        count += mask[c] = stg_computer_crosses(&fc->computers[c], l);
    int *link_of = stg_malloc(sizeof *link_of * (size_t)(fc->nlinks + 1));
    stg_fleet *sub = mask && link_of ? stg_fleet_subset(fc, mask, link_of, NULL, NULL)
                                     : NULL;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    if (!sub)
        goto out;
    stg_plan_opts po = x->o->plan;
    po.time_limit = x->o->probe_limit;
    po.threads = 1;
    po.progress = NULL;
    po.parts = NULL;
    po.focus_link = -1;
    for (int k = 0; k < sub->nlinks; k++)
        if (link_of[k] == l)
            po.focus_link = k;
    if (stg_plan(sub, &po, &sc, &cause))
        goto out;
    pthread_mutex_lock(&x->lock);
    x->a->probes++;
    pthread_mutex_unlock(&x->lock);
    out->nlinks = sub->nlinks;
    out->link = stg_malloc(sizeof *out->link * (size_t)(sub->nlinks + 1));
    out->headroom = stg_malloc(sizeof *out->headroom * (size_t)(sub->nlinks + 1));
    if (!out->link || !out->headroom)
        goto out;
    for (int k = 0; k < sub->nlinks; k++) {
        out->link[k] = link_of[k];
        out->headroom[k] = sc->eval->headroom[k];
    }
    /* the lag of the groups behind l */
    for (int g = 0; g < sub->ngroups && po.focus_link >= 0; g++) {
        bool behind = false;
        for (int i = 0; i < sub->groups[g].nsources && !behind; i++)
            behind = stg_computer_crosses(
                &sub->computers[sub->sources[sub->groups[g].sources[i]].computer],
                po.focus_link);
        if (behind && sc->sim->lag[g] > out->lag)
            out->lag = sc->sim->lag[g];
    }
    stg_trace("advise %s: %d changes (first: kind %d target %d): %.4f, lag %d, "
              "%d other rules, %d computers", f->links[l].name, n,
              n ? (int)ch[0].kind : -1, n ? ch[0].target : -1, probe_at(out, l),
              out->lag, out->other_rules, count);
    for (int i = 0; i < sc->eval->nviolations; i++)
        out->other_rules += sc->eval->violations[i].kind != STG_VIOL_HEADROOM;
    rc = 0;
out:
    if (rc && !cause)
        cause = stg_strdup("out of memory");
    if (rc)
        probe_free(out);
    stg_free(cause);            /* a probe that fails is a candidate lost */
    stg_schedule_free(sc);
    stg_fleet_free(sub);
    stg_fleet_free(fc);
    stg_free(mask);
    stg_free(link_of);
    return rc;
}

static double probe_at(const probe *pr, int l)
{
    for (int k = 0; k < pr->nlinks; k++)
        if (pr->link[k] == l)
            return pr->headroom[k];
    return NAN;
}

/* Whether the changed plan keeps link l at the limit and takes no other
 * link of the part below the limit or below where it was. */
static bool probe_meets(const ctx *x, int l, const probe *base, const probe *pr)
{
    double req = x->f->headroom;
    if (pr->refused || !(probe_at(pr, l) >= req - STG_SAME) ||
        pr->other_rules > base->other_rules)
        return false;
    for (int k = 0; k < pr->nlinks; k++) {
        double was = probe_at(base, pr->link[k]);
        double need = isnan(was) || was > req ? req : was;
        if (pr->headroom[k] < need - STG_SAME) {
            stg_trace("advise %s: %s %.4f -> %.4f", x->f->links[l].name,
                      x->f->links[pr->link[k]].name, was, pr->headroom[k]);
            return false;
        }
    }
    return true;
}

/* --- sets ------------------------------------------------------------------ */

static int rank_sum(const stg_change_set *s)
{
    int r = 0;
    for (int i = 0; i < s->nchanges; i++)
        r += stg_change_rank(s->changes[i].kind);
    return r;
}

static bool widens(const stg_change_set *s)
{
    for (int i = 0; i < s->nchanges; i++)
        if (s->changes[i].kind == STG_CHANGE_CAPACITY)
            return true;
    return false;
}

static double set_after(const stg_change_set *s)
{
    return s->nlinks > 0 ? s->after[0] : -INFINITY;
}

/* The data protection a set gives up: its less frequent syncs, then
 * the sync lag it adds, in minutes. */
static int protection_lost(const stg_change_set *s)
{
    int n = 0;
    for (int i = 0; i < s->nchanges; i++)
        n += s->changes[i].kind == STG_CHANGE_SYNC_EVERY;
    int lag = s->lag_after - s->lag_before;
    return n * 100000 + (lag > 0 ? lag / 60 : 0);
}

/* Best first: meets; capacity last; fewer changes; less protection
 * lost; kinds that disturb less; more headroom on the link. */
static int set_cmp(const void *pa, const void *pb)
{
    const stg_change_set *a = pa, *b = pb;
    if (a->meets != b->meets)
        return a->meets ? -1 : 1;
    if (a->meets && widens(a) != widens(b))
        return widens(a) ? 1 : -1;
    if (a->meets && a->nchanges != b->nchanges)
        return a->nchanges - b->nchanges;
    if (a->meets && protection_lost(a) != protection_lost(b))
        return protection_lost(a) - protection_lost(b);
    if (a->meets && rank_sum(a) != rank_sum(b))
        return rank_sum(a) - rank_sum(b);
    double x = set_after(a), y = set_after(b);
    return (x < y) - (x > y);
}

/* A set from changes ch (n) and its probe against the base probe: the
 * links it touches are l first, then those whose headroom moved. */
static int set_make(const ctx *x, int l, const stg_change *ch, int n,
                    const probe *base, const probe *pr, stg_change_set *s)
{
    memset(s, 0, sizeof *s);
    s->changes = stg_malloc(sizeof *s->changes * (size_t)(n + 1));
    s->link = stg_malloc(sizeof *s->link * (size_t)(pr->nlinks + 1));
    s->before = stg_malloc(sizeof *s->before * (size_t)(pr->nlinks + 1));
    s->after = stg_malloc(sizeof *s->after * (size_t)(pr->nlinks + 1));
    if (!s->changes || !s->link || !s->before || !s->after) {
        set_free(s);
        return -1;
    }
    memcpy(s->changes, ch, sizeof *ch * (size_t)n);
    s->nchanges = n;
    s->link[0] = l;
    s->before[0] = probe_at(base, l);
    s->after[0] = probe_at(pr, l);
    s->nlinks = 1;
    for (int k = 0; k < pr->nlinks; k++) {
        int L = pr->link[k];
        double was = probe_at(base, L);
        if (L == l || isnan(was) || fabs(was - pr->headroom[k]) < 0.0005)
            continue;
        s->link[s->nlinks] = L;
        s->before[s->nlinks] = was;
        s->after[s->nlinks] = pr->headroom[k];
        s->nlinks++;
    }
    s->lag_before = base->lag;
    s->lag_after = pr->lag;
    s->rules_before = base->other_rules;
    s->rules_after = pr->other_rules;
    s->meets = probe_meets(x, l, base, pr);
    return 0;
}

static int sets_push(stg_advice_link *al, int *cap, stg_change_set *s)
{
    if (al->nsets == *cap) {
        int nc = *cap ? 2 * *cap : 8;
        stg_change_set *ns = stg_realloc(al->sets, sizeof *ns * (size_t)nc);
        if (!ns)
            return -1;
        al->sets = ns;
        *cap = nc;
    }
    al->sets[al->nsets++] = *s;
    memset(s, 0, sizeof *s);
    return 0;
}

/* Whether change c may join set s: not the same thing changed twice. */
static bool compatible(const stg_change_set *s, const stg_change *c)
{
    for (int i = 0; i < s->nchanges; i++)
        if (s->changes[i].kind == c->kind && s->changes[i].target == c->target)
            return false;
    return true;
}

/* A set that meets, whose last change is a throttle or a capacity: the
 * throttle as high, the capacity as low as still meets, between the
 * change and today's value (two halvings). */
static int refine(ctx *x, int l, const probe *base, stg_change_set *s)
{
    stg_change *last = &s->changes[s->nchanges - 1];
    double lo, hi;              /* lo meets */
    bool work = last->kind == STG_CHANGE_THROTTLE &&
                last->throttle.kind == STG_THROTTLE_WORK;
    if (last->kind == STG_CHANGE_THROTTLE) {
        lo = work ? last->throttle.work : last->throttle.rate;
        hi = top_rate(&x->sc->settings->throttle[last->target]);
    } else if (last->kind == STG_CHANGE_CAPACITY) {
        lo = last->capacity;
        hi = x->f->links[last->target].capacity;
    } else {
        return 0;
    }
    for (int step = 0; step < 2 && !stopped(x); step++) {
        double mid = last->kind == STG_CHANGE_THROTTLE
                     ? stg_rate_round_down((lo + hi) / 2)
                     : round_up3((lo + hi) / 2);
        if (fabs(mid - lo) <= lo * 0.001 || fabs(mid - hi) <= hi * 0.001)
            break;
        stg_change *ch = stg_malloc(sizeof *ch * (size_t)s->nchanges);
        if (!ch)
            return -1;
        memcpy(ch, s->changes, sizeof *ch * (size_t)s->nchanges);
        if (work)
            ch[s->nchanges - 1].throttle.work = mid;
        else if (last->kind == STG_CHANGE_THROTTLE)
            ch[s->nchanges - 1].throttle.rate = mid;
        else
            ch[s->nchanges - 1].capacity = mid;
        probe pr;
        if (probe_run(x, l, ch, s->nchanges, &pr)) {
            stg_free(ch);
            return -1;
        }
        if (probe_meets(x, l, base, &pr)) {
            stg_change_set ns;
            int rc = set_make(x, l, ch, s->nchanges, base, &pr, &ns);
            probe_free(&pr);
            stg_free(ch);
            if (rc)
                return -1;
            set_free(s);
            *s = ns;
            last = &s->changes[s->nchanges - 1];
            lo = mid;
        } else {
            probe_free(&pr);
            stg_free(ch);
            hi = mid;
        }
    }
    return 0;
}

/* The computers behind l of a reason's job (at most max). */
static int job_computers(const stg_fleet *f, int l, const stg_why_job *j,
                         int *out, int n, int max)
{
    if (j->group < 0)
        return n;
    int comp[16];
    int k = group_computers_behind(f, j->group, l, comp, 16);
    for (int i = 0; i < k && n < max; i++) {
        if (j->computer >= 0 && comp[i] != j->computer)
            continue;
        bool seen = false;
        for (int m = 0; m < n && !seen; m++)
            seen = out[m] == comp[i];
        if (!seen)
            out[n++] = comp[i];
    }
    return n;
}

/* Throttles of every computer of reason w lowered in proportion, so
 * that together they fit the room it leaves over the rest of its load
 * (a pair or a group's jobs: one change per computer).  n changes into
 * ch (room for 16); 0 when there is nothing to lower. */
static int bundle(const ctx *x, int l, const stg_why *w, stg_change *ch)
{
    const stg_fleet *f = x->f;
    int comp[16], nc = job_computers(f, l, &w->a, comp, 0, 16);
    nc = job_computers(f, l, &w->b, comp, nc, 16);
    double sum = 0, rest;
    if (w->kind == STG_WHY_UNPROVEN) {
        /* many transfers together: every computer behind the link (at
         * most 16), the background peak as the rest */
        nc = 0;
        for (int c = 0; c < f->ncomputers && nc < 16; c++)
            if (stg_computer_crosses(&f->computers[c], l))
                comp[nc++] = c;
        rest = 0;
        for (int i = 0; i < f->links[l].nbackground; i++)
            if (f->links[l].background[i].rate > rest)
                rest = f->links[l].background[i].rate;
    } else {
        rest = w->load - (w->a.rate + w->b.rate);       /* the background */
    }
    if (nc < 2)
        return 0;
    for (int i = 0; i < nc; i++)
        sum += top_rate(&x->sc->settings->throttle[comp[i]]);
    double k = (w->allowed - (rest > 0 ? rest : 0)) / sum;
    if (!(k > 0 && k < 1))
        return 0;
    int n = 0;
    for (int i = 0; i < nc; i++) {
        double r = top_rate(&x->sc->settings->throttle[comp[i]]);
        if (throttle_change(x, comp[i], r * (1 - k), &ch[n]))
            n++;
    }
    return n;
}

/* Whether set a's every change (kind and target) is in b. */
static bool within(const stg_change_set *a, const stg_change_set *b)
{
    for (int i = 0; i < a->nchanges; i++)
        if (compatible(b, &a->changes[i]))
            return false;
    return true;
}

/* Drops the sets that meet with another set's changes and more. */
static void drop_supersets(stg_advice_link *al)
{
    int m = 0;
    for (int i = 0; i < al->nsets; i++) {
        bool drop = false;
        for (int k = 0; k < al->nsets && !drop; k++)
            drop = k != i && al->sets[k].meets && al->sets[i].meets &&
                   al->sets[k].nchanges < al->sets[i].nchanges &&
                   within(&al->sets[k], &al->sets[i]);
        if (drop)
            set_free(&al->sets[i]);
        else
            al->sets[m++] = al->sets[i];
    }
    al->nsets = m;
}

/* The change sets for one link: every candidate alone, then the best
 * that fall short, each with one more candidate, up to max_changes. */
static int search_link(ctx *x, stg_advice_link *al)
{
    int l = al->link, cap = 0, rc = -1, probes = 0;
    clist cl = { NULL, 0, 0 };
    probe base;
    memset(&base, 0, sizeof base);
    stg_change_set *front = NULL, *next = NULL;
    int nfront = 1, nnext = 0;
    if (candidates(x, al, &cl) || probe_run(x, l, NULL, 0, &base))
        goto out;
    if (base.refused)
        goto done;
    if (!x->o->keep_throttles)
        for (int i = 0; i < al->nwhy && !stopped(x); i++) {
            stg_change ch[16];
            int n = bundle(x, l, &al->why[i], ch);
            if (n < 2 || n > x->o->max_changes)
                continue;
            probe pr;
            stg_change_set s;
            memset(&s, 0, sizeof s);
            int prc = probe_run(x, l, ch, n, &pr);
            probes++;
            if (!prc && !pr.refused)
                prc = set_make(x, l, ch, n, &base, &pr, &s);
            probe_free(&pr);
            if (prc)
                goto out;
            if (s.meets) {
                if (sets_push(al, &cap, &s)) {
                    set_free(&s);
                    goto out;
                }
            } else {
                set_free(&s);
            }
        }
    front = stg_calloc(BEAM + 1, sizeof *front);  /* [0]: the empty set */
    next = stg_calloc((size_t)cl.n * (size_t)(BEAM + 1) + 1, sizeof *next);
    if (!front || !next)
        goto out;
    for (int depth = 1; depth <= x->o->max_changes; depth++) {
        nnext = 0;
        for (int fi = 0; fi < nfront; fi++)
            for (int ci = 0; ci < cl.n; ci++) {
                if (stopped(x) || probes >= MAX_PROBES) {
                    al->stopped = stopped(x);
                    goto sort;
                }
                if (!compatible(&front[fi], &cl.c[ci]))
                    continue;
                int n = front[fi].nchanges + 1;
                stg_change *ch = stg_malloc(sizeof *ch * (size_t)n);
                if (!ch)
                    goto out;
                if (front[fi].nchanges)
                    memcpy(ch, front[fi].changes, sizeof *ch * (size_t)(n - 1));
                ch[n - 1] = cl.c[ci];
                probe pr;
                int prc = probe_run(x, l, ch, n, &pr);
                probes++;
                stg_change_set s;
                memset(&s, 0, sizeof s);
                if (!prc && !pr.refused)
                    prc = set_make(x, l, ch, n, &base, &pr, &s);
                probe_free(&pr);
                stg_free(ch);
                if (prc)
                    goto out;
                if (!s.changes)
                    continue;           /* refused by the model */
                if (s.meets) {
                    if (refine(x, l, &base, &s) ||
                        sets_push(al, &cap, &s)) {
                        set_free(&s);
                        goto out;
                    }
                } else if (set_after(&s) > probe_at(&base, l) + 0.001) {
                    next[nnext++] = s;
                } else {
                    set_free(&s);
                }
            }
    sort:
        for (int i = 0; i < nfront; i++)
            set_free(&front[i]);
        /* what falls short goes on from the best BEAM of it, unless
         * enough sets meet already */
        qsort(next, (size_t)nnext, sizeof *next, set_cmp);
        nfront = nnext < BEAM ? nnext : BEAM;
        memcpy(front, next, sizeof *front * (size_t)nfront);
        for (int i = nfront; i < nnext; i++)
            set_free(&next[i]);
        nnext = 0;
        if (stopped(x) || probes >= MAX_PROBES ||
            al->nsets >= x->o->alternatives || nfront == 0)
            break;
    }
    /* nothing met: the best that falls short, for the record */
    if (al->nsets == 0 && nfront > 0) {
        if (sets_push(al, &cap, &front[0]))
            goto out;
        for (int i = 1; i < nfront; i++)
            set_free(&front[i]);
        nfront = 0;
    }
    drop_supersets(al);
    qsort(al->sets, (size_t)al->nsets, sizeof *al->sets, set_cmp);
    while (al->nsets > x->o->alternatives)
        set_free(&al->sets[--al->nsets]);
done:
    rc = 0;
out:
    for (int i = 0; front && i < nfront; i++)
        set_free(&front[i]);
    for (int i = 0; next && i < nnext; i++)
        set_free(&next[i]);
    stg_free(front);
    stg_free(next);
    stg_free(cl.c);
    probe_free(&base);
    return rc;
}

static void link_task(void *arg, int i)
{
    ctx *x = arg;
    x->rc[i] = search_link(x, &x->a->links[i]);
    pthread_mutex_lock(&x->lock);
    int done = ++x->done;
    pthread_mutex_unlock(&x->lock);
    if (x->o->progress)
        x->o->progress(x->o->progress_arg, done, x->a->nlinks,
                       stg_now() - x->t0);
}

/* --- the whole fleet ------------------------------------------------------- */

/* The k-th set of every link together (a link with fewer: its best),
 * the same thing changed once; planned on the whole fleet. */
static int fleet_set(ctx *x, int k, stg_change_set *out, bool *any)
{
    const stg_fleet *f = x->f;
    int total = 0, rc = -1;
    *any = false;
    for (int i = 0; i < x->a->nlinks; i++)
        if (x->a->links[i].nsets > 0)
            total += x->a->links[i].sets[0].nchanges +
                     (k < x->a->links[i].nsets ? x->a->links[i].sets[k].nchanges : 0);
    stg_change_set s;
    memset(&s, 0, sizeof s);
    s.changes = stg_malloc(sizeof *s.changes * (size_t)(total + 1));
    s.link = stg_malloc(sizeof *s.link * (size_t)(f->nlinks + 1));
    s.before = stg_malloc(sizeof *s.before * (size_t)(f->nlinks + 1));
    s.after = stg_malloc(sizeof *s.after * (size_t)(f->nlinks + 1));
    stg_fleet *fc = NULL;
    stg_schedule *sc = NULL;
    char *cause = NULL;
    if (!s.changes || !s.link || !s.before || !s.after)
        goto out;
    bool differs = k == 0;
    for (int i = 0; i < x->a->nlinks; i++) {
        const stg_advice_link *al = &x->a->links[i];
        if (al->nsets == 0 || !al->sets[0].meets)
            continue;
        const stg_change_set *src = k < al->nsets && al->sets[k].meets
                                    ? &al->sets[k] : &al->sets[0];
        differs |= src != &al->sets[0];
        for (int j = 0; j < src->nchanges; j++)
            if (compatible(&s, &src->changes[j]))
                s.changes[s.nchanges++] = src->changes[j];
    }
    if (s.nchanges == 0 || !differs) {
        rc = 0;
        goto out;
    }
    char err[300];
    if (!(fc = stg_fleet_changed(f, s.changes, s.nchanges, err, sizeof err))) {
        rc = err[0] ? 0 : -1;
        goto out;
    }
    stg_plan_opts po = x->o->plan;
    po.progress = NULL;
    po.parts = NULL;
    if (stg_plan(fc, &po, &sc, &cause))
        goto out;
    x->a->probes++;
    /* every link at the limit, no rule broken that was kept before */
    int other_before = 0, other_after = 0;
    for (int i = 0; i < x->sc->eval->nviolations; i++)
        other_before += x->sc->eval->violations[i].kind != STG_VIOL_HEADROOM;
    for (int i = 0; i < sc->eval->nviolations; i++)
        other_after += sc->eval->violations[i].kind != STG_VIOL_HEADROOM;
    s.meets = sc->eval->achieved >= f->headroom - STG_SAME &&
              other_after <= other_before;
    s.rules_before = other_before;
    s.rules_after = other_after;
    for (int l = 0; l < f->nlinks; l++) {
        double was = x->sc->eval->headroom[l], now = sc->eval->headroom[l];
        if (fabs(was - now) < 0.0005 && was >= f->headroom - STG_SAME)
            continue;
        s.link[s.nlinks] = l;
        s.before[s.nlinks] = was;
        s.after[s.nlinks] = now;
        s.nlinks++;
    }
    for (int g = 0; g < x->sc->sim->ngroups; g++)
        if (x->sc->sim->lag[g] > s.lag_before)
            s.lag_before = x->sc->sim->lag[g];
    for (int g = 0; g < sc->sim->ngroups; g++)
        if (sc->sim->lag[g] > s.lag_after)
            s.lag_after = sc->sim->lag[g];
    *out = s;
    memset(&s, 0, sizeof s);
    *any = true;
    rc = 0;
out:
    set_free(&s);
    stg_fleet_free(fc);
    stg_schedule_free(sc);
    stg_free(cause);
    return rc;
}

static int by_value(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

int stg_advise(const stg_fleet *f, const stg_schedule *sc,
               const stg_advise_opts *o, stg_advice **out, char **cause)
{
    ctx x;
    memset(&x, 0, sizeof x);
    x.f = f;
    x.sc = sc;
    x.o = o;
    x.t0 = stg_now();
    *out = NULL;
    *cause = NULL;
    int rc = -1;
    bool locked = false;
    stg_problem *p = NULL;
    stg_advice *a = stg_calloc(1, sizeof *a);
    if (!a)
        goto out;
    x.a = a;
    /* today's times with the schedule's throttles: what the bounds and
     * the reasons are about */
    if (!(p = stg_problem_for_plan(f, sc->settings)))
        goto out;
    a->links = stg_calloc((size_t)f->nlinks + 1, sizeof *a->links);
    if (!a->links)
        goto out;
    /* the worst max_links of the links below the limit */
    double cut = INFINITY;
    int nshort = 0;
    for (int l = 0; l < f->nlinks; l++)
        nshort += sc->eval->headroom[l] < f->headroom - STG_SAME;
    if (o->max_links > 0 && nshort > o->max_links) {
        double *h = stg_malloc(sizeof *h * (size_t)nshort);
        if (!h)
            goto out;
        int k = 0;
        for (int l = 0; l < f->nlinks; l++)
            if (sc->eval->headroom[l] < f->headroom - STG_SAME)
                h[k++] = sc->eval->headroom[l];
        qsort(h, (size_t)nshort, sizeof *h, by_value);
        cut = h[o->max_links - 1];
        stg_free(h);
    }
    for (int l = 0; l < f->nlinks; l++) {
        if (sc->eval->headroom[l] >= f->headroom - STG_SAME)
            continue;
        if (sc->eval->headroom[l] > cut ||
            (o->max_links > 0 && a->nlinks == o->max_links)) {
            a->more++;
            continue;
        }
        stg_advice_link *al = &a->links[a->nlinks++];
        al->link = l;
        al->headroom = sc->eval->headroom[l];
        al->bound = sc->link_bound ? sc->link_bound[l] : 1;
        if (why_link(p, sc, l, (1 - f->headroom) * f->links[l].capacity, al))
            goto out;
    }
    if (o->why_only) {
        a->seconds = stg_now() - x.t0;
        *out = a;
        a = NULL;
        rc = 0;
        goto out;
    }
    if (pthread_mutex_init(&x.lock, NULL))
        goto out;
    locked = true;
    x.rc = stg_calloc((size_t)a->nlinks + 1, sizeof *x.rc);
    if (!x.rc)
        goto out;
    int threads = o->plan.threads > 0 ? o->plan.threads : 1;
    stg_pool_run(a->nlinks, threads, link_task, &x);
    for (int i = 0; i < a->nlinks; i++)
        if (x.rc[i])
            goto out;
    for (int i = 0; i < a->nlinks; i++)
        a->stopped |= a->links[i].stopped;
    a->fleet = stg_calloc((size_t)o->fleet_sets + 1, sizeof *a->fleet);
    if (!a->fleet)
        goto out;
    for (int k = 0; k < o->fleet_sets && !stopped(&x); k++) {
        bool any;
        if (fleet_set(&x, k, &a->fleet[a->nfleet], &any))
            goto out;
        a->nfleet += any;
    }
    a->stopped |= stopped(&x);
    a->seconds = stg_now() - x.t0;
    *out = a;
    a = NULL;
    rc = 0;
out:
    if (rc && !*cause)
        *cause = stg_strdup("out of memory");
    if (locked)
        pthread_mutex_destroy(&x.lock);
    stg_free(x.rc);
    stg_advice_free(a);
    stg_problem_free(p);
    return rc;
}
