BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.TestSmtpServerCommand'

    function Invoke-CapturingProgress([hashtable] $Parameters) {
        # Test-SmtpServer through the PowerShell API, which keeps every progress record it wrote, in order.
        $state = [initialsessionstate]::CreateDefault2()
        $state.ImportPSModule($ModuleManifest)
        $ps = [powershell]::Create($state)
        try {
            $null = $ps.AddCommand('Test-SmtpServer').AddParameters($Parameters)
            $reports = try { $ps.Invoke() } catch { $_ }
            [pscustomobject]@{ Output = @($reports); Progress = @($ps.Streams.Progress) }
        } finally { $ps.Dispose() }
    }

    function New-CaFile([Parameter(Mandatory)] $Authority) {
        # The CA's certificate as a PEM file, what SSL_CERT_FILE names.
        $path = Join-Path $TestDrive "ca-$([guid]::NewGuid().ToString('N')).pem"
        $base64 = [Convert]::ToBase64String($Authority.Certificate.RawData, 'InsertLineBreaks')
        Set-Content $path "-----BEGIN CERTIFICATE-----`n$base64`n-----END CERTIFICATE-----"
        $path
    }

    function Invoke-TrustingPwsh {
        # Runs a script (its parameters: -ModuleManifest and the -Arguments) in a fresh pwsh that trusts the CA as
        # a client trusts a public one, since OpenSSL reads SSL_CERT_FILE when the process starts: a login goes only
        # over a certificate that validates, and revocation is checked only below a trusted root. Returns the
        # script's last line parsed as JSON.
        param([Parameter(Mandatory)] $Authority, [Parameter(Mandatory)][string] $Script, [hashtable] $Arguments = @{})
        $child = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content $child $Script
        Invoke-FreshPwsh -File $child -Arguments ($Arguments + @{ ModuleManifest = $ModuleManifest }) `
            -Environment @{ SSL_CERT_FILE = New-CaFile $Authority }
    }

    function New-Certificate([string] $Name, [int] $FromDays, [int] $ToDays) {
        [AsyncSmtp.TestServer.TestCertificate]::Create($Name, [DateTimeOffset]::UtcNow.AddDays($FromDays), [DateTimeOffset]::UtcNow.AddDays($ToDays))
    }
}

Describe 'Test-SmtpServer' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -RequireTlsForAuth -Users @{ alice = 'S3cret-pa55' }
        $script:second = Start-TestSmtpServer -NoStartTls
    }
    AfterAll { $server.Dispose(); $second.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'reports each server and port, in the order given, stage by stage' {
        $reports = @(Test-SmtpServer -SmtpServer $server.Host -Port $server.Port, $second.Port -TimeoutSec 10)
        $reports.Count | Should -Be 2
        $reports[0] | Should -BeOfType ([AsyncSmtp.SmtpServerReport])
        $reports.Port | Should -Be @($server.Port, $second.Port)
        $reports[0].Reachable | Should -BeTrue
        $reports[0].Address | Should -Be ([ipaddress]::Loopback)
        $reports[0].Greeting | Should -Be 'localhost AsyncSmtp test server ESMTP'
        $reports[0].ServerName | Should -Be 'localhost'
        $reports[0].Esmtp | Should -BeTrue
        $reports[0].StartTlsOffered | Should -BeTrue
        $reports[0].TlsMode | Should -Be 'StartTls'
        $reports[0].TlsProtocol | Should -Not -BeNullOrEmpty
        @($reports[0].Timings.Keys) | Should -Be @('Connect', 'Greeting', 'Ehlo', 'StartTls', 'Quit')
        $reports[0].Timings.Connect | Should -BeOfType ([timespan])
        $reports[1].TlsMode | Should -Be 'None'
        $reports[1].StartTlsOffered | Should -BeFalse
        $reports[1].CertificateValid | Should -BeNullOrEmpty
        $reports[1].Passed | Should -BeTrue
        $reports[1].FailedStage | Should -BeNullOrEmpty
    }

    It 'shows AUTH offered only after TLS' {
        $r = Test-SmtpServer $server.Host -Port $server.Port -TimeoutSec 10
        $r.AuthMechanismsBeforeTls | Should -BeNullOrEmpty
        $r.AuthMechanisms | Should -Contain 'PLAIN'
        $r.ExtensionsBeforeTls.Name | Should -Contain 'STARTTLS'
        $r.Extensions.Name | Should -Not -Contain 'STARTTLS'
    }

    It 'shows AUTH offered before TLS as a finding' {
        $r = Test-SmtpServer $second.Host -Port $second.Port -TimeoutSec 10
        $r.AuthMechanismsBeforeTls | Should -Contain 'LOGIN'
    }

    It 'reports a self-signed certificate as a finding, with its facts' {
        $r = Test-SmtpServer $server.Host -Port $server.Port -TimeoutSec 10
        $r.CertificateValid | Should -BeFalse
        $r.CertificateErrors | Should -Be @('UntrustedRoot')
        $r.Certificate.Thumbprint | Should -Be $server.Certificate.Thumbprint
        $r.CertificateNames | Should -Be @('localhost')
        $r.CertificateDaysLeft | Should -BeGreaterThan 300
        $r.CertificateExpires | Should -Be $server.Certificate.NotAfter
        $r.CertificateChain.Count | Should -BeGreaterOrEqual 1
        $r.Passed | Should -BeFalse
        $r.FailedStage | Should -BeNullOrEmpty
    }

    It 'reports an expired certificate and how long ago it expired' {
        $expired = Start-TestSmtpServer -Certificate (New-Certificate 'localhost' -400 -3)
        try {
            $r = Test-SmtpServer $expired.Host -Port $expired.Port -TimeoutSec 10
            $r.CertificateErrors | Should -Contain 'Expired'
            $r.CertificateDaysLeft | Should -BeLessOrEqual -3
            $r.Passed | Should -BeFalse
        } finally { $expired.Dispose() }
    }

    It 'reports a certificate for another name, and never logs in over it' {
        $wrong = Start-TestSmtpServer -Certificate (New-Certificate 'mail.other.test' -1 30) -Users @{ alice = 'S3cret-pa55' }
        try {
            $r = Test-SmtpServer $wrong.Host -Port $wrong.Port -Credential (New-TestCredential) -TimeoutSec 10
            $r.CertificateErrors | Should -Contain 'NameMismatch'
            $r.CertificateNames | Should -Be @('mail.other.test')
            $r.FailedStage | Should -Be 'StartTls'
            $r.Authenticated | Should -BeFalse
            $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpTlsFailed'
            $r.Error.Exception.Message | Should -Match 'it is for mail\.other\.test'
            $wrong.Commands | Where-Object { $_ -like 'AUTH*' } | Should -BeNullOrEmpty
        } finally { $wrong.Dispose() }
    }

    It 'speaks implicit TLS on request (and on 465 by default)' {
        $tls = Start-TestSmtpServer -ImplicitTls
        try {
            $r = Test-SmtpServer $tls.Host -Port $tls.Port -UseTls -TimeoutSec 10
            $r.TlsMode | Should -Be 'Implicit'
            $r.Reachable | Should -BeTrue
            $r.TlsProtocol | Should -Not -BeNullOrEmpty
        } finally { $tls.Dispose() }
    }

    It 'reports STARTTLS refused with 454 as a failed StartTls stage' {
        $server.On('STARTTLS').Reply('454 4.7.0 TLS not available') | Out-Null
        $r = Test-SmtpServer $server.Host -Port $server.Port -TimeoutSec 10
        $r.FailedStage | Should -Be 'StartTls'
        $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpTlsFailed'
        $r.Error.Exception.Code | Should -Be 454
        $r.Passed | Should -BeFalse
    }

    It 'reports a HELO-only server' {
        $old = Start-TestSmtpServer -NoEhlo
        try {
            $r = Test-SmtpServer $old.Host -Port $old.Port -TimeoutSec 10
            $r.Esmtp | Should -BeFalse
            $r.Reachable | Should -BeTrue
            $r.Passed | Should -BeTrue
        } finally { $old.Dispose() }
    }

    It 'reports a closed port as unreachable, not as an error' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
        $r = Test-SmtpServer 127.0.0.1 -Port $port -TimeoutSec 5 -ErrorVariable errors
        $errors | Should -BeNullOrEmpty
        $r.Reachable | Should -BeFalse
        $r.FailedStage | Should -Be 'Connect'
        $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpConnectFailed'
        $r.Error.TargetObject | Should -Be "127.0.0.1:$port"
        $r.Passed | Should -BeFalse
    }

    It 'reports a greeting that does not come in time' {
        $server.OnGreeting().Delay(4000) | Out-Null
        $r = Test-SmtpServer $server.Host -Port $server.Port -TimeoutSec 1
        $r.FailedStage | Should -Be 'Greeting'
        $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpConnectTimeout'
        @($r.Timings.Keys) | Should -Be @('Connect')
    }

    It 'probes recipients with RCPT and RSET, never DATA' {
        $second.On('RCPT TO:<nobody@').Reply('550 5.1.1 No such user') | Out-Null
        try {
            $r = Test-SmtpServer $second.Host -Port $second.Port -Sender 'check@example.test' -Recipient 'alice@example.test', 'nobody@example.test' -TimeoutSec 10
            $r.RecipientResults | ForEach-Object Address | Should -Be @('alice@example.test', 'nobody@example.test')
            $r.RecipientResults.Accepted | Should -Be @($true, $false)
            $r.RecipientResults[1].Code | Should -Be 550
            $r.RecipientResults[1].EnhancedStatusCode | Should -Be '5.1.1'
            $second.Commands | Where-Object { $_ -match '^(DATA|BDAT)' } | Should -BeNullOrEmpty
            $second.Commands | Should -Contain 'RSET'
        } finally { $second.Script.Clear(); $second.Clear() }
    }

    It 'tests relaying with a foreign recipient' {
        $second.On('RCPT TO:<relay-test@example.invalid>').Reply('554 5.7.1 Relay access denied') | Out-Null
        try {
            (Test-SmtpServer $second.Host -Port $second.Port -TestRelay -TimeoutSec 10).RelayRefused | Should -BeTrue
            $second.Script.Clear()
            $open = Test-SmtpServer $second.Host -Port $second.Port -TestRelay -TimeoutSec 10
            $open.RelayRefused | Should -BeFalse
            $open.Passed | Should -BeFalse
        } finally { $second.Script.Clear(); $second.Clear() }
    }

    It 'stops after the stage -QuitAfter names' {
        $r = Test-SmtpServer $server.Host -Port $server.Port -QuitAfter Ehlo -TimeoutSec 10
        @($r.Timings.Keys) | Should -Be @('Connect', 'Greeting', 'Ehlo', 'Quit')
        $server.Commands | Should -Not -Contain 'STARTTLS'
    }

    It 'shows progress naming each host and port as it checks it, completed at the end' {
        $ports = $server.Port, $second.Port
        $run = Invoke-CapturingProgress @{ SmtpServer = $server.Host, 'localhost'; Port = $ports; TimeoutSec = 10 }

        $run.Output.Count | Should -Be 4
        $checking = $run.Progress | Where-Object RecordType -EQ 'Processing'
        $checking.Activity | Should -Be @(
            "Checking $($server.Host):$($ports[0])", "Checking $($server.Host):$($ports[1])",
            "Checking localhost:$($ports[0])", "Checking localhost:$($ports[1])")
        $checking.StatusDescription | Should -Be @('1 of 4', '2 of 4', '3 of 4', '4 of 4')
        $checking.PercentComplete | Should -Be @(0, 25, 50, 75)
        $run.Progress[-1].RecordType | Should -Be 'Completed'
        @($run.Progress.ActivityId | Sort-Object -Unique).Count | Should -Be 1
    }

    It 'refuses a -TimeoutSec no timer can hold, or a negative one, as Connect-Smtp does (<Seconds>)' -ForEach @(
        @{ Seconds = 2147484 }, @{ Seconds = -1 }
    ) {
        $e = Get-TerminatingError { Test-SmtpServer $server.Host -Port $server.Port -TimeoutSec $Seconds }
        Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'TimeoutSec'
        $e.Exception.Message | Should -Match 'give 1 to 2147483 seconds, or 0 for no timeout'
        $server.Sessions.Count | Should -Be 0
    }

    It 'refuses an envelope address that is not one bare address' {
        $e = Get-TerminatingError { Test-SmtpServer $server.Host -Port $server.Port -Recipient "a@b.test`r`nRSET" }
        Assert-SmtpError $e SmtpInvalidArgument InvalidArgument
        $server.Sessions.Count | Should -Be 0
    }

    It 'shows the default table' {
        $text = Test-SmtpServer $second.Host -Port $second.Port -TimeoutSec 10 | Out-String -Width 200
        $text | Should -Match 'SmtpServer\s+Port\s+TlsMode\s+TlsProtocol\s+DaysLeft\s+CertValid\s+Authenticated\s+FailedStage\s+Passed'
    }

    Context '-OAuthToken' {
        BeforeAll {
            $script:authority = [AsyncSmtp.TestServer.TestCertificateAuthority]::Create()
            $script:oauth = Start-TestSmtpServer -Certificate $authority.Issue('localhost') -RequireTlsForAuth `
                -Users @{ 'bob@example.com' = 'fresh-token' } `
                -Extensions 'ENHANCEDSTATUSCODES', 'AUTH PLAIN XOAUTH2 OAUTHBEARER'
        }
        AfterAll { $oauth.Dispose() }
        BeforeEach { $oauth.Clear() }

        It 'declares -OAuthToken as Connect-Smtp does' {
            $ours = (Get-Command Test-SmtpServer).Parameters['OAuthToken']
            $ours.ParameterType | Should -Be (Get-Command Connect-Smtp).Parameters['OAuthToken'].ParameterType
        }

        It 'refuses a plain string token with a usage error that shows the script block form' {
            $e = Get-TerminatingError {
                $bob = New-TestCredential 'bob@example.com'
                Test-SmtpServer $oauth.Host -Port $oauth.Port -Credential $bob -OAuthToken 'fresh-token'
            }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'OAuthToken'
            $e.Exception.Message | Should -Match 'script block'
            $oauth.Sessions.Count | Should -Be 0
        }

        It 'logs in with a script block (asked again for a refused token), a SecureString, and reports a failing one' {
            # A login goes only over a certificate that validates: the checks run in a pwsh that trusts the test CA.
            $scriptBlock, $secure, $failing = Invoke-TrustingPwsh $authority -Arguments @{
                Server = $oauth.Host; Port = $oauth.Port
            } -Script @'
param($ModuleManifest, $Server, $Port)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$check = @{
    SmtpServer = $Server; Port = $Port; TimeoutSec = 10
    Credential = [pscredential]::new('bob@example.com', [securestring]::new())
}
$tokens = [Collections.Generic.Queue[string]]::new([string[]] @('expired-token', 'fresh-token'))
$reports = @(
    Test-SmtpServer @check -OAuthToken { $tokens.Dequeue() }
    $secure = ConvertTo-SecureString 'fresh-token' -AsPlainText -Force
    Test-SmtpServer @check -OAuthToken $secure -AuthenticationMethod XOAuth2
    Test-SmtpServer @check -OAuthToken { throw 'no network' }
)
ConvertTo-Json -Compress -InputObject @($reports | ForEach-Object {
    [pscustomobject]@{
        Authenticated = $_.Authenticated; AuthenticationMechanism = $_.AuthenticationMechanism
        FailedStage = $_.FailedStage; ErrorId = "$($_.Error.FullyQualifiedErrorId)"
        Why = "$($_.Error.Exception.Message)"
        TokensLeft = $tokens.Count
    }
})
'@

            $scriptBlock.Authenticated | Should -BeTrue -Because $scriptBlock.Why
            $scriptBlock.AuthenticationMechanism | Should -Be 'OAUTHBEARER'
            $scriptBlock.TokensLeft | Should -Be 0
            $secure.Authenticated | Should -BeTrue -Because $secure.Why
            $secure.AuthenticationMechanism | Should -Be 'XOAUTH2'
            $failing.Authenticated | Should -BeFalse
            $failing.FailedStage | Should -Be 'Auth'
            $failing.ErrorId | Should -Be 'SmtpAuthenticationFailed'
            $failing.Why | Should -Match 'no network'
            @($oauth.Commands | Where-Object { $_ -like 'AUTH *' } | ForEach-Object { $_.Split(' ')[1] }) |
                Should -Be @('OAUTHBEARER', 'OAUTHBEARER', 'XOAUTH2')
        }
    }

    Context 'certificate revocation' {
        It 'reports a revoked certificate as Revoked, and one whose CRL cannot be fetched as RevocationUnknown' {
            # A CA of its own (the platform keeps fetched CRLs on disk by issuer name), trusted by the pwsh that checks.
            $authority = [AsyncSmtp.TestServer.TestCertificateAuthority]::Create("Revocation CA $([guid]::NewGuid())")
            $crl = [AsyncSmtp.TestServer.TestCrlServer]::Start()
            $revokedCertificate = $authority.Issue('localhost', $crl.Url)
            $crl.Crl = $authority.RevocationList($revokedCertificate)
            $unreachable = [AsyncSmtp.TestServer.TestCrlServer]::Unreachable()
            $revoked = Start-TestSmtpServer -Certificate $revokedCertificate
            $unknown = Start-TestSmtpServer -Certificate $authority.Issue('localhost', $unreachable)
            try {
                $ports = "$($revoked.Port),$($unknown.Port)"
                $arguments = @{ Server = $revoked.Host; Ports = $ports }
                $r1, $r2 = Invoke-TrustingPwsh $authority -Arguments $arguments -Script @'
param($ModuleManifest, $Server, $Ports)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$reports = Test-SmtpServer $Server -Port ([int[]]($Ports -split ',')) -TimeoutSec 10
ConvertTo-Json -Compress -InputObject @($reports | ForEach-Object {
    [pscustomobject]@{
        Errors = @($_.CertificateErrors); Valid = $_.CertificateValid; Passed = $_.Passed; FailedStage = $_.FailedStage
    }
})
'@

                $crl.Requests | Should -BeGreaterThan 0
                $r1.Errors | Should -Be @('Revoked')
                $r1.Valid | Should -BeFalse
                $r1.FailedStage | Should -BeNullOrEmpty
                $r1.Passed | Should -BeFalse
                $r2.Errors | Should -Be @('RevocationUnknown')
                $r2.Valid | Should -BeFalse
                $r2.Passed | Should -BeFalse
            } finally { $revoked.Dispose(); $unknown.Dispose(); $crl.Dispose() }
        }
    }

    Context '-Domain' {
        BeforeAll {
            $script:dns = [AsyncSmtp.TestServer.TestDnsServer]::Start()
            $dns.AddMx('example.test', 20, 'mx2.example.test')
            $dns.AddMx('example.test', 10, 'mx1.example.test')
            $dns.AddAddress('mx1.example.test', [ipaddress]::Loopback)
            $dns.AddAddress('mx2.example.test', [ipaddress]::Loopback)
            $dns.AddMx('nomail.test', 0, '.')
            $dns.AddAddress('direct.test', [ipaddress]::Loopback)
            $dns.AddMx('lost.test', 10, 'gone.lost.test')
            $dns.AddAddress('lost.test', [ipaddress]::Loopback)
        }
        AfterAll { $dns.Dispose() }

        It 'checks every MX host in preference order, through -DnsServer' {
            $reports = @(Test-SmtpServer -Domain example.test -DnsServer $dns.Address -Port $second.Port -TimeoutSec 10)
            $reports.SmtpServer | Should -Be @('mx1.example.test', 'mx2.example.test')
            $reports.MxPreference | Should -Be @(10, 20)
            $reports.Reachable | Should -Be @($true, $true)
            $reports | ForEach-Object Address | Should -Be @([ipaddress]::Loopback, [ipaddress]::Loopback)
        }

        It 'reports a null MX without connecting' {
            $r = @(Test-SmtpServer -Domain nomail.test -DnsServer $dns.Address -Port $second.Port -TimeoutSec 10)
            $r.Count | Should -Be 1
            $r[0].MxPreference | Should -Be 0
            $r[0].Reachable | Should -BeFalse
            $r[0].Address | Should -BeNullOrEmpty
            $r[0].Passed | Should -BeFalse
        }

        It 'falls back to the domain''s own address when it has no MX' {
            $r = Test-SmtpServer -Domain direct.test -DnsServer $dns.Address -Port $second.Port -TimeoutSec 10
            $r.SmtpServer | Should -Be 'direct.test'
            $r.MxPreference | Should -BeNullOrEmpty
            $r.Reachable | Should -BeTrue
        }

        It 'reports an MX host without an address as unreachable, never asking another resolver' {
            $r = Test-SmtpServer -Domain lost.test -DnsServer $dns.Address -Port $second.Port -TimeoutSec 10
            $r.SmtpServer | Should -Be 'gone.lost.test'
            $r.Reachable | Should -BeFalse
            $r.FailedStage | Should -Be 'Connect'
            $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpDnsLookupFailed'
            $r.Passed | Should -BeFalse
        }

        It 'refuses a DNS server or a domain it cannot use as a usage error' {
            $e = Get-TerminatingError { Test-SmtpServer -Domain example.test -DnsServer 'not a server' }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'DnsServer'
            $e = Get-TerminatingError { Test-SmtpServer -Domain "example.test`r`nx" -DnsServer $dns.Address }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'Domain'
        }

        It 'shows progress: the MX lookup, then each MX host and port, completed at the end' {
            $run = Invoke-CapturingProgress @{
                Domain = 'example.test'; DnsServer = $dns.Address; Port = $second.Port; TimeoutSec = 10
            }

            $run.Output.SmtpServer | Should -Be @('mx1.example.test', 'mx2.example.test')
            $run.Progress.Activity | Should -Be @('Resolving the mail hosts of example.test',
                "Checking mx1.example.test:$($second.Port)", "Checking mx2.example.test:$($second.Port)",
                "Checking mx2.example.test:$($second.Port)")
            $run.Progress.RecordType | Should -Be @('Processing', 'Processing', 'Processing', 'Completed')
            $run.Progress[1..2].StatusDescription | Should -Be @('1 of 2', '2 of 2')
        }

        It 'completes the progress bar when the MX lookup fails' {
            $run = Invoke-CapturingProgress @{ Domain = 'missing.test'; DnsServer = $dns.Address; TimeoutSec = 5 }

            "$($run.Output)" | Should -Match 'NXDOMAIN'
            $run.Progress.Activity | Should -Be (@('Resolving the mail hosts of missing.test') * 2)
            $run.Progress.RecordType | Should -Be @('Processing', 'Completed')
        }

        It 'makes a DNS server that does not answer an error' {
            $silent = [System.Net.Sockets.UdpClient]::new([System.Net.IPEndPoint]::new([ipaddress]::Loopback, 0))
            try {
                $nobody = "127.0.0.1:$($silent.Client.LocalEndPoint.Port)"
                $e = Get-TerminatingError { Test-SmtpServer -Domain example.test -DnsServer $nobody -TimeoutSec 1 }
                Assert-SmtpError $e SmtpDnsLookupFailed ObjectNotFound 'example.test'
                $e.Exception.Message | Should -Match 'timed out'
            } finally { $silent.Dispose() }
        }

        It 'makes NXDOMAIN an error' {
            $e = Get-TerminatingError { Test-SmtpServer -Domain missing.test -DnsServer $dns.Address -TimeoutSec 5 }
            Assert-SmtpError $e SmtpDnsLookupFailed ObjectNotFound 'missing.test'
            $e.Exception.Message | Should -Match 'NXDOMAIN'
        }
    }

    Context 'the example checks in examples/MailServer.Tests.ps1' {
        It 'pass against a good server, with the certificate trusted and the account logging in' {
            $authority = [AsyncSmtp.TestServer.TestCertificateAuthority]::Create()
            $good = Start-TestSmtpServer -Certificate $authority.Issue('localhost') -RequireTlsForAuth -Users @{ alice = 'S3cret-pa55' }
            $good.On('RCPT TO:<relay-test@example.invalid>').Reply('554 5.7.1 Relay access denied') | Out-Null
            $work = Join-Path ([IO.Path]::GetTempPath()) "asyncsmtp-example-$PID"
            New-Item -ItemType Directory -Force $work | Out-Null
            try {
                # The child trusts the test CA as a real client trusts a public one: OpenSSL reads SSL_CERT_FILE
                # from the process environment, so it is set for the child when it starts.
                $caFile = New-CaFile $authority
                $child = Join-Path $work 'run.ps1'
                Set-Content $child @"
`$env:PSModulePath = '$(Join-Path $RepoRoot 'out')' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module '$((Get-Module Pester).Path)'
`$data = @{
    MailServer = '127.0.0.1'; RelayPort = $($good.Port); SubmissionPort = $($good.Port); Recipient = 'alice@example.test'
    Credential = [pscredential]::new('alice', (ConvertTo-SecureString 'S3cret-pa55' -AsPlainText -Force))
}
`$config = New-PesterConfiguration
`$config.Run.Container = New-PesterContainer -Path '$(Join-Path $RepoRoot 'examples/MailServer.Tests.ps1')' -Data `$data
`$config.Run.PassThru = `$true
`$config.Output.Verbosity = 'None'
`$r = Invoke-Pester -Configuration `$config
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount; Skipped = `$r.SkippedCount; Names = @(`$r.Failed.ExpandedName) } | ConvertTo-Json -Compress
"@
                Push-Location $RepoRoot
                $env:SSL_CERT_FILE = $caFile
                try { $json = & dotnet pwsh -NoProfile -NonInteractive -File $child }
                finally { Remove-Item Env:SSL_CERT_FILE; Pop-Location }
                $result = ($json | Select-Object -Last 1) | ConvertFrom-Json
                $result.Failed | Should -Be 0 -Because ($result.Names -join '; ')
                $result.Skipped | Should -Be 0
                $result.Passed | Should -Be 7
                $good.Commands | Where-Object { $_ -match '^(DATA|BDAT)' } | Should -BeNullOrEmpty
                ($good.Sessions | Where-Object AuthenticatedUser -EQ 'alice') | Should -Not -BeNullOrEmpty
            } finally {
                $good.Dispose()
                Remove-Item -Recurse -Force $work -ErrorAction Ignore
            }
        }
    }
}
