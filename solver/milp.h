/* stagger: the exact time-indexed MILP over the union model (problem.h).
 *
 *   minimize U
 *   x[d,v] binary, sum_v x[d,v] = 1            one value per decision
 *   busy[c,t] in [0,1] >= sum of x[d,v] whose jobs cover c at t
 *   background[l,t] + sum_c rate[c,t] busy[c,t] <= U capacity[l]
 *   sum_{c of s} busy[c,t] <= max_jobs[s]      (servers where it binds)
 *
 * Every schedule of the load model is at least as busy as the union
 * model says, so when no server's max_jobs binds, any lower bound GLPK
 * proves on U is a lower bound on the worst link's peak utilization of
 * every schedule.  The solution is a candidate schedule (scored by the
 * simulation, like any other).
 *
 * GLPK runs behind the guards of glpk_guard.h, with an incumbent from
 * the heuristic, a time limit and the stop flag. */
#ifndef STG_MILP_H
#define STG_MILP_H

#include "clock.h"
#include "problem.h"
#include "state.h"

typedef struct {
    int solved;                 /* GLPK proved U optimal */
    int have_solution;          /* values[] holds an integer solution */
    int bound_valid;            /* lower_bound holds for every schedule */
    double lower_bound;         /* proven lower bound on U (0 if none) */
    double objective;           /* U of the solution */
    int *values;                /* per decision: value index (owned) */
    double seconds;
    const char *note;           /* how GLPK ended, for the method line */
    char detail[160];           /* GLPK's own words when it failed */
} stg_milp_result;

/* Whether the MILP is small enough to be worth building. */
int stg_milp_fits(const stg_problem *p, long max_rows);

/* Solves; incumbent may be NULL.  Returns 0, or -1 with *cause set
 * (allocated) when out of memory or GLPK fails. */
int stg_milp_solve(const stg_problem *p, const stg_state *incumbent,
                   const stg_limit *lim, stg_milp_result *out, char **cause);
void stg_milp_result_free(stg_milp_result *r);

/* Writes the same model in CPLEX LP format (GLPK writes the file), for
 * other solvers: the objective column is U, and x_D_V is decision D
 * (index into p->dec) at value index V.  Returns 0, or -1 with *cause. */
int stg_milp_write_lp(const stg_problem *p, const char *path, char **cause);

#endif
