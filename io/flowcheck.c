/* stagger: flow nesting found before libyaml scans (see flowcheck.h). */
#include "flowcheck.h"

#include <stdbool.h>

/* Whether the document's first text is a flow collection (else the root
 * is a block collection, which is a level of its own). */
static bool flow_root(const char *text, size_t len)
{
    bool comment = false, bol = true;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (c == '\n') {
            comment = false;
            bol = true;
            continue;
        }
        if (comment || c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == '#' || (bol && (c == '%' ||
                                 (c == '-' && i + 2 < len && text[i + 1] == '-' &&
                                  text[i + 2] == '-')))) {
            comment = true;     /* a comment, a directive, --- */
            continue;
        }
        return c == '[' || c == '{';
    }
    return false;
}

stg_loc stg_flow_too_deep(const char *text, size_t len, int max)
{
    int line = 1, col = 0, depth = flow_root(text, len) ? 0 : 1;
    if (max < STG_FLOW_SCAN_MIN)
        max = STG_FLOW_SCAN_MIN;
    bool single = false, dbl = false, comment = false;
    char prev = '\n';           /* the last byte outside a quote */
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (((unsigned char)c & 0xc0) != 0x80)
            col++;              /* not a UTF-8 continuation byte */
        if (c == '\n') {
            line++;
            col = 0;
            comment = false;
            prev = '\n';
            continue;
        }
        if (comment)
            continue;
        if (dbl) {
            if (c == '\\' && i + 1 < len && text[i + 1] != '\n')
                i++, col++;
            else if (c == '"')
                dbl = false;
            continue;
        }
        if (single) {
            if (c == '\'' && i + 1 < len && text[i + 1] == '\'')
                i++, col++;
            else if (c == '\'')
                single = false;
            continue;
        }
        bool start = prev == '\n' || prev == ' ' || prev == '\t' ||
                     prev == '[' || prev == '{' || prev == ',' || prev == ':';
        if (c == '#' && (prev == '\n' || prev == ' ' || prev == '\t'))
            comment = true;
        else if (c == '"' && start)
            dbl = true;
        else if (c == '\'' && start)
            single = true;
        else if (c == '[' || c == '{') {
            if (++depth > max)
                return (stg_loc){ line, col };
        } else if ((c == ']' || c == '}') && depth > 0)
            depth--;
        prev = c;
    }
    return (stg_loc){ 0, 0 };
}
