/* stagger: manual pages and shell completion, generated from the command
 * table (cli/main.c), so the pages, the completion and `--help` cannot
 * disagree.
 *
 * A command's help text is read this way: a line that starts with two
 * spaces and a dash is an option ("  -o, --output FILE   what it does"),
 * its description continuing on the following lines indented further;
 * any other line is prose.  In the usage line, an option argument written
 * as choices ("--to csv|ps1|ics") gives the completion its words.
 *
 * Nothing here allocates; everything is written to out. */
#ifndef STG_DOCGEN_H
#define STG_DOCGEN_H

#include <stddef.h>
#include <stdio.h>

#include "cli.h"

/* The page stagger-NAME(1) for one command, in man(7) roff. */
void stg_docgen_man(FILE *out, const stg_cmd *cmd);

/* The page stagger(1): every command, exit status, files. */
void stg_docgen_man_index(FILE *out, const stg_cmd *cmds, size_t n);

/* A bash completion script for every command and its options. */
void stg_docgen_bash(FILE *out, const stg_cmd *cmds, size_t n);

#endif
