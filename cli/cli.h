/* stagger: the command-line program.  Each subcommand is one entry of
 * the table in main.c (name, usage, summary, run function) and lives in
 * its own cmd_*.c; common.c holds what they share. */
#ifndef STG_CLI_H
#define STG_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "model/fleet.h"
#include "model/schedule.h"

/* Exit status (commands.md). */
enum {
    STG_EXIT_OK = 0,            /* done, every rule holds */
    STG_EXIT_RULES = 1,         /* done, but a rule is broken */
    STG_EXIT_INPUT = 2,         /* the input or the command line is wrong */
    STG_EXIT_INTERNAL = 3       /* out of memory, solver failure */
};

typedef struct {
    const char *name;
    const char *usage;          /* after "stagger NAME " */
    const char *summary;        /* one line */
    const char *help;           /* options and details, for --help */
    int (*run)(int argc, char **argv);
} stg_cmd;

int stg_cmd_validate(int argc, char **argv);
int stg_cmd_plan(int argc, char **argv);
int stg_cmd_check(int argc, char **argv);
int stg_cmd_capacity(int argc, char **argv);
int stg_cmd_export(int argc, char **argv);
int stg_cmd_whatif(int argc, char **argv);

/* Prints "stagger NAME: message" to stderr (printf format). */
void stg_cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Prints a command's --help from its table entry. */
void stg_cli_help(FILE *out, const char *name);

/* Handles -h/--help and rejects unknown options; parses the options of a
 * command with getopt_long.  See common.c. */
int stg_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads and checks a fleet; prints every diagnostic (file:line:col, the
 * line, a caret).  Returns the fleet, or NULL when it has errors (*status
 * is then STG_EXIT_INPUT, or STG_EXIT_INTERNAL when out of memory).
 * *sha256 receives the file's digest (65 bytes) when not NULL. */
stg_fleet *stg_cli_load_fleet(const char *path, char *sha256, int *status);

/* A duration option ("30s", "2m", "90" seconds). */
int stg_cli_parse_seconds(const char *s, double *seconds);

/* A whole number from 0 to max.  Returns 0, or -1 when s is not one. */
int stg_cli_parse_count(const char *s, long max, long *v);

/* The planner options every planning command shares: --time-limit and
 * --seed.  Each returns 0, or prints the usage error for command cmd and
 * returns STG_EXIT_INPUT. */
int stg_cli_time_limit(const char *cmd, const char *arg, double *seconds);
int stg_cli_seed(const char *cmd, const char *arg, uint64_t *seed);

/* Ctrl-C and SIGTERM during planning: stg_cli_catch_stop() makes them
 * set the flag it returns (for stg_plan_opts.stop), a second one ending
 * the program; stg_cli_ignore_stop(), once the search is over, makes
 * them wait until the result is written whole. */
volatile sig_atomic_t *stg_cli_catch_stop(void);
void stg_cli_ignore_stop(void);

/* Checks, before any long work, that output ("-": standard output) can
 * be written.  Returns 0, or prints why and returns STG_EXIT_INPUT. */
int stg_cli_check_output(const char *cmd, const char *output);

/* Per-link table and violations of a scored schedule. */
void stg_cli_print_links(FILE *out, const stg_fleet *f, const stg_schedule *sc);
void stg_cli_print_violations(FILE *out, const stg_fleet *f,
                              const stg_schedule *sc);
/* "worst-link headroom 23.4% on branch1-wan at 20:05 (required 15.0%, ...)" */
void stg_cli_print_summary(FILE *out, const stg_fleet *f,
                           const stg_schedule *sc);

#endif
