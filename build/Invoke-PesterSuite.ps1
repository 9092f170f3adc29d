# Runs tests/pester/*.Tests.ps1 with the Pester module restored from NuGet into the package cache,
# and writes the counts to a JSON file for build/Test.ps1.
param([Parameter(Mandatory)][string] $Root, [Parameter(Mandatory)][string] $SummaryPath, [string[]] $Path)

$ErrorActionPreference = 'Stop'
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
# Exactly the version tools/tools.csproj downloads (read from there, so the two cannot drift): the shared
# cache may also hold newer Pesters restored by other projects, and a new major version changes the rules.
$download = ([xml](Get-Content -Raw (Join-Path $Root 'tools/tools.csproj'))).Project.ItemGroup.PackageDownload |
    Where-Object Include -EQ 'Pester'
$version = $download.Version.Trim('[', ']')
$manifest = Join-Path $packages "pester/$version/tools/Pester.psd1"
if (-not (Test-Path $manifest)) { throw "Pester $version is not in ${packages}: run 'dotnet restore tools/tools.csproj'." }
Import-Module $manifest -Force

$config = New-PesterConfiguration
$config.Run.Path = if ($Path) { $Path } else { Join-Path $Root 'tests/pester' }
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$result = Invoke-Pester -Configuration $config
# Pester reports a run that could not even start (a bad path, a broken container) by returning nothing:
# write no summary, so build/Test.ps1 counts the whole suite as broken rather than as zero tests.
if (-not $result) { exit 1 }
@{ Passed = $result.PassedCount; Failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount; Skipped = $result.SkippedCount } |
    ConvertTo-Json | Set-Content $SummaryPath
