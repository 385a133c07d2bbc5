/* stagger: output files written whole or not at all.
 *
 * stg_out_open() creates a temporary file beside the target (same
 * directory, named ".<base>.tmp.XXXXXX", mode 0644 less the umask);
 * everything is written to it through stg_out_file(); stg_out_commit()
 * flushes it, syncs it to disk and renames it over the target, so an
 * existing file is replaced in one step or left as it was.
 * stg_out_abort() removes the temporary.  Either call frees the handle.
 *
 * The path "-" means standard output: there is no temporary, commit only
 * flushes (and reports a write error); abort only flushes, since what
 * went to standard output cannot be taken back.
 *
 * Errors come back as *cause, a string the caller frees with stg_free()
 * ("cannot write /x/y.yaml: No such file or directory"); *cause is NULL
 * when the cause could not be allocated. */
#ifndef STG_ATOMIC_H
#define STG_ATOMIC_H

#include <stdio.h>

typedef struct stg_out stg_out;

/* Checks, before any long work, that path can be written: its directory
 * exists and is writable, and the path, if it exists, is a regular file.
 * Returns 0, or -1 with *cause set (NULL when even the message could not
 * be allocated).  The check itself allocates nothing, so -1 always means
 * the path cannot be written, never that memory ran out. */
int stg_out_check_writable(const char *path, char **cause);

/* Returns a handle (NULL with *cause set on failure). */
stg_out *stg_out_open(const char *path, char **cause);
FILE *stg_out_file(stg_out *o);
/* The target path the handle writes ("-" for standard output). */
const char *stg_out_path(const stg_out *o);
/* Returns 0 when the target now holds exactly what was written, or -1
 * with *cause set (the temporary is removed, an existing target is left
 * untouched).  Frees o in both cases. */
int stg_out_commit(stg_out *o, char **cause);
/* Discards everything written and frees o (NULL is allowed). */
void stg_out_abort(stg_out *o);

#endif
