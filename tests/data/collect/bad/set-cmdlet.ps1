# changes a schedule: a verb that does not only read
$pg = Get-DPMProtectionGroup -DPMServerName $env:COMPUTERNAME
Set-DPMPolicySchedule -ProtectionGroup $pg -OffsetInMinutes 15
