/* ps-parse: parses PowerShell scripts with tree-sitter's PowerShell
 * grammar (a real parser of the language) and prints what tests/collect.sh
 * checks, one fact a line:
 *
 *   error FILE:LINE:COL: what      an ERROR or MISSING node (the script
 *                                  does not parse)
 *   command LINE NAME [PARAM...]   a command and every -Parameter given
 *                                  to it (without the dash)
 *   dynamic LINE TEXT              a command whose name is not written
 *                                  out (& $x, . $x, $x.Method ...): no
 *                                  check can say what it runs
 *   function NAME [PARAM...]       a function the script defines, and the
 *                                  names of its param() block
 *   static LINE TYPE::MEMBER       a static member of a .NET type used
 *
 *   usage: ps-parse [--tree] FILE...
 *
 * --tree prints the syntax tree too (to write a check).  Exit status 0
 * when every file parses, 1 when one has a syntax error, 2 when a file
 * cannot be read.
 *
 * Built by tests/collect.sh, not by meson: the grammar and tree-sitter's
 * runtime are fetched by scripts/powershell-grammar and are not part of
 * the repository.  A test tool: it allocates with the C library and
 * frees all before it exits. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_powershell(void);

typedef struct {
    const char *path;
    const char *text;
    int errors;
} script;

/* The text of n, at most max bytes, with line breaks as spaces. */
static void print_text(const script *s, TSNode n, size_t max)
{
    uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
    for (uint32_t i = a; i < b && i - a < max; i++) {
        char c = s->text[i];
        putchar(c == '\n' || c == '\r' || c == '\t' ? ' ' : c);
    }
}

static bool is(TSNode n, const char *type)
{
    return !strcmp(ts_node_type(n), type);
}

/* The first descendant of n (n itself included) of the given type,
 * depth first; a null node when none. */
static TSNode find(TSNode n, const char *type)
{
    if (is(n, type))
        return n;
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i < k; i++) {
        TSNode f = find(ts_node_child(n, i), type);
        if (!ts_node_is_null(f))
            return f;
    }
    return (TSNode){ 0 };
}

/* A parameter's name: "-Name" or "-Name:" without the dash and colon. */
static void print_parameter(const script *s, TSNode p)
{
    uint32_t a = ts_node_start_byte(p), b = ts_node_end_byte(p);
    if (a < b && s->text[a] == '-')
        a++;
    putchar(' ');
    for (uint32_t i = a; i < b && s->text[i] != ':'; i++)
        putchar(s->text[i]);
}

static void command(const script *s, TSNode n)
{
    TSNode name = ts_node_child_by_field_name(n, "command_name", 12);
    unsigned line = ts_node_start_point(n).row + 1;
    /* a name written out: a command_name with no variable or
     * sub-expression in it, and no & or . before it */
    bool plain = !ts_node_is_null(name) && is(name, "command_name") &&
                 ts_node_named_child_count(name) == 0;
    for (uint32_t i = 0; i < ts_node_child_count(n); i++)
        if (is(ts_node_child(n, i), "command_invokation_operator"))
            plain = false;
    if (!plain) {
        printf("dynamic %u ", line);
        print_text(s, n, 60);
        putchar('\n');
        return;
    }
    printf("command %u ", line);
    print_text(s, name, 200);
    TSNode el = ts_node_child_by_field_name(n, "command_elements", 16);
    if (!ts_node_is_null(el))
        for (uint32_t i = 0; i < ts_node_named_child_count(el); i++) {
            TSNode c = ts_node_named_child(el, i);
            if (is(c, "command_parameter"))
                print_parameter(s, c);
        }
    putchar('\n');
}

static void function(const script *s, TSNode n)
{
    TSNode name = find(n, "function_name");
    printf("function ");
    if (!ts_node_is_null(name))
        print_text(s, name, 200);
    TSNode pb = find(n, "param_block");
    TSNode pl = ts_node_is_null(pb) ? pb : find(pb, "parameter_list");
    for (uint32_t i = 0; !ts_node_is_null(pl) && i < ts_node_named_child_count(pl); i++) {
        TSNode p = ts_node_named_child(pl, i);
        if (!is(p, "script_parameter"))
            continue;
        for (uint32_t j = 0; j < ts_node_named_child_count(p); j++) {
            TSNode v = ts_node_named_child(p, j);
            if (is(v, "variable")) {
                uint32_t a = ts_node_start_byte(v) + 1;     /* after $ */
                printf(" %.*s", (int)(ts_node_end_byte(v) - a), s->text + a);
                break;
            }
        }
    }
    putchar('\n');
}

/* [Type]::Member: a type literal followed by the :: operator. */
static void static_member(const script *s, TSNode n)
{
    uint32_t k = ts_node_child_count(n);
    for (uint32_t i = 0; i + 2 < k + 1 && i + 1 < k; i++) {
        TSNode t = ts_node_child(n, i), op = ts_node_child(n, i + 1);
        if (!is(t, "type_literal") || strcmp(ts_node_type(op), "::"))
            continue;
        printf("static %u ", ts_node_start_point(t).row + 1);
        print_text(s, t, 200);
        printf("::");
        if (i + 2 < k)
            print_text(s, ts_node_child(n, i + 2), 200);
        putchar('\n');
    }
}

static void walk(script *s, TSNode n, int depth, bool tree)
{
    if (tree) {
        printf("%*s%s", depth * 2, "", ts_node_type(n));
        if (ts_node_child_count(n) == 0) {
            printf(" ");
            print_text(s, n, 60);
        }
        putchar('\n');
    }
    TSPoint p = ts_node_start_point(n);
    if (ts_node_is_missing(n)) {
        printf("error %s:%u:%u: missing %s\n", s->path, p.row + 1,
               p.column + 1, ts_node_type(n));
        s->errors++;
    } else if (ts_node_is_error(n)) {
        printf("error %s:%u:%u: syntax error at '", s->path, p.row + 1,
               p.column + 1);
        print_text(s, n, 60);
        printf("'\n");
        s->errors++;
    }
    if (is(n, "command"))
        command(s, n);
    else if (is(n, "function_statement"))
        function(s, n);
    else if (is(n, "member_access") || is(n, "invokation_expression"))
        static_member(s, n);
    for (uint32_t i = 0; i < ts_node_child_count(n); i++)
        walk(s, ts_node_child(n, i), depth + 1, tree);
}

/* The whole file; NULL when it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    if (!fp)
        return NULL;
    do {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 65536;
            char *b = realloc(buf, cap);
            if (!b) {
                free(buf);
                buf = NULL;
                goto out;
            }
            buf = b;
        }
        got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
    } while (got > 0);
    if (ferror(fp)) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[n] = '\0';
    *len = n;
out:
    fclose(fp);
    return buf;
}

int main(int argc, char **argv)
{
    int status = 0, first = 1;
    bool tree = false;
    if (argc > 1 && !strcmp(argv[1], "--tree")) {
        tree = true;
        first = 2;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: ps-parse [--tree] FILE...\n");
        return 2;
    }
    TSParser *parser = ts_parser_new();
    if (!parser || !ts_parser_set_language(parser, tree_sitter_powershell())) {
        fprintf(stderr, "ps-parse: the grammar does not load (ABI %u)\n",
                ts_language_abi_version(tree_sitter_powershell()));
        if (parser)
            ts_parser_delete(parser);
        return 2;
    }
    for (int i = first; i < argc; i++) {
        size_t len = 0;
        char *text = slurp(argv[i], &len);
        if (!text) {
            fprintf(stderr, "ps-parse: cannot read %s\n", argv[i]);
            status = 2;
            continue;
        }
        /* a UTF-8 byte-order mark is not PowerShell */
        size_t skip = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
        script s = { argv[i], text + skip, 0 };
        TSTree *t = ts_parser_parse_string(parser, NULL, s.text,
                                           (uint32_t)(len - skip));
        if (!t) {
            fprintf(stderr, "ps-parse: %s: the parser gave up\n", argv[i]);
            status = 2;
        } else {
            walk(&s, ts_tree_root_node(t), 0, tree);
            ts_tree_delete(t);
            if (s.errors && status == 0)
                status = 1;
        }
        free(text);
    }
    ts_parser_delete(parser);
    return status;
}
