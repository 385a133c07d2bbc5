/* stagger-genestate: writes a fleet file of a DPM estate shaped like real
 * ones, for benchmarks; the same sites, seed and cycle give the same bytes.
 *
 *   stagger-genestate --sites N [--seed N] [--week] [--busy-core]
 *                     [--wide-groups] [-o FILE]
 *
 * stagger-genfleet draws one shape of estate and sizes every site so that a
 * schedule keeping 15% headroom exists.  This generator draws the shapes the
 * planner was not tuned to, and promises no such schedule:
 *  - every site reaches the data centre over its own WAN line (2Mbps to
 *    1Gbps, 10 to 100Mbps most often), most lines carry office traffic, and
 *    a site has 1 to 8 protected computers (1 to 3 most often);
 *  - sites form regions of 5 to 30; every computer of a region crosses the
 *    region's hub, and about one hub in five is smaller than the throttles
 *    of its sites together;
 *  - a DPM server protects 40 to 150 computers from several regions, a
 *    region's sites report to several servers; about half of the servers
 *    run fewer transfers at once (max_jobs) than they have computers, and
 *    some sit behind a network link of their own;
 *  - groups span several computers of a site (DPM starts their jobs
 *    together); throttles are what administrators set: 85% of the line,
 *    lower rates, work/other pairs, auto, very rarely none; most groups
 *    sync at DPM's default offset 0, some at offsets set by hand;
 *  - a site is comfortable (all its computers may send at once), tight
 *    (they must take turns), or, about one in seven, cannot keep 15%
 *    headroom whatever the schedule (see "fates" below).
 * Every sync still ends within its period and every computer moves a
 * cycle's data within the cycle, so `stagger validate` accepts the file.
 *
 * --week draws a week-cycle estate: office traffic and work hours on
 * weekdays, express fulls mostly on weekdays, and some consistency checks
 * at the weekend.
 *
 * --busy-core sizes the data-centre core so that it binds and is busy
 * (docs/model.md, "Parts"), in steps of 100Mbps: every site's traffic
 * meets there, and the evening's express fulls take it below the limit
 * unless they are staggered across sites.  The planner, which counts each
 * transfer in whole slots, finds its mean load about half its width
 * (51-52% at 20, 200 and 2,000 sites; a link is busy from 42.5%), but
 * never narrower than a fixed throttle that crosses it (stagger refuses
 * those).  The rest of the estate is the same draw.
 *
 * --wide-groups puts the file servers of runs of 3 to 8 sites of one
 * DPM server in one group (widen_groups()), as many administrators
 * protect their branch file servers: one group's syncs start together
 * on several sites' lines, and where the server's max_jobs is below
 * them, some wait.  The rest of the estate is the same draw.
 *
 * This is a standalone program like genfleet.c: it needs only the C
 * library (no libm either: it rounds by hand) and gen.c, the random
 * numbers and number formats the two generators share. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen.h"

#define EFFICIENCY 0.8          /* the fleet's efficiency, written below */
#define DAY_MIN 1440
#define DAY_SECONDS 86400.0
#define LIMIT 0.85              /* 1 - headroom */
#define MAX_COMPUTERS 8         /* per site */
#define MAX_SOURCES 6           /* per computer */
#define MAX_GROUPS 12           /* per site: one per computer, Home, spare */
#define MAX_SITES 9999          /* site names have four digits */
#define MIN_REGION 5
#define MAX_REGION 30
#define NEVER 1000000           /* minutes: longer than any cycle */
#define MAX_FLEET_BYTES (16L * 1024 * 1024)     /* what stagger reads */

#define PROG "stagger-genestate"

/* Streams of the estate-wide draws; a site's stream is its index. */
#define REGION_STREAM UINT64_C(0x7e6104)
#define SERVER_STREAM UINT64_C(0x5e7ee75)
#define CORE_STREAM UINT64_C(0xc04e)
#define WIDE_STREAM UINT64_C(0x91de)
#define HUB_STREAM (UINT64_C(0x40b) << 32)

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the estate ------------------------------------------------------- */

enum { K_FILE, K_SQL, K_EXCHANGE, K_SHAREPOINT, K_HYPERV, NKINDS };

static const char *const kind_word[NKINDS] = {
    "file", "sql", "exchange", "sharepoint", "hyperv"
};
static const char *const role_prefix[NKINDS] = { "fs", "sql", "ex", "sp", "hv" };
static const char *const group_word[NKINDS] = {
    "Files", "SQL", "Exchange", "SharePoint", "HyperV"
};

/* Throttle forms. */
enum { T_FIXED, T_WORK, T_AUTO, T_NONE };

enum { D_DAILY, D_WEEKDAYS, D_WEEKEND };
static const char *const days_word[] = { "daily", "weekdays", "weekend" };

/* fates: what a site is built to be.  A comfortable site's computers may
 * all send at once (with the office traffic in office hours); a tight
 * site's blocks (computers sharing a group) each fit the line, but not
 * together, so they must take turns.  The other three cannot keep 15%
 * headroom whatever the schedule:
 *  - F_OFFICE: a computer with periodic syncs has a fixed throttle that
 *    with the office traffic exceeds 85% of the line (most often 85%
 *    itself, as Microsoft's advice has it); a sync period is at most 4h and
 *    the office day at least 8h, so some sync runs in office hours;
 *  - F_LONG_SYNC: fs01, throttled at 85% of the line, has a sync that sends
 *    for 25 minutes or more, while a group on another computer of the site
 *    syncs every 15 minutes: one of those syncs runs beside it;
 *  - F_UNTHROTTLED: a computer with throttle: none takes the whole line.
 * (A server's max_jobs could in theory hold the other computer back; the
 * schedules that would need are not ones a planner finds.) */
enum { F_COMFORTABLE, F_TIGHT, F_OFFICE, F_LONG_SYNC, F_UNTHROTTLED, NFATES };

typedef struct {
    int n;
    int at[4];                  /* minutes of the day, ascending */
} times;

/* Recovery-point and express-full times administrators pick. */
static const times rp_sets[] = {
    { 3, { 480, 720, 1020 } },          /* 08:00 12:00 17:00 */
    { 2, { 720, 1080 } },               /* 12:00 18:00 */
    { 3, { 420, 720, 1140 } },          /* 07:00 12:00 19:00 */
    { 4, { 540, 780, 1020, 1260 } },    /* 09:00 13:00 17:00 21:00 */
};
static const int rp_w[] = { 40, 25, 20, 15 };
static const times ef_sets[] = {
    { 1, { 1200 } },                    /* 20:00 */
    { 1, { 1260 } },                    /* 21:00 */
    { 1, { 1320 } },                    /* 22:00 */
    { 1, { 1080 } },                    /* 18:00 */
    { 2, { 480, 1200 } },               /* 08:00 20:00 */
    { 2, { 720, 1380 } },               /* 12:00 23:00 */
};
static const int ef_w[] = { 35, 15, 10, 8, 24, 8 };

typedef struct {
    int from, to;               /* minutes of the day; to <= from: past midnight */
} window;

static const window cc_nights[] = {
    { 1320, 360 }, { 1200, 240 }, { 1380, 300 }, { 0, 360 }, { 1260, 420 }
};
static const window cc_weekends[] = { { 1200, 480 }, { 480, 1200 } };
static const window office_hours[] = { { 480, 1080 }, { 420, 1140 }, { 540, 1020 } };
static const int office_w[] = { 70, 15, 15 };

typedef struct {
    long cap;                   /* WAN line, Kbps */
    long bg;                    /* office traffic, Kbps; 0: none */
    window office;              /* when the office traffic runs */
    int fate;
    int culprit;                /* the computer that breaks the headroom, or -1 */
    int first_comp, ncomp;
    int first_src, nsrc;
    int first_group, ngroups;
    int region, server;
} site;

typedef struct {
    char name[48];              /* fs01.site0001.corp.example */
    char shortname[16];         /* fs01 */
    int kind, site;
    int form;                   /* T_* */
    long rate;                  /* T_FIXED, Kbps */
    long work, other;           /* T_WORK, Kbps */
    window hours;               /* T_WORK's work hours */
    double util;                /* the share of its cycle its jobs may take */
} computer;

typedef struct {
    char name[64];
    int comp, kind, group;
    long size_gb;
    int churn;                  /* hundredths of a percent of size per day */
    int low, high;              /* how far fitting lowers and raises the churn
                                 * before it turns to the size (drawn, so that
                                 * the fitted churns do not pile up) */
    int cc_ratio;               /* hundredths of a percent; 100 is the default 1% */
    bool pinned;                /* part of a fate: fitting leaves it alone */
} source;

typedef struct {
    char name[40];
    int site;
    int every;                  /* sync period, minutes (0 with before_rp) */
    bool before_rp;
    int offset;                 /* minutes */
    int rp, rp_days;            /* index into rp_sets, or -1 */
    int ef, ef_days, flex;      /* index into ef_sets, or -1; flex in minutes */
    bool cc;
    window cc_win;
    int cc_days;
    int max_lag;                /* minutes; 0: none */
    bool wide;                  /* holds sources of several sites
                                   (--wide-groups) */
    bool gone;                  /* merged into a wide group: not written */
} group;

typedef struct {
    int first_site, nsites;
    long cap_mbps, bg_mbps;     /* the hub */
    bool small;                 /* its sites' throttles together exceed it */
} region;

typedef struct {
    int ncomp, nsites;
    int max_jobs;               /* 0: no limit */
    long nic_mbps;              /* its own link; 0: none */
} server;

typedef struct {
    int nsites;
    uint64_t seed;
    bool week;
    bool busy_core;
    bool wide_groups;
    site *sites;
    computer *comps;
    source *srcs;
    group *groups;
    region *regions;
    server *servers;
    int ncomps, nsrcs, ngroups, nregions, nservers;
    long core_mbps, core_bg_mbps;
    window core_hours;
} estate;

/* ---- formatting ---------------------------------------------------------- */

/* A fraction in hundredths of a percent: 150 is "1.5%". */
static const char *fmt_pct(char *buf, size_t n, int v)
{
    if (v % 100 == 0)
        snprintf(buf, n, "%d%%", v / 100);
    else if (v % 10 == 0)
        snprintf(buf, n, "%d.%d%%", v / 100, v % 100 / 10);
    else
        snprintf(buf, n, "%d.%02d%%", v / 100, v % 100);
    return buf;
}

static const char *fmt_duration(char *buf, size_t n, int min)
{
    if (min % 60 == 0)
        snprintf(buf, n, "%dh", min / 60);
    else if (min > 60)
        snprintf(buf, n, "%dh%dm", min / 60, min % 60);
    else
        snprintf(buf, n, "%dm", min);
    return buf;
}

static const char *fmt_clock(char *buf, size_t n, int min)
{
    snprintf(buf, n, "\"%02d:%02d\"", min / 60, min % 60);
    return buf;
}

/* ---- the cycle ------------------------------------------------------------ */

static int cycle_days(const estate *e)
{
    return e->week ? 7 : 1;
}

/* How many days of the cycle d names. */
static int days_in_cycle(const estate *e, int d)
{
    if (!e->week)
        return 1;
    return d == D_DAILY ? 7 : d == D_WEEKDAYS ? 5 : 2;
}

/* Whether d names day (0 is Monday). */
static bool day_in(int d, int day)
{
    return d == D_DAILY || (d == D_WEEKDAYS) == (day < 5);
}

/* The longest gap (or with shortest set, the shortest) between two
 * consecutive instants of the times t on the days d, round the cycle. */
static int gap_of(const estate *e, const times *t, int d, bool shortest)
{
    int at[7 * 4], n = 0;
    for (int day = 0; day < cycle_days(e); day++)
        if (day_in(d, day))
            for (int i = 0; i < t->n; i++)
                at[n++] = day * DAY_MIN + t->at[i];
    int cycle = cycle_days(e) * DAY_MIN, best = shortest ? cycle : 0;
    for (int i = 0; i < n; i++) {
        int gap = i > 0 ? at[i] - at[i - 1] : at[0] + cycle - at[n - 1];
        if (shortest ? gap < best : gap > best)
            best = gap;
    }
    return best;
}

static int window_minutes(window w)
{
    int len = (w.to - w.from + DAY_MIN) % DAY_MIN;
    return len ? len : DAY_MIN;
}

/* ---- rates ---------------------------------------------------------------- */

/* A rate in Kbps rounded down to whole Mbps (from 10Mbps), 100Kbps (from
 * 1Mbps) or 10Kbps, at least 100Kbps. */
static long round_rate(double kbps)
{
    long t = (long)kbps;
    long step = t >= 10000 ? 1000 : t >= 1000 ? 100 : 10;
    t = t / step * step;
    return t >= 100 ? t : 100;
}

/* 85% of the line: what Microsoft's advice has administrators set. */
static long rate85(const site *si)
{
    return si->cap * 85 / 100;
}

static double limit_of(const site *si)
{
    return (double)si->cap * LIMIT;
}

/* The rate planning is expected to choose for an auto computer: the
 * headroom over the office traffic, less a margin for its rounding (85% of
 * the hub, of the server's link and of the core, less their background, is
 * above the line; see size_hub and size_links). */
static double auto_rate(const site *si)
{
    return 0.97 * (limit_of(si) - (double)si->bg);
}

/* The rate computer c sends at in office hours (office) or outside them. */
static double rate_at(const estate *e, int c, bool office)
{
    const computer *co = &e->comps[c];
    const site *si = &e->sites[co->site];
    switch (co->form) {
    case T_FIXED:
        return (double)co->rate;
    case T_WORK:
        return (double)(office ? co->work : co->other);
    case T_AUTO:
        return auto_rate(si);
    default:
        return (double)si->cap;
    }
}

static double slow_rate(const estate *e, int c)
{
    double a = rate_at(e, c, true), b = rate_at(e, c, false);
    return a < b ? a : b;
}

static double peak_rate(const estate *e, int c)
{
    double a = rate_at(e, c, true), b = rate_at(e, c, false);
    return a > b ? a : b;
}

/* Bytes a rate in Kbps moves in a day at the fleet's efficiency. */
static double bytes_per_day(double kbps)
{
    return kbps * 1000.0 * EFFICIENCY * DAY_SECONDS / 8.0;
}

/* Bytes computer c moves in a cycle sending all the time: the work rate
 * in its work hours and the other rate outside them (work hours are
 * weekdays in a week cycle). */
static double cycle_bytes(const estate *e, int c)
{
    const computer *co = &e->comps[c];
    double work = 0, cycle = cycle_days(e) * (double)DAY_MIN;
    if (co->form == T_WORK)
        work = (double)window_minutes(co->hours) *
               days_in_cycle(e, e->week ? D_WEEKDAYS : D_DAILY);
    double kbit_min = rate_at(e, c, true) * work + rate_at(e, c, false) * (cycle - work);
    return bytes_per_day(kbit_min / DAY_MIN);
}

/* ---- volumes ---------------------------------------------------------- */

static double churn_bytes(const source *s)
{
    return (double)s->size_gb * 1e9 * s->churn / 10000.0;
}

static double check_bytes(const source *s)
{
    return (double)s->size_gb * 1e9 * s->cc_ratio / 10000.0;
}

enum { JOB_SYNC, JOB_FULL, JOB_CHECK };

/* For group g on computer c: the churn of a day (JOB_SYNC), of its
 * application data (JOB_FULL), or the bytes of one consistency check. */
static double group_bytes(const estate *e, int g, int c, int job)
{
    const site *si = &e->sites[e->groups[g].site];
    double v = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        const source *so = &e->srcs[i];
        if (so->comp != c || so->group != g)
            continue;
        if (job == JOB_SYNC || (job == JOB_FULL && so->kind != K_FILE))
            v += churn_bytes(so);
        else if (job == JOB_CHECK)
            v += check_bytes(so);
    }
    return v;
}

static bool holds(const estate *e, int g, int c)
{
    const site *si = &e->sites[e->groups[g].site];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
        if (e->srcs[i].comp == c && e->srcs[i].group == g)
            return true;
    return false;
}

/* The longest span of churn (minutes) one sync or express full of group g
 * carries: the sync period or the longest gap between recovery points, the
 * longest gap between express fulls. */
static int job_span(const estate *e, int g, int job)
{
    const group *gr = &e->groups[g];
    if (job == JOB_SYNC)
        return gr->before_rp ? gap_of(e, &rp_sets[gr->rp], gr->rp_days, false)
                             : gr->every;
    return gap_of(e, &ef_sets[gr->ef], gr->ef_days, false);
}

/* Minutes the longest such job of group g takes on computer c at its
 * slowest rate. */
static double job_minutes(const estate *e, int g, int c, int job)
{
    double v = group_bytes(e, g, c, job);
    if (job != JOB_CHECK)
        v *= job_span(e, g, job) / (double)DAY_MIN;
    return v / (bytes_per_day(slow_rate(e, c)) / DAY_MIN);
}

/* Bytes computer c moves in a cycle: the churn in its syncs, the churn of
 * application data again in express fulls, and the consistency checks.
 * With churn_only, only what scales with churn. */
static double cycle_load(const estate *e, int c, bool churn_only)
{
    const site *si = &e->sites[e->comps[c].site];
    double v = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        const source *so = &e->srcs[i];
        const group *gr = &e->groups[so->group];
        if (so->comp != c)
            continue;
        v += churn_bytes(so) * cycle_days(e);
        if (gr->ef >= 0 && so->kind != K_FILE)
            v += churn_bytes(so) * cycle_days(e);
        if (gr->cc && !churn_only)
            v += check_bytes(so) * days_in_cycle(e, gr->cc_days);
    }
    return v;
}

/* The mean load computer c puts on the links it crosses (bps): its bytes
 * at the efficiency, and half a slot at full rate for each job (a slot in
 * which it sends counts whole). */
static double mean_bps(const estate *e, int c)
{
    const site *si = &e->sites[e->comps[c].site];
    double cycle = cycle_days(e) * DAY_SECONDS, jobs = 0;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        const group *gr = &e->groups[g];
        if (!holds(e, g, c))
            continue;
        jobs += gr->before_rp ? rp_sets[gr->rp].n * days_in_cycle(e, gr->rp_days)
                              : cycle / 60 / gr->every;
        if (gr->ef >= 0)
            jobs += ef_sets[gr->ef].n * days_in_cycle(e, gr->ef_days);
        if (gr->cc)
            jobs += days_in_cycle(e, gr->cc_days);
    }
    return cycle_load(e, c, false) * 8 / EFFICIENCY / cycle +
           jobs * 30 * peak_rate(e, c) * 1000 / cycle;
}

/* ---- fitting the volumes ------------------------------------------------- *
 *
 * Sources are drawn with a size and a churn for their kind, then lowered
 * until these rules hold (tight sites first raise their churn towards their
 * computers' share of the cycle):
 *  - every sync ends within 90% of its period at the computer's slowest
 *    rate (what validate checks), every consistency check within half its
 *    window, and on a computer with a max_lag group every job within half
 *    of it (a sync may queue behind any job of its computer);
 *  - every computer's cycle of jobs takes at most its share (util) of the
 *    cycle at the rates it sends at (for auto: the rate planning will
 *    choose), which validate's check of a cycle's volume implies;
 *  - tight sites only, so that taking turns can work: a job of a block
 *    fits in the gaps of the blocks it cannot send beside (80% of their
 *    shortest sync period less their frequent syncs), and the frequent
 *    syncs of all blocks one after another take at most half of the
 *    site's shortest period.
 * Lowering takes the churn down to 0.1-0.5%/day first, then the size (see
 * lower), so that the volumes stay plausible. */

/* v scaled by f, rounded down, lower by one at least, not below least
 * (sizes from 100GB in steps of 10GB). */
static long scaled(long v, double f, long least)
{
    long n = (long)((double)v * f);
    n = n >= 100 && least < 100 ? n / 10 * 10 : n;
    n = n >= v ? v - 1 : n;
    return n >= least ? n : least;
}

/* Lowers *v (the churn or the cc_ratio of source so) by about f, in
 * stages that keep volumes plausible: *v down to low, then the size down
 * to half the smallest drawn for its kind, then *v down to 0.01%, then the
 * size down to 1GB.  Returns whether anything changed. */
static bool lower(source *so, int *v, int low, double f)
{
    static const long half_least[NKINDS] = { 50, 10, 50, 25, 20 };
    if (*v > low) {
        *v = (int)scaled(*v, f, low);
        return true;
    }
    if (so->size_gb > half_least[so->kind]) {
        so->size_gb = scaled(so->size_gb, f, half_least[so->kind]);
        return true;
    }
    if (*v > 1) {
        *v = (int)scaled(*v, f, 1);
        return true;
    }
    if (so->size_gb > 1) {
        so->size_gb = scaled(so->size_gb, f, 1);
        return true;
    }
    return false;
}

/* Lowers the churn (checks: the cc_ratio) of the sources of computer c in
 * group g (any group when g < 0; with app, application data only) to about
 * f of it.  Pinned sources stay.  Returns whether anything changed. */
static bool lower_sources(estate *e, int c, int g, int job, double f)
{
    const site *si = &e->sites[e->comps[c].site];
    bool changed = false;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        source *so = &e->srcs[i];
        if (so->comp != c || (g >= 0 && so->group != g) || so->pinned ||
            (job == JOB_FULL && so->kind == K_FILE))
            continue;
        if (job == JOB_CHECK)
            changed |= lower(so, &so->cc_ratio, 1, f);     /* 0.01% before the size */
        else
            changed |= lower(so, &so->churn, so->low, f);
    }
    return changed;
}

/* The smallest max_lag (minutes) of the groups with data on computer c, or
 * NEVER. */
static int computer_lag(const estate *e, int c)
{
    const site *si = &e->sites[e->comps[c].site];
    int lag = NEVER;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        int m = e->groups[g].max_lag;
        if (m > 0 && m < lag && holds(e, g, c))
            lag = m;
    }
    return lag;
}

/* The sync, check and max_lag rules for every job of site s (a sync queued
 * behind another job of its computer lags by that job too); lowers what
 * breaks them.  Returns how many jobs it lowered. */
static int job_rules(estate *e, int s)
{
    const site *si = &e->sites[s];
    int changed = 0;
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
        double lag = computer_lag(e, c) / 2.0;
        for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
            const group *gr = &e->groups[g];
            if (!holds(e, g, c))
                continue;
            for (int job = JOB_SYNC; job <= JOB_CHECK; job++) {
                if ((job == JOB_FULL && gr->ef < 0) || (job == JOB_CHECK && !gr->cc))
                    continue;
                double most = job == JOB_SYNC ? 0.9 * job_span(e, g, job) :
                              job == JOB_CHECK ? window_minutes(gr->cc_win) / 2.0 : NEVER;
                most = lag < most ? lag : most;
                double m = job_minutes(e, g, c, job);
                if (m > most)
                    changed += lower_sources(e, c, g, job, most / m);
            }
        }
    }
    return changed;
}

/* The share of the cycle of every computer of site s; lowers the churn, or
 * the checks where they weigh more.  Returns how many it lowered. */
static int load_rules(estate *e, int s)
{
    const site *si = &e->sites[s];
    int changed = 0;
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
        double most = e->comps[c].util * cycle_bytes(e, c);
        double v = cycle_load(e, c, false), churn = cycle_load(e, c, true);
        if (v <= most)
            continue;
        int job = v - churn > churn ? JOB_CHECK : JOB_SYNC;
        changed += lower_sources(e, c, -1, job, most / v);
    }
    return changed;
}

/* The blocks of site s (computers sharing a group send together) as bit
 * masks of its computers by their index in the site.  Returns how many. */
static int site_blocks(const estate *e, int s, unsigned *block)
{
    const site *si = &e->sites[s];
    int n = 0;
    for (int i = 0; i < si->ncomp; i++)
        block[n++] = 1u << i;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        unsigned m = 0, joined = 0;
        for (int i = 0; i < si->ncomp; i++)
            if (holds(e, g, si->first_comp + i))
                m |= 1u << i;
        int k = 0;
        for (int b = 0; b < n; b++) {
            if (block[b] & m)
                joined |= block[b];
            else
                block[k++] = block[b];
        }
        if (joined)
            block[k++] = joined;
        n = k;
    }
    return n;
}

static double block_rate(const estate *e, int s, unsigned mask, bool office)
{
    const site *si = &e->sites[s];
    double t = 0;
    for (int i = 0; i < si->ncomp; i++)
        if (mask & (1u << i))
            t += rate_at(e, si->first_comp + i, office);
    return t;
}

/* Whether blocks a and b of site s break the headroom sending together. */
static bool conflict(const estate *e, int s, unsigned a, unsigned b)
{
    const site *si = &e->sites[s];
    double day = block_rate(e, s, a, true) + block_rate(e, s, b, true);
    double night = block_rate(e, s, a, false) + block_rate(e, s, b, false);
    return day + (double)si->bg > limit_of(si) || night > limit_of(si);
}

/* The shortest time between two syncs of the groups (only) with data on
 * the computers in mask: the period, or the shortest gap between recovery
 * points.  NEVER when there is none. */
static int shortest_period(const estate *e, int s, unsigned mask, int only)
{
    const site *si = &e->sites[s];
    int best = NEVER;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        const group *gr = &e->groups[g];
        bool in = false;
        if (only >= 0 && g != only)
            continue;
        for (int i = 0; i < si->ncomp && !in; i++)
            in = (mask & (1u << i)) && holds(e, g, si->first_comp + i);
        int p = gr->before_rp ? gap_of(e, &rp_sets[gr->rp], gr->rp_days, true)
                              : gr->every;
        if (in && p < best)
            best = p;
    }
    return best;
}

/* Lowers the first job of the computers in mask longer than most minutes.
 * Returns whether it lowered one. */
static bool shorten_jobs(estate *e, int s, unsigned mask, double most)
{
    const site *si = &e->sites[s];
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        const group *gr = &e->groups[g];
        for (int i = 0; i < si->ncomp; i++) {
            int c = si->first_comp + i;
            if (!(mask & (1u << i)) || !holds(e, g, c))
                continue;
            for (int job = JOB_SYNC; job <= JOB_CHECK; job++) {
                if ((job == JOB_FULL && gr->ef < 0) || (job == JOB_CHECK && !gr->cc))
                    continue;
                double m = job_minutes(e, g, c, job);
                if (m > most && lower_sources(e, c, g, job, most / m * 0.95))
                    return true;
            }
        }
    }
    return false;
}

static int whole_minutes(double m)
{
    return (int)m < m ? (int)m + 1 : (int)m;
}

/* The minutes the frequent syncs of the computers in mask take one group
 * after another (a group's computers send together): those of groups that
 * sync at least every other frame (the others' syncs come now and then, as
 * long jobs).  *wg and *wc get the group and computer of its longest sync
 * above *worst minutes, which they raise to it. */
static int block_window(const estate *e, int s, unsigned mask, int frame,
                        double *worst, int *wg, int *wc)
{
    const site *si = &e->sites[s];
    int used = 0;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        int w = 0;
        if (shortest_period(e, s, ~0u, g) > 2 * frame)
            continue;
        for (int i = 0; i < si->ncomp; i++) {
            int c = si->first_comp + i;
            if (!(mask & (1u << i)) || !holds(e, g, c))
                continue;
            double m = job_minutes(e, g, c, JOB_SYNC);
            w = whole_minutes(m) > w ? whole_minutes(m) : w;
            if (m > *worst) {
                *worst = m;
                *wg = g;
                *wc = c;
            }
        }
        used += w;
    }
    return used;
}

/* The frequent syncs of all blocks one after another within half of the
 * site's shortest period; lowers the longest sync (of more than a minute, the
 * least a job takes).  Returns whether it lowered one. */
static bool frame_rule(estate *e, int s, const unsigned *block, int nb)
{
    int used = 0, wg = -1, wc = -1;
    double worst = 1;
    int frame = shortest_period(e, s, ~0u, -1);
    for (int b = 0; b < nb; b++)
        used += block_window(e, s, block[b], frame, &worst, &wg, &wc);
    if (used * 2 <= frame || wg < 0)
        return false;
    return lower_sources(e, wc, wg, JOB_SYNC, 0.7);
}

/* The rules of a tight site (see above): every job of a block fits in the
 * gap the blocks it conflicts with leave in their shortest period (80% of
 * it less their syncs), and the frame rule.  Returns whether it lowered a
 * job. */
static bool serial_rules(estate *e, int s)
{
    unsigned block[MAX_COMPUTERS];
    int nb = site_blocks(e, s, block);
    bool any = false;
    for (int b = 0; b < nb; b++) {
        int frame = NEVER, busy = 0, wg, wc;
        double worst = NEVER;
        for (int k = 0; k < nb; k++)
            if (k != b && conflict(e, s, block[b], block[k])) {
                int p = shortest_period(e, s, block[k], -1);
                frame = p < frame ? p : frame;
            }
        for (int k = 0; k < nb && frame < NEVER; k++)
            if (k != b && conflict(e, s, block[b], block[k]))
                busy += block_window(e, s, block[k], frame, &worst, &wg, &wc);
        if (frame == NEVER)
            continue;
        any = true;
        if (0.8 * frame - busy >= 1 && shorten_jobs(e, s, block[b], 0.8 * frame - busy))
            return true;
    }
    return any && frame_rule(e, s, block, nb);
}

/* Tight sites are busy: raise the churn of a computer whose jobs take less
 * than half its share of the cycle (up to 2-8%/day a source). */
static void raise_churn(estate *e, int s)
{
    const site *si = &e->sites[s];
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
        double most = e->comps[c].util * cycle_bytes(e, c);
        double v = cycle_load(e, c, false);
        if (v <= 0 || v * 2 >= most)
            continue;
        double f = 0.8 * most / v;
        f = f < 3 ? f : 3;
        for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
            source *so = &e->srcs[i];
            if (so->comp != c || so->pinned || so->churn >= so->high)
                continue;
            int n = (int)(so->churn * f);
            so->churn = n < so->high ? n : so->high;
        }
    }
}

static void fit_volumes(estate *e, int s)
{
    if (e->sites[s].fate == F_TIGHT)
        raise_churn(e, s);
    for (int round = 0; round < 1000; round++) {     /* 30 or so suffice */
        if (job_rules(e, s) || load_rules(e, s))
            continue;
        if (e->sites[s].fate == F_TIGHT && serial_rules(e, s))
            continue;
        return;
    }
}

/* ---- a site's computers and data ------------------------------------------ */

/* Sizes in GB, roughly evenly spaced on a log scale. */
static const long file_sizes[] = {
    100, 150, 200, 250, 300, 400, 500, 600, 750, 800,
    1000, 1200, 1500, 2000, 2500, 3000, 4000, 5000
};
static const long sql_sizes[] = {
    20, 30, 50, 75, 100, 150, 200, 250, 300, 400, 500, 600, 800
};
static const long exchange_sizes[] = { 100, 150, 200, 250, 300, 400, 500, 600 };
static const long sharepoint_sizes[] = { 50, 75, 100, 150, 200, 300, 400, 600 };
static const long hyperv_sizes[] = { 40, 60, 80, 100, 120, 150, 200, 250, 300, 400 };

/* One of the n sizes of t at most cap_gb (the smallest when none is). */
static long pick_size(bench_rng *r, const long *t, int n, double cap_gb)
{
    int k = 1;
    while (k < n && (double)t[k] <= cap_gb)
        k++;
    return t[bench_rng_int(r, 0, k - 1)];
}

/* Adds a source of computer c with a size drawn from t[0..n) (at most
 * cap_gb where it can) and a churn drawn from lo..hi hundredths of a
 * percent, in steps of 0.05%. */
static void draw_source(estate *e, bench_rng *r, int c, const char *name,
                        const long *t, int n, double cap_gb, int lo, int hi)
{
    source *s = &e->srcs[e->nsrcs++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->comp = c;
    s->kind = e->comps[c].kind;
    s->group = -1;
    s->size_gb = pick_size(r, t, n, cap_gb);
    s->churn = bench_rng_int(r, lo / 5, hi / 5) * 5;
    s->low = bench_rng_int(r, 2, 10) * 5;             /* 0.1-0.5%/day */
    s->high = bench_rng_int(r, 40, 160) * 5;          /* 2-8%/day */
    s->cc_ratio = 100;
    s->pinned = false;
}

#define DRAW(e, r, c, name, t, cap, lo, hi) \
    draw_source((e), (r), (c), (name), (t), NELEM(t), (cap), (lo), (hi))

/* "SQL01" for sql01. */
static void upper_name(char *buf, size_t n, const char *s)
{
    size_t k;
    for (k = 0; s[k] && k + 1 < n; k++)
        buf[k] = (char)(s[k] >= 'a' && s[k] <= 'z' ? s[k] - 'a' + 'A' : s[k]);
    buf[k] = '\0';
}

/* The data sources of computer c; *mailbox counts the site's mailbox
 * databases, *vm its virtual machines, so that their names are unique. */
static void gen_sources(estate *e, bench_rng *r, int c, int *mailbox, int *vm)
{
    static const char *const volumes[] = {
        "D:\\Shares", "E:\\Home", "F:\\Projects", "G:\\Profiles"
    };
    static const double volume_p[] = { 1.0, 0.5, 0.3, 0.15 };
    static const char *const databases[] = {
        "ERP", "CRM", "HR", "DWH", "Finance", "Sales", "Payroll", "Inventory"
    };
    static const char *const content[] = {
        "WSS_Content", "WSS_Content_Intranet", "WSS_Content_Projects"
    };
    static const double content_p[] = { 1.0, 0.5, 0.3 };
    static const char *const vm_roles[] = { "app", "web", "print", "rds", "db", "util" };
    static const int n_weights[] = { 35, 30, 20, 15 };     /* 1..4 */
    const computer *co = &e->comps[c];
    const site *si = &e->sites[co->site];
    /* a computer keeps about eight days of what its share of half the line
     * moves */
    double cap_gb = bytes_per_day((double)si->cap * 0.5 / si->ncomp) * 8 / 1e9;
    char name[64], upper[16];
    int n, first;
    switch (co->kind) {
    case K_FILE:
        for (int i = 0; i < 4; i++)
            if (bench_rng_chance(r, volume_p[i]))
                DRAW(e, r, c, volumes[i], file_sizes, cap_gb, 50, 300);
        break;
    case K_SQL:
        n = BENCH_PICK(r, n_weights) + 1;
        first = bench_rng_int(r, 0, 7);               /* n distinct names */
        upper_name(upper, sizeof upper, co->shortname);
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "%s\\%s", upper, databases[(first + i) % 8]);
            DRAW(e, r, c, name, sql_sizes, cap_gb, 100, 500);
        }
        break;
    case K_EXCHANGE:
        n = BENCH_PICK(r, n_weights) + 1;
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "S%04d-MailboxDB%02d", co->site + 1, ++*mailbox);
            DRAW(e, r, c, name, exchange_sizes, cap_gb, 100, 400);
        }
        break;
    case K_SHAREPOINT:
        for (int i = 0; i < 3; i++)
            if (bench_rng_chance(r, content_p[i]))
                DRAW(e, r, c, content[i], sharepoint_sizes, cap_gb, 50, 200);
        break;
    default:
        n = bench_rng_int(r, 1, 5);
        for (int i = 0; i < n; i++) {
            ++*vm;
            snprintf(name, sizeof name, "site%04d-%s%02d", co->site + 1,
                     vm_roles[(*vm - 1) % 6], (*vm - 1) / 6 + 1);
            DRAW(e, r, c, name, hyperv_sizes, cap_gb, 100, 500);
        }
        break;
    }
}

/* Office traffic on the line of site si: 5-40% of it, in office hours. */
static void draw_office(site *si, bench_rng *r)
{
    long bg = (long)((double)si->cap * bench_rng_range(r, 0.05, 0.40));
    long step = bg >= 10000 ? 1000 : 100;
    bg = bg / step * step;
    si->bg = bg > 0 ? bg : 100;
    si->office = office_hours[BENCH_PICK(r, office_w)];
}

/* Site s's line, fate, office traffic, computers and their data. */
static void gen_computers(estate *e, bench_rng *r, int s)
{
    static const int caps[] = { 2, 4, 10, 20, 30, 50, 100, 200, 500, 1000 };
    static const int cap_w[] = { 4, 5, 15, 18, 8, 18, 16, 8, 5, 3 };
    static const int ncomp_w[] = { 13, 22, 19, 11, 10, 9, 8, 8 };  /* 1..8 */
    static const int role_w[NKINDS] = { 26, 28, 13, 10, 23 };
    site *si = &e->sites[s];
    si->cap = caps[BENCH_PICK(r, cap_w)] * 1000L;
    /* small lines serve small sites */
    int most = si->cap <= 4000 ? 3 : si->cap <= 10000 ? 4 : si->cap <= 20000 ? 6
                                                                : MAX_COMPUTERS;
    si->ncomp = bench_rng_pick(r, ncomp_w, most) + 1;
    double u = bench_rng_unit(r);
    si->fate = u < 0.017 ? F_UNTHROTTLED : u < 0.10 ? F_OFFICE :
               u < 0.155 ? F_LONG_SYNC : u < 0.60 ? F_TIGHT : F_COMFORTABLE;
    if (si->fate == F_LONG_SYNC && si->ncomp < 2)
        si->fate = F_OFFICE;
    si->culprit = -1;
    si->bg = 0;
    if (si->fate == F_OFFICE || bench_rng_chance(r, 0.65))
        draw_office(si, r);

    si->first_comp = e->ncomps;
    int count[NKINDS] = { 0 };
    for (int i = 0; i < si->ncomp; i++) {
        computer *c = &e->comps[e->ncomps++];
        c->site = s;
        c->kind = i == 0 ? K_FILE : BENCH_PICK(r, role_w);   /* every site has a file server */
        snprintf(c->shortname, sizeof c->shortname, "%s%02d",
                 role_prefix[c->kind], ++count[c->kind]);
        snprintf(c->name, sizeof c->name, "%s.site%04d.corp.example",
                 c->shortname, s + 1);
    }
    si->first_src = e->nsrcs;
    int mailbox = 0, vm = 0;
    for (int i = 0; i < si->ncomp; i++)
        gen_sources(e, r, si->first_comp + i, &mailbox, &vm);
    si->nsrc = e->nsrcs - si->first_src;
}

/* ---- a site's groups ---------------------------------------------------- */

static int new_group(estate *e, int s, const char *word, const char *who)
{
    group *g = &e->groups[e->ngroups];
    memset(g, 0, sizeof *g);
    if (who)
        snprintf(g->name, sizeof g->name, "Site%04d-%s-%s", s + 1, word, who);
    else
        snprintf(g->name, sizeof g->name, "Site%04d-%s", s + 1, word);
    g->site = s;
    g->rp = g->ef = -1;
    e->sites[s].ngroups++;
    return e->ngroups++;
}

/* Puts the sources of computer c not yet in a group into group g. */
static void put_sources(estate *e, int c, int g)
{
    const site *si = &e->sites[e->comps[c].site];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
        if (e->srcs[i].comp == c && e->srcs[i].group < 0)
            e->srcs[i].group = g;
}

static bool spans(const estate *e, int g)
{
    const site *si = &e->sites[e->groups[g].site];
    int first = -1;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        if (e->srcs[i].group != g)
            continue;
        if (first < 0)
            first = e->srcs[i].comp;
        else if (e->srcs[i].comp != first)
            return true;
    }
    return false;
}

static bool site_spans(const estate *e, int s)
{
    const site *si = &e->sites[s];
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++)
        if (spans(e, g))
            return true;
    return false;
}

/* Merges group b into group a (b after a, both of the last site drawn) as
 * the branch's one group: small sites often protect everything together. */
static void merge_groups(estate *e, int s, int a, int b)
{
    site *si = &e->sites[s];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        source *so = &e->srcs[i];
        if (so->group == b)
            so->group = a;
        else if (so->group > b)
            so->group--;
    }
    for (int g = b; g + 1 < e->ngroups; g++)
        e->groups[g] = e->groups[g + 1];
    e->ngroups--;
    si->ngroups--;
    snprintf(e->groups[a].name, sizeof e->groups[a].name, "Site%04d-Branch", s + 1);
}

/* A file volume or content database in a group of several computers
 * carries its computer's name, so that names stay unique in the group. */
static void name_shared_sources(estate *e, int s)
{
    const site *si = &e->sites[s];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        source *so = &e->srcs[i];
        if ((so->kind != K_FILE && so->kind != K_SHAREPOINT) || !spans(e, so->group))
            continue;
        char name[64];
        snprintf(name, sizeof name, "%.40s (%.7s)", so->name,
                 e->comps[so->comp].shortname);
        snprintf(so->name, sizeof so->name, "%s", name);
    }
}

/* The groups of site s: per kind, one group spanning all computers of the
 * kind (a SQL cluster, a DAG, Hyper-V hosts) or one per computer; now and
 * then the home drives in a group of their own; and on some sites with
 * nothing spanning yet, two groups merged into one branch group. */
static void gen_groups(estate *e, bench_rng *r, int s)
{
    static const double span_p[NKINDS] = { 0.5, 0.65, 0.75, 0.6, 0.8 };
    site *si = &e->sites[s];
    si->first_group = e->ngroups;
    si->ngroups = 0;
    int home = -1;
    if (bench_rng_chance(r, 0.2))
        for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
            if (strcmp(e->srcs[i].name, "E:\\Home") == 0) {
                home = home < 0 ? new_group(e, s, "Home", NULL) : home;
                e->srcs[i].group = home;
            }
    for (int k = 0; k < NKINDS; k++) {
        int list[MAX_COMPUTERS], n = 0;
        for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++)
            if (e->comps[c].kind == k)
                list[n++] = c;
        bool span = n >= 2 && bench_rng_chance(r, span_p[k]);
        for (int i = 0; i < n; i++) {
            int g = span && i > 0 ? e->ngroups - 1 :
                    new_group(e, s, group_word[k],
                              n > 1 && !span ? e->comps[list[i]].shortname : NULL);
            put_sources(e, list[i], g);
        }
    }
    /* nothing spans yet, so every group is on one computer: merge the first
     * group with the first one on another computer */
    if (si->ncomp >= 2 && home < 0 && !site_spans(e, s) && bench_rng_chance(r, 0.45)) {
        int a = si->first_group;
        for (int b = a + 1; b < si->first_group + si->ngroups; b++) {
            int cb = -1;
            for (int i = si->first_src; i < si->first_src + si->nsrc && cb < 0; i++)
                if (e->srcs[i].group == b)
                    cb = e->srcs[i].comp;
            if (!holds(e, a, cb)) {
                merge_groups(e, s, a, b);
                break;
            }
        }
    }
    name_shared_sources(e, s);
}

/* What data group g holds: bit 0 file, bit 1 application. */
static int group_data(const estate *e, int g)
{
    const site *si = &e->sites[e->groups[g].site];
    int m = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
        if (e->srcs[i].group == g)
            m |= e->srcs[i].kind == K_FILE ? 1 : 2;
    return m;
}

/* The largest flex (30-minute steps, at most 3h) that keeps every time of
 * ef_sets[ef] inside its day. */
static int max_flex(int ef)
{
    int most = 180;
    for (int i = 0; i < ef_sets[ef].n; i++) {
        int t = ef_sets[ef].at[i], room = t < DAY_MIN - 1 - t ? t : DAY_MIN - 1 - t;
        most = room < most ? room : most;
    }
    return most / 30 * 30;
}

/* Group g's schedule: its sync, recovery points (file data), express fulls
 * (application data), consistency check, max_lag and today's offset. */
static void gen_schedule(estate *e, bench_rng *r, int g)
{
    static const int file_every[] = { 15, 30, 60, 120, 240 };
    static const int file_w[] = { 15, 20, 35, 18, 12 };
    static const int app_every[] = { 15, 30, 60, 120 };
    static const int app_w[] = { 30, 30, 32, 8 };
    static const int flexes[] = { 0, 30, 60, 90, 120, 180 };
    static const int flex_w[] = { 20, 15, 25, 10, 20, 10 };
    group *gr = &e->groups[g];
    int data = group_data(e, g);
    gr->before_rp = data == 1 && bench_rng_chance(r, 0.12);
    gr->every = gr->before_rp ? 0 : data == 1 ? file_every[BENCH_PICK(r, file_w)]
                                              : app_every[BENCH_PICK(r, app_w)];
    if (data & 1) {
        gr->rp = BENCH_PICK(r, rp_w);
        gr->rp_days = e->week && bench_rng_chance(r, 0.3) ? D_WEEKDAYS : D_DAILY;
    }
    if (data & 2) {
        gr->ef = BENCH_PICK(r, ef_w);
        gr->ef_days = e->week && bench_rng_chance(r, 0.85) ? D_WEEKDAYS : D_DAILY;
        int flex = flexes[BENCH_PICK(r, flex_w)], most = max_flex(gr->ef);
        gr->flex = flex < most ? flex : most;
    }
    gr->cc = bench_rng_chance(r, 0.25);
    if (gr->cc && e->week && bench_rng_chance(r, 0.4)) {
        gr->cc_win = cc_weekends[bench_rng_int(r, 0, NELEM(cc_weekends) - 1)];
        gr->cc_days = D_WEEKEND;
    } else if (gr->cc) {
        gr->cc_win = cc_nights[bench_rng_int(r, 0, NELEM(cc_nights) - 1)];
        gr->cc_days = D_DAILY;
    }
    if (!gr->before_rp && bench_rng_chance(r, 0.08)) {
        int lag = gr->every <= 60 ? gr->every * (1 << bench_rng_int(r, 0, 2)) : gr->every;
        gr->max_lag = lag > 60 ? lag : 60;
    }
    /* administrators who staggered by hand, in steps of 5 minutes */
    if (!gr->before_rp && bench_rng_chance(r, 0.2))
        gr->offset = bench_rng_int(r, 1, gr->every / 5 - 1) * 5;
}

/* ---- throttles and fates ------------------------------------------------ */

/* A throttle for computer c as administrators set them: 85% of the line
 * (not where office traffic shares it, unless the site's fate says so),
 * a lower rate, a work/other pair whose work hours cover the office
 * traffic, or auto.  Where c must send beside other computers (alone
 * false), 85% and auto (which planning sets to what the line allows one
 * computer) become a lower rate. */
static void draw_throttle(estate *e, bench_rng *r, int c, bool alone)
{
    static const int shared_w[] = { 0, 50, 34, 16 };  /* 85%, lower, work/other, auto */
    static const int quiet_w[] = { 65, 17, 10, 8 };
    computer *co = &e->comps[c];
    const site *si = &e->sites[co->site];
    double room = limit_of(si) - (double)si->bg;
    /* where office traffic shares the line, 85% breaks the headroom: only
     * the sites built not to keep it have it there */
    bool quiet = !si->bg || si->fate >= F_OFFICE;
    int k = quiet ? BENCH_PICK(r, quiet_w) : BENCH_PICK(r, shared_w);
    if (!alone && (k == 0 || k == 3))
        k = 1;
    co->form = k == 2 ? T_WORK : k == 3 ? T_AUTO : T_FIXED;
    co->rate = k == 0 ? rate85(si) : round_rate(room * bench_rng_range(r, 0.2, 0.95));
    if (k != 2)
        return;
    co->work = round_rate(room * bench_rng_range(r, 0.15, 0.7));
    co->other = bench_rng_chance(r, 0.5) ? rate85(si) :
                round_rate(limit_of(si) * bench_rng_range(r, 0.5, 0.95));
    if (co->other <= co->work)
        co->other = rate85(si);
    co->hours = si->bg ? si->office : office_hours[0];
    if (bench_rng_chance(r, 0.3)) {           /* an hour more on either side */
        co->hours.from -= 60;
        co->hours.to += 60;
    }
}

/* Lowers the throttles of the computers of site s in mask so that they may
 * all send at once: with the office traffic in office hours, and outside
 * them, each below 90-98% of what the line allows. */
static void fit_rates(estate *e, bench_rng *r, int s, unsigned mask)
{
    const site *si = &e->sites[s];
    double day = block_rate(e, s, mask, true), night = block_rate(e, s, mask, false);
    double room_day = (limit_of(si) - (double)si->bg) * bench_rng_range(r, 0.90, 0.98);
    double room_night = limit_of(si) * bench_rng_range(r, 0.90, 0.98);
    double fd = day > room_day ? room_day / day : 1;
    double fn = night > room_night ? room_night / night : 1;
    if (fd >= 1 && fn >= 1)
        return;
    for (int i = 0; i < si->ncomp; i++) {
        computer *co = &e->comps[si->first_comp + i];
        if (!(mask & (1u << i)))
            continue;
        if (co->form == T_WORK) {
            co->work = round_rate((double)co->work * fd);
            co->other = round_rate((double)co->other * fn);
        } else {                        /* T_FIXED: draw_throttle keeps auto alone */
            co->rate = round_rate((double)co->rate * (fd < fn ? fd : fn));
        }
    }
}

/* The throttles of site s: a comfortable site's computers all fit the
 * line together, a tight site's blocks each fit it alone; the other fates'
 * stay as drawn (apply_fate then breaks them for good). */
static void set_throttles(estate *e, bench_rng *r, int s)
{
    const site *si = &e->sites[s];
    unsigned block[MAX_COMPUTERS];
    int nb = site_blocks(e, s, block);
    for (int i = 0; i < si->ncomp; i++) {
        bool alone = true;
        if (si->fate == F_COMFORTABLE)
            alone = si->ncomp == 1;
        for (int b = 0; b < nb && si->fate == F_TIGHT; b++)
            if (block[b] & (1u << i))
                alone = block[b] == 1u << i;
        draw_throttle(e, r, si->first_comp + i, alone);
    }
    if (si->fate == F_COMFORTABLE)
        fit_rates(e, r, s, (1u << si->ncomp) - 1);
    for (int b = 0; b < nb && si->fate == F_TIGHT; b++)
        if (block[b] & (block[b] - 1))
            fit_rates(e, r, s, block[b]);
}

/* Whether computer c has a periodic sync (not only syncs before recovery
 * points, which could all fall outside office hours). */
static bool syncs_periodically(const estate *e, int c)
{
    const site *si = &e->sites[e->comps[c].site];
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++)
        if (!e->groups[g].before_rp && holds(e, g, c))
            return true;
    return false;
}

/* F_OFFICE: a computer with periodic syncs gets a fixed throttle that with
 * the office traffic exceeds 85% of the line: 85% itself most often,
 * otherwise a rate between. */
static void break_office(estate *e, bench_rng *r, int s)
{
    site *si = &e->sites[s];
    int cand[MAX_COMPUTERS], n = 0;
    si->fate = F_OFFICE;
    if (!si->bg)
        draw_office(si, r);
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++)
        if (syncs_periodically(e, c))
            cand[n++] = c;
    if (n == 0) {
        group *g = &e->groups[e->srcs[si->first_src].group];
        g->before_rp = false;
        g->every = 60;
        cand[n++] = si->first_comp;
    }
    computer *co = &e->comps[cand[bench_rng_int(r, 0, n - 1)]];
    co->form = T_FIXED;
    co->rate = rate85(si);
    if (bench_rng_chance(r, 0.3)) {
        long x = round_rate(limit_of(si) - (double)si->bg * bench_rng_range(r, 0.2, 0.7));
        if ((double)(x + si->bg) > limit_of(si))
            co->rate = x;
    }
    si->culprit = (int)(co - e->comps);
}

/* Pins source so at bytes a day of churn: a file volume large enough that
 * this is at most 15% of it a day. */
static void pin_churn(source *so, double bytes)
{
    if (bytes > (double)so->size_gb * 1e9 * 0.15)
        so->size_gb = ((long)(bytes / 0.1 / 1e9) / 100 + 1) * 100;
    so->churn = (int)(bytes * 10000 / ((double)so->size_gb * 1e9));
    so->pinned = true;
}

/* F_LONG_SYNC: fs01, throttled at 85% of the line, syncs every 1-4h for
 * 35-75% of the period (25 minutes at least), while another group with data
 * on another computer syncs every 15 minutes.  Returns false when every
 * group of the site holds fs01's shares (the caller breaks the site
 * another way). */
static bool break_long_sync(estate *e, bench_rng *r, int s)
{
    static const int every[] = { 60, 120, 240 };
    site *si = &e->sites[s];
    int a = si->first_comp;
    source *shares = &e->srcs[si->first_src];     /* fs01's D:\Shares */
    int ga = shares->group, gx = -1;
    for (int g = si->first_group; g < si->first_group + si->ngroups && gx < 0; g++)
        for (int c = a + 1; c < a + si->ncomp && gx < 0; c++)
            if (g != ga && holds(e, g, c))
                gx = g;
    if (gx < 0)
        return false;
    group *long_group = &e->groups[ga], *quick = &e->groups[gx];
    long_group->before_rp = false;
    long_group->every = every[bench_rng_int(r, 0, group_data(e, ga) == 1 ? 2 : 1)];
    long_group->offset %= long_group->every;
    long_group->cc = false;
    long_group->max_lag = 0;
    quick->every = 15;
    quick->offset = quick->before_rp ? 0 : quick->offset % 15;
    quick->before_rp = false;
    quick->max_lag = 0;

    computer *co = &e->comps[a];
    co->form = T_FIXED;
    co->rate = rate85(si);
    double lo = 25.0 / long_group->every, u;
    u = bench_rng_range(r, lo > 0.35 ? lo : 0.35, 0.75);
    pin_churn(shares, u * bytes_per_day((double)co->rate));
    co->util = u + 0.15 < 0.95 ? u + 0.15 : 0.95;
    si->culprit = a;
    return true;
}

/* The share of the cycle each computer's jobs may take, by the site's
 * fate, then what makes the site infeasible where its fate says so. */
static void apply_fate(estate *e, bench_rng *r, int s)
{
    site *si = &e->sites[s];
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++)
        e->comps[c].util = si->fate == F_COMFORTABLE ? bench_rng_range(r, 0.05, 0.20) :
                           si->fate == F_TIGHT ? bench_rng_range(r, 0.20, 0.55) :
                           bench_rng_range(r, 0.05, 0.50);
    if (si->fate == F_UNTHROTTLED) {
        si->culprit = si->first_comp + bench_rng_int(r, 0, si->ncomp - 1);
        e->comps[si->culprit].form = T_NONE;
    } else if (si->fate == F_LONG_SYNC && !break_long_sync(e, r, s)) {
        break_office(e, r, s);
    } else if (si->fate == F_OFFICE) {
        break_office(e, r, s);
    }
}

/* Site s, from its own stream. */
static void gen_site(estate *e, int s)
{
    bench_rng r = bench_rng_stream(e->seed, (uint64_t)s);
    gen_computers(e, &r, s);
    gen_groups(e, &r, s);
    const site *si = &e->sites[s];
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++)
        gen_schedule(e, &r, g);
    set_throttles(e, &r, s);
    apply_fate(e, &r, s);
    fit_volumes(e, s);
}

/* ---- regions, servers and the data centre -------------------------------- */

/* Runs of 5 to 30 sites, in site order (fewer only when the estate has
 * fewer than 5 sites). */
static void gen_regions(estate *e)
{
    bench_rng r = bench_rng_stream(e->seed, REGION_STREAM);
    for (int s = 0; s < e->nsites;) {
        int left = e->nsites - s, n = bench_rng_int(&r, MIN_REGION, MAX_REGION);
        if (left - n < MIN_REGION)
            n = left <= MAX_REGION ? left : left - MIN_REGION;
        region *rg = &e->regions[e->nregions];
        rg->first_site = s;
        rg->nsites = n;
        for (int i = s; i < s + n; i++)
            e->sites[i].region = e->nregions;
        e->nregions++;
        s += n;
    }
}

/* Runs of sites with about the same number of computers, then one site in
 * five moved to another server: a server's computers come from several
 * regions, and a region's sites report to several servers. */
static void assign_servers(estate *e, bench_rng *r)
{
    int n = e->nservers, srv = 0, acc = 0, here = 0;
    for (int s = 0; s < e->nsites; s++) {
        bool must = e->nsites - s == n - 1 - srv;
        bool full = (double)acc >= (double)e->ncomps * (srv + 1) / n;
        if (srv < n - 1 && here > 0 && (must || full)) {
            srv++;
            here = 0;
        }
        e->sites[s].server = srv;
        e->servers[srv].nsites++;
        acc += e->sites[s].ncomp;
        here++;
    }
    for (int s = 0; s < e->nsites && n > 1; s++) {
        site *si = &e->sites[s];
        if (!bench_rng_chance(r, 0.2) || e->servers[si->server].nsites < 2)
            continue;
        e->servers[si->server].nsites--;
        si->server = (si->server + bench_rng_int(r, 1, n - 1)) % n;
        e->servers[si->server].nsites++;
    }
    for (int s = 0; s < e->nsites; s++)
        e->servers[e->sites[s].server].ncomp += e->sites[s].ncomp;
}

/* One server per 40-150 computers (two at least from 20 sites); about
 * half hold fewer transfers at once than they have computers (30-80% of
 * them), some more, some have no limit; about a third sit behind a link of
 * their own (sized in size_links). */
static void gen_servers(estate *e)
{
    bench_rng r = bench_rng_stream(e->seed, SERVER_STREAM);
    int per = bench_rng_int(&r, 40, 150);
    int n = (e->ncomps + per / 2) / per;
    n = n < 1 ? 1 : n;
    n = e->nsites >= 20 && n < 2 ? 2 : n;
    e->nservers = n < e->nsites ? n : e->nsites;
    assign_servers(e, &r);
    bool below = false;
    for (int i = 0; i < e->nservers; i++) {
        server *sv = &e->servers[i];
        double u = bench_rng_unit(&r);
        if (u < 0.5 || (i == e->nservers - 1 && !below && e->nservers > 1)) {
            int m = (int)(sv->ncomp * bench_rng_range(&r, 0.3, 0.8) + 0.5);
            sv->max_jobs = m >= 1 ? m : 1;
            below |= sv->max_jobs < sv->ncomp;
        } else if (u < 0.8) {
            sv->max_jobs = sv->ncomp + bench_rng_int(&r, 1, 10);
        }
        sv->nic_mbps = bench_rng_chance(&r, 0.35) ? 1 : 0;
    }
}

static const long hub_caps[] = {       /* Mbps */
    100, 200, 300, 500, 1000, 2000, 2500, 5000, 10000, 20000, 40000, 100000
};

/* The smallest of opt[0..n) of at least need, or the largest. */
static long pick_cap(const long *opt, int n, double need)
{
    for (int i = 0; i < n; i++)
        if ((double)opt[i] >= need)
            return opt[i];
    return opt[n - 1];
}

/* Region rg's hub: at least twice its largest line and 2.5 times its mean
 * load (so that it never bounds a throttle nor is hopeless); most are
 * large, the throttles of their sites together at 45-65% of them; one in
 * five is small, those throttles at 125-200% of it.  mean holds each
 * computer's mean load. */
static void size_hub(estate *e, int rg, const double *mean)
{
    region *re = &e->regions[rg];
    bench_rng r = bench_rng_stream(e->seed, HUB_STREAM + (uint64_t)rg);
    double sum = 0, top = 0, load = 0;    /* Mbps */
    for (int s = re->first_site; s < re->first_site + re->nsites; s++) {
        const site *si = &e->sites[s];
        top = (double)si->cap / 1000 > top ? (double)si->cap / 1000 : top;
        for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
            sum += peak_rate(e, c) / 1000;
            load += mean[c] / 1e6;
        }
    }
    double least = 2 * top > 2.5 * load ? 2 * top : 2.5 * load;
    if (bench_rng_chance(&r, 0.2)) {
        double want = sum * bench_rng_range(&r, 0.5, 0.8);
        re->cap_mbps = 0;
        for (int i = 0; i < NELEM(hub_caps); i++)
            if ((double)hub_caps[i] >= least && (double)hub_caps[i] <= want)
                re->cap_mbps = hub_caps[i];
        if (!re->cap_mbps)
            re->cap_mbps = pick_cap(hub_caps, NELEM(hub_caps), least);
    } else {
        double need = sum / bench_rng_range(&r, 0.45, 0.65);
        re->cap_mbps = pick_cap(hub_caps, NELEM(hub_caps), need > least ? need : least);
    }
    re->small = sum > (double)re->cap_mbps;
    /* traffic between the sites over the hub in office hours: at most 10%,
     * so that 85% less it stays above the line of any of its sites */
    long bg = (long)((double)re->cap_mbps * bench_rng_range(&r, 0.03, 0.10));
    re->bg_mbps = bench_rng_chance(&r, 0.4) ? (bg >= 1 ? bg : 1) : 0;
}

/* The hubs, the servers' own links (1 to 40Gbps: within 85% of them, three
 * times the mean load of the server's computers, and 1.2 times its largest
 * line, so that one computer at 85% of a line leaves room for others) and
 * the core (10 to 400Gbps, with
 * 5-15% other traffic in the day, at least twice the mean load of all
 * transfers within 85%): whatever staggering leaves, the data centre is
 * not what breaks the headroom everywhere. */
static int size_links(estate *e)
{
    static const long nic_caps[] = { 1000, 10000, 25000, 40000 };
    static const long core_caps[] = { 10000, 20000, 40000, 100000, 200000, 400000 };
    double *mean = calloc((size_t)e->ncomps + 1, sizeof *mean);
    double *per = calloc(2 * (size_t)e->nservers + 1, sizeof *per);
    if (!mean || !per) {
        free(mean);
        free(per);
        return -1;
    }
    double total = 0, *top = per + e->nservers;     /* Mbps */
    for (int s = 0; s < e->nsites; s++) {
        double line = (double)e->sites[s].cap / 1000;
        int i = e->sites[s].server;
        top[i] = line > top[i] ? line : top[i];
    }
    for (int c = 0; c < e->ncomps; c++) {
        mean[c] = mean_bps(e, c);
        per[e->sites[e->comps[c].site].server] += mean[c] / 1e6;
        total += mean[c] / 1e6;
    }
    for (int rg = 0; rg < e->nregions; rg++)
        size_hub(e, rg, mean);
    for (int i = 0; i < e->nservers; i++)
        if (e->servers[i].nic_mbps) {
            double need = per[i] * 3 > top[i] * 1.2 ? per[i] * 3 : top[i] * 1.2;
            e->servers[i].nic_mbps = pick_cap(nic_caps, NELEM(nic_caps), need / LIMIT);
        }
    bench_rng r = bench_rng_stream(e->seed, CORE_STREAM);
    double share = bench_rng_range(&r, 0.05, 0.15);
    for (int i = 0; i < NELEM(core_caps); i++) {
        e->core_mbps = core_caps[i];
        if (2 * total + share * (double)core_caps[i] <= LIMIT * (double)core_caps[i])
            break;
    }
    if (e->busy_core) {
        /* this program's mean load of the transfers, and the background
         * over half the day, at 78% of what the limit allows (the
         * planner's count, in whole slots, is higher: see the top) */
        double cap = total / (0.78 * LIMIT - share / 2);
        e->core_mbps = ((long)cap / 100 + 1) * 100;
        /* never below a throttle that crosses it (stagger refuses a
         * throttle above a link on the computer's path): a small estate's
         * fast site may have one above the mean's width */
        for (int c = 0; c < e->ncomps; c++) {
            const computer *co = &e->comps[c];
            long kbps = co->form == T_FIXED ? co->rate
                      : co->form == T_WORK ? (co->work > co->other ? co->work
                                                                   : co->other)
                      : 0;
            long mbps = (kbps + 999) / 1000;
            if (mbps > e->core_mbps)
                e->core_mbps = (mbps + 99) / 100 * 100;
        }
    }
    e->core_bg_mbps = (long)(share * (double)e->core_mbps);
    e->core_hours = office_hours[1];
    free(mean);
    free(per);
    return 0;
}

/* ---- groups across sites ------------------------------------------------- */

static int width(int n);

/* A group of site s that holds file data alone and syncs every so often
 * (not before recovery points), or -1. */
static int file_group(const estate *e, int s)
{
    const site *si = &e->sites[s];
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        const group *gr = &e->groups[g];
        bool file = true, any = false;
        for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
            if (e->srcs[i].group == g) {
                any = true;
                file &= e->srcs[i].kind == K_FILE;
            }
        if (any && file && !gr->before_rp && !gr->gone)
            return g;
    }
    return -1;
}

/* The sources of group g on site s named with their site too, so that
 * names stay unique in a group of several sites. */
static void site_names(estate *e, int s, int g)
{
    const site *si = &e->sites[s];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        source *so = &e->srcs[i];
        if (so->group != g)
            continue;
        char was[sizeof so->name];
        memcpy(was, so->name, sizeof was);
        snprintf(so->name, sizeof so->name, "%.48s, site%04d", was,
                 (s + 1) % 10000);
    }
}

/* --wide-groups: the file groups of runs of 3 to 8 sites of one server
 * (in site order) become one group, as an administrator protects the
 * branch file servers in one protection group: DPM starts their syncs
 * together, and a server whose max_jobs is below them makes some wait.
 * The group keeps its first site's schedule; a group whose consistency
 * check differs from it stays apart (a check adds to its computers'
 * cycle, which the sites were sized for); max_lag is dropped.  Syncs
 * still end within their periods: a sync of a day's change per period
 * takes the same share of any period. */
static void widen_groups(estate *e)
{
    bench_rng r = bench_rng_stream(e->seed, WIDE_STREAM);
    int made = 0;
    for (int sv = 0; sv < e->nservers; sv++) {
        int into = -1, left = 0;
        for (int s = 0; s < e->nsites; s++) {
            if (e->sites[s].server != sv)
                continue;
            int g = file_group(e, s);
            if (g < 0)
                continue;
            if (into < 0 || left == 0 || e->groups[g].cc != e->groups[into].cc) {
                into = g;
                left = bench_rng_int(&r, 2, 7);
                continue;
            }
            group *in = &e->groups[into];
            if (!in->wide) {
                in->wide = true;
                in->max_lag = 0;
                snprintf(in->name, sizeof in->name, "Dpm%0*d-Branch-Files-%03d",
                         width(e->nservers), sv + 1, ++made);
                site_names(e, in->site, into);
            }
            site_names(e, s, g);
            const site *si = &e->sites[s];
            for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
                if (e->srcs[i].group == g)
                    e->srcs[i].group = into;
            e->groups[g].gone = true;
            left--;
        }
    }
}

/* ---- checking ------------------------------------------------------------ */

/* Checks what validate will: every sync within its period at the slowest
 * rate its throttle allows (auto and none: the line), every computer's
 * cycle within what its throttle moves in the cycle.  Returns false (and
 * says where) when one does not hold. */
static bool verify(const estate *e)
{
    for (int g = 0; g < e->ngroups; g++) {
        const site *si = &e->sites[e->groups[g].site];
        for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
            int form = e->comps[c].form;
            double rate = form == T_AUTO || form == T_NONE ? (double)si->cap : slow_rate(e, c);
            if (group_bytes(e, g, c, JOB_SYNC) > bytes_per_day(rate)) {
                fprintf(stderr, PROG ": group %s: a sync of %s does not finish "
                        "within its period\n", e->groups[g].name, e->comps[c].name);
                return false;
            }
        }
    }
    for (int c = 0; c < e->ncomps; c++)
        if (cycle_load(e, c, false) > cycle_bytes(e, c)) {
            fprintf(stderr, PROG ": computer %s: its cycle's volume exceeds what "
                    "its throttle moves\n", e->comps[c].name);
            return false;
        }
    return true;
}

/* ---- writing ------------------------------------------------------------ */

/* Throttle kinds as the header counts them. */
enum { TK_85, TK_LOWER, TK_WORK, TK_AUTO, TK_NONE, NTK };

static int throttle_kind(const estate *e, int c)
{
    const computer *co = &e->comps[c];
    switch (co->form) {
    case T_FIXED:
        return co->rate == rate85(&e->sites[co->site]) ? TK_85 : TK_LOWER;
    case T_WORK:
        return TK_WORK;
    case T_AUTO:
        return TK_AUTO;
    default:
        return TK_NONE;
    }
}

/* Width of the numbers in names of n things: two digits at least (and at
 * most four, as there are at most 9999 sites). */
static int width(int n)
{
    int w = 2;
    for (int m = 100; m <= n && w < 4; m *= 10)
        w++;
    return w;
}

static void write_header(const estate *e, FILE *out)
{
    int fate[NFATES] = { 0 }, tk[NTK] = { 0 }, office = 0, small = 0, below = 0,
        nolimit = 0, nic = 0, spanning = 0, ncc = 0, nlag = 0, nbrp = 0, noff = 0,
        ngroups = 0, wide = 0;
    double gb = 0, moved = 0;
    char rate[32];
    for (int s = 0; s < e->nsites; s++) {
        fate[e->sites[s].fate]++;
        office += e->sites[s].bg > 0;
    }
    for (int i = 0; i < e->nregions; i++)
        small += e->regions[i].small;
    for (int i = 0; i < e->nservers; i++) {
        below += e->servers[i].max_jobs && e->servers[i].max_jobs < e->servers[i].ncomp;
        nolimit += !e->servers[i].max_jobs;
        nic += e->servers[i].nic_mbps > 0;
    }
    for (int c = 0; c < e->ncomps; c++) {
        tk[throttle_kind(e, c)]++;
        moved += cycle_load(e, c, false);
    }
    for (int g = 0; g < e->ngroups; g++) {
        const group *gr = &e->groups[g];
        if (gr->gone)
            continue;
        ngroups++;
        wide += gr->wide;
        spanning += gr->wide || spans(e, g);
        ncc += gr->cc;
        nlag += gr->max_lag > 0;
        nbrp += gr->before_rp;
        noff += gr->offset > 0;
    }
    for (int i = 0; i < e->nsrcs; i++)
        gb += (double)e->srcs[i].size_gb;
    fprintf(out, "# A generated DPM estate for benchmarks (" PROG "): %d sites, seed %"
            PRIu64 ", %s cycle.\n#\n", e->nsites, e->seed, e->week ? "week" : "day");
    fprintf(out,
            "# sites:     %d, each on its own WAN line; with office traffic: %d\n"
            "#   comfortable (all computers may send at once):       %d\n"
            "#   tight (blocks fit alone, must take turns):          %d\n"
            "#   cannot keep 15%% headroom whatever the schedule:     %d\n"
            "#     a fixed throttle + office traffic above 85%%:      %d\n"
            "#     an 85%% throttle syncing 25m+ beside a 15m group:  %d\n"
            "#     a computer with throttle: none:                   %d\n",
            e->nsites, office, fate[F_COMFORTABLE], fate[F_TIGHT],
            fate[F_OFFICE] + fate[F_LONG_SYNC] + fate[F_UNTHROTTLED],
            fate[F_OFFICE], fate[F_LONG_SYNC], fate[F_UNTHROTTLED]);
    fprintf(out,
            "# regions:   %d, each behind its hub; hubs smaller than the throttles\n"
            "#   of their sites together: %d\n"
            "# servers:   %d, behind the %s core link dc-core; max_jobs below\n"
            "#   their number of computers: %d, no max_jobs: %d, own link: %d\n",
            e->nregions, small, e->nservers,
            bench_fmt_rate(rate, sizeof rate, e->core_mbps * 1000), below, nolimit, nic);
    fprintf(out,
            "# computers: %d; throttles at 85%% of the line: %d, lower rates: %d,\n"
            "#   work/other: %d, auto: %d, none: %d\n"
            "# groups:    %d; spanning several computers: %d, consistency checks:\n"
            "#   %d, max_lag: %d, syncing before recovery points: %d, offsets set\n"
            "#   by hand: %d (the others at DPM's default 0)\n",
            e->ncomps, tk[TK_85], tk[TK_LOWER], tk[TK_WORK], tk[TK_AUTO], tk[TK_NONE],
            ngroups, spanning, ncc, nlag, nbrp, noff);
    if (e->wide_groups)
        fprintf(out, "#   groups of several sites' file servers (--wide-groups): %d\n",
                wide);
    fprintf(out, "# sources:   %d; %.1fTB protected, about %.0fGB a %s to transfer\n",
            e->nsrcs, gb / 1000, moved / 1e9, e->week ? "week" : "day");
    fprintf(out, "#\n# Each site's line says what the site was built to be.\n");
}

/* One link, with its background in hours w on the office days when bg is
 * above zero, and a comment when note is not NULL. */
static void write_link(const estate *e, FILE *out, const char *name, long kbps,
                       long bg, window w, const char *note)
{
    char a[32], b[16], c[16];
    if (!bg) {
        fprintf(out, "  - { name: %s, capacity: %s }%s%s\n", name,
                bench_fmt_rate(a, sizeof a, kbps), note ? "   # " : "", note ? note : "");
        return;
    }
    fprintf(out, "  - name: %s%s%s\n    capacity: %s\n", name, note ? "   # " : "",
            note ? note : "", bench_fmt_rate(a, sizeof a, kbps));
    fprintf(out, "    background:\n      - { from: %s, to: %s, rate: %s, days: %s }\n",
            fmt_clock(b, sizeof b, w.from), fmt_clock(c, sizeof c, w.to),
            bench_fmt_rate(a, sizeof a, bg), days_word[e->week ? D_WEEKDAYS : D_DAILY]);
}

/* What site s was built to be, for a comment on its line. */
static const char *fate_note(const estate *e, int s, char *buf, size_t n)
{
    const site *si = &e->sites[s];
    const char *who = si->culprit >= 0 ? e->comps[si->culprit].shortname : "";
    switch (si->fate) {
    case F_COMFORTABLE:
        return "comfortable";
    case F_TIGHT:
        return "tight";
    case F_OFFICE:
        snprintf(buf, n, "cannot keep 15%%: %s's throttle + office traffic above 85%%", who);
        return buf;
    case F_LONG_SYNC:
        snprintf(buf, n, "cannot keep 15%%: %s at 85%% syncs for 25m+ beside a "
                 "15-minute group", who);
        return buf;
    default:
        snprintf(buf, n, "cannot keep 15%%: %s is unthrottled", who);
        return buf;
    }
}

static void write_network(const estate *e, FILE *out)
{
    char name[64];
    int rw = width(e->nregions), sw = width(e->nservers);
    fprintf(out, "links:\n");
    write_link(e, out, "dc-core", e->core_mbps * 1000, e->core_bg_mbps * 1000,
               e->core_hours, NULL);
    for (int i = 0; i < e->nservers; i++)
        if (e->servers[i].nic_mbps) {
            snprintf(name, sizeof name, "dpm%0*d-nic", sw, i + 1);
            write_link(e, out, name, e->servers[i].nic_mbps * 1000, 0,
                       office_hours[0], NULL);
        }
    for (int i = 0; i < e->nregions; i++) {
        snprintf(name, sizeof name, "region%0*d-hub", rw, i + 1);
        write_link(e, out, name, e->regions[i].cap_mbps * 1000,
                   e->regions[i].bg_mbps * 1000, office_hours[0],
                   e->regions[i].small ? "smaller than its sites' throttles together" : NULL);
    }
    for (int s = 0; s < e->nsites; s++) {
        const site *si = &e->sites[s];
        char note[160];
        snprintf(name, sizeof name, "site%04d-wan", s + 1);
        write_link(e, out, name, si->cap, si->bg, si->office,
                   fate_note(e, s, note, sizeof note));
    }

    fprintf(out, "\nservers:\n");
    for (int i = 0; i < e->nservers; i++) {
        const server *sv = &e->servers[i];
        fprintf(out, "  - name: dpm%0*d\n", sw, i + 1);
        if (sv->nic_mbps)
            fprintf(out, "    path: [dpm%0*d-nic, dc-core]\n", sw, i + 1);
        else
            fprintf(out, "    path: [dc-core]\n");
        if (sv->max_jobs)
            fprintf(out, "    max_jobs: %d\n", sv->max_jobs);
    }
}

static void write_computers(const estate *e, FILE *out)
{
    char a[32], b[32], f[16], t[16];
    int rw = width(e->nregions), sw = width(e->nservers);
    fprintf(out, "\ncomputers:\n");
    for (int c = 0; c < e->ncomps; c++) {
        const computer *co = &e->comps[c];
        const site *si = &e->sites[co->site];
        fprintf(out, "  - { name: %s, server: dpm%0*d, path: [site%04d-wan, "
                "region%0*d-hub], throttle: ", co->name, sw, si->server + 1,
                co->site + 1, rw, si->region + 1);
        switch (co->form) {
        case T_FIXED:
            fprintf(out, "%s }\n", bench_fmt_rate(a, sizeof a, co->rate));
            break;
        case T_WORK:
            fmt_clock(f, sizeof f, co->hours.from);
            fmt_clock(t, sizeof t, co->hours.to);
            /* "08:00" and "18:00" joined as "08:00-18:00" */
            fprintf(out, "{ work: %s, other: %s, hours: %.6s-%s, days: %s } }\n",
                    bench_fmt_rate(a, sizeof a, co->work), bench_fmt_rate(b, sizeof b, co->other),
                    f, t + 1, days_word[e->week ? D_WEEKDAYS : D_DAILY]);
            break;
        case T_AUTO:
            fprintf(out, "auto }\n");
            break;
        default:
            fprintf(out, "none }\n");
            break;
        }
    }
}

static void write_times(FILE *out, const times *t)
{
    char a[16];
    for (int i = 0; i < t->n; i++)
        fprintf(out, "%s%s", i ? ", " : "", fmt_clock(a, sizeof a, t->at[i]));
}

static void write_group(const estate *e, FILE *out, int g)
{
    char a[32], b[32], c[32];
    const group *gr = &e->groups[g];
    const site *si = &e->sites[gr->site];
    fprintf(out, "  - name: %s\n    server: dpm%0*d\n", gr->name,
            width(e->nservers), si->server + 1);
    if (gr->before_rp)
        fprintf(out, "    sync: { before_recovery_point: true }\n");
    else
        fprintf(out, "    sync: { every: %s, offset: %dm }\n",
                fmt_duration(a, sizeof a, gr->every), gr->offset);
    if (gr->rp >= 0) {
        fprintf(out, "    recovery_points: { at: [");
        write_times(out, &rp_sets[gr->rp]);
        fprintf(out, "], days: %s }\n", days_word[gr->rp_days]);
    }
    if (gr->ef >= 0) {
        fprintf(out, "    express_full: { at: [");
        write_times(out, &ef_sets[gr->ef]);
        fprintf(out, "], days: %s, flex: %s }\n", days_word[gr->ef_days],
                gr->flex ? fmt_duration(a, sizeof a, gr->flex) : "0m");
    }
    if (gr->cc)
        fprintf(out, "    consistency_check: { from: %s, to: %s, days: %s }\n",
                fmt_clock(a, sizeof a, gr->cc_win.from),
                fmt_clock(b, sizeof b, gr->cc_win.to), days_word[gr->cc_days]);
    if (gr->max_lag)
        fprintf(out, "    max_lag: %s\n", fmt_duration(a, sizeof a, gr->max_lag));
    fprintf(out, "    sources:\n");
    int from = gr->wide ? 0 : si->first_src;
    int to = gr->wide ? e->nsrcs : si->first_src + si->nsrc;
    for (int i = from; i < to; i++) {
        const source *so = &e->srcs[i];
        if (so->group != g)
            continue;
        fprintf(out, "      - { name: '%s', computer: %s, kind: %s, size: %s, "
                "churn: %s/day", so->name, e->comps[so->comp].name,
                kind_word[so->kind], bench_fmt_size(a, sizeof a, so->size_gb),
                fmt_pct(b, sizeof b, so->churn));
        if (so->cc_ratio != 100)
            fprintf(out, ", cc_ratio: %s", fmt_pct(c, sizeof c, so->cc_ratio));
        fprintf(out, " }\n");
    }
}

static void write_fleet(const estate *e, FILE *out)
{
    write_header(e, out);
    fprintf(out, "stagger: 1\ncycle: %s\nresolution: 1m\nheadroom: 15%%\n"
            "efficiency: 80%%\n\n", e->week ? "week" : "day");
    write_network(e, out);
    write_computers(e, out);
    fprintf(out, "\ngroups:\n");
    for (int g = 0; g < e->ngroups; g++)
        if (!e->groups[g].gone)
            write_group(e, out, g);
}

/* ---- the command line --------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: " PROG " --sites N [--seed N] [--week] [--busy-core] [--wide-groups]\n"
            "                         [-o FILE]\n"
            "\n"
            "Writes the fleet file of a DPM estate shaped like real ones, for\n"
            "benchmarks: regions behind hubs, servers with max_jobs, groups\n"
            "spanning several computers, throttles as administrators set them, and\n"
            "sites that cannot keep 15%% headroom at all.  The same sites, seed and\n"
            "cycle give the same bytes.\n"
            "\n"
            "  --sites N    the number of sites, 1 to %d (from about 8500 the\n"
            "               file is larger than the 16 MiB stagger reads)\n"
            "  --seed N     the seed (default 1)\n"
            "  --week       a week cycle: office traffic and express fulls on\n"
            "               weekdays, some consistency checks at the weekend\n"
            "  --busy-core  a data-centre core that binds and is busy (its mean\n"
            "               load about half its width)\n"
            "  --wide-groups  the file servers of 3 to 8 sites of one DPM server\n"
            "               in one group (their syncs start together)\n"
            "  -o FILE      write FILE (whole or not at all) instead of stdout\n",
            MAX_SITES);
}

/* Says what is wrong with the command line (msg, then arg quoted when
 * given) and how to use it.  Returns the exit status 2. */
static int bad_usage(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, PROG ": %s '%s'\n", msg, arg);
    else
        fprintf(stderr, PROG ": %s\n", msg);
    fprintf(stderr, "usage: " PROG " --sites N [--seed N] [--week] [--busy-core] "
            "[--wide-groups] [-o FILE]  "
            "(--help for more)\n");
    return 2;
}

/* Writes the estate to path (through a temporary file beside it, renamed
 * when complete) or to stdout when path is NULL.  Returns 0, or 1 with a
 * message on failure. */
static int emit(const estate *e, const char *path)
{
    int rc = 1;
    char *tmp = NULL;
    FILE *out = stdout;
    if (path) {
        size_t n = strlen(path) + 32;
        tmp = calloc(n, 1);
        if (!tmp) {
            fprintf(stderr, PROG ": out of memory\n");
            goto done;
        }
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, PROG ": %s: %s\n", tmp, strerror(errno));
            goto done;
        }
    }
    write_fleet(e, out);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, PROG ": %s: %s\n", path ? tmp : "stdout", strerror(errno));
        goto done;
    }
    /* some 8,500 sites and more make a file stagger refuses to read */
    long size = ftell(out);
    if (size > MAX_FLEET_BYTES)
        fprintf(stderr, PROG ": warning: the estate takes %.1f MiB, more than the "
                "16 MiB a fleet file may have; stagger will not read it\n",
                (double)size / (1024 * 1024));
    if (path) {
        FILE *f = out;
        out = stdout;
        if (fclose(f) != 0) {
            fprintf(stderr, PROG ": %s: %s\n", tmp, strerror(errno));
            goto done;
        }
        if (rename(tmp, path) != 0) {
            fprintf(stderr, PROG ": %s: %s\n", path, strerror(errno));
            goto done;
        }
        free(tmp);
        tmp = NULL;
    }
    rc = 0;
done:
    if (out && out != stdout)
        fclose(out);
    if (tmp) {
        remove(tmp);
        free(tmp);
    }
    return rc;
}

/* Reads the command line into e and *path.  Returns -1 to go on, or the
 * exit status. */
static int parse_args(int argc, char **argv, estate *e, const char **path)
{
    uint64_t v;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--seed") == 0) {
            if (!bench_parse_number(i + 1 < argc ? argv[++i] : NULL, UINT64_MAX, &v))
                return bad_usage("--seed expects a whole number, e.g. --seed 7", NULL);
            e->seed = v;
        } else if (strcmp(a, "--sites") == 0) {
            if (!bench_parse_number(i + 1 < argc ? argv[++i] : NULL, MAX_SITES, &v) || v < 1)
                return bad_usage("--sites expects a number of sites from 1 to 9999", NULL);
            e->nsites = (int)v;
        } else if (strcmp(a, "--week") == 0) {
            e->week = true;
        } else if (strcmp(a, "--busy-core") == 0) {
            e->busy_core = true;
        } else if (strcmp(a, "--wide-groups") == 0) {
            e->wide_groups = true;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return bad_usage("-o expects a file name", NULL);
            *path = argv[++i];
        } else if (a[0] == '-') {
            return bad_usage("unknown option", a);
        } else {
            return bad_usage("unexpected argument", a);
        }
    }
    if (!e->nsites)
        return bad_usage("give the number of sites: --sites N", NULL);
    return -1;
}

int main(int argc, char **argv)
{
    estate e = { 0 };
    const char *path = NULL;
    e.seed = 1;
    int rc = parse_args(argc, argv, &e, &path);
    if (rc >= 0)
        return rc;

    size_t ns = (size_t)e.nsites;
    e.sites = calloc(ns, sizeof *e.sites);
    e.comps = calloc(ns * MAX_COMPUTERS, sizeof *e.comps);
    e.srcs = calloc(ns * MAX_COMPUTERS * MAX_SOURCES, sizeof *e.srcs);
    e.groups = calloc(ns * MAX_GROUPS, sizeof *e.groups);
    e.regions = calloc(ns, sizeof *e.regions);
    e.servers = calloc(ns, sizeof *e.servers);
    rc = 3;
    if (!e.sites || !e.comps || !e.srcs || !e.groups || !e.regions || !e.servers) {
        fprintf(stderr, PROG ": out of memory\n");
        goto done;
    }
    for (int s = 0; s < e.nsites; s++)
        gen_site(&e, s);
    gen_regions(&e);
    gen_servers(&e);
    if (e.wide_groups)
        widen_groups(&e);
    if (size_links(&e) != 0) {
        fprintf(stderr, PROG ": out of memory\n");
        goto done;
    }
    if (!verify(&e))
        goto done;
    rc = emit(&e, path);
done:
    free(e.sites);
    free(e.comps);
    free(e.srcs);
    free(e.groups);
    free(e.regions);
    free(e.servers);
    return rc;
}
