/* stagger: the pass before libyaml (see flowcheck.h). */
#include "io/read/flowcheck.h"

#include <string.h>

void stg_prepass_init(stg_prepass *s, const char *text, size_t len,
                      bool cut_comments)
{
    memset(s, 0, sizeof *s);
    s->text = text;
    s->len = s->end = s->deep = len;
    s->skip_from = s->skip_to = (size_t)-1;
    s->bol = true;
    s->prev = '\n';
    bool utf16 = len >= 2 && (((unsigned char)text[0] == 0xfe &&
                               (unsigned char)text[1] == 0xff) ||
                              ((unsigned char)text[0] == 0xff &&
                               (unsigned char)text[1] == 0xfe));
    s->cut = cut_comments && !utf16;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

/* At the start of a line outside quotes: a comment line (cut when it
 * may be), the root's kind at the document's first text. */
static void line_start(stg_prepass *s)
{
    const char *t = s->text;
    size_t j = s->pos;
    while (j < s->len && blank(t[j]))
        j++;
    if (j == s->len || t[j] == '\n')
        return;
    bool marker = t[j] == '%' || (j + 2 < s->len && t[j] == '-' &&
                                  t[j + 1] == '-' && t[j + 2] == '-');
    if (t[j] == '#' || (!s->root_known && marker)) {
        const char *nl = memchr(t + j, '\n', s->len - j);
        size_t e = nl ? (size_t)(nl - t) : s->len;
        bool ascii = true;
        for (size_t k = j; k < e; k++)
            ascii &= !((unsigned char)t[k] & 0x80);
        if (t[j] == '#' && s->cut && !s->block && ascii && e > j + 1) {
            s->skip_from = j + 1;
            s->skip_to = e;
        }
        s->comment = true;      /* up to the line end, as it is */
        return;
    }
    if (!s->root_known) {       /* a flow root is a level of no block */
        s->root_known = true;
        s->depth = t[j] == '[' || t[j] == '{' ? 0 : 1;
    }
}

static const unsigned char special[256] = {
    ['\n'] = 1, ['#'] = 1, ['"'] = 1, ['\''] = 1, ['['] = 1, ['{'] = 1,
    [']'] = 1, ['}'] = 1, ['|'] = 1, ['>'] = 1, ['\\'] = 1,
};

/* Looks at special byte c at s->pos (outside a comment); false when it
 * is the bracket past the limit (not to be fed). */
static bool look(stg_prepass *s, char c)
{
    const char *t = s->text;
    size_t i = s->pos;
    if (c == '\n') {
        s->prev = '\n';
        s->escape = false;
        return true;
    }
    if (s->dbl) {               /* \x: x is text */
        if (s->escape)
            s->escape = false;
        else if (c == '\\')
            s->escape = true;
        else if (c == '"')
            s->dbl = false;
        return true;
    }
    if (s->single) {            /* '': a quote in the text */
        if (s->escape)
            s->escape = false;
        else if (c == '\'' && i + 1 < s->len && t[i + 1] == '\'')
            s->escape = true;
        else if (c == '\'')
            s->single = false;
        return true;
    }
    bool start = s->prev == '\n' || s->prev == ' ' || s->prev == '\t' ||
                 s->prev == '[' || s->prev == '{' || s->prev == ',' ||
                 s->prev == ':';
    if (c == '#' && (s->prev == '\n' || s->prev == ' ' || s->prev == '\t'))
        s->comment = true;
    else if (c == '"' && start)
        s->dbl = true;
    else if (c == '\'' && start)
        s->single = true;
    else if (c == '|' || c == '>')
        s->block = true;        /* perhaps a block scalar: cut no more */
    else if (c == '[' || c == '{') {
        if (!s->root_known) {
            s->root_known = true;
            s->depth = 0;
        }
        if (++s->depth > STG_FLOW_SCAN_MIN)
            return false;
    } else if ((c == ']' || c == '}') && s->depth > 0)
        s->depth--;
    s->prev = c;
    return true;
}

int stg_prepass_read(void *data, unsigned char *buffer, size_t size,
                     size_t *size_read)
{
    stg_prepass *s = data;
    const char *t = s->text;
    size_t n = 0;
    while (n < size && s->pos < s->end) {
        if (s->pos == s->skip_from) {
            s->pos = s->skip_to;
            s->skip_from = (size_t)-1;
            continue;
        }
        if (s->bol) {
            s->bol = false;
            if (!s->single && !s->dbl) {
                line_start(s);
                continue;
            }
        }
        if (s->comment) {       /* as it is, up to the line end */
            const char *nl = memchr(t + s->pos, '\n', s->end - s->pos);
            size_t e = nl ? (size_t)(nl - t) : s->end;
            if (s->skip_from < e)
                e = s->skip_from;
            size_t k = e - s->pos < size - n ? e - s->pos : size - n;
            memcpy(buffer + n, t + s->pos, k);
            n += k;
            s->pos += k;
            if (s->pos < s->end && t[s->pos] == '\n')
                s->comment = false;
            continue;
        }
        char c = t[s->pos];
        if (!special[(unsigned char)c]) {       /* a run of plain bytes */
            size_t k = 0, most = s->end - s->pos < size - n
                                 ? s->end - s->pos : size - n;
            while (k < most && !special[(unsigned char)t[s->pos + k]])
                k++;
            memcpy(buffer + n, t + s->pos, k);
            n += k;
            s->pos += k;
            if (!s->single && !s->dbl)
                s->prev = t[s->pos - 1];
            s->escape = false;  /* the escaped byte was the first */
            continue;
        }
        if (!s->comment && !look(s, c)) {
            s->deep = s->end = s->pos;  /* libyaml gets no more */
            break;
        }
        buffer[n++] = (unsigned char)c;
        s->pos++;
        if (c == '\n')
            s->bol = true;
    }
    s->fed += n;
    *size_read = n;
    return 1;
}

stg_loc stg_prepass_too_deep(const stg_prepass *s)
{
    stg_loc l = { 0, 0, 0 };
    if (s->deep == s->len)
        return l;
    l.line = l.col = 1;
    size_t bol = 0;
    for (const char *p = s->text;
         (p = memchr(p, '\n', s->deep - (size_t)(p - s->text))); p++) {
        l.line++;
        bol = (size_t)(p - s->text) + 1;
    }
    for (size_t i = bol; i < s->deep; i++)
        if (((unsigned char)s->text[i] & 0xc0) != 0x80)
            l.col++;            /* not a UTF-8 continuation byte */
    return l;
}

size_t stg_prepass_offset(const stg_prepass *s, size_t fed)
{
    stg_prepass r;              /* the same pass again, up to fed */
    stg_prepass_init(&r, s->text, s->len, s->cut);
    unsigned char scratch[4096];
    while (r.fed < fed && r.pos < r.end) {
        size_t want = fed - r.fed < sizeof scratch ? fed - r.fed
                                                   : sizeof scratch, got;
        stg_prepass_read(&r, scratch, want, &got);
        if (!got)
            break;
    }
    if (r.pos == r.skip_from)
        return r.skip_to;
    return r.pos;
}
