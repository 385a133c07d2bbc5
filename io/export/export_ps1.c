/* stagger: the PowerShell export (see export_ps1.h). */
#include "io/export/export_ps1.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "io/export/export_common.h"
#include "model/alloc.h"
#include "model/quantity.h"

/* ---- strings ------------------------------------------------------------ */

/* Characters kept out of the file's strings and comments: controls (C0,
 * DEL, C1), the Unicode line and paragraph separators, and bytes that
 * are not UTF-8 (n == 0). */
static bool special(unsigned long c, int n)
{
    return n == 0 || c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) ||
           c == 0x2028 || c == 0x2029;
}

/* The characters PowerShell reads as a single quote. */
static bool single_quote(unsigned long c)
{
    return c == '\'' || (c >= 0x2018 && c <= 0x201b);
}

void stg_ps1_write_string(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned long c;
    bool any = false, open = false;
    for (const unsigned char *q = p; *q;) {
        int n = stg_utf8_decode(q, &c);
        if (special(c, n))
            any = true;
        q += n ? n : 1;
    }
    if (!any) {
        fputc('\'', out);
        while (*p) {
            int n = stg_utf8_decode(p, &c);
            if (single_quote(c))
                fwrite(p, 1, (size_t)n, out);
            fwrite(p, 1, (size_t)n, out);
            p += n;
        }
        fputc('\'', out);
        return;
    }
    /* a string first, so that + joins strings */
    fputs("(''", out);
    while (*p) {
        int n = stg_utf8_decode(p, &c);
        if (special(c, n)) {
            if (open)
                fputc('\'', out);
            open = false;
            fprintf(out, " + [char]0x%02lX", n ? c : (unsigned long)*p);
            p += n ? n : 1;
            continue;
        }
        if (!open)
            fputs(" + '", out);
        open = true;
        if (single_quote(c))
            fwrite(p, 1, (size_t)n, out);
        fwrite(p, 1, (size_t)n, out);
        p += n;
    }
    if (open)
        fputc('\'', out);
    fputc(')', out);
}

/* Text inside a # comment: what could end the line becomes '?'. */
static void put_comment_text(FILE *out, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        unsigned long c;
        int n = stg_utf8_decode(p, &c);
        if (special(c, n)) {
            fputc('?', out);
            p += n ? n : 1;
        } else {
            fwrite(p, 1, (size_t)n, out);
            p += n;
        }
    }
}

/* ---- days --------------------------------------------------------------- */

/* DPM's day names in its week order (Sunday first) with their bits. */
static const struct { const char *name; unsigned bit; } dpm_days[] = {
    { "Su", STG_SUN }, { "Mo", STG_MON }, { "Tu", STG_TUE },
    { "We", STG_WED }, { "Th", STG_THU }, { "Fr", STG_FRI },
    { "Sa", STG_SAT },
};

/* @('Su', 'Mo', ...) */
static void put_days_array(FILE *out, unsigned days)
{
    int n = 0;
    fputs("@(", out);
    for (int i = 0; i < 7; i++)
        if (days & dpm_days[i].bit)
            fprintf(out, "%s'%s'", n++ ? ", " : "", dpm_days[i].name);
    fputc(')', out);
}

/* "every day" or "Mo Tu We" (in comments) */
static void put_days_text(FILE *out, unsigned days)
{
    if ((days & STG_DAILY) == STG_DAILY) {
        fputs("every day", out);
        return;
    }
    fputs("on", out);
    for (int i = 0; i < 7; i++)
        if (days & dpm_days[i].bit)
            fprintf(out, " %s", dpm_days[i].name);
}

/* ---- the script --------------------------------------------------------- */

/* The fleet's server of doc group g, or NULL. */
static const char *group_server(const stg_export_input *in, int g)
{
    if (!in->fleet)
        return NULL;
    int fg = stg_fleet_group(in->fleet, in->doc->groups[g].name);
    if (fg < 0 || in->fleet->groups[fg].server < 0)
        return NULL;
    return in->fleet->servers[in->fleet->groups[fg].server].name;
}

static void put_header(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *d = in->doc;
    char a[STG_QBUF], b[STG_QBUF];
    fputs("# Applies a DPM schedule planned by stagger " STG_VERSION ".\n#\n",
          out);
    fputs("# Schedule: ", out);
    put_comment_text(out, in->schedule_path ? in->schedule_path : "-");
    fprintf(out, "\n#   status %s, worst-link headroom %s",
            stg_status_name(d->status), stg_fmt_pct(a, sizeof a, d->achieved));
    if (d->link) {
        fputs(" on ", out);
        put_comment_text(out, d->link);
    }
    fprintf(out, " (required %s)\n", stg_fmt_pct(b, sizeof b, d->required));
    fputs("# Fleet:    ", out);
    put_comment_text(out, d->fleet_file ? d->fleet_file : "-");
    fputs("\n#   sha256 ", out);
    put_comment_text(out, d->fleet_sha256 ? d->fleet_sha256 : "-");
    fputc('\n', out);
    if (in->fleet_path) {
        fputs("#   read from ", out);
        put_comment_text(out, in->fleet_path);
        fputc('\n', out);
    }
    char z[32];
    fprintf(out, "# Cycle:    %s.  Every time is the DPM server's local time",
            d->cycle == STG_WEEK ? "week" : "day");
    if (in->fleet)
        fprintf(out, " (%s)",
                stg_fmt_utc_offset(z, sizeof z, in->fleet->utc_offset));
    fprintf(out, ".\n"
        "#\n"
        "# Run it in the DPM Management Shell.  Without -Apply it only looks the\n"
        "# protection groups up and prints what it would change.  With -Apply it\n"
        "# changes each group and commits it; -WhatIf then shows each change\n"
        "# without making it.  A group that fails is reported and the others\n"
        "# still run; the script exits with 1 when any group failed.\n");
    if (d->status == STG_STATUS_VIOLATES)
        fputs("#\n# Note: this schedule does not keep every rule (status violates):\n"
              "# -Apply refuses it unless -Force is given too.\n", out);
}

/* A rate as the console's throttle box takes it: rounded down to whole
 * Kbps (never above the plan's), in whole Mbps when it is one. */
static void put_settable(FILE *out, double bps)
{
    long kbps = (long)floor(bps / 1000 + 1e-9);
    if (kbps >= 1000 && kbps % 1000 == 0)
        fprintf(out, "%ld Mbps", kbps / 1000);
    else
        fprintf(out, "%ld Kbps", kbps);
}

/* A throttle in the console's terms: "X at all times", or the work and
 * other rates with the work hours (on the computer's clock when that is
 * not the servers': clock names it). */
static void put_throttle_text(FILE *out, const stg_throttle *th, int cycle,
                              const char *clock)
{
    char b[STG_QBUF];
    if (th->kind != STG_THROTTLE_WORK) {
        put_settable(out, th->rate);
        fputs(" at all times", out);
        return;
    }
    put_settable(out, th->work);
    fputs(" in work hours", out);
    if (th->has_hours) {
        fprintf(out, " %s-", stg_fmt_clock(b, sizeof b, th->hours_from));
        fprintf(out, "%s ", stg_fmt_clock(b, sizeof b, th->hours_to));
        put_days_text(out, cycle == STG_WEEK ? th->days : STG_DAILY);
        if (clock)
            fprintf(out, " (its clock, %s)", clock);
    }
    fputs(", ", out);
    put_settable(out, th->other);
    fputs(" at other times", out);
}

/* The fleet's throttle of a computer as it stands: what DPM has now. */
static void put_current(FILE *out, const stg_export_input *in, int fc, int cycle,
                        const char *clock)
{
    const stg_throttle *ft = fc >= 0 ? &in->fleet->computers[fc].throttle : NULL;
    if (!ft)
        fputs("not in the fleet", out);
    else if (ft->kind == STG_THROTTLE_AUTO)
        fputs("auto in the fleet (whatever DPM has now)", out);
    else if (ft->kind == STG_THROTTLE_NONE)
        fputs("unthrottled", out);
    else
        put_throttle_text(out, ft, cycle, clock);
}

static void put_throttles(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *d = in->doc;
    char a[STG_QBUF];
    fputs("#\n# Throttles: no DPM cmdlet sets them.  Set each computer's network\n"
          "# bandwidth usage throttling in the DPM Administrator Console\n"
          "# (Management > Agents > Throttle computer), now -> new, rates in\n"
          "# whole Kbps or Mbps (rounded down), work hours on the protected\n"
          "# computer's own clock, as DPM reads them (its utc_offset in the\n"
          "# fleet, named where it is not the DPM servers'):\n", out);
    if (d->ncomputers == 0)
        fputs("#   (no computers)\n", out);
    for (int i = 0; i < d->ncomputers; i++) {
        const stg_sdoc_computer *c = &d->computers[i];
        int fc = in->fleet ? stg_fleet_computer(in->fleet, c->name) : -1;
        fputs("#   [ ] ", out);
        put_comment_text(out, c->name);
        if (fc >= 0 && in->fleet->computers[fc].server >= 0) {
            fputs(" (DPM server ", out);
            put_comment_text(out, in->fleet->servers[in->fleet->computers[fc].server].name);
            fputc(')', out);
        }
        fputs(": ", out);
        /* the computer's clock, where it is not the servers' */
        char clock[32];
        bool own = fc >= 0 &&
                   stg_computer_clock(in->fleet, fc) != in->fleet->utc_offset;
        if (own)
            stg_fmt_utc_offset(clock, sizeof clock, stg_computer_clock(in->fleet, fc));
        if (!c->recommended && fc >= 0 &&
            in->fleet->computers[fc].throttle.kind == STG_THROTTLE_NONE) {
            fprintf(out, "unthrottled, as in the fleet: it may send at the "
                    "line's %s and leave no headroom for DPM's own calls; "
                    "set a throttle\n", stg_fmt_rate(a, sizeof a, c->throttle.rate));
            continue;
        }
        if (!c->recommended) {
            put_throttle_text(out, &c->throttle, d->cycle, own ? clock : NULL);
            fputs("; as in the fleet: check it\n", out);
            continue;
        }
        if (in->fleet) {
            put_current(out, in, fc, d->cycle, own ? clock : NULL);
            fputs(" -> ", out);
        }
        put_throttle_text(out, &c->throttle, d->cycle, own ? clock : NULL);
        fputs("; chosen by the plan: set it\n", out);
    }
}

static void put_param(FILE *out, const stg_export_input *in)
{
    const stg_schedule_doc *d = in->doc;
    fputs("\n[CmdletBinding(SupportsShouldProcess = $true)]\nparam(\n", out);
    int n = 0;
    if (in->fleet) {
        for (int sv = 0; sv < in->fleet->nservers; sv++) {
            const char *name = in->fleet->servers[sv].name;
            bool used = false;
            for (int g = 0; g < d->ngroups && !used; g++) {
                const char *s = group_server(in, g);
                used = s && !strcmp(s, name);
            }
            if (!used)
                continue;
            fputs(n++ ? ", " : "    [string[]]$DPMServerName = @(", out);
            stg_ps1_write_string(out, name);
        }
        if (n)
            fputs("),\n", out);
    }
    if (!n)
        fputs("    [Parameter(Mandatory = $true)]\n"
              "    [string[]]$DPMServerName,\n", out);
    fputs("    [switch]$Apply,\n    [switch]$Force\n)\n\n"
          "$ErrorActionPreference = 'Stop'\n", out);
    fprintf(out, "$PlanStatus = '%s'\n\n", stg_status_name(d->status));
}

/* The group's data sources, each its computer and name (for the manual
 * step of a group that DPM does not have yet, such as one split off). */
static void put_sources(FILE *out, const stg_export_input *in, int g)
{
    const stg_fleet *f = in->fleet;
    int fg = f ? stg_fleet_group(f, in->doc->groups[g].name) : -1;
    fputs("        Sources = @(", out);
    for (int i = 0; fg >= 0 && i < f->groups[fg].nsources; i++) {
        const stg_source *src = &f->sources[f->groups[fg].sources[i]];
        fputs(i ? ",\n            @{ Computer = " : "\n            @{ Computer = ",
              out);
        stg_ps1_write_string(out, f->computers[src->computer].name);
        fputs("; Source = ", out);
        stg_ps1_write_string(out, src->name);
        fputs(" }", out);
        if (i + 1 == f->groups[fg].nsources)
            fputs("\n        ", out);
    }
    fputs(")\n", out);
}

/* What the script sets for group g's consistency check: the window as
 * the fleet gives it (whole hours, never wider: DPM takes whole hours),
 * and the daily check's start and longest run, cut to what is left of
 * the window when the plan's check runs past it (a plan that violates
 * the window must not widen it into working hours).  Without the fleet,
 * the window is the plan's start and hours. */
typedef struct {
    int start, window_hours;    /* the window */
    int hours;                  /* the check's longest run */
    int over;                   /* hours the plan's check runs past it */
} check_window;

static check_window window_of(const stg_export_input *in, int g)
{
    const stg_sdoc_group *gr = &in->doc->groups[g];
    check_window cw = { gr->cc_start, gr->cc_hours, gr->cc_hours, 0 };
    const stg_fleet *f = in->fleet;
    int fg = f ? stg_fleet_group(f, gr->name) : -1;
    if (fg < 0 || !f->groups[fg].has_cc)
        return cw;
    const stg_group *fgr = &f->groups[fg];
    int len = stg_cc_window_len(fgr);
    cw.start = fgr->cc_from;
    cw.window_hours = len / 3600 > 0 ? len / 3600 : 1;
    int into = ((gr->cc_start - fgr->cc_from) % STG_DAY + STG_DAY) % STG_DAY;
    int left = (cw.window_hours * 3600 - into) / 3600;
    if (left < 1)
        left = 1;
    if (cw.hours > left) {
        cw.over = cw.hours - left;
        cw.hours = left;
    }
    return cw;
}

static void put_group(FILE *out, const stg_export_input *in, int g)
{
    const stg_sdoc_group *gr = &in->doc->groups[g];
    const char *server = group_server(in, g);
    char b[STG_QBUF];
    unsigned efdays = 0;
    bool mixed = false;
    for (int i = 0; i < gr->nef; i++) {
        if (i && gr->ef_days[i] != gr->ef_days[0])
            mixed = true;
        efdays |= gr->ef_days[i];
    }
    if (in->doc->cycle != STG_WEEK)
        efdays = STG_DAILY;
    if (gr->offset % 60)
        fprintf(out, "    # the planned offset is %ds: DPM takes whole minutes\n",
                gr->offset);
    if (mixed)
        fputs("    # the schedule gives each express-full time its own days; DPM has\n"
              "    # one set per group: all of them are set\n", out);
    check_window cw = window_of(in, g);
    if (gr->cc_start >= 0) {
        if (cw.over > 0)
            fprintf(out, "    # the plan's consistency check runs up to %dh past the end of its\n"
                    "    # window: the window is kept, and the check given the %dh left\n"
                    "    # in it (the schedule says violates; see stagger advise)\n",
                    cw.over, cw.hours);
    }
    fputs("    @{\n        Name = ", out);
    stg_ps1_write_string(out, gr->name);
    fputs("\n        Server = ", out);
    if (server)
        stg_ps1_write_string(out, server);
    else
        fputs("$null", out);
    fprintf(out, "\n        OffsetInMinutes = %d\n", (gr->offset + 30) / 60);
    put_sources(out, in, g);
    fputs("        ExpressFullTimes = @(", out);
    for (int i = 0; i < gr->nef; i++)
        fprintf(out, "%s'%s'", i ? ", " : "",
                stg_fmt_clock(b, sizeof b, gr->ef_at[i]));
    fputs(")\n        ExpressFullDays = ", out);
    put_days_array(out, gr->nef ? efdays : 0);
    if (gr->cc_start >= 0) {
        fprintf(out, "\n        CheckStart = '%s'\n",
                stg_fmt_clock(b, sizeof b, gr->cc_start));
        fprintf(out, "        CheckHours = %d\n", cw.hours);
        fprintf(out, "        WindowStart = '%s'\n",
                stg_fmt_clock(b, sizeof b, cw.start));
        fprintf(out, "        WindowHours = %d\n        CheckDays = ",
                cw.window_hours);
        put_days_array(out, stg_export_check_days(in, g));
    } else {
        fputs("\n        CheckStart = $null\n        CheckHours = 0\n"
              "        WindowStart = $null\n        WindowHours = 0\n"
              "        CheckDays = @()", out);
    }
    /* the plan's volumes assume the fleet's on-the-wire compression:
     * turned on where the fleet has it, left alone otherwise */
    int fg = in->fleet ? stg_fleet_group(in->fleet, gr->name) : -1;
    fputs(fg >= 0 && in->fleet->groups[fg].saving > 0
          ? "\n        Compression = $true" : "\n        Compression = $false", out);
    fputs("\n    }\n", out);
}

static const char body[] =
"if ($Apply -and $PlanStatus -eq 'violates' -and -not $Force) {\n"
"    Write-Warning ('this plan does not keep every rule (status violates): applying it leaves links below the headroom limit or checks past their windows; see the schedule and stagger advise. Run with -Force to apply it anyway.')\n"
"    exit 1\n"
"}\n"
"$failed = 0\n"
"$manual = 0\n"
"foreach ($g in $plan) {\n"
"    try {\n"
"        $servers = @($DPMServerName)\n"
"        if ($null -ne $g.Server) {\n"
"            if ($DPMServerName -notcontains $g.Server) {\n"
"                Write-Output ('skipped {0}: its DPM server {1} is not in -DPMServerName' -f $g.Name, $g.Server)\n"
"                continue\n"
"            }\n"
"            $servers = @($g.Server)\n"
"        }\n"
"        $found = @(foreach ($s in $servers) {\n"
"            Get-DPMProtectionGroup -DPMServerName $s | Where-Object { $_.FriendlyName -eq $g.Name }\n"
"        })\n"
"        if ($found.Count -eq 0) {\n"
"            # a group new to the plan, such as one split off so that its\n"
"            # computers sync apart: moving data sources between groups\n"
"            # stops and restarts their protection, a step for the console\n"
"            $manual++\n"
"            Write-Output ('manual step: {0} is not a protection group on {1} yet.' -f $g.Name, ($servers -join ', '))\n"
"            Write-Output '  In the DPM Administrator Console: Protection, select the group that holds these data sources, Modify, and clear them (choose to retain their replicas); then Protection, New: a group named as above with them:'\n"
"            foreach ($src in $g.Sources) { Write-Output ('    {0} on {1}' -f $src.Source, $src.Computer) }\n"
"            Write-Output ('  Then run this script again to set its schedule (sync offset {0} min).' -f $g.OffsetInMinutes)\n"
"            continue\n"
"        }\n"
"        if ($found.Count -gt 1) {\n"
"            throw ('{0} protection groups of that name' -f $found.Count)\n"
"        }\n"
"        $change = 'sync offset {0} min' -f $g.OffsetInMinutes\n"
"        if ($g.ExpressFullTimes.Count -gt 0) {\n"
"            $change += '; express full at {0} on {1}' -f ($g.ExpressFullTimes -join ', '), ($g.ExpressFullDays -join ' ')\n"
"        }\n"
"        if ($g.Compression) {\n"
"            $change += '; on-the-wire compression on'\n"
"        }\n"
"        if ($g.CheckHours -gt 0) {\n"
"            $change += '; consistency check window {0} for {1} h on {2}, daily check at {3} for at most {4} h' -f $g.WindowStart, $g.WindowHours, ($g.CheckDays -join ' '), $g.CheckStart, $g.CheckHours\n"
"        }\n"
"        if (-not $Apply) {\n"
"            Write-Output ('would set {0}: {1}' -f $g.Name, $change)\n"
"            continue\n"
"        }\n"
"        if (-not $PSCmdlet.ShouldProcess($g.Name, $change)) {\n"
"            continue\n"
"        }\n"
"        $mpg = Get-DPMModifiableProtectionGroup -ProtectionGroup $found[0]\n"
"        Set-DPMPolicySchedule -ProtectionGroup $mpg -OffsetInMinutes $g.OffsetInMinutes\n"
"        if ($g.ExpressFullTimes.Count -gt 0) {\n"
"            $ef = @(Get-DPMPolicySchedule -ProtectionGroup $mpg -ShortTerm | Where-Object { $_.JobType -eq 'FullReplicationForApplication' })\n"
"            if ($ef.Count -ne 1) {\n"
"                throw 'the group has no express-full schedule (no application data?)'\n"
"            }\n"
"            Set-DPMPolicySchedule -ProtectionGroup $mpg -Schedule $ef[0] -DaysOfWeek $g.ExpressFullDays -TimesOfDay $g.ExpressFullTimes\n"
"        }\n"
"        if ($g.CheckHours -gt 0) {\n"
"            # the window carries the days; the daily check's own start and\n"
"            # longest run are the job start time\n"
"            Set-DPMConsistencyCheckWindow -ProtectionGroup $mpg -DaysOfWeek $g.CheckDays -StartTime $g.WindowStart -DurationInHours $g.WindowHours\n"
"            Set-DPMProtectionJobStartTime -ProtectionGroup $mpg -JobType ConsistencyCheck -StartTime $g.CheckStart -MaximumDurationInHours $g.CheckHours\n"
"        }\n"
"        if ($g.Compression) {\n"
"            # the plan's volumes count on it (the fleet's compression)\n"
"            Set-DPMPerformanceOptimization -ProtectionGroup $mpg -EnableCompression\n"
"        }\n"
"        Set-DPMProtectionGroup -ProtectionGroup $mpg\n"
"        Write-Output ('changed {0}: {1}' -f $g.Name, $change)\n"
"    } catch {\n"
"        $failed++\n"
"        Write-Warning ('{0}: {1}' -f $g.Name, $_.Exception.Message)\n"
"    }\n"
"}\n"
"if ($manual -gt 0) {\n"
"    Write-Warning ('{0} of {1} protection groups need the manual step above first; run this again afterwards' -f $manual, $plan.Count)\n"
"}\n"
"if ($failed -gt 0) {\n"
"    Write-Warning ('{0} of {1} protection groups failed' -f $failed, $plan.Count)\n"
"    exit 1\n"
"}\n"
"if ($manual -gt 0 -and $Apply) {\n"
"    exit 1\n"
"}\n"
"exit 0\n";

int stg_export_ps1(FILE *out, const stg_export_input *in, char **cause)
{
    const stg_schedule_doc *d = in->doc;
    *cause = NULL;
    fputs("\xef\xbb\xbf", out);
    put_header(out, in);
    put_throttles(out, in);
    put_param(out, in);
    fputs("# One entry per protection group: what to set.\n$plan = @(\n", out);
    for (int g = 0; g < d->ngroups; g++)
        put_group(out, in, g);
    fputs(")\n\n", out);
    fputs(body, out);
    return stg_export_finish(out, cause);
}
