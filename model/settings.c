/* stagger: settings (today's, or a plan's) and throttle arithmetic. */
#include "settings.h"

#include <math.h>
#include <string.h>

#include "alloc.h"

static stg_settings *settings_alloc(int ngroups, int ncomputers, int nef)
{
    stg_settings *s = stg_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->ngroups = ngroups;
    s->ncomputers = ncomputers;
    s->sync_offset = stg_calloc((size_t)ngroups, sizeof *s->sync_offset);
    s->ef_base = stg_calloc((size_t)ngroups + 1, sizeof *s->ef_base);
    s->ef_at = stg_calloc((size_t)nef, sizeof *s->ef_at);
    s->cc_start = stg_calloc((size_t)ngroups, sizeof *s->cc_start);
    s->throttle = stg_calloc((size_t)ncomputers, sizeof *s->throttle);
    s->recommended = stg_calloc((size_t)ncomputers, sizeof *s->recommended);
    if (!s->sync_offset || !s->ef_base || !s->ef_at || !s->cc_start ||
        !s->throttle || !s->recommended) {
        stg_settings_free(s);
        return NULL;
    }
    return s;
}

bool stg_settings_group_moved(const stg_settings *a, int g,
                              const stg_settings *b, int h)
{
    if (a->sync_offset[g] != b->sync_offset[h] || a->cc_start[g] != b->cc_start[h])
        return true;
    int n = a->ef_base[g + 1] - a->ef_base[g];
    if (n != b->ef_base[h + 1] - b->ef_base[h])
        return true;
    for (int i = 0; i < n; i++)
        if (a->ef_at[a->ef_base[g] + i] != b->ef_at[b->ef_base[h] + i])
            return true;
    return false;
}

static bool same_times(const int *x, const int *y, int n)
{
    return n == 0 || memcmp(x, y, sizeof *x * (size_t)n) == 0;
}

bool stg_group_same_choices(const stg_fleet *a, int g, const stg_fleet *b,
                            int h)
{
    const stg_group *x = &a->groups[g], *y = &b->groups[h];
    return x->sync_every == y->sync_every && x->before_rp == y->before_rp &&
           x->nrp == y->nrp && same_times(x->rp_at, y->rp_at, x->nrp) &&
           x->rp_days == y->rp_days && x->nef == y->nef &&
           same_times(x->ef_at, y->ef_at, x->nef) && x->ef_days == y->ef_days &&
           x->ef_flex == y->ef_flex && x->has_cc == y->has_cc &&
           (!x->has_cc || (x->cc_from == y->cc_from && x->cc_to == y->cc_to &&
                           x->cc_days == y->cc_days));
}

void stg_settings_group_copy(stg_settings *dst, int g,
                             const stg_settings *src, int h)
{
    dst->sync_offset[g] = src->sync_offset[h];
    dst->cc_start[g] = src->cc_start[h];
    int n = dst->ef_base[g + 1] - dst->ef_base[g];
    if (n == src->ef_base[h + 1] - src->ef_base[h])
        for (int i = 0; i < n; i++)
            dst->ef_at[dst->ef_base[g] + i] = src->ef_at[src->ef_base[h] + i];
}

void stg_settings_free(stg_settings *s)
{
    if (!s)
        return;
    stg_free(s->sync_offset);
    stg_free(s->ef_base);
    stg_free(s->ef_at);
    stg_free(s->cc_start);
    stg_free(s->throttle);
    stg_free(s->recommended);
    stg_free(s);
}

stg_settings *stg_settings_today(const stg_fleet *f)
{
    int nef = 0;
    for (int g = 0; g < f->ngroups; g++)
        nef += f->groups[g].nef;
    stg_settings *s = settings_alloc(f->ngroups, f->ncomputers, nef);
    if (!s)
        return NULL;
    int k = 0;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        s->sync_offset[g] = gr->sync_offset;
        s->ef_base[g] = k;
        for (int i = 0; i < gr->nef; i++)
            s->ef_at[k++] = gr->ef_at[i];
        s->cc_start[g] = gr->has_cc ? gr->cc_from : -1;
    }
    s->ef_base[f->ngroups] = k;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_throttle *th = &f->computers[c].throttle;
        if (th->kind == STG_THROTTLE_RATE || th->kind == STG_THROTTLE_WORK) {
            s->throttle[c] = *th;
        } else {
            memset(&s->throttle[c], 0, sizeof s->throttle[c]);
            s->throttle[c].kind = STG_THROTTLE_RATE;
            double b = stg_fleet_bottleneck(f, c);
            /* no link on its path: nothing to take, 1Gbps as a nominal */
            s->throttle[c].rate = isfinite(b) ? b : 1e9;
        }
    }
    return s;
}

stg_settings *stg_settings_copy(const stg_settings *src)
{
    int nef = src->ef_base[src->ngroups];
    stg_settings *s = settings_alloc(src->ngroups, src->ncomputers, nef);
    if (!s)
        return NULL;
    size_t g = (size_t)src->ngroups, c = (size_t)src->ncomputers;
    memcpy(s->sync_offset, src->sync_offset, g * sizeof *s->sync_offset);
    memcpy(s->ef_base, src->ef_base, (g + 1) * sizeof *s->ef_base);
    memcpy(s->ef_at, src->ef_at, (size_t)nef * sizeof *s->ef_at);
    memcpy(s->cc_start, src->cc_start, g * sizeof *s->cc_start);
    memcpy(s->throttle, src->throttle, c * sizeof *s->throttle);
    memcpy(s->recommended, src->recommended, c * sizeof *s->recommended);
    return s;
}

double stg_rate_round_down(double x)
{
    if (x <= 0)
        return 0;
    double scale = pow(10, floor(log10(x)) - 2);
    return floor(x / scale + 1e-9) * scale;
}

/* The fastest rate another computer can put on link l beside computer c
 * (*autos counts the other AUTO computers there). */
static double fastest_other(const stg_fleet *f, int c, int l, int *autos)
{
    double fastest = 0;
    *autos = 0;
    for (int o = 0; o < f->ncomputers; o++) {
        const stg_computer *op = &f->computers[o];
        if (o == c || !stg_computer_crosses(op, l))
            continue;
        const stg_throttle *th = &op->throttle;
        double r = 0;
        switch (th->kind) {
        case STG_THROTTLE_RATE: r = th->rate; break;
        case STG_THROTTLE_WORK: r = th->work > th->other ? th->work : th->other; break;
        case STG_THROTTLE_NONE: r = stg_fleet_bottleneck(f, o); break;
        case STG_THROTTLE_AUTO: (*autos)++; break;
        }
        if (r > fastest)
            fastest = r;
    }
    return fastest;
}

/* Bytes computer c has to send per cycle, from its sources' churn and
 * checks (a floor for its throttle). */
double stg_computer_cycle_volume(const stg_fleet *f, int c)
{
    double v = 0;
    for (int g = 0; g < f->ngroups; g++) {
        const stg_group *gr = &f->groups[g];
        for (int i = 0; i < gr->nsources; i++) {
            const stg_source *src = &f->sources[gr->sources[i]];
            if (src->computer != c)
                continue;
            double days = (double)f->cycle / STG_DAY * stg_group_wire(f, g);
            if (!src->full_only)
                v += src->churn * days;
            if (gr->nef > 0 && src->kind != STG_SRC_FILE)
                v += src->churn * days;
            if (gr->has_cc)
                v += stg_source_cc_volume(src) * days;
        }
    }
    return v;
}

double stg_throttle_floor(const stg_fleet *f, int c)
{
    return 2 * 8 * stg_computer_cycle_volume(f, c) / (f->efficiency * f->cycle);
}

/* The highest background on link l at the times selected by want (1:
 * inside th's work hours, 0: outside, -1: always). */
static double worst_background(const stg_fleet *f, const stg_link *l,
                               const stg_throttle *th, int want)
{
    double worst = 0;
    for (int t = 0; t < f->cycle; t += f->resolution)
        if (want < 0 || (int)stg_throttle_in_work(f, th, t) == want) {
            double bg = stg_link_background_at(f, l, t);
            if (bg > worst)
                worst = bg;
        }
    return worst;
}

/* The largest rate computer c may send at alone over the background at
 * the times selected by want (as safe_rate) and keep the headroom on
 * every link of its path; 0 when the background alone breaks it. */
static double alone_rate(const stg_fleet *f, int c, const stg_throttle *th,
                         int want)
{
    const stg_computer *cp = &f->computers[c];
    double best = stg_fleet_bottleneck(f, c);
    for (int i = 0; i < cp->nfull_path; i++) {
        const stg_link *l = &f->links[cp->full_path[i]];
        double r = (1 - f->headroom) * l->capacity
                   - worst_background(f, l, th, want);
        if (r < best)
            best = r;
    }
    return best > 0 ? stg_rate_round_down(best) : 0;
}

/* The largest rate that keeps the required headroom on every link of the
 * computer's path, over the background at the times selected by want
 * (1: inside the work hours, 0: outside, -1: always), when it sends
 * together with the fastest other computer on the link (half the room
 * when another computer there is AUTO too); never below what moves its
 * volume in half the cycle, unless that rate breaks the limit by itself
 * (catch_up() then decides). */
static double safe_rate(const stg_fleet *f, int c, const stg_throttle *th,
                        int want)
{
    const stg_computer *cp = &f->computers[c];
    double best = INFINITY, floor_rate = INFINITY;
    for (int i = 0; i < cp->nfull_path; i++) {
        const stg_link *l = &f->links[cp->full_path[i]];
        double limit = (1 - f->headroom) * l->capacity;
        if (l->capacity * 0.01 < floor_rate)
            floor_rate = l->capacity * 0.01;
        double room = limit - worst_background(f, l, th, want);
        int autos;
        double share = room - fastest_other(f, c, cp->full_path[i], &autos);
        if (autos > 0 && room / 2 < share)
            share = room / 2;
        if (share < room / 4)
            share = room / 4;   /* crowded: stagger, do not starve it */
        if (share < best)
            best = share;
    }
    if (!isfinite(best))
        return 1e9;     /* crosses no link: any rate loads nothing; 1Gbps */
    double need = stg_throttle_floor(f, c), alone = alone_rate(f, c, th, want);
    if (best < need)
        best = need < alone ? need : alone > best ? alone : best;
    /* Background alone breaks the limit: the link cannot be fixed by a
     * throttle; keep a small rate so the computer still moves its data. */
    if (best < floor_rate)
        best = floor_rate;
    return stg_rate_round_down(best);
}

/* Bytes throttle th moves in one cycle, sending all the time. */
double stg_throttle_cycle_bytes(const stg_fleet *f, const stg_throttle *th)
{
    double b = 0;
    for (int t = 0; t < f->cycle; t += f->resolution)
        b += stg_slot_bytes(f, th, t);
    return b;
}

/* The rates of th raised, when they cannot move computer c's volume with
 * a quarter to spare, to the smallest that can (never past the line): the
 * other rate first, then the work rate.  Such a throttle breaks the limit
 * by itself (stg_throttle_over() says where), and everything that shows
 * it says so; short of that the rates stay within the headroom, however
 * long the computer is busy. */
static void catch_up(const stg_fleet *f, int c, stg_throttle *th)
{
    double need = STG_CATCH_UP * stg_computer_cycle_volume(f, c);
    double top = stg_fleet_bottleneck(f, c);
    if (need <= 0 || stg_throttle_cycle_bytes(f, th) >= need)
        return;
    if (th->kind != STG_THROTTLE_WORK) {
        double r = need * 8 / (f->efficiency * f->cycle) * 1.01;
        th->rate = stg_rate_round_down(r < top ? r : top);
        return;
    }
    /* the bytes 1 bps moves outside the work hours, and inside them */
    stg_throttle unit = *th;
    unit.work = 0;
    unit.other = 1;
    double per_other = stg_throttle_cycle_bytes(f, &unit);
    unit.work = 1;
    unit.other = 0;
    double per_work = stg_throttle_cycle_bytes(f, &unit);
    if (per_other > 0) {
        double o = (need - th->work * per_work) / per_other * 1.01;
        if (o > th->other)
            th->other = stg_rate_round_down(o < top ? o : top);
    }
    if (per_work > 0 && th->work * per_work + th->other * per_other < need) {
        double w = (need - th->other * per_other) / per_work * 1.01;
        if (w > th->work)
            th->work = stg_rate_round_down(w < top ? w : top);
    }
}

void stg_settings_recommend_throttles(const stg_fleet *f, stg_settings *s)
{
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_throttle *th = &f->computers[c].throttle;
        if (th->kind != STG_THROTTLE_AUTO)
            continue;
        stg_throttle out = *th;
        if (th->has_hours) {
            out.kind = STG_THROTTLE_WORK;
            out.work = safe_rate(f, c, th, 1);
            out.other = safe_rate(f, c, th, 0);
        } else {
            out.kind = STG_THROTTLE_RATE;
            out.rate = safe_rate(f, c, th, -1);
        }
        catch_up(f, c, &out);
        s->throttle[c] = out;
        s->recommended[c] = true;
    }
}

void stg_throttle_keeping(const stg_fleet *f, int c, const stg_throttle *th,
                          stg_throttle *out)
{
    *out = *th;
    if (th->kind == STG_THROTTLE_WORK) {
        out->work = alone_rate(f, c, th, 1);
        out->other = alone_rate(f, c, th, 0);
    } else {
        out->kind = STG_THROTTLE_RATE;
        out->rate = alone_rate(f, c, th, -1);
    }
}

int stg_throttle_over(const stg_fleet *f, const stg_settings *s, int c,
                      int *at, double *over)
{
    const stg_computer *cp = &f->computers[c];
    const stg_throttle *th = &s->throttle[c];
    double top = stg_fleet_bottleneck(f, c);
    int worst = -1;
    *at = 0;
    *over = 0;
    for (int i = 0; i < cp->nfull_path; i++) {
        const stg_link *l = &f->links[cp->full_path[i]];
        double limit = (1 - f->headroom) * l->capacity;
        for (int t = 0; t < f->cycle; t += f->resolution) {
            double r = stg_throttle_at(f, th, t);
            double bg = stg_link_background_at(f, l, t);
            if (bg > limit)
                continue;       /* the background's own doing */
            double x = bg + (r < top ? r : top) - limit;
            if (x > 0.5 && x > *over + 0.5) {
                worst = cp->full_path[i];
                *over = x;
                *at = t;
            }
        }
    }
    return worst;
}

bool stg_throttle_same(const stg_throttle *a, const stg_throttle *b)
{
    if (a->kind != b->kind)
        return false;
    if (a->kind != STG_THROTTLE_WORK)
        return a->rate == b->rate;
    return a->work == b->work && a->other == b->other &&
           a->hours_from == b->hours_from && a->hours_to == b->hours_to &&
           a->days == b->days && a->shift == b->shift;
}

int stg_throttle_profiles(const stg_settings *s, int *profile, int *owner)
{
    /* a fleet has a few dozen distinct throttles at most, however many
     * computers */
    int n = 0;
    for (int c = 0; c < s->ncomputers; c++) {
        int k = 0;
        while (k < n && !stg_throttle_same(&s->throttle[owner[k]], &s->throttle[c]))
            k++;
        if (k == n)
            owner[n++] = c;
        profile[c] = k;
    }
    return n;
}

bool stg_throttle_in_work(const stg_fleet *f, const stg_throttle *th, int t)
{
    int local = (int)((((long)t + th->shift) % f->cycle + f->cycle) % f->cycle);
    return stg_window_covers(f->cycle, th->hours_from, th->hours_to, th->days,
                             local);
}

double stg_throttle_at(const stg_fleet *f, const stg_throttle *th, int t)
{
    if (th->kind == STG_THROTTLE_WORK)
        return stg_throttle_in_work(f, th, t) ? th->work : th->other;
    return th->rate;
}

double stg_slot_bytes(const stg_fleet *f, const stg_throttle *th, int t)
{
    return stg_throttle_at(f, th, t) * f->efficiency * f->resolution / 8.0;
}

int stg_transfer_slots(const stg_fleet *f, const stg_throttle *th, int t,
                       double volume)
{
    if (volume <= 0)
        return 0;
    int nslots = f->cycle / f->resolution;
    double moved = 0;
    int t0 = (t % f->cycle + f->cycle) % f->cycle;
    for (int k = 0; k < nslots; k++) {
        int at = (t0 + k * f->resolution) % f->cycle;
        moved += stg_slot_bytes(f, th, at);
        if (moved >= volume * (1 - 1e-12))
            return k + 1;
    }
    return -1;
}
