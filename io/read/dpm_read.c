/* stagger: the reader of a DPM export (see dpm_read.h; the format is
 * docs/import.md, "The export format").
 *
 * The text is first made UTF-8 (decode()), then read through
 * ynode.c as YAML, of which JSON is the flow subset, with the root's
 * three lists (groups, computers, jobs) streamed: each entry is read
 * into the export as the parser completes it and its tree freed, so
 * memory holds the export and one entry's tree.
 *
 * JSON's types are told apart by how a scalar is written: a string is
 * quoted, a number, true, false and null are plain.  So "60" where a
 * number belongs, or a bare word where a string does, is refused.
 *
 * Every error is located at the value it is about (line and column of
 * the decoded text, whose lines are the file's).  The version comes
 * first: a file whose stagger_export is missing or not 1 gets that one
 * error, whatever else it holds, since the rest follows another format
 * (or none). */
#include "io/read/dpm_read.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/suggest.h"
#include "io/read/textfile.h"
#include "io/read/units.h"
#include "io/read/ynode.h"
#include "model/alloc.h"
#include "model/fleet.h"
#include "model/hash.h"

#define MAX_DEPTH 16            /* the format nests 5 deep */
#define MAX_KEYS 64             /* its largest object has 8 keys */
#define MAX_LIVE (1 << 22)      /* values held at once: the root's and one
                                   entry's (a group of 100,000 sources) */
#define MAX_ENTRIES 100000      /* groups, computers, a group's sources */
#define MAX_JOBS 50000000       /* far more than 1 GiB holds */
#define MAX_NAME 1024           /* bytes of a name */

static const stg_loc nowhere = {0, 0, 0};

static stg_loc at(int line, int col)
{
    stg_loc l = {line, col, 0};
    return l;
}

/* ---- decoding ---------------------------------------------------------- */

static void put_utf8(char *out, size_t *n, unsigned cp)
{
    unsigned char *o = (unsigned char *)out + *n;
    if (cp < 0x80) {
        o[0] = (unsigned char)cp;
        *n += 1;
    } else if (cp < 0x800) {
        o[0] = (unsigned char)(0xc0 | cp >> 6);
        o[1] = (unsigned char)(0x80 | (cp & 0x3f));
        *n += 2;
    } else if (cp < 0x10000) {
        o[0] = (unsigned char)(0xe0 | cp >> 12);
        o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[2] = (unsigned char)(0x80 | (cp & 0x3f));
        *n += 3;
    } else {
        o[0] = (unsigned char)(0xf0 | cp >> 18);
        o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f));
        o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f));
        o[3] = (unsigned char)(0x80 | (cp & 0x3f));
        *n += 4;
    }
}

/* UTF-16 (after its byte-order mark) to UTF-8: *out of *outlen bytes,
 * NUL-terminated.  A lone surrogate (written as U+FFFD), or an odd byte
 * at the end, is an error at its line and column: -1 (reported) with
 * *out set, for quoting.  -1 with *out NULL: out of memory (d->oom). */
static int from_utf16(const unsigned char *s, size_t len, bool big,
                      char **out, size_t *outlen, stg_diags *d)
{
    /* a unit of 2 bytes becomes at most 3, a pair of 4 bytes 4 */
    char *buf = stg_malloc(len / 2 * 3 + 1);
    size_t n = 0;
    int line = 1, col = 1;
    bool bad = false;
    if (!buf) {
        d->oom = 1;
        return -1;
    }
    for (size_t i = 0; i + 1 < len; i += 2, col++) {
        unsigned u = big ? (unsigned)s[i] << 8 | s[i + 1]
                         : (unsigned)s[i + 1] << 8 | s[i];
        if (u >= 0xd800 && u < 0xdc00 && i + 3 < len) {
            unsigned v = big ? (unsigned)s[i + 2] << 8 | s[i + 3]
                             : (unsigned)s[i + 3] << 8 | s[i + 2];
            if (v >= 0xdc00 && v < 0xe000) {
                put_utf8(buf, &n, 0x10000 + ((u - 0xd800) << 10) +
                         (v - 0xdc00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xd800 && u < 0xe000) {
            if (!bad)
                stg_diag_error(d, at(line, col), "save the file again as "
                               "UTF-8, or as UTF-16 from the DPM Management "
                               "Shell", "the file is not valid UTF-16: a "
                               "lone surrogate (%04X)", u);
            bad = true;
            u = 0xfffd;         /* the text stays whole, for quoting */
        }
        put_utf8(buf, &n, u);
        if (u == '\n') {
            line++;
            col = 0;
        }
    }
    if (len % 2 && !bad) {
        stg_diag_error(d, at(line, col), "the file was cut short: collect "
                       "it again", "the file is not valid UTF-16: it ends "
                       "in the middle of a character");
        bad = true;
    }
    buf[n] = '\0';
    *out = buf;
    *outlen = n;
    return bad ? -1 : 0;
}

static int hex4(const char *s, unsigned *v)
{
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int x = c >= '0' && c <= '9' ? c - '0' :
                c >= 'a' && c <= 'f' ? c - 'a' + 10 :
                c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (x < 0)
            return -1;
        *v = *v << 4 | (unsigned)x;
    }
    return 0;
}

/* JSON writes a character beyond U+FFFF in a string as two escapes,
 * "\ud83d\ude00"; YAML (libyaml) takes one, "\U0001F600".  Rewrites
 * every such pair in place (the text gets 2 bytes shorter each time:
 * columns after one on its line move by 2).  A lone surrogate escape is
 * an error at its line and column.  Returns the new length, or
 * (size_t)-1 (reported). */
static size_t join_surrogates(char *t, size_t len, stg_diags *d)
{
    size_t w = 0;
    int line = 1, col = 1;
    bool in = false;
    for (size_t i = 0; i < len;) {
        char c = t[i];
        unsigned u, v;
        if (in && c == '\\' && i + 1 < len && t[i + 1] == 'u' &&
            i + 6 <= len && !hex4(t + i + 2, &u) && u >= 0xd800 &&
            u < 0xe000) {
            if (u < 0xdc00 && i + 12 <= len && t[i + 6] == '\\' &&
                t[i + 7] == 'u' && !hex4(t + i + 8, &v) && v >= 0xdc00 &&
                v < 0xe000) {
                unsigned cp = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
                w += (size_t)snprintf(t + w, 11, "\\U%08X", cp);
                i += 12;
                col += 10;
                continue;
            }
            stg_diag_error(d, at(line, col), "a character beyond "
                           "U+FFFF is written as a pair, \\ud83d\\ude00",
                           "\\u%04x is half of a surrogate pair, alone", u);
            memmove(t + w, t + i, len - i);     /* the text stays whole */
            t[w + len - i] = '\0';
            return (size_t)-1;
        }
        if (in && c == '\\' && i + 1 < len && t[i + 1] != '\n') {
            t[w++] = t[i++];            /* an escape: its character too */
            col++;
            c = t[i];
        } else if (c == '"') {
            in = !in;
        }
        t[w++] = t[i++];
        if (c == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)c & 0xc0) != 0x80) {
            col++;
        }
    }
    t[w] = '\0';
    return w;
}

/* True when the text holds a \u escape of a surrogate (JSON's way to
 * write a character beyond U+FFFF), which join_surrogates() rewrites. */
static bool has_surrogate_escape(const char *t, size_t len)
{
    for (const char *p = t, *e = t + len;
         (p = memchr(p, '\\', (size_t)(e - p))) != NULL; p++)
        if (e - p >= 4 && p[1] == 'u' && (p[2] == 'd' || p[2] == 'D') &&
            strchr("89abAB", p[3]) && p[3])
            return true;
    return false;
}

static bool utf16_bom(const unsigned char *u, size_t len)
{
    return len >= 2 && ((u[0] == 0xff && u[1] == 0xfe) ||
                        (u[0] == 0xfe && u[1] == 0xff));
}

static bool utf8_bom(const unsigned char *u, size_t len)
{
    return len >= 3 && u[0] == 0xef && u[1] == 0xbb && u[2] == 0xbf;
}

/* Makes *t (n bytes of a file, stg_malloc'd with a byte to spare, owned)
 * UTF-8 text: UTF-16 with a byte-order mark converted (a new buffer
 * replaces *t), a UTF-8 byte-order mark dropped, JSON's surrogate
 * escapes joined; the lines stay the file's.  Returns 0, or -1
 * (reported) with *t still the text for quoting, or NULL when out of
 * memory (d->oom). */
static int decode(char **t, size_t *n, stg_diags *d)
{
    const unsigned char *u = (const unsigned char *)*t;
    size_t len = *n;
    int bad = 0;
    if (utf16_bom(u, len)) {
        char *c = NULL;
        bad = from_utf16(u + 2, len - 2, u[0] == 0xfe, &c, n, d);
        stg_free(*t);
        *t = c;
        if (!c) {
            *n = 0;
            return -1;
        }
    } else {
        size_t skip = utf8_bom(u, len) ? 3 : 0;
        memmove(*t, *t + skip, len - skip);
        *n = len - skip;
        (*t)[*n] = '\0';
    }
    if (!bad && has_surrogate_escape(*t, *n)) {
        size_t m = join_surrogates(*t, *n, d);
        if (m == (size_t)-1)
            return -1;
        *n = m;
    }
    return bad;
}

/* ---- the reader's state ------------------------------------------------ */

enum { L_GROUPS, L_COMPUTERS, L_JOBS, L_N };
static const char *const list_keys[L_N + 1] = {
    "groups", "computers", "jobs", NULL
};

/* How the tree's own errors read in an export. */
static const stg_ytexts export_texts = {
    .empty = "the export file is empty",
    .empty_hint = "an export is the JSON file stagger collect's script "
                  "writes",
    .second_doc = "an export holds one JSON document, and a second one "
                  "starts here",
    .second_doc_hint = "remove everything after the first document",
    .alias = "aliases (*%s) are not JSON",
    .alias_hint = "an export is the JSON file stagger collect's script "
                  "writes",
    .anchor = "anchors (&%s) are not JSON",
    .anchor_hint = "an export is the JSON file stagger collect's script "
                   "writes",
    .short_names = true,
    .depth = "nested more than %d levels deep",
    .depth_hint = "an export nests 5 levels deep",
    .nodes = "more than %zu values in one entry",
    .max_keys = MAX_KEYS,
    .keys = "more than %d keys in one object",
    .twice = "\"%s\" is given twice (first on line %d)",
    .twice_hint = "keep one of them",
    .strict = true,
};

/* The texts of the jobs, each once: an open-addressing table of the
 * export's strings. */
typedef struct {
    int *slot;                  /* index into e->strings + 1; 0: empty */
    size_t size;                /* a power of two */
    size_t cap_strings;
} pool;

typedef struct {
    stg_diags *d;
    stg_dpm_export *e;
    size_t cap_groups, cap_computers, cap_jobs;
    pool pool;
    int key;                    /* the root key being read: L_*, or K_* */
    bool version_ok;            /* stagger_export: 1 was read */
    bool version_bad;           /* another version: only that is said */
    bool seen[8];               /* the root keys read (K_ and L_ order) */
    stg_loc root_loc;
} rd;

enum { K_VERSION = L_N, K_COLLECTED, K_UTC, K_SERVER, K_OTHER, K_BAD };

static const char *const root_names[] = {
    "groups", "computers", "jobs", "stagger_export", "collected",
    "utc_offset", "server"
};
#define NROOT ((int)(sizeof root_names / sizeof root_names[0]))

static stg_loc loc_of(const stg_ynode *n)
{
    return (stg_loc){n->mark.line, n->mark.col, 0};
}

#define ERR(r, n, hint, ...) \
    stg_diag_error((r)->d, loc_of(n), hint, __VA_ARGS__)

static bool oom(rd *r)
{
    r->d->oom = 1;
    return false;
}

/* ---- JSON values ------------------------------------------------------- */

static bool is_null(const stg_ynode *n)
{
    return n->kind == STG_YSCALAR && n->style == STG_YPLAIN &&
           !strcmp(n->text, "null");
}

static bool is_plain(const stg_ynode *n)
{
    return n->kind == STG_YSCALAR && n->style == STG_YPLAIN;
}

/* JSON's number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static bool json_number(const char *s, bool *whole)
{
    const char *p = s;
    *whole = true;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return false;
    if (*p == '.') {
        *whole = false;
        if (!(*++p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        *whole = false;
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == '\0';
}

/* What n is, in JSON's words. */
static const char *kind_word(const stg_ynode *n)
{
    bool whole;
    if (n->kind == STG_YMAP)
        return "an object";
    if (n->kind == STG_YSEQ)
        return "a list";
    if (n->style != STG_YPLAIN)
        return "a string";
    if (!strcmp(n->text, "null"))
        return "null";
    if (!strcmp(n->text, "true") || !strcmp(n->text, "false"))
        return "true or false";
    if (json_number(n->text, &whole))
        return "a number";
    return "a bare word (not JSON)";
}

/* Reports that n, the value of `what`, is not of the JSON type `want`
 * ("a string"); returns false. */
static bool wrong(rd *r, const stg_ynode *n, const char *what,
                  const char *want, const char *hint)
{
    char q[64];
    if (n->kind == STG_YSCALAR && n->style != STG_YPLAIN &&
        !strcmp(want, "a number"))
        ERR(r, n, "write the number without quotes", "%s must be a number, "
            "not the string \"%s\"", what, stg_shorten(q, sizeof q, n->text));
    else if (n->kind == STG_YSCALAR && n->style == STG_YPLAIN &&
             !strcmp(want, "a string") && strcmp(n->text, "null"))
        ERR(r, n, "write it in double quotes", "%s must be a string, not %s "
            "(%s)", what, kind_word(n), stg_shorten(q, sizeof q, n->text));
    else {
        if (!hint)
            hint = !strcmp(want, "a list") ? "write a list, [ ... ]" :
                   !strcmp(want, "an object") ? "write an object, { ... }" :
                   !strcmp(want, "a string") ? "write a string, in double "
                                               "quotes" :
                   !strcmp(want, "a number") ? "write a number, with digits "
                                               "and no quotes" :
                   "write true or false, without quotes";
        ERR(r, n, hint, "%s must be %s, not %s", what, want, kind_word(n));
    }
    return false;
}

typedef struct {
    const char *key;
    bool required;
    const stg_ynode *val;
} field;

/* Sorts the keys of object m into fs (unknown and missing required keys
 * are errors; a key twice was refused by the tree already).  who names
 * the object in messages ("a group").  False when m is not an object or
 * a key is unknown or missing. */
static bool fields(rd *r, const stg_ynode *m, const char *who, field *fs,
                   int nf)
{
    char hint[512], q[64];
    bool ok = true;
    for (int j = 0; j < nf; j++)
        fs[j].val = NULL;
    if (m->kind != STG_YMAP)
        return wrong(r, m, who, "an object", NULL);
    for (int i = 0; i < m->n; i++) {
        const stg_ynode *k = m->items[2 * i], *v = m->items[2 * i + 1];
        if (k->kind != STG_YSCALAR || k->style == STG_YPLAIN) {
            ERR(r, k, "JSON's keys are strings, in double quotes",
                "a key of %s must be a string, not %s", who, kind_word(k));
            ok = false;
            continue;
        }
        int j = 0;
        while (j < nf && strcmp(k->text, fs[j].key))
            j++;
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
            snprintf(hint, sizeof hint, "add \"%s\" (docs/import.md lists "
                     "the keys)", fs[j].key);
            ERR(r, m, hint, "%s has no \"%s\"", who, fs[j].key);
            ok = false;
        }
    return ok;
}

/* A string's text (quoted scalar, no NUL), or NULL (reported). */
static const char *text_of(rd *r, const stg_ynode *n, const char *what)
{
    if (n->kind != STG_YSCALAR || n->style == STG_YPLAIN) {
        wrong(r, n, what, "a string", NULL);
        return NULL;
    }
    if (strlen(n->text) != n->len) {
        ERR(r, n, NULL, "%s contains a NUL character", what);
        return NULL;
    }
    return n->text;
}

/* A name: a string of 1 to MAX_NAME bytes, copied into *out. */
static bool name_of(rd *r, const stg_ynode *n, const char *what, char **out)
{
    const char *s = text_of(r, n, what);
    if (!s)
        return false;
    if (!*s) {
        ERR(r, n, "DPM names everything: collect the export again", "%s is "
            "empty", what);
        return false;
    }
    if (n->len > MAX_NAME) {
        ERR(r, n, "a name is at most 1024 bytes", "%s is %zu bytes long",
            what, n->len);
        return false;
    }
    return (*out = stg_strdup(s)) != NULL || oom(r);
}

/* A whole number from lo to hi (JSON digits, unquoted). */
static bool int_of(rd *r, const stg_ynode *n, const char *what, long long lo,
                   long long hi, long long *out)
{
    bool whole;
    if (!is_plain(n) || !json_number(n->text, &whole))
        return wrong(r, n, what, "a number", NULL);
    if (!whole) {
        ERR(r, n, "write it with digits only", "%s %s is not a whole number",
            what, n->text);
        return false;
    }
    errno = 0;
    long long v = strtoll(n->text, NULL, 10);
    if (errno || v < lo || v > hi) {
        char hint[96];
        snprintf(hint, sizeof hint, "it runs from %lld to %lld", lo, hi);
        if (n->text[0] == '-' && lo >= 0)
            ERR(r, n, hint, "%s %s is negative", what, n->text);
        else
            ERR(r, n, hint, "%s %s is out of range", what, n->text);
        return false;
    }
    *out = v;
    return true;
}

/* A byte count, or null (*out -1). */
static bool bytes_of(rd *r, const stg_ynode *n, const char *what, double *out)
{
    long long v;
    if (is_null(n)) {
        *out = -1;
        return true;
    }
    if (is_plain(n) && n->text[0] == '-') {
        ERR(r, n, "a size is 0 bytes or more", "%s %s is negative", what,
            n->text);
        return false;
    }
    if (!int_of(r, n, what, 0, (long long)STG_SIZE_MAX, &v))
        return false;
    *out = (double)v;
    return true;
}

static bool bool_of(rd *r, const stg_ynode *n, const char *what, bool *out)
{
    if (is_plain(n) && (!strcmp(n->text, "true") ||
                        !strcmp(n->text, "false"))) {
        *out = n->text[0] == 't';
        return true;
    }
    return wrong(r, n, what, "true or false", NULL);
}

/* "HH:MM" -> seconds of day. */
static bool clock_of(rd *r, const stg_ynode *n, const char *what, int *out)
{
    stg_unit_err e;
    char q[64];
    const char *s = text_of(r, n, what);
    if (!s)
        return false;
    if (stg_parse_clock(s, out, &e)) {
        ERR(r, n, e.hint[0] ? e.hint : NULL, "%s \"%s\" %s", what,
            stg_shorten(q, sizeof q, s), e.msg);
        return false;
    }
    return true;
}

static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS" (1970 to 9999) -> seconds since 1970-01-01. */
static bool datetime_of(rd *r, const stg_ynode *n, const char *what,
                        long long *out)
{
    static const char shape[] = "dddd-dd-ddTdd:dd:dd";
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
                                31};
    char q[64];
    const char *s = text_of(r, n, what);
    if (!s)
        return false;
    bool ok = strlen(s) == sizeof shape - 1;
    for (size_t i = 0; ok && shape[i]; i++)
        ok = shape[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == shape[i];
    if (!ok) {
        ERR(r, n, "write \"YYYY-MM-DDTHH:MM:SS\" on the DPM server's clock, "
            "e.g. \"2026-11-29T08:00:04\" (no zone: utc_offset is the "
            "file's)", "%s \"%s\" is not a date and time", what,
            stg_shorten(q, sizeof q, s));
        return false;
    }
    int y = atoi(s), mo = atoi(s + 5), d = atoi(s + 8);
    int h = atoi(s + 11), mi = atoi(s + 14), se = atoi(s + 17);
    int dim = mo >= 1 && mo <= 12 ? mdays[mo - 1] : 0;
    if (mo == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        dim = 29;
    if (y < 1970 || d < 1 || d > dim || h > 23 || mi > 59 || se > 59) {
        ERR(r, n, "a date from 1970-01-01 on, hours 00-23, minutes and "
            "seconds 00-59", "%s \"%s\" is not a date and time that exists",
            what, stg_shorten(q, sizeof q, s));
        return false;
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
    return true;
}

/* A list of English day names (DPM's: Sunday, Monday, ...) -> mask. */
static bool days_of(rd *r, const stg_ynode *n, const char *what,
                    bool may_be_empty, unsigned *out)
{
    static const char *const names[] = {
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday",
        "Sunday"
    };
    char q[64];
    *out = 0;
    if (n->kind != STG_YSEQ)
        return wrong(r, n, what, "a list", "write e.g. [\"Sunday\", "
                     "\"Monday\"]");
    if (n->n == 0 && !may_be_empty) {
        ERR(r, n, "name at least one day, e.g. [\"Sunday\"]", "%s is empty",
            what);
        return false;
    }
    bool ok = true;
    for (int i = 0; i < n->n; i++) {
        const stg_ynode *it = n->items[i];
        const char *s = text_of(r, it, "a day");
        int k = 0;
        if (!s) {
            ok = false;
            continue;
        }
        while (k < 7 && strcmp(s, names[k]))
            k++;
        if (k == 7) {
            ERR(r, it, "DPM's days are Sunday, Monday, Tuesday, Wednesday, "
                "Thursday, Friday and Saturday", "day \"%s\" is not known",
                stg_shorten(q, sizeof q, s));
            ok = false;
        } else if (*out & 1u << k) {
            ERR(r, it, "name each day once", "day %s is given twice in %s",
                s, what);
            ok = false;
        }
        *out |= 1u << k;
    }
    return ok;
}

static int by_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* { "times": [...], "days": [...] }, or null (*has false). */
static bool times_of(rd *r, const stg_ynode *n, const char *who, bool *has,
                     stg_dpm_times *t)
{
    field fs[] = {{"times", true, NULL}, {"days", true, NULL}};
    char what[64];
    *has = false;
    if (is_null(n))
        return true;
    if (!fields(r, n, who, fs, 2))
        return false;
    t->loc = loc_of(n);
    snprintf(what, sizeof what, "the days of %s", who);
    bool ok = days_of(r, fs[1].val, what, false, &t->days);
    const stg_ynode *l = fs[0].val;
    snprintf(what, sizeof what, "the times of %s", who);
    if (l->kind != STG_YSEQ)
        return wrong(r, l, what, "a list", "write e.g. [\"08:00\", "
                     "\"20:00\"]");
    if (l->n == 0) {
        ERR(r, l, "name at least one time, e.g. [\"20:00\"]", "%s is empty",
            what);
        return false;
    }
    if (l->n > 24 * 60) {
        ERR(r, l, NULL, "%s holds more times than a day has minutes", what);
        return false;
    }
    if (!(t->times = stg_calloc((size_t)l->n, sizeof *t->times)))
        return oom(r);
    for (int i = 0; i < l->n; i++) {
        int v = 0;
        snprintf(what, sizeof what, "%s time", who);
        if (!clock_of(r, l->items[i], what, &v)) {
            ok = false;
            continue;
        }
        for (int k = 0; k < t->ntimes; k++)
            if (t->times[k] == v) {
                ERR(r, l->items[i], "name each time once", "%s %s is "
                    "given twice", what, l->items[i]->text);
                ok = false;
            }
        t->times[t->ntimes++] = v;
    }
    qsort(t->times, (size_t)t->ntimes, sizeof *t->times, by_int);
    *has = ok;
    return ok;
}

/* ---- groups ------------------------------------------------------------ */

static bool read_sync(rd *r, const stg_ynode *n, stg_dpm_group *g)
{
    field fs[] = {{"every_minutes", false, NULL},
                  {"offset_minutes", false, NULL},
                  {"before_recovery_point", false, NULL}};
    static const int every[] = {15, 30, 60, 120, 240, 360, 720, 1440};
    long long v;
    g->sync_loc = loc_of(n);
    if (is_null(n)) {           /* not read from DPM */
        g->sync_unknown = true;
        return true;
    }
    if (!fields(r, n, "a group's sync", fs, 3))
        return false;
    if (fs[2].val) {
        bool b;
        if (!bool_of(r, fs[2].val, "before_recovery_point", &b))
            return false;
        if (!b || fs[0].val || fs[1].val) {
            ERR(r, fs[2].val, "write { \"before_recovery_point\": true }, or "
                "every_minutes and offset_minutes", "a sync is either "
                "before each recovery point or every so many minutes");
            return false;
        }
        g->before_recovery_point = true;
        return true;
    }
    if (!fs[0].val || !fs[1].val) {
        ERR(r, n, "write { \"every_minutes\": 60, \"offset_minutes\": 0 }, or "
            "{ \"before_recovery_point\": true }", "a group's sync has no "
            "\"%s\"", fs[0].val ? "offset_minutes" : "every_minutes");
        return false;
    }
    if (!int_of(r, fs[0].val, "every_minutes", 1, 1440, &v)) {
        return false;
    }
    int k = 0;
    while (k < 8 && every[k] != v)
        k++;
    if (k == 8) {
        ERR(r, fs[0].val, "DPM syncs every 15, 30, 60, 120, 240, 360, 720 or "
            "1440 minutes", "every_minutes %lld is not a DPM sync frequency",
            v);
        return false;
    }
    g->every_min = (int)v;
    if (is_null(fs[1].val)) {   /* not read from DPM */
        g->offset_unknown = true;
        return true;
    }
    if (!int_of(r, fs[1].val, "offset_minutes", 0, 1440, &v))
        return false;
    if (v >= g->every_min) {
        char hint[96];
        snprintf(hint, sizeof hint, "an offset runs from 0 to %d, below the "
                 "period", g->every_min - 1);
        ERR(r, fs[1].val, hint, "offset_minutes %lld is not below "
            "every_minutes %d", v, g->every_min);
        return false;
    }
    g->offset_min = (int)v;
    return true;
}

static bool read_cc(rd *r, const stg_ynode *n, stg_dpm_group *g)
{
    field fs[] = {{"start", true, NULL}, {"hours", true, NULL},
                  {"days", true, NULL}};
    long long h = 0;
    if (is_null(n))
        return true;
    g->cc_loc = loc_of(n);
    if (!fields(r, n, "a consistency check", fs, 3))
        return false;
    bool ok = clock_of(r, fs[0].val, "start", &g->cc_start);
    /* its length and days may be unknown (null): not read from DPM */
    if (!is_null(fs[1].val))
        ok &= int_of(r, fs[1].val, "hours", 1, 24, &h);
    if (!is_null(fs[2].val))
        ok &= days_of(r, fs[2].val, "the days of a consistency check", false,
                      &g->cc_days);
    g->cc_hours = (int)h;
    g->has_cc = ok;
    return ok;
}

static bool read_source(rd *r, const stg_ynode *n, stg_dpm_group *g)
{
    field fs[] = {{"name", true, NULL}, {"computer", true, NULL},
                  {"type", true, NULL}, {"replica_bytes", true, NULL},
                  {"used_bytes", true, NULL}};
    stg_dpm_source *s = &g->sources[g->nsources];
    memset(s, 0, sizeof *s);
    s->loc = loc_of(n);
    s->replica_bytes = s->used_bytes = -1;
    if (!fields(r, n, "a data source", fs, 5))
        return false;
    bool ok = name_of(r, fs[0].val, "a data source's name", &s->name);
    ok &= name_of(r, fs[1].val, "a data source's computer", &s->computer);
    ok &= name_of(r, fs[2].val, "a data source's type", &s->type);
    ok &= bytes_of(r, fs[3].val, "replica_bytes", &s->replica_bytes);
    ok &= bytes_of(r, fs[4].val, "used_bytes", &s->used_bytes);
    g->nsources++;              /* freed with the group, read or not */
    if (!ok)
        return false;
    for (int i = 0; i < g->nsources - 1; i++)
        if (!strcmp(g->sources[i].name, s->name) &&
            !strcmp(g->sources[i].computer, s->computer)) {
            ERR(r, n, "list each data source once", "data source \"%s\" on "
                "%s is listed twice in group \"%s\" (first on line %d)",
                s->name, s->computer, g->name ? g->name : "",
                g->sources[i].loc.line);
            return false;
        }
    return true;
}

static bool read_group(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", true, NULL}, {"sync", true, NULL},
                  {"recovery_points", true, NULL},
                  {"express_full", true, NULL},
                  {"consistency_check", true, NULL},
                  {"sources", true, NULL}};
    stg_dpm_export *e = r->e;
    if (e->ngroups >= MAX_ENTRIES) {
        ERR(r, n, NULL, "more than %d groups", MAX_ENTRIES);
        return false;
    }
    if (stg_grow((void **)&e->groups, &r->cap_groups, (size_t)e->ngroups + 1,
                 sizeof *e->groups))
        return oom(r);
    stg_dpm_group *g = &e->groups[e->ngroups++];
    memset(g, 0, sizeof *g);
    g->loc = loc_of(n);
    if (!fields(r, n, "a group", fs, 6))
        return false;
    bool ok = name_of(r, fs[0].val, "a group's name", &g->name);
    for (int i = 0; ok && i < e->ngroups - 1; i++)
        if (e->groups[i].name && !strcmp(e->groups[i].name, g->name)) {
            ERR(r, fs[0].val, "a DPM server names each group once",
                "group \"%s\" is listed twice (first on line %d)", g->name,
                e->groups[i].loc.line);
            ok = false;
        }
    ok &= read_sync(r, fs[1].val, g);
    ok &= times_of(r, fs[2].val, "recovery_points", &g->has_rp, &g->rp);
    ok &= times_of(r, fs[3].val, "express_full", &g->has_ef, &g->ef);
    ok &= read_cc(r, fs[4].val, g);
    /* application data whose recovery points are its express fulls
     * syncs with them (DPM: "Just before a recovery point") */
    if (ok && g->before_recovery_point && !g->has_rp && !g->has_ef) {
        ERR(r, fs[1].val, "give the group's recovery_points, or its "
            "express_full times", "a sync before each recovery point needs "
            "recovery_points or express fulls");
        ok = false;
    }
    const stg_ynode *l = fs[5].val;
    if (l->kind != STG_YSEQ)
        return wrong(r, l, "sources", "a list", NULL);
    if (l->n > MAX_ENTRIES) {
        ERR(r, l, NULL, "more than %d data sources in one group",
            MAX_ENTRIES);
        return false;
    }
    if (l->n && !(g->sources = stg_calloc((size_t)l->n, sizeof *g->sources)))
        return oom(r);
    for (int i = 0; i < l->n && !r->d->oom; i++)
        ok &= read_source(r, l->items[i], g);
    return ok;
}

/* ---- computers --------------------------------------------------------- */

static bool rate_of(rd *r, const stg_ynode *n, const char *what, double *bps)
{
    long long v;
    if (!int_of(r, n, what, 1, (long long)(STG_RATE_MAX / 1000), &v))
        return false;
    *bps = (double)v * 1000;
    return true;
}

static bool read_throttle(rd *r, const stg_ynode *n, stg_dpm_computer *c)
{
    field fs[] = {{"enabled", true, NULL}, {"work_kbps", false, NULL},
                  {"other_kbps", false, NULL}, {"work_start", false, NULL},
                  {"work_end", false, NULL}, {"work_days", false, NULL}};
    bool on;
    c->throttle_loc = loc_of(n);
    c->throttle = STG_DPM_THROTTLE_UNKNOWN;
    if (is_null(n))
        return true;
    if (!fields(r, n, "a throttle", fs, 6) ||
        !bool_of(r, fs[0].val, "enabled", &on))
        return false;
    bool ok = true;
    for (int i = 1; i < 6; i++)
        if (on && !fs[i].val) {
            ERR(r, n, "an enabled throttle gives work_kbps, other_kbps, "
                "work_start, work_end and work_days", "a throttle has no "
                "\"%s\"", fs[i].key);
            ok = false;
        }
    if (!ok)
        return false;
    /* a disabled throttle may keep DPM's rates: read, not used */
    if (fs[1].val)
        ok &= rate_of(r, fs[1].val, "work_kbps", &c->work_bps);
    if (fs[2].val)
        ok &= rate_of(r, fs[2].val, "other_kbps", &c->other_bps);
    if (fs[3].val)
        ok &= clock_of(r, fs[3].val, "work_start", &c->work_start);
    if (fs[4].val)
        ok &= clock_of(r, fs[4].val, "work_end", &c->work_end);
    if (fs[5].val)
        ok &= days_of(r, fs[5].val, "work_days", true, &c->work_days);
    if (ok)
        c->throttle = on ? STG_DPM_THROTTLE_ON : STG_DPM_THROTTLE_OFF;
    return ok;
}

static bool read_computer(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", true, NULL}, {"throttle", true, NULL}};
    stg_dpm_export *e = r->e;
    if (e->ncomputers >= MAX_ENTRIES) {
        ERR(r, n, NULL, "more than %d computers", MAX_ENTRIES);
        return false;
    }
    if (stg_grow((void **)&e->computers, &r->cap_computers,
                 (size_t)e->ncomputers + 1, sizeof *e->computers))
        return oom(r);
    stg_dpm_computer *c = &e->computers[e->ncomputers++];
    memset(c, 0, sizeof *c);
    c->loc = loc_of(n);
    if (!fields(r, n, "a computer", fs, 2))
        return false;
    bool ok = name_of(r, fs[0].val, "a computer's name", &c->name);
    for (int i = 0; ok && i < e->ncomputers - 1; i++)
        if (e->computers[i].name && !strcmp(e->computers[i].name, c->name)) {
            ERR(r, fs[0].val, "list each computer once", "computer \"%s\" is "
                "listed twice (first on line %d)", c->name,
                e->computers[i].loc.line);
            ok = false;
        }
    return read_throttle(r, fs[1].val, c) && ok;
}

/* ---- jobs -------------------------------------------------------------- */

static uint64_t hash(const char *s)
{
    return stg_hash_str(STG_HASH_BASIS, s);
}

/* The export's copy of s (each text held once), or NULL (out of
 * memory). */
static const char *intern(rd *r, const char *s)
{
    pool *p = &r->pool;
    stg_dpm_export *e = r->e;
    if ((size_t)e->nstrings * 2 >= p->size) {
        size_t size = p->size ? p->size * 2 : 256;
        int *slot = stg_calloc(size, sizeof *slot);
        if (!slot)
            return NULL;
        for (int i = 0; i < e->nstrings; i++) {
            size_t k = hash(e->strings[i]) & (size - 1);
            while (slot[k])
                k = (k + 1) & (size - 1);
            slot[k] = i + 1;
        }
        stg_free(p->slot);
        p->slot = slot;
        p->size = size;
    }
    size_t k = hash(s) & (p->size - 1);
    while (p->slot[k]) {
        if (!strcmp(e->strings[p->slot[k] - 1], s))
            return e->strings[p->slot[k] - 1];
        k = (k + 1) & (p->size - 1);
    }
    char *c = stg_strdup(s);
    if (!c || stg_grow((void **)&e->strings, &p->cap_strings,
                       (size_t)e->nstrings + 1, sizeof *e->strings)) {
        stg_free(c);
        return NULL;
    }
    e->strings[e->nstrings] = c;
    p->slot[k] = ++e->nstrings;
    return c;
}

/* A job's text (null allowed when may_be_null: *out NULL). */
static bool job_text(rd *r, const stg_ynode *n, const char *what,
                     bool may_be_null, const char **out)
{
    *out = NULL;
    if (may_be_null && is_null(n))
        return true;
    const char *s = text_of(r, n, what);
    if (!s)
        return false;
    if (!*s) {
        ERR(r, n, may_be_null ? "write null for none" : "DPM names "
            "everything: collect the export again", "%s is empty", what);
        return false;
    }
    if (n->len > MAX_NAME) {
        ERR(r, n, "a name is at most 1024 bytes", "%s is %zu bytes long",
            what, n->len);
        return false;
    }
    return (*out = intern(r, s)) != NULL || oom(r);
}

static bool read_job(rd *r, const stg_ynode *n)
{
    field fs[] = {{"type", true, NULL}, {"group", true, NULL},
                  {"source", true, NULL}, {"computer", true, NULL},
                  {"start", true, NULL}, {"end", true, NULL},
                  {"status", true, NULL}, {"error_id", true, NULL},
                  {"bytes", true, NULL}};
    stg_dpm_export *e = r->e;
    stg_dpm_job j;
    memset(&j, 0, sizeof j);
    j.loc = loc_of(n);
    j.end = -1;
    if (e->njobs >= MAX_JOBS) {
        ERR(r, n, NULL, "more than %d jobs", MAX_JOBS);
        return false;
    }
    if (!fields(r, n, "a job", fs, 9))
        return false;
    bool ok = job_text(r, fs[0].val, "a job's type", false, &j.type);
    ok &= job_text(r, fs[1].val, "a job's group", true, &j.group);
    ok &= job_text(r, fs[2].val, "a job's source", true, &j.source);
    ok &= job_text(r, fs[3].val, "a job's computer", true, &j.computer);
    bool start_ok = datetime_of(r, fs[4].val, "start", &j.start);
    ok &= start_ok;
    if (!is_null(fs[5].val)) {
        if (!datetime_of(r, fs[5].val, "end", &j.end)) {
            ok = false;
        } else if (start_ok && j.end < j.start) {
            ERR(r, fs[5].val, "a job ends at or after its start", "end %s "
                "is before start %s", fs[5].val->text, fs[4].val->text);
            ok = false;
        }
    }
    ok &= job_text(r, fs[6].val, "a job's status", false, &j.status);
    if (!is_null(fs[7].val)) {
        long long id = 0;
        ok &= int_of(r, fs[7].val, "error_id", 0, INT32_MAX, &id);
        j.error_id = (int)id;
    }
    ok &= bytes_of(r, fs[8].val, "bytes", &j.bytes);
    if (!ok)
        return false;
    if (stg_grow((void **)&e->jobs, &r->cap_jobs, (size_t)e->njobs + 1,
                 sizeof *e->jobs))
        return oom(r);
    e->jobs[e->njobs++] = j;
    return true;
}

/* ---- the root ---------------------------------------------------------- */

static bool read_server(rd *r, const stg_ynode *n)
{
    field fs[] = {{"name", true, NULL}, {"version", true, NULL}};
    r->e->server_loc = loc_of(n);
    if (!fields(r, n, "server", fs, 2))
        return false;
    bool ok = name_of(r, fs[0].val, "the server's name", &r->e->server);
    return name_of(r, fs[1].val, "the server's version",
                   &r->e->server_version) && ok;
}

static bool too_many(rd *r)
{
    if (r->d->dropped >= STG_DIAG_STOP) {
        r->d->truncated = 1;    /* enough said: the rest is not read */
        return true;
    }
    return false;
}

static int root_key(void *arg, const stg_ynode *root, const stg_ynode *k)
{
    rd *r = arg;
    r->root_loc = loc_of(root);
    r->key = k->kind == STG_YSCALAR && k->style != STG_YPLAIN ? K_OTHER
                                                              : K_BAD;
    for (int i = 0; r->key == K_OTHER && i < NROOT; i++)
        if (k->kind == STG_YSCALAR && !strcmp(k->text, root_names[i]))
            r->key = i;
    return 1;
}

/* The version, read: anything but 1 ends the reading, and is all that is
 * said. */
static bool read_version(rd *r, const stg_ynode *v)
{
    bool whole;
    if (is_plain(v) && json_number(v->text, &whole) && whole &&
        !strcmp(v->text, "1")) {
        r->version_ok = true;
        r->e->version = 1;
        return true;
    }
    stg_diags_free(r->d);
    char q[64];
    if (is_plain(v) && json_number(v->text, &whole))
        ERR(r, v, "this stagger reads version 1; a newer stagger reads "
            "newer exports", "export format version %s is not read here",
            stg_shorten(q, sizeof q, v->text));
    else
        ERR(r, v, "write \"stagger_export\": 1", "stagger_export must be "
            "the number 1, not %s", kind_word(v));
    r->version_bad = true;
    return false;
}

static int root_value(void *arg, const stg_ynode *root, const stg_ynode *k,
                      const stg_ynode *v)
{
    rd *r = arg;
    stg_dpm_export *e = r->e;
    stg_unit_err ue;
    char q[64];
    (void)root;
    if (r->key == K_BAD) {
        ERR(r, k, "JSON's keys are strings, in double quotes", "a key of "
            "the export must be a string, not %s", kind_word(k));
        return !too_many(r);
    }
    if (r->key == K_OTHER) {
        char hint[256];
        stg_suggest(hint, sizeof hint, k->text, root_names, NROOT, "keys");
        ERR(r, k, hint, "unknown key \"%s\" at the top of an export",
            stg_shorten(q, sizeof q, k->text));
        return !too_many(r);
    }
    r->seen[r->key] = true;
    switch (r->key) {
    case K_VERSION:
        return read_version(r, v);
    case K_COLLECTED:
        e->collected_loc = loc_of(v);
        datetime_of(r, v, "collected", &e->collected);
        break;
    case K_UTC:
        e->utc_offset_loc = loc_of(v);
        if (text_of(r, v, "utc_offset") &&
            stg_parse_utc_offset(v->text, &e->utc_offset, &ue))
            ERR(r, v, ue.hint, "utc_offset \"%s\" %s",
                stg_shorten(q, sizeof q, v->text), ue.msg);
        break;
    case K_SERVER:
        read_server(r, v);
        break;
    default:                    /* a list: streamed when it is one */
        if (v->kind != STG_YSEQ && !(r->key == L_JOBS && is_null(v)))
            wrong(r, v, root_names[r->key], "a list", NULL);
        break;
    }
    return !r->d->oom && !too_many(r);
}

static int entry_done(void *arg, const char *list, const stg_ynode *n)
{
    rd *r = arg;
    if (!strcmp(list, "groups"))
        read_group(r, n);
    else if (!strcmp(list, "computers"))
        read_computer(r, n);
    else
        read_job(r, n);
    return !r->d->oom && !too_many(r);
}

/* The libyaml errors say "YAML": an export is JSON. */
static void merge(stg_diags *to, const stg_diags *from)
{
    for (size_t i = 0; i < from->count; i++) {
        const stg_diag *it = &from->items[i];
        const char *m = it->msg;
        bool yaml = !strncmp(m, "invalid YAML: ", 14);
        stg_diag_add(to, it->level, it->loc, it->hint, "%s%s",
                     yaml ? "invalid JSON: " : "", yaml ? m + 14 : m);
    }
    to->errors += from->dropped;
    to->dropped += from->dropped;
    to->truncated |= from->truncated;
    to->oom |= from->oom;
}

/* Reads the export in text, UTF-8 as decode() leaves it. */
static stg_dpm_export *read_utf8(const char *text, size_t len, stg_diags *d)
{
    stg_dpm_export *e = NULL;
    stg_ynode *root = NULL;
    const unsigned char *u = (const unsigned char *)text;
    stg_diags local;
    stg_diags_init(&local);
    local.limit = d->limit;
    rd r;
    memset(&r, 0, sizeof r);
    r.d = &local;
    if (len >= 4 && u[0] && !u[1] && u[2] && !u[3]) {
        stg_diag_error(&local, at(1, 1), "save it as UTF-8, or as "
                       "UTF-16 with its byte-order mark (what PowerShell's "
                       "Out-File writes)", "the file looks like UTF-16 "
                       "without a byte-order mark");
        goto out;
    }
    if (!(e = stg_calloc(1, sizeof *e))) {
        local.oom = 1;
        goto out;
    }
    r.e = e;
    const stg_ynode_stream how = {
        .texts = &export_texts, .lists = list_keys, .arg = &r,
        .key = root_key, .pair = root_value, .entry = entry_done,
    };
    root = stg_ynode_read_stream(text, len, 0, MAX_DEPTH, MAX_LIVE, &how,
                                 &local);
    if (!root || r.version_bad || local.oom)
        goto out;
    stg_loc top = loc_of(root);
    if (root->kind != STG_YMAP) {
        stg_diags_free(&local);
        stg_diag_error(&local, top, "an export is the JSON object stagger "
                       "collect's script writes, { \"stagger_export\": 1, "
                       "... }", "this is not a DPM export (not an object)");
        goto out;
    }
    if (!r.version_ok) {
        stg_diags_free(&local);
        stg_diag_error(&local, top, "an export is the JSON file stagger "
                       "collect's script writes, and starts "
                       "{ \"stagger_export\": 1", "this is not a DPM export "
                       "(no \"stagger_export\")");
        goto out;
    }
    for (int i = 0; i < NROOT; i++)
        if (!r.seen[i] && i != L_JOBS)
            stg_diag_error(&local, top, "add it (docs/import.md lists the "
                           "keys)", "the export has no \"%s\"",
                           root_names[i]);
out:
    stg_diags_sort(&local);
    merge(d, &local);
    if (e && (local.errors || local.oom)) {
        stg_dpm_export_free(e);
        e = NULL;
    }
    if (!e && !local.errors && !local.oom)
        stg_diag_error(d, nowhere, NULL, "the export could not be read");
    stg_free(r.pool.slot);
    stg_ynode_free(root);
    stg_diags_free(&local);
    return e;
}

static stg_dpm_export *too_big(stg_diags *d)
{
    stg_diag_error(d, nowhere, "an export is at most 1 GiB: collect a "
                   "shorter job history", "the file is larger than 1 GiB");
    return NULL;
}

stg_dpm_export *stg_dpm_read_buffer(const char *text, size_t len,
                                    stg_diags *d)
{
    const unsigned char *u = (const unsigned char *)text;
    if (len > (size_t)STG_DPM_MAX_BYTES)
        return too_big(d);
    if (!utf16_bom(u, len) && !utf8_bom(u, len) &&
        !has_surrogate_escape(text, len))
        return read_utf8(text, len, d);
    char *t = stg_malloc(len + 1);
    size_t n = len;
    if (!t) {
        d->oom = 1;
        return NULL;
    }
    memcpy(t, text, len);
    t[len] = '\0';
    stg_dpm_export *e = decode(&t, &n, d) ? NULL : read_utf8(t, n, d);
    stg_free(t);
    return e;
}

stg_dpm_export *stg_dpm_read_file(const char *path, char **text, size_t *len,
                                  stg_diags *d)
{
    *text = NULL;
    *len = 0;
    switch (stg_textfile_read(path, (size_t)STG_DPM_MAX_BYTES, text, len)) {
    case STG_TEXTFILE_OK:
        break;
    case STG_TEXTFILE_SYSTEM:
        stg_diag_error(d, nowhere, NULL, "cannot read: %s", strerror(errno));
        return NULL;
    case STG_TEXTFILE_TOO_BIG:
        return too_big(d);
    case STG_TEXTFILE_NO_MEMORY:
        d->oom = 1;
        return NULL;
    }
    if (decode(text, len, d)) {
        if (*text)
            *len = strlen(*text);
        return NULL;
    }
    return read_utf8(*text, *len, d);
}
