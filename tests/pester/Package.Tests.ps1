# The module as a user gets it from a gallery: the built module is published with Publish-PSResource to a local
# file repository, installed with Install-PSResource, imported by name and used to send, in a fresh pwsh whose
# home is a temporary folder (so the CurrentUser scope, and the repository registrations, are throwaway).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:Server = Start-TestSmtpServer -NoStartTls
    $script:Home_ = Join-Path $TestDrive 'home'
    $script:Repository = Join-Path $TestDrive 'repository'
    # .NET takes a missing ~/.config for "no such folder", and NuGet (inside PSResourceGet) then writes its config
    # relative to the working directory: give the throwaway home the folders a real one has.
    $null = New-Item -ItemType Directory (Join-Path $Home_ '.config'), (Join-Path $Home_ '.local/share')

    $child = Join-Path $TestDrive 'install.ps1'
    Set-Content $child @'
param($RepoRoot, $ModuleDir, $Repository, $Server, $Port)
$ErrorActionPreference = 'Stop'
. (Join-Path $RepoRoot 'build/Package.ps1')
$package = Publish-ModulePackage -ModuleDir $ModuleDir -RepositoryDir $Repository
Register-PSResourceRepository -Name Local -Uri $Repository -Trusted
Install-PSResource -Name AsyncSmtp -Prerelease -Repository Local -Scope CurrentUser -Quiet
Import-Module AsyncSmtp
$module = Get-Module AsyncSmtp
$sent = Send-SmtpMessage -SmtpServer $Server -Port $Port -NoTls -TimeoutSec 10 `
    -From 'a@example.com' -To 'b@example.com' -Subject 'Installed' -Body 'x'
[pscustomobject]@{
    Package = $package.FullName; ModuleBase = $module.ModuleBase; Version = "$($module.Version)"
    Prerelease = $module.PrivateData.PSData.Prerelease; Commands = @($module.ExportedCmdlets.Keys | Sort-Object)
    Response = $sent.Response
} | ConvertTo-Json -Compress
'@
    $script:Installed = Invoke-FreshPwsh -File $child -Environment @{ HOME = $Home_ } -Arguments @{
        RepoRoot = $RepoRoot; ModuleDir = (Split-Path $ModuleManifest); Repository = $Repository
        Server = $Server.Host; Port = $Server.Port
    }

    Add-Type -AssemblyName System.IO.Compression.FileSystem
    $zip = [IO.Compression.ZipFile]::OpenRead($Installed.Package)
    try {
        $script:Entries = @($zip.Entries.FullName)
        $reader = [IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'AsyncSmtp.nuspec').Open())
        try { $script:Nuspec = ([xml]$reader.ReadToEnd()).package.metadata } finally { $reader.Dispose() }
    }
    finally { $zip.Dispose() }
}

AfterAll {
    if ($Server) { $Server.Dispose() }
}

Describe 'The published package' {
    It 'is a prerelease named after the module' {
        Split-Path $Installed.Package -Leaf | Should -Be 'AsyncSmtp.0.1.0-preview1.nupkg'
        $Nuspec.id | Should -Be 'AsyncSmtp'
        $Nuspec.version | Should -Be '0.1.0-preview1'
    }

    It 'carries the metadata a gallery shows' {
        $Nuspec.authors | Should -Not -BeNullOrEmpty
        $Nuspec.description | Should -Match 'SMTP'
        $Nuspec.projectUrl | Should -Match '^https://'
        $Nuspec.licenseUrl | Should -Match 'LICENSE$'
        $Nuspec.tags -split ' ' | Should -Contain 'PSModule'
        $Nuspec.tags -split ' ' | Should -Contain 'PSEdition_Core'
    }

    It 'holds the loader, both builds, help and the licence, and no cryptography assemblies' {
        foreach ($file in 'AsyncSmtp.psd1', 'AsyncSmtp.psm1', 'AsyncSmtp.Loader.dll', 'LICENSE',
            'AsyncSmtp.Format.ps1xml', 'core/AsyncSmtp.dll', 'core/MimeKit.dll', 'desktop/AsyncSmtp.dll',
            'desktop/System.Memory.dll', 'en-US/AsyncSmtp.dll-Help.xml') {
            $Entries | Should -Contain $file
        }
        $Entries | Where-Object { $_ -match 'BouncyCastle|Cryptography' } | Should -BeNullOrEmpty
    }
}

Describe 'The installed module' {
    It 'was installed by Install-PSResource into the temporary CurrentUser scope' {
        $Installed.ModuleBase | Should -BeLike "$Home_*"
        $Installed.Version | Should -Be '0.1.0'
        $Installed.Prerelease | Should -Be 'preview1'
    }

    It 'imports by name and sends' {
        $Installed.Commands | Should -Be @((Import-PowerShellDataFile $ModuleManifest).CmdletsToExport | Sort-Object)
        $Installed.Response | Should -Match 'queued'
        ($Server.Messages | Where-Object { $_.Text -match 'Subject: Installed' }) | Should -Not -BeNullOrEmpty
    }
}
