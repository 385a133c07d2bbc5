/* stagger: the fleet as data: construction, lookups, and the checks that
 * need the whole fleet (stg_fleet_finish). */
#include "fleet.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "alloc.h"
#include "order.h"
#include "quantity.h"

static const stg_loc nowhere = {0, 0, 0};

stg_fleet *stg_fleet_new(void)
{
    stg_fleet *f = stg_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->cycle = STG_DAY;
    f->cycle_set = false;
    f->resolution = 60;
    f->headroom = 0.15;
    f->efficiency = 0.8;
    return f;
}

void stg_fleet_free(stg_fleet *f)
{
    if (!f)
        return;
    for (int i = 0; i < f->nlinks; i++) {
        stg_free(f->links[i].name);
        stg_free(f->links[i].background);
        stg_free(f->links[i].others);
    }
    for (int i = 0; i < f->nservers; i++) {
        stg_free(f->servers[i].name);
        stg_free(f->servers[i].path);
    }
    for (int i = 0; i < f->ncomputers; i++) {
        stg_free(f->computers[i].name);
        stg_free(f->computers[i].path);
        stg_free(f->computers[i].full_path);
    }
    for (int i = 0; i < f->ngroups; i++) {
        stg_free(f->groups[i].name);
        stg_free(f->groups[i].rp_at);
        stg_free(f->groups[i].ef_at);
        stg_free(f->groups[i].sources);
    }
    for (int i = 0; i < f->nsources; i++)
        stg_free(f->sources[i].name);
    stg_free(f->links);
    stg_free(f->servers);
    stg_free(f->computers);
    stg_free(f->groups);
    stg_free(f->sources);
    stg_free(f);
}

/* ---- lookups --------------------------------------------------------- */

#define FIND(arr, n, name)                                              \
    do {                                                                \
        for (int i_ = 0; i_ < (n); i_++)                                \
            if ((arr)[i_].name && strcmp((arr)[i_].name, (name)) == 0)  \
                return i_;                                              \
        return -1;                                                      \
    } while (0)

int stg_fleet_link(const stg_fleet *f, const char *name)
{
    FIND(f->links, f->nlinks, name);
}

int stg_fleet_server(const stg_fleet *f, const char *name)
{
    FIND(f->servers, f->nservers, name);
}

int stg_fleet_computer(const stg_fleet *f, const char *name)
{
    FIND(f->computers, f->ncomputers, name);
}

int stg_fleet_group(const stg_fleet *f, const char *name)
{
    FIND(f->groups, f->ngroups, name);
}

struct stg_fleet_names {
    const stg_fleet *f;
    int *groups, *computers;    /* indices in name order */
};

stg_fleet_names *stg_fleet_names_new(const stg_fleet *f)
{
    stg_fleet_names *x = stg_calloc(1, sizeof *x);
    if (!x)
        return NULL;
    x->f = f;
    x->groups = stg_name_order(f->ngroups ? &f->groups[0].name : NULL,
                               sizeof(stg_group), f->ngroups);
    x->computers = stg_name_order(f->ncomputers ? &f->computers[0].name
                                                : NULL,
                                  sizeof(stg_computer), f->ncomputers);
    if (!x->groups || !x->computers) {
        stg_fleet_names_free(x);
        return NULL;
    }
    return x;
}

void stg_fleet_names_free(stg_fleet_names *x)
{
    if (!x)
        return;
    stg_free(x->groups);
    stg_free(x->computers);
    stg_free(x);
}

int stg_fleet_names_group(const stg_fleet_names *x, const char *name)
{
    const stg_fleet *f = x->f;
    return stg_name_find(f->ngroups ? &f->groups[0].name : NULL,
                         sizeof(stg_group), x->groups, f->ngroups, name);
}

int stg_fleet_names_computer(const stg_fleet_names *x, const char *name)
{
    const stg_fleet *f = x->f;
    return stg_name_find(f->ncomputers ? &f->computers[0].name : NULL,
                         sizeof(stg_computer), x->computers, f->ncomputers,
                         name);
}

/* The first link of the smallest capacity on a computer's full path, or
 * -1 when the path is empty. */
static int bottleneck_link(const stg_fleet *f, int computer)
{
    const stg_computer *c = &f->computers[computer];
    int best = -1;
    for (int i = 0; i < c->nfull_path; i++) {
        int l = c->full_path[i];
        if (l < 0 || l >= f->nlinks)
            continue;
        if (best < 0 || f->links[l].capacity < f->links[best].capacity)
            best = l;
    }
    return best;
}

/* INFINITY when the computer crosses no link. */
double stg_fleet_bottleneck(const stg_fleet *f, int computer)
{
    int l = bottleneck_link(f, computer);
    return l < 0 ? INFINITY : f->links[l].capacity;
}

/* ---- windows --------------------------------------------------------- */

static long mod(long a, long m)
{
    long r = a % m;
    return r < 0 ? r + m : r;
}

bool stg_window_covers(int cycle, int from, int to, unsigned days, int t)
{
    long len = mod((long)to - from, STG_DAY);
    if (len == 0)
        len = STG_DAY;
    if (cycle != STG_WEEK)
        return mod(mod(t, STG_DAY) - from, STG_DAY) < len;
    long c = mod(t, STG_WEEK);
    int today = (int)(c / STG_DAY);
    /* a window is at most a day long: it started today or yesterday */
    for (int back = 0; back < 2; back++) {
        int start_day = (today - back + 7) % 7;
        if (!(days & (1u << start_day)))
            continue;
        long start = (long)start_day * STG_DAY + from;
        if (mod(c - start, STG_WEEK) < len)
            return true;
    }
    return false;
}

void stg_window_shift(int shift, int *from, int *to, unsigned *days)
{
    long start = (long)*from + shift;
    long rot = (start - mod(start, STG_DAY)) / STG_DAY;
    unsigned d = 0;
    for (int i = 0; i < 7; i++)
        if (*days & (1u << i))
            d |= 1u << mod(i + rot, 7);
    *from = (int)mod(start, STG_DAY);
    *to = (int)mod((long)*to + shift, STG_DAY);
    *days = d;
}

double stg_link_background_at(const stg_fleet *f, const stg_link *l, int t)
{
    double sum = l->others ? l->others[t / f->resolution] : 0;
    for (int i = 0; i < l->nbackground; i++) {
        const stg_timed_rate *b = &l->background[i];
        if (stg_window_covers(f->cycle, b->from, b->to, b->days, t))
            sum += b->rate;
    }
    return sum;
}

/* ---- finish: helpers ------------------------------------------------- */

static bool nondaily(unsigned days)
{
    return (days & STG_DAILY) != STG_DAILY;
}

static int popcount7(unsigned days)
{
    int n = 0;
    for (int i = 0; i < 7; i++)
        n += (days >> i) & 1;
    return n;
}

/* Days of the cycle on which something on `days` happens. */
static int days_in_cycle(const stg_fleet *f, unsigned days)
{
    return f->cycle == STG_WEEK ? popcount7(days) : 1;
}

static const char *cycle_name(const stg_fleet *f)
{
    return f->cycle == STG_WEEK ? "week" : "day";
}

static stg_loc or_loc(stg_loc a, stg_loc b)
{
    return a.line > 0 ? a : b;
}

static void out_of_memory(stg_diags *d)
{
    d->oom = 1;
    stg_diag_error(d, nowhere, NULL, "out of memory");
}

/* The cycle times of a daily schedule at[0..n) (ascending) on the given
 * days, ascending, in a new array; the count, or -1 when out of memory. */
static int instants(const stg_fleet *f, const int *at, int n, unsigned days,
                    int **out)
{
    int ndays = f->cycle == STG_WEEK ? 7 : 1;
    int *v = stg_malloc(sizeof *v * (size_t)(n * ndays + 1));
    if (!v)
        return -1;
    int k = 0;
    for (int day = 0; day < ndays; day++) {
        if (ndays == 7 && !(days & (1u << day)))
            continue;
        for (int i = 0; i < n; i++)
            v[k++] = day * STG_DAY + at[i];
    }
    *out = v;
    return k;
}

/* The time from the instant before v[i] to v[i] (cyclic). */
static int gap_before(const stg_fleet *f, const int *v, int k, int i)
{
    if (k == 1)
        return f->cycle;
    return i > 0 ? v[i] - v[i - 1] : v[0] + f->cycle - v[k - 1];
}

/* ---- finish: ranges -------------------------------------------------- */

static void check_ranges(stg_fleet *f, stg_diags *d)
{
    char a[STG_QBUF];
    if (!(f->headroom >= 0 && f->headroom < 1))
        stg_diag_error(d, f->headroom_loc, "write e.g. 15%",
                       "headroom %s is not from 0%% up to 100%%",
                       stg_fmt_pct(a, sizeof a, f->headroom));
    if (!(f->efficiency >= 0.01 && f->efficiency <= 1))
        stg_diag_error(d, nowhere, "write e.g. 80%",
                       "efficiency %s is not from 1%% to 100%%",
                       stg_fmt_pct(a, sizeof a, f->efficiency));
    if (f->resolution <= 0)
        stg_diag_error(d, f->resolution_loc, "write e.g. 1m",
                       "resolution %s is not above zero",
                       stg_fmt_duration(a, sizeof a, f->resolution));
    if (f->cycle != STG_DAY && f->cycle != STG_WEEK)
        stg_diag_error(d, f->cycle_loc, "write day or week",
                       "cycle is neither a day nor a week");
    for (int i = 0; i < f->nlinks; i++) {
        stg_link *l = &f->links[i];
        if (!(l->capacity > 0) || isinf(l->capacity))
            stg_diag_error(d, or_loc(l->capacity_loc, l->loc),
                           "write e.g. 100Mbps",
                           "link %s: capacity %s is not above zero",
                           l->name, stg_fmt_rate(a, sizeof a, l->capacity));
    }
    for (int i = 0; i < f->nservers; i++)
        if (f->servers[i].max_jobs < 0)
            stg_diag_error(d, f->servers[i].loc, "write e.g. max_jobs: 10",
                           "server %s: max_jobs is below 1",
                           f->servers[i].name);
    for (int i = 0; i < f->ncomputers; i++) {
        stg_computer *c = &f->computers[i];
        const stg_throttle *t = &c->throttle;
        bool bad = (t->kind == STG_THROTTLE_RATE && !(t->rate > 0)) ||
                   (t->kind == STG_THROTTLE_WORK &&
                    !(t->work > 0 && t->other > 0));
        if (bad)
            stg_diag_error(d, or_loc(c->throttle_loc, c->loc),
                           "write none for unthrottled",
                           "computer %s: a throttle rate is not above zero",
                           c->name);
    }
}

/* ---- finish: servers ------------------------------------------------- */

/* A group's server defaults to its computers' server, a computer's to its
 * groups' server; repeated until nothing changes, then what is missing or
 * conflicting is reported, and every source's computer must report to
 * its group's server.  Returns -1 when out of memory. */
static int resolve_servers(stg_fleet *f, stg_diags *d)
{
    int rc = -1;
    int nc = f->ncomputers;
    int *cand = stg_malloc(sizeof *cand * (size_t)(nc + 1));
    int *other = stg_malloc(sizeof *other * (size_t)(nc + 1));
    int *ingroup = stg_malloc(sizeof *ingroup * (size_t)(nc + 1));
    if (!cand || !other || !ingroup)
        goto out;

    for (bool changed = true; changed;) {
        changed = false;
        for (int g = 0; g < f->ngroups; g++) {
            stg_group *gr = &f->groups[g];
            if (gr->server >= 0)
                continue;
            int s = -1;
            bool conflict = false;
            for (int i = 0; i < gr->nsources; i++) {
                int c = f->sources[gr->sources[i]].computer;
                int cs = c >= 0 ? f->computers[c].server : -1;
                if (cs < 0)
                    continue;
                if (s < 0)
                    s = cs;
                else if (s != cs)
                    conflict = true;
            }
            if (s >= 0 && !conflict) {
                gr->server = s;
                changed = true;
            }
        }
        /* cand[c]: a server of c's groups; other[c]: a group on another */
        for (int c = 0; c < nc; c++)
            cand[c] = other[c] = ingroup[c] = -1;
        for (int g = 0; g < f->ngroups; g++) {
            stg_group *gr = &f->groups[g];
            for (int i = 0; i < gr->nsources; i++) {
                int c = f->sources[gr->sources[i]].computer;
                if (c < 0 || f->computers[c].server >= 0)
                    continue;
                if (ingroup[c] < 0)
                    ingroup[c] = g;
                if (gr->server < 0)
                    continue;
                if (cand[c] < 0)
                    cand[c] = g;
                else if (f->groups[cand[c]].server != gr->server)
                    other[c] = g;
            }
        }
        for (int c = 0; c < nc; c++) {
            if (f->computers[c].server < 0 && cand[c] >= 0 && other[c] < 0) {
                f->computers[c].server = f->groups[cand[c]].server;
                changed = true;
            }
        }
    }

    /* what is still missing or conflicting */
    for (int c = 0; c < nc; c++) {
        stg_computer *co = &f->computers[c];
        if (co->server >= 0)
            continue;
        if (other[c] >= 0) {
            const stg_group *g1 = &f->groups[cand[c]], *g2 = &f->groups[other[c]];
            stg_diag_error(d, co->loc,
                           "a computer's agent reports to one DPM server: give "
                           "it server: and keep its groups on that server",
                           "computer %s is in groups of different servers (%s "
                           "on %s, %s on %s)", co->name, g1->name,
                           f->servers[g1->server].name, g2->name,
                           f->servers[g2->server].name);
        } else if (ingroup[c] < 0) {
            stg_diag_error(d, co->loc,
                           "add server: NAME, or put its data sources in a "
                           "group that names its server",
                           "computer %s has no server", co->name);
        }
    }
    for (int g = 0; g < f->ngroups; g++) {
        stg_group *gr = &f->groups[g];
        if (gr->server >= 0)
            continue;
        int c1 = -1, c2 = -1;
        for (int i = 0; i < gr->nsources && c2 < 0; i++) {
            int c = f->sources[gr->sources[i]].computer;
            if (c < 0 || f->computers[c].server < 0)
                continue;
            if (c1 < 0)
                c1 = c;
            else if (f->computers[c].server != f->computers[c1].server)
                c2 = c;
        }
        if (c2 >= 0)
            stg_diag_error(d, gr->loc,
                           "a protection group belongs to one DPM server: "
                           "split the group by server",
                           "group %s: its computers report to different "
                           "servers (%s to %s, %s to %s)", gr->name,
                           f->computers[c1].name,
                           f->servers[f->computers[c1].server].name,
                           f->computers[c2].name,
                           f->servers[f->computers[c2].server].name);
        else
            stg_diag_error(d, gr->loc,
                           "add server: NAME to the group, or to the computers "
                           "of its data sources",
                           "group %s has no server", gr->name);
    }
    /* every source's computer reports to its group's server */
    for (int c = 0; c < nc; c++)
        cand[c] = -1;
    for (int g = 0; g < f->ngroups; g++) {
        stg_group *gr = &f->groups[g];
        if (gr->server < 0)
            continue;
        for (int i = 0; i < gr->nsources; i++) {
            stg_source *s = &f->sources[gr->sources[i]];
            int c = s->computer;
            if (c < 0 || f->computers[c].server < 0 ||
                f->computers[c].server == gr->server || cand[c] == g)
                continue;
            cand[c] = g;
            stg_diag_error(d, s->loc,
                           "a computer reports to one DPM server: every group "
                           "with its data sources must be on that server",
                           "source %s of group %s is on computer %s, which "
                           "reports to %s, not %s", s->name, gr->name,
                           f->computers[c].name,
                           f->servers[f->computers[c].server].name,
                           f->servers[gr->server].name);
        }
    }
    rc = 0;
out:
    stg_free(cand);
    stg_free(other);
    stg_free(ingroup);
    return rc;
}

/* ---- finish: paths --------------------------------------------------- */

static bool has(const int *v, int n, int x)
{
    for (int i = 0; i < n; i++)
        if (v[i] == x)
            return true;
    return false;
}

static int build_paths(stg_fleet *f, stg_diags *d)
{
    for (int i = 0; i < f->ncomputers; i++) {
        stg_computer *c = &f->computers[i];
        const stg_server *s = c->server >= 0 ? &f->servers[c->server] : NULL;
        int n = c->npath + (s ? s->npath : 0);
        stg_free(c->full_path);
        c->nfull_path = 0;
        c->full_path = stg_malloc(sizeof *c->full_path * (size_t)(n + 1));
        if (!c->full_path)
            return -1;
        for (int k = 0; k < c->npath; k++)
            if (c->path[k] >= 0 && !has(c->full_path, c->nfull_path, c->path[k]))
                c->full_path[c->nfull_path++] = c->path[k];
        for (int k = 0; s && k < s->npath; k++)
            if (s->path[k] >= 0 && !has(c->full_path, c->nfull_path, s->path[k]))
                c->full_path[c->nfull_path++] = s->path[k];
        if (c->nfull_path == 0 && s)
            stg_diag_warn(d, c->loc,
                          "give it path: [LINK], or its server path: [LINK]",
                          "computer %s crosses no link: its transfers load "
                          "no link of this fleet", c->name);
    }
    return 0;
}

/* ---- finish: cycle --------------------------------------------------- */

static void days_error(stg_diags *d, stg_loc loc, const char *what,
                       const char *name, unsigned days)
{
    char a[STG_QBUF];
    stg_diag_error(d, loc, "write days: daily, or remove cycle: day",
                   "%s%s%s days %s need a week cycle, but the fleet says "
                   "cycle: day", what, name ? " of " : "", name ? name : "",
                   stg_fmt_days(a, sizeof a, days));
}

static void resolve_cycle(stg_fleet *f, stg_diags *d)
{
    bool week = false;
    bool check = f->cycle_set && f->cycle == STG_DAY;
    for (int i = 0; i < f->nlinks; i++) {
        stg_link *l = &f->links[i];
        for (int k = 0; k < l->nbackground; k++) {
            if (!nondaily(l->background[k].days))
                continue;
            week = true;
            if (check)
                days_error(d, l->background[k].loc, "background", l->name,
                           l->background[k].days);
        }
    }
    for (int i = 0; i < f->ncomputers; i++) {
        const stg_throttle *t = &f->computers[i].throttle;
        if (t->has_hours && nondaily(t->days))
            week = true;     /* in a day cycle, work hours apply every day */
    }
    for (int i = 0; i < f->ngroups; i++) {
        stg_group *g = &f->groups[i];
        if (g->nrp > 0 && nondaily(g->rp_days)) {
            week = true;
            if (check)
                days_error(d, or_loc(g->rp_loc, g->loc), "recovery points",
                           g->name, g->rp_days);
        }
        if (g->nef > 0 && nondaily(g->ef_days)) {
            week = true;
            if (check)
                days_error(d, or_loc(g->ef_loc, g->loc), "express fulls",
                           g->name, g->ef_days);
        }
        if (g->has_cc && nondaily(g->cc_days)) {
            week = true;
            if (check)
                days_error(d, or_loc(g->cc_loc, g->loc), "consistency checks",
                           g->name, g->cc_days);
        }
    }
    if (!f->cycle_set)
        f->cycle = week ? STG_WEEK : STG_DAY;
}

/* ---- finish: resolution, offsets, times ------------------------------ */

static void not_multiple(stg_diags *d, stg_loc loc, const stg_group *g,
                         const char *what, const char *value, int res)
{
    char r[STG_QBUF], hint[96];
    stg_fmt_duration(r, sizeof r, res);
    snprintf(hint, sizeof hint, "use a multiple of %s", r);
    stg_diag_error(d, loc, hint,
                   "group %s: %s %s is not a multiple of the %s resolution",
                   g->name, what, value, r);
}

static int check_times(const stg_fleet *f, stg_diags *d)
{
    int res = f->resolution;
    char a[STG_QBUF], b[STG_QBUF];
    if (res <= 0)
        return 0;
    if (STG_DAY % res != 0) {
        stg_diag_error(d, f->resolution_loc,
                       "use a resolution that divides 15m, e.g. 1m, 5m or 15m",
                       "resolution %s does not divide a day",
                       stg_fmt_duration(a, sizeof a, res));
        return 0;
    }
    for (int i = 0; i < f->ngroups; i++) {
        const stg_group *g = &f->groups[i];
        stg_loc sync_loc = or_loc(g->sync_loc, g->loc);
        stg_loc off_loc = or_loc(g->offset_loc, sync_loc);
        if (!g->before_rp && g->sync_every > 0) {
            bool seen = false;
            for (int k = 0; k < i && !seen; k++)
                seen = f->groups[k].sync_every == g->sync_every &&
                       !f->groups[k].before_rp;
            if (g->sync_every % res != 0 && !seen)
                stg_diag_error(d, or_loc(f->resolution_loc, sync_loc),
                               "use a resolution that divides every sync "
                               "period, e.g. 1m, 5m or 15m",
                               "resolution %s does not divide the %s sync "
                               "period of group %s",
                               stg_fmt_duration(a, sizeof a, res),
                               stg_fmt_duration(b, sizeof b, g->sync_every),
                               g->name);
            if (g->sync_offset < 0 || g->sync_offset >= g->sync_every)
                stg_diag_error(d, off_loc,
                               "an offset runs from 0m up to, not including, "
                               "the period",
                               "group %s: offset %s is not below its period %s",
                               g->name,
                               stg_fmt_duration(a, sizeof a, g->sync_offset),
                               stg_fmt_duration(b, sizeof b, g->sync_every));
            else if (g->sync_offset % res != 0)
                not_multiple(d, off_loc, g, "sync offset",
                             stg_fmt_duration(a, sizeof a, g->sync_offset), res);
        } else if (g->before_rp) {
            if (g->nrp == 0) {
                stg_diag_error(d, sync_loc,
                               "add recovery_points: { at: [\"20:00\"] }",
                               "group %s: sync before_recovery_point needs "
                               "recovery_points", g->name);
            } else {
                int *v = NULL;
                int k = instants(f, g->rp_at, g->nrp, g->rp_days, &v);
                if (k < 0)
                    return -1;
                int best = 0;
                for (int j = 0; j < k; j++)
                    if (gap_before(f, v, k, j) < gap_before(f, v, k, best))
                        best = j;
                int gap = k > 0 ? gap_before(f, v, k, best) : f->cycle;
                stg_free(v);
                if (g->sync_offset < 0 || g->sync_offset >= gap)
                    stg_diag_error(d, off_loc,
                                   "the offset must be below the smallest gap "
                                   "between recovery points",
                                   "group %s: offset %s is not below the %s "
                                   "between its recovery points", g->name,
                                   stg_fmt_duration(a, sizeof a, g->sync_offset),
                                   stg_fmt_duration(b, sizeof b, gap));
                else if (g->sync_offset % res != 0)
                    not_multiple(d, off_loc, g, "sync offset",
                                 stg_fmt_duration(a, sizeof a, g->sync_offset),
                                 res);
            }
        }
        for (int k = 0; k < g->nrp; k++)
            if (g->rp_at[k] % res != 0) {
                not_multiple(d, or_loc(g->rp_loc, g->loc), g, "recovery point",
                             stg_fmt_clock(a, sizeof a, g->rp_at[k]), res);
                break;
            }
        for (int k = 0; k < g->nef; k++)
            if (g->ef_at[k] % res != 0) {
                not_multiple(d, or_loc(g->ef_loc, g->loc), g, "express full",
                             stg_fmt_clock(a, sizeof a, g->ef_at[k]), res);
                break;
            }
        if (g->nef > 0 && g->ef_flex % res != 0)
            not_multiple(d, or_loc(g->ef_loc, g->loc), g, "flex",
                         stg_fmt_duration(a, sizeof a, g->ef_flex), res);
        if (g->has_cc && g->cc_from % res != 0)
            not_multiple(d, or_loc(g->cc_loc, g->loc), g,
                         "consistency check from",
                         stg_fmt_clock(a, sizeof a, g->cc_from), res);
        else if (g->has_cc && g->cc_to % res != 0)
            not_multiple(d, or_loc(g->cc_loc, g->loc), g,
                         "consistency check to",
                         stg_fmt_clock(a, sizeof a, g->cc_to), res);
    }
    return 0;
}

/* ---- finish: throttles and volumes ----------------------------------- */

/* Seconds of a cycle inside a computer's work hours. */
static double work_seconds(const stg_fleet *f, const stg_throttle *t)
{
    long len = mod((long)t->hours_to - t->hours_from, STG_DAY);
    if (len == 0)
        len = STG_DAY;
    return (double)len * days_in_cycle(f, t->days);
}

/* The rate a sync is checked at: the lowest rate the throttle allows, not
 * above the bottleneck (AUTO and NONE: the bottleneck). */
static double lowest_rate(const stg_throttle *t, double bn)
{
    switch (t->kind) {
    case STG_THROTTLE_RATE:
        return fmin(t->rate, bn);
    case STG_THROTTLE_WORK:
        return fmin(fmin(t->work, t->other), bn);
    default:
        return bn;
    }
}

static void check_throttles(const stg_fleet *f, stg_diags *d)
{
    char a[STG_QBUF], b[STG_QBUF], hint[128];
    for (int i = 0; i < f->ncomputers; i++) {
        const stg_computer *c = &f->computers[i];
        const stg_throttle *t = &c->throttle;
        int l = bottleneck_link(f, i);
        if (l < 0)
            continue;
        const stg_link *bl = &f->links[l];
        stg_loc loc = or_loc(c->throttle_loc, c->loc);
        snprintf(hint, sizeof hint, "lower it to at most %s, or write auto",
                 stg_fmt_rate(b, sizeof b, bl->capacity));
        struct {
            bool on;
            const char *what;
            double rate;
        } rates[] = {
            {t->kind == STG_THROTTLE_RATE, "throttle", t->rate},
            {t->kind == STG_THROTTLE_WORK, "work throttle", t->work},
            {t->kind == STG_THROTTLE_WORK, "other throttle", t->other},
        };
        for (int k = 0; k < 3; k++)
            if (rates[k].on && rates[k].rate > bl->capacity)
                stg_diag_error(d, loc, hint,
                               "computer %s: %s %s is above the %s of link %s "
                               "on its path", c->name, rates[k].what,
                               stg_fmt_rate(a, sizeof a, rates[k].rate),
                               stg_fmt_rate(b, sizeof b, bl->capacity),
                               bl->name);
        if (t->kind == STG_THROTTLE_NONE)
            stg_diag_warn(d, loc,
                          "set a throttle, or write auto to have one "
                          "recommended",
                          "computer %s is unthrottled: its transfers take the "
                          "whole %s of %s and leave no headroom", c->name,
                          stg_fmt_rate(a, sizeof a, bl->capacity), bl->name);
    }
}

/* Bytes of one job of sources on computer c of group g covering `span`
 * seconds of churn; override picks sync_volume or full_volume; app_only
 * keeps application sources. */
static double job_volume(const stg_fleet *f, const stg_group *g, int c,
                         double span, bool full)
{
    double v = 0;
    for (int i = 0; i < g->nsources; i++) {
        const stg_source *s = &f->sources[g->sources[i]];
        if (s->computer != c || (full && s->kind == STG_SRC_FILE) ||
            (!full && s->full_only))
            continue;
        double over = full ? s->full_volume : s->sync_volume;
        v += over >= 0 ? over : s->churn * span / STG_DAY;
    }
    return v * (1 - g->saving);     /* on the wire */
}

static double cc_volume(const stg_fleet *f, const stg_group *g, int c)
{
    double v = 0;
    for (int i = 0; i < g->nsources; i++) {
        const stg_source *s = &f->sources[g->sources[i]];
        if (s->computer == c)
            v += stg_source_cc_volume(s);
    }
    return v * (1 - g->saving);     /* on the wire */
}

/* Time to move volume bytes at rate bps with the fleet's efficiency,
 * rounded up to whole minutes (whole seconds below a minute). */
static int transfer_time(const stg_fleet *f, double volume, double rate)
{
    double s = volume * 8 / (rate * f->efficiency);
    if (s > 400 * (double)STG_DAY)
        return 400 * STG_DAY;
    int t = (int)ceil(s);
    return t > 60 ? (t + 59) / 60 * 60 : t;
}

static void sync_error(const stg_fleet *f, stg_diags *d, const stg_group *g,
                       int c, bool several, double vol, double rate,
                       const char *over)
{
    char a[STG_QBUF], b[STG_QBUF], r[STG_QBUF], from[160] = "";
    if (several)
        snprintf(from, sizeof from, " from %s", f->computers[c].name);
    stg_diag_error(d, or_loc(g->sync_loc, g->loc),
                   "raise the computer's throttle, or sync less often",
                   "group %s: a sync of %s%s needs %s at %s, more than %s",
                   g->name, stg_fmt_size(a, sizeof a, vol), from,
                   stg_fmt_duration(b, sizeof b, transfer_time(f, vol, rate)),
                   stg_fmt_rate(r, sizeof r, rate), over);
}

/* Adds each group's jobs to the cycle volume of its computers and checks
 * that each sync can finish within its period.  Returns -1 when out of
 * memory. */
static int group_volumes(const stg_fleet *f, stg_diags *d, double *load)
{
    char a[STG_QBUF];
    for (int gi = 0; gi < f->ngroups; gi++) {
        const stg_group *g = &f->groups[gi];
        int *rp = NULL, *ef = NULL;
        int nrp = 0, nef = 0;
        if (g->before_rp && g->nrp > 0 &&
            (nrp = instants(f, g->rp_at, g->nrp, g->rp_days, &rp)) < 0)
            return -1;
        if (g->nef > 0 &&
            (nef = instants(f, g->ef_at, g->nef, g->ef_days, &ef)) < 0) {
            stg_free(rp);
            return -1;
        }
        bool several = false;
        for (int i = 1; i < g->nsources; i++)
            if (f->sources[g->sources[i]].computer !=
                f->sources[g->sources[0]].computer)
                several = true;
        for (int i = 0; i < g->nsources; i++) {
            int c = f->sources[g->sources[i]].computer;
            bool first = true;
            for (int k = 0; k < i && first; k++)
                first = f->sources[g->sources[k]].computer != c;
            if (c < 0 || !first)
                continue;
            double bn = stg_fleet_bottleneck(f, c);
            double rate = lowest_rate(&f->computers[c].throttle, bn);
            bool checkable = rate > 0 && isfinite(rate);
            /* syncs */
            if (!g->before_rp && g->sync_every > 0) {
                double vol = job_volume(f, g, c, g->sync_every, false);
                load[c] += vol * (f->cycle / g->sync_every);
                if (checkable && vol * 8 / (rate * f->efficiency) > g->sync_every) {
                    char over[64];
                    snprintf(over, sizeof over, "its %s period",
                             stg_fmt_duration(a, sizeof a, g->sync_every));
                    sync_error(f, d, g, c, several, vol, rate, over);
                }
            } else if (g->before_rp) {
                double worst = 0, wvol = 0;
                int wgap = 0;
                for (int k = 0; k < nrp; k++) {
                    int gap = gap_before(f, rp, nrp, k);
                    double vol = job_volume(f, g, c, gap, false);
                    load[c] += vol;
                    double ratio = checkable ?
                        vol * 8 / (rate * f->efficiency) / gap : 0;
                    if (ratio > worst) {
                        worst = ratio;
                        wvol = vol;
                        wgap = gap;
                    }
                }
                if (worst > 1) {
                    char over[96];
                    snprintf(over, sizeof over,
                             "the %s between its recovery points",
                             stg_fmt_duration(a, sizeof a, wgap));
                    sync_error(f, d, g, c, several, wvol, rate, over);
                }
            }
            /* express fulls */
            for (int k = 0; k < nef; k++)
                load[c] += job_volume(f, g, c, gap_before(f, ef, nef, k), true);
            /* consistency checks */
            if (g->has_cc)
                load[c] += cc_volume(f, g, c) * days_in_cycle(f, g->cc_days);
        }
        stg_free(rp);
        stg_free(ef);
    }
    return 0;
}

static int check_volumes(const stg_fleet *f, stg_diags *d)
{
    char a[STG_QBUF], b[STG_QBUF], r1[STG_QBUF], r2[STG_QBUF], by[160];
    double *load = stg_calloc((size_t)f->ncomputers + 1, sizeof *load);
    if (!load)
        return -1;
    if (group_volumes(f, d, load)) {
        stg_free(load);
        return -1;
    }
    for (int i = 0; i < f->ncomputers; i++) {
        const stg_computer *c = &f->computers[i];
        const stg_throttle *t = &c->throttle;
        int l = bottleneck_link(f, i);
        if (l < 0 || load[i] <= 0)
            continue;
        double bn = f->links[l].capacity;
        double bits;            /* bits the throttle allows in a cycle */
        const char *hint = "raise its throttle, or lower the volumes of its "
                           "data sources";
        switch (t->kind) {
        case STG_THROTTLE_RATE:
            bits = fmin(t->rate, bn) * f->cycle;
            snprintf(by, sizeof by, "its throttle of %s",
                     stg_fmt_rate(r1, sizeof r1, fmin(t->rate, bn)));
            break;
        case STG_THROTTLE_WORK: {
            double w = work_seconds(f, t);
            bits = fmin(t->work, bn) * w + fmin(t->other, bn) * (f->cycle - w);
            snprintf(by, sizeof by,
                     "its throttle of %s in work hours and %s otherwise",
                     stg_fmt_rate(r1, sizeof r1, fmin(t->work, bn)),
                     stg_fmt_rate(r2, sizeof r2, fmin(t->other, bn)));
            break;
        }
        default:
            bits = bn * f->cycle;
            snprintf(by, sizeof by, "the %s of link %s on its path",
                     stg_fmt_rate(r1, sizeof r1, bn), f->links[l].name);
            hint = "no throttle can send it: lower the volumes of its data "
                   "sources, or give the link more capacity";
            break;
        }
        double moved = bits * f->efficiency / 8;
        if (load[i] > moved)
            stg_diag_error(d, c->loc, hint,
                           "computer %s: %s per %s to send, %s moves at most "
                           "%s per %s", c->name,
                           stg_fmt_size(a, sizeof a, load[i]), cycle_name(f),
                           by, stg_fmt_size(b, sizeof b, moved), cycle_name(f));
    }
    stg_free(load);
    return 0;
}

static void check_express_full(const stg_fleet *f, stg_diags *d)
{
    for (int i = 0; i < f->ngroups; i++) {
        const stg_group *g = &f->groups[i];
        /* sources backed up by express fulls only need them */
        for (int k = 0; k < g->nsources; k++) {
            const stg_source *s = &f->sources[g->sources[k]];
            if (!s->full_only)
                continue;
            if (s->kind == STG_SRC_FILE)
                stg_diag_error(d, s->loc,
                               "leave express_full_only out for file data: "
                               "DPM syncs it",
                               "source %s of group %s: file data has no "
                               "express full, so it cannot be backed up by "
                               "express fulls only", s->name, g->name);
            else if (g->nef == 0)
                stg_diag_error(d, s->loc,
                               "give the group express_full times, e.g. "
                               "express_full: { at: [\"20:00\"] }",
                               "source %s is backed up by express fulls only, "
                               "but group %s has none: its changes would "
                               "never be sent", s->name, g->name);
        }
        if (g->nef == 0)
            continue;
        bool app = false;
        for (int k = 0; k < g->nsources && !app; k++)
            app = f->sources[g->sources[k]].kind != STG_SRC_FILE;
        if (!app)
            stg_diag_warn(d, or_loc(g->ef_loc, g->loc),
                          "remove express_full, or give its sources their kind",
                          "group %s: express_full applies to application data "
                          "sources, and all its sources are file data", g->name);
    }
}

/* Each throttle's shift from the servers' clock to its computer's. */
static void set_clocks(stg_fleet *f)
{
    for (int i = 0; i < f->ncomputers; i++)
        f->computers[i].throttle.shift = stg_computer_clock(f, i) - f->utc_offset;
}

int stg_fleet_finish(stg_fleet *f, stg_diags *d)
{
    size_t before = d->errors;
    set_clocks(f);
    check_ranges(f, d);
    if (resolve_servers(f, d) || build_paths(f, d))
        goto oom;
    resolve_cycle(f, d);
    if (check_times(f, d))
        goto oom;
    if (d->errors == before) {
        check_throttles(f, d);
        if (check_volumes(f, d))
            goto oom;
    }
    check_express_full(f, d);
    return (int)(d->errors - before);
oom:
    out_of_memory(d);
    return (int)(d->errors - before);
}

double stg_source_cc_volume(const stg_source *s)
{
    return s->cc_volume >= 0 ? s->cc_volume : s->size * s->cc_ratio;
}

int stg_cc_window_len(const stg_group *g)
{
    int len = ((g->cc_to - g->cc_from) % STG_DAY + STG_DAY) % STG_DAY;
    return len ? len : STG_DAY;
}

int stg_computer_clock(const stg_fleet *f, int c)
{
    const stg_computer *cp = &f->computers[c];
    return cp->utc_offset_set ? cp->utc_offset : f->utc_offset;
}

bool stg_computer_crosses(const stg_computer *c, int l)
{
    for (int i = 0; i < c->nfull_path; i++)
        if (c->full_path[i] == l)
            return true;
    return false;
}

bool stg_links_meet(const stg_fleet *f, int a, int b)
{
    for (int c = 0; c < f->ncomputers; c++)
        if (stg_computer_crosses(&f->computers[c], a) &&
            stg_computer_crosses(&f->computers[c], b))
            return true;
    return false;
}

bool stg_group_lag_over(const stg_fleet *f, int g, int lag, int factor)
{
    const stg_group *gr = &f->groups[g];
    return gr->sync_every > 0 && (long)lag > (long)factor * gr->sync_every;
}

void stg_fleet_set_lag_factor(stg_fleet *f, int factor)
{
    for (int g = 0; g < f->ngroups; g++) {
        stg_group *gr = &f->groups[g];
        if (gr->max_lag == 0 && gr->sync_every > 0)
            gr->max_lag = factor * gr->sync_every;
    }
}
