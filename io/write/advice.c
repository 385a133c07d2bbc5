/* stagger: advice in words and as a scenarios file (see advice.h). */
#include "io/write/advice.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "model/alloc.h"
#include "model/change.h"
#include "model/quantity.h"
#include "io/read/ynode.h"

/* "group G's sync on C" / "group G's sync" */
static void job_text(const stg_fleet *f, const stg_why_job *j, char *buf, size_t n)
{
    if (j->computer >= 0)
        snprintf(buf, n, "%s of group %s on %s", stg_job_kind_words(stg_dec_job_kind(j->job)),
                 f->groups[j->group].name, f->computers[j->computer].name);
    else
        snprintf(buf, n, "%s of group %s", stg_job_kind_words(stg_dec_job_kind(j->job)),
                 f->groups[j->group].name);
}

void stg_why_text(const stg_fleet *f, const stg_link *lk, const stg_why *w,
                  char *buf, size_t n)
{
    char load[STG_QBUF], room[STG_QBUF], rate[STG_QBUF], d1[STG_QBUF],
         d2[STG_QBUF], at[STG_QBUF], a[600], b[600];
    stg_fmt_rate(load, sizeof load, w->load);
    stg_fmt_rate(room, sizeof room, w->allowed);
    if (w->a.group >= 0)
        job_text(f, &w->a, a, sizeof a);
    if (w->b.group >= 0)
        job_text(f, &w->b, b, sizeof b);
    stg_fmt_duration(d1, sizeof d1, w->a.duration);
    switch (w->kind) {
    case STG_WHY_BACKGROUND:
        stg_fmt_cycle_time(at, sizeof at, f->cycle, w->at);
        snprintf(buf, n, "the background alone is %s at %s, above the %s the limit "
                "leaves: no schedule helps; only a wider link or less other "
                "traffic does", load, at, room);
        break;
    case STG_WHY_ALONE:
        stg_fmt_rate(rate, sizeof rate, w->a.rate);
        snprintf(buf, n, "the %s alone sends at %s for %s: with the background at "
                "least %s wherever it starts, where the limit leaves %s",
                a, rate, d1, load, room);
        break;
    case STG_WHY_GROUP:
        stg_fmt_rate(rate, sizeof rate, w->a.rate);
        snprintf(buf, n, "the %s runs on %d computers behind %s at once (DPM "
                "starts a group's jobs together, so no offset parts them): %s "
                "together, at least %s with the background, where the limit "
                "leaves %s", a, w->ncomputers, lk->name, rate, load, room);
        break;
    case STG_WHY_LONGER:
        stg_fmt_duration(d2, sizeof d2, w->b.period);
        snprintf(buf, n, "the %s lasts %s, longer than the %s runs apart (every "
                "%s): they overlap wherever they are placed, at least %s with "
                "the background, where the limit leaves %s",
                a, d1, b, d2, load, room);
        break;
    case STG_WHY_PINNED:
        snprintf(buf, n, "the %s and the %s are held in their windows (flex, "
                "check window) and overlap there: at least %s with the "
                "background, where the limit leaves %s", a, b, load, room);
        break;
    case STG_WHY_OVERLAP:
        snprintf(buf, n, "the %s and the %s overlap at every placement: at least "
                "%s with the background, where the limit leaves %s",
                a, b, load, room);
        break;
    case STG_WHY_WAITS: {
        const stg_server *sv = &f->servers[w->server];
        int nc = 0;
        for (int c = 0; c < f->ncomputers; c++)
            nc += f->computers[c].server == w->server;
        snprintf(buf, n, "computers behind it wait for a place on DPM server %s "
                "(max_jobs %d for %d computers), and the transfers they "
                "held back meet at the peak: %s, where the limit leaves %s",
                sv->name, sv->max_jobs, nc, load, room);
        break;
    }
    case STG_WHY_UNPROVEN:
        snprintf(buf, n, "no transfer or pair of them proves it alone: the peak "
                "(%s, where the limit leaves %s) is many transfers together, "
                "%s", load, room, w->proven
                ? "and the link's bound proves that no schedule parts them "
                  "(they move more than the room in the time they share)"
                : "and the search found no schedule that parts them");
        break;
    }
}

static void why_text(FILE *out, const stg_fleet *f, const stg_link *lk,
                     const stg_why *w)
{
    char buf[2000];
    stg_why_text(f, lk, w, buf, sizeof buf);
    fprintf(out, "    - %s\n", buf);
}

void stg_advice_print_why(FILE *out, const stg_fleet *f, const stg_advice *a,
                          const char *fleet_path)
{
    if (!a || a->nlinks == 0)
        return;
    for (int i = 0; i < a->nlinks; i++) {
        const stg_link *lk = &f->links[a->links[i].link];
        fprintf(out, "why %s is below the limit:\n", lk->name);
        for (int k = 0; k < a->links[i].nwhy; k++)
            why_text(out, f, lk, &a->links[i].why[k]);
    }
    if (a->more > 0)
        fprintf(out, "and %d more link%s below the limit; ", a->more,
                a->more == 1 ? "" : "s");
    fprintf(out, "stagger advise %s finds the changes that meet the limit "
            "(docs/advice.md)\n", fleet_path);
}

int stg_advice_write_why(FILE *out, const stg_fleet *f, const stg_advice *a,
                         const char *fleet_path)
{
    char buf[2000];
    if (a->nlinks == 0)
        return 0;
    fputs("# The proven reasons the plan could not keep the limit (comments:\n"
          "# no reader needs them); stagger advise finds the changes that do:\n",
          out);
    fputs("#   stagger advise ", out);
    for (const char *p = fleet_path; *p; p++)
        fputc(*p == '\n' ? ' ' : *p, out);
    fputc('\n', out);
    for (int i = 0; i < a->nlinks; i++) {
        const stg_link *lk = &f->links[a->links[i].link];
        fprintf(out, "# why %s is below the limit:\n", lk->name);
        for (int k = 0; k < a->links[i].nwhy; k++) {
            stg_why_text(f, lk, &a->links[i].why[k], buf, sizeof buf);
            for (char *p = buf; *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            fprintf(out, "#   - %s\n", buf);
        }
    }
    if (a->more > 0)
        fprintf(out, "# and %d more link%s below the limit\n", a->more,
                a->more == 1 ? "" : "s");
    return ferror(out) ? -1 : 0;
}

/* " (its clock, UTC-05:00)" when computer c's clock, on which DPM
 * applies its throttle's work hours, is not the DPM servers'; "" when it
 * is. */
static const char *clock_words(const stg_fleet *f, int c, char *buf, size_t n)
{
    char z[STG_QBUF];
    int clock = stg_computer_clock(f, c);
    if (clock == f->utc_offset)
        return "";
    snprintf(buf, n, " (its clock, %s)", stg_fmt_utc_offset(z, sizeof z, clock));
    return buf;
}

/* "62.6Mbps in work hours 07:00-19:00, 100Mbps outside" (the hours on
 * computer c's clock, named when not the servers') or "40Mbps" */
static void throttle_words(const stg_fleet *f, int c, const stg_throttle *th,
                           char *buf, size_t n)
{
    char a[STG_QBUF], b[STG_QBUF], from[STG_QBUF], to[STG_QBUF], z[STG_QBUF];
    if (th->kind != STG_THROTTLE_WORK) {
        snprintf(buf, n, "%s", stg_fmt_rate(a, sizeof a, th->rate));
        return;
    }
    snprintf(buf, n, "%s in work hours %s-%s%s, %s outside",
             stg_fmt_rate(a, sizeof a, th->work),
             stg_fmt_clock(from, sizeof from, th->hours_from),
             stg_fmt_clock(to, sizeof to, th->hours_to),
             clock_words(f, c, z, sizeof z),
             stg_fmt_rate(b, sizeof b, th->other));
}

int stg_throttle_warning(const stg_fleet *f, const stg_settings *s, int c,
                         char *buf, size_t n)
{
    int at;
    double over;
    if (!s->recommended[c])
        return 0;
    int l = stg_throttle_over(f, s, c, &at, &over);
    if (l < 0)
        return 0;
    const stg_link *lk = &f->links[l];
    stg_throttle keep;
    stg_throttle_keeping(f, c, &s->throttle[c], &keep);
    double per_day = (double)STG_DAY / f->cycle;
    char th[160], kp[160], when[STG_QBUF], load[STG_QBUF], room[STG_QBUF];
    char vol[STG_QBUF], moves[STG_QBUF], pct[STG_QBUF];
    throttle_words(f, c, &s->throttle[c], th, sizeof th);
    throttle_words(f, c, &keep, kp, sizeof kp);
    snprintf(buf, n, "the throttle recommended for %s (%s) breaks the limit "
             "by itself: %s with the background on %s at %s, where the limit "
             "leaves %s. No throttle both keeps %s headroom and moves its %s "
             "a day with a quarter to spare: the largest that keeps it (%s) "
             "moves at most %s a day. Lower what it protects or its churn, "
             "give it a faster line, or set this throttle knowing that it "
             "breaks the limit",
             f->computers[c].name, th,
             stg_fmt_rate(load, sizeof load,
                          (1 - f->headroom) * lk->capacity + over),
             lk->name, stg_fmt_cycle_time(when, sizeof when, f->cycle, at),
             stg_fmt_rate(room, sizeof room, (1 - f->headroom) * lk->capacity),
             stg_fmt_pct(pct, sizeof pct, f->headroom),
             stg_fmt_size(vol, sizeof vol,
                          stg_computer_cycle_volume(f, c) * per_day),
             kp,
             stg_fmt_size(moves, sizeof moves,
                          stg_throttle_cycle_bytes(f, &keep) * per_day));
    return 1;
}

int stg_lag_warning(const stg_fleet *f, const stg_schedule *sc, int g,
                    char *buf, size_t n)
{
    const stg_group *gr = &f->groups[g];
    int lag = sc->sim->lag[g];
    if (gr->max_lag > 0 || !stg_group_lag_over(f, g, lag, STG_LAG_WARN_FACTOR))
        return 0;
    char every[STG_QBUF], late[STG_QBUF];
    snprintf(buf, n, "group %s syncs every %s, but a sync can take %s from "
             "its release to its end (%.1f times that): its recovery points "
             "come that late. Give the group a max_lag, or plan with "
             "--max-lag-factor, to make a limit of it a rule",
             gr->name, stg_fmt_duration(every, sizeof every, gr->sync_every),
             stg_fmt_duration(late, sizeof late, lag),
             (double)lag / gr->sync_every);
    return 1;
}

int stg_alternate_warning(const stg_fleet *f, const stg_schedule *sc,
                          int server, char *buf, size_t n)
{
    int c = 0;
    while (c < f->ncomputers &&
           (f->computers[c].server != server || !sc->sim->alternates[c]))
        c++;
    if (c == f->ncomputers)
        return 0;
    const char *cw = f->cycle == STG_WEEK ? "week" : "day";
    snprintf(buf, n, "the queues of server %s alternate between two %ss: "
             "its computers take turns for its max_jobs places, and one %s "
             "ends with a sync still queued that merges into the next %s's "
             "first, the other does not. The %s shown is the one of the two "
             "whose transfers load the links more; the other carries one "
             "merged sync more or less. A sync offset that ends the turn "
             "earlier, or one more max_jobs place, can make every %s the same",
             f->servers[server].name, cw, cw, cw, cw, cw);
    return 1;
}

int stg_advice_print_warnings(FILE *out, const stg_fleet *f,
                              const stg_schedule *sc, const char *prefix)
{
    char buf[1200];
    int n = 0;
    for (int c = 0; c < f->ncomputers; c++)
        if (stg_throttle_warning(f, sc->settings, c, buf, sizeof buf)) {
            fprintf(out, "%s%s\n", prefix, buf);
            n++;
        }
    for (int g = 0; g < f->ngroups; g++)
        if (stg_lag_warning(f, sc, g, buf, sizeof buf)) {
            fprintf(out, "%s%s\n", prefix, buf);
            n++;
        }
    for (int sv = 0; sv < f->nservers; sv++)
        if (stg_alternate_warning(f, sc, sv, buf, sizeof buf)) {
            fprintf(out, "%s%s\n", prefix, buf);
            n++;
        }
    return ferror(out) ? -1 : n;
}

/* A share as the schedule file prints it (stg_fmt_pct()), in percent. */
static double printed_pct(double share)
{
    char buf[STG_QBUF];
    return strtod(stg_fmt_pct(buf, sizeof buf, share), NULL);
}

int stg_advice_print_short(FILE *out, const stg_fleet *f,
                           const stg_schedule *sc, const char *prefix)
{
    const double *own = sc->link_bound_nowait ? sc->link_bound_nowait
                                              : sc->link_bound;
    if (!own)
        return 0;               /* no bounds: nothing to be short of */
    int *list = stg_malloc(sizeof *list * (size_t)(f->nlinks + 1)), n = 0;
    if (!list)
        return -1;
    for (int l = 0; l < f->nlinks; l++) {
        double h = printed_pct(sc->eval->headroom[l]);
        if (h < 50 && printed_pct(own[l]) - h > 1 + 1e-9) {
            /* the worst first (stable: ties in the fleet's order) */
            int m = n++;
            while (m > 0 && sc->eval->headroom[list[m - 1]] >
                            sc->eval->headroom[l]) {
                list[m] = list[m - 1];
                m--;
            }
            list[m] = l;
        }
    }
    if (n > 0) {
        char h[STG_QBUF], b[STG_QBUF];
        fprintf(out, "%s%d link%s at risk end%s more than a point below "
                "%s bound: ", prefix, n, n == 1 ? "" : "s", n == 1 ? "s" : "",
                n == 1 ? "its" : "their");
        for (int i = 0; i < n && i < 6; i++)
            fprintf(out, "%s%s %s (%s%s)", i ? ", " : "",
                    f->links[list[i]].name,
                    stg_fmt_pct(h, sizeof h, sc->eval->headroom[list[i]]),
                    i ? "" : "bound ",
                    stg_fmt_pct(b, sizeof b, own[list[i]]));
        if (n > 6)
            fprintf(out, " and %d more", n - 6);
        fprintf(out, "; where a link's best placement found takes a worse "
                "link lower the plan keeps the worse link, and a bound not "
                "proven may promise more than any schedule gives "
                "(docs/model.md, \"Held bounds\")\n");
    }
    stg_free(list);
    return ferror(out) ? -1 : n;
}

void stg_change_text(const stg_fleet *f, const stg_schedule *sc,
                     const stg_change *ch, char *buf, size_t size)
{
    char a[STG_QBUF], b[STG_QBUF];
    switch (ch->kind) {
    case STG_CHANGE_THROTTLE: {
        const stg_throttle *th = &sc->settings->throttle[ch->target];
        double was = th->kind == STG_THROTTLE_WORK
                     ? (th->work > th->other ? th->work : th->other) : th->rate;
        stg_fmt_rate(a, sizeof a, was);
        if (ch->throttle.kind == STG_THROTTLE_WORK) {
            char from[STG_QBUF], to[STG_QBUF], other[STG_QBUF], z[STG_QBUF];
            stg_fmt_rate(b, sizeof b, ch->throttle.work);
            stg_fmt_rate(other, sizeof other, ch->throttle.other);
            stg_fmt_clock(from, sizeof from, ch->throttle.hours_from);
            stg_fmt_clock(to, sizeof to, ch->throttle.hours_to);
            snprintf(buf, size, "throttle %s: %s%s -> %s in work hours %s-%s%s, "
                     "%s at other times", f->computers[ch->target].name, a,
                     th->kind == STG_THROTTLE_WORK ? " (work/other)" : "", b,
                     from, to, clock_words(f, ch->target, z, sizeof z), other);
            break;
        }
        stg_fmt_rate(b, sizeof b, ch->throttle.rate);
        snprintf(buf, size, "throttle %s: %s%s -> %s",
                 f->computers[ch->target].name, a,
                 th->kind == STG_THROTTLE_WORK ? " (work/other)" : "", b);
        break;
    }
    case STG_CHANGE_SPLIT:
        snprintf(buf, size, "split group %s into one group per computer",
                 f->groups[ch->target].name);
        break;
    case STG_CHANGE_EXPRESS_FULL:
    case STG_CHANGE_CHECK:
        stg_fmt_duration(a, sizeof a, ch->shift < 0 ? -ch->shift : ch->shift);
        snprintf(buf, size, "move the %s of group %s %s %s",
                 ch->kind == STG_CHANGE_CHECK ? "consistency-check window"
                                              : "express fulls",
                 f->groups[ch->target].name, a,
                 ch->shift < 0 ? "earlier" : "later");
        break;
    case STG_CHANGE_SYNC_EVERY:
        stg_fmt_duration(a, sizeof a, f->groups[ch->target].sync_every);
        stg_fmt_duration(b, sizeof b, ch->every);
        snprintf(buf, size, "sync group %s every %s instead of every %s",
                 f->groups[ch->target].name, b, a);
        break;
    case STG_CHANGE_SERVER:
        snprintf(buf, size, "move group %s (with its computers) to DPM server %s",
                 f->groups[ch->target].name, f->servers[ch->server].name);
        break;
    case STG_CHANGE_CAPACITY:
        stg_fmt_rate(a, sizeof a, f->links[ch->target].capacity);
        stg_fmt_rate(b, sizeof b, ch->capacity);
        snprintf(buf, size, "widen link %s: %s -> %s",
                 f->links[ch->target].name, a, b);
        break;
    }
}

static void set_text(FILE *out, const stg_fleet *f, const stg_schedule *sc,
                     const stg_change_set *s, int index, const char *indent)
{
    char buf[800], a[STG_QBUF], b[STG_QBUF];
    for (int i = 0; i < s->nchanges; i++) {
        stg_change_text(f, sc, &s->changes[i], buf, sizeof buf);
        if (i == 0)
            fprintf(out, "%s%d. %s\n", indent, index, buf);
        else
            fprintf(out, "%s   %s\n", indent, buf);
    }
    fprintf(out, "%s   ", indent);
    for (int k = 0; k < s->nlinks && k < 6; k++)
        fprintf(out, "%s%s %s -> %s", k ? ", " : "", f->links[s->link[k]].name,
                stg_fmt_pct(a, sizeof a, s->before[k]),
                stg_fmt_pct(b, sizeof b, s->after[k]));
    if (s->nlinks > 6)
        fprintf(out, " and %d more", s->nlinks - 6);
    stg_fmt_duration(a, sizeof a, s->lag_before);
    stg_fmt_duration(b, sizeof b, s->lag_after);
    fprintf(out, "%slongest sync lag %s -> %s", s->nlinks ? "; " : "", a, b);
    if (s->rules_after != s->rules_before)
        fprintf(out, "; other rules broken %d -> %d", s->rules_before,
                s->rules_after);
    fprintf(out, ": %s\n", s->meets ? "meets the limit" : "falls short");
}

void stg_advice_print(FILE *out, const stg_fleet *f, const stg_schedule *sc,
                      const stg_advice *a)
{
    char h[STG_QBUF], bd[STG_QBUF], req[STG_QBUF];
    stg_fmt_pct(req, sizeof req, f->headroom);
    if (a->nlinks == 0) {
        fprintf(out, "every link keeps the required %s headroom: nothing to change\n",
                req);
        return;
    }
    for (int i = 0; i < a->nlinks; i++) {
        const stg_advice_link *al = &a->links[i];
        const stg_link *lk = &f->links[al->link];
        fprintf(out, "%s: %s headroom (bound %s), the limit is %s\n", lk->name,
                stg_fmt_pct(h, sizeof h, al->headroom),
                stg_fmt_pct(bd, sizeof bd, al->bound), req);
        fprintf(out, "  why:\n");
        for (int k = 0; k < al->nwhy; k++)
            why_text(out, f, lk, &al->why[k]);
        if (al->nsets == 0) {
            fprintf(out, "  no change tried helps%s\n",
                    al->stopped ? " (the search was stopped)" : "");
            continue;
        }
        fprintf(out, al->sets[0].meets
                ? "  changes that meet the limit, least disruptive first:\n"
                : "  no change set found meets the limit; the closest:\n");
        for (int k = 0; k < al->nsets; k++)
            set_text(out, f, sc, &al->sets[k], k + 1, "    ");
    }
    if (a->nfleet > 0) {
        fprintf(out, "the whole fleet with the changes above, planned:\n");
        for (int k = 0; k < a->nfleet; k++)
            set_text(out, f, sc, &a->fleet[k], k + 1, "  ");
    }
    fprintf(out, "advised in %.2fs (%d plans)%s\n", a->seconds, a->probes,
            a->stopped ? ", stopped before the search ended" : "");
}

/* --- the scenarios file ---------------------------------------------------- */

typedef struct {
    stg_ymark none;
    bool oom;
} builder;

static stg_ynode *scalar(builder *b, const char *text, stg_ystyle st)
{
    stg_ynode *n = stg_ynode_scalar(text, st, b->none);
    if (!n)
        b->oom = true;
    return n;
}

static void put(builder *b, stg_ynode *map, const char *key, stg_ynode *value)
{
    if (!value || b->oom) {
        stg_ynode_free(value);
        b->oom = true;
        return;
    }
    if (stg_ynode_set(map, key, b->none, value))
        b->oom = true;
}

static void put_text(builder *b, stg_ynode *map, const char *key,
                     const char *text)
{
    put(b, map, key, scalar(b, text, STG_YPLAIN));
}

/* map[key], created as a mapping (or sequence) when missing. */
static stg_ynode *child(builder *b, stg_ynode *map, const char *key, bool seq)
{
    stg_ynode *n = stg_ynode_get(map, key);
    if (n)
        return n;
    n = seq ? stg_ynode_seq(b->none) : stg_ynode_map(b->none);
    put(b, map, key, n);
    return b->oom ? NULL : n;
}

static void append(builder *b, stg_ynode *seq, stg_ynode *item)
{
    if (!seq || !item || b->oom || stg_ynode_append(seq, item)) {
        stg_ynode_free(item);
        b->oom = true;
    }
}

/* "computers[NAME].throttle" */
static char *path(const char *list, const char *name, const char *rest)
{
    return stg_asprintf("%s[%s]%s%s", list, name, rest[0] ? "." : "", rest);
}

static void set_path(builder *b, stg_ynode *set, const char *list,
                     const char *name, const char *rest, stg_ynode *value)
{
    char *p = path(list, name, rest);
    if (!p) {
        b->oom = true;
        stg_ynode_free(value);
        return;
    }
    put(b, set, p, value);
    stg_free(p);
}

static char *clock_text(int t)
{
    char buf[STG_QBUF];
    stg_fmt_clock(buf, sizeof buf, ((t % STG_DAY) + STG_DAY) % STG_DAY);
    return stg_strdup(buf);
}

/* The fleet document's entry of group name (NULL when not found). */
static const stg_ynode *doc_group(const stg_ynode *doc, const char *name)
{
    const stg_ynode *groups = doc ? stg_ynode_get(doc, "groups") : NULL;
    if (!groups || groups->kind != STG_YSEQ)
        return NULL;
    int i = stg_ynode_find_name(groups, name);
    return i >= 0 ? groups->items[i] : NULL;
}

/* Group g split: for each computer after the first, a copy of its entry
 * with that computer's sources (under add.groups), and those sources
 * removed from g (remove.sources). */
static void split_group(builder *b, const stg_fleet *f, const stg_ynode *doc,
                        int g, stg_ynode *sc)
{
    const stg_ynode *entry = doc_group(doc, f->groups[g].name);
    const stg_ynode *srcs = entry ? stg_ynode_get(entry, "sources") : NULL;
    if (!srcs || srcs->kind != STG_YSEQ)
        return;
    const char *first = NULL;
    for (int i = 0; i < srcs->n && !b->oom; i++) {
        const stg_ynode *cn = srcs->items[i]->kind == STG_YMAP
                              ? stg_ynode_get(srcs->items[i], "computer") : NULL;
        if (!cn || cn->kind != STG_YSCALAR)
            continue;
        if (!first)
            first = cn->text;
        if (!strcmp(cn->text, first))
            continue;
        /* the first source of another computer: a group for it */
        bool seen = false;
        for (int k = 0; k < i && !seen; k++) {
            const stg_ynode *ck = srcs->items[k]->kind == STG_YMAP
                                  ? stg_ynode_get(srcs->items[k], "computer") : NULL;
            seen = ck && ck->kind == STG_YSCALAR && !strcmp(ck->text, cn->text);
        }
        if (seen)
            continue;
        int c = stg_fleet_computer(f, cn->text);
        char *name = c >= 0 ? stg_split_name(f, g, c) : NULL;
        stg_ynode *copy = stg_ynode_copy(entry);
        if (!name || !copy) {
            stg_free(name);
            stg_ynode_free(copy);
            b->oom = true;
            return;
        }
        put_text(b, copy, "name", name);
        stg_free(name);
        stg_ynode *cs = stg_ynode_get(copy, "sources");
        for (int k = cs->n - 1; k >= 0; k--) {
            const stg_ynode *ck = cs->items[k]->kind == STG_YMAP
                                  ? stg_ynode_get(cs->items[k], "computer") : NULL;
            if (!ck || ck->kind != STG_YSCALAR || strcmp(ck->text, cn->text))
                stg_ynode_remove(cs, k);
        }
        for (int k = 0; k < cs->n && !b->oom; k++) {
            stg_ynode *rm = stg_ynode_map(b->none);
            if (!rm) {
                b->oom = true;
                break;
            }
            put_text(b, rm, "group", f->groups[g].name);
            put(b, rm, "name", stg_ynode_copy(stg_ynode_get(cs->items[k], "name")));
            append(b, child(b, child(b, sc, "remove", false), "sources", true), rm);
        }
        append(b, child(b, child(b, sc, "add", false), "groups", true), copy);
    }
}

/* One change into scenario sc. */
static void change_yaml(builder *b, const stg_fleet *f, const stg_ynode *doc,
                        const stg_change *ch, stg_ynode *sc)
{
    char buf[STG_QBUF];
    stg_ynode *set = NULL;
    if (ch->kind != STG_CHANGE_SPLIT && !(set = child(b, sc, "set", false)))
        return;
    switch (ch->kind) {
    case STG_CHANGE_THROTTLE:
        if (ch->throttle.kind == STG_THROTTLE_WORK) {
            const stg_throttle *th = &ch->throttle;
            char hours[2 * STG_QBUF + 2], from[STG_QBUF], to[STG_QBUF];
            stg_ynode *m = stg_ynode_map(b->none);
            if (!m) {
                b->oom = true;
                break;
            }
            stg_fmt_rate(buf, sizeof buf, th->work);
            put_text(b, m, "work", buf);
            stg_fmt_rate(buf, sizeof buf, th->other);
            put_text(b, m, "other", buf);
            stg_fmt_clock(from, sizeof from, th->hours_from);
            stg_fmt_clock(to, sizeof to, th->hours_to);
            snprintf(hours, sizeof hours, "%s-%s", from, to);
            put(b, m, "hours", scalar(b, hours, STG_YDOUBLE));
            stg_fmt_days(buf, sizeof buf, th->days);
            put_text(b, m, "days", buf);
            set_path(b, set, "computers", f->computers[ch->target].name,
                     "throttle", m);
            break;
        }
        stg_fmt_rate(buf, sizeof buf, ch->throttle.rate);
        set_path(b, set, "computers", f->computers[ch->target].name, "throttle",
                 scalar(b, buf, STG_YPLAIN));
        break;
    case STG_CHANGE_SPLIT:
        split_group(b, f, doc, ch->target, sc);
        break;
    case STG_CHANGE_EXPRESS_FULL: {
        const stg_group *g = &f->groups[ch->target];
        stg_ynode *at = stg_ynode_seq(b->none);
        if (!at) {
            b->oom = true;
            return;
        }
        for (int i = 0; i < g->nef; i++) {
            char *t = clock_text(g->ef_at[i] + ch->shift);
            append(b, at, t ? scalar(b, t, STG_YDOUBLE) : NULL);
            stg_free(t);
        }
        set_path(b, set, "groups", g->name, "express_full.at", at);
        break;
    }
    case STG_CHANGE_CHECK: {
        const stg_group *g = &f->groups[ch->target];
        char *from = clock_text(g->cc_from + ch->shift);
        char *to = clock_text(g->cc_to + ch->shift);
        if (from && to) {
            set_path(b, set, "groups", g->name, "consistency_check.from",
                     scalar(b, from, STG_YDOUBLE));
            set_path(b, set, "groups", g->name, "consistency_check.to",
                     scalar(b, to, STG_YDOUBLE));
        } else {
            b->oom = true;
        }
        stg_free(from);
        stg_free(to);
        break;
    }
    case STG_CHANGE_SYNC_EVERY: {
        const stg_group *g = &f->groups[ch->target];
        stg_fmt_duration(buf, sizeof buf, ch->every);
        set_path(b, set, "groups", g->name, "sync.every", scalar(b, buf, STG_YPLAIN));
        if (g->sync_offset % ch->every != g->sync_offset) {
            stg_fmt_duration(buf, sizeof buf, g->sync_offset % ch->every);
            set_path(b, set, "groups", g->name, "sync.offset",
                     scalar(b, buf, STG_YPLAIN));
        }
        break;
    }
    case STG_CHANGE_SERVER: {
        /* the group, its computers and every group on them (change.h) */
        const char *sv = f->servers[ch->server].name;
        bool *comp = stg_calloc((size_t)f->ncomputers + 1, sizeof *comp);
        bool *grp = stg_calloc((size_t)f->ngroups + 1, sizeof *grp);
        if (!comp || !grp) {
            b->oom = true;
        } else {
            stg_change_closure(f, ch->target, comp, grp);
            for (int c = 0; c < f->ncomputers; c++)
                if (comp[c])
                    set_path(b, set, "computers", f->computers[c].name, "server",
                             scalar(b, sv, STG_YPLAIN));
            for (int k = 0; k < f->ngroups; k++)
                if (grp[k])
                    set_path(b, set, "groups", f->groups[k].name, "server",
                             scalar(b, sv, STG_YPLAIN));
        }
        stg_free(comp);
        stg_free(grp);
        break;
    }
    case STG_CHANGE_CAPACITY:
        stg_fmt_rate(buf, sizeof buf, ch->capacity);
        set_path(b, set, "links", f->links[ch->target].name, "capacity",
                 scalar(b, buf, STG_YPLAIN));
        break;
    }
}

static void scenario(builder *b, const stg_fleet *f, const stg_schedule *sched,
                     const stg_ynode *doc, const char *name,
                     const stg_change_set *s, stg_ynode *list)
{
    stg_ynode *sc = stg_ynode_map(b->none);
    if (!sc) {
        b->oom = true;
        return;
    }
    put_text(b, sc, "name", name);
    char desc[1200];
    size_t used = 0;
    desc[0] = '\0';
    for (int i = 0; i < s->nchanges && used + 2 < sizeof desc; i++) {
        char one[800];
        stg_change_text(f, sched, &s->changes[i], one, sizeof one);
        used += (size_t)snprintf(desc + used, sizeof desc - used, "%s%s",
                                 i ? "; " : "", one);
        if (used >= sizeof desc)
            used = sizeof desc - 1;
    }
    put(b, sc, "description", scalar(b, desc, STG_YDOUBLE));
    for (int i = 0; i < s->nchanges && !b->oom; i++)
        change_yaml(b, f, doc, &s->changes[i], sc);
    append(b, list, sc);
}

/* A scenario name from a link's name: letters, digits, '.', '-', '_'. */
static void scenario_name(const char *link, int k, char *buf, size_t n)
{
    snprintf(buf, n, "%.50s-%d", link, k);
    for (char *p = buf; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_'))
            *p = '_';
    if (buf[0] == '.')
        buf[0] = '_';
}

int stg_advice_scenarios(const stg_fleet *f, const stg_schedule *sched,
                         const char *fleet_text, size_t fleet_len,
                         const stg_advice *a, char **text, size_t *len,
                         int *count, char **cause)
{
    builder b = { { 0, 0, 0 }, false };
    stg_diags d;
    stg_diags_init(&d);
    stg_ynode *doc = stg_ynode_read(fleet_text, fleet_len, 0, 64, "", 0, &d);
    stg_diags_free(&d);
    stg_ynode *root = stg_ynode_map(b.none);
    stg_ynode *list = stg_ynode_seq(b.none);
    int rc = -1;
    *text = NULL;
    *cause = NULL;
    *count = 0;
    if (!root || !list) {
        stg_ynode_free(list);
        goto out;
    }
    put_text(&b, root, "stagger-scenarios", "1");
    put(&b, root, "scenarios", list);
    char name[80];
    for (int k = 0; k < a->nfleet && !b.oom; k++) {
        snprintf(name, sizeof name, "advice-%d", k + 1);
        scenario(&b, f, sched, doc, name, &a->fleet[k], list);
    }
    for (int i = 0; i < a->nlinks && !b.oom; i++)
        for (int k = 0; k < a->links[i].nsets && !b.oom; k++) {
            const stg_change_set *ls = &a->links[i].sets[k];
            bool again = !ls->meets;
            for (int j = 0; j < a->nfleet && !again; j++)
                again = a->fleet[j].nchanges == ls->nchanges &&
                        !memcmp(a->fleet[j].changes, ls->changes,
                                sizeof *ls->changes * (size_t)ls->nchanges);
            if (again)          /* falls short, or written already */
                continue;
            scenario_name(f->links[a->links[i].link].name, k + 1, name, sizeof name);
            scenario(&b, f, sched, doc, name, &a->links[i].sets[k], list);
        }
    *count = list->n;
    if (!b.oom && stg_ynode_emit(root, text, len) == 0)
        rc = 0;
out:
    if (rc)
        *cause = stg_strdup("out of memory");
    stg_ynode_free(root);
    stg_ynode_free(doc);
    return rc;
}
