/* stagger bench programs: reading their input (see load.h). */
#include "load.h"

#include <stdio.h>

#include "io/read/fleet_read.h"
#include "io/write/report.h"
#include "model/alloc.h"

int bench_load_schedule(const stg_fleet *f, const char *sched_file,
                        stg_settings **set, stg_schedule_doc **doc_out)
{
    int status = BENCH_EXIT_INTERNAL;
    stg_diags diags;
    char *stext = NULL;
    size_t slen = 0;
    stg_schedule_doc *doc = NULL;
    *set = NULL;
    if (doc_out)
        *doc_out = NULL;
    stg_diags_init(&diags);
    doc = stg_schedule_read_file(sched_file, &stext, &slen, &diags);
    if (doc)
        *set = stg_schedule_doc_settings(doc, f, &diags);
    stg_diags_sort(&diags);
    if (diags.errors)
        stg_report_diags(stderr, sched_file, stext, slen, &diags);
    if (*set)
        status = 0;
    else if (!diags.oom)
        status = BENCH_EXIT_INPUT;
    if (!status && doc_out) {
        *doc_out = doc;         /* handed over */
        doc = NULL;
    }
    stg_schedule_doc_free(doc);
    stg_free(stext);
    stg_diags_free(&diags);
    return status;
}

int bench_load(const char *fleet_file, const char *sched_file,
               stg_fleet **f, stg_settings **set, stg_schedule_doc **doc_out)
{
    int status = BENCH_EXIT_INTERNAL;
    stg_diags diags;
    char *ftext = NULL;
    size_t flen = 0;
    *set = NULL;
    if (doc_out)
        *doc_out = NULL;
    stg_diags_init(&diags);
    *f = stg_fleet_read_file(fleet_file, &ftext, &flen, &diags);
    stg_diags_sort(&diags);
    if (diags.errors)
        stg_report_diags(stderr, fleet_file, ftext, flen, &diags);
    if (diags.oom)
        goto done;
    if (!*f) {
        status = BENCH_EXIT_INPUT;
        goto done;
    }
    status = bench_load_schedule(*f, sched_file, set, doc_out);
done:
    if (status) {
        stg_fleet_free(*f);
        *f = NULL;
    }
    stg_free(ftext);
    stg_diags_free(&diags);
    return status;
}
