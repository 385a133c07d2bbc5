/* stagger: the command-line program.  Each subcommand is one entry of
 * the table in main.c (name, operands, options, help, run function; see
 * args.h) and lives in its own cmd_*.c; common.c holds what they share. */
#ifndef STG_CLI_H
#define STG_CLI_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>

#include "args.h"
#include "io/read/schedule_read.h"
#include "model/dpmdata.h"
#include "model/fleet.h"
#include "model/schedule.h"
#include "solver/advise.h"

/* Exit status (commands.md). */
enum {
    STG_EXIT_OK = 0,            /* done, every rule holds */
    STG_EXIT_RULES = 1,         /* done, but a rule is broken */
    STG_EXIT_INPUT = 2,         /* the input or the command line is wrong */
    STG_EXIT_INTERNAL = 3       /* out of memory, solver failure */
};

/* Each runs with its arguments parsed and checked (args.h). */
int stg_cmd_validate(const stg_args *a);
int stg_cmd_plan(const stg_args *a);
int stg_cmd_check(const stg_args *a);
int stg_cmd_capacity(const stg_args *a);
int stg_cmd_export(const stg_args *a);
int stg_cmd_whatif(const stg_args *a);
int stg_cmd_advise(const stg_args *a);
int stg_cmd_collect(const stg_args *a);
int stg_cmd_import(const stg_args *a);
int stg_cmd_diagnose(const stg_args *a);

/* Prints "stagger NAME: message" to stderr (printf format). */
void stg_cli_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* A usage error found after parsing ("stagger CMD: ...", then how to
 * get help).  Returns STG_EXIT_INPUT. */
int stg_cli_usage_error(const char *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Reads and checks a fleet; prints every diagnostic (file:line:col, the
 * line, a caret).  Returns the fleet, or NULL when it has errors (*status
 * is then STG_EXIT_INPUT, or STG_EXIT_INTERNAL when out of memory).
 * *sha256 receives the file's digest (65 bytes) when not NULL. */
stg_fleet *stg_cli_load_fleet(const char *path, char *sha256, int *status);

/* The job histories (DPM exports, docs/import.md) at paths[0..n), each
 * reader's messages printed with its file's name (file:line:col, the
 * line, a caret); every file is read, so that all their errors show.
 * Returns n exports (free with stg_cli_free_histories()), or NULL with
 * *status set (STG_EXIT_INPUT, or STG_EXIT_INTERNAL when out of memory)
 * when one cannot be read. */
stg_dpm_export **stg_cli_load_histories(const char *cmd,
                                        const char *const *paths, int n,
                                        int *status);
void stg_cli_free_histories(stg_dpm_export **hist, int n);


/* Ctrl-C and SIGTERM during planning: stg_cli_catch_stop() makes the
 * first set the flag it returns (for stg_plan_opts.stop) and the later
 * ones be ignored, so that the best schedule so far is written whole
 * (the run ends within a second of the first: tests/stop.sh);
 * stg_cli_ignore_stop(), once the search is over, makes them wait until
 * the result is written whole too. */
volatile sig_atomic_t *stg_cli_catch_stop(void);
void stg_cli_ignore_stop(void);

/* Checks, before any long work, that output ("-": standard output) can
 * be written.  Returns 0, or prints why and returns STG_EXIT_INPUT. */
int stg_cli_check_output(const char *cmd, const char *output);

/* The settings of schedule file path for fleet f (its names matched),
 * the reader's messages printed; NULL with *status set (STG_EXIT_INPUT,
 * or STG_EXIT_INTERNAL when out of memory) when it cannot be read.
 * With doc not NULL, *doc receives the schedule document too (NULL on
 * failure; free with stg_schedule_doc_free()).  Free the settings with
 * stg_settings_free(). */
stg_settings *stg_cli_load_settings(const char *cmd, const char *path,
                                    const stg_fleet *f,
                                    stg_schedule_doc **doc,
                                    int *status);

/* The reasons of the max_links worst links below the limit in sc
 * (solver/advise.h, why only; io/write/advice.h prints them); NULL when every
 * link keeps it, the run was stopped, or out of memory (then *oom is set
 * when oom is not NULL).  Free with stg_advice_free(). */
stg_advice *stg_cli_why(const stg_fleet *f, const stg_schedule *sc,
                        int max_links, bool *oom);

/* Per-link table and violations of a scored schedule. */
void stg_cli_print_links(FILE *out, const stg_fleet *f, const stg_schedule *sc);
/* all: every period a link is below the limit, else the first four. */
void stg_cli_print_violations(FILE *out, const stg_fleet *f,
                              const stg_schedule *sc, bool all);
/* How the planner splits the fleet (solver/parts.h): how many parts, the
 * largest, what joins computers, the links and servers parts share. */
struct stg_parts_s;
void stg_cli_print_parts(FILE *out, const stg_fleet *f,
                         const struct stg_parts_s *pt);

/* "worst-link headroom 23.4% on branch1-wan at 20:05 (required 15.0%, ...)" */
void stg_cli_print_summary(FILE *out, const stg_fleet *f,
                           const stg_schedule *sc);

#endif
