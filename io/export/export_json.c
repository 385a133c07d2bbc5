/* stagger: the JSON export (see export_json.h). */
#include "io/export/export_json.h"

#include <math.h>
#include <string.h>

#include "io/export/export_common.h"
#include "io/export/fields.h"
#include "model/alloc.h"
#include "model/quantity.h"

/* ---- values ------------------------------------------------------------- */

static void key(FILE *out, const char *k)
{
    fprintf(out, "\"%s\": ", k);
}

/* Every number comes from the schedule's text, written with fewer than
 * 12 significant digits: 12 lose nothing and keep 98.4% as 0.984. */
static void num(FILE *out, double v)
{
    if (!isfinite(v))
        fputs("null", out);
    else if (v == 0)
        fputs("0", out);
    else
        fprintf(out, "%.12g", v);
}

static void str_kv(FILE *out, const char *k, const char *v)
{
    key(out, k);
    stg_json_write_string(out, v);
}

static void num_kv(FILE *out, const char *k, double v)
{
    key(out, k);
    num(out, v);
}

/* "k": "mon 20:05", "k_s": 73500 (a time in the cycle; the text wraps,
 * the number does not) */
static void cycle_time_kv(FILE *out, int cycle, const char *k, int t)
{
    char b[STG_QBUF];
    fprintf(out, "\"%s\": \"%s\", \"%s_s\": %d", k,
            stg_fmt_cycle_time(b, sizeof b, cycle, t), k, t);
}

static void clock_kv(FILE *out, const char *k, int t)
{
    char b[STG_QBUF];
    fprintf(out, "\"%s\": \"%s\", \"%s_s\": %d", k,
            stg_fmt_clock(b, sizeof b, t), k, t);
}

static void days_kv(FILE *out, unsigned days)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};
    int n = 0;
    fputs("\"days\": [", out);
    for (int i = 0; i < 7; i++)
        if (days & (1u << i))
            fprintf(out, "%s\"%s\"", n++ ? ", " : "", names[i]);
    fputc(']', out);
}

static void throttle_kv(FILE *out, const stg_throttle *th)
{
    key(out, "throttle");
    if (th->kind != STG_THROTTLE_WORK) {
        fputs("{ ", out);
        num_kv(out, "rate_bps", th->rate);
        fputs(" }", out);
        return;
    }
    fputs("{ ", out);
    num_kv(out, "work_bps", th->work);
    fputs(", ", out);
    num_kv(out, "other_bps", th->other);
    if (th->has_hours) {
        char a[STG_QBUF], b[STG_QBUF];
        fprintf(out, ", \"hours\": \"%s-%s\", \"hours_s\": [%d, %d], ",
                stg_fmt_clock(a, sizeof a, th->hours_from),
                stg_fmt_clock(b, sizeof b, th->hours_to),
                th->hours_from, th->hours_to);
        days_kv(out, th->days);
    }
    fputs(" }", out);
}

/* ---- sections ----------------------------------------------------------- */

static void put_group(FILE *out, const stg_sdoc_group *g)
{
    char b[STG_QBUF];
    fputs("    { ", out);
    str_kv(out, "name", g->name);
    fputs(", \"sync\": { ", out);
    if (g->before_rp)
        fputs("\"before_recovery_point\": true, ", out);
    else
        fprintf(out, "\"every_s\": %d, ", g->every);
    fprintf(out, "\"offset_s\": %d }", g->offset);
    if (g->rp_at) {
        fputs(", \"recovery_points\": [", out);
        for (int i = 0; i < g->nrp; i++)
            fprintf(out, "%s\"%s\"", i ? ", " : "",
                    stg_fmt_clock(b, sizeof b, g->rp_at[i]));
        fputs("], \"recovery_points_s\": [", out);
        for (int i = 0; i < g->nrp; i++)
            fprintf(out, "%s%d", i ? ", " : "", g->rp_at[i]);
        fputc(']', out);
    }
    if (g->nef > 0) {
        fputs(", \"express_full\": [", out);
        for (int i = 0; i < g->nef; i++) {
            fputs(i ? ", { " : "{ ", out);
            clock_kv(out, "at", g->ef_at[i]);
            fputs(", ", out);
            days_kv(out, g->ef_days[i]);
            fputs(" }", out);
        }
        fputc(']', out);
    }
    if (g->cc_start >= 0) {
        fputs(", \"consistency_check\": { ", out);
        clock_kv(out, "start", g->cc_start);
        fprintf(out, ", \"hours\": %d }", g->cc_hours);
    }
    if (g->lag >= 0)
        fprintf(out, ", \"lag_s\": %d", g->lag);
    fputs(" }", out);
}

static void put_computer(FILE *out, const stg_sdoc_computer *c)
{
    fputs("    { ", out);
    str_kv(out, "name", c->name);
    fputs(", ", out);
    throttle_kv(out, &c->throttle);
    fprintf(out, ", \"recommended\": %s, ", c->recommended ? "true" : "false");
    num_kv(out, "busy", c->busy);
    fputs(" }", out);
}

static void put_link(FILE *out, int cycle, const stg_sdoc_link *l)
{
    fputs("    { ", out);
    str_kv(out, "name", l->name);
    fputs(", ", out);
    num_kv(out, "capacity_bps", l->capacity);
    fputs(", ", out);
    num_kv(out, "peak", l->peak);
    fputs(", ", out);
    num_kv(out, "headroom", l->headroom);
    fputs(", ", out);
    cycle_time_kv(out, cycle, "at", l->at);
    fputs(", ", out);
    num_kv(out, "bound", l->bound);
    if (l->bound_nowait != l->bound) {
        fputs(", ", out);
        num_kv(out, "bound_without_waits", l->bound_nowait);
    }
    fputs(" }", out);
}

static void put_violation(FILE *out, int cycle, const stg_sdoc_violation *v)
{
    fputs("    { ", out);
    switch (v->kind) {
    case STG_VIOL_HEADROOM:
        fputs("\"kind\": \"headroom\", ", out);
        str_kv(out, "link", v->name);
        fputs(", ", out);
        cycle_time_kv(out, cycle, "from", v->from);
        fputs(", ", out);
        cycle_time_kv(out, cycle, "to", v->to);
        fputs(", ", out);
        num_kv(out, "over", v->amount);
        break;
    case STG_VIOL_LAG:
    case STG_VIOL_CC_WINDOW:
        fprintf(out, "\"kind\": \"%s\", ",
                v->kind == STG_VIOL_LAG ? "lag" : "consistency_check");
        str_kv(out, "group", v->name);
        fputs(", ", out);
        num_kv(out, "over_s", v->amount);
        break;
    case STG_VIOL_BACKLOG:
        fputs("\"kind\": \"backlog\", ", out);
        str_kv(out, "computer", v->name);
        break;
    }
    fputs(" }", out);
}

static void put_transfer(FILE *out, int cycle, const stg_sdoc_transfer *t)
{
    char b[STG_QBUF];
    fputs("    { ", out);
    str_kv(out, "group", t->group);
    fputs(", ", out);
    str_kv(out, "computer", t->computer);
    fprintf(out, ", \"kind\": \"%s\", ", stg_job_kind_name(t->kind));
    cycle_time_kv(out, cycle, "release", t->release);
    /* start and end: the text wraps into the cycle, the number is the
     * unwrapped time */
    fprintf(out, ", \"start\": \"%s\", \"start_s\": %d",
            stg_fmt_cycle_time(b, sizeof b, cycle, t->start), t->start);
    fprintf(out, ", \"end\": \"%s\", \"end_s\": %d, ",
            stg_fmt_cycle_time(b, sizeof b, cycle, t->end), t->end);
    num_kv(out, "volume_bytes", t->volume);
    fputs(" }", out);
}

/* "name": [ elements, one per line ] */
#define LIST(out, name, n, put)                                   \
    do {                                                          \
        fprintf(out, "  \"%s\": [", name);                        \
        for (int i_ = 0; i_ < (n); i_++) {                        \
            fputs(i_ ? ",\n" : "\n", out);                        \
            put;                                                  \
        }                                                         \
        fputs((n) ? "\n  ]" : "]", out);                          \
    } while (0)

int stg_export_json(FILE *out, const stg_export_input *in, char **cause)
{
    const stg_schedule_doc *d = in->doc;
    int cycle = d->cycle;
    *cause = NULL;

    fprintf(out, "{\n  \"stagger-schedule\": %d,\n", d->version);
    fputs("  \"fleet\": { ", out);
    str_kv(out, "file", d->fleet_file ? d->fleet_file : "");
    fputs(", ", out);
    str_kv(out, "sha256", d->fleet_sha256 ? d->fleet_sha256 : "");
    fprintf(out, " },\n  \"cycle\": \"%s\",\n",
            cycle == STG_WEEK ? "week" : "day");
    fprintf(out, "  \"resolution_s\": %d,\n", d->resolution);
    fprintf(out, "  \"status\": \"%s\",\n", stg_status_name(d->status));
    fputs("  \"headroom\": { ", out);
    num_kv(out, "required", d->required);
    fputs(", ", out);
    num_kv(out, "achieved", d->achieved);
    if (d->link) {
        fputs(", ", out);
        str_kv(out, "link", d->link);
        if (d->at >= 0) {
            fputs(", ", out);
            cycle_time_kv(out, cycle, "at", d->at);
        }
    }
    fputs(", ", out);
    num_kv(out, "bound", d->bound);
    if (d->bound_nowait != d->bound) {
        fputs(", ", out);
        num_kv(out, "bound_without_waits", d->bound_nowait);
    }
    fputs(" },\n  \"solve\": { ", out);
    num_kv(out, "seconds", d->seconds);
    fputs(", ", out);
    str_kv(out, "method", d->method ? d->method : "");
    fprintf(out, ", \"stopped\": %s },\n", d->stopped ? "true" : "false");

    LIST(out, "groups", d->ngroups, put_group(out, &d->groups[i_]));
    fputs(",\n", out);
    LIST(out, "computers", d->ncomputers, put_computer(out, &d->computers[i_]));
    fputs(",\n", out);
    LIST(out, "links", d->nlinks, put_link(out, cycle, &d->links[i_]));
    fputs(",\n", out);
    LIST(out, "violations", d->nviolations,
         put_violation(out, cycle, &d->violations[i_]));
    fputs(",\n", out);
    LIST(out, "transfers", d->ntransfers,
         put_transfer(out, cycle, &d->transfers[i_]));
    fputs("\n}\n", out);
    return stg_export_finish(out, cause);
}
