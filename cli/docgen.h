/* stagger: manual pages and shell completion, generated from the command
 * table (cli/main.c), so the pages, the completion and `--help` cannot
 * disagree.
 *
 * The options come from the table's rows (args.h): their names, the
 * kind of value (a FILE or DIR is completed as a file name, a CHOICE by
 * its words) and their help; the command's help text is prose.
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
