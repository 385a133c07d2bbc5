/* stagger: manual pages and bash completion from the command table. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "docgen.h"

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

/* The exit statuses (commands.md); exit1: the command's own meaning of
 * status 1, or NULL. */
static void man_exit_status(FILE *out, const char *exit1)
{
    fputs(".SH EXIT STATUS\n"
          ".TP\n.B 0\ndone, every rule holds\n.TP\n.B 1\n", out);
    if (exit1) {
        roff_str(out, exit1);
        fputc('\n', out);
    } else {
        fputs("done, but the headroom limit or another rule is broken\n", out);
    }
    fputs(".TP\n.B 2\nthe input or the command line is wrong: nothing was "
          "written, and the message says file:line:column and what to "
          "change\n"
          ".TP\n.B 3\nan internal failure (out of memory, solver error): "
          "nothing partial was written\n", out);
}

/* The usage line of a command, as roff text. */
static void man_usage(FILE *out, const stg_cmd *cmd)
{
    char buf[1024];
    FILE *m = fmemopen(buf, sizeof buf, "w");
    if (!m)
        return;
    stg_args_usage(m, cmd);
    fputc('\0', m);
    fclose(m);
    buf[sizeof buf - 1] = '\0';
    roff_str(out, buf);
}

/* Text of several lines, each roffed, as one paragraph. */
static void man_lines(FILE *out, const char *s)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        size_t lead = 0;
        while (lead < len && s[lead] == ' ')
            lead++;
        if (len > lead) {
            roff(out, s + lead, len - lead);
            fputc('\n', out);
        }
        s += len + (nl != NULL);
    }
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
    man_usage(out, cmd);
    fputs("\n.SH DESCRIPTION\n", out);
    roff_str(out, cmd->summary);
    fputs(".\n", out);

    /* the prose: paragraphs separated by empty lines */
    const char *p = cmd->help;
    int para_open = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len == 0) {
            para_open = 0;
        } else {
            if (!para_open)
                fputs(".PP\n", out);
            para_open = 1;
            size_t lead = 0;
            while (lead < len && p[lead] == ' ')
                lead++;
            roff(out, p + lead, len - lead);
            fputc('\n', out);
        }
        p += len + (nl != NULL);
    }

    fputs(".SH OPTIONS\n", out);
    for (const stg_opt *o = cmd->opts; o->name; o++) {
        fputs(".TP\n", out);
        if (o->letter)
            fprintf(out, "\\fB\\-%c\\fR, ", o->letter);
        fputs("\\fB\\-\\-", out);
        roff_str(out, o->name);
        fputs("\\fR", out);
        if (o->kind != STG_OPT_FLAG) {
            fputs(" \\fI", out);
            roff_str(out, o->value);
            fputs("\\fR", out);
        }
        fputc('\n', out);
        man_lines(out, o->help);
    }
    fputs(".TP\n.B \\-h, \\-\\-help\nprint the usage and these options\n",
          out);
    man_exit_status(out, cmd->exit1);
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
        man_usage(out, &cmds[i]);
        fputc('\n', out);
        roff_str(out, cmds[i].summary);
        fputs(" (see\n.BR stagger\\-", out);
        roff_str(out, cmds[i].name);
        fputs(" (1))\n", out);
    }
    man_exit_status(out, NULL);
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
        fprintf(out, "    %s)\n        case \"$prev\" in\n", cmds[i].name);
        for (const stg_opt *o = cmds[i].opts; o->name; o++) {
            if (o->kind == STG_OPT_FLAG)
                continue;
            fputs("        ", out);
            if (o->letter)
                fprintf(out, "-%c|", o->letter);
            fprintf(out, "--%s", o->name);
            if (o->kind == STG_OPT_CHOICE) {
                fputs(")\n            COMPREPLY=($(compgen -W \"", out);
                for (const char *c = o->value; *c; c++)
                    fputc(*c == '|' ? ' ' : *c, out);
                fputs("\" -- \"$cur\"))\n            return 0 ;;\n", out);
            } else if (o->kind == STG_OPT_FILE || o->kind == STG_OPT_DIR) {
                fprintf(out, ")\n            COMPREPLY=($(compgen -%c -- "
                             "\"$cur\"))\n            return 0 ;;\n",
                        o->kind == STG_OPT_DIR ? 'd' : 'f');
            } else {
                fputs(")\n            return 0 ;;\n", out);
            }
        }
        fputs("        esac\n"
              "        if [[ \"$cur\" == -* ]]; then\n"
              "            COMPREPLY=($(compgen -W \"", out);
        for (const stg_opt *o = cmds[i].opts; o->name; o++) {
            if (o->letter)
                fprintf(out, "-%c ", o->letter);
            fprintf(out, "--%s ", o->name);
        }
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
