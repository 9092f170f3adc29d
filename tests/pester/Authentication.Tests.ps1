BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.ConnectSmtpCommand'

    function Get-AuthCommand([Parameter(Mandatory)] $Server) { @($Server.Commands | Where-Object { $_ -like 'AUTH *' }) }

    function New-UnsignedJwt([Parameter(Mandatory)][string] $ClaimsJson) {
        # The client reads a token's claims without checking its signature, so a test token needs none.
        $part = { param($json) [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($json)).TrimEnd('=').Replace('+', '-').Replace('/', '_') }
        (& $part '{"alg":"RS256","typ":"JWT"}') + '.' + (& $part $ClaimsJson) + '.c2ln'
    }
}

Describe 'Logging in (SCRAM, OAuth, no lockout)' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls -Users @{ alice = 'S3cret-pa55'; 'bob@example.com' = 'fresh-token' } `
            -Extensions 'ENHANCEDSTATUSCODES', 'AUTH SCRAM-SHA-256 SCRAM-SHA-1 CRAM-MD5 PLAIN LOGIN XOAUTH2 OAUTHBEARER'
        $script:conn = Get-ConnectionSplat $server
        $script:conn.AllowUnencryptedAuthentication = $true
        $script:endpoint = Get-ServerEndpoint $server
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'logs in with SCRAM-SHA-256 first when the server offers it' {
        $s = Connect-Smtp @conn -Credential (New-TestCredential)
        $s.IsAuthenticated | Should -BeTrue
        Get-AuthCommand $server | Should -Match '^AUTH SCRAM-SHA-256 '
        $s | Disconnect-Smtp
    }

    It 'uses SCRAM-SHA-1 when -AuthenticationMethod says so' {
        $s = Connect-Smtp @conn -Credential (New-TestCredential) -AuthenticationMethod ScramSha1
        $s.IsAuthenticated | Should -BeTrue
        Get-AuthCommand $server | Should -Match '^AUTH SCRAM-SHA-1 '
        $s | Disconnect-Smtp
    }

    It 'makes one login attempt for a wrong password, never one per mechanism (account lockout)' {
        $e = Get-TerminatingError { Connect-Smtp @conn -Credential (New-TestCredential -Password 'wrong') }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        @(Get-AuthCommand $server).Count | Should -Be 1
        $e.Exception.MechanismsTried | Should -Be 'SCRAM-SHA-256'
        $e.ErrorDetails.Message | Should -Match 'SCRAM-SHA-256: 535 5\.7\.8'
    }

    It 'falls back only from a mechanism the server cannot use, and names each one tried' {
        $null = $server.On('AUTH SCRAM-SHA-256').Reply('504 5.5.4 Unrecognized authentication type')
        $null = $server.On('AUTH SCRAM-SHA-1').Reply('535 5.7.8 Authentication credentials invalid')
        $e = Get-TerminatingError { Connect-Smtp @conn -Credential (New-TestCredential) }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        $e.Exception.MechanismsTried | Should -Be 'SCRAM-SHA-256', 'SCRAM-SHA-1'
        $e.ErrorDetails.Message | Should -Match 'SCRAM-SHA-256: 504 .*SCRAM-SHA-1: 535'
        @(Get-AuthCommand $server).Count | Should -Be 2
    }

    It 'runs an -OAuthToken script block for the login, and once more when the token is refused' {
        $tokens = [Collections.Generic.Queue[string]]::new([string[]] @('expired-token', 'fresh-token'))
        $s = Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { $tokens.Dequeue() }
        $s.IsAuthenticated | Should -BeTrue
        $tokens.Count | Should -Be 0
        $auth = Get-AuthCommand $server
        $auth.Count | Should -Be 2
        $auth[0] | Should -Match '^AUTH OAUTHBEARER '
        [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($auth[1].Split(' ')[2])) |
            Should -Be "n,a=bob@example.com,`u{1}auth=Bearer fresh-token`u{1}`u{1}"
        $s | Disconnect-Smtp
    }

    It 'takes a SecureString, or a token response object, from the script block' {
        $s = Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { ConvertTo-SecureString 'fresh-token' -AsPlainText -Force }
        $s.IsAuthenticated | Should -BeTrue
        $s | Disconnect-Smtp
        # What Invoke-RestMethod returns from a token endpoint.
        $s = Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { [pscustomobject]@{ token_type = 'Bearer'; access_token = 'fresh-token' } }
        $s.IsAuthenticated | Should -BeTrue
        $s | Disconnect-Smtp
    }

    It 'still takes a SecureString token' {
        $s = Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken (ConvertTo-SecureString 'fresh-token' -AsPlainText -Force)
        $s.IsAuthenticated | Should -BeTrue
        $s | Disconnect-Smtp
    }

    It 'reports a failing or empty script block as SmtpAuthenticationFailed, sending nothing' {
        $e = Get-TerminatingError { Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { throw 'no network' } }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        $e.Exception.Message | Should -Match 'no network'
        $e = Get-TerminatingError { Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { } }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        $e.ErrorDetails.RecommendedAction | Should -Match 'return the access token'
        Get-AuthCommand $server | Should -BeNullOrEmpty
    }

    It 'refuses a plain string token with a usage error that shows the script block form' {
        $e = Get-TerminatingError { Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken 'fresh-token' }
        Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'OAuthToken'
        $e.Exception.Message | Should -Match 'script block'
        $server.Sessions.Count | Should -Be 0
    }

    It 'checks a JWT before sending it: <Problem>' -TestCases @(
        @{ Problem = 'expired'; Claims = '{"exp":1600000000}'; Message = 'expired at 2020-09-13'; Action = 'script block' }
        @{ Problem = 'a Microsoft Graph token'; Message = 'https://graph.microsoft.com'; Action = 'outlook.office365.com/.default'
            Claims = '{"aud":"https://graph.microsoft.com","iss":"https://sts.windows.net/t/","roles":["SMTP.SendAsApp"]}' }
        @{ Problem = 'no SMTP permission'; Message = 'neither SMTP.Send nor SMTP.SendAsApp'; Action = 'SMTP.SendAsApp'
            Claims = '{"aud":"https://outlook.office365.com","iss":"https://sts.windows.net/t/","roles":["Mail.Send"]}' }
    ) {
        $token = New-UnsignedJwt $Claims
        $e = Get-TerminatingError { Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { $token } }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        $e.Exception.Message | Should -Match ([regex]::Escape($Message))
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Action))
        Get-AuthCommand $server | Should -BeNullOrEmpty
        ($e | Out-String) + $e.ErrorDetails.RecommendedAction | Should -Not -Match ([regex]::Escape($token))
    }

    It 'never shows a token from a script block in verbose output or errors' {
        $verbose = [Collections.Generic.List[string]]::new()
        $e = Get-TerminatingError {
            Connect-Smtp @conn -UserName 'bob@example.com' -OAuthToken { 'wrong-token-456' } -Verbose 4>&1 |
                ForEach-Object { $verbose.Add("$_") }
        }
        Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
        $text = ($verbose -join "`n") + ($e | Out-String) + $e.Exception.ToString()
        $text | Should -Match 'C: AUTH OAUTHBEARER \*{8}'
        $text | Should -Not -Match 'wrong-token-456'
        $text | Should -Not -Match ([regex]::Escape([Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("n,a=bob@example.com,`u{1}auth=Bearer wrong-token-456`u{1}`u{1}"))))
    }
}

Describe 'Well-known provider replies are explained' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -NoStartTls -Users @{ alice = 'S3cret-pa55' } -Extensions 'ENHANCEDSTATUSCODES', 'PIPELINING', 'AUTH PLAIN LOGIN'
        $script:conn = Get-ConnectionSplat $server
        $script:conn.AllowUnencryptedAuthentication = $true
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'explains <Reply> at login' -TestCases @(
        @{ Reply = '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.'; Action = 'SmtpClientAuthenticationDisabled' }
        @{ Reply = '535 5.7.3 Authentication unsuccessful'; Action = 'New-ServicePrincipal' }
        @{ Reply = '454 4.7.0 Too many login attempts, please try again later.'; Action = 'wait a few minutes' }
    ) {
        $null = $server.On('AUTH').Reply($Reply)
        $e = Get-TerminatingError { Connect-Smtp @conn -Credential (New-TestCredential) }
        $e.FullyQualifiedErrorId | Should -Be 'SmtpAuthenticationFailed,AsyncSmtp.Commands.ConnectSmtpCommand'
        $e.ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Action))
    }

    It 'explains an EHLO name that is not fully qualified (501 5.5.4)' {
        $null = $server.On('EHLO').Reply('501 5.5.4 Invalid domain name')
        $null = $server.On('HELO').Reply('501 5.5.4 Invalid domain name')
        $e = Get-TerminatingError { Connect-Smtp @conn }
        $e.FullyQualifiedErrorId | Should -Be 'SmtpHeloFailed,AsyncSmtp.Commands.ConnectSmtpCommand'
        $e.ErrorDetails.RecommendedAction | Should -Match '-LocalHostName'
    }

    It 'explains <Reply> when sending' -TestCases @(
        @{ At = 'MAIL'; Reply = '530 5.7.57 Client not authenticated to send mail'; ErrorId = 'SmtpSenderRejected'; Action = '-OAuthToken' }
        @{ At = 'MAIL'; Reply = '432 4.3.2 STOREDRV.ClientSubmit; sender thread limit exceeded'; ErrorId = 'SmtpSenderRejected'; Action = '-ThrottleLimit' }
        @{ At = 'MAIL'; Reply = '550 5.4.5 Daily user sending limit exceeded.'; ErrorId = 'SmtpSenderRejected'; Action = 'daily sending limit' }
        @{ At = '<EOM>'; Reply = '550 5.2.252 SendAsDenied; alice@example.com not allowed to send as bob@example.com'; ErrorId = 'SmtpMessageRejected'; Action = 'Send As' }
        @{ At = '<EOM>'; Reply = '554 5.2.0 STOREDRV.Submission.Exception:SendAsDeniedException.MapiExceptionSendAsDenied'; ErrorId = 'SmtpMessageRejected'; Action = 'Restricted entities' }
    ) {
        $null = $server.On($At).Reply($Reply)
        $null = Send-SmtpMessage @conn -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be "$ErrorId,AsyncSmtp.Commands.SendSmtpMessageCommand"
        $errs[0].ErrorDetails.RecommendedAction | Should -Match ([regex]::Escape($Action))
    }

    It 'adds no provider explanation to an ordinary refusal' {
        $null = $server.On('MAIL').Reply('550 5.1.0 Sender address rejected')
        $null = Send-SmtpMessage @conn -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].ErrorDetails.RecommendedAction | Should -BeNullOrEmpty
    }
}
