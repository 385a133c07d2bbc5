/* stagger: the schedule's transfers as a CSV table (`stagger export
 * --to csv`, docs/export.md).
 *
 * One row per transfer of the simulated cycle (in->plan, so the fleet is
 * required), numbered like the schedule file's transfers list; a transfer
 * during which its computer's throttle changes (work hours) is written as
 * consecutive rows with the same job number, one per constant rate, so
 * that for every link and slot the link's background plus the rates of
 * the rows covering the slot (one per busy computer on the link) is the
 * simulated load.  Columns:
 *
 *   job, group, computer, kind, release, start, end, rate, volume, links,
 *   start_min, end_min, rate_bps, volume_bytes
 *
 * Times as in the schedule file ("20:05", "mon 20:05"); start_min and
 * end_min are minutes after the cycle start, unwrapped (end_min may pass
 * the cycle's length); rate and volume as in the schedule file, rate_bps
 * and volume_bytes as plain numbers (volume: the bytes moved in the
 * row's part; the rows of a job add up to its volume); links: the
 * computer's full path, names joined by ';'.
 *
 * RFC 4180: a header row, CRLF line ends, a field holding a comma, a
 * double quote, CR or LF is double quoted with its quotes doubled.  A
 * text field starting with = + - @, a tab or CR is written quoted with
 * an apostrophe first ("'=x"), so that spreadsheets do not run it as a
 * formula.  Names are written byte for byte otherwise (UTF-8).
 *
 * Allocates only while writing; nothing to free but *cause. */
#ifndef STG_EXPORT_CSV_H
#define STG_EXPORT_CSV_H

#include <stdio.h>

#include "io/export/export.h"

int stg_export_csv(FILE *out, const stg_export_input *in, char **cause);

#endif
