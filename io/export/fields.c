/* stagger: text in CSV and JSON fields (see fields.h). */
#include "io/export/fields.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/export/export_common.h"

/* A plain decimal number: what a spreadsheet reads as one, not as a
 * formula. */
static bool number(const char *s)
{
    char *end;
    if (!*s || strpbrk(s, "xXnNiI"))    /* hexadecimal, nan, inf */
        return false;
    double v = strtod(s, &end);
    return !*end && isfinite(v);
}

void stg_csv_write_field(FILE *out, const char *s)
{
    size_t len = strlen(s);
    bool formula = strchr("=+-@\t\r", s[0]) && s[0] && !number(s);
    if (!formula && !strpbrk(s, ",\"\r\n") &&
        !(len && (s[0] == ' ' || s[len - 1] == ' '))) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    if (formula)
        fputc('\'', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

void stg_json_write_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned long c;
        int n = stg_utf8_decode(p, &c);
        if (n == 0) {
            fprintf(out, "\\u%04X", (unsigned)*p);
            p++;
            continue;
        }
        switch (c) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (c < 0x20 || c == 0x2028 || c == 0x2029)
                fprintf(out, "\\u%04lX", c);
            else
                fwrite(p, 1, (size_t)n, out);
        }
        p += n;
    }
    fputc('"', out);
}

