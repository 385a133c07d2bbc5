/* stagger: the sites file reader (see sites_read.h).
 *
 * The file is read whole into a ynode tree, then walked: the links
 * first (wherever they are written, so that a path may name a link
 * written further down), then the servers and the sites.  Every error
 * is reported; the sites are returned only when there is none.
 *
 * Decisions (docs/import.md repeats them):
 *  - stagger_sites is required and must be 1; another value is the only
 *    error said.
 *  - Keys are case-sensitive, unknown keys and keys written twice are
 *    errors; links are a fleet's links (name, capacity, background).
 *  - Link and site names are unique; server names are unique without
 *    regard to case (Windows names), as they are matched to the exports.
 *  - A site needs a name, a path (which may be empty: [] for computers
 *    beside their DPM server) and at least one computer name pattern. */
#include "io/read/sites_read.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "io/read/suggest.h"
#include "io/read/textfile.h"
#include "io/read/units.h"
#include "io/read/ynode.h"
#include "model/alloc.h"

#define MAX_DEPTH 16            /* the format nests 5 deep */
#define MAX_FILE_SIZE ((size_t)16 << 20)
#define MAX_NODES 2000000
#define MAX_NAME 1024
#define MAX_ENTRIES 100000
#define MAX_KEYS 16             /* its largest mapping has 8 keys */

static const stg_loc nowhere = {0, 0, 0};

typedef struct {
    stg_diags *d;
    stg_sites *s;
} rd;

static stg_loc loc_of(const stg_ynode *n)
{
    stg_loc l = {n->mark.line, n->mark.col, 0};
    return l;
}

#define ERR(r, n, hint, ...) \
    stg_diag_error((r)->d, loc_of(n), hint, __VA_ARGS__)

static bool oom(rd *r)
{
    r->d->oom = 1;
    return false;
}

static const char *kind_word(const stg_ynode *n)
{
    return n->kind == STG_YMAP ? "a mapping" : n->kind == STG_YSEQ ? "a list"
                                                                  : "a value";
}

typedef struct {
    const char *key;
    const char *required;       /* what to add when it is missing; NULL:
                                   optional */
    const stg_ynode *val;
} field;

/* Sorts the keys of mapping m into fs; unknown keys, keys written twice
 * and missing required keys are errors.  who names the mapping ("a
 * link").  False when m is not a mapping or a key is wrong. */
static bool fields(rd *r, const stg_ynode *m, const char *who, field *fs,
                   int nf)
{
    char hint[512], q[64];
    bool ok = true;
    for (int j = 0; j < nf; j++)
        fs[j].val = NULL;
    if (m->kind != STG_YMAP) {
        snprintf(hint, sizeof hint, "write %s as key: value pairs", who);
        ERR(r, m, hint, "%s must be a mapping, not %s", who,
            stg_ynode_is_null(m) ? "empty" : kind_word(m));
        return false;
    }
    for (int i = 0; i < m->n; i++) {
        const stg_ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (k->kind != STG_YSCALAR) {
            ERR(r, k, "write keys as plain names", "a key must be a name, "
                "not %s", kind_word(k));
            ok = false;
            continue;
        }
        int j = 0;
        while (j < nf && strcmp(k->text, fs[j].key))
            j++;
        if (j < nf && fs[j].val) {
            const stg_ynode *first = NULL;
            for (int x = 0; x < i && !first; x++)
                if (!strcmp(m->items[2 * x]->text, k->text))
                    first = m->items[2 * x];
            ERR(r, k, "write each key once", "duplicate key \"%s\" (first "
                "at line %d)", k->text, first ? first->mark.line : 0);
            ok = false;
            continue;
        }
        if (j < nf) {
            fs[j].val = v;
            continue;
        }
        const char *keys[MAX_KEYS];
        for (int x = 0; x < nf && x < MAX_KEYS; x++)
            keys[x] = fs[x].key;
        stg_suggest_key(hint, sizeof hint, k->text, keys,
                        nf < MAX_KEYS ? nf : MAX_KEYS);
        ERR(r, k, hint, "unknown key \"%s\" in %s",
            stg_shorten(q, sizeof q, k->text), who);
        ok = false;
    }
    for (int j = 0; j < nf; j++)
        if (fs[j].required && !fs[j].val) {
            snprintf(hint, sizeof hint, "add %s", fs[j].required);
            ERR(r, m, hint, "%s has no %s", who, fs[j].key);
            ok = false;
        }
    return ok;
}

/* A scalar's text, or NULL (reported). */
static const char *text_of(rd *r, const stg_ynode *n, const char *what,
                           const char *example)
{
    char hint[160];
    snprintf(hint, sizeof hint, "write e.g. %s", example);
    if (n->kind != STG_YSCALAR || stg_ynode_is_null(n)) {
        if (stg_ynode_is_null(n))
            ERR(r, n, hint, "%s has no value", what);
        else
            ERR(r, n, hint, "%s must be a single value, not %s", what,
                kind_word(n));
        return NULL;
    }
    if (strlen(n->text) != n->len) {
        ERR(r, n, NULL, "%s contains a NUL character", what);
        return NULL;
    }
    return n->text;
}

static bool name_of(rd *r, const stg_ynode *n, const char *what,
                    const char *example, char **out)
{
    const char *s = text_of(r, n, what, example);
    if (!s)
        return false;
    if (n->len > MAX_NAME) {
        ERR(r, n, "a name is at most 1024 bytes", "%s is %zu bytes long",
            what, n->len);
        return false;
    }
    return (*out = stg_strdup(s)) != NULL || oom(r);
}

/* Reports a unit parser's complaint: `key "value" problem; hint`. */
static bool bad_value(rd *r, const stg_ynode *n, const char *key,
                      const stg_unit_err *e)
{
    char q[64];
    ERR(r, n, e->hint[0] ? e->hint : NULL, "%s \"%s\" %s", key,
        stg_shorten(q, sizeof q, n->text), e->msg);
    return false;
}

static bool rate_of(rd *r, const stg_ynode *n, const char *key, double *out)
{
    stg_unit_err e;
    const char *s = text_of(r, n, key, "100Mbps");
    if (!s)
        return false;
    if (stg_parse_rate(s, out, &e))
        return bad_value(r, n, key, &e);
    if (*out <= 0) {
        ERR(r, n, "write a rate above zero, e.g. 100Mbps", "%s \"%s\" is "
            "not above zero", key, s);
        return false;
    }
    return true;
}

static bool clock_of(rd *r, const stg_ynode *n, const char *key, int *out)
{
    stg_unit_err e;
    const char *s = text_of(r, n, key, "\"08:00\"");
    if (!s)
        return false;
    return !stg_parse_clock(s, out, &e) || bad_value(r, n, key, &e);
}

/* days: a name, or a list of names (their union). */
static bool days_of(rd *r, const stg_ynode *n, unsigned *out)
{
    stg_unit_err e;
    *out = 0;
    if (n->kind == STG_YSEQ && n->n == 0) {
        ERR(r, n, "write e.g. days: weekdays", "days is empty");
        return false;
    }
    bool ok = true;
    for (int i = 0; i < (n->kind == STG_YSEQ ? n->n : 1); i++) {
        const stg_ynode *it = n->kind == STG_YSEQ ? n->items[i] : n;
        unsigned m;
        const char *s = text_of(r, it, "days", "weekdays");
        if (!s || (stg_parse_day(s, &m, &e) && !bad_value(r, it, "days",
                                                           &e))) {
            ok = false;
            continue;
        }
        *out |= m;
    }
    return ok;
}

static bool churn_of(rd *r, const stg_ynode *n, stg_churn_default *c)
{
    stg_unit_err e;
    stg_churn_kind kind;
    const char *s = text_of(r, n, "churn", "2%/day");
    if (!s)
        return false;
    if (stg_parse_churn(s, &kind, &c->value, &e))
        return bad_value(r, n, "churn", &e);
    c->set = true;
    c->relative = kind == STG_CHURN_RELATIVE;
    c->loc = loc_of(n);
    return true;
}

/* A list node; NULL (reported) when n is neither a list nor empty (an
 * empty value is an empty list: *empty set). */
static bool list_of(rd *r, const stg_ynode *n, const char *what,
                    const char *example)
{
    if (n->kind == STG_YSEQ || stg_ynode_is_null(n))
        return true;
    char hint[160];
    snprintf(hint, sizeof hint, "write e.g. %s", example);
    ERR(r, n, hint, "%s must be a list, not %s", what, kind_word(n));
    return false;
}

static int count_of(const stg_ynode *n)
{
    return n->kind == STG_YSEQ ? n->n : 0;
}

/* ---- links ------------------------------------------------------------- */

static bool read_background(rd *r, const stg_ynode *n, stg_link *l)
{
    field fs[] = {{"from", "from: \"08:00\"", NULL},
                  {"to", "to: \"18:00\"", NULL},
                  {"rate", "rate: 30Mbps", NULL},
                  {"days", NULL, NULL}};
    stg_timed_rate *b = &l->background[l->nbackground];
    memset(b, 0, sizeof *b);
    b->days = STG_DAILY;
    b->loc = loc_of(n);
    if (!fields(r, n, "a background entry", fs, 4))
        return false;
    bool ok = clock_of(r, fs[0].val, "from", &b->from);
    ok &= clock_of(r, fs[1].val, "to", &b->to);
    ok &= rate_of(r, fs[2].val, "rate", &b->rate);
    if (fs[3].val)
        ok &= days_of(r, fs[3].val, &b->days);
    l->nbackground += ok;
    return ok;
}

static bool read_link(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", "name: branch1-wan", NULL},
                  {"capacity", "capacity: 100Mbps", NULL},
                  {"background", NULL, NULL}};
    stg_sites *s = r->s;
    stg_link *l = &s->links[s->nlinks];
    memset(l, 0, sizeof *l);
    l->loc = loc_of(n);
    if (!fields(r, n, "a link", fs, 3))
        return false;
    bool ok = name_of(r, fs[0].val, "name", "name: branch1-wan", &l->name);
    if (!ok)
        return false;
    s->nlinks++;                /* freed with the sites from here on */
    for (int i = 0; i < s->nlinks - 1; i++)
        if (!strcmp(s->links[i].name, l->name)) {
            char hint[64];
            snprintf(hint, sizeof hint, "first at line %d",
                     s->links[i].loc.line);
            ERR(r, fs[0].val, "names must be unique within links",
                "duplicate link name \"%s\" (%s)", l->name, hint);
            ok = false;
        }
    l->capacity_loc = loc_of(fs[1].val);
    ok &= rate_of(r, fs[1].val, "capacity", &l->capacity);
    const stg_ynode *bg = fs[2].val;
    if (bg && list_of(r, bg, "background",
                      "background: [{ from: \"08:00\", to: \"18:00\", "
                      "rate: 30Mbps }]") && count_of(bg)) {
        if (!(l->background = stg_calloc((size_t)bg->n,
                                         sizeof *l->background)))
            return oom(r);
        for (int i = 0; i < bg->n; i++)
            ok &= read_background(r, bg->items[i], l);
    } else if (bg) {
        ok &= bg->kind == STG_YSEQ || stg_ynode_is_null(bg);
    }
    return ok;
}

/* A path: link names, each once, into *path (indices). */
static bool path_of(rd *r, const stg_ynode *n, int **path, int *npath)
{
    const stg_sites *s = r->s;
    *npath = 0;
    if (!list_of(r, n, "path", "path: [branch1-wan]"))
        return false;
    if (!count_of(n))
        return true;
    if (!(*path = stg_calloc((size_t)n->n, sizeof **path)))
        return oom(r);
    bool ok = true;
    for (int i = 0; i < n->n; i++) {
        const stg_ynode *it = n->items[i];
        const char *name = text_of(r, it, "a link of a path", "branch1-wan");
        int l = 0;
        if (!name) {
            ok = false;
            continue;
        }
        while (l < s->nlinks && strcmp(s->links[l].name, name))
            l++;
        if (l == s->nlinks) {
            char hint[512];
            const char **names = stg_calloc((size_t)s->nlinks + 1,
                                            sizeof *names);
            if (!names)
                return oom(r);
            for (int k = 0; k < s->nlinks; k++)
                names[k] = s->links[k].name;
            stg_suggest(hint, sizeof hint, name, names, s->nlinks, "links");
            stg_free(names);
            ERR(r, it, hint, "no link named \"%s\"", name);
            ok = false;
            continue;
        }
        for (int k = 0; k < *npath; k++)
            if ((*path)[k] == l) {
                ERR(r, it, "list each link once", "link %s is twice in the "
                    "path", name);
                ok = false;
            }
        (*path)[(*npath)++] = l;
    }
    return ok;
}

/* ---- servers and sites ------------------------------------------------- */

static bool read_server(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", "name: DPM01.contoso.local", NULL},
                  {"path", NULL, NULL}, {"max_jobs", NULL, NULL}};
    stg_sites *s = r->s;
    stg_site_server *sv = &s->servers[s->nservers];
    memset(sv, 0, sizeof *sv);
    sv->loc = loc_of(n);
    if (!fields(r, n, "a server", fs, 3) ||
        !name_of(r, fs[0].val, "name", "name: DPM01.contoso.local",
                 &sv->name))
        return false;
    s->nservers++;
    bool ok = true;
    for (int i = 0; i < s->nservers - 1; i++)
        if (!strcasecmp(s->servers[i].name, sv->name)) {
            ERR(r, fs[0].val, "server names are compared without regard to "
                "case, as Windows does", "duplicate server name \"%s\" "
                "(first at line %d)", sv->name, s->servers[i].loc.line);
            ok = false;
        }
    if (fs[1].val)
        ok &= path_of(r, fs[1].val, &sv->path, &sv->npath);
    if (fs[2].val) {
        stg_unit_err e;
        long v;
        const char *t = text_of(r, fs[2].val, "max_jobs", "10");
        if (!t || (stg_parse_count(t, MAX_ENTRIES, &v, &e) &&
                   !bad_value(r, fs[2].val, "max_jobs", &e))) {
            ok = false;
        } else if (v < 1) {
            ERR(r, fs[2].val, "write at least 1, or leave max_jobs out for "
                "no limit", "max_jobs \"%s\" is below 1", t);
            ok = false;
        } else {
            sv->max_jobs = (int)v;
        }
    }
    return ok;
}

static bool read_site(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", "name: lyon", NULL},
                  {"path", "path: [lyon-wan] (or path: [] for computers "
                   "beside their DPM server)", NULL},
                  {"computers", "computers: [\"*.lyon.contoso.local\"]", NULL},
                  {"churn", NULL, NULL}, {"utc_offset", NULL, NULL}};
    stg_sites *s = r->s;
    stg_site *t = &s->sites[s->nsites];
    memset(t, 0, sizeof *t);
    t->loc = loc_of(n);
    if (!fields(r, n, "a site", fs, 5) ||
        !name_of(r, fs[0].val, "name", "name: lyon", &t->name))
        return false;
    s->nsites++;
    bool ok = true;
    for (int i = 0; i < s->nsites - 1; i++)
        if (!strcmp(s->sites[i].name, t->name)) {
            ERR(r, fs[0].val, "names must be unique within sites",
                "duplicate site name \"%s\" (first at line %d)", t->name,
                s->sites[i].loc.line);
            ok = false;
        }
    ok &= path_of(r, fs[1].val, &t->path, &t->npath);
    const stg_ynode *c = fs[2].val;
    if (!list_of(r, c, "computers", "computers: [\"*.lyon.contoso.local\"]"))
        return false;
    if (!count_of(c)) {
        ERR(r, c, "write e.g. computers: [\"*.lyon.contoso.local\"]",
            "site \"%s\" names no computers", t->name);
        return false;
    }
    if (!(t->patterns = stg_calloc((size_t)c->n, sizeof *t->patterns)))
        return oom(r);
    for (int i = 0; i < c->n; i++) {
        char *p = NULL;
        if (!name_of(r, c->items[i], "a computer name pattern",
                     "\"*.lyon.contoso.local\"", &p)) {
            ok = false;
            continue;
        }
        t->patterns[t->npatterns++] = p;
    }
    if (fs[3].val)
        ok &= churn_of(r, fs[3].val, &t->churn);
    if (fs[4].val) {
        stg_unit_err e;
        const char *u = text_of(r, fs[4].val, "utc_offset", "\"+01:00\"");
        if (!u || (stg_parse_utc_offset(u, &t->utc_offset, &e) &&
                   !bad_value(r, fs[4].val, "utc_offset", &e)))
            ok = false;
        else
            t->has_utc = true;
    }
    return ok;
}

/* Reads the entries of list n (the value of key) with one(). */
static void read_list(rd *r, const stg_ynode *n, const char *key,
                      const char *example, void **array, size_t elem,
                      bool (*one)(rd *, const stg_ynode *))
{
    if (!n || !list_of(r, n, key, example) || !count_of(n))
        return;
    if (n->n > MAX_ENTRIES) {
        ERR(r, n, NULL, "more than %d %s", MAX_ENTRIES, key);
        return;
    }
    if (!(*array = stg_calloc((size_t)n->n, elem))) {
        oom(r);
        return;
    }
    for (int i = 0; i < n->n && !r->d->oom; i++)
        one(r, n->items[i]);
}

static void read_root(rd *r, const stg_ynode *root)
{
    field fs[] = {{"stagger_sites", "stagger_sites: 1 as the first line",
                   NULL},
                  {"headroom", NULL, NULL}, {"churn", NULL, NULL},
                  {"links", NULL, NULL}, {"servers", NULL, NULL},
                  {"sites", NULL, NULL}};
    stg_sites *s = r->s;
    if (root->kind == STG_YSCALAR && stg_ynode_is_null(root)) {
        stg_loc top = {1, 1, 0};
        stg_diag_error(r->d, top, "a sites file starts with "
                       "stagger_sites: 1", "the file is empty");
        return;
    }
    /* the version first: another one is all that is said */
    const stg_ynode *v = stg_ynode_get(root, "stagger_sites");
    if (v && !(v->kind == STG_YSCALAR && !strcmp(v->text, "1"))) {
        char q[64];
        ERR(r, v, "this stagger reads stagger_sites: 1", "sites file format "
            "version \"%s\" is not read here", v->kind == STG_YSCALAR ?
            stg_shorten(q, sizeof q, v->text) : kind_word(v));
        return;
    }
    if (!fields(r, root, "a sites file", fs, 6))
        if (r->d->oom || root->kind != STG_YMAP)
            return;
    if (fs[1].val) {
        stg_unit_err e;
        const char *t = text_of(r, fs[1].val, "headroom", "15%");
        if (t && stg_parse_fraction(t, &s->headroom, &e))
            bad_value(r, fs[1].val, "headroom", &e);
        else if (t && s->headroom >= 1)
            ERR(r, fs[1].val, "it must be below 100%", "headroom \"%s\" "
                "leaves nothing for transfers", t);
        else if (t)
            s->has_headroom = true;
    }
    if (fs[2].val)
        churn_of(r, fs[2].val, &s->churn);
    read_list(r, fs[3].val, "links", "links: [{ name: branch1-wan, "
              "capacity: 100Mbps }]", (void **)&s->links, sizeof *s->links,
              read_link);
    read_list(r, fs[4].val, "servers", "servers: [{ name: "
              "DPM01.contoso.local, path: [dc-core] }]",
              (void **)&s->servers, sizeof *s->servers, read_server);
    read_list(r, fs[5].val, "sites", "sites: [{ name: lyon, path: "
              "[lyon-wan], computers: [\"*.lyon.contoso.local\"] }]",
              (void **)&s->sites, sizeof *s->sites, read_site);
}

stg_sites *stg_sites_read_buffer(const char *text, size_t len, stg_diags *d)
{
    size_t errors = d->errors;
    rd r = {d, NULL};
    stg_ynode *root = NULL;
    if (len > MAX_FILE_SIZE) {
        stg_diag_error(d, nowhere, "a sites file is at most 16 MiB",
                       "the file is larger than 16 MiB");
        return NULL;
    }
    root = stg_ynode_read(text, len, 0, MAX_DEPTH, "a sites file nests 5 "
                          "levels deep", MAX_NODES, d);
    if (!root)
        return NULL;
    if (!(r.s = stg_calloc(1, sizeof *r.s))) {
        d->oom = 1;
    } else {
        read_root(&r, root);
    }
    stg_ynode_free(root);
    if (d->errors > errors || d->oom) {
        stg_sites_free(r.s);
        return NULL;
    }
    return r.s;
}

stg_sites *stg_sites_read_file(const char *path, char **text, size_t *len,
                               stg_diags *d)
{
    switch (stg_textfile_read(path, MAX_FILE_SIZE, text, len)) {
    case STG_TEXTFILE_OK:
        return stg_sites_read_buffer(*text, *len, d);
    case STG_TEXTFILE_SYSTEM:
        stg_diag_error(d, nowhere, NULL, "cannot read: %s", strerror(errno));
        break;
    case STG_TEXTFILE_TOO_BIG:
        stg_diag_error(d, nowhere, "a sites file is at most 16 MiB",
                       "the file is larger than 16 MiB");
        break;
    case STG_TEXTFILE_NO_MEMORY:
        d->oom = 1;
        break;
    }
    return NULL;
}
