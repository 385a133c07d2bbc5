/* stagger: the iCalendar export (see export_ics.h). */
#include "io/export/export_ics.h"

#include <stdbool.h>
#include <string.h>

#include "io/export/export_common.h"
#include "io/write/sha256.h"
#include "model/alloc.h"
#include "model/quantity.h"

#define FOLD 75                 /* octets per line, CRLF not counted */
#define ANCHOR_DAY 5            /* Monday 2026-01-05 */

/* ---- content lines ------------------------------------------------------ */

typedef struct {
    FILE *out;
    int col;                    /* octets on the current physical line */
} line;

/* Writes one unit (a character, or an escape) of n octets, folding first
 * when it would pass the limit. */
static void unit(line *l, const char *s, size_t n)
{
    if (l->col + (int)n > FOLD) {
        fputs("\r\n ", l->out);
        l->col = 1;
    }
    fwrite(s, 1, n, l->out);
    l->col += (int)n;
}

/* Starts a content line with its name and colon ("SUMMARY:"). */
static void begin(line *l, const char *name)
{
    l->col = 0;
    for (const char *p = name; *p; p++)
        unit(l, p, 1);
    unit(l, ":", 1);
}

/* Plain ASCII value text (numbers, codes). */
static void ascii(line *l, const char *s)
{
    for (const char *p = s; *p; p++)
        unit(l, p, 1);
}

/* TEXT value, escaped (RFC 5545 3.3.11). */
static void text(line *l, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned long c;
        int n = stg_utf8_decode(p, &c);
        if (n == 0) {
            unit(l, "?", 1);
            p++;
            continue;
        }
        if (c == '\\')
            unit(l, "\\\\", 2);
        else if (c == ';')
            unit(l, "\\;", 2);
        else if (c == ',')
            unit(l, "\\,", 2);
        else if (c == '\r' && p[1] == '\n') {
            unit(l, "\\n", 2);
            n = 2;
        } else if (c == '\n' || c == '\r')
            unit(l, "\\n", 2);
        else if (c < 0x20 || c == 0x7f)
            unit(l, " ", 1);
        else
            unit(l, (const char *)p, (size_t)n);
        p += n;
    }
}

static void end(line *l)
{
    fputs("\r\n", l->out);
    l->col = 0;
}

static void prop(line *l, const char *name, const char *value)
{
    begin(l, name);
    ascii(l, value);
    end(l);
}

/* ---- events ------------------------------------------------------------- */

static const char *const ical_days[] = {"MO", "TU", "WE", "TH", "FR", "SA",
                                        "SU"};

static void put_rrule(line *l, unsigned days)
{
    begin(l, "RRULE");
    if ((days & STG_DAILY) == STG_DAILY) {
        ascii(l, "FREQ=DAILY");
    } else {
        int n = 0;
        ascii(l, "FREQ=WEEKLY;BYDAY=");
        for (int i = 0; i < 7; i++)
            if (days & (1u << i)) {
                if (n++)
                    ascii(l, ",");
                ascii(l, ical_days[i]);
            }
    }
    end(l);
}

/* "PT1H30M" */
static void put_duration(line *l, int secs)
{
    char b[48];
    int n = snprintf(b, sizeof b, "PT");
    if (secs >= 3600)
        n += snprintf(b + n, sizeof b - (size_t)n, "%dH", secs / 3600);
    if (secs % 3600 >= 60)
        n += snprintf(b + n, sizeof b - (size_t)n, "%dM", secs % 3600 / 60);
    if (secs % 60 || secs == 0)
        snprintf(b + n, sizeof b - (size_t)n, "%dS", secs % 60);
    prop(l, "DURATION", b);
}

static void put_uid(line *l, const char *group, const char *kind, int at)
{
    stg_sha256_ctx c;
    char hex[STG_SHA256_HEX], t[STG_QBUF];
    stg_sha256_init(&c);
    stg_sha256_update(&c, group, strlen(group));
    stg_sha256_update(&c, "\n", 1);
    stg_sha256_update(&c, kind, strlen(kind));
    stg_sha256_update(&c, "\n", 1);
    stg_fmt_clock(t, sizeof t, at);
    stg_sha256_update(&c, t, strlen(t));
    stg_sha256_final(&c, hex);
    hex[32] = '\0';
    begin(l, "UID");
    ascii(l, hex);
    ascii(l, "@stagger");
    end(l);
}

typedef struct {
    const stg_export_input *in;
    const int *jobs;            /* the doc's express-full and check transfers */
    int njobs;
} ctx;

/* True when transfer t belongs to the event (group, kind, time of day at;
 * any time when at < 0). */
static bool matches(const stg_sdoc_transfer *t, const char *group,
                    stg_job_kind kind, int at)
{
    return t->kind == kind && !strcmp(t->group, group) &&
           (at < 0 || t->release % STG_DAY == at);
}

/* "a, b" (escaped) */
static void put_computers(line *l, const ctx *x, const char *group,
                          stg_job_kind kind, int at)
{
    const stg_schedule_doc *d = x->in->doc;
    int n = 0;
    for (int i = 0; i < x->njobs; i++) {
        const stg_sdoc_transfer *t = &d->transfers[x->jobs[i]];
        if (!matches(t, group, kind, at))
            continue;
        bool seen = false;
        for (int j = 0; j < i && !seen; j++) {
            const stg_sdoc_transfer *u = &d->transfers[x->jobs[j]];
            seen = matches(u, group, kind, at) &&
                   !strcmp(u->computer, t->computer);
        }
        if (seen)
            continue;
        if (n++)
            text(l, ", ");
        text(l, t->computer);
    }
    if (!n)
        text(l, "none listed");
}

static void put_days_text(line *l, unsigned days)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};
    if ((days & STG_DAILY) == STG_DAILY) {
        text(l, "every day");
        return;
    }
    int n = 0;
    for (int i = 0; i < 7; i++)
        if (days & (1u << i)) {
            text(l, n++ ? " " : "on ");
            text(l, names[i]);
        }
}

static void put_event(line *l, const ctx *x, const char *group,
                      stg_job_kind kind, int at, unsigned days, int duration)
{
    const stg_export_input *in = x->in;
    char b[STG_QBUF];
    bool ef = kind == STG_JOB_EXPRESS_FULL;
    int first = 0;
    days &= STG_DAILY;
    if ((days & STG_DAILY) != STG_DAILY)
        while (first < 6 && !(days & (1u << first)))
            first++;
    prop(l, "BEGIN", "VEVENT");
    put_uid(l, group, stg_job_kind_name(kind), at);
    prop(l, "DTSTAMP", "20260105T000000Z");
    snprintf(b, sizeof b, "202601%02dT%02d%02d%02d", ANCHOR_DAY + first,
             at / 3600, at % 3600 / 60, at % 60);
    prop(l, "DTSTART", b);
    if (duration >= 0)
        put_duration(l, duration);
    put_rrule(l, days);
    begin(l, "SUMMARY");
    text(l, ef ? "Express full: " : "Consistency check: ");
    text(l, group);
    end(l);
    begin(l, "DESCRIPTION");
    text(l, ef ? "DPM express full of protection group " :
                 "DPM consistency-check window of protection group ");
    text(l, group);
    text(l, ef ? " at " : " from ");
    text(l, stg_fmt_clock(b, sizeof b, at));
    text(l, " (DPM server time), ");
    put_days_text(l, days);
    if (!ef) {
        snprintf(b, sizeof b, ", for %d h", duration / 3600);
        text(l, b);
    }
    text(l, ".\nComputers: ");
    put_computers(l, x, group, kind, ef ? at : -1);
    text(l, ".\nPlanned by stagger: ");
    text(l, in->schedule_path ? in->schedule_path : "the schedule");
    text(l, " (status ");
    text(l, stg_status_name(in->doc->status));
    text(l, ").");
    end(l);
    prop(l, "END", "VEVENT");
}

/* Longest time from the express full at `at` of group to the end of one
 * of its transfers; -1 when the schedule lists none. */
static int ef_duration(const ctx *x, const char *group, int at)
{
    const stg_schedule_doc *d = x->in->doc;
    int longest = -1;
    for (int i = 0; i < x->njobs; i++) {
        const stg_sdoc_transfer *t = &d->transfers[x->jobs[i]];
        if (matches(t, group, STG_JOB_EXPRESS_FULL, at) &&
            t->end - t->release > longest)
            longest = t->end - t->release;
    }
    return longest;
}

int stg_export_ics(FILE *out, const stg_export_input *in, char **cause)
{
    const stg_schedule_doc *d = in->doc;
    line l = { out, 0 };
    int *jobs = stg_malloc(sizeof *jobs * (size_t)(d->ntransfers + 1));
    *cause = NULL;
    if (!jobs)
        return stg_export_oom(cause);
    int njobs = 0;
    for (int i = 0; i < d->ntransfers; i++)
        if (d->transfers[i].kind != STG_JOB_SYNC)
            jobs[njobs++] = i;
    ctx x = { in, jobs, njobs };

    prop(&l, "BEGIN", "VCALENDAR");
    prop(&l, "VERSION", "2.0");
    prop(&l, "PRODID", "-//stagger//stagger " STG_VERSION "//EN");
    prop(&l, "CALSCALE", "GREGORIAN");
    for (int g = 0; g < d->ngroups; g++) {
        const stg_sdoc_group *gr = &d->groups[g];
        for (int i = 0; i < gr->nef; i++)
            put_event(&l, &x, gr->name, STG_JOB_EXPRESS_FULL, gr->ef_at[i],
                      d->cycle == STG_WEEK ? gr->ef_days[i] : STG_DAILY,
                      ef_duration(&x, gr->name, gr->ef_at[i]));
        if (gr->cc_start >= 0)
            put_event(&l, &x, gr->name, STG_JOB_CC, gr->cc_start,
                      stg_export_check_days(in, g), gr->cc_hours * 3600);
    }
    prop(&l, "END", "VCALENDAR");
    stg_free(jobs);
    return stg_export_finish(out, cause);
}
