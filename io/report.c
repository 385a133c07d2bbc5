/* stagger: diagnostics printed with the offending line quoted. */
#include "report.h"

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

static void quote(FILE *out, const char *text, size_t len, stg_loc loc)
{
    size_t n;
    const char *s = find_line(text, len, loc.line, &n);
    if (!s)
        return;
    int width = 5;
    for (int l = loc.line; l >= 100000; l /= 10)
        width++;
    fprintf(out, "%*d | %.*s\n", width, loc.line, (int)n, s);
    if (loc.col < 1)
        return;
    fprintf(out, "%*s | ", width, "");
    /* one pad character per character (not byte) before the column; a
     * tab stays a tab so the caret lines up under it */
    int col = 1;
    for (size_t i = 0; i < n && col < loc.col; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xc0) == 0x80)
            continue;           /* UTF-8 continuation byte */
        fputc(ch == '\t' ? '\t' : ' ', out);
        col++;
    }
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
    if (d->dropped)
        fprintf(out, "... and %zu more error%s\n", d->dropped,
                d->dropped == 1 ? "" : "s");
}
