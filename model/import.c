/* stagger: a fleet from DPM exports and a sites file (see import.h).
 *
 * Decisions (docs/import.md, "How an export becomes a fleet", repeats
 * them):
 *  - Every export must be on the same clock (utc_offset): a fleet has
 *    one for all its DPM servers.  A server exported twice, and a
 *    computer with data sources on two servers, are errors.
 *  - A group name on two servers is made unique by adding the server's
 *    first name label ("Files (DPM02)"; a warning: stagger export --to
 *    ps1 finds groups by name), a source name on several computers of a
 *    group by adding its computer's ("C:\ (FS01)"; a note).  Where two
 *    servers' or computers' first labels are the same, the whole name.
 *  - A group without data sources is left out (a warning).
 *  - A computer takes the path and clock of the first site whose pattern
 *    matches its name; none matching is an error naming the computer and
 *    the sites file.  Without a sites file every path is empty.
 *  - Throttles: DPM's rates (Kbps of 1000 bits/s) as written; throttling
 *    off is `auto` (no throttle today: check sends at the bottleneck,
 *    planning recommends one), and so is a throttle the export does not
 *    know (a warning); a work/other pair whose work hours are empty (no
 *    day, or start at end) is its other rate; a rate above the bottleneck
 *    of the computer's path is that bottleneck (what it sends at), with
 *    a warning.
 *  - Size: used_bytes, else replica_bytes (a warning), else 0 (a
 *    warning).
 *  - Churn: the bytes of the source's succeeded Replication jobs per day
 *    of history (from the export's first job to its collection time, one
 *    day at least); else the site's churn, the sites file's, or 2%/day,
 *    each a warning (one per export when it has no history at all). */
#include "import.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "alloc.h"
#include "hash.h"

typedef struct {
    const stg_dpm_export *const *ex;
    const char *const *names;
    int nex;
    const stg_sites *sites;
    const char *sites_name;
    stg_import *im;
    stg_diags *d;
    size_t cap_computers, cap_groups, cap_sources;
    int *computer_export;       /* the export each computer came from */
    size_t cap_ce;
    bool oom;
} bd;

static stg_loc in_file(stg_loc l, int file)
{
    l.file = file;
    return l;
}

static void warn(bd *b, int file, stg_loc l, const char *hint,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void error(bd *b, int file, stg_loc l, const char *hint,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void say(bd *b, stg_diag_level level, int file, stg_loc l,
                const char *hint, const char *fmt, va_list ap)
{
    char buf[1024];
    vsnprintf(buf, sizeof buf, fmt, ap);
    stg_diag_add(b->d, level, in_file(l, file), hint, "%s", buf);
}

static void warn(bd *b, int file, stg_loc l, const char *hint,
                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(b, STG_DIAG_WARNING, file, l, hint, fmt, ap);
    va_end(ap);
}

static void error(bd *b, int file, stg_loc l, const char *hint,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(b, STG_DIAG_ERROR, file, l, hint, fmt, ap);
    va_end(ap);
}

/* Appends a line to *note (lines joined by '\n'). */
static void note(bd *b, char **n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void note(bd *b, char **n, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    char *c = *n ? stg_asprintf("%s\n%s", *n, buf) : stg_strdup(buf);
    if (!c) {
        b->oom = true;
        return;
    }
    stg_free(*n);
    *n = c;
}

/* "DPM02" of "DPM02.lyon.contoso.local" (into buf). */
static const char *first_label(char *buf, size_t size, const char *name)
{
    size_t n = strcspn(name, ".");
    snprintf(buf, size, "%.*s", (int)(n ? n : strlen(name)), name);
    return buf;
}

/* ---- the job history --------------------------------------------------- */

static uint64_t hash3(const char *g, const char *s, const char *c)
{
    uint64_t h = STG_HASH_BASIS;
    const char *p[3] = {g, s, c};
    const unsigned char sep = 0x1f;
    for (int i = 0; i < 3; i++)
        h = stg_hash_bytes(stg_hash_str(h, p[i]), &sep, 1);
    return h;
}

/* Per data source of export e (groups' sources in order): the bytes of
 * its succeeded Replication jobs and how many carried a byte count.
 * *days: the history's length (0: no job at all).  Returns 0 or -1
 * (out of memory). */
static int history(const stg_dpm_export *e, double *bytes, int *jobs,
                   double *days)
{
    int n = 0, rc = -1;
    for (int g = 0; g < e->ngroups; g++)
        n += e->groups[g].nsources;
    *days = 0;
    if (e->njobs == 0)
        return 0;
    long long first = e->jobs[0].start;
    for (int j = 1; j < e->njobs; j++)
        if (e->jobs[j].start < first)
            first = e->jobs[j].start;
    *days = (double)(e->collected - first) / 86400.0;
    if (*days < 1)
        *days = 1;
    size_t size = 16;
    while (size < (size_t)n * 2)
        size *= 2;
    int *slot = stg_calloc(size, sizeof *slot);
    const stg_dpm_source **src = stg_calloc((size_t)n + 1, sizeof *src);
    const char **grp = stg_calloc((size_t)n + 1, sizeof *grp);
    if (!slot || !src || !grp)
        goto out;
    for (int g = 0, k = 0; g < e->ngroups; g++)
        for (int s = 0; s < e->groups[g].nsources; s++, k++) {
            const stg_dpm_source *x = &e->groups[g].sources[s];
            src[k] = x;
            grp[k] = e->groups[g].name;
            size_t h = hash3(grp[k], x->name, x->computer) & (size - 1);
            while (slot[h])
                h = (h + 1) & (size - 1);
            slot[h] = k + 1;
        }
    for (int j = 0; j < e->njobs; j++) {
        const stg_dpm_job *job = &e->jobs[j];
        if (!job->group || !job->source || !job->computer ||
            job->bytes < 0 || strcmp(job->type, "Replication") ||
            strcmp(job->status, "Succeeded"))
            continue;
        size_t h = hash3(job->group, job->source, job->computer) &
                   (size - 1);
        for (; slot[h]; h = (h + 1) & (size - 1)) {
            int k = slot[h] - 1;
            if (!strcmp(grp[k], job->group) &&
                !strcmp(src[k]->name, job->source) &&
                !strcmp(src[k]->computer, job->computer)) {
                bytes[k] += job->bytes;
                jobs[k]++;
                break;
            }
        }
    }
    rc = 0;
out:
    stg_free(slot);
    stg_free(src);
    stg_free(grp);
    return rc;
}

/* ---- computers --------------------------------------------------------- */

static int find_computer(const stg_import *im, const char *name)
{
    for (int i = 0; i < im->ncomputers; i++)
        if (!strcmp(im->computers[i].name, name))
            return i;
    return -1;
}

static const stg_dpm_computer *export_computer(const stg_dpm_export *e,
                                               const char *name)
{
    for (int i = 0; i < e->ncomputers; i++)
        if (!strcmp(e->computers[i].name, name))
            return &e->computers[i];
    return NULL;
}

/* The bottleneck of computer c's path (its site's, then its server's),
 * and the link it is on (-1: no link, INFINITY-like 0). */
static double bottleneck(const bd *b, const stg_imp_computer *c, int *link)
{
    const stg_sites *s = b->sites;
    double cap = 0;
    *link = -1;
    if (!s)
        return 0;
    const stg_imp_server *sv = &b->im->servers[c->server];
    for (int pass = 0; pass < 2; pass++) {
        const int *path = NULL;
        int n = 0;
        if (pass == 0 && c->site >= 0) {
            path = s->sites[c->site].path;
            n = s->sites[c->site].npath;
        } else if (pass == 1 && sv->site_server >= 0) {
            path = s->servers[sv->site_server].path;
            n = s->servers[sv->site_server].npath;
        }
        for (int i = 0; i < n; i++)
            if (*link < 0 || s->links[path[i]].capacity < cap) {
                cap = s->links[path[i]].capacity;
                *link = path[i];
            }
    }
    return cap;
}

/* "10.24Mbps" of bits per second (for notes and messages). */
static const char *rate_text(char *buf, size_t size, double bps)
{
    static const struct { double f; const char *u; } units[] = {
        {1e9, "Gbps"}, {1e6, "Mbps"}, {1e3, "Kbps"}, {1, "bps"}};
    int i = 0;
    while (i < 3 && bps < units[i].f)
        i++;
    snprintf(buf, size, "%.3f", bps / units[i].f);
    char *p = buf + strlen(buf) - 1;
    while (*p == '0')
        *p-- = '\0';
    if (*p == '.')
        *p = '\0';
    snprintf(buf + strlen(buf), size - strlen(buf), "%s", units[i].u);
    return buf;
}

/* Caps a rate at the bottleneck of c's path; true when it did. */
static bool capped(bd *b, stg_imp_computer *c, double *rate, const char *what,
                   int file, stg_loc at)
{
    int link;
    double cap = bottleneck(b, c, &link);
    char r1[48], r2[48];
    if (link < 0 || *rate <= cap)
        return false;
    warn(b, file, at, "it sends no faster than the link: the fleet takes "
         "that rate", "computer %s: DPM's %sthrottle of %s is above the %s "
         "of link %s on its path", c->name, what,
         rate_text(r1, sizeof r1, *rate), rate_text(r2, sizeof r2, cap),
         b->sites->links[link].name);
    note(b, &c->note, "check: DPM's %sthrottle is %s, above the %s of %s: "
         "the link's rate is taken", what, rate_text(r1, sizeof r1, *rate),
         rate_text(r2, sizeof r2, cap), b->sites->links[link].name);
    *rate = cap;
    return true;
}

/* The throttle of computer c from export file's entry x (NULL: the
 * export does not list it). */
static void throttle_of(bd *b, stg_imp_computer *c, int file,
                        const stg_dpm_computer *x, stg_loc src_loc)
{
    stg_throttle *t = &c->throttle;
    char r1[48], r2[48];
    memset(t, 0, sizeof *t);
    t->kind = STG_THROTTLE_AUTO;
    if (!x || x->throttle == STG_DPM_THROTTLE_UNKNOWN) {
        b->im->throttle_unknown++;
        if (b->ex[file]->ncomputers > 0)
            warn(b, file, x ? x->throttle_loc : src_loc, "the fleet says "
                 "auto: check it, and write the rate DPM has",
                 "computer %s: its throttle is not in the export", c->name);
        note(b, &c->note, "check: its throttle is not in the export: auto "
             "(unthrottled today; planning recommends one)");
        return;
    }
    if (x->throttle == STG_DPM_THROTTLE_OFF) {
        b->im->throttle_off++;
        note(b, &c->note, "throttling is off in DPM");
        return;
    }
    b->im->throttle_set++;
    bool cut = false;
    if (!x->work_days || x->work_start == x->work_end) {
        t->kind = STG_THROTTLE_RATE;
        t->rate = x->other_bps;
        note(b, &c->note, "DPM's work hours are empty (%s): its other rate, "
             "%s, all the time; the work rate was %s", !x->work_days ?
             "no day" : "they start where they end",
             rate_text(r1, sizeof r1, x->other_bps),
             rate_text(r2, sizeof r2, x->work_bps));
        cut = capped(b, c, &t->rate, "", file, x->throttle_loc);
    } else {
        t->kind = STG_THROTTLE_WORK;
        t->work = x->work_bps;
        t->other = x->other_bps;
        t->has_hours = true;
        t->hours_from = x->work_start;
        t->hours_to = x->work_end;
        t->days = x->work_days;
        cut = capped(b, c, &t->work, "work ", file, x->throttle_loc);
        cut |= capped(b, c, &t->other, "other ", file, x->throttle_loc);
    }
    b->im->throttle_capped += cut;
}

/* The fleet's computer for a source of export file; -1 when out of
 * memory or in error. */
static int computer_of(bd *b, int file, const char *name, stg_loc src_loc)
{
    stg_import *im = b->im;
    int c = find_computer(im, name);
    if (c >= 0) {
        int other = b->computer_export[c];
        if (other != file) {
            error(b, file, src_loc, "a protected computer reports to one "
                  "DPM server: collect the exports again, or import the "
                  "servers into separate fleets", "computer %s has data "
                  "sources on DPM server %s (%s) and on %s (%s)", name,
                  b->ex[other]->server, b->names[other], b->ex[file]->server,
                  b->names[file]);
            return -1;
        }
        return c;
    }
    if (stg_grow((void **)&im->computers, &b->cap_computers,
                 (size_t)im->ncomputers + 1, sizeof *im->computers) ||
        stg_grow((void **)&b->computer_export, &b->cap_ce,
                 (size_t)im->ncomputers + 1, sizeof *b->computer_export)) {
        b->oom = true;
        return -1;
    }
    stg_imp_computer *x = &im->computers[im->ncomputers];
    memset(x, 0, sizeof *x);
    if (!(x->name = stg_strdup(name))) {
        b->oom = true;
        return -1;
    }
    b->computer_export[im->ncomputers] = file;
    x->server = file;
    x->site = -1;
    if (b->sites) {
        x->site = stg_sites_match(b->sites, name);
        if (x->site < 0) {
            char hint[512];
            const char *dot = strchr(name, '.');
            snprintf(hint, sizeof hint, "add a pattern that matches it to a "
                     "site's computers in %s, e.g. \"%s%s\"", b->sites_name,
                     dot ? "*" : name, dot ? dot : "");
            error(b, file, src_loc, hint, "computer %s matches no site of %s",
                  name, b->sites_name);
        } else if (b->sites->sites[x->site].has_utc) {
            x->has_utc = true;
            x->utc_offset = b->sites->sites[x->site].utc_offset;
        }
    }
    throttle_of(b, x, file, export_computer(b->ex[file], name), src_loc);
    return im->ncomputers++;
}

/* ---- sources ----------------------------------------------------------- */

static bool kind_of(const char *type, stg_source_kind *k)
{
    static const struct { const char *type; stg_source_kind kind; } map[] = {
        {"Volume", STG_SRC_FILE}, {"Share", STG_SRC_FILE},
        {"SQL", STG_SRC_SQL}, {"Exchange", STG_SRC_EXCHANGE},
        {"SharePoint", STG_SRC_SHAREPOINT}, {"HyperV", STG_SRC_HYPERV},
        {"SystemProtection", STG_SRC_SYSTEM}, {"Client", STG_SRC_CLIENT},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(type, map[i].type)) {
            *k = map[i].kind;
            return true;
        }
    *k = STG_SRC_FILE;
    return false;
}

static const char *size_text(char *buf, size_t size, double bytes)
{
    static const struct { double f; const char *u; } units[] = {
        {1e15, "PB"}, {1e12, "TB"}, {1e9, "GB"}, {1e6, "MB"}, {1e3, "KB"},
        {1, "B"}};
    int i = 0;
    while (i < 5 && bytes < units[i].f)
        i++;
    snprintf(buf, size, "%.3f", bytes / units[i].f);
    char *p = buf + strlen(buf) - 1;
    while (*p == '0')
        *p-- = '\0';
    if (*p == '.')
        *p = '\0';
    snprintf(buf + strlen(buf), size - strlen(buf), "%s", units[i].u);
    return buf;
}

/* The churn of a source the history says nothing of: its site's, the
 * sites file's, or the default. */
static void assumed_churn(bd *b, stg_imp_source *s, int site, char *why,
                          size_t size)
{
    const stg_sites *st = b->sites;
    const stg_churn_default *c = NULL;
    if (st && site >= 0 && st->sites[site].churn.set) {
        c = &st->sites[site].churn;
        snprintf(why, size, "site %s's churn", st->sites[site].name);
    } else if (st && st->churn.set) {
        c = &st->churn;
        snprintf(why, size, "the sites file's churn");
    }
    if (c) {
        s->churn_relative = c->relative;
        s->churn = c->value;
        b->im->churn_sites++;
    } else {
        s->churn_relative = true;
        s->churn = STG_IMPORT_CHURN;
        snprintf(why, size, "stagger's default churn");
        b->im->churn_default++;
    }
}

static void churn_text(char *buf, size_t size, const stg_imp_source *s)
{
    char t[48];
    if (s->churn_relative) {
        snprintf(t, sizeof t, "%.4f", s->churn * 100);
        char *p = t + strlen(t) - 1;
        while (*p == '0')
            *p-- = '\0';
        if (*p == '.')
            *p = '\0';
        snprintf(buf, size, "%s%%/day", t);
    } else {
        snprintf(buf, size, "%s/day", size_text(t, sizeof t, s->churn));
    }
}

typedef struct {
    double *bytes;              /* per source of the export, in order */
    int *jobs;
    double days;
} hist;

/* Adds source x (the k-th of its export) of group g (fleet index). */
static void add_source(bd *b, int file, const stg_dpm_group *dg,
                       const stg_dpm_source *x, int k, const hist *h)
{
    stg_import *im = b->im;
    stg_imp_group *g = &im->groups[im->ngroups - 1];
    char why[160], t1[48], t2[48];
    int c = computer_of(b, file, x->computer, x->loc);
    if (c < 0 || b->oom)
        return;
    if (stg_grow((void **)&im->sources, &b->cap_sources,
                 (size_t)im->nsources + 1, sizeof *im->sources)) {
        b->oom = true;
        return;
    }
    stg_imp_source *s = &im->sources[im->nsources];
    memset(s, 0, sizeof *s);
    s->computer = c;
    /* the name, unique in its group */
    bool twice = false;
    for (int i = 0; i < dg->nsources; i++)
        twice |= &dg->sources[i] != x && !strcmp(dg->sources[i].name,
                                                 x->name);
    if (twice) {
        /* its computer's first label, or its whole name where another
         * computer of that source name starts the same */
        char label[256], other[256];
        const char *tag = first_label(label, sizeof label, x->computer);
        for (int i = 0; i < dg->nsources; i++)
            if (!strcmp(dg->sources[i].name, x->name) &&
                strcmp(dg->sources[i].computer, x->computer) &&
                !strcasecmp(tag, first_label(other, sizeof other,
                                             dg->sources[i].computer)))
                tag = x->computer;
        s->name = stg_asprintf("%s (%s)", x->name, tag);
        if (s->name) {
            note(b, &s->note, "DPM's name: %s (on several computers of the "
                 "group)", x->name);
            im->sources_renamed++;
        }
    } else {
        s->name = stg_strdup(x->name);
    }
    if (!s->name) {
        b->oom = true;
        return;
    }
    im->nsources++;             /* freed with the import from here on */
    g->nsources++;
    s->full_only = g->ef_points;
    if (!kind_of(x->type, &s->kind)) {
        im->sources_other_type++;
        warn(b, file, x->loc, "set its kind (file, sql, exchange, "
             "sharepoint, hyperv, system, client)", "data source %s of "
             "group %s: DPM's type %s is not one stagger knows: imported as "
             "file data", x->name, dg->name, x->type);
        note(b, &s->note, "check: DPM's type %s: imported as file data",
             x->type);
    }
    if (x->used_bytes >= 0) {
        s->size = x->used_bytes;
    } else if (x->replica_bytes >= 0) {
        s->size = x->replica_bytes;
        im->sizes_replica++;
        warn(b, file, x->loc, "check its size: the replica is larger than "
             "the data it holds", "data source %s of group %s: no used size "
             "in the export: the replica's %s is taken", x->name, dg->name,
             size_text(t1, sizeof t1, x->replica_bytes));
        note(b, &s->note, "check: size: the replica's (no used size in the "
             "export)");
    } else {
        im->sizes_unknown++;
        warn(b, file, x->loc, "write its size", "data source %s of group %s: "
             "no size in the export: 0 is taken", x->name, dg->name);
        note(b, &s->note, "check: size: not in the export");
    }
    if (h->jobs[k] > 0) {
        s->churn_relative = false;
        s->churn = h->bytes[k] / h->days;
        im->churn_history++;
        note(b, &s->note, "churn: %s in %d synchronizations over %.1f days "
             "of history", size_text(t1, sizeof t1, h->bytes[k]), h->jobs[k],
             h->days);
        return;
    }
    assumed_churn(b, s, im->computers[c].site, why, sizeof why);
    churn_text(t2, sizeof t2, s);
    if (h->days > 0)
        warn(b, file, x->loc, "check it, and write the churn you know",
             "data source %s of group %s has no succeeded synchronization "
             "in the job history: %s is assumed (%s)", x->name, dg->name,
             t2, why);
    note(b, &s->note, "check: churn %s assumed (%s): %s", t2, why,
         h->days > 0 ? "no succeeded synchronization in the history"
                     : "no job history in the export");
}

/* ---- groups ------------------------------------------------------------ */

static int *copy_times(bd *b, const stg_dpm_times *t)
{
    int *c = stg_calloc((size_t)t->ntimes, sizeof *c);
    if (!c)
        b->oom = true;
    else
        memcpy(c, t->times, sizeof *c * (size_t)t->ntimes);
    return c;
}

/* True when another export has a group of that name. */
static bool name_elsewhere(const bd *b, int file, const char *name)
{
    for (int e = 0; e < b->nex; e++)
        for (int g = 0; e != file && g < b->ex[e]->ngroups; g++)
            if (!strcmp(b->ex[e]->groups[g].name, name) &&
                b->ex[e]->groups[g].nsources > 0)
                return true;
    return false;
}


/* The settings the collection script could not read from DPM (null in
 * the export): DPM's defaults where it has them, each a warning and a
 * "check:" comment; a check whose length is unknown is left out. */
static void unknown_settings(bd *b, int file, const stg_dpm_group *dg,
                             stg_imp_group *g)
{
    if (dg->sync_unknown && !g->ef_points) {
        g->before_rp = false;
        g->every = 15 * 60;
        g->offset = 0;
        warn(b, file, dg->sync_loc, "check it, and write the group's sync",
             "group %s: its sync is not in the export: DPM's default, every "
             "15 minutes at offset 0, is assumed", dg->name);
        note(b, &g->note, "check: sync not in the export: DPM's default "
             "assumed");
    } else if (dg->offset_unknown) {
        warn(b, file, dg->sync_loc, "check it, and write the offset DPM has",
             "group %s: its sync offset is not in the export: 0 (DPM's "
             "default) is assumed", dg->name);
        note(b, &g->note, "check: sync offset not in the export: 0 assumed");
    }
    if (dg->has_cc && dg->cc_hours == 0) {
        char t[16];
        snprintf(t, sizeof t, "%02d:%02d", dg->cc_start / 3600,
                 dg->cc_start / 60 % 60);
        warn(b, file, dg->cc_loc, "add its consistency_check window to the "
             "fleet", "group %s: its consistency check starts at %s, but its "
             "length is not in the export: it is left out of the fleet",
             dg->name, t);
        note(b, &g->note, "check: a consistency check from %s of a length "
             "not in the export: left out", t);
    } else if (dg->has_cc && dg->cc_days == 0) {
        warn(b, file, dg->cc_loc, "check it, and write the days DPM has",
             "group %s: the days of its consistency check are not in the "
             "export: daily (DPM's daily check) is assumed", dg->name);
        note(b, &g->note, "check: check days not in the export: daily "
             "assumed");
    }
}

static void add_group(bd *b, int file, const stg_dpm_group *dg, int first,
                      const hist *h)
{
    stg_import *im = b->im;
    const stg_dpm_export *e = b->ex[file];
    char label[256];
    if (dg->nsources == 0) {
        im->groups_empty++;
        warn(b, file, dg->loc, "a fleet's group has data sources", "group %s "
             "has no data sources: left out", dg->name);
        return;
    }
    if (stg_grow((void **)&im->groups, &b->cap_groups, (size_t)im->ngroups + 1,
                 sizeof *im->groups)) {
        b->oom = true;
        return;
    }
    stg_imp_group *g = &im->groups[im->ngroups];
    memset(g, 0, sizeof *g);
    g->server = file;
    g->first_source = im->nsources;
    if (name_elsewhere(b, file, dg->name)) {
        /* the server's first label, or its whole name where another
         * server's starts the same */
        const char *tag = first_label(label, sizeof label, e->server);
        for (int k = 0; k < b->nex; k++) {
            char other[256];
            if (k != file && !strcasecmp(tag, first_label(other, sizeof other,
                                                          b->ex[k]->server)))
                tag = e->server;
        }
        g->name = stg_asprintf("%s (%s)", dg->name, tag);
        if (g->name) {
            im->groups_renamed++;
            warn(b, file, dg->loc, "the fleet names groups apart; stagger "
                 "export --to ps1 looks groups up by name, so rename one in "
                 "DPM to apply a plan to it", "group %s is on another DPM "
                 "server too: it is named %s", dg->name, g->name);
            note(b, &g->note, "DPM's name: %s (on %s)", dg->name, e->server);
        }
    } else {
        g->name = stg_strdup(dg->name);
    }
    if (!g->name) {
        b->oom = true;
        return;
    }
    g->ef_points = dg->before_recovery_point && !dg->has_rp;
    g->before_rp = dg->before_recovery_point && !g->ef_points;
    if (g->ef_points)
        note(b, &g->note, "DPM syncs it just before each recovery point, "
             "and its recovery points are its express fulls: its data "
             "sources are express_full_only");
    g->every = dg->every_min * 60;
    g->offset = dg->offset_min * 60;
    unknown_settings(b, file, dg, g);
    if (dg->has_rp) {
        g->rp = copy_times(b, &dg->rp);
        g->nrp = dg->rp.ntimes;
        g->rp_days = dg->rp.days;
    }
    if (dg->has_ef) {
        g->ef = copy_times(b, &dg->ef);
        g->nef = dg->ef.ntimes;
        g->ef_days = dg->ef.days;
    }
    if (dg->has_cc && dg->cc_hours > 0) {
        g->has_cc = true;
        g->cc_from = dg->cc_start;
        g->cc_to = (dg->cc_start + dg->cc_hours * 3600) % 86400;
        g->cc_days = dg->cc_days ? dg->cc_days : STG_DAILY;
    }
    im->ngroups++;
    for (int s = 0; s < dg->nsources && !b->oom; s++)
        add_source(b, file, dg, &dg->sources[s], first + s, h);
}

/* ---- the whole ---------------------------------------------------------- */

static void free_group(stg_imp_group *g)
{
    stg_free(g->name);
    stg_free(g->rp);
    stg_free(g->ef);
    stg_free(g->note);
}

void stg_import_free(stg_import *im)
{
    if (!im)
        return;
    for (int i = 0; i < im->nservers; i++)
        stg_free(im->servers[i].name);
    stg_free(im->servers);
    for (int i = 0; i < im->ncomputers; i++) {
        stg_free(im->computers[i].name);
        stg_free(im->computers[i].note);
    }
    stg_free(im->computers);
    for (int i = 0; i < im->ngroups; i++)
        free_group(&im->groups[i]);
    stg_free(im->groups);
    for (int i = 0; i < im->nsources; i++) {
        stg_free(im->sources[i].name);
        stg_free(im->sources[i].note);
    }
    stg_free(im->sources);
    stg_free(im);
}

/* The exports' clocks and servers agree. */
static bool exports_agree(bd *b)
{
    bool ok = true;
    for (int i = 1; i < b->nex; i++) {
        const stg_dpm_export *e = b->ex[i], *f = b->ex[0];
        if (e->utc_offset != f->utc_offset) {
            error(b, i, e->utc_offset_loc, "a fleet has one clock for all "
                  "its DPM servers: import servers on other clocks into "
                  "fleets of their own", "DPM server %s is %+.2f hours from "
                  "UTC, and %s (%s) %+.2f", e->server,
                  e->utc_offset / 3600.0, f->server, b->names[0],
                  f->utc_offset / 3600.0);
            ok = false;
        }
        for (int k = 0; k < i; k++)
            if (!strcasecmp(b->ex[k]->server, e->server)) {
                error(b, i, e->server_loc, "import each DPM server once",
                      "DPM server %s is exported in %s too", e->server,
                      b->names[k]);
                ok = false;
                break;
            }
    }
    return ok;
}

/* What the sites file names that no export has. */
static void unused_sites(bd *b)
{
    const stg_sites *s = b->sites;
    stg_import *im = b->im;
    if (!s) {
        warn(b, 0, (stg_loc){0, 0, 0}, "give the links and the sites with "
             "--sites (docs/import.md, \"The sites file\")", "no sites file: "
             "the fleet has no links, and stagger has nothing to plan for");
        return;
    }
    for (int i = 0; i < s->nservers; i++) {
        bool used = false;
        for (int k = 0; k < im->nservers && !used; k++)
            used = im->servers[k].site_server == i;
        if (!used)
            warn(b, b->nex, s->servers[i].loc, "the fleet leaves it out",
                 "server %s is in no export given", s->servers[i].name);
    }
    for (int i = 0; i < s->nsites; i++) {
        bool used = false;
        for (int k = 0; k < im->ncomputers && !used; k++)
            used = im->computers[k].site == i;
        if (!used)
            warn(b, b->nex, s->sites[i].loc, "check its patterns",
                 "site %s matches no computer of the exports",
                 s->sites[i].name);
    }
}

int stg_import_build(const stg_dpm_export *const *exports,
                     const char *const *names, int nexports,
                     const stg_sites *sites, const char *sites_name,
                     stg_import **out, stg_diags *d)
{
    bd b;
    size_t errors = d->errors;
    hist h = {NULL, NULL, 0};
    memset(&b, 0, sizeof b);
    b.ex = exports;
    b.names = names;
    b.nex = nexports;
    b.sites = sites;
    b.sites_name = sites_name ? sites_name : "the sites file";
    b.d = d;
    *out = NULL;
    if (!(b.im = stg_calloc(1, sizeof *b.im)) ||
        !(b.im->servers = stg_calloc((size_t)nexports + 1,
                                     sizeof *b.im->servers))) {
        b.oom = true;
        goto out;
    }
    stg_import *im = b.im;
    im->utc_offset = nexports ? exports[0]->utc_offset : 0;
    if (!exports_agree(&b))
        goto out;
    for (int i = 0; i < nexports; i++) {
        if (!(im->servers[i].name = stg_strdup(exports[i]->server))) {
            b.oom = true;
            goto out;
        }
        im->nservers++;
        im->servers[i].site_server = stg_sites_server(sites,
                                                      exports[i]->server);
    }
    for (int i = 0; i < nexports && !b.oom; i++) {
        const stg_dpm_export *e = exports[i];
        int n = 0;
        for (int g = 0; g < e->ngroups; g++)
            n += e->groups[g].nsources;
        h.bytes = stg_calloc((size_t)n + 1, sizeof *h.bytes);
        h.jobs = stg_calloc((size_t)n + 1, sizeof *h.jobs);
        if (!h.bytes || !h.jobs || history(e, h.bytes, h.jobs, &h.days)) {
            b.oom = true;
            break;
        }
        if (e->ncomputers == 0 && n > 0)
            warn(&b, i, e->server_loc, "collect the computers too "
                 "(docs/import.md), or write the throttles in the fleet",
                 "the export lists no computers: no throttle is known, and "
                 "every computer is auto");
        if (e->njobs == 0 && n > 0)
            warn(&b, i, e->server_loc, "collect the job history too "
                 "(docs/import.md), or write the churn you know in the sites "
                 "file", "the export has no job history: the churn of its %d "
                 "data source%s is assumed", n, n == 1 ? "" : "s");
        for (int g = 0, first = 0; g < e->ngroups && !b.oom; g++) {
            add_group(&b, i, &e->groups[g], first, &h);
            first += e->groups[g].nsources;
        }
        stg_free(h.bytes);
        stg_free(h.jobs);
        h.bytes = NULL;
        h.jobs = NULL;
    }
    if (!b.oom)
        unused_sites(&b);
out:
    stg_free(h.bytes);
    stg_free(h.jobs);
    stg_free(b.computer_export);
    if (b.oom || d->oom) {
        d->oom = 1;
        stg_import_free(b.im);
        return -2;
    }
    if (d->errors > errors) {
        stg_import_free(b.im);
        return -1;
    }
    *out = b.im;
    return 0;
}
