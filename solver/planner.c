/* stagger: the planner (see planner.h).
 *
 * A fleet is split into parts (parts.h) and each part is planned on its
 * own, side by side on a pool of threads (pool.h); a fleet that is one
 * part is planned whole.  Planning a part runs the phases of the table
 * below in order; each phase decides whether it has anything to do, and
 * the part is done once its schedule meets the bound for schedules
 * without waits on every link (or a phase ends it: the enumeration).
 * The parts' settings are then put together and the whole fleet is
 * simulated and scored, so what is reported is the load model's verdict
 * on the fleet, not a sum of the parts'. */
#include "planner.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bound.h"
#include "clock.h"
#include "exact.h"
#include "lns.h"
#include "milp.h"
#include "model/alloc.h"
#include "model/hash.h"
#include "model/fleet_copy.h"
#include "part.h"
#include "parts.h"
#include "polish.h"
#include "pool.h"
#include "problem.h"
#include "state.h"
#include "trace.h"

/* Schedules few enough to simulate every one of them. */
#define ENUMERATE_MAX 256
/* Putting a plan together, bounding its shared links and writing it
 * out take about this many times as long as the whole-fleet passes
 * before the search (today's settings, the parts); the search keeps
 * that much of a time limit for them. */
#define WRAP_UP 8

void stg_plan_opts_init(stg_plan_opts *o)
{
    memset(o, 0, sizeof *o);
    o->time_limit = 60;
    o->seed = 1;
    o->threads = 1;
    o->exhaustive_max = ENUMERATE_MAX;
    o->focus_link = -1;
}

/* --- the fleet, part by part -------------------------------------------- */

/* A shared link at risk, short of its bound, is joined when at most
 * this many computers (or a quarter of the fleet's) cross it. */
#define JOIN_SMALL 200
/* Rounds of joining the parts of shared links their plans took too low. */
#define ROUNDS 4
/* Parts planned side by side against the same load of the parts planned
 * before them on the links they share (so that the outcome does not
 * depend on the number of threads). */
#define BATCH 16
/* Batches a coupled part does not wait for: it sees the load of the
 * batches before the last LAG, so a thread goes on into the next ones
 * while another plans a long part. */
#define LAG 2

/* How much wider a shared link is in a part's fleet (part_fleet). */
#define SHARED_SCALE 1000.0

/* A part's load on the links it shares: n links, n x nslots loads. */
typedef struct {
    int n;
    int *link;
    double *load;
} part_loads;

typedef struct {
    const stg_fleet *f;
    const stg_plan_opts *o;
    stg_limit lim;
    double t0;
    stg_parts *pt;              /* the parts of this round */
    bool *forced, *forced_srv;  /* links and servers joined after a round */
    int *server_size;           /* per server: its computers */
    int *order;                 /* parts, largest first */
    /* a round's schedule, under lock: parts that carry load on a shared
     * link that can bind ("coupled") go in batches of BATCH, batch b
     * planned with the load of batches 0 .. b-LAG-1 on those links
     * (added in order, so the same whatever the threads); the others
     * whenever a thread is free */
    int *cbatch;                /* per order[] index: its batch, or -1 */
    int *cb_size;               /* per batch: its parts */
    int *cb_left;               /*   those not yet planned */
    int *cb_copied;             /*   those that took the others' load */
    int ncb, cb_added;          /* batches; those whose load is added */
    bool *started;              /* per order[] index */
    int first_free;             /* no order[] index below it is free */
    int running;
    bool failed;
    pthread_cond_t wake;
    double **others;            /* per link: the planned parts' load on a
                                   shared link that can bind (per slot);
                                   NULL for the others */
    part_loads *loads;          /* per part: its load on those, once
                                   planned, until it is added to others */
    bool *replan;               /* per part: plan it this round */
    const stg_settings *base;   /* today's settings, throttles recommended:
                                   the parts' domains are around them */
    bool from_plan;             /* parts start from the plan so far */
    double *had;                /* per link: the utilization the plan so far
                                   gives it (later rounds keep at least
                                   that on the links they did not join) */
    /* results, in the fleet's indices (each part writes only its own
     * computers, groups and links): */
    stg_settings *settings;     /* the plan so far */
    double *bound, *nowait;     /* per link: headroom bounds, every
                                   schedule and without waits */
    bool *exact;                /* per link: nowait proven optimal */
    bool *gave_up;              /* per link: its exact search gave up in
                                   a round (the deeper pass's) */
    double *tried;              /* per link: the utilization its exact
                                   search last gave up at, its budget
                                   spent (0: none; stg_part.tried) */
    stg_throttle *exact_th;     /* per computer: its throttle then (of
                                   exact and tried) */
    stg_lift_memo *lift_memo;   /* per link: its lift that took nothing
                                   (lift.h), for the rounds after */
    /* shared_bounds() of an earlier round: per link which of them it has
     * (SB_ bits), and per computer the throttle they were computed with */
    unsigned char *sb_known;
    double *sb_bound, *sb_nowait;
    stg_throttle *sb_th;
    double *worst;              /* per part: its worst-link bound */
    stg_found *found;           /* per part */
    bool deeper;                /* this round is the deeper pass */
    int ndeeper;                /*   of this many parts */
    bool *skipped;              /* per part: reached after the limit in
                                   the first round (keeps today's times;
                                   its links get shared_bounds()) */
    char **cause;               /* per part */
    int ncause;
    int *rc;                    /* per part */
    /* progress, under lock */
    pthread_mutex_t lock;
    stg_pool_board *help;       /* jobs a part's exact search offers to
                                   the threads with no part to take */
    int ndone;
    double achieved, worst_bound;
    bool polish_cut;            /* the polish reached the time limit */
    bool rounds_cut;            /* parts to join left apart for the time */
} fleet_plan;

static void throttles_to_part(const stg_settings *s, const stg_fleet *sub,
                              const int *computer_of, stg_settings *out)
{
    for (int c = 0; c < sub->ncomputers; c++) {
        out->throttle[c] = s->throttle[computer_of[c]];
        out->recommended[c] = s->recommended[computer_of[c]];
    }
}

/* The settings of a part's fleet sub from the fleet's s. */
static void settings_to_part(const stg_settings *s, const stg_fleet *sub,
                             const int *computer_of, const int *group_of,
                             stg_settings *out)
{
    throttles_to_part(s, sub, computer_of, out);
    for (int g = 0; g < sub->ngroups; g++)
        stg_settings_group_copy(out, g, s, group_of[g]);
}

static void settings_from_part(const stg_settings *ps, const stg_fleet *sub,
                               const int *computer_of, const int *group_of,
                               stg_settings *s)
{
    for (int c = 0; c < sub->ncomputers; c++) {
        s->throttle[computer_of[c]] = ps->throttle[c];
        s->recommended[computer_of[c]] = ps->recommended[c];
    }
    for (int g = 0; g < sub->ngroups; g++)
        stg_settings_group_copy(s, group_of[g], ps, g);
}

/* Counts a part done and reports the progress of them all. */
static void part_done(fleet_plan *fp, const stg_part *pp)
{
    pthread_mutex_lock(&fp->lock);
    fp->ndone++;
    if (pp->best->eval->achieved < fp->achieved)
        fp->achieved = pp->best->eval->achieved;
    if (pp->worst_bound < fp->worst_bound)
        fp->worst_bound = pp->worst_bound;
    if (fp->o->progress) {
        char phase[64];
        stg_progress pr;
        if (fp->deeper)
            snprintf(phase, sizeof phase, "deeper pass %d/%d", fp->ndone,
                     fp->ndeeper);
        else
            snprintf(phase, sizeof phase, "parts %d/%d", fp->ndone,
                     fp->pt->nparts);
        pr.elapsed = stg_now() - fp->t0;
        pr.achieved = fp->achieved;
        pr.bound = fp->worst_bound;
        pr.phase = phase;
        pr.partial = true;
        fp->o->progress(fp->o->progress_arg, &pr);
    }
    pthread_mutex_unlock(&fp->lock);
}

/* What a part may take from an earlier round's exact searches, on its
 * links whose computers still have the throttles of then: the bounds
 * they proved, and where one gave up, the utilization it gave up at (an
 * exact search of a link reads only its decisions, their domains and
 * throttles, all the same in the joined part: from a placement no better
 * it would spend its budget the same way; the deeper pass, with a larger
 * budget, searches such links again). */
static void known_exact(const fleet_plan *fp, stg_part *pp,
                        const int *link_of, const int *computer_of)
{
    const stg_fleet *sub = pp->f;
    for (int l = 0; l < sub->nlinks; l++) {
        int L = link_of[l];
        bool tried = fp->tried[L] > 0 && !fp->deeper;
        if ((!fp->exact[L] && !tried) ||
            !stg_part_link_same(pp, l, fp->exact_th, computer_of))
            continue;
        if (!fp->exact[L]) {
            pp->tried[l] = fp->tried[L];
            continue;
        }
        pp->exact[l] = true;
        if (1 - fp->nowait[L] > pp->target[l])
            pp->target[l] = 1 - fp->nowait[L];
        if (fp->bound[L] < pp->bound[l])
            pp->bound[l] = fp->bound[L];
    }
    stg_part_aims(pp);
    stg_part_worst(pp);
}

/* Whether server sv may make computers wait and its computers are in
 * several parts (each part plans them as if none waited). */
static bool split_waits(const fleet_plan *fp, int sv)
{
    return sv >= 0 && fp->pt->server_waits[sv] && !fp->forced_srv[sv];
}


/* A part's fleet: its computers, its own links, and the links it shares
 * that can bind, those with the other parts' load so far as their
 * background (so that the parts planned later keep out of the way of the
 * ones planned before) and a thousand times their capacity (the part's
 * own links come first: a shared link only decides between placements
 * equal on those); its servers with computers in other parts lose
 * their max_jobs (none of their computers waits here: the plans put
 * together are checked for waits).  *split: one of them may make a
 * computer wait.  shared receives, per link of the part's fleet, whether
 * it is shared.  NULL when out of memory. */
static stg_fleet *part_fleet(const fleet_plan *fp, int k, int *link_of,
                             int *computer_of, int *group_of, bool **shared,
                             bool **forced, bool *split)
{
    const stg_fleet *f = fp->f;
    const stg_parts *pt = fp->pt;
    int N = f->cycle / f->resolution;
    bool *keep = stg_calloc((size_t)f->ncomputers + 1, sizeof *keep);
    bool *links = stg_calloc((size_t)f->nlinks + 1, sizeof *links);
    stg_fleet *sub = NULL;
    *shared = *forced = NULL;
    *split = false;
    if (!keep || !links)
        goto out;
    for (int j = pt->comp_off[k]; j < pt->comp_off[k + 1]; j++) {
        const stg_computer *cp = &f->computers[pt->comp[j]];
        keep[pt->comp[j]] = true;
        for (int i = 0; i < cp->nfull_path; i++)
            links[cp->full_path[i]] = fp->others[cp->full_path[i]] != NULL;
    }
    for (int j = pt->link_off[k]; j < pt->link_off[k + 1]; j++)
        links[pt->link[j]] = true;
    sub = stg_fleet_subset_links(f, keep, links, link_of, computer_of,
                                 group_of);
    *shared = sub ? stg_calloc((size_t)sub->nlinks + 1, sizeof **shared) : NULL;
    *forced = sub ? stg_calloc((size_t)sub->nlinks + 1, sizeof **forced) : NULL;
    if (!*shared || !*forced)
        goto fail;
    for (int l = 0; l < sub->nlinks; l++) {
        const double *o = fp->others[link_of[l]];
        (*shared)[l] = pt->part_of_link[link_of[l]] != k;
        (*forced)[l] = fp->forced[link_of[l]];
        if (!(*shared)[l] || !o)
            continue;
        sub->links[l].capacity *= SHARED_SCALE;
        sub->links[l].others = stg_malloc(sizeof *o * (size_t)N);
        if (!sub->links[l].others)
            goto fail;
        memcpy(sub->links[l].others, o, sizeof *o * (size_t)N);
    }
    for (int i = 0; i < sub->nservers; i++) {
        int sv = stg_fleet_server(f, sub->servers[i].name), n = 0;
        for (int c = 0; c < sub->ncomputers; c++)
            n += sub->computers[c].server == i;
        if (n < fp->server_size[sv]) {
            *split |= split_waits(fp, sv);
            sub->servers[i].max_jobs = 0;
        }
    }
    goto out;
fail:
    stg_fleet_free(sub);
    sub = NULL;
    stg_free(*shared);
    stg_free(*forced);
    *shared = *forced = NULL;
out:
    stg_free(keep);
    stg_free(links);
    return sub;
}

/* Part k's load on the links it shares (what the parts planned after it
 * see as background), from its planned schedule. */
static int part_load(fleet_plan *fp, int k, const stg_part *pp,
                     const int *link_of)
{
    const stg_fleet *sub = pp->f;
    int N = fp->f->cycle / fp->f->resolution, n = 0;
    for (int l = 0; l < sub->nlinks; l++)
        n += !stg_part_own(pp, l) && fp->others[link_of[l]];
    part_loads *pl = &fp->loads[k];
    pl->n = 0;
    if (n == 0)
        return 0;
    pl->link = stg_malloc(sizeof *pl->link * (size_t)n);
    pl->load = stg_malloc(sizeof *pl->load * (size_t)n * (size_t)N);
    if (!pl->link || !pl->load)
        return -1;
    for (int l = 0; l < sub->nlinks; l++) {
        if (stg_part_own(pp, l) || !fp->others[link_of[l]])
            continue;
        double *v = pl->load + (long)pl->n * N;
        for (int t = 0; t < N; t++)
            v[t] = stg_sim_load(pp->best->sim, l, t) -
                   stg_link_background_at(sub, &sub->links[l],
                                          t * sub->resolution);
        pl->link[pl->n++] = link_of[l];
    }
    return 0;
}

/* Writes part k's results into the fleet's. */
static void part_results(fleet_plan *fp, int k, const stg_part *pp,
                         const int *link_of, const int *computer_of,
                         const int *group_of, bool split)
{
    const stg_fleet *sub = pp->f;
    settings_from_part(pp->best->settings, sub, computer_of, group_of,
                       fp->settings);
    for (int l = 0; l < sub->nlinks; l++) {
        int L = link_of[l];
        if (!stg_part_own(pp, l))
            continue;
        fp->bound[L] = pp->bound[l];
        fp->nowait[L] = 1 - pp->target[l];
        fp->exact[L] = pp->exact[l];
    }
    for (int c = 0; c < sub->ncomputers; c++)
        fp->exact_th[computer_of[c]] = pp->p->settings->throttle[c];
    /* with a split server that may make computers wait, its bounds hold
     * for schedules without waits only: the links' own come from the
     * whole fleet (shared_bounds) */
    fp->worst[k] = split ? 1 : pp->worst_bound;
    fp->found[k] = pp->found;
    fp->found[k].parts_proven = pp->done;
    for (int l = 0; l < sub->nlinks; l++)
        if (stg_part_own(pp, l)) {
            fp->gave_up[link_of[l]] = !pp->exact[l] &&
                (stg_part_gave_up(pp, l) || fp->gave_up[link_of[l]]);
            fp->tried[link_of[l]] = pp->exact[l] ? 0 : pp->tried[l];
            fp->lift_memo[link_of[l]] = pp->lift_memo[l];
        }
}

/* In a later round, a part aims on each own link it did not join at no
 * more than what the plan so far gives it: the round is there for the
 * links joined and the servers that made computers wait. */
static void keep_had(const fleet_plan *fp, stg_part *pp, const int *link_of)
{
    if (!fp->from_plan || !pp->floor)
        return;
    for (int l = 0; l < pp->f->nlinks; l++)
        if (stg_part_own(pp, l) && !pp->forced[l])
            /* the plan so far's simulation and the part's load state
             * may differ in the last bits: as much is the same */
            pp->floor[l] = fp->had[link_of[l]] + STG_SAME;
    stg_part_aims(pp);
}

static void part_copied(fleet_plan *fp, int at);

/* Plans part order[at] on its own fleet and writes its results. */
static void plan_one(fleet_plan *fp, int at)
{
    const stg_fleet *f = fp->f;
    int k = fp->order[at], rc = -1;
    if (!fp->replan[k])
        return;
    if (fp->deeper && stg_limit_reached(&fp->lim)) {
        fp->rc[k] = 0;          /* keeps what it has */
        return;
    }
    if (stg_limit_reached(&fp->lim)) {
        /* no time to plan it: it keeps the times it has (today's in the
         * first round, with the recommended throttles; the plan so far
         * in later ones) and bounds that need no search */
        part_copied(fp, at);
        fp->skipped[k] = !fp->from_plan;
        fp->worst[k] = 1;
        fp->found[k].time_limit = true;
        fp->found[k].stopped = fp->o->stop && *fp->o->stop;
        fp->rc[k] = 0;
        return;
    }
    double tk = stg_now();
    int *link_of = stg_malloc(sizeof *link_of * (size_t)(f->nlinks + 1));
    int *computer_of = stg_malloc(sizeof *computer_of * (size_t)(f->ncomputers + 1));
    int *group_of = stg_malloc(sizeof *group_of * (size_t)(f->ngroups + 1));
    bool *shared = NULL, *forced = NULL, split = false;
    stg_fleet *sub = NULL;
    stg_settings *base = NULL, *start = NULL;
    stg_part pp;
    memset(&pp, 0, sizeof pp);
    if (link_of && computer_of && group_of)
        sub = part_fleet(fp, k, link_of, computer_of, group_of, &shared,
                         &forced, &split);
    part_copied(fp, at);
    if (!sub || !(base = stg_settings_today(sub)) ||
        (fp->from_plan && !(start = stg_settings_today(sub))))
        goto out;
    /* today's times with the plan's throttles (lowered ones included) */
    settings_to_part(fp->base, sub, computer_of, group_of, base);
    throttles_to_part(fp->settings, sub, computer_of, base);
    if (start)
        settings_to_part(fp->settings, sub, computer_of, group_of, start);
    pp.f = sub;
    pp.base = base;
    pp.shared = shared;
    pp.forced = forced;
    pp.o = fp->o;
    pp.lim = fp->lim;
    pp.threads = 1;
    pp.help = fp->help;
    pp.exact_budget = fp->o->exact_budget;
    pp.quiet = true;
    pp.whole = fp->pt->nparts == 1 && !fp->deeper;
    pp.seed = fp->o->seed ^ stg_hash_str(STG_HASH_BASIS, sub->computers[0].name);
    pp.start = start;
    pp.t0 = fp->t0;
    pp.cause = &fp->cause[k];
    pp.deeper = fp->deeper;
    if (stg_part_prepare(&pp))
        goto out;
    known_exact(fp, &pp, link_of, computer_of);
    /* the lifts that took nothing in a round before, where the same
     * again (lift.h: the deeper pass plans a part again from the plan so
     * far, and its lifts would search what they searched) */
    for (int l = 0; l < sub->nlinks; l++)
        if (stg_part_own(&pp, l))
            pp.lift_memo[l] = fp->lift_memo[link_of[l]];
    if (!fp->deeper)
        keep_had(fp, &pp, link_of);
    if (stg_part_run(&pp, 1) || part_load(fp, k, &pp, link_of))
        goto out;
    part_done(fp, &pp);
    stg_trace("part %d: %d links, %d computers, %d decisions, %.2fs, %s",
              k, sub->nlinks, sub->ncomputers, pp.p ? pp.p->ndecisions : -1,
              stg_now() - tk, pp.done ? "done" : "not done");
    for (int l = 0; l < sub->nlinks; l++)
        stg_trace("part %d, link %s%s: headroom %.4f, bound %.4f, without waits "
              "%.4f%s", k, sub->links[l].name, stg_part_own(&pp, l) ? "" : " (shared)",
              pp.best->eval->headroom[l], pp.bound[l], 1 - pp.target[l],
              pp.exact[l] ? " (exact)" : "");
    if (fp->deeper && stg_limit_reached(&fp->lim))
        /* cut short, it may not even have reached the plan so far: the
         * part keeps what it has (its search proved nothing more) */
        fp->found[k].time_limit = true;
    else
        part_results(fp, k, &pp, link_of, computer_of, group_of, split);
    rc = 0;
out:
    if (rc && !fp->cause[k])
        fp->cause[k] = stg_strdup("out of memory");
    fp->rc[k] = rc;
    stg_part_free(&pp);
    stg_settings_free(base);
    stg_settings_free(start);
    stg_fleet_free(sub);
    stg_free(shared);
    stg_free(forced);
    stg_free(link_of);
    stg_free(computer_of);
    stg_free(group_of);
}

/* The bounds shared_bounds() gives a link, as bits. */
enum {
    SB_BOUND = 1,               /* for every schedule */
    SB_NOWAIT = 2               /* for schedules without waits */
};

/* The bounds the parts cannot give, per link (SB_ bits): both for the
 * links no part owns; for every schedule for those with a computer whose
 * server is split and may make it wait (their part's bounds hold for
 * schedules without waits). */
static unsigned char *global_links(const fleet_plan *fp)
{
    const stg_fleet *f = fp->f;
    unsigned char *want = stg_calloc((size_t)f->nlinks + 1, sizeof *want);
    if (!want)
        return NULL;
    for (int l = 0; l < f->nlinks; l++) {
        int k = fp->pt->part_of_link[l];
        if (k < 0 || fp->skipped[k])
            want[l] = SB_BOUND | SB_NOWAIT;
    }
    for (int c = 0; c < f->ncomputers; c++)
        if (split_waits(fp, f->computers[c].server))
            for (int i = 0; i < f->computers[c].nfull_path; i++)
                want[f->computers[c].full_path[i]] |= SB_BOUND;
    return want;
}

/* Forgets the shared bounds of the links a throttle changed since they
 * were computed can reach (stg_bound_affected() on p, the fleet's
 * problem with the plan's throttles); need[0], need[1]: the links that
 * want[] gives a bound for every schedule, one without waits, not known.
 * Returns how many links need either, -1 when out of memory. */
static int bounds_needed(fleet_plan *fp, const stg_problem *p,
                         const unsigned char *want, bool *need[2])
{
    const stg_fleet *f = fp->f;
    int n = 0;
    bool *redo = stg_calloc((size_t)f->nlinks + 1, sizeof *redo);
    if (!redo || stg_bound_affected(p, fp->sb_th, redo)) {
        stg_free(redo);
        return -1;
    }
    memcpy(fp->sb_th, fp->settings->throttle,
           sizeof *fp->sb_th * (size_t)f->ncomputers);
    for (int l = 0; l < f->nlinks; l++) {
        if (redo[l])
            fp->sb_known[l] = 0;
        unsigned char miss = want[l] & ~fp->sb_known[l];
        need[0][l] = miss & SB_BOUND;
        need[1][l] = miss & SB_NOWAIT;
        n += miss != 0;
    }
    stg_free(redo);
    return n;
}

/* The bounds want[] names, on the whole fleet with today's times (the
 * domains are around them) and the plan's throttles; a link's are
 * computed again only when a throttle they depend on changed
 * (bounds_needed()).  Two tasks side by side, each run only when it has
 * links: the bounds for every schedule, those without waits. */
typedef struct {
    const stg_problem *p;
    const stg_limit *lim;
    bool *only[2];              /* the links of each task */
    double *out[2];
    int run[2];                 /* the tasks to run, by index */
    int rc[2];
} bound_job;

static void bound_task(void *arg, int i)
{
    bound_job *j = arg;
    int k = j->run[i];
    j->rc[k] = stg_bound_links(j->p, k ? STG_BOUND_NO_WAIT : 0, j->lim,
                               j->only[k], j->out[k]);
}

static int shared_bounds(fleet_plan *fp)
{
    const stg_fleet *f = fp->f;
    int L = f->nlinks, C = f->ncomputers, rc = -1;
    unsigned char *want = global_links(fp);
    bound_job bj;
    memset(&bj, 0, sizeof bj);
    stg_problem *p = NULL;
    if (!want)
        goto out;
    for (int i = 0; i < 2; i++)
        if (!(bj.only[i] = stg_calloc((size_t)L + 1, sizeof *bj.only[i])) ||
            !(bj.out[i] = stg_calloc((size_t)L + 1, sizeof *bj.out[i])))
            goto out;
    if (!fp->sb_known) {
        fp->sb_known = stg_calloc((size_t)L + 1, sizeof *fp->sb_known);
        fp->sb_bound = stg_calloc((size_t)L + 1, sizeof *fp->sb_bound);
        fp->sb_nowait = stg_calloc((size_t)L + 1, sizeof *fp->sb_nowait);
        fp->sb_th = stg_calloc((size_t)C + 1, sizeof *fp->sb_th);
        if (!fp->sb_known || !fp->sb_bound || !fp->sb_nowait || !fp->sb_th)
            goto out;
    }
    /* nothing to compute when every link's bounds are known and no
     * throttle changed */
    bool stale = false;
    for (int l = 0; l < L; l++)
        stale |= (want[l] & ~fp->sb_known[l]) != 0;
    for (int c = 0; c < C; c++)
        stale |= !stg_throttle_same(&fp->sb_th[c], &fp->settings->throttle[c]);
    int n = 0;
    /* today's times, the plan's throttles */
    if (stale && (!(p = stg_problem_for_plan(f, fp->settings)) ||
                  (n = bounds_needed(fp, p, want, bj.only)) < 0))
        goto out;
    if (n > 0) {
        /* out of time, every bound is the background and average ones:
         * the first task gives them all, without waits too */
        bool cut = stg_limit_reached(&fp->lim);
        int count[2] = { 0, 0 }, ntasks = 0;
        for (int l = 0; l < L; l++) {
            bj.only[0][l] |= cut && bj.only[1][l];
            count[0] += bj.only[0][l];
            count[1] += bj.only[1][l] && !cut;
        }
        for (int k = 0; k < 2; k++)
            if (count[k])
                bj.run[ntasks++] = k;
        bj.p = p;
        bj.lim = &fp->lim;
        int threads = fp->o->threads > 1 ? fp->o->threads : 1;
        stg_pool_run(ntasks, threads, bound_task, &bj);
        if (bj.rc[0] || bj.rc[1])
            goto out;
        if (cut)
            memcpy(bj.out[1], bj.out[0], sizeof *bj.out[0] * (size_t)L);
        /* out of time: the links not reached have the cheap bounds,
         * valid but to be computed again */
        bool whole = !cut && !stg_limit_reached(&fp->lim);
        for (int l = 0; l < L; l++) {
            if (bj.only[0][l]) {
                fp->sb_bound[l] = bj.out[0][l];
                if (whole)
                    fp->sb_known[l] |= SB_BOUND;
            }
            if (bj.only[1][l]) {
                fp->sb_nowait[l] = bj.out[1][l];
                if (whole)
                    fp->sb_known[l] |= SB_NOWAIT;
            }
        }
    }
    for (int l = 0; l < L; l++) {
        if (want[l] & SB_NOWAIT)
            fp->nowait[l] = fp->sb_nowait[l];
        if (!(want[l] & SB_BOUND))
            continue;
        fp->bound[l] = fp->sb_bound[l];
        if (fp->nowait[l] > fp->sb_bound[l])
            fp->nowait[l] = fp->sb_bound[l];
    }
    rc = 0;
out:
    stg_free(want);
    for (int i = 0; i < 2; i++) {
        stg_free(bj.only[i]);
        stg_free(bj.out[i]);
    }
    stg_problem_free(p);
    return rc;
}

/* Parts from the largest (most computers) down, so that a big one does
 * not start last. */
static int *part_order(const stg_parts *pt)
{
    int *order = stg_malloc(sizeof *order * (size_t)(pt->nparts + 1));
    if (!order)
        return NULL;
    for (int k = 0; k < pt->nparts; k++) {
        int size = pt->comp_off[k + 1] - pt->comp_off[k], m = k;
        while (m > 0 && pt->comp_off[order[m - 1] + 1] -
                        pt->comp_off[order[m - 1]] < size) {
            order[m] = order[m - 1];
            m--;
        }
        order[m] = k;
    }
    return order;
}

static void loads_free(part_loads *pl)
{
    stg_free(pl->link);
    stg_free(pl->load);
    memset(pl, 0, sizeof *pl);
}

/* The per-part arrays for fp->pt (a new round's parts). */
static int part_arrays(fleet_plan *fp)
{
    int n = fp->pt->nparts;
    stg_free(fp->order);
    stg_free(fp->replan);
    stg_free(fp->worst);
    stg_free(fp->found);
    for (int k = 0; fp->cause && k < fp->ncause; k++)
        stg_free(fp->cause[k]);
    for (int k = 0; fp->loads && k < fp->ncause; k++)
        loads_free(&fp->loads[k]);
    stg_free(fp->cause);
    stg_free(fp->loads);
    stg_free(fp->rc);
    fp->order = part_order(fp->pt);
    fp->replan = stg_calloc((size_t)n + 1, sizeof *fp->replan);
    fp->worst = stg_calloc((size_t)n + 1, sizeof *fp->worst);
    fp->found = stg_calloc((size_t)n + 1, sizeof *fp->found);
    stg_free(fp->skipped);
    fp->skipped = stg_calloc((size_t)n + 1, sizeof *fp->skipped);
    fp->cause = stg_calloc((size_t)n + 1, sizeof *fp->cause);
    fp->ncause = n;
    fp->rc = stg_calloc((size_t)n + 1, sizeof *fp->rc);
    fp->loads = stg_calloc((size_t)n + 1, sizeof *fp->loads);
    return fp->order && fp->replan && fp->worst && fp->found &&
           fp->skipped && fp->cause && fp->rc && fp->loads ? 0 : -1;
}

static void fleet_plan_free(fleet_plan *fp)
{
    for (int k = 0; fp->cause && k < fp->ncause; k++)
        stg_free(fp->cause[k]);
    stg_free(fp->cause);
    stg_free(fp->order);
    stg_free(fp->replan);
    stg_free(fp->cbatch);
    stg_free(fp->cb_size);
    stg_free(fp->cb_left);
    stg_free(fp->cb_copied);
    stg_free(fp->started);
    stg_settings_free(fp->settings);
    stg_free(fp->bound);
    stg_free(fp->nowait);
    stg_free(fp->exact);
    stg_free(fp->exact_th);
    stg_free(fp->sb_known);
    stg_free(fp->sb_bound);
    stg_free(fp->sb_nowait);
    stg_free(fp->sb_th);
    stg_free(fp->had);
    stg_free(fp->worst);
    stg_free(fp->found);
    stg_free(fp->skipped);
    stg_free(fp->gave_up);
    stg_free(fp->tried);
    stg_free(fp->lift_memo);
    stg_free(fp->rc);
    for (int k = 0; fp->loads && k < fp->ncause; k++)
        loads_free(&fp->loads[k]);
    stg_free(fp->loads);
    for (int l = 0; fp->others && l < fp->f->nlinks; l++)
        stg_free(fp->others[l]);
    stg_free(fp->others);
    stg_parts_free(fp->pt);
    stg_free(fp->forced);
    stg_free(fp->forced_srv);
    stg_free(fp->server_size);
}

/* Adds the loads of the parts of a batch to the others', in order. */
static void add_loads(fleet_plan *fp, int from, int to)
{
    int N = fp->f->cycle / fp->f->resolution;
    for (int i = from; i < to; i++) {
        part_loads *pl = &fp->loads[fp->order[i]];
        for (int j = 0; j < pl->n; j++) {
            double *o = fp->others[pl->link[j]];
            for (int t = 0; o && t < N; t++)
                o[t] += pl->load[(long)j * N + t];
        }
        loads_free(pl);
    }
}

/* Adds the load of each batch, in order, once it is planned and the
 * LAG batches after it have taken theirs (they must not see it).  Under
 * lock. */
static void add_ready(fleet_plan *fp)
{
    while (fp->cb_added < fp->ncb && fp->cb_left[fp->cb_added] == 0) {
        int m = fp->cb_added;
        for (int j = m + 1; j <= m + LAG && j < fp->ncb; j++)
            if (fp->cb_copied[j] < fp->cb_size[j])
                return;
        for (int i = 0; i < fp->pt->nparts; i++)
            if (fp->cbatch[i] == m)
                add_loads(fp, i, i + 1);
        fp->cb_added++;
        pthread_cond_broadcast(&fp->wake);
    }
}

/* Part order[at] has built its fleet (or failed to): the others' load
 * may move on. */
static void part_copied(fleet_plan *fp, int at)
{
    if (fp->cbatch[at] < 0)
        return;
    pthread_mutex_lock(&fp->lock);
    fp->cb_copied[fp->cbatch[at]]++;
    add_ready(fp);
    pthread_mutex_unlock(&fp->lock);
}

/* The first order[] index a thread may plan now (a coupled part of
 * batch b once batches 0 .. b-LAG-1 are added), or -1.  Under lock. */
static int next_part(fleet_plan *fp)
{
    int n = fp->pt->nparts;
    while (fp->first_free < n && fp->started[fp->first_free])
        fp->first_free++;
    for (int at = fp->first_free; at < n; at++)
        if (!fp->started[at] && fp->cbatch[at] - LAG <= fp->cb_added)
            return at;
    return -1;
}

/* A thread of a round: plans parts while there are any, waiting when
 * the only ones left need a batch still being planned. */
static void round_worker(void *arg, int w)
{
    fleet_plan *fp = arg;
    (void)w;
    pthread_mutex_lock(&fp->lock);
    for (;;) {
        int at = fp->failed ? -1 : next_part(fp);
        if (at < 0) {
            /* (with none running, a part is always free: one of the
             * LAG + 1 batches after the last added one); while parts
             * run, their searches may offer work to a thread with none */
            if (fp->failed || fp->running == 0)
                break;
            if (!stg_pool_help_once(fp->help))
                pthread_cond_wait(&fp->wake, &fp->lock);
            continue;
        }
        fp->started[at] = true;
        fp->running++;
        pthread_mutex_unlock(&fp->lock);
        plan_one(fp, at);
        pthread_mutex_lock(&fp->lock);
        fp->running--;
        int k = fp->order[at], b = fp->cbatch[at];
        if (fp->replan[k] && fp->rc[k])
            fp->failed = true;
        if (b >= 0) {
            fp->cb_left[b]--;
            add_ready(fp);
        }
        pthread_cond_broadcast(&fp->wake);
    }
    pthread_cond_broadcast(&fp->wake);
    pthread_mutex_unlock(&fp->lock);
}

/* Whether part k carries load on a shared link that can bind (one the
 * others' plans load: fp->others). */
static bool coupled(const fleet_plan *fp, int k)
{
    const stg_fleet *f = fp->f;
    for (int i = fp->pt->comp_off[k]; i < fp->pt->comp_off[k + 1]; i++) {
        const stg_computer *cp = &f->computers[fp->pt->comp[i]];
        for (int j = 0; j < cp->nfull_path; j++)
            if (fp->others[cp->full_path[j]])
                return true;
    }
    return false;
}

/* Plans the parts marked replan side by side: the coupled ones BATCH at
 * a time, each batch with the load of the ones before it, the others
 * as threads are free. */
static int plan_round(fleet_plan *fp, char **cause)
{
    int n = fp->pt->nparts, nc = 0;
    fp->ndone = 0;
    stg_trace("round starts at %.2fs", stg_now() - fp->t0);
    stg_free(fp->cbatch);
    stg_free(fp->cb_size);
    stg_free(fp->cb_left);
    stg_free(fp->cb_copied);
    stg_free(fp->started);
    fp->cbatch = stg_malloc(sizeof *fp->cbatch * (size_t)(n + 1));
    fp->cb_size = stg_calloc((size_t)n + 1, sizeof *fp->cb_size);
    fp->cb_left = stg_calloc((size_t)n + 1, sizeof *fp->cb_left);
    fp->cb_copied = stg_calloc((size_t)n + 1, sizeof *fp->cb_copied);
    fp->started = stg_calloc((size_t)n + 1, sizeof *fp->started);
    if (!fp->cbatch || !fp->cb_size || !fp->cb_left || !fp->cb_copied ||
        !fp->started) {
        *cause = stg_strdup("out of memory");
        return -1;
    }
    for (int at = 0; at < n; at++) {
        int k = fp->order[at];
        fp->cbatch[at] = -1;
        if (!fp->replan[k]) {
            fp->started[at] = true;     /* nothing to plan */
            continue;
        }
        if (coupled(fp, k)) {
            fp->cbatch[at] = nc / BATCH;
            fp->cb_size[nc / BATCH]++;
            fp->cb_left[nc / BATCH]++;
            nc++;
        }
    }
    fp->ncb = (nc + BATCH - 1) / BATCH;
    stg_trace("round: %d parts, %d coupled", n, nc);
    fp->cb_added = 0;
    fp->first_free = 0;
    fp->running = 0;
    fp->failed = false;
    int threads = fp->o->threads > 1 ? fp->o->threads : 1;
    stg_pool_run(threads, threads, round_worker, fp);
    for (int at = 0; at < n; at++) {
        int k = fp->order[at];
        if (fp->replan[k] && fp->rc[k]) {
            *cause = fp->cause[k];
            fp->cause[k] = NULL;
            return -1;
        }
    }
    return 0;
}

/* The others' load on each shared link that can bind, from a plan of the
 * whole fleet, without the parts to be planned again. */
static int others_from(fleet_plan *fp, const stg_schedule *sc)
{
    const stg_fleet *f = fp->f;
    const stg_sim *sim = sc->sim;
    int N = f->cycle / f->resolution, C = f->ncomputers, rc = -1;
    unsigned char *busy = stg_malloc((size_t)N + 1);
    /* the transfers by computer: those of c are at[first[c] ..
     * first[c + 1] - 1] */
    int *first = stg_calloc((size_t)C + 2, sizeof *first);
    int *at = stg_malloc(sizeof *at * (size_t)(sim->ntransfers + 1));
    if (!busy || !first || !at)
        goto out;
    for (int i = 0; i < sim->ntransfers; i++)
        first[sim->transfers[i].computer + 2]++;
    for (int c = 0; c < C; c++)
        first[c + 2] += first[c + 1];
    for (int i = 0; i < sim->ntransfers; i++)
        at[first[sim->transfers[i].computer + 1]++] = i;
    for (int l = 0; l < f->nlinks; l++) {
        double *o = fp->others[l];
        for (int t = 0; o && t < N; t++)
            o[t] = stg_sim_load(sim, l, t) -
                   stg_link_background_at(f, &f->links[l], t * f->resolution);
    }
    for (int c = 0; c < C; c++) {
        if (!fp->replan[fp->pt->part_of_computer[c]])
            continue;
        memset(busy, 0, (size_t)N);
        for (int k = first[c]; k < first[c + 1]; k++) {
            const stg_transfer *tr = &sim->transfers[at[k]];
            for (long s = tr->start / f->resolution;
                 s < (tr->end + f->resolution - 1) / f->resolution; s++)
                busy[s % N] = 1;
        }
        const stg_computer *cp = &f->computers[c];
        for (int i = 0; i < cp->nfull_path; i++) {
            double *o = fp->others[cp->full_path[i]];
            for (int t = 0; o && t < N; t++)
                if (busy[t])
                    o[t] -= stg_throttle_at(f, &sc->settings->throttle[c],
                                            t * f->resolution);
        }
    }
    rc = 0;
out:
    stg_free(busy);
    stg_free(first);
    stg_free(at);
    return rc;
}

/* The shared links the plan put below the limit or below the worst of
 * the parts' own links, unless crowded (parts.h: those are polished), or
 * left at risk and short of their bound while few computers cross them
 * (force[l] set); and the split servers whose max_jobs made a computer wait
 * (force_srv[s] set).  Returns how many. */
static int too_low(const fleet_plan *fp, const stg_schedule *sc, bool *force,
                   bool *force_srv)
{
    const stg_fleet *f = fp->f;
    double own = 1;
    int n = 0;
    const int *crossing = fp->pt->link_computers;
    for (int l = 0; l < f->nlinks; l++)
        if (fp->pt->part_of_link[l] >= 0 && sc->eval->headroom[l] < own)
            own = sc->eval->headroom[l];
    for (int l = 0; l < f->nlinks; l++) {
        /* at risk and short of its bound by more than a point: the
         * parts may do better together, when they are not too many (a
         * data-centre core above the limit is left as it is) */
        bool short_risk = sc->eval->headroom[l] < STG_SAFE &&
                          sc->eval->headroom[l] < fp->bound[l] - 0.01 &&
                          (4 * crossing[l] <= f->ncomputers ||
                           crossing[l] <= JOIN_SMALL);
        force[l] = fp->pt->part_of_link[l] < 0 &&
                   fp->pt->link_worst[l] < 1 && !fp->pt->link_crowded[l] &&
                   (sc->eval->headroom[l] < f->headroom - 1e-9 ||
                    sc->eval->headroom[l] < own - STG_SAME || short_risk);
        n += force[l];
        if (force[l])
            stg_trace("join %s: headroom %.4f (bound %.4f, worst own link %.4f)",
                  f->links[l].name, sc->eval->headroom[l], fp->bound[l], own);
    }
    for (int sv = 0; sv < f->nservers; sv++)
        force_srv[sv] = false;
    for (int c = 0; c < f->ncomputers; c++) {
        int sv = f->computers[c].server;
        if (split_waits(fp, sv) && sc->sim->waited[c] > 0 && !force_srv[sv]) {
            force_srv[sv] = true;
            n++;
            stg_trace("join server %s: a computer waited", f->servers[sv].name);
        }
    }
    return n;
}

/* Joins the parts of the links in force (and those joined before): the
 * new parts that hold computers of several old ones are planned again,
 * from the settings as they are. */
static int join_parts(fleet_plan *fp, const stg_settings *base,
                      const bool *force, const bool *force_srv)
{
    const stg_fleet *f = fp->f;
    for (int l = 0; l < f->nlinks; l++)
        fp->forced[l] |= force[l];
    for (int sv = 0; sv < f->nservers; sv++)
        fp->forced_srv[sv] |= force_srv[sv];
    stg_parts *np = stg_parts_split(f, base, fp->forced, fp->forced_srv);
    if (!np)
        return -1;
    int *was = stg_malloc(sizeof *was * (size_t)(np->nparts + 1));
    if (!was) {
        stg_parts_free(np);
        return -1;
    }
    for (int k = 0; k < np->nparts; k++)
        was[k] = -1;
    bool *replan = stg_calloc((size_t)np->nparts + 1, sizeof *replan);
    for (int c = 0; replan && c < f->ncomputers; c++) {
        int k = np->part_of_computer[c], o = fp->pt->part_of_computer[c];
        if (was[k] < 0)
            was[k] = o;
        else if (was[k] != o)
            replan[k] = true;
    }
    stg_found *old_found = fp->found;
    double *old_worst = fp->worst;
    fp->found = NULL;
    fp->worst = NULL;
    stg_parts *old = fp->pt;
    fp->pt = np;
    int rc = replan ? part_arrays(fp) : -1;
    for (int k = 0; rc == 0 && k < np->nparts; k++) {
        fp->replan[k] = replan[k];
        if (!replan[k]) {       /* unchanged: keeps its results */
            fp->found[k] = old_found[was[k]];
            fp->worst[k] = old_worst[was[k]];
        }
    }
    stg_parts_free(old);
    stg_free(old_found);
    stg_free(old_worst);
    stg_free(replan);
    stg_free(was);
    return rc;
}

/* An others' array for each link the parts share that can bind (a link
 * joined in a later round is no longer shared: its array goes). */
static int shared_arrays(fleet_plan *fp)
{
    const stg_fleet *f = fp->f;
    int N = f->cycle / f->resolution;
    for (int l = 0; l < f->nlinks; l++) {
        bool want = fp->pt->part_of_link[l] < 0 && fp->pt->link_binds[l];
        if (want && !fp->others[l]) {
            fp->others[l] = stg_calloc((size_t)N + 1, sizeof *fp->others[l]);
            if (!fp->others[l])
                return -1;
        } else if (!want) {
            stg_free(fp->others[l]);
            fp->others[l] = NULL;
        }
    }
    return 0;
}

/* The fleet's schedule from the parts' plans. */
static stg_schedule *put_together(fleet_plan *fp)
{
    stg_settings *s = stg_settings_copy(fp->settings);
    stg_schedule *sc = s ? stg_schedule_build(fp->f, s, fp->bound) : NULL;
    if (!sc)
        return NULL;
    for (int k = 0; k < fp->pt->nparts; k++)
        stg_schedule_set_bound(sc, fp->worst[k]);
    return sc;
}

/* --- shared links, polished ------------------------------------------- */

/* Passes of the polish over the short shared links (polish.h). */
#define POLISH_PASSES 8

/* Whether shared link l ends at risk (under STG_SAFE headroom) and more
 * than a point short of its bound: the parts each keep out of the way of
 * the others only where their own links leave a choice, and a link that
 * many computers cross (a data-centre core) is not joined, so its peak is
 * where the parts' own best placements happen to meet. */
static bool shared_short(const fleet_plan *fp, const stg_schedule *sc, int l)
{
    double b = fp->nowait[l] < fp->bound[l] ? fp->nowait[l] : fp->bound[l];
    return fp->pt->part_of_link[l] < 0 && sc->eval->headroom[l] < STG_SAFE &&
           sc->eval->headroom[l] < b - 0.01;
}

/* Per link, the slots the schedule spends below the limit; and the
 * rules other than the headroom it breaks.  NULL when out of memory. */
static int *slots_below(const stg_fleet *f, const stg_schedule *sc,
                        int *others)
{
    int N = f->cycle / f->resolution;
    int *below = stg_calloc((size_t)f->nlinks + 1, sizeof *below);
    *others = 0;
    for (int i = 0; below && i < sc->eval->nviolations; i++) {
        const stg_violation *v = &sc->eval->violations[i];
        if (v->kind == STG_VIOL_HEADROOM)   /* [from, to), wrapping */
            below[v->index] += v->to > v->from ? v->to - v->from
                                               : v->to - v->from + N;
        else
            (*others)++;
    }
    return below;
}

/* Whether schedule b keeps what a had and does better on a short shared
 * link: no link below min(its headroom in a, STG_SAFE) nor longer below
 * the limit, the worst link no lower, no more other rules broken and no
 * computer waiting more.  -1 when out of memory. */
static int polish_better(const fleet_plan *fp, const stg_schedule *a,
                         const stg_schedule *b)
{
    const stg_fleet *f = fp->f;
    bool gain = false;
    int oa, ob, rc = 0;
    int *ba = slots_below(f, a, &oa), *bb = slots_below(f, b, &ob);
    if (!ba || !bb) {
        rc = -1;
        goto out;
    }
    if (b->eval->achieved < a->eval->achieved - STG_SAME || ob > oa) {
        stg_trace("polish: worst %.4f -> %.4f, other rules broken %d -> %d",
                  a->eval->achieved, b->eval->achieved, oa, ob);
        goto out;
    }
    for (int c = 0; c < f->ncomputers; c++)
        if (b->sim->waited[c] > a->sim->waited[c]) {
            stg_trace("polish: %s waits", f->computers[c].name);
            goto out;
        }
    for (int l = 0; l < f->nlinks; l++) {
        double was = a->eval->headroom[l], now = b->eval->headroom[l];
        double floor = was < STG_SAFE ? was : STG_SAFE;
        if (now < floor - STG_SAME || bb[l] > ba[l]) {
            stg_trace("polish: %s %.4f -> %.4f, %d -> %d slots below",
                      f->links[l].name, was, now, ba[l], bb[l]);
            goto out;
        }
        gain |= shared_short(fp, a, l) && now > was + STG_SAME;
    }
    rc = gain;
out:
    stg_free(ba);
    stg_free(bb);
    return rc;
}

/* The plan's shared links that end at risk and short of their bound
 * (shared_short), polished on the whole fleet's problem from the plan
 * (polish.h).  The result replaces *scp when polish_better() says so
 * (the polish judges moves on the model without waits; the schedule is
 * simulated whole).  Returns 0, or -1 when out of memory. */
static int polish_shared(fleet_plan *fp, stg_schedule **scp)
{
    const stg_fleet *f = fp->f;
    stg_schedule *sc = *scp, *nsc = NULL;
    int L = f->nlinks, rc = -1, n = 0;
    for (int l = 0; l < L; l++)
        n += shared_short(fp, sc, l);
    if (n == 0 || stg_limit_reached(&fp->lim))
        return 0;
    int *links = stg_malloc(sizeof *links * (size_t)(L + 1));
    stg_settings *ns = stg_settings_copy(sc->settings);
    stg_problem *p = NULL;
    stg_state *st = NULL;
    if (!links || !ns)
        goto out;
    /* the domains around today's times, the plan's throttles */
    if (!(p = stg_problem_for_plan(f, sc->settings)) ||
        !(st = stg_state_placed(p, sc->settings)))
        goto out;
    /* the worst first */
    n = 0;
    for (int l = 0; l < L; l++) {
        if (!shared_short(fp, sc, l))
            continue;
        int k = n++;
        while (k > 0 && sc->eval->headroom[links[k - 1]] > sc->eval->headroom[l]) {
            links[k] = links[k - 1];
            k--;
        }
        links[k] = l;
    }
    double t = stg_now();
    int moves = stg_polish(st, links, n, POLISH_PASSES, &fp->lim);
    if (moves < 0)
        goto out;
    if (stg_limit_reached(&fp->lim))
        fp->polish_cut = true;
    stg_state_settings(st, ns);
    nsc = stg_schedule_build(f, ns, fp->bound);
    ns = NULL;                  /* taken, built or not */
    if (!nsc)
        goto out;
    int keep = polish_better(fp, sc, nsc);
    if (keep < 0)
        goto out;
    stg_trace("polish: %d shared links short, %d moves, %.2fs, %s", n, moves,
              stg_now() - t, keep ? "kept" : "dropped");
    if (keep) {
        stg_settings_free(fp->settings);
        if (!(fp->settings = stg_settings_copy(nsc->settings)))
            goto out;
        stg_schedule_free(sc);
        *scp = nsc;
        nsc = NULL;
    }
    rc = 0;
out:
    stg_free(links);
    stg_settings_free(ns);
    stg_state_free(st);
    stg_problem_free(p);
    stg_schedule_free(nsc);
    return rc;
}

/* The deeper pass: once every part has a plan, the parts whose exact
 * search gave up on a link (its budget spent) are planned again from the
 * plan so far, with the others' load on the links they share, their
 * throttles, and the deeper budget (part.h): a proof there is worth the
 * time left.  Its bounds are kept (the throttles did not move, so they
 * hold for either schedule); its placements only when the whole
 * schedule is no worse with them.  Returns 1 when it ran (*scp is the
 * schedule put together after it), 0 when there was nothing to do or no
 * time, -1 with *cause. */
static int deeper_pass(fleet_plan *fp, stg_schedule **scp, char **cause)
{
    int n = 0, rc = -1;
    for (int k = 0; k < fp->pt->nparts; k++)
        fp->replan[k] = false;
    for (int l = 0; l < fp->f->nlinks; l++) {
        int k = fp->pt->part_of_link[l];
        if (k >= 0 && fp->gave_up[l] && !fp->exact[l] && !fp->replan[k]) {
            fp->replan[k] = true;
            n++;
        }
    }
    if (n == 0 || stg_limit_reached(&fp->lim))
        return 0;
    stg_trace("deeper pass: %d parts", n);
    stg_schedule *now = NULL;
    stg_settings *was = stg_settings_copy(fp->settings);
    if (!was || others_from(fp, *scp))
        goto out;               /* (the caller says: out of memory) */
    fp->deeper = true;
    fp->ndeeper = n;
    fp->from_plan = true;
    if (plan_round(fp, cause))
        goto out;
    if (!(now = put_together(fp)))
        goto out;
    if (stg_schedule_cmp(now, *scp) > 0) {
        stg_trace("deeper pass: the schedule before it is better");
        stg_settings_free(fp->settings);
        fp->settings = was;
        was = NULL;
    } else {
        stg_schedule_free(*scp);
        *scp = now;
        now = NULL;
    }
    stg_trace("deeper pass put together at %.2fs", stg_now() - fp->t0);
    rc = 1;
out:
    stg_schedule_free(now);
    stg_settings_free(was);
    return rc;
}

/* Plans every part, puts the plans together, joins the parts of shared
 * links the plans took too low and plans those again (at most ROUNDS
 * times), and returns the fleet's schedule in *out. */
static int plan_parts(fleet_plan *fp, const stg_settings *base,
                      stg_schedule **out, char **cause)
{
    fp->base = base;
    const stg_fleet *f = fp->f;
    int L = f->nlinks, rc = -1;
    stg_schedule *sc = NULL;
    bool locks = false;
    bool *force = stg_calloc((size_t)L + 1, sizeof *force);
    bool *force_srv = stg_calloc((size_t)f->nservers + 1, sizeof *force_srv);
    fp->forced = stg_calloc((size_t)L + 1, sizeof *fp->forced);
    fp->forced_srv = stg_calloc((size_t)f->nservers + 1, sizeof *fp->forced_srv);
    fp->server_size = stg_calloc((size_t)f->nservers + 1, sizeof *fp->server_size);
    for (int c = 0; fp->server_size && c < f->ncomputers; c++)
        if (f->computers[c].server >= 0)
            fp->server_size[f->computers[c].server]++;
    if (fp->forced && fp->o->focus_link >= 0 && fp->o->focus_link < L)
        fp->forced[fp->o->focus_link] = true;
    fp->settings = stg_settings_copy(base);
    fp->bound = stg_calloc((size_t)L + 1, sizeof *fp->bound);
    fp->nowait = stg_calloc((size_t)L + 1, sizeof *fp->nowait);
    fp->exact = stg_calloc((size_t)L + 1, sizeof *fp->exact);
    fp->gave_up = stg_calloc((size_t)L + 1, sizeof *fp->gave_up);
    fp->tried = stg_calloc((size_t)L + 1, sizeof *fp->tried);
    fp->lift_memo = stg_calloc((size_t)L + 1, sizeof *fp->lift_memo);
    fp->exact_th = stg_calloc((size_t)f->ncomputers + 1, sizeof *fp->exact_th);
    fp->had = stg_calloc((size_t)L + 1, sizeof *fp->had);
    if (!force || !force_srv || !fp->forced || !fp->forced_srv ||
        !fp->server_size || !fp->settings || !fp->bound || !fp->nowait ||
        !fp->exact || !fp->gave_up || !fp->tried || !fp->lift_memo ||
        !fp->exact_th || !fp->had || part_arrays(fp))
        goto out;
    if (pthread_mutex_init(&fp->lock, NULL))
        goto out;
    if (pthread_cond_init(&fp->wake, NULL)) {
        pthread_mutex_destroy(&fp->lock);
        goto out;
    }
    locks = true;
    if (fp->o->threads > 1 &&
        !(fp->help = stg_pool_board_new(&fp->lock, &fp->wake)))
        goto out;
    fp->achieved = fp->worst_bound = 1;
    for (int k = 0; k < fp->pt->nparts; k++)
        fp->replan[k] = true;
    fp->others = stg_calloc((size_t)L + 1, sizeof *fp->others);
    if (!fp->others || shared_arrays(fp))
        goto out;
    bool fresh = false;         /* shared_bounds() of the last plan */
    for (int round = 0;; round++) {
        if (plan_round(fp, cause))
            goto out;
        stg_trace("round %d planned at %.2fs", round, stg_now() - fp->t0);
        stg_schedule_free(sc);
        if (!(sc = put_together(fp)))
            goto out;
        stg_trace("round %d put together at %.2fs", round, stg_now() - fp->t0);
        fresh = false;
        if (round + 1 == ROUNDS)
            break;
        if (stg_limit_reached(&fp->lim)) {
            fp->rounds_cut = true;
            break;
        }
        /* another round only with time for it: at least half of what
         * the rounds so far took */
        double now = stg_now();
        bool no_time = fp->lim.deadline > 0 &&
                       fp->lim.deadline - now < (now - fp->t0) / 2;
        if (shared_bounds(fp))
            goto out;
        stg_trace("round %d shared bounds at %.2fs", round, stg_now() - fp->t0);
        fresh = true;
        int joins = too_low(fp, sc, force, force_srv);
        /* parts left apart for want of time: the plan depends on the
         * clock (and so on the threads), and says so */
        fp->rounds_cut = joins > 0 && no_time;
        if (joins == 0 || no_time)
            break;
        fp->from_plan = true;
        for (int l = 0; l < L; l++)
            fp->had[l] = 1 - sc->eval->headroom[l];
        if (join_parts(fp, base, force, force_srv) || shared_arrays(fp) ||
            others_from(fp, sc))
            goto out;
        stg_trace("round %d joined at %.2fs", round, stg_now() - fp->t0);
    }
    int dr = deeper_pass(fp, &sc, cause);
    if (dr < 0)
        goto out;
    if (dr > 0)
        fresh = false;
    if (!fresh && shared_bounds(fp))
        goto out;
    stg_trace("final shared bounds at %.2fs", stg_now() - fp->t0);
    if (polish_shared(fp, &sc))
        goto out;
    double worst = 1;
    for (int k = 0; k < fp->pt->nparts; k++)
        if (fp->worst[k] < worst)
            worst = fp->worst[k];
    stg_schedule_set_bounds(sc, fp->bound, worst);
    stg_found fd;
    memset(&fd, 0, sizeof fd);
    fd.parts = fp->pt->nparts;
    for (int k = 0; k < fp->pt->nparts; k++) {
        fd.used |= fp->found[k].used & ~(unsigned)STG_FOUND_EXHAUSTIVE;
        fd.time_limit |= fp->found[k].time_limit;
        fd.stopped |= fp->found[k].stopped;
        fd.parts_proven += fp->found[k].parts_proven;
    }
    fd.time_limit |= fp->polish_cut | fp->rounds_cut;
    sc->found = fd;
    stg_part_nowait(sc, fp->nowait);
    fp->nowait = NULL;
    *out = sc;
    sc = NULL;
    rc = 0;
out:
    stg_pool_board_free(fp->help);
    fp->help = NULL;
    if (locks) {
        pthread_cond_destroy(&fp->wake);
        pthread_mutex_destroy(&fp->lock);
    }
    stg_schedule_free(sc);
    stg_free(force);
    stg_free(force_srv);
    return rc;
}

/* --- the entry points ---------------------------------------------------- */



/* The whole fleet as one part: its schedule with the bounds for
 * schedules without waits. */
static int plan_whole(const stg_fleet *f, const stg_settings *base,
                      const stg_plan_opts *o, const stg_limit *lim, double t0,
                      stg_schedule **out, char **cause)
{
    stg_part pp;
    memset(&pp, 0, sizeof pp);
    pp.f = f;
    pp.base = base;
    pp.o = o;
    pp.lim = *lim;
    pp.seed = o->seed;
    pp.whole = true;
    pp.threads = o->threads > 1 ? o->threads : 1;
    pp.exact_budget = o->exact_budget;
    pp.t0 = t0;
    pp.cause = cause;
    int rc = -1;
    double *nowait = stg_malloc(sizeof *nowait * (size_t)(f->nlinks + 1));
    if (nowait && stg_part_run(&pp, 0) == 0) {
        for (int l = 0; l < f->nlinks; l++)
            nowait[l] = 1 - pp.target[l];
        pp.found.parts = 1;
        pp.found.parts_proven = pp.done;
        pp.best->found = pp.found;
        stg_part_nowait(pp.best, nowait);
        nowait = NULL;
        *out = pp.best;
        pp.best = NULL;
        rc = 0;
    }
    stg_free(nowait);
    stg_part_free(&pp);
    return rc;
}

int stg_plan(const stg_fleet *f, const stg_plan_opts *o, stg_schedule **out,
             char **cause)
{
    double t0 = stg_now();
    stg_limit lim = { o->time_limit > 0 ? t0 + o->time_limit : 0, o->stop };
    stg_settings *base = stg_settings_today(f);
    stg_parts *pt = NULL;
    stg_schedule *sc = NULL;
    fleet_plan fp;
    memset(&fp, 0, sizeof fp);
    int rc = -1;
    *cause = NULL;
    if (!base)
        goto out;
    stg_settings_recommend_throttles(f, base);
    bool *focus = stg_calloc((size_t)f->nlinks + 1, sizeof *focus);
    if (focus && o->focus_link >= 0 && o->focus_link < f->nlinks)
        focus[o->focus_link] = true;
    pt = focus ? stg_parts_split(f, base, focus, NULL) : NULL;
    stg_free(focus);
    if (!pt)
        goto out;
    if (lim.deadline > 0) {
        /* the search ends early enough to put the plan together and
         * write it within the limit: that takes a few times what reading
         * the fleet into parts took (WRAP_UP), at most a quarter of it */
        double keep = WRAP_UP * (stg_now() - t0);
        if (keep > o->time_limit / 4)
            keep = o->time_limit / 4;
        lim.deadline -= keep;
    }
    if (pt->nparts <= 1) {
        if (plan_whole(f, base, o, &lim, t0, &sc, cause))
            goto out;
    } else {
        fp.f = f;
        fp.pt = pt;
        pt = NULL;              /* the rounds own it from here */
        fp.o = o;
        fp.lim = lim;
        fp.t0 = t0;
        if (plan_parts(&fp, base, &sc, cause))
            goto out;
    }
    if (o->parts) {
        *o->parts = fp.pt ? fp.pt : pt;
        if (fp.pt)
            fp.pt = NULL;
        else
            pt = NULL;
    }
    char method[400];
    stg_found_text(&sc->found, method, sizeof method);
    sc->stopped = sc->found.stopped;
    sc->method = stg_strdup(method);
    if (!sc->method)
        goto out;
    sc->seconds = stg_now() - t0;
    stg_trace("plan ends at %.2fs", sc->seconds);
    *out = sc;
    sc = NULL;
    rc = 0;
out:
    if (rc && !*cause)
        *cause = stg_strdup("out of memory");
    if (fp.f)
        fleet_plan_free(&fp);
    stg_schedule_free(sc);
    stg_parts_free(pt);
    stg_settings_free(base);
    return rc;
}

int stg_plan_parts(const stg_fleet *f, stg_parts **out)
{
    stg_settings *s = stg_settings_today(f);
    if (!s)
        return -1;
    stg_settings_recommend_throttles(f, s);
    *out = stg_parts_split(f, s, NULL, NULL);
    stg_settings_free(s);
    return *out ? 0 : -1;
}

int stg_plan_prepare(const stg_fleet *f, const stg_limit *lim,
                     stg_problem **out, double *bound, double *target)
{
    stg_part pp;
    stg_plan_opts o;
    char *cause = NULL;
    stg_settings *base = stg_settings_today(f);
    int rc = -1;
    stg_plan_opts_init(&o);
    memset(&pp, 0, sizeof pp);
    pp.f = f;
    pp.base = base;
    pp.o = &o;
    pp.lim = lim ? *lim : (stg_limit){ 0, NULL };
    pp.quiet = true;
    pp.cause = &cause;
    if (base) {
        stg_settings_recommend_throttles(f, base);
        if (stg_part_prepare(&pp) == 0) {
            memcpy(bound, pp.bound, sizeof *bound * (size_t)f->nlinks);
            for (int l = 0; l < f->nlinks; l++)
                target[l] = 1 - pp.target[l];
            *out = pp.p;
            pp.p = NULL;
            rc = 0;
        }
    }
    stg_part_free(&pp);
    stg_settings_free(base);
    stg_free(cause);
    return rc;
}

int stg_evaluate(const stg_fleet *f, stg_settings *s, bool bounds,
                 stg_schedule **out, char **cause)
{
    double t0 = stg_now();
    /* The bounds hold for the throttles the settings give (a plan's may
     * have been lowered); today's are taken with the recommended
     * throttles planning starts from, so the bound says what a plan
     * could reach. */
    stg_problem *p = NULL;
    double *bound = NULL, *nowait = NULL;
    int rc = -1;
    if (bounds) {
        p = stg_problem_new(f, s);
        bound = stg_calloc((size_t)f->nlinks + 1, sizeof *bound);
        nowait = stg_calloc((size_t)f->nlinks + 1, sizeof *nowait);
        if (!p || !bound || !nowait ||
            stg_bound_links(p, 0, NULL, NULL, bound) ||
            stg_bound_links(p, 1, NULL, NULL, nowait)) {
            stg_settings_free(s);
            goto oom;
        }
    }
    if (!s)
        s = stg_settings_today(f);
    if (!s)
        goto oom;
    *out = stg_schedule_build(f, s, bound);
    if (!*out)
        goto oom;
    if (nowait)
        stg_part_nowait(*out, nowait);
    nowait = NULL;
    (*out)->method = stg_strdup("evaluated");
    if (!(*out)->method) {
        stg_schedule_free(*out);
        *out = NULL;
        goto oom;
    }
    (*out)->seconds = stg_now() - t0;
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    stg_problem_free(p);
    stg_free(bound);
    stg_free(nowait);
    return rc;
}
