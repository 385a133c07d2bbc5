/* stagger: diagnostics list. */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void stg_diags_init(stg_diags *d)
{
    memset(d, 0, sizeof *d);
    d->limit = 50;
}

void stg_diags_free(stg_diags *d)
{
    for (size_t i = 0; i < d->count; i++) {
        stg_free(d->items[i].msg);
        stg_free(d->items[i].hint);
    }
    stg_free(d->items);
    stg_diags_init(d);
}

void stg_diag_add(stg_diags *d, stg_diag_level level, stg_loc loc,
                  const char *hint, const char *fmt, ...)
{
    if (level == STG_DIAG_ERROR) {
        d->errors++;
        if (d->errors > d->limit) {
            d->dropped++;
            return;
        }
    }
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (stg_grow((void **)&d->items, &d->cap, d->count + 1, sizeof *d->items)) {
        d->oom = 1;
        return;
    }
    stg_diag *it = &d->items[d->count];
    it->level = level;
    it->loc = loc;
    it->msg = stg_strdup(buf);
    it->hint = hint ? stg_strdup(hint) : NULL;
    if (!it->msg || (hint && !it->hint)) {
        stg_free(it->msg);
        stg_free(it->hint);
        d->oom = 1;
        return;
    }
    d->count++;
}

static int by_place(const void *a, const void *b)
{
    const stg_diag *x = a, *y = b;
    if (x->loc.file != y->loc.file)
        return x->loc.file < y->loc.file ? -1 : 1;
    if (x->loc.line != y->loc.line)
        return x->loc.line < y->loc.line ? -1 : 1;
    if (x->loc.col != y->loc.col)
        return x->loc.col < y->loc.col ? -1 : 1;
    return 0;
}

void stg_diags_sort(stg_diags *d)
{
    /* insertion sort: stable, lists are short */
    for (size_t i = 1; i < d->count; i++) {
        stg_diag t = d->items[i];
        size_t j = i;
        while (j > 0 && by_place(&d->items[j - 1], &t) > 0) {
            d->items[j] = d->items[j - 1];
            j--;
        }
        d->items[j] = t;
    }
}
