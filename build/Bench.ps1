#Requires -Version 7.0
<#
.SYNOPSIS
    Runs AsyncSmtp side by side with its peers against one loopback smtp-sink and writes docs/performance.md.
.DESCRIPTION
    Called by `dotnet pwsh ./build.ps1 -Task Bench`. Builds everything it needs in Release (the module and
    tests/AsyncSmtp.Benchmarks), starts postfix's smtp-sink on a free loopback port and measures every row of
    tests/bench/BenchRows.ps1 once per round, the rows interleaved, for -Rounds rounds; then large attachments
    (10, 100 and 500 MB) and Import-Module. Every row reports the median and the range over its rounds of:
    client CPU µs per message (user + system, all threads), allocated bytes per message, msg/s, the sink's
    CPU µs per message, and the share of the machine's CPU stolen by the hypervisor while it ran. CPU time per
    message is the primary figure: on a shared machine rates swing several-fold, CPU per message barely.
    Every measuring process is bounded in time; a client that fails shows as FAILED with its error instead of
    stopping the run. At least three rounds, so that every figure is a true median (the middle of three, where
    one disturbed round of two used to move it by half): about 16 minutes on two quiet cores (the limit is 18).
.PARAMETER Scale
    Shrinks every message count (a smoke test of the harness: -Rounds 1 -Scale 0.01). A run with -Scale below
    1 writes out/performance-smoke.md, never docs/performance.md.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Root,
    [ValidateRange(1, 20)] [int] $Rounds = 5,
    [ValidateRange(0.001, 1)] [double] $Scale = 1
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $Root 'build/Common.ps1')
. (Join-Path $Root 'tests/bench/BenchProcesses.ps1')
. (Join-Path $Root 'tests/bench/BenchRows.ps1')
. (Join-Path $Root 'tests/bench/BenchReport.ps1')

# A row whose hypervisor steal exceeded this share of the machine's CPU time in some round is marked disturbed.
$disturbedStealPercent = 5
# The whole run's limit, and what the large attachments and Import-Module take after the rounds (about two
# minutes on two cores: 610 MB of attachments written, eight sends, ten pwsh starts, the fault soak), with a margin.
$budgetSeconds = 18 * 60
$reserveSeconds = 240

function Invoke-BenchmarkProgram([string[]] $Arguments, [int] $TimeoutSeconds = 150) {
    Invoke-Measurement -FilePath 'dotnet' -ArgumentList (@($benchDll) + $Arguments + @('--port', "$($sink.Port)")) -TimeoutSeconds $TimeoutSeconds
}

function Invoke-Row($Row) {
    # One sample of one row: its measuring process runs a warm-up and one timed repetition (three for the
    # PowerShell rows, their median: the first after the warm-up still swung the CPU figure twofold, 91 to 183
    # µs/msg for the session pipeline over three runs, where later ones in one process measured 61 to 70).
    $optional = { param([string] $Name, [string] $Flag) if ($null -ne $Row[$Name]) { @($Flag, "$($Row[$Name])") } }
    if ($Scale -lt 1) { $Row.WarmupSeconds = 0 }   # a smoke test checks the harness, not the figures
    $extra = @($Row['Arguments'] ?? @())
    switch ($Row.Kind) {
        'program' {
            $arguments = @('throughput', '--client', $Row.Client, '--count', "$($Row.Count)", '--reps', '1',
                '--connections', "$([math]::Max(1, $Row.Connections))") + (& $optional Warmup '--warmup') +
                (& $optional WarmupSeconds '--warmup-seconds') + (& $optional BodyBytes '--body-bytes') + $extra
            Invoke-BenchmarkProgram $arguments
        }
        'cmdlets' {
            $arguments = @('pwsh', '-NoProfile', '-NonInteractive', '-File', (Join-Path $Root 'tests/bench/Measure-Cmdlets.ps1'),
                '-Mode', $Row.Client, '-ModulePath', $modulePath, '-BodyFile', $bodyFile, '-Port', "$($sink.Port)",
                '-Count', "$($Row.Count)", '-Repetitions', '3') + (& $optional Warmup '-Warmup') +
                (& $optional WarmupSeconds '-WarmupSeconds') + $extra
            Invoke-Measurement -FilePath 'dotnet' -ArgumentList $arguments -WorkingDirectory $Root -TimeoutSeconds 150
        }
        'python' {
            if (-not $aiosmtplibInstalled) { return [pscustomobject]@{ error = 'python3-aiosmtplib is not installed (apt-get install python3-aiosmtplib)' } }
            $arguments = @((Join-Path $Root 'tests/bench/aiosmtplib_bench.py'), '--port', "$($sink.Port)", '--count', "$($Row.Count)",
                '--connections', "$($Row.Connections)", '--reps', '1', '--warmup', '300', '--body-file', $bodyFile) + $extra
            Invoke-Measurement -FilePath '/usr/bin/python3' -ArgumentList $arguments -TimeoutSeconds 150
        }
        'source' { Invoke-SmtpSource -Port $sink.Port -Sessions $Row.Connections -Count $Row.Count }
        default { throw "Unknown row kind '$($Row.Kind)' in tests/bench/BenchRows.ps1." }
    }
}

function Get-Spread([double[]] $Values) {
    # Median and range of one figure over the rounds (never the best run).
    if (-not $Values) { return $null }
    $sorted = @($Values | Sort-Object)
    [pscustomobject]@{ Median = Get-Median $Values; Min = $sorted[0]; Max = $sorted[-1] }
}

function Get-RowSummary($Row, $Samples) {
    $good = @($Samples | Where-Object { -not $_.PSObject.Properties['error'] })
    $failed = @($Samples | Where-Object { $_.PSObject.Properties['error'] })
    $figure = { param([string] $Name) Get-Spread @($good | Where-Object { $null -ne $_.PSObject.Properties[$Name] -and $null -ne $_.$Name } | ForEach-Object { [double]$_.$Name }) }
    $steal = @($Samples | Where-Object { $_.PSObject.Properties['stealPercent'] } | ForEach-Object stealPercent)
    [pscustomobject]@{
        Id = $Row.Id; Label = $Row.Label; Table = $Row.Table; Connections = $Row.Connections; Note = $Row['Note']
        Count = $Row.Count; Rounds = $good.Count; Error = if ($failed) { $failed[0].error } else { $null }
        Rate = & $figure medianRate; Cpu = & $figure cpuMicrosecondsPerMessage
        Allocated = & $figure allocatedBytesPerMessage; SinkCpu = & $figure sinkCpuMicrosecondsPerMessage
        StealMax = if ($steal) { ($steal | Measure-Object -Maximum).Maximum } else { 0 }
        Disturbed = [bool]($steal | Where-Object { $_ -gt $disturbedStealPercent })
    }
}

function New-LargeAttachment([string] $Path, [int] $Megabytes) {
    # Random bytes, written a mebibyte at a time (a 500 MB array would itself distort nothing but this process).
    $random = [Random]::new(5)
    $chunk = [byte[]]::new(1MB)
    $file = [IO.File]::Create($Path)
    try { foreach ($n in 1..$Megabytes) { $random.NextBytes($chunk); $file.Write($chunk, 0, $chunk.Length) } }
    finally { $file.Dispose() }
}

function Measure-LargeMessage($Plan) {
    # Each client and size in a fresh process, the runs interleaved like the rows; medians.
    $runs = @{}
    foreach ($round in 1..($Plan | Measure-Object -Property Runs -Maximum).Maximum) {
        foreach ($item in $Plan | Where-Object Runs -GE $round) {
            $key = "$($item.Client)-$($item.Megabytes)"
            if (-not $runs[$key]) { $runs[$key] = [Collections.Generic.List[object]]::new() }
            $timeout = 60 + $item.Megabytes
            $runs[$key].Add((Invoke-BenchmarkProgram @('large', '--client', $item.Client, '--attachment', $attachments[$item.Megabytes],
                        '--timeout-seconds', "$timeout") ($timeout + 60)))
        }
    }
    foreach ($item in $Plan) {
        $results = $runs["$($item.Client)-$($item.Megabytes)"]
        $failed = @($results | Where-Object { $_.PSObject.Properties['error'] })
        if ($failed) { [pscustomobject]@{ Label = $item.Label; Client = $item.Client; Megabytes = $item.Megabytes; Error = $failed[0].error }; continue }
        [pscustomobject]@{
            Label = $item.Label; Client = $item.Client; Megabytes = $item.Megabytes; Error = $null; Runs = $results.Count
            WireBytes = $results[0].wireBytes
            Seconds = Get-Median $results.seconds
            PeakExtraBytes = Get-Median $results.peakExtraBytes
            PeakExtraMaxBytes = ($results.peakExtraBytes | Measure-Object -Maximum).Maximum
            AllocatedBytes = Get-Median $results.allocatedBytes
            JitMethods = Get-Median $results.jitMethodsDuringSend
            PeakReset = -not ($results.peakReset -contains $false)
        }
    }
}

function Measure-ModuleImport([int] $Runs) {
    # The baseline runs the same command with nothing in place of the import: the first Measure-Command and the
    # console write cost a fresh process about 150 ms here, which is not the module's.
    $timed = { param([string] $Work) "`$ErrorActionPreference = 'Stop'; [Console]::WriteLine((Measure-Command { $Work }).TotalMilliseconds)" }
    $importCommand = & $timed "Import-Module '$modulePath'"
    $baselineCommand = & $timed '$null'
    $inProcess = @(); $withImport = @(); $baseline = @()
    foreach ($n in 1..$Runs) {
        $base = Invoke-BoundedProcess -FilePath 'dotnet' -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $baselineCommand) -WorkingDirectory $Root -TimeoutSeconds 60
        $import = Invoke-BoundedProcess -FilePath 'dotnet' -ArgumentList @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $importCommand) -WorkingDirectory $Root -TimeoutSeconds 60
        if ($import.ExitCode -ne 0) { throw "Import-Module failed: $($import.Error.Trim())" }
        $baseline += $base.Seconds * 1000
        $withImport += $import.Seconds * 1000
        $inProcess += [double]::Parse($import.Output.Trim(), [Globalization.CultureInfo]::InvariantCulture)
    }
    [pscustomobject]@{ Runs = $Runs; InProcessMs = Get-Median $inProcess; WithImportMs = Get-Median $withImport; BaselineMs = Get-Median $baseline }
}

function Measure-FaultSoak {
    # The delivery engine's fault soak (FaultSoakTests in tests/AsyncSmtp.Client.Tests): 2,000 messages over four
    # connections with retries, through a test server that drops, defers, throttles and delays at random (a fixed
    # seed). Its throughput and accounting line, shown for reference: the faults, not the client, set the pace.
    $arguments = @('test', (Join-Path $Root 'tests/AsyncSmtp.Client.Tests'), '-c', 'Release', '--no-build', '-nologo',
        '--filter', 'FullyQualifiedName~FaultSoakTests', '--logger', 'console;verbosity=detailed')
    $run = Invoke-BoundedProcess -FilePath 'dotnet' -ArgumentList $arguments -WorkingDirectory $Root -TimeoutSeconds 180
    $line = @($run.Output -split '\r?\n' | Where-Object { $_ -match '\d+ messages in [\d.]+ s \(\d+ msg/s\)' })[0]
    $target = 'For reference: fault soak, 2,000 messages, 4 connections, retries, random faults (FaultSoakTests)'
    if ($run.ExitCode -ne 0 -or -not $line) {
        return New-Target $target "FAILED (exit $($run.ExitCode)): $($run.Error.Trim())" $false
    }
    $measured = New-Target $target $line.Trim() $true
    $measured.Verdict = 'reference'
    $measured
}

function New-Target([string] $Target, [string] $Measured, [bool] $Pass) {
    [pscustomobject]@{ Target = $Target; Measured = $Measured; Verdict = if ($Pass) { 'PASS' } else { 'FAIL' } }
}

function Get-Figure([string] $Id, [string] $Figure) {
    # A row's median of one figure (Cpu, Rate, ...), or $null when the row failed in every round.
    $row = $summaries | Where-Object Id -EQ $Id
    if (-not $row -or $row.Rounds -eq 0 -or -not $row.$Figure) { return $null }
    $row.$Figure.Median
}

function New-CpuTarget([string] $Target, [string] $Id, [double] $Maximum) {
    $cpu = Get-Figure $Id 'Cpu'
    if ($null -eq $cpu) { return New-Target $Target 'not measured (see the FAILED row)' $false }
    New-Target $Target "$(Format-Number $cpu) µs/msg" ($cpu -le $Maximum)
}

function New-RatioTarget([string] $Target, [string] $Id, [string] $OverId, [string] $Figure, [double] $Limit, [switch] $AtMost, [switch] $Reference) {
    # Rate ratios must reach Limit; CPU ratios (-AtMost) must not exceed it. -Reference: shown, not judged.
    $value = Get-Figure $Id $Figure; $over = Get-Figure $OverId $Figure
    if ($null -eq $value -or $null -eq $over) { return New-Target $Target 'not measured (see the FAILED row)' $false }
    $ratio = $value / $over
    $unit = if ($Figure -eq 'Rate') { 'msg/s' } else { 'µs/msg' }
    $judged = New-Target $Target "$(Format-Number $ratio 'N2')× ($(Format-Number $value) vs $(Format-Number $over) $unit)" ($AtMost ? $ratio -le $Limit : $ratio -ge $Limit)
    if ($Reference) { $judged.Verdict = 'reference' }
    $judged
}

$watch = [Diagnostics.Stopwatch]::StartNew()
foreach ($tool in 'smtp-sink', 'smtp-source', 'postconf') {
    if (-not (Get-Command $tool -ErrorAction Ignore)) { throw "$tool was not found: install postfix (apt-get install postfix); it provides the sink and the C yardstick." }
}
Invoke-ModuleBuild -Root $Root -Configuration Release
$benchDll = Join-Path $Root 'tests/AsyncSmtp.Benchmarks/bin/Release/net10.0/AsyncSmtp.Benchmarks.dll'
$modulePath = Join-Path (Get-ModuleOutputDir $Root) 'AsyncSmtp.psd1'
$aiosmtplibInstalled = (Invoke-BoundedProcess -FilePath '/usr/bin/python3' -ArgumentList @('-c', 'import aiosmtplib') -TimeoutSeconds 30).ExitCode -eq 0
$work = Join-Path ([IO.Path]::GetTempPath()) "asyncsmtp-bench-$PID"
$null = New-Item -ItemType Directory -Force $work
$bodyFile = Join-Path $work 'body.txt'
$largePlan = @(
    @{ Client = 'engine-smtpmessage'; Megabytes = 10; Runs = 3; Label = 'AsyncSmtp engine (SmtpMessage, as the cmdlets)' }
    @{ Client = 'engine'; Megabytes = 10; Runs = 3; Label = 'AsyncSmtp engine (MimeMessage)' }
    @{ Client = 'mailkit'; Megabytes = 10; Runs = 3; Label = 'MailKit SmtpClient' }
    @{ Client = 'engine-smtpmessage'; Megabytes = 100; Runs = 1; Label = 'AsyncSmtp engine (SmtpMessage, as the cmdlets)' }
    @{ Client = 'engine-smtpmessage'; Megabytes = 500; Runs = 1; Label = 'AsyncSmtp engine (SmtpMessage, as the cmdlets)' }
)
if ($Scale -lt 1) { $largePlan = @($largePlan | Where-Object Megabytes -EQ 10 | ForEach-Object { $_.Runs = 1; $_ }) }
$attachments = @{}
$sink = $null
try {
    Invoke-Native dotnet $benchDll body --out $bodyFile
    foreach ($megabytes in $largePlan.Megabytes | Sort-Object -Unique) {
        $attachments[$megabytes] = Join-Path $work "attachment-$megabytes.bin"
        New-LargeAttachment $attachments[$megabytes] $megabytes
    }

    $sink = Start-SmtpSink
    $extensions = Get-SmtpExtensionList $sink.Port
    $loadBefore = Get-LoadAverage
    Write-Host "smtp-sink on 127.0.0.1:$($sink.Port) offers: $($extensions -join ', ')"

    $rows = Get-BenchRow $Scale
    $samples = @{}
    foreach ($row in $rows) { $samples[$row.Id] = [Collections.Generic.List[object]]::new() }
    $roundsRun = 0
    foreach ($round in 1..$Rounds) {
        # The whole run should stay within 18 minutes: after the first three rounds, stop (keeping whole rounds, so
        # every row has as many samples) when another would leave less than the large-message and import work needs.
        $roundTime = if ($roundsRun) { $roundsWatch.Elapsed.TotalSeconds / $roundsRun } else { 0 }
        if ($roundsRun -ge 3 -and $watch.Elapsed.TotalSeconds + $roundTime + $reserveSeconds -gt $budgetSeconds) {
            Write-Warning "Stopping after $roundsRun rounds: another would pass the $($budgetSeconds / 60)-minute budget."
            break
        }
        if (-not $roundsRun) { $roundsWatch = [Diagnostics.Stopwatch]::StartNew() }
        $roundsRun++
        foreach ($row in $rows) {
            $sample = Measure-SinkAndSteal -Sink $sink -Measurement { Invoke-Row $row }
            $samples[$row.Id].Add($sample)
            $shown = if ($sample.PSObject.Properties['error']) { "FAILED: $($sample.error)" }
            else { "$(Format-Number $sample.cpuMicrosecondsPerMessage) µs/msg, $(Format-Number $sample.medianRate) msg/s, steal $(Format-Number $sample.stealPercent 'N1')%" }
            Write-Host ("round {0}/{1}  {2,-22} {3}" -f $round, $Rounds, $row.Id, $shown)
        }
    }
    $summaries = foreach ($row in $rows) { Get-RowSummary $row $samples[$row.Id] }

    $largeRows = @(Measure-LargeMessage $largePlan)
    foreach ($row in $largeRows) { Write-Host ("{0,3} MB, {1,-48} {2}" -f $row.Megabytes, $row.Label, ($row.Error ?? "$(Format-Number ($row.PeakExtraBytes / 1MB) 'N2') MiB extra, $(Format-Number $row.Seconds 'N3') s")) }
    $loadAfter = Get-LoadAverage
}
finally {
    Stop-SmtpSink $sink
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

$import = Measure-ModuleImport 5
Write-Host "Import-Module: $(Format-Number $import.InProcessMs) ms in-process"
$faultSoak = Measure-FaultSoak
Write-Host "Fault soak: $($faultSoak.Measured)"

$cmdletLarge = @($largeRows | Where-Object Client -EQ 'engine-smtpmessage')
$tenMegabytes = @($largeRows | Where-Object Megabytes -EQ 10)
$targets = @(
    New-CpuTarget 'Engine, pre-serialised bytes, 1 connection: ≤ 35 µs/msg' 'engine-bytes-1' 35
    New-CpuTarget 'Engine with a MimeMessage per send, 1 connection: ≤ 60 µs/msg' 'engine-submit-1' 60
    New-RatioTarget 'Send-SmtpMessage -Session (prebuilt): CPU ≤ 1.5× the engine''s sending the same SmtpMessages' 'Pipeline-1' 'engine-smtpmessage-1' Cpu 1.5 -AtMost
    New-RatioTarget 'Send-SmtpMessage -Session (prebuilt): ≥ 2× MailKit''s msg/s, 1 connection' 'Pipeline-1' 'mailkit-1' Rate 2
    New-CpuTarget 'New-SmtpMessage: ≤ 50 µs/msg' 'Build-0' 50
    New-RatioTarget 'Engine, 4 connections: ≥ 1.3× MailKit''s msg/s, 4 connections' 'engine-submit-4' 'mailkit-4' Rate 1.3
    New-RatioTarget 'Engine, 4 connections: CPU per message no higher than at 1' 'engine-submit-4' 'engine-submit-1' Cpu 1 -AtMost
    New-RatioTarget 'For reference: engine, pre-serialised bytes, CPU per message at 4 connections vs 1' 'engine-bytes-4' 'engine-bytes-1' Cpu 0 -AtMost -Reference
    New-RatioTarget 'For reference: engine vs MailKit, CPU per message, 1 connection' 'engine-submit-1' 'mailkit-1' Cpu 0 -AtMost -Reference
    New-RatioTarget 'For reference: engine vs MailKit, msg/s, 1 connection' 'engine-submit-1' 'mailkit-1' Rate 0 -Reference
    New-RatioTarget 'For reference: engine vs smtp-source, msg/s, 4 connections/sessions' 'engine-submit-4' 'smtp-source-4' Rate 0 -Reference
    New-RatioTarget 'One-shot Send-SmtpMessage: ≥ 5× Send-MailMessage''s msg/s' 'OneShot-1' 'SendMailMessage-1' Rate 5
    New-RatioTarget 'One-shot Send-SmtpMessage -ThrottleLimit 4 (prebuilt): ≥ 2× MailKit''s msg/s, 4 connections' `
        'OneShotThrottle-4' 'mailkit-4' Rate 2
    New-RatioTarget 'For reference: Send-SmtpMessage -ThrottleLimit 4 vs smtp-source -s 4, msg/s' `
        'OneShotThrottle-4' 'smtp-source-4' Rate 0 -Reference
    $faultSoak
    if (-not ($cmdletLarge | Where-Object Error) -and $cmdletLarge.Count -gt 1) {
        $peaks = ($cmdletLarge | ForEach-Object { "$($_.Megabytes) MB: $(Format-Number ($_.PeakExtraMaxBytes / 1MB) 'N2')" }) -join ', '
        New-Target 'Large attachment (as the cmdlets send it): < 2 MiB peak extra memory, flat from 10 MB to 500 MB' "$peaks MiB" (-not ($cmdletLarge | Where-Object { $_.PeakExtraMaxBytes -ge 2MB }))
    }
    elseif ($cmdletLarge.Count -gt 1) { New-Target 'Large attachment: peak extra memory' 'not measured (see the FAILED row)' $false }
    if (-not ($tenMegabytes | Where-Object Error)) {
        $mailKit = ($tenMegabytes | Where-Object Client -EQ 'mailkit').PeakExtraBytes
        $ours = @($tenMegabytes | Where-Object Client -NE 'mailkit')
        New-Target '10 MB message: engine peak extra memory ≤ MailKit''s' ("{0} MiB vs MailKit {1} MiB" -f (($ours | ForEach-Object { Format-Number ($_.PeakExtraBytes / 1MB) 'N2' }) -join ' / '), (Format-Number ($mailKit / 1MB) 'N2')) (-not ($ours | Where-Object PeakExtraBytes -GT $mailKit))
    }
    # Judged on the larger of the two figures: the in-process one misses work PowerShell does around the command.
    $importMs = [math]::Max($import.InProcessMs, $import.WithImportMs - $import.BaselineMs)
    New-Target 'Import-Module AsyncSmtp in-process < 300 ms (with the loader)' "$(Format-Number $import.InProcessMs) ms" ($import.InProcessMs -lt 300)
    New-Target 'Import-Module AsyncSmtp < 500 ms' "$(Format-Number $import.InProcessMs) ms in-process, $(Format-Number ($import.WithImportMs - $import.BaselineMs)) ms process difference" ($importMs -lt 500)
)

$report = Format-PerformanceReport -Facts (Get-MachineFacts $Root) -Extensions $extensions -Rows $summaries -LargeRows $largeRows -Import $import `
    -Targets $targets -LoadBefore $loadBefore -LoadAfter $loadAfter -Duration $watch.Elapsed -Rounds $roundsRun -DisturbedStealPercent $disturbedStealPercent
$output = if ($Scale -lt 1) { Join-Path $Root 'out/performance-smoke.md' } else { Join-Path $Root 'docs/performance.md' }
$null = New-Item -ItemType Directory -Force (Split-Path $output)
Set-Content -Path $output -Value $report -Encoding utf8NoBOM
Write-Host ''
Write-Host $report
Write-Host "Written to $output in $([math]::Round($watch.Elapsed.TotalMinutes, 1)) minutes."
