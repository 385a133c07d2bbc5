/* stagger: a small YAML node tree (see ynode.h). */
#include "io/read/ynode.h"
#include "io/read/flowcheck.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "model/alloc.h"
#include "io/read/suggest.h"
#include "io/read/yaml_diag.h"

/* ---- nodes ----------------------------------------------------------- */

static stg_ynode *node_new(stg_ykind kind, stg_ymark mark)
{
    stg_ynode *n = stg_calloc(1, sizeof *n);
    if (n) {
        n->kind = kind;
        n->mark = mark;
    }
    return n;
}

static stg_ynode *scalar_n(const char *text, size_t len, stg_ystyle style,
                           stg_ymark mark)
{
    stg_ynode *n = node_new(STG_YSCALAR, mark);
    if (!n)
        return NULL;
    n->style = style;
    n->len = len;
    n->text = stg_strndup(text, len);
    if (!n->text) {
        stg_free(n);
        return NULL;
    }
    return n;
}

stg_ynode *stg_ynode_scalar(const char *text, stg_ystyle style,
                            stg_ymark mark)
{
    return scalar_n(text, strlen(text), style, mark);
}

stg_ynode *stg_ynode_map(stg_ymark mark)
{
    return node_new(STG_YMAP, mark);
}

stg_ynode *stg_ynode_seq(stg_ymark mark)
{
    return node_new(STG_YSEQ, mark);
}

/* Slots used in items (a deep collection holds single scalars). */
static int slots(const stg_ynode *n)
{
    return n->kind == STG_YMAP && !n->deep ? 2 * n->n : n->n;
}

void stg_ynode_free(stg_ynode *n)
{
    if (!n)
        return;
    for (int i = 0; i < slots(n); i++)
        stg_ynode_free(n->items[i]);
    stg_free(n->items);
    stg_free(n->text);
    stg_free(n->anchor);
    stg_free(n);
}

static int push(stg_ynode *n, stg_ynode *item)
{
    if (stg_grow((void **)&n->items, &n->cap, (size_t)slots(n) + 1,
                 sizeof *n->items))
        return -1;
    n->items[slots(n)] = item;
    return 0;
}

stg_ynode *stg_ynode_copy(const stg_ynode *n)
{
    if (!n)
        return NULL;
    stg_ynode *c = n->kind == STG_YSCALAR ?
        scalar_n(n->text, n->len, n->style, n->mark) : node_new(n->kind, n->mark);
    if (!c)
        return NULL;
    c->deep = n->deep;
    if (n->anchor && !(c->anchor = stg_strdup(n->anchor))) {
        stg_ynode_free(c);
        return NULL;
    }
    if (n->kind == STG_YSCALAR)
        return c;
    int total = slots(n);
    if (total > 0) {
        c->items = stg_calloc((size_t)total, sizeof *c->items);
        if (!c->items) {
            stg_free(c);
            return NULL;
        }
        c->cap = (size_t)total;
    }
    for (int i = 0; i < total; i++) {
        c->items[i] = stg_ynode_copy(n->items[i]);
        if (!c->items[i]) {
            /* free what was copied: count whole entries made so far */
            for (int k = 0; k < i; k++)
                stg_ynode_free(c->items[k]);
            stg_free(c->items);
            stg_free(c->anchor);
            stg_free(c);
            return NULL;
        }
    }
    c->n = n->n;
    return c;
}

int stg_ynode_append(stg_ynode *seq, stg_ynode *item)
{
    if (!item || seq->kind != STG_YSEQ || push(seq, item)) {
        stg_ynode_free(item);
        return -1;
    }
    seq->n++;
    return 0;
}

int stg_ynode_add_pair(stg_ynode *map, stg_ynode *key, stg_ynode *value)
{
    if (!key || !value || map->kind != STG_YMAP ||
        stg_grow((void **)&map->items, &map->cap, (size_t)slots(map) + 2,
                 sizeof *map->items)) {
        stg_ynode_free(key);
        stg_ynode_free(value);
        return -1;
    }
    map->items[2 * map->n] = key;
    map->items[2 * map->n + 1] = value;
    map->n++;
    return 0;
}

void stg_ynode_remove(stg_ynode *n, int i)
{
    if (i < 0 || i >= n->n || n->kind == STG_YSCALAR)
        return;
    int width = n->kind == STG_YMAP ? 2 : 1;
    for (int k = 0; k < width; k++)
        stg_ynode_free(n->items[width * i + k]);
    memmove(&n->items[width * i], &n->items[width * (i + 1)],
            sizeof *n->items * (size_t)(width * (n->n - i - 1)));
    n->n--;
}

stg_ynode *stg_ynode_take(stg_ynode *seq, int i)
{
    if (seq->kind != STG_YSEQ || i < 0 || i >= seq->n)
        return NULL;
    stg_ynode *item = seq->items[i];
    memmove(&seq->items[i], &seq->items[i + 1],
            sizeof *seq->items * (size_t)(seq->n - i - 1));
    seq->n--;
    return item;
}

int stg_ynode_find(const stg_ynode *map, const char *key)
{
    if (!map || map->kind != STG_YMAP)
        return -1;
    for (int i = 0; i < map->n; i++) {
        const stg_ynode *k = map->items[2 * i];
        if (k->kind == STG_YSCALAR && strlen(k->text) == k->len &&
            strcmp(k->text, key) == 0)
            return i;
    }
    return -1;
}

stg_ynode *stg_ynode_get(const stg_ynode *map, const char *key)
{
    int i = stg_ynode_find(map, key);
    return i < 0 ? NULL : map->items[2 * i + 1];
}

int stg_ynode_set(stg_ynode *map, const char *key, stg_ymark key_mark,
                  stg_ynode *value)
{
    if (!value || map->kind != STG_YMAP) {
        stg_ynode_free(value);
        return -1;
    }
    int i = stg_ynode_find(map, key);
    if (i >= 0) {
        stg_ynode_free(map->items[2 * i + 1]);
        map->items[2 * i + 1] = value;
        return 0;
    }
    return stg_ynode_add_pair(map, stg_ynode_scalar(key, STG_YPLAIN, key_mark),
                              value);
}

const char *stg_ynode_name(const stg_ynode *n)
{
    const stg_ynode *v = stg_ynode_get(n, "name");
    return v && stg_ynode_is_text(v) ? v->text : NULL;
}

int stg_ynode_find_name(const stg_ynode *seq, const char *name)
{
    if (!seq || seq->kind != STG_YSEQ)
        return -1;
    for (int i = 0; i < seq->n; i++) {
        const char *nm = stg_ynode_name(seq->items[i]);
        if (nm && strcmp(nm, name) == 0)
            return i;
    }
    return -1;
}

static bool null_word(const char *v)
{
    return !*v || !strcmp(v, "~") || !strcmp(v, "null") ||
           !strcmp(v, "Null") || !strcmp(v, "NULL");
}

bool stg_ynode_is_null(const stg_ynode *n)
{
    return n && n->kind == STG_YSCALAR && n->style == STG_YPLAIN &&
           null_word(n->text);
}

bool stg_ynode_is_text(const stg_ynode *n)
{
    return n && n->kind == STG_YSCALAR && !stg_ynode_is_null(n);
}

bool stg_ynode_equal(const stg_ynode *a, const stg_ynode *b)
{
    if (!a || !b)
        return a == b;
    if (a->kind != b->kind || a->n != b->n)
        return false;
    if (a->kind == STG_YSCALAR)
        return a->len == b->len && memcmp(a->text, b->text, a->len) == 0 &&
               stg_ynode_is_null(a) == stg_ynode_is_null(b);
    for (int i = 0; i < slots(a); i++)
        if (!stg_ynode_equal(a->items[i], b->items[i]))
            return false;
    return true;
}

/* ---- reading --------------------------------------------------------- */

/* stg_ynode_read()'s wording: the fleet reader's and the scenarios
 * reader's users know it. */
static const stg_ytexts fleet_texts = {
    .second_doc = "the file holds one YAML document, and a second one "
                  "starts here",
    .second_doc_hint = "keep one document: remove this --- and what follows",
    .alias = "aliases are not supported (*%s)",
    .alias_hint = "write the value out in full",
    .anchor = "anchors are not supported (&%s)",
    .anchor_hint = "remove the anchor and write each value out in full",
    .short_names = true,
    .depth = "nesting deeper than %d levels",
    .nodes = "more than %zu values in one file",
    .max_keys = STG_YNODE_MAX_KEYS,
    .keys = "more than %d keys in one mapping",
};

typedef struct {
    yaml_parser_t parser;
    stg_prepass pre;            /* gives the parser the text */
    yaml_event_t ev;
    bool have;
    bool fatal;                 /* nothing more is read */
    bool bad;                   /* an error was reported */
    bool stopped;               /* a callback stopped the reading */
    bool keep;                  /* stg_ynode_read_all(): keep everything */
    size_t events;              /* kept nodes and collection ends so far */
    int depth, max_depth;
    size_t nodes, max_nodes;    /* held now; the most (0: no limit) */
    int file;
    const stg_ytexts *t;
    const stg_ynode_stream *how;
    stg_diags *d;
} rd;

static void err(rd *r, stg_loc loc, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Reports an error; in a strict reader it is the last. */
static void err(rd *r, stg_loc loc, const char *hint, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    stg_diag_error(r->d, loc, hint, "%s", buf);
    r->bad = true;
    if (r->t->strict)
        r->fatal = true;
}

static void oom(rd *r)
{
    if (!r->d->oom && !r->t->strict)
        err(r, (stg_loc){0, 0, 0}, NULL, "out of memory");
    r->d->oom = 1;
    r->fatal = r->bad = true;
}

static stg_loc here(const rd *r)
{
    return (stg_loc){(int)r->ev.start_mark.line + 1,
                     (int)r->ev.start_mark.column + 1, 0};
}

static stg_ymark mark_here(const rd *r)
{
    stg_loc l = here(r);
    return (stg_ymark){r->file, l.line, l.col};
}

static stg_loc loc_of(const stg_ynode *n)
{
    return (stg_loc){n->mark.line, n->mark.col, 0};
}

static void yaml_error(rd *r)
{
    if (stg_yaml_error(&r->parser, &r->pre, r->d))
        oom(r);
    r->bad = true;
}

/* The name of an anchor or alias as messages show it. */
static const char *shown(const rd *r, char *buf, size_t size,
                         const yaml_char_t *name)
{
    if (!r->t->short_names)
        return (const char *)name;
    return stg_shorten(buf, size, (const char *)name);
}

/* Next event; false at a syntax error (reported) or after a fatal one.
 * Anchors are reported here (when refused). */
static bool next(rd *r)
{
    if (r->have) {
        yaml_event_delete(&r->ev);
        r->have = false;
    }
    if (r->fatal)
        return false;
    if (!yaml_parser_parse(&r->parser, &r->ev)) {
        yaml_error(r);
        r->fatal = true;
        return false;
    }
    r->have = true;
    const yaml_char_t *anchor = NULL;
    if (r->ev.type == YAML_SEQUENCE_START_EVENT)
        anchor = r->ev.data.sequence_start.anchor;
    else if (r->ev.type == YAML_MAPPING_START_EVENT)
        anchor = r->ev.data.mapping_start.anchor;
    else if (r->ev.type == YAML_SCALAR_EVENT)
        anchor = r->ev.data.scalar.anchor;
    if (anchor && r->t->anchor && !r->keep) {
        char buf[48];
        err(r, here(r), r->t->anchor_hint, r->t->anchor,
            shown(r, buf, sizeof buf, anchor));
    }
    return true;
}

static stg_ystyle style_of(yaml_scalar_style_t s)
{
    switch (s) {
    case YAML_SINGLE_QUOTED_SCALAR_STYLE:
        return STG_YSINGLE;
    case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
        return STG_YDOUBLE;
    case YAML_LITERAL_SCALAR_STYLE:
        return STG_YLITERAL;
    case YAML_FOLDED_SCALAR_STYLE:
        return STG_YFOLDED;
    default:
        return STG_YPLAIN;
    }
}

/* Skips the rest of a collection whose start is the current event. */
static void skip_rest(rd *r)
{
    int level = 1;
    while (level > 0 && next(r)) {
        if (r->ev.type == YAML_SEQUENCE_START_EVENT ||
            r->ev.type == YAML_MAPPING_START_EVENT)
            level++;
        else if (r->ev.type == YAML_SEQUENCE_END_EVENT ||
                 r->ev.type == YAML_MAPPING_END_EVENT)
            level--;
    }
}

/* Counts a node about to be held; false (reported, fatal) past the
 * limit. */
static bool counted(rd *r)
{
    if (!r->max_nodes || ++r->nodes <= r->max_nodes)
        return true;
    err(r, here(r), r->t->nodes_hint, r->t->nodes, r->max_nodes);
    r->fatal = true;
    return false;
}

static size_t node_count(const stg_ynode *n)
{
    size_t c = 1;
    for (int i = 0; i < slots(n); i++)
        c += node_count(n->items[i]);
    return c;
}

/* True (reported; the collection skipped) when the collection starting
 * at the current event is nested too deep. */
static bool too_deep(rd *r)
{
    if (r->depth < r->max_depth)
        return false;
    err(r, here(r), r->t->depth_hint, r->t->depth, r->max_depth);
    skip_rest(r);
    return true;
}

/* Checks k, about to become a key of m, against m's keys: a key given
 * twice may be refused at once (a file of one key repeated a million
 * times must not become a mapping of a million pairs). */
static bool key_ok(rd *r, const stg_ynode *m, const stg_ynode *k)
{
    if (m->n >= r->t->max_keys) {
        err(r, loc_of(k), r->t->keys_hint, r->t->keys, r->t->max_keys);
        r->fatal = true;
        return false;
    }
    if (!r->t->twice || k->kind != STG_YSCALAR)
        return true;
    for (int i = 0; i < m->n; i++) {
        const stg_ynode *o = m->items[2 * i];
        if (o->kind == STG_YSCALAR && o->len == k->len &&
            !memcmp(o->text, k->text, k->len)) {
            err(r, loc_of(k), r->t->twice_hint, r->t->twice, k->text,
                o->mark.line);
            return false;
        }
    }
    return true;
}

static stg_ynode *parse_node(rd *r, const stg_ynode *key_of,
                             const char *list);

/* stg_ynode_read_all() after an error: what was read is kept. */
static bool keeping(const rd *r)
{
    return r->keep && !r->d->oom;
}

/* The anchor of the current event, or NULL. */
static const yaml_char_t *anchor_of(const rd *r)
{
    switch (r->ev.type) {
    case YAML_SEQUENCE_START_EVENT:
        return r->ev.data.sequence_start.anchor;
    case YAML_MAPPING_START_EVENT:
        return r->ev.data.mapping_start.anchor;
    case YAML_SCALAR_EVENT:
        return r->ev.data.scalar.anchor;
    default:
        return NULL;
    }
}

/* stg_ynode_read_all(): n, just made from the current event, is counted
 * and given the event's anchor; NULL (n freed) when out of memory. */
static stg_ynode *kept(rd *r, stg_ynode *n)
{
    const yaml_char_t *anchor = anchor_of(r);
    if (n && anchor && !(n->anchor = stg_strdup((const char *)anchor))) {
        stg_ynode_free(n);
        n = NULL;
    }
    if (!n) {
        oom(r);
        return NULL;
    }
    r->events++;
    return n;
}

/* An alias kept as a scalar holding its name. */
static stg_ynode *alias_node(const rd *r)
{
    return stg_ynode_scalar((const char *)r->ev.data.alias.anchor, STG_YALIAS,
                            mark_here(r));
}

/* stg_ynode_read_all(): the collection starting at the current event is
 * nested too deep.  It is kept, flagged deep, holding as scalars only
 * what a walker reports inside it (aliases, anchored nodes) in file
 * order: a file of a million [ is not built as a tree. */
static stg_ynode *keep_deep(rd *r, bool is_map)
{
    stg_ynode *n = kept(r, node_new(is_map ? STG_YMAP : STG_YSEQ,
                                    mark_here(r)));
    if (!n)
        return NULL;
    n->deep = true;
    int level = 1;
    while (!r->fatal && next(r)) {
        stg_ynode *c = NULL;
        if (r->ev.type == YAML_SEQUENCE_END_EVENT ||
            r->ev.type == YAML_MAPPING_END_EVENT) {
            if (--level == 0) {
                r->events++;
                break;
            }
            continue;
        }
        if (r->ev.type == YAML_SEQUENCE_START_EVENT ||
            r->ev.type == YAML_MAPPING_START_EVENT)
            level++;
        if (r->ev.type == YAML_ALIAS_EVENT)
            c = kept(r, alias_node(r));
        else if (anchor_of(r))
            c = kept(r, stg_ynode_scalar("", STG_YPLAIN, mark_here(r)));
        else
            continue;
        if (!c || push(n, c)) {
            stg_ynode_free(c);
            oom(r);
            break;
        }
        n->n++;
    }
    return n;
}

/* Gives a complete item of streamed list `list` to the callback, then
 * frees it.  False when the callback stopped the reading. */
static bool hand_over(rd *r, const char *list, stg_ynode *item)
{
    const stg_ynode_stream *how = r->how;
    bool go = !how->entry || how->entry(how->arg, list, item);
    r->nodes -= node_count(item);
    stg_ynode_free(item);
    if (!go)
        r->stopped = r->fatal = true;
    return go;
}

/* The items of sequence n, whose start is the current event; handed
 * out one at a time when n is streamed list `list`. */
static void fill_seq(rd *r, stg_ynode *n, const char *list)
{
    while (next(r)) {
        if (r->ev.type == YAML_SEQUENCE_END_EVENT) {
            r->events++;
            break;
        }
        stg_ynode *item = parse_node(r, NULL, NULL);
        if (r->fatal) {
            if (item && keeping(r) && stg_ynode_append(n, item))
                oom(r);
            else if (!keeping(r))
                stg_ynode_free(item);
            break;
        }
        if (!item)
            continue;
        if (list) {
            if (!hand_over(r, list, item))
                break;
        } else if (stg_ynode_append(n, item)) {
            oom(r);
        }
    }
}

/* The name of the streamed list that key (of the root) opens, or NULL. */
static const char *streamed(const rd *r, const stg_ynode *key)
{
    if (!r->how->lists || key->kind != STG_YSCALAR)
        return NULL;
    for (const char *const *l = r->how->lists; *l; l++)
        if (!strcmp(key->text, *l))
            return *l;
    return NULL;
}

/* Stops the reading when a root callback says so (ok false). */
static bool go_on(rd *r, bool ok)
{
    if (!ok)
        r->stopped = r->fatal = true;
    return ok;
}

/* The pairs of mapping n, whose start is the current event; n is the
 * root at depth 1, whose keys and pairs go to the callbacks.  A pair
 * that failed (reported) is dropped; any error discards the whole tree
 * in the end. */
static void fill_map(rd *r, stg_ynode *n)
{
    const stg_ynode_stream *how = r->how;
    bool root = r->depth == 1;
    stg_ynode *key = NULL, *item = NULL;
    bool key_bad = false, want_key = true;
    while (next(r)) {
        if (r->ev.type == YAML_MAPPING_END_EVENT) {
            r->events++;
            break;
        }
        if (want_key) {
            key = parse_node(r, n, NULL);
            key_bad = !key;
            want_key = false;
            if (!r->fatal && root && key && how->key &&
                !go_on(r, how->key(how->arg, n, key)))
                break;
            continue;
        }
        want_key = true;
        const char *list = root && key ? streamed(r, key) : NULL;
        item = parse_node(r, NULL, list);
        if (r->fatal)
            break;
        if (key_bad || !item) {
            stg_ynode_free(key);
            stg_ynode_free(item);
        } else if (stg_ynode_add_pair(n, key, item)) {
            oom(r);
        } else if (root && how->pair) {
            go_on(r, how->pair(how->arg, n, key, item));
        }
        key = item = NULL;
    }
    if (key && keeping(r)) {
        /* cut short: the pair read so far, past the cut */
        if (!item)
            item = stg_ynode_scalar("", STG_YPLAIN, key->mark);
        if (stg_ynode_add_pair(n, key, item))
            oom(r);
        key = item = NULL;
    }
    stg_ynode_free(key);
    stg_ynode_free(item);
}

/* The node that starts at the current event (its last event current on
 * return); NULL after an error (reported).  key_of: the mapping it is
 * to be a key of, if it is one; list: the streamed list it is the value
 * of, if it is a sequence. */
static stg_ynode *parse_node(rd *r, const stg_ynode *key_of,
                             const char *list)
{
    char buf[48];
    stg_ynode *n = NULL;
    switch (r->ev.type) {
    case YAML_ALIAS_EVENT:
        if (r->keep)
            return kept(r, alias_node(r));
        err(r, here(r), r->t->alias_hint, r->t->alias,
            shown(r, buf, sizeof buf, r->ev.data.alias.anchor));
        return NULL;
    case YAML_SCALAR_EVENT:
        if (!counted(r))
            return NULL;
        n = scalar_n((const char *)r->ev.data.scalar.value,
                     r->ev.data.scalar.length,
                     style_of(r->ev.data.scalar.style), mark_here(r));
        if (r->keep)
            return kept(r, n);
        if (!n)
            oom(r);
        else if (key_of && !key_ok(r, key_of, n))
            goto fail;
        return n;
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        break;
    default:
        err(r, here(r), NULL, "invalid YAML: unexpected event");
        r->fatal = true;
        return NULL;
    }
    bool is_map = r->ev.type == YAML_MAPPING_START_EVENT;
    if (r->keep && r->depth >= r->max_depth)
        return keep_deep(r, is_map);
    /* a lenient reader goes on after too deep a collection (its other
     * errors are worth reading); a strict one stops at the first error,
     * in the order its users know: too many, a bad key, too deep */
    if (!r->t->strict && too_deep(r))
        return NULL;
    if (!counted(r))
        return NULL;
    n = node_new(is_map ? STG_YMAP : STG_YSEQ, mark_here(r));
    if (r->keep && !kept(r, n))
        return NULL;
    if (!n) {
        oom(r);
        return NULL;
    }
    if ((key_of && !key_ok(r, key_of, n)) || (r->t->strict && too_deep(r)))
        goto fail;
    r->depth++;
    if (is_map)
        fill_map(r, n);
    else
        fill_seq(r, n, list);
    r->depth--;
    return n;
fail:
    stg_ynode_free(n);
    return NULL;
}

/* After the document's node: its end, then nothing but the stream's. */
static void document_end(rd *r)
{
    if (!next(r) || !next(r))
        return;
    if (r->ev.type == YAML_DOCUMENT_START_EVENT)
        err(r, here(r), r->t->second_doc_hint, "%s", r->t->second_doc);
}

/* Reads the document of text with r set up by the caller; the root, or
 * NULL when none was read.  The caller frees it after an error. */
static stg_ynode *read_doc(rd *r, const char *text, size_t len)
{
    stg_ynode *root = NULL;
    if (!yaml_parser_initialize(&r->parser)) {
        oom(r);
        return NULL;
    }
    stg_prepass_init(&r->pre, text ? text : "", text ? len : 0, true);
    yaml_parser_set_input(&r->parser, stg_prepass_read, &r->pre);
    if (!next(r) || !next(r))           /* stream start, document start */
        goto out;
    if (r->ev.type == YAML_STREAM_END_EVENT) {
        if (r->t->empty)
            err(r, (stg_loc){1, 1, 0}, r->t->empty_hint, "%s", r->t->empty);
        else if (!(root = stg_ynode_scalar("", STG_YPLAIN,
                                           (stg_ymark){r->file, 0, 0})))
            oom(r);
        goto out;
    }
    if (!next(r))
        goto out;
    root = parse_node(r, NULL, NULL);
    if (!root && !r->bad && !r->stopped)
        oom(r);
    if (root && !r->t->empty && root->kind == STG_YSCALAR &&
        stg_ynode_is_null(root) && root->len == 0)
        root->mark.line = root->mark.col = 0;
    document_end(r);
out:
    if (r->have)
        yaml_event_delete(&r->ev);
    yaml_parser_delete(&r->parser);
    return root;
}

stg_ynode *stg_ynode_read_stream(const char *text, size_t len, int file,
                                 int max_depth, size_t max_nodes,
                                 const stg_ynode_stream *how, stg_diags *d)
{
    static const stg_ynode_stream plain = { NULL, NULL, NULL, NULL, NULL,
                                            NULL };
    rd r;
    memset(&r, 0, sizeof r);
    r.how = how ? how : &plain;
    r.t = r.how->texts ? r.how->texts : &fleet_texts;
    r.max_nodes = max_nodes;
    r.file = file;
    r.max_depth = max_depth;
    r.d = d;
    stg_ynode *root = read_doc(&r, text, len);
    if (r.bad || r.stopped) {
        stg_ynode_free(root);
        return NULL;
    }
    return root;
}

stg_ynode *stg_ynode_read_all(const char *text, size_t len, int file,
                              int max_depth, const stg_ytexts *t,
                              size_t *cut, stg_diags *d)
{
    static const stg_ynode_stream plain = { NULL, NULL, NULL, NULL, NULL,
                                            NULL };
    stg_ytexts texts = *t;
    rd r;
    memset(&r, 0, sizeof r);
    texts.max_keys = INT_MAX;           /* the reader counts what it wants */
    texts.twice = NULL;
    texts.strict = false;
    r.how = &plain;
    r.t = &texts;
    r.keep = true;
    r.file = file;
    r.max_depth = max_depth;
    r.d = d;
    stg_ynode *root = read_doc(&r, text, len);
    *cut = r.bad ? r.events : SIZE_MAX;
    if (d->oom) {
        stg_ynode_free(root);
        return NULL;
    }
    return root;
}

stg_ynode *stg_ynode_read(const char *text, size_t len, int file,
                          int max_depth, const char *depth_hint,
                          size_t max_nodes, stg_diags *d)
{
    stg_ytexts t = fleet_texts;
    t.depth_hint = depth_hint;
    stg_ynode_stream how = { .texts = &t };
    return stg_ynode_read_stream(text, len, file, max_depth, max_nodes, &how,
                                 d);
}

/* ---- writing --------------------------------------------------------- */

typedef struct {
    char *buf;
    size_t len, cap;
    bool oom;
} wr;

static void put(wr *w, const char *s, size_t n)
{
    if (w->oom)
        return;
    if (stg_grow((void **)&w->buf, &w->cap, w->len + n + 1, 1)) {
        w->oom = true;
        return;
    }
    memcpy(w->buf + w->len, s, n);
    w->len += n;
    w->buf[w->len] = '\0';
}

static void puts_w(wr *w, const char *s)
{
    put(w, s, strlen(s));
}

static void indent(wr *w, int n)
{
    static const char spaces[] = "                                ";
    while (n > 0) {
        int k = n < 32 ? n : 32;
        put(w, spaces, (size_t)k);
        n -= k;
    }
}

/* Length of the UTF-8 sequence at s (1 for a byte that starts none),
 * and its code point. */
static size_t utf8_at(const unsigned char *s, size_t left, unsigned *cp)
{
    unsigned c = s[0];
    size_t n = c < 0x80 ? 1 : (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 :
               (c & 0xf8) == 0xf0 ? 4 : 0;
    if (n == 0 || n > left) {
        *cp = 0xfffd0000u | c;        /* not UTF-8 */
        return 1;
    }
    unsigned v = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) {
            *cp = 0xfffd0000u | c;
            return 1;
        }
        v = v << 6 | (s[i] & 0x3f);
    }
    *cp = v;
    return n;
}

/* True when a scalar written plain in block context reads back as the
 * same text: a conservative set of characters and shapes. */
static bool plain_safe(const stg_ynode *n)
{
    const char *s = n->text;
    if (n->len != strlen(s))
        return false;
    if (null_word(s))
        return *s != '\0';
    if (strncmp(s, "...", 3) == 0)
        return false;
    unsigned char c0 = (unsigned char)s[0];
    if (!((c0 >= 'a' && c0 <= 'z') || (c0 >= 'A' && c0 <= 'Z') ||
          (c0 >= '0' && c0 <= '9') || c0 == '_' || c0 == '.' || c0 == '/' ||
          c0 == '(' || c0 == '\\'))
        return false;
    size_t len = n->len;
    if (s[len - 1] == ' ' || s[len - 1] == ':')
        return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                  (c >= '0' && c <= '9') || strchr("_./%-+()\\@:, ", c);
        if (!ok || c == '\0')
            return false;
        if (c == ':' && s[i + 1] == ' ')
            return false;
        if (c == ' ' && (s[i + 1] == ' ' || s[i + 1] == '#'))
            return false;
    }
    return true;
}

/* Writes a scalar on the current line. */
static void write_scalar(wr *w, const stg_ynode *n)
{
    if (n->style == STG_YPLAIN && plain_safe(n)) {
        put(w, n->text, n->len);
        return;
    }
    const unsigned char *s = (const unsigned char *)n->text;
    bool single = true;
    for (size_t i = 0; i < n->len && single;) {
        unsigned cp;
        size_t k = utf8_at(s + i, n->len - i, &cp);
        single = cp >= 0x20 && cp != 0x7f && cp != 0x85 && cp != 0x2028 &&
                 cp != 0x2029 && cp != 0xfeff && cp < 0xfffd0000u;
        i += k;
    }
    char esc[16];
    if (single) {
        put(w, "'", 1);
        for (size_t i = 0; i < n->len; i++) {
            put(w, (const char *)s + i, 1);
            if (s[i] == '\'')
                put(w, "'", 1);
        }
        put(w, "'", 1);
        return;
    }
    put(w, "\"", 1);
    for (size_t i = 0; i < n->len;) {
        unsigned cp;
        size_t k = utf8_at(s + i, n->len - i, &cp);
        const char *e = NULL;
        switch (cp) {
        case '"': e = "\\\""; break;
        case '\\': e = "\\\\"; break;
        case '\n': e = "\\n"; break;
        case '\t': e = "\\t"; break;
        case '\r': e = "\\r"; break;
        case 0: e = "\\0"; break;
        case 0x85: e = "\\N"; break;
        case 0x2028: e = "\\L"; break;
        case 0x2029: e = "\\P"; break;
        case 0xfeff: e = "\\uFEFF"; break;
        default:
            if (cp < 0x20 || cp == 0x7f) {
                snprintf(esc, sizeof esc, "\\x%02X", cp);
                e = esc;
            } else if (cp >= 0xfffd0000u) {
                snprintf(esc, sizeof esc, "\\x%02X", cp & 0xff);
                e = esc;
            }
        }
        if (e)
            puts_w(w, e);
        else
            put(w, (const char *)s + i, k);
        i += k;
    }
    put(w, "\"", 1);
}

static void write_value(wr *w, const stg_ynode *n, int ind, bool compact);

/* An empty collection as a flow one, on the current line. */
static bool write_empty(wr *w, const stg_ynode *n)
{
    if (n->kind == STG_YSCALAR || n->n > 0)
        return false;
    puts_w(w, n->kind == STG_YMAP ? "{}" : "[]");
    return true;
}

/* A key that fits YAML's implicit form (a scalar on one line, not empty
 * plain, at most 1024 characters written). */
static bool simple_key(const stg_ynode *k)
{
    return k->kind == STG_YSCALAR && !(k->style == STG_YPLAIN && k->len == 0) &&
           k->len <= 250;
}

/* The pairs of a non-empty mapping at indentation ind; the first starts
 * on the current line when inline_first. */
static void write_map(wr *w, const stg_ynode *m, int ind, bool inline_first)
{
    for (int i = 0; i < m->n; i++) {
        if (i > 0 || !inline_first)
            indent(w, ind);
        const stg_ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (simple_key(k)) {
            write_scalar(w, k);
            puts_w(w, ":");
        } else {
            puts_w(w, "?");
            write_value(w, k, ind, true);
            indent(w, ind);
            puts_w(w, ":");
        }
        write_value(w, v, ind, false);
    }
}

static void write_seq(wr *w, const stg_ynode *s, int ind, bool inline_first)
{
    for (int i = 0; i < s->n; i++) {
        if (i > 0 || !inline_first)
            indent(w, ind);
        puts_w(w, "-");
        write_value(w, s->items[i], ind, true);
    }
}

/* A value after "key:" (or an item after "-", or a complex key after
 * "?"), through the end of its last line.  A block mapping after "-"
 * starts on the same line (compact form); after a key, on the next. */
static void write_value(wr *w, const stg_ynode *n, int ind, bool compact)
{
    if (n->kind == STG_YSCALAR) {
        if (!(n->style == STG_YPLAIN && n->len == 0)) {
            puts_w(w, " ");
            write_scalar(w, n);
        }
        puts_w(w, "\n");
        return;
    }
    if (n->n == 0) {
        puts_w(w, " ");
        write_empty(w, n);
        puts_w(w, "\n");
        return;
    }
    puts_w(w, compact ? " " : "\n");
    if (n->kind == STG_YMAP)
        write_map(w, n, ind + 2, compact);
    else
        write_seq(w, n, ind + 2, compact);
}

int stg_ynode_emit(const stg_ynode *root, char **text, size_t *len)
{
    wr w;
    memset(&w, 0, sizeof w);
    *text = NULL;
    *len = 0;
    put(&w, "", 0);
    if (root->kind == STG_YSCALAR) {
        if (!(root->style == STG_YPLAIN && root->len == 0)) {
            write_scalar(&w, root);
            puts_w(&w, "\n");
        }
    } else if (write_empty(&w, root)) {
        puts_w(&w, "\n");
    } else if (root->kind == STG_YMAP) {
        write_map(&w, root, 0, false);
    } else {
        write_seq(&w, root, 0, false);
    }
    if (w.oom) {
        stg_free(w.buf);
        return -1;
    }
    *text = w.buf;
    *len = w.len;
    return 0;
}
