# a .NET call that deletes a file
[System.IO.File]::Delete('C:\Program Files\Microsoft System Center\DPM\DPM\Config\x.xml')
