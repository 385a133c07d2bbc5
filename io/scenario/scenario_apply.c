/* stagger: applying a scenario to a fleet document (see
 * scenario_apply.h).
 *
 * Decisions (docs/scenarios.md repeats them):
 *  - The order is remove, add, move, set, scale, whatever the order of
 *    the keys: removals name what the base fleet has; what is added can
 *    then be moved, set and scaled; scale applies to the values as set.
 *  - Every change is made on the document; the fleet reader reads it once,
 *    at the end, so a change may leave the fleet broken for a later one
 *    to mend (remove a link, then set the paths that crossed it).  Names
 *    a change needs are looked up in the document as it is then; a
 *    computer's server is its own `server`, else that of the first group
 *    holding its sources (the reader's default).
 *  - remove: a name that is not there is an error.  A computer or link
 *    that something still names is the fleet reader's error (a dangling
 *    name), pointing at the line that names it.
 *  - add: entries go at the end of their list, as written; a source goes
 *    into the group its `group` names (the key is dropped).
 *  - move: `server` sets the computer's server; the groups that hold its
 *    sources follow it when it is their only computer; a group shared
 *    with other computers (and not on the new server already) is an error
 *    unless `group` names the group that takes the computer's sources.  With `group`, every source of the
 *    computer moves into that group, and a group left without sources is
 *    removed.  `path` replaces the computer's own path.
 *  - set: a path walks the document from the top: at a mapping a step is
 *    a key, at a list the `name` of an entry (or, in a list whose entries
 *    have no names, the entry's number from 0).  A step in dotted form
 *    takes the longest run of the path, up to a dot, that names something
 *    there (names may hold dots); a step in brackets is taken as written.
 *    A key that is not there is created (from the run up to the next dot,
 *    or the bracket); a list entry is never created (use add).
 *  - scale: a factor per source, the product of every scale entry whose
 *    selectors (group, link, computer; all of those given) match it.
 *    size multiplies size (a %/day churn therefore grows with it) and
 *    cc_volume; churn multiplies the daily change (a %/day or a size per
 *    day); sync_volume and full_volume follow the daily change.  A scaled
 *    value keeps the place of the value it replaces, so a message about
 *    it points at the base fleet's line. */
#include "io/scenario/scenario_apply.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/fleet_read.h"
#include "model/alloc.h"
#include "model/quantity.h"
#include "io/read/suggest.h"
#include "io/read/units.h"

typedef struct {
    const stg_scenario *s;
    stg_scen_result *r;
    stg_ynode *doc;
    bool oom;
    int errors;                 /* errors of the scenario itself */
} ap;

void stg_scen_result_init(stg_scen_result *r)
{
    memset(r, 0, sizeof *r);
    stg_diags_init(&r->diags[0]);
    stg_diags_init(&r->diags[1]);
}

void stg_scen_result_free(stg_scen_result *r)
{
    stg_fleet_free(r->fleet);
    stg_free(r->text);
    stg_diags_free(&r->diags[0]);
    stg_diags_free(&r->diags[1]);
    stg_scen_result_init(r);
}

static void serr(ap *a, stg_ymark m, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An error of the scenario, at mark m (its file picks the list). */
static void serr(ap *a, stg_ymark m, const char *hint, const char *fmt, ...)
{
    char buf[1024];
    va_list ap_;
    va_start(ap_, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap_);
    va_end(ap_);
    int file = m.file == STG_SCEN_FLEET ? STG_SCEN_FLEET : STG_SCEN_FILE;
    stg_diag_error(&a->r->diags[file], ((stg_loc){m.line, m.col, 0}), hint,
                   "scenario %s: %s", a->s->name, buf);
    a->errors++;
}

static void oom(ap *a)
{
    a->oom = true;
}

/* ---- the fleet reader on the document ------------------------------- */

/* What a message of the fleet reader says of a name first written in the
 * other file: its line alone would point into the wrong one. */
static const char *const file_names[] = {
    [STG_SCEN_FLEET] = "fleet file", [STG_SCEN_FILE] = "scenarios file"
};

/* Adds one of the reader's messages to the result, in the list of the
 * file its node was written in (the marks of the document say: the base
 * fleet's lines, or a value the scenario wrote). */
static void add_diag(ap *a, const stg_diag *it)
{
    stg_loc at = it->loc;
    int file = at.file;
    if (at.line == 0) {         /* not tied to a place: the scenario */
        at = (stg_loc){a->s->mark.line, a->s->mark.col, 0};
        file = a->s->mark.file;
    }
    file = file == STG_SCEN_FLEET ? STG_SCEN_FLEET : STG_SCEN_FILE;
    at.file = 0;                /* a place in the file of its list */
    stg_diag_add(&a->r->diags[file], it->level, at, it->hint,
                 "scenario %s: %s", a->s->name, it->msg);
}

/* Reads the document as a fleet, and writes it out (the text kept in the
 * result for --save-dir).  Returns 0 with *out, 1 when the fleet has
 * errors, -1 when out of memory; the reader's messages, warnings too,
 * are added to the result. */
static int read_doc(ap *a, stg_fleet **out)
{
    stg_diags d;
    int rc = -1;
    stg_diags_init(&d);
    *out = NULL;
    stg_fleet *f = stg_fleet_read_tree(a->doc, file_names, 2, &d);
    if (d.oom)
        goto done;
    for (size_t i = 0; i < d.count; i++)
        add_diag(a, &d.items[i]);
    if (d.dropped) {
        a->r->diags[STG_SCEN_FILE].errors += d.dropped;
        a->r->diags[STG_SCEN_FILE].dropped += d.dropped;
    }
    if (!f) {
        rc = 1;
        goto done;
    }
    if (stg_ynode_emit(a->doc, &a->r->text, &a->r->len))
        goto done;
    *out = f;
    f = NULL;
    rc = 0;
done:
    if (rc < 0)
        oom(a);
    stg_fleet_free(f);
    stg_diags_free(&d);
    return rc;
}

/* ---- the document ---------------------------------------------------- */

/* The list under a top-level key; created (empty, at mark) when create
 * and it is absent or null.  NULL when absent (or out of memory). */
static stg_ynode *section(ap *a, const char *key, bool create, stg_ymark mark)
{
    stg_ynode *v = stg_ynode_get(a->doc, key);
    if (v && v->kind == STG_YSEQ)
        return v;
    if (!create || (v && !stg_ynode_is_null(v)))
        return NULL;
    if (stg_ynode_set(a->doc, key, mark, stg_ynode_seq(mark))) {
        oom(a);
        return NULL;
    }
    return stg_ynode_get(a->doc, key);
}

/* A hint listing the names of a list's entries. */
static void names_hint(ap *a, char *buf, size_t size, const stg_ynode *seq,
                       const char *typed, const char *what)
{
    int n = seq && seq->kind == STG_YSEQ ? seq->n : 0;
    const char **names = stg_calloc((size_t)n + 1, sizeof *names);
    if (!names) {
        oom(a);
        buf[0] = '\0';
        return;
    }
    for (int i = 0; i < n; i++)
        names[i] = stg_ynode_name(seq->items[i]);
    stg_suggest(buf, size, typed, names, n, what);
    stg_free(names);
}

/* ---- remove and add -------------------------------------------------- */

static void do_remove(ap *a)
{
    const stg_scenario *s = a->s;
    char hint[512], q[64];
    for (int sec = 0; sec < STG_SCEN_NSEC && !a->oom; sec++) {
        for (int i = 0; i < s->nremove[sec]; i++) {
            const stg_scen_name *nm = &s->remove[sec][i];
            stg_ynode *seq;
            if (sec == STG_SCEN_SOURCES) {
                stg_ynode *groups = section(a, "groups", false, nm->mark);
                int g = stg_ynode_find_name(groups, nm->group);
                if (g < 0) {
                    names_hint(a, hint, sizeof hint, groups, nm->group, "groups");
                    serr(a, nm->group_mark, hint, "remove: no group named \"%s\"",
                         stg_shorten(q, sizeof q, nm->group));
                    continue;
                }
                seq = stg_ynode_get(groups->items[g], "sources");
                char what[128];
                snprintf(what, sizeof what, "the sources of %s",
                         stg_shorten(q, sizeof q, nm->group));
                int k = stg_ynode_find_name(seq, nm->name);
                if (k < 0) {
                    names_hint(a, hint, sizeof hint, seq, nm->name, what);
                    serr(a, nm->mark, hint, "remove: group %s has no source "
                         "named \"%s\"", nm->group, nm->name);
                    continue;
                }
                stg_ynode_remove(seq, k);
                continue;
            }
            seq = section(a, stg_scen_section_key[sec], false, nm->mark);
            int k = stg_ynode_find_name(seq, nm->name);
            if (k < 0) {
                names_hint(a, hint, sizeof hint, seq, nm->name,
                           stg_scen_section_key[sec]);
                serr(a, nm->mark, hint, "remove: no %s named \"%s\"",
                     stg_scen_section_word[sec], stg_shorten(q, sizeof q, nm->name));
                continue;
            }
            stg_ynode_remove(seq, k);
        }
    }
}

static void do_add(ap *a)
{
    const stg_scenario *s = a->s;
    char hint[512], q[64];
    for (int sec = 0; sec < STG_SCEN_NSEC && !a->oom; sec++) {
        const stg_ynode *list = s->add[sec];
        if (!list || list->n == 0)
            continue;
        if (sec != STG_SCEN_SOURCES) {
            stg_ynode *seq = section(a, stg_scen_section_key[sec], true,
                                     s->add_mark[sec]);
            for (int i = 0; seq && i < list->n && !a->oom; i++)
                if (stg_ynode_append(seq, stg_ynode_copy(list->items[i])))
                    oom(a);
            continue;
        }
        stg_ynode *groups = section(a, "groups", false, s->add_mark[sec]);
        for (int i = 0; i < list->n && !a->oom; i++) {
            const stg_ynode *e = list->items[i];
            const stg_ynode *gname = stg_ynode_get(e, "group");
            int g = stg_ynode_find_name(groups, gname->text);
            if (g < 0) {
                names_hint(a, hint, sizeof hint, groups, gname->text, "groups");
                serr(a, gname->mark, hint, "add: no group named \"%s\" to add "
                     "the source to", stg_shorten(q, sizeof q, gname->text));
                continue;
            }
            stg_ynode *c = stg_ynode_copy(e);
            if (!c) {
                oom(a);
                return;
            }
            stg_ynode_remove(c, stg_ynode_find(c, "group"));
            stg_ynode *gnode = groups->items[g];
            stg_ynode *src = stg_ynode_get(gnode, "sources");
            if (!src || src->kind != STG_YSEQ) {
                if (stg_ynode_set(gnode, "sources", e->mark, stg_ynode_seq(e->mark))) {
                    stg_ynode_free(c);
                    oom(a);
                    return;
                }
                src = stg_ynode_get(gnode, "sources");
            }
            if (stg_ynode_append(src, c))
                oom(a);
        }
    }
}

/* ---- the document's names ------------------------------------------ */

/* The text of a mapping's scalar value, or NULL. */
static const char *text_at(const stg_ynode *m, const char *key)
{
    const stg_ynode *v = stg_ynode_get(m, key);
    return stg_ynode_is_text(v) ? v->text : NULL;
}

/* The sources list of group entry g (NULL when it has none). */
static stg_ynode *sources_of(const stg_ynode *g)
{
    stg_ynode *s = stg_ynode_get(g, "sources");
    return s && s->kind == STG_YSEQ ? s : NULL;
}

/* True when source entry src is on the computer named c. */
static bool on_computer(const stg_ynode *src, const char *c)
{
    const char *t = text_at(src, "computer");
    return t && strcmp(t, c) == 0;
}

/* How many of group g's sources are on computer c, and how many it has. */
static int count_on(const stg_ynode *g, const char *c, int *total)
{
    const stg_ynode *srcs = sources_of(g);
    int n = 0;
    *total = srcs ? srcs->n : 0;
    for (int j = 0; j < *total; j++)
        n += on_computer(srcs->items[j], c);
    return n;
}

/* The server a computer reports to, as the fleet reader resolves it:
 * its own `server`, else the `server` of the first group that holds
 * one of its sources.  NULL when neither is written. */
static const char *computer_server(ap *a, const char *c)
{
    stg_ynode *comps = section(a, "computers", false, a->s->mark);
    int ci = stg_ynode_find_name(comps, c);
    const char *s = ci >= 0 ? text_at(comps->items[ci], "server") : NULL;
    stg_ynode *groups = section(a, "groups", false, a->s->mark);
    for (int g = 0; !s && groups && g < groups->n; g++) {
        int total;
        if (count_on(groups->items[g], c, &total))
            s = text_at(groups->items[g], "server");
    }
    return s;
}

/* The server of a group entry: its own `server`, else the server of the
 * first of its computers that names one. */
static const char *group_server(ap *a, const stg_ynode *g)
{
    const char *s = text_at(g, "server");
    const stg_ynode *srcs = sources_of(g);
    stg_ynode *comps = section(a, "computers", false, a->s->mark);
    for (int j = 0; !s && srcs && j < srcs->n; j++) {
        const char *c = text_at(srcs->items[j], "computer");
        int ci = c ? stg_ynode_find_name(comps, c) : -1;
        if (ci >= 0)
            s = text_at(comps->items[ci], "server");
    }
    return s;
}

/* The index of name in a top-level list, or -1 with an error at mark. */
static int must_find(ap *a, int sec, const char *name, stg_ymark mark,
                     const char *op)
{
    char hint[512], q[64];
    stg_ynode *seq = section(a, stg_scen_section_key[sec], false, mark);
    int i = stg_ynode_find_name(seq, name);
    if (i < 0) {
        names_hint(a, hint, sizeof hint, seq, name, stg_scen_section_key[sec]);
        serr(a, mark, hint, "%s: no %s named \"%s\"", op,
             stg_scen_section_word[sec], stg_shorten(q, sizeof q, name));
    }
    return i;
}

/* ---- move ------------------------------------------------------------ */

static void do_move(ap *a, const stg_scen_move *mv)
{
    char hint[512];
    int errors = a->errors;
    int ci = must_find(a, STG_SCEN_COMPUTERS, mv->computer, mv->computer_mark, "move");
    if (mv->server)
        must_find(a, STG_SCEN_SERVERS, mv->server, mv->server_mark, "move");
    int tg = mv->group ? must_find(a, STG_SCEN_GROUPS, mv->group, mv->group_mark,
                                   "move") : -1;
    if (a->errors > errors || a->oom)
        return;
    stg_ynode *groups = section(a, "groups", false, mv->mark);
    int ngroups = groups ? groups->n : 0;
    /* what happens to each group holding its sources, decided on the
     * fleet before the move: 1 follows the computer, 2 gives its
     * sources to the target group */
    char *fate = stg_calloc((size_t)ngroups + 1, 1);
    if (!fate) {
        oom(a);
        return;
    }
    for (int g = 0; g < ngroups; g++) {
        int total, on = count_on(groups->items[g], mv->computer, &total);
        if (on == 0 || g == tg)
            continue;
        if (tg >= 0) {
            fate[g] = 2;
            continue;
        }
        if (!mv->server)
            continue;
        if (on == total) {
            fate[g] = 1;
            continue;
        }
        const char *gs = group_server(a, groups->items[g]);
        if (gs && strcmp(gs, mv->server) == 0)
            continue;           /* already on the new server */
        /* a group shared with other computers stays where it is */
        size_t len = (size_t)snprintf(hint, sizeof hint, "name the group on "
                                      "%s that takes them with group: NAME",
                                      mv->server);
        int listed = 0;
        for (int k = 0; k < ngroups && len < sizeof hint; k++) {
            const char *ks = group_server(a, groups->items[k]);
            const char *kn = stg_ynode_name(groups->items[k]);
            if (!ks || !kn || strcmp(ks, mv->server) != 0)
                continue;
            if (listed == 4) {
                len += (size_t)snprintf(hint + len, sizeof hint - len, ", ...");
                break;
            }
            len += (size_t)snprintf(hint + len, sizeof hint - len, "%s%s",
                                    listed ? ", " : " (groups on it: ", kn);
            listed++;
        }
        if (listed && len < sizeof hint)
            snprintf(hint + len, sizeof hint - len, ")");
        const char *gname = stg_ynode_name(groups->items[g]);
        serr(a, mv->server_mark, hint, "move: the sources of %s in group %s "
             "cannot follow it to %s: the group also protects other computers",
             mv->computer, gname ? gname : "?", mv->server);
    }
    if (a->errors > errors)
        goto done;

    stg_ynode *cnode = section(a, "computers", false, mv->mark)->items[ci];
    if ((mv->server &&
         stg_ynode_set(cnode, "server", mv->server_key_mark,
                       stg_ynode_copy(mv->server_value))) ||
        (mv->path &&
         stg_ynode_set(cnode, "path", mv->path_key_mark, stg_ynode_copy(mv->path)))) {
        oom(a);
        goto done;
    }
    for (int g = 0; g < ngroups && !a->oom; g++) {
        stg_ynode *gnode = groups->items[g];
        if (fate[g] == 1) {
            if (stg_ynode_set(gnode, "server", mv->server_key_mark,
                              stg_ynode_copy(mv->server_value)))
                oom(a);
        } else if (fate[g] == 2) {
            stg_ynode *from = sources_of(gnode);
            stg_ynode *to = sources_of(groups->items[tg]);
            if (!to) {
                if (stg_ynode_set(groups->items[tg], "sources", mv->mark,
                                  stg_ynode_seq(mv->mark))) {
                    oom(a);
                    break;
                }
                to = sources_of(groups->items[tg]);
            }
            for (int j = 0; j < from->n && !a->oom;) {
                if (!on_computer(from->items[j], mv->computer)) {
                    j++;
                    continue;
                }
                if (stg_ynode_append(to, stg_ynode_take(from, j)))
                    oom(a);
            }
        }
    }
    /* a group left without sources is removed */
    for (int g = ngroups - 1; g >= 0 && !a->oom; g--)
        if (fate[g] == 2 && sources_of(groups->items[g])->n == 0)
            stg_ynode_remove(groups, g);
done:
    stg_free(fate);
}

/* ---- set ------------------------------------------------------------- */

static bool all_digits(const char *s)
{
    if (!*s || strlen(s) > 9)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* The child of node named seg: a pair's value index (mapping), an entry
 * (list); -1 when none. */
static int child(const stg_ynode *node, const char *seg)
{
    if (node->kind == STG_YMAP)
        return stg_ynode_find(node, seg);
    if (node->kind != STG_YSEQ)
        return -1;
    int i = stg_ynode_find_name(node, seg);
    if (i >= 0)
        return i;
    if (all_digits(seg) && atoi(seg) < node->n)
        return atoi(seg);
    return -1;
}

static stg_ynode **child_slot(stg_ynode *node, int i)
{
    return node->kind == STG_YMAP ? &node->items[2 * i + 1] : &node->items[i];
}

/* The mark of the path at byte offset at. */
static stg_ymark path_mark(const stg_scen_set *st, size_t at)
{
    stg_ymark m = st->mark;
    if (st->col_shift < 0)
        return m;
    int col = 0;
    for (size_t b = 0; b < at; b++)
        col += ((unsigned char)st->path[b] & 0xc0) != 0x80;
    m.col += st->col_shift + col;
    return m;
}

static void do_set(ap *a, const stg_scen_set *st)
{
    const char *s = st->path;
    size_t len = strlen(s), p = 0;
    stg_ynode *node = a->doc;
    char q[64], q2[64], hint[512];
    while (!a->oom) {
        /* the candidate steps at p, longest first */
        size_t ends[64], nexts[64], starts[64];
        int nc = 0;
        if (s[p] == '[') {
            stg_path_step step;
            const char *problem;
            size_t at;
            if (stg_path_bracket(s, p, &step, &problem, &at))
                return;         /* checked by the reader */
            starts[0] = step.start;
            ends[0] = step.end;
            nexts[0] = step.next;
            nc = 1;
        } else {
            size_t e = p;
            while (e < len && s[e] != '[')
                e++;
            starts[nc] = p;
            ends[nc] = e;
            nexts[nc++] = e;
            for (size_t i = e; i > p + 1 && nc < 64; i--)
                if (s[i - 1] == '.') {
                    starts[nc] = p;
                    ends[nc] = i - 1;
                    nexts[nc++] = i;
                }
        }
        int found = -1, cand = -1;
        char *seg = NULL;
        for (int k = 0; k < nc && found < 0; k++) {
            stg_free(seg);
            seg = stg_strndup(s + starts[k], ends[k] - starts[k]);
            if (!seg) {
                oom(a);
                return;
            }
            found = child(node, seg);
            cand = k;
        }
        /* the walked part, for messages */
        char walked[256];
        snprintf(walked, sizeof walked, "%.*s", (int)(p > 0 && s[p - 1] == '.' ?
                 p - 1 : p), s);
        if (found < 0) {
            cand = nc - 1;      /* the shortest: up to the next dot */
            stg_free(seg);
            seg = stg_strndup(s + starts[cand], ends[cand] - starts[cand]);
            if (!seg) {
                oom(a);
                return;
            }
        }
        bool last = nexts[cand] >= len;
        if (found < 0 && node->kind != STG_YMAP) {
            const char *where = p ? stg_shorten(q2, sizeof q2, walked) : "the fleet";
            if (node->kind == STG_YSEQ) {
                bool named = false;
                for (int i = 0; i < node->n && !named; i++)
                    named = stg_ynode_name(node->items[i]) != NULL;
                if (named)
                    names_hint(a, hint, sizeof hint, node, seg, where);
                else
                    snprintf(hint, sizeof hint, "the entries of %s have no "
                             "names: write an entry's number, from 0 to %d",
                             where, node->n - 1);
                serr(a, path_mark(st, starts[cand]), hint, "set \"%s\": %s "
                     "has no entry named \"%s\"", stg_shorten(q, sizeof q, s),
                     where, seg);
            } else {
                serr(a, path_mark(st, starts[cand]),
                     "write the path of a value to change",
                     "set \"%s\": %s is a single value, with nothing under it",
                     stg_shorten(q, sizeof q, s), where);
            }
            stg_free(seg);
            return;
        }
        if (found < 0) {
            /* a key that is not there: created */
            stg_ynode *v = last ? stg_ynode_copy(st->value) :
                                  stg_ynode_map(st->mark);
            if (!v || stg_ynode_add_pair(node, stg_ynode_scalar(seg, STG_YPLAIN,
                                         path_mark(st, starts[cand])), v)) {
                stg_free(seg);
                oom(a);
                return;
            }
            found = node->n - 1;
        } else if (last) {
            stg_ynode *v = stg_ynode_copy(st->value);
            if (!v) {
                stg_free(seg);
                oom(a);
                return;
            }
            stg_ynode **slot = child_slot(node, found);
            stg_ynode_free(*slot);
            *slot = v;
        }
        stg_free(seg);
        if (last)
            return;
        node = *child_slot(node, found);
        p = nexts[cand];
    }
}

/* ---- scale ----------------------------------------------------------- */

char *stg_scen_fmt_size(char *buf, size_t size, double bytes)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    double back;
    stg_unit_err e;
    stg_fmt_size(buf, size, bytes);
    if (stg_parse_size(buf, &back, &e) == 0 &&
        fabs(back - bytes) <= 1e-9 * fabs(bytes))
        return buf;
    int u = 0;
    double div = 1;
    while (u < 5 && bytes >= div * 1000) {
        div *= 1000;
        u++;
    }
    char num[64];
    snprintf(num, sizeof num, "%.9f", bytes / div);
    stg_trim_zeros(num);
    snprintf(buf, size, "%s%s", num, units[u]);
    return buf;
}

/* Replaces a scalar's text (keeping its place). */
static void retext(ap *a, stg_ynode *n, const char *text)
{
    char *t = stg_strdup(text);
    if (!t) {
        oom(a);
        return;
    }
    stg_free(n->text);
    n->text = t;
    n->len = strlen(t);
    n->style = STG_YPLAIN;
}

/* Multiplies a size value by f. */
static void scale_size(ap *a, stg_ynode *n, double f)
{
    double v;
    stg_unit_err e;
    char buf[64];
    if (!n || f == 1 || !stg_ynode_is_text(n) || stg_parse_size(n->text, &v, &e))
        return;
    retext(a, n, stg_scen_fmt_size(buf, sizeof buf, v * f));
}

static void scale_source(ap *a, stg_ynode *src, double fs, double fc)
{
    stg_ynode *churn = stg_ynode_get(src, "churn");
    stg_churn_kind kind = STG_CHURN_ABSOLUTE;
    double v;
    stg_unit_err e;
    char buf[80], num[64];
    if (churn && stg_ynode_is_text(churn) &&
        stg_parse_churn(churn->text, &kind, &v, &e) == 0 && fc != 1) {
        if (kind == STG_CHURN_RELATIVE) {
            snprintf(num, sizeof num, "%.9f", v * fc * 100);
            stg_trim_zeros(num);
            snprintf(buf, sizeof buf, "%s%%/day", num);
        } else {
            stg_scen_fmt_size(num, sizeof num, v * fc);
            snprintf(buf, sizeof buf, "%s/day", num);
        }
        retext(a, churn, buf);
    }
    double daily = fc * (kind == STG_CHURN_RELATIVE ? fs : 1);
    scale_size(a, stg_ynode_get(src, "size"), fs);
    scale_size(a, stg_ynode_get(src, "sync_volume"), daily);
    scale_size(a, stg_ynode_get(src, "full_volume"), daily);
    scale_size(a, stg_ynode_get(src, "cc_volume"), fs);
}

/* True when computer c's path, or its server's, crosses link l. */
static bool crosses(ap *a, const char *c, const char *l)
{
    stg_ynode *comps = section(a, "computers", false, a->s->mark);
    int ci = stg_ynode_find_name(comps, c);
    if (ci < 0)
        return false;
    const stg_ynode *paths[2] = {stg_ynode_get(comps->items[ci], "path"), NULL};
    const char *sv = computer_server(a, c);
    stg_ynode *servers = section(a, "servers", false, a->s->mark);
    int si = sv ? stg_ynode_find_name(servers, sv) : -1;
    if (si >= 0)
        paths[1] = stg_ynode_get(servers->items[si], "path");
    for (int k = 0; k < 2; k++)
        for (int i = 0; paths[k] && paths[k]->kind == STG_YSEQ && i < paths[k]->n; i++)
            if (stg_ynode_is_text(paths[k]->items[i]) &&
                strcmp(paths[k]->items[i]->text, l) == 0)
                return true;
    return false;
}

static void do_scale(ap *a)
{
    const stg_scenario *s = a->s;
    int errors = a->errors;
    for (int i = 0; i < s->nscales; i++) {
        const stg_scen_scale *sc = &s->scales[i];
        if (sc->group)
            must_find(a, STG_SCEN_GROUPS, sc->group, sc->group_mark, "scale");
        if (sc->link)
            must_find(a, STG_SCEN_LINKS, sc->link, sc->link_mark, "scale");
        if (sc->computer)
            must_find(a, STG_SCEN_COMPUTERS, sc->computer, sc->computer_mark,
                      "scale");
    }
    if (a->errors > errors || a->oom)
        return;
    stg_ynode *groups = section(a, "groups", false, s->mark);
    for (int g = 0; groups && g < groups->n && !a->oom; g++) {
        const char *gname = stg_ynode_name(groups->items[g]);
        stg_ynode *srcs = sources_of(groups->items[g]);
        for (int j = 0; srcs && j < srcs->n && !a->oom; j++) {
            stg_ynode *src = srcs->items[j];
            if (src->kind != STG_YMAP)
                continue;
            const char *c = text_at(src, "computer");
            double fs = 1, fc = 1;
            for (int i = 0; i < s->nscales; i++) {
                const stg_scen_scale *sc = &s->scales[i];
                if ((sc->group && (!gname || strcmp(sc->group, gname) != 0)) ||
                    (sc->computer && (!c || strcmp(sc->computer, c) != 0)) ||
                    (sc->link && (!c || !crosses(a, c, sc->link))))
                    continue;
                fs *= sc->size;
                fc *= sc->churn;
            }
            if (fs != 1 || fc != 1)
                scale_source(a, src, fs, fc);
        }
    }
}

/* ---- the whole scenario ------------------------------------------- */

int stg_scenario_apply(const stg_ynode *base, const stg_scenario *s,
                       stg_scen_result *r)
{
    ap a;
    memset(&a, 0, sizeof a);
    a.s = s;
    a.r = r;
    int rc = 1;
    if (base->kind != STG_YMAP)
        return 1;               /* the base fleet was read already */
    a.doc = stg_ynode_copy(base);
    if (!a.doc)
        return -1;
    do_remove(&a);
    if (a.errors || a.oom)
        goto done;
    do_add(&a);
    if (a.errors || a.oom)
        goto done;
    for (int i = 0; i < s->nmoves && !a.errors && !a.oom; i++)
        do_move(&a, &s->moves[i]);
    if (a.errors || a.oom)
        goto done;
    for (int i = 0; i < s->nsets && !a.oom; i++)
        do_set(&a, &s->sets[i]);
    if (a.errors || a.oom)
        goto done;
    if (s->nscales)
        do_scale(&a);
    if (a.errors || a.oom)
        goto done;
    stg_fleet *f;
    if (read_doc(&a, &f) == 0) {
        r->fleet = f;
        rc = 0;
    }
done:
    stg_ynode_free(a.doc);
    stg_diags_sort(&r->diags[0]);
    stg_diags_sort(&r->diags[1]);
    if (a.oom || r->diags[0].oom || r->diags[1].oom) {
        stg_fleet_free(r->fleet);
        r->fleet = NULL;
        return -1;
    }
    return rc;
}
