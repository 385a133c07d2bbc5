# a Get- cmdlet that is not on the allowlist
$disks = Get-DPMDiskStorage -DPMServerName $env:COMPUTERNAME
