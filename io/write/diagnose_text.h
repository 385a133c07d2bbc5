/* stagger: a diagnosis (model/diagnose.h) in words: the table `stagger
 * diagnose` prints, its JSON form, and what the common DPM error IDs
 * mean (docs/diagnose.md).
 *
 * Nothing here allocates or keeps what it is given. */
#ifndef STG_DIAGNOSE_TEXT_H
#define STG_DIAGNOSE_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "model/diagnose.h"
#include "model/dpmdata.h"
#include "model/fleet.h"

typedef struct {
    const char *fleet_path;
    const char *schedule_path;          /* NULL: today's settings */
    const char *const *hist_paths;      /* the histories' files */
    const stg_dpm_export *const *hist;  /* and what they hold */
    int nhist;
    bool list;                          /* also every failure placed */
} stg_diagnosis_doc;

/* The table: what was read, the failures placed and those that were
 * not, one row per link with failures and one per error ID. */
void stg_diagnosis_write_text(FILE *out, const stg_fleet *f,
                              const stg_diagnosis *d,
                              const stg_diagnosis_doc *doc);

/* The same as one JSON document, every failure placed listed. */
void stg_diagnosis_write_json(FILE *out, const stg_fleet *f,
                              const stg_diagnosis *d,
                              const stg_diagnosis_doc *doc);

/* What DPM error ID id says, in short, for the IDs Microsoft KB 971411
 * names; NULL for the others. */
const char *stg_dpm_error_meaning(int id);

/* "saturation explains these", "saturation does not explain these",
 * "too few to tell"; and the JSON words "explains", "does_not",
 * "too_few". */
const char *stg_verdict_text(stg_verdict v);
const char *stg_verdict_word(stg_verdict v);

#endif
