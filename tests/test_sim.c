/* The simulation and evaluator against loads computed by hand.
 *
 * Arithmetic used throughout: efficiency 100%, resolution 1m, so a
 * computer throttled at 8Mbps (1 MB/s) moves 60MB per slot. */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet_util.h"
#include "model/alloc.h"
#include "model/eval.h"
#include "model/queue.h"
#include "model/sim.h"

#define MB 1e6

static const char *head =
    "stagger: 1\n"
    "efficiency: 100%\n"
    "headroom: 15%\n";

static stg_fleet *fleet_of(const char *body)
{
    static char buf[8192];
    snprintf(buf, sizeof buf, "%s%s", head, body);
    return test_fleet(buf);
}

static stg_sim *run(const stg_fleet *f, stg_settings **sp, int expect_rc)
{
    stg_settings *s = stg_settings_today(f);
    ck_assert_ptr_nonnull(s);
    stg_sim *sim = NULL;
    int rc = stg_sim_run(f, s, &sim);
    ck_assert_int_eq(rc, expect_rc);
    ck_assert_ptr_nonnull(sim);
    if (sp)
        *sp = s;
    else
        stg_settings_free(s);
    return sim;
}

static double load_at(const stg_sim *sim, int link, int minute)
{
    return stg_sim_load(sim, link, minute);
}

/* one computer, one group: 150MB every hour at offset 10m = 3 slots */
/* stg_queue_order() against an insertion sort (stable): jobs in runs
 * of rising releases (a computer's decisions, each wrapped at the cycle
 * end) with ties of release and of key, which must keep their order. */
START_TEST(queue_order_stable)
{
    enum { N = 60 };
    stg_qjob jobs[N], want[N], tj[N];
    int key[N], wkey[N], tk[N], run[N + 1];
    uint64_t x = (uint64_t)_i * 2654435761u + 1;
    int n = 1 + _i % N;
    for (int i = 0; i < n; i++) {
        x = x * 6364136223846793005u + 1442695040888963407u;
        memset(&jobs[i], 0, sizeof jobs[i]);
        /* runs of 7, each rising from a random slot, wrapped at 50 */
        jobs[i].release = (int)((x >> 33) % 50 * (i % 7 == 0) +
                                (i % 7) * (int)(x >> 60)) % 50;
        jobs[i].group = i;      /* tells equal jobs apart */
        key[i] = (int)(x >> 40) % 3;
        want[i] = jobs[i];
        wkey[i] = key[i];
    }
    for (int i = 1; i < n; i++) {
        stg_qjob j = want[i];
        int k = wkey[i], m = i;
        while (m > 0 && (want[m - 1].release > j.release ||
                         (want[m - 1].release == j.release && wkey[m - 1] > k))) {
            want[m] = want[m - 1];
            wkey[m] = wkey[m - 1];
            m--;
        }
        want[m] = j;
        wkey[m] = k;
    }
    stg_queue_order(jobs, key, n, tj, tk, run);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(jobs[i].release, want[i].release);
        ck_assert_int_eq(key[i], wkey[i]);
        ck_assert_int_eq(jobs[i].group, want[i].group);
    }
}
END_TEST

START_TEST(single_sync)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: fs, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 1h, offset: 10m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 3600MB/day } ]\n");
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->ntransfers, 24);
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        ck_assert_int_eq(t->release, 600 + 3600 * i);
        ck_assert_int_eq(t->start, t->release);
        ck_assert_int_eq(t->end, t->release + 180);
        ck_assert_double_eq_tol(t->volume, 150 * MB, 1e-3);
    }
    ck_assert_double_eq(load_at(sim, 0, 9), 0);
    ck_assert_double_eq(load_at(sim, 0, 10), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 12), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 13), 0);
    ck_assert_int_eq(sim->busy[0], 72);
    ck_assert_int_eq(sim->lag[0], 180);
    stg_eval *e = stg_eval_run(f, sim);
    ck_assert_double_eq_tol(e->headroom[0], 0.2, 1e-12);
    ck_assert_int_eq(e->at[0], 10);
    ck_assert_int_eq(e->nviolations, 0);
    stg_eval_free(e);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* two groups on one computer released together: first come, first
 * served by group name; A 150MB then B 90MB share slot 2 */
START_TEST(queue_fcfs)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: fs, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: B\n"
        "    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 2160MB/day } ]\n"
        "  - name: A\n"
        "    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 3600MB/day } ]\n");
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->ntransfers, 48);
    /* transfers sorted by start, computer, group: A at 0, B at 2 */
    const stg_transfer *a = &sim->transfers[0], *b = &sim->transfers[1];
    ck_assert_str_eq(f->groups[a->group].name, "A");
    ck_assert_int_eq(a->start, 0);
    ck_assert_int_eq(a->end, 180);
    ck_assert_str_eq(f->groups[b->group].name, "B");
    ck_assert_int_eq(b->release, 0);
    ck_assert_int_eq(b->start, 120);
    ck_assert_int_eq(b->end, 240);
    ck_assert_double_eq(load_at(sim, 0, 3), 8e6);   /* one throttle, not two */
    ck_assert_double_eq(load_at(sim, 0, 4), 0);
    ck_assert_int_eq(sim->lag[stg_fleet_group(f, "B")], 240);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* a 1200MB check (20 slots) at 00:00 holds up group S's syncs (30MB
 * every 15m): the 00:15 sync merges into the queued 00:00 one, which
 * then moves 60MB in slot 20 */
START_TEST(merge_behind_check)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: fs, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: C\n"
        "    sync: { every: 24h, offset: 0m }\n"
        "    consistency_check: { from: \"00:00\", to: \"06:00\" }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 120GB, churn: 0GB/day } ]\n"
        "  - name: S\n"
        "    sync: { every: 15m, offset: 0m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 2880MB/day } ]\n");
    stg_sim *sim = run(f, NULL, 0);
    int s = stg_fleet_group(f, "S");
    const stg_transfer *merged = NULL;
    int nsync = 0;
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        if (t->kind == STG_JOB_CC) {
            ck_assert_int_eq(t->start, 0);
            ck_assert_int_eq(t->end, 1200);
            ck_assert_double_eq_tol(t->volume, 1200 * MB, 1e-3);
        }
        if (t->group == s) {
            nsync++;
            if (t->release == 0)
                merged = t;
            ck_assert_int_ne(t->release, 900);  /* merged away */
        }
    }
    ck_assert_int_eq(nsync, 95);
    ck_assert_ptr_nonnull(merged);
    ck_assert_int_eq(merged->start, 1200);
    ck_assert_int_eq(merged->end, 1260);
    ck_assert_double_eq_tol(merged->volume, 60 * MB, 1e-3);
    ck_assert_int_eq(sim->lag[s], 1260);
    ck_assert_int_eq(sim->cc_late[stg_fleet_group(f, "C")], 0);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* a daily sync at 23:58 of 180MB wraps past midnight */
START_TEST(wrap_around)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: fs, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 24h, offset: 1438m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 180MB/day } ]\n");
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->ntransfers, 1);
    ck_assert_int_eq(sim->transfers[0].release, 1438 * 60);
    ck_assert_int_eq(sim->transfers[0].end, 1441 * 60);
    ck_assert_double_eq(load_at(sim, 0, 1438), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 1439), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 0), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 1), 0);
    ck_assert_int_eq(sim->busy[0], 3);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* work hours: 16Mbps (120MB/slot) at 07:59, 8Mbps (60MB) from 08:00;
 * 180MB released at 07:59 ends at 08:01; background 2Mbps 08:00-18:00 */
START_TEST(work_hours_throttle)
{
    stg_fleet *f = fleet_of(
        "links:\n"
        "  - name: wan\n"
        "    capacity: 20Mbps\n"
        "    background: [ { from: \"08:00\", to: \"18:00\", rate: 2Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers:\n"
        "  - name: fs\n"
        "    server: dpm\n"
        "    path: [wan]\n"
        "    throttle: { work: 8Mbps, other: 16Mbps, hours: \"08:00-18:00\", days: daily }\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 24h, offset: 479m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 180MB/day } ]\n");
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->ntransfers, 1);
    ck_assert_int_eq(sim->transfers[0].end, 481 * 60);
    ck_assert_double_eq(load_at(sim, 0, 478), 0);
    ck_assert_double_eq(load_at(sim, 0, 479), 16e6);
    ck_assert_double_eq(load_at(sim, 0, 480), 8e6 + 2e6);
    ck_assert_double_eq(load_at(sim, 0, 481), 2e6);
    ck_assert_double_eq(load_at(sim, 0, 1080), 0);      /* 18:00 */
    stg_eval *e = stg_eval_run(f, sim);
    ck_assert_double_eq_tol(e->headroom[0], 0.2, 1e-12);
    ck_assert_int_eq(e->at[0], 479);
    stg_eval_free(e);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* A branch six hours behind the DPM servers: its work hours (08:00-18:00
 * on its own clock) are 14:00-24:00 on the servers'; the background of
 * its line is on the servers' clock as written. */
START_TEST(work_hours_own_clock)
{
    stg_fleet *f = fleet_of(
        "utc_offset: \"+01:00\"\n"
        "links: [ { name: wan, capacity: 20Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers:\n"
        "  - name: fs\n"
        "    server: dpm\n"
        "    path: [wan]\n"
        "    utc_offset: \"-05:00\"\n"
        "    throttle: { work: 8Mbps, other: 16Mbps, hours: \"08:00-18:00\", days: daily }\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 2400MB/day } ]\n");
    ck_assert_int_eq(f->computers[0].throttle.shift, -6 * 3600);
    stg_sim *sim = run(f, NULL, 0);
    /* 100MB an hour: 1 minute at 16Mbps, 2 at 8Mbps (efficiency 100%) */
    ck_assert_double_eq(load_at(sim, 0, 8 * 60), 16e6);     /* 02:00 there */
    ck_assert_double_eq(load_at(sim, 0, 13 * 60), 16e6);    /* 07:00 there */
    ck_assert_double_eq(load_at(sim, 0, 14 * 60), 8e6);     /* 08:00 there */
    ck_assert_double_eq(load_at(sim, 0, 14 * 60 + 1), 8e6);
    ck_assert_double_eq(load_at(sim, 0, 23 * 60 + 1), 8e6); /* 17:00 there */
    ck_assert_double_eq(load_at(sim, 0, 0), 16e6);          /* 18:00 there */
    ck_assert_double_eq(load_at(sim, 0, 1), 0);
    stg_sim_free(sim);
    stg_fleet_free(f);

    /* a window of the servers' clock on a clock 6 hours behind: Monday
     * 02:00-10:00 there is Sunday 20:00-04:00 here */
    int from = 2 * 3600, to = 10 * 3600;
    unsigned days = STG_MON | STG_FRI;
    stg_window_shift(-6 * 3600, &from, &to, &days);
    ck_assert_int_eq(from, 20 * 3600);
    ck_assert_int_eq(to, 4 * 3600);
    ck_assert_uint_eq(days, STG_SUN | STG_THU);
    from = 22 * 3600;
    to = 6 * 3600;
    days = STG_SUN;
    stg_window_shift(3 * 3600, &from, &to, &days);
    ck_assert_int_eq(from, 1 * 3600);
    ck_assert_int_eq(to, 9 * 3600);
    ck_assert_uint_eq(days, STG_MON);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* max_jobs 1: b waits for a; the link never carries both */
START_TEST(max_jobs_waits)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm, max_jobs: 1 } ]\n"
        "computers:\n"
        "  - { name: b, server: dpm, path: [wan], throttle: 4Mbps }\n"
        "  - { name: a, server: dpm, path: [wan], throttle: 8Mbps }\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 24h, offset: 0m }\n"
        "    sources:\n"
        "      - { name: x, computer: a, kind: file, size: 1TB, churn: 60MB/day }\n"
        "      - { name: y, computer: b, kind: file, size: 1TB, churn: 30MB/day }\n");
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->ntransfers, 2);
    ck_assert_double_eq(load_at(sim, 0, 0), 8e6);       /* a, by name */
    ck_assert_double_eq(load_at(sim, 0, 1), 4e6);       /* then b */
    ck_assert_double_eq(load_at(sim, 0, 2), 0);
    ck_assert_int_eq(sim->alternates[0] + sim->alternates[1], 0);
    int b = stg_fleet_computer(f, "b");
    for (int i = 0; i < 2; i++)
        if (sim->transfers[i].computer == b) {
            ck_assert_int_eq(sim->transfers[i].start, 60);
            ck_assert_int_eq(sim->transfers[i].end, 120);
        }
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* dpm02 (max_jobs: 1) serves exch01 and sql01, which take turns: one day
 * ends with a Branch-DB sync of sql01 still queued, the next does not, so
 * no cycle repeats.  The day reported is the heavier, which carries the
 * sync merged across midnight: Branch-DB's syncs on sql01 move one sync
 * more than the day releases (0.99GB/day, compressed by 30%, every 15
 * minutes: 693MB a day, 7.21875MB a sync). */
START_TEST(alternating_days)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/alternating.yaml", &text);
    stg_sim *sim = run(f, NULL, 0);
    int exch = stg_fleet_computer(f, "exch01"), fs = stg_fleet_computer(f, "fs01");
    int sql = stg_fleet_computer(f, "sql01"), db = stg_fleet_group(f, "Branch-DB");
    ck_assert_int_ge(db, 0);
    ck_assert_int_eq(sim->alternates[exch], 1);
    ck_assert_int_eq(sim->alternates[sql], 1);
    ck_assert_int_eq(sim->alternates[fs], 0);      /* dpm01's */
    double sync = 0;
    for (int i = 0; i < sim->ntransfers; i++)
        if (sim->transfers[i].group == db && sim->transfers[i].computer == sql &&
            sim->transfers[i].kind == STG_JOB_SYNC)
            sync += sim->transfers[i].volume;
    ck_assert_double_eq_tol(sync, 693e6 + 7.21875e6, 1e3);
    stg_sim_free(sim);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* The day shown of a server whose queues alternate is cut to the day, so
 * a sync still sending at its end is listed up to midnight; its lag (and
 * a check's lateness) come from the whole transfer: g0's longest sync
 * ends 3h30m after its release (the cut pieces say 3h). */
START_TEST(alternating_lag)
{
    char *text = NULL;
    stg_fleet *f = test_fleet_file("tests/data/plan/alternating-lag.yaml", &text);
    stg_sim *sim = run(f, NULL, 0);
    ck_assert_int_eq(sim->alternates[0], 1);
    int g0 = stg_fleet_group(f, "g0"), piece = -1;
    ck_assert_int_ge(g0, 0);
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        if (t->group == g0 && t->kind == STG_JOB_SYNC && t->end - t->release > piece)
            piece = t->end - t->release;
    }
    ck_assert_int_eq(piece, 3 * 3600);
    ck_assert_int_eq(sim->lag[g0], 3 * 3600 + 1800);
    stg_sim_free(sim);
    stg_fleet_free(f);
    free(text);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* two computers at offset 0 saturate a shared link: one violation run */
START_TEST(violation_runs)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers:\n"
        "  - { name: a, server: dpm, path: [wan], throttle: 8Mbps }\n"
        "  - { name: b, server: dpm, path: [wan], throttle: 8Mbps }\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 24h, offset: 60m }\n"
        "    sources:\n"
        "      - { name: x, computer: a, kind: file, size: 1TB, churn: 120MB/day }\n"
        "      - { name: y, computer: b, kind: file, size: 1TB, churn: 60MB/day }\n");
    stg_sim *sim = run(f, NULL, 0);
    stg_eval *e = stg_eval_run(f, sim);
    ck_assert_double_eq_tol(e->headroom[0], -0.6, 1e-12);
    ck_assert_int_eq(e->at[0], 60);
    ck_assert_int_eq(e->worst_link, 0);
    ck_assert_int_eq(e->nviolations, 1);
    ck_assert_int_eq(e->violations[0].kind, STG_VIOL_HEADROOM);
    ck_assert_int_eq(e->violations[0].from, 60);
    ck_assert_int_eq(e->violations[0].to, 61);            /* only both */
    ck_assert_double_eq_tol(e->violations[0].amount, 0.75, 1e-12);
    stg_eval_free(e);
    stg_sim_free(sim);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* a throttle too low to move the day's volume: the queue never empties */
START_TEST(backlog_detected)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 10Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: fs, server: dpm, path: [wan], throttle: 8Mbps } ]\n"
        "groups:\n"
        "  - name: G\n"
        "    sync: { every: 1h, offset: 0m }\n"
        "    sources: [ { name: d, computer: fs, kind: file, size: 1TB, churn: 60GB/day } ]\n");
    stg_settings *s = stg_settings_today(f);
    s->throttle[0].rate = 4e6;  /* 0.5 MB/s: 43.2GB a day < 60GB */
    stg_sim *sim = NULL;
    ck_assert_int_eq(stg_sim_run(f, s, &sim), 1);
    ck_assert_int_eq(sim->never_idle[0], 1);
    /* no cycle repeats: the last one is shown as it ran, its transfers
     * cut to it, so they are its busy slots: every slot, 0.5 MB/s */
    int slots = 0;
    double moved = 0;
    for (int i = 0; i < sim->ntransfers; i++) {
        slots += (sim->transfers[i].end - sim->transfers[i].start) / 60;
        moved += sim->transfers[i].volume;
    }
    ck_assert_int_eq(sim->busy[0], 1440);
    ck_assert_int_eq(slots, 1440);
    ck_assert_double_eq_tol(moved, 43.2e9, 1e3);
    stg_eval *e = stg_eval_run(f, sim);
    int backlog = 0;
    for (int i = 0; i < e->nviolations; i++)
        backlog += e->violations[i].kind == STG_VIOL_BACKLOG;
    ck_assert_int_eq(backlog, 1);
    stg_eval_free(e);
    stg_sim_free(sim);
    stg_settings_free(s);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* express fulls cover the time since the previous one: weekday fulls in
 * a week cycle, Monday's covers the weekend (3 days) */
START_TEST(express_full_volumes)
{
    stg_fleet *f = fleet_of(
        "links: [ { name: wan, capacity: 100Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: sql, server: dpm, path: [wan], throttle: 80Mbps } ]\n"
        "groups:\n"
        "  - name: DB\n"
        "    sync: { every: 24h, offset: 0m }\n"
        "    express_full: { at: [\"20:00\"], days: weekdays }\n"
        "    sources: [ { name: db, computer: sql, kind: sql, size: 100GB, churn: 1GB/day } ]\n");
    ck_assert_int_eq(f->cycle, STG_WEEK);
    stg_settings *s = stg_settings_today(f);
    stg_job *jobs = NULL;
    int n = stg_jobs_derive(f, s, &jobs);
    int nef = 0;
    for (int i = 0; i < n; i++) {
        if (jobs[i].kind != STG_JOB_EXPRESS_FULL)
            continue;
        nef++;
        int day = jobs[i].release / 86400;
        ck_assert_int_eq(jobs[i].release % 86400, 20 * 3600);
        ck_assert_double_eq_tol(jobs[i].volume, day == 0 ? 3e9 : 1e9, 1);
    }
    ck_assert_int_eq(nef, 5);
    stg_free(jobs);
    stg_settings_free(s);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

/* the changes one express full of a group carries, given its check */
static double one_ef_volume(const char *ef, const char *cc)
{
    char text[1024];
    snprintf(text, sizeof text,
        "links: [ { name: wan, capacity: 100Mbps } ]\n"
        "servers: [ { name: dpm } ]\n"
        "computers: [ { name: sql, server: dpm, path: [wan], throttle: 80Mbps } ]\n"
        "groups:\n"
        "  - name: DB\n"
        "    sync: { every: 24h, offset: 0m }\n"
        "    express_full: %s\n"
        "%s"
        "    sources: [ { name: db, computer: sql, kind: sql, size: 100GB, churn: 24GB/day } ]\n",
        ef, cc);
    stg_fleet *f = fleet_of(text);
    stg_settings *s = stg_settings_today(f);
    stg_job *jobs = NULL;
    int n = stg_jobs_derive(f, s, &jobs);
    double vol = -1;
    for (int i = 0; i < n; i++)
        if (jobs[i].kind == STG_JOB_EXPRESS_FULL &&
            (f->cycle == STG_DAY || jobs[i].release / 86400 == 0))
            vol = jobs[i].volume;
    stg_free(jobs);
    stg_settings_free(s);
    stg_fleet_free(f);
    ck_assert_int_eq(stg_alloc_live(), 0);
    return vol;
}

/* an express full after a consistency check carries the blocks changed
 * since the more recent of the two (1 GB an hour here) */
START_TEST(express_full_after_check)
{
    const char *daily = "{ at: [\"20:00\"] }";
    /* no check: a day's changes */
    ck_assert_double_eq_tol(one_ef_volume(daily, ""), 24e9, 1);
    /* a check at 18:00 (its window opens then): two hours' */
    ck_assert_double_eq_tol(one_ef_volume(daily,
        "    consistency_check: { from: \"18:00\", to: \"19:00\" }\n"), 2e9, 1);
    /* a check at 20:00 runs after the express full: no cut */
    ck_assert_double_eq_tol(one_ef_volume(daily,
        "    consistency_check: { from: \"20:00\", to: \"22:00\" }\n"), 24e9, 1);
    /* a check past midnight (22:00 window start on the day before) */
    ck_assert_double_eq_tol(one_ef_volume(daily,
        "    consistency_check: { from: \"22:00\", to: \"04:00\" }\n"), 22e9, 1);
    /* two fulls a day: the one after the check carries from the check,
     * the other from the previous full */
    ck_assert_double_eq_tol(one_ef_volume("{ at: [\"08:00\", \"20:00\"] }",
        "    consistency_check: { from: \"17:00\", to: \"19:00\" }\n"), 3e9, 1);
    /* a week cycle: Monday's full carries since Sunday's check, not the
     * whole weekend */
    ck_assert_double_eq_tol(one_ef_volume("{ at: [\"20:00\"], days: weekdays }",
        "    consistency_check: { from: \"12:00\", to: \"14:00\", days: [sun] }\n"),
        32e9, 1);
    /* a check on Saturday only: Monday's full still carries from it */
    ck_assert_double_eq_tol(one_ef_volume("{ at: [\"20:00\"], days: weekdays }",
        "    consistency_check: { from: \"20:00\", to: \"22:00\", days: [sat] }\n"),
        48e9, 1);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, queue_order_stable, 0, 200);
    tcase_add_test(tc, single_sync);
    tcase_add_test(tc, queue_fcfs);
    tcase_add_test(tc, merge_behind_check);
    tcase_add_test(tc, wrap_around);
    tcase_add_test(tc, work_hours_throttle);
    tcase_add_test(tc, work_hours_own_clock);
    tcase_add_test(tc, max_jobs_waits);
    tcase_add_test(tc, alternating_days);
    tcase_add_test(tc, alternating_lag);
    tcase_add_test(tc, violation_runs);
    tcase_add_test(tc, backlog_detected);
    tcase_add_test(tc, express_full_volumes);
    tcase_add_test(tc, express_full_after_check);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
