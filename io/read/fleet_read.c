/* stagger: the fleet file reader.
 *
 * Walks a ynode tree (ynode.h) as a stream of events, the way libyaml
 * would give them, with one handler table per mapping (key name ->
 * handler).  A handler is called with the current event at the first
 * event of the key's value and returns with it at the value's last
 * event, whatever went wrong: a value that is not what the key wants is
 * reported and skipped whole, so reading goes on and every error of the
 * file is reported.  Names that refer to other entries (links, servers,
 * computers) are collected and resolved once the whole document is read,
 * so an entry may name one defined further down.
 *
 * Decisions where fleet.md leaves a choice (the documentation repeats
 * them):
 *  - Keys are case-sensitive.  An unknown key is an error listing the
 *    known keys of that mapping.  A key written twice is an error.
 *  - Anchors (&a) and aliases (*a) are refused; so is nesting deeper than
 *    16 levels (a fleet needs 6).  Tags (!!str) are ignored.  A file holds
 *    one YAML document and at most 16 MiB.
 *  - `stagger` is required and must be 1.  When it is another number,
 *    that is the only error reported: the rest follows another format.
 *  - A key with no value (`links:`) is an empty list where a list is
 *    wanted, and an error anywhere else.  A list is always written as a
 *    list, even of one entry (`path: [wan1]`, `at: ["20:00"]`); only
 *    `days` takes a single name or a list of names (their union).
 *  - Required keys: a link's name and capacity; a server's and a
 *    computer's name; a group's name and sources (a group with no sources
 *    is an error); a source's name, computer, kind, size and churn; a
 *    background entry's from, to and rate; recovery_points' and
 *    express_full's at; consistency_check's from and to; a work/other
 *    throttle's work, other and hours.
 *  - Names are unique within links, servers, computers and groups, and a
 *    source's name within its group.  A path names each link once.
 *  - `sync` absent means { every: 15m, offset: 0m }.  `every` is one of
 *    15m 30m 45m 1h 2h 4h 6h 12h 24h (1d is 24h).  `sync` takes either
 *    `every` or `before_recovery_point: true` (false is the same as not
 *    writing it), each with an optional offset.  before_recovery_point
 *    needs recovery_points, and its offset must be below the smallest gap
 *    between recovery points; otherwise the offset runs from 0 up to, not
 *    including, the period.
 *  - Booleans are true or false (True, TRUE, False, FALSE too).
 *  - `throttle` is a rate, `auto` (the default), `none`, or
 *    { work: RATE, other: RATE, hours: "08:00-18:00", days: DAYS } with
 *    days defaulting to weekdays; { work: auto, other: auto, hours, days }
 *    is auto with work hours (planning recommends a pair).  work and other
 *    are both rates or both auto; hours must not cover the whole day.
 *  - `days` defaults to daily for background, recovery_points,
 *    express_full and consistency_check.
 *  - The cycle defaults to week when any days value is not daily (a
 *    work/other throttle's days count, its default weekdays too), else
 *    day.  With `cycle: day` written, every days value written that is not
 *    daily is an error; a throttle's default weekdays is then ignored.
 *  - `resolution` is a whole number of minutes; it must divide a day and
 *    every sync period, and sync offsets, recovery-point and express-full
 *    times, flex and consistency-check window ends are multiples of it.
 *  - Every rate (capacity, background, throttle) is above zero; max_jobs
 *    is at least 1; headroom is from 0% up to, not including, 100%;
 *    efficiency is from 1% to 100%; max_lag is above zero; flex
 *    is below 12h; times within one `at` are distinct (kept in order).
 *  - cc_ratio is a fraction (`1%` or `0.01`), default 1%.  A churn of
 *    N%/day resolves to size x N/100 bytes per day, at most 100%/day.
 *  - A group's server defaults to the server of its sources' computers
 *    and a computer's to the server of its groups; conflicting or
 *    missing servers are errors, and every computer of a group must
 *    report to the group's server.
 *  - A computer whose path and server's path are both empty crosses no
 *    link: a warning (nothing it sends loads a link of the fleet).
 *  - The checks of stg_fleet_finish() (volumes against throttles, throttle
 *    against capacity, resolution, cycle) run once the file has no other
 *    error. */
#include "io/read/fleet_read.h"
#include "io/read/flowcheck.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "io/read/suggest.h"
#include "io/read/ynode.h"
#include "model/quantity.h"
#include "io/read/textfile.h"
#include "io/read/units.h"

#define MAX_DEPTH 16
#define MAX_FILE_SIZE ((size_t)16 << 20)
#define MAX_FLEX (12 * 3600)
#define MAX_NAME 1024           /* bytes of a name */
#define MAX_ENTRIES 100000      /* links, servers, computers, groups, sources */

static const stg_loc nowhere = {0, 0, 0};

typedef enum {
    REF_SERVER_PATH, REF_COMPUTER_PATH, REF_COMPUTER_SERVER,
    REF_GROUP_SERVER, REF_SOURCE_COMPUTER
} ref_kind;

/* A name to resolve: target owner (index of the server, computer, group
 * or source) and position in its path. */
typedef struct {
    ref_kind kind;
    int owner, pos;
    char *name;
    stg_loc loc;
} ref;

typedef struct {
    unsigned days;
    stg_loc loc;
} days_use;

/* The events of a tree, as libyaml gives them for the text it was read
 * from (an alias is a scalar of style STG_YALIAS). */
typedef enum {
    EV_SCALAR, EV_ALIAS, EV_SEQ_START, EV_MAP_START, EV_SEQ_END, EV_MAP_END
} ev_type;

/* An open collection of the walk and the slot of its next item. */
typedef struct {
    const stg_ynode *node;
    int next;
} frame;

typedef struct {
    const stg_ynode *root;
    ev_type ev;                 /* the current event */
    const stg_ynode *cur;       /* its node (an end's: the collection) */
    bool have;                  /* there is a current event */
    bool started;               /* the root was given */
    frame *stack;               /* the open collections */
    size_t nstack, cap_stack;
    size_t events, cut;         /* events given; where the text stopped
                                   (SIZE_MAX: read whole) */
    const stg_diags *yaml;      /* what stopped the reading of the text,
                                   said when the walk gets there */
    bool fatal;                 /* syntax error or out of memory: stop */
    int depth;                  /* collections open at the current event */
    int deep;                   /* too-deep errors reported so far */
    stg_diags *d;
    stg_fleet *f;
    size_t cap_links, cap_servers, cap_computers, cap_groups, cap_sources;
    ref *refs;
    size_t nrefs, cap_refs;
    days_use *days;             /* days values written that are not daily */
    size_t ndays, cap_days;
    bool version_read;          /* a number was read for stagger */
    long version;
    stg_loc version_loc;
    stg_loc links_loc, computers_loc, groups_loc;   /* their values
                                   (line 0: the key is not there) */
    const char *const *files;   /* names of the texts by file id, for a
                                   message naming a place in another one */
    int nfiles;
    bool map_at_key;            /* a mapping is where its first key is */
} rd;

/* What stg_ynode_read_all() says of a fleet file. */
static const stg_ytexts fleet_texts = {
    .second_doc = "a fleet file holds one YAML document, and a second one "
                  "starts here",
    .second_doc_hint = "keep one document: remove this --- and what follows",
};

/* ---- messages -------------------------------------------------------- */

static stg_loc here(const rd *r)
{
    const stg_ynode *n = r->cur;
    if (r->map_at_key && r->ev == EV_MAP_START && !n->deep && n->n > 0)
        n = n->items[0];
    return (stg_loc){n->mark.line, n->mark.col, n->mark.file};
}

/* "first at line N" of a message at `at` about a name written before at
 * `first`; a tree put together from several texts (a scenario's fleet)
 * may have the first one in another text than at, which is then named
 * (" of the fleet file"), since the line alone would point into the
 * wrong one. */
static const char *first_at(const rd *r, char *buf, size_t size, stg_loc at,
                            stg_loc first)
{
    const char *name = first.file != at.file && first.file >= 0 &&
        first.file < r->nfiles ? r->files[first.file] : NULL;
    snprintf(buf, size, "first at line %d%s%s", first.line,
             name ? " of the " : "", name ? name : "");
    return buf;
}

static void err(rd *r, stg_loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void err(rd *r, stg_loc loc, const char *hint, const char *fmt, ...)
{
    if (r->d->errors >= r->d->limit) {
        /* past the errors shown: counted, not worded (a file of a
         * million duplicate keys is read in well under a second) */
        stg_diag_error(r->d, loc, hint, "%s", "");
        return;
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    stg_diag_error(r->d, loc, hint, "%s", buf);
}

static void oom(rd *r)
{
    if (!r->fatal || !r->d->oom)
        err(r, nowhere, NULL, "out of memory");
    r->d->oom = 1;
    r->fatal = true;
}

/* Says what stopped the reading of the text (a syntax error, a second
 * document), once, where libyaml would have said it: as the walk reaches
 * the end of what was read. */
static void say_yaml(rd *r)
{
    const stg_diags *y = r->yaml;
    char cut[64];
    r->yaml = NULL;
    if (!y)
        return;
    /* libyaml given only the first levels of a deep bracket run meets an
     * end there; that is said only when nothing was said before it (the
     * walk's own "nesting deeper than 16 levels" says it first, see
     * yaml_diag.h), and ynode read with no error said yet */
    snprintf(cut, sizeof cut, "nesting deeper than %d levels",
             STG_FLOW_SCAN_MIN);
    for (size_t i = 0; i < y->count; i++) {
        if (r->d->errors && !strcmp(y->items[i].msg, cut))
            continue;
        stg_diag_add(r->d, y->items[i].level, y->items[i].loc, y->items[i].hint,
                     "%s", y->items[i].msg);
    }
    if (y->oom)
        r->d->oom = 1;
}

/* ---- events ---------------------------------------------------------- */

/* Slots of a collection's items (a deep one holds single scalars). */
static int slots(const stg_ynode *n)
{
    return n->kind == STG_YMAP && !n->deep ? 2 * n->n : n->n;
}

/* Makes n's event the current one (its start, for a collection). */
static bool give(rd *r, const stg_ynode *n)
{
    r->cur = n;
    if (n->kind == STG_YSCALAR) {
        r->ev = n->style == STG_YALIAS ? EV_ALIAS : EV_SCALAR;
        return true;
    }
    if (stg_grow((void **)&r->stack, &r->cap_stack, r->nstack + 1,
                 sizeof *r->stack)) {
        oom(r);
        return false;
    }
    r->stack[r->nstack++] = (frame){n, 0};
    r->ev = n->kind == STG_YMAP ? EV_MAP_START : EV_SEQ_START;
    return true;
}

/* Moves to the next event of the tree; false where the text stopped
 * (what stopped it is said) and after the root's last event. */
static bool step(rd *r)
{
    if (r->events == r->cut) {
        say_yaml(r);
        return false;
    }
    if (!r->started) {
        r->started = true;
        if (!give(r, r->root))
            return false;
    } else if (r->nstack == 0) {
        return false;
    } else {
        frame *top = &r->stack[r->nstack - 1];
        if (top->next < slots(top->node)) {
            if (!give(r, top->node->items[top->next++]))
                return false;
        } else {
            r->cur = top->node;
            r->ev = top->node->kind == STG_YMAP ? EV_MAP_END : EV_SEQ_END;
            r->nstack--;
        }
    }
    r->events++;
    return true;
}

/* Moves to the next event; false at the end of what was read (a syntax
 * error there is reported) or after a fatal error.  Aliases, anchors and
 * nesting too deep are reported here, wherever they are. */
static bool next(rd *r)
{
    r->have = false;
    if (r->fatal)
        return false;
    if (r->d->dropped >= STG_DIAG_STOP) {
        r->d->truncated = 1;    /* enough said: the rest is not read */
        r->fatal = true;
        return false;
    }
    if (!step(r)) {
        r->fatal = true;
        return false;
    }
    r->have = true;
    char buf[48];
    switch (r->ev) {
    case EV_SEQ_START:
    case EV_MAP_START:
        if (++r->depth == MAX_DEPTH + 1) {
            r->deep++;
            err(r, here(r), "a fleet file needs at most 6 levels",
                "nesting deeper than %d levels", MAX_DEPTH);
        }
        break;
    case EV_SEQ_END:
    case EV_MAP_END:
        r->depth--;
        break;
    case EV_ALIAS:
        err(r, here(r), "write the value out in full",
            "aliases are not supported (*%s)",
            stg_shorten(buf, sizeof buf, r->cur->text));
        break;
    default:
        break;
    }
    if (r->cur->anchor && r->ev != EV_SEQ_END && r->ev != EV_MAP_END)
        err(r, here(r), "remove the anchor and write each value out in full",
            "anchors are not supported (&%s)",
            stg_shorten(buf, sizeof buf, r->cur->anchor));
    return true;
}

static bool is_start(const rd *r)
{
    return r->ev == EV_SEQ_START || r->ev == EV_MAP_START;
}

static bool is_end(const rd *r)
{
    return r->ev == EV_SEQ_END || r->ev == EV_MAP_END;
}

/* Skips the node that starts at the current event. */
static void skip(rd *r)
{
    if (!r->have || !is_start(r))
        return;
    int level = 1;
    while (level > 0 && next(r)) {
        if (is_start(r))
            level++;
        else if (is_end(r))
            level--;
    }
}

/* A plain null: nothing, ~ or null. */
static bool is_null(const rd *r)
{
    return r->ev == EV_SCALAR && stg_ynode_is_null(r->cur);
}

static const char *node_kind(const rd *r)
{
    switch (r->ev) {
    case EV_SCALAR:
        return "a single value";
    case EV_SEQ_START:
        return "a list";
    case EV_MAP_START:
        return "a mapping";
    default:
        return "something else";
    }
}

/* Reports that the node at the current event is not what `what` must
 * be, and skips it.  A subtree nested too deep is reported as that
 * alone; an alias was reported already. */
static void wrong_type(rd *r, const char *what, const char *expected,
                       const char *hint)
{
    stg_loc l = here(r);
    if (r->ev == EV_ALIAS)
        return;
    if (is_null(r)) {
        err(r, l, hint, "%s has no value", what);
        return;
    }
    const char *got = node_kind(r);
    int deep = r->deep;
    skip(r);
    if (r->deep == deep && !r->fatal)
        err(r, l, hint, "%s must be %s, not %s", what, expected, got);
}

static void example_hint(char *buf, size_t size, const char *example)
{
    snprintf(buf, size, "write e.g. %s", example);
}

/* The scalar at the current event, or NULL (reported, node skipped). */
static const char *get_scalar(rd *r, const char *what, const char *example)
{
    char hint[192];
    example_hint(hint, sizeof hint, example);
    if (r->ev == EV_ALIAS)
        return NULL;
    if (r->ev != EV_SCALAR || is_null(r)) {
        wrong_type(r, what, "a single value", hint);
        return NULL;
    }
    const char *v = r->cur->text;
    if (strlen(v) != r->cur->len) {
        err(r, here(r), NULL, "%s contains a NUL character", what);
        return NULL;
    }
    return v;
}

/* True at a mapping; otherwise reports and skips. */
static bool is_map(rd *r, const char *what, const char *example)
{
    char hint[192];
    if (r->ev == EV_MAP_START)
        return true;
    example_hint(hint, sizeof hint, example);
    wrong_type(r, what, "a mapping", hint);
    return false;
}

/* 1 at a list (iterate until its end), 0 at a null value (an empty
 * list), -1 otherwise (reported, skipped). */
static int seq_begin(rd *r, const char *what, const char *example)
{
    char hint[192];
    if (r->ev == EV_SEQ_START)
        return 1;
    if (is_null(r))
        return 0;
    example_hint(hint, sizeof hint, example);
    wrong_type(r, what, "a list", hint);
    return -1;
}

/* Iterates the entries of the list at the current event. */
static bool seq_next(rd *r)
{
    return next(r) && r->ev != EV_SEQ_END;
}

/* ---- mappings -------------------------------------------------------- */

typedef void (*field_fn)(rd *r, void *obj, const char *key);

typedef struct {
    const char *key;
    field_fn fn;
    const char *required;       /* example to add when missing; NULL: optional */
} field;

#define NFIELDS(t) ((int)(sizeof(t) / sizeof((t)[0])))
#define MAX_FIELDS 16

static void unknown_key(rd *r, stg_loc at, const char *key,
                        const field *fields, int n, const char *where)
{
    char hint[512], q[64];
    const char *keys[MAX_FIELDS];
    for (int i = 0; i < n && i < MAX_FIELDS; i++)
        keys[i] = fields[i].key;
    stg_suggest_key(hint, sizeof hint, key, keys, n < MAX_FIELDS ? n : MAX_FIELDS);
    err(r, at, hint, "unknown key \"%s\" %s", stg_shorten(q, sizeof q, key), where);
}

/* At a mapping: dispatches each key to its handler; seen[i] is where
 * key i was written (line 0: absent). */
static void map_fields(rd *r, const field *fields, int n, void *obj,
                       const char *where, stg_loc *seen)
{
    for (int i = 0; i < n; i++)
        seen[i] = nowhere;
    while (next(r) && r->ev != EV_MAP_END) {
        stg_loc at = here(r);
        if (r->ev != EV_SCALAR) {
            if (r->ev != EV_ALIAS)
                err(r, at, "write keys as plain names",
                    "a key must be a name, not %s", node_kind(r));
            skip(r);
            if (!next(r))
                return;
            skip(r);
            continue;
        }
        const char *k = r->cur->text;
        int i = 0;
        while (i < n && strcmp(fields[i].key, k) != 0)
            i++;
        char key[72], tmp[72];
        snprintf(key, sizeof key, "%s", stg_shorten(tmp, sizeof tmp, k));
        if (!next(r))
            return;
        if (i == n) {
            unknown_key(r, at, key, fields, n, where);
            skip(r);
        } else if (seen[i].line) {
            char fa[96];
            err(r, at, "write each key once", "duplicate key \"%s\" (%s)", key,
                first_at(r, fa, sizeof fa, at, seen[i]));
            skip(r);
        } else {
            seen[i] = at;
            fields[i].fn(r, obj, fields[i].key);
        }
    }
}

/* Reports the required keys not written in a mapping that starts at
 * `at`; who names it ("link \"wan1\"", "a link"). */
static void missing(rd *r, const field *fields, int n, const stg_loc *seen,
                    stg_loc at, const char *who)
{
    char hint[192];
    if (r->fatal)
        return;
    for (int i = 0; i < n; i++)
        if (fields[i].required && !seen[i].line) {
            snprintf(hint, sizeof hint, "add %s", fields[i].required);
            err(r, at, hint, "%s has no %s", who, fields[i].key);
        }
}

static void who(char *buf, size_t size, const char *word, const char *name)
{
    char q[64];
    if (name)
        snprintf(buf, size, "%s \"%s\"", word, stg_shorten(q, sizeof q, name));
    else
        snprintf(buf, size, "a %s", word);
}

/* ---- values ---------------------------------------------------------- */

static void bad_value(rd *r, const char *key, const char *s,
                      const stg_unit_err *e)
{
    char q[64];
    err(r, here(r), e->hint[0] ? e->hint : NULL, "%s \"%s\" %s", key,
        stg_shorten(q, sizeof q, s), e->msg);
}

/* Reports a value out of range: `key "value" problem; hint`. */
static void out_of_range(rd *r, const char *key, const char *problem,
                         const char *hint)
{
    char q[64];
    err(r, here(r), hint, "%s \"%s\" %s", key,
        stg_shorten(q, sizeof q, r->cur->text), problem);
}

typedef int (*double_parser)(const char *, double *, stg_unit_err *);
typedef int (*int_parser)(const char *, int *, stg_unit_err *);

static bool get_double(rd *r, const char *key, const char *example,
                       double_parser parse, double *out)
{
    const char *s = get_scalar(r, key, example);
    stg_unit_err e;
    if (!s)
        return false;
    if (parse(s, out, &e)) {
        bad_value(r, key, s, &e);
        return false;
    }
    return true;
}

static bool get_int(rd *r, const char *key, const char *example,
                    int_parser parse, int *out)
{
    const char *s = get_scalar(r, key, example);
    stg_unit_err e;
    if (!s)
        return false;
    if (parse(s, out, &e)) {
        bad_value(r, key, s, &e);
        return false;
    }
    return true;
}

static bool get_count(rd *r, const char *key, const char *example, long max,
                      long *out)
{
    const char *s = get_scalar(r, key, example);
    stg_unit_err e;
    if (!s)
        return false;
    if (stg_parse_count(s, max, out, &e)) {
        bad_value(r, key, s, &e);
        return false;
    }
    return true;
}

/* A rate above zero. */
static bool get_rate(rd *r, const char *key, const char *example, double *out)
{
    double v;
    if (!get_double(r, key, example, stg_parse_rate, &v))
        return false;
    if (!(v > 0)) {
        char hint[192];
        example_hint(hint, sizeof hint, example);
        out_of_range(r, key, "is not above zero", hint);
        return false;
    }
    *out = v;
    return true;
}

/* Whether s is a YAML boolean word (*out its value). */
static bool bool_word(const char *s, bool *out)
{
    if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE"))
        *out = true;
    else if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE"))
        *out = false;
    else
        return false;
    return true;
}

static bool get_bool(rd *r, const char *key, const char *example, bool *out)
{
    const char *s = get_scalar(r, key, example);
    if (!s)
        return false;
    if (!bool_word(s, out)) {
        out_of_range(r, key, "is neither true nor false", "write true or false");
        return false;
    }
    return true;
}

/* A name: a non-empty string, owned by the fleet. */
static void get_name(rd *r, const char *key, char **out, stg_loc *loc)
{
    const char *s = get_scalar(r, key, "name: branch1-wan");
    if (!s)
        return;
    if (!*s) {
        err(r, here(r), "write e.g. name: branch1-wan", "%s is empty", key);
        return;
    }
    if (strlen(s) > MAX_NAME) {
        err(r, here(r), "a name is at most 1024 bytes", "%s is %zu bytes long",
            key, strlen(s));
        return;
    }
    stg_free(*out);
    *out = stg_strdup(s);
    if (!*out) {
        oom(r);
        return;
    }
    *loc = here(r);
}

static void add_ref(rd *r, ref_kind kind, int owner, int pos, const char *s)
{
    if (!*s) {
        err(r, here(r), NULL, "the name is empty");
        return;
    }
    if (strlen(s) > MAX_NAME) {
        err(r, here(r), "a name is at most 1024 bytes",
            "the name is %zu bytes long", strlen(s));
        return;
    }
    if (stg_grow((void **)&r->refs, &r->cap_refs, r->nrefs + 1, sizeof *r->refs)) {
        oom(r);
        return;
    }
    ref *x = &r->refs[r->nrefs];
    x->name = stg_strdup(s);
    if (!x->name) {
        oom(r);
        return;
    }
    x->kind = kind;
    x->owner = owner;
    x->pos = pos;
    x->loc = here(r);
    r->nrefs++;
}

/* A list of link names: the path, its entries resolved later. */
static void get_path(rd *r, const char *key, int **path, int *n,
                     ref_kind kind, int owner)
{
    size_t cap = 0;
    if (seq_begin(r, key, "path: [branch1-wan]") != 1)
        return;
    while (seq_next(r)) {
        const char *s = get_scalar(r, "an entry of path", "path: [branch1-wan]");
        if (!s)
            continue;
        if (stg_grow((void **)path, &cap, (size_t)*n + 1, sizeof **path)) {
            oom(r);
            return;
        }
        (*path)[*n] = -1;
        add_ref(r, kind, owner, *n, s);
        (*n)++;
    }
}

/* A single day name or a list of them (their union). */
static void get_days(rd *r, const char *key, unsigned *out)
{
    static const char example[] = "days: weekdays, or days: [mon, wed]";
    stg_loc at = here(r);
    unsigned mask = 0;
    stg_unit_err e;
    if (r->ev == EV_SCALAR && !is_null(r)) {
        const char *s = get_scalar(r, key, example);
        if (!s)
            return;
        if (stg_parse_day(s, &mask, &e)) {
            bad_value(r, key, s, &e);
            return;
        }
    } else {
        int kind = seq_begin(r, key, example);
        if (kind == 0) {
            err(r, at, "write e.g. days: weekdays", "%s has no value", key);
            return;
        }
        if (kind < 0)
            return;
        bool bad = false, any = false;
        while (seq_next(r)) {
            unsigned one;
            const char *s = get_scalar(r, "an entry of days", example);
            if (!s) {
                bad = true;
                continue;
            }
            if (stg_parse_day(s, &one, &e)) {
                bad_value(r, "day", s, &e);
                bad = true;
                continue;
            }
            mask |= one;
            any = true;
        }
        if (bad || r->fatal)
            return;
        if (!any) {
            err(r, at, "write e.g. days: weekdays", "%s is empty", key);
            return;
        }
    }
    *out = mask;
    if (mask != STG_DAILY) {
        if (stg_grow((void **)&r->days, &r->cap_days, r->ndays + 1,
                     sizeof *r->days)) {
            oom(r);
            return;
        }
        r->days[r->ndays++] = (days_use){mask, at};
    }
}

/* A list of distinct times of day, sorted ascending. */
static void get_times(rd *r, const char *key, int **at, int *n)
{
    static const char example[] = "at: [\"08:00\", \"20:00\"]";
    stg_loc start = here(r);
    size_t cap = 0;
    int kind = seq_begin(r, key, example);
    if (kind < 0)
        return;
    bool bad = false;
    while (kind == 1 && seq_next(r)) {
        int t;
        char a[STG_QBUF];
        if (!get_int(r, "time", "\"20:00\"", stg_parse_clock, &t)) {
            bad = true;
            continue;
        }
        bool dup = false;
        for (int i = 0; i < *n && !dup; i++)
            dup = (*at)[i] == t;
        if (dup) {
            err(r, here(r), "write each time once", "time %s appears twice in %s",
                stg_fmt_clock(a, sizeof a, t), key);
            bad = true;
            continue;
        }
        if (stg_grow((void **)at, &cap, (size_t)*n + 1, sizeof **at)) {
            oom(r);
            return;
        }
        /* insert in order */
        int i = *n;
        while (i > 0 && (*at)[i - 1] > t) {
            (*at)[i] = (*at)[i - 1];
            i--;
        }
        (*at)[i] = t;
        (*n)++;
    }
    if (r->fatal || bad || *n > 0)
        return;
    err(r, start, "write e.g. at: [\"20:00\"]", kind == 0 ?
        "%s has no value" : "%s is empty", key);
}

/* ---- top level ------------------------------------------------------- */

static void top_stagger(rd *r, void *obj, const char *key)
{
    long v;
    (void)obj;
    const char *s = get_scalar(r, key, "stagger: 1");
    stg_unit_err e;
    if (!s)
        return;
    if (stg_parse_count(s, 1000000, &v, &e)) {
        out_of_range(r, key, "is not a format version", "write stagger: 1");
        return;
    }
    r->version_read = true;
    r->version = v;
    r->version_loc = here(r);
}

static void top_cycle(rd *r, void *obj, const char *key)
{
    (void)obj;
    const char *s = get_scalar(r, key, "cycle: day");
    if (!s)
        return;
    if (!strcmp(s, "day"))
        r->f->cycle = STG_DAY;
    else if (!strcmp(s, "week"))
        r->f->cycle = STG_WEEK;
    else {
        out_of_range(r, key, "is neither day nor week",
                     "write cycle: day or cycle: week");
        return;
    }
    r->f->cycle_set = true;
    r->f->cycle_loc = here(r);
}

static void top_resolution(rd *r, void *obj, const char *key)
{
    int v;
    (void)obj;
    if (!get_int(r, key, "resolution: 1m", stg_parse_duration, &v))
        return;
    if (v <= 0 || v % 60 != 0) {
        out_of_range(r, key, "is not a whole number of minutes above zero",
                     "write e.g. resolution: 1m or resolution: 5m");
        return;
    }
    r->f->resolution = v;
    r->f->resolution_loc = here(r);
}

static void top_headroom(rd *r, void *obj, const char *key)
{
    double v;
    (void)obj;
    if (!get_double(r, key, "headroom: 15%", stg_parse_fraction, &v))
        return;
    if (v >= 1) {
        out_of_range(r, key, "leaves nothing for transfers: it must be below 100%",
                     "write e.g. headroom: 15%");
        return;
    }
    r->f->headroom = v;
    r->f->headroom_loc = here(r);
}

static void top_efficiency(rd *r, void *obj, const char *key)
{
    double v;
    (void)obj;
    if (!get_double(r, key, "efficiency: 80%", stg_parse_fraction, &v))
        return;
    if (!(v > 0)) {
        out_of_range(r, key, "is not above 0%", "write e.g. efficiency: 80%");
        return;
    }
    if (v < 0.01) {
        out_of_range(r, key, "is below 1%",
                     "the lowest efficiency accepted is 1%; write e.g. efficiency: 80%");
        return;
    }
    r->f->efficiency = v;
}

/* ---- links ----------------------------------------------------------- */

typedef struct {
    stg_link *l;
    size_t cap;
} link_ctx;

static void bg_from(rd *r, void *obj, const char *key)
{
    get_int(r, key, "from: \"08:00\"", stg_parse_clock, &((stg_timed_rate *)obj)->from);
}

static void bg_to(rd *r, void *obj, const char *key)
{
    get_int(r, key, "to: \"18:00\"", stg_parse_clock, &((stg_timed_rate *)obj)->to);
}

static void bg_rate(rd *r, void *obj, const char *key)
{
    get_rate(r, key, "rate: 30Mbps", &((stg_timed_rate *)obj)->rate);
}

static void bg_days(rd *r, void *obj, const char *key)
{
    get_days(r, key, &((stg_timed_rate *)obj)->days);
}

static const field bg_fields[] = {
    {"from", bg_from, "from: \"08:00\""},
    {"to", bg_to, "to: \"18:00\""},
    {"rate", bg_rate, "rate: 30Mbps"},
    {"days", bg_days, NULL},
};

static void link_name(rd *r, void *obj, const char *key)
{
    stg_link *l = ((link_ctx *)obj)->l;
    get_name(r, key, &l->name, &l->loc);
}

static void link_capacity(rd *r, void *obj, const char *key)
{
    stg_link *l = ((link_ctx *)obj)->l;
    if (get_rate(r, key, "capacity: 100Mbps", &l->capacity))
        l->capacity_loc = here(r);
}

static void link_background(rd *r, void *obj, const char *key)
{
    static const char example[] =
        "background: [{ from: \"08:00\", to: \"18:00\", rate: 30Mbps }]";
    link_ctx *c = obj;
    stg_loc seen[NFIELDS(bg_fields)];
    if (seq_begin(r, key, example) != 1)
        return;
    while (seq_next(r)) {
        if (!is_map(r, "an entry of background", example))
            continue;
        if (stg_grow((void **)&c->l->background, &c->cap,
                     (size_t)c->l->nbackground + 1, sizeof *c->l->background)) {
            oom(r);
            return;
        }
        stg_timed_rate *b = &c->l->background[c->l->nbackground++];
        memset(b, 0, sizeof *b);
        b->days = STG_DAILY;
        b->loc = here(r);
        map_fields(r, bg_fields, NFIELDS(bg_fields), b, "in a background entry",
                   seen);
        missing(r, bg_fields, NFIELDS(bg_fields), seen, b->loc,
                "a background entry");
    }
}

static const field link_fields[] = {
    {"name", link_name, "name: branch1-wan"},
    {"capacity", link_capacity, "capacity: 100Mbps"},
    {"background", link_background, NULL},
};

/* False (reported once per list, the entry skipped) when a list already
 * holds MAX_ENTRIES entries. */
static bool room_for(rd *r, int n, const char *what)
{
    if (n < MAX_ENTRIES)
        return true;
    if (n == MAX_ENTRIES) {
        char hint[96];
        snprintf(hint, sizeof hint, "a fleet has at most %d %s", MAX_ENTRIES,
                 what);
        err(r, here(r), hint, "more than %d %s", MAX_ENTRIES, what);
    }
    skip(r);
    return false;
}

static void link_item(rd *r)
{
    static const char example[] = "- { name: branch1-wan, capacity: 100Mbps }";
    stg_fleet *f = r->f;
    stg_loc seen[NFIELDS(link_fields)];
    char w[96];
    if (!is_map(r, "an entry of links", example) ||
        !room_for(r, f->nlinks, "links"))
        return;
    if (stg_grow((void **)&f->links, &r->cap_links, (size_t)f->nlinks + 1,
                 sizeof *f->links)) {
        oom(r);
        return;
    }
    stg_link *l = &f->links[f->nlinks++];
    memset(l, 0, sizeof *l);
    stg_loc start = l->loc = here(r);
    link_ctx c = {l, 0};
    map_fields(r, link_fields, NFIELDS(link_fields), &c, "in a link", seen);
    who(w, sizeof w, "link", l->name);
    missing(r, link_fields, NFIELDS(link_fields), seen, start, w);
}

/* ---- servers --------------------------------------------------------- */

static void server_name(rd *r, void *obj, const char *key)
{
    stg_server *s = obj;
    get_name(r, key, &s->name, &s->loc);
}

static void server_path(rd *r, void *obj, const char *key)
{
    stg_server *s = obj;
    get_path(r, key, &s->path, &s->npath, REF_SERVER_PATH,
             (int)(s - r->f->servers));
}

static void server_max_jobs(rd *r, void *obj, const char *key)
{
    stg_server *s = obj;
    long v;
    if (!get_count(r, key, "max_jobs: 10", 100000, &v))
        return;
    if (v < 1) {
        out_of_range(r, key, "is below 1",
                     "write at least 1, or leave max_jobs out for no limit");
        return;
    }
    s->max_jobs = (int)v;
}

static const field server_fields[] = {
    {"name", server_name, "name: dpm01"},
    {"path", server_path, NULL},
    {"max_jobs", server_max_jobs, NULL},
};

static void server_item(rd *r)
{
    stg_fleet *f = r->f;
    stg_loc seen[NFIELDS(server_fields)];
    if (!is_map(r, "an entry of servers", "- { name: dpm01, path: [dc-core] }") ||
        !room_for(r, f->nservers, "servers"))
        return;
    if (stg_grow((void **)&f->servers, &r->cap_servers,
                 (size_t)f->nservers + 1, sizeof *f->servers)) {
        oom(r);
        return;
    }
    stg_server *s = &f->servers[f->nservers++];
    memset(s, 0, sizeof *s);
    stg_loc start = s->loc = here(r);
    map_fields(r, server_fields, NFIELDS(server_fields), s, "in a server", seen);
    missing(r, server_fields, NFIELDS(server_fields), seen, start, "a server");
}

/* ---- computers ------------------------------------------------------- */

typedef struct {
    stg_throttle *t;
    bool work_auto, other_auto, work_ok, other_ok;
} throttle_ctx;

/* A rate or auto, for work and other. */
static void throttle_part(rd *r, const char *key, double *rate, bool *is_auto,
                          bool *ok)
{
    char example[64];
    snprintf(example, sizeof example, "%s: %s", key,
             strcmp(key, "work") == 0 ? "10Mbps" : "60Mbps");
    if (r->ev == EV_SCALAR &&
        strcmp(r->cur->text, "auto") == 0) {
        *is_auto = true;
        *ok = true;
        return;
    }
    *ok = get_rate(r, key, example, rate);
}

static void thr_work(rd *r, void *obj, const char *key)
{
    throttle_ctx *c = obj;
    throttle_part(r, key, &c->t->work, &c->work_auto, &c->work_ok);
}

static void thr_other(rd *r, void *obj, const char *key)
{
    throttle_ctx *c = obj;
    throttle_part(r, key, &c->t->other, &c->other_auto, &c->other_ok);
}

static void thr_hours(rd *r, void *obj, const char *key)
{
    throttle_ctx *c = obj;
    const char *s = get_scalar(r, key, "hours: \"08:00-18:00\"");
    stg_unit_err e;
    int from, to;
    if (!s)
        return;
    if (stg_parse_clock_range(s, &from, &to, &e)) {
        bad_value(r, key, s, &e);
        return;
    }
    if (from == to) {
        out_of_range(r, key, "cover the whole day",
                     "write a single rate, e.g. throttle: 40Mbps");
        return;
    }
    c->t->hours_from = from;
    c->t->hours_to = to;
}

static void thr_days(rd *r, void *obj, const char *key)
{
    throttle_ctx *c = obj;
    get_days(r, key, &c->t->days);
}

static const field throttle_fields[] = {
    {"work", thr_work, "work: 10Mbps"},
    {"other", thr_other, "other: 60Mbps"},
    {"hours", thr_hours, "hours: \"08:00-18:00\""},
    {"days", thr_days, NULL},
};

static void comp_throttle(rd *r, void *obj, const char *key)
{
    static const char forms[] =
        "write a rate (throttle: 40Mbps), auto, none, or { work: 10Mbps, "
        "other: 60Mbps, hours: \"08:00-18:00\", days: weekdays }";
    stg_computer *c = obj;
    stg_throttle *t = &c->throttle;
    c->throttle_loc = here(r);
    if (r->ev == EV_MAP_START) {
        stg_loc seen[NFIELDS(throttle_fields)];
        stg_loc start = here(r);
        memset(t, 0, sizeof *t);
        t->days = STG_WEEKDAYS;
        throttle_ctx tc = {t, false, false, false, false};
        map_fields(r, throttle_fields, NFIELDS(throttle_fields), &tc,
                   "in a throttle", seen);
        missing(r, throttle_fields, NFIELDS(throttle_fields), seen, start,
                "a work/other throttle");
        if (r->fatal || !tc.work_ok || !tc.other_ok)
            return;
        if (tc.work_auto != tc.other_auto) {
            err(r, start, "write two rates, or work: auto and other: auto",
                "throttle: work and other must both be rates, or both auto");
            return;
        }
        t->kind = tc.work_auto ? STG_THROTTLE_AUTO : STG_THROTTLE_WORK;
        t->has_hours = true;
        return;
    }
    if (r->ev == EV_SEQ_START) {
        wrong_type(r, key, "a rate, auto, none or a mapping", forms);
        return;
    }
    const char *s = get_scalar(r, key, "throttle: 40Mbps");
    stg_unit_err e;
    if (!s)
        return;
    memset(t, 0, sizeof *t);
    if (!strcmp(s, "auto")) {
        t->kind = STG_THROTTLE_AUTO;
    } else if (!strcmp(s, "none")) {
        t->kind = STG_THROTTLE_NONE;
    } else if (stg_parse_rate(s, &t->rate, &e)) {
        if (strncmp(e.msg, "is not a rate", 13) == 0)
            out_of_range(r, key, "is not a rate, auto or none", forms);
        else
            bad_value(r, key, s, &e);
    } else if (!(t->rate > 0)) {
        out_of_range(r, key, "is not above zero", "write none for unthrottled");
    } else {
        t->kind = STG_THROTTLE_RATE;
    }
}

static void comp_name(rd *r, void *obj, const char *key)
{
    stg_computer *c = obj;
    get_name(r, key, &c->name, &c->loc);
}

static void comp_server(rd *r, void *obj, const char *key)
{
    stg_computer *c = obj;
    const char *s = get_scalar(r, key, "server: dpm01");
    if (!s)
        return;
    c->server_loc = here(r);
    add_ref(r, REF_COMPUTER_SERVER, (int)(c - r->f->computers), 0, s);
}

static void comp_path(rd *r, void *obj, const char *key)
{
    stg_computer *c = obj;
    get_path(r, key, &c->path, &c->npath, REF_COMPUTER_PATH,
             (int)(c - r->f->computers));
}

static void comp_utc_offset(rd *r, void *obj, const char *key)
{
    stg_computer *c = obj;
    c->utc_loc = here(r);
    if (get_int(r, key, "utc_offset: \"-06:00\"", stg_parse_utc_offset,
                &c->utc_offset))
        c->utc_offset_set = true;
}

static const field computer_fields[] = {
    {"name", comp_name, "name: fs01.branch1.contoso.local"},
    {"server", comp_server, NULL},
    {"path", comp_path, NULL},
    {"throttle", comp_throttle, NULL},
    {"utc_offset", comp_utc_offset, NULL},
};

static void computer_item(rd *r)
{
    stg_fleet *f = r->f;
    stg_loc seen[NFIELDS(computer_fields)];
    if (!is_map(r, "an entry of computers",
                "- { name: fs01, server: dpm01, path: [branch1-wan] }") ||
        !room_for(r, f->ncomputers, "computers"))
        return;
    if (stg_grow((void **)&f->computers, &r->cap_computers,
                 (size_t)f->ncomputers + 1, sizeof *f->computers)) {
        oom(r);
        return;
    }
    stg_computer *c = &f->computers[f->ncomputers++];
    memset(c, 0, sizeof *c);
    c->server = -1;
    c->throttle.kind = STG_THROTTLE_AUTO;
    c->throttle.days = STG_WEEKDAYS;
    stg_loc start = c->loc = here(r);
    map_fields(r, computer_fields, NFIELDS(computer_fields), c,
               "in a computer", seen);
    missing(r, computer_fields, NFIELDS(computer_fields), seen, start,
            "a computer");
    if (!c->throttle_loc.line)
        c->throttle_loc = c->loc;
}

/* ---- groups ---------------------------------------------------------- */

typedef struct {
    stg_group *g;
    int gi;
    size_t src_cap;
    int sources_state;          /* 0 absent, 1 read, -1 not a list */
} group_ctx;

typedef struct {
    stg_source *s;
    int si;
    bool relative;              /* churn is a fraction of the size */
    double churn_fraction;
} source_ctx;

static void src_name(rd *r, void *obj, const char *key)
{
    stg_source *s = ((source_ctx *)obj)->s;
    get_name(r, key, &s->name, &s->loc);
}

static void src_computer(rd *r, void *obj, const char *key)
{
    source_ctx *c = obj;
    const char *s = get_scalar(r, key, "computer: fs01.branch1.contoso.local");
    if (s)
        add_ref(r, REF_SOURCE_COMPUTER, c->si, 0, s);
}

static void src_kind(rd *r, void *obj, const char *key)
{
    static const char *const kinds[] = {"file", "sql", "exchange", "sharepoint",
                                        "hyperv", "system", "client"};
    stg_source *src = ((source_ctx *)obj)->s;
    const char *s = get_scalar(r, key, "kind: file");
    if (!s)
        return;
    for (int i = 0; i < 7; i++)
        if (!strcmp(s, kinds[i])) {
            src->kind = (stg_source_kind)i;
            return;
        }
    out_of_range(r, key, "is not a kind of data source",
                 "write one of file, sql, exchange, sharepoint, hyperv, "
                 "system, client");
}

static void src_size(rd *r, void *obj, const char *key)
{
    get_double(r, key, "size: 2TB", stg_parse_size, &((source_ctx *)obj)->s->size);
}

static void src_churn(rd *r, void *obj, const char *key)
{
    source_ctx *c = obj;
    const char *s = get_scalar(r, key, "churn: 3%/day");
    stg_unit_err e;
    stg_churn_kind kind;
    double v;
    if (!s)
        return;
    if (stg_parse_churn(s, &kind, &v, &e)) {
        bad_value(r, key, s, &e);
        return;
    }
    c->relative = kind == STG_CHURN_RELATIVE;
    if (c->relative)
        c->churn_fraction = v;
    else
        c->s->churn = v;
}

static void src_full_only(rd *r, void *obj, const char *key)
{
    get_bool(r, key, "express_full_only: true",
             &((source_ctx *)obj)->s->full_only);
}

static void src_sync_volume(rd *r, void *obj, const char *key)
{
    get_double(r, key, "sync_volume: 2GB", stg_parse_size,
               &((source_ctx *)obj)->s->sync_volume);
}

static void src_full_volume(rd *r, void *obj, const char *key)
{
    get_double(r, key, "full_volume: 20GB", stg_parse_size,
               &((source_ctx *)obj)->s->full_volume);
}

static void src_cc_volume(rd *r, void *obj, const char *key)
{
    get_double(r, key, "cc_volume: 20GB", stg_parse_size,
               &((source_ctx *)obj)->s->cc_volume);
}

static void src_cc_ratio(rd *r, void *obj, const char *key)
{
    get_double(r, key, "cc_ratio: 1%", stg_parse_fraction,
               &((source_ctx *)obj)->s->cc_ratio);
}

static const field source_fields[] = {
    {"name", src_name, "name: Sales-DB"},
    {"computer", src_computer, "computer: sql01.branch1.contoso.local"},
    {"kind", src_kind, "kind: sql"},
    {"size", src_size, "size: 400GB"},
    {"churn", src_churn, "churn: 5%/day"},
    {"sync_volume", src_sync_volume, NULL},
    {"full_volume", src_full_volume, NULL},
    {"cc_volume", src_cc_volume, NULL},
    {"cc_ratio", src_cc_ratio, NULL},
    {"express_full_only", src_full_only, NULL},
};

static void source_item(rd *r, group_ctx *gc)
{
    static const char example[] =
        "- { name: Sales-DB, computer: sql01, kind: sql, size: 400GB, "
        "churn: 5%/day }";
    stg_fleet *f = r->f;
    stg_group *g = gc->g;
    stg_loc seen[NFIELDS(source_fields)];
    char w[96];
    if (!is_map(r, "an entry of sources", example) ||
        !room_for(r, f->nsources, "sources"))
        return;
    if (stg_grow((void **)&f->sources, &r->cap_sources,
                 (size_t)f->nsources + 1, sizeof *f->sources) ||
        stg_grow((void **)&g->sources, &gc->src_cap, (size_t)g->nsources + 1,
                 sizeof *g->sources)) {
        oom(r);
        return;
    }
    int si = f->nsources++;
    g->sources[g->nsources++] = si;
    stg_source *s = &f->sources[si];
    memset(s, 0, sizeof *s);
    s->computer = -1;
    s->sync_volume = s->full_volume = s->cc_volume = -1;
    s->cc_ratio = 0.01;
    stg_loc start = s->loc = here(r);
    source_ctx sc = {s, si, false, 0};
    map_fields(r, source_fields, NFIELDS(source_fields), &sc, "in a source",
               seen);
    who(w, sizeof w, "source", s->name);
    missing(r, source_fields, NFIELDS(source_fields), seen, start, w);
    if (sc.relative)
        s->churn = s->size * sc.churn_fraction;
}

typedef struct {
    stg_group *g;
    bool every_set;
} sync_ctx;

static void sync_every(rd *r, void *obj, const char *key)
{
    static const int allowed[] = {900, 1800, 2700, 3600, 7200, 14400, 21600,
                                  43200, 86400};
    sync_ctx *c = obj;
    int v;
    if (!get_int(r, key, "every: 15m", stg_parse_duration, &v))
        return;
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        if (v == allowed[i]) {
            c->g->sync_every = v;
            c->every_set = true;
            return;
        }
    out_of_range(r, key, "is not a DPM sync frequency",
                 "write one of 15m, 30m, 45m, 1h, 2h, 4h, 6h, 12h, 24h");
}

static void sync_offset(rd *r, void *obj, const char *key)
{
    sync_ctx *c = obj;
    if (get_int(r, key, "offset: 5m", stg_parse_duration, &c->g->sync_offset))
        c->g->offset_loc = here(r);
}

static void sync_before(rd *r, void *obj, const char *key)
{
    sync_ctx *c = obj;
    get_bool(r, key, "before_recovery_point: true", &c->g->before_rp);
}

static const field sync_fields[] = {
    {"every", sync_every, NULL},
    {"offset", sync_offset, NULL},
    {"before_recovery_point", sync_before, NULL},
};

static void group_sync(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    stg_loc seen[NFIELDS(sync_fields)];
    if (!is_map(r, key, "sync: { every: 15m, offset: 0m }"))
        return;
    g->sync_loc = here(r);
    sync_ctx sc = {g, false};
    map_fields(r, sync_fields, NFIELDS(sync_fields), &sc, "in sync", seen);
    if (r->fatal)
        return;
    if (g->before_rp && seen[0].line)
        err(r, seen[0], "keep one of them",
            "sync takes every or before_recovery_point: true, not both");
    if (g->before_rp)
        g->sync_every = 0;
}

static void rp_at(rd *r, void *obj, const char *key)
{
    stg_group *g = obj;
    get_times(r, key, &g->rp_at, &g->nrp);
}

static void rp_days(rd *r, void *obj, const char *key)
{
    get_days(r, key, &((stg_group *)obj)->rp_days);
}

static const field rp_fields[] = {
    {"at", rp_at, "at: [\"08:00\", \"20:00\"]"},
    {"days", rp_days, NULL},
};

static void group_rp(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    stg_loc seen[NFIELDS(rp_fields)];
    if (!is_map(r, key, "recovery_points: { at: [\"08:00\", \"20:00\"] }"))
        return;
    g->rp_loc = here(r);
    map_fields(r, rp_fields, NFIELDS(rp_fields), g, "in recovery_points", seen);
    missing(r, rp_fields, NFIELDS(rp_fields), seen, g->rp_loc, "recovery_points");
}

static void ef_at(rd *r, void *obj, const char *key)
{
    stg_group *g = obj;
    get_times(r, key, &g->ef_at, &g->nef);
}

static void ef_days(rd *r, void *obj, const char *key)
{
    get_days(r, key, &((stg_group *)obj)->ef_days);
}

static void ef_flex(rd *r, void *obj, const char *key)
{
    stg_group *g = obj;
    int v;
    if (!get_int(r, key, "flex: 2h", stg_parse_duration, &v))
        return;
    if (v >= MAX_FLEX) {
        out_of_range(r, key, "is not below 12h",
                     "write e.g. flex: 2h (each time moves at most this much "
                     "earlier or later)");
        return;
    }
    g->ef_flex = v;
}

static const field ef_fields[] = {
    {"at", ef_at, "at: [\"20:00\"]"},
    {"days", ef_days, NULL},
    {"flex", ef_flex, NULL},
};

static void group_ef(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    stg_loc seen[NFIELDS(ef_fields)];
    if (!is_map(r, key, "express_full: { at: [\"20:00\"], flex: 2h }"))
        return;
    g->ef_loc = here(r);
    map_fields(r, ef_fields, NFIELDS(ef_fields), g, "in express_full", seen);
    missing(r, ef_fields, NFIELDS(ef_fields), seen, g->ef_loc, "express_full");
}

static void cc_from(rd *r, void *obj, const char *key)
{
    get_int(r, key, "from: \"22:00\"", stg_parse_clock, &((stg_group *)obj)->cc_from);
}

static void cc_to(rd *r, void *obj, const char *key)
{
    get_int(r, key, "to: \"06:00\"", stg_parse_clock, &((stg_group *)obj)->cc_to);
}

static void cc_days(rd *r, void *obj, const char *key)
{
    get_days(r, key, &((stg_group *)obj)->cc_days);
}

static const field cc_fields[] = {
    {"from", cc_from, "from: \"22:00\""},
    {"to", cc_to, "to: \"06:00\""},
    {"days", cc_days, NULL},
};

static void group_cc(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    stg_loc seen[NFIELDS(cc_fields)];
    if (!is_map(r, key, "consistency_check: { from: \"22:00\", to: \"06:00\" }"))
        return;
    g->cc_loc = here(r);
    g->has_cc = true;
    map_fields(r, cc_fields, NFIELDS(cc_fields), g, "in consistency_check",
               seen);
    missing(r, cc_fields, NFIELDS(cc_fields), seen, g->cc_loc,
            "consistency_check");
}

/* compression: true | false | the share it saves ("40%") */
static void group_compression(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    const char *s = get_scalar(r, key, "compression: true");
    stg_unit_err e;
    double v;
    bool on;
    if (!s)
        return;
    if (bool_word(s, &on)) {
        g->saving = on ? STG_COMPRESSION_SAVING : 0;
        return;
    }
    if (stg_parse_fraction(s, &v, &e)) {
        out_of_range(r, key, "is neither true, false nor a share",
                     "write true (30% saved), false, or the share "
                     "compression saves, e.g. compression: 40%");
        return;
    }
    if (v < 0 || v > 0.9) {
        out_of_range(r, key, "is not a share from 0% to 90%",
                     "write the share of the bytes compression saves, "
                     "e.g. compression: 40%");
        return;
    }
    g->saving = v;
}

static void group_max_lag(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    int v;
    if (!get_int(r, key, "max_lag: 30m", stg_parse_duration, &v))
        return;
    if (v <= 0) {
        out_of_range(r, key, "is not above zero",
                     "write e.g. max_lag: 30m, or leave it out for no limit");
        return;
    }
    g->max_lag = v;
}

static void group_name(rd *r, void *obj, const char *key)
{
    stg_group *g = ((group_ctx *)obj)->g;
    get_name(r, key, &g->name, &g->loc);
}

static void group_server(rd *r, void *obj, const char *key)
{
    group_ctx *c = obj;
    const char *s = get_scalar(r, key, "server: dpm01");
    if (!s)
        return;
    c->g->server_loc = here(r);
    add_ref(r, REF_GROUP_SERVER, c->gi, 0, s);
}

static void group_sources(rd *r, void *obj, const char *key)
{
    group_ctx *c = obj;
    int kind = seq_begin(r, key, "sources: [{ name: Sales-DB, computer: sql01, "
                                 "kind: sql, size: 400GB, churn: 5%/day }]");
    c->sources_state = kind < 0 ? -1 : 1;
    while (kind == 1 && seq_next(r))
        source_item(r, c);
}

static const field group_fields[] = {
    {"name", group_name, "name: Branch1-Files"},
    {"server", group_server, NULL},
    {"sync", group_sync, NULL},
    {"recovery_points", group_rp, NULL},
    {"express_full", group_ef, NULL},
    {"consistency_check", group_cc, NULL},
    {"max_lag", group_max_lag, NULL},
    {"compression", group_compression, NULL},
    {"sources", group_sources, NULL},
};

static void group_item(rd *r)
{
    stg_fleet *f = r->f;
    stg_loc seen[NFIELDS(group_fields)];
    char w[96];
    if (!is_map(r, "an entry of groups",
                "- { name: Branch1-Files, sync: { every: 15m }, sources: [...] }") ||
        !room_for(r, f->ngroups, "groups"))
        return;
    if (stg_grow((void **)&f->groups, &r->cap_groups, (size_t)f->ngroups + 1,
                 sizeof *f->groups)) {
        oom(r);
        return;
    }
    int gi = f->ngroups++;
    stg_group *g = &f->groups[gi];
    memset(g, 0, sizeof *g);
    g->server = -1;
    g->sync_every = 900;
    g->rp_days = g->ef_days = g->cc_days = STG_DAILY;
    stg_loc start = g->loc = here(r);
    group_ctx gc = {g, gi, 0, 0};
    map_fields(r, group_fields, NFIELDS(group_fields), &gc, "in a group", seen);
    who(w, sizeof w, "group", g->name);
    missing(r, group_fields, NFIELDS(group_fields), seen, start, w);
    if (r->fatal)
        return;
    if (gc.sources_state >= 0 && g->nsources == 0 && g->name)
        err(r, g->loc, "add sources: with at least one data source",
            "group %s has no sources", g->name);
    if (g->before_rp && g->nrp == 0 && !seen[3].line)
        err(r, g->sync_loc.line ? g->sync_loc : g->loc, "add recovery_points: { at: [\"20:00\"] }",
            "group %s: sync before_recovery_point needs recovery_points",
            g->name ? g->name : "");
}

/* ---- top-level lists and the document ------------------------------ */

static void top_links(rd *r, void *obj, const char *key)
{
    (void)obj;
    r->links_loc = here(r);
    if (seq_begin(r, key, "links: [{ name: branch1-wan, capacity: 100Mbps }]") == 1)
        while (seq_next(r))
            link_item(r);
}

static void top_servers(rd *r, void *obj, const char *key)
{
    (void)obj;
    if (seq_begin(r, key, "servers: [{ name: dpm01, path: [dc-core] }]") == 1)
        while (seq_next(r))
            server_item(r);
}

static void top_computers(rd *r, void *obj, const char *key)
{
    (void)obj;
    r->computers_loc = here(r);
    if (seq_begin(r, key, "computers: [{ name: fs01, server: dpm01, "
                          "path: [branch1-wan] }]") == 1)
        while (seq_next(r))
            computer_item(r);
}

static void top_groups(rd *r, void *obj, const char *key)
{
    (void)obj;
    r->groups_loc = here(r);
    if (seq_begin(r, key, "groups: [{ name: Branch1-Files, sources: [...] }]") == 1)
        while (seq_next(r))
            group_item(r);
}

static void top_utc_offset(rd *r, void *obj, const char *key)
{
    (void)obj;
    get_int(r, key, "utc_offset: \"+01:00\"", stg_parse_utc_offset,
            &r->f->utc_offset);
}

static const field top_fields[] = {
    {"stagger", top_stagger, "stagger: 1"},
    {"cycle", top_cycle, NULL},
    {"resolution", top_resolution, NULL},
    {"headroom", top_headroom, NULL},
    {"efficiency", top_efficiency, NULL},
    {"utc_offset", top_utc_offset, NULL},
    {"links", top_links, NULL},
    {"servers", top_servers, NULL},
    {"computers", top_computers, NULL},
    {"groups", top_groups, NULL},
};

static void parse_stream(rd *r)
{
    static const char empty_hint[] = "a fleet file starts with stagger: 1";
    if (!r->root) {                     /* the text stopped before it */
        say_yaml(r);
        return;
    }
    if (!next(r))                       /* the root node */
        return;
    if (r->ev == EV_MAP_START) {
        stg_loc start = here(r);
        stg_loc seen[NFIELDS(top_fields)];
        map_fields(r, top_fields, NFIELDS(top_fields), NULL, "at the top level",
                   seen);
        if (!r->fatal && !seen[0].line)
            err(r, start, "add stagger: 1 as the first line",
                "missing \"stagger: 1\" (the format version)");
    } else if (is_null(r)) {
        err(r, nowhere, empty_hint, "the file is empty");
    } else {
        wrong_type(r, "a fleet file", "a mapping (stagger: 1, links: ..., "
                   "servers: ..., computers: ..., groups: ...)", empty_hint);
    }
    if (r->fatal)
        return;
    if (r->d->dropped >= STG_DIAG_STOP) {
        r->d->truncated = 1;
        r->fatal = true;
        return;
    }
    say_yaml(r);                        /* after the document: a second
                                           one, or a syntax error */
}

/* ---- after the document: names, references, days -------------------- */

typedef enum { SEC_LINK, SEC_SERVER, SEC_COMPUTER, SEC_GROUP, NSEC } section;

static const char *const sec_word[NSEC] = {"link", "server", "computer", "group"};
static const char *const sec_key[NSEC] = {"links", "servers", "computers", "groups"};

static int sec_count(const stg_fleet *f, section s)
{
    switch (s) {
    case SEC_LINK:
        return f->nlinks;
    case SEC_SERVER:
        return f->nservers;
    case SEC_COMPUTER:
        return f->ncomputers;
    default:
        return f->ngroups;
    }
}

static const char *sec_name(const stg_fleet *f, section s, int i)
{
    switch (s) {
    case SEC_LINK:
        return f->links[i].name;
    case SEC_SERVER:
        return f->servers[i].name;
    case SEC_COMPUTER:
        return f->computers[i].name;
    default:
        return f->groups[i].name;
    }
}

static stg_loc sec_loc(const stg_fleet *f, section s, int i)
{
    switch (s) {
    case SEC_LINK:
        return f->links[i].loc;
    case SEC_SERVER:
        return f->servers[i].loc;
    case SEC_COMPUTER:
        return f->computers[i].loc;
    default:
        return f->groups[i].loc;
    }
}

typedef struct {
    const char *name;
    int idx;
} named;

static int by_name(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* Sorted names of a section (entries without a name left out); reports
 * duplicates.  NULL (with *n = 0) when out of memory or empty. */
static named *index_section(rd *r, section s, int *n)
{
    int count = sec_count(r->f, s);
    *n = 0;
    named *v = stg_malloc(sizeof *v * (size_t)(count + 1));
    if (!v) {
        oom(r);
        return NULL;
    }
    for (int i = 0; i < count; i++)
        if (sec_name(r->f, s, i))
            v[(*n)++] = (named){sec_name(r->f, s, i), i};
    qsort(v, (size_t)*n, sizeof *v, by_name);
    char hint[64], q[64];
    snprintf(hint, sizeof hint, "names must be unique within %s", sec_key[s]);
    for (int i = 1, first = 0; i < *n; i++) {
        if (strcmp(v[i].name, v[first].name) != 0) {
            first = i;
            continue;
        }
        char fa[96];
        stg_loc at = sec_loc(r->f, s, v[i].idx);
        err(r, at, hint, "duplicate %s name \"%s\" (%s)", sec_word[s],
            stg_shorten(q, sizeof q, v[i].name),
            first_at(r, fa, sizeof fa, at, sec_loc(r->f, s, v[first].idx)));
    }
    return v;
}

static int lookup(const named *v, int n, const char *name)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(v[lo].name, name) == 0 ? v[lo].idx : -1;
}

static void dangling(rd *r, section s, const ref *x)
{
    const stg_fleet *f = r->f;
    char hint[512], list[320] = "", sug[96] = "", q[64];
    size_t len = 0;
    int count = sec_count(f, s), shown = 0;
    stg_closest near;
    stg_closest_init(&near, x->name);
    for (int i = 0; i < count; i++) {
        const char *name = sec_name(f, s, i);
        if (!name)
            continue;
        bool again = false;
        for (int k = 0; k < i && !again && shown < 5; k++)
            again = sec_name(f, s, k) && strcmp(sec_name(f, s, k), name) == 0;
        if (again)
            continue;
        stg_closest_offer(&near, name);
        if (shown == 5) {
            if (len < sizeof list)
                snprintf(list + len, sizeof list - len, ", ...");
            continue;
        }
        if (len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                    shown ? ", " : "",
                                    stg_shorten(q, sizeof q, name));
        shown++;
    }
    if (near.best)
        snprintf(sug, sizeof sug, "did you mean \"%s\"? ",
                 stg_shorten(q, sizeof q, near.best));
    if (shown == 0)
        snprintf(hint, sizeof hint, "there are no %s: define it under %s:",
                 sec_key[s], sec_key[s]);
    else
        snprintf(hint, sizeof hint, "%s%s are: %s", sug, sec_key[s], list);
    err(r, x->loc, hint, "no %s named \"%s\"", sec_word[s],
        stg_shorten(q, sizeof q, x->name));
}

static void resolve_refs(rd *r)
{
    stg_fleet *f = r->f;
    named *index[NSEC] = {NULL};
    int n[NSEC] = {0};
    for (int s = 0; s < NSEC; s++) {
        index[s] = index_section(r, (section)s, &n[s]);
        if (!index[s])
            goto out;
    }
    /* sources are unique within their group */
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        for (int i = 1; i < gr->nsources; i++) {
            const stg_source *a = &f->sources[gr->sources[i]];
            for (int k = 0; a->name && k < i; k++) {
                const stg_source *b = &f->sources[gr->sources[k]];
                if (b->name && strcmp(a->name, b->name) == 0) {
                    char q[64], fa[96];
                    err(r, a->loc, "names must be unique within a group's sources",
                        "duplicate source name \"%s\" (%s)",
                        stg_shorten(q, sizeof q, a->name),
                        first_at(r, fa, sizeof fa, a->loc, b->loc));
                    break;
                }
            }
        }
    }
    for (size_t i = 0; i < r->nrefs; i++) {
        const ref *x = &r->refs[i];
        section s = x->kind == REF_SERVER_PATH || x->kind == REF_COMPUTER_PATH ?
            SEC_LINK : x->kind == REF_SOURCE_COMPUTER ? SEC_COMPUTER : SEC_SERVER;
        int idx = lookup(index[s], n[s], x->name);
        if (idx < 0) {
            dangling(r, s, x);
            continue;
        }
        int *path = NULL;
        switch (x->kind) {
        case REF_SERVER_PATH:
            path = f->servers[x->owner].path;
            break;
        case REF_COMPUTER_PATH:
            path = f->computers[x->owner].path;
            break;
        case REF_COMPUTER_SERVER:
            f->computers[x->owner].server = idx;
            break;
        case REF_GROUP_SERVER:
            f->groups[x->owner].server = idx;
            break;
        case REF_SOURCE_COMPUTER:
            f->sources[x->owner].computer = idx;
            break;
        }
        if (!path)
            continue;
        bool twice = false;
        for (int k = 0; k < x->pos && !twice; k++)
            twice = path[k] == idx;
        if (twice) {
            char q[64];
            err(r, x->loc, "list each link once",
                "link \"%s\" appears twice in this path",
                stg_shorten(q, sizeof q, x->name));
        }
        path[x->pos] = idx;
    }
out:
    for (int s = 0; s < NSEC; s++)
        stg_free(index[s]);
}

/* With cycle: day written, every days value written must be daily. */
static void check_days(rd *r)
{
    char a[STG_QBUF];
    if (!r->f->cycle_set || r->f->cycle != STG_DAY)
        return;
    for (size_t i = 0; i < r->ndays; i++)
        err(r, r->days[i].loc, "write days: daily, or remove cycle: day",
            "days %s need a week cycle, but the fleet says cycle: day",
            stg_fmt_days(a, sizeof a, r->days[i].days));
}

/* ---- entry points ---------------------------------------------------- */

static void merge(stg_diags *to, const stg_diags *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const stg_diag *it = &from->items[i];
        stg_diag_add(to, it->level, it->loc, it->hint, "%s", it->msg);
    }
    to->errors += from->dropped;
    to->dropped += from->dropped;
    to->truncated |= from->truncated;
    if (from->oom)
        to->oom = 1;
}

/* A fleet without links, computers or groups has nothing to plan (a
 * file cut off after "groups:" reads as one): an error at the empty
 * list, or at the top of the file when the key is not there. */
static void check_empty(rd *r)
{
    static const struct {
        const char *key, *what, *hint;
    } need[] = {
        { "links", "nothing can be saturated", "add links: with their capacities" },
        { "computers", "nothing sends", "add computers: with their servers and paths" },
        { "groups", "nothing is sent", "add groups: with their sources" },
    };
    int n[3] = { r->f->nlinks, r->f->ncomputers, r->f->ngroups };
    stg_loc at[3] = { r->links_loc, r->computers_loc, r->groups_loc };
    stg_loc top = r->version_loc.line > 0 ? r->version_loc : (stg_loc){1, 1, 0};
    for (int i = 0; i < 3; i++)
        if (n[i] == 0)
            err(r, at[i].line > 0 ? at[i] : top, need[i].hint,
                "the fleet has no %s: %s, so there is nothing to plan",
                need[i].key, need[i].what);
}

/* Reads root (may be NULL when the text stopped before it) up to event
 * cut, where yaml (may be NULL) says why the text stopped; files names
 * the texts by file id (nfiles of them; see stg_fleet_read_tree()).
 * A tree read without its text (yaml NULL) locates a mapping at its first
 * key: a mapping a scenario wrote in flow form ({ name: x }) is then
 * where the block document written for it (--save-dir) has it, as
 * libyaml locates a block mapping; a text's own flow mapping stays at its
 * brace. */
static stg_fleet *read_tree(const stg_ynode *root, size_t cut,
                            const stg_diags *yaml, const char *const *files,
                            int nfiles, stg_diags *diags)
{
    rd r;
    stg_diags local;
    memset(&r, 0, sizeof r);
    stg_diags_init(&local);
    local.limit = diags->limit;
    r.d = &local;
    r.root = root;
    r.cut = cut;
    r.yaml = yaml;
    r.files = files;
    r.nfiles = files ? nfiles : 0;
    r.map_at_key = !yaml;
    r.f = stg_fleet_new();
    if (!r.f) {
        oom(&r);
        goto out;
    }
    parse_stream(&r);
    if (!r.fatal) {
        resolve_refs(&r);
        check_days(&r);
    }
    if (r.version_read && r.version != 1 && !local.oom) {
        /* another format: its other keys would only add noise */
        stg_diags_free(&local);
        stg_diags_init(&local);
        local.limit = diags->limit;
        err(&r, r.version_loc, "this program reads stagger: 1",
            "stagger %ld is not a format version this program reads",
            r.version);
    }
    r.f->version = (int)r.version;
    if (local.errors == 0 && !r.fatal)
        check_empty(&r);
    if (local.errors == 0 && !r.fatal)
        stg_fleet_finish(r.f, &local);
out:
    stg_free(r.stack);
    for (size_t i = 0; i < r.nrefs; i++)
        stg_free(r.refs[i].name);
    stg_free(r.refs);
    stg_free(r.days);
    stg_diags_sort(&local);
    merge(diags, &local);
    stg_fleet *f = r.f;
    if (local.errors || local.oom) {
        stg_fleet_free(f);
        f = NULL;
    }
    stg_diags_free(&local);
    return f;
}

stg_fleet *stg_fleet_read_tree(const stg_ynode *root, const char *const *files,
                               int nfiles, stg_diags *diags)
{
    return read_tree(root, SIZE_MAX, NULL, files, nfiles, diags);
}

/* stg_fleet_read_buffer(), handing the tree over in *tree (when tree is
 * not NULL) with the fleet, and freeing it otherwise. */
static stg_fleet *read_text(const char *text, size_t len, stg_ynode **tree,
                            stg_diags *diags)
{
    if (tree)
        *tree = NULL;
    if (text && len > MAX_FILE_SIZE) {
        stg_diag_error(diags, nowhere, "a fleet file is at most 16 MiB",
                       "the file is larger than 16 MiB");
        return NULL;
    }
    stg_diags yaml;
    size_t cut;
    stg_diags_init(&yaml);
    stg_ynode *root = stg_ynode_read_all(text, len, 0, MAX_DEPTH, &fleet_texts,
                                         &cut, &yaml);
    stg_fleet *f = read_tree(root, cut, &yaml, NULL, 0, diags);
    if (f && tree) {
        *tree = root;
        root = NULL;
    }
    stg_ynode_free(root);
    stg_diags_free(&yaml);
    return f;
}

stg_fleet *stg_fleet_read_buffer(const char *text, size_t len,
                                 stg_diags *diags)
{
    return read_text(text, len, NULL, diags);
}

stg_fleet *stg_fleet_read_file(const char *path, char **text, size_t *len,
                               stg_diags *diags)
{
    return stg_fleet_read_file_tree(path, text, len, NULL, diags);
}

stg_fleet *stg_fleet_read_file_tree(const char *path, char **text, size_t *len,
                                    stg_ynode **tree, stg_diags *diags)
{
    if (tree)
        *tree = NULL;
    switch (stg_textfile_read(path, MAX_FILE_SIZE, text, len)) {
    case STG_TEXTFILE_OK:
        return read_text(*text, *len, tree, diags);
    case STG_TEXTFILE_SYSTEM:
        stg_diag_error(diags, nowhere, NULL, "cannot read: %s",
                       strerror(errno));
        break;
    case STG_TEXTFILE_TOO_BIG:
        stg_diag_error(diags, nowhere, "a fleet file is at most 16 MiB",
                       "the file is larger than 16 MiB");
        break;
    case STG_TEXTFILE_NO_MEMORY:
        diags->oom = 1;
        stg_diag_error(diags, nowhere, NULL, "out of memory");
        break;
    }
    return NULL;
}
