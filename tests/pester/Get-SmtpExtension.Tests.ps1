BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.GetSmtpExtensionCommand'
}

Describe 'Get-SmtpExtension' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls -Extensions 'PIPELINING', 'SIZE 2048000', '8BITMIME', 'auth=LOGIN', 'AUTH PLAIN', 'X-VENDOR-THING alpha beta'
        $script:conn = Get-ConnectionSplat $server
        $script:endpoint = Get-ServerEndpoint $server
        $script:session = Connect-Smtp @conn
    }
    AfterAll { $session | Disconnect-Smtp; $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'returns one SmtpExtension per EHLO keyword of a piped session, without talking to the server' {
        $ext = $session | Get-SmtpExtension
        $ext | ForEach-Object { $_ | Should -BeOfType ([AsyncSmtp.SmtpExtension]) }
        $ext.Name | Should -Be @('PIPELINING', 'SIZE', '8BITMIME', 'AUTH', 'X-VENDOR-THING')
        $server.Commands | Should -BeNullOrEmpty
    }

    It 'runs straight off Connect-Smtp in one pipeline' {
        (Connect-Smtp @conn | Get-SmtpExtension -Name SIZE).Parameters | Should -Be @('2048000')
    }

    It 'keeps parameters, the raw line and unknown keywords' {
        $vendor = Get-SmtpExtension -Session $session -Name 'X-VENDOR-THING'
        $vendor.Parameters | Should -Be @('alpha', 'beta')
        $vendor.Line | Should -Be 'X-VENDOR-THING alpha beta'
        (Get-SmtpExtension $session SIZE).Parameters | Should -Be @('2048000')
    }

    It 'merges both AUTH forms into upper-case mechanisms' {
        (Get-SmtpExtension $session AUTH).Parameters | Should -Be @('LOGIN', 'PLAIN')
    }

    It 'matches -Name with wildcards, case-insensitively' {
        (Get-SmtpExtension $session -Name 'p*', '8bit*').Name | Should -Be @('PIPELINING', '8BITMIME')
        Get-SmtpExtension $session -Name 'NOPE*' | Should -BeNullOrEmpty
    }

    It 'checks a server in one shot: connect, EHLO, QUIT' {
        $ext = Get-SmtpExtension @conn -Name SIZE
        $ext.Parameters | Should -Be @('2048000')
        $server.Sessions.Count | Should -Be 1
        $server.Sessions[0].Commands[-1] | Should -Be 'QUIT'
    }

    It 'takes the server positionally in one-shot form' {
        (Get-SmtpExtension $server.Host -Port $server.Port -NoTls -Name PIPELINING).Name | Should -Be 'PIPELINING'
    }

    It 'fails a one-shot connection with a terminating SmtpConnectFailed' {
        $server.OnGreeting().Reply('421 4.3.2 Service not available') | Out-Null
        $e = Get-TerminatingError { Get-SmtpExtension @conn }
        Assert-SmtpError $e SmtpConnectFailed ResourceUnavailable $endpoint
    }

    It 'refuses a closed session with a terminating SmtpSessionClosed' {
        $s = Connect-Smtp @conn
        $s | Disconnect-Smtp
        $e = Get-TerminatingError { $s | Get-SmtpExtension }
        Assert-SmtpError $e SmtpSessionClosed InvalidOperation $endpoint
    }

    It 'connects to each server piped in by property name (Import-Csv servers.csv | Get-SmtpExtension)' {
        $other = Start-TestSmtpServer -NoStartTls -Extensions 'PIPELINING', 'X-OTHER-SERVER'
        try {
            $csv = Join-Path ([IO.Path]::GetTempPath()) "servers-$([guid]::NewGuid()).csv"
            "SmtpServer,Port`n$($server.Host),$($server.Port)`n$($other.Host),$($other.Port)" | Set-Content $csv
            $extensions = Import-Csv $csv | Get-SmtpExtension -NoTls -TimeoutSec 10
            Remove-Item $csv
            $extensions.Name | Should -Contain 'X-VENDOR-THING'
            $extensions.Name | Should -Contain 'X-OTHER-SERVER'
            $extensions[-1].Name | Should -Be 'X-OTHER-SERVER'
        } finally { $other.Dispose() }
    }
}
