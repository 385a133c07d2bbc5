/* stagger: manual pages and bash completion from the command table. */
#include <ctype.h>
#include <string.h>

#include "docgen.h"

#define MAXOPT 32

typedef struct {
    char names[4][40];          /* "-o", "--output" */
    int nnames;
    char arg[80];               /* "FILE", "csv|json", or "" */
    const char *desc;           /* the rest of the first line */
    size_t desclen;
} opt;

/* The next line of s: [*line, *line + *len); returns the position after
 * it, or NULL at the end. */
static const char *next_line(const char *s, const char **line, size_t *len)
{
    if (!s || !*s)
        return NULL;
    const char *nl = strchr(s, '\n');
    *line = s;
    *len = nl ? (size_t)(nl - s) : strlen(s);
    return nl ? nl + 1 : s + *len;
}

static int is_option_line(const char *line, size_t len)
{
    return len > 3 && line[0] == ' ' && line[1] == ' ' && line[2] == '-';
}

/* Parses "  -o, --output FILE    text" into o. */
static void parse_option(const char *line, size_t len, opt *o)
{
    memset(o, 0, sizeof *o);
    size_t i = 2, end = 2;
    while (end < len && !(line[end] == ' ' && end + 1 < len &&
                          line[end + 1] == ' '))
        end++;
    while (i < end) {
        size_t j = i;
        while (j < end && line[j] != ' ' && line[j] != ',')
            j++;
        size_t n = j - i;
        if (n > 0 && line[i] == '-' && o->nnames < 4 &&
            n < sizeof o->names[0]) {
            memcpy(o->names[o->nnames], line + i, n);
            o->names[o->nnames++][n] = '\0';
        } else if (n > 0 && n < sizeof o->arg) {
            memcpy(o->arg, line + i, n);
            o->arg[n] = '\0';
        }
        i = j;
        while (i < end && (line[i] == ' ' || line[i] == ','))
            i++;
    }
    while (end < len && line[end] == ' ')
        end++;
    o->desc = line + end;
    o->desclen = len - end;
}

static int collect_options(const stg_cmd *cmd, opt *opts)
{
    int n = 0;
    const char *p = cmd->help, *line;
    size_t len;
    while ((p = next_line(p, &line, &len)) != NULL)
        if (is_option_line(line, len) && n < MAXOPT)
            parse_option(line, len, &opts[n++]);
    return n;
}

/* Choices written in the usage line for an option ("--to csv|ps1"). */
static void usage_choices(const stg_cmd *cmd, const char *name, char *out,
                          size_t outsz)
{
    out[0] = '\0';
    size_t nl = strlen(name);
    for (const char *u = strstr(cmd->usage, name); u;
         u = strstr(u + 1, name)) {
        if (u[nl] != ' ')
            continue;
        const char *a = u + nl + 1;
        size_t n = strcspn(a, " ]");
        if (memchr(a, '|', n) && n < outsz) {
            memcpy(out, a, n);
            out[n] = '\0';
        }
        return;
    }
}

/* roff text: backslashes escaped, a leading dot or quote protected,
 * dashes written as minus signs. */
static void roff(FILE *out, const char *s, size_t n)
{
    if (n > 0 && (s[0] == '.' || s[0] == '\''))
        fputs("\\&", out);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\')
            fputs("\\e", out);
        else if (s[i] == '-')
            fputs("\\-", out);
        else
            fputc(s[i], out);
    }
}

static void roff_str(FILE *out, const char *s)
{
    roff(out, s, strlen(s));
}

static void upper(FILE *out, const char *s)
{
    for (; *s; s++)
        fputc(toupper((unsigned char)*s), out);
}

static void man_header(FILE *out, const char *title)
{
    fputs(".TH ", out);
    upper(out, title);
    fprintf(out, " 1 \"\" \"stagger %s\" \"stagger manual\"\n", STG_VERSION);
}

static void man_exit_status(FILE *out)
{
    fputs(".SH EXIT STATUS\n"
          ".TP\n.B 0\ndone, every rule holds\n"
          ".TP\n.B 1\ndone, but the headroom limit or another rule is "
          "broken\n"
          ".TP\n.B 2\nthe input or the command line is wrong: nothing was "
          "written, and the message says file:line:column and what to "
          "change\n"
          ".TP\n.B 3\nan internal failure (out of memory, solver error): "
          "nothing partial was written\n", out);
}

void stg_docgen_man(FILE *out, const stg_cmd *cmd)
{
    char title[64];
    snprintf(title, sizeof title, "stagger-%s", cmd->name);
    man_header(out, title);
    fputs(".SH NAME\n", out);
    roff_str(out, title);
    fputs(" \\- ", out);
    roff_str(out, cmd->summary);
    fputs("\n.SH SYNOPSIS\n.B stagger ", out);
    roff_str(out, cmd->name);
    fputc('\n', out);
    roff_str(out, cmd->usage);
    fputs("\n.SH DESCRIPTION\n", out);
    roff_str(out, cmd->summary);
    fputs(".\n", out);

    /* Prose paragraphs (lines that are not options nor continuations). */
    const char *p = cmd->help, *line;
    size_t len;
    int in_option = 0, para_open = 0;
    while ((p = next_line(p, &line, &len)) != NULL) {
        if (is_option_line(line, len)) {
            in_option = 1;
            continue;
        }
        if (in_option && len > 4 && !strncmp(line, "    ", 4))
            continue;
        in_option = 0;
        if (len == 0) {
            para_open = 0;
            continue;
        }
        if (!para_open) {
            fputs(".PP\n", out);
            para_open = 1;
        }
        size_t lead = 0;
        while (lead < len && line[lead] == ' ')
            lead++;
        roff(out, line + lead, len - lead);
        fputc('\n', out);
    }

    opt opts[MAXOPT];
    int n = collect_options(cmd, opts);
    fputs(".SH OPTIONS\n", out);
    p = cmd->help;
    int k = -1;
    in_option = 0;
    while ((p = next_line(p, &line, &len)) != NULL) {
        if (is_option_line(line, len) && k + 1 < n) {
            opt *o = &opts[++k];
            in_option = 1;
            fputs(".TP\n", out);
            for (int j = 0; j < o->nnames; j++) {
                fputs(j ? ", \\fB" : "\\fB", out);
                roff_str(out, o->names[j]);
                fputs("\\fR", out);
            }
            if (o->arg[0]) {
                fputs(" \\fI", out);
                roff_str(out, o->arg);
                fputs("\\fR", out);
            }
            fputc('\n', out);
            roff(out, o->desc, o->desclen);
            fputc('\n', out);
        } else if (in_option && len > 4 && !strncmp(line, "    ", 4)) {
            size_t lead = 0;
            while (lead < len && line[lead] == ' ')
                lead++;
            roff(out, line + lead, len - lead);
            fputc('\n', out);
        } else {
            in_option = 0;
        }
    }
    fputs(".TP\n.B \\-h, \\-\\-help\nprint the usage and these options\n",
          out);
    man_exit_status(out);
    fputs(".SH SEE ALSO\n.BR stagger (1)\n", out);
}

void stg_docgen_man_index(FILE *out, const stg_cmd *cmds, size_t n)
{
    man_header(out, "stagger");
    fputs(".SH NAME\nstagger \\- plan DPM protection-group schedules that "
          "keep every network link's control-path headroom\n"
          ".SH SYNOPSIS\n.B stagger\n.I COMMAND\n[\\fIARGS\\fR]\n"
          ".br\n.B stagger \\-\\-version\n"
          ".SH DESCRIPTION\n"
          "stagger reads a fleet (links, DPM servers, protected computers, "
          "protection groups with their data sizes and change rates) from "
          "YAML and plans sync offsets, express-full times, "
          "consistency-check windows and throttles so that every link keeps "
          "its control-path headroom at every minute of the cycle.\n"
          ".SH COMMANDS\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs(".TP\n.B stagger ", out);
        roff_str(out, cmds[i].name);
        fputc(' ', out);
        roff_str(out, cmds[i].usage);
        fputc('\n', out);
        roff_str(out, cmds[i].summary);
        fputs(" (see\n.BR stagger\\-", out);
        roff_str(out, cmds[i].name);
        fputs(" (1))\n", out);
    }
    man_exit_status(out);
    fputs(".SH SEE ALSO\n", out);
    for (size_t i = 0; i < n; i++) {
        fputs(".BR stagger\\-", out);
        roff_str(out, cmds[i].name);
        fputs(i + 1 < n ? " (1),\n" : " (1)\n", out);
    }
}

void stg_docgen_bash(FILE *out, const stg_cmd *cmds, size_t n)
{
    fputs("# bash completion for stagger (generated by "
          "`stagger help --completion bash`)\n"
          "_stagger()\n{\n"
          "    local cur prev\n"
          "    cur=\"${COMP_WORDS[COMP_CWORD]}\"\n"
          "    prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
          "    COMPREPLY=()\n"
          "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
          "        COMPREPLY=($(compgen -W \"", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s ", cmds[i].name);
    fputs("help --help --version\" -- \"$cur\"))\n"
          "        return 0\n"
          "    fi\n"
          "    case \"${COMP_WORDS[1]}\" in\n", out);
    for (size_t i = 0; i < n; i++) {
        opt opts[MAXOPT];
        int k = collect_options(&cmds[i], opts);
        fprintf(out, "    %s)\n        case \"$prev\" in\n", cmds[i].name);
        for (int j = 0; j < k; j++) {
            if (!opts[j].arg[0])
                continue;
            char choices[80];
            if (strchr(opts[j].arg, '|'))
                snprintf(choices, sizeof choices, "%s", opts[j].arg);
            else
                usage_choices(&cmds[i], opts[j].names[opts[j].nnames - 1],
                              choices, sizeof choices);
            fputs("        ", out);
            for (int m = 0; m < opts[j].nnames; m++)
                fprintf(out, "%s%s", m ? "|" : "", opts[j].names[m]);
            if (choices[0]) {
                fputs(")\n            COMPREPLY=($(compgen -W \"", out);
                for (const char *c = choices; *c; c++)
                    fputc(*c == '|' ? ' ' : *c, out);
                fputs("\" -- \"$cur\"))\n            return 0 ;;\n", out);
            } else if (!strcmp(opts[j].arg, "FILE") ||
                       !strcmp(opts[j].arg, "DIR")) {
                fprintf(out, ")\n            COMPREPLY=($(compgen -%c -- "
                             "\"$cur\"))\n            return 0 ;;\n",
                        strcmp(opts[j].arg, "DIR") ? 'f' : 'd');
            } else {
                fputs(")\n            return 0 ;;\n", out);
            }
        }
        fputs("        esac\n"
              "        if [[ \"$cur\" == -* ]]; then\n"
              "            COMPREPLY=($(compgen -W \"", out);
        for (int j = 0; j < k; j++)
            for (int m = 0; m < opts[j].nnames; m++)
                fprintf(out, "%s ", opts[j].names[m]);
        fputs("--help\" -- \"$cur\"))\n"
              "        else\n"
              "            COMPREPLY=($(compgen -f -- \"$cur\"))\n"
              "        fi\n"
              "        ;;\n", out);
    }
    fputs("    help)\n"
          "        COMPREPLY=($(compgen -W \"", out);
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%s ", cmds[i].name);
    fputs("\" -- \"$cur\"))\n"
          "        ;;\n"
          "    esac\n"
          "    return 0\n"
          "}\n"
          "complete -o filenames -F _stagger stagger\n", out);
}
