# a parenthesis left open: the script does not parse
$groups = @(Get-DPMProtectionGroup -DPMServerName $env:COMPUTERNAME
foreach ($g in $groups) { Write-Host $g.FriendlyName }
