/* stagger: GLPK error and terminal hooks. */
#include "glpk_guard.h"

#include <glpk.h>
#include <string.h>

/* The last lines GLPK wanted to print (one thread uses GLPK at a time
 * per guard; the text is kept for the error message). */
static _Thread_local char last_text[256];

static int silent(void *info, const char *s)
{
    (void)info;
    size_t have = strlen(last_text), add = strlen(s);
    if (have + add >= sizeof last_text) {
        have = 0;
        if (add >= sizeof last_text)
            s += add - (sizeof last_text - 1);
    }
    memcpy(last_text + have, s, strlen(s) + 1);
    return 1;                   /* swallow: GLPK never prints */
}

const char *stg_glpk_last_message(void)
{
    /* one line: without its trailing newline, the lines joined by "; " */
    static _Thread_local char line[2 * sizeof last_text];
    size_t n = strlen(last_text);
    while (n > 0 && (last_text[n - 1] == '\n' || last_text[n - 1] == '\r'))
        n--;
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (last_text[i] == '\r')
            continue;
        if (last_text[i] == '\n') {
            line[k++] = ';';
            line[k++] = ' ';
        } else {
            line[k++] = last_text[i];
        }
    }
    line[k] = '\0';
    return line;
}

static void on_error(void *info)
{
    stg_glpk_guard *g = info;
    longjmp(g->env, 1);
}

void stg_glpk_install(stg_glpk_guard *g)
{
    last_text[0] = '\0';
    glp_term_hook(silent, NULL);
    glp_error_hook(on_error, g);
}

void stg_glpk_leave(stg_glpk_guard *g)
{
    (void)g;
    glp_error_hook(NULL, NULL);
}

void stg_glpk_recover(void)
{
    glp_free_env();
}

#define STG_STR_(x) #x
#define STG_STR(x) STG_STR_(x)

const char *stg_glpk_version(void)
{
    /* the version compiled against: asking GLPK would create its
     * environment again */
    return STG_STR(GLP_MAJOR_VERSION) "." STG_STR(GLP_MINOR_VERSION);
}

const char *stg_glpk_strerror(int code)
{
    switch (code) {
    case 0: return "no error";
    case GLP_EBADB: return "invalid initial basis";
    case GLP_ESING: return "singular basis matrix";
    case GLP_ECOND: return "ill-conditioned basis matrix";
    case GLP_EBOUND: return "a variable has incorrect bounds";
    case GLP_EFAIL: return "the solver failed";
    case GLP_EOBJLL: return "objective lower limit reached";
    case GLP_EOBJUL: return "objective upper limit reached";
    case GLP_EITLIM: return "iteration limit exceeded";
    case GLP_ETMLIM: return "time limit exceeded";
    case GLP_ENOPFS: return "no primal feasible solution";
    case GLP_ENODFS: return "no dual feasible solution";
    case GLP_EROOT: return "the root LP optimum was not provided";
    case GLP_ESTOP: return "the search was stopped";
    case GLP_EMIPGAP: return "the relative MIP gap tolerance was reached";
    case GLP_ENOFEAS: return "no feasible solution";
#ifdef GLP_ENOCVG
    case GLP_ENOCVG: return "no convergence";
#endif
#ifdef GLP_EINSTAB
    case GLP_EINSTAB: return "numerical instability";
#endif
#ifdef GLP_EDATA
    case GLP_EDATA: return "invalid data";
#endif
#ifdef GLP_ERANGE
    case GLP_ERANGE: return "result out of range";
#endif
    }
    return "unknown GLPK error";
}
