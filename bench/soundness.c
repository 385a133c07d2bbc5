/* stagger-soundness: the planner's printed bounds against every
 * schedule, on many small random fleets.
 *
 *   stagger-soundness [--seed N] [--fleets N] [--family A|B]
 *                     [--max-schedules N] [--time-limit SECONDS]
 *   stagger-soundness --write SEED FILE
 *
 * Fleet i of a run is generated from the seed N + i (default N = 1,
 * 100 fleets): a small fleet of a shape drawn from the seed (several
 * servers with max_jobs, groups on several computers, fixed, auto and
 * work/other throttles, backgrounds, consistency checks, express fulls
 * with flex, week cycles, compression, hubs, 5m or 15m resolution).
 * Each fleet is planned through the library, by one or both families of
 * planner options:
 *
 *   A  the library's defaults, with one thread and a time limit
 *      (default 10 s);
 *   B  no exhaustive phase and a tiny exact budget (1, 51 or 101 slot
 *      checks, by the seed), so that the bounds that do not come from
 *      the exact search (background, average, placement, pairs, waits,
 *      crowded intervals) are the ones printed.
 *
 * Every schedule the planner may choose is then simulated: every sync
 * offset, express-full time and consistency-check start, as
 * docs/fleet-format.md ("What planning chooses") lists them, derived
 * here independently of solver/problem.c, with the plan's throttles.
 * A fleet whose schedules number more than --max-schedules (default
 * 200,000) is skipped.  Schedules with a backlog (a computer that never
 * catches up) are simulated and counted but left out of the
 * comparison: the bounds hold for the schedules in which every computer
 * catches up (docs/schedule-format.md, "Status and bounds").
 *
 * What is checked, each a violation when it fails (to within 10^-6):
 *   - every link's bound (links[].bound) is at least the best headroom
 *     of that link over the schedules, and its bound_without_waits at
 *     least the best over the schedules in which no computer waits for
 *     a max_jobs place;
 *   - headroom.bound and bound_without_waits likewise for the worst
 *     link;
 *   - the cheap per-link bounds (stg_bound_links, with and without
 *     waits) likewise;
 *   - a plan without backlog: each link's bound is at least the plan's
 *     own headroom on it, and its achieved headroom no better than the
 *     best enumerated (else the enumeration missed a schedule);
 *   - status optimal: achieved equals the bound and the best
 *     enumerated;
 *   - the plan's values lie in the enumerated domains, and the
 *     planner's own domains (stg_problem_for_plan) are those of the
 *     documentation.
 *
 * Output: a line per violation, naming the family and the fleet's
 * seed, then per family the counts, then
 *
 *   fleets N, schedules N, violations N
 *
 * (fleets checked, schedules simulated).  --write SEED FILE writes the
 * fleet of that seed, as generated, to FILE (to plan and check it with
 * stagger).  The counts of fleets and schedules depend on the seed
 * alone.  The plans do not when one reaches its time limit (family A's
 * larger fleets may): the schedule found, its status and how close its
 * bounds are then depend on the machine's speed, but the bounds must
 * hold whatever the planner had time for, so a violation is one
 * whatever the timing.
 *
 * STAGGER_SOUNDNESS_SABOTAGE=1 in the environment lowers every
 * links[].bound by 5 points before the comparison: a check of the
 * checker, which must then report violations.
 *
 * Exit status: 0 no violation, 1 some violation, 2 bad usage, 3 out of
 * memory or a planner failure. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "model/eval.h"
#include "model/schedule.h"
#include "model/settings.h"
#include "model/sim.h"
#include "solver/bound.h"
#include "solver/clock.h"
#include "solver/planner.h"
#include "solver/problem.h"

#define EXIT_VIOLATION 1
#define EXIT_USAGE 2
#define EXIT_INTERNAL 3

#define TOL 1e-6
#define SABOTAGE 0.05

static const char *usage_text =
    "usage: stagger-soundness [--seed N] [--fleets N] [--family A|B]\n"
    "                         [--max-schedules N] [--time-limit SECONDS]\n"
    "       stagger-soundness --write SEED FILE\n";

/* ------------------------------------------------------------------ */
/* Random numbers: a 64-bit LCG, its high bits.                        */

static uint64_t rng;

static int rnd(int n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng >> 33) % (uint64_t)n);
}

static int pick(const int *a, int n)
{
    return a[rnd(n)];
}

/* ------------------------------------------------------------------ */
/* The fleet's text, built with printf-like appends.                   */

static char text[65536];
static size_t text_len;

static void put(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text + text_len, sizeof text - text_len, fmt, ap);
    va_end(ap);
    if (n > 0)
        text_len += (size_t)n;
    if (text_len >= sizeof text) {  /* cannot happen at these sizes */
        fputs("stagger-soundness: fleet text too long\n", stderr);
        exit(EXIT_INTERNAL);
    }
}

/* "HH:MM" of minutes (modulo a day), in one of 8 rotating buffers. */
static const char *hm(int min)
{
    static char s[8][8];
    static int k;
    k = (k + 1) % 8;
    min = ((min % 1440) + 1440) % 1440;
    snprintf(s[k], sizeof s[k], "%02d:%02d", min / 60, min % 60);
    return s[k];
}

/* ------------------------------------------------------------------ */
/* The generator.  A fleet's shape is a set of features, each drawn    */
/* with its own probability; the rest of the fleet is drawn around it. */

enum {
    SH_MULTISERVER = 1 << 0,    /* 2 or 3 servers */
    SH_MULTICOMP = 1 << 1,      /* up to 3 computers per site, groups on several */
    SH_FIX85 = 1 << 2,          /* throttles at 85% of the bottleneck */
    SH_BG = 1 << 3,             /* office-hours background on the WANs */
    SH_CC = 1 << 4,             /* consistency checks */
    SH_TWOEF = 1 << 5,          /* two express fulls a day */
    SH_PERIODS = 1 << 6,        /* sync periods up to 2 h */
    SH_COMPR = 1 << 7,          /* compression */
    SH_HUB = 1 << 8,            /* a hub link shared by two sites */
    SH_OVERLOAD = 1 << 9,       /* one WAN nearly full of background by day */
    SH_WORKTHR = 1 << 10,       /* work/other throttles */
    SH_BRP = 1 << 11,           /* syncs before recovery points */
    SH_AUTO = 1 << 12,          /* auto throttles */
    SH_MJ = 1 << 13,            /* one server, max_jobs below its computers */
    SH_EXO = 1 << 14,           /* the rarer keys: days, utc_offset,
                                   efficiency, full/sync volumes */
    SH_NFEATURES = 15
};

#define MAXSITES 4
#define MAXCOMP 6

/* Writes the fleet of seed into text[] (it may be invalid: a few
 * combinations are refused by the reader, and such a fleet is counted
 * and skipped). */
static void generate(uint64_t seed)
{
    rng = seed * 0x9E3779B97F4A7C15ULL + 12345;
    rnd(2);
    rnd(2);
    text_len = 0;

    unsigned shape = 0;
    for (int b = 0; b < SH_NFEATURES; b++) {
        int percent = (b == 0 || b == 1 || b == 4 || b == 5) ? 50 : 35;
        if (rnd(100) < percent)
            shape |= 1u << b;
    }
    int res = rnd(10) < 6 ? 15 : 5;     /* minutes */
    if (shape & SH_MJ)
        res = rnd(3) ? 5 : 15;
    int nsite = 1 + rnd(shape & SH_HUB ? 3 : 2);
    if (shape & SH_HUB && nsite < 2)
        nsite = 2;

    /* the settings of the fleet */
    const char *headroom = "15%";
    if (shape & SH_EXO && rnd(2))
        headroom = rnd(2) ? "10%" : "25%";
    put("stagger: 1\nresolution: %dm\nheadroom: %s\n", res, headroom);
    if (shape & SH_EXO && rnd(2))
        put("efficiency: %d%%\n", 60 + 10 * rnd(5));
    if (shape & SH_EXO && rnd(3) == 0)
        put("utc_offset: \"+01:00\"\n");
    /* a day cycle named: then nothing may run on some days only */
    bool day_cycle = rnd(5) == 0 && !(shape & SH_WORKTHR);
    if (day_cycle)
        put("cycle: day\n");

    /* links: the core (servers' side), maybe a hub, a WAN per site */
    put("links:\n  - { name: core, capacity: %dMbps }\n", 60 + 20 * rnd(4));
    if (shape & SH_HUB)
        put("  - { name: hub, capacity: %dMbps }\n", 30 + 10 * rnd(3));
    int cap[MAXSITES];
    int overloaded = (shape & SH_OVERLOAD) ? rnd(nsite) : -1;
    for (int s = 0; s < nsite; s++) {
        cap[s] = pick((int[]){ 10, 20, 20, 30, 50 }, 5);
        put("  - name: wan%d\n    capacity: %dMbps\n", s, cap[s]);
        if (s == overloaded) {
            int from = 60 * (6 + rnd(4)), to = 60 * (16 + rnd(4));
            int rate = cap[s] * (80 + rnd(15)) / 100 + 1;
            const char *days = shape & SH_EXO && rnd(2) && !day_cycle
                               ? ", days: weekdays" : "";
            put("    background: [ { from: \"%s\", to: \"%s\", rate: %dMbps%s } ]\n",
                hm(from), hm(to), rate, days);
        } else if (shape & SH_BG && rnd(3)) {
            put("    background:\n");
            put("      - { from: \"08:00\", to: \"18:00\", rate: %dMbps }\n",
                1 + cap[s] * (10 + rnd(40)) / 100);
            if (rnd(3) == 0)
                put("      - { from: \"12:00\", to: \"13:00\", rate: %dMbps }\n",
                    1 + cap[s] * (5 + rnd(20)) / 100);
        }
    }

    /* computers: 1 to 3 per site (6 in all at most), each on a server */
    int nsrv = (shape & SH_MULTISERVER) ? 2 + rnd(2) : 1;
    if (shape & SH_MJ)
        nsrv = 1;
    int ncomp = 0, csite[MAXCOMP], csrv[MAXCOMP];
    for (int s = 0; s < nsite; s++) {
        int k = 1 + rnd(shape & SH_MULTICOMP ? 3 : 2);
        if (shape & SH_MJ && nsite == 1 && k < 2)
            k = 2;
        if (ncomp + k > MAXCOMP)
            k = MAXCOMP - ncomp;
        for (int i = 0; i < k; i++) {
            csite[ncomp] = s;
            csrv[ncomp] = rnd(nsrv);
            ncomp++;
        }
    }

    /* servers: behind the core, max_jobs below their computers at times */
    int srv_comps[3] = { 0 };
    for (int c = 0; c < ncomp; c++)
        srv_comps[csrv[c]]++;
    put("servers:\n");
    for (int v = 0; v < nsrv; v++) {
        put("  - { name: dpm%d, path: [core]", v);
        if (srv_comps[v] >= 2 && (rnd(10) < 7 || shape & SH_MJ))
            put(", max_jobs: %d", 1 + rnd(srv_comps[v] - 1));
        put(" }\n");
    }

    /* each computer's throttle, and the rate its churn is sized by */
    double rate[MAXCOMP];
    put("computers:\n");
    for (int c = 0; c < ncomp; c++) {
        int s = csite[c];
        put("  - { name: c%d, server: dpm%d, path: [wan%d%s], throttle: ", c,
            csrv[c], s, shape & SH_HUB && s < 2 ? ", hub" : "");
        int bottleneck = cap[s];
        if (shape & SH_HUB && s < 2 && bottleneck > 30)
            bottleneck = 30;
        int r = rnd(10);
        if (shape & SH_AUTO && r < 4) {
            put("auto }\n");
            rate[c] = bottleneck * 0.3;
        } else if (shape & SH_WORKTHR && r < 7) {
            double work = bottleneck * (20 + rnd(30)) / 100.0;
            double other = bottleneck * (50 + rnd(36)) / 100.0;
            const char *days = rnd(2) ? ", days: daily" : "";
            const char *offset = "";
            if (shape & SH_EXO && rnd(2))
                offset = rnd(2) ? ", utc_offset: \"-05:00\""
                                : ", utc_offset: \"+03:30\"";
            put("{ work: %.1fMbps, other: %.1fMbps, hours: \"08:00-18:00\"%s }%s }\n",
                work, other, days, offset);
            rate[c] = work;
        } else if (shape & SH_FIX85 && r < 8) {
            rate[c] = bottleneck * 0.85;
            put("%.1fMbps }\n", rate[c]);
        } else {
            rate[c] = bottleneck * (15 + rnd(50)) / 100.0;
            put("%.1fMbps }\n", rate[c]);
        }
    }

    /* groups: 1 to 4, each on one server, its sources on computers of
     * one site; at most two with express fulls (one with SH_MJ) */
    int ngroups = 1 + rnd(4);
    int napp = 0;
    put("groups:\n");
    for (int g = 0; g < ngroups; g++) {
        int c0 = rnd(ncomp), v = csrv[c0];
        int comps[MAXCOMP], nc = 0;
        comps[nc++] = c0;
        if (shape & SH_MULTICOMP)
            for (int c = 0; c < ncomp; c++)
                if (c != c0 && csrv[c] == v && csite[c] == csite[c0] &&
                    nc < 3 && rnd(3))
                    comps[nc++] = c;
        int app = (g == 0 || rnd(2)) && napp < 2;
        if (shape & SH_MJ)
            app = rnd(3) == 0 && napp < 1;
        int every;
        if (shape & SH_MJ)
            every = pick((int[]){ 30, 60, 60, 120 }, 4);
        else if (shape & SH_PERIODS)
            every = pick((int[]){ 15, 30, 60, 120 }, 4);
        else
            every = pick((int[]){ 15, 30 }, 2);
        if (every % res)
            every = 15;
        put("  - name: g%d\n", g);

        /* the syncs: every so often, or before recovery points */
        int brp = !app && (shape & SH_BRP) && rnd(2);
        if (brp) {
            int a = 60 * (7 + rnd(2)), b = 60 * 12 + 30 * rnd(2);
            int c = 60 * (17 + rnd(3));
            put("    sync: { before_recovery_point: true }\n");
            put("    recovery_points: { at: [\"%s\", \"%s\", \"%s\"] }\n",
                hm(a), hm(b), hm(c));
        } else {
            put("    sync: { every: %dm }\n", every);
            if (!app && rnd(3) == 0)
                put("    recovery_points: { at: [\"08:00\", \"17:00\"] }\n");
        }

        /* an application group's express fulls, one or two, with flex */
        if (app) {
            napp++;
            int flex = pick((int[]){ 0, 15, 30, 30, 45, 60 }, 6);
            if (res == 5 && flex > 30)
                flex = 15 + 5 * rnd(3);
            int evening = 60 * (18 + rnd(5));
            evening += res * rnd(4);
            if (shape & SH_TWOEF && rnd(4)) {
                int morning = 60 * (7 + rnd(6));
                put("    express_full: { at: [\"%s\", \"%s\"], flex: %dm }\n",
                    hm(morning), hm(evening), flex);
            } else {
                const char *days = "";
                if (shape & SH_EXO && rnd(2)) {
                    days = rnd(2) ? ", days: weekdays" : ", days: [mon, wed, fri]";
                    if (day_cycle)
                        days = "";
                }
                put("    express_full: { at: [\"%s\"], flex: %dm%s }\n",
                    hm(evening), flex, days);
            }
        }

        /* a consistency check's window: at night, or near the fulls */
        if (shape & SH_CC && rnd(3)) {
            int from = rnd(2) ? 60 * (22 + rnd(3)) : 60 * (1 + rnd(4));
            if (app && rnd(2))
                from = 60 * (17 + rnd(4));
            int len = res == 5 ? pick((int[]){ 30, 45, 60 }, 3)
                               : pick((int[]){ 60, 90, 120 }, 3);
            const char *days = "";
            if (shape & SH_EXO && rnd(2)) {
                days = rnd(2) ? ", days: weekend" : ", days: [sat]";
                if (day_cycle)
                    days = "";
            }
            put("    consistency_check: { from: \"%s\", to: \"%s\"%s }\n",
                hm(from), hm(from + len), days);
        }
        if (shape & SH_COMPR && rnd(2))
            put("    compression: %s\n", rnd(2) ? "true" : "45%");

        /* the sources: churn sized so that a sync takes a few percent
         * of its period at the computer's rate (a few slots) */
        put("    sources:\n");
        for (int i = 0; i < nc; i++) {
            int c = comps[i];
            double bytes_slot = rate[c] * 1e6 * 0.8 * res * 60 / 8;
            double period = brp ? 240 : every;
            double frac = (3 + rnd(23)) / 100.0;
            if (app)
                frac /= 2;
            if (shape & SH_MJ)
                frac = (2 + rnd(8)) / 100.0;
            double sync_bytes = bytes_slot * frac * period / res;
            double churn = sync_bytes * (1440.0 / period) / 1e9;  /* GB/day */
            if (brp)
                churn /= 4;
            if (churn < 0.01)
                churn = 0.01;
            const char *kind = "file";
            if (app)
                kind = rnd(2) ? "sql" : "exchange";
            put("      - { name: s%d, computer: c%d, kind: %s, size: 500GB, "
                "churn: %.2fGB/day", i, c, kind, churn);
            if (shape & SH_CC)
                put(", cc_volume: %.0fMB",
                    bytes_slot * (0.5 + rnd(30) / 10.0) / 1e6);
            if (app && rnd(8) == 0)
                put(", express_full_only: true");
            else if (shape & SH_EXO && app && rnd(3) == 0)
                put(", full_volume: %.0fMB",
                    bytes_slot * (0.5 + rnd(40) / 10.0) / 1e6);
            else if (shape & SH_EXO && rnd(4) == 0)
                put(", sync_volume: %.0fMB", sync_bytes / 1e6);
            put(" }\n");
        }
    }
}

/* ------------------------------------------------------------------ */
/* The decisions and their values, as docs/fleet-format.md ("What      */
/* planning chooses") lists them, in the planner's order: per group,   */
/* its sync offset, its express fulls, its consistency check.          */

#define MAXDEC 64
#define MAXVAL 2048

typedef struct {
    stg_dec_kind kind;
    int group;
    int ef_index;               /* express fulls: index into ef_at */
    int nvalues;
    int values[MAXVAL];         /* seconds */
} decision;

static decision dec[MAXDEC];
static int ndec;

/* The smallest gap between a group's recovery points, at most an hour. */
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

static void add_value(decision *d, int v)
{
    if (d->nvalues < MAXVAL)
        d->values[d->nvalues++] = v;
}

/* Fills dec[] for fleet f with settings s (their throttles fit the
 * checks).  Returns 0, or -1 when there are too many decisions. */
static int documented_domains(const stg_fleet *f, const stg_settings *s)
{
    int res = f->resolution;
    ndec = 0;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        bool has_sync = false, has_app = false;
        double cc_volume[MAXCOMP] = { 0 };   /* per computer */
        if (f->ncomputers > MAXCOMP || ndec + 2 + gr->nef > MAXDEC)
            return -1;
        for (int i = 0; i < gr->nsources; i++) {
            const stg_source *so = &f->sources[gr->sources[i]];
            if (!so->full_only && so->churn > 0)
                has_sync = true;
            if (so->kind != STG_SRC_FILE)
                has_app = true;
            cc_volume[so->computer] +=
                stg_source_cc_volume(so) * stg_group_wire(f, g);
        }
        /* the sync offset: 0 up to the period (the smallest gap
         * between recovery points, at most an hour, before them) */
        if (has_sync) {
            decision *d = &dec[ndec++];
            *d = (decision){ .kind = STG_DEC_SYNC, .group = g };
            int period = gr->before_rp ? smallest_rp_gap(gr) : gr->sync_every;
            for (int v = 0; v < period; v += res)
                add_value(d, v);
        }
        /* each express full: within its flex, inside its day */
        if (has_app)
            for (int e = 0; e < gr->nef; e++) {
                decision *d = &dec[ndec++];
                *d = (decision){ .kind = STG_DEC_EF, .group = g,
                                 .ef_index = s->ef_base[g] + e };
                int at = gr->ef_at[e];
                for (int v = at - gr->ef_flex; v <= at + gr->ef_flex; v += res)
                    if (v >= 0 && v <= STG_DAY - res)
                        add_value(d, v);
            }
        /* the check: each start inside its window from which the check,
         * sent alone at each computer's throttle on each of its days,
         * ends inside the window; the window's opening when none does */
        if (gr->has_cc) {
            bool any = false;
            for (int c = 0; c < f->ncomputers; c++)
                any |= cc_volume[c] > 0;
            if (!any)
                continue;
            decision *d = &dec[ndec++];
            *d = (decision){ .kind = STG_DEC_CC, .group = g };
            int end = gr->cc_from + stg_cc_window_len(gr);
            for (int v = gr->cc_from; v < end; v += res) {
                bool fits = true;
                for (int day = 0; day < f->cycle / STG_DAY && fits; day++) {
                    if (!(gr->cc_days & (1u << day)))
                        continue;
                    for (int c = 0; c < f->ncomputers && fits; c++) {
                        if (cc_volume[c] <= 0)
                            continue;
                        int t = (day * STG_DAY + v) % f->cycle;
                        int n = stg_transfer_slots(f, &s->throttle[c], t,
                                                   cc_volume[c]);
                        if (n < 0 || v + n * res > end)
                            fits = false;
                    }
                }
                if (fits)
                    add_value(d, v % STG_DAY);
            }
            if (d->nvalues == 0)
                add_value(d, gr->cc_from);
        }
    }
    return 0;
}

static double domain_product(void)
{
    double n = 1;
    for (int d = 0; d < ndec; d++)
        n *= dec[d].nvalues;
    return n;
}

static int *setting_of(stg_settings *s, const decision *d)
{
    switch (d->kind) {
    case STG_DEC_SYNC:
        return &s->sync_offset[d->group];
    case STG_DEC_EF:
        return &s->ef_at[d->ef_index];
    default:
        return &s->cc_start[d->group];
    }
}

/* Whether the planner's problem has the documented decisions and
 * values. */
static bool same_domains(const stg_problem *p)
{
    if (p->ndecisions != ndec)
        return false;
    for (int d = 0; d < ndec; d++) {
        const stg_decision *q = &p->dec[d];
        if ((int)q->kind != (int)dec[d].kind || q->group != dec[d].group ||
            q->nvalues != dec[d].nvalues)
            return false;
        for (int i = 0; i < q->nvalues; i++) {
            int v = q->kind == STG_DEC_CC ? q->values[i] % STG_DAY : q->values[i];
            if (v != dec[d].values[i])
                return false;
        }
    }
    return true;
}

/* ------------------------------------------------------------------ */
/* Enumeration: every combination of the values, simulated whole.      */

typedef struct {
    long schedules, backlogged;
    double best, best_nowait;   /* worst-link headroom; -HUGE_VAL: none */
    double *link_best, *link_best_nowait;
} best_found;

/* Returns 0, or -1 when out of memory. */
static int enumerate(const stg_fleet *f, const stg_settings *plan,
                     best_found *b)
{
    int idx[MAXDEC] = { 0 };
    stg_settings *s = stg_settings_copy(plan);
    if (!s)
        return -1;
    b->best = b->best_nowait = -HUGE_VAL;
    for (int l = 0; l < f->nlinks; l++)
        b->link_best[l] = b->link_best_nowait[l] = -HUGE_VAL;
    for (int d = 0; d < ndec; d++)
        *setting_of(s, &dec[d]) = dec[d].values[0];
    for (;;) {
        stg_sim *sim = NULL;
        stg_eval *ev = NULL;
        int rc = stg_sim_run(f, s, &sim);
        if (rc < 0 || !(ev = stg_eval_run(f, sim))) {
            stg_sim_free(sim);
            stg_settings_free(s);
            return -1;
        }
        b->schedules++;
        if (rc == 1) {
            b->backlogged++;    /* a computer never catches up */
        } else {
            bool waits = false;
            for (int c = 0; c < f->ncomputers; c++)
                waits |= sim->waited[c] > 0;
            b->best = fmax(b->best, ev->achieved);
            if (!waits)
                b->best_nowait = fmax(b->best_nowait, ev->achieved);
            for (int l = 0; l < f->nlinks; l++) {
                b->link_best[l] = fmax(b->link_best[l], ev->headroom[l]);
                if (!waits)
                    b->link_best_nowait[l] =
                        fmax(b->link_best_nowait[l], ev->headroom[l]);
            }
        }
        stg_eval_free(ev);
        stg_sim_free(sim);
        /* the next combination, the first decision fastest */
        int d = 0;
        for (; d < ndec; d++) {
            if (++idx[d] < dec[d].nvalues)
                break;
            idx[d] = 0;
        }
        if (d == ndec)
            break;
        for (int e = 0; e <= d; e++)
            *setting_of(s, &dec[e]) = dec[e].values[idx[e]];
    }
    stg_settings_free(s);
    return 0;
}

/* ------------------------------------------------------------------ */
/* One fleet, one family: plan, enumerate, compare.                    */

typedef struct {
    long generated, invalid, too_many, checked;
    long schedules, backlogged, violations;
    long status[3];             /* optimal, feasible, violates */
    long time_limit_hit;
    double seconds;
} tally;

static bool sabotage;
static double time_limit = 10;
static char family;
static uint64_t fleet_seed;
static long fleet_violations;

static void violation(const char *fmt, ...)
{
    va_list ap;
    printf("violation: family %c seed %llu: ", family,
           (unsigned long long)fleet_seed);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf(" (the fleet: stagger-soundness --write %llu FILE)\n",
           (unsigned long long)fleet_seed);
    fleet_violations++;
}

static void out_of_memory(void)
{
    fputs("stagger-soundness: out of memory\n", stderr);
    exit(EXIT_INTERNAL);
}

/* Whether b is below a by more than TOL, a being a headroom found. */
static bool below(double b, double a)
{
    return a > -HUGE_VAL && b < a - TOL;
}

static void check_fleet(uint64_t seed, long max_schedules, tally *t)
{
    fleet_seed = seed;
    fleet_violations = 0;
    t->generated++;
    generate(seed);
    stg_diags dg;
    stg_diags_init(&dg);
    stg_fleet *f = stg_fleet_read_buffer(text, text_len, &dg);
    bool invalid = !f || dg.errors;
    stg_diags_free(&dg);
    if (invalid) {
        t->invalid++;
        stg_fleet_free(f);
        return;
    }
    /* the size, first with the recommended throttles (no need to plan a
     * fleet too large to enumerate) */
    stg_problem *p0 = stg_problem_new(f, NULL);
    if (!p0)
        out_of_memory();
    double size = 1;
    for (int d = 0; d < p0->ndecisions; d++)
        size *= p0->dec[d].nvalues;
    stg_problem_free(p0);
    if (size > (double)max_schedules) {
        t->too_many++;
        stg_fleet_free(f);
        return;
    }

    /* plan */
    double t0 = stg_now();
    stg_plan_opts o;
    stg_plan_opts_init(&o);
    o.time_limit = time_limit;
    o.seed = seed;
    o.threads = 1;
    if (family == 'B') {
        o.exhaustive_max = 0;
        o.exact_budget = 1 + (long)(seed % 3) * 50;
    }
    stg_schedule *sc = NULL;
    char *cause = NULL;
    if (stg_plan(f, &o, &sc, &cause)) {
        fprintf(stderr, "stagger-soundness: family %c seed %llu: the plan "
                "failed: %s\n", family, (unsigned long long)seed,
                cause ? cause : "out of memory");
        exit(EXIT_INTERNAL);
    }
    if (stg_now() - t0 >= time_limit * 0.95)
        t->time_limit_hit++;

    /* the documented domains, with the plan's throttles */
    const stg_settings *ps = sc->settings;
    if (documented_domains(f, ps) || domain_product() > 2.0 * max_schedules) {
        t->too_many++;          /* (the plan's throttles moved the checks) */
        stg_schedule_free(sc);
        stg_fleet_free(f);
        return;
    }
    t->checked++;
    if ((int)sc->status >= 0 && (int)sc->status < 3)
        t->status[sc->status]++;
    bool plan_backlog = false;
    for (int i = 0; i < sc->eval->nviolations; i++)
        plan_backlog |= sc->eval->violations[i].kind == STG_VIOL_BACKLOG;

    /* the planner's domains, and its cheap bounds */
    int L = f->nlinks;
    double *cheap = calloc((size_t)L, sizeof *cheap);
    double *cheap_nowait = calloc((size_t)L, sizeof *cheap_nowait);
    best_found b = { 0 };
    b.link_best = calloc((size_t)L, sizeof *b.link_best);
    b.link_best_nowait = calloc((size_t)L, sizeof *b.link_best_nowait);
    stg_problem *pp = stg_problem_for_plan(f, ps);
    if (!cheap || !cheap_nowait || !b.link_best || !b.link_best_nowait ||
        !pp || stg_bound_links(pp, 0, NULL, NULL, cheap) ||
        stg_bound_links(pp, STG_BOUND_NO_WAIT, NULL, NULL, cheap_nowait))
        out_of_memory();
    if (!same_domains(pp))
        violation("the planner's decisions or values differ from "
                  "docs/fleet-format.md's");
    stg_problem_free(pp);

    /* the plan's values lie in the domains */
    stg_settings *plan_copy = stg_settings_copy(ps);
    if (!plan_copy)
        out_of_memory();
    for (int d = 0; d < ndec; d++) {
        int v = *setting_of(plan_copy, &dec[d]);
        bool in = false;
        for (int i = 0; i < dec[d].nvalues; i++)
            in |= dec[d].values[i] == v;
        if (!in)
            violation("group %s: the plan's value %d s (decision %d) is "
                      "outside its documented values",
                      f->groups[dec[d].group].name, v, d);
    }
    stg_settings_free(plan_copy);

    if (enumerate(f, ps, &b))
        out_of_memory();
    t->schedules += b.schedules;
    t->backlogged += b.backlogged;

    /* compare */
    for (int l = 0; l < L; l++) {
        const char *name = f->links[l].name;
        double bound = sc->link_bound[l];
        double bound_nw = sc->link_bound_nowait ? sc->link_bound_nowait[l]
                                                : bound;
        if (sabotage) {
            bound -= SABOTAGE;
            bound_nw -= SABOTAGE;
        }
        if (!plan_backlog && below(bound, sc->eval->headroom[l]))
            violation("link %s: bound %.4f%% below the plan's own headroom "
                      "%.4f%%", name, 100 * bound, 100 * sc->eval->headroom[l]);
        if (below(bound, b.link_best[l]))
            violation("link %s: bound %.4f%% below %.4f%%, reached by a "
                      "schedule", name, 100 * bound, 100 * b.link_best[l]);
        if (below(bound_nw, b.link_best_nowait[l]))
            violation("link %s: bound_without_waits %.4f%% below %.4f%%, "
                      "reached by a schedule without waits", name,
                      100 * bound_nw, 100 * b.link_best_nowait[l]);
        if (below(cheap[l], b.link_best[l]))
            violation("link %s: stg_bound_links %.4f%% below %.4f%%, "
                      "reached by a schedule", name, 100 * cheap[l],
                      100 * b.link_best[l]);
        if (below(cheap_nowait[l], b.link_best_nowait[l]))
            violation("link %s: stg_bound_links without waits %.4f%% below "
                      "%.4f%%, reached by a schedule without waits", name,
                      100 * cheap_nowait[l], 100 * b.link_best_nowait[l]);
    }
    if (below(sc->bound, b.best))
        violation("headroom.bound %.4f%% below %.4f%%, reached by a schedule",
                  100 * sc->bound, 100 * b.best);
    if (below(sc->bound_nowait, b.best_nowait))
        violation("headroom.bound_without_waits %.4f%% below %.4f%%, reached "
                  "by a schedule without waits", 100 * sc->bound_nowait,
                  100 * b.best_nowait);
    if (!plan_backlog && b.best > -HUGE_VAL &&
        sc->eval->achieved > b.best + TOL)
        violation("the plan's headroom %.4f%% is above every schedule's "
                  "(%.4f%%): the enumeration missed one",
                  100 * sc->eval->achieved, 100 * b.best);
    if (sc->status == STG_STATUS_OPTIMAL) {
        if (below(sc->eval->achieved, b.best))
            violation("status optimal, headroom %.4f%% below %.4f%%, reached "
                      "by a schedule", 100 * sc->eval->achieved, 100 * b.best);
        if (fabs(sc->bound - sc->eval->achieved) > TOL)
            violation("status optimal, headroom %.4f%% but bound %.4f%%",
                      100 * sc->eval->achieved, 100 * sc->bound);
    }
    t->violations += fleet_violations;

    free(cheap);
    free(cheap_nowait);
    free(b.link_best);
    free(b.link_best_nowait);
    stg_schedule_free(sc);
    stg_fleet_free(f);
}

/* ------------------------------------------------------------------ */

static bool parse_long(const char *s, long lo, long *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo)
        return false;
    *out = v;
    return true;
}

static int write_fleet(const char *seed_arg, const char *path)
{
    long seed;
    if (!parse_long(seed_arg, 0, &seed)) {
        fputs(usage_text, stderr);
        return EXIT_USAGE;
    }
    generate((uint64_t)seed);
    FILE *fp = fopen(path, "w");
    if (!fp || fwrite(text, 1, text_len, fp) != text_len || fclose(fp)) {
        fprintf(stderr, "stagger-soundness: cannot write %s\n", path);
        return EXIT_USAGE;
    }
    return 0;
}

int main(int argc, char **argv)
{
    long seed = 1, fleets = 100, max_schedules = 200000;
    const char *families = "AB";
    for (int a = 1; a < argc; a++) {
        const char *opt = argv[a], *arg = a + 1 < argc ? argv[a + 1] : NULL;
        bool ok = arg != NULL;
        if (strcmp(opt, "--write") == 0 && a + 3 == argc)
            return write_fleet(argv[a + 1], argv[a + 2]);
        if (ok && strcmp(opt, "--seed") == 0)
            ok = parse_long(arg, 0, &seed);
        else if (ok && strcmp(opt, "--fleets") == 0)
            ok = parse_long(arg, 0, &fleets);
        else if (ok && strcmp(opt, "--max-schedules") == 0)
            ok = parse_long(arg, 1, &max_schedules);
        else if (ok && strcmp(opt, "--time-limit") == 0) {
            char *end;
            time_limit = strtod(arg, &end);
            ok = end != arg && !*end && time_limit > 0;
        } else if (ok && strcmp(opt, "--family") == 0) {
            families = arg;
            ok = strcmp(arg, "A") == 0 || strcmp(arg, "B") == 0;
        } else
            ok = false;
        if (!ok) {
            fputs(usage_text, stderr);
            return EXIT_USAGE;
        }
        a++;
    }
    const char *sab = getenv("STAGGER_SOUNDNESS_SABOTAGE");
    sabotage = sab && *sab && strcmp(sab, "0") != 0;
    setvbuf(stdout, NULL, _IOLBF, 0);

    long total_fleets = 0, total_schedules = 0, total_violations = 0;
    for (const char *fam = families; *fam; fam++) {
        family = *fam;
        tally t = { 0 };
        double t0 = stg_now();
        for (long i = 0; i < fleets; i++)
            check_fleet((uint64_t)seed + (uint64_t)i, max_schedules, &t);
        t.seconds = stg_now() - t0;
        printf("family %c: seeds %ld..%ld, %ld generated, %ld invalid, %ld "
               "with more than %ld schedules; %ld fleets checked (%ld "
               "optimal, %ld feasible, %ld violates; %ld at the %g s time "
               "limit), %ld schedules simulated (%ld backlogged, left out), "
               "%ld violations, %.1f s%s\n",
               family, seed, seed + fleets - 1, t.generated, t.invalid,
               t.too_many, max_schedules, t.checked, t.status[0],
               t.status[1], t.status[2], t.time_limit_hit, time_limit,
               t.schedules, t.backlogged, t.violations, t.seconds,
               sabotage ? " (sabotaged: every link bound lowered by 5 points)"
                        : "");
        total_fleets += t.checked;
        total_schedules += t.schedules;
        total_violations += t.violations;
    }
    printf("fleets %ld, schedules %ld, violations %ld\n", total_fleets,
           total_schedules, total_violations);
    return total_violations ? EXIT_VIOLATION : 0;
}
