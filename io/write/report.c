/* stagger: diagnostics printed with the offending line quoted. */
#include "io/write/report.h"

#include <string.h>

/* Finds line (1-based) in text; returns its start and sets *n to its
 * length without the line break, or NULL when the text is shorter. */
static const char *find_line(const char *text, size_t len, int line,
                             size_t *n)
{
    size_t pos = 0;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        if (!nl)
            return NULL;
        pos = (size_t)(nl - text) + 1;
    }
    if (pos > len || (pos == len && line > 1 && text[len - 1] == '\n'))
        return NULL;
    const char *start = text + pos;
    const char *nl = memchr(start, '\n', len - pos);
    size_t end = nl ? (size_t)(nl - start) : len - pos;
    if (end > 0 && start[end - 1] == '\r')
        end--;
    *n = end;
    return start;
}

/* A line longer than this (in bytes) is quoted around the column only:
 * QUOTE_BEFORE bytes before it and up to QUOTE_WIDTH in all, with "..."
 * where it is cut (docs/limits.md). */
#define QUOTE_WIDTH 160
#define QUOTE_BEFORE 60

/* The byte offset of character column col (1-based) in s (n bytes). */
static size_t col_offset(const char *s, size_t n, int col)
{
    size_t i = 0;
    for (int c = 1; i < n && c < col; c++) {
        i++;
        while (i < n && ((unsigned char)s[i] & 0xc0) == 0x80)
            i++;                /* UTF-8 continuation bytes */
    }
    return i;
}

/* Back to the start of the UTF-8 character at or before byte i. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xc0) == 0x80)
        i--;
    return i;
}

static void quote(FILE *out, const char *text, size_t len, stg_loc loc)
{
    size_t n;
    const char *s = find_line(text, len, loc.line, &n);
    if (!s)
        return;
    int width = 5;
    for (int l = loc.line; l >= 100000; l /= 10)
        width++;
    size_t at = loc.col > 0 ? col_offset(s, n, loc.col) : 0;
    size_t from = 0, to = n;
    if (n > QUOTE_WIDTH) {
        from = at > QUOTE_BEFORE ? char_start(s, at - QUOTE_BEFORE) : 0;
        to = from + QUOTE_WIDTH < n ? char_start(s, from + QUOTE_WIDTH) : n;
    }
    const char *cut_l = from > 0 ? "..." : "", *cut_r = to < n ? "..." : "";
    fprintf(out, "%*d | %s%.*s%s\n", width, loc.line, cut_l, (int)(to - from),
            s + from, cut_r);
    if (loc.col < 1)
        return;
    fprintf(out, "%*s | %s", width, "", from > 0 ? "   " : "");
    /* one pad character per character (not byte) before the column; a
     * tab stays a tab so the caret lines up under it */
    int col = 1;                /* the column of byte i */
    for (size_t i = 0; i < at && i < to; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xc0) == 0x80)
            continue;           /* UTF-8 continuation byte */
        if (i >= from)
            fputc(ch == '\t' ? '\t' : ' ', out);
        col++;
    }
    /* a column past the end of the line */
    if (to == n)
        for (; col < loc.col; col++)
            fputc(' ', out);
    fputs("^\n", out);
}

void stg_report_diags(FILE *out, const char *file, const char *text,
                      size_t len, const stg_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        const stg_diag *it = &d->items[i];
        if (it->loc.line > 0)
            fprintf(out, "%s:%d:%d: ", file, it->loc.line, it->loc.col);
        else
            fprintf(out, "%s: ", file);
        if (it->level == STG_DIAG_WARNING)
            fputs("warning: ", out);
        fputs(it->msg, out);
        if (it->hint)
            fprintf(out, "; %s", it->hint);
        fputc('\n', out);
        if (text && it->loc.line > 0)
            quote(out, text, len, it->loc);
    }
    if (d->truncated)
        fprintf(out, "... and at least %zu more errors; the rest of the file "
                "was not read\n", d->dropped);
    else if (d->dropped)
        fprintf(out, "... and %zu more error%s\n", d->dropped,
                d->dropped == 1 ? "" : "s");
}
