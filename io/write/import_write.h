/* stagger: the fleet file `stagger import` writes (fleet.md, version 1),
 * with comments.
 *
 * A header names the exports (server, version, when collected) and the
 * sites file; each entry's note (model/import.h) is written as comment
 * lines above it, those that start "check:" marking a value the exports
 * do not give.  Sizes and rates are written so that they read back
 * exactly (2199023255552 bytes is "2TiB", 10240 Kbps "10.24Mbps"); the
 * links are the sites file's.  Names are quoted where YAML needs it.
 *
 * Nothing is allocated that outlives the call; returns 0, or -1 when
 * writing to out failed (ferror) or memory ran out. */
#ifndef STG_IMPORT_WRITE_H
#define STG_IMPORT_WRITE_H

#include <stdio.h>

#include "model/dpmdata.h"
#include "model/import.h"
#include "model/sites.h"

int stg_import_write(FILE *out, const stg_import *im,
                     const stg_dpm_export *const *exports,
                     const char *const *names, int nexports,
                     const stg_sites *sites, const char *sites_name);

#endif
