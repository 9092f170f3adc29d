# The README's main job: sends real mail with the built module through a loopback SMTP server that
# requires STARTTLS and AUTH, then shows the cmdlet's result and what the server received.
# Called by `build.ps1 -Task Demo` after the module build; nothing leaves this machine.
param([Parameter(Mandatory)][string] $Root, [string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
. (Join-Path $Root 'build/Common.ps1')

$serverDll = Join-Path $Root "tests/AsyncSmtp.TestServer/bin/$Configuration/net10.0/AsyncSmtp.TestServer.dll"
if (-not (Test-Path $serverDll)) {
    Invoke-Native dotnet build (Join-Path $Root 'tests/AsyncSmtp.TestServer/AsyncSmtp.TestServer.csproj') -c $Configuration -nologo -v q
}
Add-Type -Path $serverDll
Import-Module (Join-Path (Get-ModuleOutputDir $Root) 'AsyncSmtp.psd1') -Force

function Write-Section([string] $Title) { Write-Host "`n== $Title ==" -ForegroundColor Cyan }

# A server like a submission service: STARTTLS with a certificate made at run time, AUTH offered
# only once the connection is encrypted, one account.
$options = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new()
$options.OfferStartTls = $true
$options.RequireTlsForAuth = $true
$options.Users['demo@example.test'] = [guid]::NewGuid().ToString()
$server = [AsyncSmtp.TestServer.SmtpTestServer]::StartNew($options)
try {
    $password = ConvertTo-SecureString $options.Users['demo@example.test'] -AsPlainText -Force
    $credential = [pscredential]::new('demo@example.test', $password)
    $connection = @{
        SmtpServer           = $server.Host
        Port                 = $server.Port
        StartTls             = $true
        # The server's certificate is self-signed, made a moment ago: nothing could vouch for it.
        SkipCertificateCheck = $true
        Credential           = $credential
    }
    Write-Host "Loopback SMTP server on $($server.Host):$($server.Port): STARTTLS, then AUTH PLAIN/LOGIN/CRAM-MD5."

    Write-Section 'Send-SmtpMessage -StartTls -Credential (one-shot; -Verbose shows the protocol, secrets redacted)'
    $result = Send-SmtpMessage @connection -From 'Demo <demo@example.test>' -To 'ops@example.test' `
        -Subject 'AsyncSmtp demo' -Body "Hello from AsyncSmtp.`nThis message went over STARTTLS after AUTH." -Verbose
    $result | Format-List | Out-String | Write-Host

    Write-Section 'What the server received'
    $received = $server.WaitForMessage(10000)
    $session = $server.Sessions | Where-Object Id -EQ $received.SessionId
    [pscustomobject]@{
        'MAIL FROM'         = $received.Sender
        'RCPT TO'           = $received.Recipients -join ', '
        'MAIL parameters'   = $received.MailParameters -join ' '
        'Encrypted'         = $received.IsEncrypted
        'TLS protocol'      = $session.TlsProtocol
        'Authenticated as'  = $received.AuthenticatedUser
        'Sent with'         = if ($received.ViaBdat) { 'BDAT (CHUNKING)' } else { 'DATA' }
        'Size'              = "$($received.Data.Length) bytes"
    } | Format-List | Out-String | Write-Host
    Write-Host $received.Text

    Write-Section 'Connect-Smtp once, then a pipeline of messages through the session'
    $smtp = Connect-Smtp @connection
    try {
        1..3 | ForEach-Object { New-SmtpMessage -From 'demo@example.test' -To "user$_@example.test" -Subject "Report $_" -Body "Report number $_." } |
            Send-SmtpMessage -Session $smtp | Format-Table Recipients, Response, Size, Elapsed -AutoSize | Out-String | Write-Host
    } finally {
        $smtp | Disconnect-Smtp
    }

    $all = $server.WaitForMessages(4, 10000)
    $unsafe = @($all | Where-Object { -not $_.IsEncrypted -or $_.AuthenticatedUser -ne 'demo@example.test' })
    if ($unsafe.Count -gt 0) { throw "Demo failed: $($unsafe.Count) message(s) arrived without TLS or without AUTH." }
    Write-Host "Demo done: the server received $($all.Count) messages, every one over TLS from an authenticated client." -ForegroundColor Green
} finally {
    $server.Dispose()
}
