/* stagger: cycle simulation (see sim.h for the rules).
 *
 * Servers are independent (max_jobs is per server; links only add up), so
 * each is simulated on its own, slot by slot, over its computers that have
 * something queued.  A cycle is repeated from the state the previous one
 * ended in until the state at the boundary repeats: that cycle is
 * periodic, and its busy slots and transfers are the answer.  A transfer
 * released in the previous cycle and finishing in this one is, by
 * periodicity, the same as this cycle's transfer that runs past its end,
 * so it is recorded with times relative to its own release.
 *
 * A server whose boundary state comes back every second cycle (two
 * computers of a max_jobs: 1 server taking turns, one day ending with a
 * sync still queued and the next not) has no repeating cycle: the two
 * alternate for ever.  The one of the two that loads the links more
 * (busy slots times throttle, then volume; ties: the later) is the one
 * reported, and the server's computers are marked (sim->alternates).
 * A cycle reported without a repeat (that one, or the eighth of a server
 * whose state never repeats: a backlog) lists what each computer sent in
 * it, each transfer cut to the cycle, so that its transfers are its busy
 * slots. */
#include "sim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "order.h"
#include "queue.h"

#define MAX_CYCLES 8

/* A queue entry's job is the first job merged into it, its cyc the
 * cycle of its release, its start absolute seconds. */
typedef struct {
    stg_queue q;
    int sending;                /* holds a max_jobs place */
    int active;                 /* listed in the active set */
    int emptied;                /* queue empty at some slot of the cycle */
} comp_state;

typedef struct {
    const stg_fleet *f;
    const stg_settings *s;
    const stg_job *jobs;
    int njobs;
    int nslots;
    int *crank;
    comp_state *cs;
    unsigned char *busy;        /* ncomputers x nslots */
    stg_transfer *tr;
    size_t ntr, trcap;
    int backlog;
    /* A cycle that may be reported without a repeat (the last one a
     * server gets, or one of two that alternate): what each computer
     * sent in it, each transfer cut to it (record_cut(), use_cut()). */
    int clip;
    long cyc_abs;               /* its start, absolute seconds */
    stg_transfer *ctr;
    size_t nctr, ctrcap;
    /* Per group, from the whole transfers of the cycles shown cut (each
     * finished one, as its release and end give it): the longest sync
     * lag and the latest a check ended past its window, which the cut
     * ones understate. */
    int *whole_lag, *whole_late;
} sim_ctx;

/* Appends to v (n of cap) entry e's job as a transfer from start to end
 * (absolute seconds, written relative to the cycle of its release) of
 * volume bytes. */
static int put(stg_transfer **v, size_t *n, size_t *cap, const sim_ctx *x,
               const stg_qentry *e, long start, long end, double volume)
{
    const stg_job *j = &x->jobs[e->job];
    long base = (long)e->cyc * x->f->cycle;
    if (stg_grow((void **)v, cap, *n + 1, sizeof **v))
        return -1;
    stg_transfer *t = &(*v)[(*n)++];
    t->group = j->group;
    t->computer = j->computer;
    t->kind = j->kind;
    t->release = j->release;
    t->start = (int)(start - base);
    t->end = (int)(end - base);
    t->volume = volume;
    return 0;
}

static int record(sim_ctx *x, const stg_qentry *e, long end)
{
    return put(&x->tr, &x->ntr, &x->trcap, x, e, e->start, end, e->volume);
}

/* Records into the cut list the part of entry e sent inside the cycle
 * that began at x->cyc_abs: from its first byte there (or the cycle's
 * start) to end, with the bytes it moved there. */
static int record_cut(sim_ctx *x, const stg_qentry *e, long end)
{
    long start = e->start > x->cyc_abs ? e->start : x->cyc_abs;
    double moved = e->rem0 + (e->volume - e->vol0) - e->remaining;
    if (moved <= 0 || end <= start)
        return 0;
    return put(&x->ctr, &x->nctr, &x->ctrcap, x, e, start, end, moved);
}

/* Makes the server's transfers, those from tr_base on, v[0..n).
 * Returns 0, -1 when out of memory. */
static int set_transfers(sim_ctx *x, size_t tr_base, const stg_transfer *v,
                         size_t n)
{
    x->ntr = tr_base;
    if (stg_grow((void **)&x->tr, &x->trcap, tr_base + n + 1, sizeof *x->tr))
        return -1;
    memcpy(x->tr + tr_base, v, sizeof *v * n);
    x->ntr = tr_base + n;
    return 0;
}

/* Raises lag[g] to each sync's release-to-end among tr[0..n). */
static void lags_from(const stg_transfer *tr, size_t n, int *lag)
{
    for (size_t i = 0; i < n; i++)
        if (tr[i].kind == STG_JOB_SYNC && tr[i].end - tr[i].release > lag[tr[i].group])
            lag[tr[i].group] = tr[i].end - tr[i].release;
}

/* Raises late[g] to how far each check among tr[0..n) ended past its
 * window (settings s). */
static void late_from(const stg_fleet *f, const stg_settings *s,
                      const stg_transfer *tr, size_t n, int *late)
{
    for (size_t i = 0; i < n; i++) {
        const stg_transfer *t = &tr[i];
        if (t->kind != STG_JOB_CC)
            continue;
        const stg_group *gr = &f->groups[t->group];
        int len = stg_cc_window_len(gr);
        int delta = ((s->cc_start[t->group] - gr->cc_from) % STG_DAY + STG_DAY)
                    % STG_DAY;
        int deadline = t->release - delta + len;
        if (t->end - deadline > late[t->group])
            late[t->group] = t->end - deadline;
    }
}

/* Makes the cycle just simulated's transfers those of its cut list: what
 * each computer sent in it, each transfer cut to it, so that they are
 * its busy slots (one begun before it starts at its first slot there,
 * one still sending ends at its end); their lags and checks' lateness
 * are kept from the whole ones (x->whole_lag, whole_late).  Only for a
 * cycle that is not repeated: a periodic one needs no cut, what runs
 * past its end being what runs into its start.  Returns 0, -1 when out
 * of memory. */
static int use_cut(sim_ctx *x, size_t tr_base)
{
    /* what the cut transfers understate, from the whole ones */
    lags_from(x->tr + tr_base, x->ntr - tr_base, x->whole_lag);
    late_from(x->f, x->s, x->tr + tr_base, x->ntr - tr_base, x->whole_late);
    return set_transfers(x, tr_base, x->ctr, x->nctr);
}

/* Enqueues job ji released in cycle cyc (a sync merges into its
 * group's queued sync). */
static int release(sim_ctx *x, comp_state *c, int ji, int cyc)
{
    const stg_job *j = &x->jobs[ji];
    stg_qentry e = { .volume = j->volume, .job = ji, .group = j->group,
                     .cyc = cyc, .deadline = -1,
                     .sync = j->kind == STG_JOB_SYNC };
    return stg_queue_release(&c->q, &e);
}

typedef struct {
    sim_ctx *x;
    int cyc;
} done_ctx;

/* A finished entry is recorded when it belongs to this cycle or the one
 * before it; one queued for longer means the computer never catches up. */
static int done(void *arg, const stg_qentry *e, long end)
{
    done_ctx *d = arg;
    if (d->x->clip) {
        /* a finished entry has no bytes left: what it moved here */
        stg_qentry f = *e;
        f.remaining = 0;
        if (record_cut(d->x, &f, end))
            return -1;
    }
    if (e->cyc < d->cyc - 1) {
        d->x->backlog = 1;
        return 0;
    }
    return record(d->x, e, end);
}

/* One slot of sending. */
static int send(sim_ctx *x, int ci, int cyc, int slot)
{
    const stg_fleet *f = x->f;
    comp_state *c = &x->cs[ci];
    long abs_start = (long)cyc * f->cycle + (long)slot * f->resolution;
    double bytes = stg_slot_bytes(f, &x->s->throttle[ci],
                                  slot * f->resolution);
    done_ctx d = { x, cyc };
    x->busy[(long)ci * x->nslots + slot] = 1;
    if (stg_queue_send(&c->q, bytes, abs_start, f->resolution, done, &d))
        return -1;
    if (stg_queue_empty(&c->q)) {
        c->sending = 0;
        c->emptied = 1;
    }
    return 0;
}

/* Queue state at a cycle boundary, relative to the cycle just ended. */
typedef struct {
    int comp, tmpl, age, sending, started;
    double remaining, volume;
} snap_item;

static int snapshot(sim_ctx *x, const int *comps, int ncomps, int cyc,
                    snap_item **out, size_t *n)
{
    size_t cnt = 0, cap = 0;
    snap_item *v = NULL;
    for (int k = 0; k < ncomps; k++) {
        comp_state *c = &x->cs[comps[k]];
        for (size_t i = c->q.head; i < c->q.n; i++) {
            if (stg_grow((void **)&v, &cap, cnt + 1, sizeof *v)) {
                stg_free(v);
                return -1;
            }
            snap_item *it = &v[cnt++];
            it->comp = comps[k];
            const stg_qentry *e = &c->q.q[i];
            it->tmpl = e->job;
            it->age = cyc - e->cyc;
            it->sending = c->sending;
            it->started = e->start >= 0;
            it->remaining = e->remaining;
            it->volume = e->volume;
        }
    }
    *out = v;
    *n = cnt;
    return 0;
}

static int same_snapshot(const snap_item *a, size_t na, const snap_item *b,
                         size_t nb)
{
    if (na != nb)
        return 0;
    for (size_t i = 0; i < na; i++) {
        if (a[i].comp != b[i].comp || a[i].tmpl != b[i].tmpl ||
            a[i].age != b[i].age || a[i].sending != b[i].sending ||
            a[i].started != b[i].started)
            return 0;
        double tol = 1e-9 * a[i].volume + 1e-6;
        if (fabs(a[i].remaining - b[i].remaining) > tol ||
            fabs(a[i].volume - b[i].volume) > tol)
            return 0;
    }
    return 1;
}

/* Admits waiting computers while the server has places: oldest queued
 * release first, then name. */
static void admit(sim_ctx *x, const int *active, int nactive, int max_jobs,
                  int *nsending)
{
    while (*nsending < max_jobs) {
        int best = -1;
        long best_rel = 0;
        for (int k = 0; k < nactive; k++) {
            comp_state *c = &x->cs[active[k]];
            if (c->sending || stg_queue_empty(&c->q))
                continue;
            const stg_qentry *e = &c->q.q[c->q.head];
            long rel = (long)e->cyc * x->f->cycle + x->jobs[e->job].release;
            if (best < 0 || rel < best_rel ||
                (rel == best_rel && x->crank[active[k]] < x->crank[best])) {
                best = active[k];
                best_rel = rel;
            }
        }
        if (best < 0)
            return;
        x->cs[best].sending = 1;
        (*nsending)++;
    }
}

static void reset_server(sim_ctx *x, const int *comps, int ncomps)
{
    for (int k = 0; k < ncomps; k++) {
        comp_state *c = &x->cs[comps[k]];
        stg_queue_clear(&c->q);
        c->sending = c->active = c->emptied = 0;
    }
}

/* One cycle's results of one server, kept while the next is simulated:
 * its transfers, its computers' busy slots, waits and idleness. */
typedef struct {
    stg_transfer *tr;
    size_t ntr;
    unsigned char *busy;        /* ncomps x nslots */
    int *waited, *emptied;      /* per computer of comps */
    double weight;              /* busy slots times throttle */
    double volume;              /* of its transfers */
} saved_cycle;

static void saved_free(saved_cycle *c)
{
    stg_free(c->tr);
    stg_free(c->busy);
    stg_free(c->waited);
    stg_free(c->emptied);
    memset(c, 0, sizeof *c);
}

/* The transfers' volume of the cycle just simulated. */
static double cycle_volume(const sim_ctx *x, size_t tr_base)
{
    double v = 0;
    for (size_t i = tr_base; i < x->ntr; i++)
        v += x->tr[i].volume;
    return v;
}

/* The load the cycle just simulated adds to every link its computers
 * cross, per link crossed: busy slots times throttle. */
static double cycle_weight(const sim_ctx *x, const int *comps, int ncomps)
{
    double w = 0;
    for (int k = 0; k < ncomps; k++) {
        const unsigned char *b = x->busy + (long)comps[k] * x->nslots;
        for (int t = 0; t < x->nslots; t++)
            if (b[t])
                w += stg_throttle_at(x->f, &x->s->throttle[comps[k]],
                                     t * x->f->resolution);
    }
    return w;
}

/* Keeps (save = 1) or puts back (save = 0) the cycle just simulated. */
static int keep_cycle(sim_ctx *x, const int *comps, int ncomps,
                      size_t tr_base, int *waited, saved_cycle *c, int save)
{
    int N = x->nslots;
    if (save) {
        saved_free(c);
        c->ntr = x->ntr - tr_base;
        c->tr = stg_malloc(sizeof *c->tr * (c->ntr + 1));
        c->busy = stg_malloc((size_t)ncomps * (size_t)N + 1);
        c->waited = stg_malloc(sizeof *c->waited * ((size_t)ncomps + 1));
        c->emptied = stg_malloc(sizeof *c->emptied * ((size_t)ncomps + 1));
        if (!c->tr || !c->busy || !c->waited || !c->emptied)
            return -1;
        memcpy(c->tr, x->tr + tr_base, sizeof *c->tr * c->ntr);
        c->weight = cycle_weight(x, comps, ncomps);
        c->volume = cycle_volume(x, tr_base);
    } else if (set_transfers(x, tr_base, c->tr, c->ntr)) {
        return -1;
    }
    for (int k = 0; k < ncomps; k++) {
        unsigned char *b = x->busy + (long)comps[k] * N;
        if (save) {
            memcpy(c->busy + (long)k * N, b, (size_t)N);
            c->waited[k] = waited[comps[k]];
            c->emptied[k] = x->cs[comps[k]].emptied;
        } else {
            memcpy(b, c->busy + (long)k * N, (size_t)N);
            waited[comps[k]] = c->waited[k];
            x->cs[comps[k]].emptied = c->emptied[k];
        }
    }
    return 0;
}

/* Simulates one server's computers; appends their transfers and marks
 * their busy slots.  Returns 0, -1 (out of memory). */
static int run_server(sim_ctx *x, int server, const int *comps, int ncomps,
                      const int *events, int nevents, int *never_idle,
                      int *waited, int *alternates)
{
    const stg_fleet *f = x->f;
    int N = x->nslots;
    int max_jobs = f->servers[server].max_jobs;
    int binding = max_jobs > 0 && max_jobs < ncomps;
    int *active = stg_malloc(sizeof *active * (size_t)(ncomps ? ncomps : 1));
    snap_item *prev = NULL, *prev2 = NULL, *cur = NULL;
    size_t nprev = 0, nprev2 = 0, ncur = 0;
    size_t tr_base = x->ntr;
    int rc = -1, converged = 0, have_prev2 = 0, alternating = 0;
    saved_cycle last = { 0 };
    if (!active)
        goto out;
    reset_server(x, comps, ncomps);
    int nactive = 0, nsending = 0;

    for (int cyc = 0; (cyc < MAX_CYCLES || alternating) && !converged;
         cyc++) {
        x->ntr = tr_base;
        x->backlog = 0;
        for (int k = 0; k < ncomps; k++)
            waited[comps[k]] = 0;   /* of the cycle reported */
        /* a cycle that may be reported without a repeat: what it sends
         * is kept cut to it too */
        x->clip = cyc == MAX_CYCLES - 1 || alternating;
        x->cyc_abs = (long)cyc * f->cycle;
        x->nctr = 0;
        for (int k = 0; k < ncomps; k++) {
            memset(x->busy + (long)comps[k] * N, 0, (size_t)N);
            comp_state *c = &x->cs[comps[k]];
            c->emptied = stg_queue_empty(&c->q);
            for (size_t i = c->q.head; x->clip && i < c->q.n; i++) {
                c->q.q[i].vol0 = c->q.q[i].volume;
                c->q.q[i].rem0 = c->q.q[i].remaining;
            }
        }
        int ev = 0;
        for (int slot = 0; slot < N; slot++) {
            if (nactive == 0) {
                if (ev >= nevents)
                    break;
                int next = x->jobs[events[ev]].release / f->resolution;
                if (next > slot)
                    slot = next;
            }
            while (ev < nevents &&
                   x->jobs[events[ev]].release / f->resolution == slot) {
                int ji = events[ev++];
                int ci = x->jobs[ji].computer;
                comp_state *c = &x->cs[ci];
                if (release(x, c, ji, cyc))
                    goto out;
                if (!c->active) {
                    c->active = 1;
                    active[nactive++] = ci;
                }
            }
            if (binding)
                admit(x, active, nactive, max_jobs, &nsending);
            for (int k = 0; k < nactive; k++) {
                int ci = active[k];
                comp_state *c = &x->cs[ci];
                if (binding && !c->sending) {
                    waited[ci]++;
                    continue;
                }
                if (send(x, ci, cyc, slot))
                    goto out;
                if (stg_queue_empty(&c->q)) {
                    c->active = 0;
                    active[k--] = active[--nactive];
                    if (binding)
                        nsending--;
                }
            }
            if (!binding)
                nsending = 0;
        }
        for (int k = 0; x->clip && k < ncomps; k++) {
            const stg_queue *q = &x->cs[comps[k]].q;
            for (size_t i = q->head; i < q->n; i++)
                if (q->q[i].start >= 0 &&
                    record_cut(x, &q->q[i], x->cyc_abs + f->cycle))
                    goto out;
        }
        if (snapshot(x, comps, ncomps, cyc + 1, &cur, &ncur))
            goto out;
        converged = same_snapshot(prev, nprev, cur, ncur);
        if (alternating) {
            /* a replay of one of the two cycles that alternate, shown as
             * it ran: the first is kept, the second reported unless the
             * first is heavier (busy slots times throttle, then volume;
             * ties: the second) */
            if (use_cut(x, tr_base))
                goto out;
            if (alternating == 1) {
                if (keep_cycle(x, comps, ncomps, tr_base, waited, &last, 1))
                    goto out;
                alternating = 2;
            } else {
                double w = cycle_weight(x, comps, ncomps);
                if ((last.weight > w ||
                     (last.weight == w &&
                      last.volume > cycle_volume(x, tr_base))) &&
                    keep_cycle(x, comps, ncomps, tr_base, waited, &last, 0))
                    goto out;
                converged = 1;
            }
        } else if (!converged && have_prev2 &&
                   same_snapshot(prev2, nprev2, cur, ncur)) {
            /* the state of two boundaries back: the next two cycles
             * replay the two that alternate */
            alternating = 1;
        } else if (!converged && cyc == MAX_CYCLES - 1) {
            /* no cycle repeats (a computer cannot catch up): the last one
             * is reported as it ran */
            if (use_cut(x, tr_base))
                goto out;
        }
        stg_free(prev2);
        prev2 = prev;
        nprev2 = nprev;
        have_prev2 = 1;
        prev = cur;
        nprev = ncur;
        cur = NULL;
    }
    for (int k = 0; alternating && k < ncomps; k++)
        alternates[comps[k]] = 1;
    x->clip = 0;
    for (int k = 0; k < ncomps; k++) {
        comp_state *c = &x->cs[comps[k]];
        if (!converged ? !stg_queue_empty(&c->q) : !c->emptied)
            never_idle[comps[k]] = 1;
    }
    if (x->backlog)
        for (int k = 0; k < ncomps; k++)
            if (!stg_queue_empty(&x->cs[comps[k]].q))
                never_idle[comps[k]] = 1;
    rc = 0;
out:
    stg_free(active);
    stg_free(prev);
    stg_free(prev2);
    stg_free(cur);
    saved_free(&last);
    return rc;
}


typedef struct {
    unsigned long long key;
    stg_transfer t;
} keyed_transfer;

static int by_key(const void *a, const void *b)
{
    const keyed_transfer *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Sorts transfers by start (in the cycle), computer name, group name,
 * kind, release. */
static int sort_transfers(const stg_fleet *f, const int *crank,
                          stg_transfer *tr, size_t n)
{
    int rc = -1;
    int *grank = stg_malloc(sizeof *grank * (size_t)(f->ngroups + 1));
    keyed_transfer *k = stg_malloc(sizeof *k * (n ? n : 1));
    if (!grank || !k)
        goto out;
    if (stg_name_ranks(f->ngroups ? &f->groups[0].name : NULL,
                       sizeof(stg_group), f->ngroups, grank))
        goto out;
    for (size_t i = 0; i < n; i++) {
        unsigned long long start = (unsigned long long)(tr[i].start % f->cycle);
        k[i].t = tr[i];
        k[i].key = start << 43 | (unsigned long long)crank[tr[i].computer] << 22
                   | (unsigned long long)grank[tr[i].group] << 2
                   | (unsigned long long)tr[i].kind;
    }
    qsort(k, n, sizeof *k, by_key);
    for (size_t i = 0; i < n; i++)
        tr[i] = k[i].t;
    rc = 0;
out:
    stg_free(grank);
    stg_free(k);
    return rc;
}

void stg_sim_free(stg_sim *sim)
{
    if (!sim)
        return;
    stg_free(sim->transfers);
    stg_free(sim->load);
    stg_free(sim->busy);
    stg_free(sim->lag);
    stg_free(sim->cc_late);
    stg_free(sim->never_idle);
    stg_free(sim->waited);
    stg_free(sim->alternates);
    stg_free(sim);
}

static void add_loads(const stg_fleet *f, const stg_settings *s,
                      const sim_ctx *x, stg_sim *sim)
{
    int N = sim->nslots;
    for (int l = 0; l < f->nlinks; l++)
        for (int t = 0; t < N; t++)
            sim->load[(long)l * N + t] =
                stg_link_background_at(f, &f->links[l], t * f->resolution);
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        const unsigned char *b = x->busy + (long)c * N;
        for (int t = 0; t < N; t++) {
            if (!b[t])
                continue;
            sim->busy[c]++;
            double rate = stg_throttle_at(f, &s->throttle[c], t * f->resolution);
            for (int i = 0; i < cp->nfull_path; i++)
                sim->load[(long)cp->full_path[i] * N + t] += rate;
        }
    }
}

/* Each group's lag: its transfers', or whole_lag's where more (the
 * cycles shown cut); none (-1) for a group with a source on a computer
 * that cannot catch up: its syncs wait longer every cycle (the backlog
 * violation says so), and the cycles simulated give no lag of theirs. */
static void add_lags(const stg_fleet *f, stg_sim *sim, const int *whole_lag)
{
    for (int g = 0; g < f->ngroups; g++)
        sim->lag[g] = whole_lag[g];
    lags_from(sim->transfers, (size_t)sim->ntransfers, sim->lag);
    for (int g = 0; g < f->ngroups; g++)
        for (int i = 0; i < f->groups[g].nsources; i++)
            if (sim->never_idle[f->sources[f->groups[g].sources[i]].computer])
                sim->lag[g] = -1;
}

/* Each group's latest check end past its window: its transfers', or
 * whole_late's where later. */
static void add_cc_late(const stg_fleet *f, const stg_settings *s,
                        stg_sim *sim, const int *whole_late)
{
    for (int g = 0; g < f->ngroups; g++)
        sim->cc_late[g] = whole_late[g];
    late_from(f, s, sim->transfers, (size_t)sim->ntransfers, sim->cc_late);
}

int stg_sim_run(const stg_fleet *f, const stg_settings *s, stg_sim **out)
{
    sim_ctx x;
    memset(&x, 0, sizeof x);
    stg_sim *sim = NULL;
    stg_job *jobs = NULL;
    int *events = NULL, *comps = NULL;
    int rc = -1, backlog = 0;
    int N = f->cycle / f->resolution;

    int njobs = stg_jobs_derive(f, s, &jobs);
    if (njobs < 0)
        goto out;
    x.f = f;
    x.s = s;
    x.jobs = jobs;
    x.njobs = njobs;
    x.nslots = N;
    x.crank = stg_malloc(sizeof *x.crank * (size_t)(f->ncomputers + 1));
    x.cs = stg_calloc((size_t)f->ncomputers + 1, sizeof *x.cs);
    x.busy = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, 1);
    sim = stg_calloc(1, sizeof *sim);
    events = stg_malloc(sizeof *events * (size_t)(njobs + 1));
    comps = stg_malloc(sizeof *comps * (size_t)(f->ncomputers + 1));
    x.whole_lag = stg_malloc(sizeof *x.whole_lag * (size_t)(f->ngroups + 1));
    x.whole_late = stg_calloc((size_t)f->ngroups + 1, sizeof *x.whole_late);
    if (!x.crank || !x.cs || !x.busy || !sim || !events || !comps ||
        !x.whole_lag || !x.whole_late)
        goto out;
    for (int g = 0; g < f->ngroups; g++)
        x.whole_lag[g] = -1;
    if (stg_name_ranks(f->ncomputers ? &f->computers[0].name : NULL,
                       sizeof(stg_computer), f->ncomputers, x.crank))
        goto out;
    sim->cycle = f->cycle;
    sim->resolution = f->resolution;
    sim->nslots = N;
    sim->nlinks = f->nlinks;
    sim->ncomputers = f->ncomputers;
    sim->ngroups = f->ngroups;
    sim->load = stg_calloc((size_t)f->nlinks * (size_t)N + 1, sizeof *sim->load);
    sim->busy = stg_calloc((size_t)f->ncomputers + 1, sizeof *sim->busy);
    sim->lag = stg_calloc((size_t)f->ngroups + 1, sizeof *sim->lag);
    sim->cc_late = stg_calloc((size_t)f->ngroups + 1, sizeof *sim->cc_late);
    sim->never_idle = stg_calloc((size_t)f->ncomputers + 1,
                                 sizeof *sim->never_idle);
    sim->waited = stg_calloc((size_t)f->ncomputers + 1, sizeof *sim->waited);
    sim->alternates = stg_calloc((size_t)f->ncomputers + 1,
                                 sizeof *sim->alternates);
    if (!sim->load || !sim->busy || !sim->lag || !sim->cc_late ||
        !sim->never_idle || !sim->waited || !sim->alternates)
        goto out;

    for (int sv = 0; sv < f->nservers; sv++) {
        int ncomps = 0, nevents = 0;
        for (int c = 0; c < f->ncomputers; c++)
            if (f->computers[c].server == sv)
                comps[ncomps++] = c;
        for (int j = 0; j < njobs; j++)
            if (f->computers[jobs[j].computer].server == sv)
                events[nevents++] = j;
        if (run_server(&x, sv, comps, ncomps, events, nevents,
                       sim->never_idle, sim->waited, sim->alternates))
            goto out;
    }
    for (int c = 0; c < f->ncomputers; c++)
        if (sim->never_idle[c])
            backlog = 1;
    if (sort_transfers(f, x.crank, x.tr, x.ntr))
        goto out;
    sim->transfers = x.tr;
    sim->ntransfers = (int)x.ntr;
    x.tr = NULL;
    add_loads(f, s, &x, sim);
    add_lags(f, sim, x.whole_lag);
    add_cc_late(f, s, sim, x.whole_late);
    *out = sim;
    sim = NULL;
    rc = backlog ? 1 : 0;
out:
    if (x.cs)
        for (int c = 0; c < f->ncomputers; c++)
            stg_queue_free(&x.cs[c].q);
    stg_free(x.cs);
    stg_free(x.crank);
    stg_free(x.busy);
    stg_free(x.tr);
    stg_free(x.ctr);
    stg_free(x.whole_lag);
    stg_free(x.whole_late);
    stg_free(jobs);
    stg_free(events);
    stg_free(comps);
    stg_sim_free(sim);
    return rc;
}
