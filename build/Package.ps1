# Packs a built module folder into a .nupkg as the PowerShell Gallery takes it: Publish-PSResource (PSResourceGet,
# which comes with PowerShell 7.4+) to a local file repository registered for the call only. Dot-sourced by
# build.ps1 (-Task Package) and tests/pester/Package.Tests.ps1.

function Publish-ModulePackage {
    # Returns the .nupkg written into $RepositoryDir.
    param([Parameter(Mandatory)][string] $ModuleDir, [Parameter(Mandatory)][string] $RepositoryDir)
    $null = New-Item -ItemType Directory -Force $RepositoryDir
    $repository = "AsyncSmtpPackage$([guid]::NewGuid().ToString('n'))"
    Register-PSResourceRepository -Name $repository -Uri $RepositoryDir -Trusted
    try {
        Publish-PSResource -Path $ModuleDir -Repository $repository -ErrorAction Stop
    }
    finally {
        Unregister-PSResourceRepository -Name $repository
    }
    $manifest = Import-PowerShellDataFile (Join-Path $ModuleDir 'AsyncSmtp.psd1')
    $prerelease = $manifest.PrivateData.PSData['Prerelease']
    $version = $manifest.ModuleVersion + $(if ($prerelease) { "-$prerelease" })
    Get-Item (Join-Path $RepositoryDir "AsyncSmtp.$version.nupkg")
}
