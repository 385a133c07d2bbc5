/* stagger: quantities written the way fleet.md and schedule.md write them.
 *
 * Each formatter writes into buf (NUL-terminated, truncated to size) and
 * returns buf, so calls can sit inside printf arguments.  Sizes use the
 * decimal units B, KB, MB, GB, TB, PB; rates bps, Kbps, Mbps, Gbps, Tbps;
 * both in the largest unit that keeps the number at least 1, with at most
 * three decimals and no trailing zeros ("417MB", "3.1GB", "85Mbps"). */
#ifndef STG_QUANTITY_H
#define STG_QUANTITY_H

#include <stddef.h>

#define STG_QBUF 48             /* big enough for any of these */

/* Trims trailing zeros (and then a trailing point) of a number written
 * with a fixed count of decimals, in place: "1.500" -> "1.5". */
void stg_trim_zeros(char *num);

char *stg_fmt_size(char *buf, size_t size, double bytes);
char *stg_fmt_rate(char *buf, size_t size, double bps);
/* "23.4%" (one decimal; -0.0 printed as 0.0) */
char *stg_fmt_pct(char *buf, size_t size, double fraction);
/* Durations: "45s", "15m", "2h30m", "1d2h"; 0 is "0m". */
char *stg_fmt_duration(char *buf, size_t size, int seconds);
/* A time of day "08:07" (seconds are dropped; wraps modulo a day). */
char *stg_fmt_clock(char *buf, size_t size, int seconds_of_day);
/* A time in the cycle: "20:05" in a day cycle, "mon 20:05" in a week
 * cycle (cycle is STG_DAY or STG_WEEK; t wraps modulo the cycle). */
/* "UTC-06:00" for -21600 seconds. */
char *stg_fmt_utc_offset(char *buf, size_t size, int seconds);
char *stg_fmt_cycle_time(char *buf, size_t size, int cycle, int t);
/* Days as written in a fleet: "daily", "weekdays", "weekend", or a
 * flow list "[mon, wed]". */
char *stg_fmt_days(char *buf, size_t size, unsigned days);
/* A moment (seconds since 1970-01-01 00:00 on some clock) as
 * "2026-11-29 08:02" (sep ' ') or "2026-11-29T08:02:30" (sep 'T', with
 * seconds).  Returns buf. */
char *stg_fmt_datetime(char *buf, size_t size, long long t, char sep);

#endif
