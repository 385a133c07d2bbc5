/* stagger: libyaml's parser errors as located diagnostics, worded the
 * same for every reader (the fleet file, the scenarios file):
 *
 *   fleet.yaml:3:1: the file is not valid text: invalid leading UTF-8
 *   octet (#FF)                      (hint: save the file as UTF-8 text)
 *   fleet.yaml:7:3: invalid YAML: found character that cannot start any
 *   token (while scanning for the next token at line 7)
 *                                    (hint on a tab: indent with spaces)
 *
 * pp is the pass that gave the parser its text (flowcheck.h): its text
 * locates a reader error's byte offset and shows whether a tab is at
 * fault.  When the pass stopped the text at a bracket nested too deep,
 * the parser's error is only the end it met there, and the reader's own
 * nesting limit (below the pass's) has already said what is wrong:
 * nothing more is added.  Nothing here allocates beyond the diagnostic
 * itself. */
#ifndef STG_YAML_DIAG_H
#define STG_YAML_DIAG_H

#include <stddef.h>
#include <yaml.h>

#include "io/read/flowcheck.h"
#include "model/diag.h"

/* Adds the parser's error to d.  Returns 1 when it was libyaml running
 * out of memory (nothing is added: the caller reports that its own way),
 * else 0. */
int stg_yaml_error(const yaml_parser_t *p, const stg_prepass *pp,
                   stg_diags *d);

#endif
