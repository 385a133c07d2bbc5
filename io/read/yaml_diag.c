/* stagger: libyaml's parser errors as diagnostics (see yaml_diag.h). */
#include "io/read/yaml_diag.h"

/* Line and column (characters) of a byte offset in the text. */
static stg_loc offset_loc(const char *text, size_t len, size_t offset)
{
    stg_loc l = {1, 1, 0};
    for (size_t i = 0; i < offset && i < len; i++) {
        if (text[i] == '\n') {
            l.line++;
            l.col = 1;
        } else if (((unsigned char)text[i] & 0xc0) != 0x80) {
            l.col++;
        }
    }
    return l;
}

/* The character at a line and column of the text (0 when out of it). */
static char char_at(const char *text, size_t len, stg_loc loc)
{
    size_t i = 0;
    for (int l = 1; l < loc.line && i < len; i++)
        if (text[i] == '\n')
            l++;
    for (int c = 1; i < len && text[i] != '\n'; i++) {
        if (((unsigned char)text[i] & 0xc0) == 0x80)
            continue;
        if (c++ == loc.col)
            return text[i];
    }
    return 0;
}

int stg_yaml_error(const yaml_parser_t *p, const stg_prepass *pp,
                   stg_diags *d)
{
    const char *problem = p->problem ? p->problem : "malformed input";
    const char *text = pp->text;
    size_t len = pp->len;
    if (p->error == YAML_MEMORY_ERROR)
        return 1;
    stg_loc at = p->error == YAML_READER_ERROR
        ? offset_loc(text, len, stg_prepass_offset(pp, p->problem_offset))
        : (stg_loc){(int)p->problem_mark.line + 1,
                    (int)p->problem_mark.column + 1, 0};
    stg_loc deep = stg_prepass_too_deep(pp);
    if (deep.line > 0 && (at.line > deep.line ||
                          (at.line == deep.line && at.col >= deep.col))) {
        /* the end of what libyaml was given */
        if (!d->errors)         /* the reader's own limit said it first */
            stg_diag_error(d, deep, NULL, "nesting deeper than %d levels",
                           STG_FLOW_SCAN_MIN);
        return 0;
    }
    if (p->error == YAML_READER_ERROR) {
        stg_loc l = at;
        if (p->problem_value != -1)
            stg_diag_error(d, l, "save the file as UTF-8 text",
                           "the file is not valid text: %s (#%X)", problem,
                           (unsigned)p->problem_value);
        else
            stg_diag_error(d, l, "save the file as UTF-8 text",
                           "the file is not valid text: %s", problem);
        return 0;
    }
    stg_loc l = {(int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1, 0};
    const char *hint = char_at(text, len, l) == '\t' ?
        "YAML indents with spaces, not tabs" : NULL;
    if (p->context)
        stg_diag_error(d, l, hint, "invalid YAML: %s (%s at line %d)", problem,
                       p->context, (int)p->context_mark.line + 1);
    else
        stg_diag_error(d, l, hint, "invalid YAML: %s", problem);
    return 0;
}
