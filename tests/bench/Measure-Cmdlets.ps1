#Requires -Version 7.0
<#
.SYNOPSIS
    The PowerShell side of the benchmark: messages per second through the AsyncSmtp cmdlets or Send-MailMessage.
.DESCRIPTION
    Run in a fresh `dotnet pwsh -NoProfile`. Warm-up repetitions for at least -WarmupSeconds (module load, script
    compilation, tiered JIT) and then until the JIT has settled (at most -WarmupLimitSeconds), one untimed
    repetition of the timed size, then timed repetitions, each started when the JIT is quiet; prints one JSON object like the .NET benchmark program:
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
    # ... and then until the JIT has settled (Test-JitSettled), within this limit.
    [int] $WarmupLimitSeconds = 15,
    [int] $BudgetSeconds = 45,
    # OneShotThrottle: the connections Send-SmtpMessage -ThrottleLimit may open.
    [int] $ThrottleLimit = 4
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'BenchProcesses.ps1')

function Wait-JitQuiet {
    # A timed repetition starts when no method was compiled for 200 ms (at most 10 s): the messages built
    # before it (Pipeline mode) make the tiered JIT recompile code in the background.
    $waited = [Diagnostics.Stopwatch]::StartNew()
    do {
        $compiled = [Runtime.JitInfo]::GetCompiledMethodCount($false)
        Start-Sleep -Milliseconds 200
    } while ([Runtime.JitInfo]::GetCompiledMethodCount($false) -ne $compiled -and $waited.Elapsed.TotalSeconds -lt 10)
}

function Test-JitSettled {
    # Checked between warm-up repetitions: true when over the last second or more the JIT compiled for under 1 %
    # of the time. PowerShell's pipeline and binder code keeps reaching new JIT tiers for 15 to 20 s on a busy
    # machine (measured building messages: a third of the process's CPU was the JIT 15 s in).
    if ($script:jitWindow.Elapsed.TotalSeconds -lt 1) { return $false }
    $jit = [Runtime.JitInfo]::GetCompilationTime($false) - $script:jitAtWindowStart
    $settled = $jit.TotalMilliseconds -le $script:jitWindow.Elapsed.TotalMilliseconds * 0.01
    $script:jitAtWindowStart = [Runtime.JitInfo]::GetCompilationTime($false)
    $script:jitWindow.Restart()
    $settled
}

function Invoke-Repetition([int] $Count, [switch] $Timed) {
    $messages = if ($Mode -in 'Pipeline', 'OneShotThrottle') {
        foreach ($i in 1..$Count) { New-SmtpMessage @sample -Subject "Benchmark message $i" }
    }
    [GC]::Collect()
    if ($Timed) { Wait-JitQuiet }
    $jitBefore = [Runtime.JitInfo]::GetCompilationTime($false)
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
    $jit = [Runtime.JitInfo]::GetCompilationTime($false) - $jitBefore
    $process.Refresh()
    if ($Mode -ne 'Build') { $script:sent += $Count }
    [pscustomobject]@{
        Rate = $Count / $watch.Elapsed.TotalSeconds
        CpuMicroseconds = ($process.TotalProcessorTime - $cpuBefore).TotalMilliseconds * 1000 / $Count
        AllocatedBytes = $allocated / $Count
        JitMicroseconds = $jit.TotalMilliseconds * 1000 / $Count
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
    $jitWindow = [Diagnostics.Stopwatch]::StartNew()
    $jitAtWindowStart = [Runtime.JitInfo]::GetCompilationTime($false)
    do { $null = Invoke-Repetition $Warmup }
    while ($warming.Elapsed.TotalSeconds -lt $WarmupSeconds -or
        (-not (Test-JitSettled) -and $warming.Elapsed.TotalSeconds -lt $WarmupLimitSeconds))
    # Last, one untimed repetition the size of the timed ones: some code gets hot only in a long run.
    $null = Invoke-Repetition $Count
    $warmupTaken = $warming.Elapsed.TotalSeconds
    $samples = [Collections.Generic.List[object]]::new()
    $started = [Diagnostics.Stopwatch]::StartNew()
    while ($samples.Count -lt $Repetitions -and ($samples.Count -eq 0 -or $started.Elapsed.TotalSeconds -lt $BudgetSeconds)) {
        $samples.Add((Invoke-Repetition $Count -Timed))
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
        jitMicrosecondsPerMessage = Get-Median $samples.JitMicroseconds
        warmupSeconds = $warmupTaken
    } | ConvertTo-Json -Compress
}
catch {
    # One line the caller can show in its table, whatever failed.
    @{ error = "$($_.Exception.GetType().Name): $($_.Exception.Message)" } | ConvertTo-Json -Compress
    exit 1
}
