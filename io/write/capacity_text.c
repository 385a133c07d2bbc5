/* stagger: capacity reasons in words (capacity_text.h). */
#include "io/write/capacity_text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "model/alloc.h"
#include "model/quantity.h"

/* A growing string; oom set once an allocation failed. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void sb_printf(sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || stg_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1)) {
        b->oom = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

/* " over 6Mbps background (08:00-18:00)", or nothing without one. */
static void background_words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF], c1[STG_QBUF], c2[STG_QBUF];
    if (w->bg <= 0)
        return;
    sb_printf(b, " over %s background", stg_fmt_rate(a, sizeof a, w->bg));
    for (int i = 0; i < w->nbg; i++)
        sb_printf(b, "%s%s-%s", i ? ", " : " (",
                  stg_fmt_clock(c1, sizeof c1, w->bg_from[i]),
                  stg_fmt_clock(c2, sizeof c2, w->bg_to[i]));
    if (w->nbg)
        sb_printf(b, ")");
}

/* "at 20:05: Branch-Files (fs01 sync), Branch-SQL (sql01 express full)
 * over 6Mbps background (08:00-18:00)" */
static void peak_words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF];
    sb_printf(b, "at %s:", stg_fmt_cycle_time(a, sizeof a, w->cycle, w->at));
    for (int i = 0; i < w->njobs; i++)
        sb_printf(b, "%s %s (%s %s)", i ? "," : "", w->jobs[i].group,
                  w->jobs[i].computer, stg_job_kind_words(w->jobs[i].kind));
    if (w->more)
        sb_printf(b, " and %d more", w->more);
    if (!w->njobs)
        sb_printf(b, " %s", w->skip ? "nothing else" : "no transfer");
    background_words(b, w);
}

static void words(sbuf *b, const stg_capwhy *w);

/* "no stagger fixes it: the express full of group SQL from sql01 (4GB,
 * 1h25m at 8Mbps) is longer than its 30m flex lets it move: ..." */
static void pinned_words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF], d[STG_QBUF], r[STG_QBUF], e[STG_QBUF];
    sb_printf(b, "no stagger fixes it: the %s of group %s from %s (%s, %s at %s",
              stg_job_kind_words(w->job.kind), w->job.group, w->job.computer,
              stg_fmt_size(a, sizeof a, w->volume),
              stg_fmt_duration(d, sizeof d, w->duration),
              stg_fmt_rate(r, sizeof r, w->rate));
    if (w->job.kind == STG_JOB_EXPRESS_FULL)
        sb_printf(b, ") is longer than its %s flex lets it move",
                  stg_fmt_duration(d, sizeof d, w->flex));
    else if (w->job.kind == STG_JOB_CC)
        sb_printf(b, ") is too long for its %s-%s window to move it",
                  stg_fmt_clock(d, sizeof d, w->win_from),
                  stg_fmt_clock(e, sizeof e, w->win_to));
    else
        sb_printf(b, ") is longer than its offsets let it move");
    sb_printf(b, ": it sends %s-%s whatever the schedule; with it ",
              stg_fmt_cycle_time(d, sizeof d, w->cycle, w->from),
              stg_fmt_cycle_time(e, sizeof e, w->cycle, w->to));
    peak_words(b, w);
}

static void one_words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF], c[STG_QBUF], d[STG_QBUF];
    sb_printf(b, "one transfer alone: the %s of group %s from %s at its %s "
              "throttle", stg_job_kind_words(w->job.kind), w->job.group,
              w->job.computer, stg_fmt_rate(a, sizeof a, w->rate));
    background_words(b, w);
    sb_printf(b, " needs %s for %s headroom wherever it is placed; no stagger "
              "lowers it", stg_fmt_rate(c, sizeof c, w->need),
              stg_fmt_pct(d, sizeof d, w->pct));
}

/* "no capacity up to 250Mbps meets the limit: ..." */
static void top_words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF];
    sb_printf(b, "no capacity up to %s meets the limit: ",
              stg_fmt_rate(a, sizeof a, w->rate));
    if (!w->then)
        return;
    if (w->then->kind == STG_CAPWHY_MODEL)
        sb_printf(b, "the model rejects it: %s", w->then->text);
    else if (w->then->kind == STG_CAPWHY_PEAK)
        peak_words(b, w->then);
    else
        words(b, w->then);
}

static void growth_words(sbuf *b, const stg_capwhy *w)
{
    sb_printf(b, "at %.2fx%s", w->factor,
              w->rejected ? ", the model rejects the fleet: " : ", ");
    if (w->then)
        words(b, w->then);
    else
        sb_printf(b, "the limit is broken");
}

static void words(sbuf *b, const stg_capwhy *w)
{
    char a[STG_QBUF], c[STG_QBUF];
    switch (w->kind) {
    case STG_CAPWHY_NOTHING:
        sb_printf(b, "no transfer and no background crosses it");
        break;
    case STG_CAPWHY_NO_TRANSFER:
        sb_printf(b, "no transfer crosses it");
        break;
    case STG_CAPWHY_BACKGROUND:
        sb_printf(b, "its background alone: %s at %s",
                  stg_fmt_rate(a, sizeof a, w->rate),
                  stg_fmt_cycle_time(c, sizeof c, w->cycle, w->at));
        break;
    case STG_CAPWHY_BACKGROUND_BREAKS:
        sb_printf(b, "its background alone breaks the limit");
        break;
    case STG_CAPWHY_TOP:
        top_words(b, w);
        break;
    case STG_CAPWHY_MODEL:
        sb_printf(b, "%s", w->text ? w->text : "the model rejects it");
        break;
    case STG_CAPWHY_MODEL_AT:
        sb_printf(b, "at %s the model rejects the fleet: %s",
                  stg_fmt_rate(a, sizeof a, w->rate), w->text);
        break;
    case STG_CAPWHY_BOUND:
        sb_printf(b, "the bound proves it short (no schedule keeps more "
                  "than %s)", stg_fmt_pct(a, sizeof a, w->pct));
        break;
    case STG_CAPWHY_SHORT:
        sb_printf(b, "the bound proves it short");
        break;
    case STG_CAPWHY_THROTTLE:
        sb_printf(b, "the throttle of computer %s: a capacity below its %s "
                  "is not allowed", w->name, stg_fmt_rate(a, sizeof a, w->rate));
        break;
    case STG_CAPWHY_ONE:
        one_words(b, w);
        break;
    case STG_CAPWHY_PINNED:
        pinned_words(b, w);
        break;
    case STG_CAPWHY_PEAK:
        sb_printf(b, "peak ");
        peak_words(b, w);
        break;
    case STG_CAPWHY_BACKLOG:
        sb_printf(b, "computer %s never empties its queue: it cannot catch up",
                  w->name);
        break;
    case STG_CAPWHY_LINK:
        sb_printf(b, "link %s, ", w->name);
        if (w->then)
            words(b, w->then);
        break;
    case STG_CAPWHY_LAG:
        sb_printf(b, "group %s: lag %s, over its max_lag %s", w->name,
                  stg_fmt_duration(a, sizeof a, w->lag),
                  stg_fmt_duration(c, sizeof c, w->max_lag));
        break;
    case STG_CAPWHY_CC_LATE:
        sb_printf(b, "group %s: consistency check ends %s after its window",
                  w->name, stg_fmt_duration(a, sizeof a, w->over));
        break;
    case STG_CAPWHY_QUEUE:
        sb_printf(b, "computer %s never empties its queue", w->name);
        break;
    case STG_CAPWHY_STOPPED:
        sb_printf(b, "stopped before the search ended");
        break;
    case STG_CAPWHY_GROWTH:
        growth_words(b, w);
        break;
    }
}

char *stg_capwhy_text(const stg_capwhy *w)
{
    sbuf b = { NULL, 0, 0, false };
    if (w)
        words(&b, w);
    if (b.oom) {
        stg_free(b.s);
        return NULL;
    }
    return b.s ? b.s : stg_strdup("");
}
