/* stagger: the options of every subcommand, declared once in the command
 * table (cli/main.c), and the one parser that reads them (as tmux's
 * cmd_entry and args_parse do).
 *
 * Each option is a table row: short letter, long name, the kind of value
 * it takes and its help text.  stg_args_parse() reads argv against the
 * rows (GNU style: "--name value", "--name=value", "-o value", "-ovalue",
 * options and operands in any order, "--" ends the options), checks every
 * value by its kind (a duration, a seed, a count within its range, one of
 * the choices), and checks the number of operands; a command's run
 * function then reads the values already checked.  --help, the manual
 * pages and the bash completion are generated from the same rows
 * (stg_args_help(), cli/docgen.c), so they cannot disagree.
 *
 * Nothing here allocates: a stg_args points into argv and the table. */
#ifndef STG_ARGS_H
#define STG_ARGS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef enum {
    STG_OPT_FLAG,               /* no value */
    STG_OPT_TEXT,               /* any text (a name, a rate, ...) */
    STG_OPT_FILE,               /* a file name (completed as one) */
    STG_OPT_DIR,                /* a folder name */
    STG_OPT_DURATION,           /* 30s, 2m, or seconds */
    STG_OPT_COUNT,              /* a whole number from min to max */
    STG_OPT_SEED,               /* a whole number from 0 to 2^31-1 */
    STG_OPT_CHOICE              /* one of the words in value ("a|b|c") */
} stg_opt_kind;

typedef struct {
    char letter;                /* short form, or 0 */
    const char *name;           /* long form, without "--" */
    stg_opt_kind kind;
    const char *value;          /* the value in the help (FILE, TIME, N);
                                   CHOICE: the choices, "table|csv|json" */
    long min, max;              /* COUNT: the range */
    const char *help;           /* first line, then more lines after "\n" */
    bool required;              /* the command needs it */
    bool many;                  /* may be given more than once, each value
                                   kept (stg_args_list()) */
} stg_opt;

#define STG_MAX_OPTS 16
#define STG_MAX_OPERANDS 64      /* import: an export per DPM server */
#define STG_MAX_LIST 256        /* values of the options given many times */

struct stg_args;

typedef struct {
    const char *name;
    const char *operands;       /* "FLEET [SCHEDULE]" */
    int min_operands, max_operands;
    const char *operands_error; /* "expects one fleet file" */
    const char *summary;        /* one line */
    const stg_opt *opts;        /* ends with a row whose name is NULL */
    const char *help;           /* prose after the options, for --help */
    int (*run)(const struct stg_args *a);
    const char *exit1;          /* what exit status 1 means for it, in the
                                   man page; NULL: a broken rule */
} stg_cmd;

typedef struct stg_args {
    const stg_cmd *cmd;
    const char *value[STG_MAX_OPTS];    /* per row of cmd->opts: the last
                                           value given ("" for a flag), or
                                           NULL when not given */
    const char *list[STG_MAX_LIST];     /* every value of the rows that
                                           take many, in the order given */
    int list_row[STG_MAX_LIST];         /* the row of each */
    int nlist;
    const char *operand[STG_MAX_OPERANDS];
    int noperands;
    bool help;                  /* -h or --help was given */
} stg_args;

/* Reads argv[1..argc) (argv[0] is the command's name).  Returns 0, or
 * prints the usage error ("stagger CMD: ...", then how to get help) and
 * returns 2.  With --help, returns 0 with a->help set and nothing else
 * checked. */
int stg_args_parse(const stg_cmd *cmd, int argc, char **argv, stg_args *a);

/* Values given, by long name (the name must be a row of the command):
 * the text, or dflt when not given. */
const char *stg_args_text(const stg_args *a, const char *name,
                          const char *dflt);
bool stg_args_flag(const stg_args *a, const char *name);
double stg_args_duration(const stg_args *a, const char *name, double dflt);
long stg_args_count(const stg_args *a, const char *name, long dflt);
uint64_t stg_args_seed(const stg_args *a, const char *name, uint64_t dflt);
/* CHOICE: the index of the word given among the choices, or dflt. */
int stg_args_choice(const stg_args *a, const char *name, int dflt);
/* A row that takes many: how many values were given; out[0..max) the
 * first max of them, in the order given. */
int stg_args_list(const stg_args *a, const char *name, const char **out,
                  int max);

/* The usage line after "stagger NAME ": operands, then every option. */
void stg_args_usage(FILE *out, const stg_cmd *cmd);
/* --help: usage, summary, the options, the prose. */
void stg_args_help(FILE *out, const stg_cmd *cmd);
/* The forms of a row: "-o, --output" or "--seed". */
void stg_opt_names(const stg_opt *o, char *buf, size_t n);

/* A duration ("30s", "2m", or a number of seconds): 0 when it is one
 * above zero, 1 when it is zero or less, -1 when it is not a duration. */
int stg_parse_seconds(const char *s, double *seconds);

#endif
