/* stagger: parsers of the unit forms of fleet.md ("Units").
 *
 * Each parser reads one whole scalar (no surrounding spaces, exact and
 * case-sensitive suffixes) and returns 0 with the value stored, or -1
 * with *err filled: err->msg is what is wrong, written to follow the key
 * and the quoted value ("has no unit", "is negative"), and err->hint what
 * to write instead ("write e.g. 100Mbps"; may be empty).  Nothing is
 * allocated; the caller owns err.
 *
 * A number is digits with an optional fraction ("12.5") and, for sizes,
 * rates, fractions and churn, an optional exponent ("1e3GB"); no sign,
 * no spaces.  The largest values accepted:
 *   size       1EB (1e18 bytes)
 *   rate       10Tbps (1e13 bits per second)
 *   duration   7d (604800 seconds), a whole number of seconds
 *   fraction   100% (1.0)
 *   churn      100%/day relative, 1EB/day absolute
 * Anything larger (or not finite) is refused as too large. */
#ifndef STG_UNITS_H
#define STG_UNITS_H

typedef struct {
    char msg[96];               /* "has an unknown unit \"mbps\"" */
    char hint[256];             /* "units are case-sensitive: write 100Mbps" */
} stg_unit_err;

#define STG_SIZE_MAX 1e18
#define STG_RATE_MAX 1e13
#define STG_RATE_MIN 1.0        /* bps, for a rate above zero */
#define STG_DURATION_MAX (7 * 86400)

/* Size: B, KB, MB, GB, TB, PB (powers of 1000), KiB, MiB, GiB, TiB, PiB
 * (powers of 1024) -> bytes. */
int stg_parse_size(const char *s, double *bytes, stg_unit_err *err);

/* Rate: bps, Kbps, Mbps, Gbps, Tbps (bits per second, powers of 1000);
 * B/s, KB/s, MB/s, GB/s, TB/s, KiB/s, MiB/s, GiB/s (bytes per second)
 * -> bits per second.  A rate above zero is at least 1bps (smaller
 * ones are refused as too small); zero is returned for the caller to
 * judge. */
int stg_parse_rate(const char *s, double *bps, stg_unit_err *err);

/* Duration: one or more of Nd Nh Nm Ns in that order, each at most once
 * ("45s", "15m", "2h30m", "1d"); a component may have a fraction
 * ("1.5h") as long as the total is whole seconds -> seconds. */
int stg_parse_duration(const char *s, int *seconds, stg_unit_err *err);

/* Time of day "H:MM" or "HH:MM", 00:00 to 23:59 -> seconds after
 * midnight. */
int stg_parse_clock(const char *s, int *seconds, stg_unit_err *err);

/* A UTC offset "+HH:MM" or "-HH:MM", -14:00 to +14:00 -> seconds
 * (east of UTC positive). */
int stg_parse_utc_offset(const char *s, int *seconds, stg_unit_err *err);

/* Two times of day "08:00-18:00" -> seconds after midnight each. */
int stg_parse_clock_range(const char *s, int *from, int *to,
                          stg_unit_err *err);

/* One day name (mon tue wed thu fri sat sun) or shorthand (weekdays,
 * weekend, daily) -> mask of STG_MON .. STG_SUN (model/fleet.h). */
int stg_parse_day(const char *s, unsigned *days, stg_unit_err *err);

/* Fraction "15%" or "0.15" -> 0..1. */
int stg_parse_fraction(const char *s, double *fraction, stg_unit_err *err);

typedef enum {
    STG_CHURN_RELATIVE,         /* value: fraction of the size per day */
    STG_CHURN_ABSOLUTE          /* value: bytes per day */
} stg_churn_kind;

/* Churn "3%/day" (of the size) or a size per day "60GB/day". */
int stg_parse_churn(const char *s, stg_churn_kind *kind, double *value,
                    stg_unit_err *err);

/* A whole number 0..max written with digits only ("10"). */
int stg_parse_count(const char *s, long max, long *value, stg_unit_err *err);

#endif
