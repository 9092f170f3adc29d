#Requires -Version 7.0
<#
.SYNOPSIS
    The PowerShell side of the benchmark: messages per second through the AsyncSmtp cmdlets or Send-MailMessage.
.DESCRIPTION
    Run in a fresh `dotnet pwsh -NoProfile`. Warm-up repetitions for at least -WarmupSeconds (module load, script
    compilation, tiered JIT), then timed repetitions; prints one JSON object like the .NET benchmark program:
    msg/s, this process's CPU time (all threads) and managed allocations per message, and how many messages the
    sink got in all. Modes:
      Pipeline          messages built by New-SmtpMessage before timing; timed: Connect-Smtp, the messages piped
                        into Send-SmtpMessage -Session, Disconnect-Smtp (the same span the engine's figure covers).
      PipelineWithBuild timed: Connect-Smtp, 1..N | ForEach-Object { New-SmtpMessage ... } | Send-SmtpMessage -Session.
      OneShot           timed: a loop of Send-SmtpMessage -SmtpServer ... (connect, send, QUIT each time).
      OneShotThrottle   messages built by New-SmtpMessage before timing; timed: the messages piped into one one-shot
                        Send-SmtpMessage -ThrottleLimit N (the delivery engine: N connections, results in order).
      SendMailMessage   timed: a loop of Send-MailMessage (System.Net.Mail, one-shot), its deprecation warning suppressed.
      Build             timed: 1..N | ForEach-Object { New-SmtpMessage ... }, no server (the cost of building).
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)]
    [ValidateSet('Pipeline', 'PipelineWithBuild', 'OneShot', 'OneShotThrottle', 'SendMailMessage', 'Build')]
    [string] $Mode,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BodyFile,
    [int] $Port = 2525,
    [int] $Count = 5000,
    [int] $Repetitions = 3,
    [int] $Warmup = 200,
    # PowerShell's pipeline and binder code reaches its final JIT tier slowly: timed repetitions after a
    # two-second warm-up still got faster each time.
    [int] $WarmupSeconds = 10,
    [int] $BudgetSeconds = 45,
    # OneShotThrottle: the connections Send-SmtpMessage -ThrottleLimit may open.
    [int] $ThrottleLimit = 4
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'BenchProcesses.ps1')

function Invoke-Repetition([int] $Count) {
    $messages = if ($Mode -in 'Pipeline', 'OneShotThrottle') {
        foreach ($i in 1..$Count) { New-SmtpMessage @sample -Subject "Benchmark message $i" }
    }
    [GC]::Collect()
    $cpuBefore = $process.TotalProcessorTime
    $allocatedBefore = [GC]::GetTotalAllocatedBytes($true)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    switch ($Mode) {
        'Pipeline' {
            $session = Connect-Smtp 127.0.0.1 -Port $Port -NoTls
            $null = $messages | Send-SmtpMessage -Session $session
            Disconnect-Smtp $session
        }
        'PipelineWithBuild' {
            $session = Connect-Smtp 127.0.0.1 -Port $Port -NoTls
            $null = 1..$Count | ForEach-Object { New-SmtpMessage @sample -Subject "Benchmark message $_" } | Send-SmtpMessage -Session $session
            Disconnect-Smtp $session
        }
        'OneShotThrottle' {
            $null = $messages | Send-SmtpMessage -SmtpServer 127.0.0.1 -Port $Port -NoTls -ThrottleLimit $ThrottleLimit
        }
        'OneShot' {
            foreach ($i in 1..$Count) { $null = Send-SmtpMessage 127.0.0.1 -Port $Port -NoTls @sample -Subject "Benchmark message $i" }
        }
        'SendMailMessage' {
            foreach ($i in 1..$Count) { Send-MailMessage -SmtpServer 127.0.0.1 -Port $Port @sample -Subject "Benchmark message $i" -WarningAction SilentlyContinue }
        }
        'Build' {
            $null = 1..$Count | ForEach-Object { New-SmtpMessage @sample -Subject "Benchmark message $_" }
        }
    }
    $watch.Stop()
    $allocated = [GC]::GetTotalAllocatedBytes($true) - $allocatedBefore
    $process.Refresh()
    if ($Mode -ne 'Build') { $script:sent += $Count }
    [pscustomobject]@{
        Rate = $Count / $watch.Elapsed.TotalSeconds
        CpuMicroseconds = ($process.TotalProcessorTime - $cpuBefore).TotalMilliseconds * 1000 / $Count
        AllocatedBytes = $allocated / $Count
    }
}

try {
    if ($Mode -ne 'SendMailMessage') { Import-Module $ModulePath }
    $sample = @{
        From = 'Bench Sender <sender@example.test>'
        To = 'Bench Recipient <rcpt@example.test>'
        Body = [IO.File]::ReadAllText($BodyFile)
    }
    $process = [Diagnostics.Process]::GetCurrentProcess()
    $sent = 0
    $warming = [Diagnostics.Stopwatch]::StartNew()
    do { $null = Invoke-Repetition $Warmup } while ($warming.Elapsed.TotalSeconds -lt $WarmupSeconds)
    $samples = [Collections.Generic.List[object]]::new()
    $started = [Diagnostics.Stopwatch]::StartNew()
    while ($samples.Count -lt $Repetitions -and ($samples.Count -eq 0 -or $started.Elapsed.TotalSeconds -lt $BudgetSeconds)) {
        $samples.Add((Invoke-Repetition $Count))
    }
    [ordered]@{
        kind = 'throughput'
        client = $Mode
        connections = if ($Mode -eq 'OneShotThrottle') { $ThrottleLimit } else { 1 }
        messages = $Count
        messagesSent = $sent
        rates = @($samples.Rate)
        medianRate = Get-Median $samples.Rate
        cpuMicrosecondsPerMessage = Get-Median $samples.CpuMicroseconds
        allocatedBytesPerMessage = Get-Median $samples.AllocatedBytes
    } | ConvertTo-Json -Compress
}
catch {
    # One line the caller can show in its table, whatever failed.
    @{ error = "$($_.Exception.GetType().Name): $($_.Exception.Message)" } | ConvertTo-Json -Compress
    exit 1
}
