/* stagger: reasons of capacity answers as data (capwhy.h). */
#include "capwhy.h"

#include <string.h>

#include "model/alloc.h"

stg_capwhy *stg_capwhy_new(stg_capwhy_kind kind, int cycle)
{
    stg_capwhy *w = stg_calloc(1, sizeof *w);
    if (w) {
        w->kind = kind;
        w->cycle = cycle;
    }
    return w;
}

static void job_free(stg_capwhy_job *j)
{
    stg_free(j->group);
    stg_free(j->computer);
}

void stg_capwhy_free(stg_capwhy *w)
{
    while (w) {
        stg_capwhy *then = w->then;
        stg_free(w->name);
        stg_free(w->text);
        job_free(&w->job);
        for (int i = 0; i < w->njobs; i++)
            job_free(&w->jobs[i]);
        stg_free(w->jobs);
        stg_free(w->bg_from);
        stg_free(w->bg_to);
        stg_free(w);
        w = then;
    }
}

/* Copies *s into *d (strings duplicated); false when out of memory (d
 * then holds what was copied, freed with it). */
static bool dup_text(char **d, const char *s)
{
    *d = s ? stg_strdup(s) : NULL;
    return !s || *d;
}

static bool job_copy(stg_capwhy_job *d, const stg_capwhy_job *s)
{
    d->kind = s->kind;
    bool ok = dup_text(&d->group, s->group);
    return dup_text(&d->computer, s->computer) && ok;
}

static bool ints_copy(int **d, const int *s, int n)
{
    *d = NULL;
    if (!s)
        return true;
    *d = stg_malloc(sizeof **d * (size_t)(n + 1));
    if (*d)
        memcpy(*d, s, sizeof **d * (size_t)n);
    return *d != NULL;
}

stg_capwhy *stg_capwhy_copy(const stg_capwhy *w)
{
    if (!w)
        return NULL;
    stg_capwhy *c = stg_malloc(sizeof *c);
    if (!c)
        return NULL;
    *c = *w;
    c->name = c->text = NULL;
    c->job.group = c->job.computer = NULL;
    c->jobs = NULL;
    c->bg_from = c->bg_to = NULL;
    c->then = NULL;
    bool ok = dup_text(&c->name, w->name) && dup_text(&c->text, w->text) &&
              job_copy(&c->job, &w->job) &&
              ints_copy(&c->bg_from, w->bg_from, w->nbg) &&
              ints_copy(&c->bg_to, w->bg_to, w->nbg);
    if (ok && w->njobs) {
        c->jobs = stg_calloc((size_t)w->njobs, sizeof *c->jobs);
        ok = c->jobs != NULL;
        for (int i = 0; ok && i < w->njobs; i++)
            ok = job_copy(&c->jobs[i], &w->jobs[i]);
    }
    if (!c->jobs)
        c->njobs = 0;
    if (ok && w->then)
        ok = (c->then = stg_capwhy_copy(w->then)) != NULL;
    if (!ok) {
        stg_capwhy_free(c);
        return NULL;
    }
    return c;
}
