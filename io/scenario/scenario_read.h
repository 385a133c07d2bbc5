/* stagger: the scenarios file of `stagger whatif` (docs/scenarios.md).
 *
 *   stagger-scenarios: 1
 *   scenarios:
 *     - name: osl-50
 *       description: the Oslo line upgraded
 *       set: { links.osl-wan.capacity: 50Mbps }
 *     - name: growth-30
 *       scale: { size: 130% }
 *
 * Each scenario is a named change set: remove, add, move, set and scale
 * (applied in that order by io/scenario/scenario_apply.h).  This reader checks
 * everything that can be checked without the fleet: keys, types, names,
 * factors and the syntax of set paths; every error goes to a stg_diags
 * with its line and column and a hint, all of them reported.  Names of
 * links, computers and so on are checked when a scenario is applied.
 *
 * A stg_scenarios owns everything it points to (strings and node copies,
 * allocated with model/alloc.h); stg_scenarios_free() releases it.  Marks
 * of the nodes kept carry the file id STG_SCEN_FILE. */
#ifndef STG_SCENARIO_READ_H
#define STG_SCENARIO_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "io/read/ynode.h"
#include "model/diag.h"

/* File ids in marks: the base fleet and the scenarios file. */
enum { STG_SCEN_FLEET = 0, STG_SCEN_FILE = 1 };

/* The lists of a fleet a scenario adds to or removes from. */
typedef enum {
    STG_SCEN_LINKS, STG_SCEN_SERVERS, STG_SCEN_COMPUTERS, STG_SCEN_GROUPS,
    STG_SCEN_SOURCES, STG_SCEN_NSEC
} stg_scen_section;

/* The key of each section ("links", ...) and its singular ("link"). */
extern const char *const stg_scen_section_key[STG_SCEN_NSEC];
extern const char *const stg_scen_section_word[STG_SCEN_NSEC];

typedef struct {
    char *name;
    stg_ymark mark;             /* of the name */
    char *group;                /* sources: the group the source is in */
    stg_ymark group_mark;
} stg_scen_name;

typedef struct {
    char *path;                 /* as written */
    stg_ymark mark;             /* of the path (the key) */
    int col_shift;              /* columns from the key's mark to the
                                   path's first character; -1 when the
                                   key's columns do not follow the path's
                                   characters (escapes) */
    stg_ynode *value;           /* the new value */
} stg_scen_set;

typedef struct {
    double size, churn;         /* factors; 1 when not given */
    bool has_size, has_churn;
    char *group, *link, *computer;      /* selectors; NULL: every source */
    stg_ymark mark;             /* of the entry */
    stg_ymark group_mark, link_mark, computer_mark;
} stg_scen_scale;

typedef struct {
    char *computer;
    char *server;               /* NULL: stays */
    char *group;                /* NULL: sources stay in their groups */
    stg_ynode *server_value;    /* the server scalar as written */
    stg_ynode *path;            /* the new path as written; NULL: stays */
    stg_ymark mark;             /* of the entry */
    stg_ymark computer_mark, server_mark, group_mark, server_key_mark,
              path_key_mark;
} stg_scen_move;

typedef struct {
    char *name;
    char *description;          /* NULL when not given */
    stg_ymark mark;             /* of the name */
    stg_scen_name *remove[STG_SCEN_NSEC];
    int nremove[STG_SCEN_NSEC];
    stg_ynode *add[STG_SCEN_NSEC];      /* a sequence of entries, or NULL */
    stg_ymark add_mark[STG_SCEN_NSEC];  /* of the key under add */
    stg_scen_move *moves;
    int nmoves;
    stg_scen_set *sets;
    int nsets;
    stg_scen_scale *scales;
    int nscales;
} stg_scenario;

typedef struct {
    stg_scenario *items;
    int n;
} stg_scenarios;

/* Parses a scenarios file.  Returns the scenarios (at least one) only
 * when no error was found, else NULL (out of memory sets d->oom). */
stg_scenarios *stg_scenarios_read_buffer(const char *text, size_t len,
                                         stg_diags *d);

/* Reads the whole file into *text (caller frees with stg_free(); kept to
 * quote lines) and parses it.  A file that cannot be read is one error
 * at line 0. */
stg_scenarios *stg_scenarios_read_file(const char *path, char **text,
                                       size_t *len, stg_diags *d);

void stg_scenarios_free(stg_scenarios *s);

/* Scale factors: "130%", "1.3x" or "1.3" -> 1.3; above zero, at most
 * 1000.  Returns 0, or -1 with *problem set to a message that follows
 * the quoted value ("is not a factor"). */
int stg_parse_factor(const char *s, double *factor, const char **problem);

/* One step of a set path at s: "[literal]" (the literal may be quoted
 * with '' or "" to hold a ]), or a run up to the next '.' or '['.
 * Used by the reader to check a path and by the applier to walk it. */
typedef struct {
    bool bracket;               /* a [literal]: exact, no longest match */
    size_t start, end;          /* the literal's bytes (inside any quotes) */
    size_t next;                /* where the step after it starts, or the
                                   path's length at the end */
} stg_path_step;

/* The bracket step at s[pos] == '['; returns 0, or -1 with *problem and
 * *at (byte offset of the trouble). */
int stg_path_bracket(const char *s, size_t pos, stg_path_step *step,
                     const char **problem, size_t *at);

/* Checks a whole path's syntax; 0, or -1 with *problem and *at. */
int stg_path_check(const char *s, const char **problem, size_t *at);

#endif
