/* stagger: a PowerShell script that applies the schedule in DPM
 * (`stagger export --to ps1`, docs/export.md).
 *
 * The script runs in the DPM Management Shell.  Its parameters:
 *   -DPMServerName NAME[,NAME]  the DPM servers (default: the fleet's
 *                                servers of the schedule's groups when the
 *                                fleet is known; required otherwise)
 *   -Apply                       make the changes; without it the script
 *                                only looks the groups up and prints what
 *                                it would change
 * and -WhatIf / -Confirm ([CmdletBinding(SupportsShouldProcess)]).  Per
 * protection group (one table entry each, in the schedule's order): find
 * it by name (Get-DPMProtectionGroup), take a modifiable copy
 * (Get-DPMModifiableProtectionGroup), set the sync offset
 * (Set-DPMPolicySchedule -OffsetInMinutes), the express-full times and
 * days (the FullReplicationForApplication schedule of
 * Get-DPMPolicySchedule -ShortTerm, Set-DPMPolicySchedule -Schedule
 * -DaysOfWeek -TimesOfDay), the consistency-check window
 * (Set-DPMConsistencyCheckWindow -DaysOfWeek -StartTime
 * -DurationInHours), then commit (Set-DPMProtectionGroup).  A failing
 * group is reported and the others still run; the script exits 1 when
 * any group failed.  Throttles have no cmdlet: they are a checklist in
 * comments at the top, with each rate and its work hours.
 *
 * Every name is a single-quoted PowerShell string (never interpolated)
 * with each quote character PowerShell reads as a single quote (' and
 * U+2018 U+2019 U+201A U+201B) doubled; control characters are joined in
 * as [char]0xNN so the file holds none; names in comments have control
 * characters replaced by '?'.  The file is UTF-8 with a byte order mark,
 * which Windows PowerShell 5.1 needs to read non-ASCII names correctly,
 * with LF line ends.
 *
 * Nothing is allocated but *cause. */
#ifndef STG_EXPORT_PS1_H
#define STG_EXPORT_PS1_H

#include <stdio.h>

#include "io/export/export.h"

int stg_export_ps1(FILE *out, const stg_export_input *in, char **cause);

/* Writes s as a PowerShell expression whose value is exactly s (see
 * above): 'a''b', or ('a' + [char]0x0A + 'b'). */
void stg_ps1_write_string(FILE *out, const char *s);

#endif
