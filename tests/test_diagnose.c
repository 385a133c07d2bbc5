/* Failed jobs placed on the predicted load (model/diagnose.h), against
 * counts worked out by hand.
 *
 * The fleet: efficiency 100%, resolution 1m, 15% headroom.  Computer
 * fs01 sends at 9Mbps (67.5MB a minute) over wan (10Mbps) and core
 * (1Gbps); its group syncs 405MB every hour at minute 0, so wan carries
 * 90% (10% headroom: below the limit) in minutes 0-5 of every hour and
 * nothing else: 144 of the day's 1440 slots, a share of 0.1.  core is
 * never below.  The histories' jobs are written on their DPM server's
 * clock, UTC+01:00 unless a test says otherwise, the fleet's at UTC. */
#include <check.h>
#include <math.h>
#include <stdlib.h>

#include "fleet_util.h"
#include "model/alloc.h"
#include "model/diagnose.h"
#include "model/eval.h"
#include "model/sim.h"

static const char *fleet_head =
    "stagger: 1\n"
    "efficiency: 100%\n"
    "headroom: 15%\n";
static const char *fleet_body =
    "links: [ { name: wan, capacity: 10Mbps }, { name: core, capacity: 1Gbps } ]\n"
    "servers: [ { name: dpm, path: [core] } ]\n"
    "computers:\n"
    "  - { name: fs01.branch1.contoso.local, server: dpm, path: [wan], throttle: 9Mbps }\n"
    "  - { name: web.a.contoso.local, server: dpm, throttle: 9Mbps }\n"
    "  - { name: web.b.contoso.local, server: dpm, throttle: 9Mbps }\n"
    "  - { name: sql02, server: dpm, throttle: 9Mbps }\n"
    "groups:\n"
    "  - name: Files\n"
    "    server: dpm\n"
    "    sync: { every: 1h, offset: 0m }\n"
    "    sources:\n"
    "      - { name: d, computer: fs01.branch1.contoso.local, kind: file, size: 1TB, churn: 9720MB/day }\n"
    "      - { name: w1, computer: web.a.contoso.local, kind: file, size: 1GB, churn: 1MB/day }\n"
    "      - { name: w2, computer: web.b.contoso.local, kind: file, size: 1GB, churn: 1MB/day }\n"
    "      - { name: s, computer: sql02, kind: file, size: 1GB, churn: 1MB/day }\n";

/* seconds since 1970 of a date and time (proleptic Gregorian) */
static long long at(int y, int mo, int d, int h, int mi, int s)
{
    y -= mo <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097 + doe - 719468;
    return days * 86400 + h * 3600 + mi * 60 + s;
}

typedef struct {
    stg_fleet *f;
    stg_settings *s;
    stg_sim *sim;
    stg_eval *e;
} world;

static world make(const char *extra)
{
    static char buf[4096];
    world w;
    snprintf(buf, sizeof buf, "%s%s%s", fleet_head, extra, fleet_body);
    w.f = test_fleet(buf);
    w.s = stg_settings_today(w.f);
    ck_assert_ptr_nonnull(w.s);
    ck_assert_int_eq(stg_sim_run(w.f, w.s, &w.sim), 0);
    w.e = stg_eval_run(w.f, w.sim);
    ck_assert_ptr_nonnull(w.e);
    return w;
}

static void done(world *w, stg_diagnosis *d)
{
    stg_diagnosis_free(d);
    stg_eval_free(w->e);
    stg_sim_free(w->sim);
    stg_settings_free(w->s);
    stg_fleet_free(w->f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}

/* a job that started at start (its server's clock), ten minutes long */
static stg_dpm_job job(const char *computer, long long start,
                       const char *status, int id)
{
    stg_dpm_job j;
    memset(&j, 0, sizeof j);
    j.type = "Replication";
    j.group = "Files";
    j.computer = (char *)computer;
    j.start = start;
    j.end = start + 600;
    j.status = (char *)status;
    j.error_id = id;
    j.bytes = -1;
    return j;
}

static stg_dpm_export history(stg_dpm_job *jobs, int n, int utc_offset)
{
    stg_dpm_export x;
    memset(&x, 0, sizeof x);
    x.version = 1;
    x.utc_offset = utc_offset;
    x.server = "DPM01";
    x.jobs = jobs;
    x.njobs = n;
    return x;
}

static stg_diagnosis *diagnose(const world *w, const stg_dpm_export *x, int n)
{
    const stg_dpm_export *hist[4];
    for (int i = 0; i < n; i++)
        hist[i] = &x[i];
    stg_diagnosis *d = stg_diagnose(w->f, w->sim, w->e, hist, n);
    ck_assert_ptr_nonnull(d);
    return d;
}

static const stg_id_tally *id_row(const stg_diagnosis *d, int id)
{
    for (int i = 0; i < d->nids; i++)
        if (d->ids[i].id == id)
            return &d->ids[i];
    ck_abort_msg("no row for ID %d", id);
    return NULL;
}

#define FS "fs01.branch1.contoso.local"
#define H (3600)                /* the server's clock is an hour ahead */

/* The jobs of a computer start where they start: failures that fall
 * below the limit as often as its succeeded jobs do are not saturation's
 * (every job starts at minutes 0-5, so by the share of time, a tenth,
 * they would seem to be); failures below far more often than its
 * succeeded jobs are. */
static void job_chance_case(int succ_below, int succ_other, int fail_below,
                            int fail_other, double chance,
                            stg_verdict verdict)
{
    world w = make("");
    int n = succ_below + succ_other + fail_below + fail_other, k = 0;
    stg_dpm_job *jobs = stg_calloc((size_t)n, sizeof *jobs);
    ck_assert_ptr_nonnull(jobs);
    for (int i = 0; i < succ_below; i++, k++)    /* minute 2: below */
        jobs[k] = job(FS, at(2026, 11, 1 + i % 28, i % 24, 2, 0),
                      "Succeeded", 0);
    for (int i = 0; i < succ_other; i++, k++)    /* minute 30: not */
        jobs[k] = job(FS, at(2026, 11, 1 + i % 28, i % 24, 30, 0),
                      "Succeeded", 0);
    for (int i = 0; i < fail_below; i++, k++)
        jobs[k] = job(FS, at(2026, 11, 1 + i % 28, i % 24, 3, 0), "Failed",
                      42);
    for (int i = 0; i < fail_other; i++, k++)
        jobs[k] = job(FS, at(2026, 11, 1 + i % 28, i % 24, 40, 0), "Failed",
                      42);
    stg_dpm_export x = history(jobs, n, 0);
    stg_diagnosis *d = diagnose(&w, &x, 1);
    ck_assert_int_eq(d->nfailures, fail_below + fail_other);
    bool from_jobs = succ_below + succ_other >= STG_DIAG_MIN_JOBS;
    ck_assert(d->failures[0].baseline == from_jobs);
    const stg_tally *wan = &d->links[0];
    ck_assert_int_eq(wan->below, fail_below);
    ck_assert_int_eq(wan->baseline, from_jobs ? succ_below + succ_other : 0);
    ck_assert_double_eq_tol(wan->chance, chance, 1e-9);
    ck_assert_int_eq(wan->verdict, verdict);
    const stg_id_tally *r = id_row(d, 42);
    ck_assert_double_eq_tol(r->tally.chance, chance, 1e-9);
    ck_assert_int_eq(r->tally.verdict, verdict);
    stg_free(jobs);
    done(&w, d);
}

START_TEST(chance_from_jobs)
{
    /* 40 of 50 succeeded jobs start below: 16 of 20 failures is chance */
    job_chance_case(40, 10, 16, 4, 16.0, STG_VERDICT_NOT);
    /* 5 of 50: 8 of 10 failures below is not (1 expected) */
    job_chance_case(5, 45, 8, 2, 1.0, STG_VERDICT_EXPLAINS);
}
END_TEST

/* Fewer than STG_DIAG_MIN_JOBS succeeded jobs: the share of time. */
START_TEST(chance_from_time)
{
    job_chance_case(0, 0, 8, 2, 1.0, STG_VERDICT_EXPLAINS);
}
END_TEST

START_TEST(hand_computed)
{
    world w = make("");
    stg_dpm_job jobs[] = {
        /* below on wan (minutes 0-5 of an hour, fleet clock) */
        job(FS, at(2026, 11, 29, 8, 2, 30) + H, "Failed", 308),
        job(FS, at(2026, 11, 29, 9, 3, 10) + H, "Failed", 308),
        job(FS, at(2026, 11, 28, 10, 0, 0) + H, "FAILED", 308),
        job("FS01", at(2026, 11, 27, 11, 5, 59) + H, "Failed", 308),
        job(FS, at(2026, 11, 29, 12, 1, 0) + H, "Failed", 52),
        job("FS01.Branch1.Contoso.Local", at(2026, 11, 29, 13, 4, 0) + H,
            "Failed", 52),
        /* not below */
        job(FS, at(2026, 11, 29, 8, 30, 0) + H, "Failed", 308),
        job(FS, at(2026, 11, 29, 14, 20, 0) + H, "Failed", 308),
        job(FS, at(2026, 11, 29, 15, 45, 0) + H, "Failed", 52),
        job(FS, at(2026, 11, 29, 16, 6, 0) + H, "Failed", 52),
        /* not counted: succeeded, or not placed */
        job(FS, at(2026, 11, 29, 8, 1, 0) + H, "Succeeded", 0),
        job("ws07.contoso.local", at(2026, 11, 29, 8, 1, 0) + H, "Failed", 41),
        job("WS07.CONTOSO.LOCAL", at(2026, 11, 29, 9, 1, 0) + H, "Failed", 41),
        job("web", at(2026, 11, 29, 9, 1, 0) + H, "Failed", 43),
        job(NULL, at(2026, 11, 29, 9, 1, 0) + H, "Failed", 43),
    };
    stg_dpm_export x = history(jobs, (int)(sizeof jobs / sizeof jobs[0]), H);
    stg_diagnosis *d = diagnose(&w, &x, 1);

    ck_assert_int_eq(d->cycle, STG_DAY);
    ck_assert_int_eq(d->nslots, 1440);
    ck_assert_int_eq(d->below_slots[0], 144);
    ck_assert_int_eq(d->below_slots[1], 0);
    ck_assert_int_eq(d->jobs, 15);
    ck_assert_int_eq(d->failed, 14);
    ck_assert_int_eq(d->nfailures, 10);
    ck_assert_int_eq(d->unknown, 3);
    ck_assert_int_eq(d->nameless, 1);
    ck_assert_int_eq(d->nolink, 0);

    /* by cycle time: 08:02:30 first, 16:06 last; the moment is the start */
    ck_assert_int_eq(d->failures[0].t, 8 * 3600 + 150);
    ck_assert(d->failures[0].below);
    ck_assert_int_eq(d->failures[1].t, 8 * 3600 + 1800);
    ck_assert(!d->failures[1].below);
    ck_assert_int_eq(d->failures[9].t, 16 * 3600 + 360);
    ck_assert(!d->failures[9].below);       /* minute 6: the limit holds */
    ck_assert_int_eq(d->failures[4].t, 11 * 3600 + 359);
    ck_assert(d->failures[4].below);        /* 11:05:59, the host name */
    ck_assert_int_eq(d->failures[4].computer, 0);
    ck_assert(d->failures[0].when == at(2026, 11, 29, 8, 2, 30));
    ck_assert_double_eq_tol(d->failures[0].share, 0.1, 1e-12);

    /* wan: 6 of 10 below, 1 by chance: P(X >= 6), X ~ B(10, 0.1) */
    const stg_tally *wan = &d->links[0];
    ck_assert_int_eq(wan->failures, 10);
    ck_assert_int_eq(wan->below, 6);
    ck_assert_double_eq_tol(wan->chance, 1.0, 1e-12);
    ck_assert_double_eq_tol(wan->p, 1.4690260e-4, 1e-10);
    ck_assert_int_eq(wan->verdict, STG_VERDICT_EXPLAINS);
    /* core: never below, so nothing there is saturation's */
    const stg_tally *core = &d->links[1];
    ck_assert_int_eq(core->failures, 10);
    ck_assert_int_eq(core->below, 0);
    ck_assert_double_eq(core->chance, 0);
    ck_assert_double_eq(core->p, 1);
    ck_assert_int_eq(core->verdict, STG_VERDICT_NOT);

    /* per ID, on the union of fs01's links (share 0.1 too) */
    ck_assert_int_eq(d->nids, 2);
    ck_assert_int_eq(d->ids[0].id, 308);    /* most failures first */
    const stg_tally *t308 = &id_row(d, 308)->tally;
    ck_assert_int_eq(t308->failures, 6);
    ck_assert_int_eq(t308->below, 4);
    ck_assert_double_eq_tol(t308->chance, 0.6, 1e-12);
    ck_assert_double_eq_tol(t308->p, 1.27e-3, 1e-12);
    ck_assert_int_eq(t308->verdict, STG_VERDICT_EXPLAINS);
    const stg_tally *t52 = &id_row(d, 52)->tally;
    ck_assert_int_eq(t52->failures, 4);
    ck_assert_int_eq(t52->below, 2);
    ck_assert_double_eq_tol(t52->chance, 0.4, 1e-12);
    ck_assert_int_eq(t52->verdict, STG_VERDICT_FEW);      /* under 5 */
    ck_assert_int_eq(d->all.failures, 10);
    ck_assert_int_eq(d->all.below, 6);
    ck_assert_double_eq_tol(d->all.p, 1.4690260e-4, 1e-10);
    ck_assert_int_eq(d->all.verdict, STG_VERDICT_EXPLAINS);

    /* strangers: one per name whatever its case; "web" could be either
     * web.a or web.b */
    ck_assert_int_eq(d->nstrangers, 2);
    ck_assert_str_eq(d->strangers[0].name, "ws07.contoso.local");
    ck_assert_int_eq(d->strangers[0].failures, 2);
    ck_assert(!d->strangers[0].ambiguous);
    ck_assert_str_eq(d->strangers[1].name, "web");
    ck_assert(d->strangers[1].ambiguous);
    done(&w, d);
}
END_TEST

/* A DNS name in the history, a host name in the fleet; an address is
 * no host name. */
START_TEST(short_names)
{
    world w = make("");
    stg_dpm_job jobs[] = {
        job("SQL02.contoso.local", at(2026, 11, 29, 8, 2, 0), "Failed", 308),
        job("10.0.0.5", at(2026, 11, 29, 8, 2, 0), "Failed", 308),
        job("web.a.contoso.local", at(2026, 11, 29, 8, 2, 0), "Failed", 308),
    };
    stg_dpm_export x = history(jobs, 3, 0);
    stg_diagnosis *d = diagnose(&w, &x, 1);
    ck_assert_int_eq(d->nfailures, 2);
    ck_assert_int_eq(d->failures[0].computer, 3);   /* sql02 */
    ck_assert_int_eq(d->failures[1].computer, 1);   /* web.a */
    /* neither crosses a link of its own, but both cross core */
    ck_assert(!d->failures[0].below);
    ck_assert_int_eq(d->nstrangers, 1);
    ck_assert_str_eq(d->strangers[0].name, "10.0.0.5");
    done(&w, d);
}
END_TEST

START_TEST(time_zones)
{
    /* the same moment on three clocks */
    long long t = at(2026, 11, 29, 14, 2, 0);         /* 14:02 at UTC+01:00 */
    ck_assert_int_eq(stg_diag_cycle_time(STG_DAY, t, 3600, 0), 13 * 3600 + 120);
    ck_assert_int_eq(stg_diag_cycle_time(STG_DAY, t, 3600, -5 * 3600),
                     8 * 3600 + 120);
    /* across midnight, backwards and forwards */
    ck_assert_int_eq(stg_diag_cycle_time(STG_DAY, at(2026, 11, 29, 0, 30, 0),
                                         3600, -3600), 86400 - 5400);
    ck_assert_int_eq(stg_diag_cycle_time(STG_DAY, at(2026, 11, 29, 23, 30, 0),
                                         -8 * 3600, 9 * 3600 + 1800),
                     17 * 3600);
    /* the fleet at UTC-05:00, two servers on other clocks: each failure
     * lands where the fleet's clock has it */
    world w = make("utc_offset: \"-05:00\"\n");
    stg_dpm_job a[] = { job(FS, at(2026, 11, 29, 14, 2, 0), "Failed", 308) };
    stg_dpm_job b[] = { job(FS, at(2026, 11, 29, 23, 33, 0), "Failed", 308) };
    stg_dpm_export x[2] = { history(a, 1, 3600), history(b, 1, -8 * 3600 + 0) };
    /* b: 23:33 at UTC-08:00 is 02:33 (next day) at UTC-05:00 */
    stg_diagnosis *d = diagnose(&w, x, 2);
    ck_assert_int_eq(d->nfailures, 2);
    ck_assert_int_eq(d->failures[0].t, 2 * 3600 + 33 * 60);
    ck_assert_int_eq(d->failures[0].file, 1);
    ck_assert(!d->failures[0].below);
    ck_assert_int_eq(d->failures[1].t, 8 * 3600 + 120);
    ck_assert_int_eq(d->failures[1].file, 0);
    ck_assert(d->failures[1].below);
    ck_assert(d->failures[1].when == at(2026, 11, 29, 8, 2, 0));
    ck_assert(d->first == at(2026, 11, 29, 8, 2, 0));
    ck_assert(d->last == at(2026, 11, 30, 2, 33, 0));
    done(&w, d);
}
END_TEST

START_TEST(week_cycle)
{
    /* 1970-01-05 was a Monday: the week's start */
    ck_assert_int_eq(stg_diag_cycle_time(STG_WEEK, at(1970, 1, 5, 0, 0, 0), 0, 0), 0);
    ck_assert_int_eq(stg_diag_cycle_time(STG_WEEK, at(1970, 1, 1, 0, 0, 0), 0, 0),
                     3 * 86400);
    /* 2026-11-29 is a Sunday, 2026-11-30 a Monday */
    ck_assert_int_eq(stg_diag_cycle_time(STG_WEEK, at(2026, 11, 29, 23, 59, 0), 0, 0),
                     6 * 86400 + 86340);
    ck_assert_int_eq(stg_diag_cycle_time(STG_WEEK, at(2026, 11, 30, 0, 30, 0),
                                         3600, 0), 6 * 86400 + 86400 - 1800);
    world w = make("cycle: week\n");
    ck_assert_int_eq(w.sim->nslots, 10080);
    stg_dpm_job jobs[] = {
        job(FS, at(2026, 11, 30, 0, 2, 0), "Failed", 308),      /* mon 00:02 */
        job(FS, at(2026, 11, 29, 23, 59, 0), "Failed", 308),    /* sun 23:59 */
        job(FS, at(2026, 12, 2, 17, 4, 0), "Failed", 308),      /* wed 17:04 */
    };
    stg_dpm_export x = history(jobs, 3, 0);
    stg_diagnosis *d = diagnose(&w, &x, 1);
    ck_assert_int_eq(d->cycle, STG_WEEK);
    ck_assert_int_eq(d->below_slots[0], 7 * 144);
    ck_assert_int_eq(d->failures[0].t, 120);
    ck_assert(d->failures[0].below);
    ck_assert_int_eq(d->failures[1].t, 2 * 86400 + 17 * 3600 + 240);
    ck_assert(d->failures[1].below);
    ck_assert_int_eq(d->failures[2].t, 6 * 86400 + 86340);
    ck_assert(!d->failures[2].below);
    ck_assert_int_eq(d->links[0].below, 2);
    ck_assert_int_eq(d->links[0].verdict, STG_VERDICT_FEW);
    done(&w, d);
}
END_TEST

/* No history, one with only successes, a running job: nothing to
 * place, every tally empty and too few to tell. */
START_TEST(no_failures)
{
    world w = make("");
    stg_dpm_job jobs[] = {
        job(FS, at(2026, 11, 29, 8, 2, 0), "Succeeded", 0),
        job(FS, at(2026, 11, 29, 9, 2, 0), "InProgress", 0),
        job(FS, at(2026, 11, 29, 10, 2, 0), NULL, 0),
    };
    jobs[1].end = -1;
    stg_dpm_export x[2] = { history(jobs, 3, 0), history(NULL, 0, 0) };
    stg_diagnosis *d = diagnose(&w, x, 2);
    ck_assert_int_eq(d->jobs, 3);
    ck_assert_int_eq(d->failed, 0);
    ck_assert_int_eq(d->nfailures, 0);
    ck_assert_int_eq(d->nids, 0);
    ck_assert_int_eq(d->nstrangers, 0);
    ck_assert(d->first == at(2026, 11, 29, 8, 2, 0));
    ck_assert(d->last == at(2026, 11, 29, 10, 2, 0));
    for (int l = 0; l < 2; l++) {
        ck_assert_int_eq(d->links[l].failures, 0);
        ck_assert_int_eq(d->links[l].verdict, STG_VERDICT_FEW);
    }
    ck_assert_int_eq(d->all.verdict, STG_VERDICT_FEW);
    stg_diagnosis_free(d);
    d = diagnose(&w, x + 1, 1);
    ck_assert_int_eq(d->jobs, 0);
    ck_assert(d->first > d->last);
    done(&w, d);
}
END_TEST

/* A link below the limit most of the cycle: even all failures below
 * would be no surprise. */
START_TEST(too_few_to_tell)
{
    stg_tally t = { .failures = 5, .below = 5 };
    ck_assert_int_eq(stg_tally_judge(&t, NULL, 0.6), 0);         /* 0.6^5 = 0.078 */
    ck_assert_int_eq(t.verdict, STG_VERDICT_CANNOT);
    ck_assert_double_eq_tol(t.p, 0.07776, 1e-12);
    t = (stg_tally){ .failures = 6, .below = 6 };
    ck_assert_int_eq(stg_tally_judge(&t, NULL, 0.6), 0);         /* 0.6^6 = 0.047 */
    ck_assert_int_eq(t.verdict, STG_VERDICT_EXPLAINS);
    t = (stg_tally){ .failures = 6, .below = 5 };
    ck_assert_int_eq(stg_tally_judge(&t, NULL, 0.6), 0);         /* P(X >= 5) = 0.233 */
    ck_assert_int_eq(t.verdict, STG_VERDICT_NOT);
    ck_assert_double_eq_tol(t.p, 0.23328, 1e-12);
}
END_TEST

START_TEST(chance_tails)
{
    double p[200];
    for (int i = 0; i < 200; i++)
        p[i] = 0.1;
    /* the sum over events of one probability is the binomial */
    ck_assert_double_eq_tol(stg_chance_tail(p, 10, 6), 1.4690260e-4, 1e-12);
    ck_assert_double_eq_tol(stg_binomial_tail(10, 6, 0.1), 1.4690260e-4, 1e-12);
    ck_assert_double_eq(stg_chance_tail(p, 10, 0), 1);
    ck_assert_double_eq(stg_chance_tail(p, 10, 11), 0);
    ck_assert_double_eq(stg_binomial_tail(10, 1, 0), 0);
    ck_assert_double_eq(stg_binomial_tail(10, 10, 1), 1);
    for (int k = 0; k <= 60; k += 5)
        ck_assert_double_eq_tol(stg_chance_tail(p, 200, k),
                                stg_binomial_tail(200, k, 0.1), 1e-12);
    /* two different probabilities: P(both) = 0.02, P(one or more) = 0.28 */
    double q[2] = { 0.1, 0.2 };
    ck_assert_double_eq_tol(stg_chance_tail(q, 2, 2), 0.02, 1e-15);
    ck_assert_double_eq_tol(stg_chance_tail(q, 2, 1), 0.28, 1e-15);
    /* past the exact sum's work, the normal approximation: close */
    int n = 20000;
    double *r = malloc(sizeof *r * n);
    ck_assert_ptr_nonnull(r);
    for (int i = 0; i < n; i++)
        r[i] = 0.1;
    double approx = stg_chance_tail(r, n, 2070);
    double exact = stg_binomial_tail(n, 2070, 0.1);
    ck_assert(exact > 0.03 && exact < 0.06);
    ck_assert_double_eq_tol(approx, exact, exact * 0.1);
    free(r);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* Out of memory at every allocation: NULL, nothing left allocated. */
START_TEST(out_of_memory)
{
    world w = make("");
    stg_dpm_job jobs[] = {
        job(FS, at(2026, 11, 29, 8, 2, 0), "Failed", 308),
        job("ws07", at(2026, 11, 29, 8, 2, 0), "Failed", 308),
    };
    stg_dpm_export x = history(jobs, 2, 0);
    const stg_dpm_export *hist[1] = { &x };
    long live = stg_alloc_live();
    bool ok = false;
    for (long nth = 1; !ok && nth < 100; nth++) {
        long base = stg_alloc_count();
        stg_alloc_fail_at(base + nth);
        stg_diagnosis *d = stg_diagnose(w.f, w.sim, w.e, hist, 1);
        stg_alloc_fail_at(0);
        ok = d != NULL;
        stg_diagnosis_free(d);
        ck_assert_int_eq(stg_alloc_live(), live);
    }
    ck_assert(ok);
    done(&w, NULL);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("diagnose");
    TCase *tc = tcase_create("diagnose");
    tcase_add_test(tc, hand_computed);
    tcase_add_test(tc, chance_from_jobs);
    tcase_add_test(tc, chance_from_time);
    tcase_add_test(tc, short_names);
    tcase_add_test(tc, time_zones);
    tcase_add_test(tc, week_cycle);
    tcase_add_test(tc, no_failures);
    tcase_add_test(tc, too_few_to_tell);
    tcase_add_test(tc, chance_tails);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
