#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests, documents, benchmarks and demonstrates AsyncSmtp.
.DESCRIPTION
    Run as `dotnet pwsh ./build.ps1 -Task <Task>` after `dotnet tool restore`.
    Build  assembles an importable module under out/AsyncSmtp (Docs included).
    Test   builds, runs the xunit suites and the Pester suite, and prints one summary line.
    Docs   compiles docs/help/*.md to MAML under out/AsyncSmtp/en-US.
    Demo   sends a real message through an embedded loopback server and shows what it received.
    Bench  runs the benchmark against its peers and writes docs/performance.md.
    Package builds the module and publishes it with Publish-PSResource into out/package, as a .nupkg that the
           PowerShell Gallery takes.
    Clean  removes build output.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Docs', 'Demo', 'Bench', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
. (Join-Path $root 'build/Common.ps1')

switch ($Task) {
    'Clean' { Invoke-Clean -Root $root }
    'Build' { Invoke-ModuleBuild -Root $root -Configuration $Configuration }
    'Docs' { & (Join-Path $root 'build/Compile-Help.ps1') -Root $root -ModuleDir (Get-ModuleOutputDir $root) }
    # Test.ps1's "exit 1" only ends that script: pass its code on, or a failed run would exit 0.
    'Test' { & (Join-Path $root 'build/Test.ps1') -Root $root -Configuration $Configuration; exit $LASTEXITCODE }
    'Demo' {
        Invoke-ModuleBuild -Root $root -Configuration $Configuration
        & (Join-Path $root 'build/Demo.ps1') -Root $root -Configuration $Configuration
    }
    'Bench' { & (Join-Path $root 'build/Bench.ps1') -Root $root }
    'Package' {
        Invoke-ModuleBuild -Root $root -Configuration $Configuration
        . (Join-Path $root 'build/Package.ps1')
        # A file repository refuses a version it already holds: each run packs afresh.
        Remove-Item -Recurse -Force (Join-Path $root 'out/package') -ErrorAction SilentlyContinue
        $package = Publish-ModulePackage -ModuleDir (Get-ModuleOutputDir $root) -RepositoryDir (Join-Path $root 'out/package')
        Write-Host "Package written: $($package.FullName)"
    }
}
