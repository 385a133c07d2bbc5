# a function of the script called with a parameter it does not declare
function Get-Thing {
    param($Name)
    Write-Host $Name
}
Get-Thing -Name 'x' -Force
