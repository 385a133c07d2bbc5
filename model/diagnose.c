/* stagger: failed jobs on the predicted load (see diagnose.h). */
#include "diagnose.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"

/* ---- the clock -------------------------------------------------------- */

static long long floor_mod(long long a, long long m)
{
    long long r = a % m;
    return r < 0 ? r + m : r;
}

int stg_diag_cycle_time(int cycle, long long t, int from_offset,
                        int to_offset)
{
    long long u = t - from_offset + to_offset;
    if (cycle == STG_WEEK)      /* 1970-01-01 was a Thursday: 3 days after
                                   a Monday */
        return (int)floor_mod(u + 3LL * STG_DAY, STG_WEEK);
    return (int)floor_mod(u, STG_DAY);
}

/* ---- chance ----------------------------------------------------------- */

double stg_binomial_tail(int n, int k, double p)
{
    if (k <= 0)
        return 1;
    if (k > n || p <= 0)
        return 0;
    if (p >= 1)
        return 1;
    double lp = log(p), lq = log1p(-p), lf = lgamma(n + 1.0), sum = 0;
    for (int i = k; i <= n; i++)
        sum += exp(lf - lgamma(i + 1.0) - lgamma(n - i + 1.0) + i * lp +
                   (n - i) * lq);
    return sum > 1 ? 1 : sum;
}

/* P(X >= k) for the sum X of the events, by the normal approximation
 * with continuity correction. */
static double normal_tail(const double *p, int n, int k)
{
    double mu = 0, var = 0;
    for (int i = 0; i < n; i++) {
        mu += p[i];
        var += p[i] * (1 - p[i]);
    }
    if (var <= 0)
        return mu >= k - 0.5 ? 1 : 0;
    return 0.5 * erfc((k - 0.5 - mu) / sqrt(2 * var));
}

/* The largest n * k for which stg_chance_tail() sums exactly. */
#define EXACT_WORK 5e7

double stg_chance_tail(const double *p, int n, int k)
{
    if (k <= 0)
        return 1;
    if (k > n)
        return 0;
    /* dist[j]: the chance of exactly j so far (j < k); done: k or more */
    if ((double)n * k > EXACT_WORK)
        return normal_tail(p, n, k);
    double *dist = stg_calloc((size_t)k, sizeof *dist);
    if (!dist)
        return -1;
    double done = 0;
    dist[0] = 1;
    for (int i = 0; i < n; i++) {
        double q = p[i] < 0 ? 0 : p[i] > 1 ? 1 : p[i];
        done += dist[k - 1] * q;
        for (int j = k - 1; j > 0; j--)
            dist[j] = dist[j] * (1 - q) + dist[j - 1] * q;
        dist[0] *= 1 - q;
    }
    stg_free(dist);
    return done > 1 ? 1 : done;
}

int stg_tally_judge(stg_tally *t, const double *p, double same)
{
    int n = t->failures;
    t->p = p ? stg_chance_tail(p, n, t->below)
             : stg_binomial_tail(n, t->below, same);
    if (t->p < 0)
        return -1;
    /* the chance that all n fall below: when it is no surprise, nothing
     * the history could show would be one */
    double all = 1;
    for (int i = 0; i < n && all >= STG_DIAG_LEVEL; i++)
        all *= p ? p[i] : same;
    if (n < STG_DIAG_MIN_FAILURES)
        t->verdict = STG_VERDICT_FEW;
    else if (all >= STG_DIAG_LEVEL)
        t->verdict = STG_VERDICT_CANNOT;
    else if (t->p < STG_DIAG_LEVEL)
        t->verdict = STG_VERDICT_EXPLAINS;
    else
        t->verdict = STG_VERDICT_NOT;
    return 0;
}

/* ---- names ------------------------------------------------------------ */

typedef struct {
    const char *key;
    size_t len;
    int computer;
} name_key;

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = strncasecmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

static int by_key(const void *x, const void *y)
{
    const name_key *a = x, *b = y;
    int c = key_cmp(a->key, a->len, b->key, b->len);
    return c ? c : a->computer - b->computer;
}

/* The keys equal to (s, len) in keys[0..n): *count of them from the
 * returned index. */
static int key_range(const name_key *keys, int n, const char *s, size_t len,
                     int *count)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (key_cmp(keys[mid].key, keys[mid].len, s, len) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int end = lo;
    while (end < n && !key_cmp(keys[end].key, keys[end].len, s, len))
        end++;
    *count = end - lo;
    return lo;
}

typedef struct {
    name_key *full;             /* every computer by its whole name */
    name_key *label;            /* every computer by its first label */
    int n;
} name_index;

static int index_make(const stg_fleet *f, name_index *ix)
{
    ix->n = f->ncomputers;
    ix->full = stg_calloc((size_t)ix->n + 1, sizeof *ix->full);
    ix->label = stg_calloc((size_t)ix->n + 1, sizeof *ix->label);
    if (!ix->full || !ix->label)
        return -1;
    for (int c = 0; c < ix->n; c++) {
        const char *name = f->computers[c].name;
        ix->full[c] = (name_key){ name, strlen(name), c };
        ix->label[c] = (name_key){ name, strcspn(name, "."), c };
    }
    qsort(ix->full, (size_t)ix->n, sizeof *ix->full, by_key);
    qsort(ix->label, (size_t)ix->n, sizeof *ix->label, by_key);
    return 0;
}

static void index_free(name_index *ix)
{
    stg_free(ix->full);
    stg_free(ix->label);
}

static bool all_digits(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* The fleet computer a job names, or -1 (*ambiguous set when several
 * could be meant). */
static int match(const stg_fleet *f, const name_index *ix, const char *name,
                 bool *ambiguous)
{
    int n, at;
    size_t len = strlen(name), label = strcspn(name, ".");
    const name_key *keys = ix->full;
    *ambiguous = false;
    at = key_range(ix->full, ix->n, name, len, &n);
    if (n > 1)                  /* names that differ in case only */
        for (int i = at; i < at + n; i++)
            if (!strcmp(f->computers[ix->full[i].computer].name, name))
                return ix->full[i].computer;
    if (n == 0 && label == len) {
        /* a host name: the one computer whose DNS name starts with it */
        keys = ix->label;
        at = key_range(ix->label, ix->n, name, len, &n);
    } else if (n == 0 && label > 0 && !all_digits(name, label)) {
        /* a DNS name: the one computer named by its host name */
        at = key_range(ix->full, ix->n, name, label, &n);
    }
    if (n == 1)
        return keys[at].computer;
    *ambiguous = n > 1;
    return -1;
}

/* ---- the diagnosis ---------------------------------------------------- */

void stg_diagnosis_free(stg_diagnosis *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->nstrangers; i++)
        stg_free(d->strangers[i].name);
    stg_free(d->strangers);
    stg_free(d->failures);
    stg_free(d->below);
    stg_free(d->below_slots);
    stg_free(d->links);
    stg_free(d->ids);
    stg_free(d);
}

bool stg_diagnosis_below(const stg_diagnosis *d, int l, int s)
{
    return d->below[(long)l * d->nslots + s] != 0;
}

static int by_place(const void *x, const void *y)
{
    const stg_failure *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->file != b->file)
        return a->file - b->file;
    return a->job - b->job;
}

/* failures by error ID, then place */
static int by_id(const void *x, const void *y)
{
    const stg_failure *a = x, *b = y;
    if (a->error_id != b->error_id)
        return a->error_id < b->error_id ? -1 : 1;
    return by_place(x, y);
}

static int by_count(const void *x, const void *y)
{
    const stg_id_tally *a = x, *b = y;
    if (a->tally.failures != b->tally.failures)
        return b->tally.failures - a->tally.failures;
    return a->id < b->id ? -1 : a->id > b->id;
}

/* A failed job of a computer not in the fleet. */
typedef struct {
    const char *name;
    int order;                  /* as read */
    bool ambiguous;
} stray;

static int by_stray(const void *x, const void *y)
{
    const stray *a = x, *b = y;
    int c = strcasecmp(a->name, b->name);
    return c ? c : a->order - b->order;
}

static int by_stranger(const void *x, const void *y)
{
    const stg_stranger *a = x, *b = y;
    if (a->failures != b->failures)
        return b->failures - a->failures;
    int c = strcasecmp(a->name, b->name);
    return c ? c : strcmp(a->name, b->name);
}

/* The slots below the limit, from the evaluation's headroom runs. */
static int mark_below(const stg_fleet *f, const stg_eval *e,
                      stg_diagnosis *d)
{
    int N = d->nslots;
    d->below = stg_calloc((size_t)f->nlinks * (size_t)N + 1, 1);
    d->below_slots = stg_calloc((size_t)f->nlinks + 1, sizeof *d->below_slots);
    if (!d->below || !d->below_slots)
        return -1;
    for (int i = 0; i < e->nviolations; i++) {
        const stg_violation *v = &e->violations[i];
        if (v->kind != STG_VIOL_HEADROOM)
            continue;
        for (int s = v->from; s < v->to; s++)
            d->below[(long)v->index * N + s % N] = 1;
    }
    for (int l = 0; l < f->nlinks; l++)
        for (int s = 0; s < N; s++)
            d->below_slots[l] += d->below[(long)l * N + s];
    return 0;
}

/* The share of the cycle below the limit on any link of computer c. */
static double union_share(const stg_fleet *f, const stg_diagnosis *d, int c)
{
    const stg_computer *cp = &f->computers[c];
    int below = 0;
    for (int s = 0; s < d->nslots; s++)
        for (int i = 0; i < cp->nfull_path; i++)
            if (stg_diagnosis_below(d, cp->full_path[i], s)) {
                below++;
                break;
            }
    return d->nslots ? (double)below / d->nslots : 0;
}

/* The failures by ID (sorted so), each ID's tally and all of them. */
static int tally_ids(stg_diagnosis *d)
{
    int n = d->nfailures;
    double *p = stg_calloc((size_t)n + 1, sizeof *p);
    d->ids = stg_calloc((size_t)n + 1, sizeof *d->ids);
    if (!p || !d->ids)
        goto oom;
    for (int i = 0; i < n; i++) {
        p[i] = d->failures[i].share;
        d->all.failures++;
        d->all.below += d->failures[i].below;
        d->all.chance += p[i];
    }
    if (stg_tally_judge(&d->all, p, 0))
        goto oom;
    if (n > 0)                  /* failures is NULL without any */
        qsort(d->failures, (size_t)n, sizeof *d->failures, by_id);
    for (int i = 0; i < n;) {
        int j = i;
        stg_id_tally *it = &d->ids[d->nids++];
        it->id = d->failures[i].error_id;
        for (; j < n && d->failures[j].error_id == it->id; j++) {
            p[j] = d->failures[j].share;
            it->tally.failures++;
            it->tally.below += d->failures[j].below;
            it->tally.chance += p[j];
        }
        if (stg_tally_judge(&it->tally, p + i, 0))
            goto oom;
        i = j;
    }
    qsort(d->ids, (size_t)d->nids, sizeof *d->ids, by_count);
    if (n > 0)
        qsort(d->failures, (size_t)n, sizeof *d->failures, by_place);
    stg_free(p);
    return 0;
oom:
    stg_free(p);
    return -1;
}

static void tally_links(const stg_fleet *f, stg_diagnosis *d,
                        const int *ljobs, const int *lbelow)
{
    for (int i = 0; i < d->nfailures; i++) {
        const stg_failure *fl = &d->failures[i];
        const stg_computer *cp = &f->computers[fl->computer];
        int s = fl->t / d->resolution;
        for (int j = 0; j < cp->nfull_path; j++) {
            int l = cp->full_path[j];
            d->links[l].failures++;
            d->links[l].below += stg_diagnosis_below(d, l, s);
        }
    }
    for (int l = 0; l < f->nlinks; l++) {
        double share = ljobs[l] >= STG_DIAG_MIN_JOBS
                       ? (double)lbelow[l] / ljobs[l]
                       : d->nslots ? (double)d->below_slots[l] / d->nslots : 0;
        d->links[l].baseline = ljobs[l] >= STG_DIAG_MIN_JOBS ? ljobs[l] : 0;
        d->links[l].chance = d->links[l].failures * share;
        (void)stg_tally_judge(&d->links[l], NULL, share); /* cannot fail */
    }
}

/* The computers not in the fleet, one per name (case ignored). */
static int gather_strangers(stg_diagnosis *d, stray *st, int n)
{
    if (n > 0)                  /* st is NULL without any */
        qsort(st, (size_t)n, sizeof *st, by_stray);
    d->strangers = stg_calloc((size_t)n + 1, sizeof *d->strangers);
    if (!d->strangers)
        return -1;
    for (int i = 0; i < n;) {
        int j = i, first = i;
        bool amb = false;
        for (; j < n && !strcasecmp(st[j].name, st[i].name); j++) {
            amb |= st[j].ambiguous;
            if (st[j].order < st[first].order)
                first = j;
        }
        stg_stranger *sg = &d->strangers[d->nstrangers];
        if (!(sg->name = stg_strdup(st[first].name)))
            return -1;
        d->nstrangers++;
        sg->failures = j - i;
        sg->ambiguous = amb;
        i = j;
    }
    qsort(d->strangers, (size_t)d->nstrangers, sizeof *d->strangers,
          by_stranger);
    return 0;
}

/* Counts a succeeded job of computer c starting at cycle time t into
 * the baselines: its computer's (below on any link of its path) and
 * each link's of that path. */
static void count_baseline(const stg_fleet *f, const stg_diagnosis *d, int c,
                           int t, int *cjobs, int *cbelow, int *ljobs,
                           int *lbelow)
{
    const stg_computer *cp = &f->computers[c];
    int s = t / d->resolution;
    bool any = false;
    for (int i = 0; i < cp->nfull_path; i++) {
        int l = cp->full_path[i];
        bool b = stg_diagnosis_below(d, l, s);
        ljobs[l]++;
        lbelow[l] += b;
        any |= b;
    }
    cjobs[c]++;
    cbelow[c] += any;
}

stg_diagnosis *stg_diagnose(const stg_fleet *f, const stg_sim *sim,
                            const stg_eval *e,
                            const stg_dpm_export *const *hist, int nhist)
{
    name_index ix = { 0 };
    double *share = NULL;
    int *cjobs = NULL, *cbelow = NULL, *ljobs = NULL, *lbelow = NULL;
    stray *st = NULL;
    size_t fcap = 0, scap = 0;
    int nst = 0;
    stg_diagnosis *done = NULL, *d = stg_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->cycle = sim->cycle;
    d->resolution = sim->resolution;
    d->nslots = sim->nslots;
    d->nlinks = f->nlinks;
    d->first = 1;
    d->last = 0;
    d->links = stg_calloc((size_t)f->nlinks + 1, sizeof *d->links);
    share = stg_calloc((size_t)f->ncomputers + 1, sizeof *share);
    cjobs = stg_calloc((size_t)f->ncomputers + 1, sizeof *cjobs);
    cbelow = stg_calloc((size_t)f->ncomputers + 1, sizeof *cbelow);
    ljobs = stg_calloc((size_t)f->nlinks + 1, sizeof *ljobs);
    lbelow = stg_calloc((size_t)f->nlinks + 1, sizeof *lbelow);
    if (!d->links || !share || !cjobs || !cbelow || !ljobs || !lbelow ||
        mark_below(f, e, d) || index_make(f, &ix))
        goto fail;
    for (int c = 0; c < f->ncomputers; c++)
        share[c] = -1;          /* not computed yet */

    for (int h = 0; h < nhist; h++) {
        const stg_dpm_export *x = hist[h];
        for (int j = 0; j < x->njobs; j++) {
            const stg_dpm_job *job = &x->jobs[j];
            long long moment = job->start;  /* DPM calls its agent */
            long long when = moment - x->utc_offset + f->utc_offset;
            if (d->jobs++ == 0 || when < d->first)
                d->first = when;
            if (d->jobs == 1 || when > d->last)
                d->last = when;
            if (job->status && !strcasecmp(job->status, "Succeeded") &&
                job->computer) {
                /* the baseline: where the jobs that did not fail start */
                bool amb;
                int c = match(f, &ix, job->computer, &amb);
                if (c >= 0)
                    count_baseline(f, d, c,
                                   stg_diag_cycle_time(d->cycle, moment,
                                                       x->utc_offset,
                                                       f->utc_offset),
                                   cjobs, cbelow, ljobs, lbelow);
            }
            if (!job->status || strcasecmp(job->status, "Failed"))
                continue;
            d->failed++;
            if (!job->computer) {
                d->nameless++;
                continue;
            }
            bool amb;
            int c = match(f, &ix, job->computer, &amb);
            if (c < 0) {
                if (stg_grow((void **)&st, &scap, (size_t)nst + 1, sizeof *st))
                    goto fail;
                st[nst] = (stray){ job->computer, nst, amb };
                nst++;
                d->unknown++;
                continue;
            }
            if (stg_grow((void **)&d->failures, &fcap,
                         (size_t)d->nfailures + 1, sizeof *d->failures))
                goto fail;
            stg_failure *fl = &d->failures[d->nfailures++];
            const stg_computer *cp = &f->computers[c];
            fl->file = h;
            fl->job = j;
            fl->computer = c;
            fl->when = when;
            fl->t = stg_diag_cycle_time(d->cycle, moment, x->utc_offset,
                                        f->utc_offset);
            fl->error_id = job->error_id;
            fl->below = false;
            int s = fl->t / d->resolution;
            for (int i = 0; i < cp->nfull_path && !fl->below; i++)
                fl->below = stg_diagnosis_below(d, cp->full_path[i], s);
            d->nolink += cp->nfull_path == 0;
        }
    }
    /* chance: the share of its computer's succeeded jobs that start below
     * the limit, where the histories have enough of them; else the share
     * of the cycle's time */
    long all_jobs = 0, all_below = 0;
    for (int c = 0; c < f->ncomputers; c++) {
        all_jobs += cjobs[c];
        all_below += cbelow[c];
    }
    bool from_jobs = all_jobs >= STG_DIAG_MIN_JOBS;
    for (int i = 0; i < d->nfailures; i++) {
        stg_failure *fl = &d->failures[i];
        int c = fl->computer;
        if (share[c] < 0)       /* not computed yet */
            share[c] = from_jobs ? (double)all_below / (double)all_jobs
                                 : union_share(f, d, c);
        fl->share = share[c];
        fl->baseline = from_jobs;
    }
    if (d->nfailures > 0)
        qsort(d->failures, (size_t)d->nfailures, sizeof *d->failures,
              by_place);
    tally_links(f, d, ljobs, lbelow);
    if (tally_ids(d) || gather_strangers(d, st, nst))
        goto fail;
    done = d;
    d = NULL;
fail:
    index_free(&ix);
    stg_free(share);
    stg_free(cjobs);
    stg_free(cbelow);
    stg_free(ljobs);
    stg_free(lbelow);
    stg_free(st);
    stg_diagnosis_free(d);      /* NULL once done */
    return done;
}
