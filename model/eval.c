/* stagger: scoring a simulated cycle. */
#include "eval.h"

#include <string.h>

#include "alloc.h"

void stg_eval_free(stg_eval *e)
{
    if (!e)
        return;
    stg_free(e->headroom);
    stg_free(e->at);
    stg_free(e->violations);
    stg_free(e);
}

static int add_violation(stg_eval *e, size_t *cap, stg_viol_kind kind,
                         int index, int from, int to, double amount)
{
    if (stg_grow((void **)&e->violations, cap, (size_t)e->nviolations + 1,
                 sizeof *e->violations))
        return -1;
    stg_violation *v = &e->violations[e->nviolations++];
    v->kind = kind;
    v->index = index;
    v->from = from;
    v->to = to;
    v->amount = amount;
    return 0;
}

/* Runs of slots below the required headroom on link l, each one
 * violation with its worst shortfall.  A run that reaches the cycle end
 * and continues at its start is reported once, from its first slot. */
static int headroom_runs(const stg_fleet *f, const stg_sim *sim, int l,
                         stg_eval *e, size_t *cap)
{
    int N = sim->nslots;
    double capacity = f->links[l].capacity;
    double need = f->headroom;
    const double *load = sim->load + (long)l * N;
#define SHORT(t) (need - (1 - load[(t)] / capacity))
    /* start scanning at a slot that is not short, so wrapped runs are whole */
    int origin = -1;
    for (int t = 0; t < N; t++)
        if (SHORT(t) <= STG_EPS) {
            origin = t;
            break;
        }
    if (origin < 0) {
        double worst = 0;
        for (int t = 0; t < N; t++)
            if (SHORT(t) > worst)
                worst = SHORT(t);
        return add_violation(e, cap, STG_VIOL_HEADROOM, l, 0, N, worst);
    }
    for (int k = 1; k <= N; k++) {
        int t = (origin + k) % N;
        if (SHORT(t) <= STG_EPS)
            continue;
        int from = t, len = 0;
        double worst = 0;
        while (len < N && SHORT((from + len) % N) > STG_EPS) {
            if (SHORT((from + len) % N) > worst)
                worst = SHORT((from + len) % N);
            len++;
        }
        if (add_violation(e, cap, STG_VIOL_HEADROOM, l, from, from + len,
                          worst))
            return -1;
        k += len;
    }
#undef SHORT
    return 0;
}

stg_eval *stg_eval_run(const stg_fleet *f, const stg_sim *sim)
{
    size_t cap = 0;
    int N = sim->nslots;
    stg_eval *e = stg_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->nlinks = f->nlinks;
    e->headroom = stg_calloc((size_t)f->nlinks + 1, sizeof *e->headroom);
    e->at = stg_calloc((size_t)f->nlinks + 1, sizeof *e->at);
    if (!e->headroom || !e->at)
        goto fail;
    e->achieved = 1;
    e->worst_link = -1;
    e->worst_slot = 0;
    for (int l = 0; l < f->nlinks; l++) {
        double capacity = f->links[l].capacity;
        double best = 2;
        int at = 0;
        for (int t = 0; t < N; t++) {
            double h = 1 - stg_sim_load(sim, l, t) / capacity;
            if (h < best - STG_EPS) {
                best = h;
                at = t;
            }
        }
        e->headroom[l] = best;
        e->at[l] = at;
        /* the lowest headroom; ties: the earliest, then by link name */
        int first = e->worst_link < 0 || best < e->achieved - STG_EPS;
        int tie = !first && best <= e->achieved + STG_EPS &&
                  (at < e->worst_slot ||
                   (at == e->worst_slot &&
                    strcmp(f->links[l].name,
                           f->links[e->worst_link].name) < 0));
        if (first || tie) {
            e->achieved = best;
            e->worst_link = l;
            e->worst_slot = at;
        }
        if (best < f->headroom - STG_EPS && headroom_runs(f, sim, l, e, &cap))
            goto fail;
    }
    for (int g = 0; g < f->ngroups; g++) {
        int max_lag = f->groups[g].max_lag;
        if (max_lag > 0 && sim->lag[g] > max_lag &&
            add_violation(e, &cap, STG_VIOL_LAG, g, 0, 0,
                          sim->lag[g] - max_lag))
            goto fail;
        if (sim->cc_late[g] > 0 &&
            add_violation(e, &cap, STG_VIOL_CC_WINDOW, g, 0, 0,
                          sim->cc_late[g]))
            goto fail;
    }
    for (int c = 0; c < f->ncomputers; c++)
        if (sim->never_idle[c] &&
            add_violation(e, &cap, STG_VIOL_BACKLOG, c, 0, 0, 0))
            goto fail;
    return e;
fail:
    stg_eval_free(e);
    return NULL;
}
