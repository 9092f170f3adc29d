BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.ConnectSmtpCommand'
}

Describe 'Connect-Smtp' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -Users @{ alice = 'S3cret-pa55'; 'bob@example.com' = 'bearer-token-123' }
        $script:conn = Get-ConnectionSplat $server
        $script:endpoint = Get-ServerEndpoint $server
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    Context 'a plaintext session' {
        BeforeAll { $script:session = Connect-Smtp @conn }
        AfterAll { $session | Disconnect-Smtp }

        It 'returns a connected SmtpSession describing the server' {
            $session | Should -BeOfType ([AsyncSmtp.SmtpSession])
            $session.IsConnected | Should -BeTrue
            $session.IsEncrypted | Should -BeFalse
            $session.IsAuthenticated | Should -BeFalse
            $session.SmtpServer | Should -Be $server.Host
            $session.Port | Should -Be $server.Port
            $session.Greeting | Should -Be 'localhost AsyncSmtp test server ESMTP'
            $session.MaxMessageSize | Should -Be 10485760
            $session.RemoteEndPoint.Port | Should -Be $server.Port
            $session.LocalEndPoint | Should -Not -BeNullOrEmpty
        }

        It 'lists the EHLO keywords as SmtpExtension objects' {
            $session.Extensions.Name | Should -Contain 'PIPELINING'
            ($session.Extensions | Where-Object Name -EQ 'SIZE').Parameters | Should -Be @('10485760')
            $session.Extensions[0] | Should -BeOfType ([AsyncSmtp.SmtpExtension])
        }
    }

    It 'upgrades with STARTTLS when offered (opportunistic) and shows what was negotiated' {
        $s = Connect-Smtp -SmtpServer $server.Host -Port $server.Port -SkipCertificateCheck -TimeoutSec 10
        try {
            $s.IsEncrypted | Should -BeTrue
            $s.TlsProtocol | Should -Not -BeNullOrEmpty
            $s.CipherSuite | Should -Match '^TLS_' -Because 'PowerShell 7 loads the net8.0 build, which knows IANA names'
            $s.RemoteCertificate.Thumbprint | Should -Be $server.Certificate.Thumbprint
            $server.Commands | Should -Contain 'STARTTLS'
        } finally { $s | Disconnect-Smtp }
    }

    It 'never upgrades with -NoTls' {
        $s = Connect-Smtp @conn
        $s.IsEncrypted | Should -BeFalse
        $server.Commands | Should -Not -Contain 'STARTTLS'
        $s | Disconnect-Smtp
    }

    It 'sends the -LocalHostName in EHLO' {
        $s = Connect-Smtp @conn -LocalHostName 'client.example.org'
        $server.Commands | Should -Contain 'EHLO client.example.org'
        $s | Disconnect-Smtp
    }

    It 'uses $PSEmailServer when -SmtpServer is not given' {
        $PSEmailServer = $server.Host
        try {
            $s = Connect-Smtp -Port $server.Port -NoTls -TimeoutSec 10
            $s.SmtpServer | Should -Be $server.Host
            $s.IsConnected | Should -BeTrue
            $s | Disconnect-Smtp
        } finally { Remove-Variable PSEmailServer }
    }

    It 'binds the local end to -SourceAddress' {
        $s = Connect-Smtp @conn -SourceAddress ([System.Net.IPAddress]::Loopback)
        $s.LocalEndPoint.Address | Should -Be ([System.Net.IPAddress]::Loopback)
        $s | Disconnect-Smtp
    }

    It 'connects over a Unix domain socket with -UnixSocket' {
        # A relay from a Unix socket to the test server's TCP port stands in for a local MTA's socket.
        $path = Join-Path ([IO.Path]::GetTempPath()) "asyncsmtp-$([guid]::NewGuid().ToString('n').Substring(0, 8)).sock"
        $listener = [System.Net.Sockets.Socket]::new([System.Net.Sockets.AddressFamily]::Unix, [System.Net.Sockets.SocketType]::Stream, [System.Net.Sockets.ProtocolType]::Unspecified)
        $listener.Bind([System.Net.Sockets.UnixDomainSocketEndPoint]::new($path))
        $listener.Listen(1)
        $accept = $listener.AcceptAsync()
        try {
            $run = Start-InOtherRunspace 'param($p) Connect-Smtp -UnixSocket $p -NoTls -TimeoutSec 10' $path
            $accepted = $accept.GetAwaiter().GetResult()
            $tcp = [System.Net.Sockets.TcpClient]::new($server.Host, $server.Port)
            $unixStream = [System.Net.Sockets.NetworkStream]::new($accepted, $true)
            $null = $unixStream.CopyToAsync($tcp.GetStream()), $tcp.GetStream().CopyToAsync($unixStream)
            $s = $run.PowerShell.EndInvoke($run.Handle)[0]
            $run.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $s.IsConnected | Should -BeTrue
            $s.SmtpServer | Should -Be $path
            $s.Port | Should -Be 0
            $s.Greeting | Should -Match 'test server'
            $s | Disconnect-Smtp
            $run.PowerShell.Dispose(); $tcp.Dispose()
        } finally { $listener.Dispose(); Remove-Item $path -ErrorAction Ignore }
    }

    Context 'logging in' {
        It 'logs in over STARTTLS with -Credential' {
            $s = Connect-Smtp -SmtpServer $server.Host -Port $server.Port -StartTls -SkipCertificateCheck -Credential (New-TestCredential) -TimeoutSec 10
            $s.IsAuthenticated | Should -BeTrue
            $s.UserName | Should -Be 'alice'
            $server.Sessions[-1].AuthenticatedUser | Should -Be 'alice'
            $s | Disconnect-Smtp
        }

        It 'logs in with the whole user name, "user@domain" included' {
            $other = Start-TestSmtpServer -Users @{ 'carol@example.com' = 'pw-carol' }
            try {
                $c = Get-ConnectionSplat $other
                $s = Connect-Smtp @c -Credential (New-TestCredential 'carol@example.com' 'pw-carol') -AllowUnencryptedAuthentication
                $s.UserName | Should -Be 'carol@example.com'
                $other.Sessions[0].AuthenticatedUser | Should -Be 'carol@example.com'
                $s | Disconnect-Smtp
            } finally { $other.Dispose() }
        }

        It 'uses the mechanism -AuthenticationMethod names' {
            $s = Connect-Smtp @conn -Credential (New-TestCredential) -AllowUnencryptedAuthentication -AuthenticationMethod Login
            $s.IsAuthenticated | Should -BeTrue
            $server.Commands | Where-Object { $_ -like 'AUTH *' } | Should -Match '^AUTH LOGIN'
            $s | Disconnect-Smtp
        }

        It 'logs in with XOAUTH2 from -OAuthToken and -UserName' {
            $token = ConvertTo-SecureString 'bearer-token-123' -AsPlainText -Force
            $s = Connect-Smtp -SmtpServer $server.Host -Port $server.Port -SkipCertificateCheck -UserName 'bob@example.com' -OAuthToken $token -TimeoutSec 10
            $s.IsAuthenticated | Should -BeTrue
            $server.Commands | Where-Object { $_ -like 'AUTH *' } | Should -Match '^AUTH XOAUTH2'
            $s | Disconnect-Smtp
        }

        It 'needs a user name for -OAuthToken: a usage error otherwise' {
            $token = ConvertTo-SecureString 'bearer-token-123' -AsPlainText -Force
            $e = Get-TerminatingError { Connect-Smtp @conn -OAuthToken $token }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'OAuthToken'
            $server.Sessions.Count | Should -Be 0
        }

        It 'never shows the OAuth token in verbose output' {
            $token = ConvertTo-SecureString 'bearer-token-123' -AsPlainText -Force
            $all = Connect-Smtp -SmtpServer $server.Host -Port $server.Port -SkipCertificateCheck -UserName 'bob@example.com' -OAuthToken $token -TimeoutSec 10 -Verbose 4>&1
            $all | Where-Object { $_ -is [AsyncSmtp.SmtpSession] } | Disconnect-Smtp
            $text = ($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
            $text | Should -Match 'C: AUTH XOAUTH2'
            $text | Should -Not -Match 'bearer-token-123'
            $text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::ASCII.GetBytes("user=bob@example.com`u{1}auth=Bearer bearer-token-123`u{1}`u{1}"))))
        }

        It 'refuses to send credentials over plaintext: SmtpUnencryptedAuthenticationRefused' {
            $e = Get-TerminatingError { Connect-Smtp @conn -Credential (New-TestCredential) }
            Assert-SmtpError $e SmtpUnencryptedAuthenticationRefused SecurityError $endpoint
            $server.Commands | Where-Object { $_ -like 'AUTH*' } | Should -BeNullOrEmpty
        }

        It 'reports a refused login as SmtpAuthenticationFailed' {
            $e = Get-TerminatingError { Connect-Smtp @conn -Credential (New-TestCredential -Password 'wrong') -AllowUnencryptedAuthentication }
            Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
            $e.Exception.Code | Should -Be 535
            $e.ErrorDetails.Message | Should -Match '535'
            $e.Exception.Message | Should -Not -Match 'wrong'
        }

        It 'reports a server without AUTH as SmtpAuthenticationNotSupported' {
            $plain = Start-TestSmtpServer -Extensions 'PIPELINING', '8BITMIME' -NoStartTls
            try {
                $c = Get-ConnectionSplat $plain
                $e = Get-TerminatingError { Connect-Smtp @c -Credential (New-TestCredential) -AllowUnencryptedAuthentication }
                Assert-SmtpError $e SmtpAuthenticationNotSupported AuthenticationError (Get-ServerEndpoint $plain)
            } finally { $plain.Dispose() }
        }

        It 'shows the exchange with -Verbose but never the password' {
            $all = Connect-Smtp @conn -Credential (New-TestCredential) -AllowUnencryptedAuthentication -AuthenticationMethod Plain -Verbose 4>&1
            $all | Where-Object { $_ -is [AsyncSmtp.SmtpSession] } | Disconnect-Smtp
            $verbose = $all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message
            $verbose | Should -Contain 'S: 220 localhost AsyncSmtp test server ESMTP'
            $verbose | Where-Object { $_ -like 'C: EHLO *' } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -like 'C: AUTH PLAIN*' } | Should -Be 'C: AUTH PLAIN ********'
            $plainBlob = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("`0alice`0S3cret-pa55"))
            ($verbose -join "`n") | Should -Not -Match 'S3cret-pa55'
            ($verbose -join "`n") | Should -Not -Match ([regex]::Escape($plainBlob))
        }
    }

    Context 'TLS' {
        It 'connects with implicit TLS (-UseTls)' {
            $tls = Start-TestSmtpServer -ImplicitTls
            try {
                $s = Connect-Smtp -SmtpServer $tls.Host -Port $tls.Port -UseTls -SkipCertificateCheck -TimeoutSec 10
                $s.IsEncrypted | Should -BeTrue
                $s | Disconnect-Smtp
            } finally { $tls.Dispose() }
        }

        It 'validates the certificate: a self-signed one fails with SmtpTlsFailed' {
            $e = Get-TerminatingError { Connect-Smtp -SmtpServer $server.Host -Port $server.Port -StartTls -TimeoutSec 10 }
            Assert-SmtpError $e SmtpTlsFailed SecurityError $endpoint
        }

        It 'fails with SmtpStartTlsNotSupported when -StartTls is asked of a server without it' {
            $plain = Start-TestSmtpServer -NoStartTls
            try {
                $e = Get-TerminatingError { Connect-Smtp -SmtpServer $plain.Host -Port $plain.Port -StartTls -TimeoutSec 10 }
                Assert-SmtpError $e SmtpStartTlsNotSupported SecurityError (Get-ServerEndpoint $plain)
                $plain.Commands | Where-Object { $_ -like 'MAIL*' -or $_ -like 'AUTH*' } | Should -BeNullOrEmpty
            } finally { $plain.Dispose() }
        }

        It 'refuses -UseTls, -StartTls and -NoTls together as a usage error' {
            $e = Get-TerminatingError { Connect-Smtp @conn -StartTls }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument
            $server.Sessions.Count | Should -Be 0
        }
    }

    Context 'failures' {
        It 'reports a refused TCP connection as SmtpConnectFailed' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $e = Get-TerminatingError { Connect-Smtp -SmtpServer 127.0.0.1 -Port $port -NoTls -TimeoutSec 5 }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError "127.0.0.1:$port"
        }

        It 'reports a greeting other than 220 as SmtpConnectFailed with the reply' {
            $server.OnGreeting().Reply('554 5.3.2 Go away') | Out-Null
            $e = Get-TerminatingError { Connect-Smtp @conn }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError $endpoint
            $e.ErrorDetails.Message | Should -Match 'Go away'
        }

        It 'reports a connection closed before any greeting as SmtpConnectFailed' {
            $server.OnGreeting().Disconnect() | Out-Null
            $e = Get-TerminatingError { Connect-Smtp @conn }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError $endpoint
        }

        It 'accepts -TimeoutSec 0 as no time limit' {
            $c = $conn.Clone(); $c.TimeoutSec = 0
            $s = Connect-Smtp @c
            $s.IsConnected | Should -BeTrue
            $s | Disconnect-Smtp
        }

        It 'reports a greeting that does not come in time as SmtpConnectTimeout' {
            $server.OnGreeting().Delay(4000) | Out-Null
            $conn2 = $conn.Clone(); $conn2.TimeoutSec = 1
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $e = Get-TerminatingError { Connect-Smtp @conn2 }
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 3.5
            Assert-SmtpError $e SmtpConnectTimeout OperationTimeout $endpoint
        }

        It 'reports an EHLO reply that does not come in time as SmtpReadTimeout' {
            $server.On('EHLO').Delay(4000) | Out-Null
            $conn2 = $conn.Clone(); $conn2.TimeoutSec = 1
            $e = Get-TerminatingError { Connect-Smtp @conn2 }
            Assert-SmtpError $e SmtpReadTimeout OperationTimeout $endpoint
        }

        It 'falls back to HELO when EHLO is refused' {
            $server.On('EHLO').Reply('502 5.5.1 Not implemented') | Out-Null
            $s = Connect-Smtp @conn
            $s.IsConnected | Should -BeTrue
            $s.Extensions | Should -BeNullOrEmpty
            $server.Commands | Should -Contain "HELO $(($server.Commands | Where-Object { $_ -like 'EHLO *' }) -replace '^EHLO ')"
            $s | Disconnect-Smtp
        }

        It 'reports EHLO and HELO both refused as SmtpHeloFailed' {
            $server.On('EHLO').Reply('550 5.7.1 No') | Out-Null
            $server.On('HELO').Reply('550 5.7.1 Still no') | Out-Null
            $e = Get-TerminatingError { Connect-Smtp @conn }
            Assert-SmtpError $e SmtpHeloFailed ProtocolError $endpoint
            $e.Exception.Code | Should -Be 550
        }

        It 'reports a server that hangs up after the greeting as SmtpServerDisconnected' {
            $server.On('EHLO').Disconnect() | Out-Null
            $e = Get-TerminatingError { Connect-Smtp @conn }
            Assert-SmtpError $e SmtpServerDisconnected ConnectionError $endpoint
        }

        It 'reports a garbage reply as SmtpProtocolError' {
            $server.On('EHLO').SendRaw("this is not SMTP`r`n") | Out-Null
            $e = Get-TerminatingError { Connect-Smtp @conn }
            Assert-SmtpError $e SmtpProtocolError ProtocolError $endpoint
        }

        It 'refuses a control character in -LocalHostName with SmtpInvalidArgument before sending it' {
            $e = Get-TerminatingError { Connect-Smtp @conn -LocalHostName "evil`r`nRSET" }
            $e.FullyQualifiedErrorId | Should -BeLike 'SmtpInvalidArgument,*'
            $server.Commands | Should -Not -Contain 'RSET'
        }

        It 'needs a server: SmtpInvalidArgument without -SmtpServer or $PSEmailServer' {
            $e = Get-TerminatingError { Connect-Smtp -Port $server.Port -NoTls }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument
        }

        It 'returns within a second of Stop while waiting for the greeting' {
            $server.OnGreeting().Delay(20000) | Out-Null
            $run = Start-InOtherRunspace 'param($h, $p) Connect-Smtp -SmtpServer $h -Port $p -NoTls -TimeoutSec 60' $server.Host, $server.Port
            Wait-Until { $server.Sessions.Count -ge 1 } | Should -BeTrue
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $clock.ElapsedMilliseconds | Should -BeLessThan 1500
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
            $run.PowerShell.Dispose()
        }
    }
}
