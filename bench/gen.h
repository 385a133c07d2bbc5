/* stagger: what the fleet generators share (bench/genestate.c,
 * bench/genfleet.c): their random numbers and the way they write rates,
 * sizes and numbers.
 *
 * The random numbers are splitmix64, the same sequence on every
 * platform, in streams of their own per (seed, stream) pair so that a
 * site's contents do not depend on how many sites come before or after
 * it.  A generator is a plain value; nothing is allocated. */
#ifndef STG_BENCH_GEN_H
#define STG_BENCH_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint64_t s;
} bench_rng;

uint64_t bench_rng_next(bench_rng *r);
/* The generator of stream `stream` of seed `seed`. */
bench_rng bench_rng_stream(uint64_t seed, uint64_t stream);
/* Uniform in [0, 1). */
double bench_rng_unit(bench_rng *r);
/* Uniform in [lo, hi). */
double bench_rng_range(bench_rng *r, double lo, double hi);
/* Uniform in [lo, hi]. */
int bench_rng_int(bench_rng *r, int lo, int hi);
/* True with probability p. */
bool bench_rng_chance(bench_rng *r, double p);
/* An index into w[0..n) drawn with the weights w. */
int bench_rng_pick(bench_rng *r, const int *w, int n);
#define BENCH_PICK(r, w) \
    bench_rng_pick((r), (w), (int)(sizeof(w) / sizeof((w)[0])))

/* A rate in Kbps, and a size in GB, as the fleet format writes them
 * (the largest unit that divides it: "2Gbps", "1.5TB"); into buf,
 * which is returned. */
const char *bench_fmt_rate(char *buf, size_t n, long kbps);
const char *bench_fmt_size(char *buf, size_t n, long gb);

/* A whole decimal number of at most max, into *v; false when s is not
 * one. */
bool bench_parse_number(const char *s, uint64_t max, uint64_t *v);

#endif
