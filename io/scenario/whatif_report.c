/* stagger: whatif rows, as a table, CSV or JSON (see whatif_report.h). */
#include "io/scenario/whatif_report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/export/fields.h"
#include "model/alloc.h"
#include "model/eval.h"

/* ---- rows ------------------------------------------------------------ */

typedef struct {
    const char *name;
    double headroom;
} named_value;

static int by_headroom(const void *a, const void *b)
{
    const named_value *x = a, *y = b;
    if (x->headroom != y->headroom)
        return x->headroom < y->headroom ? -1 : 1;
    return strcmp(x->name, y->name);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int stg_whatif_row_build(stg_whatif_row *row, const char *name,
                         const char *description, const stg_fleet *f,
                         const stg_schedule *sc, const stg_fleet *base,
                         const stg_schedule *base_sc)
{
    const stg_eval *e = sc->eval;
    memset(row, 0, sizeof *row);
    row->name = name;
    row->description = description;
    row->status = sc->status;
    row->required = f->headroom;
    row->headroom = e->achieved;
    row->bound = sc->bound;
    row->seconds = sc->seconds;
    row->method = sc->method ? sc->method : "";
    row->stopped = sc->stopped;
    row->time_limit = sc->found.time_limit && !sc->found.stopped;
    if (e->worst_link >= 0) {
        row->link = f->links[e->worst_link].name;
        stg_fmt_cycle_time(row->at, sizeof row->at, f->cycle,
                           e->worst_slot * f->resolution);
    }
    named_value *nv = stg_calloc((size_t)f->nlinks + 1, sizeof *nv);
    row->below = stg_calloc((size_t)f->nlinks + 1, sizeof *row->below);
    if (!nv || !row->below)
        goto oom;
    for (int l = 0; l < f->nlinks; l++)
        if (e->headroom[l] < f->headroom - STG_EPS)
            nv[row->nbelow++] = (named_value){f->links[l].name, e->headroom[l]};
    qsort(nv, (size_t)row->nbelow, sizeof *nv, by_headroom);
    for (int i = 0; i < row->nbelow; i++)
        row->below[i] = nv[i].name;
    stg_free(nv);
    nv = NULL;
    row->nmoved = -1;
    if (base && base_sc) {
        row->nmoved = 0;
        row->moved = stg_calloc((size_t)f->ngroups + 1, sizeof *row->moved);
        if (!row->moved)
            goto oom;
        for (int g = 0; g < f->ngroups; g++) {
            int bg = stg_fleet_group(base, f->groups[g].name);
            if (bg >= 0 && stg_settings_group_moved(sc->settings, g,
                                                   base_sc->settings, bg))
                row->moved[row->nmoved++] = f->groups[g].name;
        }
        qsort(row->moved, (size_t)row->nmoved, sizeof *row->moved, by_name);
    }
    return 0;
oom:
    stg_free(nv);
    stg_whatif_row_free(row);
    return -1;
}

void stg_whatif_row_free(stg_whatif_row *row)
{
    stg_free(row->below);
    stg_free(row->moved);
    row->below = row->moved = NULL;
    row->nbelow = 0;
    row->nmoved = -1;
}

/* ---- cells ----------------------------------------------------------- */

/* A growable string. */
typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} buf;

static void add(buf *b, const char *s, size_t n)
{
    if (b->oom)
        return;
    if (stg_grow((void **)&b->s, &b->cap, b->len + n + 1, 1)) {
        b->oom = true;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void adds(buf *b, const char *s)
{
    add(b, s, strlen(s));
}

/* "0", or "2: a, b", or "5: a, b, c, +2" */
static char *list_cell(const char **names, int n)
{
    buf b = {0};
    char num[32];
    snprintf(num, sizeof num, "%d", n);
    adds(&b, num);
    for (int i = 0; i < n && i < 3; i++) {
        adds(&b, i ? ", " : ": ");
        adds(&b, names[i]);
    }
    if (n > 3) {
        snprintf(num, sizeof num, ", +%d", n - 3);
        adds(&b, num);
    }
    if (b.oom) {
        stg_free(b.s);
        return NULL;
    }
    return b.s;
}

static int write_error(char **cause)
{
    *cause = stg_asprintf("cannot write the output: %s", strerror(errno));
    return -1;
}

/* ---- table ----------------------------------------------------------- */

enum { COL_NAME, COL_STATUS, COL_REQUIRED, COL_HEADROOM, COL_LINK, COL_AT,
       COL_BOUND, COL_BELOW, COL_MOVED, COL_SECONDS, NCOLS };

static const char *const headers[NCOLS] = {
    "scenario", "status", "required", "headroom", "worst link", "at", "bound",
    "links below the limit", "groups moved", "seconds"
};
/* right-aligned columns */
static const bool right[NCOLS] = {
    false, false, true, true, false, false, true, false, false, true
};

/* Display width: characters, not bytes. */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static int write_table(FILE *out, const stg_whatif_row *rows, int nrows,
                       char **cause)
{
    char ***cells = stg_calloc((size_t)nrows + 1, sizeof *cells);
    int w[NCOLS], rc = -1;
    if (!cells)
        goto oom;
    for (int c = 0; c < NCOLS; c++)
        w[c] = width(headers[c]);
    for (int i = 0; i < nrows; i++) {
        const stg_whatif_row *r = &rows[i];
        char **cl = cells[i] = stg_calloc(NCOLS, sizeof *cl);
        if (!cl)
            goto oom;
        char a[STG_QBUF], b[STG_QBUF], c[STG_QBUF];
        cl[COL_NAME] = stg_strdup(r->name);
        cl[COL_STATUS] = stg_strdup(stg_status_name(r->status));
        cl[COL_REQUIRED] = stg_strdup(stg_fmt_pct(a, sizeof a, r->required));
        cl[COL_HEADROOM] = stg_strdup(r->link ? stg_fmt_pct(b, sizeof b, r->headroom) : "-");
        cl[COL_LINK] = stg_strdup(r->link ? r->link : "-");
        cl[COL_AT] = stg_strdup(r->link ? r->at : "-");
        cl[COL_BOUND] = stg_strdup(r->link ? stg_fmt_pct(c, sizeof c, r->bound) : "-");
        cl[COL_BELOW] = list_cell(r->below, r->nbelow);
        cl[COL_MOVED] = r->nmoved < 0 ? stg_strdup("-") : list_cell(r->moved, r->nmoved);
        cl[COL_SECONDS] = stg_asprintf("%.2f", r->seconds);
        for (int k = 0; k < NCOLS; k++) {
            if (!cl[k])
                goto oom;
            if (width(cl[k]) > w[k])
                w[k] = width(cl[k]);
        }
    }
    for (int i = -1; i < nrows; i++) {
        for (int k = 0; k < NCOLS; k++) {
            const char *s = i < 0 ? headers[k] : cells[i][k];
            int pad = w[k] - width(s);
            if (k)
                fputs("  ", out);
            if (right[k])
                fprintf(out, "%*s%s", pad, "", s);
            else if (k == NCOLS - 1)
                fputs(s, out);
            else
                fprintf(out, "%s%*s", s, pad, "");
        }
        fputc('\n', out);
    }
    if (ferror(out)) {
        write_error(cause);
        goto out;
    }
    rc = 0;
    goto out;
oom:
    *cause = stg_strdup("out of memory");
out:
    for (int i = 0; cells && i < nrows; i++) {
        for (int k = 0; cells[i] && k < NCOLS; k++)
            stg_free(cells[i][k]);
        stg_free(cells[i]);
    }
    stg_free(cells);
    return rc;
}

/* ---- CSV ------------------------------------------------------------- */

static void csv_field(FILE *out, const char *s, bool first)
{
    if (!first)
        fputc(',', out);
    stg_csv_write_field(out, s);
}

/* A percent without its sign, one decimal: "15.0". */
static char *pct_number(char *b, size_t size, double fraction)
{
    stg_fmt_pct(b, size, fraction);
    b[strlen(b) - 1] = '\0';
    return b;
}

static char *joined(const char **names, int n)
{
    buf b = {0};
    adds(&b, "");
    for (int i = 0; i < n; i++) {
        if (i)
            adds(&b, ";");
        adds(&b, names[i]);
    }
    if (b.oom) {
        stg_free(b.s);
        return NULL;
    }
    return b.s;
}

static int write_csv(FILE *out, const stg_whatif_row *rows, int nrows,
                     char **cause)
{
    fputs("scenario,status,required,headroom,link,at,bound,below_count,below,"
          "moved_count,moved,seconds\n", out);
    for (int i = 0; i < nrows; i++) {
        const stg_whatif_row *r = &rows[i];
        char a[STG_QBUF], num[32];
        char *below = joined(r->below, r->nbelow);
        char *mv = r->nmoved < 0 ? stg_strdup("") : joined(r->moved, r->nmoved);
        if (!below || !mv) {
            stg_free(below);
            stg_free(mv);
            *cause = stg_strdup("out of memory");
            return -1;
        }
        csv_field(out, r->name, true);
        csv_field(out, stg_status_name(r->status), false);
        csv_field(out, pct_number(a, sizeof a, r->required), false);
        csv_field(out, r->link ? pct_number(a, sizeof a, r->headroom) : "", false);
        csv_field(out, r->link ? r->link : "", false);
        csv_field(out, r->link ? r->at : "", false);
        csv_field(out, r->link ? pct_number(a, sizeof a, r->bound) : "", false);
        snprintf(num, sizeof num, "%d", r->nbelow);
        csv_field(out, num, false);
        csv_field(out, below, false);
        snprintf(num, sizeof num, "%d", r->nmoved);
        csv_field(out, r->nmoved < 0 ? "" : num, false);
        csv_field(out, mv, false);
        snprintf(num, sizeof num, "%.2f", r->seconds);
        csv_field(out, num, false);
        fputc('\n', out);
        stg_free(below);
        stg_free(mv);
    }
    return ferror(out) ? write_error(cause) : 0;
}

/* ---- JSON ------------------------------------------------------------ */

static void json_list(FILE *out, const char **names, int n)
{
    fputc('[', out);
    for (int i = 0; i < n; i++) {
        if (i)
            fputs(", ", out);
        stg_json_write_string(out, names[i]);
    }
    fputc(']', out);
}

static int write_json(FILE *out, const stg_whatif_info *info,
                      const stg_whatif_row *rows, int nrows, char **cause)
{
    char a[STG_QBUF];
    fputs("{\n  \"fleet\": ", out);
    stg_json_write_string(out, info->fleet_file);
    fputs(",\n  \"scenarios\": ", out);
    stg_json_write_string(out, info->scenarios_file);
    if (info->time_limit > 0)
        fprintf(out, ",\n  \"time_limit_seconds\": %g", info->time_limit);
    else
        fputs(",\n  \"time_limit_seconds\": null", out);
    fprintf(out, ",\n  \"seed\": %llu,\n  \"rows\": [", info->seed);
    for (int i = 0; i < nrows; i++) {
        const stg_whatif_row *r = &rows[i];
        fputs(i ? ",\n    {" : "\n    {", out);
        fputs("\n      \"name\": ", out);
        stg_json_write_string(out, r->name);
        fputs(",\n      \"description\": ", out);
        stg_json_write_string(out, r->description);
        fputs(",\n      \"status\": ", out);
        stg_json_write_string(out, stg_status_name(r->status));
        fprintf(out, ",\n      \"required_pct\": %s", pct_number(a, sizeof a, r->required));
        if (r->link) {
            fprintf(out, ",\n      \"headroom_pct\": %s", pct_number(a, sizeof a, r->headroom));
            fputs(",\n      \"link\": ", out);
            stg_json_write_string(out, r->link);
            fputs(",\n      \"at\": ", out);
            stg_json_write_string(out, r->at);
            fprintf(out, ",\n      \"bound_pct\": %s", pct_number(a, sizeof a, r->bound));
        } else {
            fputs(",\n      \"headroom_pct\": null,\n      \"link\": null,"
                  "\n      \"at\": null,\n      \"bound_pct\": null", out);
        }
        fputs(",\n      \"links_below_limit\": ", out);
        json_list(out, r->below, r->nbelow);
        fputs(",\n      \"groups_moved\": ", out);
        if (r->nmoved < 0)
            fputs("null", out);
        else
            json_list(out, r->moved, r->nmoved);
        fprintf(out, ",\n      \"seconds\": %.2f", r->seconds);
        fputs(",\n      \"method\": ", out);
        stg_json_write_string(out, r->method);
        fprintf(out, ",\n      \"time_limit_reached\": %s,\n      \"stopped\": %s\n    }",
                r->time_limit ? "true" : "false", r->stopped ? "true" : "false");
    }
    fputs(nrows ? "\n  ]\n}\n" : "]\n}\n", out);
    return ferror(out) ? write_error(cause) : 0;
}

int stg_whatif_write(FILE *out, stg_whatif_format format,
                     const stg_whatif_info *info, const stg_whatif_row *rows,
                     int nrows, char **cause)
{
    switch (format) {
    case STG_WHATIF_CSV:
        return write_csv(out, rows, nrows, cause);
    case STG_WHATIF_JSON:
        return write_json(out, info, rows, nrows, cause);
    default:
        return write_table(out, rows, nrows, cause);
    }
}
