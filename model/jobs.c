/* stagger: jobs per cycle from the fleet and its settings (fleet.md, the
 * load model). */
#include "jobs.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "order.h"

typedef struct {
    stg_job *items;
    size_t count, cap;
    const stg_fleet *f;
} job_list;

static int push(job_list *jl, int g, int c, stg_job_kind kind, int release,
                double volume, int deadline, int since)
{
    if (volume <= 0)
        return 0;
    if (stg_grow((void **)&jl->items, &jl->cap, jl->count + 1,
                 sizeof *jl->items))
        return -1;
    int cycle = jl->f->cycle;
    stg_job *j = &jl->items[jl->count++];
    j->group = g;
    j->computer = c;
    j->kind = kind;
    j->release = (release % cycle + cycle) % cycle;
    j->volume = volume;
    j->deadline = deadline < 0 ? -1 : deadline - (release - j->release);
    j->since = since;
    return 0;
}

/* Instance times in the cycle of daily times on days, ascending. */
static int instances(const stg_fleet *f, const int *at, int nat,
                     unsigned days, int shift, int *out)
{
    int n = 0;
    int ndays = f->cycle / STG_DAY;
    for (int d = 0; d < ndays; d++) {
        if (ndays > 1 && !(days & (1u << d)))
            continue;
        for (int i = 0; i < nat; i++)
            out[n++] = ((d * STG_DAY + at[i] + shift) % f->cycle + f->cycle)
                       % f->cycle;
    }
    /* insertion sort: a handful of entries */
    for (int i = 1; i < n; i++) {
        int v = out[i], k = i;
        while (k > 0 && out[k - 1] > v) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = v;
    }
    return n;
}

/* Time since the previous instance (cyclic); the whole cycle if alone. */
static int gap_before(const stg_fleet *f, const int *t, int n, int i)
{
    if (n == 1)
        return f->cycle;
    int prev = i > 0 ? t[i - 1] : t[n - 1] - f->cycle;
    return t[i] - prev;
}

typedef struct {
    double churn, sync_fixed, size_cc;
    double app_churn, full_fixed;
    int nsync_fixed, napp, nfull_fixed, nsrc, nsync;
} per_computer;

static void sum_sources(const stg_fleet *f, const stg_group *gr, int c,
                        per_computer *pc)
{
    memset(pc, 0, sizeof *pc);
    for (int i = 0; i < gr->nsources; i++) {
        const stg_source *src = &f->sources[gr->sources[i]];
        if (src->computer != c)
            continue;
        pc->nsrc++;
        if (src->full_only) {
            /* no syncs: the express fulls carry its changes */
        } else if (src->sync_volume >= 0) {
            pc->sync_fixed += src->sync_volume;
            pc->nsync_fixed++;
        } else {
            pc->churn += src->churn;
        }
        pc->nsync += !src->full_only;
        pc->size_cc += stg_source_cc_volume(src);
        if (src->kind != STG_SRC_FILE) {
            pc->napp++;
            if (src->full_volume >= 0) {
                pc->full_fixed += src->full_volume;
                pc->nfull_fixed++;
            } else {
                pc->app_churn += src->churn;
            }
        }
    }
}

double stg_jobs_full_rate(const stg_fleet *f, int g, int c)
{
    per_computer pc;
    sum_sources(f, &f->groups[g], c, &pc);
    return pc.app_churn / STG_DAY * stg_group_wire(f, g);
}

double stg_jobs_full_fixed(const stg_fleet *f, int g, int c)
{
    per_computer pc;
    sum_sources(f, &f->groups[g], c, &pc);
    return pc.full_fixed * stg_group_wire(f, g);
}

int stg_jobs_ef_carry(const stg_fleet *f, int g, int cc_start, int release,
                      int since)
{
    const stg_group *gr = &f->groups[g];
    if (!gr->has_cc || cc_start < 0)
        return since;
    int delta = ((cc_start - gr->cc_from) % STG_DAY + STG_DAY) % STG_DAY;
    int ndays = f->cycle / STG_DAY, carry = since;
    for (int d = 0; d < ndays; d++) {
        if (ndays > 1 && !(gr->cc_days & (1u << d)))
            continue;
        int r = (d * STG_DAY + gr->cc_from + delta) % f->cycle;
        int back = ((release - r) % f->cycle + f->cycle) % f->cycle;
        if (back > 0 && back < carry)
            carry = back;
    }
    return carry;
}

static int group_jobs(job_list *jl, const stg_settings *s, int g, int c,
                      int *buf)
{
    const stg_fleet *f = jl->f;
    const stg_group *gr = &f->groups[g];
    per_computer pc;
    sum_sources(f, gr, c, &pc);
    if (!pc.nsrc)
        return 0;
    double wire = stg_group_wire(f, g);     /* compression */

    /* syncs (none for sources backed up by express fulls only) */
    if (!pc.nsync) {
        /* nothing to sync on this computer */
    } else if (!gr->before_rp) {
        int every = gr->sync_every;
        double vol = (pc.churn * every / (double)STG_DAY + pc.sync_fixed)
                     * wire;
        for (int t = s->sync_offset[g]; t < f->cycle; t += every)
            if (push(jl, g, c, STG_JOB_SYNC, t, vol, -1, 0))
                return -1;
    } else {
        int n = instances(f, gr->rp_at, gr->nrp, gr->rp_days,
                          s->sync_offset[g], buf);
        for (int i = 0; i < n; i++) {
            double vol = (pc.churn * gap_before(f, buf, n, i) / (double)STG_DAY
                          + pc.sync_fixed) * wire;
            if (push(jl, g, c, STG_JOB_SYNC, buf[i], vol, -1, 0))
                return -1;
        }
    }

    /* express fulls: application sources only */
    if (gr->nef > 0 && pc.napp > 0) {
        int n = instances(f, s->ef_at + s->ef_base[g], gr->nef, gr->ef_days,
                          0, buf);
        int cc = gr->has_cc ? s->cc_start[g] : -1;
        for (int i = 0; i < n; i++) {
            int since = gap_before(f, buf, n, i);
            int carry = stg_jobs_ef_carry(f, g, cc, buf[i], since);
            double vol = (pc.app_churn * carry / (double)STG_DAY
                          + pc.full_fixed) * wire;
            if (push(jl, g, c, STG_JOB_EXPRESS_FULL, buf[i], vol, -1, since))
                return -1;
        }
    }

    /* consistency checks: once per window */
    if (gr->has_cc && s->cc_start[g] >= 0) {
        int len = stg_cc_window_len(gr);
        int delta = ((s->cc_start[g] - gr->cc_from) % STG_DAY + STG_DAY)
                    % STG_DAY;
        int ndays = f->cycle / STG_DAY;
        for (int d = 0; d < ndays; d++) {
            if (ndays > 1 && !(gr->cc_days & (1u << d)))
                continue;
            int open = d * STG_DAY + gr->cc_from;
            if (push(jl, g, c, STG_JOB_CC, open + delta, pc.size_cc * wire,
                     open + len, 0))
                return -1;
        }
    }
    return 0;
}

typedef struct {
    unsigned long long key;
    stg_job job;
} keyed_job;

static int by_key(const void *a, const void *b)
{
    const keyed_job *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

/* Orders jobs first come, first served: release, group name, kind,
 * computer name (one 64-bit key, so no comparison state is shared). */
static int sort_jobs(const stg_fleet *f, stg_job *jobs, size_t n)
{
    int rc = -1;
    int *grank = stg_malloc(sizeof *grank * (size_t)(f->ngroups + 1));
    int *crank = stg_malloc(sizeof *crank * (size_t)(f->ncomputers + 1));
    keyed_job *k = stg_malloc(sizeof *k * (n ? n : 1));
    if (!grank || !crank || !k)
        goto out;
    if (stg_name_ranks(&f->groups[0].name, sizeof f->groups[0], f->ngroups,
                       grank) ||
        stg_name_ranks(&f->computers[0].name, sizeof f->computers[0],
                       f->ncomputers, crank))
        goto out;
    for (size_t i = 0; i < n; i++) {
        k[i].job = jobs[i];
        k[i].key = (unsigned long long)jobs[i].release << 43
                   | (unsigned long long)grank[jobs[i].group] << 23
                   | (unsigned long long)jobs[i].kind << 21
                   | (unsigned long long)crank[jobs[i].computer];
    }
    qsort(k, n, sizeof *k, by_key);
    for (size_t i = 0; i < n; i++)
        jobs[i] = k[i].job;
    rc = 0;
out:
    stg_free(grank);
    stg_free(crank);
    stg_free(k);
    return rc;
}

int stg_jobs_derive(const stg_fleet *f, const stg_settings *s,
                    stg_job **jobs)
{
    job_list jl = { NULL, 0, 0, f };
    int *buf = NULL, *seen = NULL;
    int rc = -1;
    int maxat = 1;
    for (int g = 0; g < f->ngroups; g++) {
        if (f->groups[g].nrp > maxat)
            maxat = f->groups[g].nrp;
        if (f->groups[g].nef > maxat)
            maxat = f->groups[g].nef;
    }
    buf = stg_malloc(sizeof *buf * (size_t)maxat * 7);
    seen = stg_calloc((size_t)f->ncomputers + 1, sizeof *seen);
    if (!buf || !seen)
        goto out;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        /* each computer of the group once, in source order */
        for (int i = 0; i < gr->nsources; i++) {
            int c = f->sources[gr->sources[i]].computer;
            if (seen[c] == g + 1)
                continue;
            seen[c] = g + 1;
            if (group_jobs(&jl, s, g, c, buf))
                goto out;
        }
    }
    if (jl.count > 1 && sort_jobs(f, jl.items, jl.count))
        goto out;
    *jobs = jl.items;
    jl.items = NULL;
    rc = (int)jl.count;
out:
    stg_free(jl.items);
    stg_free(buf);
    stg_free(seen);
    return rc;
}

long stg_jobs_count(const stg_fleet *f)
{
    stg_settings *s = stg_settings_today(f);
    stg_job *jobs = NULL;
    long n = -1;
    if (s)
        n = stg_jobs_derive(f, s, &jobs);
    stg_free(jobs);
    stg_settings_free(s);
    return n;
}

const char *stg_job_kind_name(stg_job_kind k)
{
    switch (k) {
    case STG_JOB_SYNC: return "sync";
    case STG_JOB_EXPRESS_FULL: return "express_full";
    case STG_JOB_CC: return "consistency_check";
    }
    return "?";
}

const char *stg_job_kind_words(stg_job_kind k)
{
    switch (k) {
    case STG_JOB_SYNC: return "sync";
    case STG_JOB_EXPRESS_FULL: return "express full";
    case STG_JOB_CC: return "consistency check";
    }
    return "transfer";
}
