# Send-SmtpMessage's delivery parameters in the one-shot form (issue 10): retries of what is safe to
# retry only, several connections with outcomes in input order, throttling replies, pacing, the journal
# and a rerun after a killed process. Assertions are on outcomes, orders and counts, never on time.
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CmdletClass = 'AsyncSmtp.Commands.SendSmtpMessageCommand'

    function New-Stable([int[]] $Numbers, [string] $Prefix) {
        # Messages with Message-Ids that are the same in every run, as a journal needs.
        foreach ($n in $Numbers) {
            New-SmtpMessage -From 'alice@example.com' -To "$Prefix$n@example.com" -Subject "$Prefix$n" -Body 'b' `
                -Header @{ 'Message-Id' = "<$Prefix$n@test.example>" }
        }
    }

    function Get-AcceptedIds($Server) {
        # The ledger's keys are (MessageId, Recipient) tuples: Item1 is the Message-Id.
        @($Server.Ledger.Accepted.Keys | ForEach-Object Item1)
    }
}

Describe 'Send-SmtpMessage delivery (one-shot)' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls
        $script:conn = Get-ConnectionSplat $server
        $script:endpoint = Get-ServerEndpoint $server
        $script:fast = @{ RetryDelaySec = 0 }
        $script:mail = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'x'; Body = 'y' }
        # Errors into $errs, not on the screen.
        $script:quiet = @{ ErrorVariable = 'errs'; ErrorAction = 'SilentlyContinue' }
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    Context 'retries' {
        It 'retries a greylisted recipient and reports the message accepted after two attempts' {
            $server.On('RCPT TO:').Reply('450 4.2.0 Greylisted, try again later').Once() | Out-Null
            $r = Send-SmtpMessage @conn @fast @mail -MaxRetry 2
            $r.Status | Should -Be 'Accepted'
            $r.Attempts | Should -Be 2
            $r.Recipients | Should -Be @('bob@example.com')
            $r.RejectedRecipients.Address | Should -BeNullOrEmpty
            @($server.Messages).Count | Should -Be 1
        }

        # A 5xx is never retried; a 4xx still there after the last try is transient (ResourceUnavailable).
        It 'tries a sender refused with <Reply> <Tries> time(s), then writes SmtpSenderRejected (<Category>)' `
            -ForEach @(
                @{ Reply = '550 5.7.1 Not allowed'; Tries = 1; Category = 'PermissionDenied' }
                @{ Reply = '451 4.3.0 Try again later'; Tries = 2; Category = 'ResourceUnavailable' }
            ) {
            $server.On('MAIL FROM:').Reply($Reply) | Out-Null
            $r = Send-SmtpMessage @conn @fast -MaxRetry 1 @mail `
                @quiet
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs SmtpSenderRejected $Category 'alice@example.com'
            @($server.Commands | Where-Object { $_ -like 'MAIL*' }).Count | Should -Be $Tries
        }

        It 'retries a message whose connection dropped before MAIL' {
            $server.On('MAIL FROM:').Disconnect().Once() | Out-Null
            $r = Send-SmtpMessage @conn @fast -MaxRetry 1 @mail
            $r.Status | Should -Be 'Accepted'
            $r.Attempts | Should -Be 2
            @($server.Messages).Count | Should -Be 1
        }

        It 'retries a message whose connection dropped after RCPT' {
            $server.On('RCPT TO:').Disconnect().Once() | Out-Null
            $r = Send-SmtpMessage @conn @fast -MaxRetry 1 @mail
            $r.Attempts | Should -Be 2
            @($server.Messages).Count | Should -Be 1
        }

        It 'reports a dropped connection as transient (ResourceUnavailable) when no retry is left' {
            $server.On('MAIL FROM:').Disconnect() | Out-Null
            $r = Send-SmtpMessage @conn @fast @mail -MaxRetry 0 `
                @quiet
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs SmtpServerDisconnected ResourceUnavailable
        }

        It 'never retries a message dropped after its end of data: SmtpDeliveryUncertain, sent once' {
            $server.OnEndOfMessage().Disconnect() | Out-Null
            $m = New-Stable 1 'dot'
            $r = $m | Send-SmtpMessage @conn @fast -MaxRetry 3 @quiet
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs SmtpDeliveryUncertain ResourceUnavailable $m
            $errs[0].Exception | Should -BeOfType ([AsyncSmtp.Client.SmtpDeliveryUncertainException])
            @($server.Commands | Where-Object { $_ -like 'MAIL*' }).Count | Should -Be 1
        }

        It 'retries a message dropped mid-body (its end of data never went out): not uncertain' {
            $options = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new()
            $options.OfferStartTls = $false
            $options.Extensions = [Collections.Generic.List[string]]::new([string[]]@('PIPELINING', '8BITMIME'))
            $plan = [AsyncSmtp.TestServer.SmtpFaultPlan]::new(1)
            $plan.DropMidBody = 1.0
            $options.Faults = $plan
            $midBody = [AsyncSmtp.TestServer.SmtpTestServer]::new($options)
            $midBody.Start()
            try {
                # Far more than socket buffers hold: the server hangs up after the headers, long before the end.
                $raw = [Text.Encoding]::ASCII.GetBytes("Message-ID: <big@test.example>`r`nSubject: big`r`n`r`n" +
                    ((('x' * 998) + "`r`n") * 24000))
                $r = Send-SmtpMessage -SmtpServer $midBody.Host -Port $midBody.Port -NoTls @fast -MaxRetry 1 `
                    -RawMessage $raw `
                    -Sender 'alice@example.com' -Recipient 'bob@example.com' @quiet
                $r | Should -BeNullOrEmpty
                Assert-SmtpError $errs SmtpServerDisconnected ResourceUnavailable
                @($midBody.Ledger.FaultsOf('big@test.example')).Count | Should -Be 2
            } finally { $midBody.Dispose() }
        }

        It 'retries the message a 421 ended mid-stream, and reports every message in input order' {
            $server.On('MAIL FROM:<second@').Reply('421 4.3.2 Service shutting down').Disconnect().Once() | Out-Null
            $messages = 'first', 'second', 'third' | ForEach-Object {
                New-SmtpMessage -From "$_@example.com" -To 'bob@example.com' -Subject $_ -Body 'b'
            }
            $results = $messages | Send-SmtpMessage @conn @fast -MaxRetry 1
            $results.Sender | Should -Be @('first@example.com', 'second@example.com', 'third@example.com')
            $results.Attempts | Should -Be @(1, 2, 1)
            @($server.Messages).Count | Should -Be 3
        }
    }

    Context 'connections and pacing' {
        It 'spreads messages over -ThrottleLimit connections with results in input order' {
            $results = New-Stable (1..12) 'par' | Send-SmtpMessage @conn -ThrottleLimit 3
            $results.Recipients | Should -Be (1..12 | ForEach-Object { "par$_@example.com" })
            $results.Status | Select-Object -Unique | Should -Be 'Accepted'
            @($server.Messages).Count | Should -Be 12
            $server.Sessions.Count | Should -BeLessOrEqual 3
        }

        It 'lowers the number of connections on "too many connections" instead of failing messages' {
            $server.OnGreeting().Reply('421 4.7.0 Too many connections from your host').Times(2) | Out-Null
            $results = New-Stable (1..8) 'busy' | Send-SmtpMessage @conn -ThrottleLimit 4 -ErrorVariable errs
            $errs | Should -BeNullOrEmpty
            $results.Recipients | Should -Be (1..8 | ForEach-Object { "busy$_@example.com" })
            $results.Attempts | Select-Object -Unique | Should -Be 1
            Get-AcceptedIds $server | Sort-Object |
                Should -Be (1..8 | ForEach-Object { "busy$_@test.example" } | Sort-Object)
        }

        It 'stops reading its input while 256 messages wait for a connection, so a long pipe is not held whole' {
            # A server slower than the input: 5 ms a message over 2 connections, 700 messages piped at once.
            $server.OnEndOfMessage().Delay(5).ThenDefault() | Out-Null
            $messages = 1..700 | ForEach-Object { New-SmtpMessage @mail -To "m$_@example.com" }
            $script:read = 0
            $script:written = 0
            $script:mostAhead = 0
            $results = & { foreach ($m in $messages) { $script:read++; $m } } |
                Send-SmtpMessage @conn -ThrottleLimit 2 |
                ForEach-Object {
                    $script:written++
                    $script:mostAhead = [Math]::Max($script:mostAhead, $script:read - $script:written)
                    $_
                }
            $results.Recipients | Should -Be (1..700 | ForEach-Object { "m$_@example.com" })
            # 256 waiting, at most one being written and one held on each connection, the one being read.
            $script:mostAhead | Should -BeLessOrEqual 262
            $script:mostAhead | Should -BeGreaterOrEqual 128
        }

        It 'paces submissions with -MaxMessagesPerMinute, every message once and in order' {
            $results = New-Stable (1..4) 'pace' | Send-SmtpMessage @conn -ThrottleLimit 2 -MaxMessagesPerMinute 1200
            $results.Recipients | Should -Be (1..4 | ForEach-Object { "pace$_@example.com" })
            @($server.Messages).Count | Should -Be 4
        }

        It 'fails to connect with a terminating error of its stage' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $e = Get-TerminatingError {
                New-Stable 1 'nowhere' | Send-SmtpMessage -SmtpServer 127.0.0.1 -Port $port -NoTls -ThrottleLimit 2
            }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError "127.0.0.1:$port"
        }

        It 'journals nothing for messages a connection failure stopped before they started (a rerun sends them)' {
            $journal = Join-Path $TestDrive 'refused.jsonl'
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $e = Get-TerminatingError {
                New-Stable (1..3) 'never' |
                    Send-SmtpMessage -SmtpServer 127.0.0.1 -Port $port -NoTls -MaxRetry 1 @fast -JournalPath $journal
            }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError "127.0.0.1:$port"
            @(Get-Content $journal -ErrorAction SilentlyContinue | ConvertFrom-Json |
                Where-Object Status -NE 'Deferred').Count | Should -Be 0
            $again = New-Stable (1..3) 'never' | Send-SmtpMessage @conn -JournalPath $journal
            $again.Status | Should -Be @('Accepted', 'Accepted', 'Accepted')
        }
    }

    Context 'delivery notifications' {
        It 'sends to a server without DSN without the notifications, warning once, as the plain form does' {
            $noDsn = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new().Extensions | Where-Object { $_ -ne 'DSN' }
            $plain = Start-TestSmtpServer -NoStartTls -Extensions $noDsn
            $plainConn = Get-ConnectionSplat $plain
            try {
                $results = New-Stable (1..3) 'dsn' | Send-SmtpMessage @plainConn -MaxRetry 1 `
                    -ThrottleLimit 2 -DeliveryNotificationOption OnFailure -WarningVariable warned `
                    -WarningAction SilentlyContinue
                $results.Status | Should -Be @('Accepted', 'Accepted', 'Accepted')
                $warned | Should -HaveCount 1
                "$warned" | Should -BeLike '*does not offer DSN*'
                @($plain.Commands | Where-Object { $_ -like 'RCPT*NOTIFY*' }).Count | Should -Be 0
            }
            finally { $plain.Dispose() }
        }
    }

    Context 'the journal' {
        BeforeEach { $script:journal = Join-Path $TestDrive "journal-$([guid]::NewGuid()).jsonl" }

        It 'records each outcome and skips on a rerun what it records as accepted' {
            $first = New-Stable (1..3) 'jr' | Send-SmtpMessage @conn -JournalPath $journal
            $first.Status | Should -Be @('Accepted', 'Accepted', 'Accepted')
            $lines = Get-Content $journal | ConvertFrom-Json
            # Lines come as outcomes are known, in any order; each message's last line is its outcome.
            ($lines | Where-Object Status -EQ 'Accepted').MessageId | Sort-Object |
                Should -Be @('jr1@test.example', 'jr2@test.example', 'jr3@test.example')

            $again = New-Stable (1..4) 'jr' | Send-SmtpMessage @conn -JournalPath $journal -Verbose 4>&1
            $results = @($again | Where-Object { $_ -is [AsyncSmtp.SmtpSendResult] })
            $results.Status | Should -Be @('Skipped', 'Skipped', 'Skipped', 'Accepted')
            $results[0].Attempts | Should -Be 0
            $again | Where-Object { $_ -is [Management.Automation.VerboseRecord] -and $_.Message -like 'Skipped*' } |
                Should -HaveCount 3
            @($server.Messages).Count | Should -Be 4
        }

        It 'never sends again a message it records as uncertain' {
            $server.OnEndOfMessage().Disconnect().Once() | Out-Null
            New-Stable 1 'unsure' | Send-SmtpMessage @conn -JournalPath $journal -ErrorAction SilentlyContinue
            (Get-Content $journal | ConvertFrom-Json | Select-Object -Last 1).Status | Should -Be 'Uncertain'
            $r = New-Stable 1 'unsure' | Send-SmtpMessage @conn -JournalPath $journal
            $r.Status | Should -Be 'Skipped'
            @($server.Commands | Where-Object { $_ -like 'MAIL*' }).Count | Should -Be 1
        }

        It 'gives a raw message without a Message-Id one that is the same on the rerun' {
            $raw = "Subject: no id`r`n`r`nbody`r`n"
            $raw = @{ RawMessage = $raw; Sender = 'alice@example.com'; Recipient = 'bob@example.com' }
            $first = Send-SmtpMessage @conn @raw -JournalPath $journal
            $first.MessageId | Should -Match '^[0-9a-f]{32}@example\.com$'
            $server.Messages[0].Text | Should -Match "(?m)^Message-ID: <$([regex]::Escape($first.MessageId))>"
            $again = Send-SmtpMessage @conn @raw -JournalPath $journal
            $again.Status | Should -Be 'Skipped'
            $again.MessageId | Should -Be $first.MessageId
        }

        It 'ends with SmtpInvalidArgument on the journal once it cannot be written, after the outcomes before' -Skip:(-not $IsLinux) {
            # The child may write files of at most 4 KiB (ulimit -f, with SIGXFSZ ignored so that a write past it
            # fails): after a few messages the journal can no longer be written, as on a full disk. Such a failure
            # is not an IOException; it once escaped and left the command waiting for an outcome forever.
            $script = Join-Path $TestDrive 'send-limited.ps1'
            Set-Content $script @'
param($Manifest, $HostName, $Port, $Journal)
Import-Module $Manifest
$messages = 1..40 | ForEach-Object {
    New-SmtpMessage -From alice@example.com -To bob@example.com -Subject "full$_" -Body b `
        -Header @{ 'Message-Id' = "<full$_@test.example>" }
}
$results = [Collections.Generic.List[object]]::new()
$stop = $null
try {
    $messages | Send-SmtpMessage -SmtpServer $HostName -Port $Port -NoTls -JournalPath $Journal |
        ForEach-Object { $results.Add($_) }
} catch { $stop = $_ }
ConvertTo-Json -Compress @{
    Results = $results.Count; ErrorId = $stop.FullyQualifiedErrorId; Target = "$($stop.TargetObject)"
    Details = $stop.ErrorDetails.Message
}
'@
            # timeout fails the child (124) if the command waits forever; the runtime's double-mapped code memory is a
            # file as well, so the child would not start under the limit with it.
            $limited = @('timeout', '60', 'bash', '-c', 'trap "" XFSZ; ulimit -f 4; exec "$@"', 'limited')
            $r = Invoke-FreshPwsh -File $script -Through $limited -Environment @{ DOTNET_EnableWriteXorExecute = '0' } `
                -Arguments @{ Manifest = $ModuleManifest; HostName = $server.Host; Port = $server.Port; Journal = $journal }
            $r.ErrorId | Should -BeLike 'SmtpInvalidArgument,*'
            $r.Target | Should -Be $journal
            $r.Details | Should -Match 'could not be written.*confirmed by the server'
            $r.Results | Should -BeGreaterThan 0
            $r.Results | Should -BeLessThan 40
            @($server.Messages).Count | Should -BeGreaterOrEqual $r.Results
        }

        It 'after a process killed mid-run, the same command sends nothing twice and forgets nothing' {
            $ids = 1..6 | ForEach-Object { "kill$_@test.example" }
            # The server holds the final reply to the fourth message: the child is killed while it waits.
            $server.OnEndOfMessage().ThenDefault().Times(3) | Out-Null
            $server.OnEndOfMessage().Delay(60000).Disconnect() | Out-Null
            $script = Join-Path $TestDrive 'send-journaled.ps1'
            Set-Content $script @'
param($Manifest, $HostName, $Port, $Journal)
Import-Module $Manifest
$messages = 1..6 | ForEach-Object {
    New-SmtpMessage -From alice@example.com -To "kill$_@example.com" -Subject "kill$_" -Body b `
        -Header @{ 'Message-Id' = "<kill$_@test.example>" }
}
$results = $messages | Send-SmtpMessage -SmtpServer $HostName -Port $Port -NoTls -JournalPath $Journal `
    -MaxRetry 1 -RetryDelaySec 0 -ErrorAction SilentlyContinue
ConvertTo-Json -Compress @(@($results) | ForEach-Object { @{ Id = $_.MessageId; Status = "$($_.Status)" } })
'@
            $exe = [Environment]::ProcessPath
            $arguments = @(if ((Split-Path $exe -LeafBase) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
            $arguments += '-NoProfile', '-NonInteractive', '-File', $script, '-Manifest', $ModuleManifest,
                '-HostName', $server.Host, '-Port', $server.Port, '-Journal', $journal
            $child = Start-Process -FilePath $exe -ArgumentList $arguments -PassThru `
                -RedirectStandardOutput (Join-Path $TestDrive 'out1.txt')
            try {
                $fourthUncertain = {
                    (Test-Path $journal) -and (Get-Content $journal | Select-String 'kill4@test.example')
                }
                Wait-Until $fourthUncertain -TimeoutMs 60000 | Should -BeTrue
            } finally { $child.Kill($true); $child.WaitForExit() }
            $server.Script.Clear()

            $same = @{ Manifest = $ModuleManifest; HostName = $server.Host; Port = $server.Port; Journal = $journal }
            $rerun = Invoke-FreshPwsh -File $script -Arguments $same
            # Nothing accepted twice ...
            $server.Ledger.Accepted.Values | Where-Object { $_ -gt 1 } | Should -BeNullOrEmpty
            # ... and nothing unsent forgotten: each message is accepted, or was possibly accepted (and skipped).
            $accepted = Get-AcceptedIds $server
            $skipped = @($rerun | Where-Object Status -EQ 'Skipped').Id
            $skipped | Should -Contain 'kill4@test.example'
            ($accepted + $skipped | Sort-Object -Unique) | Should -Be ($ids | Sort-Object)
            @($rerun).Count | Should -Be 6
        }
    }

    Context 'input' {
        It 'refuses <Name> with SmtpInvalidArgument before connecting' -ForEach @(
            @{ Name = '-MaxRetry -1'; Splat = @{ MaxRetry = -1 } }
            @{ Name = '-RetryDelaySec 301'; Splat = @{ RetryDelaySec = 301 } }
            @{ Name = '-ThrottleLimit 0'; Splat = @{ ThrottleLimit = 0 } }
            @{ Name = '-MaxMessagesPerMinute 0'; Splat = @{ MaxMessagesPerMinute = 0 } }
            @{ Name = '-JournalPath <a directory>'; Splat = @{ JournalPath = [IO.Path]::GetTempPath() } }
        ) {
            $e = Get-TerminatingError { Send-SmtpMessage @conn @Splat @mail }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument
            $server.Sessions | Should -BeNullOrEmpty
        }

        It 'refuses a -JournalPath that cannot be opened with a terminating SmtpInvalidArgument, sending nothing' {
            $journal = Join-Path $TestDrive 'no-such-folder/journal.jsonl'
            $e = Get-TerminatingError { Send-SmtpMessage @conn @mail -JournalPath $journal }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument $journal
            $server.Sessions | Should -BeNullOrEmpty
        }

        It 'still honours -WhatIf: nothing is sent, no connection is made' {
            $r = New-Stable (1..3) 'whatif' | Send-SmtpMessage @conn -ThrottleLimit 2 -MaxRetry 1 -WhatIf
            $r | Should -BeNullOrEmpty
            $server.Sessions | Should -BeNullOrEmpty
        }

        It 'writes the error of a message that cannot be sent in its place' {
            $none = New-SmtpMessage -From 'alice@example.com' -Subject 'none' -Body 'b'
            $out = @((New-Stable 1 'place'), $none, (New-Stable 3 'place')) |
                Send-SmtpMessage @conn -ThrottleLimit 2 -ErrorAction Continue 2>&1
            $kinds = @($out | ForEach-Object {
                    if ($_ -is [Management.Automation.ErrorRecord]) { 'error' } else { $_.Recipients[0] }
                })
            $kinds | Should -Be @('place1@example.com', 'error', 'place3@example.com')
        }
    }

    Context 'progress' {
        It 'shows sent, failed and retrying counts over the whole run, with a percentage when the count is known' {
            $server.On('MAIL FROM:<refused@').Reply('550 5.7.1 No') | Out-Null
            $refused = New-SmtpMessage -From 'refused@example.com' -To 'bob@example.com' -Subject 'r' -Body 'b'
            $messages = @(New-Stable (1..5) 'prog') + $refused
            $run = Invoke-InOtherRunspace @'
param($messages, $h, $p)
$ProgressPreference = 'Continue'
Send-SmtpMessage -Message $messages -SmtpServer $h -Port $p -NoTls -ThrottleLimit 2 -ErrorAction SilentlyContinue
'@ -Arguments $messages, $server.Host, $server.Port
            $results = $run.Output
            $progress = $run.Progress
            @($results).Count | Should -Be 5
            $progress.Count | Should -BeGreaterThan 1
            $progress[0].StatusDescription | Should -Match '^\d+ sent, \d+ failed, \d+ retrying of 6$'
            $progress[-1].RecordType | Should -Be 'Completed'
            $progress[-1].StatusDescription | Should -Be '5 sent, 1 failed, 0 retrying of 6'
        }
    }
}

Describe 'Send-SmtpMessage delivery over a session' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls -Users @{ alice = 'S3cret-pa55' }
        $script:conn = Get-ConnectionSplat $server
        $script:login = @{ Credential = (New-TestCredential); AllowUnencryptedAuthentication = $true }
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'reconnects the session with its original parameters after a dropped connection, and leaves it open' {
        $s = Connect-Smtp @conn @login
        $server.On('MAIL FROM:<second@').Disconnect().Once() | Out-Null
        $messages = 'first', 'second', 'third' | ForEach-Object {
            New-SmtpMessage -From "$_@example.com" -To 'bob@example.com' -Subject $_ -Body 'b'
        }
        $results = $messages | Send-SmtpMessage -Session $s -MaxRetry 1 -RetryDelaySec 0
        $results.Sender | Should -Be @('first@example.com', 'second@example.com', 'third@example.com')
        $results.Attempts | Should -Be @(1, 2, 1)
        $s.Reconnects | Should -Be 1
        $s.IsConnected | Should -BeTrue
        $s.IsAuthenticated | Should -BeTrue
        $server.Messages.AuthenticatedUser | Should -Be @('alice', 'alice', 'alice')
        $server.Sessions.Count | Should -Be 2
        $after = Send-SmtpMessage -Session $s -From 'alice@example.com' -To 'bob@example.com' -Subject 'after' -Body 'b'
        $after.Status | Should -Be 'Accepted'
        $s | Disconnect-Smtp
    }

    It 'writes the outcome of a message already handed to the server before a failed reconnect ends the run' {
        $s = Connect-Smtp @conn @login
        $server.On('MAIL FROM:<second@').Disconnect().Once() | Out-Null
        # The reconnect for the second message's retry is turned away.
        $server.OnGreeting().Reply('554 5.3.2 Go away').Disconnect() | Out-Null
        $messages = 'first', 'second' | ForEach-Object {
            New-SmtpMessage -From "$_@example.com" -To 'bob@example.com' -Subject $_ -Body 'b'
        }
        $out = [System.Collections.Generic.List[object]]::new()
        $e = Get-TerminatingError {
            $messages | Send-SmtpMessage -Session $s -MaxRetry 1 -RetryDelaySec 0 -ErrorAction Continue 2>&1 |
                ForEach-Object { $out.Add($_) }
        }
        $e.FullyQualifiedErrorId | Should -BeLike 'SmtpConnectFailed,*'
        $e.ErrorDetails.Message | Should -BeLike '*1 message(s) of this run were confirmed by the server.'
        # The second message was handed to the server once: it has its own error, in order, before the terminating one.
        $out.Count | Should -Be 2 -Because "the outputs were: $($out -join ' | ')"
        $out[0].Sender | Should -Be 'first@example.com'
        $out[1] | Should -BeOfType [System.Management.Automation.ErrorRecord]
        "$($out[1].TargetObject)" | Should -BeLike '*second*'
        @($server.Messages).Count | Should -Be 1
    }

    It 'makes one login attempt for a wrong password, however many messages wait' {
        $wrong = [pscredential]::new('alice', (ConvertTo-SecureString 'wrong' -AsPlainText -Force))
        $e = Get-TerminatingError {
            New-Stable (1..3) 'pw' | Send-SmtpMessage @conn -Credential $wrong -AllowUnencryptedAuthentication `
                -MaxRetry 2 -RetryDelaySec 0
        }
        $e.FullyQualifiedErrorId | Should -Not -BeNullOrEmpty
        @($server.Commands | Where-Object { $_ -like 'AUTH*' }).Count | Should -Be 1
    }

    It 'does not reconnect without -MaxRetry: a lost session stays closed' {
        $s = Connect-Smtp @conn
        $server.On('MAIL FROM:').Disconnect().Once() | Out-Null
        $e = Get-TerminatingError { Send-SmtpMessage -Session $s @mail }
        Assert-SmtpError $e SmtpServerDisconnected ConnectionError
        $s.Reconnects | Should -Be 0
        $s.IsConnected | Should -BeFalse
    }

    It 'keeps a journal over a session: a rerun skips what was accepted, and the session stays open' {
        $journal = Join-Path $TestDrive 'session.jsonl'
        $s = Connect-Smtp @conn
        $first = New-Stable (1..2) 'sj' | Send-SmtpMessage -Session $s -JournalPath $journal
        $first.Status | Should -Be @('Accepted', 'Accepted')
        $again = New-Stable (1..3) 'sj' | Send-SmtpMessage -Session $s -JournalPath $journal
        $again.Status | Should -Be @('Skipped', 'Skipped', 'Accepted')
        @($server.Messages).Count | Should -Be 3
        $s.IsConnected | Should -BeTrue
        $s | Disconnect-Smtp
    }
}
