# a parameter the allowlist does not give Get-DPMProtectionGroup
$pg = Get-DPMProtectionGroup -DPMServerName $env:COMPUTERNAME -Async
