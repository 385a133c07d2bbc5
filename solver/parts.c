/* stagger: splitting a fleet into parts (see parts.h). */
#include "parts.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "model/jobs.h"

void stg_parts_free(stg_parts *pt)
{
    if (!pt)
        return;
    stg_free(pt->part_of_computer);
    stg_free(pt->part_of_group);
    stg_free(pt->part_of_link);
    stg_free(pt->link_worst);
    stg_free(pt->link_mean);
    stg_free(pt->link_binds);
    stg_free(pt->link_behind);
    stg_free(pt->link_joins);
    stg_free(pt->link_crowded);
    stg_free(pt->link_computers);
    stg_free(pt->server_waits);
    stg_free(pt->comp_off);
    stg_free(pt->comp);
    stg_free(pt->link_off);
    stg_free(pt->link);
    stg_free(pt->group_off);
    stg_free(pt->group);
    stg_free(pt->joined);
    stg_free(pt->forced);
    stg_free(pt->forced_server);
    stg_free(pt);
}

/* --- union-find over computers -------------------------------------- */

static int find(int *up, int x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

/* Joins a and b; the smaller index stays the root, so a part's root is
 * its first computer. */
static void join(int *up, int a, int b)
{
    a = find(up, a);
    b = find(up, b);
    if (a < b)
        up[b] = a;
    else if (b < a)
        up[a] = b;
}

/* --- the worst case of a link ----------------------------------------- */

static int by_rate_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* The highest load a link can carry: at each slot its background plus
 * the throttles of every computer on it, at most max_jobs of each
 * server's (the largest).  on[0..n) are the computers crossing it,
 * sorted by server; rate[k] is profile k's throttle per slot.  The
 * throttles change only where a profile on the link changes, so the sum
 * is taken once per run of slots where none does.  scratch has room for
 * n doubles and list for n ints, seen for one int per profile (all -1
 * on entry and exit). */
static double worst_load(const stg_fleet *f, const int *on, int n,
                         const int *profile, const double *rate,
                         const double *bg, double *scratch, int *list,
                         int *seen)
{
    int N = f->cycle / f->resolution, nprof = 0;
    /* the distinct profiles on the link */
    for (int i = 0; i < n; i++) {
        int k = profile[on[i]];
        if (seen[k] < 0) {
            seen[k] = nprof;
            list[nprof++] = k;
        }
    }
    double worst = 0;
    int from = 0;
    while (from < N) {
        int to = from + 1;
        for (int change = 0; to < N; to++) {
            for (int i = 0; i < nprof && !change; i++)
                change = rate[(long)list[i] * N + to] !=
                         rate[(long)list[i] * N + from];
            if (change)
                break;
        }
        double total = 0;
        for (int t = from; t < to; t++)
            if (bg[t] > total)
                total = bg[t];
        /* per server (a run of on[]): the largest max_jobs throttles */
        for (int i = 0; i < n;) {
            int sv = f->computers[on[i]].server, m = 0;
            for (; i < n && f->computers[on[i]].server == sv; i++)
                scratch[m++] = rate[(long)profile[on[i]] * N + from];
            int cap = sv >= 0 && f->servers[sv].max_jobs > 0
                      ? f->servers[sv].max_jobs : m;
            if (cap < m)
                qsort(scratch, (size_t)m, sizeof *scratch, by_rate_desc);
            for (int k = 0; k < m && k < cap; k++)
                total += scratch[k];
        }
        if (total > worst)
            worst = total;
        from = to;
    }
    for (int i = 0; i < nprof; i++)
        seen[list[i]] = -1;
    return worst;
}

/* Fills link_worst and link_binds; returns -1 when out of memory. */
static int link_worst_cases(const stg_fleet *f, const stg_settings *s,
                            const double *volume, stg_parts *pt)
{
    int N = f->cycle / f->resolution, rc = -1;
    int nc = f->ncomputers, L = f->nlinks;
    int *profile = stg_malloc(sizeof *profile * (size_t)(nc + 1));
    int *owner = stg_malloc(sizeof *owner * (size_t)(nc + 1));
    int *count = stg_calloc((size_t)L + 1, sizeof *count);
    int *first = stg_calloc((size_t)L + 2, sizeof *first);
    int *seen = stg_malloc(sizeof *seen * (size_t)(nc + 1));
    double *scratch = stg_malloc(sizeof *scratch * (size_t)(nc + 1));
    double *bg = stg_malloc(sizeof *bg * (size_t)N);
    double *rate = NULL;
    int *list = NULL;
    if (!profile || !owner || !count || !first || !seen || !scratch || !bg)
        goto out;
    for (int c = 0; c < nc; c++)
        seen[c] = -1;
    int np = stg_throttle_profiles(s, profile, owner);
    rate = stg_malloc(sizeof *rate * (size_t)np * (size_t)N + 1);
    if (!rate)
        goto out;
    for (int k = 0; k < np; k++)
        for (int t = 0; t < N; t++)
            rate[(long)k * N + t] = stg_throttle_at(f, &s->throttle[owner[k]],
                                                    t * f->resolution);
    /* owner is scratch from here on (worst_load's profile list) */
    /* the computers of each link */
    for (int c = 0; c < nc; c++)
        for (int i = 0; i < f->computers[c].nfull_path; i++)
            count[f->computers[c].full_path[i]]++;
    for (int l = 0; l < L; l++)
        first[l + 1] = first[l] + count[l];
    list = stg_malloc(sizeof *list * (size_t)(first[L] + 1));
    if (!list)
        goto out;
    memset(count, 0, sizeof *count * (size_t)L);
    /* each link's computers, server by server (worst_load's runs) */
    for (int sv = -1; sv < f->nservers; sv++)
        for (int c = 0; c < nc; c++) {
            if (f->computers[c].server != sv)
                continue;
            for (int i = 0; i < f->computers[c].nfull_path; i++) {
                int l = f->computers[c].full_path[i];
                list[first[l] + count[l]++] = c;
            }
        }
    for (int l = 0; l < L; l++) {
        const stg_link *lk = &f->links[l];
        for (int t = 0; t < N; t++)
            bg[t] = stg_link_background_at(f, lk, t * f->resolution);
        double w = worst_load(f, list + first[l], count[l], profile, rate,
                              bg, scratch, owner, seen);
        pt->link_worst[l] = count[l] ? 1 - w / lk->capacity : 1;
        double mean = 0;
        for (int t = 0; t < N; t++)
            mean += bg[t];
        for (int i = first[l]; i < first[l] + count[l]; i++)
            mean += volume[list[i]] * 8 / (f->efficiency * f->resolution);
        pt->link_mean[l] = mean / N / lk->capacity;
        /* behind: every computer on it reaches it through a narrower
         * link of its path (a core behind branch lines) */
        bool behind = true;
        for (int i = first[l]; i < first[l] + count[l] && behind; i++) {
            const stg_computer *cp = &f->computers[list[i]];
            bool narrower = false;
            for (int k = 0; k < cp->nfull_path && !narrower; k++)
                narrower = f->links[cp->full_path[k]].capacity < lk->capacity;
            behind = narrower;
        }
        pt->link_behind[l] = behind;
        pt->link_binds[l] = count[l] > 0 &&
                            pt->link_worst[l] < f->headroom - 1e-9;
        pt->link_computers[l] = count[l];
        pt->link_crowded[l] = behind && count[l] > STG_JOIN_MAX &&
                              4 * count[l] > nc;
        pt->link_joins[l] = count[l] > 0 &&
            (!behind || (pt->link_binds[l] && !pt->link_crowded[l] &&
                         pt->link_mean[l] >= (1 - f->headroom) / 2));
    }
    rc = 0;
out:
    stg_free(profile);
    stg_free(owner);
    stg_free(count);
    stg_free(first);
    stg_free(seen);
    stg_free(scratch);
    stg_free(bg);
    stg_free(rate);
    stg_free(list);
    return rc;
}

/* Bytes each computer sends per cycle (NULL when out of memory). */
static double *computer_volumes(const stg_fleet *f, const stg_settings *s)
{
    stg_job *jobs = NULL;
    double *v = stg_calloc((size_t)f->ncomputers + 1, sizeof *v);
    int n = v ? stg_jobs_derive(f, s, &jobs) : -1;
    if (n < 0) {
        stg_free(v);
        return NULL;
    }
    for (int j = 0; j < n; j++)
        v[jobs[j].computer] += jobs[j].volume;
    stg_free(jobs);
    return v;
}

/* --- the parts ---------------------------------------------------------- */

/* Joins computers: by groups, by the links that join (link_joins), by
 * the servers forced (fs).  Returns -1 when out of memory. */
static int join_all(const stg_fleet *f, stg_parts *pt, const bool *fs,
                    int *up)
{
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        for (int k = 1; k < gr->nsources; k++)
            join(up, f->sources[gr->sources[0]].computer,
                 f->sources[gr->sources[k]].computer);
    }
    int *last = stg_malloc(sizeof *last * (size_t)(f->nlinks + 1));
    int *last_s = stg_malloc(sizeof *last_s * (size_t)(f->nservers + 1));
    if (!last || !last_s) {
        stg_free(last);
        stg_free(last_s);
        return -1;
    }
    for (int l = 0; l < f->nlinks; l++)
        last[l] = -1;
    for (int sv = 0; sv < f->nservers; sv++)
        last_s[sv] = -1;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        for (int i = 0; i < cp->nfull_path; i++) {
            int l = cp->full_path[i];
            if (!pt->link_joins[l])
                continue;
            if (last[l] >= 0)
                join(up, last[l], c);
            last[l] = c;
        }
        int sv = cp->server;
        if (sv >= 0 && fs && fs[sv]) {
            if (last_s[sv] >= 0)
                join(up, last_s[sv], c);
            last_s[sv] = c;
        }
    }
    stg_free(last);
    stg_free(last_s);
    return 0;
}

/* What joined each part (needs part_of_computer). */
static void mark_joins(const stg_fleet *f, stg_parts *pt, const bool *fs)
{
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        for (int k = 1; k < gr->nsources; k++)
            if (f->sources[gr->sources[k]].computer !=
                f->sources[gr->sources[0]].computer)
                pt->joined[pt->part_of_group[g]] |= STG_JOIN_GROUP;
    }
    for (int l = 0; l < f->nlinks; l++)
        if (pt->link_joins[l] && pt->part_of_link[l] >= 0 &&
            pt->comp_off[pt->part_of_link[l] + 1] -
            pt->comp_off[pt->part_of_link[l]] > 1)
            pt->joined[pt->part_of_link[l]] |= STG_JOIN_LINK;
    for (int c = 0; c < f->ncomputers; c++) {
        int sv = f->computers[c].server;
        if (sv >= 0 && fs && fs[sv])
            pt->joined[pt->part_of_computer[c]] |= STG_JOIN_SERVER;
    }
}

/* off[0..n] and items from owner[i] (part of item i, -1: none). */
static int bucket(const int *owner, int nitems, int nparts, int **off,
                  int **items)
{
    *off = stg_calloc((size_t)nparts + 2, sizeof **off);
    *items = stg_malloc(sizeof **items * (size_t)(nitems + 1));
    if (!*off || !*items)
        return -1;
    for (int i = 0; i < nitems; i++)
        if (owner[i] >= 0)
            (*off)[owner[i] + 1]++;
    for (int k = 0; k < nparts; k++)
        (*off)[k + 1] += (*off)[k];
    int *fill = stg_calloc((size_t)nparts + 1, sizeof *fill);
    if (!fill)
        return -1;
    for (int i = 0; i < nitems; i++)
        if (owner[i] >= 0)
            (*items)[(*off)[owner[i]] + fill[owner[i]]++] = i;
    stg_free(fill);
    return 0;
}

stg_parts *stg_parts_split(const stg_fleet *f, const stg_settings *s,
                           const bool *force, const bool *force_server)
{
    int nc = f->ncomputers, L = f->nlinks;
    double *volume = NULL;
    stg_parts *pt = stg_calloc(1, sizeof *pt);
    int *up = stg_malloc(sizeof *up * (size_t)(nc + 1));
    int *count = stg_calloc((size_t)f->nservers + 1, sizeof *count);
    if (!pt || !up || !count)
        goto fail;
    pt->part_of_computer = stg_malloc(sizeof *pt->part_of_computer * (size_t)(nc + 1));
    pt->part_of_group = stg_malloc(sizeof *pt->part_of_group * (size_t)(f->ngroups + 1));
    pt->part_of_link = stg_malloc(sizeof *pt->part_of_link * (size_t)(L + 1));
    pt->link_worst = stg_malloc(sizeof *pt->link_worst * (size_t)(L + 1));
    pt->link_binds = stg_calloc((size_t)L + 1, sizeof *pt->link_binds);
    pt->link_behind = stg_calloc((size_t)L + 1, sizeof *pt->link_behind);
    pt->link_joins = stg_calloc((size_t)L + 1, sizeof *pt->link_joins);
    pt->link_crowded = stg_calloc((size_t)L + 1, sizeof *pt->link_crowded);
    pt->link_computers = stg_calloc((size_t)L + 1, sizeof *pt->link_computers);
    pt->server_waits = stg_calloc((size_t)f->nservers + 1, sizeof *pt->server_waits);
    pt->link_mean = stg_malloc(sizeof *pt->link_mean * (size_t)(L + 1));
    pt->forced = stg_calloc((size_t)L + 1, sizeof *pt->forced);
    pt->forced_server = stg_calloc((size_t)f->nservers + 1,
                                   sizeof *pt->forced_server);
    if (!pt->forced || !pt->forced_server)
        goto fail;
    for (int l = 0; force && l < L; l++)
        pt->forced[l] = force[l];
    for (int sv = 0; force_server && sv < f->nservers; sv++)
        pt->forced_server[sv] = force_server[sv];
    if (!pt->part_of_computer || !pt->part_of_group || !pt->part_of_link ||
        !pt->link_worst || !pt->link_mean || !pt->link_binds ||
        !pt->link_behind || !pt->link_joins || !pt->link_crowded ||
        !pt->link_computers ||
        !pt->server_waits || !(volume = computer_volumes(f, s)) ||
        link_worst_cases(f, s, volume, pt))
        goto fail;
    for (int l = 0; force && l < L; l++)
        pt->link_joins[l] |= force[l];
    for (int c = 0; c < nc; c++)
        if (f->computers[c].server >= 0)
            count[f->computers[c].server]++;
    for (int sv = 0; sv < f->nservers; sv++)
        pt->server_waits[sv] = f->servers[sv].max_jobs > 0 &&
                               f->servers[sv].max_jobs < count[sv];
    for (int c = 0; c < nc; c++)
        up[c] = c;
    if (join_all(f, pt, force_server, up))
        goto fail;
    /* parts numbered by their first computer */
    int n = 0;
    for (int c = 0; c < nc; c++)
        pt->part_of_computer[c] = find(up, c) == c ? n++ : -1;
    for (int c = 0; c < nc; c++)
        pt->part_of_computer[c] = pt->part_of_computer[find(up, c)];
    pt->nparts = n;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        pt->part_of_group[g] = gr->nsources > 0
            ? pt->part_of_computer[f->sources[gr->sources[0]].computer] : -1;
    }
    for (int l = 0; l < L; l++)
        pt->part_of_link[l] = -2;       /* crossed by none yet */
    for (int c = 0; c < nc; c++)
        for (int i = 0; i < f->computers[c].nfull_path; i++) {
            int l = f->computers[c].full_path[i];
            int k = pt->part_of_computer[c];
            pt->part_of_link[l] = pt->part_of_link[l] == -2 ? k
                                : pt->part_of_link[l] == k ? k : -1;
        }
    for (int l = 0; l < L; l++)
        if (pt->part_of_link[l] == -2)
            pt->part_of_link[l] = -1;
    pt->joined = stg_calloc((size_t)n + 1, sizeof *pt->joined);
    if (!pt->joined ||
        bucket(pt->part_of_computer, nc, n, &pt->comp_off, &pt->comp) ||
        bucket(pt->part_of_link, L, n, &pt->link_off, &pt->link) ||
        bucket(pt->part_of_group, f->ngroups, n, &pt->group_off, &pt->group))
        goto fail;
    mark_joins(f, pt, force_server);
    stg_free(up);
    stg_free(count);
    stg_free(volume);
    return pt;
fail:
    stg_free(up);
    stg_free(count);
    stg_free(volume);
    stg_parts_free(pt);
    return NULL;
}

int stg_parts_largest(const stg_parts *pt)
{
    int best = 0;
    for (int k = 1; k < pt->nparts; k++)
        if (pt->comp_off[k + 1] - pt->comp_off[k] >
            pt->comp_off[best + 1] - pt->comp_off[best])
            best = k;
    return best;
}
