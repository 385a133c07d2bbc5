/* stagger: quantities written the way the fleet and schedule files do. */
#include "quantity.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fleet.h"

void stg_trim_zeros(char *num)
{
    if (!strchr(num, '.'))
        return;
    size_t n = strlen(num);
    while (n > 0 && num[n - 1] == '0')
        num[--n] = '\0';
    if (n > 0 && num[n - 1] == '.')
        num[--n] = '\0';
}

/* v in the largest of the units (each 1000 times the one before) that
 * keeps the number at least 1, three decimals at most. */
static char *fmt_scaled(char *buf, size_t size, double v,
                        const char *const *units, int nunits)
{
    if (size == 0)
        return buf;
    if (isnan(v)) {
        snprintf(buf, size, "?%s", units[0]);
        return buf;
    }
    double a = fabs(v);
    if (isinf(a)) {
        snprintf(buf, size, "%sinf%s", v < 0 ? "-" : "", units[0]);
        return buf;
    }
    int u = 0;
    double div = 1.0;
    while (u + 1 < nunits && a >= div * 1000.0) {
        div *= 1000.0;
        u++;
    }
    char num[64];
    snprintf(num, sizeof num, "%.3f", a / div);
    /* 999.9996 rounds to 1000.000: move to the next unit */
    if (u + 1 < nunits && strcmp(num, "1000.000") == 0) {
        div *= 1000.0;
        u++;
        snprintf(num, sizeof num, "%.3f", a / div);
    }
    stg_trim_zeros(num);
    int negative = v < 0 && strcmp(num, "0") != 0;
    snprintf(buf, size, "%s%s%s", negative ? "-" : "", num, units[u]);
    return buf;
}

char *stg_fmt_size(char *buf, size_t size, double bytes)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    return fmt_scaled(buf, size, bytes, units, 6);
}

char *stg_fmt_rate(char *buf, size_t size, double bps)
{
    static const char *const units[] = {"bps", "Kbps", "Mbps", "Gbps", "Tbps"};
    return fmt_scaled(buf, size, bps, units, 5);
}

char *stg_fmt_pct(char *buf, size_t size, double fraction)
{
    char num[64];
    snprintf(num, sizeof num, "%.1f", fraction * 100.0);
    if (strcmp(num, "-0.0") == 0)
        snprintf(num, sizeof num, "0.0");
    snprintf(buf, size, "%s%%", num);
    return buf;
}

char *stg_fmt_duration(char *buf, size_t size, int seconds)
{
    if (size == 0)
        return buf;
    if (seconds == 0) {
        snprintf(buf, size, "0m");
        return buf;
    }
    long s = seconds;
    const char *sign = "";
    if (s < 0) {
        sign = "-";
        s = -s;
    }
    long d = s / 86400, h = s / 3600 % 24, m = s / 60 % 60, sec = s % 60;
    char out[64];
    size_t n = 0;
    n += (size_t)snprintf(out + n, sizeof out - n, "%s", sign);
    if (d)
        n += (size_t)snprintf(out + n, sizeof out - n, "%ldd", d);
    if (h)
        n += (size_t)snprintf(out + n, sizeof out - n, "%ldh", h);
    if (m)
        n += (size_t)snprintf(out + n, sizeof out - n, "%ldm", m);
    if (sec)
        snprintf(out + n, sizeof out - n, "%lds", sec);
    snprintf(buf, size, "%s", out);
    return buf;
}

char *stg_fmt_clock(char *buf, size_t size, int seconds_of_day)
{
    long s = seconds_of_day % STG_DAY;
    if (s < 0)
        s += STG_DAY;
    snprintf(buf, size, "%02ld:%02ld", s / 3600, s / 60 % 60);
    return buf;
}

char *stg_fmt_utc_offset(char *buf, size_t size, int seconds)
{
    int a = seconds < 0 ? -seconds : seconds;
    snprintf(buf, size, "UTC%c%02d:%02d", seconds < 0 ? '-' : '+', a / 3600,
             a / 60 % 60);
    return buf;
}

char *stg_fmt_cycle_time(char *buf, size_t size, int cycle, int t)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};
    if (cycle != STG_WEEK)
        return stg_fmt_clock(buf, size, t);
    long c = t % STG_WEEK;
    if (c < 0)
        c += STG_WEEK;
    char clock[16];
    stg_fmt_clock(clock, sizeof clock, (int)(c % STG_DAY));
    snprintf(buf, size, "%s %s", names[c / STG_DAY], clock);
    return buf;
}

char *stg_fmt_days(char *buf, size_t size, unsigned days)
{
    static const char *const names[] = {"mon", "tue", "wed", "thu", "fri",
                                        "sat", "sun"};
    days &= STG_DAILY;
    if (days == STG_DAILY) {
        snprintf(buf, size, "daily");
        return buf;
    }
    if (days == STG_WEEKDAYS) {
        snprintf(buf, size, "weekdays");
        return buf;
    }
    if (days == STG_WEEKEND) {
        snprintf(buf, size, "weekend");
        return buf;
    }
    char out[64] = "[";
    size_t n = 1;
    for (int i = 0; i < 7; i++) {
        if (!(days & (1u << i)))
            continue;
        n += (size_t)snprintf(out + n, sizeof out - n, "%s%s",
                              n > 1 ? ", " : "", names[i]);
    }
    snprintf(out + n, sizeof out - n, "]");
    snprintf(buf, size, "%s", out);
    return buf;
}

char *stg_fmt_datetime(char *buf, size_t size, long long t, char sep)
{
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long long sec = t - days * 86400;
    /* the civil date of a day count (proleptic Gregorian) */
    long long z = days + 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    long long d = doy - (153 * mp + 2) / 5 + 1;
    long long m = mp < 10 ? mp + 3 : mp - 9;
    long long y = yoe + era * 400 + (m <= 2);
    if (sep == 'T')
        snprintf(buf, size, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", y, m,
                 d, sec / 3600, sec / 60 % 60, sec % 60);
    else
        snprintf(buf, size, "%04lld-%02lld-%02lld%c%02lld:%02lld", y, m, d,
                 sep, sec / 3600, sec / 60 % 60);
    return buf;
}
