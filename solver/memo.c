/* stagger: computers' busy slots remembered (memo.h). */
#include "memo.h"

#include <stdint.h>
#include <string.h>

#include "model/alloc.h"

/* Entries of a set. */
#define WAYS 4

typedef struct {
    uint64_t key;               /* 0: empty */
    int c, late;
    unsigned long stamp;        /* last used */
} entry;

struct stg_memo {
    const stg_problem *p;
    int N;
    int K;                      /* the most decisions a queue depends on */
    int *cv_off, *cv;           /* per computer: those decisions */
    size_t nsets;
    entry *e;                   /* nsets x WAYS */
    int *vals;                  /* nsets x WAYS x K: their values */
    unsigned char *rows;        /* nsets x WAYS x N */
    unsigned long clock;
    long hits, misses;
};

void stg_memo_free(stg_memo *m)
{
    if (!m)
        return;
    stg_free(m->cv_off);
    stg_free(m->cv);
    stg_free(m->e);
    stg_free(m->vals);
    stg_free(m->rows);
    stg_free(m);
}

/* Adds decision d to computer c's list unless marked (mark[d] == c + 1). */
static void depend(stg_memo *m, int *mark, int c, int d, int *n)
{
    if (d < 0 || mark[d] == c + 1)
        return;
    mark[d] = c + 1;
    if (m->cv)
        m->cv[m->cv_off[c] + *n] = d;
    ++*n;
}

/* Per computer, the decisions its queue depends on: those with a job on
 * it, and for an express full its group's previous one and check
 * (stg_problem_job()); counted, then filled. */
static int build_depends(stg_memo *m)
{
    const stg_problem *p = m->p;
    int nc = p->fleet->ncomputers, rc = -1;
    int *mark = stg_calloc((size_t)p->ndecisions + 1, sizeof *mark);
    m->cv_off = stg_calloc((size_t)nc + 1, sizeof *m->cv_off);
    if (!mark || !m->cv_off)
        goto out;
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < nc; c++) {
            int n = 0;
            for (int k = p->cj_off[c]; k < p->cj_off[c + 1]; k++) {
                const stg_decision *dc = &p->dec[p->cj_dec[k]];
                depend(m, mark, c, p->cj_dec[k], &n);
                depend(m, mark, c, dc->prev, &n);
                depend(m, mark, c, dc->cc, &n);
            }
            if (!pass)
                m->cv_off[c + 1] = m->cv_off[c] + n;
            m->K = n > m->K ? n : m->K;
        }
        if (!pass) {
            m->cv = stg_malloc(sizeof *m->cv * ((size_t)m->cv_off[nc] + 1));
            if (!m->cv)
                goto out;
            memset(mark, 0, sizeof *mark * (size_t)p->ndecisions);
        }
    }
    rc = 0;
out:
    stg_free(mark);
    return rc;
}

stg_memo *stg_memo_new(const stg_problem *p, size_t budget)
{
    stg_memo *m = stg_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->p = p;
    m->N = p->nslots;
    if (build_depends(m))
        goto fail;
    /* no more rows than one per value of each decision on each of its
     * computers (and one per computer) */
    size_t each = sizeof(entry) + sizeof(int) * (size_t)m->K + (size_t)m->N;
    size_t rows = budget / each, most = (size_t)p->fleet->ncomputers;
    for (int d = 0; d < p->ndecisions; d++)
        most += (size_t)p->dec[d].nvalues * (size_t)p->dec[d].ncomputers;
    m->nsets = (rows < most ? rows : most) / WAYS;
    if (m->nsets == 0)
        m->nsets = 1;
    size_t ne = m->nsets * WAYS;
    m->e = stg_calloc(ne, sizeof *m->e);
    m->vals = stg_malloc(sizeof *m->vals * ne * (size_t)m->K + 1);
    m->rows = stg_malloc(ne * (size_t)m->N + 1);
    if (!m->e || !m->vals || !m->rows)
        goto fail;
    return m;
fail:
    stg_memo_free(m);
    return NULL;
}

/* splitmix64's finalizer */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static uint64_t key_of(const stg_memo *m, int c, const int *values)
{
    uint64_t h = mix((uint64_t)c + 1);
    for (int i = m->cv_off[c]; i < m->cv_off[c + 1]; i++)
        h = mix(h ^ (uint64_t)(uint32_t)(values[m->cv[i]] + 1));
    return h ? h : 1;
}

/* Whether entry i holds computer c under values. */
static bool holds(const stg_memo *m, size_t i, int c, uint64_t key,
                  const int *values)
{
    if (m->e[i].key != key || m->e[i].c != c)
        return false;
    const int *v = m->vals + i * (size_t)m->K;
    for (int k = m->cv_off[c]; k < m->cv_off[c + 1]; k++)
        if (*v++ != values[m->cv[k]])
            return false;
    return true;
}

bool stg_memo_recall(stg_memo *m, int c, const int *values,
                     unsigned char *busy, int *late)
{
    uint64_t key = key_of(m, c, values);
    size_t set = (size_t)(key % m->nsets) * WAYS;
    for (size_t i = set; i < set + WAYS; i++)
        if (holds(m, i, c, key, values)) {
            m->e[i].stamp = ++m->clock;
            memcpy(busy, m->rows + i * (size_t)m->N, (size_t)m->N);
            *late = m->e[i].late;
            m->hits++;
            return true;
        }
    m->misses++;
    return false;
}

void stg_memo_keep(stg_memo *m, int c, const int *values,
                   const unsigned char *busy, int late)
{
    uint64_t key = key_of(m, c, values);
    size_t set = (size_t)(key % m->nsets) * WAYS, i = set;
    for (size_t j = set + 1; j < set + WAYS; j++)
        if (m->e[j].stamp < m->e[i].stamp)
            i = j;
    m->e[i] = (entry){ .key = key, .c = c, .late = late,
                       .stamp = ++m->clock };
    int *v = m->vals + i * (size_t)m->K;
    for (int k = m->cv_off[c]; k < m->cv_off[c + 1]; k++)
        *v++ = values[m->cv[k]];
    memcpy(m->rows + i * (size_t)m->N, busy, (size_t)m->N);
}

void stg_memo_counts(const stg_memo *m, long *hits, long *misses)
{
    *hits = m->hits;
    *misses = m->misses;
}
