/* stagger-verify: an independent check of a schedule file (schedule.md)
 * against the fleet it was planned for (fleet.md).
 *
 *   stagger-verify [--quiet] FLEET SCHEDULE
 *
 * This program is the trust anchor of the project's tests, so it shares
 * as little as possible with what it checks: it reads the fleet with the
 * fleet reader and the unit parsers, and nothing else of the project --
 * not the simulation, the evaluator, the job derivation, the settings,
 * the solver or the schedule reader.  It parses the schedule itself with
 * libyaml's document API and, from the listed transfers alone, rebuilds
 * every computer's busy slots and every link's load at every slot:
 *
 *   busy(c, s)  = 1 when slot s lies in [start, end) of one of c's transfers
 *   load(l, s)  = background(l, s)
 *               + sum of throttle(c, s) over busy computers c whose full
 *                 path (own path, then its server's) contains l
 *
 * Then it compares what the file claims with what it recomputes:
 *
 *   links      peak, lowest headroom and its first slot, per link
 *   headroom   achieved / link / at (the worst link), required
 *   status     violates <=> a rule is broken (or violations are listed);
 *              optimal => achieved == bound; bounds are not below what
 *              this schedule achieves (unless a computer is listed as a
 *              backlog violation: the bounds hold for schedules in which
 *              every computer catches up); a bound without waits is not above
 *              the bound, nor below what this schedule achieves when no
 *              computer waits in it (for a max_jobs place: idle while it
 *              holds a released, unfinished transfer)
 *   settings   each group's sync / express-full / check settings obey the
 *              fleet (periods, ranges, flex, windows); a computer throttled
 *              in the fleet keeps its throttle (only auto ones are planned)
 *   releases   every transfer is released at a time its group's settings
 *              release a job of its kind
 *   volumes    per group, computer and kind the volumes add up to the
 *              load model's volume per cycle (express fulls: the changes
 *              since the previous one, or since the group's check when
 *              the schedule releases one in between); on a server the
 *              file warns alternates between two cycles ("# warning: the
 *              queues of server NAME alternate") or with a computer
 *              listed as a backlog violation, not checked: no cycle
 *              repeats there, and the one shown is what it sent, each
 *              transfer cut to it, not a cycle's volume
 *   durations  each transfer's slots at its computer's throttle carry its
 *              volume, without an idle slot padded at the end, and a
 *              computer's transfers do not overlap (beyond the one slot a
 *              finishing and a starting transfer may share)
 *   idle       a computer is never idle while it holds a released,
 *              unfinished transfer (not checked under a max_jobs server,
 *              where waiting is allowed)
 *   lag        each group's lag is its longest sync release-to-end (at
 *              least that on a server whose cycle is shown cut, where a
 *              transfer still sending at the cycle's end is listed up to
 *              it); a group over its max_lag, or a check ending past its
 *              window, needs status violates
 *
 * Every mismatch is one line on stdout,
 *   stagger-verify: <what>: claimed X, recomputed Y
 * (at most MAX_LINES per check; the rest are counted), then a summary.
 * --quiet prints nothing but the messages about unreadable input.
 *
 * Exit status: 0 all holds, 1 mismatches found, 2 unreadable input or
 * wrong usage, 3 out of memory (or a block left allocated at exit).
 *
 * Tolerances: percentages are printed with one decimal (0.05 points),
 * volumes with three decimals in their unit (0.2% on a sum), durations
 * are checked to 0.5%. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "io/read/units.h"
#include "model/alloc.h"
#include "model/diag.h"
#include "model/fleet.h"

#define PCT_TOL (0.0005 + 1e-9) /* one printed decimal of a percentage */
#define VOL_TOL 0.002           /* relative, on a sum of volumes */
#define DUR_TOL 0.005           /* relative, transfer volume vs capacity */
#define EPS 1e-9                /* equal loads (fractions of capacity) */
#define MAX_LINES 20            /* problem lines printed per check */

/* ------------------------------------------------------------------ */
/* What the schedule file says                                         */

enum { K_SYNC, K_EF, K_CC, NKINDS };
static const char *const kind_names[NKINDS] = {
    "sync", "express_full", "consistency_check"
};

/* The checks, for counting and for capping the lines each prints. */
enum {
    C_LINKS, C_HEADROOM, C_STATUS, C_SETTINGS, C_RELEASES, C_VOLUMES,
    C_DURATIONS, C_IDLE, C_LAG, C_NAMES, NCHECKS
};
static const char *const check_names[NCHECKS] = {
    "links", "headroom", "status", "settings", "releases", "volumes",
    "durations", "idle", "lag", "names"
};

typedef struct {
    int group, computer, kind;  /* indices into the fleet; kind K_* */
    int release;                /* seconds after the cycle start, [0, cycle) */
    int start, end;             /* unwrapped: release <= start < end */
    double volume;              /* bytes */
    int line;                   /* in the schedule file */
} xfer;

typedef enum { T_UNSET, T_RATE, T_WORK, T_NONE } thr_kind;

typedef struct {                /* a computer's throttle as the schedule sets it */
    thr_kind kind;
    double rate;                /* T_RATE; T_NONE: the path's bottleneck */
    double work, other;         /* T_WORK */
    int from, to;               /* T_WORK hours, seconds of day */
    unsigned days;
} thr;

typedef struct {                /* a group's settings as the schedule writes them */
    int present;
    int has_sync, before_rp, every, offset;
    int *rp;                    /* recovery points, seconds of day */
    int nrp;
    int *ef_at;                 /* express fulls: time of day and days */
    unsigned *ef_days;
    int nef;
    int has_cc, cc_start;       /* seconds of day, or cycle time when cc_day */
    int cc_day;                 /* the start named its day ("sat 22:00") */
    int has_lag, lag;
} gset;

typedef struct {
    int present;
    double capacity, peak, headroom, bound, nowait;
    int at, has_bound, has_nowait;
} lclaim;

typedef struct {
    const stg_fleet *f;
    const char *fleet_path, *path;
    int quiet;
    int cycle, res, nslots;
    long nproblems;
    long per_check[NCHECKS];

    /* claims */
    char *status;
    double required, achieved, bound, nowait;
    int has_bound, has_nowait;
    int waited;                 /* recomputed: a computer waits somewhere */
    char *worst_link;
    int worst_at;
    int nviolations;
    gset *groups;               /* per fleet group */
    thr *thr;                   /* per fleet computer */
    lclaim *links;              /* per fleet link */
    xfer *x;
    int nx;
    size_t xcap;
    stg_fleet_names *names;     /* made at the first transfer */

    /* recomputed */
    int **fullpath;             /* per computer: link indices */
    int *nfullpath;
    unsigned char *busy;        /* ncomputers x nslots */
    double *load;               /* nlinks x nslots, bps */
    double *lowest;             /* per link: lowest headroom (fraction) */
    int *lowest_at;             /* per link: first slot of it */
    double worst;               /* the worst link's lowest headroom */
    unsigned char *alternates;  /* per server: the file warns that its
                                   queues alternate between two cycles */
    unsigned char *unsettled;   /* per server: a computer of it is listed
                                   as a backlog violation */
    int backlog;                /* some computer is */
} verifier;

/* ------------------------------------------------------------------ */
/* Reporting                                                           */

static void problem(verifier *v, int check, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void problem(verifier *v, int check, const char *fmt, ...)
{
    va_list ap;

    v->nproblems++;
    v->per_check[check]++;
    if (v->quiet || v->per_check[check] > MAX_LINES)
        return;
    fputs("stagger-verify: ", stdout);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

/* An unreadable schedule: file:line:col: message, on stderr. */
static int bad(verifier *v, const yaml_node_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad(verifier *v, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;

    if (n)
        fprintf(stderr, "stagger-verify: %s:%lu:%lu: ", v->path,
                (unsigned long)n->start_mark.line + 1,
                (unsigned long)n->start_mark.column + 1);
    else
        fprintf(stderr, "stagger-verify: %s: ", v->path);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return -1;
}

static const char *const day_names[7] = {
    "mon", "tue", "wed", "thu", "fri", "sat", "sun"
};

/* A cycle time the way the schedule writes it ("20:05", "mon 20:05"). */
static const char *fmt_time(const verifier *v, int t, char *buf, size_t size)
{
    t %= v->cycle;
    if (t < 0)
        t += v->cycle;
    if (v->cycle == STG_WEEK)
        snprintf(buf, size, "%s %02d:%02d", day_names[t / STG_DAY],
                 t % STG_DAY / 3600, t % 3600 / 60);
    else
        snprintf(buf, size, "%02d:%02d", t / 3600, t % 3600 / 60);
    return buf;
}

/* A time of day, "HH:MM". */
static const char *tod_str(int t, char *buf, size_t size)
{
    snprintf(buf, size, "%02d:%02d", t % STG_DAY / 3600, t % 3600 / 60);
    return buf;
}

/* ------------------------------------------------------------------ */
/* Time arithmetic                                                     */

static int mod(long a, long m)
{
    long r = a % m;
    return (int)(r < 0 ? r + m : r);
}

/* True when a daily window [from, to) on the given days covers cycle
 * time t.  to <= from wraps past midnight (from == to: the whole day)
 * and belongs to the day it starts on; a week cycle starts Monday 00:00
 * and a window that runs past its end continues at its start.  In a
 * day cycle the days do not matter.  *end (may be NULL) receives the end
 * of the covering window, in the same frame as t (it may pass the
 * cycle end). */
static int window_covers(int cycle, int from, int to, unsigned days, int t,
                         long *end)
{
    int ndays = cycle / STG_DAY;
    long len = to > from ? to - from : to - from + STG_DAY;

    for (int d = 0; d < ndays; d++) {
        if (cycle == STG_WEEK && !(days & (1u << d)))
            continue;
        long ws = (long)d * STG_DAY + from, we = ws + len;
        /* t itself, or t seen one cycle later (a window wrapping the end) */
        for (long shift = 0; shift <= cycle; shift += cycle) {
            if (ws <= t + shift && t + shift < we) {
                if (end)
                    *end = we - shift;
                return 1;
            }
        }
    }
    return 0;
}

/* Background of a link at cycle time t (bps). */
static double background(const verifier *v, const stg_link *l, int t)
{
    double bg = 0;
    for (int i = 0; i < l->nbackground; i++) {
        const stg_timed_rate *w = &l->background[i];
        if (window_covers(v->cycle, w->from, w->to, w->days, t, NULL))
            bg += w->rate;
    }
    return bg;
}

/* A computer's throttle at cycle time t (bps): t is on the DPM
 * servers' clock (the fleet's utc_offset), its work hours on the
 * computer's own (its utc_offset, else the fleet's). */
static double throttle(const verifier *v, int c, int t)
{
    const thr *th = &v->thr[c];
    const stg_computer *cp = &v->f->computers[c];
    int own = cp->utc_offset_set ? cp->utc_offset : v->f->utc_offset;
    int local = mod(t + own - v->f->utc_offset, v->cycle);
    switch (th->kind) {
    case T_WORK:
        return window_covers(v->cycle, th->from, th->to, th->days, local, NULL)
                   ? th->work : th->other;
    case T_RATE:
    case T_NONE:
        return th->rate;
    case T_UNSET:
        break;
    }
    return 0;
}

/* Bytes computer c moves in the slots [a, b) (unwrapped seconds). */
static double capacity(const verifier *v, int c, long a, long b)
{
    double bytes = 0;
    for (long t = a; t < b; t += v->res)
        bytes += throttle(v, c, mod(t, v->cycle)) * v->f->efficiency
                 * v->res / 8.0;
    return bytes;
}

/* ------------------------------------------------------------------ */
/* Parsing scalars                                                     */

static const char *str(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE
               ? (const char *)n->data.scalar.value : NULL;
}

static yaml_node_t *get(yaml_document_t *doc, const yaml_node_t *map,
                        const char *key)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return NULL;
    for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
         p < map->data.mapping.pairs.top; p++) {
        const char *k = str(yaml_document_get_node(doc, p->key));
        if (k && strcmp(k, key) == 0)
            return yaml_document_get_node(doc, p->value);
    }
    return NULL;
}

static int seq_len(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE
               ? (int)(n->data.sequence.items.top - n->data.sequence.items.start)
               : 0;
}

static yaml_node_t *seq_at(yaml_document_t *doc, const yaml_node_t *n, int i)
{
    return yaml_document_get_node(doc, n->data.sequence.items.start[i]);
}

/* "HH:MM" or "HH:MM:SS" into seconds of day; *rest points past it. */
static int parse_clock_prefix(const char *s, int *out, const char **rest)
{
    int h, m, sec = 0, n = 0;

    if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || n < 4)
        return -1;
    s += n;
    if (*s == ':') {
        int k = 0;
        if (sscanf(s, ":%2d%n", &sec, &k) != 1 || k != 3)
            return -1;
        s += k;
    }
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return -1;
    *out = h * 3600 + m * 60 + sec;
    *rest = s;
    return 0;
}

static int parse_clock(const char *s, int *out)
{
    const char *rest;
    return s && parse_clock_prefix(s, out, &rest) == 0 && *rest == '\0'
               ? 0 : -1;
}

static int parse_day(const char *s, size_t n)
{
    for (int d = 0; d < 7; d++)
        if (n == 3 && strncmp(s, day_names[d], 3) == 0)
            return d;
    return -1;
}

/* A cycle time: "HH:MM" in a day cycle, "mon HH:MM" in a week cycle.
 * *has_day tells whether a day was written (may be NULL). */
static int parse_cycle_time(const verifier *v, const char *s, int *out,
                            int *has_day)
{
    int day = 0, tod;
    const char *rest;

    if (!s)
        return -1;
    if (s[0] && s[1] && s[2] && s[3] == ' ') {
        if ((day = parse_day(s, 3)) < 0 || v->cycle != STG_WEEK)
            return -1;
        s += 4;
        if (has_day)
            *has_day = 1;
    } else {
        if (v->cycle == STG_WEEK && !has_day)
            return -1;
        if (has_day)
            *has_day = 0;
    }
    if (parse_clock_prefix(s, &tod, &rest) < 0 || *rest)
        return -1;
    *out = day * STG_DAY + tod;
    return 0;
}

/* "23.4%" (negative allowed: a saturated link) into a fraction. */
static int parse_pct(const char *s, double *out)
{
    char *end;

    if (!s)
        return -1;
    *out = strtod(s, &end) / 100.0;
    return end != s && strcmp(end, "%") == 0 ? 0 : -1;
}

/* Days: a name, "daily", "weekdays", "weekend", or a list of names. */
static int parse_days(yaml_document_t *doc, const yaml_node_t *n,
                      unsigned *out)
{
    const char *s = str(n);

    *out = 0;
    if (s) {
        if (strcmp(s, "daily") == 0)
            *out = STG_DAILY;
        else if (strcmp(s, "weekdays") == 0)
            *out = STG_WEEKDAYS;
        else if (strcmp(s, "weekend") == 0)
            *out = STG_WEEKEND;
        else if (parse_day(s, strlen(s)) >= 0)
            *out = 1u << parse_day(s, strlen(s));
        else
            return -1;
        return 0;
    }
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return -1;
    for (int i = 0; i < seq_len(n); i++) {
        unsigned one;
        if (parse_days(doc, seq_at(doc, n, i), &one) < 0)
            return -1;
        *out |= one;
    }
    return *out ? 0 : -1;
}

static int parse_rate(const char *s, double *out)
{
    stg_unit_err err;
    return s && stg_parse_rate(s, out, &err) == 0 ? 0 : -1;
}

static int parse_size(const char *s, double *out)
{
    stg_unit_err err;
    return s && stg_parse_size(s, out, &err) == 0 ? 0 : -1;
}

static int parse_duration(const char *s, int *out)
{
    stg_unit_err err;
    return s && stg_parse_duration(s, out, &err) == 0 ? 0 : -1;
}

/* ------------------------------------------------------------------ */
/* Reading the schedule                                                */

/* A required scalar child of a mapping, or an error naming it. */
static const char *need(verifier *v, yaml_document_t *doc,
                        const yaml_node_t *map, const char *key)
{
    const char *s = str(get(doc, map, key));
    if (!s)
        bad(v, map, "missing %s", key);
    return s;
}

static int read_headroom(verifier *v, yaml_document_t *doc,
                         const yaml_node_t *h)
{
    const char *s;

    if (!h || h->type != YAML_MAPPING_NODE)
        return bad(v, h, "headroom must be a mapping");
    if (parse_pct(need(v, doc, h, "required"), &v->required) < 0 ||
        parse_pct(need(v, doc, h, "achieved"), &v->achieved) < 0)
        return bad(v, h, "headroom.required and achieved must be percentages");
    /* link and at name the worst link; a fleet without links has none */
    if ((s = str(get(doc, h, "link")))) {
        if (!(v->worst_link = stg_strdup(s)))
            return -3;
        if (parse_cycle_time(v, need(v, doc, h, "at"), &v->worst_at, NULL) < 0)
            return bad(v, h, "headroom.at must be a cycle time");
    }
    if ((s = str(get(doc, h, "bound")))) {
        if (parse_pct(s, &v->bound) < 0)
            return bad(v, h, "headroom.bound must be a percentage");
        v->has_bound = 1;
    }
    if ((s = str(get(doc, h, "bound_without_waits")))) {
        if (parse_pct(s, &v->nowait) < 0)
            return bad(v, h, "headroom.bound_without_waits must be a percentage");
        v->has_nowait = 1;
    }
    return 0;
}

static int read_group(verifier *v, yaml_document_t *doc, const yaml_node_t *n)
{
    const char *name = need(v, doc, n, "name");
    yaml_node_t *sync, *rp, *ef, *cc;
    gset *g;
    int gi;

    if (!name)
        return -1;
    if ((gi = stg_fleet_group(v->f, name)) < 0) {
        problem(v, C_NAMES, "group %s: claimed in the schedule, recomputed "
                "not in the fleet", name);
        return 0;
    }
    g = &v->groups[gi];
    g->present = 1;
    if ((sync = get(doc, n, "sync"))) {
        const char *brp = str(get(doc, sync, "before_recovery_point"));
        g->has_sync = 1;
        if (brp && strcmp(brp, "true") == 0) {
            g->before_rp = 1;
        } else if (parse_duration(str(get(doc, sync, "every")), &g->every) < 0
                   || parse_duration(str(get(doc, sync, "offset")),
                                     &g->offset) < 0 || g->every <= 0) {
            return bad(v, sync, "sync must give every and offset durations");
        }
    }
    if ((rp = get(doc, n, "recovery_points"))) {
        g->nrp = seq_len(rp);
        if (g->nrp && !(g->rp = stg_calloc((size_t)g->nrp, sizeof *g->rp)))
            return -3;
        for (int i = 0; i < g->nrp; i++)
            if (parse_clock(str(seq_at(doc, rp, i)), &g->rp[i]) < 0)
                return bad(v, seq_at(doc, rp, i), "recovery point must be HH:MM");
    }
    if ((ef = get(doc, n, "express_full"))) {
        g->nef = seq_len(ef);
        if (g->nef && (!(g->ef_at = stg_calloc((size_t)g->nef, sizeof *g->ef_at))
                       || !(g->ef_days = stg_calloc((size_t)g->nef,
                                                    sizeof *g->ef_days))))
            return -3;
        for (int i = 0; i < g->nef; i++) {
            yaml_node_t *e = seq_at(doc, ef, i), *days = get(doc, e, "days");
            if (parse_clock(str(get(doc, e, "at")), &g->ef_at[i]) < 0)
                return bad(v, e, "express_full needs at: HH:MM");
            if (!days)
                g->ef_days[i] = STG_DAILY;
            else if (parse_days(doc, days, &g->ef_days[i]) < 0)
                return bad(v, days, "express_full days must be day names");
        }
    }
    if ((cc = get(doc, n, "consistency_check"))) {
        g->has_cc = 1;
        if (parse_cycle_time(v, str(get(doc, cc, "start")), &g->cc_start,
                             &g->cc_day) < 0)
            return bad(v, cc, "consistency_check needs start: HH:MM");
    }
    if (get(doc, n, "lag")) {
        if (parse_duration(str(get(doc, n, "lag")), &g->lag) < 0)
            return bad(v, get(doc, n, "lag"), "lag must be a duration");
        g->has_lag = 1;
    }
    return 0;
}

/* The path's bottleneck: what an unthrottled computer takes. */
static double bottleneck(const verifier *v, int c)
{
    double b = HUGE_VAL;
    for (int i = 0; i < v->nfullpath[c]; i++)
        if (v->f->links[v->fullpath[c][i]].capacity < b)
            b = v->f->links[v->fullpath[c][i]].capacity;
    return b;
}

static int read_computer(verifier *v, yaml_document_t *doc,
                         const yaml_node_t *n)
{
    const char *name = need(v, doc, n, "name");
    yaml_node_t *t = get(doc, n, "throttle");
    const char *s = str(t);
    thr *th;
    int ci;

    if (!name)
        return -1;
    if ((ci = stg_fleet_computer(v->f, name)) < 0) {
        problem(v, C_NAMES, "computer %s: claimed in the schedule, "
                "recomputed not in the fleet", name);
        return 0;
    }
    th = &v->thr[ci];
    if (s && strcmp(s, "none") == 0) {
        th->kind = T_NONE;
        th->rate = bottleneck(v, ci);
    } else if (s) {
        if (parse_rate(s, &th->rate) < 0)
            return bad(v, t, "throttle must be a rate, none, or "
                       "{work, other, hours, days}");
        th->kind = T_RATE;
    } else if (t && t->type == YAML_MAPPING_NODE) {
        const char *hours = str(get(doc, t, "hours"));
        const char *dash = hours ? strchr(hours, '-') : NULL;
        char from[16];
        yaml_node_t *days = get(doc, t, "days");

        th->kind = T_WORK;
        if (parse_rate(str(get(doc, t, "work")), &th->work) < 0 ||
            parse_rate(str(get(doc, t, "other")), &th->other) < 0 || !dash ||
            (size_t)(dash - hours) >= sizeof from)
            return bad(v, t, "throttle needs work and other rates and hours "
                       "\"HH:MM-HH:MM\"");
        memcpy(from, hours, (size_t)(dash - hours));
        from[dash - hours] = '\0';
        if (parse_clock(from, &th->from) < 0 || parse_clock(dash + 1, &th->to) < 0)
            return bad(v, t, "throttle hours must be \"HH:MM-HH:MM\"");
        th->days = STG_DAILY;
        if (days && parse_days(doc, days, &th->days) < 0)
            return bad(v, days, "throttle days must be day names");
    } else {
        return bad(v, n, "computer %s has no throttle", name);
    }
    return 0;
}

static int read_link(verifier *v, yaml_document_t *doc, const yaml_node_t *n)
{
    const char *name = need(v, doc, n, "name");
    const char *b;
    lclaim *l;
    int li;

    if (!name)
        return -1;
    if ((li = stg_fleet_link(v->f, name)) < 0) {
        problem(v, C_NAMES, "link %s: claimed in the schedule, recomputed "
                "not in the fleet", name);
        return 0;
    }
    l = &v->links[li];
    l->present = 1;
    if (parse_rate(need(v, doc, n, "capacity"), &l->capacity) < 0 ||
        parse_pct(need(v, doc, n, "peak"), &l->peak) < 0 ||
        parse_pct(need(v, doc, n, "headroom"), &l->headroom) < 0 ||
        parse_cycle_time(v, need(v, doc, n, "at"), &l->at, NULL) < 0)
        return bad(v, n, "link %s needs capacity, peak, headroom and at", name);
    if ((b = str(get(doc, n, "bound")))) {
        if (parse_pct(b, &l->bound) < 0)
            return bad(v, n, "link %s: bound must be a percentage", name);
        l->has_bound = 1;
    }
    if ((b = str(get(doc, n, "bound_without_waits")))) {
        if (parse_pct(b, &l->nowait) < 0)
            return bad(v, n, "link %s: bound_without_waits must be a "
                       "percentage", name);
        l->has_nowait = 1;
    }
    return 0;
}

static int read_transfer(verifier *v, yaml_document_t *doc,
                         const yaml_node_t *n)
{
    const char *group = need(v, doc, n, "group");
    const char *computer = need(v, doc, n, "computer");
    const char *kind = need(v, doc, n, "kind");
    int release, start, end;
    xfer x;

    if (!group || !computer || !kind)
        return -1;
    memset(&x, 0, sizeof x);
    x.line = (int)n->start_mark.line + 1;
    x.kind = -1;
    for (int k = 0; k < NKINDS; k++)
        if (strcmp(kind, kind_names[k]) == 0)
            x.kind = k;
    if (x.kind < 0)
        return bad(v, n, "transfer kind must be sync, express_full or "
                   "consistency_check");
    if (parse_cycle_time(v, need(v, doc, n, "release"), &release, NULL) < 0 ||
        parse_cycle_time(v, need(v, doc, n, "start"), &start, NULL) < 0 ||
        parse_cycle_time(v, need(v, doc, n, "end"), &end, NULL) < 0)
        return bad(v, n, "transfer needs release, start and end cycle times");
    if (parse_size(need(v, doc, n, "volume"), &x.volume) < 0)
        return bad(v, n, "transfer volume must be a size");
    if (release % v->res || start % v->res || end % v->res)
        return bad(v, n, "transfer times must be slot boundaries");
    if (!v->names && !(v->names = stg_fleet_names_new(v->f)))
        return -3;
    x.group = stg_fleet_names_group(v->names, group);
    x.computer = stg_fleet_names_computer(v->names, computer);
    if (x.group < 0 || x.computer < 0) {
        problem(v, C_NAMES, "transfer (line %d): claimed group %s computer "
                "%s, recomputed not in the fleet", x.line, group, computer);
        return 0;
    }
    /* Unwrap: the start follows the release, the end follows the start
     * (end <= start: the transfer ran past the cycle end). */
    x.release = release;
    x.start = release + mod(start - release, v->cycle);
    x.end = x.start + mod(end - x.start - 1, v->cycle) + 1;
    if (stg_grow((void **)&v->x, &v->xcap, (size_t)v->nx + 1, sizeof x) < 0)
        return -3;
    v->x[v->nx++] = x;
    return 0;
}

/* Calls fn on each item of a sequence (a missing key is an empty list). */
static int each(verifier *v, yaml_document_t *doc, const yaml_node_t *root,
                const char *key,
                int (*fn)(verifier *, yaml_document_t *, const yaml_node_t *))
{
    yaml_node_t *list = get(doc, root, key);
    int rc;

    if (!list)
        return 0;
    if (list->type != YAML_SEQUENCE_NODE)
        return bad(v, list, "%s must be a list", key);
    for (int i = 0; i < seq_len(list); i++) {
        yaml_node_t *item = seq_at(doc, list, i);
        if (item->type != YAML_MAPPING_NODE)
            return bad(v, item, "each item of %s must be a mapping", key);
        if ((rc = fn(v, doc, item)) < 0)
            return rc;
    }
    return 0;
}

/* Returns 0, -1 (unreadable: reported) or -3 (out of memory). */
static int read_schedule(verifier *v)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root, *n;
    FILE *in = fopen(v->path, "rb");
    const char *s;
    int rc = -1, loaded = 0, res;

    if (!in) {
        bad(v, NULL, "cannot open the schedule file");
        return -1;
    }
    if (!yaml_parser_initialize(&parser)) {
        fclose(in);
        return -3;
    }
    yaml_parser_set_input_file(&parser, in);
    if (!yaml_parser_load(&parser, &doc)) {
        fprintf(stderr, "stagger-verify: %s:%lu:%lu: %s\n", v->path,
                (unsigned long)parser.problem_mark.line + 1,
                (unsigned long)parser.problem_mark.column + 1,
                parser.problem ? parser.problem : "not YAML");
        goto out;
    }
    loaded = 1;
    root = yaml_document_get_root_node(&doc);
    if (!root || root->type != YAML_MAPPING_NODE) {
        bad(v, root, "not a schedule file (expected a mapping)");
        goto out;
    }
    if (!(s = str(get(&doc, root, "stagger-schedule"))) || strcmp(s, "1") != 0) {
        bad(v, root, "not a schedule file (expected stagger-schedule: 1)");
        goto out;
    }
    if (!(s = need(v, &doc, root, "cycle")))
        goto out;
    if (strcmp(s, v->cycle == STG_WEEK ? "week" : "day") != 0) {
        bad(v, get(&doc, root, "cycle"), "cycle %s does not match the "
            "fleet's (%s)", s, v->cycle == STG_WEEK ? "week" : "day");
        goto out;
    }
    if (parse_duration(need(v, &doc, root, "resolution"), &res) < 0 ||
        res != v->res) {
        bad(v, get(&doc, root, "resolution"), "resolution does not match "
            "the fleet's (%ds)", v->res);
        goto out;
    }
    if (!(s = need(v, &doc, root, "status")) ||
        (strcmp(s, "optimal") && strcmp(s, "feasible") && strcmp(s, "violates"))) {
        bad(v, get(&doc, root, "status"), "status must be optimal, feasible "
            "or violates");
        goto out;
    }
    if (!(v->status = stg_strdup(s))) {
        rc = -3;
        goto out;
    }
    if ((rc = read_headroom(v, &doc, get(&doc, root, "headroom"))) < 0 ||
        (rc = each(v, &doc, root, "groups", read_group)) < 0 ||
        (rc = each(v, &doc, root, "computers", read_computer)) < 0 ||
        (rc = each(v, &doc, root, "links", read_link)) < 0 ||
        (rc = each(v, &doc, root, "transfers", read_transfer)) < 0)
        goto out;
    n = get(&doc, root, "violations");
    v->nviolations = n && n->type == YAML_SEQUENCE_NODE ? seq_len(n)
                     : n && n->type == YAML_MAPPING_NODE ? 1 : 0;
    if (!(v->unsettled = stg_calloc((size_t)v->f->nservers + 1, 1))) {
        rc = -3;
        goto out;
    }
    for (int i = 0; n && n->type == YAML_SEQUENCE_NODE && i < seq_len(n); i++) {
        yaml_node_t *it = seq_at(&doc, n, i);
        const char *kind = it && it->type == YAML_MAPPING_NODE
                           ? str(get(&doc, it, "kind")) : NULL;
        const char *name = kind && strcmp(kind, "backlog") == 0
                           ? str(get(&doc, it, "computer")) : NULL;
        int c = name ? stg_fleet_computer(v->f, name) : -1;
        if (c >= 0) {
            v->unsettled[v->f->computers[c].server] = 1;
            v->backlog = 1;
        }
    }
    rc = 0;
out:
    if (loaded)
        yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    fclose(in);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Recomputing the cycle                                               */

/* Each computer's full path: its own links, then its server's, without
 * repeats. */
static int build_paths(verifier *v)
{
    const stg_fleet *f = v->f;

    if (!(v->fullpath = stg_calloc((size_t)f->ncomputers, sizeof *v->fullpath))
        || !(v->nfullpath = stg_calloc((size_t)f->ncomputers,
                                       sizeof *v->nfullpath)))
        return -3;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *pc = &f->computers[c];
        const stg_server *sv = pc->server >= 0 ? &f->servers[pc->server] : NULL;
        int max = pc->npath + (sv ? sv->npath : 0);

        if (max == 0)
            continue;
        if (!(v->fullpath[c] = stg_calloc((size_t)max, sizeof(int))))
            return -3;
        for (int i = 0; i < max; i++) {
            int link = i < pc->npath ? pc->path[i] : sv->path[i - pc->npath];
            int seen = 0;
            for (int j = 0; j < v->nfullpath[c]; j++)
                seen |= v->fullpath[c][j] == link;
            if (!seen)
                v->fullpath[c][v->nfullpath[c]++] = link;
        }
    }
    return 0;
}

/* Busy slots, link loads, and each link's lowest headroom. */
static int recompute(verifier *v)
{
    const stg_fleet *f = v->f;
    long ns = v->nslots;

    if (!(v->busy = stg_calloc((size_t)f->ncomputers * (size_t)ns, 1)) ||
        !(v->load = stg_calloc((size_t)f->nlinks * (size_t)ns, sizeof(double)))
        || !(v->lowest = stg_calloc((size_t)f->nlinks, sizeof(double))) ||
        !(v->lowest_at = stg_calloc((size_t)f->nlinks, sizeof(int))))
        return -3;
    for (int i = 0; i < v->nx; i++) {
        const xfer *x = &v->x[i];
        for (long t = x->start; t < x->end; t += v->res)
            v->busy[x->computer * ns + mod(t, v->cycle) / v->res] = 1;
    }
    /* each link's load: its background, then each busy computer's
     * throttle on every link of its path, computers in fleet order */
    for (int l = 0; l < f->nlinks; l++)
        for (long s = 0; s < ns; s++)
            v->load[l * ns + s] = background(v, &f->links[l], (int)(s * v->res));
    for (int c = 0; c < f->ncomputers; c++)
        for (long s = 0; s < ns; s++) {
            if (!v->busy[c * ns + s])
                continue;
            double th = throttle(v, c, (int)(s * v->res));
            for (int i = 0; i < v->nfullpath[c]; i++)
                v->load[v->fullpath[c][i] * ns + s] += th;
        }
    for (int l = 0; l < f->nlinks; l++) {
        double cap = f->links[l].capacity, peak = -HUGE_VAL;
        for (long s = 0; s < ns; s++) {
            int t = (int)(s * v->res);
            double load = v->load[l * ns + s];
            /* the first slot of the peak: later slots must beat it */
            if (load / cap > peak + EPS) {
                peak = load / cap;
                v->lowest_at[l] = t;
            }
        }
        v->lowest[l] = 1 - peak;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* The checks                                                          */

static int pct_differs(double claimed, double recomputed)
{
    return fabs(claimed - recomputed) > PCT_TOL;
}

static void check_links(verifier *v)
{
    const stg_fleet *f = v->f;
    char a[32], b[32];

    for (int l = 0; l < f->nlinks; l++) {
        const lclaim *c = &v->links[l];
        const char *name = f->links[l].name;
        if (!c->present) {
            problem(v, C_LINKS, "link %s: claimed nothing, recomputed lowest "
                    "headroom %.1f%%", name, 100 * v->lowest[l]);
            continue;
        }
        if (fabs(c->capacity - f->links[l].capacity) > 1e-6 * f->links[l].capacity)
            problem(v, C_LINKS, "link %s capacity: claimed %.0fbps, "
                    "recomputed %.0fbps", name, c->capacity,
                    f->links[l].capacity);
        if (pct_differs(c->peak, 1 - v->lowest[l]))
            problem(v, C_LINKS, "link %s peak: claimed %.1f%%, recomputed "
                    "%.3f%%", name, 100 * c->peak, 100 * (1 - v->lowest[l]));
        if (pct_differs(c->headroom, v->lowest[l]))
            problem(v, C_LINKS, "link %s headroom: claimed %.1f%%, "
                    "recomputed %.3f%%", name, 100 * c->headroom,
                    100 * v->lowest[l]);
        if (c->at != v->lowest_at[l])
            problem(v, C_LINKS, "link %s lowest headroom at: claimed %s, "
                    "recomputed %s", name, fmt_time(v, c->at, a, sizeof a),
                    fmt_time(v, v->lowest_at[l], b, sizeof b));
        if (c->has_bound && !v->backlog && c->bound < v->lowest[l] - PCT_TOL)
            problem(v, C_LINKS, "link %s bound below its own headroom: "
                    "claimed %.1f%%, recomputed headroom %.3f%%", name,
                    100 * c->bound, 100 * v->lowest[l]);
        if (c->has_nowait && c->has_bound && c->nowait > c->bound + PCT_TOL)
            problem(v, C_LINKS, "link %s bound without waits %.1f%% above its "
                    "bound %.1f%% (fewer schedules cannot do better)", name,
                    100 * c->nowait, 100 * c->bound);
        if (c->has_nowait && !v->waited && !v->backlog &&
            c->nowait < v->lowest[l] - PCT_TOL)
            problem(v, C_LINKS, "link %s bound without waits below its own "
                    "headroom in a schedule without waits: claimed %.1f%%, "
                    "recomputed headroom %.3f%%", name, 100 * c->nowait,
                    100 * v->lowest[l]);
    }
}

/* The worst link, the status and the bound. */
static void check_headroom(verifier *v)
{
    const stg_fleet *f = v->f;
    int worst = -1;
    int claimed = v->worst_link ? stg_fleet_link(f, v->worst_link) : -1;
    int broken = 0;
    char a[32], b[32];

    for (int l = 0; l < f->nlinks; l++)
        if (worst < 0 || v->lowest[l] < v->lowest[worst] - EPS)
            worst = l;
    if (fabs(v->required - f->headroom) > PCT_TOL)
        problem(v, C_HEADROOM, "headroom required: claimed %.1f%%, "
                "recomputed %.1f%% (the fleet's)", 100 * v->required,
                100 * f->headroom);
    if (worst < 0)
        return;
    v->worst = v->lowest[worst];
    if (pct_differs(v->achieved, v->lowest[worst]))
        problem(v, C_HEADROOM, "headroom achieved: claimed %.1f%%, "
                "recomputed %.3f%% (%s)", 100 * v->achieved,
                100 * v->lowest[worst], f->links[worst].name);
    /* another link tied with the worst is as good an answer */
    if (claimed < 0 || v->lowest[claimed] > v->lowest[worst] + EPS)
        problem(v, C_HEADROOM, "headroom link: claimed %s, recomputed %s",
                v->worst_link ? v->worst_link : "none", f->links[worst].name);
    else if (v->worst_at != v->lowest_at[claimed])
        problem(v, C_HEADROOM, "headroom at: claimed %s, recomputed %s",
                fmt_time(v, v->worst_at, a, sizeof a),
                fmt_time(v, v->lowest_at[claimed], b, sizeof b));

    /* status */
    for (int l = 0; l < f->nlinks; l++)
        if (v->lowest[l] < f->headroom - EPS)
            broken = 1;
    if (broken && strcmp(v->status, "violates") != 0)
        problem(v, C_STATUS, "status: claimed %s, recomputed violates "
                "(worst headroom %.3f%% < required %.1f%%)", v->status,
                100 * v->lowest[worst], 100 * f->headroom);
    if (!broken && strcmp(v->status, "violates") == 0 && v->nviolations == 0)
        problem(v, C_STATUS, "status: claimed violates with no violations "
                "listed, recomputed every link at or above %.1f%% "
                "(worst %.3f%%)", 100 * f->headroom, 100 * v->lowest[worst]);
    if (v->has_nowait && v->has_bound && v->nowait > v->bound + PCT_TOL)
        problem(v, C_STATUS, "headroom bound without waits %.1f%% above the "
                "bound %.1f%%", 100 * v->nowait, 100 * v->bound);
    if (v->has_nowait && !v->waited && !v->backlog &&
        v->nowait < v->lowest[worst] - PCT_TOL)
        problem(v, C_STATUS, "headroom bound without waits below what this "
                "schedule (without waits) achieves: claimed %.1f%%, "
                "recomputed achieved %.3f%%", 100 * v->nowait,
                100 * v->lowest[worst]);
    if (v->has_bound) {
        if (!v->backlog && v->bound < v->lowest[worst] - PCT_TOL)
            problem(v, C_STATUS, "headroom bound below what this schedule "
                    "achieves: claimed %.1f%%, recomputed achieved %.3f%%",
                    100 * v->bound, 100 * v->lowest[worst]);
        if (strcmp(v->status, "optimal") == 0 &&
            fabs(v->bound - v->lowest[worst]) > PCT_TOL)
            problem(v, C_STATUS, "status optimal with bound %.1f%%: claimed "
                    "achieved == bound, recomputed achieved %.3f%%",
                    100 * v->bound, 100 * v->lowest[worst]);
    } else if (strcmp(v->status, "optimal") == 0) {
        problem(v, C_STATUS, "status optimal: claimed no bound, recomputed "
                "achieved %.3f%%", 100 * v->lowest[worst]);
    }
}

/* Settings written per group against what the fleet allows. */
static void check_settings(verifier *v)
{
    const stg_fleet *f = v->f;
    char a[32], b[32], c[32], d[32];

    for (int gi = 0; gi < f->ngroups; gi++) {
        const stg_group *fg = &f->groups[gi];
        const gset *g = &v->groups[gi];
        if (!g->present) {
            problem(v, C_SETTINGS, "group %s: claimed nothing, recomputed a "
                    "group of the fleet", fg->name);
            continue;
        }
        if (fg->before_rp != (g->has_sync && g->before_rp) ||
            (!fg->before_rp && g->every != fg->sync_every))
            problem(v, C_SETTINGS, "group %s sync every: claimed %ds, "
                    "recomputed %ds (the fleet's)", fg->name,
                    g->before_rp ? 0 : g->every,
                    fg->before_rp ? 0 : fg->sync_every);
        else if (!fg->before_rp && (g->offset < 0 || g->offset >= g->every ||
                                    g->offset % v->res))
            problem(v, C_SETTINGS, "group %s sync offset: claimed %ds, "
                    "recomputed a slot in [0, %ds)", fg->name, g->offset,
                    g->every);
        if (g->nef != fg->nef)
            problem(v, C_SETTINGS, "group %s express fulls: claimed %d times, "
                    "recomputed %d (the fleet's)", fg->name, g->nef, fg->nef);
        for (int i = 0; i < g->nef; i++) {
            int ok = 0;
            for (int j = 0; j < fg->nef; j++) {
                int d = mod(g->ef_at[i] - fg->ef_at[j], STG_DAY);
                if (d > STG_DAY / 2)
                    d = STG_DAY - d;
                ok |= d <= fg->ef_flex;
            }
            if (!ok)
                problem(v, C_SETTINGS, "group %s express full %s: claimed "
                        "it, recomputed no fleet time within its flex (%ds)",
                        fg->name, tod_str(g->ef_at[i], a, sizeof a),
                        fg->ef_flex);
            if (v->cycle == STG_WEEK && g->ef_days[i] != fg->ef_days)
                problem(v, C_SETTINGS, "group %s express full days: claimed "
                        "0x%02x, recomputed 0x%02x (the fleet's)", fg->name,
                        g->ef_days[i], fg->ef_days);
        }
        if (g->has_cc != fg->has_cc) {
            problem(v, C_SETTINGS, "group %s consistency check: claimed %s, "
                    "recomputed %s", fg->name, g->has_cc ? "one" : "none",
                    fg->has_cc ? "a window" : "none");
        } else if (g->has_cc &&
                   !(g->cc_day ? window_covers(v->cycle, fg->cc_from, fg->cc_to,
                                               fg->cc_days, g->cc_start, NULL)
                               : window_covers(STG_DAY, fg->cc_from, fg->cc_to,
                                               STG_DAILY, g->cc_start, NULL))) {
            problem(v, C_SETTINGS, "group %s consistency check start: claimed "
                    "%s, recomputed outside the window %s-%s", fg->name,
                    g->cc_day ? fmt_time(v, g->cc_start, a, sizeof a)
                              : tod_str(g->cc_start, c, sizeof c),
                    tod_str(fg->cc_from, b, sizeof b),
                    tod_str(fg->cc_to, d, sizeof d));
        }
    }
}

/* Is t (cycle time) a release time of a job of this kind of group g? */
static int released_at(const verifier *v, int gi, int kind, int t)
{
    const stg_group *fg = &v->f->groups[gi];
    const gset *g = &v->groups[gi];
    int day = t / STG_DAY, tod = t % STG_DAY;

    switch (kind) {
    case K_SYNC:
        if (g->before_rp) {
            for (int i = 0; i < g->nrp; i++)
                if (g->rp[i] == tod &&
                    (v->cycle == STG_DAY || (fg->rp_days & (1u << day))))
                    return 1;
            return 0;
        }
        return g->every > 0 && mod(t - g->offset, g->every) == 0;
    case K_EF:
        for (int i = 0; i < g->nef; i++)
            if (g->ef_at[i] == tod &&
                (v->cycle == STG_DAY || (g->ef_days[i] & (1u << day))))
                return 1;
        return 0;
    case K_CC:
        if (!g->has_cc)
            return 0;
        if (g->cc_day)
            return t == g->cc_start;
        return tod == g->cc_start &&
               (v->cycle == STG_DAY || window_covers(v->cycle, fg->cc_from,
                                                     fg->cc_to, fg->cc_days,
                                                     t, NULL));
    default:
        return 0;
    }
}

static void check_releases(verifier *v)
{
    char a[32], b[32];

    for (int i = 0; i < v->nx; i++) {
        const xfer *x = &v->x[i];
        const stg_group *fg = &v->f->groups[x->group];
        long wend;

        if (!v->groups[x->group].present)
            continue;
        if (!released_at(v, x->group, x->kind, x->release))
            problem(v, C_RELEASES, "transfer (line %d) %s %s %s release: "
                    "claimed %s, recomputed no %s of the group's settings "
                    "then", x->line, fg->name, v->f->computers[x->computer].name,
                    kind_names[x->kind], fmt_time(v, x->release, a, sizeof a),
                    kind_names[x->kind]);
        if (x->kind == K_CC && fg->has_cc && strcmp(v->status, "violates") &&
            window_covers(v->cycle, fg->cc_from, fg->cc_to, fg->cc_days,
                          x->release, &wend) && x->end > wend)
            problem(v, C_STATUS, "transfer (line %d) %s consistency check "
                    "end: claimed %s, recomputed past its window's end %s "
                    "(a broken rule, yet the status is not violates)",
                    x->line, fg->name, fmt_time(v, x->end, a, sizeof a),
                    fmt_time(v, (int)wend, b, sizeof b));
    }
}

/* Days in a day mask. */
static int ndays(unsigned days)
{
    int n = 0;
    for (int d = 0; d < 7; d++)
        n += (days >> d) & 1;
    return n;
}

/* Jobs of a group per cycle: syncs, express fulls, checks. */
static int per_cycle(const verifier *v, int gi, int kind)
{
    const stg_group *fg = &v->f->groups[gi];

    switch (kind) {
    case K_SYNC:
        if (!fg->before_rp)
            return fg->sync_every > 0 ? v->cycle / fg->sync_every : 0;
        return fg->nrp * (v->cycle == STG_DAY ? 1 : ndays(fg->rp_days));
    case K_EF:
        return fg->nef * (v->cycle == STG_DAY ? 1
                          : ndays(fg->ef_days));
    case K_CC:
        return fg->has_cc ? (v->cycle == STG_DAY ? 1
                             : ndays(fg->cc_days)) : 0;
    default:
        return 0;
    }
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Seconds of changes group gi's express fulls carry per cycle, from the
 * schedule's settings: each the time since the previous one, or since
 * the group's check when one is released in between (an express full
 * carries the blocks changed since the more recent of the two; a check
 * released at the same time runs after it).  -1 when out of memory. */
static long ef_carried(const verifier *v, int gi)
{
    const gset *g = &v->groups[gi];
    int ndays = v->cycle / STG_DAY, n = 0, ncc = 0;
    int *ef = stg_calloc((size_t)g->nef * 7 + 1, sizeof *ef);
    int cc[7];
    long sum = 0;

    if (!ef)
        return -1;
    for (int d = 0; d < ndays; d++) {
        for (int i = 0; i < g->nef; i++)
            if (released_at(v, gi, K_EF, d * STG_DAY + g->ef_at[i]))
                ef[n++] = d * STG_DAY + g->ef_at[i];
        int t = g->cc_day ? g->cc_start : d * STG_DAY + g->cc_start;
        if (g->has_cc && (!g->cc_day || d == 0) &&
            released_at(v, gi, K_CC, mod(t, v->cycle)))
            cc[ncc++] = mod(t, v->cycle);
    }
    qsort(ef, (size_t)n, sizeof *ef, cmp_int);
    for (int i = 0; i < n; i++) {
        int since = n == 1 ? v->cycle
                           : mod(ef[i] - ef[(i + n - 1) % n], v->cycle);
        for (int k = 0; k < ncc; k++) {
            int back = mod(ef[i] - cc[k], v->cycle);
            if (back > 0 && back < since)
                since = back;
        }
        sum += since;
    }
    stg_free(ef);
    return sum;
}

/* The load model's volume per cycle of a group's jobs of one kind on one
 * computer (bytes). */
static double model_volume(const verifier *v, int gi, int c, int kind)
{
    const stg_fleet *f = v->f;
    const stg_group *fg = &f->groups[gi];
    double per_day_share = (double)v->cycle / STG_DAY, vol = 0;
    int n = per_cycle(v, gi, kind);
    double ef_share = per_day_share;    /* days of changes express fulls carry */

    if (kind == K_EF && v->groups[gi].present) {
        long carried = ef_carried(v, gi);
        if (carried < 0)
            return -1;
        ef_share = (double)carried / STG_DAY;
    }

    for (int i = 0; i < fg->nsources; i++) {
        const stg_source *s = &f->sources[fg->sources[i]];
        if (s->computer != c)
            continue;
        switch (kind) {
        case K_SYNC:
            if (s->full_only)   /* express fulls only: no syncs */
                break;
            vol += s->sync_volume >= 0 ? s->sync_volume * n
                                       : s->churn * per_day_share;
            break;
        case K_EF:
            if (fg->nef > 0 && s->kind != STG_SRC_FILE)
                vol += s->full_volume >= 0 ? s->full_volume * n
                                           : s->churn * ef_share;
            break;
        case K_CC:
            vol += (s->cc_volume >= 0 ? s->cc_volume
                                      : s->size * s->cc_ratio) * n;
            break;
        }
    }
    return vol * (1 - fg->saving);      /* compression on the wire */
}

/* The servers a "# warning: the queues of server NAME alternate" line of
 * the schedule file names.  Returns 0, or -3 (out of memory). */
static int read_alternates(verifier *v)
{
    static const char pre[] = "# warning: the queues of server ";
    const stg_fleet *f = v->f;
    char line[512];
    FILE *in = fopen(v->path, "rb");

    if (!(v->alternates = stg_calloc((size_t)f->nservers + 1, 1))) {
        if (in)
            fclose(in);
        return -3;
    }
    if (!in)
        return 0;
    while (fgets(line, sizeof line, in)) {
        if (strncmp(line, pre, sizeof pre - 1) != 0)
            continue;
        char *name = line + sizeof pre - 1;
        char *end = strstr(name, " alternate ");
        int sv;
        if (!end)
            continue;
        *end = 0;
        if ((sv = stg_fleet_server(f, name)) >= 0)
            v->alternates[sv] = 1;
    }
    fclose(in);
    return 0;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* Each group's volume per computer and kind, claimed (the transfers',
 * summed in file order) against recomputed, on the computers of its
 * sources and of its transfers (on any other both are nothing). */
static void check_volumes(verifier *v)
{
    const stg_fleet *f = v->f;
    int G = f->ngroups, C = f->ncomputers;
    int *first = stg_calloc((size_t)G + 2, sizeof *first);
    int *at = stg_malloc(sizeof *at * (size_t)(v->nx + 1));
    int *cand = stg_malloc(sizeof *cand * (size_t)(C + 1));
    int *mark = stg_calloc((size_t)C + 1, sizeof *mark);
    double *sum = stg_calloc((size_t)C * NKINDS + 1, sizeof *sum);

    if (!first || !at || !cand || !mark || !sum) {
        problem(v, C_VOLUMES, "volumes: claimed -, recomputed nothing (out "
                "of memory)");
        goto out;
    }
    /* the transfers by group, in file order within each */
    for (int i = 0; i < v->nx; i++)
        first[v->x[i].group + 2]++;
    for (int g = 0; g < G; g++)
        first[g + 2] += first[g + 1];
    for (int i = 0; i < v->nx; i++)
        at[first[v->x[i].group + 1]++] = i;
    for (int g = 0; g < G; g++) {
        int n = 0;
        for (int i = 0; i < f->groups[g].nsources; i++) {
            int c = f->sources[f->groups[g].sources[i]].computer;
            if (c >= 0 && mark[c] != g + 1) {
                mark[c] = g + 1;
                cand[n++] = c;
            }
        }
        for (int k = first[g]; k < first[g + 1]; k++) {
            const xfer *x = &v->x[at[k]];
            if (mark[x->computer] != g + 1) {
                mark[x->computer] = g + 1;
                cand[n++] = x->computer;
            }
            sum[(size_t)x->computer * NKINDS + x->kind] += x->volume;
        }
        qsort(cand, (size_t)n, sizeof *cand, by_int);
        for (int i = 0; i < n; i++) {
            int c = cand[i];
            for (int k = 0; k < NKINDS; k++) {
                double got = sum[(size_t)c * NKINDS + k];
                sum[(size_t)c * NKINDS + k] = 0;
                if (v->unsettled[f->computers[c].server] ||
                    v->alternates[f->computers[c].server])
                    continue;   /* what its one cycle moved, not a day's */
                double want = model_volume(v, g, c, k);
                if (want < 0) {
                    problem(v, C_VOLUMES, "volumes: claimed -, recomputed "
                            "nothing (out of memory)");
                    goto out;
                }
                if (fabs(got - want) > VOL_TOL * want + 1)
                    problem(v, C_VOLUMES, "%s %s %s volume per cycle: "
                            "claimed %.0f bytes, recomputed %.0f bytes",
                            f->groups[g].name, f->computers[c].name,
                            kind_names[k], got, want);
            }
        }
    }
out:
    stg_free(first);
    stg_free(at);
    stg_free(cand);
    stg_free(mark);
    stg_free(sum);
}

/* Order of a computer's transfers around the cycle: by computer, then
 * start time in the cycle, then end (two transfers start in one slot
 * when the first ends inside it and hands the rest of the slot to the
 * next: the first is the one that ends first), then file order.  qsort() passes no context,
 * so the cycle length is set here just before sorting. */
static int cycle_of_sort = STG_DAY;

static int cmp_start(const void *a, const void *b)
{
    const xfer *x = *(const xfer *const *)a, *y = *(const xfer *const *)b;
    int xs = mod(x->start, cycle_of_sort), ys = mod(y->start, cycle_of_sort);
    if (x->computer != y->computer)
        return x->computer < y->computer ? -1 : 1;
    if (xs != ys)
        return xs < ys ? -1 : 1;
    if (x->end - x->start != y->end - y->start)
        return x->end - x->start < y->end - y->start ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* Each transfer's slots carry its volume and no idle slot more; a
 * computer's transfers follow one another around the cycle. */
static void check_durations(verifier *v)
{
    const xfer **order = stg_calloc(v->nx ? (size_t)v->nx : 1, sizeof *order);
    char a[32], b[32];

    if (!order) {
        problem(v, C_DURATIONS, "durations: claimed -, recomputed nothing "
                "(out of memory)");
        return;
    }
    for (int i = 0; i < v->nx; i++)
        order[i] = &v->x[i];
    cycle_of_sort = v->cycle;
    qsort(order, (size_t)v->nx, sizeof *order, cmp_start);
    for (int i = 0, first = 0; i < v->nx; i++) {
        const xfer *x = order[i], *next;
        const char *cn = v->f->computers[x->computer].name;
        double full = capacity(v, x->computer, x->start, x->end);
        /* the first slot may be shared with the transfer before it */
        double inner = capacity(v, x->computer, x->start + v->res,
                                x->end - v->res);
        long gap;

        if (i > 0 && order[i - 1]->computer != x->computer)
            first = i;
        if (full < x->volume * (1 - DUR_TOL))
            problem(v, C_DURATIONS, "transfer (line %d) %s %s %s-%s too short "
                    "for its volume: claimed %.0f bytes, recomputed at most "
                    "%.0f bytes", x->line, cn, kind_names[x->kind],
                    fmt_time(v, x->start, a, sizeof a),
                    fmt_time(v, x->end, b, sizeof b), x->volume, full);
        else if (x->end - x->start > v->res &&
                 x->volume * (1 + DUR_TOL) <= inner)
            problem(v, C_DURATIONS, "transfer (line %d) %s %s %s-%s padded "
                    "with an idle slot: claimed %.0f bytes, recomputed "
                    "%.0f bytes fit in one slot less", x->line, cn,
                    kind_names[x->kind], fmt_time(v, x->start, a, sizeof a),
                    fmt_time(v, x->end, b, sizeof b), x->volume, inner);
        /* the computer's next transfer around the cycle starts no earlier
         * than the last slot of this one */
        next = i + 1 < v->nx && order[i + 1]->computer == x->computer
                   ? order[i + 1] : order[first];
        gap = next == x ? v->cycle : mod(next->start - x->start, v->cycle);
        if (x->start + gap < x->end - v->res)
            problem(v, C_DURATIONS, "computer %s transfers (lines %d, %d) "
                    "overlap: claimed start %s, recomputed the one before "
                    "ends %s", cn, x->line, next->line,
                    fmt_time(v, next->start, a, sizeof a),
                    fmt_time(v, x->end, b, sizeof b));
    }
    stg_free(order);
}

/* Work conservation: from its release to its end, a transfer's computer
 * sends in every slot (it may wait only for a max_jobs server). */
static void check_idle(verifier *v)
{
    const stg_fleet *f = v->f;
    char a[32], b[32], e[32];

    for (int i = 0; i < v->nx; i++) {
        const xfer *x = &v->x[i];
        const stg_computer *c = &f->computers[x->computer];
        if (c->server >= 0 && f->servers[c->server].max_jobs > 0) {
            /* allowed to wait: note whether it did */
            for (long t = x->release; t < x->end && !v->waited; t += v->res)
                v->waited = !v->busy[(long)x->computer * v->nslots
                                     + mod(t, v->cycle) / v->res];
            continue;
        }
        for (long t = x->release; t < x->end; t += v->res) {
            if (!v->busy[(long)x->computer * v->nslots
                         + mod(t, v->cycle) / v->res]) {
                problem(v, C_IDLE, "computer %s idle at %s with a transfer "
                        "(line %d) released %s: claimed start %s, "
                        "recomputed busy from its release", c->name,
                        fmt_time(v, (int)t, a, sizeof a), x->line,
                        fmt_time(v, x->release, b, sizeof b),
                        fmt_time(v, x->start, e, sizeof e));
                break;
            }
        }
    }
}

/* Each group's lag, and the max_lag limit against the status. */
static void check_lag(verifier *v)
{
    const stg_fleet *f = v->f;

    int *lags = stg_malloc(sizeof *lags * (size_t)(f->ngroups + 1));
    if (!lags) {
        problem(v, C_LAG, "lag: claimed -, recomputed nothing (out of "
                "memory)");
        return;
    }
    for (int g = 0; g < f->ngroups; g++)
        lags[g] = -1;
    for (int i = 0; i < v->nx; i++)
        if (v->x[i].kind == K_SYNC &&
            v->x[i].end - v->x[i].release > lags[v->x[i].group])
            lags[v->x[i].group] = v->x[i].end - v->x[i].release;
    for (int g = 0; g < f->ngroups; g++) {
        int lag = lags[g];
        /* on a server whose cycle is shown cut (it does not repeat), a
         * transfer still sending at its end is listed up to there: the
         * listed ones give the lag at least */
        int cut = 0;
        for (int i = 0; i < f->groups[g].nsources; i++) {
            int sv = f->computers[f->sources[f->groups[g].sources[i]].computer].server;
            cut |= v->unsettled[sv] || v->alternates[sv];
        }
        if (v->groups[g].has_lag && lag >= 0 &&
            (cut ? v->groups[g].lag < lag : v->groups[g].lag != lag))
            problem(v, C_LAG, "group %s lag: claimed %ds, recomputed %s%ds",
                    f->groups[g].name, v->groups[g].lag, cut ? "at least " : "",
                    lag);
        if (f->groups[g].max_lag > 0 && lag > f->groups[g].max_lag &&
            strcmp(v->status, "violates") != 0)
            problem(v, C_STATUS, "status with group %s over its max_lag "
                    "%ds: claimed %s, recomputed violates (lag %ds)",
                    f->groups[g].name, f->groups[g].max_lag, v->status, lag);
    }
    stg_free(lags);
}

/* A throttle for messages: "40Mbps", "10Mbps/40Mbps 08:00-18:00 0x1f". */
static const char *fmt_thr(const thr *th, char *buf, size_t size)
{
    char f[16], t[16];
    if (th->kind == T_WORK)
        snprintf(buf, size, "%gMbps/%gMbps %s-%s days 0x%02x", th->work / 1e6,
                 th->other / 1e6, tod_str(th->from, f, sizeof f),
                 tod_str(th->to, t, sizeof t), th->days);
    else
        snprintf(buf, size, "%gMbps", th->rate / 1e6);
    return buf;
}

static int rate_differs(double a, double b)
{
    return fabs(a - b) > 1e-3 * fabs(b) + 1e-9;   /* printed to 3 decimals */
}

/* Throttles the schedule must give: every computer that sends has one,
 * and a computer throttled in the fleet keeps its throttle (planning
 * chooses only where the fleet says auto). */
static void check_throttles(verifier *v)
{
    for (int c = 0; c < v->f->ncomputers; c++) {
        const stg_throttle *ft = &v->f->computers[c].throttle;
        const thr *th = &v->thr[c];
        int same = 1;

        if (th->kind == T_UNSET)
            continue;
        if (ft->kind == STG_THROTTLE_RATE)
            same = th->kind == T_RATE && !rate_differs(th->rate, ft->rate);
        else if (ft->kind == STG_THROTTLE_WORK)
            same = th->kind == T_WORK && !rate_differs(th->work, ft->work) &&
                   !rate_differs(th->other, ft->other) &&
                   th->from == ft->hours_from && th->to == ft->hours_to &&
                   (v->cycle == STG_DAY || th->days == ft->days);
        if (!same) {
            char a[96], b[96];
            thr fleet_thr = { T_NONE, 0, 0, 0, 0, 0, 0 };
            if (ft->kind == STG_THROTTLE_RATE) {
                fleet_thr.kind = T_RATE;
                fleet_thr.rate = ft->rate;
            } else {
                fleet_thr.kind = T_WORK;
                fleet_thr.work = ft->work;
                fleet_thr.other = ft->other;
                fleet_thr.from = ft->hours_from;
                fleet_thr.to = ft->hours_to;
                fleet_thr.days = ft->days;
            }
            problem(v, C_SETTINGS, "computer %s throttle: claimed %s, "
                    "recomputed %s (the fleet's; only auto throttles are "
                    "planned)", v->f->computers[c].name,
                    fmt_thr(th, a, sizeof a), fmt_thr(&fleet_thr, b, sizeof b));
        }
    }
    for (int i = 0; i < v->nx; i++) {
        int c = v->x[i].computer;
        if (v->thr[c].kind == T_UNSET) {
            problem(v, C_NAMES, "computer %s throttle: claimed nothing, "
                    "recomputed a computer that sends (line %d)",
                    v->f->computers[c].name, v->x[i].line);
            /* use the fleet's, when it names one, so the rest can go on */
            const stg_throttle *ft = &v->f->computers[c].throttle;
            if (ft->kind == STG_THROTTLE_RATE) {
                v->thr[c].kind = T_RATE;
                v->thr[c].rate = ft->rate;
            } else if (ft->kind == STG_THROTTLE_WORK) {
                v->thr[c].kind = T_WORK;
                v->thr[c].work = ft->work;
                v->thr[c].other = ft->other;
                v->thr[c].from = ft->hours_from;
                v->thr[c].to = ft->hours_to;
                v->thr[c].days = ft->days;
            } else {
                v->thr[c].kind = T_NONE;
                v->thr[c].rate = bottleneck(v, c);
            }
        }
    }
}

/* ------------------------------------------------------------------ */

static void verifier_free(verifier *v)
{
    if (v->groups)
        for (int g = 0; g < v->f->ngroups; g++) {
            stg_free(v->groups[g].rp);
            stg_free(v->groups[g].ef_at);
            stg_free(v->groups[g].ef_days);
        }
    if (v->fullpath)
        for (int c = 0; c < v->f->ncomputers; c++)
            stg_free(v->fullpath[c]);
    stg_free(v->fullpath);
    stg_free(v->nfullpath);
    stg_free(v->groups);
    stg_free(v->thr);
    stg_free(v->links);
    stg_free(v->x);
    stg_fleet_names_free(v->names);
    stg_free(v->status);
    stg_free(v->worst_link);
    stg_free(v->busy);
    stg_free(v->load);
    stg_free(v->lowest);
    stg_free(v->lowest_at);
    stg_free(v->alternates);
    stg_free(v->unsettled);
}

static void usage(FILE *out)
{
    fputs("usage: stagger-verify [--quiet] FLEET SCHEDULE\n"
          "Re-derives every link's load from the schedule's transfers and\n"
          "reports each claim that does not match (exit 1), or nothing\n"
          "wrong (exit 0); exit 2 when an input cannot be read.\n", out);
}

int main(int argc, char **argv)
{
    const char *files[2];
    int nfiles = 0, rc = 2, r;
    verifier v;
    stg_diags diags;
    char *text = NULL;
    size_t len = 0;
    stg_fleet *f = NULL;

    memset(&v, 0, sizeof v);
    stg_diags_init(&diags);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
            v.quiet = 1;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            rc = 0;
            goto out;
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr, "stagger-verify: unknown option %s\n", argv[i]);
            usage(stderr);
            goto out;
        } else if (nfiles < 2) {
            files[nfiles++] = argv[i];
        } else {
            usage(stderr);
            goto out;
        }
    }
    if (nfiles != 2) {
        usage(stderr);
        goto out;
    }
    v.fleet_path = files[0];
    v.path = files[1];

    if (!(f = stg_fleet_read_file(v.fleet_path, &text, &len, &diags))) {
        stg_report_diags(stderr, v.fleet_path, text, len, &diags);
        goto out;
    }
    v.f = f;
    v.cycle = f->cycle;
    v.res = f->resolution;
    v.nslots = v.cycle / v.res;
    v.worst = 1;
    if (!(v.groups = stg_calloc((size_t)f->ngroups + 1, sizeof *v.groups)) ||
        !(v.thr = stg_calloc((size_t)f->ncomputers + 1, sizeof *v.thr)) ||
        !(v.links = stg_calloc((size_t)f->nlinks + 1, sizeof *v.links)) ||
        build_paths(&v) < 0) {
        rc = 3;
        goto out;
    }
    if ((r = read_schedule(&v)) < 0) {
        rc = r == -3 ? 3 : 2;
        goto out;
    }
    if (read_alternates(&v) < 0) {
        rc = 3;
        goto out;
    }
    check_throttles(&v);
    if (recompute(&v) < 0) {
        rc = 3;
        goto out;
    }
    check_idle(&v);             /* first: whether a computer waits */
    check_links(&v);
    check_headroom(&v);
    check_settings(&v);
    check_releases(&v);
    check_volumes(&v);
    check_durations(&v);
    check_lag(&v);

    if (!v.quiet) {
        if (v.nproblems) {
            printf("stagger-verify: %s: %ld problem%s (", v.path, v.nproblems,
                   v.nproblems == 1 ? "" : "s");
            for (int k = 0, first = 1; k < NCHECKS; k++)
                if (v.per_check[k]) {
                    printf("%s%s %ld", first ? "" : ", ", check_names[k],
                           v.per_check[k]);
                    first = 0;
                }
            printf(")\n");
        } else {
            printf("stagger-verify: %s agrees with %s: %d links, %d "
                   "transfers, %d slots, worst headroom %.1f%%\n", v.path,
                   v.fleet_path, f->nlinks, v.nx, v.nslots, 100 * v.worst);
        }
    }
    rc = v.nproblems ? 1 : 0;
out:
    if (v.f)
        verifier_free(&v);
    stg_fleet_free(f);
    stg_free(text);
    stg_diags_free(&diags);
    if (stg_alloc_live() != 0) {
        /* a leak here would hide one in what the tests rely on */
        fprintf(stderr, "stagger-verify: %ld blocks still allocated\n",
                stg_alloc_live());
        rc = 3;
    }
    return rc;
}
