/* stagger validate FLEET */
#include <stdio.h>

#include "cli.h"
#include "model/jobs.h"

int stg_cmd_validate(const stg_args *a)
{
    const char *path = a->operand[0];
    int status;
    stg_fleet *f = stg_cli_load_fleet(path, NULL, &status);
    if (!f)
        return status;
    long jobs = stg_jobs_count(f);
    if (jobs < 0) {
        stg_fleet_free(f);
        stg_cli_error("validate", "out of memory");
        return STG_EXIT_INTERNAL;
    }
    printf("%s: %d link%s, %d server%s, %d computer%s, %d group%s, "
           "%d source%s, %ld jobs per %s\n", path,
           f->nlinks, f->nlinks == 1 ? "" : "s",
           f->nservers, f->nservers == 1 ? "" : "s",
           f->ncomputers, f->ncomputers == 1 ? "" : "s",
           f->ngroups, f->ngroups == 1 ? "" : "s",
           f->nsources, f->nsources == 1 ? "" : "s",
           jobs, f->cycle == STG_WEEK ? "week" : "day");
    stg_fleet_free(f);
    return STG_EXIT_OK;
}
