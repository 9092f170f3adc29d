# Shared helpers for build.ps1 and the scripts under build/. Dot-sourced.

function Get-ModuleOutputDir([string] $Root) { Join-Path $Root 'out/AsyncSmtp' }

function Invoke-Native {
    # Runs a native command and stops the build when it fails. A plain function on purpose: an
    # advanced one (with [Parameter]) takes "-v q" as its own -Verbose and drops the "-v".
    $filePath, $arguments = $args
    & $filePath @arguments
    if ($LASTEXITCODE -ne 0) { throw "$filePath $($arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Invoke-Clean([string] $Root) {
    Invoke-Native dotnet clean (Join-Path $Root 'AsyncSmtp.sln') -nologo -v q
    Remove-Item -Recurse -Force (Join-Path $Root 'out') -ErrorAction SilentlyContinue
}

function Invoke-ModuleBuild([string] $Root, [string] $Configuration) {
    # CheckNetFramework: also compile against .NET Framework 4.7.2 (see the csproj files). CheckCodeStyle: the
    # .editorconfig rules as errors (Directory.Build.props). Both left out of a plain dotnet build to keep it quick.
    Invoke-Native dotnet build (Join-Path $Root 'AsyncSmtp.sln') -c $Configuration -nologo -v q '-p:CheckNetFramework=true' `
        '-p:CheckCodeStyle=true'
    $moduleDir = Get-ModuleOutputDir $Root
    Remove-Item -Recurse -Force $moduleDir -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $moduleDir | Out-Null
    # The module's layout (module/AsyncSmtp.psm1 explains it): the root script, manifest and format views; the
    # loader beside them; the cmdlets with their runtime dependencies under core/ (net8.0, PowerShell 7.4+) and
    # desktop/ (netstandard2.0, Windows PowerShell 5.1).
    Copy-Item (Join-Path $Root 'module/*') $moduleDir
    Copy-Item (Join-Path $Root 'LICENSE') $moduleDir
    $loader = Join-Path $Root "src/AsyncSmtp.Loader/bin/$Configuration/net8.0/AsyncSmtp.Loader.dll"
    Copy-Item $loader $moduleDir
    $commands = Join-Path $Root 'src/AsyncSmtp.Commands/AsyncSmtp.Commands.csproj'
    foreach ($target in @{ core = 'net8.0'; desktop = 'netstandard2.0' }.GetEnumerator()) {
        $dir = Join-Path $moduleDir $target.Key
        # publish gives the cmdlet assembly with every runtime dependency (MimeKit and its own) beside it.
        Invoke-Native dotnet publish $commands -c $Configuration -f $target.Value -nologo -v q --no-build -o $dir
        Get-ChildItem $dir -Include '*.deps.json', '*.pdb' -Recurse | Remove-Item
        Remove-UnusedAssembly $dir
    }
    $helpCompiler = Join-Path $Root 'build/Compile-Help.ps1'
    if (Test-Path $helpCompiler) { & $helpCompiler -Root $Root -ModuleDir $moduleDir }
    Write-Host "Module assembled in $moduleDir"
}

function Get-TrxCount([string] $Path) {
    # Passed, failed and skipped tests of one TRX file. Skipped is every discovered test that neither
    # passed nor failed: a project whose tests are all skipped (the interop project without its servers)
    # is reported as total=N executed=0 notExecuted=0, so notExecuted alone would count none of them.
    $counters = ([xml](Get-Content -Raw $Path)).TestRun.ResultSummary.Counters
    $passed = [int]$counters.passed
    $failed = [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = [int]$counters.total - $passed - $failed }
}

function Remove-UnusedAssembly([string] $Directory) {
    # MimeKit depends on these for S/MIME, PGP and its certificate database only; the module never signs,
    # encrypts or verifies, and a signed or encrypted message is passed through as it is. The Pester suite runs
    # without them (tests/pester/Isolation.Tests.ps1 sends signed and encrypted messages).
    $unused = 'BouncyCastle.Cryptography', 'System.Security.Cryptography.Pkcs', 'System.Security.Cryptography.Cng',
        'Microsoft.Bcl.Cryptography', 'System.Formats.Asn1', 'System.Data.DataSetExtensions'
    Get-ChildItem $Directory -Recurse -File | Where-Object { $_.BaseName -in $unused } | Remove-Item
    # Their platform-specific copies leave empty runtimes/<rid>/lib/<tfm> folders behind.
    Get-ChildItem $Directory -Recurse -Directory | Sort-Object { $_.FullName.Length } -Descending |
        Where-Object { -not (Get-ChildItem $_.FullName -Force) } | Remove-Item
}
