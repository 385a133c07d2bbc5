/* stagger: greedy construction and local search (see heuristic.h). */
#include "heuristic.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "trace.h"

/* xorshift64*: small, fast, and the same everywhere */
static uint64_t next_random(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1DULL;
}

static uint64_t seed_state(uint64_t seed)
{
    uint64_t s = seed * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
    return s ? s : 1;
}

/* Domains larger than this are scanned coarse to fine. */
#define COARSE 48

int stg_scan_values(int n, int rotate, int skip,
                    int (*try_vi)(void *arg, int vi), void *arg)
{
    int best = -1, step = n > COARSE ? (n + COARSE / 2 - 1) / (COARSE / 2) : 1;
    for (int k = 0; k < n; k += step) {
        int vi = (k + rotate) % n, r = vi == skip ? 0 : try_vi(arg, vi);
        if (r < 0)
            return -2;
        if (r > 0)
            best = vi;
    }
    if (step > 1 && best >= 0) {
        int centre = best;
        for (int k = -step + 1; k < step; k++) {
            int vi = ((centre + k) % n + n) % n;
            int r = k == 0 || vi == skip ? 0 : try_vi(arg, vi);
            if (r < 0)
                return -2;
            if (r > 0)
                best = vi;
        }
    }
    return best;
}

typedef struct {
    stg_state *st;
    int d, nl;
    const int *links;
    stg_score best;
    bool any;
} value_scan;

/* Scores value vi of the unplaced decision; 1 when it beats the best so
 * far (stg_scan_values()). */
static int try_value(void *arg, int vi)
{
    value_scan *v = arg;
    stg_score cur;
    stg_state_try(v->st, v->d, vi, v->links, v->nl, &cur);
    if (v->any && stg_score_cmp(&cur, &v->best) >= 0)
        return 0;
    v->best = cur;
    v->any = true;
    return 1;
}

int stg_best_value(stg_state *st, int d, int rotate, int skip)
{
    value_scan v = { .st = st, .d = d };
    v.links = stg_state_dec_links(st, d, &v.nl);
    return stg_scan_values(stg_state_problem(st)->dec[d].nvalues, rotate,
                           skip, try_value, &v);
}

typedef struct {
    double weight;
    int fixed, index;
} order_item;

static int by_weight(const void *a, const void *b)
{
    const order_item *x = a, *y = b;
    if (x->fixed != y->fixed)
        return y->fixed - x->fixed;
    if (x->weight != y->weight)
        return x->weight > y->weight ? -1 : 1;
    return x->index - y->index;
}

stg_state *stg_greedy(const stg_problem *p, uint64_t seed,
                      const stg_limit *lim)
{
    stg_state *st = stg_state_new(p);
    order_item *order = stg_malloc(sizeof *order * (size_t)(p->ndecisions + 1));
    if (!st || !order) {
        stg_state_free(st);
        stg_free(order);
        return NULL;
    }
    uint64_t rng = seed_state(seed);
    for (int d = 0; d < p->ndecisions; d++) {
        order[d].weight = p->dec[d].weight;
        order[d].fixed = p->dec[d].nvalues == 1;
        order[d].index = d;
    }
    qsort(order, (size_t)p->ndecisions, sizeof *order, by_weight);
    for (int k = 0; k < p->ndecisions; k++) {
        int d = order[k].index;
        int rotate = seed ? (int)(next_random(&rng) % (uint64_t)p->dec[d].nvalues)
                          : 0;
        /* out of time: the rest keep today's values */
        int vi = lim && stg_limit_reached(lim)
                     ? p->dec[d].current
                     : stg_best_value(st, d, rotate, -1);
        stg_state_place(st, d, vi);
    }
    stg_free(order);
    if (stg_state_oom(st)) {
        stg_state_free(st);
        return NULL;
    }
    return st;
}

/* --- local search --------------------------------------------------- */

/* The slots at link l's peak, into ps (nslots of room); returns how
 * many. */
static int peak_slots(const stg_state *st, int l, int *ps)
{
    const stg_problem *p = stg_state_problem(st);
    int64_t peak = stg_state_peak(st, l);
    int n = 0;
    for (int t = 0; t < p->nslots; t++)
        if (stg_state_load(st, l, t) == peak)
            ps[n++] = t;
    return n;
}

/* Does decision d load a peak slot of a link (its nps slots ps): is one
 * of its computers on link l sending then? */
static int at_peak(stg_state *st, int d, int l, const int *ps, int nps)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_decision *dc = &p->dec[d];
    for (int j = 0; j < dc->ncomputers; j++) {
        int c = dc->computers[j];
        if (!stg_computer_crosses(&p->fleet->computers[c], l))
            continue;
        for (int i = 0; i < nps; i++)
            if (stg_state_busy(st, c, ps[i]))
                return 1;
    }
    return 0;
}

/* Tries to improve through decision d; returns 1 when it moved it. */
static int improve(stg_state *st, int d)
{
    const stg_problem *p = stg_state_problem(st);
    if (p->dec[d].nvalues < 2)
        return 0;
    int nl;
    const int *links = stg_state_dec_links(st, d, &nl);
    stg_score before, after;
    stg_state_score(st, links, nl, &before);
    int cur = stg_state_value(st, d);
    stg_state_remove(st, d);
    int vi = stg_best_value(st, d, cur + 1, cur);
    if (vi >= 0) {
        stg_state_place(st, d, vi);
        stg_state_score(st, links, nl, &after);
        if (stg_score_cmp(&after, &before) < 0)
            return 1;
        stg_state_remove(st, d);
    }
    stg_state_place(st, d, cur);
    return 0;
}

typedef struct {
    double u;
    int l;
} link_u;

/* The local search's scratch: the links by utilization (nlinks), the
 * slots at one link's peak (nslots), and the decisions settled: settled[d]
 * when the last move tried through d found nothing and nothing that move
 * depends on has changed since (the loads of d's links, the jobs of its
 * computers, the senders of a server whose max_jobs binds): trying it
 * again would find nothing, and the descent passes it by.  srv_off/srv_dec:
 * per server whose max_jobs binds, the decisions of its computers. */
typedef struct {
    link_u *lu;
    int *ps;
    unsigned char *settled;
    int *srv_off, *srv_dec;
    const double *target;       /* the search's (may be NULL) */
} scratch;

static int at_target(const stg_state *st, int l, const double *target)
{
    return target && stg_state_util(st, l) <= target[l] + 1e-12;
}

/* A link at its target with more decisions than this does not unsettle
 * them when one of them moves, nor, below its target, those with a
 * worse link of their own (unsettle()). */
#define UNSETTLE_MAX 512

/* Whether one of decision d's links is above utilization u. */
static bool held_above(const stg_state *st, int d, double u)
{
    int nl;
    const int *links = stg_state_dec_links(st, d, &nl);
    for (int i = 0; i < nl; i++)
        if (stg_state_util(st, links[i]) > u)
            return true;
    return false;
}

/* Decision e has moved: the decisions whose best move may differ now are
 * no longer settled (those on e's links, on its computers, and on the
 * computers of a server of its whose max_jobs binds).  On a link with
 * more than UNSETTLE_MAX decisions (the data-centre core of a large
 * joined part, which all of them cross) a move changes a few slots of a
 * load that many share: at its target, where the core is there only to
 * break ties, none of them is unsettled (unsettling them all would have
 * every move try the whole part again for moves that only such a tie
 * could make: docs/performance.md, the same plans on every estate of
 * bench/, e2000g's CPU 12% less); below it, only those whose links are
 * none worse than the core: a decision with a worse link of its own
 * (its site's WAN, say) moves for that link first, which e's move left
 * as it was (e200c: after each move of the core the descent retried
 * the decisions at the peaks of worse sites first, 13,399 of its
 * 21,273 tries for 108 moves of theirs; docs/performance.md). */
static void unsettle(scratch *w, const stg_state *st, int e)
{
    const stg_problem *p = stg_state_problem(st);
    int nl, n;
    const int *links = stg_state_dec_links(st, e, &nl);
    for (int i = 0; i < nl; i++) {
        int l = links[i];
        const int *decs = stg_state_link_decs(st, l, &n);
        if (n > UNSETTLE_MAX && at_target(st, l, w->target))
            continue;
        double u = stg_state_util(st, l);
        for (int k = 0; k < n; k++)
            if (n <= UNSETTLE_MAX || !held_above(st, decs[k], u))
                w->settled[decs[k]] = 0;
    }
    const stg_decision *dc = &p->dec[e];
    for (int j = 0; j < dc->ncomputers; j++) {
        int c = dc->computers[j], sv = p->fleet->computers[c].server;
        for (int i = p->cj_off[c]; i < p->cj_off[c + 1]; i++)
            w->settled[p->cj_dec[i]] = 0;
        for (int i = sv >= 0 ? w->srv_off[sv] : 0;
             sv >= 0 && i < w->srv_off[sv + 1]; i++)
            w->settled[w->srv_dec[i]] = 0;
    }
}

/* The scratch for a search on p; -1 when out of memory (what was
 * allocated is freed by scratch_free()). */
static int scratch_new(scratch *w, const stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    int S = f->nservers;
    w->lu = stg_malloc(sizeof *w->lu * (size_t)(f->nlinks + 1));
    w->ps = stg_malloc(sizeof *w->ps * (size_t)(p->nslots + 1));
    w->settled = stg_calloc((size_t)p->ndecisions + 1, 1);
    w->srv_off = stg_calloc((size_t)S + 2, sizeof *w->srv_off);
    w->srv_dec = stg_malloc(sizeof *w->srv_dec *
                            (size_t)(p->cj_off[f->ncomputers] + 1));
    if (!w->lu || !w->ps || !w->settled || !w->srv_off || !w->srv_dec)
        return -1;
    /* counted, summed, filled (each srv_off[sv] moving to the end of
     * sv's), then shifted back */
    for (int c = 0; c < f->ncomputers; c++) {
        int sv = f->computers[c].server;
        if (sv >= 0 && p->binding[sv])
            w->srv_off[sv + 1] += p->cj_off[c + 1] - p->cj_off[c];
    }
    for (int sv = 0; sv < S; sv++)
        w->srv_off[sv + 1] += w->srv_off[sv];
    for (int c = 0; c < f->ncomputers; c++) {
        int sv = f->computers[c].server;
        if (sv >= 0 && p->binding[sv])
            for (int i = p->cj_off[c]; i < p->cj_off[c + 1]; i++)
                w->srv_dec[w->srv_off[sv]++] = p->cj_dec[i];
    }
    for (int sv = S; sv > 0; sv--)
        w->srv_off[sv] = w->srv_off[sv - 1];
    w->srv_off[0] = 0;
    return 0;
}

static void scratch_free(scratch *w)
{
    stg_free(w->lu);
    stg_free(w->ps);
    stg_free(w->settled);
    stg_free(w->srv_off);
    stg_free(w->srv_dec);
}

static int by_u(const void *a, const void *b)
{
    const link_u *x = a, *y = b;
    if (x->u != y->u)
        return x->u > y->u ? -1 : 1;
    return x->l - y->l;
}

/* lu: the links from the highest peak utilization down. */
static void sort_links(const stg_state *st, link_u *lu)
{
    int L = stg_state_problem(st)->fleet->nlinks;
    for (int l = 0; l < L; l++) {
        lu[l].u = stg_state_util(st, l);
        lu[l].l = l;
    }
    qsort(lu, (size_t)L, sizeof *lu, by_u);
}

/* Every link at its target, and nothing over a server's max_jobs nor a
 * check past its window. */
static int all_at_target(const stg_state *st, const double *target)
{
    int L = stg_state_problem(st)->fleet->nlinks;
    if (stg_state_conflicts(st) > 0)
        return 0;
    for (int l = 0; l < L; l++)
        if (!at_target(st, l, target))
            return 0;
    return 1;
}

/* Improving moves until none is left (or the limit).  Looks at the links
 * from the worst down, at most max_links of them. */
static int descend(stg_state *st, scratch *w, const double *target,
                   const stg_limit *lim)
{
    link_u *lu = w->lu;
    const stg_problem *p = stg_state_problem(st);
    int L = p->fleet->nlinks;
    int max_links = L < 32 ? L : 32;
    for (;;) {
        if (stg_limit_reached(lim))
            return 1;
        sort_links(st, lu);
        int moved = 0, looked = 0;
        for (int k = 0; k < L && looked < max_links && !moved; k++) {
            int l = lu[k].l, n;
            if (at_target(st, l, target))
                continue;
            looked++;
            const int *decs = stg_state_link_decs(st, l, &n);
            int nps = peak_slots(st, l, w->ps);
            for (int i = 0; i < n && !moved; i++) {
                int d = decs[i];
                if (w->settled[d] || !at_peak(st, d, l, w->ps, nps))
                    continue;
                moved = improve(st, d);
                if (moved)
                    unsettle(w, st, d);
                else
                    w->settled[d] = 1;
            }
        }
        if (!moved)
            return 0;
    }
}

/* Links with more decisions than this are not rebuilt whole: the kick
 * moves decisions at their peak, and every other ruin takes out at most
 * PEAK_RUIN of those in a day cycle (a seventh of that in a week, where
 * each placement simulates seven times as long). */
#define RECREATE_MAX 64
#define PEAK_RUIN 16

/* Moves up to three of the worst link's decisions to random values. */
static void kick(stg_state *st, uint64_t *rng, scratch *w,
                 const double *target)
{
    link_u *lu = w->lu;
    const stg_problem *p = stg_state_problem(st);
    int L = p->fleet->nlinks;
    sort_links(st, lu);
    int worst = 0;
    while (worst < L - 1 && at_target(st, lu[worst].l, target))
        worst++;
    int n, nk = 1 + (int)(next_random(rng) % 3);
    const int *decs = stg_state_link_decs(st, lu[worst].l, &n);
    if (n == 0)
        return;
    int nps = n > RECREATE_MAX ? peak_slots(st, lu[worst].l, w->ps) : 0;
    for (int k = 0; k < nk; k++) {
        int d = decs[next_random(rng) % (uint64_t)n];
        /* on a link of many, a decision that loads its peak */
        for (int tries = 0; n > RECREATE_MAX && tries < 16 &&
                            !at_peak(st, d, lu[worst].l, w->ps, nps); tries++)
            d = decs[next_random(rng) % (uint64_t)n];
        if (p->dec[d].nvalues < 2)
            continue;
        int vi = (int)(next_random(rng) % (uint64_t)p->dec[d].nvalues);
        stg_state_remove(st, d);
        stg_state_place(st, d, vi);
        unsettle(w, st, d);
    }
}


/* Ruin and recreate: takes every decision on the worst link not at its
 * target out, then places them again, heaviest first, each at its best
 * value (what the greedy does for a fleet, done for one link).  A link
 * of more than RECREATE_MAX decisions is passed over for the next, or,
 * with peak, has up to PEAK_RUIN of those at its peak taken out (costly
 * in a long cycle: every placement simulates its computers). */
static void recreate(stg_state *st, uint64_t *rng, scratch *w,
                     const double *target, bool peak)
{
    link_u *lu = w->lu;
    const stg_problem *p = stg_state_problem(st);
    int L = p->fleet->nlinks;
    sort_links(st, lu);
    int k = 0, n = 0;
    const int *decs = NULL;
    for (; k < L; k++) {
        if (at_target(st, lu[k].l, target))
            continue;
        decs = stg_state_link_decs(st, lu[k].l, &n);
        if (n <= RECREATE_MAX || peak)
            break;
    }
    if (k == L || !decs)
        return;
    int order[RECREATE_MAX];
    int m = 0;
    if (n <= RECREATE_MAX) {
        for (int i = 0; i < n; i++)
            if (p->dec[decs[i]].nvalues > 1)
                order[m++] = decs[i];
    } else {
        /* the movable decisions that load its peak, a random choice of
         * them when there are more */
        int seen = 0, nps = peak_slots(st, lu[k].l, w->ps);
        int cap = PEAK_RUIN * STG_DAY / p->fleet->cycle;
        for (int i = 0; i < n; i++) {
            int d = decs[i];
            if (p->dec[d].nvalues < 2 || !at_peak(st, d, lu[k].l, w->ps, nps))
                continue;
            seen++;
            if (m < cap) {
                order[m++] = d;
            } else {
                uint64_t r = next_random(rng) % (uint64_t)seen;
                if (r < (uint64_t)cap)
                    order[r] = d;
            }
        }
    }
    /* heaviest first, as the greedy */
    for (int i = 1; i < m; i++) {
        int d = order[i], j = i;
        while (j > 0 && p->dec[order[j - 1]].weight < p->dec[d].weight) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = d;
    }
    for (int i = 0; i < m; i++)
        stg_state_remove(st, order[i]);
    for (int i = 0; i < m; i++) {
        int d = order[i];
        int rotate = (int)(next_random(rng) % (uint64_t)p->dec[d].nvalues);
        stg_state_place(st, d, stg_best_value(st, d, rotate, -1));
        unsettle(w, st, d);
    }
}

/* The memo of a local search's queues (memo.h): a week's busy slots are
 * 10,080 bytes, so some 1,600 of them (a day's: up to 11,000); on e200w
 * a larger one recalls no more (docs/performance.md). */
#define MEMO_BUDGET ((size_t)16 << 20)

stg_state *stg_local_search(const stg_state *start, uint64_t seed,
                            int kicks, const double *target,
                            const double *at_risk, const stg_limit *lim)
{
    const stg_problem *p = stg_state_problem(start);
    uint64_t rng = seed_state(seed ^ 0xA5A5A5A5ULL);
    scratch w = { 0 };
    stg_state *st = stg_state_clone(start);
    stg_state *best = NULL, *out = NULL;
    stg_memo *memo = stg_memo_new(p, MEMO_BUDGET);
    if (scratch_new(&w, p) || !st || !memo)
        goto out;
    stg_state_use_memo(st, memo);
    w.target = target;
    descend(st, &w, target, lim);
    best = stg_state_clone(st);
    if (!best)
        goto out;
    for (int stall = 0; stall < kicks && !stg_limit_reached(lim) &&
                        !all_at_target(best, target); stall++) {
        /* alternate: rebuild the worst link's decisions whole (every
         * other time at the peak of a link of many), or move a few of
         * them at random */
        if (stall % 2 == 0)
            recreate(st, &rng, &w, target, stall % 4 == 0);
        else
            kick(st, &rng, &w, target);
        descend(st, &w, target, lim);
        int r = stg_state_cmp(st, best);
        if (r < 0) {
            /* better is kept; only better on the links at risk starts
             * the kicks' count again: a link out of risk moving a hair,
             * or its slots at the peak, is not worth a search's time */
            bool progress = !at_risk ||
                            stg_state_cmp_above(st, best, at_risk) < 0;
            stg_state *nb = stg_state_clone(st);
            if (!nb)
                goto out;
            stg_state_free(best);
            best = nb;
            if (progress)
                stall = -1;
        } else if (r > 0) {
            /* restart the next kick from the best state (the decisions
             * it places elsewhere have moved) */
            stg_state *again = stg_state_clone(best);
            if (!again)
                goto out;
            for (int d = 0; d < p->ndecisions; d++)
                if (stg_state_value(st, d) != stg_state_value(best, d))
                    unsettle(&w, st, d);
            stg_state_free(st);
            st = again;
            stg_state_use_memo(st, memo);
        }
    }
    if (!stg_state_oom(st) && !stg_state_oom(best)) {
        out = best;
        best = NULL;
    }
out:
    if (memo) {
        long hits, misses;
        stg_memo_counts(memo, &hits, &misses);
        stg_trace("local search: %ld queues recalled, %ld run", hits, misses);
    }
    stg_state_free(st);
    stg_state_free(best);
    stg_memo_free(memo);
    scratch_free(&w);
    return out;
}
