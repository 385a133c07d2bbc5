/* stagger-genfleet: writes a realistic fleet file of a DPM estate for
 * benchmarks, the same bytes for the same size and seed.
 *
 *   stagger-genfleet SIZE [--seed N] [-o FILE]
 *   stagger-genfleet --sites N [--seed N] [-o FILE]
 *
 * SIZE is S (1 site), M (20 sites), L (200 sites) or XL (2,000 sites).
 *
 * The estate: every site reaches the data centre over its own WAN line
 * (10Mbps to 1Gbps, small lines more likely), most lines carry office
 * traffic from 08:00 to 18:00, and site0001 is the head office.  A site has
 * 1 to 6 protected computers (file servers, SQL, Exchange, SharePoint and
 * Hyper-V hosts), each throttled so that its throttle plus the line's office
 * traffic stays below 85% of the line -- the throttles of one site together
 * often exceed it, which is what staggering is for.  DPM servers (about one
 * per 100 to 200 computers) sit behind the data centre's core link and
 * protect whole sites; in the larger estates some of them limit the
 * transfers they run at once (max_jobs below their number of computers).
 * Each site has a file group and one group per application kind; every
 * group syncs at DPM's default offset 0.  The volumes are sized so that
 * every computer moves its daily data in well under a day at its throttle,
 * and so that a schedule keeping 15% headroom on every site's line exists
 * (see "throttles and volumes" below): today's settings break the headroom,
 * a staggered schedule need not.
 *
 * This is a standalone program: it needs only the C library and gen.c
 * (the random numbers and number formats it shares with genestate.c;
 * it does not link the stagger library, so it allocates with
 * calloc/free directly). */
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
#define DAY_SECONDS 86400.0
#define LIMIT 0.85              /* 1 - headroom */
#define MAX_COMPUTERS 6         /* per site */
#define MAX_SOURCES 6           /* per computer */
#define MAX_GROUPS (MAX_COMPUTERS + 1)  /* per site */
#define MAX_SITES 9999          /* site names have four digits */

/* ---- the estate ------------------------------------------------------- */

enum { K_FILE, K_SQL, K_EXCHANGE, K_SHAREPOINT, K_HYPERV, NKINDS };

static const char *const kind_word[NKINDS] = {
    "file", "sql", "exchange", "sharepoint", "hyperv"
};
static const char *const role_prefix[NKINDS] = { "fs", "sql", "ex", "sp", "hv" };
static const char *const group_word[NKINDS] = {
    "Files", "SQL", "Exchange", "SharePoint", "HyperV"
};

typedef struct {
    int cap_mbps;               /* WAN line */
    long bg_kbps;               /* office traffic 08:00-18:00; 0: none */
    int first_comp, ncomp;
    int first_src, nsrc;
    int first_group, ngroups;
    int server;
} site;

typedef struct {
    char name[80];              /* fs01.site0001.contoso.local */
    char shortname[24];         /* fs01 */
    int kind, site;
    long thr_kbps;              /* its throttle (for auto: the one sized for) */
    bool is_auto;
    double budget;              /* bytes a day its jobs may need */
} computer;

typedef struct {
    char name[64];
    int comp, kind, group;
    long size_gb;
    int churn;                  /* hundredths of a percent of size per day */
} source;

typedef struct {
    char name[32];
    int site, kind;
    int every;                  /* sync period, minutes */
    int flex;                   /* express-full flex, hours (0: no express full) */
    bool cc;                    /* nightly consistency check */
} group;

typedef struct {
    int ncomp;                  /* computers it protects */
    int max_jobs;
} server;

typedef struct {
    int nsites;
    uint64_t seed;
    const char *size_word;      /* "S" .. "XL", or NULL with --sites */
    site *sites;
    computer *comps;
    source *srcs;
    group *groups;
    server *servers;
    int ncomps, nsrcs, ngroups, nservers;
    long core_gbps;
    double core_mean;           /* bits per second, see core_mean() */
} estate;

/* ---- sizes and rates ---------------------------------------------------- */

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

/* A churn in hundredths of a percent, in steps of 0.05%. */
static int pick_churn(bench_rng *r, int lo, int hi)
{
    return bench_rng_int(r, lo / 5, hi / 5) * 5;
}

static double bytes_per_day(long kbps)
{
    return (double)kbps * 1000.0 * EFFICIENCY * DAY_SECONDS / 8.0;
}

static double source_bytes(const source *s)
{
    return (double)s->size_gb * 1e9;
}

static double churn_bytes(const source *s)
{
    return source_bytes(s) * s->churn / 10000.0;
}

static const char *fmt_churn(char *buf, size_t n, int churn)
{
    if (churn % 100 == 0)
        snprintf(buf, n, "%d%%/day", churn / 100);
    else if (churn % 10 == 0)
        snprintf(buf, n, "%d.%d%%/day", churn / 100, churn % 100 / 10);
    else
        snprintf(buf, n, "%d.%02d%%/day", churn / 100, churn % 100);
    return buf;
}

static const char *fmt_minutes(char *buf, size_t n, int min)
{
    if (min % 60 == 0)
        snprintf(buf, n, "%dh", min / 60);
    else
        snprintf(buf, n, "%dm", min);
    return buf;
}

/* ---- throttles and volumes -------------------------------------------- *
 *
 * The volumes are sized so that a schedule keeping the headroom exists:
 *  - the computers of a site that share a group send together (a *block*);
 *    a block's throttles plus the office traffic fit the line, and at night
 *    (no office traffic) any two blocks fit it together;
 *  - in every frame of the site's shortest sync period, each block has a
 *    window of its own long enough for all its syncs: the windows together
 *    take at most three quarters of the frame;
 *  - the express fulls of the site, one after another from 20:00 less the
 *    flex, all start within their flex (together at most 1.5 x the flex);
 *  - the consistency checks of the site, one after another, fit in 6h of
 *    the night window, none longer than 4h;
 *  - every computer's day of jobs stays within its budget (10-40% of what
 *    its throttle moves in a day), so every sync ends well within its
 *    period. */

/* A rate in Kbps rounded down to whole Mbps (from 10Mbps) or 100Kbps. */
static long round_rate(double kbps)
{
    long t = (long)kbps;
    long step = t >= 10000 ? 1000 : 100;
    t = t / step * step;
    return t >= 100 ? t : 100;
}

static double transfer_seconds(double bytes, long kbps)
{
    return bytes * 8 / ((double)kbps * 1000.0 * EFFICIENCY);
}

/* Whole minutes computer c is busy sending bytes at its throttle. */
static int busy_minutes(const estate *e, int c, double bytes)
{
    if (bytes <= 0)
        return 0;
    double m = transfer_seconds(bytes, e->comps[c].thr_kbps) / 60;
    int whole = (int)m;
    return whole < m ? whole + 1 : whole;
}

/* The volumes of one job kind of group g on computer c. */
enum { JOB_SYNC, JOB_FULL, JOB_CHECK };

static double job_bytes(const estate *e, int g, int c, int job)
{
    const group *gr = &e->groups[g];
    const site *si = &e->sites[gr->site];
    double v = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        const source *s = &e->srcs[i];
        if (s->comp != c || s->group != g)
            continue;
        if (job == JOB_SYNC)
            v += churn_bytes(s) * gr->every / 1440.0;
        else if (job == JOB_FULL && s->kind != K_FILE)
            v += churn_bytes(s);
        else if (job == JOB_CHECK)
            v += source_bytes(s) * 0.01;
    }
    return v;
}

/* Bytes computer c moves a day: syncs (the churn), express fulls (the
 * churn of application data again) and consistency checks. */
static double day_bytes(const estate *e, int c)
{
    const site *si = &e->sites[e->comps[c].site];
    double v = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        const source *s = &e->srcs[i];
        if (s->comp != c)
            continue;
        v += churn_bytes(s) * (s->kind == K_FILE ? 1 : 2);
        if (e->groups[s->group].cc)
            v += source_bytes(s) * 0.01;
    }
    return v;
}

/* Bit mask of the site's computers (by their index in the site) with data
 * in group g. */
static unsigned group_mask(const estate *e, int g)
{
    const site *si = &e->sites[e->groups[g].site];
    unsigned m = 0;
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++)
        if (e->srcs[i].group == g)
            m |= 1u << (e->srcs[i].comp - si->first_comp);
    return m;
}

/* The blocks of site s as bit masks of its computers; returns how many. */
static int site_blocks(const estate *e, int s, unsigned *block)
{
    const site *si = &e->sites[s];
    int n = 0;
    for (int i = 0; i < si->ncomp; i++)
        block[n++] = 1u << i;
    for (int g = si->first_group; g < si->first_group + si->ngroups; g++) {
        unsigned m = group_mask(e, g), joined = 0;
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

static double block_rate(const estate *e, int s, unsigned mask)
{
    const site *si = &e->sites[s];
    double t = 0;
    for (int i = 0; i < si->ncomp; i++)
        if (mask & (1u << i))
            t += (double)e->comps[si->first_comp + i].thr_kbps;
    return t;
}

/* Lowers the throttles of site s so that every block fits the line with
 * the office traffic, and any two blocks fit it at night. */
static void fit_throttles(estate *e, bench_rng *r, int s)
{
    const site *si = &e->sites[s];
    double limit = si->cap_mbps * 1000.0 * LIMIT;
    unsigned block[MAX_COMPUTERS];
    int nb = site_blocks(e, s, block);
    for (int b = 0; b < nb; b++) {
        double sum = block_rate(e, s, block[b]);
        double room = (limit - (double)si->bg_kbps) * bench_rng_range(r, 0.90, 0.98);
        if (sum > room)
            for (int i = 0; i < si->ncomp; i++)
                if (block[b] & (1u << i)) {
                    computer *c = &e->comps[si->first_comp + i];
                    c->thr_kbps = round_rate((double)c->thr_kbps * room / sum);
                }
    }
    if (nb < 2)
        return;
    double top1 = 0, top2 = 0;
    for (int b = 0; b < nb; b++) {
        double t = block_rate(e, s, block[b]);
        if (t > top1) {
            top2 = top1;
            top1 = t;
        } else if (t > top2) {
            top2 = t;
        }
    }
    double night = limit * bench_rng_range(r, 0.85, 0.97);
    if (top1 + top2 > night)
        for (int i = si->first_comp; i < si->first_comp + si->ncomp; i++)
            e->comps[i].thr_kbps = round_rate((double)e->comps[i].thr_kbps *
                                              night / (top1 + top2));
}

/* The smallest size drawn for a source of each kind (GB). */
static long least_size(int kind)
{
    switch (kind) {
    case K_FILE:
        return file_sizes[0];
    case K_SQL:
        return sql_sizes[0];
    case K_EXCHANGE:
        return exchange_sizes[0];
    case K_SHAREPOINT:
        return sharepoint_sizes[0];
    default:
        return hyperv_sizes[0];
    }
}

/* Lowers the volumes of the sources of site s on the computers in mask (and
 * of group g unless g < 0) by about a fifth: the churn down to 0.5%/day,
 * then the size down to the smallest drawn for its kind, then the churn
 * down to 0.1%/day, then the size. */
static void shrink(estate *e, int s, unsigned mask, int g)
{
    const site *si = &e->sites[s];
    for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
        source *so = &e->srcs[i];
        if (!(mask & (1u << (so->comp - si->first_comp))) ||
            (g >= 0 && so->group != g))
            continue;
        long least = least_size(so->kind);
        int low = so->churn > 50 || so->size_gb > least ? 50 : 10;
        if (so->churn > low) {
            so->churn = so->churn * 4 / 5 / 5 * 5;
            if (so->churn < low)
                so->churn = low;
        } else {
            long z = so->size_gb * 4 / 5;
            z = z >= 100 ? z / 10 * 10 : z;
            if (low == 50 && z < least)
                z = least;
            so->size_gb = z >= 1 ? z : 1;
        }
    }
}

/* The longest time (minutes) a job of kind job of group g takes on any of
 * its computers in mask. */
static int group_minutes(const estate *e, int g, unsigned mask, int job)
{
    const site *si = &e->sites[e->groups[g].site];
    int m = 0;
    for (int i = 0; i < si->ncomp; i++) {
        if (!(mask & (1u << i)))
            continue;
        int c = si->first_comp + i;
        int t = busy_minutes(e, c, job_bytes(e, g, c, job));
        if (t > m)
            m = t;
    }
    return m;
}

/* Checks the rules above for site s.  Returns 0 when they hold; otherwise
 * makes one step towards them (lowering volumes, or dropping a check) and
 * returns 1, or when explain is set says which rule fails and returns -1. */
static int site_rules(estate *e, int s, bool explain)
{
    const site *si = &e->sites[s];
    const char *why = NULL;
    unsigned block[MAX_COMPUTERS];
    int nb = site_blocks(e, s, block);
    int gend = si->first_group + si->ngroups;
    double limit = si->cap_mbps * 1000.0 * LIMIT;

    /* throttles (fit_throttles) */
    for (int b = 0; b < nb && !why; b++) {
        if (block_rate(e, s, block[b]) + (double)si->bg_kbps >= limit)
            why = "a block's throttles and the office traffic exceed 85%";
        for (int k = b + 1; k < nb && !why; k++)
            if (block_rate(e, s, block[b]) + block_rate(e, s, block[k]) >= limit)
                why = "two blocks exceed 85% at night";
    }
    if (why)
        goto fail;

    /* each computer's day */
    for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++)
        if (day_bytes(e, c) > e->comps[c].budget) {
            if (explain) {
                why = "a computer's day exceeds its budget";
                goto fail;
            }
            shrink(e, s, 1u << (c - si->first_comp), -1);
            return 1;
        }

    /* sync windows */
    int frame = 1440, used = 0, widest = 0, wb = 0;
    for (int g = si->first_group; g < gend; g++)
        if (e->groups[g].every < frame)
            frame = e->groups[g].every;
    for (int b = 0; b < nb; b++) {
        int w = 0;
        for (int g = si->first_group; g < gend; g++)
            w += group_minutes(e, g, block[b], JOB_SYNC);
        used += w;
        if (w > widest) {
            widest = w;
            wb = b;
        }
    }
    if (used * 4 > frame * 3) {
        if (explain) {
            why = "the sync windows exceed three quarters of the frame";
            goto fail;
        }
        shrink(e, s, block[wb], -1);
        return 1;
    }

    /* express fulls */
    int fulls = 0, flex = 24, longest = 0, lg = -1;
    for (int g = si->first_group; g < gend; g++) {
        if (e->groups[g].flex == 0)
            continue;
        int t = group_minutes(e, g, ~0u, JOB_FULL);
        fulls += t;
        if (e->groups[g].flex < flex)
            flex = e->groups[g].flex;
        if (t > longest) {
            longest = t;
            lg = g;
        }
    }
    if (lg >= 0 && fulls * 2 > flex * 60 * 3) {
        if (explain) {
            why = "the express fulls do not fit within their flex";
            goto fail;
        }
        shrink(e, s, ~0u, lg);
        return 1;
    }

    /* consistency checks */
    int checks = 0;
    longest = 0;
    lg = -1;
    for (int g = si->first_group; g < gend; g++) {
        if (!e->groups[g].cc)
            continue;
        int t = group_minutes(e, g, ~0u, JOB_CHECK);
        checks += t;
        if (t > longest) {
            longest = t;
            lg = g;
        }
    }
    if (lg >= 0 && (checks > 360 || longest > 240)) {
        if (explain) {
            why = "the consistency checks do not fit in the night";
            goto fail;
        }
        e->groups[lg].cc = false;
        return 1;
    }
    return 0;
fail:
    if (explain)
        fprintf(stderr, "stagger-genfleet: site%04d: %s\n", s + 1, why);
    return -1;
}

/* Lowers the volumes of site s until the rules hold. */
static void fit_volumes(estate *e, int s)
{
    for (int round = 0; round < 10000; round++)
        if (site_rules(e, s, false) <= 0)
            return;
}

/* Checks what the generated volumes promise: the rules above for every
 * site, and every sync within its period.  Returns false (and says why)
 * when one does not hold. */
static bool verify(estate *e)
{
    for (int s = 0; s < e->nsites; s++)
        if (site_rules(e, s, true) != 0)
            return false;
    for (int g = 0; g < e->ngroups; g++) {
        const group *gr = &e->groups[g];
        const site *si = &e->sites[gr->site];
        for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++)
            if (transfer_seconds(job_bytes(e, g, c, JOB_SYNC),
                                 e->comps[c].thr_kbps) > gr->every * 60.0) {
                fprintf(stderr, "stagger-genfleet: group %s: a sync of %s does "
                        "not finish within its period\n", gr->name,
                        e->comps[c].name);
                return false;
            }
    }
    return true;
}

/* ---- generating a site ------------------------------------------------- */

static void add_source(estate *e, int comp, const char *name, long size_gb,
                       int churn)
{
    source *s = &e->srcs[e->nsrcs++];
    snprintf(s->name, sizeof s->name, "%s", name);
    s->comp = comp;
    s->kind = e->comps[comp].kind;
    s->group = -1;
    s->size_gb = size_gb;
    s->churn = churn;
}

/* Adds a source of computer c with a size drawn from t[0..n) (at most
 * cap_gb where it can) and a churn drawn from lo..hi, drawn in that order. */
static void draw_source(estate *e, bench_rng *r, int c, const char *name,
                        const long *t, int n, double cap_gb, int lo, int hi)
{
    long size = pick_size(r, t, n, cap_gb);
    int churn = pick_churn(r, lo, hi);
    add_source(e, c, name, size, churn);
}

#define DRAW(e, r, c, name, t, cap, lo, hi) \
    draw_source((e), (r), (c), (name), (t), (int)(sizeof(t) / sizeof((t)[0])), \
                (cap), (lo), (hi))

/* The data sources of computer c, sized for its throttle; *mailbox counts
 * the site's mailbox databases, *vm its virtual machines. */
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
    int site_no = co->site + 1;
    /* a site keeps about eight days of its throttle's worth of data */
    double cap_gb = bytes_per_day(co->thr_kbps) * 8 / 1e9;
    char name[64], upper[24];
    switch (co->kind) {
    case K_FILE:
        for (int i = 0; i < 4; i++)
            if (bench_rng_chance(r, volume_p[i]))
                DRAW(e, r, c, volumes[i], file_sizes, cap_gb, 50, 300);
        break;
    case K_SQL: {
        int n = BENCH_PICK(r, n_weights) + 1;
        int order[8];
        for (int i = 0; i < 8; i++)
            order[i] = i;
        for (int i = 0; i < n; i++) {     /* n distinct names */
            int j = bench_rng_int(r, i, 7);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        size_t k;
        for (k = 0; co->shortname[k] && k + 1 < sizeof upper; k++)
            upper[k] = (char)(co->shortname[k] >= 'a' && co->shortname[k] <= 'z' ?
                              co->shortname[k] - 'a' + 'A' : co->shortname[k]);
        upper[k] = '\0';
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "%s\\%s", upper, databases[order[i]]);
            DRAW(e, r, c, name, sql_sizes, cap_gb, 100, 400);
        }
        break;
    }
    case K_EXCHANGE: {
        int n = BENCH_PICK(r, n_weights) + 1;
        for (int i = 0; i < n; i++) {
            snprintf(name, sizeof name, "S%04d-MailboxDB%02d", site_no, ++*mailbox);
            DRAW(e, r, c, name, exchange_sizes, cap_gb, 100, 300);
        }
        break;
    }
    case K_SHAREPOINT:
        for (int i = 0; i < 3; i++)
            if (bench_rng_chance(r, content_p[i]))
                DRAW(e, r, c, content[i], sharepoint_sizes, cap_gb, 50, 200);
        break;
    default: {
        int n = bench_rng_int(r, 1, 5);
        for (int i = 0; i < n; i++) {
            ++*vm;
            snprintf(name, sizeof name, "site%04d-%s%02d", site_no,
                     vm_roles[(*vm - 1) % 6], (*vm - 1) / 6 + 1);
            DRAW(e, r, c, name, hyperv_sizes, cap_gb, 100, 500);
        }
        break;
    }
    }
}

static int group_every(bench_rng *r, int kind)
{
    static const int file_every[] = { 15, 30, 60, 120, 240 };
    static const int file_w[] = { 15, 15, 50, 12, 8 };
    static const int app_every[] = { 15, 30, 60 };
    static const int app_w[] = { 35, 30, 35 };
    return kind == K_FILE ? file_every[BENCH_PICK(r, file_w)] : app_every[BENCH_PICK(r, app_w)];
}

static int add_group(estate *e, bench_rng *r, int s, int kind, const char *word)
{
    group *g = &e->groups[e->ngroups];
    snprintf(g->name, sizeof g->name, "Site%04d-%s", s + 1, word);
    g->site = s;
    g->kind = kind;
    g->every = group_every(r, kind);
    g->flex = kind == K_FILE ? 0 : bench_rng_int(r, 1, 2);
    g->cc = bench_rng_chance(r, 0.20);
    e->sites[s].ngroups++;
    return e->ngroups++;
}

/* Site s: its line, computers, data sources and groups. */
static void gen_site(estate *e, int s)
{
    static const int caps[] = { 10, 20, 30, 50, 100, 200, 500, 1000 };
    static const int cap_w[] = { 14, 16, 12, 20, 18, 11, 6, 3 };
    static const int hq_caps[] = { 200, 500, 1000 };
    static const int hq_w[] = { 3, 4, 3 };
    static const int ncomp_w[] = { 22, 28, 22, 13, 9, 6 };    /* 1..6 */
    static const int role_w[NKINDS] = { 8, 35, 20, 15, 22 };
    bench_rng r = bench_rng_stream(e->seed, (uint64_t)s);
    site *si = &e->sites[s];
    bool hq = s == 0;

    si->cap_mbps = hq ? hq_caps[BENCH_PICK(&r, hq_w)] : caps[BENCH_PICK(&r, cap_w)];
    si->bg_kbps = 0;
    if (hq || bench_rng_chance(&r, 0.85)) {
        long bg = (long)(si->cap_mbps * 1000.0 * bench_rng_range(&r, 0.05, 0.30));
        long step = bg >= 10000 ? 1000 : 100;
        bg = bg / step * step;
        si->bg_kbps = bg > 0 ? bg : 100;
    }

    int n = hq ? bench_rng_int(&r, 4, 6) : BENCH_PICK(&r, ncomp_w) + 1;
    if (si->cap_mbps <= 20 && n > 3)
        n = 3;
    si->first_comp = e->ncomps;
    si->ncomp = n;
    int count[NKINDS] = { 0 };
    for (int i = 0; i < n; i++) {
        computer *c = &e->comps[e->ncomps++];
        c->site = s;
        c->kind = i == 0 ? K_FILE : hq && i < 4 ? i : BENCH_PICK(&r, role_w);
        snprintf(c->shortname, sizeof c->shortname, "%s%02d",
                 role_prefix[c->kind], ++count[c->kind]);
        snprintf(c->name, sizeof c->name, "%s.site%04d.contoso.local",
                 c->shortname, s + 1);
        /* throttle + office traffic below 85% of the line (fit_throttles
         * lowers it where computers must be able to send together) */
        double room = si->cap_mbps * 1000.0 * LIMIT - (double)si->bg_kbps;
        c->thr_kbps = round_rate(room * bench_rng_range(&r, 0.45, 0.92));
        c->is_auto = !hq && bench_rng_chance(&r, 0.03);
    }

    si->first_src = e->nsrcs;
    int mailbox = 0, vm = 0;
    for (int i = 0; i < n; i++)
        gen_sources(e, &r, si->first_comp + i, &mailbox, &vm);
    si->nsrc = e->nsrcs - si->first_src;

    /* groups: the file servers' volumes (home drives now and then in a
     * group of their own), and one group per application kind */
    si->first_group = e->ngroups;
    si->ngroups = 0;
    int by_kind[NKINDS];
    for (int k = 0; k < NKINDS; k++)
        by_kind[k] = count[k] ? add_group(e, &r, s, k, group_word[k]) : -1;
    int home = -1;
    for (int i = si->first_src; i < e->nsrcs; i++)
        if (strcmp(e->srcs[i].name, "E:\\Home") == 0 && home < 0 &&
            bench_rng_chance(&r, 0.5))
            home = add_group(e, &r, s, K_FILE, "Home");
    for (int i = si->first_src; i < e->nsrcs; i++) {
        source *so = &e->srcs[i];
        so->group = by_kind[so->kind];
        if (home >= 0 && strcmp(so->name, "E:\\Home") == 0)
            so->group = home;
    }
    /* file volumes and content databases of several computers in one
     * group carry the computer's name */
    for (int i = si->first_src; i < e->nsrcs; i++) {
        source *so = &e->srcs[i];
        if ((so->kind != K_FILE && so->kind != K_SHAREPOINT) ||
            count[so->kind] < 2)
            continue;
        char name[64];
        snprintf(name, sizeof name, "%.40s (%.16s)", so->name,
                 e->comps[so->comp].shortname);
        snprintf(so->name, sizeof so->name, "%s", name);
    }

    fit_throttles(e, &r, s);
    for (int i = si->first_comp; i < si->first_comp + n; i++)
        e->comps[i].budget = bytes_per_day(e->comps[i].thr_kbps) *
                             bench_rng_range(&r, 0.10, 0.40);
    fit_volumes(e, s);
}

/* ---- servers and the data centre -------------------------------------- */

static void gen_servers(estate *e)
{
    bench_rng r = bench_rng_stream(e->seed, UINT64_C(0x5e7ee75));
    int n;
    if (e->nsites == 1)
        n = 1;
    else if (e->nsites <= 20)
        n = 2;
    else {
        int per = bench_rng_int(&r, 100, 200);
        n = (e->ncomps + per / 2) / per;
        if (n < 1)
            n = 1;
        if (n > e->nsites)
            n = e->nsites;
    }
    e->nservers = n;
    /* contiguous runs of sites, about the same number of computers each,
     * at least one site each */
    int srv = 0, acc = 0, here = 0;
    for (int s = 0; s < e->nsites; s++) {
        bool must = e->nsites - s == n - 1 - srv;
        bool full = (double)acc >= (double)e->ncomps * (srv + 1) / n;
        if (srv < n - 1 && here > 0 && (must || full)) {
            srv++;
            here = 0;
        }
        e->sites[s].server = srv;
        e->servers[srv].ncomp += e->sites[s].ncomp;
        acc += e->sites[s].ncomp;
        here++;
    }
    /* max_jobs: above the number of computers in the small estates; in the
     * large ones about half of the servers hold 60-80% of their computers */
    bool binding_any = false;
    for (int i = 0; i < n; i++) {
        server *sv = &e->servers[i];
        bool bind = e->nsites > 20 &&
                    (bench_rng_chance(&r, 0.5) || (i == n - 1 && !binding_any));
        if (bind) {
            sv->max_jobs = (int)(sv->ncomp * bench_rng_range(&r, 0.6, 0.8) + 0.5);
            if (sv->max_jobs < 1)
                sv->max_jobs = 1;
            binding_any = true;
        } else {
            sv->max_jobs = (sv->ncomp + bench_rng_int(&r, 0, 4) + 4) / 5 * 5;
        }
    }
}

/* The mean load of all transfers on the core, in bits per second: every
 * job keeps its computer busy at the full throttle for whole minutes. */
static double core_mean(const estate *e)
{
    double sum = 0;             /* throttle x busy minutes */
    for (int g = 0; g < e->ngroups; g++) {
        const group *gr = &e->groups[g];
        const site *si = &e->sites[gr->site];
        for (int c = si->first_comp; c < si->first_comp + si->ncomp; c++) {
            int m = 1440 / gr->every * busy_minutes(e, c, job_bytes(e, g, c, JOB_SYNC)) +
                    busy_minutes(e, c, job_bytes(e, g, c, JOB_FULL)) +
                    (gr->cc ? busy_minutes(e, c, job_bytes(e, g, c, JOB_CHECK)) : 0);
            sum += m * (double)e->comps[c].thr_kbps * 1000.0;
        }
    }
    return sum / 1440.0;
}

/* The data centre's core link: 10Gbps for the small estates; for the large
 * ones the smallest of 10, 20 and 40Gbps whose 85% is at least twice the
 * mean load of all transfers, so that a staggered schedule fits while the
 * syncs that start together today overload it. */
static void size_core(estate *e)
{
    static const long options[] = { 10, 20, 40 };
    e->core_mean = core_mean(e);
    e->core_gbps = 10;
    if (e->nsites <= 20)
        return;
    for (int i = 0; i < 3; i++) {
        e->core_gbps = options[i];
        if (e->core_mean * 2 <= options[i] * 1e9 * LIMIT)
            break;
    }
}

/* ---- writing ------------------------------------------------------------ */

static void write_fleet(const estate *e, FILE *out)
{
    char a[32], b[32], c[32];
    double protected_gb = 0, daily = 0;
    long thr_sum = 0;
    int nauto = 0, ncc = 0;
    for (int i = 0; i < e->nsrcs; i++)
        protected_gb += (double)e->srcs[i].size_gb;
    for (int i = 0; i < e->ncomps; i++) {
        daily += day_bytes(e, i);
        if (!e->comps[i].is_auto)
            thr_sum += e->comps[i].thr_kbps;
        nauto += e->comps[i].is_auto;
    }
    for (int g = 0; g < e->ngroups; g++)
        ncc += e->groups[g].cc;

    if (e->size_word)
        fprintf(out, "# A generated DPM estate for benchmarks: size %s, seed %" PRIu64 ".\n",
                e->size_word, e->seed);
    else
        fprintf(out, "# A generated DPM estate for benchmarks: %d sites, seed %" PRIu64 ".\n",
                e->nsites, e->seed);
    fprintf(out, "#\n"
            "# sites:     %d (site0001 is the head office), each on its own WAN line\n"
            "# computers: %d (%d with throttle: auto; the others' throttles sum to %.1fGbps)\n"
            "# servers:   %d, behind the %ldGbps core link dc-core\n"
            "# groups:    %d (%d with a nightly consistency check), all syncing at\n"
            "#            DPM's default offset 0\n"
            "# sources:   %d: %.1fTB protected, about %.0fGB a day to transfer\n"
            "# core:      a mean load of %.2fGbps (busy minutes at full throttle)\n",
            e->nsites, e->ncomps, nauto, (double)thr_sum / 1e6,
            e->nservers, e->core_gbps, e->ngroups, ncc,
            e->nsrcs, protected_gb / 1000, daily / 1e9, e->core_mean / 1e9);
    fprintf(out, "stagger: 1\ncycle: day\nresolution: 1m\nheadroom: 15%%\n"
            "efficiency: 80%%\n\n");

    fprintf(out, "links:\n  - name: dc-core\n    capacity: %ldGbps\n", e->core_gbps);
    for (int s = 0; s < e->nsites; s++) {
        const site *si = &e->sites[s];
        fprintf(out, "  - name: site%04d-wan\n    capacity: %s\n", s + 1,
                bench_fmt_rate(a, sizeof a, si->cap_mbps * 1000L));
        if (si->bg_kbps > 0)
            fprintf(out, "    background:\n      - { from: \"08:00\", to: \"18:00\", "
                    "rate: %s, days: daily }\n", bench_fmt_rate(a, sizeof a, si->bg_kbps));
    }

    fprintf(out, "\nservers:\n");
    for (int i = 0; i < e->nservers; i++)
        fprintf(out, "  - name: dpm%02d\n    path: [dc-core]\n    max_jobs: %d\n",
                i + 1, e->servers[i].max_jobs);

    fprintf(out, "\ncomputers:\n");
    for (int i = 0; i < e->ncomps; i++) {
        const computer *co = &e->comps[i];
        fprintf(out, "  - { name: %s, server: dpm%02d, path: [site%04d-wan], "
                "throttle: %s }\n", co->name, e->sites[co->site].server + 1,
                co->site + 1,
                co->is_auto ? "auto" : bench_fmt_rate(a, sizeof a, co->thr_kbps));
    }

    fprintf(out, "\ngroups:\n");
    for (int g = 0; g < e->ngroups; g++) {
        const group *gr = &e->groups[g];
        const site *si = &e->sites[gr->site];
        fprintf(out, "  - name: %s\n    server: dpm%02d\n"
                "    sync: { every: %s, offset: 0m }\n", gr->name, si->server + 1,
                fmt_minutes(a, sizeof a, gr->every));
        if (gr->kind == K_FILE)
            fprintf(out, "    recovery_points: { at: [\"08:00\", \"12:00\", \"17:00\"], "
                    "days: daily }\n");
        else
            fprintf(out, "    express_full: { at: [\"20:00\"], days: daily, flex: %dh }\n",
                    gr->flex);
        if (gr->cc)
            fprintf(out, "    consistency_check: { from: \"22:00\", to: \"06:00\", "
                    "days: daily }\n");
        fprintf(out, "    sources:\n");
        for (int i = si->first_src; i < si->first_src + si->nsrc; i++) {
            const source *so = &e->srcs[i];
            if (so->group != g)
                continue;
            fprintf(out, "      - { name: '%s', computer: %s, kind: %s, size: %s, "
                    "churn: %s }\n", so->name, e->comps[so->comp].name,
                    kind_word[so->kind], bench_fmt_size(b, sizeof b, so->size_gb),
                    fmt_churn(c, sizeof c, so->churn));
        }
    }
}

/* ---- the command line --------------------------------------------------- */

static void usage(FILE *f)
{
    fprintf(f,
            "usage: stagger-genfleet SIZE [--seed N] [-o FILE]\n"
            "       stagger-genfleet --sites N [--seed N] [-o FILE]\n"
            "\n"
            "Writes a realistic fleet file of a DPM estate for benchmarks; the\n"
            "same size and seed give the same bytes.\n"
            "\n"
            "  SIZE         S (1 site), M (20 sites), L (200 sites), XL (2000 sites)\n"
            "  --sites N    any number of sites, 1 to %d\n"
            "  --seed N     the seed (default 1)\n"
            "  -o FILE      write FILE (whole or not at all) instead of stdout\n",
            MAX_SITES);
}

/* Says what is wrong with the command line (msg, then arg quoted when
 * given) and how to use it.  Returns the exit status 2. */
static int bad_usage(const char *msg, const char *arg)
{
    if (arg)
        fprintf(stderr, "stagger-genfleet: %s '%s'\n", msg, arg);
    else
        fprintf(stderr, "stagger-genfleet: %s\n", msg);
    fprintf(stderr, "usage: stagger-genfleet SIZE [--seed N] [-o FILE]  "
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
            fprintf(stderr, "stagger-genfleet: out of memory\n");
            goto done;
        }
        snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
        out = fopen(tmp, "w");
        if (!out) {
            fprintf(stderr, "stagger-genfleet: %s: %s\n", tmp, strerror(errno));
            goto done;
        }
    }
    write_fleet(e, out);
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(stderr, "stagger-genfleet: %s: %s\n", path ? tmp : "stdout",
                strerror(errno));
        goto done;
    }
    if (path) {
        FILE *f = out;
        out = stdout;
        if (fclose(f) != 0) {
            fprintf(stderr, "stagger-genfleet: %s: %s\n", tmp, strerror(errno));
            goto done;
        }
        if (rename(tmp, path) != 0) {
            fprintf(stderr, "stagger-genfleet: %s: %s\n", path, strerror(errno));
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

int main(int argc, char **argv)
{
    static const struct {
        const char *word;
        int sites;
    } sizes[] = { { "S", 1 }, { "M", 20 }, { "L", 200 }, { "XL", 2000 } };
    estate e = { 0 };
    const char *path = NULL;
    uint64_t v;
    int rc = 2;
    e.seed = 1;

    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--seed") == 0) {
            if (!bench_parse_number(i + 1 < argc ? argv[++i] : NULL, UINT64_MAX, &v))
                return bad_usage("--seed expects a whole number, e.g. --seed 7", NULL);
            e.seed = v;
        } else if (strcmp(a, "--sites") == 0) {
            if (e.nsites)
                return bad_usage("give one size, not also", a);
            if (!bench_parse_number(i + 1 < argc ? argv[++i] : NULL, MAX_SITES, &v) || v < 1)
                return bad_usage("--sites expects a number of sites from 1 to 9999", NULL);
            e.nsites = (int)v;
        } else if (strcmp(a, "-o") == 0) {
            if (i + 1 >= argc)
                return bad_usage("-o expects a file name", NULL);
            path = argv[++i];
        } else if (a[0] == '-') {
            return bad_usage("unknown option", a);
        } else {
            if (e.nsites)
                return bad_usage("give one size (S, M, L, XL or --sites N), not also", a);
            for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
                if (strcmp(a, sizes[k].word) == 0) {
                    e.nsites = sizes[k].sites;
                    e.size_word = sizes[k].word;
                }
            if (!e.nsites)
                return bad_usage("write S, M, L, XL or --sites N; unknown size", a);
        }
    }
    if (!e.nsites)
        return bad_usage("give a size: S, M, L, XL or --sites N", NULL);

    size_t ns = (size_t)e.nsites;
    e.sites = calloc(ns, sizeof *e.sites);
    e.comps = calloc(ns * MAX_COMPUTERS, sizeof *e.comps);
    e.srcs = calloc(ns * MAX_COMPUTERS * MAX_SOURCES, sizeof *e.srcs);
    e.groups = calloc(ns * MAX_GROUPS, sizeof *e.groups);
    e.servers = calloc(ns, sizeof *e.servers);
    if (!e.sites || !e.comps || !e.srcs || !e.groups || !e.servers) {
        fprintf(stderr, "stagger-genfleet: out of memory\n");
        rc = 3;
        goto done;
    }
    for (int s = 0; s < e.nsites; s++)
        gen_site(&e, s);
    gen_servers(&e);
    size_core(&e);
    if (!verify(&e)) {
        rc = 3;
        goto done;
    }
    rc = emit(&e, path);
done:
    free(e.sites);
    free(e.comps);
    free(e.srcs);
    free(e.groups);
    free(e.servers);
    return rc;
}
