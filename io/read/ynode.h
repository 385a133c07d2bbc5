/* stagger: a small YAML node tree, for editing a document and writing it
 * back out (`stagger whatif` edits a fleet this way, and the fleet reader
 * reads the edited tree; `stagger advise` writes its scenarios so).
 *
 * A node is a scalar (its text, its quoting style), a mapping (ordered
 * key/value pairs; keys are nodes too, and a key written twice is kept
 * twice so the fleet reader can report it) or a sequence.  Every node
 * carries the mark of the text it was read from: a file id chosen by the
 * caller, and its line and column (1-based; line 0: not tied to a place).
 *
 * stg_ynode_read() builds a tree from libyaml's event stream with the
 * fleet reader's rules: one document, anchors and aliases refused,
 * nesting capped; every error goes to a stg_diags with its line and
 * column.  stg_ynode_emit() writes a tree as block-style YAML, each
 * scalar on one line (what needs it is quoted, with escapes; a line holds
 * at most a key and its value).
 *
 * Ownership: a tree owns its nodes and their strings (all allocated with
 * model/alloc.h); stg_ynode_free() releases a node and everything under
 * it.  Adding a node to a collection hands it over.  Text from
 * stg_ynode_emit() is freed with stg_free(). */
#ifndef STG_YNODE_H
#define STG_YNODE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/diag.h"

typedef enum { STG_YSCALAR, STG_YMAP, STG_YSEQ } stg_ykind;

/* As written: plain, or one of YAML's quoted/block forms. */
typedef enum {
    STG_YPLAIN, STG_YSINGLE, STG_YDOUBLE, STG_YLITERAL, STG_YFOLDED,
    STG_YALIAS                  /* an alias (*name) kept by
                                   stg_ynode_read_all(): text is the name */
} stg_ystyle;

typedef struct {
    int file;                   /* the caller's id of the text */
    int line, col;              /* 1-based; line 0: no place */
} stg_ymark;

typedef struct stg_ynode stg_ynode;

struct stg_ynode {
    stg_ykind kind;
    stg_ymark mark;
    /* scalar */
    stg_ystyle style;
    char *text;                 /* NUL-terminated (len bytes; may hold NUL) */
    size_t len;
    /* mapping: items[2i] is key i, items[2i+1] its value; sequence:
     * items[i]; n counts pairs or items */
    stg_ynode **items;
    int n;
    size_t cap;                 /* slots allocated in items */
    /* kept by stg_ynode_read_all() only (NULL and false elsewhere) */
    char *anchor;               /* the node's anchor (&name), owned */
    bool deep;                  /* a collection nested deeper than the
                                   limit: it holds, as scalars, only the
                                   aliases and anchored nodes inside it */
};

/* Reads the one document of text.  file is stored in every mark;
 * max_depth caps the nesting of collections (the fleet reader's is 16),
 * depth_hint is the hint of that error; max_nodes caps the nodes of the
 * tree (0: no cap), so that a file of millions of tiny values is refused
 * in milliseconds rather than built; a mapping holds at most
 * STG_YNODE_MAX_KEYS pairs (no format here has a mapping of more than
 * 20 keys).  Reading stops at either limit.  An empty document is a
 * plain empty scalar with line 0.  Returns the tree, or NULL with the
 * errors in d (out of memory sets d->oom).  One walker of libyaml's
 * events serves both this and stg_ynode_read_stream() below. */
#define STG_YNODE_MAX_KEYS 1024
stg_ynode *stg_ynode_read(const char *text, size_t len, int file,
                          int max_depth, const char *depth_hint,
                          size_t max_nodes, stg_diags *d);

/* ---- reading a document as a stream ------------------------------------
 *
 * Each reader keeps the wording its users know, and its strictness: the
 * texts of the errors the tree itself can have (a stg_ytexts), given to
 * stg_ynode_read_stream().  A text marked "format" is a printf format
 * with the conversions named; a NULL text turns its check off where said. */
typedef struct {
    const char *empty, *empty_hint;     /* no document at all, said at 1:1;
                                           NULL: it reads as a plain empty
                                           scalar with line 0 (as does a
                                           document of only "---") */
    const char *second_doc, *second_doc_hint;
    const char *alias, *alias_hint;     /* format: %s the alias's name */
    const char *anchor, *anchor_hint;   /* format: %s its name; NULL:
                                           anchors are let through */
    bool short_names;                   /* names of anchors and aliases cut
                                           to 47 bytes in messages */
    const char *depth, *depth_hint;     /* format: %d max_depth */
    const char *nodes, *nodes_hint;     /* format: %zu max_nodes */
    int max_keys;                       /* keys of one mapping */
    const char *keys, *keys_hint;       /* format: %d max_keys */
    const char *twice, *twice_hint;     /* format: %s the key, %d the line
                                           of its first; NULL: a key
                                           written twice is kept twice */
    bool strict;                        /* the first error ends reading,
                                           and running out of memory only
                                           sets d->oom (nothing is said) */
} stg_ytexts;

/* What stg_ynode_read_stream() hands out as it reads, when the root is a
 * mapping.  Each callback returns 0 to stop reading (the reader then
 * returns NULL; the callback says why, in d or otherwise); a NULL
 * callback is not called. */
typedef struct {
    const stg_ytexts *texts;            /* NULL: stg_ynode_read()'s */
    /* Root keys whose value, when it is a sequence, is not kept: each of
     * its items is handed to entry() once complete and freed after the
     * call (entry() must not keep it), and the root mapping holds the
     * sequence empty.  NULL-terminated; NULL for none. */
    const char *const *lists;
    void *arg;
    /* Each key of the root as it is read, before its value. */
    int (*key)(void *arg, const stg_ynode *root, const stg_ynode *key);
    /* Each pair of the root once its value is complete (held by the root
     * mapping; a streamed list's value is the empty sequence). */
    int (*pair)(void *arg, const stg_ynode *root, const stg_ynode *key,
                const stg_ynode *value);
    /* Each complete item of a streamed list, in file order; list is the
     * key's text. */
    int (*entry)(void *arg, const char *list, const stg_ynode *entry);
} stg_ynode_stream;

/* Reads the one document of text as stg_ynode_read() does, with how's
 * texts and callbacks (how may be NULL).  max_nodes caps the nodes held
 * at once (0: no cap): the root's, and the one entry of a streamed list
 * being read, so that a file of a million entries reads in the memory
 * of one.  Returns the root (the caller owns it: every pair but the
 * streamed lists' items), or NULL after an error (in d) or when a
 * callback stopped the reading. */
stg_ynode *stg_ynode_read_stream(const char *text, size_t len, int file,
                                 int max_depth, size_t max_nodes,
                                 const stg_ynode_stream *how, stg_diags *d);

/* Reads the one document of text as a reader that reports everything
 * itself, in file order, wants it: nothing is refused and only what
 * stops libyaml (a syntax error, a second document, out of memory) goes
 * to d, worded by t (its second_doc texts; the others are unused).  An
 * alias is a scalar of style STG_YALIAS; a node's anchor is kept in
 * anchor; a collection nested deeper than max_depth is kept with deep
 * set (see stg_ynode); a key written twice is kept twice; a document of
 * nothing is a plain empty scalar with line 0.  *cut counts the events
 * read before reading stopped at an error, the way a walker of the tree
 * counts them (each node, and the end of each collection, in file
 * order); SIZE_MAX when the document was read whole.  After an error the
 * tree read so far is returned: a collection cut short lacks its end,
 * and a key whose value was not read holds an empty scalar, both past
 * *cut.  NULL when out of memory (d->oom set) or when no node was read.
 * The caller owns the tree. */
stg_ynode *stg_ynode_read_all(const char *text, size_t len, int file,
                              int max_depth, const stg_ytexts *t,
                              size_t *cut, stg_diags *d);

/* New nodes (NULL when out of memory).  text is copied. */
stg_ynode *stg_ynode_scalar(const char *text, stg_ystyle style,
                            stg_ymark mark);
stg_ynode *stg_ynode_map(stg_ymark mark);
stg_ynode *stg_ynode_seq(stg_ymark mark);

stg_ynode *stg_ynode_copy(const stg_ynode *n);
void stg_ynode_free(stg_ynode *n);

/* Appends an item to a sequence, or a pair to a mapping; takes the nodes
 * over in every case (freed when out of memory).  Returns 0 or -1. */
int stg_ynode_append(stg_ynode *seq, stg_ynode *item);
int stg_ynode_add_pair(stg_ynode *map, stg_ynode *key, stg_ynode *value);

/* Removes item i of a sequence, or pair i of a mapping (freed). */
void stg_ynode_remove(stg_ynode *n, int i);

/* Takes item i of a sequence out without freeing it; the caller owns it. */
stg_ynode *stg_ynode_take(stg_ynode *seq, int i);

/* Pair index of the first key of a mapping whose text is key, or -1
 * (also when n is not a mapping). */
int stg_ynode_find(const stg_ynode *map, const char *key);
/* The value of that key, or NULL. */
stg_ynode *stg_ynode_get(const stg_ynode *map, const char *key);
/* Replaces the value of key, or adds the pair (key node made with
 * key_mark) when it is not there; takes value over.  Returns 0 or -1. */
int stg_ynode_set(stg_ynode *map, const char *key, stg_ymark key_mark,
                  stg_ynode *value);

/* The text of the `name` scalar of a mapping, or NULL. */
const char *stg_ynode_name(const stg_ynode *n);
/* Index of the first mapping in a sequence whose name is name, or -1. */
int stg_ynode_find_name(const stg_ynode *seq, const char *name);

/* A plain scalar that YAML reads as null: empty, ~, null, Null, NULL. */
bool stg_ynode_is_null(const stg_ynode *n);
/* A scalar that is not null. */
bool stg_ynode_is_text(const stg_ynode *n);

/* Same kind, text and structure, and the same null-ness (the one
 * distinction of style a reader here makes); marks are not compared. */
bool stg_ynode_equal(const stg_ynode *a, const stg_ynode *b);

/* ---- writing ------------------------------------------------------- */

/* Writes the tree as YAML (NUL-terminated *text of *len bytes; the
 * caller frees it with stg_free()).  Returns 0, or -1 when out of memory
 * (*text NULL). */
int stg_ynode_emit(const stg_ynode *root, char **text, size_t *len);

#endif
