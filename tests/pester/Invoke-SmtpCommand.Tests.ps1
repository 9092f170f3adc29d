BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.InvokeSmtpCommandCommand'
}

Describe 'Invoke-SmtpCommand' {
    BeforeAll {
        $script:server = Start-TestSmtpServer
        $script:conn = Get-ConnectionSplat $server
        $script:endpoint = Get-ServerEndpoint $server
        $script:session = Connect-Smtp @conn
    }
    AfterAll { $session | Disconnect-Smtp; $server.Dispose() }
    BeforeEach {
        $server.Script.Clear(); $server.Clear()
        if (-not $session.IsConnected) { $script:session = Connect-Smtp @conn }
    }

    It 'sends one command and returns the reply as an SmtpResponse' {
        $r = Invoke-SmtpCommand -Session $session -Command 'NOOP'
        $r | Should -BeOfType ([AsyncSmtp.SmtpResponse])
        $r.Code | Should -Be 250
        $r.IsSuccess | Should -BeTrue
        $r.EnhancedStatusCode | Should -Be '2.0.0'
        $server.Commands | Should -Be @('NOOP')
    }

    It 'lets no probe into the next message: after MAIL or RCPT the next send starts with RSET' {
        Invoke-SmtpCommand $session 'MAIL FROM:<probe@example.com>' | Out-Null
        Invoke-SmtpCommand $session 'RCPT TO:<probe@example.org>' | Out-Null
        $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'after a probe' -Body 'x'
        $r.Sender | Should -Be 'alice@example.com'
        $m = $server.WaitForMessage(5000)
        $m.Sender | Should -Be 'alice@example.com'
        $m.Recipients | Should -Be @('bob@example.com')
        $server.Commands | Should -Contain 'RSET'
    }

    It 'takes the extensions of a HELO or EHLO sent through it: after HELO, no PIPELINING and no BDAT' {
        Invoke-SmtpCommand $session 'HELO client.example' | Out-Null
        $session.Extensions | Should -BeNullOrEmpty
        Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'after HELO' -Body 'x' | Out-Null
        $server.WaitForMessage(5000).ViaBdat | Should -BeFalse
        $server.Commands | Should -Contain 'DATA'
        Invoke-SmtpCommand $session 'EHLO client.example' | Out-Null
        $session.Extensions.Name | Should -Contain 'PIPELINING'
    }

    It 'takes positional session and command' {
        (Invoke-SmtpCommand $session 'RSET').Code | Should -Be 250
        $server.Commands | Should -Be @('RSET')
    }

    It 'takes the session from the pipeline with the command positional' {
        $server.On('VRFY postmaster').Reply('250 2.1.5 Postmaster <postmaster@example.com>') | Out-Null
        $r = $session | Invoke-SmtpCommand 'VRFY postmaster'
        $r.Code | Should -Be 250
        $r.Message | Should -Match 'postmaster@example.com'
        $server.Commands | Should -Be @('VRFY postmaster')
    }

    It 'runs straight off Connect-Smtp in one pipeline' {
        $r = Connect-Smtp @conn | Invoke-SmtpCommand 'VRFY postmaster'
        $r.Code | Should -BeGreaterOrEqual 200
        $server.Commands | Should -Contain 'VRFY postmaster'
    }

    It 'returns a 5xx reply as data, not as an error' {
        $server.On('VRFY nobody').Reply('550 5.1.1 No such user here') | Out-Null
        $r = Invoke-SmtpCommand $session 'VRFY nobody' -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $r.Code | Should -Be 550
        $r.EnhancedStatusCode | Should -Be '5.1.1'
        $r.IsSuccess | Should -BeFalse
        $session.IsConnected | Should -BeTrue
    }

    It 'returns every line of a multi-line reply' {
        $server.On('HELP').ReplyMultiline(214, 'Commands:', 'EHLO HELO MAIL RCPT DATA', 'End of HELP') | Out-Null
        $r = Invoke-SmtpCommand $session 'HELP'
        $r.Code | Should -Be 214
        $r.Lines | Should -Be @('Commands:', 'EHLO HELO MAIL RCPT DATA', 'End of HELP')
        $r.Message | Should -Be "Commands:`nEHLO HELO MAIL RCPT DATA`nEnd of HELP"
    }

    It 'refuses <Command> with SmtpCommandNotAllowed naming <Use>' -ForEach @(
        @{ Command = 'DATA'; Use = 'Send-SmtpMessage' }
        @{ Command = 'BDAT 10 LAST'; Use = 'Send-SmtpMessage' }
        @{ Command = 'STARTTLS'; Use = 'Connect-Smtp' }
        @{ Command = 'AUTH PLAIN AGFsaWNlAHNlY3JldA=='; Use = 'Connect-Smtp' }
        @{ Command = 'QUIT'; Use = 'Disconnect-Smtp' }
        @{ Command = '  quit'; Use = 'Disconnect-Smtp' }
    ) {
        $r = Invoke-SmtpCommand $session $Command -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-SmtpError $errs[0] SmtpCommandNotAllowed InvalidOperation $Command
        $errs[0].Exception.Message | Should -Match ([regex]::Escape($Use))
        $server.Commands | Should -BeNullOrEmpty
        $session.IsConnected | Should -BeTrue
    }

    It 'refuses a control character with SmtpInvalidArgument before writing anything' {
        $r = Invoke-SmtpCommand $session "NOOP`r`nRSET" -ErrorVariable errs -ErrorAction SilentlyContinue
        $r | Should -BeNullOrEmpty
        Assert-SmtpError $errs[0] SmtpInvalidArgument InvalidArgument "NOOP`r`nRSET"
        $server.Commands | Should -BeNullOrEmpty
        $session.IsConnected | Should -BeTrue
    }

    It 'ends with SmtpServerDisconnected when the server hangs up, and the session is closed' {
        $server.On('NOOP').Disconnect() | Out-Null
        $e = Get-TerminatingError { Invoke-SmtpCommand $session 'NOOP' }
        Assert-SmtpError $e SmtpServerDisconnected ConnectionError $endpoint
        $session.IsConnected | Should -BeFalse
    }

    It 'ends with SmtpReadTimeout when no reply comes in time' {
        $c = $conn.Clone(); $c.TimeoutSec = 1
        $s = Connect-Smtp @c
        $server.On('NOOP').Delay(4000) | Out-Null
        $e = Get-TerminatingError { Invoke-SmtpCommand $s 'NOOP' }
        Assert-SmtpError $e SmtpReadTimeout OperationTimeout $endpoint
        $s.IsConnected | Should -BeFalse
    }

    It 'ends with SmtpProtocolError on a malformed reply' {
        $server.On('NOOP').SendRaw("garbage without a code`r`n") | Out-Null
        $e = Get-TerminatingError { Invoke-SmtpCommand $session 'NOOP' }
        Assert-SmtpError $e SmtpProtocolError ProtocolError $endpoint
        $session.IsConnected | Should -BeFalse
    }

    It 'refuses a closed session with a terminating SmtpSessionClosed' {
        $s = Connect-Smtp @conn
        $s | Disconnect-Smtp
        $e = Get-TerminatingError { Invoke-SmtpCommand $s 'NOOP' }
        Assert-SmtpError $e SmtpSessionClosed InvalidOperation $endpoint
    }

    It 'returns within a second of Stop while waiting for a reply, and closes the session' {
        $s = Connect-Smtp @conn
        $server.On('NOOP').Delay(20000) | Out-Null
        $run = Start-InOtherRunspace 'param($s) Invoke-SmtpCommand $s NOOP' $s
        Wait-Until { $server.Commands -contains 'NOOP' } | Should -BeTrue
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $run.PowerShell.Stop()
        $clock.ElapsedMilliseconds | Should -BeLessThan 1500
        $s.IsConnected | Should -BeFalse
        $run.PowerShell.Dispose()
    }
}
