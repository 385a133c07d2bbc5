/* stagger: decisions, domains and busy patterns of a fleet. */
#include "problem.h"

#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "model/jobs.h"
#include "model/order.h"

void stg_problem_free(stg_problem *p)
{
    if (!p)
        return;
    for (int d = 0; d < p->ndecisions; d++) {
        stg_free(p->dec[d].values);
        stg_free(p->dec[d].jobs);
        stg_free(p->dec[d].computers);
    }
    stg_free(p->dec);
    stg_settings_free(p->settings);
    stg_free(p->profile);
    stg_free(p->rate);
    stg_free(p->prefix);
    stg_free(p->prefix_at);
    stg_free(p->const_bytes);
    stg_free(p->max_bytes);
    stg_free(p->bytes);
    stg_free(p->binding);
    stg_free(p->cj_off);
    stg_free(p->cj_dec);
    stg_free(p->cj_job);
    stg_free(p->ps_off);
    stg_free(p->ps_dec);
    stg_free(p->ps_period);
    stg_free(p->ps_vol);
    stg_free(p->group_rank);
    stg_free(p->min_work);
    if (p->min_work_lock_made)
        pthread_mutex_destroy(&p->min_work_lock);
    stg_free(p);
}

int stg_problem_duration(const stg_problem *p, int c, int s, double volume)
{
    int N = p->nslots;
    double b = p->const_bytes[p->profile[c]];
    if (b > 0) {                /* one rate all the time */
        double d = ceil(volume * (1 - 1e-9) / b);
        return d < 1 ? 1 : d > N ? N : (int)d;
    }
    double need = volume * (1 - 1e-9);
    s %= N;
    if (stg_problem_moved(p, c, s, s + N) < need)
        return N;
    int lo = 1, hi = N;         /* smallest D moving need from s */
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (stg_problem_moved(p, c, s, s + mid) >= need)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

int stg_problem_queued_len(const stg_problem *p, int d, int c, int s,
                           double volume)
{
    int N = p->nslots, len = stg_problem_duration(p, c, s, volume);
    int a = p->ps_off[c], b = p->ps_off[c + 1];
    double most = p->max_bytes[p->profile[c]];
    s %= N;
    for (int k = len; k < N;) {
        double in = volume;     /* bytes released in slots s .. s + k */
        for (int i = a; i < b; i++)
            if (p->ps_dec[i] != d)
                in += stg_problem_sync_in(p->ps_period[i], p->ps_vol[i], k + 1);
        double short_by = in * (1 - 1e-9) - stg_problem_moved(p, c, s, s + k);
        if (short_by <= 0)
            return k;           /* may be empty at slot s + k */
        /* what is released only grows with k, and a slot moves at most
         * `most`: no k before this one can catch up (one slot kept
         * against rounding) */
        double skip = most > 0 ? floor(short_by / most) - 1 : 0;
        k += skip >= 1 ? (skip < N ? (int)skip : N) : 1;
    }
    return N;
}

void stg_problem_apply(const stg_problem *p, int d, int vi, stg_settings *s)
{
    const stg_decision *dc = &p->dec[d];
    int v = dc->values[vi];
    switch (dc->kind) {
    case STG_DEC_SYNC:
        s->sync_offset[dc->group] = v;
        break;
    case STG_DEC_EF:
        s->ef_at[dc->ef_index] = v;
        break;
    case STG_DEC_CC:
        s->cc_start[dc->group] = v % STG_DAY;
        break;
    }
}

int stg_problem_value_index(const stg_problem *p, int d,
                            const stg_settings *s)
{
    const stg_decision *dc = &p->dec[d];
    int v = dc->kind == STG_DEC_SYNC ? s->sync_offset[dc->group]
          : dc->kind == STG_DEC_EF ? s->ef_at[dc->ef_index]
          : s->cc_start[dc->group];
    int best = 0, best_dist = -1;
    for (int i = 0; i < dc->nvalues; i++) {
        int w = dc->kind == STG_DEC_CC ? dc->values[i] % STG_DAY
                                       : dc->values[i];
        int dist = abs(w - v);
        if (best_dist < 0 || dist < best_dist) {
            best = i;
            best_dist = dist;
        }
    }
    return best;
}

int stg_problem_job_slot(const stg_problem *p, int d, int vi, int j)
{
    const stg_decision *dc = &p->dec[d];
    int cycle = p->fleet->cycle;
    /* rel is negative for a sync before a recovery point: it wraps */
    int t = ((dc->values[vi] + dc->jobs[j].rel) % cycle + cycle) % cycle;
    return t / p->res;
}

int stg_problem_job_len(const stg_problem *p, int d, int vi, int j,
                        stg_busy_how how)
{
    const stg_dec_job *jb = &p->dec[d].jobs[j];
    int s = stg_problem_job_slot(p, d, vi, j);
    return how == STG_BUSY_QUEUED
        ? stg_problem_queued_len(p, d, jb->computer, s, jb->volume_lb)
        : stg_problem_duration(p, jb->computer, s,
                               how == STG_BUSY_UNION ? jb->volume_lb
                                                     : jb->volume);
}

void stg_problem_busy(const stg_problem *p, int d, int vi, stg_busy_how how,
                      stg_busy_fn fn, void *arg)
{
    for (int j = 0; j < p->dec[d].njobs; j++)
        fn(arg, p->dec[d].jobs[j].computer, stg_problem_job_slot(p, d, vi, j),
           stg_problem_job_len(p, d, vi, j, how));
}

void stg_problem_close_computers(const stg_problem *p, unsigned char *in)
{
    for (bool grew = true; grew;) {
        grew = false;
        for (int d = 0; d < p->ndecisions; d++) {
            const stg_decision *dc = &p->dec[d];
            bool on = false;
            for (int j = 0; j < dc->ncomputers && !on; j++)
                on = in[dc->computers[j]] != 0;
            for (int j = 0; on && j < dc->ncomputers; j++)
                if (!in[dc->computers[j]]) {
                    in[dc->computers[j]] = 1;
                    grew = true;
                }
        }
    }
}

bool stg_problem_fixed_volume(const stg_problem *p, int d)
{
    const stg_decision *dc = &p->dec[d];
    for (int j = 0; j < dc->njobs; j++) {
        const stg_dec_job *jb = &dc->jobs[j];
        /* stg_problem_job(): an express full with a rate carries what
         * its time and its neighbours' give; other jobs their volume */
        if ((dc->kind == STG_DEC_EF && jb->rate > 0) ||
            jb->volume_lb != jb->volume)
            return false;
    }
    return true;
}

/* How far decision d at value index vi is from today's value (seconds). */
static int shift(const stg_problem *p, int d, int vi)
{
    const stg_decision *dc = &p->dec[d];
    return dc->values[vi] - p->settings->ef_at[dc->ef_index];
}

void stg_problem_job(const stg_problem *p, int d, int vi, int j,
                     const int *values, stg_qjob *out)
{
    const stg_fleet *f = p->fleet;
    const stg_decision *dc = &p->dec[d];
    const stg_dec_job *jb = &dc->jobs[j];
    int t = (int)(((long)dc->values[vi] + jb->rel) % f->cycle + f->cycle)
            % f->cycle;
    out->release = t / p->res;
    out->group = dc->group;
    out->sync = dc->kind == STG_DEC_SYNC;
    out->volume = jb->volume;
    out->deadline = -1;
    if (jb->rate > 0 && dc->kind == STG_DEC_EF) {
        int gap = jb->since;
        if (dc->prev >= 0 && dc->prev != d) {
            int pv = values ? values[dc->prev] : -1;
            gap += shift(p, d, vi) - (pv >= 0 ? shift(p, dc->prev, pv) : 0);
        }
        int cv = dc->cc >= 0 && values ? values[dc->cc] : -1;
        int cc = cv >= 0 ? p->dec[dc->cc].values[cv]
                         : p->settings->cc_start[dc->group];
        int carry = stg_jobs_ef_carry(f, dc->group, cc, t, gap);
        out->volume = jb->fixed + jb->rate * (carry > 0 ? carry : 0);
    }
    if (dc->kind == STG_DEC_CC) {
        /* the window ends cc_from + its length after the day it opens
         * on; a start is a time in that frame (past midnight when the
         * window wraps), so the end is that far after the release */
        const stg_group *gr = &f->groups[dc->group];
        int left = gr->cc_from + stg_cc_window_len(gr) - dc->values[vi];
        out->deadline = out->release + (left + p->res - 1) / p->res;
    }
}

int stg_problem_queue_jobs(const stg_problem *p, int c, const int *values,
                           bool smallest, stg_qjob *jobs, int *key,
                           stg_qjob *tmp_jobs, int *tmp_key, int *run)
{
    int n = 0;
    for (int k = p->cj_off[c]; k < p->cj_off[c + 1]; k++) {
        int d = p->cj_dec[k];
        if (values[d] < 0)
            continue;
        const stg_decision *dc = &p->dec[d];
        stg_problem_job(p, d, values[d], p->cj_job[k], values, &jobs[n]);
        if (smallest &&
            ((dc->prev >= 0 && dc->prev != d && values[dc->prev] < 0) ||
             (dc->cc >= 0 && values[dc->cc] < 0)))
            jobs[n].volume = dc->jobs[p->cj_job[k]].volume_lb;
        key[n++] = stg_problem_tie_key(p, d);
    }
    stg_queue_order(jobs, key, n, tmp_jobs, tmp_key, run);
    return n;
}

/* --- building ------------------------------------------------------- */

static int add_values(stg_decision *dc, int from, int to, int step, int today)
{
    int n = to >= from ? (to - from) / step + 1 : 1;
    dc->values = stg_malloc(sizeof *dc->values * (size_t)n);
    if (!dc->values)
        return -1;
    dc->nvalues = n;
    dc->current = 0;
    for (int i = 0; i < n; i++) {
        dc->values[i] = from + i * step;
        if (abs(dc->values[i] - today) < abs(dc->values[dc->current] - today))
            dc->current = i;
    }
    return 0;
}

static int smallest_rp_gap(const stg_group *gr)
{
    int gap = STG_DAY;
    for (int i = 0; i < gr->nrp; i++) {
        int next = i + 1 < gr->nrp ? gr->rp_at[i + 1] : gr->rp_at[0] + STG_DAY;
        if (next - gr->rp_at[i] > 0 && next - gr->rp_at[i] < gap)
            gap = next - gr->rp_at[i];
    }
    return gap < 3600 ? gap : 3600;
}

/* Which decision a job belongs to, and its release relative to the
 * decision's value. */
static int job_decision(const stg_problem *p, const int *first, const stg_job *j,
                        int *rel)
{
    const stg_fleet *f = p->fleet;
    const stg_settings *s = p->settings;
    const stg_group *gr = &f->groups[j->group];
    int base = first[j->group];
    int k = base;               /* decisions of a group: sync, EFs, CC */
    switch (j->kind) {
    case STG_JOB_SYNC:
        *rel = j->release - s->sync_offset[j->group];
        return k;
    case STG_JOB_EXPRESS_FULL: {
        int tod = j->release % STG_DAY;
        for (int i = 0; i < gr->nef; i++)
            if (s->ef_at[s->ef_base[j->group] + i] == tod) {
                *rel = j->release - tod;
                return k + 1 + i;
            }
        return -1;
    }
    case STG_JOB_CC:
        /* today's check starts when its window opens */
        *rel = j->release - s->cc_start[j->group];
        return k + 1 + gr->nef;
    }
    return -1;
}

static int cc_fits(const stg_problem *p, const stg_decision *dc, int v,
                   int end)
{
    for (int j = 0; j < dc->njobs; j++) {
        int s = ((v + dc->jobs[j].rel) % p->fleet->cycle + p->fleet->cycle)
                % p->fleet->cycle / p->res;
        int len = stg_problem_duration(p, dc->jobs[j].computer, s,
                                       dc->jobs[j].volume);
        if (v + len * p->res > end)
            return 0;
    }
    return 1;
}

static int build_domains(stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    const stg_settings *s = p->settings;
    for (int d = 0; d < p->ndecisions; d++) {
        stg_decision *dc = &p->dec[d];
        const stg_group *gr = &f->groups[dc->group];
        int rc = 0;
        if (dc->kind == STG_DEC_SYNC) {
            int period = gr->before_rp ? smallest_rp_gap(gr) : gr->sync_every;
            rc = add_values(dc, 0, period - p->res, p->res,
                            s->sync_offset[dc->group]);
        } else if (dc->kind == STG_DEC_EF) {
            int at = s->ef_at[dc->ef_index];
            int lo = at - gr->ef_flex, hi = at + gr->ef_flex;
            if (lo < 0)
                lo = 0;
            if (hi > STG_DAY - p->res)
                hi = STG_DAY - p->res;
            rc = add_values(dc, lo, hi, p->res, at);
        } else {
            int len = stg_cc_window_len(gr);
            int end = gr->cc_from + len, last = gr->cc_from;
            for (int v = gr->cc_from; v < end; v += p->res)
                if (cc_fits(p, dc, v, end))
                    last = v;
            rc = add_values(dc, gr->cc_from, last, p->res, gr->cc_from);
            /* only starts whose check ends inside the window */
            int n = 0;
            for (int i = 0; i < dc->nvalues; i++)
                if (cc_fits(p, dc, dc->values[i], end) || dc->nvalues == 1)
                    dc->values[n++] = dc->values[i];
            if (n == 0)
                n = 1;
            dc->nvalues = n;
            dc->current = 0;
        }
        if (rc)
            return -1;
    }
    return 0;
}

static int build_decisions(stg_problem *p, const stg_job *jobs, int njobs)
{
    const stg_fleet *f = p->fleet;
    int rc = -1;
    int *first = stg_malloc(sizeof *first * (size_t)(f->ngroups + 1));
    int *counts = NULL, *mark = NULL, *list = NULL;
    if (!first)
        goto out;
    int n = 0;
    for (int g = 0; g < f->ngroups; g++) {
        first[g] = n;
        n += 1 + f->groups[g].nef + 1;
    }
    p->dec = stg_calloc((size_t)n + 1, sizeof *p->dec);
    counts = stg_calloc((size_t)n + 1, sizeof *counts);
    if (!p->dec || !counts)
        goto out;
    p->ndecisions = n;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        int k = first[g];
        p->dec[k].kind = STG_DEC_SYNC;
        p->dec[k].group = g;
        for (int i = 0; i < gr->nef; i++) {
            p->dec[k + 1 + i].kind = STG_DEC_EF;
            p->dec[k + 1 + i].group = g;
            p->dec[k + 1 + i].ef_index = p->settings->ef_base[g] + i;
        }
        p->dec[k + 1 + gr->nef].kind = STG_DEC_CC;
        p->dec[k + 1 + gr->nef].group = g;
    }
    int rel;
    for (int j = 0; j < njobs; j++) {
        int d = job_decision(p, first, &jobs[j], &rel);
        if (d >= 0)
            counts[d]++;
    }
    for (int d = 0; d < n; d++) {
        p->dec[d].jobs = stg_calloc((size_t)counts[d] + 1, sizeof *p->dec[d].jobs);
        if (!p->dec[d].jobs)
            goto out;
    }
    for (int j = 0; j < njobs; j++) {
        int d = job_decision(p, first, &jobs[j], &rel);
        if (d < 0)
            continue;
        stg_decision *dc = &p->dec[d];
        stg_dec_job *jb = &dc->jobs[dc->njobs++];
        jb->computer = jobs[j].computer;
        jb->rel = rel;
        jb->volume = jb->volume_lb = jb->volume_ub = jobs[j].volume;
        if (dc->kind == STG_DEC_EF) {
            /* the bounds from what it carries without a check between */
            jb->rate = stg_jobs_full_rate(f, dc->group, jb->computer);
            jb->fixed = stg_jobs_full_fixed(f, dc->group, jb->computer);
            jb->since = jobs[j].since;
            jb->volume_lb = jb->volume_ub = jb->fixed + jb->rate * jb->since;
        }
    }
    /* express fulls with several times a day: a moved neighbour can
     * shorten the gap a full covers by up to twice the flex */
    for (int d = 0; d < n; d++) {
        stg_decision *dc = &p->dec[d];
        const stg_group *gr = &f->groups[dc->group];
        if (dc->kind != STG_DEC_EF || gr->nef < 2 || gr->ef_flex == 0)
            continue;
        int gap = STG_DAY;
        for (int i = 0; i < gr->nef; i++) {
            int next = i + 1 < gr->nef ? gr->ef_at[i + 1] : gr->ef_at[0] + STG_DAY;
            if (next - gr->ef_at[i] < gap)
                gap = next - gr->ef_at[i];
        }
        double keep = gap > 2 * gr->ef_flex
                      ? (double)(gap - 2 * gr->ef_flex) / gap : 0;
        double grow = (double)(gap + 2 * gr->ef_flex) / gap;
        for (int j = 0; j < dc->njobs; j++) {
            dc->jobs[j].volume_lb *= keep;
            dc->jobs[j].volume_ub *= grow;
        }
    }
    /* each express full's previous one: the group's express fulls are
     * its decisions 1..nef, in the order of their times */
    for (int g = 0; g < f->ngroups; g++)
        for (int i = 0; i < f->groups[g].nef; i++) {
            int d = first[g] + 1 + i, nef = f->groups[g].nef;
            p->dec[d].prev = first[g] + 1 + (i + nef - 1) % nef;
            p->dec[d].cc = first[g] + 1 + nef;
        }
    /* drop decisions without jobs (renumbering prev) */
    int m = 0;
    for (int d = 0; d < n; d++) {
        counts[d] = -1;
        if (p->dec[d].njobs == 0) {
            stg_free(p->dec[d].jobs);
            continue;
        }
        counts[d] = m;
        p->dec[m++] = p->dec[d];
    }
    for (int d = 0; d < m; d++)
        if (p->dec[d].kind == STG_DEC_EF) {
            p->dec[d].prev = counts[p->dec[d].prev];
            p->dec[d].cc = counts[p->dec[d].cc];
        } else {
            p->dec[d].prev = p->dec[d].cc = -1;
        }
    p->ndecisions = m;
    /* each decision's computers, once each (a sync's jobs are its
     * releases: hundreds on one computer in a week) */
    mark = stg_calloc((size_t)f->ncomputers + 1, sizeof *mark);
    list = stg_malloc(sizeof *list * (size_t)(f->ncomputers + 1));
    if (!mark || !list)
        goto out;
    for (int d = 0; d < m; d++) {
        stg_decision *dc = &p->dec[d];
        int nc = 0;
        for (int j = 0; j < dc->njobs; j++) {
            int c = dc->jobs[j].computer;
            if (mark[c] != d + 1) {
                mark[c] = d + 1;
                list[nc++] = c;
            }
        }
        dc->computers = stg_malloc(sizeof *dc->computers * (size_t)(nc + 1));
        if (!dc->computers)
            goto out;
        memcpy(dc->computers, list, sizeof *list * (size_t)nc);
        dc->ncomputers = nc;
    }
    rc = 0;
out:
    stg_free(first);
    stg_free(counts);
    stg_free(mark);
    stg_free(list);
    return rc;
}

/* The shortest time from a start of the check to a time of the express
 * full, over their values (seconds; 1 s resolution, so never above the
 * truth): the express full's times of day span [e0, e1], the check's
 * [c0, c1]; a difference that is a whole number of days is a check on
 * an earlier day at the same time, a day back. */
static int shortest_check_gap(int e0, int e1, int c0, int c1)
{
    long lo = (long)e0 - c1, hi = (long)e1 - c0;
    long r0 = (lo % STG_DAY + STG_DAY) % STG_DAY;
    long next_day = lo + (r0 ? STG_DAY - r0 : 0);  /* first whole day */
    if (next_day + 1 <= hi)
        return 1;
    return r0 ? (int)r0 : STG_DAY;
}

/* An express full carries less when its group's check comes shortly
 * before it: its smallest volume over every value, with the check at
 * its nearest (problem.h volume_lb). */
static void check_cuts_lb(stg_problem *p)
{
    for (int d = 0; d < p->ndecisions; d++) {
        stg_decision *dc = &p->dec[d];
        if (dc->kind != STG_DEC_EF || dc->cc < 0)
            continue;
        const stg_decision *cc = &p->dec[dc->cc];
        int gap = shortest_check_gap(dc->values[0],
                                     dc->values[dc->nvalues - 1],
                                     cc->values[0], cc->values[cc->nvalues - 1]);
        for (int j = 0; j < dc->njobs; j++) {
            stg_dec_job *jb = &dc->jobs[j];
            double cut = jb->fixed + jb->rate * gap;
            if (jb->rate > 0 && cut < jb->volume_lb)
                jb->volume_lb = cut;
        }
    }
}

/* One profile per distinct throttle, its rate and bytes per slot (16
 * bytes a slot, 161 KB in a week of minutes), and the cumulative bytes
 * over two cycles (16 more) only where the rate changes: one of one rate
 * moves const_bytes a slot.  An estate whose administrators set each
 * site's throttle to its line has hundreds of profiles (e200w: 323
 * throttles; docs/performance.md, "Shapes combined"). */
static int build_rates(stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, nc = f->ncomputers, rc = -1;
    int *owner = stg_malloc(sizeof *owner * (size_t)(nc + 1));
    double *scratch = stg_malloc(sizeof *scratch * (size_t)(2 * N + 1));
    p->profile = stg_malloc(sizeof *p->profile * (size_t)(nc + 1));
    p->binding = stg_calloc((size_t)f->nservers + 1, sizeof *p->binding);
    if (!owner || !scratch || !p->profile || !p->binding)
        goto out;
    p->nprofiles = stg_throttle_profiles(p->settings, p->profile, owner);
    size_t np = (size_t)p->nprofiles, nvary = 0;
    p->rate = stg_malloc(sizeof *p->rate * np * (size_t)N + 1);
    p->prefix_at = stg_malloc(sizeof *p->prefix_at * (np + 1));
    p->const_bytes = stg_calloc(np + 1, sizeof *p->const_bytes);
    p->bytes = stg_malloc(sizeof *p->bytes * np * (size_t)N + 1);
    p->max_bytes = stg_calloc(np + 1, sizeof *p->max_bytes);
    if (!p->rate || !p->prefix_at || !p->const_bytes || !p->bytes ||
        !p->max_bytes)
        goto out;
    for (int k = 0; k < p->nprofiles; k++) {
        const stg_throttle *th = &p->settings->throttle[owner[k]];
        if (th->kind == STG_THROTTLE_RATE)
            p->const_bytes[k] = stg_slot_bytes(f, th, 0);
        p->prefix_at[k] = p->const_bytes[k] > 0
                        ? -1 : (long)(nvary++) * (2 * N + 1);
    }
    p->prefix = stg_malloc(sizeof *p->prefix * nvary * (size_t)(2 * N + 1) + 1);
    if (!p->prefix)
        goto out;
    for (int k = 0; k < p->nprofiles; k++) {
        const stg_throttle *th = &p->settings->throttle[owner[k]];
        int64_t *rate = p->rate + (long)k * N;
        /* one of one rate: its slots' bytes from a cumulative sum as for
         * the others (the same rounding), in scratch, not kept */
        double *pre = p->prefix_at[k] < 0 ? scratch
                                          : p->prefix + p->prefix_at[k];
        pre[0] = 0;
        for (int t = 0; t < 2 * N; t++) {
            int at = (t % N) * p->res;
            if (t < N)
                rate[t] = llround(stg_throttle_at(f, th, at));
            pre[t + 1] = pre[t] + stg_slot_bytes(f, th, at);
        }
        for (int t = 0; t < N; t++) {
            double b = pre[t + 1] - pre[t];
            p->bytes[(long)k * N + t] = b;
            if (b > p->max_bytes[k])
                p->max_bytes[k] = b;
        }
    }
    for (int sv = 0; sv < f->nservers; sv++) {
        int ncomp = 0;
        for (int c = 0; c < nc; c++)
            ncomp += f->computers[c].server == sv;
        int mj = f->servers[sv].max_jobs;
        p->binding[sv] = mj > 0 && mj < ncomp;
    }
    rc = 0;
out:
    stg_free(owner);
    stg_free(scratch);
    return rc;
}

/* Each computer's (decision, job) pairs, and the groups' name order. */
static int build_computer_jobs(stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    int nc = f->ncomputers;
    p->cj_off = stg_calloc((size_t)nc + 2, sizeof *p->cj_off);
    p->group_rank = stg_malloc(sizeof *p->group_rank * (size_t)(f->ngroups + 1));
    if (!p->cj_off || !p->group_rank)
        return -1;
    if (stg_name_ranks(f->ngroups ? &f->groups[0].name : NULL,
                       sizeof(stg_group), f->ngroups, p->group_rank))
        return -1;
    for (int d = 0; d < p->ndecisions; d++)
        for (int j = 0; j < p->dec[d].njobs; j++)
            p->cj_off[p->dec[d].jobs[j].computer + 1]++;
    for (int c = 0; c < nc; c++)
        p->cj_off[c + 1] += p->cj_off[c];
    int total = p->cj_off[nc];
    int *fill = stg_calloc((size_t)nc + 1, sizeof *fill);
    p->cj_dec = stg_malloc(sizeof *p->cj_dec * (size_t)(total + 1));
    p->cj_job = stg_malloc(sizeof *p->cj_job * (size_t)(total + 1));
    if (!fill || !p->cj_dec || !p->cj_job) {
        stg_free(fill);
        return -1;
    }
    for (int d = 0; d < p->ndecisions; d++)
        for (int j = 0; j < p->dec[d].njobs; j++) {
            int c = p->dec[d].jobs[j].computer;
            int k = p->cj_off[c] + fill[c]++;
            p->cj_dec[k] = d;
            p->cj_job[k] = j;
        }
    stg_free(fill);
    return 0;
}

/* p->ps_*: each computer's periodic sync decisions (after
 * build_computer_jobs()), the smallest volume of their releases on it. */
static int build_periodic_syncs(stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    int nc = f->ncomputers, n = 0;
    p->ps_off = stg_calloc((size_t)nc + 2, sizeof *p->ps_off);
    int total = p->cj_off[nc];
    p->ps_dec = stg_malloc(sizeof *p->ps_dec * (size_t)(total + 1));
    p->ps_period = stg_malloc(sizeof *p->ps_period * (size_t)(total + 1));
    p->ps_vol = stg_malloc(sizeof *p->ps_vol * (size_t)(total + 1));
    if (!p->ps_off || !p->ps_dec || !p->ps_period || !p->ps_vol)
        return -1;
    for (int c = 0; c < nc; c++) {
        p->ps_off[c] = n;
        for (int k = p->cj_off[c]; k < p->cj_off[c + 1]; k++) {
            int d = p->cj_dec[k];
            const stg_decision *dc = &p->dec[d];
            const stg_group *gr = &f->groups[dc->group];
            if (dc->kind != STG_DEC_SYNC || gr->before_rp ||
                gr->sync_every < p->res)
                continue;
            double v = dc->jobs[p->cj_job[k]].volume_lb;
            int i = p->ps_off[c];
            while (i < n && p->ps_dec[i] != d)
                i++;
            if (i == n) {
                p->ps_dec[n] = d;
                p->ps_period[n] = gr->sync_every / p->res;
                p->ps_vol[n++] = v;
            } else if (v < p->ps_vol[i]) {
                p->ps_vol[i] = v;
            }
        }
    }
    p->ps_off[nc] = n;
    return 0;
}

/* A job's busy slots, gathered for one decision at one value. */
typedef struct {
    int c, s, len;
} busy_item;

typedef struct {
    busy_item *v;
    size_t n, cap;
    int oom;
} busy_items;

static void on_item(void *arg, int c, int s, int len)
{
    busy_items *b = arg;
    if (b->oom || stg_grow((void **)&b->v, &b->cap, b->n + 1, sizeof *b->v)) {
        b->oom = 1;
        return;
    }
    b->v[b->n++] = (busy_item){ c, s, len };
}

static int by_item_computer(const void *a, const void *b)
{
    const busy_item *x = a, *y = b;
    if (x->c != y->c)
        return (x->c > y->c) - (x->c < y->c);
    return (x->s > y->s) - (x->s < y->s);
}

/* The rates of the union of the busy slots of v[0..n) (one computer's,
 * sorted by start, each in [0, N)), each slot once, an item running past
 * the cycle's end going on from its start; pre[0..N] are the rates'
 * running sums.  Integers throughout: the same sum, to the bit, as
 * adding the rates slot by slot. */
static int64_t union_work(const busy_item *v, size_t n, const int64_t *pre,
                          int N)
{
    int wrap = 0;               /* the slots [0, wrap) some item reaches */
    for (size_t i = 0; i < n; i++) {
        int len = v[i].len < N ? v[i].len : N;
        if (v[i].s + len - N > wrap)
            wrap = v[i].s + len - N;
    }
    int64_t work = pre[wrap];
    int end = wrap;             /* the slots before it are counted */
    for (size_t i = 0; i < n; i++) {
        int len = v[i].len < N ? v[i].len : N;
        int a = v[i].s > end ? v[i].s : end;
        int b = v[i].s + len < N ? v[i].s + len : N;
        if (b > a) {
            work += pre[b] - pre[a];
            end = b;
        }
    }
    return work;
}

/* dc->aligned (problem.h). */
static bool aligned(const stg_problem *p, const stg_decision *dc)
{
    for (int vi = 0; vi < dc->nvalues; vi++)
        if (dc->values[vi] % p->res)
            return false;
    for (int j = 0; j < dc->njobs; j++)
        if (dc->jobs[j].rel % p->res)
            return false;
    return true;
}

/* p->min_work (problem.h, stg_problem_min_work()), made once: what
 * computer c's busy slots load its links with at least (the sum over them
 * of its throttle), in every schedule in which it never waits for
 * max_jobs.  From a job's release its computer is busy
 * for at least the job's queued length (stg_problem_queued_len()), so it
 * is busy in the union of those of any one decision's jobs, at whichever
 * value: the least load over the values, the most over the decisions
 * with jobs on c.  A busy slot loads at the full throttle, so this counts
 * what a job of a fraction of a slot costs, which the volume alone does
 * not.  Returns 0, -1 when out of memory. */
static int build_min_work(stg_problem *p)
{
    const stg_fleet *f = p->fleet;
    int N = p->nslots, C = f->ncomputers, P = p->nprofiles, rc = -1;
    double *least = stg_malloc(sizeof *least * ((size_t)C + 1));
    int64_t *pre = stg_malloc(sizeof *pre * ((size_t)P * (size_t)(N + 1) + 1));
    busy_items b = { NULL, 0, 0, 0 };
    p->min_work = stg_calloc((size_t)C + 1, sizeof *p->min_work);
    if (!least || !pre || !p->min_work)
        goto out;
    for (int k = 0; k < P; k++) {
        const int64_t *r = p->rate + (long)k * N;
        int64_t *pk = pre + (long)k * (N + 1);
        pk[0] = 0;
        for (int t = 0; t < N; t++)
            pk[t + 1] = pk[t] + r[t];
    }
    for (int c = 0; c < C; c++)
        least[c] = -1;
    for (int d = 0; d < p->ndecisions; d++) {
        const stg_decision *dc = &p->dec[d];
        /* an aligned decision's jobs on a computer of one rate are busy
         * in the same slots at every value but for a shift: they count
         * at its first value only */
        bool shifts = dc->aligned, varies = !shifts;
        for (int j = 0; j < dc->ncomputers && !varies; j++)
            varies = p->const_bytes[p->profile[dc->computers[j]]] == 0;
        for (int vi = 0; vi < (varies ? dc->nvalues : 1); vi++) {
            b.n = 0;
            for (int j = 0; j < dc->njobs; j++) {
                const stg_dec_job *jb = &dc->jobs[j];
                if (vi > 0 && shifts &&
                    p->const_bytes[p->profile[jb->computer]] > 0)
                    continue;
                on_item(&b, jb->computer, stg_problem_job_slot(p, d, vi, j),
                        stg_problem_job_len(p, d, vi, j, STG_BUSY_QUEUED));
            }
            if (b.oom)
                goto out;
            qsort(b.v, b.n, sizeof *b.v, by_item_computer);
            for (size_t i = 0, j; i < b.n; i = j) {
                int c = b.v[i].c;
                for (j = i; j < b.n && b.v[j].c == c; j++)
                    ;
                double work = (double)union_work(
                    b.v + i, j - i, pre + (long)p->profile[c] * (N + 1), N);
                if (least[c] < 0 || work < least[c])
                    least[c] = work;
            }
        }
        for (int j = 0; j < dc->ncomputers; j++) {
            int c = dc->computers[j];
            if (least[c] > p->min_work[c])
                p->min_work[c] = least[c];
            least[c] = -1;
        }
    }
    rc = 0;
out:
    stg_free(least);
    stg_free(pre);
    stg_free(b.v);
    return rc;
}

const double *stg_problem_min_work(const stg_problem *cp)
{
    stg_problem *p = (stg_problem *)cp;     /* made once, on first use */
    const double *w;
    pthread_mutex_lock(&p->min_work_lock);
    if (!p->min_work && build_min_work(p)) {
        stg_free(p->min_work);
        p->min_work = NULL;
    }
    w = p->min_work;
    pthread_mutex_unlock(&p->min_work_lock);
    return w;
}

stg_problem *stg_problem_new(const stg_fleet *f, const stg_settings *base)
{
    stg_problem *p = stg_calloc(1, sizeof *p);
    stg_job *jobs = NULL;
    if (!p)
        return NULL;
    p->fleet = f;
    p->res = f->resolution;
    p->nslots = f->cycle / f->resolution;
    p->settings = base ? stg_settings_copy(base) : stg_settings_today(f);
    if (!p->settings)
        goto fail;
    if (!base)
        stg_settings_recommend_throttles(f, p->settings);
    if (build_rates(p))
        goto fail;
    int njobs = stg_jobs_derive(f, p->settings, &jobs);
    if (njobs < 0 || build_decisions(p, jobs, njobs) || build_domains(p) ||
        build_computer_jobs(p) || build_periodic_syncs(p))
        goto fail;
    check_cuts_lb(p);
    if (pthread_mutex_init(&p->min_work_lock, NULL))
        goto fail;
    p->min_work_lock_made = true;
    for (int d = 0; d < p->ndecisions; d++) {
        stg_decision *dc = &p->dec[d];
        dc->aligned = aligned(p, dc);
        dc->weight = 0;
        for (int j = 0; j < dc->njobs; j++) {
            int c = dc->jobs[j].computer;
            int s = stg_problem_job_slot(p, d, dc->current, j);
            dc->weight += (double)stg_problem_rates(p, c)[s]
                          * stg_problem_duration(p, c, s, dc->jobs[j].volume)
                          * f->computers[c].nfull_path;
        }
    }
    stg_free(jobs);
    return p;
fail:
    stg_free(jobs);
    stg_problem_free(p);
    return NULL;
}

stg_problem *stg_problem_for_plan(const stg_fleet *f,
                                  const stg_settings *plan)
{
    stg_settings *s = stg_settings_today(f);
    if (!s)
        return NULL;
    memcpy(s->throttle, plan->throttle,
           sizeof *s->throttle * (size_t)f->ncomputers);
    memcpy(s->recommended, plan->recommended,
           sizeof *s->recommended * (size_t)f->ncomputers);
    stg_problem *p = stg_problem_new(f, s);
    stg_settings_free(s);
    return p;
}
