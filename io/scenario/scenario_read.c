/* stagger: the scenarios file reader (see scenario_read.h).
 *
 * The file is read into a node tree (io/read/ynode.h: anchors and aliases
 * refused, nesting capped at 16, one document), then checked node by
 * node.  Decisions (docs/scenarios.md repeats them):
 *  - `stagger-scenarios: 1` is required; `scenarios` is a list of at
 *    least one scenario.  Keys are case-sensitive; an unknown key or a
 *    key written twice is an error.
 *  - A scenario's name is required, unique, at most 64 characters of
 *    letters, digits, '.', '-' and '_', not starting with '.', and not
 *    `baseline` (the name of the fleet as it is): it names the
 *    scenario's files under --save-dir.
 *  - A scenario that changes nothing is allowed (a warning).
 *  - `scale` and `move` take one mapping or a list of them.
 *  - A factor is `130%`, `1.3x` or `1.3`: above zero, at most 1000.
 *  - A set value may be anything but null (to change a value write the
 *    new one; no key is removed this way).
 *  - A set path has no empty step: a name with "..", or starting or
 *    ending with '.', is written in brackets. */
#include "io/scenario/scenario_read.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "io/read/suggest.h"
#include "io/read/textfile.h"

#define MAX_FILE_SIZE ((size_t)16 << 20)
/* Values (scalars, lists, mappings) in a scenarios file: a thousand
 * scenarios of a hundred each is a fifth of it. */
#define MAX_VALUES ((size_t)500000)
#define MAX_NAME 64

const char *const stg_scen_section_key[STG_SCEN_NSEC] = {
    "links", "servers", "computers", "groups", "sources"
};
const char *const stg_scen_section_word[STG_SCEN_NSEC] = {
    "link", "server", "computer", "group", "source"
};

typedef struct {
    stg_diags *d;
    bool oom;
} rd;

static stg_loc loc_of(const stg_ynode *n)
{
    return (stg_loc){n->mark.line, n->mark.col, 0};
}

static void err(rd *r, const stg_ynode *at, const char *hint,
                const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void err(rd *r, const stg_ynode *at, const char *hint,
                const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    stg_diag_error(r->d, (at ? loc_of(at) : (stg_loc){0, 0, 0}), hint, "%s", buf);
}

static void oom(rd *r)
{
    if (!r->oom)
        stg_diag_error(r->d, ((stg_loc){0, 0, 0}), NULL, "out of memory");
    r->oom = true;
    r->d->oom = 1;
}

static char *dup(rd *r, const char *s)
{
    char *p = stg_strdup(s);
    if (!p)
        oom(r);
    return p;
}

static stg_ynode *copy(rd *r, const stg_ynode *n)
{
    stg_ynode *c = stg_ynode_copy(n);
    if (!c)
        oom(r);
    return c;
}

static const char *kind_word(const stg_ynode *n)
{
    return n->kind == STG_YSCALAR ? "a single value" :
           n->kind == STG_YSEQ ? "a list" : "a mapping";
}

/* Reports that n is not what `what` must be (expected: "a mapping"). */
static void wrong(rd *r, const stg_ynode *n, const char *what,
                  const char *expected, const char *example)
{
    char hint[256];
    snprintf(hint, sizeof hint, "write e.g. %s", example);
    if (stg_ynode_is_null(n))
        err(r, n, hint, "%s has no value", what);
    else
        err(r, n, hint, "%s must be %s, not %s", what, expected, kind_word(n));
}

/* The text of a scalar that is not null, or NULL (reported). */
static const char *text_of(rd *r, const stg_ynode *n, const char *what,
                           const char *example)
{
    if (!stg_ynode_is_text(n)) {
        wrong(r, n, what, "a single value", example);
        return NULL;
    }
    if (strlen(n->text) != n->len) {
        err(r, n, NULL, "%s contains a NUL character", what);
        return NULL;
    }
    if (!*n->text) {
        char hint[256];
        snprintf(hint, sizeof hint, "write e.g. %s", example);
        err(r, n, hint, "%s is empty", what);
        return NULL;
    }
    return n->text;
}

/* A list (true), null (true, *empty set), or reported (false). */
static bool list_of(rd *r, const stg_ynode *n, const char *what,
                    const char *example, bool *empty)
{
    *empty = false;
    if (n->kind == STG_YSEQ)
        return true;
    if (stg_ynode_is_null(n)) {
        *empty = true;
        return true;
    }
    wrong(r, n, what, "a list", example);
    return false;
}

/* Checks the keys of a mapping against known[] (NULL-terminated):
 * reports unknown keys (with the known ones), keys written twice, and
 * keys that are not names.  Returns false when any was reported. */
static bool keys_ok(rd *r, const stg_ynode *m, const char *const *known,
                    const char *where)
{
    bool ok = true;
    for (int i = 0; i < m->n; i++) {
        const stg_ynode *k = m->items[2 * i];
        char q[64], hint[512];
        if (!stg_ynode_is_text(k)) {
            err(r, k, "write keys as plain names", "a key must be a name, not %s",
                stg_ynode_is_null(k) ? "empty" : kind_word(k));
            ok = false;
            continue;
        }
        int first = stg_ynode_find(m, k->text);
        if (first >= 0 && first < i) {
            err(r, k, "write each key once", "duplicate key \"%s\" (first at line %d)",
                stg_shorten(q, sizeof q, k->text), m->items[2 * first]->mark.line);
            ok = false;
            continue;
        }
        int j = 0;
        while (known[j] && strcmp(known[j], k->text) != 0)
            j++;
        if (known[j])
            continue;
        for (j = 0; known[j]; j++)
            ;
        stg_suggest_key(hint, sizeof hint, k->text, known, j);
        err(r, k, hint, "unknown key \"%s\" %s", stg_shorten(q, sizeof q, k->text),
            where);
        ok = false;
    }
    return ok;
}

/* The key node of pair i. */
static const stg_ynode *key_at(const stg_ynode *m, const char *key)
{
    int i = stg_ynode_find(m, key);
    return i < 0 ? NULL : m->items[2 * i];
}

/* ---- factors and paths --------------------------------------------- */

int stg_parse_factor(const char *s, double *factor, const char **problem)
{
    size_t i = 0;
    bool digits = false;
    while (s[i] >= '0' && s[i] <= '9') {
        i++;
        digits = true;
    }
    if (s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
        i++;
        while (s[i] >= '0' && s[i] <= '9')
            i++;
        digits = true;
    }
    if (!digits) {
        *problem = s[0] == '-' ? "is negative" : "is not a factor";
        return -1;
    }
    char num[64];
    if (i >= sizeof num) {
        *problem = "is too long";
        return -1;
    }
    memcpy(num, s, i);
    num[i] = '\0';
    double v = strtod(num, NULL);
    if (!strcmp(s + i, "%"))
        v /= 100;
    else if (strcmp(s + i, "x") && strcmp(s + i, "")) {
        *problem = "is not a factor";
        return -1;
    }
    if (!(v > 0)) {
        *problem = "is not above zero";
        return -1;
    }
    if (v > 1000) {
        *problem = "is above 1000x";
        return -1;
    }
    *factor = v;
    return 0;
}

int stg_path_bracket(const char *s, size_t pos, stg_path_step *step,
                     const char **problem, size_t *at)
{
    size_t len = strlen(s), i = pos + 1;
    step->bracket = true;
    if (i < len && (s[i] == '\'' || s[i] == '"')) {
        char qc = s[i];
        const char *close = strchr(s + i + 1, qc);
        if (!close) {
            *problem = "has a quote that is not closed";
            *at = i;
            return -1;
        }
        step->start = i + 1;
        step->end = (size_t)(close - s);
        i = step->end + 1;
        if (s[i] != ']') {
            *problem = "has a quoted name not followed by ]";
            *at = i;
            return -1;
        }
    } else {
        const char *close = strchr(s + i, ']');
        if (!close) {
            *problem = "has a [ that is not closed";
            *at = pos;
            return -1;
        }
        step->start = i;
        step->end = (size_t)(close - s);
        i = step->end;
    }
    if (step->end == step->start) {
        *problem = "has an empty []";
        *at = pos;
        return -1;
    }
    i++;                        /* past ] */
    if (i == len) {
        step->next = len;
    } else if (s[i] == '.') {
        if (i + 1 == len) {
            *problem = "ends with a dot";
            *at = i;
            return -1;
        }
        step->next = i + 1;
    } else if (s[i] == '[') {
        step->next = i;
    } else {
        *problem = "has something other than '.' or '[' after ]";
        *at = i;
        return -1;
    }
    return 0;
}

int stg_path_check(const char *s, const char **problem, size_t *at)
{
    size_t len = strlen(s), p = 0;
    if (len == 0) {
        *problem = "is empty";
        *at = 0;
        return -1;
    }
    while (p < len) {
        if (s[p] == '[') {
            stg_path_step st;
            if (stg_path_bracket(s, p, &st, problem, at))
                return -1;
            p = st.next;
            continue;
        }
        /* a run up to the next [ */
        size_t e = p;
        while (e < len && s[e] != '[')
            e++;
        for (size_t i = p; i < e; i++) {
            if (s[i] != '.')
                continue;
            if (i == p || s[i + 1] == '.' || i + 1 == len) {
                *problem = i + 1 == len ? "ends with a dot" :
                           i == p ? "has a step that starts with a dot" :
                           "has two dots in a row";
                *at = i;
                return -1;
            }
        }
        p = e;
    }
    return 0;
}

/* ---- a scenario ------------------------------------------------------ */

static const char *const scenario_keys[] = {
    "name", "description", "remove", "add", "move", "set", "scale", NULL
};
static const char *const section_keys[] = {
    "links", "servers", "computers", "groups", "sources", NULL
};
static const char *const scale_keys[] = {
    "size", "churn", "group", "link", "computer", NULL
};
static const char *const move_keys[] = {
    "computer", "server", "path", "group", NULL
};
static const char *const source_ref_keys[] = { "group", "name", NULL };

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
}

static void scenario_name(rd *r, stg_scenario *sc, const stg_ynode *v)
{
    const char *s = text_of(r, v, "name", "name: osl-50");
    if (!s)
        return;
    const char *hint = "write letters, digits, '.', '-' and '_', e.g. name: osl-50";
    size_t n = strlen(s);
    char q[64];
    if (n > MAX_NAME) {
        err(r, v, hint, "scenario name \"%s\" is longer than %d characters",
            stg_shorten(q, sizeof q, s), MAX_NAME);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (!name_char(s[i])) {
            err(r, v, hint, "scenario name \"%s\" has a character other than "
                "letters, digits, '.', '-' and '_'", stg_shorten(q, sizeof q, s));
            return;
        }
    if (s[0] == '.') {
        err(r, v, hint, "scenario name \"%s\" starts with a dot", s);
        return;
    }
    if (!strcmp(s, "baseline")) {
        err(r, v, "choose another name", "the name baseline is the fleet as it "
            "is; a scenario cannot take it");
        return;
    }
    sc->name = dup(r, s);
    sc->mark = v->mark;
}

/* remove: { links: [a, b], ..., sources: [{ group: G, name: S }] } */
static void scenario_remove(rd *r, stg_scenario *sc, const stg_ynode *m)
{
    static const char example[] = "remove: { links: [old-wan], groups: [Old-Group] }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "remove", "a mapping", example);
        return;
    }
    keys_ok(r, m, section_keys, "under remove");
    for (int s = 0; s < STG_SCEN_NSEC; s++) {
        const stg_ynode *v = stg_ynode_get(m, stg_scen_section_key[s]);
        char what[64], ex[160];
        bool empty;
        if (!v)
            continue;
        snprintf(what, sizeof what, "remove: %s", stg_scen_section_key[s]);
        if (s == STG_SCEN_SOURCES)
            snprintf(ex, sizeof ex, "sources: [{ group: Branch-SQL, name: Sales-DB }]");
        else
            snprintf(ex, sizeof ex, "%s: [name-of-the-%s]",
                     stg_scen_section_key[s], stg_scen_section_word[s]);
        if (!list_of(r, v, what, ex, &empty) || empty)
            continue;
        sc->remove[s] = stg_calloc((size_t)v->n + 1, sizeof *sc->remove[s]);
        if (!sc->remove[s]) {
            oom(r);
            return;
        }
        for (int i = 0; i < v->n; i++) {
            const stg_ynode *e = v->items[i];
            stg_scen_name *nm = &sc->remove[s][sc->nremove[s]];
            char ew[96];
            snprintf(ew, sizeof ew, "an entry of remove: %s",
                     stg_scen_section_key[s]);
            if (s == STG_SCEN_SOURCES) {
                if (e->kind != STG_YMAP) {
                    wrong(r, e, ew, "a mapping", "{ group: Branch-SQL, name: Sales-DB }");
                    continue;
                }
                if (!keys_ok(r, e, source_ref_keys, "in a source to remove"))
                    continue;
                const stg_ynode *g = stg_ynode_get(e, "group");
                const stg_ynode *n = stg_ynode_get(e, "name");
                if (!g || !n) {
                    err(r, e, "write e.g. { group: Branch-SQL, name: Sales-DB }",
                        "a source to remove needs its group and its name");
                    continue;
                }
                const char *gt = text_of(r, g, "group", "group: Branch-SQL");
                const char *nt = text_of(r, n, "name", "name: Sales-DB");
                if (!gt || !nt)
                    continue;
                nm->group = dup(r, gt);
                nm->group_mark = g->mark;
                nm->name = dup(r, nt);
                nm->mark = n->mark;
            } else {
                const char *t = text_of(r, e, ew, ex);
                if (!t)
                    continue;
                nm->name = dup(r, t);
                nm->mark = e->mark;
            }
            /* the same thing twice */
            for (int k = 0; k < sc->nremove[s] && nm->name; k++) {
                const stg_scen_name *o = &sc->remove[s][k];
                if (strcmp(o->name, nm->name) == 0 &&
                    (!o->group || strcmp(o->group, nm->group) == 0)) {
                    char q[64];
                    err(r, e, "remove each once", "%s \"%s\" is removed twice "
                        "(first at line %d)", stg_scen_section_word[s],
                        stg_shorten(q, sizeof q, nm->name), o->mark.line);
                    break;
                }
            }
            sc->nremove[s]++;
            if (r->oom)
                return;
        }
    }
}

/* add: { links: [...], ..., sources: [{ group: G, <source> }] } */
static void scenario_add(rd *r, stg_scenario *sc, const stg_ynode *m)
{
    static const char example[] =
        "add: { links: [{ name: new-wan, capacity: 20Mbps }] }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "add", "a mapping", example);
        return;
    }
    keys_ok(r, m, section_keys, "under add");
    for (int s = 0; s < STG_SCEN_NSEC; s++) {
        const stg_ynode *v = stg_ynode_get(m, stg_scen_section_key[s]);
        char what[64];
        bool empty, ok = true;
        if (!v)
            continue;
        snprintf(what, sizeof what, "add: %s", stg_scen_section_key[s]);
        if (!list_of(r, v, what, example, &empty) || empty)
            continue;
        for (int i = 0; i < v->n; i++) {
            const stg_ynode *e = v->items[i];
            char ew[96];
            snprintf(ew, sizeof ew, "an entry of add: %s", stg_scen_section_key[s]);
            if (e->kind != STG_YMAP) {
                wrong(r, e, ew, "a mapping", s == STG_SCEN_SOURCES ?
                      "{ group: Branch-SQL, name: Sales-DB, computer: sql01, "
                      "kind: sql, size: 400GB, churn: 5%/day }" :
                      "{ name: new-wan, capacity: 20Mbps } (as in a fleet file)");
                ok = false;
                continue;
            }
            if (s == STG_SCEN_SOURCES) {
                const stg_ynode *g = stg_ynode_get(e, "group");
                if (!g) {
                    err(r, e, "add group: NAME-OF-THE-GROUP to the entry",
                        "a source to add needs the group it goes in");
                    ok = false;
                } else if (!text_of(r, g, "group", "group: Branch-SQL")) {
                    ok = false;
                }
            }
        }
        if (ok) {
            sc->add[s] = copy(r, v);
            sc->add_mark[s] = key_at(m, stg_scen_section_key[s])->mark;
        }
    }
}

static void scale_one(rd *r, stg_scenario *sc, const stg_ynode *m)
{
    static const char example[] = "scale: { size: 130%, churn: 2x, group: Branch-SQL }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "scale", "a mapping (or a list of them)", example);
        return;
    }
    if (!keys_ok(r, m, scale_keys, "in scale"))
        return;
    stg_scen_scale *s = &sc->scales[sc->nscales];
    memset(s, 0, sizeof *s);
    s->size = s->churn = 1;
    s->mark = m->mark;
    bool bad = false;
    for (int k = 0; k < 2; k++) {
        const char *key = k ? "churn" : "size";
        const stg_ynode *v = stg_ynode_get(m, key);
        if (!v)
            continue;
        char ex[32];
        snprintf(ex, sizeof ex, "%s: 130%%", key);
        const char *t = text_of(r, v, key, ex);
        const char *problem;
        double f;
        if (!t) {
            bad = true;
            continue;
        }
        if (stg_parse_factor(t, &f, &problem)) {
            char q[64];
            err(r, v, "write a factor: 130%, 1.3x or 1.3", "%s \"%s\" %s", key,
                stg_shorten(q, sizeof q, t), problem);
            bad = true;
            continue;
        }
        if (k) {
            s->churn = f;
            s->has_churn = true;
        } else {
            s->size = f;
            s->has_size = true;
        }
    }
    if (!bad && !s->has_size && !s->has_churn) {
        err(r, m, "add size: 130% or churn: 2x", "scale needs size, churn or both");
        bad = true;
    }
    char **sel[3] = {&s->group, &s->link, &s->computer};
    stg_ymark *selm[3] = {&s->group_mark, &s->link_mark, &s->computer_mark};
    static const char *const selkey[3] = {"group", "link", "computer"};
    for (int k = 0; k < 3; k++) {
        const stg_ynode *v = stg_ynode_get(m, selkey[k]);
        char ex[48];
        if (!v)
            continue;
        snprintf(ex, sizeof ex, "%s: NAME-OF-THE-%s", selkey[k],
                 k == 0 ? "GROUP" : k == 1 ? "LINK" : "COMPUTER");
        const char *t = text_of(r, v, selkey[k], ex);
        if (!t)
            continue;
        *sel[k] = dup(r, t);
        *selm[k] = v->mark;
    }
    /* an entry with errors is kept (freed with the scenario); the errors
     * reported stop the whole file */
    sc->nscales++;
}

static void scenario_scale(rd *r, stg_scenario *sc, const stg_ynode *v)
{
    int n = v->kind == STG_YSEQ ? v->n : 1;
    sc->scales = stg_calloc((size_t)n + 1, sizeof *sc->scales);
    if (!sc->scales) {
        oom(r);
        return;
    }
    if (v->kind != STG_YSEQ) {
        scale_one(r, sc, v);
        return;
    }
    if (v->n == 0)
        err(r, v, "write e.g. scale: { size: 130% }", "scale is empty");
    for (int i = 0; i < v->n && !r->oom; i++)
        scale_one(r, sc, v->items[i]);
}

static void move_one(rd *r, stg_scenario *sc, const stg_ynode *m)
{
    static const char example[] =
        "move: { computer: fs01.contoso.local, server: dpm02, group: South-Files }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "move", "a mapping (or a list of them)", example);
        return;
    }
    if (!keys_ok(r, m, move_keys, "in move"))
        return;
    stg_scen_move *mv = &sc->moves[sc->nmoves++];
    memset(mv, 0, sizeof *mv);
    mv->mark = m->mark;
    const stg_ynode *c = stg_ynode_get(m, "computer");
    const stg_ynode *s = stg_ynode_get(m, "server");
    const stg_ynode *p = stg_ynode_get(m, "path");
    const stg_ynode *g = stg_ynode_get(m, "group");
    if (!c) {
        err(r, m, "add computer: NAME-OF-THE-COMPUTER", "move needs the computer it moves");
    } else {
        const char *t = text_of(r, c, "computer", "computer: fs01.contoso.local");
        if (t) {
            mv->computer = dup(r, t);
            mv->computer_mark = c->mark;
        }
    }
    if (!s && !p && !g) {
        err(r, m, "add server: NAME, path: [LINK, ...] or group: NAME",
            "move needs a server, a path or a group to move the computer to");
        return;
    }
    if (s) {
        const char *t = text_of(r, s, "server", "server: dpm02");
        if (t) {
            mv->server = dup(r, t);
            mv->server_mark = s->mark;
            mv->server_value = copy(r, s);
            mv->server_key_mark = key_at(m, "server")->mark;
        }
    }
    if (p) {
        bool empty;
        if (list_of(r, p, "path", "path: [milan-wan]", &empty)) {
            bool ok = true;
            for (int i = 0; i < (empty ? 0 : p->n); i++)
                ok &= text_of(r, p->items[i], "an entry of path",
                              "path: [milan-wan]") != NULL;
            if (ok) {
                mv->path = copy(r, p);
                mv->path_key_mark = key_at(m, "path")->mark;
            }
        }
    }
    if (g) {
        const char *t = text_of(r, g, "group", "group: South-Files");
        if (t) {
            mv->group = dup(r, t);
            mv->group_mark = g->mark;
        }
    }
}

static void scenario_move(rd *r, stg_scenario *sc, const stg_ynode *v)
{
    int n = v->kind == STG_YSEQ ? v->n : 1;
    sc->moves = stg_calloc((size_t)n + 1, sizeof *sc->moves);
    if (!sc->moves) {
        oom(r);
        return;
    }
    if (v->kind != STG_YSEQ) {
        move_one(r, sc, v);
        return;
    }
    if (v->n == 0)
        err(r, v, "write e.g. move: { computer: fs01, server: dpm02 }",
            "move is empty");
    for (int i = 0; i < v->n && !r->oom; i++)
        move_one(r, sc, v->items[i]);
}

static void scenario_set(rd *r, stg_scenario *sc, const stg_ynode *m)
{
    static const char example[] = "set: { links.osl-wan.capacity: 50Mbps }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "set", "a mapping of paths to values", example);
        return;
    }
    sc->sets = stg_calloc((size_t)m->n + 1, sizeof *sc->sets);
    if (!sc->sets) {
        oom(r);
        return;
    }
    for (int i = 0; i < m->n && !r->oom; i++) {
        const stg_ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        char q[64];
        const char *path = text_of(r, k, "a path under set",
                                   "links.osl-wan.capacity: 50Mbps");
        if (!path)
            continue;
        int first = stg_ynode_find(m, path);
        if (first >= 0 && first < i) {
            err(r, k, "write each path once", "set \"%s\" is written twice "
                "(first at line %d)", stg_shorten(q, sizeof q, path),
                m->items[2 * first]->mark.line);
            continue;
        }
        int shift = k->style == STG_YPLAIN ? 0 :
                    k->style == STG_YSINGLE && !strchr(path, '\'') ? 1 : -1;
        const char *problem;
        size_t at;
        if (stg_path_check(path, &problem, &at)) {
            stg_loc l = loc_of(k);
            if (shift >= 0) {
                int col = 0;
                for (size_t b = 0; b < at; b++)
                    col += ((unsigned char)path[b] & 0xc0) != 0x80;
                l.col += shift + col;
            }
            stg_diag_error(r->d, l, "write names separated by dots, a name "
                           "with dots at its ends or two in a row in brackets, "
                           "e.g. computers[fs01.contoso.local].throttle",
                           "set path \"%s\" %s", stg_shorten(q, sizeof q, path),
                           problem);
            continue;
        }
        if (stg_ynode_is_null(v)) {
            err(r, v->mark.line ? v : k, "write the new value after the path",
                "set \"%s\" has no value", stg_shorten(q, sizeof q, path));
            continue;
        }
        stg_scen_set *s = &sc->sets[sc->nsets++];
        s->path = dup(r, path);
        s->mark = k->mark;
        s->col_shift = shift;
        s->value = copy(r, v);
    }
}

static bool changes_nothing(const stg_scenario *sc)
{
    for (int s = 0; s < STG_SCEN_NSEC; s++)
        if (sc->nremove[s] || (sc->add[s] && sc->add[s]->n))
            return false;
    return !sc->nmoves && !sc->nsets && !sc->nscales;
}

static void read_scenario(rd *r, stg_scenarios *all, const stg_ynode *m)
{
    static const char example[] =
        "- { name: osl-50, set: { links.osl-wan.capacity: 50Mbps } }";
    if (m->kind != STG_YMAP) {
        wrong(r, m, "an entry of scenarios", "a mapping", example);
        return;
    }
    stg_scenario *sc = &all->items[all->n++];
    keys_ok(r, m, scenario_keys, "in a scenario");
    const stg_ynode *v;
    if ((v = stg_ynode_get(m, "name")))
        scenario_name(r, sc, v);
    else
        err(r, m, "add name: NAME (it names the scenario's row)",
            "a scenario has no name");
    if (sc->name)
        for (int i = 0; i < all->n - 1; i++)
            if (all->items[i].name && !strcmp(all->items[i].name, sc->name)) {
                err(r, stg_ynode_get(m, "name"), "names must be unique within "
                    "scenarios", "duplicate scenario name \"%s\" (first at line %d)",
                    sc->name, all->items[i].mark.line);
                break;
            }
    if ((v = stg_ynode_get(m, "description"))) {
        if (v->kind != STG_YSCALAR || strlen(v->text) != v->len)
            wrong(r, v, "description", "a single value",
                  "description: the Oslo line upgraded to 50Mbps");
        else
            sc->description = dup(r, v->text);
    }
    if ((v = stg_ynode_get(m, "remove")))
        scenario_remove(r, sc, v);
    if ((v = stg_ynode_get(m, "add")))
        scenario_add(r, sc, v);
    if ((v = stg_ynode_get(m, "move")))
        scenario_move(r, sc, v);
    if ((v = stg_ynode_get(m, "set")))
        scenario_set(r, sc, v);
    if ((v = stg_ynode_get(m, "scale")))
        scenario_scale(r, sc, v);
    if (sc->name && changes_nothing(sc) && r->d->errors == 0)
        stg_diag_warn(r->d, loc_of(m), "add set, scale, add, remove or move",
                      "scenario %s changes nothing", sc->name);
}

/* ---- the file -------------------------------------------------------- */

static void scenario_free(stg_scenario *sc)
{
    stg_free(sc->name);
    stg_free(sc->description);
    for (int s = 0; s < STG_SCEN_NSEC; s++) {
        for (int i = 0; i < sc->nremove[s]; i++) {
            stg_free(sc->remove[s][i].name);
            stg_free(sc->remove[s][i].group);
        }
        stg_free(sc->remove[s]);
        stg_ynode_free(sc->add[s]);
    }
    for (int i = 0; i < sc->nmoves; i++) {
        stg_scen_move *m = &sc->moves[i];
        stg_free(m->computer);
        stg_free(m->server);
        stg_free(m->group);
        stg_ynode_free(m->server_value);
        stg_ynode_free(m->path);
    }
    stg_free(sc->moves);
    for (int i = 0; i < sc->nsets; i++) {
        stg_free(sc->sets[i].path);
        stg_ynode_free(sc->sets[i].value);
    }
    stg_free(sc->sets);
    for (int i = 0; i < sc->nscales; i++) {
        stg_free(sc->scales[i].group);
        stg_free(sc->scales[i].link);
        stg_free(sc->scales[i].computer);
    }
    stg_free(sc->scales);
}

void stg_scenarios_free(stg_scenarios *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        scenario_free(&s->items[i]);
    stg_free(s->items);
    stg_free(s);
}

static const char *const top_keys[] = { "stagger-scenarios", "scenarios", NULL };

stg_scenarios *stg_scenarios_read_buffer(const char *text, size_t len,
                                         stg_diags *d)
{
    static const char empty_hint[] =
        "a scenarios file starts with stagger-scenarios: 1";
    rd r = {d, false};
    size_t errors0 = d->errors;
    stg_scenarios *all = NULL;
    stg_ynode *root = stg_ynode_read(text, len, STG_SCEN_FILE, 16,
                                     "a scenarios file needs at most 9 levels",
                                     MAX_VALUES, d);
    if (!root) {
        r.oom = d->oom;
        goto out;
    }
    if (stg_ynode_is_null(root)) {
        err(&r, NULL, empty_hint, "the file is empty");
        goto out;
    }
    if (root->kind != STG_YMAP) {
        wrong(&r, root, "a scenarios file", "a mapping (stagger-scenarios: 1, "
              "scenarios: [...])", "stagger-scenarios: 1");
        goto out;
    }
    const stg_ynode *v = stg_ynode_get(root, "stagger-scenarios");
    if (!v) {
        err(&r, root, "add stagger-scenarios: 1 as the first line",
            "missing \"stagger-scenarios: 1\" (the format version)");
        goto out;
    }
    if (!stg_ynode_is_text(v) || strcmp(v->text, "1") != 0) {
        char q[64];
        if (stg_ynode_is_text(v))
            err(&r, v, "this program reads stagger-scenarios: 1",
                "stagger-scenarios \"%s\" is not a format version this program "
                "reads", stg_shorten(q, sizeof q, v->text));
        else
            wrong(&r, v, "stagger-scenarios", "a single value",
                  "stagger-scenarios: 1");
        goto out;
    }
    keys_ok(&r, root, top_keys, "at the top level");
    const stg_ynode *list = stg_ynode_get(root, "scenarios");
    bool empty = false;
    if (!list) {
        err(&r, root, "add scenarios: with at least one scenario",
            "the file has no scenarios");
        goto out;
    }
    if (!list_of(&r, list, "scenarios", "scenarios: [{ name: osl-50, set: "
                 "{ links.osl-wan.capacity: 50Mbps } }]", &empty))
        goto out;
    if (empty || list->n == 0) {
        err(&r, list->mark.line ? list : key_at(root, "scenarios"),
            "add at least one scenario", "scenarios is empty");
        goto out;
    }
    all = stg_calloc(1, sizeof *all);
    if (!all || !(all->items = stg_calloc((size_t)list->n, sizeof *all->items))) {
        oom(&r);
        goto out;
    }
    for (int i = 0; i < list->n && !r.oom; i++)
        read_scenario(&r, all, list->items[i]);
out:
    stg_ynode_free(root);
    stg_diags_sort(d);
    if (d->errors > errors0 || d->oom) {
        stg_scenarios_free(all);
        return NULL;
    }
    return all;
}

stg_scenarios *stg_scenarios_read_file(const char *path, char **text,
                                       size_t *len, stg_diags *d)
{
    static const stg_loc nowhere = {0, 0, 0};
    switch (stg_textfile_read(path, MAX_FILE_SIZE, text, len)) {
    case STG_TEXTFILE_OK:
        return stg_scenarios_read_buffer(*text, *len, d);
    case STG_TEXTFILE_SYSTEM:
        stg_diag_error(d, nowhere, NULL, "cannot read: %s", strerror(errno));
        break;
    case STG_TEXTFILE_TOO_BIG:
        stg_diag_error(d, nowhere, "a scenarios file is at most 16 MiB",
                       "the file is larger than 16 MiB");
        break;
    case STG_TEXTFILE_NO_MEMORY:
        d->oom = 1;
        stg_diag_error(d, nowhere, NULL, "out of memory");
        break;
    }
    return NULL;
}
