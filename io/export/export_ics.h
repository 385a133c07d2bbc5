/* stagger: the schedule's express fulls and consistency checks as an
 * iCalendar file (RFC 5545; `stagger export --to ics`, docs/export.md).
 *
 * VCALENDAR (VERSION 2.0, PRODID, CALSCALE GREGORIAN) with one VEVENT
 * per express-full time of each group and one per consistency-check
 * window, in the schedule's group order:
 *
 * - DTSTART is a floating local time (no time zone: DPM runs its
 *   schedules in the DPM server's local time) on the week of the anchor
 *   Monday 2026-01-05: the time on that Monday, or on the first of its
 *   days in the week;
 * - RRULE:FREQ=DAILY when the job runs every day, else
 *   FREQ=WEEKLY;BYDAY=MO,... (express full: its days; check: the
 *   fleet's window days, or the days the schedule's checks run on);
 * - DURATION: an express full, from its time to the end of the last of
 *   its transfers in the schedule (the longest over its days and
 *   computers; none when the schedule lists no transfer for it); a check,
 *   the window's hours;
 * - UID: a SHA-256 of the group name, the kind and the time (so a new
 *   export of the same plan gives the same UIDs, and a moved job a new
 *   one), "@stagger";
 * - DTSTAMP: the anchor, 20260105T000000Z, so that the same schedule
 *   always gives the same bytes;
 * - SUMMARY and DESCRIPTION are TEXT escaped per RFC 5545 (\\ \; \, and
 *   \n for a line break); other control characters become spaces.
 *
 * Lines end in CRLF and are folded (CRLF and a space) before they pass
 * 75 octets, never inside a UTF-8 sequence.  A schedule without express
 * fulls and checks gives a calendar without events.
 *
 * Nothing is allocated but *cause. */
#ifndef STG_EXPORT_ICS_H
#define STG_EXPORT_ICS_H

#include <stdio.h>

#include "io/export/export.h"

int stg_export_ics(FILE *out, const stg_export_input *in, char **cause);

#endif
