/* stagger: the CSV export (see export_csv.h).
 *
 * A row's volume is the bytes its part of the transfer moved.  A
 * computer sends its queue first come, first served, so its transfers
 * follow one another and two of them share at most one slot: the one
 * where the first ends and the next starts.  The bytes of each slot are
 * therefore handed out in queue order, per computer, starting from a
 * transfer whose first slot no earlier transfer spills into (a computer
 * that keeps up has one: its queue empties every cycle). */
#include "io/export/export_csv.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "io/export/export_common.h"
#include "io/export/fields.h"
#include "model/alloc.h"
#include "model/quantity.h"

typedef struct {
    const stg_fleet *f;
    const stg_settings *s;
    const stg_sim *sim;
    int nslots, res;
} ctx;

/* Throttle of computer c in force at (unwrapped) slot k. */
static double rate_at(const ctx *x, int c, long k)
{
    return stg_throttle_at(x->f, &x->s->throttle[c],
                           (int)(k % x->nslots) * x->res);
}

static double slot_bytes(const ctx *x, int c, long k)
{
    return stg_slot_bytes(x->f, &x->s->throttle[c],
                          (int)(k % x->nslots) * x->res);
}

/* Slots [*a, *b) of transfer t, unwrapped (b > a). */
static void slots_of(const ctx *x, const stg_transfer *t, long *a, long *b)
{
    *a = t->start / x->res;
    *b = t->end / x->res;
    if (*b <= *a)
        *b = *a + 1;
}

/* Number of constant-rate parts of transfer t. */
static int count_parts(const ctx *x, const stg_transfer *t)
{
    long a, b;
    slots_of(x, t, &a, &b);
    int n = 1;
    for (long k = a + 1; k < b; k++)
        if (rate_at(x, t->computer, k) != rate_at(x, t->computer, k - 1))
            n++;
    return n;
}

typedef struct {
    int c, first, len, i;
} chain_key;

static int by_chain(const void *pa, const void *pb)
{
    const chain_key *a = pa, *b = pb;
    if (a->c != b->c)
        return a->c < b->c ? -1 : 1;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Hands the bytes of transfer i out to its parts (partvol from
 * partvol[off]); used[] holds the bytes already sent per slot. */
static void take_bytes(const ctx *x, int i, double *used, double *partvol)
{
    const stg_transfer *t = &x->sim->transfers[i];
    long a, b;
    slots_of(x, t, &a, &b);
    double remaining = t->volume;
    int part = 0;
    for (long k = a; k < b; k++) {
        int sk = (int)(k % x->nslots);
        if (k > a && rate_at(x, t->computer, k) != rate_at(x, t->computer, k - 1))
            part++;
        double room = slot_bytes(x, t->computer, k) - used[sk];
        double take = k == b - 1 ? remaining
                    : remaining < room ? remaining : room;
        if (take < 0)
            take = 0;
        used[sk] += take;
        remaining -= take;
        partvol[part] += take;
    }
}

/* Part volumes of every transfer: partvol[partoff[i] ...]. */
static int part_volumes(const ctx *x, const int *partoff, double *partvol)
{
    int n = x->sim->ntransfers, N = x->nslots, rc = -1;
    chain_key *keys = stg_malloc(sizeof *keys * (size_t)(n ? n : 1));
    double *used = stg_calloc((size_t)N, sizeof *used);
    int *spill = stg_calloc((size_t)N, sizeof *spill);
    if (!keys || !used || !spill)
        goto out;
    for (int i = 0; i < n; i++) {
        const stg_transfer *t = &x->sim->transfers[i];
        long a, b;
        slots_of(x, t, &a, &b);
        keys[i].c = t->computer;
        keys[i].first = (int)(a % N);
        keys[i].len = b - a > 0x7fffffffL ? 0x7fffffff : (int)(b - a);
        keys[i].i = i;
    }
    qsort(keys, (size_t)n, sizeof *keys, by_chain);
    for (int lo = 0, hi; lo < n; lo = hi) {
        for (hi = lo; hi < n && keys[hi].c == keys[lo].c; hi++)
            ;
        /* slots that a transfer of more than one slot ends in */
        for (int j = lo; j < hi; j++)
            if (keys[j].len > 1)
                spill[((long)keys[j].first + keys[j].len - 1) % N]++;
        int head = lo;
        for (int j = lo; j < hi; j++)
            if (spill[keys[j].first] == 0) {
                head = j;
                break;
            }
        for (int m = 0; m < hi - lo; m++) {
            int i = keys[lo + (head - lo + m) % (hi - lo)].i;
            take_bytes(x, i, used, partvol + partoff[i]);
        }
        for (int j = lo; j < hi; j++) {
            if (keys[j].len > 1)
                spill[((long)keys[j].first + keys[j].len - 1) % N] = 0;
            for (int k = 0; k < keys[j].len && k < N; k++)
                used[(keys[j].first + k) % N] = 0;
        }
    }
    rc = 0;
out:
    stg_free(keys);
    stg_free(used);
    stg_free(spill);
    return rc;
}

/* ---- writing ------------------------------------------------------------ */

/* The computers' full paths, link names joined by ';' (NULL when out of
 * memory; free with free_links). */
static char **link_lists(const stg_fleet *f)
{
    char **v = stg_calloc((size_t)f->ncomputers + 1, sizeof *v);
    if (!v)
        return NULL;
    for (int c = 0; c < f->ncomputers; c++) {
        const stg_computer *cp = &f->computers[c];
        size_t len = 1;
        for (int i = 0; i < cp->nfull_path; i++)
            len += strlen(f->links[cp->full_path[i]].name) + 1;
        char *p = stg_malloc(len);
        if (!p) {
            for (int j = 0; j < c; j++)
                stg_free(v[j]);
            stg_free(v);
            return NULL;
        }
        p[0] = '\0';
        size_t n = 0;
        for (int i = 0; i < cp->nfull_path; i++) {
            const char *name = f->links[cp->full_path[i]].name;
            if (i)
                p[n++] = ';';
            memcpy(p + n, name, strlen(name) + 1);
            n += strlen(name);
        }
        v[c] = p;
    }
    return v;
}

static void free_links(char **v, int n)
{
    if (!v)
        return;
    for (int c = 0; c < n; c++)
        stg_free(v[c]);
    stg_free(v);
}

static void put_row(FILE *out, const ctx *x, int job, const stg_transfer *t,
                    long from, long to, double rate, double volume,
                    const char *links)
{
    char a[STG_QBUF], n[STG_NUMBUF];
    int cycle = x->sim->cycle;
    fprintf(out, "%d,", job);
    stg_csv_write_field(out, x->f->groups[t->group].name);
    fputc(',', out);
    stg_csv_write_field(out, x->f->computers[t->computer].name);
    fprintf(out, ",%s,", stg_job_kind_name(t->kind));
    fprintf(out, "%s,", stg_fmt_cycle_time(a, sizeof a, cycle, t->release));
    fprintf(out, "%s,", stg_fmt_cycle_time(a, sizeof a, cycle, (int)(from % cycle)));
    fprintf(out, "%s,", stg_fmt_cycle_time(a, sizeof a, cycle, (int)(to % cycle)));
    fprintf(out, "%s,", stg_fmt_rate(a, sizeof a, rate));
    fprintf(out, "%s,", stg_fmt_size(a, sizeof a, volume));
    stg_csv_write_field(out, links);
    fprintf(out, ",%s", stg_export_fmt_number(n, sizeof n, from / 60.0));
    fprintf(out, ",%s", stg_export_fmt_number(n, sizeof n, to / 60.0));
    fprintf(out, ",%s", stg_export_fmt_number(n, sizeof n, rate));
    fprintf(out, ",%s\r\n", stg_export_fmt_number(n, sizeof n, volume));
}

int stg_export_csv(FILE *out, const stg_export_input *in, char **cause)
{
    int rc = -1;
    int *partoff = NULL;
    double *partvol = NULL;
    char **links = NULL;

    *cause = NULL;
    if (!in->fleet || !in->plan || !in->plan->sim || !in->plan->settings) {
        *cause = stg_strdup("the CSV export needs the fleet the schedule "
                            "was planned for");
        return -1;
    }
    ctx x = { in->fleet, in->plan->settings, in->plan->sim,
              in->plan->sim->nslots, in->plan->sim->resolution };
    const stg_sim *sim = x.sim;
    int n = sim->ntransfers;

    partoff = stg_malloc(sizeof *partoff * (size_t)(n + 1));
    if (!partoff)
        goto oom;
    partoff[0] = 0;
    for (int i = 0; i < n; i++)
        partoff[i + 1] = partoff[i] + count_parts(&x, &sim->transfers[i]);
    partvol = stg_calloc((size_t)partoff[n] + 1, sizeof *partvol);
    links = link_lists(x.f);
    if (!partvol || !links || part_volumes(&x, partoff, partvol))
        goto oom;

    fputs("job,group,computer,kind,release,start,end,rate,volume,links,"
          "start_min,end_min,rate_bps,volume_bytes\r\n", out);
    for (int i = 0; i < n; i++) {
        const stg_transfer *t = &sim->transfers[i];
        long a, b;
        slots_of(&x, t, &a, &b);
        int part = partoff[i];
        for (long k = a; k < b;) {
            double r = rate_at(&x, t->computer, k);
            long k1 = k + 1;
            while (k1 < b && rate_at(&x, t->computer, k1) == r)
                k1++;
            put_row(out, &x, i + 1, t, k * x.res, k1 * x.res, r,
                    partvol[part++], links[t->computer]);
            k = k1;
        }
    }
    rc = stg_export_finish(out, cause);
    goto out;
oom:
    rc = stg_export_oom(cause);
out:
    stg_free(partoff);
    stg_free(partvol);
    free_links(links, x.f->ncomputers);
    return rc;
}
