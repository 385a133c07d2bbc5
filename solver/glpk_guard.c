/* stagger: GLPK error and terminal hooks. */
#include "glpk_guard.h"

#include <glpk.h>

static int silent(void *info, const char *s)
{
    (void)info;
    (void)s;
    return 1;                   /* swallow: GLPK never prints */
}

static void on_error(void *info)
{
    stg_glpk_guard *g = info;
    longjmp(g->env, 1);
}

void stg_glpk_install(stg_glpk_guard *g)
{
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
    }
    return "unknown GLPK error";
}
