/* stagger: cheap, always-valid per-link bounds (see bound.h). */
#include "bound.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"

/* Entry visits the pairwise bound may spend on one link, and on all. */
#define PAIR_BUDGET 20000000L
#define PAIR_BUDGET_ALL 2000000000L
/* Links with more decisions than this get no pairwise bound. */
#define PAIR_MAX_DECISIONS 64
/* ... and on a link with more, the heaviest PAIR_HEAVY within this budget */
#define PAIR_BUDGET_HEAVY 2000000L
#define PAIR_HEAVY 24
/* The average counts busy slots (stg_problem_min_work()) only where a
 * link has this many decisions: on fewer, one decision's placement says
 * as much, and a part of a few computers need not pay for it. */
#define AVERAGE_MIN_DECISIONS 16
/* Links with more decisions than this get no placement bounds. */
#define PLACEMENT_MAX_DECISIONS 256
/* Entries the spreads kept across links (spread_cache) may hold at once
 * (12 bytes each). */
#define SPREAD_CACHE_MAX (1L << 20)

typedef struct spread_cache spread_cache;

typedef struct {
    const stg_problem *p;
    int link;                   /* -1: every computer, whatever its path */
    int no_wait;
    double *extra;              /* nslots: load the decision adds */
    int *touched;               /* slots touched, to reset */
    int ntouched;
    unsigned char *seen;        /* per computer x slot for this value */
    int *seen_list;
    int nseen;
    const unsigned char *compelled; /* per computer x slot: busy in every
                                   schedule (counted in the background
                                   given); NULL: none */
    const bool *compelled_in;   /* per computer: a row in compelled */
    spread_cache *cache;        /* NULL: none */
} placement;

/* Whether computer c's jobs count in pl: it crosses the link (when one is
 * given) and cannot wait for max_jobs, or waits are not counted. */
static bool counts(const placement *pl, int c)
{
    const stg_computer *cp = &pl->p->fleet->computers[c];
    return (pl->link < 0 || stg_computer_crosses(cp, pl->link)) &&
           (!pl->p->binding[cp->server] || pl->no_wait);
}

/* Adds to pl the busy slots [s, s + len) of computer c, which counts. */
static void add_busy(placement *pl, int c, int s, int len)
{
    const stg_problem *p = pl->p;
    int N = p->nslots;
    for (int k = 0; k < len && k < N; k++) {
        int t = (s + k) % N;
        long key = (long)c * N + t;
        if (pl->seen[key])
            continue;           /* one computer counts once per slot */
        pl->seen[key] = 1;
        pl->seen_list[pl->nseen++] = (int)key;
        if (pl->compelled && pl->compelled[key])
            continue;           /* counted already */
        if (pl->extra[t] == 0)
            pl->touched[pl->ntouched++] = t;
        pl->extra[t] += (double)stg_problem_rates(p, c)[t];
    }
}

/* Adds to pl the busy slots of decision d's jobs at value vi, each as
 * long as STG_BUSY_QUEUED, on the computers that count (the others' are
 * not worked out). */
static void queued_busy(placement *pl, int d, int vi)
{
    const stg_decision *dc = &pl->p->dec[d];
    for (int j = 0; j < dc->njobs; j++)
        if (counts(pl, dc->jobs[j].computer))
            add_busy(pl, dc->jobs[j].computer,
                    stg_problem_job_slot(pl->p, d, vi, j),
                    stg_problem_job_len(pl->p, d, vi, j, STG_BUSY_QUEUED));
}

/* --- computers that may wait for max_jobs ---------------------------
 *
 * A computer waits only in slots where max_jobs other computers of its
 * server are sending, and a computer sends in at most B slots a cycle:
 * every slot it sends in moves a whole slot of bytes except the last of
 * each busy period, and a busy period starts with a release, so
 * B <= sum over its jobs of (volume / smallest slot bytes + 1).  Its
 * total wait in a cycle is therefore at most W = (sum of the others' B) /
 * max_jobs.  Once it sends it keeps its place until its queue is empty,
 * so a job released at r keeps it busy over D contiguous slots starting
 * within W slots of r.  The lowest load such a job can meet on a link is
 * min over w in [0, W] of the highest background + throttle over the D
 * slots from r + w. */

/* Upper bound on the slots computer c sends in per cycle. */
static double busy_slots_max(const stg_problem *p, int c, const double *vol_ub,
                             const int *njobs)
{
    int N = p->nslots;
    const double *bytes = stg_problem_slot_bytes(p, c);
    double bmin = INFINITY;
    for (int t = 0; t < N; t++)
        if (bytes[t] < bmin)
            bmin = bytes[t];
    double b = bmin > 0 ? vol_ub[c] / bmin + njobs[c] : N;
    return b < N ? b : N;
}

/* h[r] = the lowest peak (background + c's throttle) a job of volume
 * vol released at slot r can meet, waiting up to W slots.  The duration
 * is the shortest over every start (a shorter window has a lower
 * maximum, so the result stays a lower bound). */
static void wait_profile(const stg_problem *p, int c, double vol, int W,
                         const double *bg, double *g, double *h, int *dq)
{
    int N = p->nslots;
    const int64_t *rate = stg_problem_rates(p, c);
    int len = N;
    for (int s = 0; s < N; s++) {
        int d = stg_problem_duration(p, c, s, vol);
        if (d < len)
            len = d;
    }
    /* g[s] = max over [s, s+len) of bg + rate (cyclic), by a falling
     * deque over the doubled sequence */
    int head = 0, tail = 0;
    for (int i = N + len - 2; i >= 0; i--) {
        double v = bg[i % N] + (double)rate[i % N];
        while (tail > head && bg[dq[tail - 1] % N] + (double)rate[dq[tail - 1] % N] <= v)
            tail--;
        dq[tail++] = i;
        if (dq[head] >= i + len)
            head++;
        if (i < N)
            g[i] = bg[dq[head] % N] + (double)rate[dq[head] % N];
    }
    /* h[r] = min over [r, r+W] of g (cyclic), by a rising deque */
    if (W >= N - 1) {
        double m = INFINITY;
        for (int s = 0; s < N; s++)
            if (g[s] < m)
                m = g[s];
        for (int r = 0; r < N; r++)
            h[r] = m;
        return;
    }
    head = tail = 0;
    for (int i = N + W - 1; i >= 0; i--) {
        double v = g[i % N];
        while (tail > head && g[dq[tail - 1] % N] >= v)
            tail--;
        dq[tail++] = i;
        if (dq[head] > i + W)
            head++;
        if (i < N)
            h[i] = g[dq[head] % N];
    }
}

/* For decision d on link l, its jobs on computers that may wait: the
 * lowest, over d's values, of the highest load one of those jobs must
 * meet.  high[] has room for d's values. */
static double waiting_peak(const stg_problem *p, int d, int l,
                           const int *wait, const double *bg, double *g,
                           double *h, int *dq, double *high)
{
    const stg_decision *dc = &p->dec[d];
    const stg_fleet *f = p->fleet;
    int any = 0;
    for (int vi = 0; vi < dc->nvalues; vi++)
        high[vi] = 0;
    /* one profile per (computer, volume); a decision's jobs on one
     * computer mostly share their volume */
    for (int j = 0; j < dc->njobs; j++) {
        const stg_dec_job *jb = &dc->jobs[j];
        const stg_computer *cp = &f->computers[jb->computer];
        int seen = 0;
        if (!stg_computer_crosses(cp, l) || !p->binding[cp->server])
            continue;
        for (int k = 0; k < j && !seen; k++)
            seen = dc->jobs[k].computer == jb->computer &&
                   dc->jobs[k].volume_lb == jb->volume_lb;
        if (seen)
            continue;
        any = 1;
        wait_profile(p, jb->computer, jb->volume_lb, wait[jb->computer], bg,
                     g, h, dq);
        for (int k = j; k < dc->njobs; k++) {
            const stg_dec_job *jk = &dc->jobs[k];
            if (jk->computer != jb->computer || jk->volume_lb != jb->volume_lb)
                continue;
            for (int vi = 0; vi < dc->nvalues; vi++) {
                int r = (int)(((long)dc->values[vi] + jk->rel) % f->cycle
                              + f->cycle) % f->cycle / p->res;
                if (h[r] > high[vi])
                    high[vi] = h[r];
            }
        }
    }
    if (!any)
        return 0;
    double best = INFINITY;
    for (int vi = 0; vi < dc->nvalues; vi++)
        if (high[vi] < best)
            best = high[vi];
    return best;
}

/* --- pairs ---------------------------------------------------------- */

/* Load one decision puts on one link at each of its values: sparse
 * (slot, rate) entries, each computer counted once per slot. */
typedef struct {
    int *off;                   /* nvalues + 1 offsets into t[], r[] */
    int *t;
    double *r;
    int nvalues;
} spread;

typedef struct {
    placement *pl;
    spread *sp;
    size_t n, cap;
    int oom;
} spread_ctx;

static void spread_free(spread *sp)
{
    stg_free(sp->off);
    stg_free(sp->t);
    stg_free(sp->r);
    memset(sp, 0, sizeof *sp);
}

/* Makes room in sp's entry arrays (of *cap) for want entries in all.
 * Returns -1 when out of memory. */
static int spread_room(spread *sp, size_t *cap, size_t want)
{
    if (want <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 256;
    while (nc < want)
        nc *= 2;
    int *nt = stg_realloc(sp->t, nc * sizeof *nt);
    if (!nt)
        return -1;
    sp->t = nt;
    double *nr = stg_realloc(sp->r, nc * sizeof *nr);
    if (!nr)
        return -1;
    sp->r = nr;
    *cap = nc;
    return 0;
}

/* Appends the load pl holds (one value's, then cleared) to sp, whose
 * entry arrays hold *n of *cap.  Returns -1 when out of memory. */
static int spread_take(placement *pl, spread *sp, size_t *n, size_t *cap)
{
    if (spread_room(sp, cap, *n + (size_t)pl->ntouched))
        return -1;
    for (int k = 0; k < pl->ntouched; k++) {
        int t = pl->touched[k];
        sp->t[*n] = t;
        sp->r[*n] = pl->extra[t];
        (*n)++;
        pl->extra[t] = 0;
    }
    for (int k = 0; k < pl->nseen; k++)
        pl->seen[pl->seen_list[k]] = 0;
    pl->ntouched = pl->nseen = 0;
    return 0;
}

/* Whether decision d's load on pl's link at each value is its first
 * value's moved by the same slots: it is aligned (problem.h), and every
 * computer of it that counts has one rate all the cycle (its jobs then
 * take as long wherever they start) and no compulsory part left out. */
static bool spread_shifts(const stg_problem *p, const placement *pl, int d)
{
    const stg_decision *dc = &p->dec[d];
    if (!dc->aligned)
        return false;
    for (int j = 0; j < dc->ncomputers; j++) {
        int c = dc->computers[j];
        if (counts(pl, c) && (p->const_bytes[p->profile[c]] <= 0 ||
                              (pl->compelled && pl->compelled_in[c])))
            return false;
    }
    return true;
}

/* Fills sp for decision d on pl->link; returns -1 when out of memory. */
static int spread_build(const stg_problem *p, placement *pl, int d, spread *sp)
{
    const stg_decision *dc = &p->dec[d];
    size_t n = 0, cap = 0;
    int N = p->nslots;
    bool shifts = dc->njobs > 0 && spread_shifts(p, pl, d);
    memset(sp, 0, sizeof *sp);
    sp->nvalues = dc->nvalues;
    sp->off = stg_malloc(sizeof *sp->off * (size_t)(sp->nvalues + 1));
    if (!sp->off)
        return -1;
    for (int vi = 0; vi < sp->nvalues; vi++) {
        sp->off[vi] = (int)n;
        if (shifts && vi > 0) {
            /* value 0's entries, each slot moved by as much */
            int m = sp->off[1];
            int by = stg_problem_job_slot(p, d, vi, 0) -
                     stg_problem_job_slot(p, d, 0, 0) + N;
            if (spread_room(sp, &cap, n + (size_t)m))
                return -1;
            for (int e = 0; e < m; e++, n++) {
                sp->t[n] = (sp->t[e] + by) % N;
                sp->r[n] = sp->r[e];
            }
            continue;
        }
        pl->ntouched = pl->nseen = 0;
        queued_busy(pl, d, vi);
        if (spread_take(pl, sp, &n, &cap))
            return -1;
    }
    sp->off[sp->nvalues] = (int)n;
    return 0;
}

/* A decision's spread is the same on every link each computer it counts
 * crosses (when none of them has a compulsory part left out): within one
 * stg_bound_links() call it is built once, with no link filter, kept
 * (up to SPREAD_CACHE_MAX entries at once) and freed after the last link
 * that reads it (a part's decisions load its branch line, its hub, its
 * server's NIC and the core alike). */
struct spread_cache {
    spread *sp;                 /* per decision; off NULL: not built */
    int *last;                  /* per decision: the last link to use it */
    size_t entries;
};

static void spread_cache_free(spread_cache *sc, int nd)
{
    for (int d = 0; sc->sp && d < nd; d++)
        spread_free(&sc->sp[d]);
    stg_free(sc->sp);
    stg_free(sc->last);
    sc->sp = NULL;
    sc->last = NULL;
}

/* Frees the kept spreads of the n decisions on[] of link l that no later
 * link uses. */
static void spread_cache_done(spread_cache *sc, int l, const int *on, int n)
{
    for (int i = 0; i < n; i++) {
        spread *c = &sc->sp[on[i]];
        if (sc->last[on[i]] == l && c->off) {
            sc->entries -= (size_t)c->off[c->nvalues];
            spread_free(c);
        }
    }
}

/* Whether every computer decision d counts on pl->link crosses it, with
 * no compulsory part there: its kept spread is the link's. */
static bool counted_cross(const stg_problem *p, const placement *pl, int d)
{
    const stg_decision *dc = &p->dec[d];
    for (int j = 0; j < dc->ncomputers; j++) {
        int c = dc->computers[j];
        const stg_computer *cp = &p->fleet->computers[c];
        if (p->binding[cp->server] && !pl->no_wait)
            continue;
        if (!stg_computer_crosses(cp, pl->link) ||
            (pl->compelled && pl->compelled_in[c]))
            return false;
    }
    return true;
}

/* The kept spread of decision d fit for pl->link, or NULL. */
static const spread *spread_kept(const stg_problem *p, const placement *pl,
                                 int d)
{
    if (!pl->cache || !pl->cache->sp[d].off || !counted_cross(p, pl, d))
        return NULL;
    return &pl->cache->sp[d];
}

/* Decision d's spread on pl->link: the kept one (built now if there is
 * room), else built into *own, which the caller frees.  NULL when out of
 * memory. */
static const spread *spread_get(const stg_problem *p, placement *pl, int d,
                                spread *own)
{
    spread_cache *sc = pl->cache;
    if (sc && counted_cross(p, pl, d)) {
        spread *c = &sc->sp[d];
        if (c->off)
            return c;
        if (sc->entries < SPREAD_CACHE_MAX) {
            int link = pl->link;
            const unsigned char *compelled = pl->compelled;
            pl->link = -1;
            pl->compelled = NULL;
            int rc = spread_build(p, pl, d, c);
            pl->link = link;
            pl->compelled = compelled;
            if (rc) {
                spread_free(c);
                return NULL;
            }
            sc->entries += (size_t)c->off[c->nvalues];
            return c;
        }
    }
    if (!own->off && spread_build(p, pl, d, own))
        return NULL;
    return own;
}

/* The smaller of floor and the shortest time (seconds, cyclic) from any
 * value of express full d's previous one to any value of d. */
static int min_gap(const stg_problem *p, int d, int floor)
{
    const stg_decision *dc = &p->dec[d], *pv = &p->dec[dc->prev];
    int cycle = p->fleet->cycle;
    for (int i = 0; i < dc->nvalues; i++)
        for (int j = 0; j < pv->nvalues; j++) {
            int g = ((dc->values[i] - pv->values[j]) % cycle + cycle) % cycle;
            if (g < floor)
                floor = g;
        }
    return floor;
}

/* The express fulls of a group carry the changes since the one before:
 * their volumes on a computer add up to a day's change (and the fixed
 * parts), whatever their times, so in every schedule one of them (the
 * one after the longest gap, the same on each computer) carries at
 * least the average.  With a consistency check, the first express full
 * after it carries only the changes since the check, but the others
 * (at least one: one check a day) still carry the time since the one
 * before, at least the shortest gap any two neighbours' values allow.
 * "The long express full" of the group, as a decision: any value of any
 * of its express fulls, each job at least that volume on its computer.
 * efs: the group's k express-full decisions (every one of a day cycle).
 * Fills sp; returns 1 when built, 0 when the group's decisions do not
 * fit that rule, -1 when out of memory. */
static int long_ef_spread(const stg_problem *p, placement *pl, const int *efs,
                          int k, spread *sp)
{
    const stg_decision *d0 = &p->dec[efs[0]];
    int nv = 0;
    memset(sp, 0, sizeof *sp);
    for (int i = 0; i < k; i++) {
        if (p->dec[efs[i]].njobs != d0->njobs)
            return 0;
        for (int j = 0; j < d0->njobs; j++)
            if (p->dec[efs[i]].jobs[j].computer != d0->jobs[j].computer)
                return 0;
        nv += p->dec[efs[i]].nvalues;
    }
    size_t n = 0, cap = 0;
    int rc = -1;
    /* per computer (job index): the volume the long one carries at least */
    double *least = stg_calloc((size_t)d0->njobs + 1, sizeof *least);
    sp->nvalues = nv;
    sp->off = stg_malloc(sizeof *sp->off * (size_t)(nv + 1));
    if (!least || !sp->off)
        goto out;
    if (p->fleet->groups[d0->group].has_cc &&
        p->settings->cc_start[d0->group] >= 0) {
        int gap = INT_MAX;      /* an uncut one's: its shortest gap */
        for (int i = 0; i < k; i++)
            gap = min_gap(p, efs[i], gap);
        for (int j = 0; j < d0->njobs; j++) {
            least[j] = INFINITY;
            for (int e = 0; e < k; e++) {
                const stg_dec_job *jb = &p->dec[efs[e]].jobs[j];
                double v = jb->rate * gap + jb->fixed;
                if (v < least[j])
                    least[j] = v;
            }
        }
    } else {                    /* the average */
        for (int j = 0; j < d0->njobs; j++) {
            for (int e = 0; e < k; e++)
                least[j] += p->dec[efs[e]].jobs[j].volume;
            least[j] /= k;
        }
    }
    int v = 0;
    for (int i = 0; i < k; i++) {
        const stg_decision *dc = &p->dec[efs[i]];
        for (int vi = 0; vi < dc->nvalues; vi++, v++) {
            sp->off[v] = (int)n;
            pl->ntouched = pl->nseen = 0;
            for (int j = 0; j < dc->njobs; j++) {
                const stg_dec_job *jb = &dc->jobs[j];
                double vol = jb->volume_lb > least[j] ? jb->volume_lb : least[j];
                int slot = stg_problem_job_slot(p, efs[i], vi, j);
                if (!counts(pl, jb->computer))
                    continue;
                add_busy(pl, jb->computer, slot,
                        stg_problem_queued_len(p, efs[i], jb->computer, slot,
                                               vol));
            }
            if (spread_take(pl, sp, &n, &cap))
                goto out;
        }
    }
    sp->off[nv] = (int)n;
    rc = 1;
out:
    stg_free(least);
    return rc;
}

static int share_computer(const stg_decision *a, const stg_decision *b)
{
    for (int i = 0; i < a->ncomputers; i++)
        for (int j = 0; j < b->ncomputers; j++)
            if (a->computers[i] == b->computers[j])
                return 1;
    return 0;
}

/* The smallest, over both decisions' values, of the highest load the two
 * put on the link over its background; stops early once it cannot beat
 * floor.  *work counts entry visits against the budget. */
static double pair_peak(const spread *a, const spread *b, double *load,
                        double floor, long *work)
{
    double best = INFINITY;
    for (int va = 0; va < a->nvalues && best > floor; va++) {
        double ma = 0;
        for (int k = a->off[va]; k < a->off[va + 1]; k++) {
            load[a->t[k]] += a->r[k];
            if (load[a->t[k]] > ma)
                ma = load[a->t[k]];
        }
        for (int vb = 0; vb < b->nvalues && ma < best; vb++) {
            double m = ma;
            for (int k = b->off[vb]; k < b->off[vb + 1] && m < best; k++)
                if (load[b->t[k]] + b->r[k] > m)
                    m = load[b->t[k]] + b->r[k];
            *work += b->off[vb + 1] - b->off[vb];
            if (m < best)
                best = m;
        }
        for (int k = a->off[va]; k < a->off[va + 1]; k++)
            load[a->t[k]] -= a->r[k];
        *work += a->off[va + 1] - a->off[va];
    }
    return best;
}

/* The express-full decisions of group g, into efs (room for nef);
 * returns how many, 0 when the long express full (long_ef_spread) does
 * not apply: a week cycle (days without express fulls break the sum, and
 * days without a check the one-cut rule), or fewer than two a day. */
static int group_efs(const stg_problem *p, int g, int *efs)
{
    int nef = p->fleet->groups[g].nef, k = 0;
    if (p->fleet->cycle != STG_DAY || nef < 2)
        return 0;
    for (int d = 0; d < p->ndecisions; d++)
        if (p->dec[d].kind == STG_DEC_EF && p->dec[d].group == g) {
            if (k == nef)
                return 0;
            efs[k++] = d;
        }
    return k == nef ? k : 0;
}

/* Raises *peak with the long express full (long_ef_spread) of each group
 * that has one among the n decisions on[] (spreads sp[], built as
 * needed), alone and beside each decision that shares no computer with
 * it, within the work budget. */
static int long_ef_pairs(const stg_problem *p, placement *pl, const int *on,
                         int n, spread *own, const spread **use, double *load,
                         double *peak, long *work, long budget)
{
    int rc = -1;
    int none_off[2] = { 0, 0 };
    spread none = { none_off, NULL, NULL, 1 };     /* one value, no load */
    spread lg;
    memset(&lg, 0, sizeof lg);
    int *efs = NULL;
    for (int i = 0; i < n && *work < budget; i++) {
        const stg_decision *di = &p->dec[on[i]];
        bool first = di->kind == STG_DEC_EF;
        for (int k = 0; k < i && first; k++)
            first = !(p->dec[on[k]].kind == STG_DEC_EF &&
                      p->dec[on[k]].group == di->group);
        if (!first)
            continue;
        stg_free(efs);
        efs = stg_malloc(sizeof *efs * (size_t)(p->fleet->groups[di->group].nef + 1));
        if (!efs)
            goto out;
        int k = group_efs(p, di->group, efs);
        spread_free(&lg);
        int built = k ? long_ef_spread(p, pl, efs, k, &lg) : 0;
        if (built < 0)
            goto out;
        if (!built)
            continue;
        double m = pair_peak(&lg, &none, load, *peak, work);
        if (isfinite(m) && m > *peak)
            *peak = m;
        for (int j = 0; j < n && *work < budget; j++) {
            if (share_computer(di, &p->dec[on[j]]))
                continue;
            if (!use[j] && !(use[j] = spread_get(p, pl, on[j], &own[j])))
                goto out;
            m = pair_peak(&lg, use[j], load, *peak, work);
            if (isfinite(m) && m > *peak)
                *peak = m;
        }
    }
    rc = 0;
out:
    spread_free(&lg);
    stg_free(efs);
    return rc;
}

/* Raises *peak with every pair of the n decisions on[] of link pl->link
 * that share no computer, and with each group's long express full,
 * within the work budget. */
static int pairs(const stg_problem *p, placement *pl, const int *on, int n,
                 const double *bg, double *peak, long *work, long budget)
{
    int N = p->nslots, rc = -1;
    spread *own = stg_calloc((size_t)n + 1, sizeof *own);
    const spread **use = stg_calloc((size_t)n + 1, sizeof *use);
    double *load = stg_malloc(sizeof *load * (size_t)N + 1);
    if (!own || !use || !load)
        goto out;
    memcpy(load, bg, sizeof *load * (size_t)N);
    for (int i = 0; i < n && *work < budget; i++) {
        if (!use[i] && !(use[i] = spread_get(p, pl, on[i], &own[i])))
            goto out;
        for (int j = i + 1; j < n && *work < budget; j++) {
            if (share_computer(&p->dec[on[i]], &p->dec[on[j]]))
                continue;
            if (!use[j] && !(use[j] = spread_get(p, pl, on[j], &own[j])))
                goto out;
            double m = pair_peak(use[i], use[j], load, *peak, work);
            if (isfinite(m) && m > *peak)
                *peak = m;
        }
    }
    if (long_ef_pairs(p, pl, on, n, own, use, load, peak, work, budget))
        goto out;
    rc = 0;
out:
    for (int i = 0; own && i < n; i++)
        spread_free(&own[i]);
    stg_free(own);
    stg_free(use);
    stg_free(load);
    return rc;
}

/* The lowest, over decision d's values, of the highest load its jobs put
 * on link pl->link over the background; stops once it cannot beat floor.
 * 0 when d does not load the link. */
static double placement_peak(const stg_problem *p, placement *pl, int d,
                             const double *bg, double floor)
{
    double best = INFINITY;
    const spread *k = spread_kept(p, pl, d);
    for (int vi = 0; k && vi < k->nvalues && best > floor; vi++) {
        double high = 0;
        for (int e = k->off[vi]; e < k->off[vi + 1]; e++)
            if (bg[k->t[e]] + k->r[e] > high)
                high = bg[k->t[e]] + k->r[e];
        if (high < best)
            best = high;
    }
    for (int vi = 0; !k && vi < p->dec[d].nvalues && best > floor; vi++) {
        pl->ntouched = pl->nseen = 0;
        queued_busy(pl, d, vi);
        double high = 0;
        for (int k = 0; k < pl->ntouched; k++) {
            int t = pl->touched[k];
            if (bg[t] + pl->extra[t] > high)
                high = bg[t] + pl->extra[t];
            pl->extra[t] = 0;
        }
        for (int k = 0; k < pl->nseen; k++)
            pl->seen[pl->seen_list[k]] = 0;
        if (high < best)
            best = high;
    }
    return isfinite(best) ? best : 0;
}

/* --- compulsory parts ------------------------------------------------
 *
 * A slot where a decision keeps a computer busy at every one of its
 * values (an express full with no flex, a check longer than its
 * window's slack, a sync longer than the offsets it may take) is busy in
 * every schedule: the compulsory part of cumulative scheduling.  The
 * link then carries at least its background plus the throttles of the
 * computers so compelled (each once a slot), and each decision's
 * placement is judged against that load: the lowest, over its values,
 * of the highest load it meets, its computers counted where they are
 * not compelled already. */

/* Computers of one decision a compulsory part is looked for on. */
#define COMPEL_MAX_COMPUTERS 16

typedef struct {
    const stg_problem *p;
    int link, no_wait, stamp_now;
    int comp[COMPEL_MAX_COMPUTERS], ncomp;
    int *stamp, *hits;          /* ncomp x nslots */
    int over;
} compel_ctx;

static void on_compel(void *arg, int c, int s, int len)
{
    compel_ctx *cc = arg;
    const stg_problem *p = cc->p;
    const stg_computer *cp = &p->fleet->computers[c];
    if (!stg_computer_crosses(cp, cc->link) ||
        (p->binding[cp->server] && !cc->no_wait))
        return;
    int i = 0, N = p->nslots;
    while (i < cc->ncomp && cc->comp[i] != c)
        i++;
    if (i == cc->ncomp) {
        if (cc->ncomp == COMPEL_MAX_COMPUTERS) {
            cc->over = 1;
            return;
        }
        cc->comp[cc->ncomp++] = c;
    }
    for (int k = 0; k < len && k < N; k++) {
        long at = (long)i * N + (s + k) % N;
        if (cc->stamp[at] != cc->stamp_now) {
            cc->stamp[at] = cc->stamp_now;
            cc->hits[at]++;
        }
    }
}

/* Whether decision d may have a compulsory part: one value, or a job
 * that may last longer than the spread of its values (min_bytes: each
 * computer's fewest bytes a slot). */
static bool may_compel(const stg_problem *p, int d, const double *min_bytes)
{
    const stg_decision *dc = &p->dec[d];
    if (dc->nvalues <= 1)
        return dc->nvalues == 1;
    double span = (double)(dc->values[dc->nvalues - 1] - dc->values[0]) / p->res;
    for (int j = 0; j < dc->njobs; j++) {
        double mb = min_bytes[dc->jobs[j].computer];
        if (dc->jobs[j].volume_lb > 0 &&
            (mb <= 0 || dc->jobs[j].volume_lb / mb + 1 > span))
            return true;
    }
    return false;
}

/* The highest rate decision d's computers put on link l together. */
static double dec_rate(const stg_problem *p, int d, int l)
{
    const stg_decision *dc = &p->dec[d];
    double r = 0;
    for (int j = 0; j < dc->ncomputers; j++) {
        int c = dc->computers[j];
        if (!stg_computer_crosses(&p->fleet->computers[c], l))
            continue;
        const int64_t *rate = stg_problem_rates(p, c);
        int64_t most = 0;
        for (int t = 0; t < p->nslots; t++)
            if (rate[t] > most)
                most = rate[t];
        r += (double)most;
    }
    return r;
}

/* The max (at most) decisions of on[0..n) with the highest rates on link
 * l, into out[]; returns how many. */
static int heaviest(const stg_problem *p, int l, const int *on, int n,
                    int max, int *out)
{
    double w[PAIR_MAX_DECISIONS + 1];
    int m = 0;
    for (int k = 0; k < n; k++) {
        double r = dec_rate(p, on[k], l);
        if (m == max && r <= w[m - 1])
            continue;
        int i = m < max ? m++ : m - 1;
        while (i > 0 && w[i - 1] < r) {
            w[i] = w[i - 1];
            out[i] = out[i - 1];
            i--;
        }
        w[i] = r;
        out[i] = on[k];
    }
    return m;
}

/* Adds to load[] (over the background) and compelled[] the compulsory
 * parts of the decisions on[0..n) that may have one (cand[]) on link l;
 * rows[] receives the computers whose rows of compelled[] it set (*nrows
 * of them; rows_in[c] says whether c is there).  Returns 0, -1 when out
 * of memory. */
static int compel(const stg_problem *p, int l, int no_wait, const int *on,
                  int n, const bool *cand, unsigned char *compelled,
                  int *rows, int *nrows, bool *rows_in, double *load)
{
    int N = p->nslots, rc = -1, any = 0;
    compel_ctx cc;
    memset(&cc, 0, sizeof cc);
    for (int k = 0; k < n && !any; k++)
        any = cand[on[k]];
    if (!any)
        return 0;
    cc.p = p;
    cc.link = l;
    cc.no_wait = no_wait;
    cc.stamp = stg_calloc((size_t)COMPEL_MAX_COMPUTERS * N + 1, sizeof *cc.stamp);
    cc.hits = stg_calloc((size_t)COMPEL_MAX_COMPUTERS * N + 1, sizeof *cc.hits);
    if (!cc.stamp || !cc.hits)
        goto out;
    for (int k = 0; k < n; k++) {
        int d = on[k];
        if (!cand[d])
            continue;
        /* the rows the last decision used back to zero */
        memset(cc.stamp, 0, sizeof *cc.stamp * (size_t)cc.ncomp * N);
        memset(cc.hits, 0, sizeof *cc.hits * (size_t)cc.ncomp * N);
        cc.ncomp = cc.over = 0;
        for (int vi = 0; vi < p->dec[d].nvalues && !cc.over; vi++) {
            cc.stamp_now = vi + 1;
            stg_problem_busy(p, d, vi, STG_BUSY_QUEUED, on_compel, &cc);
        }
        for (int i = 0; i < cc.ncomp && !cc.over; i++) {
            int c = cc.comp[i];
            const int64_t *rate = stg_problem_rates(p, c);
            for (int t = 0; t < N; t++) {
                long key = (long)c * N + t;
                if (cc.hits[(long)i * N + t] != p->dec[d].nvalues ||
                    compelled[key])
                    continue;
                compelled[key] = 1;
                if (!rows_in[c]) {
                    rows_in[c] = true;
                    rows[(*nrows)++] = c;
                }
                load[t] += (double)rate[t];
            }
        }
    }
    rc = 0;
out:
    stg_free(cc.stamp);
    stg_free(cc.hits);
    return rc;
}

/* --- energy over intervals -------------------------------------------
 *
 * A job whose busy slots [r, r+D) lie inside an interval I for every
 * value of its decision keeps its computer busy for D slots inside I in
 * every schedule (busy from its release until its volume has moved).
 * One computer's jobs may overlap, so each computer counts only its
 * longest such job, at its lowest throttle inside I.  The link's load,
 * summed over I, is then at least its background there plus those
 * computers' throttle-slots, and its peak at least that sum over |I|.
 * The intervals tried are those between the hulls of the decisions
 * whose jobs are confined (express fulls and checks, mostly). */

/* Per decision job: the hull of its busy slots over every value (from
 * = -1 when it wraps past the cycle end or covers it) and its shortest
 * duration. */
typedef struct {
    int from, to, dmin;
} job_hull;

static void job_hull_of(const stg_problem *p, int d, int j, job_hull *out)
{
    const stg_decision *dc = &p->dec[d];
    const stg_dec_job *jb = &dc->jobs[j];
    if (dc->kind == STG_DEC_SYNC) {
        /* a series covers its whole period: never confined enough to
         * matter, and there are many of them */
        out->from = -1;
        out->to = 0;
        out->dmin = 0;
        return;
    }
    int N = p->nslots, lo = N, hi = 0, dmin = N, wraps = 0;
    for (int vi = 0; vi < dc->nvalues; vi++) {
        int r = stg_problem_job_slot(p, d, vi, j);
        int len = stg_problem_duration(p, jb->computer, r, jb->volume_lb);
        wraps |= r + len > N;
        if (r < lo)
            lo = r;
        if (r + len > hi)
            hi = r + len;
        if (len < dmin)
            dmin = len;
    }
    out->from = wraps || hi - lo >= N ? -1 : lo;
    out->to = hi;
    out->dmin = dmin;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

#define ENERGY_CUTS 48

static void add_cut(int *cut, int *n, int v)
{
    for (int i = 0; i < *n; i++)
        if (cut[i] == v)
            return;
    if (*n < ENERGY_CUTS)
        cut[(*n)++] = v;
}

/* A job confined to an interval in every schedule, on one link. */
typedef struct {
    int from, to, dmin, computer;
} confined;

/* Every computer's throttle over the cycle as pieces of one rate:
 * computer c's are at[off[c]] .. at[off[c + 1] - 1], each from its
 * slot to the next one's (a throttle profile has a few; most computers
 * one). */
typedef struct {
    int *off;
    int *from;
    double *rate;
} rate_pieces;

static void pieces_free(rate_pieces *rp)
{
    stg_free(rp->off);
    stg_free(rp->from);
    stg_free(rp->rate);
}

static int pieces_build(const stg_problem *p, rate_pieces *rp)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, C = f->ncomputers;
    rp->off = stg_malloc(sizeof *rp->off * (size_t)(C + 1));
    if (!rp->off)
        return -1;
    rp->off[0] = 0;
    for (int c = 0; c < C; c++) {
        const int64_t *rate = stg_problem_rates(p, c);
        int n = 1;
        for (int t = 1; t < N; t++)
            n += rate[t] != rate[t - 1];
        rp->off[c + 1] = rp->off[c] + n;
    }
    rp->from = stg_malloc(sizeof *rp->from * (size_t)(rp->off[C] + 1));
    rp->rate = stg_malloc(sizeof *rp->rate * (size_t)(rp->off[C] + 1));
    if (!rp->from || !rp->rate)
        return -1;
    for (int c = 0; c < C; c++) {
        const int64_t *rate = stg_problem_rates(p, c);
        int k = rp->off[c];
        for (int t = 0; t < N; t++)
            if (t == 0 || rate[t] != rate[t - 1]) {
                rp->from[k] = t;
                rp->rate[k++] = (double)rate[t];
            }
    }
    return 0;
}

/* Computer c's lowest throttle over the slots [a, b). */
static double rate_min(const rate_pieces *rp, int c, int a, int b)
{
    double rmin = INFINITY;
    for (int k = rp->off[c]; k < rp->off[c + 1]; k++) {
        int end = k + 1 < rp->off[c + 1] ? rp->from[k + 1] : INT_MAX;
        if (rp->from[k] < b && end > a && rp->rate[k] < rmin)
            rmin = rp->rate[k];
    }
    return rmin;
}

/* Raises *peak with the energy of intervals on link l, from the
 * decisions on[] (n of them); hulls[job_first[d] + j] is decision d's job
 * j's hull. */
static int energy(const stg_problem *p, int l, const int *on, int n,
                  const double *bg, int no_wait, const job_hull *hulls,
                  const int *job_first, const rate_pieces *rp, double *peak)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, rc = -1, nj = 0;
    int ncuts_a = 0, ncuts_b = 0;
    int cut_a[ENERGY_CUTS], cut_b[ENERGY_CUTS];
    double *prefix = stg_malloc(sizeof *prefix * (size_t)(N + 1));
    double *best = stg_calloc((size_t)f->ncomputers + 1, sizeof *best);
    int *touched = stg_malloc(sizeof *touched * (size_t)(f->ncomputers + 1));
    confined *jobs = NULL;
    if (!prefix || !best || !touched)
        goto out;
    prefix[0] = 0;
    for (int t = 0; t < N; t++)
        prefix[t + 1] = prefix[t] + bg[t];
    /* the jobs that count (confined, on a computer that crosses l and
     * cannot wait), and the cut points: their hulls (express fulls and
     * checks: few, and where loads crowd) */
    for (int k = 0; k < n; k++)
        if (p->dec[on[k]].kind != STG_DEC_SYNC)
            nj += p->dec[on[k]].njobs;
    jobs = stg_malloc(sizeof *jobs * (size_t)(nj + 1));
    if (!jobs)
        goto out;
    nj = 0;
    for (int k = 0; k < n; k++) {
        const stg_decision *dc = &p->dec[on[k]];
        if (dc->kind == STG_DEC_SYNC)
            continue;
        for (int j = 0; j < dc->njobs; j++) {
            const job_hull *h = &hulls[job_first[on[k]] + j];
            if (h->from < 0)
                continue;
            add_cut(cut_a, &ncuts_a, h->from);
            add_cut(cut_b, &ncuts_b, h->to);
            const stg_computer *cp = &f->computers[dc->jobs[j].computer];
            if ((p->binding[cp->server] && !no_wait) ||
                !stg_computer_crosses(cp, l))
                continue;
            jobs[nj++] = (confined){ h->from, h->to, h->dmin,
                                     dc->jobs[j].computer };
        }
    }
    qsort(cut_a, (size_t)ncuts_a, sizeof *cut_a, by_int);
    qsort(cut_b, (size_t)ncuts_b, sizeof *cut_b, by_int);
    for (int ia = 0; ia < ncuts_a; ia++)
        for (int ib = 0; ib < ncuts_b; ib++) {
            int a = cut_a[ia], b = cut_b[ib], nt = 0;
            if (b <= a)
                continue;
            for (int i = 0; i < nj; i++) {
                const confined *jb = &jobs[i];
                if (jb->from < a || jb->to > b)
                    continue;
                /* at its lowest throttle inside [a, b) */
                double e = rate_min(rp, jb->computer, a, b) * jb->dmin;
                if (best[jb->computer] == 0)
                    touched[nt++] = jb->computer;
                if (e > best[jb->computer])
                    best[jb->computer] = e;
            }
            double total = prefix[b] - prefix[a];
            for (int i = 0; i < nt; i++) {
                total += best[touched[i]];
                best[touched[i]] = 0;
            }
            if (total / (b - a) > *peak)
                *peak = total / (b - a);
        }
    rc = 0;
out:
    stg_free(prefix);
    stg_free(best);
    stg_free(touched);
    stg_free(jobs);
    return rc;
}

/* cand[d]: whether decision d may have a compulsory part (may_compel).
 * Returns 0, -1 when out of memory. */
static int compel_candidates(const stg_problem *p, bool *cand)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots;
    double *min_bytes = stg_malloc(sizeof *min_bytes * (size_t)f->ncomputers + 1);
    if (!min_bytes)
        return -1;
    for (int c = 0; c < f->ncomputers; c++) {
        const double *by = stg_problem_slot_bytes(p, c);
        min_bytes[c] = by[0];
        for (int t = 1; t < N; t++)
            if (by[t] < min_bytes[c])
                min_bytes[c] = by[t];
    }
    for (int d = 0; d < p->ndecisions; d++)
        cand[d] = may_compel(p, d, min_bytes);
    stg_free(min_bytes);
    return 0;
}

/* Each link's background (bg, links x slots) and its first bounds in
 * peak[]: the highest background, and the average (every busy slot
 * loads the link with the whole throttle: a computer's volume over what
 * a busy slot moves, or, where it cannot wait and busy is set, its
 * stg_problem_min_work(), whichever is more).  Returns 0, -1 when out of
 * memory. */
static int background_average(const stg_problem *p, int no_wait, bool busy,
                              double *bg, double *peak)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, L = f->nlinks;
    double *sum = stg_calloc((size_t)L + 1, sizeof *sum);
    double *vol = stg_calloc((size_t)f->ncomputers + 1, sizeof *vol);
    const double *min_work = busy ? stg_problem_min_work(p) : NULL;
    if (!sum || !vol || (busy && !min_work)) {
        stg_free(sum);
        stg_free(vol);
        return -1;
    }
    for (int l = 0; l < L; l++)
        for (int t = 0; t < N; t++) {
            double b = (double)llround(stg_link_background_at(f, &f->links[l],
                                                              t * p->res));
            bg[(long)l * N + t] = b;
            sum[l] += b;
            if (b > peak[l])
                peak[l] = b;
        }
    for (int d = 0; d < p->ndecisions; d++)
        for (int j = 0; j < p->dec[d].njobs; j++)
            vol[p->dec[d].jobs[j].computer] += p->dec[d].jobs[j].volume_lb;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        double work = vol[c] * 8.0 / (f->efficiency * p->res);
        if (min_work && (no_wait || !p->binding[cp->server]) &&
            min_work[c] > work)
            work = min_work[c];
        for (int i = 0; i < cp->nfull_path; i++)
            sum[cp->full_path[i]] += work;
    }
    for (int l = 0; l < L; l++)
        if (sum[l] / N > peak[l])
            peak[l] = sum[l] / N;
    stg_free(sum);
    stg_free(vol);
    return 0;
}

/* wait[c]: the slots computer c of a server with a binding max_jobs may
 * wait in a cycle (the waiting bound above).  Returns 0, -1 when out of
 * memory. */
static int wait_slots(const stg_problem *p, int *wait)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, C = f->ncomputers, rc = -1;
    double *vol_ub = stg_calloc((size_t)C + 1, sizeof *vol_ub);
    double *bmax = stg_calloc((size_t)C + 1, sizeof *bmax);
    int *njobs = stg_calloc((size_t)C + 1, sizeof *njobs);
    if (!vol_ub || !bmax || !njobs)
        goto out;
    for (int d = 0; d < p->ndecisions; d++)
        for (int j = 0; j < p->dec[d].njobs; j++) {
            vol_ub[p->dec[d].jobs[j].computer] += p->dec[d].jobs[j].volume_ub;
            njobs[p->dec[d].jobs[j].computer]++;
        }
    for (int c = 0; c < C; c++)
        bmax[c] = busy_slots_max(p, c, vol_ub, njobs);
    for (int sv = 0; sv < f->nservers; sv++) {
        if (!p->binding[sv])
            continue;
        double total = 0;
        for (int c = 0; c < C; c++)
            if (f->computers[c].server == sv)
                total += bmax[c];
        for (int c = 0; c < C; c++)
            if (f->computers[c].server == sv) {
                double w = floor((total - bmax[c]) / f->servers[sv].max_jobs);
                wait[c] = w < N ? (int)w : N;
            }
    }
    rc = 0;
out:
    stg_free(vol_ub);
    stg_free(bmax);
    stg_free(njobs);
    return rc;
}

/* The decisions of each link: link l's are (*list)[first[l] ..
 * first[l] + ndec[l]) (*list allocated here; first has room for L + 1,
 * ndec for L).  Returns 0, -1 when out of memory. */
static int link_decisions(const stg_problem *p, int **list, int *first,
                          int *ndec)
{
    const stg_fleet *f = p->fleet;
    int L = f->nlinks;
    int *mark = stg_calloc((size_t)L + 1, sizeof *mark);
    if (!mark)
        return -1;
    for (int pass = 0; pass < 2; pass++) {
        memset(mark, 0, sizeof *mark * (size_t)L);
        memset(ndec, 0, sizeof *ndec * (size_t)L);
        for (int d = 0; d < p->ndecisions; d++)
            for (int j = 0; j < p->dec[d].ncomputers; j++) {
                const stg_computer *cp = &f->computers[p->dec[d].computers[j]];
                for (int i = 0; i < cp->nfull_path; i++) {
                    int l = cp->full_path[i];
                    if (mark[l] == d + 1)
                        continue;
                    mark[l] = d + 1;
                    if (pass)
                        (*list)[first[l] + ndec[l]] = d;
                    ndec[l]++;
                }
            }
        if (!pass) {
            first[0] = 0;
            for (int l = 0; l < L; l++)
                first[l + 1] = first[l] + ndec[l];
            *list = stg_malloc(sizeof **list * (size_t)(first[L] + 1));
            if (!*list) {
                stg_free(mark);
                return -1;
            }
        }
    }
    stg_free(mark);
    return 0;
}

int stg_bound_links(const stg_problem *p, unsigned how, const stg_limit *lim,
                    const bool *only, double *bound)
{
    int no_wait = (how & STG_BOUND_NO_WAIT) != 0;
    const stg_fleet *f = p->fleet;
    int N = p->nslots, L = f->nlinks, nd = p->ndecisions;
    int rc = -1;
    long work = 0;
    double *bg = stg_malloc(sizeof *bg * (size_t)L * (size_t)N + 1);
    double *peak = stg_calloc((size_t)L + 1, sizeof *peak);
    int *wait = stg_calloc((size_t)f->ncomputers + 1, sizeof *wait);
    double *g = stg_malloc(sizeof *g * (size_t)N + 1);
    int maxv = 1;
    for (int d = 0; d < nd; d++)
        if (p->dec[d].nvalues > maxv)
            maxv = p->dec[d].nvalues;
    double *high = stg_malloc(sizeof *high * (size_t)maxv);
    double *h = stg_malloc(sizeof *h * (size_t)N + 1);
    int *dq = stg_malloc(sizeof *dq * (size_t)(2 * N + 1));
    int *ndec = stg_calloc((size_t)L + 1, sizeof *ndec);
    int *first = stg_calloc((size_t)L + 2, sizeof *first);
    int *list = NULL;
    int *job_first = NULL;
    job_hull *hulls = NULL;
    /* compulsory parts */
    bool *cand = stg_calloc((size_t)nd + 1, sizeof *cand);
    unsigned char *compelled = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, 1);
    int *rows = stg_malloc(sizeof *rows * (size_t)f->ncomputers + 1);
    bool *rows_in = stg_calloc((size_t)f->ncomputers + 1, sizeof *rows_in);
    double *cload = stg_malloc(sizeof *cload * (size_t)N + 1);
    int *heavy = stg_malloc(sizeof *heavy * (PAIR_MAX_DECISIONS + 1));
    rate_pieces rp = { NULL, NULL, NULL };
    spread_cache sc = { stg_calloc((size_t)nd + 1, sizeof *sc.sp),
                        stg_malloc(sizeof *sc.last * (size_t)(nd + 1)), 0 };
    placement pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.no_wait = no_wait;
    pl.cache = &sc;
    pl.compelled_in = rows_in;
    pl.extra = stg_calloc((size_t)N + 1, sizeof *pl.extra);
    pl.touched = stg_malloc(sizeof *pl.touched * (size_t)N + 1);
    pl.seen = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, 1);
    pl.seen_list = stg_malloc(sizeof *pl.seen_list
                              * ((size_t)f->ncomputers * (size_t)N + 1));
    if (!bg || !peak || !wait || !sc.sp || !sc.last ||
        !g || !h || !high || !dq || !ndec || !first ||
        !pl.extra || !pl.touched || !pl.seen || !pl.seen_list ||
        !cand || !compelled || !rows || !rows_in || !cload ||
        !heavy || compel_candidates(p, cand) ||
        link_decisions(p, &list, first, ndec))
        goto out;
    bool wide = false;          /* a link the busy slots' average may bind */
    for (int l = 0; l < L; l++)
        wide = wide || ndec[l] >= AVERAGE_MIN_DECISIONS;
    if (background_average(p, no_wait, wide, bg, peak) ||
        wait_slots(p, wait) || pieces_build(p, &rp))
        goto out;
    /* every decision job's hull, for the energy bound */
    job_first = stg_malloc(sizeof *job_first * (size_t)(nd + 1));
    if (!job_first)
        goto out;
    job_first[0] = 0;
    for (int d = 0; d < nd; d++)
        job_first[d + 1] = job_first[d] + p->dec[d].njobs;
    hulls = stg_malloc(sizeof *hulls * (size_t)(job_first[nd] + 1));
    if (!hulls)
        goto out;
    for (int d = 0; d < nd; d++)
        for (int j = 0; j < p->dec[d].njobs; j++)
            job_hull_of(p, d, j, &hulls[job_first[d] + j]);
    /* a kept spread is freed after the last link that may read it */
    for (int l = 0; l < L; l++)
        for (int k = first[l]; (!only || only[l]) && k < first[l + 1]; k++)
            sc.last[list[k]] = l;

    for (int l = 0; l < L; l++) {
        const double *b = bg + (long)l * N;
        pl.link = l;
        bound[l] = 1 - peak[l] / f->links[l].capacity;
        /* out of time: the bounds so far (background, average) hold */
        if ((lim && stg_limit_reached(lim)) || (only && !only[l]))
            continue;
        if (energy(p, l, list + first[l], ndec[l], b, no_wait, hulls,
                   job_first, &rp, &peak[l]))
            goto out;
        /* the compulsory parts: the load under them, and each placement
         * judged against it */
        int nrows = 0;
        memcpy(cload, b, sizeof *cload * (size_t)N);
        if (compel(p, l, no_wait, list + first[l], ndec[l], cand, compelled,
                   rows, &nrows, rows_in, cload))
            goto out;
        for (int t = 0; nrows && t < N; t++)
            if (cload[t] > peak[l])
                peak[l] = cload[t];
        /* the placement bounds count one decision's jobs against a link:
         * on a link shared by many they say nothing the average does not,
         * unless compulsory parts load it */
        bool many = ndec[l] > PLACEMENT_MAX_DECISIONS;
        pl.compelled = nrows ? compelled : NULL;
        for (int k = first[l]; k < first[l + 1] && (!many || nrows); k++) {
            double m = placement_peak(p, &pl, list[k], cload, peak[l]);
            if (m > peak[l])
                peak[l] = m;
            if (!no_wait && !many) {
                m = waiting_peak(p, list[k], l, wait, b, g, h, dq, high);
                if (m > peak[l])
                    peak[l] = m;
            }
        }
        /* pairs, against the compulsory load too: on links with few
         * decisions, and on others the heaviest of them where compulsory
         * parts load the link (a shared core link has many decisions,
         * each a small part of its load: pairs say little there) */
        int npair = ndec[l];
        const int *pair_on = list + first[l];
        if (npair > PAIR_MAX_DECISIONS && nrows) {
            npair = heaviest(p, l, pair_on, npair, PAIR_HEAVY, heavy);
            pair_on = heavy;
        }
        long link_work = 0;
        if (npair <= PAIR_MAX_DECISIONS && work < PAIR_BUDGET_ALL &&
            pairs(p, &pl, pair_on, npair, cload, &peak[l], &link_work,
                  pair_on == heavy ? PAIR_BUDGET_HEAVY : PAIR_BUDGET))
            goto out;
        work += link_work;
        pl.compelled = NULL;
        for (int i = 0; i < nrows; i++) {
            memset(compelled + (long)rows[i] * N, 0, (size_t)N);
            rows_in[rows[i]] = false;
        }
        spread_cache_done(&sc, l, list + first[l], ndec[l]);
        bound[l] = 1 - peak[l] / f->links[l].capacity;
    }
    rc = 0;
out:
    stg_free(bg);
    stg_free(peak);
    stg_free(wait);
    stg_free(g);
    stg_free(h);
    stg_free(high);
    stg_free(dq);
    stg_free(ndec);
    stg_free(first);
    stg_free(list);
    stg_free(job_first);
    stg_free(hulls);
    stg_free(cand);
    stg_free(compelled);
    stg_free(rows);
    stg_free(rows_in);
    stg_free(cload);
    stg_free(heavy);
    pieces_free(&rp);
    spread_cache_free(&sc, nd);
    stg_free(pl.extra);
    stg_free(pl.touched);
    stg_free(pl.seen);
    stg_free(pl.seen_list);
    return rc;
}

int stg_bound_affected(const stg_problem *p, const stg_throttle *was,
                       bool *redo)
{
    const stg_fleet *f = p->fleet;
    int C = f->ncomputers, rc = -1;
    bool *srv = stg_calloc((size_t)f->nservers + 1, sizeof *srv);
    bool *moved = stg_calloc((size_t)C + 1, sizeof *moved);
    if (!srv || !moved)
        goto out;
    for (int c = 0; c < C; c++) {
        int sv = f->computers[c].server;
        moved[c] = !stg_throttle_same(&was[c], &p->settings->throttle[c]);
        if (moved[c] && sv >= 0 && p->binding[sv])
            srv[sv] = true;
    }
    for (int c = 0; c < C; c++) {
        int sv = f->computers[c].server;
        moved[c] |= sv >= 0 && srv[sv];
    }
    memset(redo, 0, sizeof *redo * (size_t)f->nlinks);
    for (int c = 0; c < C; c++) {
        if (!moved[c])
            continue;
        for (int k = 0; k < f->computers[c].nfull_path; k++)
            redo[f->computers[c].full_path[k]] = true;
        for (int i = p->cj_off[c]; i < p->cj_off[c + 1]; i++) {
            const stg_decision *dc = &p->dec[p->cj_dec[i]];
            for (int j = 0; j < dc->ncomputers; j++) {
                const stg_computer *cp = &f->computers[dc->computers[j]];
                for (int k = 0; k < cp->nfull_path; k++)
                    redo[cp->full_path[k]] = true;
            }
        }
    }
    rc = 0;
out:
    stg_free(srv);
    stg_free(moved);
    return rc;
}

/* --- proofs ------------------------------------------------------------ */

static void proof_add(stg_proof *out, int max, int *n, stg_proof pr)
{
    int at;
    if (*n < max) {
        at = (*n)++;
    } else {
        if (out[max - 1].load >= pr.load)
            return;
        at = max - 1;
    }
    out[at] = pr;
    while (at > 0 && out[at - 1].load < out[at].load) {
        stg_proof t = out[at - 1];
        out[at - 1] = out[at];
        out[at] = t;
        at--;
    }
}

int stg_bound_proofs(const stg_problem *p, int l, double load_over,
                     stg_proof *out, int max, int *n)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, nd = p->ndecisions, rc = -1, non = 0;
    *n = 0;
    placement pl;
    memset(&pl, 0, sizeof pl);
    pl.p = p;
    pl.link = l;
    pl.no_wait = 1;
    double *bg = stg_malloc(sizeof *bg * (size_t)N + 1);
    double *single = stg_calloc((size_t)nd + 1, sizeof *single);
    int *on = stg_malloc(sizeof *on * (size_t)(nd + 1));
    spread *sp = NULL;
    double *load = stg_malloc(sizeof *load * (size_t)N + 1);
    pl.extra = stg_calloc((size_t)N + 1, sizeof *pl.extra);
    pl.touched = stg_malloc(sizeof *pl.touched * (size_t)N + 1);
    pl.seen = stg_calloc((size_t)f->ncomputers * (size_t)N + 1, 1);
    pl.seen_list = stg_malloc(sizeof *pl.seen_list
                              * ((size_t)f->ncomputers * (size_t)N + 1));
    if (!bg || !single || !on || !load || !pl.extra || !pl.touched ||
        !pl.seen || !pl.seen_list || max < 1)
        goto out;
    int peak_at = 0;
    for (int t = 0; t < N; t++) {
        bg[t] = (double)llround(stg_link_background_at(f, &f->links[l],
                                                       t * p->res));
        if (bg[t] > bg[peak_at])
            peak_at = t;
    }
    if (bg[peak_at] > load_over)
        proof_add(out, max, n, (stg_proof){ STG_PROOF_BACKGROUND, -1, -1,
                                            bg[peak_at], peak_at });
    for (int d = 0; d < nd; d++) {
        bool crosses = false;
        for (int j = 0; j < p->dec[d].ncomputers && !crosses; j++)
            crosses = stg_computer_crosses(
                &f->computers[p->dec[d].computers[j]], l);
        if (!crosses)
            continue;
        on[non++] = d;
        single[d] = placement_peak(p, &pl, d, bg, -INFINITY);
        if (single[d] > load_over && single[d] > bg[peak_at])
            proof_add(out, max, n, (stg_proof){ STG_PROOF_ONE, d, -1,
                                                single[d], -1 });
    }
    if (non <= PAIR_MAX_DECISIONS) {
        long work = 0;
        sp = stg_calloc((size_t)non + 1, sizeof *sp);
        if (!sp)
            goto out;
        memcpy(load, bg, sizeof *load * (size_t)N);
        for (int i = 0; i < non && work < PAIR_BUDGET; i++) {
            if (!sp[i].off && spread_build(p, &pl, on[i], &sp[i]))
                goto out;
            for (int j = i + 1; j < non && work < PAIR_BUDGET; j++) {
                int a = on[i], b = on[j];
                if (share_computer(&p->dec[a], &p->dec[b]))
                    continue;
                if (!sp[j].off && spread_build(p, &pl, on[j], &sp[j]))
                    goto out;
                double floor = single[a] > single[b] ? single[a] : single[b];
                if (floor < load_over)
                    floor = load_over;
                double m = pair_peak(&sp[i], &sp[j], load, floor, &work);
                if (isfinite(m) && m > floor)
                    proof_add(out, max, n, (stg_proof){ STG_PROOF_PAIR, a, b,
                                                        m, -1 });
            }
        }
    }
    rc = 0;
out:
    for (int i = 0; sp && i < non; i++)
        spread_free(&sp[i]);
    stg_free(sp);
    stg_free(bg);
    stg_free(single);
    stg_free(on);
    stg_free(load);
    stg_free(pl.extra);
    stg_free(pl.touched);
    stg_free(pl.seen);
    stg_free(pl.seen_list);
    return rc;
}
