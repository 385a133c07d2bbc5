# a command whose name is a variable: no check can tell what it runs
$verb = 'Remove'
& "$verb-DPMChildDatasource" -ProtectionGroup $null
