/* stagger: shared links polished (polish.h). */
#include "polish.h"

#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "heuristic.h"
#include "part.h"

/* Slots in which link l's load breaks the limit. */
static int slots_over(const stg_state *st, int l)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_fleet *f = p->fleet;
    double limit = (1 - f->headroom) * f->links[l].capacity;
    int n = 0;
    for (int t = 0; t < p->nslots; t++)
        n += (double)stg_state_load(st, l, t) > limit + 0.5;
    return n;
}

/* Decision d to its best value on its links (heuristic.h: the local
 * search's scan, coarse to fine on a large domain) when that is better,
 * keeps every one of them at or below the higher of its utilization now
 * and 1 - STG_SAFE, and breaks the limit in no more slots than now.
 * util, over: scratch for its links.  Returns 1 when it moved, 0, -1
 * when out of memory. */
static int move_one(stg_state *st, int d, double *util, int *over)
{
    const stg_problem *p = stg_state_problem(st);
    int nl = 0;
    const int *links = stg_state_dec_links(st, d, &nl);
    if (nl == 0 || p->dec[d].nvalues < 2)
        return 0;
    stg_score now, sc;
    stg_state_score(st, links, nl, &now);
    for (int i = 0; i < nl; i++) {
        util[i] = stg_state_util(st, links[i]);
        over[i] = -1;           /* counted when a move is found */
    }
    int was = stg_state_value(st, d);
    stg_state_remove(st, d);
    int pick = stg_best_value(st, d, was + 1, was);
    if (pick >= 0) {
        stg_state_try(st, d, pick, links, nl, &sc);
        if (stg_score_cmp(&sc, &now) >= 0)
            pick = -1;
    }
    if (pick >= 0) {
        /* the slots over the limit before the move */
        stg_state_place(st, d, was);
        for (int i = 0; i < nl; i++)
            over[i] = slots_over(st, links[i]);
        stg_state_remove(st, d);
        stg_state_place(st, d, pick);
        for (int i = 0; i < nl && pick >= 0; i++) {
            double cap = util[i] > 1 - STG_SAFE ? util[i] : 1 - STG_SAFE;
            if (stg_state_util(st, links[i]) > cap + STG_SAME ||
                slots_over(st, links[i]) > over[i])
                pick = -1;
        }
        if (pick < 0)
            stg_state_remove(st, d);
    }
    if (pick < 0)
        stg_state_place(st, d, was);
    if (stg_state_oom(st))
        return -1;
    return pick >= 0;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The decisions with a job on a computer that crosses link l and sends
 * in one of its peak slots, into out (no repeats; room for every
 * decision); returns how many. */
static int peak_decisions(const stg_state *st, int l, int *out, char *seen)
{
    const stg_problem *p = stg_state_problem(st);
    const stg_fleet *f = p->fleet;
    int64_t peak = stg_state_peak(st, l);
    int n = 0;
    memset(seen, 0, (size_t)p->ndecisions);
    for (int c = 0; c < f->ncomputers; c++) {
        if (!stg_computer_crosses(&f->computers[c], l))
            continue;
        bool at_peak = false;
        for (int t = 0; t < p->nslots && !at_peak; t++)
            at_peak = stg_state_load(st, l, t) == peak && stg_state_busy(st, c, t);
        for (int k = p->cj_off[c]; at_peak && k < p->cj_off[c + 1]; k++) {
            int d = p->cj_dec[k];
            if (!seen[d]) {
                seen[d] = 1;
                out[n++] = d;
            }
        }
    }
    /* decision order, whatever the computers' */
    qsort(out, (size_t)n, sizeof *out, by_int);
    return n;
}

int stg_polish(stg_state *st, const int *links, int nlinks, int max_passes,
               const stg_limit *lim)
{
    const stg_problem *p = stg_state_problem(st);
    int nd = p->ndecisions, moves = 0, rc = -1;
    int *decs = stg_malloc(sizeof *decs * (size_t)(nd + 1));
    char *seen = stg_malloc((size_t)nd + 1);
    double *util = stg_malloc(sizeof *util * (size_t)(p->fleet->nlinks + 1));
    int *over = stg_malloc(sizeof *over * (size_t)(p->fleet->nlinks + 1));
    if (!decs || !seen || !util || !over)
        goto out;
    for (int pass = 0; pass < max_passes; pass++) {
        int made = 0;
        for (int i = 0; i < nlinks; i++) {
            /* a link out of risk is done */
            if (stg_state_util(st, links[i]) <= 1 - STG_SAFE)
                continue;
            int n = peak_decisions(st, links[i], decs, seen);
            for (int k = 0; k < n; k++) {
                if (stg_state_util(st, links[i]) <= 1 - STG_SAFE)
                    break;
                if (lim && stg_limit_reached(lim))
                    goto done;
                int r = move_one(st, decs[k], util, over);
                if (r < 0)
                    goto out;
                made += r;
            }
        }
        moves += made;
        if (!made)
            break;
    }
done:
    rc = moves;
out:
    stg_free(decs);
    stg_free(seen);
    stg_free(util);
    stg_free(over);
    return rc;
}
