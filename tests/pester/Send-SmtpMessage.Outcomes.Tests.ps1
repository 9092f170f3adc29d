# Every message of a session pipeline gets its outcome, in message order, and nothing the server
# accepted goes unreported: a session closed between messages (here or in another runspace), a stopped
# pipeline sharing its session, -ErrorAction Stop, a message that fails before it is sent, and a
# recipient deferred in a message whose data is then refused (issue 9, points 3 to 7).
BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CmdletClass = 'AsyncSmtp.Commands.SendSmtpMessageCommand'

    function New-Numbered([int[]] $Numbers, [string] $Prefix) {
        foreach ($n in $Numbers) {
            New-SmtpMessage -From 'alice@example.com' -To "$Prefix$n@example.com" -Subject "$Prefix$n" -Body 'b'
        }
    }

    function Get-Subjects($Server) {
        @($Server.Messages | ForEach-Object { if ($_.Text -match '(?m)^Subject: (\S+)\r?$') { $Matches[1] } })
    }
}

Describe 'Send-SmtpMessage outcomes over a session' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls
        $script:conn = Get-ConnectionSplat $server
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'reports a message the server accepted when the session is closed before the next one (point 3)' {
        $s = Connect-Smtp @conn
        $results = [Collections.Generic.List[object]]::new()
        $e = $null
        try {
            1..2 | ForEach-Object {
                if ($_ -eq 2) { $s | Disconnect-Smtp }
                New-Numbered $_ 'close'
            } | Send-SmtpMessage -Session $s | ForEach-Object { $results.Add($_) }
        } catch { $e = $_ }
        Get-Subjects $server | Should -Be @('close1')
        $results.Count | Should -Be 1
        $results[0].Recipients | Should -Be @('close1@example.com')
        Assert-SmtpError $e SmtpSessionClosed InvalidOperation
    }

    It 'reports every accepted message when another runspace closes the session between messages (point 3)' {
        $s = Connect-Smtp @conn
        $gate = [Threading.ManualResetEventSlim]::new($false)
        $closed = [Threading.ManualResetEventSlim]::new($false)
        $closer = 'param($s, $gate, $closed) $null = $gate.Wait(10000); $s | Disconnect-Smtp; $closed.Set()'
        $other = Start-InOtherRunspace $closer $s, $gate, $closed
        $results = [Collections.Generic.List[object]]::new()
        $e = $null
        try {
            1..3 | ForEach-Object {
                # The other runspace's turn comes between two messages (at once, or once this pipeline lets it).
                if ($_ -eq 2) { $gate.Set(); $null = $closed.Wait(1000) }
                New-Numbered $_ 'away'
            } | Send-SmtpMessage -Session $s | ForEach-Object { $results.Add($_) }
        } catch { $e = $_ }
        $null = $other.PowerShell.EndInvoke($other.Handle)
        $other.PowerShell.Dispose()
        $accepted = Get-Subjects $server
        @($accepted).Count | Should -BeGreaterThan 0
        @($results.Recipients) | Should -Be @($accepted | ForEach-Object { "$_@example.com" })
        Assert-SmtpError $e SmtpSessionClosed InvalidOperation
    }

    It 'never lets another runspace deliver a message a stopped pipeline held (Select-Object -First, point 4)' {
        $s = Connect-Smtp @conn
        $go = [Threading.ManualResetEventSlim]::new($false)
        $done = [Threading.ManualResetEventSlim]::new($false)
        # The other runspace uses the session while the second result is on its way to Select-Object, when the
        # third message's end of data is held: it must not send it for the pipeline that is about to stop.
        $other = Start-InOtherRunspace @'
param($s, $go, $done)
$null = $go.Wait(10000)
try { $null = $s | Invoke-SmtpCommand -Command NOOP -ErrorAction Stop } catch { }
$done.Set()
'@ $s, $go, $done
        try {
            $results = New-Numbered (1..6) 'first' | Send-SmtpMessage -Session $s | ForEach-Object {
                if ($_.Recipients[0] -eq 'first2@example.com') { $go.Set(); $null = $done.Wait(2000) }
                $_
            } | Select-Object -First 2
        } finally {
            $null = $other.PowerShell.EndInvoke($other.Handle)
            $other.PowerShell.Dispose()
        }
        @($results).Count | Should -Be 2
        Start-Sleep -Milliseconds 300   # a wrongly released end of data would arrive by now
        Get-Subjects $server | Should -Be @('first1', 'first2')
    }

    It 'delivers and reports the message before one that fails before sending, with -ErrorAction Stop (point 5)' {
        $s = Connect-Smtp @conn
        $noRecipients = New-SmtpMessage -From 'alice@example.com' -Subject 'none' -Body 'b'
        $e = $null
        $results = [Collections.Generic.List[object]]::new()
        try {
            @((New-Numbered 1 'stop'), $noRecipients) | Send-SmtpMessage -Session $s -ErrorAction Stop |
                ForEach-Object { $results.Add($_) }
        } catch { $e = $_ }
        $results.Count | Should -Be 1
        $results[0].Recipients | Should -Be @('stop1@example.com')
        Get-Subjects $server | Should -Be @('stop1')
        $e.FullyQualifiedErrorId | Should -Be "SmtpInvalidArgument,$CmdletClass"
        $s | Disconnect-Smtp
    }

    It 'writes outcomes in message order when a message fails before it is sent (point 6)' {
        $s = Connect-Smtp @conn
        $noRecipients = New-SmtpMessage -From 'alice@example.com' -Subject 'none' -Body 'b'
        $out = @((New-Numbered 1 'order'), $noRecipients, (New-Numbered 3 'order')) |
            Send-SmtpMessage -Session $s -ErrorAction Continue 2>&1
        $kinds = @($out | ForEach-Object {
                if ($_ -is [Management.Automation.ErrorRecord]) { 'error' } else { $_.Recipients[0] }
            })
        $kinds | Should -Be @('order1@example.com', 'error', 'order3@example.com')
        $s | Disconnect-Smtp
    }

    It 'reports a deferred recipient (450) alongside a refused DATA (451) (point 7)' {
        $s = Connect-Smtp @conn
        $server.On('RCPT TO:<busy@').Reply('450 4.2.1 Mailbox busy') | Out-Null
        $server.OnEndOfMessage().Reply('451 4.3.0 Local error, try later').Once() | Out-Null
        $r = Send-SmtpMessage -Session $s -From 'alice@example.com' -To 'ok@example.com', 'busy@example.com' `
            -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        $errs.Count | Should -Be 2
        Assert-SmtpError $errs[0] SmtpRecipientRejected ResourceUnavailable 'busy@example.com'
        $errs[0].Exception.Code | Should -Be 450
        Assert-SmtpError $errs[1] SmtpMessageRejected ResourceUnavailable
        $errs[1].Exception.Code | Should -Be 451
        $s | Disconnect-Smtp
    }
}
