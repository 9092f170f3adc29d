#Requires -Version 7.0
# Interop through the cmdlets with real servers on loopback: Debian's postfix (STARTTLS, SASL from
# sasldb, delivery into a maildir) and python3-aiosmtpd (records exactly what it received). The
# servers are started by tests/interop/start-postfix.sh and start-aiosmtpd.sh (or .ci/run). A server
# that is not running skips its tests, unless ASYNCSMTP_INTEROP=1, which makes it a failure.

BeforeDiscovery {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    $infoDir = if ($env:ASYNCSMTP_INTEROP_DIR) { $env:ASYNCSMTP_INTEROP_DIR } else { Join-Path $root 'out/interop' }

    function Test-InteropServer([string] $Name) {
        $path = Join-Path $infoDir "$Name.json"
        if (-not (Test-Path $path)) { return $false }
        $info = Get-Content -Raw $path | ConvertFrom-Json
        $tcp = [System.Net.Sockets.TcpClient]::new()
        try { return $tcp.ConnectAsync($info.host, [int]$info.port).Wait(3000) } catch { return $false } finally { $tcp.Dispose() }
    }

    $required = $env:ASYNCSMTP_INTEROP -eq '1'
    $script:skipPostfix = -not $required -and -not (Test-InteropServer 'postfix')
    $script:skipAiosmtpd = -not $required -and -not (Test-InteropServer 'aiosmtpd')
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $infoDir = if ($env:ASYNCSMTP_INTEROP_DIR) { $env:ASYNCSMTP_INTEROP_DIR } else { Join-Path $RepoRoot 'out/interop' }

    function Get-InteropServer([string] $Name) {
        # The server's connection facts, or a failure that says how to start it (ASYNCSMTP_INTEROP=1).
        $path = Join-Path $infoDir "$Name.json"
        if (-not (Test-Path $path)) { throw "ASYNCSMTP_INTEROP=1 but the $Name interop server is not running: run tests/interop/start-$Name.sh." }
        $info = Get-Content -Raw $path | ConvertFrom-Json
        $info | Add-Member -NotePropertyName Credential -NotePropertyValue ([pscredential]::new($info.userName, (ConvertTo-SecureString $info.password -AsPlainText -Force)))
        $info
    }

    function New-Token { 'interop-' + [guid]::NewGuid().ToString('N') }

    function Wait-PostfixDelivery {
        # The text of the copy of a message (found by its token) that postfix delivered to the recipient.
        param([Parameter(Mandatory)][string] $Token, [Parameter(Mandatory)][string] $Recipient, [int] $TimeoutSec = 30)
        $newDir = Join-Path $postfix.maildir 'new'
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do {
            foreach ($file in Get-ChildItem $newDir -File | Where-Object LastWriteTimeUtc -GE $suiteStart) {
                $text = [IO.File]::ReadAllText($file.FullName)
                if ($text.Contains($Token) -and $text.Contains("`nDelivered-To: $Recipient`n")) { return $text }
            }
            Start-Sleep -Milliseconds 200
        } while ($clock.Elapsed.TotalSeconds -lt $TimeoutSec)
        throw "No message with $Token delivered to $Recipient in $newDir within $TimeoutSec s (see /var/log/postfix.log)."
    }

    function Wait-AiosmtpdMessage {
        # What aiosmtpd recorded for the message with this token: its envelope facts plus Text, the content received.
        param([Parameter(Mandatory)][string] $Token, [int] $TimeoutSec = 15)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do {
            foreach ($facts in Get-ChildItem $aiosmtpd.messages -Filter '*.json' | Where-Object LastWriteTimeUtc -GE $suiteStart) {
                $content = [IO.File]::ReadAllText([IO.Path]::ChangeExtension($facts.FullName, '.eml'))
                if ($content.Contains($Token)) {
                    $record = Get-Content -Raw $facts.FullName | ConvertFrom-Json
                    $record | Add-Member -NotePropertyName Text -NotePropertyValue $content -PassThru
                    return
                }
            }
            Start-Sleep -Milliseconds 100
        } while ($clock.Elapsed.TotalSeconds -lt $TimeoutSec)
        throw "No message with $Token recorded in $($aiosmtpd.messages) within $TimeoutSec s."
    }

    # Maildir files keep their delivery time; older ones (earlier runs) need not be read.
    $suiteStart = [datetime]::UtcNow.AddSeconds(-5)
}

Describe 'postfix through the cmdlets' -Skip:$skipPostfix {
    BeforeAll {
        $postfix = Get-InteropServer 'postfix'
        # postfix presents a self-signed certificate; the cmdlets have no trust parameter, so skip the check.
        $tls = @{ SmtpServer = $postfix.host; Port = $postfix.port; StartTls = $true; SkipCertificateCheck = $true; TimeoutSec = 30 }
    }

    Context 'one-shot Send-SmtpMessage' {
        It 'sends over STARTTLS after AUTH and postfix delivers it' {
            $token = New-Token
            $result = Send-SmtpMessage @tls -Credential $postfix.Credential -From 'alice@example.test' -To 'bob@example.test' `
                -Subject "One-shot $token" -Body "Hello Bob.`n.a line starting with a dot"

            $result.Recipients | Should -Be @('bob@example.test')
            $result.RejectedRecipients | Should -BeNullOrEmpty
            $result.Response | Should -Match 'queued as'
            $delivered = Wait-PostfixDelivery -Token $token -Recipient 'bob@example.test'
            $delivered | Should -Match 'with ESMTPSA'
            $delivered | Should -Match "(?m)^Subject: One-shot $token$"
            $delivered | Should -Match "(?m)^\.a line starting with a dot$"
        }

        It 'sends with -UseTls on the implicit TLS port' {
            $token = New-Token
            $result = Send-SmtpMessage -SmtpServer $postfix.host -Port $postfix.implicitTlsPort -UseTls -SkipCertificateCheck -Credential $postfix.Credential `
                -From 'alice@example.test' -To 'smtps@example.test' -Subject "Implicit TLS $token" -Body 'Encrypted from the first byte.'

            $result.Port | Should -Be $postfix.implicitTlsPort
            Wait-PostfixDelivery -Token $token -Recipient 'smtps@example.test' | Should -Match 'with ESMTPSA'
        }

        It 'fails with SmtpTlsFailed when the certificate is not trusted' {
            $noSkip = $tls.Clone(); $noSkip.Remove('SkipCertificateCheck')

            $err = Get-TerminatingError { Send-SmtpMessage @noSkip -From 'alice@example.test' -To 'bob@example.test' -Subject 'never' -Body 'never' -ErrorAction Stop }

            $err.FullyQualifiedErrorId | Should -BeLike 'SmtpTlsFailed,*'
            $err.CategoryInfo.Category | Should -Be 'SecurityError'
        }

        It 'fails with SmtpAuthenticationFailed for a wrong password' {
            $wrong = [pscredential]::new($postfix.userName, (ConvertTo-SecureString 'not-the-password' -AsPlainText -Force))

            $err = Get-TerminatingError { Send-SmtpMessage @tls -Credential $wrong -From 'alice@example.test' -To 'bob@example.test' -Subject 'never' -Body 'never' -ErrorAction Stop }

            $err.FullyQualifiedErrorId | Should -BeLike 'SmtpAuthenticationFailed,*'
            $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
            $err.Exception.Code | Should -Be 535
            "$err $($err.ErrorDetails)" | Should -Not -Match 'not-the-password'
        }

        It 'refuses to send credentials over plaintext (SmtpUnencryptedAuthenticationRefused)' {
            $err = Get-TerminatingError {
                Send-SmtpMessage -SmtpServer $postfix.host -Port $postfix.port -NoTls -Credential $postfix.Credential -From 'alice@example.test' -To 'bob@example.test' -Subject 'never' -Body 'never' -ErrorAction Stop
            }

            $err.FullyQualifiedErrorId | Should -BeLike 'SmtpUnencryptedAuthenticationRefused,*'
        }

        It 'reports a refused recipient as a non-terminating error and delivers to the others' {
            # Without AUTH postfix relays for nobody: other domains get 554 5.7.1.
            $token = New-Token
            $result = Send-SmtpMessage @tls -From 'alice@example.test' -To 'ok@example.test', 'nobody@elsewhere.invalid' `
                -Subject "Partial $token" -Body 'One of two.' -ErrorVariable refusals -ErrorAction SilentlyContinue

            $result.Recipients | Should -Be @('ok@example.test')
            # ForEach, not .Address: on an array, .Address is the array's own method.
            $result.RejectedRecipients.Address | Should -Be @('nobody@elsewhere.invalid')
            $result.RejectedRecipients[0].Code | Should -Be 554
            $result.RejectedRecipients[0].EnhancedStatusCode | Should -Be '5.7.1'
            $refusals.Count | Should -Be 1
            $refusals[0].FullyQualifiedErrorId | Should -BeLike 'SmtpRecipientRejected,*'
            $refusals[0].TargetObject | Should -Match 'nobody@elsewhere.invalid'
            Wait-PostfixDelivery -Token $token -Recipient 'ok@example.test' | Should -Not -BeNullOrEmpty
        }

        It 'sends UTF-8 addresses with SMTPUTF8' {
            $token = New-Token
            $result = Send-SmtpMessage @tls -From 'josé@example.test' -To 'пользователь@example.test' -Subject "Grüße $token" -Body 'UTF-8 mailbox.'

            $result.Recipients | Should -Be @('пользователь@example.test')
            Wait-PostfixDelivery -Token $token -Recipient 'пользователь@example.test' | Should -Match 'Return-Path: <josé@example.test>'
        }
    }

    Context 'a session' {
        It 'logs in with <Method>' -ForEach @(@{ Method = 'Plain' }, @{ Method = 'Login' }, @{ Method = 'CramMd5' }) {
            $session = Connect-Smtp @tls -Credential $postfix.Credential -AuthenticationMethod $Method
            try {
                $session.IsEncrypted | Should -BeTrue
                $session.IsAuthenticated | Should -BeTrue
                # The full "alice@<host>": a user@domain credential logs in under that whole name.
                $session.UserName | Should -Be $postfix.userName
            } finally { $session | Disconnect-Smtp }
        }

        It 'sends a pipeline of messages through one session' {
            $token = New-Token
            $session = Connect-Smtp @tls -Credential $postfix.Credential
            try {
                $results = 1..3 | ForEach-Object { New-SmtpMessage -From 'alice@example.test' -To "pipe$_@example.test" -Subject "Pipeline $_ $token" -Body "Message $_." } |
                    Send-SmtpMessage -Session $session
                $session.IsConnected | Should -BeTrue
            } finally { $session | Disconnect-Smtp }

            $results.Count | Should -Be 3
            $results.Recipients | Should -Be @('pipe1@example.test', 'pipe2@example.test', 'pipe3@example.test')
            foreach ($n in 1..3) { Wait-PostfixDelivery -Token $token -Recipient "pipe$n@example.test" | Should -Match "Subject: Pipeline $n $token" }
        }

        It 'sends an .eml file by path' {
            $token = New-Token
            $eml = Join-Path $TestDrive "$token.eml"
            (New-SmtpMessage -From 'alice@example.test' -To 'file@example.test' -Subject "From a file $token" -Body 'Saved, then sent.').Save($eml)
            $session = Connect-Smtp @tls -Credential $postfix.Credential
            try {
                Get-Item $eml | Send-SmtpMessage -Session $session | Out-Null
            } finally { $session | Disconnect-Smtp }

            Wait-PostfixDelivery -Token $token -Recipient 'file@example.test' | Should -Match "Subject: From a file $token"
        }

        It 'answers VRFY and returns a refused command as data' {
            $session = Connect-Smtp @tls
            try {
                ($session | Invoke-SmtpCommand 'VRFY someone@example.test').Code | Should -Be 252
                $help = $session | Invoke-SmtpCommand 'HELP'
                $help.Code | Should -Be 500
                $help.IsSuccess | Should -BeFalse
                ($session | Invoke-SmtpCommand 'NOOP').Code | Should -Be 250
            } finally { $session | Disconnect-Smtp }
        }
    }

    Context 'Get-SmtpExtension' {
        It 'shows STARTTLS and no AUTH before TLS' {
            $names = (Get-SmtpExtension -SmtpServer $postfix.host -Port $postfix.port -NoTls).Name

            $names | Should -Contain 'STARTTLS'
            $names | Should -Not -Contain 'AUTH'
        }

        It 'shows AUTH with the sasldb mechanisms, CHUNKING and SMTPUTF8 after STARTTLS' {
            $session = Connect-Smtp @tls
            try {
                $extensions = $session | Get-SmtpExtension
                ($extensions | Where-Object Name -EQ 'AUTH').Parameters | Sort-Object | Should -Be @('CRAM-MD5', 'LOGIN', 'PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256')
                $extensions.Name | Should -Contain 'CHUNKING'
                $extensions.Name | Should -Contain 'SMTPUTF8'
                $extensions.Name | Should -Not -Contain 'STARTTLS'
                ($session | Get-SmtpExtension -Name 'SIZE').Parameters | Should -Be @('52428800')
            } finally { $session | Disconnect-Smtp }
        }
    }
}

Describe 'Test-SmtpServer against postfix' -Skip:$skipPostfix {
    BeforeAll {
        $postfix = Get-InteropServer 'postfix'
        $ports = $postfix.port, $postfix.implicitTlsPort, $postfix.submissionPort
        # One check of the three ports, as an administrator would run it; the It blocks read its findings.
        $script:reports = @(Test-SmtpServer -SmtpServer $postfix.host -Port $ports -TestRelay -TimeoutSec 30)
        $script:relay, $script:implicit, $script:submission = $reports
        $script:selfSigned = [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($postfix.certificate)

        function Test-TrustingPostfix([string] $WrongPassword) {
            # Test-SmtpServer on 587 in a fresh pwsh that trusts postfix's certificate, as a client trusts a public
            # CA (OpenSSL reads SSL_CERT_FILE when the process starts): once with the submission account, once
            # with a wrong password. The two reports come back as JSON facts.
            $child = Join-Path $TestDrive "check-587-$([guid]::NewGuid()).ps1"
            Set-Content $child @'
param($ModuleManifest, $InfoFile, $WrongPassword)
$ErrorActionPreference = 'Stop'
Import-Module $ModuleManifest
$postfix = Get-Content -Raw $InfoFile | ConvertFrom-Json
$reports = foreach ($password in $postfix.password, $WrongPassword) {
    $credential = [pscredential]::new($postfix.userName, (ConvertTo-SecureString $password -AsPlainText -Force))
    Test-SmtpServer $postfix.host -Port $postfix.submissionPort -Credential $credential -TimeoutSec 30
}
ConvertTo-Json -Compress -InputObject @($reports | ForEach-Object {
    [pscustomobject]@{
        TlsMode = $_.TlsMode; CertificateValid = $_.CertificateValid; CertificateErrors = @($_.CertificateErrors)
        Authenticated = $_.Authenticated; AuthenticationMechanism = $_.AuthenticationMechanism
        Stages = @($_.Timings.Keys); FailedStage = $_.FailedStage; ErrorId = "$($_.Error.FullyQualifiedErrorId)"
        Passed = $_.Passed
    }
})
'@
            $arguments = @{
                ModuleManifest = $ModuleManifest; InfoFile = Join-Path $infoDir 'postfix.json'
                WrongPassword = $WrongPassword
            }
            Invoke-FreshPwsh -File $child -Arguments $arguments -Environment @{ SSL_CERT_FILE = $postfix.certificate }
        }
    }

    It 'reports 25, 465 and 587 in the order given, each reached and greeted by postfix' {
        $reports.Count | Should -Be 3
        $reports.Port | Should -Be $ports
        foreach ($r in $reports) {
            $r.Reachable | Should -BeTrue -Because $r.Error
            $r.Greeting | Should -Match 'ESMTP Postfix'
            $r.Esmtp | Should -BeTrue
            $r.FailedStage | Should -BeNullOrEmpty
            $r.TlsProtocol | Should -Not -BeNullOrEmpty
            $r.CipherSuite | Should -Not -BeNullOrEmpty
        }
    }

    It 'finds STARTTLS offered on 25 and used, with AUTH only after it' {
        $relay.StartTlsOffered | Should -BeTrue
        $relay.TlsMode | Should -Be 'StartTls'
        $relay.ExtensionsBeforeTls.Name | Should -Contain 'STARTTLS'
        $relay.AuthMechanismsBeforeTls | Should -BeNullOrEmpty
        $relay.AuthMechanisms | Sort-Object | Should -Be @('CRAM-MD5', 'LOGIN', 'PLAIN', 'SCRAM-SHA-1', 'SCRAM-SHA-256')
    }

    It 'finds implicit TLS on 465: AUTH in the first EHLO, already encrypted, and no STARTTLS' {
        $implicit.TlsMode | Should -Be 'Implicit'
        $implicit.StartTlsOffered | Should -BeFalse
        $implicit.AuthMechanisms | Should -Contain 'PLAIN'
        $implicit.AuthMechanismsBeforeTls | Should -Be $implicit.AuthMechanisms
    }

    It 'finds AUTH on 587 only after STARTTLS' {
        $submission.StartTlsOffered | Should -BeTrue
        $submission.TlsMode | Should -Be 'StartTls'
        $submission.AuthMechanismsBeforeTls | Should -BeNullOrEmpty
        $submission.AuthMechanisms | Should -Contain 'SCRAM-SHA-256'
    }

    It 'reports postfix''s self-signed certificate as an untrusted root, with its facts, on every port' {
        $selfSigned.Subject | Should -Be $selfSigned.Issuer
        foreach ($r in $reports) {
            $r.Certificate.Thumbprint | Should -Be $selfSigned.Thumbprint
            $r.CertificateValid | Should -BeFalse
            $r.CertificateErrors | Should -Be @('UntrustedRoot')
            $r.CertificateNames | Should -Contain 'localhost'
            $r.CertificateExpires | Should -Be $selfSigned.NotAfter
            $r.CertificateDaysLeft | Should -BeGreaterThan 0
            # A finding, not a failure: every stage was reached, but the check does not pass.
            $r.FailedStage | Should -BeNullOrEmpty
            $r.Passed | Should -BeFalse
        }
    }

    It 'finds relaying refused on every port (554 5.7.1 for a foreign domain without a login)' {
        foreach ($r in $reports) {
            $r.RelayRefused | Should -BeTrue
            $r.RecipientResults.Count | Should -Be 1
            $r.RecipientResults[0].Address | Should -Be 'relay-test@example.invalid'
            $r.RecipientResults[0].Accepted | Should -BeFalse
            $r.RecipientResults[0].Code | Should -Be 554
            $r.RecipientResults[0].EnhancedStatusCode | Should -Be '5.7.1'
        }
    }

    It 'times every stage it reached, in order' {
        @($relay.Timings.Keys) | Should -Be @('Connect', 'Greeting', 'Ehlo', 'StartTls', 'Mail', 'Rcpt', 'Quit')
        @($implicit.Timings.Keys) | Should -Be @('Connect', 'Greeting', 'Ehlo', 'Mail', 'Rcpt', 'Quit')
        @($submission.Timings.Keys) | Should -Be @('Connect', 'Greeting', 'Ehlo', 'StartTls', 'Mail', 'Rcpt', 'Quit')
        foreach ($timing in $reports.Timings.Values) {
            $timing | Should -BeOfType ([timespan])
            $timing | Should -BeGreaterOrEqual ([timespan]::Zero)
        }
    }

    It 'probes recipients: a mailbox in example.test accepted, one elsewhere refused' {
        $r = Test-SmtpServer $postfix.host -Port $postfix.port -Sender 'check@example.test' `
            -Recipient 'someone@example.test', 'nobody@elsewhere.invalid' -TimeoutSec 30

        $r.RecipientResults | ForEach-Object Address | Should -Be @('someone@example.test', 'nobody@elsewhere.invalid')
        $r.RecipientResults.Accepted | Should -Be @($true, $false)
        $r.RecipientResults.Code | Should -Be @(250, 554)
        $r.RelayRefused | Should -BeNullOrEmpty
        @($r.Timings.Keys) | Should -Contain 'Rcpt'
    }

    It 'never logs in over the untrusted certificate' {
        $r = Test-SmtpServer $postfix.host -Port $postfix.submissionPort -Credential $postfix.Credential -TimeoutSec 30

        $r.FailedStage | Should -Be 'StartTls'
        $r.Error.FullyQualifiedErrorId | Should -Be 'SmtpTlsFailed'
        $r.CertificateErrors | Should -Be @('UntrustedRoot')
        $r.Authenticated | Should -BeFalse
        $r.Passed | Should -BeFalse
    }

    It 'logs the submission account in on 587 once the certificate is trusted, and reports a wrong password' {
        $good, $bad = Test-TrustingPostfix -WrongPassword 'not-the-password'

        $good.TlsMode | Should -Be 'StartTls'
        $good.CertificateValid | Should -BeTrue
        $good.CertificateErrors | Should -BeNullOrEmpty
        $good.Authenticated | Should -BeTrue
        $good.AuthenticationMechanism | Should -Be 'SCRAM-SHA-256'
        $good.Stages | Should -Be @('Connect', 'Greeting', 'Ehlo', 'StartTls', 'Auth', 'Quit')
        $good.FailedStage | Should -BeNullOrEmpty
        $good.Passed | Should -BeTrue
        $bad.Authenticated | Should -BeFalse
        $bad.FailedStage | Should -Be 'Auth'
        $bad.ErrorId | Should -Be 'SmtpAuthenticationFailed'
        $bad.Passed | Should -BeFalse
    }
}

Describe 'aiosmtpd through the cmdlets' -Skip:$skipAiosmtpd {
    BeforeAll {
        $aiosmtpd = Get-InteropServer 'aiosmtpd'
    }

    It 'sends over STARTTLS with AUTH and aiosmtpd records it' {
        $token = New-Token
        $result = Send-SmtpMessage -SmtpServer $aiosmtpd.host -Port $aiosmtpd.port -StartTls -SkipCertificateCheck -Credential $aiosmtpd.Credential `
            -From 'alice@example.test' -To 'bob@example.test' -Subject "aiosmtpd $token" -Body "Line one.`n.dot line`nLine three."

        $result.Response | Should -Match 'saved as'
        $received = Wait-AiosmtpdMessage -Token $token
        $received.encrypted | Should -BeTrue
        $received.authenticatedUser | Should -Be $aiosmtpd.userName
        $received.mailFrom | Should -Be 'alice@example.test'
        $received.rcptTos | Should -Be @('bob@example.test')
        $received.Text | Should -Match "\r\n\.dot line\r\n"
    }

    It 'falls back to HELO when EHLO is refused' {
        $token = New-Token
        Send-SmtpMessage -SmtpServer $aiosmtpd.host -Port $aiosmtpd.heloOnlyPort -From 'alice@example.test' -To 'old@example.test' -Subject "HELO $token" -Body 'Plain and simple.' | Out-Null

        $received = Wait-AiosmtpdMessage -Token $token
        $received.listener | Should -Be 'helo-only'
        $received.extendedSmtp | Should -BeFalse
        $received.mailOptions | Should -BeNullOrEmpty
    }

    It 'sends a raw message byte for byte' {
        $token = New-Token
        $raw = "From: alice@example.test`r`nTo: raw@example.test`r`nSubject: raw $token`r`n`r`nBody line`r`n..two dots`r`n"

        Send-SmtpMessage -SmtpServer $aiosmtpd.host -Port $aiosmtpd.port -StartTls -SkipCertificateCheck -RawMessage $raw -Sender 'alice@example.test' -Recipient 'raw@example.test' | Out-Null

        (Wait-AiosmtpdMessage -Token $token).Text | Should -BeExactly $raw
    }
}
