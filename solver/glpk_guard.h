/* stagger: GLPK behind guards.  GLPK must never print or abort on its
 * own: its terminal output is swallowed, and a fatal GLPK error jumps
 * back to the caller through the error hook, after which the thread's
 * GLPK environment is freed and the error reported as a cause.
 *
 * Use:
 *     stg_glpk_guard g;
 *     if (stg_glpk_enter(&g) != 0) { ...GLPK failed: cleanup, cause... }
 *     ... GLPK calls ...
 *     stg_glpk_leave(&g);
 * stg_glpk_enter is a macro around setjmp, so it returns twice: 0 now,
 * and non-zero when GLPK fails later; the caller must not touch GLPK
 * objects after a failure (they are gone with the environment). */
#ifndef STG_GLPK_GUARD_H
#define STG_GLPK_GUARD_H

#include <setjmp.h>

typedef struct {
    jmp_buf env;
} stg_glpk_guard;

void stg_glpk_install(stg_glpk_guard *g);
void stg_glpk_leave(stg_glpk_guard *g);
/* Called after a longjmp back: frees GLPK's environment. */
void stg_glpk_recover(void);

#define stg_glpk_enter(g) (stg_glpk_install(g), setjmp((g)->env))

/* What GLPK last tried to print since the guard was installed (its
 * error message after a failure); "" when nothing. */
const char *stg_glpk_last_message(void);

/* A message for a glp_simplex / glp_intopt return code (every GLP_E*
 * code of the installed GLPK has its own). */
const char *stg_glpk_strerror(int code);

/* GLPK's version ("5.0"), for messages. */
const char *stg_glpk_version(void);

#endif
