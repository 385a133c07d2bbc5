<#
.SYNOPSIS
    Writes one DPM server's protection groups, short-term schedules,
    consistency-check windows and job history to a stagger export file
    (format version 1, docs/import.md).

.DESCRIPTION
    Run it as an administrator in the DPM Management Shell on the DPM
    server (DPM 2016, 2019, 2022; Windows PowerShell 5.1).  It only reads:
    it calls Get- cmdlets of DPM and of PowerShell itself, never a cmdlet
    that changes anything, and writes nothing but the export file (first
    to OUTFILE.tmp, then renamed over OUTFILE, so that the file is whole
    or absent).

    A setting that cannot be read is written as null with a warning,
    and the collection goes on; stagger import then says which.

.PARAMETER DPMServerName
    The DPM server to read (default: this computer).

.PARAMETER OutFile
    The export file to write (default: stagger-export-SERVER.json in the
    current folder).  UTF-8, without a byte-order mark.

.PARAMETER HistoryDays
    Days of job history to read, up to now (default 14; 0: none, and the
    file has no "jobs" key).

.PARAMETER From
    The start of the job history to read, instead of -HistoryDays.

.PARAMETER To
    The end of the job history read with -From (default: now).

.EXAMPLE
    .\stagger-collect.ps1

.EXAMPLE
    .\stagger-collect.ps1 -HistoryDays 28 -OutFile D:\exports\dpm01.json

.EXAMPLE
    .\stagger-collect.ps1 -From '2026-11-01' -To '2026-11-15'
#>
[CmdletBinding(DefaultParameterSetName = 'Days')]
param(
    [string]$DPMServerName = $env:COMPUTERNAME,
    [string]$OutFile = '',
    [Parameter(ParameterSetName = 'Days')]
    [ValidateRange(0, 3650)]
    [int]$HistoryDays = 14,
    [Parameter(ParameterSetName = 'Range', Mandatory = $true)]
    [datetime]$From,
    [Parameter(ParameterSetName = 'Range')]
    [datetime]$To = [datetime]::Now
)

$ErrorActionPreference = 'Stop'
$FormatVersion = 1
$Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$DayOrder = @('Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday')
$script:Warnings = 0

# ---- reading DPM's objects -------------------------------------------------

# The value of the first of the properties Name that Object has and that
# is not null; $null when none.  Many properties of DPM's objects are not
# in the cmdlet reference: each is read this way, so that one missing in
# some DPM version gives null and never stops the collection.
function Get-Prop {
    param($Object, [string[]]$Name)
    if ($null -eq $Object) {
        return $null
    }
    foreach ($n in $Name) {
        $p = $Object.PSObject.Properties[$n]
        if ($null -eq $p) {
            continue
        }
        $v = $null
        try {
            $v = $p.Value
        } catch {
            $v = $null
        }
        if ($null -ne $v) {
            return , $v
        }
    }
    return $null
}

# Notes a setting that could not be read; it is written as null.
function Write-Unread {
    param([string]$What, $Problem)
    $script:Warnings++
    if ($null -ne $Problem) {
        Write-Warning ('{0}: {1} (written as null)' -f $What, $Problem)
    } else {
        Write-Warning ('{0}: not found (written as null)' -f $What)
    }
}

# A whole number (minutes, bytes, an error id) or $null.
function ConvertTo-Integer {
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [timespan]) {
        return [int64][math]::Round($Value.TotalMinutes)
    }
    $n = [int64]0
    if ([int64]::TryParse([string]$Value, [System.Globalization.NumberStyles]::Integer, $Invariant, [ref]$n)) {
        return $n
    }
    $d = [double]0
    if ([double]::TryParse([string]$Value, [System.Globalization.NumberStyles]::Float, $Invariant, [ref]$d)) {
        return [int64][math]::Round($d)
    }
    return $null
}

# A size in bytes, or $null when DPM gives none (a negative size is DPM's
# "not allocated").
function ConvertTo-Bytes {
    param($Value)
    $n = ConvertTo-Integer -Value $Value
    if ($null -eq $n -or $n -lt 0) {
        return $null
    }
    return $n
}

# "HH:MM" from a DateTime (DPM's times of day), a TimeSpan or a text.
function ConvertTo-TimeOfDay {
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    if ($Value -is [datetime]) {
        return $Value.ToString('HH:mm', $Invariant)
    }
    if ($Value -is [timespan]) {
        return '{0:00}:{1:00}' -f ([int][math]::Floor($Value.TotalHours) % 24), $Value.Minutes
    }
    $d = [datetime]::MinValue
    if ([datetime]::TryParse([string]$Value, $Invariant, [System.Globalization.DateTimeStyles]::None, [ref]$d)) {
        return $d.ToString('HH:mm', $Invariant)
    }
    return $null
}

# The times of day of a list, sorted, each once.
function ConvertTo-TimeList {
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    $seen = @{}
    foreach ($v in @($Value)) {
        $t = ConvertTo-TimeOfDay -Value $v
        if ($null -ne $t) {
            $seen[$t] = $true
        }
    }
    $list = [string[]]@($seen.Keys)
    [System.Array]::Sort($list, [System.StringComparer]::Ordinal)
    return , $list
}

# "YYYY-MM-DDTHH:MM:SS" on this computer's clock, or $null (no time, or
# DPM's "never", the year 1).
function ConvertTo-DateTimeText {
    param($Value)
    if ($Value -isnot [datetime]) {
        return $null
    }
    if ($Value.Year -lt 1900) {
        return $null
    }
    if ($Value.Kind -eq [System.DateTimeKind]::Utc) {
        $Value = $Value.ToLocalTime()
    }
    return $Value.ToString("yyyy-MM-dd'T'HH:mm:ss", $Invariant)
}

# English day names, Sunday first, from DPM's days (its WeekDayType: Su,
# Mo, ...; or full names; or one text "Su, Mo"); $null when none is a day.
function ConvertTo-DayNames {
    param($Value)
    if ($null -eq $Value) {
        return $null
    }
    $names = @{
        'su' = 'Sunday'; 'sun' = 'Sunday'; 'sunday' = 'Sunday'
        'mo' = 'Monday'; 'mon' = 'Monday'; 'monday' = 'Monday'
        'tu' = 'Tuesday'; 'tue' = 'Tuesday'; 'tuesday' = 'Tuesday'
        'we' = 'Wednesday'; 'wed' = 'Wednesday'; 'wednesday' = 'Wednesday'
        'th' = 'Thursday'; 'thu' = 'Thursday'; 'thursday' = 'Thursday'
        'fr' = 'Friday'; 'fri' = 'Friday'; 'friday' = 'Friday'
        'sa' = 'Saturday'; 'sat' = 'Saturday'; 'saturday' = 'Saturday'
    }
    $seen = @{}
    foreach ($v in @($Value)) {
        foreach ($part in ([string]$v -split '[,;\s]+')) {
            $k = $part.Trim().ToLowerInvariant()
            if ($k -eq 'everyday' -or $k -eq 'daily' -or $k -eq 'all') {
                foreach ($d in $DayOrder) {
                    $seen[$d] = $true
                }
            } elseif ($names.ContainsKey($k)) {
                $seen[$names[$k]] = $true
            }
        }
    }
    if ($seen.Count -eq 0) {
        return $null
    }
    $list = [string[]]@(foreach ($d in $DayOrder) { if ($seen.ContainsKey($d)) { $d } })
    return , $list
}

# DPM's kind of data source, in the export's words (docs/import.md).
function ConvertTo-SourceType {
    param($Datasource)
    $t = Get-Prop -Object $Datasource -Name @('ObjectType', 'Type')
    if ($null -eq $t) {
        return $null
    }
    $text = Get-Prop -Object $t -Name @('Name')
    if ($null -eq $text) {
        $text = [string]$t
    }
    $text = [string]$text
    if ($text -match 'Hyper-?V|VirtualMachine|Virtual Machine') { return 'HyperV' }
    if ($text -match 'SharePoint') { return 'SharePoint' }
    if ($text -match 'Exchange') { return 'Exchange' }
    if ($text -match 'SQL') { return 'SQL' }
    if ($text -match 'System ?State|System ?Protection|Bare ?Metal|BMR') { return 'SystemProtection' }
    if ($text -match 'Client') { return 'Client' }
    if ($text -match 'Share') { return 'Share' }
    if ($text -match 'Volume|File ?System') { return 'Volume' }
    return $text
}

# The times and days of one short-term schedule, or $null.
function Get-TimesAndDays {
    param($Schedule, [string]$What)
    if ($null -eq $Schedule) {
        return $null
    }
    $times = ConvertTo-TimeList -Value (Get-Prop -Object $Schedule -Name @('TimesOfDay'))
    if ($null -eq $times -or $times.Count -eq 0) {
        return $null
    }
    $days = ConvertTo-DayNames -Value (Get-Prop -Object $Schedule -Name @('WeekDays', 'DaysOfWeek'))
    if ($null -eq $days) {
        Write-Unread -What ('{0}: days' -f $What) -Problem $null
    }
    return [ordered]@{ times = $times; days = $days }
}

# ---- one protection group ----------------------------------------------------

function Get-GroupExport {
    param($Group, $Computers)
    $name = [string](Get-Prop -Object $Group -Name @('FriendlyName', 'Name'))
    Write-Verbose ('protection group {0}' -f $name)

    # short-term schedules: one per job type
    $schedules = @()
    try {
        $schedules = @(Get-DPMPolicySchedule -ProtectionGroup $Group -ShortTerm)
    } catch {
        Write-Unread -What ('{0}: schedules' -f $name) -Problem $_.Exception.Message
    }
    $sync = $null
    $shadow = $null
    $full = $null
    foreach ($s in $schedules) {
        switch ([string](Get-Prop -Object $s -Name @('JobType'))) {
            'Replication' { $sync = $s }
            'ShadowCopy' { $shadow = $s }
            'FullReplicationForApplication' { $full = $s }
        }
    }

    # synchronization: its frequency, and the group's offset
    $objective = $null
    try {
        $objective = @(Get-DPMPolicyObjective -ProtectionGroup $Group -ShortTerm)[0]
    } catch {
        Write-Verbose ('{0}: no short-term objective: {1}' -f $name, $_.Exception.Message)
    }
    $every = ConvertTo-Integer -Value (Get-Prop -Object $sync -Name @('Frequency', 'FrequencyInMinutes', 'SynchronizationFrequency'))
    if ($null -eq $every -or $every -le 0) {
        $every = ConvertTo-Integer -Value (Get-Prop -Object $objective -Name @('SynchronizationFrequencyMinutes', 'SynchronizationFrequency'))
    }
    $before = Get-Prop -Object $objective -Name @('BeforeRecoveryPoint')
    $syncExport = $null
    # -eq: a text "False" is not true (a cast would make it so)
    if ($null -ne $before -and $before -eq $true) {
        $syncExport = [ordered]@{ before_recovery_point = $true }
    } elseif ($null -ne $every -and $every -gt 0) {
        $offset = $null
        try {
            foreach ($os in @(Get-DPMPolicySchedule -ProtectionGroup $Group -OffsetSchedule)) {
                if ($os -is [int] -or $os -is [long]) {
                    $offset = [int64]$os
                } else {
                    $offset = ConvertTo-Integer -Value (Get-Prop -Object $os -Name @('OffsetInMinutes', 'Offset'))
                }
                if ($null -ne $offset) {
                    break
                }
            }
        } catch {
            Write-Verbose ('{0}: no offset schedule: {1}' -f $name, $_.Exception.Message)
        }
        if ($null -eq $offset) {
            $offset = ConvertTo-Integer -Value (Get-Prop -Object $sync -Name @('OffsetInMinutes', 'Offset'))
        }
        if ($null -eq $offset) {
            Write-Unread -What ('{0}: synchronization offset' -f $name) -Problem $null
        }
        $syncExport = [ordered]@{ every_minutes = $every; offset_minutes = $offset }
    } else {
        Write-Unread -What ('{0}: synchronization frequency' -f $name) -Problem $null
    }

    # the consistency-check window
    $check = $null
    $window = $null
    try {
        $window = @(Get-DPMConsistencyCheckWindow -ProtectionGroup $Group)[0]
    } catch {
        Write-Verbose ('{0}: no consistency-check window: {1}' -f $name, $_.Exception.Message)
    }
    $start = ConvertTo-TimeOfDay -Value (Get-Prop -Object $window -Name @('StartTime', 'Start'))
    if ($null -eq $start) {
        try {
            $start = ConvertTo-TimeOfDay -Value (@(Get-DPMProtectionJobStartTime -ProtectionGroup $Group -JobType ConsistencyCheck)[0])
        } catch {
            Write-Verbose ('{0}: no consistency-check start: {1}' -f $name, $_.Exception.Message)
        }
    }
    if ($null -ne $start) {
        $hours = Get-Prop -Object $window -Name @('DurationInHours', 'Duration', 'MaximumDurationInHours')
        if ($hours -is [timespan]) {
            $hours = [int64][math]::Round($hours.TotalHours)
        } else {
            $hours = ConvertTo-Integer -Value $hours
        }
        if ($null -eq $hours) {
            Write-Unread -What ('{0}: consistency-check hours' -f $name) -Problem $null
        }
        $days = ConvertTo-DayNames -Value (Get-Prop -Object $window -Name @('DaysOfWeek', 'WeekDays', 'Days'))
        if ($null -eq $days) {
            Write-Unread -What ('{0}: consistency-check days' -f $name) -Problem $null
        }
        $check = [ordered]@{ start = $start; hours = $hours; days = $days }
    }

    # the data sources
    $sources = [System.Collections.Generic.List[object]]::new()
    $datasources = @()
    try {
        $datasources = @(Get-DPMDatasource -ProtectionGroup $Group)
    } catch {
        Write-Unread -What ('{0}: data sources' -f $name) -Problem $_.Exception.Message
    }
    foreach ($ds in $datasources) {
        $computer = Get-Prop -Object $ds -Name @('ProductionServerName', 'Computer')
        if ($null -ne $computer) {
            $computer = [string]$computer
            $Computers[$computer.ToLowerInvariant()] = $computer
        }
        $source = [ordered]@{
            name = [string](Get-Prop -Object $ds -Name @('Name', 'DisplayPath', 'LogicalPath'))
            computer = $computer
            type = ConvertTo-SourceType -Datasource $ds
            replica_bytes = ConvertTo-Bytes -Value (Get-Prop -Object $ds -Name @('ReplicaSize'))
            used_bytes = ConvertTo-Bytes -Value (Get-Prop -Object $ds -Name @('ReplicaUsedSpace'))
        }
        $sources.Add($source)
    }

    return [ordered]@{
        name = $name
        sync = $syncExport
        recovery_points = Get-TimesAndDays -Schedule $shadow -What ('{0}: recovery points' -f $name)
        express_full = Get-TimesAndDays -Schedule $full -What ('{0}: express full' -f $name)
        consistency_check = $check
        sources = [object[]]$sources.ToArray()
    }
}

# ---- one job -------------------------------------------------------------------

function Get-JobExport {
    param($Job)
    # a collection: assigned as it is, so that foreach goes through it
    $tasks = Get-Prop -Object $Job -Name @('Tasks')
    $computer = Get-Prop -Object $Job -Name @('ProductionServerName')
    if ($null -eq $computer) {
        $names = @{}
        foreach ($t in $tasks) {
            $c = Get-Prop -Object $t -Name @('ProductionServerName')
            if ($null -ne $c) {
                $names[([string]$c).ToLowerInvariant()] = [string]$c
            }
        }
        if ($names.Count -eq 1) {
            $computer = @($names.Values)[0]
        }
    }
    $source = Get-Prop -Object $Job -Name @('DataSources', 'DatasourceName', 'DataSourceName')
    if ($null -ne $source) {
        $source = (@($source) | ForEach-Object { [string]$_ }) -join ', '
    }
    $errorId = ConvertTo-Integer -Value (Get-Prop -Object $Job -Name @('ErrorCode', 'ErrorId'))
    if ($null -eq $errorId) {
        foreach ($t in $tasks) {
            $e = Get-Prop -Object $t -Name @('ErrorCode', 'ErrorId')
            if ($null -eq $e) {
                $e = Get-Prop -Object (Get-Prop -Object $t -Name @('ErrorInfo')) -Name @('ErrorCode', 'ErrorId')
            }
            $e = ConvertTo-Integer -Value $e
            if ($null -ne $e -and $e -ne 0) {
                $errorId = $e
                break
            }
        }
    }
    if ($errorId -eq 0) {
        $errorId = $null
    }
    $bytes = ConvertTo-Bytes -Value (Get-Prop -Object $Job -Name @('DataTransferred', 'BytesTransferred'))
    $status = Get-Prop -Object $Job -Name @('Status')
    if ($null -ne $status) {
        $status = [string]$status
    }
    $end = ConvertTo-DateTimeText -Value (Get-Prop -Object $Job -Name @('EndTime'))
    if ($status -eq 'InProgress') {
        $end = $null
    }
    $group = Get-Prop -Object $Job -Name @('ProtectionGroupName')
    if ($null -ne $group) {
        $group = [string]$group
    }
    $type = Get-Prop -Object $Job -Name @('JobCategory', 'JobType', 'Type')
    if ($null -ne $type) {
        $type = [string]$type
    }
    return [ordered]@{
        type = $type
        group = $group
        source = $source
        computer = $computer
        start = ConvertTo-DateTimeText -Value (Get-Prop -Object $Job -Name @('StartTime'))
        end = $end
        status = $status
        error_id = $errorId
        bytes = $bytes
    }
}

# ---- the collection ----------------------------------------------------------

if ($null -eq (Get-Command -Name 'Get-DPMProtectionGroup' -ErrorAction SilentlyContinue)) {
    throw 'the DPM cmdlets are not loaded: run this script in the DPM Management Shell on the DPM server'
}

$collected = Get-Date
$offset = [System.TimeZoneInfo]::Local.GetUtcOffset($collected)
$sign = '+'
if ($offset -lt [timespan]::Zero) {
    $sign = '-'
    $offset = $offset.Negate()
}
$utcOffset = '{0}{1:00}:{2:00}' -f $sign, [int][math]::Floor($offset.TotalHours), $offset.Minutes

if ($OutFile -eq '') {
    $base = $DPMServerName
    foreach ($c in [System.IO.Path]::GetInvalidFileNameChars()) {
        $base = $base.Replace([string]$c, '_')
    }
    $OutFile = 'stagger-export-{0}.json' -f $base
}
$path = [System.IO.Path]::Combine((Get-Location).ProviderPath, $OutFile)

# the server: its name (fully qualified when it is this computer) and
# the DPM version from its setup registry key
$serverName = $DPMServerName
$version = $null
if ($DPMServerName -eq $env:COMPUTERNAME) {
    try {
        $serverName = [System.Net.Dns]::GetHostEntry($env:COMPUTERNAME).HostName
    } catch {
        $serverName = $DPMServerName
    }
    try {
        $setup = Get-ItemProperty -Path 'HKLM:\SOFTWARE\Microsoft\Microsoft Data Protection Manager\Setup' -Name 'InstalledVersion'
        $version = [string](Get-Prop -Object $setup -Name @('InstalledVersion'))
    } catch {
        Write-Unread -What 'server version' -Problem $_.Exception.Message
    }
} else {
    Write-Unread -What 'server version' -Problem 'read only on the DPM server itself'
}

Write-Verbose ('reading the protection groups of {0}' -f $DPMServerName)
$pgs = @(Get-DPMProtectionGroup -DPMServerName $DPMServerName)
$computers = @{}
$groups = [System.Collections.Generic.List[object]]::new()
foreach ($pg in $pgs) {
    $groups.Add((Get-GroupExport -Group $pg -Computers $computers))
}

# the protected computers: their throttling is not readable with any
# documented cmdlet, so it is written as not known (null)
$computerList = [System.Collections.Generic.List[object]]::new()
$keys = [string[]]@($computers.Keys)
[System.Array]::Sort($keys, [System.StringComparer]::Ordinal)
foreach ($k in $keys) {
    $computerList.Add([ordered]@{ name = $computers[$k]; throttle = $null })
}

$export = [ordered]@{
    stagger_export = $FormatVersion
    collected = ConvertTo-DateTimeText -Value $collected
    utc_offset = $utcOffset
    server = [ordered]@{ name = $serverName; version = $version }
    groups = [object[]]$groups.ToArray()
    computers = [object[]]$computerList.ToArray()
}

$jobCount = 0
if ($PSCmdlet.ParameterSetName -eq 'Range' -or $HistoryDays -gt 0) {
    $historyFrom = $collected.AddDays(-$HistoryDays)
    $historyTo = $collected
    if ($PSCmdlet.ParameterSetName -eq 'Range') {
        $historyFrom = $From
        $historyTo = $To
    }
    Write-Verbose ('reading the jobs from {0} to {1}' -f $historyFrom, $historyTo)
    $jobs = [System.Collections.Generic.List[object]]::new()
    try {
        foreach ($j in @(Get-DPMJob -DPMServerName $DPMServerName -From $historyFrom -To $historyTo -AllJobsInInterval -NoLimitOnJobCount)) {
            $jobs.Add((Get-JobExport -Job $j))
        }
    } catch {
        # no "jobs" key: the history is not known (an empty list would
        # say that no job ran)
        $script:Warnings++
        Write-Warning ('job history: {0} (the file has no jobs)' -f $_.Exception.Message)
        $jobs = $null
    }
    if ($null -ne $jobs) {
        $export['jobs'] = [object[]]$jobs.ToArray()
        $jobCount = $jobs.Count
    }
}

# written whole: to a temporary beside it, then renamed over it
$json = ConvertTo-Json -InputObject $export -Depth 16
$tmp = $path + '.tmp'
[System.IO.File]::WriteAllText($tmp, $json + "`n", [System.Text.UTF8Encoding]::new($false))
if ([System.IO.File]::Exists($path)) {
    [System.IO.File]::Replace($tmp, $path, $null)
} else {
    [System.IO.File]::Move($tmp, $path)
}
$sourceCount = 0
foreach ($g in $groups) {
    $sourceCount += $g.sources.Count
}
Write-Host ('wrote {0}: {1} protection groups, {2} data sources, {3} computers, {4} jobs; {5} settings not read' -f $path, $groups.Count, $sourceCount, $computerList.Count, $jobCount, $script:Warnings)
