# Pester checks of a mail server with Test-SmtpServer: copy this file, change the defaults (or pass
# them with New-PesterContainer -Data), and run it with Invoke-Pester, for example:
#
#   $data = @{ MailServer = 'mx.example.com'; Credential = Get-Credential }
#   Invoke-Pester -Container (New-PesterContainer -Path ./MailServer.Tests.ps1 -Data $data)
#
# Nothing here sends a message: Test-SmtpServer stops before DATA, RSETs and QUITs.
param(
    # The server that receives mail for the domain (an MX host).
    [string] $MailServer = 'mx.example.com',
    # Where other servers deliver: STARTTLS offered, no AUTH before TLS, no open relay.
    [int] $RelayPort = 25,
    # Where users submit mail with a login.
    [int] $SubmissionPort = 587,
    # The submission account; without it the login check is skipped.
    [pscredential] $Credential,
    # An address that must exist.
    [string] $Recipient = 'postmaster@example.com',
    # The certificate must be valid for at least this many more days.
    [int] $MinimumDaysLeft = 21
)

BeforeAll {
    Import-Module AsyncSmtp -ErrorAction Stop
}

Describe "Mail server $MailServer" {
    Context "port $RelayPort" {
        BeforeAll {
            $script:relay = Test-SmtpServer -SmtpServer $MailServer -Port $RelayPort -TestRelay
        }

        It 'is reachable' {
            $relay.Reachable | Should -BeTrue -Because $relay.Error
        }

        It 'offers STARTTLS' {
            $relay.StartTlsOffered | Should -BeTrue
            $relay.TlsMode | Should -Be 'StartTls'
        }

        It 'offers AUTH only after TLS' {
            $relay.AuthMechanismsBeforeTls | Should -BeNullOrEmpty
        }

        It "has a valid certificate with more than $MinimumDaysLeft days left" {
            $relay.CertificateValid | Should -BeTrue -Because ($relay.CertificateErrors -join ', ')
            $relay.CertificateDaysLeft | Should -BeGreaterThan $MinimumDaysLeft
        }

        It 'refuses to relay for a foreign domain' {
            $relay.RelayRefused | Should -BeTrue
        }

        It "accepts mail for $Recipient" {
            $probe = Test-SmtpServer -SmtpServer $MailServer -Port $RelayPort -Recipient $Recipient
            $probe.RecipientResults[0].Accepted | Should -BeTrue -Because $probe.RecipientResults[0].Message
        }
    }

    Context "port $SubmissionPort" {
        It 'lets the submission account log in' -Skip:(-not $Credential) {
            $submission = Test-SmtpServer -SmtpServer $MailServer -Port $SubmissionPort -StartTls -Credential $Credential -QuitAfter Auth
            $submission.Authenticated | Should -BeTrue -Because $submission.Error
        }
    }
}
