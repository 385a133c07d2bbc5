/* stagger: parsers of the unit forms of fleet.md. */
#include "io/read/units.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/fleet.h"

/* ---- errors ---------------------------------------------------------- */

static int fail(stg_unit_err *e, const char *hint, const char *msg_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Fills e->msg from msg_fmt and its arguments and e->hint from hint (a
 * plain string, or NULL).  Returns -1. */
static int fail(stg_unit_err *e, const char *hint, const char *msg_fmt, ...)
{
    va_list ap;
    va_start(ap, msg_fmt);
    vsnprintf(e->msg, sizeof e->msg, msg_fmt, ap);
    va_end(ap);
    snprintf(e->hint, sizeof e->hint, "%s", hint ? hint : "");
    return -1;
}

static void clear(stg_unit_err *e)
{
    e->msg[0] = '\0';
    e->hint[0] = '\0';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

static bool same_nocase(const char *a, const char *b)
{
    while (*a && *b && lower((unsigned char)*a) == lower((unsigned char)*b)) {
        a++;
        b++;
    }
    return *a == '\0' && *b == '\0';
}

/* ---- numbers --------------------------------------------------------- */

typedef struct {
    uint64_t mant;              /* value = mant x 10^exp */
    int exp;
    size_t len;                 /* characters used */
} number;

/* Scans digits [. digits] [e|E [+|-] digits] at s; the exponent only when
 * allow_exp and digits follow the e.  Returns the characters used (0: s
 * does not start with a digit). */
static size_t scan_number(const char *s, bool allow_exp, number *n)
{
    size_t i = 0;
    int sig = 0;
    n->mant = 0;
    n->exp = 0;
    if (!is_digit(s[0]))
        return 0;
    for (; is_digit(s[i]); i++) {
        if (sig < 19) {
            n->mant = n->mant * 10 + (uint64_t)(s[i] - '0');
            if (n->mant)
                sig++;
        } else {
            n->exp++;
        }
    }
    if (s[i] == '.' && is_digit(s[i + 1])) {
        for (i++; is_digit(s[i]); i++) {
            if (sig < 19) {
                n->mant = n->mant * 10 + (uint64_t)(s[i] - '0');
                n->exp--;
                if (n->mant)
                    sig++;
            }
        }
    }
    if (allow_exp && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        int sign = 1;
        if (s[j] == '+' || s[j] == '-')
            sign = s[j++] == '-' ? -1 : 1;
        if (is_digit(s[j])) {
            long e = 0;
            for (; is_digit(s[j]); j++)
                if (e < 100000)
                    e = e * 10 + (s[j] - '0');
            n->exp += (int)(sign * e);
            i = j;
        }
    }
    n->len = i;
    return i;
}

/* mant x 10^(exp + shift), correctly rounded (strtod reads no radix
 * character here, so the locale does not matter); may be inf or 0. */
static double number_value(const number *n, int shift)
{
    if (n->mant == 0)
        return 0.0;
    char buf[48];
    snprintf(buf, sizeof buf, "%" PRIu64 "e%d", n->mant, n->exp + shift);
    errno = 0;
    return strtod(buf, NULL);
}

/* Common checks before a number: empty, negative, not a number. */
static int prelude(const char *s, const char *what, const char *example,
                   stg_unit_err *e)
{
    char hint[64];
    snprintf(hint, sizeof hint, "write e.g. %s", example);
    if (s[0] == '\0')
        return fail(e, hint, "is empty");
    if (s[0] == '-' && (is_digit(s[1]) || s[1] == '.'))
        return fail(e, hint, "is negative");
    if (!is_digit(s[0]))
        return fail(e, hint, "is not a %s", what);
    return 0;
}

/* ---- units ----------------------------------------------------------- */

typedef struct {
    const char *name;
    int exp10;                  /* the unit is 10^exp10 x mul */
    double mul;
} unit;

static const unit size_units[] = {
    {"B", 0, 1}, {"KB", 3, 1}, {"MB", 6, 1}, {"GB", 9, 1}, {"TB", 12, 1},
    {"PB", 15, 1},
    {"KiB", 0, 1024.0}, {"MiB", 0, 1048576.0}, {"GiB", 0, 1073741824.0},
    {"TiB", 0, 1099511627776.0}, {"PiB", 0, 1125899906842624.0},
};
static const char size_list[] =
    "units are B, KB, MB, GB, TB, PB (powers of 1000) and KiB, MiB, GiB, "
    "TiB, PiB (powers of 1024)";

static const unit rate_units[] = {
    {"bps", 0, 1}, {"Kbps", 3, 1}, {"Mbps", 6, 1}, {"Gbps", 9, 1},
    {"Tbps", 12, 1},
    {"B/s", 0, 8}, {"KB/s", 3, 8}, {"MB/s", 6, 8}, {"GB/s", 9, 8},
    {"TB/s", 12, 8},
    {"KiB/s", 0, 8 * 1024.0}, {"MiB/s", 0, 8 * 1048576.0},
    {"GiB/s", 0, 8 * 1073741824.0},
};
static const char rate_list[] =
    "units are bps, Kbps, Mbps, Gbps, Tbps (bits per second) and B/s, "
    "KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s (bytes per second)";

#define NUNITS(t) (sizeof(t) / sizeof((t)[0]))

static const unit *find_unit(const unit *t, size_t n, const char *name,
                             size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(t[i].name) == len && memcmp(t[i].name, name, len) == 0)
            return &t[i];
    return NULL;
}

/* Explains an unknown unit u after the number num (numlen characters):
 * a space before a known unit, a known unit in the wrong case, or the
 * list of units.  A suggestion ends with suffix ("/day" for churn). */
static int unknown_unit(stg_unit_err *e, const char *num, size_t numlen,
                        const char *u, const unit *t, size_t n,
                        const char *list, const char *suffix)
{
    char hint[sizeof e->hint];
    const char *v = u;
    while (*v == ' ' || *v == '\t')
        v++;
    if (v != u && find_unit(t, n, v, strlen(v))) {
        snprintf(hint, sizeof hint, "write %.*s%s%s, without a space",
                 (int)numlen, num, v, suffix);
        return fail(e, hint, "has a space before its unit");
    }
    for (size_t i = 0; i < n; i++) {
        if (same_nocase(u, t[i].name)) {
            snprintf(hint, sizeof hint,
                     "units are case-sensitive: write %.*s%s%s",
                     (int)numlen, num, t[i].name, suffix);
            return fail(e, hint, "has an unknown unit \"%.24s\"", u);
        }
    }
    return fail(e, list, "has an unknown unit \"%.24s\"", u);
}

/* A number followed by one of the units t; the result is in base units
 * and at most max. */
static int parse_with_unit(const char *s, const unit *t, size_t n,
                           const char *list, const char *what,
                           const char *example_unit, double max,
                           const char *max_text, double *out,
                           stg_unit_err *e)
{
    char example[64];
    snprintf(example, sizeof example, "100%s", example_unit);
    if (prelude(s, what, example, e))
        return -1;
    number num;
    size_t len = scan_number(s, true, &num);
    const char *u = s + len;
    if (*u == '\0') {
        char hint[sizeof e->hint];
        snprintf(hint, sizeof hint, "write e.g. %.*s%s", (int)len, s,
                 example_unit);
        return fail(e, hint, "has no unit");
    }
    const unit *un = find_unit(t, n, u, strlen(u));
    if (!un)
        return unknown_unit(e, s, len, u, t, n, list, "");
    double v = number_value(&num, un->exp10) * un->mul;
    if (!isfinite(v) || v > max) {
        char hint[sizeof e->hint];
        snprintf(hint, sizeof hint, "the largest %s accepted is %s", what,
                 max_text);
        return fail(e, hint, "is too large");
    }
    *out = v;
    return 0;
}

int stg_parse_size(const char *s, double *bytes, stg_unit_err *err)
{
    clear(err);
    return parse_with_unit(s, size_units, NUNITS(size_units), size_list,
                           "size", "GB", STG_SIZE_MAX, "1EB", bytes, err);
}

int stg_parse_rate(const char *s, double *bps, stg_unit_err *err)
{
    clear(err);
    int rc = parse_with_unit(s, rate_units, NUNITS(rate_units), rate_list,
                             "rate", "Mbps", STG_RATE_MAX, "10Tbps", bps,
                             err);
    if (rc == 0 && *bps > 0 && *bps < STG_RATE_MIN)
        return fail(err, "the smallest rate accepted above zero is 1bps",
                    "is too small");
    if (rc && strncmp(err->msg, "has an unknown unit", 19) == 0) {
        /* a size unit where a rate is wanted ("12MB"): a rate is per second */
        number num;
        size_t len = scan_number(s, true, &num);
        const char *u = s + len;
        char per[24];
        if (strlen(u) <= 8) {
            snprintf(per, sizeof per, "%s/s", u);
            if (find_unit(rate_units, NUNITS(rate_units), per, strlen(per)))
                snprintf(err->hint, sizeof err->hint,
                         "a rate is per second: write %.*s%s, or use bits "
                         "per second, e.g. 100Mbps", (int)len, s, per);
        }
    }
    return rc;
}

/* ---- durations ------------------------------------------------------- */

int stg_parse_duration(const char *s, int *seconds, stg_unit_err *err)
{
    static const struct {
        char c;
        uint64_t secs;
    } parts[] = {{'d', 86400}, {'h', 3600}, {'m', 60}, {'s', 1}};
    static const uint64_t nano = 1000000000u;
    const uint64_t max_nanos = (uint64_t)STG_DURATION_MAX * nano;
    char hint[sizeof err->hint];

    clear(err);
    if (prelude(s, "duration", "15m", err))
        return -1;
    uint64_t total = 0;         /* nanoseconds */
    int last = -1;
    const char *p = s;
    while (*p) {
        number num;
        size_t len = scan_number(p, false, &num);
        if (len == 0)
            return fail(err, "write d, h, m, s after numbers, e.g. 2h30m",
                        "is not a duration");
        const char *u = p + len;
        if (*u == '\0') {
            if (last < 0) {
                snprintf(hint, sizeof hint, "write e.g. %.*sm", (int)len, p);
                return fail(err, hint, "has no unit");
            }
            snprintf(hint, sizeof hint,
                     "write a unit after each number, e.g. 2h30m");
            return fail(err, hint, "ends in a number without a unit");
        }
        size_t ul = 0;           /* the letters after the number */
        while ((u[ul] >= 'a' && u[ul] <= 'z') || (u[ul] >= 'A' && u[ul] <= 'Z'))
            ul++;
        int k = -1;
        for (int i = 0; i < 4 && ul == 1; i++)
            if (*u == parts[i].c)
                k = i;
        if (k < 0) {
            if (ul == 0 && *u == ' ')
                return fail(err, "write the duration without spaces, e.g. 2h30m",
                            "has a space before its unit");
            if (ul == 0)
                return fail(err, "write d, h, m, s after numbers, e.g. 2h30m",
                            "is not a duration");
            if (ul == 1 && (*u == 'D' || *u == 'H' || *u == 'M' || *u == 'S')) {
                snprintf(hint, sizeof hint,
                         "units are case-sensitive: write %.*s%c", (int)len,
                         p, lower((unsigned char)*u));
                return fail(err, hint, "has an unknown unit \"%c\"", *u);
            }
            return fail(err, "units are d, h, m, s, e.g. 1d, 2h30m, 45s",
                        "has an unknown unit \"%.*s\"",
                        (int)(ul > 24 ? 24 : ul), u);
        }
        if (k <= last)
            return fail(err,
                        "write days, hours, minutes, seconds in that order, "
                        "each once, e.g. 1d2h30m",
                        "has its parts out of order");
        last = k;
        /* exact: mant x secs / 10^-exp must come out in whole seconds */
        if (num.exp > 0)
            goto too_large;
        int fd = -num.exp;
        uint64_t mant = num.mant;
        while (fd > 9 && mant % 10 == 0) {
            mant /= 10;
            fd--;
        }
        if (fd > 9)
            return fail(err, "write e.g. 1m30s", "is not a whole number of seconds");
        uint64_t scale = 1;
        for (int i = 0; i < fd; i++)
            scale *= 10;
        /* the part alone must be at most the maximum */
        if (mant > max_nanos / nano * scale / parts[k].secs + 1)
            goto too_large;
        uint64_t part = mant * parts[k].secs * (nano / scale);
        if (part > max_nanos)
            goto too_large;
        total += part;
        if (total > max_nanos)
            goto too_large;
        p = u + 1;
    }
    if (total % nano != 0)
        return fail(err, "write e.g. 1m30s", "is not a whole number of seconds");
    *seconds = (int)(total / nano);
    return 0;
too_large:
    return fail(err, "the longest duration accepted is 7d", "is too large");
}

/* ---- times of day ---------------------------------------------------- */

/* Reads H:MM or HH:MM at s (len characters); -1 bad form, -2 hour out of
 * range, -3 minute out of range. */
static int clock_of(const char *s, size_t len, int *out)
{
    size_t h = 0;
    while (h < len && is_digit(s[h]))
        h++;
    if (h < 1 || h > 2 || h + 3 != len || s[h] != ':' ||
        !is_digit(s[h + 1]) || !is_digit(s[h + 2]))
        return -1;
    int hh = h == 1 ? s[0] - '0' : (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[h + 1] - '0') * 10 + (s[h + 2] - '0');
    if (hh > 23)
        return -2;
    if (mm > 59)
        return -3;
    *out = hh * 3600 + mm * 60;
    return 0;
}

int stg_parse_clock(const char *s, int *seconds, stg_unit_err *err)
{
    clear(err);
    if (s[0] == '\0')
        return fail(err, "write e.g. \"08:00\"", "is empty");
    switch (clock_of(s, strlen(s), seconds)) {
    case 0:
        return 0;
    case -2:
        if (strcmp(s, "24:00") == 0)
            return fail(err, "write \"00:00\" for midnight",
                        "is not a time of day (hours run 00 to 23)");
        return fail(err, "write HH:MM from 00:00 to 23:59",
                    "is not a time of day (hours run 00 to 23)");
    case -3:
        return fail(err, "write HH:MM from 00:00 to 23:59",
                    "is not a time of day (minutes run 00 to 59)");
    default:
        return fail(err, "write HH:MM on a 24 h clock, e.g. \"08:00\"",
                    "is not a time of day");
    }
}

int stg_parse_utc_offset(const char *s, int *seconds, stg_unit_err *err)
{
    clear(err);
    int t;
    if ((s[0] != '+' && s[0] != '-') || strlen(s) != 6 ||
        clock_of(s + 1, 5, &t) != 0)
        return fail(err, "write the offset from UTC as \"+HH:MM\" or "
                    "\"-HH:MM\", e.g. \"-06:00\" or \"+05:30\"",
                    "is not a UTC offset");
    if (t > 14 * 3600)
        return fail(err, "offsets run from \"-14:00\" to \"+14:00\"",
                    "is not a UTC offset (beyond 14 hours)");
    *seconds = s[0] == '-' ? -t : t;
    return 0;
}

int stg_parse_clock_range(const char *s, int *from, int *to,
                          stg_unit_err *err)
{
    clear(err);
    const char *dash = strchr(s, '-');
    int a, b;
    if (s[0] == '\0')
        return fail(err, "write e.g. \"08:00-18:00\"", "is empty");
    if (!dash || clock_of(s, (size_t)(dash - s), &a) ||
        clock_of(dash + 1, strlen(dash + 1), &b))
        return fail(err,
                    "write two times of day HH:MM (00:00 to 23:59) joined "
                    "by a dash, e.g. \"08:00-18:00\"",
                    "is not a range of times");
    *from = a;
    *to = b;
    return 0;
}

/* ---- days ------------------------------------------------------------ */

static const struct {
    const char *name, *full;
    unsigned mask;
} day_names[] = {
    {"mon", "monday", STG_MON}, {"tue", "tuesday", STG_TUE},
    {"wed", "wednesday", STG_WED}, {"thu", "thursday", STG_THU},
    {"fri", "friday", STG_FRI}, {"sat", "saturday", STG_SAT},
    {"sun", "sunday", STG_SUN}, {"weekdays", "weekday", STG_WEEKDAYS},
    {"weekend", "weekends", STG_WEEKEND}, {"daily", "everyday", STG_DAILY},
};

int stg_parse_day(const char *s, unsigned *days, stg_unit_err *err)
{
    static const char list[] =
        "write one of mon, tue, wed, thu, fri, sat, sun, weekdays, "
        "weekend, daily";
    clear(err);
    if (s[0] == '\0')
        return fail(err, list, "is empty");
    for (size_t i = 0; i < sizeof day_names / sizeof day_names[0]; i++)
        if (strcmp(s, day_names[i].name) == 0) {
            *days = day_names[i].mask;
            return 0;
        }
    for (size_t i = 0; i < sizeof day_names / sizeof day_names[0]; i++)
        if (same_nocase(s, day_names[i].name) ||
            same_nocase(s, day_names[i].full)) {
            char hint[sizeof err->hint];
            snprintf(hint, sizeof hint, "write %s", day_names[i].name);
            return fail(err, hint, "is not a day name");
        }
    return fail(err, list, "is not a day name");
}

/* ---- fractions and churn --------------------------------------------- */

int stg_parse_fraction(const char *s, double *fraction, stg_unit_err *err)
{
    clear(err);
    if (prelude(s, "fraction", "15% or 0.15", err))
        return -1;
    number num;
    size_t len = scan_number(s, true, &num);
    const char *u = s + len;
    double v;
    if (strcmp(u, "%") == 0) {
        v = number_value(&num, -2);
        if (!(v <= 1.0))
            return fail(err, "write e.g. 15% or 0.15", "is above 100%%");
    } else if (*u == '\0') {
        v = number_value(&num, 0);
        if (!(v <= 1.0))
            return fail(err, "write a percentage with %, e.g. 15%, or a fraction such as 0.15",
                        "is above 1");
    } else if (u[0] == ' ' && strcmp(u + strspn(u, " "), "%") == 0) {
        return fail(err, "write e.g. 15%, without a space",
                    "has a space before its unit");
    } else {
        return fail(err, "write e.g. 15% or 0.15",
                    "has an unknown unit \"%.24s\"", u);
    }
    *fraction = v;
    return 0;
}

int stg_parse_churn(const char *s, stg_churn_kind *kind, double *value,
                    stg_unit_err *err)
{
    char hint[sizeof err->hint];
    clear(err);
    if (prelude(s, "churn", "3%/day or 60GB/day", err))
        return -1;
    number num;
    size_t len = scan_number(s, true, &num);
    const char *u = s + len;
    const char *slash = strchr(u, '/');
    size_t ulen = slash ? (size_t)(slash - u) : strlen(u);

    if (*u == '\0') {
        snprintf(hint, sizeof hint, "write e.g. %.*s%%/day or %.*sGB/day",
                 (int)len, s, (int)len, s);
        return fail(err, hint, "has no unit");
    }
    bool pct = ulen == 1 && u[0] == '%';
    const unit *su = pct ? NULL : find_unit(size_units, NUNITS(size_units), u, ulen);
    if (!pct && !su) {
        char head[32];
        snprintf(head, sizeof head, "%.*s", (int)(ulen > 24 ? 24 : ulen), u);
        return unknown_unit(err, s, len, head, size_units, NUNITS(size_units),
                            "write a percentage of the size or a size per "
                            "day, e.g. 3%/day or 60GB/day", "/day");
    }
    if (!slash) {
        snprintf(hint, sizeof hint, "write the churn per day, e.g. %.*s%.*s/day",
                 (int)len, s, (int)ulen, u);
        return fail(err, hint, "has no period");
    }
    if (strcmp(slash, "/day") != 0) {
        snprintf(hint, sizeof hint, "write the churn per day, e.g. %.*s%.*s/day",
                 (int)len, s, (int)ulen, u);
        return fail(err, hint, "is not per day");
    }
    if (pct) {
        double v = number_value(&num, -2);
        if (!(v <= 1.0))
            return fail(err, "a source changes at most 100%/day of its size",
                        "is above 100%%/day");
        *kind = STG_CHURN_RELATIVE;
        *value = v;
        return 0;
    }
    double v = number_value(&num, su->exp10) * su->mul;
    if (!isfinite(v) || v > STG_SIZE_MAX)
        return fail(err, "the largest churn accepted is 1EB/day",
                    "is too large");
    *kind = STG_CHURN_ABSOLUTE;
    *value = v;
    return 0;
}

/* ---- counts ---------------------------------------------------------- */

int stg_parse_count(const char *s, long max, long *value, stg_unit_err *err)
{
    char hint[sizeof err->hint];
    clear(err);
    if (s[0] == '\0')
        return fail(err, "write a whole number, e.g. 10", "is empty");
    if (s[0] == '-' && is_digit(s[1]))
        return fail(err, "write a whole number, e.g. 10", "is negative");
    size_t i = 0;
    long v = 0;
    bool big = false;
    for (; is_digit(s[i]); i++) {
        if (v > (max - (s[i] - '0')) / 10)
            big = true;
        else
            v = v * 10 + (s[i] - '0');
    }
    if (i == 0 || s[i] != '\0')
        return fail(err, "write a whole number, e.g. 10",
                    "is not a whole number");
    if (big) {
        snprintf(hint, sizeof hint, "the largest number accepted is %ld", max);
        return fail(err, hint, "is too large");
    }
    *value = v;
    return 0;
}
