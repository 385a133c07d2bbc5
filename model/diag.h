/* stagger: a list of located diagnostics (errors and warnings).
 *
 * The model and the readers collect messages here with the position of
 * the offending text (line and column, 1-based; 0 when unknown); the
 * application adds the file name and quotes the line.  The list owns its
 * strings. */
#ifndef STG_DIAG_H
#define STG_DIAG_H

#include <stddef.h>

typedef struct {
    int line, col;          /* 1-based; 0 = not tied to a place */
    int file;               /* which text: 0 = the one being read (so
                               (stg_loc){line, col} is a place in it); a
                               reader of a document put together from
                               several texts (a scenario's fleet) sets the
                               id its caller gave that text */
} stg_loc;

typedef enum { STG_DIAG_ERROR, STG_DIAG_WARNING } stg_diag_level;

typedef struct {
    stg_diag_level level;
    stg_loc loc;
    char *msg;              /* what is wrong */
    char *hint;             /* what to write instead, or NULL */
} stg_diag;

typedef struct {
    stg_diag *items;
    size_t count, cap;
    size_t errors;          /* items with level ERROR */
    size_t limit;           /* most errors kept (default 50); more are counted */
    size_t dropped;         /* errors beyond the limit */
    int oom;                /* an allocation failed while reporting */
    int truncated;          /* the reader stopped counting errors (and
                               reading) STG_DIAG_STOP past the limit */
} stg_diags;

/* Errors past the limit after which a reader stops reading: a file of a
 * million errors is then refused in milliseconds. */
#define STG_DIAG_STOP 10000

void stg_diags_init(stg_diags *d);
void stg_diags_free(stg_diags *d);
/* Adds a message (printf format); hint may be NULL.  Never fails: out of
 * memory is remembered in d->oom. */
void stg_diag_add(stg_diags *d, stg_diag_level level, stg_loc loc,
                  const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
#define stg_diag_error(d, loc, hint, ...) \
    stg_diag_add((d), STG_DIAG_ERROR, (loc), (hint), __VA_ARGS__)
#define stg_diag_warn(d, loc, hint, ...) \
    stg_diag_add((d), STG_DIAG_WARNING, (loc), (hint), __VA_ARGS__)
/* Sorts by file, then position (stable), so messages come out in file
 * order. */
void stg_diags_sort(stg_diags *d);

#endif
