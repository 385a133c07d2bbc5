/* stagger: the one option parser (see args.h). */
#include "args.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/read/units.h"

/* A whole number 0..max (digits only). */
static int count(const char *s, long max, long *v)
{
    stg_unit_err err;
    return stg_parse_count(s, max, v, &err);
}

int stg_parse_seconds(const char *s, double *seconds)
{
    char *end;
    double v = strtod(s, &end);
    if (end != s && *end == '\0' && isfinite(v)) {
        *seconds = v;
        return v > 0 ? 0 : 1;
    }
    stg_unit_err err;
    int secs;
    if (stg_parse_duration(s, &secs, &err))
        return -1;
    *seconds = secs;
    return secs > 0 ? 0 : 1;
}

#define SEED_MAX 0x7fffffffL

static int nopts(const stg_cmd *cmd)
{
    int n = 0;
    while (cmd->opts && cmd->opts[n].name)
        n++;
    return n;
}

static int usage_error(const stg_cmd *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int usage_error(const stg_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "stagger %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'stagger %s --help'.\n", cmd->name);
    return STG_EXIT_INPUT;
}

/* The choices of a CHOICE row as "a, b or c". */
static void choice_list(const char *choices, char *buf, size_t n)
{
    size_t k = 0;
    int words = 1;
    for (const char *c = choices; *c; c++)
        words += *c == '|';
    int w = 1;
    for (const char *c = choices; *c && k + 5 < n; c++) {
        if (*c != '|') {
            buf[k++] = *c;
            continue;
        }
        const char *sep = ++w == words ? " or " : ", ";
        size_t sl = strlen(sep);
        memcpy(buf + k, sep, sl);
        k += sl;
    }
    buf[k] = '\0';
}

/* The index of word among the choices, or -1. */
static int choice_index(const char *choices, const char *word)
{
    size_t wl = strlen(word);
    int i = 0;
    for (const char *c = choices; c; i++) {
        const char *bar = strchr(c, '|');
        size_t n = bar ? (size_t)(bar - c) : strlen(c);
        if (n == wl && wl > 0 && !strncmp(c, word, n))
            return i;
        c = bar ? bar + 1 : NULL;
    }
    return -1;
}

/* Checks value v of row o by its kind; prints the error and returns 2
 * when it is not one. */
static int check_value(const stg_cmd *cmd, const stg_opt *o, const char *v)
{
    double secs;
    long n;
    char list[160];
    switch (o->kind) {
    case STG_OPT_DURATION:
        switch (stg_parse_seconds(v, &secs)) {
        case 0:
            break;
        case 1:
            return usage_error(cmd, "--%s \"%s\" is not above zero; write e.g. "
                               "30s or 2m", o->name, v);
        default:
            return usage_error(cmd, "--%s \"%s\" is not a duration; write e.g. "
                               "30s or 2m", o->name, v);
        }
        break;
    case STG_OPT_SEED:
        if (count(v, SEED_MAX, &n))
            return usage_error(cmd, "--%s \"%s\" is not a whole number", o->name, v);
        break;
    case STG_OPT_COUNT:
        if (count(v, o->max, &n) || n < o->min)
            return usage_error(cmd, "--%s \"%s\" is not a number from %ld to %ld",
                               o->name, v, o->min, o->max);
        break;
    case STG_OPT_CHOICE:
        if (choice_index(o->value, v) < 0) {
            choice_list(o->value, list, sizeof list);
            return usage_error(cmd, "--%s \"%s\" is not one of %s", o->name, v, list);
        }
        break;
    default:
        break;
    }
    return 0;
}

/* The row of a long option "--name" or "--name=value" (*eq: the value
 * after '=', or NULL); -1 when there is none. */
static int find_long(const stg_cmd *cmd, const char *arg, const char **eq)
{
    const char *name = arg + 2;
    const char *e = strchr(name, '=');
    size_t len = e ? (size_t)(e - name) : strlen(name);
    *eq = e ? e + 1 : NULL;
    for (int i = 0; i < nopts(cmd); i++)
        if (strlen(cmd->opts[i].name) == len &&
            !strncmp(cmd->opts[i].name, name, len))
            return i;
    return -1;
}

static int find_short(const stg_cmd *cmd, char letter)
{
    for (int i = 0; i < nopts(cmd); i++)
        if (cmd->opts[i].letter && cmd->opts[i].letter == letter)
            return i;
    return -1;
}

/* One option at argv[*i]; advances *i past its value.  Returns 0 or 2. */
static int parse_option(const stg_cmd *cmd, int argc, char **argv, int *i,
                        stg_args *a)
{
    const char *arg = argv[*i], *v = NULL;
    int row;
    bool is_long = arg[1] == '-';
    if (is_long) {
        if (!strcmp(arg, "--help"))
            return a->help = true, 0;
        row = find_long(cmd, arg, &v);
    } else {
        if (!strcmp(arg, "-h"))
            return a->help = true, 0;
        row = find_short(cmd, arg[1]);
        if (row >= 0 && arg[2])
            v = arg + 2;
    }
    if (row < 0)
        return usage_error(cmd, "unknown option '%s'", arg);
    const stg_opt *o = &cmd->opts[row];
    if (o->kind == STG_OPT_FLAG) {
        if (v)
            return usage_error(cmd, "option '--%s' takes no value", o->name);
        a->value[row] = "";
        return 0;
    }
    if (!v) {
        if (*i + 1 >= argc)
            return usage_error(cmd, "option '%s' needs a value", arg);
        v = argv[++*i];
    }
    a->value[row] = v;
    if (o->many) {
        if (a->nlist == STG_MAX_LIST)
            return usage_error(cmd, "--%s is given more than %d times",
                               o->name, STG_MAX_LIST);
        a->list_row[a->nlist] = row;
        a->list[a->nlist++] = v;
    }
    return check_value(cmd, o, v);
}

int stg_args_parse(const stg_cmd *cmd, int argc, char **argv, stg_args *a)
{
    memset(a, 0, sizeof *a);
    a->cmd = cmd;
    bool options = true;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options && !strcmp(arg, "--")) {
            options = false;
            continue;
        }
        if (options && arg[0] == '-' && arg[1] != '\0') {
            if (parse_option(cmd, argc, argv, &i, a))
                return STG_EXIT_INPUT;
            if (a->help)
                return 0;
            continue;
        }
        if (a->noperands == STG_MAX_OPERANDS ||
            a->noperands == cmd->max_operands)
            return usage_error(cmd, "%s", cmd->operands_error);
        a->operand[a->noperands++] = arg;
    }
    if (a->noperands < cmd->min_operands)
        return usage_error(cmd, "%s", cmd->operands_error);
    for (int i = 0; i < nopts(cmd); i++)
        if (cmd->opts[i].required && !a->value[i])
            return usage_error(cmd, "needs --%s %s", cmd->opts[i].name,
                               cmd->opts[i].value);
    return 0;
}

static int row_of(const stg_args *a, const char *name)
{
    for (int i = 0; i < nopts(a->cmd); i++)
        if (!strcmp(a->cmd->opts[i].name, name))
            return i;
    return -1;
}

static const char *given(const stg_args *a, const char *name)
{
    int r = row_of(a, name);
    return r >= 0 ? a->value[r] : NULL;
}

const char *stg_args_text(const stg_args *a, const char *name,
                          const char *dflt)
{
    const char *v = given(a, name);
    return v ? v : dflt;
}

bool stg_args_flag(const stg_args *a, const char *name)
{
    return given(a, name) != NULL;
}

double stg_args_duration(const stg_args *a, const char *name, double dflt)
{
    const char *v = given(a, name);
    double s;
    return v && !stg_parse_seconds(v, &s) ? s : dflt;
}

long stg_args_count(const stg_args *a, const char *name, long dflt)
{
    const char *v = given(a, name);
    long n;
    return v && !count(v, 0x7fffffffL, &n) ? n : dflt;
}

uint64_t stg_args_seed(const stg_args *a, const char *name, uint64_t dflt)
{
    const char *v = given(a, name);
    long n;
    return v && !count(v, SEED_MAX, &n) ? (uint64_t)n : dflt;
}

int stg_args_choice(const stg_args *a, const char *name, int dflt)
{
    int r = row_of(a, name);
    if (r < 0 || !a->value[r])
        return dflt;
    int k = choice_index(a->cmd->opts[r].value, a->value[r]);
    return k >= 0 ? k : dflt;
}

int stg_args_list(const stg_args *a, const char *name, const char **out,
                  int max)
{
    int r = row_of(a, name), n = 0;
    for (int i = 0; i < a->nlist; i++)
        if (a->list_row[i] == r) {
            if (n < max)
                out[n] = a->list[i];
            n++;
        }
    return n;
}

void stg_opt_names(const stg_opt *o, char *buf, size_t n)
{
    if (o->letter)
        snprintf(buf, n, "-%c, --%s", o->letter, o->name);
    else
        snprintf(buf, n, "--%s", o->name);
}

void stg_args_usage(FILE *out, const stg_cmd *cmd)
{
    fputs(cmd->operands, out);
    for (int i = 0; i < nopts(cmd); i++) {
        const stg_opt *o = &cmd->opts[i];
        /* no space before the first option of a command without operands */
        const char *sep = i == 0 && !cmd->operands[0] ? "" : " ";
        fprintf(out, "%s%s", sep, o->required ? "" : "[");
        if (o->letter)
            fprintf(out, "-%c", o->letter);
        else
            fprintf(out, "--%s", o->name);
        if (o->kind != STG_OPT_FLAG)
            fprintf(out, " %s", o->value);
        if (!o->required)
            fputc(']', out);
        if (o->many)
            fputs("...", out);
    }
}

/* Width of the option column of --help. */
#define COLUMN 22

void stg_args_help(FILE *out, const stg_cmd *cmd)
{
    fprintf(out, "usage: stagger %s ", cmd->name);
    stg_args_usage(out, cmd);
    fprintf(out, "\n\n%s.\n\n", cmd->summary);
    for (int i = 0; i < nopts(cmd); i++) {
        const stg_opt *o = &cmd->opts[i];
        char names[64], head[96];
        stg_opt_names(o, names, sizeof names);
        snprintf(head, sizeof head, "%s%s%s", names,
                 o->kind == STG_OPT_FLAG ? "" : " ",
                 o->kind == STG_OPT_FLAG ? "" : o->value);
        fprintf(out, "  %-*s", COLUMN - 2, head);
        if ((int)strlen(head) > COLUMN - 3)
            fprintf(out, "\n  %-*s", COLUMN - 2, "");
        for (const char *h = o->help; *h;) {
            const char *nl = strchr(h, '\n');
            int len = nl ? (int)(nl - h) : (int)strlen(h);
            fprintf(out, " %.*s\n", len, h);
            h += len + (nl != NULL);
            if (*h)
                fprintf(out, "  %-*s", COLUMN - 2, "");
        }
    }
    fprintf(out, "  %-*s print this help\n", COLUMN - 2, "-h, --help");
    if (cmd->help[0])
        fprintf(out, "\n%s", cmd->help);
}
