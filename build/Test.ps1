# Runs every test suite (xunit projects, then Pester against the built module) and prints one line:
# "Tests: N passed, N failed, N skipped". Exits non-zero when anything failed.
param([Parameter(Mandatory)][string] $Root, [string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
. (Join-Path $Root 'build/Common.ps1')

Invoke-Native dotnet tool restore
Invoke-Native dotnet restore (Join-Path $Root 'tools/tools.csproj') -nologo -v q
Invoke-ModuleBuild -Root $Root -Configuration $Configuration

$results = Join-Path $Root 'out/TestResults'
Remove-Item -Recurse -Force $results -ErrorAction SilentlyContinue
New-Item -ItemType Directory -Force $results | Out-Null
$totals = [ordered]@{ passed = 0; failed = 0; skipped = 0 }
$broken = @()

foreach ($project in Get-ChildItem (Join-Path $Root 'tests') -Recurse -Filter '*.Tests.csproj') {
    $trx = Join-Path $results "$($project.BaseName).trx"
    & dotnet test $project.FullName -c $Configuration --no-build -nologo --logger "trx;LogFileName=$trx" --logger 'console;verbosity=normal'
    $exit = $LASTEXITCODE
    if (-not (Test-Path $trx)) { $broken += "$($project.BaseName) (exit $exit, no results)"; continue }
    $count = Get-TrxCount $trx
    $totals.passed += $count.Passed; $totals.failed += $count.Failed; $totals.skipped += $count.Skipped
    if ($exit -ne 0 -and $count.Failed -eq 0) { $broken += "$($project.BaseName) (exit $exit)" }
}

$pesterDir = Join-Path $Root 'tests/pester'
if (Get-ChildItem $pesterDir -Filter '*.Tests.ps1' -ErrorAction SilentlyContinue) {
    $summary = Join-Path $results 'pester.json'
    # A child pwsh, so the suite sees only the built module under out/ and nothing this build loaded.
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'build/Invoke-PesterSuite.ps1') -Root $Root -SummaryPath $summary
    if (Test-Path $summary) {
        $p = Get-Content -Raw $summary | ConvertFrom-Json
        $totals.passed += $p.Passed; $totals.failed += $p.Failed; $totals.skipped += $p.Skipped
    } else { $broken += "Pester (exit $LASTEXITCODE, no results)" }
}

foreach ($b in $broken) { Write-Host "Test run broken: $b" -ForegroundColor Red; $totals.failed++ }
Write-Host ("Tests: {0} passed, {1} failed, {2} skipped" -f $totals.passed, $totals.failed, $totals.skipped)
exit ([int]($totals.failed -gt 0))
