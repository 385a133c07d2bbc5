/* stagger collect [-o FILE]
 *
 * Prints the collection script (io/collect/stagger-collect.ps1, carried
 * by the program: io/collect/collect_script.h), or writes it to FILE
 * whole or not at all.  It reads nothing and judges nothing. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "io/collect/collect_script.h"
#include "io/write/atomic.h"
#include "model/alloc.h"

int stg_cmd_collect(const stg_args *a)
{
    const char *output = stg_args_text(a, "output", "-");
    char *cause = NULL;
    stg_out *out = NULL;
    int status = STG_EXIT_INTERNAL;

    if (stg_cli_check_output("collect", output)) {
        status = STG_EXIT_INPUT;
        goto done;
    }
    out = stg_out_open(output, &cause);
    if (!out) {
        stg_cli_error("collect", "%s", cause ? cause : "cannot write the output");
        goto done;
    }
    if (fwrite(stg_collect_script, 1, stg_collect_script_len,
               stg_out_file(out)) != stg_collect_script_len) {
        stg_cli_error("collect", "cannot write %s: %s", output, strerror(errno));
        stg_out_abort(out);
        goto done;
    }
    if (stg_out_commit(out, &cause)) {
        stg_cli_error("collect", "%s", cause ? cause : "cannot write the output");
        goto done;
    }
    if (strcmp(output, "-"))
        fprintf(stderr, "stagger collect: wrote %s: run it in the DPM Management "
                        "Shell on each DPM server (docs/import.md)\n", output);
    status = STG_EXIT_OK;
done:
    stg_free(cause);
    return status;
}
