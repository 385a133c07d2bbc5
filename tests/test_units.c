/* stagger tests: the unit parsers (io/read/units.h) and the formatters
 * (model/quantity.h). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "io/read/units.h"
#include "model/alloc.h"
#include "model/fleet.h"
#include "model/quantity.h"

/* ---- helpers --------------------------------------------------------- */

#define OK_D(parse, text, want)                                           \
    do {                                                                  \
        double v_ = -1;                                                   \
        stg_unit_err e_;                                                  \
        ck_assert_msg(parse(text, &v_, &e_) == 0, "%s refused: %s; %s",   \
                      text, e_.msg, e_.hint);                             \
        ck_assert_msg(v_ == (want), "%s gave %.17g, want %.17g", text,    \
                      v_, (double)(want));                                \
    } while (0)

#define OK_I(parse, text, want)                                           \
    do {                                                                  \
        int v_ = -1;                                                      \
        stg_unit_err e_;                                                  \
        ck_assert_msg(parse(text, &v_, &e_) == 0, "%s refused: %s; %s",   \
                      text, e_.msg, e_.hint);                             \
        ck_assert_msg(v_ == (want), "%s gave %d, want %d", text, v_,      \
                      (int)(want));                                       \
    } while (0)

/* Refused with exactly this message and hint ("" for none). */
#define BAD(type, parse, text, want_msg, want_hint)                       \
    do {                                                                  \
        type v_ = 0;                                                      \
        stg_unit_err e_;                                                  \
        ck_assert_msg(parse(text, &v_, &e_) == -1, "%s accepted", text);  \
        ck_assert_str_eq(e_.msg, want_msg);                               \
        ck_assert_str_eq(e_.hint, want_hint);                             \
    } while (0)

static const char size_units[] =
    "units are B, KB, MB, GB, TB, PB (powers of 1000) and KiB, MiB, GiB, "
    "TiB, PiB (powers of 1024)";
static const char rate_units[] =
    "units are bps, Kbps, Mbps, Gbps, Tbps (bits per second) and B/s, "
    "KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s (bytes per second)";

/* ---- sizes ----------------------------------------------------------- */

START_TEST(size_accepted)
{
    OK_D(stg_parse_size, "500GB", 500e9);
    OK_D(stg_parse_size, "2TB", 2e12);
    OK_D(stg_parse_size, "750GiB", 750.0 * 1073741824.0);
    OK_D(stg_parse_size, "1.5TiB", 1.5 * 1099511627776.0);
    OK_D(stg_parse_size, "800MB", 800e6);
    OK_D(stg_parse_size, "1B", 1);
    OK_D(stg_parse_size, "1KB", 1000);
    OK_D(stg_parse_size, "1KiB", 1024);
    OK_D(stg_parse_size, "3MiB", 3 * 1048576.0);
    OK_D(stg_parse_size, "1PB", 1e15);
    OK_D(stg_parse_size, "2PiB", 2 * 1125899906842624.0);
    OK_D(stg_parse_size, "0GB", 0);
    OK_D(stg_parse_size, "0.1GB", 1e8);
    OK_D(stg_parse_size, "1e3GB", 1e12);
    OK_D(stg_parse_size, "1000PB", 1e18);       /* the largest */
}
END_TEST

START_TEST(size_refused)
{
    BAD(double, stg_parse_size, "500", "has no unit", "write e.g. 500GB");
    BAD(double, stg_parse_size, "500gb", "has an unknown unit \"gb\"",
        "units are case-sensitive: write 500GB");
    BAD(double, stg_parse_size, "1tib", "has an unknown unit \"tib\"",
        "units are case-sensitive: write 1TiB");
    BAD(double, stg_parse_size, "5 GB", "has a space before its unit",
        "write 5GB, without a space");
    BAD(double, stg_parse_size, "5GBx", "has an unknown unit \"GBx\"", size_units);
    BAD(double, stg_parse_size, "5EB", "has an unknown unit \"EB\"", size_units);
    BAD(double, stg_parse_size, "-5GB", "is negative", "write e.g. 100GB");
    BAD(double, stg_parse_size, "", "is empty", "write e.g. 100GB");
    BAD(double, stg_parse_size, "big", "is not a size", "write e.g. 100GB");
    BAD(double, stg_parse_size, "nan", "is not a size", "write e.g. 100GB");
    BAD(double, stg_parse_size, "inf", "is not a size", "write e.g. 100GB");
    BAD(double, stg_parse_size, ".inf", "is not a size", "write e.g. 100GB");
    BAD(double, stg_parse_size, "+5GB", "is not a size", "write e.g. 100GB");
    BAD(double, stg_parse_size, "1e308TB", "is too large",
        "the largest size accepted is 1EB");
    BAD(double, stg_parse_size, "1e999GB", "is too large",
        "the largest size accepted is 1EB");
    BAD(double, stg_parse_size, "1001PB", "is too large",
        "the largest size accepted is 1EB");
    BAD(double, stg_parse_size, "5GB/day", "has an unknown unit \"GB/day\"",
        size_units);
}
END_TEST

/* ---- rates ----------------------------------------------------------- */

START_TEST(rate_accepted)
{
    OK_D(stg_parse_rate, "100Mbps", 100e6);
    OK_D(stg_parse_rate, "1Gbps", 1e9);
    OK_D(stg_parse_rate, "512Kbps", 512e3);
    OK_D(stg_parse_rate, "12.5MB/s", 100e6);
    OK_D(stg_parse_rate, "1bps", 1);
    OK_D(stg_parse_rate, "1Tbps", 1e12);
    OK_D(stg_parse_rate, "10Tbps", 1e13);       /* the largest */
    OK_D(stg_parse_rate, "1B/s", 8);
    OK_D(stg_parse_rate, "1KB/s", 8000);
    OK_D(stg_parse_rate, "2GB/s", 16e9);
    OK_D(stg_parse_rate, "1KiB/s", 8192);
    OK_D(stg_parse_rate, "1MiB/s", 8 * 1048576.0);
    OK_D(stg_parse_rate, "0.5Gbps", 5e8);
    OK_D(stg_parse_rate, "0Mbps", 0);
}
END_TEST

START_TEST(rate_refused)
{
    BAD(double, stg_parse_rate, "100", "has no unit", "write e.g. 100Mbps");
    BAD(double, stg_parse_rate, "100mbps", "has an unknown unit \"mbps\"",
        "units are case-sensitive: write 100Mbps");
    BAD(double, stg_parse_rate, "100MBPS", "has an unknown unit \"MBPS\"",
        "units are case-sensitive: write 100Mbps");
    BAD(double, stg_parse_rate, "12MB", "has an unknown unit \"MB\"",
        "a rate is per second: write 12MB/s, or use bits per second, e.g. 100Mbps");
    BAD(double, stg_parse_rate, "1Mbps/s", "has an unknown unit \"Mbps/s\"",
        rate_units);
    BAD(double, stg_parse_rate, "100 Mbps", "has a space before its unit",
        "write 100Mbps, without a space");
    BAD(double, stg_parse_rate, "-1Mbps", "is negative", "write e.g. 100Mbps");
    BAD(double, stg_parse_rate, "fast", "is not a rate", "write e.g. 100Mbps");
    BAD(double, stg_parse_rate, "NaN", "is not a rate", "write e.g. 100Mbps");
    BAD(double, stg_parse_rate, "", "is empty", "write e.g. 100Mbps");
    BAD(double, stg_parse_rate, "11Tbps", "is too large",
        "the largest rate accepted is 10Tbps");
    BAD(double, stg_parse_rate, "2TB/s", "is too large",
        "the largest rate accepted is 10Tbps");
    BAD(double, stg_parse_rate, "1e400Mbps", "is too large",
        "the largest rate accepted is 10Tbps");
}
END_TEST

/* ---- durations ------------------------------------------------------- */

START_TEST(duration_accepted)
{
    OK_I(stg_parse_duration, "45s", 45);
    OK_I(stg_parse_duration, "15m", 900);
    OK_I(stg_parse_duration, "1h", 3600);
    OK_I(stg_parse_duration, "2h30m", 9000);
    OK_I(stg_parse_duration, "1d", 86400);
    OK_I(stg_parse_duration, "1d2h3m4s", 86400 + 7200 + 180 + 4);
    OK_I(stg_parse_duration, "1d30s", 86430);
    OK_I(stg_parse_duration, "90m", 5400);
    OK_I(stg_parse_duration, "1.5h", 5400);
    OK_I(stg_parse_duration, "0.1h", 360);
    OK_I(stg_parse_duration, "0.5m", 30);
    OK_I(stg_parse_duration, "0m", 0);
    OK_I(stg_parse_duration, "7d", 604800);     /* the longest */
    OK_I(stg_parse_duration, "168h", 604800);
}
END_TEST

START_TEST(duration_refused)
{
    BAD(int, stg_parse_duration, "15", "has no unit", "write e.g. 15m");
    BAD(int, stg_parse_duration, "2h30", "ends in a number without a unit",
        "write a unit after each number, e.g. 2h30m");
    BAD(int, stg_parse_duration, "30m2h", "has its parts out of order",
        "write days, hours, minutes, seconds in that order, each once, e.g. 1d2h30m");
    BAD(int, stg_parse_duration, "1h1h", "has its parts out of order",
        "write days, hours, minutes, seconds in that order, each once, e.g. 1d2h30m");
    BAD(int, stg_parse_duration, "0.5s", "is not a whole number of seconds",
        "write e.g. 1m30s");
    BAD(int, stg_parse_duration, "1.0001m", "is not a whole number of seconds",
        "write e.g. 1m30s");
    BAD(int, stg_parse_duration, "15M", "has an unknown unit \"M\"",
        "units are case-sensitive: write 15m");
    BAD(int, stg_parse_duration, "15min", "has an unknown unit \"min\"",
        "units are d, h, m, s, e.g. 1d, 2h30m, 45s");
    BAD(int, stg_parse_duration, "1e3s", "has an unknown unit \"e\"",
        "units are d, h, m, s, e.g. 1d, 2h30m, 45s");
    BAD(int, stg_parse_duration, "15 m", "has a space before its unit",
        "write the duration without spaces, e.g. 2h30m");
    BAD(int, stg_parse_duration, "-5m", "is negative", "write e.g. 15m");
    BAD(int, stg_parse_duration, "", "is empty", "write e.g. 15m");
    BAD(int, stg_parse_duration, "soon", "is not a duration", "write e.g. 15m");
    BAD(int, stg_parse_duration, "1h-5m", "is not a duration",
        "write d, h, m, s after numbers, e.g. 2h30m");
    BAD(int, stg_parse_duration, "8d", "is too large",
        "the longest duration accepted is 7d");
    BAD(int, stg_parse_duration, "99999999999999999999999d", "is too large",
        "the longest duration accepted is 7d");
    BAD(int, stg_parse_duration, "6d23h61m", "is too large",
        "the longest duration accepted is 7d");
}
END_TEST

/* ---- times of day ---------------------------------------------------- */

START_TEST(utc_offset_forms)
{
    OK_I(stg_parse_utc_offset, "+00:00", 0);
    OK_I(stg_parse_utc_offset, "-06:00", -6 * 3600);
    OK_I(stg_parse_utc_offset, "+05:30", 5 * 3600 + 1800);
    OK_I(stg_parse_utc_offset, "+14:00", 14 * 3600);
    OK_I(stg_parse_utc_offset, "-12:00", -12 * 3600);
    const char *hint = "write the offset from UTC as \"+HH:MM\" or \"-HH:MM\", "
                       "e.g. \"-06:00\" or \"+05:30\"";
    BAD(int, stg_parse_utc_offset, "06:00", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "-6", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "+5:30", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "UTC+1", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "+01:60", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "", "is not a UTC offset", hint);
    BAD(int, stg_parse_utc_offset, "+15:00", "is not a UTC offset (beyond 14 hours)",
        "offsets run from \"-14:00\" to \"+14:00\"");
}
END_TEST

START_TEST(clock_forms)
{
    OK_I(stg_parse_clock, "08:00", 8 * 3600);
    OK_I(stg_parse_clock, "20:30", 20 * 3600 + 1800);
    OK_I(stg_parse_clock, "0:05", 300);
    OK_I(stg_parse_clock, "00:00", 0);
    OK_I(stg_parse_clock, "23:59", 86340);
    BAD(int, stg_parse_clock, "24:00", "is not a time of day (hours run 00 to 23)",
        "write \"00:00\" for midnight");
    BAD(int, stg_parse_clock, "25:00", "is not a time of day (hours run 00 to 23)",
        "write HH:MM from 00:00 to 23:59");
    BAD(int, stg_parse_clock, "08:60", "is not a time of day (minutes run 00 to 59)",
        "write HH:MM from 00:00 to 23:59");
    BAD(int, stg_parse_clock, "8", "is not a time of day",
        "write HH:MM on a 24 h clock, e.g. \"08:00\"");
    BAD(int, stg_parse_clock, "08:00:00", "is not a time of day",
        "write HH:MM on a 24 h clock, e.g. \"08:00\"");
    BAD(int, stg_parse_clock, "8am", "is not a time of day",
        "write HH:MM on a 24 h clock, e.g. \"08:00\"");
    BAD(int, stg_parse_clock, "", "is empty", "write e.g. \"08:00\"");

    int a = -1, b = -1;
    stg_unit_err e;
    ck_assert_int_eq(stg_parse_clock_range("08:00-18:00", &a, &b, &e), 0);
    ck_assert_int_eq(a, 8 * 3600);
    ck_assert_int_eq(b, 18 * 3600);
    ck_assert_int_eq(stg_parse_clock_range("22:00-6:00", &a, &b, &e), 0);
    ck_assert_int_eq(a, 22 * 3600);
    ck_assert_int_eq(b, 6 * 3600);
    const char *bad[] = {"08:00", "08:00-24:00", "08:00 - 18:00", "-", "", "8-18"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(stg_parse_clock_range(bad[i], &a, &b, &e) == -1,
                      "%s accepted", bad[i]);
}
END_TEST

/* ---- days, fractions, churn, counts ---------------------------------- */

START_TEST(day_forms)
{
    static const struct {
        const char *s;
        unsigned mask;
    } ok[] = {
        {"mon", STG_MON}, {"tue", STG_TUE}, {"wed", STG_WED}, {"thu", STG_THU},
        {"fri", STG_FRI}, {"sat", STG_SAT}, {"sun", STG_SUN},
        {"weekdays", STG_WEEKDAYS}, {"weekend", STG_WEEKEND}, {"daily", STG_DAILY},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        unsigned m = 0;
        stg_unit_err e;
        ck_assert_int_eq(stg_parse_day(ok[i].s, &m, &e), 0);
        ck_assert_uint_eq(m, ok[i].mask);
    }
    static const char list[] =
        "write one of mon, tue, wed, thu, fri, sat, sun, weekdays, weekend, daily";
    BAD(unsigned, stg_parse_day, "Mon", "is not a day name", "write mon");
    BAD(unsigned, stg_parse_day, "monday", "is not a day name", "write mon");
    BAD(unsigned, stg_parse_day, "Weekdays", "is not a day name", "write weekdays");
    BAD(unsigned, stg_parse_day, "workdays", "is not a day name", list);
    BAD(unsigned, stg_parse_day, "", "is empty", list);
}
END_TEST

START_TEST(fraction_forms)
{
    OK_D(stg_parse_fraction, "15%", 0.15);
    OK_D(stg_parse_fraction, "0.15", 0.15);
    OK_D(stg_parse_fraction, "100%", 1.0);
    OK_D(stg_parse_fraction, "0%", 0.0);
    OK_D(stg_parse_fraction, "1", 1.0);
    OK_D(stg_parse_fraction, "0", 0.0);
    OK_D(stg_parse_fraction, "12.5%", 0.125);
    BAD(double, stg_parse_fraction, "150%", "is above 100%", "write e.g. 15% or 0.15");
    BAD(double, stg_parse_fraction, "15", "is above 1",
        "write a percentage with %, e.g. 15%, or a fraction such as 0.15");
    BAD(double, stg_parse_fraction, "-5%", "is negative", "write e.g. 15% or 0.15");
    BAD(double, stg_parse_fraction, "15 %", "has a space before its unit",
        "write e.g. 15%, without a space");
    BAD(double, stg_parse_fraction, "15pct", "has an unknown unit \"pct\"",
        "write e.g. 15% or 0.15");
    BAD(double, stg_parse_fraction, "half", "is not a fraction",
        "write e.g. 15% or 0.15");
}
END_TEST

START_TEST(churn_forms)
{
    stg_churn_kind k;
    double v;
    stg_unit_err e;
    ck_assert_int_eq(stg_parse_churn("3%/day", &k, &v, &e), 0);
    ck_assert_int_eq(k, STG_CHURN_RELATIVE);
    ck_assert(v == 0.03);
    ck_assert_int_eq(stg_parse_churn("60GB/day", &k, &v, &e), 0);
    ck_assert_int_eq(k, STG_CHURN_ABSOLUTE);
    ck_assert(v == 60e9);
    ck_assert_int_eq(stg_parse_churn("1.5TiB/day", &k, &v, &e), 0);
    ck_assert(v == 1.5 * 1099511627776.0);
    ck_assert_int_eq(stg_parse_churn("100%/day", &k, &v, &e), 0);
    ck_assert(v == 1.0);

    struct {
        const char *s, *msg, *hint;
    } bad[] = {
        {"3%", "has no period", "write the churn per day, e.g. 3%/day"},
        {"60GB", "has no period", "write the churn per day, e.g. 60GB/day"},
        {"3%/week", "is not per day", "write the churn per day, e.g. 3%/day"},
        {"3", "has no unit", "write e.g. 3%/day or 3GB/day"},
        {"101%/day", "is above 100%/day", "a source changes at most 100%/day of its size"},
        {"3gb/day", "has an unknown unit \"gb\"", "units are case-sensitive: write 3GB/day"},
        {"3parsecs/day", "has an unknown unit \"parsecs\"",
         "write a percentage of the size or a size per day, e.g. 3%/day or 60GB/day"},
        {"-3%/day", "is negative", "write e.g. 3%/day or 60GB/day"},
        {"2000PB/day", "is too large", "the largest churn accepted is 1EB/day"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ck_assert_msg(stg_parse_churn(bad[i].s, &k, &v, &e) == -1, "%s accepted",
                      bad[i].s);
        ck_assert_str_eq(e.msg, bad[i].msg);
        ck_assert_str_eq(e.hint, bad[i].hint);
    }
}
END_TEST

START_TEST(count_forms)
{
    long v;
    stg_unit_err e;
    ck_assert_int_eq(stg_parse_count("10", 100, &v, &e), 0);
    ck_assert_int_eq(v, 10);
    ck_assert_int_eq(stg_parse_count("0", 100, &v, &e), 0);
    ck_assert_int_eq(v, 0);
    ck_assert_int_eq(stg_parse_count("100", 100, &v, &e), 0);
    ck_assert_int_eq(stg_parse_count("101", 100, &v, &e), -1);
    ck_assert_str_eq(e.msg, "is too large");
    ck_assert_str_eq(e.hint, "the largest number accepted is 100");
    ck_assert_int_eq(stg_parse_count("99999999999999999999999", 100, &v, &e), -1);
    ck_assert_str_eq(e.msg, "is too large");
    ck_assert_int_eq(stg_parse_count("-1", 100, &v, &e), -1);
    ck_assert_str_eq(e.msg, "is negative");
    ck_assert_int_eq(stg_parse_count("1.5", 100, &v, &e), -1);
    ck_assert_str_eq(e.msg, "is not a whole number");
    ck_assert_int_eq(stg_parse_count("ten", 100, &v, &e), -1);
    ck_assert_int_eq(stg_parse_count("", 100, &v, &e), -1);
    ck_assert_str_eq(e.msg, "is empty");
}
END_TEST

/* ---- formatters ------------------------------------------------------ */

START_TEST(format_sizes_rates)
{
    char b[STG_QBUF];
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 417e6), "417MB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 3.1e9), "3.1GB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 1.5e12), "1.5TB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 0), "0B");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 999), "999B");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 1000), "1KB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 1234567), "1.235MB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 999999.9), "1MB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 86.4e9), "86.4GB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 1e18), "1000PB");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, 0.5), "0.5B");
    ck_assert_str_eq(stg_fmt_size(b, sizeof b, -5e6), "-5MB");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 85e6), "85Mbps");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 1e13), "10Tbps");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 0), "0bps");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 1500), "1.5Kbps");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 1e9), "1Gbps");
    ck_assert_str_eq(stg_fmt_rate(b, sizeof b, 123.4567e6), "123.457Mbps");
    /* a small buffer truncates, never overflows */
    char small[4];
    ck_assert_str_eq(stg_fmt_rate(small, sizeof small, 85e6), "85M");
}
END_TEST

START_TEST(format_pct_durations)
{
    char b[STG_QBUF];
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, 0.234), "23.4%");
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, 0.15), "15.0%");
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, 1), "100.0%");
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, -0.00001), "0.0%");
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, -0.0), "0.0%");
    ck_assert_str_eq(stg_fmt_pct(b, sizeof b, -0.25), "-25.0%");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 45), "45s");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 900), "15m");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 9000), "2h30m");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 86400), "1d");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 93600), "1d2h");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 0), "0m");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 90), "1m30s");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, 604800), "7d");
    ck_assert_str_eq(stg_fmt_duration(b, sizeof b, -900), "-15m");
}
END_TEST

START_TEST(format_times_days)
{
    char b[STG_QBUF];
    ck_assert_str_eq(stg_fmt_clock(b, sizeof b, 8 * 3600 + 7 * 60), "08:07");
    ck_assert_str_eq(stg_fmt_clock(b, sizeof b, 8 * 3600 + 7 * 60 + 59), "08:07");
    ck_assert_str_eq(stg_fmt_clock(b, sizeof b, 86400 + 60), "00:01");
    ck_assert_str_eq(stg_fmt_clock(b, sizeof b, -60), "23:59");
    ck_assert_str_eq(stg_fmt_cycle_time(b, sizeof b, STG_DAY, 72300), "20:05");
    ck_assert_str_eq(stg_fmt_cycle_time(b, sizeof b, STG_WEEK, 72300), "mon 20:05");
    ck_assert_str_eq(stg_fmt_cycle_time(b, sizeof b, STG_WEEK, 6 * 86400 + 3600),
                     "sun 01:00");
    ck_assert_str_eq(stg_fmt_cycle_time(b, sizeof b, STG_WEEK, 7 * 86400), "mon 00:00");
    ck_assert_str_eq(stg_fmt_cycle_time(b, sizeof b, STG_WEEK, -60), "sun 23:59");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_DAILY), "daily");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_WEEKDAYS), "weekdays");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_WEEKEND), "weekend");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_MON | STG_WED), "[mon, wed]");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_SAT), "[sat]");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, STG_WEEKDAYS | STG_SUN),
                     "[mon, tue, wed, thu, fri, sun]");
    ck_assert_str_eq(stg_fmt_days(b, sizeof b, 0), "[]");
}
END_TEST

/* Every form written by a formatter reads back to the same value. */
START_TEST(round_trip)
{
    const double sizes[] = {1, 999, 1000, 417e6, 3.1e9, 1.5e12, 2e15};
    const double rates[] = {1, 1500, 85e6, 1e9, 1e13};
    const int durations[] = {45, 900, 9000, 86400, 93600, 90, 604800};
    char b[STG_QBUF];
    stg_unit_err e;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        double v;
        ck_assert_int_eq(stg_parse_size(stg_fmt_size(b, sizeof b, sizes[i]), &v, &e), 0);
        ck_assert(v == sizes[i]);
    }
    for (size_t i = 0; i < sizeof rates / sizeof rates[0]; i++) {
        double v;
        ck_assert_int_eq(stg_parse_rate(stg_fmt_rate(b, sizeof b, rates[i]), &v, &e), 0);
        ck_assert(v == rates[i]);
    }
    for (size_t i = 0; i < sizeof durations / sizeof durations[0]; i++) {
        int v;
        ck_assert_int_eq(stg_parse_duration(stg_fmt_duration(b, sizeof b, durations[i]),
                                            &v, &e), 0);
        ck_assert_int_eq(v, durations[i]);
    }
    ck_assert_int_eq(stg_alloc_live(), 0);
}
END_TEST

static Suite *units_suite(void)
{
    Suite *s = suite_create("units");
    TCase *t = tcase_create("parse");
    tcase_add_test(t, utc_offset_forms);
    tcase_add_test(t, size_accepted);
    tcase_add_test(t, size_refused);
    tcase_add_test(t, rate_accepted);
    tcase_add_test(t, rate_refused);
    tcase_add_test(t, duration_accepted);
    tcase_add_test(t, duration_refused);
    tcase_add_test(t, clock_forms);
    tcase_add_test(t, day_forms);
    tcase_add_test(t, fraction_forms);
    tcase_add_test(t, churn_forms);
    tcase_add_test(t, count_forms);
    suite_add_tcase(s, t);
    TCase *f = tcase_create("format");
    tcase_add_test(f, format_sizes_rates);
    tcase_add_test(f, format_pct_durations);
    tcase_add_test(f, format_times_days);
    tcase_add_test(f, round_trip);
    suite_add_tcase(s, f);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(units_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
