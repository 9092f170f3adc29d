@{
    RootModule           = 'AsyncSmtp.psm1'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '6f1d3c2a-8b47-4e0e-9a53-2c7d1e9b5a41'
    Author               = 'AsyncSmtp developers'
    CompanyName          = 'AsyncSmtp developers'
    Copyright            = '(c) 2026 AsyncSmtp developers. MIT License (see LICENSE).'
    Description          = 'Send mail and check SMTP servers from PowerShell: binary cmdlets around a fully asynchronous SMTP client with implicit TLS, STARTTLS, SASL (PLAIN, LOGIN, CRAM-MD5, XOAUTH2), pipelining, typed errors and protocol logging.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('AsyncSmtp.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Smtp'
        'Disconnect-Smtp'
        'Send-SmtpMessage'
        'New-SmtpMessage'
        'Invoke-SmtpCommand'
        'Get-SmtpExtension'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('SMTP', 'Mail', 'Email', 'Send-MailMessage', 'STARTTLS', 'TLS', 'OAuth', 'Async', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/asyncsmtp/AsyncSmtp'
            LicenseUri   = 'https://github.com/asyncsmtp/AsyncSmtp/blob/main/LICENSE'
            # A prerelease until the first release: Install-PSResource needs -Prerelease to take it.
            Prerelease   = 'preview1'
            ReleaseNotes = 'First release: Connect-Smtp, Send-SmtpMessage, New-SmtpMessage, Invoke-SmtpCommand, Get-SmtpExtension, Disconnect-Smtp.'
        }
    }
}
