# Process helpers for build/Bench.ps1: the loopback sink and bounded measuring processes. Dot-sourced.

function Get-FreeLoopbackPort {
    # Port 0 makes the kernel choose a free port; the sink binds it right after.
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Start-SmtpSink {
    # postfix's smtp-sink on a free loopback port: accepts and discards mail as fast as loopback allows.
    $port = Get-FreeLoopbackPort
    $arguments = [Collections.Generic.List[string]]::new()
    # As root smtp-sink must drop privileges; it refuses to run otherwise.
    if ((& id -u) -eq '0') { $arguments.AddRange([string[]]@('-u', 'nobody')) }
    $arguments.AddRange([string[]]@("127.0.0.1:$port", '1000'))
    $process = Start-BoundedProcess -FilePath 'smtp-sink' -ArgumentList $arguments
    $deadline = [DateTime]::UtcNow.AddSeconds(10)
    while ($true) {
        if ($process.HasExited) { throw "smtp-sink exited at once: $($process.StandardError.ReadToEnd())" }
        try { [Net.Sockets.TcpClient]::new('127.0.0.1', $port).Dispose(); break }
        catch { if ([DateTime]::UtcNow -gt $deadline) { $process.Kill(); throw "smtp-sink did not listen on port $port within 10 s." } }
        Start-Sleep -Milliseconds 100
    }
    [pscustomobject]@{ Process = $process; Port = $port }
}

function Stop-SmtpSink($Sink) {
    if ($null -ne $Sink -and -not $Sink.Process.HasExited) {
        $Sink.Process.Kill()
        $null = $Sink.Process.WaitForExit(5000)
    }
}

function Get-SmtpExtensionList([int] $Port) {
    # A raw EHLO, so the report states what the sink offered (PIPELINING? CHUNKING? SIZE?).
    $client = [Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
    try {
        $stream = $client.GetStream()
        $stream.ReadTimeout = 5000
        $reader = [IO.StreamReader]::new($stream, [Text.Encoding]::ASCII)
        $writer = [IO.StreamWriter]::new($stream, [Text.Encoding]::ASCII)
        $writer.NewLine = "`r`n"
        $writer.AutoFlush = $true
        $null = Read-SmtpReply $reader
        $writer.WriteLine('EHLO bench.example.test')
        $lines = Read-SmtpReply $reader
        $writer.WriteLine('QUIT')
        $null = Read-SmtpReply $reader
        @($lines | Select-Object -Skip 1 | ForEach-Object { $_.Substring(4).Trim() } | Where-Object { $_ })
    }
    finally { $client.Dispose() }
}

function Read-SmtpReply([IO.StreamReader] $Reader) {
    $lines = [Collections.Generic.List[string]]::new()
    do {
        $line = $Reader.ReadLine()
        if ($null -eq $line) { throw 'The sink closed the connection.' }
        $lines.Add($line)
    } while ($line.Length -gt 3 -and $line[3] -eq '-')
    $lines
}

function Start-BoundedProcess([string] $FilePath, [Collections.Generic.IEnumerable[string]] $ArgumentList, [string] $WorkingDirectory) {
    $info = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($argument in $ArgumentList) { $info.ArgumentList.Add($argument) }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    if ($WorkingDirectory) { $info.WorkingDirectory = $WorkingDirectory }
    [Diagnostics.Process]::Start($info)
}

function Invoke-BoundedProcess {
    # Runs a process to its end, killed after TimeoutSeconds; returns exit code, output and wall time.
    param([string] $FilePath, [string[]] $ArgumentList, [int] $TimeoutSeconds = 120, [string] $WorkingDirectory)
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $process = Start-BoundedProcess -FilePath $FilePath -ArgumentList $ArgumentList -WorkingDirectory $WorkingDirectory
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if (-not $process.WaitForExit($TimeoutSeconds * 1000)) {
            $process.Kill($true)
            $null = $process.WaitForExit(5000)
            return [pscustomobject]@{ TimedOut = $true; ExitCode = -1; Output = ''; Error = "timed out after $TimeoutSeconds s"; Seconds = $watch.Elapsed.TotalSeconds }
        }
        $process.WaitForExit()
        $watch.Stop()
        [pscustomobject]@{ TimedOut = $false; ExitCode = $process.ExitCode; Output = $stdout.Result; Error = $stderr.Result; Seconds = $watch.Elapsed.TotalSeconds }
    }
    finally { $process.Dispose() }
}

function Invoke-Measurement {
    # Runs one measuring program (the .NET benchmark, a pwsh or Python script) that prints one JSON object;
    # returns that object, or one with an 'error' property saying why there is none.
    param([string] $FilePath, [string[]] $ArgumentList, [int] $TimeoutSeconds = 120, [string] $WorkingDirectory)
    $run = Invoke-BoundedProcess -FilePath $FilePath -ArgumentList $ArgumentList -TimeoutSeconds $TimeoutSeconds -WorkingDirectory $WorkingDirectory
    if ($run.TimedOut) { return [pscustomobject]@{ error = $run.Error } }
    $json = $run.Output -split "`n" | Where-Object { $_.TrimStart().StartsWith('{') } | Select-Object -Last 1
    if (-not $json) {
        $why = ($run.Error.Trim() -split "`n" | Select-Object -Last 1)
        return [pscustomobject]@{ error = "exit code $($run.ExitCode), no result. $why" }
    }
    $json | ConvertFrom-Json
}

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    if ($sorted.Count -eq 0) { return [double]::NaN }
    $middle = [math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { $sorted[$middle] } else { ($sorted[$middle - 1] + $sorted[$middle]) / 2 }
}

function Get-MachineCpuCounter {
    # The machine's CPU time from /proc/stat ("cpu" line, clock ticks): all of it, and the part stolen by
    # the hypervisor for other guests (the 8th number). Steal is time this machine wanted to run and could not.
    $fields = (Get-Content /proc/stat -TotalCount 1) -split '\s+' | Select-Object -Skip 1 | ForEach-Object { [long]$_ }
    [pscustomobject]@{ Total = ($fields | Select-Object -First 8 | Measure-Object -Sum).Sum; Steal = $fields[7] }
}

function Get-ProcessCpuSecond([int] $Id) {
    # User + system CPU time of a running process, from /proc/<id>/stat (fields 14 and 15, clock ticks of
    # 1/100 s); the fields are counted after the ")" that ends the command name, which may hold spaces.
    $stat = Get-Content "/proc/$Id/stat" -Raw
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
    ([long]$fields[11] + [long]$fields[12]) / 100
}

function Measure-SinkAndSteal {
    # Runs one measurement (a script block returning the measuring program's JSON object, which says how
    # many messages the sink got: messagesSent) and adds the sink's CPU µs per message and the share of the
    # machine's CPU time stolen by the hypervisor meanwhile.
    param([Parameter(Mandatory)] $Sink, [Parameter(Mandatory)] [scriptblock] $Measurement)
    $machineBefore = Get-MachineCpuCounter
    $sinkBefore = Get-ProcessCpuSecond $Sink.Process.Id
    $result = & $Measurement
    $sinkSeconds = (Get-ProcessCpuSecond $Sink.Process.Id) - $sinkBefore
    $machineAfter = Get-MachineCpuCounter
    $total = $machineAfter.Total - $machineBefore.Total
    $steal = if ($total -gt 0) { 100 * ($machineAfter.Steal - $machineBefore.Steal) / $total } else { 0 }
    $sent = if ($result.PSObject.Properties['messagesSent']) { [long]$result.messagesSent } else { 0 }
    $result | Add-Member -NotePropertyName stealPercent -NotePropertyValue $steal -Force
    $sinkPerMessage = if ($sent -gt 0) { $sinkSeconds * 1e6 / $sent } else { $null }
    $result | Add-Member -NotePropertyName sinkCpuMicrosecondsPerMessage -NotePropertyValue $sinkPerMessage -Force
    $result
}

function Invoke-SmtpSource([int] $Port, [int] $Sessions, [int] $Count) {
    # One smtp-source run, timed as a whole process (its start-up is a millisecond or two). Its CPU time is
    # read by the shell that waited for it (cutime + cstime, fields 16 and 17 of /proc/<shell>/stat).
    $script = 'smtp-source "$@" || exit $?; cat /proc/$$/stat'
    $arguments = @('-c', $script, 'sh', '-d', '-s', "$Sessions", '-m', "$Count", '-l', '2000', "127.0.0.1:$Port")
    $run = Invoke-BoundedProcess -FilePath '/bin/sh' -ArgumentList $arguments -TimeoutSeconds 60
    if ($run.TimedOut -or $run.ExitCode -ne 0) { return [pscustomobject]@{ error = "smtp-source: exit code $($run.ExitCode) $($run.Error.Trim())" } }
    $stat = ($run.Output.Trim() -split "`n")[-1]
    $fields = $stat.Substring($stat.LastIndexOf(')') + 2) -split ' '
    $cpuSeconds = ([long]$fields[13] + [long]$fields[14]) / 100
    [pscustomobject]@{
        rates = @($Count / $run.Seconds); medianRate = $Count / $run.Seconds; messagesSent = $Count
        cpuMicrosecondsPerMessage = $cpuSeconds * 1e6 / $Count
    }
}
