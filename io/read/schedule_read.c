/* stagger: the schedule file reader (schedule.md). */
#include "io/read/schedule_read.h"
#include "io/read/textfile.h"
#include "io/read/ynode.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/units.h"
#include "model/alloc.h"
#include "model/quantity.h"

#define MAX_DEPTH 16            /* the format nests 5 deep */
/* A schedule lists every transfer of the cycle: about 150 bytes each,
 * so 256 MiB holds well over a million. */
#define MAX_FILE_SIZE ((size_t)256 << 20)

/* ---- the document, read through ynode --------------------------------- */

/* The lists of the root that are read entry by entry as the parser
 * reaches the end of each (schedule.md puts them after "cycle"), so that
 * memory holds one entry at a time and a file of a million broken
 * entries is refused at the first ten thousand errors. */
enum { L_GROUPS, L_COMPUTERS, L_LINKS, L_VIOLATIONS, L_TRANSFERS, L_N };
static const char *const list_keys[L_N + 1] = {
    "groups", "computers", "links", "violations", "transfers", NULL
};

#define MAX_KEYS 64             /* the format's largest mapping has 13 */
#define MAX_LIVE (1 << 18)      /* values held at once (one entry's and
                                   the root's): far above any schedule's */
#define MAX_ITEMS (1 << 24)     /* entries of one list */

/* How the tree's own errors read in a schedule file (users and tests
 * know these words), and that the first of them ends the reading. */
static const stg_ytexts schedule_texts = {
    .empty = "the schedule file is empty",
    .empty_hint = "a schedule starts with \"stagger-schedule: 1\"",
    .second_doc = "a schedule file holds one YAML document",
    .second_doc_hint = "remove everything after the first document",
    .alias = "aliases (*%s) are not allowed in a schedule file",
    .alias_hint = "write the value out in full",
    .depth = "nested more than %d levels deep",
    .nodes = "more than %zu values in one entry",
    .nodes_hint = "a schedule entry holds far fewer",
    .max_keys = MAX_KEYS,
    .keys = "more than %d keys in one mapping",
    .keys_hint = "a mapping of a schedule has at most 13 keys",
    .twice = "\"%s\" is given twice (first on line %d)",
    .twice_hint = "keep one of them",
    .strict = true,
};

typedef struct {
    stg_diags *diags;
    int cycle;
    stg_schedule_doc *d;        /* the lists are read into it */
    size_t cap[L_N];
    size_t items[L_N];          /* entries read of each list */
    int cycle_seen;             /* "cycle" was read at the root */
    int version_seen;           /* "stagger-schedule" was */
    const char *dep_list;       /* a list read before it that needs it */
    int key;                    /* what the root key being read is */
} rd;

static stg_loc loc_of(const stg_ynode *n)
{
    stg_loc l = { n->mark.line, n->mark.col, 0 };
    return l;
}

static void read_item(rd *r, int list, const stg_ynode *n);

static int too_many(stg_diags *d)
{
    if (d->dropped >= STG_DIAG_STOP) {
        d->truncated = 1;       /* enough said: the rest is not read */
        return 1;
    }
    return 0;
}

enum { K_OTHER = L_N, K_CYCLE, K_VERSION };

/* What the root's key k (just read) is: a list (L_*), or K_*.  A list
 * before "stagger-schedule" is refused (this is not a schedule, and its
 * lists are not to be read as one's).  Returns 0 to stop reading. */
static int root_key(void *arg, const stg_ynode *root, const stg_ynode *k)
{
    rd *r = arg;
    r->key = K_OTHER;
    if (k->kind != STG_YSCALAR)
        return 1;
    if (!strcmp(k->text, "cycle"))
        r->key = K_CYCLE;
    else if (!strcmp(k->text, "stagger-schedule"))
        r->key = K_VERSION;
    for (int i = 0; i < L_N; i++)
        if (!strcmp(k->text, list_keys[i])) {
            if (!r->version_seen) {
                stg_diag_error(r->diags, loc_of(root), "a schedule starts "
                               "with \"stagger-schedule: 1\"", "this is not "
                               "a schedule file (no \"stagger-schedule\" "
                               "before \"%s\")", k->text);
                return 0;
            }
            if (i != L_COMPUTERS && i != L_LINKS && !r->cycle_seen &&
                !r->dep_list)
                r->dep_list = list_keys[i];
            r->key = i;
        }
    return 1;
}

/* Value n of the root key just read (what root_key() made of it).
 * Returns 0 to stop reading. */
static int root_value(void *arg, const stg_ynode *root, const stg_ynode *k,
                      const stg_ynode *n)
{
    rd *r = arg;
    (void)root;
    (void)k;
    if (r->key == K_VERSION) {
        r->version_seen = 1;
        if (n->kind == STG_YSCALAR && strcmp(n->text, "1")) {
            stg_diag_error(r->diags, loc_of(n), "this program reads "
                           "version 1", "schedule format version \"%s\" is "
                           "not supported", n->text);
            return 0;
        }
    } else if (r->key == K_CYCLE && n->kind == STG_YSCALAR) {
        r->cycle = strcmp(n->text, "week") ? STG_DAY : STG_WEEK;
        r->cycle_seen = 1;
        if (r->dep_list) {
            stg_diag_error(r->diags, loc_of(n), "keys appear in the order "
                           "of schedule.md", "\"cycle\" should come before "
                           "\"%s\"", r->dep_list);
            return 0;
        }
    }
    return 1;
}

/* Reads entry n of root list `list` into r->d (ynode frees it after).
 * Returns 0 when reading stops (out of memory, or errors enough). */
static int entry_done(void *arg, const char *list, const stg_ynode *n)
{
    rd *r = arg;
    int l = 0;
    while (l < L_N - 1 && strcmp(list, list_keys[l]))
        l++;
    if (++r->items[l] > MAX_ITEMS) {
        stg_diag_error(r->diags, loc_of(n), NULL,
                       "%s has more than %d entries", list, MAX_ITEMS);
        return 0;
    }
    read_item(r, l, n);
    return !r->diags->oom && !too_many(r->diags);
}

/* Parses text into a tree (the root lists' entries read into r->d on
 * the way: the root keeps them empty); NULL after adding an error (or
 * setting diags->oom), or when reading stopped. */
static stg_ynode *build_tree(const char *text, size_t len, rd *r)
{
    const stg_ynode_stream how = {
        .texts = &schedule_texts, .lists = list_keys, .arg = r,
        .key = root_key, .pair = root_value, .entry = entry_done,
    };
    r->key = K_OTHER;
    return stg_ynode_read_stream(text, len, 0, MAX_DEPTH, MAX_LIVE, &how,
                                 r->diags);
}

/* ---- walking the tree -------------------------------------------------- */

#define ERR(r, n, hint, ...) \
    stg_diag_error((r)->diags, loc_of(n), hint, __VA_ARGS__)

static int want(rd *r, const stg_ynode *n, stg_ykind type, const char *what)
{
    if (n->kind == type)
        return 1;
    ERR(r, n, NULL, "%s should be %s", what,
        type == STG_YMAP ? "a mapping (key: value)"
        : type == STG_YSEQ ? "a list" : "a single value");
    return 0;
}

typedef struct {
    const char *key;
    int required;
    const stg_ynode *val;
} field;

/* Sorts the keys of mapping m into fs (unknown, repeated and missing
 * required keys are errors).  Returns 1 when m is a mapping. */
static int fields(rd *r, const stg_ynode *m, const char *what, field *fs,
                  int nf)
{
    for (int j = 0; j < nf; j++)
        fs[j].val = NULL;
    if (!want(r, m, STG_YMAP, what))
        return 0;
    for (int i = 0; i < m->n; i++) {
        const stg_ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (k->kind != STG_YSCALAR) {
            ERR(r, k, NULL, "a key in %s should be a plain name", what);
            continue;
        }
        int j = 0;
        while (j < nf && strcmp(k->text, fs[j].key))
            j++;
        if (j == nf) {
            char hint[256];
            size_t used = (size_t)snprintf(hint, sizeof hint, "expected ");
            for (int x = 0; x < nf && used < sizeof hint; x++)
                used += (size_t)snprintf(hint + used, sizeof hint - used,
                                         "%s%s", x ? ", " : "", fs[x].key);
            ERR(r, k, hint, "unknown key \"%s\" in %s", k->text, what);
            continue;
        }
        if (fs[j].val) {
            ERR(r, k, "keep one of them", "\"%s\" is given twice in %s",
                k->text, what);
            continue;
        }
        fs[j].val = v;
    }
    for (int j = 0; j < nf; j++)
        if (fs[j].required && !fs[j].val)
            ERR(r, m, NULL, "%s has no \"%s\"", what, fs[j].key);
    return 1;
}

/* The text of a scalar, or NULL after an error. */
static const char *scalar(rd *r, const stg_ynode *n, const char *what)
{
    if (!want(r, n, STG_YSCALAR, what))
        return NULL;
    if (strlen(n->text) != n->len) {
        ERR(r, n, NULL, "%s contains a NUL character", what);
        return NULL;
    }
    return n->text;
}

static int get_name(rd *r, const stg_ynode *n, const char *what, char **out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (!*s) {
        ERR(r, n, NULL, "%s is empty", what);
        return -1;
    }
    if (!(*out = stg_strdup(s))) {
        r->diags->oom = 1;
        return -1;
    }
    return 0;
}

static int get_text(rd *r, const stg_ynode *n, const char *what, char **out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (!(*out = stg_strdup(s))) {
        r->diags->oom = 1;
        return -1;
    }
    return 0;
}

static int get_bool(rd *r, const stg_ynode *n, const char *what, bool *out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (!strcmp(s, "true"))
        *out = true;
    else if (!strcmp(s, "false"))
        *out = false;
    else {
        ERR(r, n, "write true or false", "%s \"%s\" is not true or false",
            what, s);
        return -1;
    }
    return 0;
}

/* One of names[] (NULL-terminated); its index, or -1 after an error. */
static int get_word(rd *r, const stg_ynode *n, const char *what,
                    const char *const *names, const char *hint)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    for (int i = 0; names[i]; i++)
        if (!strcmp(s, names[i]))
            return i;
    ERR(r, n, hint, "%s \"%s\" is not known", what, s);
    return -1;
}

/* Reports a unit parser's complaint about n. */
static void unit_error(rd *r, const stg_ynode *n, const char *what,
                       const char *s, const stg_unit_err *e)
{
    ERR(r, n, e->hint[0] ? e->hint : NULL, "%s \"%s\" %s", what, s, e->msg);
}

static int get_size(rd *r, const stg_ynode *n, const char *what, double *out)
{
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_size(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

static int get_rate(rd *r, const stg_ynode *n, const char *what, double *out)
{
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_rate(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

static int get_duration(rd *r, const stg_ynode *n, const char *what, int *out)
{
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_duration(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

/* A fraction from 0 to 100% ("15%" or "0.15"). */
static int get_fraction(rd *r, const stg_ynode *n, const char *what,
                        double *out)
{
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_fraction(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

/* A percentage as the schedule writes its measurements ("23.4%",
 * "-4.2%" for a saturated link, "112.0%" for a peak above capacity). */
static int get_pct(rd *r, const stg_ynode *n, const char *what, double *out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    const char *p = *s == '-' ? s + 1 : s;
    char *end;
    double v = 0;
    int ok = *p >= '0' && *p <= '9';
    if (ok) {
        errno = 0;
        v = strtod(p, &end);
        ok = !errno && isfinite(v) && v <= 1e6 && end[0] == '%' && !end[1];
        for (const char *q = p; ok && q < end; q++)
            ok = (*q >= '0' && *q <= '9') || *q == '.';
    }
    if (!ok) {
        ERR(r, n, "write e.g. 23.4%", "%s \"%s\" is not a percentage",
            what, s);
        return -1;
    }
    *out = (*s == '-' ? -v : v) / 100.0;
    return 0;
}

static int get_clock(rd *r, const stg_ynode *n, const char *what, int *out)
{
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_clock(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

/* A time in the cycle: "20:05", or "mon 20:05" in a week cycle. */
static int get_cycle_time(rd *r, const stg_ynode *n, const char *what,
                          int *out)
{
    static const char *const days[] = {
        "mon", "tue", "wed", "thu", "fri", "sat", "sun"
    };
    stg_unit_err e;
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (r->cycle == STG_WEEK) {
        int d = 0, t;
        while (d < 7 && strncmp(s, days[d], 3))
            d++;
        if (d == 7 || s[3] != ' ') {
            ERR(r, n, "in a week cycle write e.g. \"mon 20:05\"",
                "%s \"%s\" does not start with a day", what, s);
            return -1;
        }
        if (stg_parse_clock(s + 4, &t, &e)) {
            unit_error(r, n, what, s, &e);
            return -1;
        }
        *out = d * STG_DAY + t;
        return 0;
    }
    if (stg_parse_clock(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

/* Days: "daily", "weekdays", "weekend", "mon", or a list of those. */
static int get_days(rd *r, const stg_ynode *n, const char *what, unsigned *out)
{
    stg_unit_err e;
    *out = 0;
    if (n->kind == STG_YSEQ) {
        if (n->n == 0) {
            ERR(r, n, "write e.g. daily or [mon, wed]", "%s is empty", what);
            return -1;
        }
        for (int i = 0; i < n->n; i++) {
            unsigned d;
            if (n->items[i]->kind == STG_YSEQ) {
                ERR(r, n->items[i], "write e.g. [mon, wed]",
                    "%s: a list inside a list", what);
                return -1;
            }
            if (get_days(r, n->items[i], what, &d))
                return -1;
            *out |= d;
        }
        return 0;
    }
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    if (stg_parse_day(s, out, &e)) {
        unit_error(r, n, what, s, &e);
        return -1;
    }
    return 0;
}

/* A whole number in [lo, hi]. */
static int get_int(rd *r, const stg_ynode *n, const char *what, int lo, int hi,
                   int *out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi ||
        !(*s >= '0' && *s <= '9')) {
        ERR(r, n, NULL, "%s \"%s\" is not a whole number from %d to %d",
            what, s, lo, hi);
        return -1;
    }
    *out = (int)v;
    return 0;
}

static int get_seconds(rd *r, const stg_ynode *n, const char *what,
                       double *out)
{
    const char *s = scalar(r, n, what);
    if (!s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno || !isfinite(v) || v < 0 ||
        !(*s >= '0' && *s <= '9')) {
        ERR(r, n, "write e.g. 1.21", "%s \"%s\" is not a number of seconds",
            what, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Each item of a list: *items is allocated for n->n elements of elem
 * bytes (zeroed) and *count set.  Returns -1 when n is not a list or out
 * of memory. */
static int list(rd *r, const stg_ynode *n, const char *what, void **items,
                int *count, size_t elem)
{
    if (!want(r, n, STG_YSEQ, what))
        return -1;
    if ((size_t)n->n > (size_t)1 << 24) {
        ERR(r, n, NULL, "%s has too many entries", what);
        return -1;
    }
    if (!(*items = stg_calloc((size_t)(n->n ? n->n : 1), elem))) {
        r->diags->oom = 1;
        return -1;
    }
    *count = (int)n->n;
    return 0;
}

/* ---- the sections ------------------------------------------------------ */

static void read_sync(rd *r, const stg_ynode *n, stg_sdoc_group *g)
{
    field fs[] = {
        { "every", 0, NULL }, { "before_recovery_point", 0, NULL },
        { "offset", 1, NULL },
    };
    if (!fields(r, n, "sync", fs, 3))
        return;
    if (fs[1].val)
        get_bool(r, fs[1].val, "before_recovery_point", &g->before_rp);
    if (g->before_rp && fs[0].val)
        ERR(r, fs[0].val, "keep one of them", "sync has both \"every\" and "
            "\"before_recovery_point: true\"");
    else if (!g->before_rp && !fs[0].val)
        ERR(r, n, "write e.g. { every: 15m, offset: 7m }",
            "sync has no \"every\"");
    else if (fs[0].val && !get_duration(r, fs[0].val, "sync every", &g->every)
             && g->every <= 0)
        ERR(r, fs[0].val, NULL, "sync every must be longer than 0");
    if (fs[2].val && !get_duration(r, fs[2].val, "sync offset", &g->offset) &&
        g->offset < 0)
        ERR(r, fs[2].val, NULL, "sync offset must not be negative");
}

static void read_express_full(rd *r, const stg_ynode *n, stg_sdoc_group *g)
{
    g->ef_loc = loc_of(n);
    if (!want(r, n, STG_YSEQ, "express_full"))
        return;
    size_t slots = (size_t)(n->n ? n->n : 1);
    if (!(g->ef_at = stg_calloc(slots, sizeof *g->ef_at)) ||
        !(g->ef_days = stg_calloc(slots, sizeof *g->ef_days))) {
        r->diags->oom = 1;
        return;
    }
    g->nef = (int)n->n;
    for (int i = 0; i < n->n; i++) {
        field fs[] = { { "at", 1, NULL }, { "days", 1, NULL } };
        if (!fields(r, n->items[i], "an express_full entry", fs, 2))
            continue;
        if (fs[0].val)
            get_clock(r, fs[0].val, "express_full at", &g->ef_at[i]);
        if (fs[1].val)
            get_days(r, fs[1].val, "express_full days", &g->ef_days[i]);
    }
}

static void read_group(rd *r, const stg_ynode *n, stg_sdoc_group *g)
{
    field fs[] = {
        { "name", 1, NULL }, { "sync", 1, NULL },
        { "recovery_points", 0, NULL }, { "express_full", 0, NULL },
        { "consistency_check", 0, NULL }, { "lag", 0, NULL },
    };
    g->loc = loc_of(n);
    g->cc_start = -1;
    g->lag = -1;
    if (!fields(r, n, "a group", fs, 6))
        return;
    if (fs[0].val)
        get_name(r, fs[0].val, "group name", &g->name);
    if (fs[1].val) {
        g->sync_loc = loc_of(fs[1].val);
        read_sync(r, fs[1].val, g);
    }
    if (fs[2].val && !list(r, fs[2].val, "recovery_points",
                           (void **)&g->rp_at, &g->nrp, sizeof *g->rp_at))
        for (int i = 0; i < g->nrp; i++)
            get_clock(r, fs[2].val->items[i], "recovery point", &g->rp_at[i]);
    if (fs[3].val)
        read_express_full(r, fs[3].val, g);
    if (fs[4].val) {
        field cc[] = { { "start", 1, NULL }, { "hours", 1, NULL } };
        g->cc_loc = loc_of(fs[4].val);
        if (fields(r, fs[4].val, "consistency_check", cc, 2)) {
            g->cc_start = 0;
            g->cc_hours = 1;
            if (cc[0].val)
                get_clock(r, cc[0].val, "consistency_check start",
                          &g->cc_start);
            if (cc[1].val)
                get_int(r, cc[1].val, "consistency_check hours", 1, 24,
                        &g->cc_hours);
        }
    }
    if (fs[5].val && !get_duration(r, fs[5].val, "lag", &g->lag) && g->lag < 0)
        ERR(r, fs[5].val, NULL, "lag must not be negative");
}

/* "08:00-18:00" */
static int get_hours(rd *r, const stg_ynode *n, int *from, int *to)
{
    stg_unit_err e;
    const char *s = scalar(r, n, "throttle hours");
    if (!s)
        return -1;
    if (stg_parse_clock_range(s, from, to, &e)) {
        unit_error(r, n, "throttle hours", s, &e);
        return -1;
    }
    return 0;
}

static void read_throttle(rd *r, const stg_ynode *n, stg_throttle *th)
{
    memset(th, 0, sizeof *th);
    if (n->kind == STG_YSCALAR) {
        th->kind = STG_THROTTLE_RATE;
        if (!get_rate(r, n, "throttle", &th->rate) && th->rate <= 0)
            ERR(r, n, NULL, "throttle must be more than 0");
        return;
    }
    field fs[] = {
        { "work", 1, NULL }, { "other", 1, NULL },
        { "hours", 0, NULL }, { "days", 0, NULL },
    };
    th->kind = STG_THROTTLE_WORK;
    if (!fields(r, n, "throttle", fs, 4))
        return;
    if (fs[0].val && !get_rate(r, fs[0].val, "work throttle", &th->work) &&
        th->work <= 0)
        ERR(r, fs[0].val, NULL, "work throttle must be more than 0");
    if (fs[1].val && !get_rate(r, fs[1].val, "other throttle", &th->other) &&
        th->other <= 0)
        ERR(r, fs[1].val, NULL, "other throttle must be more than 0");
    if (fs[2].val) {
        th->has_hours = true;
        th->days = STG_DAILY;
        get_hours(r, fs[2].val, &th->hours_from, &th->hours_to);
        if (fs[3].val)
            get_days(r, fs[3].val, "throttle days", &th->days);
    } else if (fs[3].val) {
        ERR(r, fs[3].val, "add hours: \"08:00-18:00\"",
            "throttle days without hours");
    }
}

static void read_computer(rd *r, const stg_ynode *n, stg_sdoc_computer *c)
{
    field fs[] = {
        { "name", 1, NULL }, { "throttle", 1, NULL },
        { "recommended", 1, NULL }, { "busy", 1, NULL },
    };
    c->loc = loc_of(n);
    if (!fields(r, n, "a computer", fs, 4))
        return;
    if (fs[0].val)
        get_name(r, fs[0].val, "computer name", &c->name);
    if (fs[1].val) {
        c->throttle_loc = loc_of(fs[1].val);
        read_throttle(r, fs[1].val, &c->throttle);
    }
    if (fs[2].val)
        get_bool(r, fs[2].val, "recommended", &c->recommended);
    if (fs[3].val)
        get_fraction(r, fs[3].val, "busy", &c->busy);
}

static void read_link(rd *r, const stg_ynode *n, stg_sdoc_link *l)
{
    field fs[] = {
        { "name", 1, NULL }, { "capacity", 1, NULL }, { "peak", 1, NULL },
        { "headroom", 1, NULL }, { "at", 1, NULL }, { "bound", 1, NULL },
        { "bound_without_waits", 0, NULL },
    };
    l->loc = loc_of(n);
    if (!fields(r, n, "a link", fs, 7))
        return;
    if (fs[0].val)
        get_name(r, fs[0].val, "link name", &l->name);
    if (fs[1].val)
        get_rate(r, fs[1].val, "capacity", &l->capacity);
    if (fs[2].val)
        get_pct(r, fs[2].val, "peak", &l->peak);
    if (fs[3].val)
        get_pct(r, fs[3].val, "headroom", &l->headroom);
    if (fs[4].val)
        get_cycle_time(r, fs[4].val, "at", &l->at);
    if (fs[5].val)
        get_pct(r, fs[5].val, "bound", &l->bound);
    l->bound_nowait = l->bound;
    if (fs[6].val)
        get_pct(r, fs[6].val, "bound_without_waits", &l->bound_nowait);
}

static void read_violation(rd *r, const stg_ynode *n, stg_sdoc_violation *v)
{
    static const char *const kinds[] = {
        "headroom", "lag", "consistency_check", "backlog", NULL
    };
    static const char *const names[] = {
        "link", "group", "group", "computer"
    };
    field fs[] = {
        { "kind", 1, NULL }, { "link", 0, NULL }, { "group", 0, NULL },
        { "computer", 0, NULL }, { "from", 0, NULL }, { "to", 0, NULL },
        { "over", 0, NULL },
    };
    v->loc = loc_of(n);
    if (!fields(r, n, "a violation", fs, 7) || !fs[0].val)
        return;
    int k = get_word(r, fs[0].val, "violation kind", kinds,
                     "write headroom, lag, consistency_check or backlog");
    if (k < 0)
        return;
    v->kind = k == 0 ? STG_VIOL_HEADROOM : k == 1 ? STG_VIOL_LAG
            : k == 2 ? STG_VIOL_CC_WINDOW : STG_VIOL_BACKLOG;
    /* the keys each kind has: name key, from/to, over */
    int want_name = k == 0 ? 1 : k == 3 ? 3 : 2;
    for (int j = 1; j < 7; j++) {
        int wanted = j == want_name || (k == 0 && (j == 4 || j == 5)) ||
                     (k != 3 && j == 6);
        if (wanted && !fs[j].val)
            ERR(r, n, NULL, "a %s violation has no \"%s\"", kinds[k],
                fs[j].key);
        else if (!wanted && fs[j].val)
            ERR(r, fs[j].val, NULL, "a %s violation has no \"%s\"; "
                "remove it", kinds[k], fs[j].key);
    }
    if (fs[want_name].val)
        get_name(r, fs[want_name].val, names[k], &v->name);
    if (k == 0) {
        if (fs[4].val)
            get_cycle_time(r, fs[4].val, "from", &v->from);
        if (fs[5].val)
            get_cycle_time(r, fs[5].val, "to", &v->to);
        if (fs[6].val)
            get_pct(r, fs[6].val, "over", &v->amount);
    } else if (k != 3 && fs[6].val) {
        int secs;
        if (!get_duration(r, fs[6].val, "over", &secs))
            v->amount = secs;
    }
}

static void read_transfer(rd *r, const stg_ynode *n, stg_sdoc_transfer *t)
{
    static const char *const kinds[] = {
        "sync", "express_full", "consistency_check", NULL
    };
    field fs[] = {
        { "group", 1, NULL }, { "computer", 1, NULL }, { "kind", 1, NULL },
        { "release", 1, NULL }, { "start", 1, NULL }, { "end", 1, NULL },
        { "volume", 1, NULL },
    };
    t->loc = loc_of(n);
    if (!fields(r, n, "a transfer", fs, 7))
        return;
    if (fs[0].val)
        get_name(r, fs[0].val, "group", &t->group);
    if (fs[1].val)
        get_name(r, fs[1].val, "computer", &t->computer);
    if (fs[2].val) {
        int k = get_word(r, fs[2].val, "transfer kind", kinds,
                         "write sync, express_full or consistency_check");
        t->kind = k == 1 ? STG_JOB_EXPRESS_FULL : k == 2 ? STG_JOB_CC
                : STG_JOB_SYNC;
    }
    int ok = fs[3].val && fs[4].val && fs[5].val;
    if (fs[3].val && get_cycle_time(r, fs[3].val, "release", &t->release))
        ok = 0;
    if (fs[4].val && get_cycle_time(r, fs[4].val, "start", &t->start))
        ok = 0;
    if (fs[5].val && get_cycle_time(r, fs[5].val, "end", &t->end))
        ok = 0;
    if (ok) {
        if (t->start < t->release)
            t->start += r->cycle;
        while (t->end <= t->start)
            t->end += r->cycle;
    }
    if (fs[6].val && !get_size(r, fs[6].val, "volume", &t->volume) &&
        t->volume < 0)
        ERR(r, fs[6].val, NULL, "volume must not be negative");
}

/* Reads each item of a list section with fn. */
/* Appends an entry (zeroed) to a list of the document; NULL when out of
 * memory. */
static void *append(rd *r, void **arr, int *count, size_t *cap, size_t elem)
{
    if (stg_grow(arr, cap, (size_t)*count + 1, elem)) {
        r->diags->oom = 1;
        return NULL;
    }
    void *e = (char *)*arr + (size_t)*count * elem;
    memset(e, 0, elem);
    (*count)++;
    return e;
}

#define APPEND(r, arr, count, cap) \
    append((r), (void **)&(arr), &(count), &(cap), sizeof *(arr))

static void read_item(rd *r, int list, const stg_ynode *n)
{
    stg_schedule_doc *d = r->d;
    void *e;
    switch (list) {
    case L_GROUPS:
        if ((e = APPEND(r, d->groups, d->ngroups, r->cap[list])))
            read_group(r, n, e);
        break;
    case L_COMPUTERS:
        if ((e = APPEND(r, d->computers, d->ncomputers, r->cap[list])))
            read_computer(r, n, e);
        break;
    case L_LINKS:
        if ((e = APPEND(r, d->links, d->nlinks, r->cap[list])))
            read_link(r, n, e);
        break;
    case L_VIOLATIONS:
        if ((e = APPEND(r, d->violations, d->nviolations, r->cap[list])))
            read_violation(r, n, e);
        break;
    default:
        if ((e = APPEND(r, d->transfers, d->ntransfers, r->cap[list])))
            read_transfer(r, n, e);
        break;
    }
}

static void read_root(rd *r, const stg_ynode *root, stg_schedule_doc *d)
{
    static const char *const cycles[] = { "day", "week", NULL };
    static const char *const statuses[] = {
        "optimal", "feasible", "violates", NULL
    };
    field fs[] = {
        { "stagger-schedule", 1, NULL }, { "fleet", 1, NULL },
        { "cycle", 1, NULL }, { "resolution", 1, NULL },
        { "status", 1, NULL }, { "headroom", 1, NULL },
        { "solve", 1, NULL }, { "stopped", 0, NULL },
        { "groups", 1, NULL }, { "computers", 1, NULL },
        { "links", 1, NULL }, { "violations", 0, NULL },
        { "transfers", 1, NULL },
    };
    enum {
        F_VERSION, F_FLEET, F_CYCLE, F_RES, F_STATUS, F_HEADROOM, F_SOLVE,
        F_STOPPED, F_GROUPS, F_COMPUTERS, F_LINKS, F_VIOLATIONS, F_TRANSFERS,
        F_N
    };

    /* first make sure this is a schedule at all */
    if (!want(r, root, STG_YMAP, "a schedule file"))
        return;
    const stg_ynode *version = NULL;
    for (int i = 0; i < root->n; i++)
        if (root->items[2 * i]->kind == STG_YSCALAR &&
            !strcmp(root->items[2 * i]->text, "stagger-schedule"))
            version = root->items[2 * i + 1];
    if (!version) {
        ERR(r, root, "a schedule starts with \"stagger-schedule: 1\"",
            "this is not a schedule file (no \"stagger-schedule\")");
        return;
    }
    const char *v = scalar(r, version, "stagger-schedule");
    if (!v)
        return;
    if (strcmp(v, "1")) {
        ERR(r, version, "this program reads version 1",
            "schedule format version \"%s\" is not supported", v);
        return;
    }
    d->version = 1;

    fields(r, root, "the schedule", fs, F_N);
    if (fs[F_CYCLE].val) {
        d->cycle_loc = loc_of(fs[F_CYCLE].val);
        int c = get_word(r, fs[F_CYCLE].val, "cycle", cycles,
                         "write day or week");
        d->cycle = c == 1 ? STG_WEEK : STG_DAY;
    } else {
        d->cycle = STG_DAY;
    }
    r->cycle = d->cycle;
    if (fs[F_FLEET].val) {
        field ff[] = { { "file", 1, NULL }, { "sha256", 1, NULL } };
        if (fields(r, fs[F_FLEET].val, "fleet", ff, 2)) {
            if (ff[0].val)
                get_text(r, ff[0].val, "fleet file", &d->fleet_file);
            if (ff[1].val &&
                !get_text(r, ff[1].val, "fleet sha256", &d->fleet_sha256)) {
                size_t k = 0;
                while (d->fleet_sha256[k] &&
                       strchr("0123456789abcdef", d->fleet_sha256[k]))
                    k++;
                if (k != 64 || d->fleet_sha256[k])
                    ERR(r, ff[1].val, NULL, "fleet sha256 should be 64 "
                        "hexadecimal digits");
            }
        }
    }
    if (fs[F_RES].val &&
        !get_duration(r, fs[F_RES].val, "resolution", &d->resolution) &&
        d->resolution <= 0)
        ERR(r, fs[F_RES].val, NULL, "resolution must be longer than 0");
    if (fs[F_STATUS].val) {
        int s = get_word(r, fs[F_STATUS].val, "status", statuses,
                         "write optimal, feasible or violates");
        d->status = s == 1 ? STG_STATUS_FEASIBLE : s == 2
                  ? STG_STATUS_VIOLATES : STG_STATUS_OPTIMAL;
    }
    d->at = -1;
    if (fs[F_HEADROOM].val) {
        field hf[] = {
            { "required", 1, NULL }, { "achieved", 1, NULL },
            { "link", 0, NULL }, { "at", 0, NULL }, { "bound", 1, NULL },
            { "bound_without_waits", 0, NULL },
        };
        const stg_ynode *h = fs[F_HEADROOM].val;
        if (fields(r, h, "headroom", hf, 6)) {
            if (hf[0].val)
                get_fraction(r, hf[0].val, "required headroom", &d->required);
            if (hf[1].val)
                get_pct(r, hf[1].val, "achieved headroom", &d->achieved);
            if (hf[2].val && !hf[3].val)
                ERR(r, h, NULL, "headroom has \"link\" but no \"at\"");
            if (hf[3].val && !hf[2].val)
                ERR(r, h, NULL, "headroom has \"at\" but no \"link\"");
            if (hf[2].val)
                get_name(r, hf[2].val, "headroom link", &d->link);
            if (hf[3].val)
                get_cycle_time(r, hf[3].val, "headroom at", &d->at);
            if (hf[4].val)
                get_pct(r, hf[4].val, "headroom bound", &d->bound);
            d->bound_nowait = d->bound;
            if (hf[5].val)
                get_pct(r, hf[5].val, "headroom bound_without_waits",
                        &d->bound_nowait);
        }
    }
    if (fs[F_SOLVE].val) {
        field sf[] = { { "seconds", 1, NULL }, { "method", 1, NULL } };
        if (fields(r, fs[F_SOLVE].val, "solve", sf, 2)) {
            if (sf[0].val)
                get_seconds(r, sf[0].val, "solve seconds", &d->seconds);
            if (sf[1].val)
                get_text(r, sf[1].val, "solve method", &d->method);
        }
    }
    if (fs[F_STOPPED].val)
        get_bool(r, fs[F_STOPPED].val, "stopped", &d->stopped);
    /* the lists were read entry by entry (build_tree); here only that
     * each is one */
    if (fs[F_GROUPS].val && want(r, fs[F_GROUPS].val, STG_YSEQ, "groups"))
        d->groups_loc = loc_of(fs[F_GROUPS].val);
    if (fs[F_COMPUTERS].val &&
        want(r, fs[F_COMPUTERS].val, STG_YSEQ, "computers"))
        d->computers_loc = loc_of(fs[F_COMPUTERS].val);
    if (fs[F_LINKS].val)
        want(r, fs[F_LINKS].val, STG_YSEQ, "links");
    if (fs[F_VIOLATIONS].val)
        want(r, fs[F_VIOLATIONS].val, STG_YSEQ, "violations");
    if (fs[F_TRANSFERS].val &&
        want(r, fs[F_TRANSFERS].val, STG_YSEQ, "transfers"))
        d->transfers_loc = loc_of(fs[F_TRANSFERS].val);
}

void stg_schedule_doc_free(stg_schedule_doc *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->ngroups; i++) {
        stg_free(d->groups[i].name);
        stg_free(d->groups[i].rp_at);
        stg_free(d->groups[i].ef_at);
        stg_free(d->groups[i].ef_days);
    }
    stg_free(d->groups);
    for (int i = 0; i < d->ncomputers; i++)
        stg_free(d->computers[i].name);
    stg_free(d->computers);
    for (int i = 0; i < d->nlinks; i++)
        stg_free(d->links[i].name);
    stg_free(d->links);
    for (int i = 0; i < d->nviolations; i++)
        stg_free(d->violations[i].name);
    stg_free(d->violations);
    for (int i = 0; i < d->ntransfers; i++) {
        stg_free(d->transfers[i].group);
        stg_free(d->transfers[i].computer);
    }
    stg_free(d->transfers);
    stg_free(d->fleet_file);
    stg_free(d->fleet_sha256);
    stg_free(d->link);
    stg_free(d->method);
    stg_free(d);
}

stg_schedule_doc *stg_schedule_read_buffer(const char *text, size_t len,
                                           stg_diags *diags)
{
    stg_schedule_doc *d = NULL;
    size_t errors = diags->errors;
    int oom = diags->oom;
    stg_ynode *root = NULL;
    if (len > MAX_FILE_SIZE) {
        stg_loc nowhere = { 0, 0, 0 };
        stg_diag_error(diags, nowhere, "a schedule file is at most 256 MiB",
                       "the file is larger than 256 MiB");
        goto out;
    }
    if (!(d = stg_calloc(1, sizeof *d))) {
        diags->oom = 1;
        goto out;
    }
    rd r = { .diags = diags, .cycle = STG_DAY, .d = d };
    root = build_tree(text, len, &r);
    if (root)
        read_root(&r, root, d);
    if (!root || diags->errors > errors || diags->oom > oom) {
        stg_schedule_doc_free(d);
        d = NULL;
    }
out:
    stg_ynode_free(root);
    return d;
}

stg_schedule_doc *stg_schedule_read_file(const char *path, char **text,
                                         size_t *len, stg_diags *diags)
{
    stg_loc nowhere = { 0, 0, 0 };
    switch (stg_textfile_read(path, MAX_FILE_SIZE, text, len)) {
    case STG_TEXTFILE_OK:
        return stg_schedule_read_buffer(*text, *len, diags);
    case STG_TEXTFILE_SYSTEM:
        stg_diag_error(diags, nowhere, NULL, "cannot read %s: %s", path,
                       strerror(errno));
        break;
    case STG_TEXTFILE_TOO_BIG:
        stg_diag_error(diags, nowhere, "a schedule file is at most 256 MiB",
                       "the file is larger than 256 MiB");
        break;
    case STG_TEXTFILE_NO_MEMORY:
        diags->oom = 1;
        break;
    }
    return NULL;
}

/* ---- against a fleet --------------------------------------------------- */

/* Cyclic distance between two times of day. */
static int day_distance(int a, int b)
{
    int d = ((a - b) % STG_DAY + STG_DAY) % STG_DAY;
    return d > STG_DAY / 2 ? STG_DAY - d : d;
}


static void settings_group(const stg_fleet *f, const stg_sdoc_group *dg,
                           int g, stg_settings *s, stg_diags *diags)
{
    const stg_group *fg = &f->groups[g];
    char b1[STG_QBUF], b2[STG_QBUF], b3[STG_QBUF];

    if (fg->before_rp != dg->before_rp)
        stg_diag_error(diags, dg->sync_loc, NULL, "group \"%s\" syncs %s in "
                       "the fleet, %s in the schedule", dg->name,
                       fg->before_rp ? "before each recovery point"
                                     : "periodically",
                       dg->before_rp ? "before each recovery point"
                                     : "periodically");
    else if (!fg->before_rp && fg->sync_every != dg->every)
        stg_diag_error(diags, dg->sync_loc, NULL, "group \"%s\" syncs every "
                       "%s in the fleet, every %s in the schedule", dg->name,
                       stg_fmt_duration(b1, sizeof b1, fg->sync_every),
                       stg_fmt_duration(b2, sizeof b2, dg->every));
    int period = fg->before_rp || fg->sync_every <= 0 ? STG_DAY
                                                      : fg->sync_every;
    if (dg->offset >= period)
        stg_diag_error(diags, dg->sync_loc, "the offset is less than the "
                       "sync period", "group \"%s\": offset %s is not below "
                       "%s", dg->name,
                       stg_fmt_duration(b1, sizeof b1, dg->offset),
                       stg_fmt_duration(b2, sizeof b2, period));
    s->sync_offset[g] = dg->offset;

    if (dg->nef != fg->nef) {
        stg_diag_error(diags, dg->nef ? dg->ef_loc : dg->loc, NULL,
                       "group \"%s\" has %d express-full time%s in the "
                       "fleet, %d in the schedule", dg->name, fg->nef,
                       fg->nef == 1 ? "" : "s", dg->nef);
    } else {
        for (int i = 0; i < fg->nef; i++) {
            int t = dg->ef_at[i];
            if (day_distance(t, fg->ef_at[i]) > fg->ef_flex)
                stg_diag_error(diags, dg->ef_loc, NULL, "group \"%s\": "
                               "express full at %s is more than its flex "
                               "(%s) from %s", dg->name,
                               stg_fmt_clock(b1, sizeof b1, t),
                               stg_fmt_duration(b3, sizeof b3, fg->ef_flex),
                               stg_fmt_clock(b2, sizeof b2, fg->ef_at[i]));
            s->ef_at[s->ef_base[g] + i] = t;
            if (dg->ef_days[i] != fg->ef_days)
                stg_diag_warn(diags, dg->ef_loc, NULL, "group \"%s\": the "
                              "express full at %s runs on %s in the fleet; "
                              "the fleet's days apply", dg->name,
                              stg_fmt_clock(b1, sizeof b1, t),
                              stg_fmt_days(b2, sizeof b2, fg->ef_days));
        }
    }

    if (fg->has_cc && dg->cc_start < 0)
        stg_diag_error(diags, dg->loc, "add consistency_check: { start: "
                       "\"HH:MM\", hours: N }", "group \"%s\" has a "
                       "consistency-check window in the fleet but no check "
                       "start in the schedule", dg->name);
    else if (!fg->has_cc && dg->cc_start >= 0)
        stg_diag_error(diags, dg->cc_loc, NULL, "group \"%s\" has no "
                       "consistency-check window in the fleet", dg->name);
    else if (fg->has_cc && !stg_window_covers(STG_DAY, fg->cc_from, fg->cc_to, STG_DAILY,
                                                 dg->cc_start))
        stg_diag_error(diags, dg->cc_loc, NULL, "group \"%s\": check start "
                       "%s is outside its window %s-%s", dg->name,
                       stg_fmt_clock(b1, sizeof b1, dg->cc_start),
                       stg_fmt_clock(b2, sizeof b2, fg->cc_from),
                       stg_fmt_clock(b3, sizeof b3, fg->cc_to));
    s->cc_start[g] = fg->has_cc ? dg->cc_start : -1;
}

stg_settings *stg_schedule_doc_settings(const stg_schedule_doc *d,
                                        const stg_fleet *f, stg_diags *diags)
{
    stg_settings *s = NULL;
    int *seen_g = NULL, *seen_c = NULL;
    size_t errors = diags->errors;
    int ok = 0;
    char b1[STG_QBUF], b2[STG_QBUF];

    int nef = 0;
    for (int g = 0; g < f->ngroups; g++)
        nef += f->groups[g].nef;
    if (!(s = stg_calloc(1, sizeof *s)) ||
        !(s->sync_offset = stg_calloc((size_t)f->ngroups + 1, sizeof(int))) ||
        !(s->ef_base = stg_calloc((size_t)f->ngroups + 1, sizeof(int))) ||
        !(s->ef_at = stg_calloc((size_t)nef + 1, sizeof(int))) ||
        !(s->cc_start = stg_calloc((size_t)f->ngroups + 1, sizeof(int))) ||
        !(s->throttle = stg_calloc((size_t)f->ncomputers + 1,
                                   sizeof *s->throttle)) ||
        !(s->recommended = stg_calloc((size_t)f->ncomputers + 1,
                                      sizeof *s->recommended)) ||
        !(seen_g = stg_calloc((size_t)f->ngroups + 1, sizeof *seen_g)) ||
        !(seen_c = stg_calloc((size_t)f->ncomputers + 1, sizeof *seen_c))) {
        diags->oom = 1;
        goto out;
    }
    s->ngroups = f->ngroups;
    s->ncomputers = f->ncomputers;
    for (int g = 0, k = 0; g <= f->ngroups; g++) {
        s->ef_base[g] = k;
        if (g < f->ngroups) {
            k += f->groups[g].nef;
            s->cc_start[g] = -1;
        }
    }

    if (d->cycle != f->cycle)
        stg_diag_error(diags, d->cycle_loc, NULL, "the schedule's cycle is "
                       "a %s, the fleet's a %s",
                       d->cycle == STG_WEEK ? "week" : "day",
                       f->cycle == STG_WEEK ? "week" : "day");
    if (d->resolution != f->resolution)
        stg_diag_warn(diags, d->cycle_loc, NULL, "the schedule was planned "
                      "at a resolution of %s, the fleet's is %s",
                      stg_fmt_duration(b1, sizeof b1, d->resolution),
                      stg_fmt_duration(b2, sizeof b2, f->resolution));

    for (int i = 0; i < d->ngroups; i++) {
        const stg_sdoc_group *dg = &d->groups[i];
        int g = stg_fleet_group(f, dg->name);
        if (g < 0) {
            stg_diag_error(diags, dg->loc, NULL, "group \"%s\" is not in the "
                           "fleet", dg->name);
            continue;
        }
        if (seen_g[g]++) {
            stg_diag_error(diags, dg->loc, NULL, "group \"%s\" is given "
                           "twice", dg->name);
            continue;
        }
        settings_group(f, dg, g, s, diags);
    }
    for (int g = 0; g < f->ngroups; g++)
        if (!seen_g[g])
            stg_diag_error(diags, d->groups_loc, NULL, "the schedule has no "
                           "entry for group \"%s\" of the fleet",
                           f->groups[g].name);

    for (int i = 0; i < d->ncomputers; i++) {
        const stg_sdoc_computer *dc = &d->computers[i];
        int c = stg_fleet_computer(f, dc->name);
        if (c < 0) {
            stg_diag_error(diags, dc->loc, NULL, "computer \"%s\" is not in "
                           "the fleet", dc->name);
            continue;
        }
        if (seen_c[c]++) {
            stg_diag_error(diags, dc->loc, NULL, "computer \"%s\" is given "
                           "twice", dc->name);
            continue;
        }
        s->throttle[c] = dc->throttle;
        s->throttle[c].shift = f->computers[c].throttle.shift;
        s->recommended[c] = dc->recommended;
    }
    for (int c = 0; c < f->ncomputers; c++)
        if (!seen_c[c])
            stg_diag_error(diags, d->computers_loc, NULL, "the schedule has "
                           "no entry for computer \"%s\" of the fleet",
                           f->computers[c].name);
    ok = diags->errors == errors && !diags->oom;
out:
    stg_free(seen_g);
    stg_free(seen_c);
    if (!ok) {
        stg_settings_free(s);
        s = NULL;
    }
    return s;
}

int stg_schedule_doc_transfers(const stg_schedule_doc *d, const stg_fleet *f,
                               stg_transfer **out, stg_diags *diags)
{
    size_t errors = diags->errors;
    stg_transfer *t = stg_calloc((size_t)d->ntransfers + 1, sizeof *t);
    stg_fleet_names *names = stg_fleet_names_new(f);
    *out = NULL;
    if (!t || !names) {
        stg_free(t);
        stg_fleet_names_free(names);
        diags->oom = 1;
        return -1;
    }
    for (int i = 0; i < d->ntransfers; i++) {
        const stg_sdoc_transfer *x = &d->transfers[i];
        t[i].group = stg_fleet_names_group(names, x->group);
        t[i].computer = stg_fleet_names_computer(names, x->computer);
        if (t[i].group < 0)
            stg_diag_error(diags, x->loc, NULL, "transfer of group \"%s\": "
                           "no such group in the fleet", x->group);
        if (t[i].computer < 0)
            stg_diag_error(diags, x->loc, NULL, "transfer of computer "
                           "\"%s\": no such computer in the fleet",
                           x->computer);
        t[i].kind = x->kind;
        t[i].release = x->release;
        t[i].start = x->start;
        t[i].end = x->end;
        t[i].volume = x->volume;
    }
    stg_fleet_names_free(names);
    if (diags->errors > errors) {
        stg_free(t);
        return -1;
    }
    *out = t;
    return d->ntransfers;
}
