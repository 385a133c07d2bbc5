/* stagger: the schedule file writer (schedule.md). */
#include "io/write/schedule_write.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "model/alloc.h"
#include "model/quantity.h"

/* ---- YAML scalars ------------------------------------------------------ */

/* Length of the UTF-8 sequence at p (decoded into *cp), or 0 when the
 * bytes there are not valid UTF-8. */
static int utf8_seq(const unsigned char *p, unsigned long *cp)
{
    int n;
    unsigned long c, min;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    } else if ((p[0] & 0xe0) == 0xc0) {
        n = 2, c = p[0] & 0x1f, min = 0x80;
    } else if ((p[0] & 0xf0) == 0xe0) {
        n = 3, c = p[0] & 0x0f, min = 0x800;
    } else if ((p[0] & 0xf8) == 0xf0) {
        n = 4, c = p[0] & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xc0) != 0x80)
            return 0;
        c = c << 6 | (p[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* Printable in YAML and not a line break of YAML 1.1 (those would fold
 * inside a quoted scalar) nor a byte order mark. */
static bool plain_char(unsigned long c)
{
    if (c == 0x85 || c == 0x2028 || c == 0x2029 || c == 0xfeff)
        return false;
    return (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) ||
           (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

static bool is_alpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static bool ieq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        int x = *a >= 'A' && *a <= 'Z' ? *a - 'A' + 'a' : *a;
        if (x != *b)
            return false;
    }
    return *a == *b;
}

static bool plain_safe(const char *s)
{
    static const char *const words[] = {
        "y", "n", "yes", "no", "true", "false", "on", "off", "null", NULL
    };
    if (!*s || s[0] == '-' || s[0] == '.')
        return false;
    for (const char *p = s; *p; p++)
        if (!is_alpha(*p) && !is_digit(*p) && *p != '.' && *p != '-' &&
            *p != '_')
            return false;
    for (int i = 0; words[i]; i++)
        if (ieq(s, words[i]))
            return false;
    if (is_digit(s[0])) {
        /* a number, time or date starts with a digit; a string of letters
         * and digits is safe once it holds a letter no number form has
         * (0x1F, 0o17 and 0b101 are numbers, and so is 1e5) */
        bool letter = false;
        if (s[0] == '0' && is_alpha(s[1]))
            return false;
        for (const char *p = s; *p; p++) {
            if (!is_alpha(*p) && !is_digit(*p))
                return false;
            if (is_alpha(*p) && *p != 'e' && *p != 'E')
                letter = true;
        }
        return letter;
    }
    return true;
}

void stg_yaml_write_dquoted(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    fputc('"', out);
    while (*p) {
        unsigned long c;
        int n = utf8_seq(p, &c);
        if (n == 0) {
            fprintf(out, "\\x%02X", *p);
            p++;
            continue;
        }
        if (c == '"' || c == '\\') {
            fputc('\\', out);
            fputc((int)c, out);
        } else if (plain_char(c)) {
            fwrite(p, 1, (size_t)n, out);
        } else {
            switch (c) {
            case 0x07: fputs("\\a", out); break;
            case 0x08: fputs("\\b", out); break;
            case 0x09: fputs("\\t", out); break;
            case 0x0a: fputs("\\n", out); break;
            case 0x0b: fputs("\\v", out); break;
            case 0x0c: fputs("\\f", out); break;
            case 0x0d: fputs("\\r", out); break;
            case 0x1b: fputs("\\e", out); break;
            case 0x85: fputs("\\N", out); break;
            case 0x2028: fputs("\\L", out); break;
            case 0x2029: fputs("\\P", out); break;
            default:
                if (c < 0x100)
                    fprintf(out, "\\x%02lX", c);
                else if (c < 0x10000)
                    fprintf(out, "\\u%04lX", c);
                else
                    fprintf(out, "\\U%08lX", c);
            }
        }
        p += n;
    }
    fputc('"', out);
}

void stg_yaml_write_scalar(FILE *out, const char *s)
{
    if (plain_safe(s)) {
        fputs(s, out);
        return;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        unsigned long c;
        int n = utf8_seq(p, &c);
        if (n == 0 || !plain_char(c)) {
            stg_yaml_write_dquoted(out, s);
            return;
        }
        p += n;
    }
    fputc('\'', out);
    for (const char *p = s; *p; p++) {
        if (*p == '\'')
            fputc('\'', out);
        fputc(*p, out);
    }
    fputc('\'', out);
}

/* ---- ordering ---------------------------------------------------------- */

typedef int (*cmp_fn)(const void *a, const void *b, const void *ctx);

/* Stable merge sort of n elements of size bytes with a context; tmp
 * holds n elements. */
static void merge_sort(char *base, char *tmp, size_t n, size_t size,
                       cmp_fn cmp, const void *ctx)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(base, tmp, h, size, cmp, ctx);
    merge_sort(base + h * size, tmp, n - h, size, cmp, ctx);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n) {
        if (cmp(base + j * size, base + i * size, ctx) < 0)
            memcpy(tmp + k++ * size, base + j++ * size, size);
        else
            memcpy(tmp + k++ * size, base + i++ * size, size);
    }
    while (i < h)
        memcpy(tmp + k++ * size, base + i++ * size, size);
    while (j < n)
        memcpy(tmp + k++ * size, base + j++ * size, size);
    memcpy(base, tmp, n * size);
}

static int sort_with(void *base, size_t n, size_t size, cmp_fn cmp,
                     const void *ctx)
{
    char *tmp = stg_malloc(n * size);
    if (!tmp)
        return -1;
    merge_sort(base, tmp, n, size, cmp, ctx);
    stg_free(tmp);
    return 0;
}

static int by_group_name(const void *a, const void *b, const void *ctx)
{
    const stg_fleet *f = ctx;
    return strcmp(f->groups[*(const int *)a].name,
                  f->groups[*(const int *)b].name);
}

static int by_computer_name(const void *a, const void *b, const void *ctx)
{
    const stg_fleet *f = ctx;
    return strcmp(f->computers[*(const int *)a].name,
                  f->computers[*(const int *)b].name);
}

static int by_link_name(const void *a, const void *b, const void *ctx)
{
    const stg_fleet *f = ctx;
    return strcmp(f->links[*(const int *)a].name,
                  f->links[*(const int *)b].name);
}

static int by_transfer(const void *a, const void *b, const void *ctx)
{
    const stg_fleet *f = ctx;
    const stg_transfer *x = a, *y = b;
    int c;
    /* by start as written: a transfer that starts after the cycle end
     * (queued past it) sorts by its time in the next cycle */
    int xs = x->start % f->cycle, ys = y->start % f->cycle;
    if (xs != ys)
        return xs < ys ? -1 : 1;
    if ((c = strcmp(f->computers[x->computer].name,
                    f->computers[y->computer].name)))
        return c;
    if ((c = strcmp(f->groups[x->group].name, f->groups[y->group].name)))
        return c;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->release != y->release)
        return x->release < y->release ? -1 : 1;
    return 0;
}

/* Indices 0..n-1 sorted with cmp; NULL when out of memory. */
static int *sorted_indices(int n, cmp_fn cmp, const stg_fleet *f)
{
    int *idx = stg_calloc((size_t)(n > 0 ? n : 1), sizeof *idx);
    if (!idx)
        return NULL;
    for (int i = 0; i < n; i++)
        idx[i] = i;
    if (sort_with(idx, (size_t)n, sizeof *idx, cmp, f)) {
        stg_free(idx);
        return NULL;
    }
    return idx;
}

/* ---- the file ---------------------------------------------------------- */

/* Writes a quoted time in the cycle. */
static void put_time(FILE *out, int cycle, int t)
{
    char b[STG_QBUF];
    fprintf(out, "\"%s\"", stg_fmt_cycle_time(b, sizeof b, cycle, t));
}

static void put_throttle(FILE *out, int cycle, const stg_throttle *th)
{
    char b1[STG_QBUF], b2[STG_QBUF];
    if (th->kind == STG_THROTTLE_RATE) {
        fputs(stg_fmt_rate(b1, sizeof b1, th->rate), out);
        return;
    }
    fprintf(out, "{ work: %s, other: %s",
            stg_fmt_rate(b1, sizeof b1, th->work),
            stg_fmt_rate(b2, sizeof b2, th->other));
    if (th->has_hours) {
        fprintf(out, ", hours: \"%s-",
                stg_fmt_clock(b1, sizeof b1, th->hours_from));
        fprintf(out, "%s\", days: %s }",
                stg_fmt_clock(b1, sizeof b1, th->hours_to),
                /* a day cycle applies the work hours every day */
                cycle == STG_DAY ? "daily"
                                 : stg_fmt_days(b2, sizeof b2, th->days));
    } else {
        fputs(" }", out);
    }
}

/* The duration to give DPM's check window (its MaximumDurationInHours),
 * per group (hours[ngroups]): the longest the group's checks take in the
 * simulated cycle, from their start to their end, in whole hours rounded
 * up (at least 1), so that DPM never cuts a check the plan counts on.
 * The planner has already made each check end inside the fleet's
 * window. */
static void cc_hours(const stg_sim *sim, int ngroups, int *hours)
{
    for (int g = 0; g < ngroups; g++)
        hours[g] = 0;
    for (int i = 0; i < sim->ntransfers; i++) {
        const stg_transfer *t = &sim->transfers[i];
        if (t->kind == STG_JOB_CC && t->end - t->release > hours[t->group])
            hours[t->group] = t->end - t->release;
    }
    for (int g = 0; g < ngroups; g++) {
        int h = (hours[g] + 3599) / 3600;
        hours[g] = h < 1 ? 1 : h > 24 ? 24 : h;
    }
}

/* Checks that the parts of sc the writer reads fit f. */
static const char *mismatch(const stg_fleet *f, const stg_schedule *sc)
{
    const stg_settings *s = sc->settings;
    if (!s || !sc->sim || !sc->eval || !sc->link_bound)
        return "the schedule is incomplete";
    if (s->ngroups != f->ngroups || s->ncomputers != f->ncomputers)
        return "the settings do not match the fleet";
    if (sc->sim->nlinks != f->nlinks || sc->sim->ngroups != f->ngroups ||
        sc->sim->ncomputers != f->ncomputers || sc->sim->nslots <= 0 ||
        sc->sim->cycle != f->cycle || sc->sim->resolution <= 0)
        return "the simulation does not match the fleet";
    if (sc->eval->nlinks != f->nlinks)
        return "the evaluation does not match the fleet";
    for (int c = 0; c < f->ncomputers; c++)
        if (s->throttle[c].kind != STG_THROTTLE_RATE &&
            s->throttle[c].kind != STG_THROTTLE_WORK)
            return "a computer has no throttle in the settings";
    for (int g = 0; g < f->ngroups; g++) {
        if (s->ef_base[g] < 0 ||
            s->ef_base[g + 1] - s->ef_base[g] != f->groups[g].nef)
            return "the express-full times do not match the fleet";
        if (s->cc_start[g] >= 0 && !f->groups[g].has_cc)
            return "a group without a check window has a check start";
    }
    for (int i = 0; i < sc->sim->ntransfers; i++) {
        const stg_transfer *t = &sc->sim->transfers[i];
        if (t->group < 0 || t->group >= f->ngroups || t->computer < 0 ||
            t->computer >= f->ncomputers)
            return "a transfer names no group or computer of the fleet";
    }
    for (int i = 0; i < sc->eval->nviolations; i++) {
        const stg_violation *v = &sc->eval->violations[i];
        int n = v->kind == STG_VIOL_HEADROOM ? f->nlinks
              : v->kind == STG_VIOL_BACKLOG ? f->ncomputers : f->ngroups;
        if (v->index < 0 || v->index >= n)
            return "a violation names nothing in the fleet";
    }
    return NULL;
}

static void write_group(FILE *out, const stg_fleet *f, const stg_schedule *sc,
                        int g, int *rp, const int *hours)
{
    const stg_group *gr = &f->groups[g];
    const stg_settings *s = sc->settings;
    char b[STG_QBUF];
    int off = s->sync_offset[g];

    fputs("  - name: ", out);
    stg_yaml_write_scalar(out, gr->name);
    fputc('\n', out);
    if (gr->before_rp)
        fprintf(out, "    sync: { before_recovery_point: true, offset: %s }\n",
                stg_fmt_duration(b, sizeof b, off));
    else {
        fprintf(out, "    sync: { every: %s, ",
                stg_fmt_duration(b, sizeof b, gr->sync_every));
        fprintf(out, "offset: %s }\n", stg_fmt_duration(b, sizeof b, off));
    }
    if (gr->nrp > 0) {
        for (int i = 0; i < gr->nrp; i++)
            rp[i] = ((gr->rp_at[i] + off) % STG_DAY + STG_DAY) % STG_DAY;
        /* few elements: insertion sort */
        for (int i = 1; i < gr->nrp; i++)
            for (int j = i; j > 0 && rp[j - 1] > rp[j]; j--) {
                int t = rp[j];
                rp[j] = rp[j - 1];
                rp[j - 1] = t;
            }
        fputs("    recovery_points: [", out);
        for (int i = 0; i < gr->nrp; i++)
            fprintf(out, "%s\"%s\"", i ? ", " : "",
                    stg_fmt_clock(b, sizeof b, rp[i]));
        fputs("]\n", out);
    }
    if (gr->nef > 0) {
        char days[STG_QBUF];
        stg_fmt_days(days, sizeof days, gr->ef_days);
        fputs("    express_full: [ ", out);
        for (int i = 0; i < gr->nef; i++)
            fprintf(out, "%s{ at: \"%s\", days: %s }", i ? ", " : "",
                    stg_fmt_clock(b, sizeof b, s->ef_at[s->ef_base[g] + i]),
                    days);
        fputs(" ]\n", out);
    }
    if (s->cc_start[g] >= 0)
        fprintf(out, "    consistency_check: { start: \"%s\", hours: %d }\n",
                stg_fmt_clock(b, sizeof b, s->cc_start[g]),
                hours[g]);
    if (sc->sim->lag[g] >= 0)
        fprintf(out, "    lag: %s\n",
                stg_fmt_duration(b, sizeof b, sc->sim->lag[g]));
}

static void write_violation(FILE *out, const stg_fleet *f,
                            const stg_schedule *sc, const stg_violation *v)
{
    char b[STG_QBUF];
    int cycle = sc->sim->cycle, res = sc->sim->resolution;
    int secs = (int)(v->amount + 0.5);
    switch (v->kind) {
    case STG_VIOL_HEADROOM:
        fputs("  - { kind: headroom, link: ", out);
        stg_yaml_write_scalar(out, f->links[v->index].name);
        fputs(", from: ", out);
        put_time(out, cycle, v->from * res);
        fputs(", to: ", out);
        put_time(out, cycle, v->to * res);
        fprintf(out, ", over: %s }\n", stg_fmt_pct(b, sizeof b, v->amount));
        break;
    case STG_VIOL_LAG:
    case STG_VIOL_CC_WINDOW:
        fprintf(out, "  - { kind: %s, group: ",
                v->kind == STG_VIOL_LAG ? "lag" : "consistency_check");
        stg_yaml_write_scalar(out, f->groups[v->index].name);
        fprintf(out, ", over: %s }\n", stg_fmt_duration(b, sizeof b, secs));
        break;
    case STG_VIOL_BACKLOG:
        fputs("  - { kind: backlog, computer: ", out);
        stg_yaml_write_scalar(out, f->computers[v->index].name);
        fputs(" }\n", out);
        break;
    }
}

/* Two bounds that read differently (one decimal). */
static bool differs(double a, double b)
{
    char x[STG_QBUF], y[STG_QBUF];
    return strcmp(stg_fmt_pct(x, sizeof x, a), stg_fmt_pct(y, sizeof y, b)) != 0;
}

/* The computers, in name order (cord). */
static void write_computers(FILE *out, const stg_fleet *f,
                            const stg_schedule *sc, const int *cord)
{
    const stg_settings *s = sc->settings;
    const stg_sim *sim = sc->sim;
    char b[STG_QBUF], z[STG_QBUF];
    fputs(f->ncomputers ? "computers:\n" : "computers: []\n", out);
    for (int i = 0; i < f->ncomputers; i++) {
        int c = cord[i];
        fputs("  - { name: ", out);
        stg_yaml_write_scalar(out, f->computers[c].name);
        fputs(", throttle: ", out);
        put_throttle(out, f->cycle, &s->throttle[c]);
        fprintf(out, ", recommended: %s, busy: %s }",
                s->recommended[c] ? "true" : "false",
                stg_fmt_pct(b, sizeof b, (double)sim->busy[c] / sim->nslots));
        if (s->throttle[c].kind == STG_THROTTLE_WORK &&
            stg_computer_clock(f, c) != f->utc_offset) {
            fprintf(out, "   # work hours on its own clock, %s",
                    stg_fmt_utc_offset(b, sizeof b, stg_computer_clock(f, c)));
            fprintf(out, " (every other time: the DPM servers', %s)",
                    stg_fmt_utc_offset(z, sizeof z, f->utc_offset));
        }
        fputc('\n', out);
    }
}

/* The links, in name order (lord). */
static void write_links(FILE *out, const stg_fleet *f, const stg_schedule *sc,
                        const int *lord)
{
    const stg_eval *ev = sc->eval;
    int cycle = sc->sim->cycle, res = sc->sim->resolution;
    char b[STG_QBUF];
    fputs(f->nlinks ? "links:\n" : "links: []\n", out);
    for (int i = 0; i < f->nlinks; i++) {
        int l = lord[i];
        fputs("  - { name: ", out);
        stg_yaml_write_scalar(out, f->links[l].name);
        fprintf(out, ", capacity: %s",
                stg_fmt_rate(b, sizeof b, f->links[l].capacity));
        fprintf(out, ", peak: %s",
                stg_fmt_pct(b, sizeof b, 1.0 - ev->headroom[l]));
        fprintf(out, ", headroom: %s, at: ",
                stg_fmt_pct(b, sizeof b, ev->headroom[l]));
        put_time(out, cycle, ev->at[l] * res);
        fprintf(out, ", bound: %s",
                stg_fmt_pct(b, sizeof b, sc->link_bound[l]));
        if (sc->link_bound_nowait &&
            differs(sc->link_bound_nowait[l], sc->link_bound[l]))
            fprintf(out, ", bound_without_waits: %s",
                    stg_fmt_pct(b, sizeof b, sc->link_bound_nowait[l]));
        fputs(" }\n", out);
    }
}

int stg_schedule_write(FILE *out, const stg_fleet *f, const char *fleet_file,
                       const char *fleet_sha256, const stg_schedule *sc,
                       char **cause)
{
    int rc = -1;
    int *gord = NULL, *cord = NULL, *lord = NULL, *rp = NULL, *hours = NULL;
    stg_transfer *tr = NULL;
    char b[STG_QBUF];
    const char *bad;

    if (cause)
        *cause = NULL;
    if ((bad = mismatch(f, sc))) {
        if (cause)
            *cause = stg_asprintf("cannot write the schedule: %s", bad);
        goto out;
    }
    const stg_sim *sim = sc->sim;
    const stg_eval *ev = sc->eval;
    int cycle = sim->cycle, res = sim->resolution;
    int maxrp = 1;
    for (int g = 0; g < f->ngroups; g++)
        if (f->groups[g].nrp > maxrp)
            maxrp = f->groups[g].nrp;
    size_t ntr = (size_t)(sim->ntransfers > 0 ? sim->ntransfers : 0);
    if (!(gord = sorted_indices(f->ngroups, by_group_name, f)) ||
        !(cord = sorted_indices(f->ncomputers, by_computer_name, f)) ||
        !(lord = sorted_indices(f->nlinks, by_link_name, f)) ||
        !(rp = stg_calloc((size_t)maxrp, sizeof *rp)) ||
        !(hours = stg_calloc((size_t)f->ngroups + 1, sizeof *hours)) ||
        !(tr = stg_calloc(ntr ? ntr : 1, sizeof *tr))) {
        if (cause)
            *cause = stg_strdup("out of memory");
        goto out;
    }
    if (ntr)
        memcpy(tr, sim->transfers, ntr * sizeof *tr);
    cc_hours(sim, f->ngroups, hours);
    if (sort_with(tr, ntr, sizeof *tr, by_transfer, f)) {
        if (cause)
            *cause = stg_strdup("out of memory");
        goto out;
    }

    errno = 0;
    fputs("stagger-schedule: 1\n", out);
    fputs("fleet: { file: ", out);
    stg_yaml_write_scalar(out, fleet_file ? fleet_file : "");
    fputs(", sha256: ", out);
    stg_yaml_write_scalar(out, fleet_sha256 ? fleet_sha256 : "");
    fputs(" }\n", out);
    fprintf(out, "cycle: %s\n", cycle == STG_WEEK ? "week" : "day");
    fprintf(out, "resolution: %s\n", stg_fmt_duration(b, sizeof b, res));
    fprintf(out, "status: %s\n", stg_status_name(sc->status));

    fputs("headroom:\n", out);
    fprintf(out, "  required: %s\n", stg_fmt_pct(b, sizeof b, f->headroom));
    fprintf(out, "  achieved: %s\n", stg_fmt_pct(b, sizeof b, ev->achieved));
    if (ev->worst_link >= 0 && ev->worst_link < f->nlinks) {
        fputs("  link: ", out);
        stg_yaml_write_scalar(out, f->links[ev->worst_link].name);
        fputs("\n  at: ", out);
        put_time(out, cycle, ev->worst_slot * res);
        fputc('\n', out);
    }
    fprintf(out, "  bound: %s\n", stg_fmt_pct(b, sizeof b, sc->bound));
    if (sc->link_bound_nowait && differs(sc->bound_nowait, sc->bound))
        fprintf(out, "  bound_without_waits: %s\n",
                stg_fmt_pct(b, sizeof b, sc->bound_nowait));

    fprintf(out, "solve: { seconds: %.2f, method: ",
            sc->seconds > 0 ? sc->seconds : 0.0);
    stg_yaml_write_dquoted(out, sc->method ? sc->method : "");
    fputs(" }\n", out);
    if (sc->stopped)
        fputs("stopped: true\n", out);

    fputs(f->ngroups ? "groups:\n" : "groups: []\n", out);
    for (int i = 0; i < f->ngroups; i++)
        write_group(out, f, sc, gord[i], rp, hours);

    write_computers(out, f, sc, cord);
    write_links(out, f, sc, lord);

    if (sc->status == STG_STATUS_VIOLATES || ev->nviolations > 0) {
        fputs(ev->nviolations ? "violations:\n" : "violations: []\n", out);
        for (int i = 0; i < ev->nviolations; i++)
            write_violation(out, f, sc, &ev->violations[i]);
    }

    fputs(ntr ? "transfers:\n" : "transfers: []\n", out);
    for (size_t i = 0; i < ntr; i++) {
        const stg_transfer *t = &tr[i];
        fputs("  - { group: ", out);
        stg_yaml_write_scalar(out, f->groups[t->group].name);
        fputs(", computer: ", out);
        stg_yaml_write_scalar(out, f->computers[t->computer].name);
        fprintf(out, ", kind: %s, release: ", stg_job_kind_name(t->kind));
        put_time(out, cycle, t->release);
        fputs(", start: ", out);
        put_time(out, cycle, t->start);
        fputs(", end: ", out);
        put_time(out, cycle, t->end);
        fprintf(out, ", volume: %s }\n",
                stg_fmt_size(b, sizeof b, t->volume));
    }

    if (ferror(out)) {
        if (cause)
            *cause = stg_asprintf("cannot write the schedule: %s",
                                  strerror(errno ? errno : EIO));
        goto out;
    }
    rc = 0;
out:
    stg_free(gord);
    stg_free(cord);
    stg_free(lord);
    stg_free(rp);
    stg_free(hours);
    stg_free(tr);
    return rc;
}
