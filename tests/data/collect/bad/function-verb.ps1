# a function of the script itself whose verb changes things
function Remove-Leftover {
    param($Path)
    Write-Host $Path
}
Remove-Leftover -Path 'x'
