/* stagger: what the fleet generators share (gen.h). */
#include "gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

uint64_t bench_rng_next(bench_rng *r)
{
    uint64_t z = (r->s += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

bench_rng bench_rng_stream(uint64_t seed, uint64_t stream)
{
    bench_rng r = { seed * UINT64_C(0x9e3779b97f4a7c15) ^
                    (stream + 1) * UINT64_C(0xd1b54a32d192ed03) };
    bench_rng_next(&r);
    bench_rng_next(&r);
    return r;
}

double bench_rng_unit(bench_rng *r)
{
    return (double)(bench_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

double bench_rng_range(bench_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * bench_rng_unit(r);
}

int bench_rng_int(bench_rng *r, int lo, int hi)
{
    return lo + (int)(bench_rng_next(r) % (uint64_t)(hi - lo + 1));
}

bool bench_rng_chance(bench_rng *r, double p)
{
    return bench_rng_unit(r) < p;
}

int bench_rng_pick(bench_rng *r, const int *w, int n)
{
    int sum = 0;
    for (int i = 0; i < n; i++)
        sum += w[i];
    int x = (int)(bench_rng_next(r) % (uint64_t)sum);
    for (int i = 0; i < n; i++) {
        if (x < w[i])
            return i;
        x -= w[i];
    }
    return n - 1;
}

const char *bench_fmt_rate(char *buf, size_t n, long kbps)
{
    if (kbps % 1000000 == 0)
        snprintf(buf, n, "%ldGbps", kbps / 1000000);
    else if (kbps % 1000 == 0)
        snprintf(buf, n, "%ldMbps", kbps / 1000);
    else
        snprintf(buf, n, "%ldKbps", kbps);
    return buf;
}

const char *bench_fmt_size(char *buf, size_t n, long gb)
{
    if (gb >= 1000 && gb % 1000 == 0)
        snprintf(buf, n, "%ldTB", gb / 1000);
    else if (gb >= 1000 && gb % 100 == 0)
        snprintf(buf, n, "%ld.%ldTB", gb / 1000, gb % 1000 / 100);
    else
        snprintf(buf, n, "%ldGB", gb);
    return buf;
}

bool bench_parse_number(const char *s, uint64_t max, uint64_t *v)
{
    char *end;
    if (!s || *s < '0' || *s > '9')
        return false;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno || *end || x > max)
        return false;
    *v = x;
    return true;
}
