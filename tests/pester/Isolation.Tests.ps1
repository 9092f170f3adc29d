# The module beside other modules in one process (PowerShell 7): its assemblies live in a load context of their
# own, so another module's older MimeKit, loaded before or after it, neither breaks it nor is replaced by ours.
# Each conflict runs in a fresh pwsh, as a user's session would.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    . (Join-Path $PSScriptRoot 'StandInMimeKit.ps1')
    $script:ModuleDir = Split-Path $ModuleManifest
    $script:StandIn = Join-Path $TestDrive 'other-module'
    $null = New-Item -ItemType Directory $StandIn
    New-StandInMimeKit -Directory $StandIn -ShippedMimeKit (Join-Path $ModuleDir 'core/MimeKit.dll')
    $script:Server = Start-TestSmtpServer -NoStartTls

    function Invoke-ChildScript([string] $Script) {
        $file = Join-Path $TestDrive "child-$([guid]::NewGuid()).ps1"
        Set-Content $file $Script
        Invoke-FreshPwsh -File $file -Arguments @{
            ModuleManifest = $ModuleManifest; StandIn = $StandIn; Server = $Server.Host; Port = $Server.Port
        }
    }

    $script:ChildPreamble = @'
param($ModuleManifest, $StandIn, $Server, $Port)
$ErrorActionPreference = 'Stop'
function Import-OtherModule {
    Add-Type -Path (Join-Path $StandIn 'MimeKit.dll')
    Add-Type -Path (Join-Path $StandIn 'OtherMailModule.dll')
}
function Send-Probe([string] $Subject) {
    $message = New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject $Subject -Body 'x'
    (Send-SmtpMessage -Message $message -SmtpServer $Server -Port $Port -NoTls -TimeoutSec 10).Response
}
function Get-OurMimeKitVersion {
    $cmdlets = (Get-Command Send-SmtpMessage).ImplementingType.Assembly
    $context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets)
    ($context.Assemblies | Where-Object { $_.GetName().Name -eq 'MimeKit' }).GetName().Version.ToString()
}
'@
}

AfterAll {
    if ($Server) { $Server.Dispose() }
}

Describe 'Another module''s older MimeKit in the same process' {
    It 'loaded first: AsyncSmtp still sends, with its own MimeKit, and the other module keeps its own' {
        $result = Invoke-ChildScript ($ChildPreamble + @'
Import-OtherModule
Import-Module $ModuleManifest
$code = Send-Probe 'older first'
$theirs = [OtherMailModule.Probe]::MimeKitVersion()
[pscustomobject]@{ Code = $code; Ours = Get-OurMimeKitVersion; Theirs = $theirs } | ConvertTo-Json -Compress
'@)
        $result.Code | Should -Match 'queued'
        $result.Ours | Should -Be '4.18.0.0'
        $result.Theirs | Should -Be '4.3.0.0'
        ($Server.Messages | Where-Object { $_.Text -match 'Subject: older first' }) | Should -Not -BeNullOrEmpty
    }

    It 'loaded after AsyncSmtp: the other module gets its own MimeKit, and AsyncSmtp still sends' {
        $result = Invoke-ChildScript ($ChildPreamble + @'
Import-Module $ModuleManifest
$before = Send-Probe 'newer first'
Import-OtherModule
$theirs = [OtherMailModule.Probe]::MimeKitVersion()
$after = Send-Probe 'newer first, again'
$ours = Get-OurMimeKitVersion
[pscustomobject]@{ Before = $before; After = $after; Ours = $ours; Theirs = $theirs } | ConvertTo-Json -Compress
'@)
        $result.Before | Should -Match 'queued'
        $result.After | Should -Match 'queued'
        $result.Ours | Should -Be '4.18.0.0'
        $result.Theirs | Should -Be '4.3.0.0'
    }
}

Describe 'The load context' {
    It 'holds the cmdlets and everything shipped beside them, outside the default context' {
        $cmdlets = (Get-Command Send-SmtpMessage).ImplementingType.Assembly
        $context = [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets)
        $context | Should -Not -Be ([Runtime.Loader.AssemblyLoadContext]::Default)
        $null = New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject 'load' -Body 'x'
        $names = $context.Assemblies | ForEach-Object { $_.GetName().Name }
        foreach ($name in 'AsyncSmtp', 'AsyncSmtp.Mime', 'AsyncSmtp.Client', 'MimeKit') {
            $names | Should -Contain $name
        }
        # (Other test files may load a MimeKit of their own into the default context: only ours are checked there.)
        [Runtime.Loader.AssemblyLoadContext]::Default.Assemblies | ForEach-Object { $_.GetName().Name } |
            Where-Object { $_ -in 'AsyncSmtp', 'AsyncSmtp.Mime', 'AsyncSmtp.Client' } | Should -BeNullOrEmpty
    }

    It 'still lets scripts name the module''s types: <Name>' -ForEach @(
        @{ Name = 'AsyncSmtp.SmtpMessage' }, @{ Name = 'AsyncSmtp.SmtpSession' }
        @{ Name = 'AsyncSmtp.Mime.SmtpMessagePriority' }
        @{ Name = 'AsyncSmtp.Client.SmtpTlsMode' }, @{ Name = 'AsyncSmtp.Client.SmtpException' }
    ) {
        $type = $Name -as [type]
        $type | Should -Not -BeNullOrEmpty
        $cmdlets = (Get-Command Send-SmtpMessage).ImplementingType.Assembly
        [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($type.Assembly) |
            Should -Be ([Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdlets))
    }

    It 'gives objects that match those type names' {
        New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject 't' -Body 'x' -Priority High |
            Should -BeOfType ([AsyncSmtp.SmtpMessage])
        [AsyncSmtp.Mime.SmtpMessagePriority]::High | Should -Be 'High'
    }

    It 'keeps the cmdlets and the type names through Import-Module -Force and Remove-Module' {
        $result = Invoke-ChildScript ($ChildPreamble + @'
Import-Module $ModuleManifest
Import-Module $ModuleManifest -Force
$forced = Send-Probe 'after -Force'
Remove-Module AsyncSmtp
$removed = @(Get-Command -Module AsyncSmtp -ErrorAction Ignore).Count
Import-Module $ModuleManifest
$again = Send-Probe 'imported again'
$typed = (New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject 't' -Body 'x') -is [AsyncSmtp.SmtpMessage]
$contexts = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AsyncSmtp' }).Count
[pscustomobject]@{ Forced = $forced; Removed = $removed; Again = $again; Typed = $typed; Copies = $contexts;
    Commands = @(Get-Command -Module AsyncSmtp).Count } | ConvertTo-Json -Compress
'@)
        $result.Forced | Should -Match 'queued'
        $result.Removed | Should -Be 0
        $result.Again | Should -Match 'queued'
        $result.Typed | Should -BeTrue
        $result.Copies | Should -Be 1 -Because 'a second import reuses the loaded cmdlet assembly'
        $result.Commands | Should -Be 7
    }
}

Describe 'What ships' {
    It 'leaves out MimeKit''s cryptography dependencies (<_>)' -ForEach @(
        'BouncyCastle.Cryptography', 'System.Security.Cryptography.Pkcs', 'System.Security.Cryptography.Cng',
        'Microsoft.Bcl.Cryptography', 'System.Formats.Asn1', 'System.Data.DataSetExtensions'
    ) {
        Get-ChildItem $ModuleDir -Recurse -Filter "$_.dll" | Should -BeNullOrEmpty
    }

    It 'sends a <Kind> message file as it is, without them' -ForEach @(
        @{ Kind = 'S/MIME-signed'; Body = @'
Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="b1"

--b1
Content-Type: text/plain

Signed text.
--b1
Content-Type: application/pkcs7-signature; name=smime.p7s
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAKCAMIIBIjAN
--b1--
'@ }
        @{ Kind = 'S/MIME-encrypted'; Body = @'
Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m
Content-Transfer-Encoding: base64

MIAGCSqGSIb3DQEHA6CAMIACAQAxggEwMIIBLAIBADCBlDCBhjELMAkGA1UEBhMCVVMxEzARBgNVBAgT
'@ }
        @{ Kind = 'PGP-encrypted'; Body = @'
Content-Type: multipart/encrypted; protocol="application/pgp-encrypted"; boundary="b2"

--b2
Content-Type: application/pgp-encrypted

Version: 1
--b2
Content-Type: application/octet-stream

-----BEGIN PGP MESSAGE-----
hQEMA0l2mQ2sUt1bAQf/SmVzdCBhIHN0YW5kLWluLg==
-----END PGP MESSAGE-----
--b2--
'@ }
    ) {
        $Server.Clear()
        $file = Join-Path $TestDrive "$($Kind -replace '\W', '').eml"
        $headers = "From: a@example.com`r`nTo: b@example.com`r`nSubject: $Kind`r`nMIME-Version: 1.0`r`n"
        Set-Content $file ($headers + ($Body -replace '\r?\n', "`r`n")) -NoNewline
        $result = Send-SmtpMessage -Path $file -SmtpServer $Server.Host -Port $Server.Port -NoTls -TimeoutSec 10
        $result.Response | Should -Match 'queued'
        $received = $Server.WaitForMessage(5000).Text
        $received | Should -Match ([regex]::Escape(($Body -split '\r?\n')[0]))
        $received | Should -Match ([regex]::Escape(($Body -split '\r?\n')[-2]))
    }
}
