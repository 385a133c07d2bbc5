/* stagger: a schedule is settings plus their simulated, scored cycle. */
#include "schedule.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"

void stg_schedule_free(stg_schedule *sc)
{
    if (!sc)
        return;
    stg_settings_free(sc->settings);
    stg_sim_free(sc->sim);
    stg_eval_free(sc->eval);
    stg_free(sc->link_bound);
    stg_free(sc->link_bound_nowait);
    stg_free(sc->sorted_headroom);
    stg_free(sc->method);
    stg_free(sc);
}

/* Headroom values this close are the same (rates are whole bits per
 * second, so real differences are far larger). */
#define SAME 1e-6

static void derive_status(stg_schedule *sc)
{
    if (sc->eval->nviolations > 0)
        sc->status = STG_STATUS_VIOLATES;
    else if (sc->eval->achieved >= sc->bound - SAME)
        sc->status = STG_STATUS_OPTIMAL;
    else
        sc->status = STG_STATUS_FEASIBLE;
}

void stg_schedule_set_bound(stg_schedule *sc, double bound)
{
    if (bound < sc->bound)
        sc->bound = bound;
    derive_status(sc);
}

void stg_schedule_set_bounds(stg_schedule *sc, const double *link_bound,
                             double worst)
{
    sc->bound = worst;
    for (int l = 0; sc->link_bound && link_bound && l < sc->eval->nlinks; l++) {
        sc->link_bound[l] = link_bound[l];
        if (link_bound[l] < sc->bound)
            sc->bound = link_bound[l];
    }
    derive_status(sc);
}

static int other_rules(const stg_eval *e)
{
    int n = 0;
    for (int i = 0; i < e->nviolations; i++)
        n += e->violations[i].kind != STG_VIOL_HEADROOM;
    return n;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int stg_schedule_cmp(const stg_schedule *a, const stg_schedule *b)
{
    int fa = a->eval->nviolations == 0, fb = b->eval->nviolations == 0;
    if (fa != fb)
        return fa ? -1 : 1;
    int n = a->eval->nlinks, r = 0;
    double *ha = NULL, *hb = NULL;
    const double *sa = a->sorted_headroom, *sb = b->sorted_headroom;
    if (!sa || !sb) {
        ha = stg_malloc(sizeof *ha * (size_t)(n + 1));
        hb = stg_malloc(sizeof *hb * (size_t)(n + 1));
        if (!ha || !hb) {
            r = (a->eval->achieved < b->eval->achieved - SAME) -
                (a->eval->achieved > b->eval->achieved + SAME);
            goto out;
        }
        memcpy(ha, a->eval->headroom, sizeof *ha * (size_t)n);
        memcpy(hb, b->eval->headroom, sizeof *hb * (size_t)n);
        qsort(ha, (size_t)n, sizeof *ha, by_value);
        qsort(hb, (size_t)n, sizeof *hb, by_value);
        sa = ha;
        sb = hb;
    }
    for (int i = 0; i < n && !r; i++)
        if (fabs(sa[i] - sb[i]) > SAME)
            r = sa[i] > sb[i] ? -1 : 1;
    if (!r) {
        int ra = other_rules(a->eval), rb = other_rules(b->eval);
        r = (ra > rb) - (ra < rb);
    }
out:
    stg_free(ha);
    stg_free(hb);
    return r;
}

stg_schedule *stg_schedule_build(const stg_fleet *f, stg_settings *s,
                                 const double *link_bound)
{
    stg_schedule *sc = stg_calloc(1, sizeof *sc);
    if (!sc) {
        stg_settings_free(s);
        return NULL;
    }
    sc->settings = s;
    if (link_bound && !(sc->link_bound = stg_calloc((size_t)f->nlinks + 1,
                                                    sizeof *sc->link_bound)))
        goto fail;
    if (stg_sim_run(f, s, &sc->sim) < 0)
        goto fail;
    sc->eval = stg_eval_run(f, sc->sim);
    if (!sc->eval)
        goto fail;
    sc->sorted_headroom = stg_malloc(sizeof *sc->sorted_headroom *
                                     (size_t)(sc->eval->nlinks + 1));
    if (!sc->sorted_headroom)
        goto fail;
    memcpy(sc->sorted_headroom, sc->eval->headroom,
           sizeof *sc->sorted_headroom * (size_t)sc->eval->nlinks);
    qsort(sc->sorted_headroom, (size_t)sc->eval->nlinks,
          sizeof *sc->sorted_headroom, by_value);
    sc->bound = 1;
    for (int l = 0; link_bound && l < f->nlinks; l++) {
        sc->link_bound[l] = link_bound[l];
        if (link_bound[l] < sc->bound)
            sc->bound = link_bound[l];
    }
    sc->bound_nowait = sc->bound;
    derive_status(sc);
    return sc;
fail:
    stg_schedule_free(sc);
    return NULL;
}

stg_schedule *stg_schedule_rebuild(const stg_fleet *f, const stg_schedule *like,
                                   stg_settings *s)
{
    stg_schedule *sc = stg_schedule_build(f, s, like->link_bound);
    if (!sc)
        return NULL;
    if (like->link_bound_nowait) {
        size_t size = sizeof *sc->link_bound_nowait * (size_t)(f->nlinks + 1);
        sc->link_bound_nowait = stg_malloc(size);
        if (!sc->link_bound_nowait)
            goto fail;
        memcpy(sc->link_bound_nowait, like->link_bound_nowait,
               sizeof *sc->link_bound_nowait * (size_t)f->nlinks);
    }
    if (like->method && !(sc->method = stg_strdup(like->method)))
        goto fail;
    sc->found = like->found;
    sc->stopped = like->stopped;
    sc->seconds = like->seconds;
    stg_schedule_set_bounds(sc, like->link_bound, like->bound);
    sc->bound_nowait = like->bound_nowait;
    return sc;
fail:
    stg_schedule_free(sc);
    return NULL;
}

void stg_found_text(const stg_found *fd, char *buf, size_t n)
{
    static const struct {
        unsigned bit;
        const char *word;
    } chain[] = {
        { STG_FOUND_GREEDY, "greedy" },
        { STG_FOUND_LOCAL, "local search" },
        { STG_FOUND_LNS, "lns" },
        { STG_FOUND_EXACT, "exact" },
        { STG_FOUND_LIFT, "lift" },
        { STG_FOUND_WAITS, "waits" },
    };
    size_t k = 0;
#define PUT(...) (k += (size_t)snprintf(buf + k, k < n ? n - k : 0, __VA_ARGS__))
    if (n == 0)
        return;
    buf[0] = '\0';
    if (fd->used & STG_FOUND_MILP)
        PUT("milp");
    else if (fd->used & STG_FOUND_EXHAUSTIVE)
        PUT(fd->incomplete ? "exhaustive (incomplete)" : "exhaustive");
    else
        for (size_t i = 0; i < sizeof chain / sizeof chain[0]; i++)
            if (fd->used & chain[i].bit)
                PUT("%s%s", k ? "+" : "", chain[i].word);
    if (k == 0)
        PUT("today");
    if (fd->used & STG_FOUND_THROTTLES)
        PUT(", throttles lowered");
    if (fd->milp[0])
        PUT(" (milp: %s)", fd->milp);
    if (fd->parts > 1)
        PUT(", %d parts, %d proven", fd->parts, fd->parts_proven);
    if (fd->stopped)
        PUT(", stopped");
    else if (fd->time_limit)
        PUT(", time limit reached");
#undef PUT
}

const char *stg_status_name(stg_status st)
{
    switch (st) {
    case STG_STATUS_OPTIMAL: return "optimal";
    case STG_STATUS_FEASIBLE: return "feasible";
    case STG_STATUS_VIOLATES: return "violates";
    }
    return "?";
}
