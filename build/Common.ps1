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
    Invoke-Native dotnet build (Join-Path $Root 'AsyncSmtp.sln') -c $Configuration -nologo -v q
    $moduleDir = Get-ModuleOutputDir $Root
    Remove-Item -Recurse -Force $moduleDir -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $moduleDir | Out-Null
    # publish gives the cmdlet assembly with every runtime dependency (MimeKit and its own) beside it.
    Invoke-Native dotnet publish (Join-Path $Root 'src/AsyncSmtp.Commands/AsyncSmtp.Commands.csproj') -c $Configuration -nologo -v q --no-build -o $moduleDir
    Get-ChildItem $moduleDir -Filter '*.deps.json' | Remove-Item
    Get-ChildItem $moduleDir -Filter '*.pdb' | Remove-Item
    Copy-Item (Join-Path $Root 'AsyncSmtp.psd1') $moduleDir
    Get-ChildItem (Join-Path $Root 'src/AsyncSmtp.Commands') -Filter '*.ps1xml' | Copy-Item -Destination $moduleDir
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
