# The Send-MailMessage drop-in check: each row runs the same parameters through the real
# Send-MailMessage (obsolete, still in PowerShell 7) and through Send-SmtpMessage, against the same
# capturing test server, and compares what the server received: the envelope, the headers that
# matter, the MIME structure and the text. Rows come from Send-MailMessage's documented examples
# and from the compatibility features (positions, -UseSsl, -Encoding, $PSEmailServer, piped files,
# DSN to a server without DSN).
#
# Differences on purpose — the only parameters a row may give Send-SmtpMessage alone (OursOnly),
# and the only facts allowed to differ (Differs); docs/help/about_AsyncSmtp.md lists the same:
#   Plaintext credentials : refused unless -AllowUnencryptedAuthentication (Send-MailMessage sends them).
#   Opportunistic STARTTLS: used when the server offers it (Send-MailMessage stays plaintext without -UseSsl).
#   Certificates          : validated unless -SkipCertificateCheck (Send-MailMessage trusts what
#                           [Net.ServicePointManager]::ServerCertificateValidationCallback trusts).
#   Charset               : UTF-8 when -Encoding is not given (Send-MailMessage's default, ASCII, turns
#                           every other character into '?').
#   Attachment type       : from the file extension (Send-MailMessage sends application/octet-stream);
#                           not compared below.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    # MimeKit reads both messages back; the copy the module ships is the one the build tested.
    $mimeKit = Get-ChildItem (Split-Path $ModuleManifest) -Recurse -Filter 'MimeKit.dll' | Select-Object -First 1
    Add-Type -Path $mimeKit.FullName

    function Start-CompatServer([switch] $StartTls, [switch] $NoDsn) {
        $extensions = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new().Extensions | Where-Object { -not ($NoDsn -and $_ -eq 'DSN') }
        $splat = @{ Users = @{ alice = 'S3cret-pa55' }; Extensions = $extensions }
        if (-not $StartTls) { $splat.NoStartTls = $true }
        Start-TestSmtpServer @splat
    }

    function Get-MailboxText($List) {
        # The same mailbox list whatever the quoting and encoding: "Name <address>" or the address alone.
        @($List.Mailboxes | ForEach-Object { if ($_.Name) { "$($_.Name) <$($_.Address)>" } else { $_.Address } })
    }

    function Get-StructureText($Entity) {
        if ($Entity -is [MimeKit.Multipart]) {
            return "$($Entity.ContentType.MimeType)(" + (@($Entity | ForEach-Object { Get-StructureText $_ }) -join ', ') + ')'
        }
        if ($Entity.IsAttachment) { return "attachment:$($Entity.FileName)" }
        $Entity.ContentType.MimeType
    }

    function Get-ReceivedFacts([Parameter(Mandatory)] $Received, [switch] $WithCharset) {
        # What a recipient (and the SMTP envelope) sees, without what legitimately changes per send
        # (Message-Id, Date, MIME boundaries, transfer encodings, the attachment media type).
        $message = [MimeKit.MimeMessage]::Load([IO.MemoryStream]::new($Received.Data))
        $headers = $message.Headers
        $facts = [ordered]@{
            Sender       = $Received.Sender
            # RCPT order carries no meaning (System.Net.Mail sends To, Bcc, Cc): compared as sets.
            Recipients   = @($Received.Recipients | Sort-Object)
            Notify       = @($Received.Recipients | Sort-Object | ForEach-Object {
                    $params = $null
                    $notify = if ($Received.RecipientParameters.TryGetValue($_, [ref] $params)) {
                        @($params | Where-Object { $_ -like 'NOTIFY=*' }) -replace '^NOTIFY=' -split ',' | Sort-Object
                    }
                    "$_=$($notify -join ',')"
                })
            From         = Get-MailboxText $message.From
            To           = Get-MailboxText $message.To
            Cc           = Get-MailboxText $message.Cc
            ReplyTo      = Get-MailboxText $message.ReplyTo
            BccHeader    = $headers.Contains('Bcc')
            Subject      = $message.Subject
            XPriority    = "$($headers['X-Priority'])" -replace '^\s*(\d).*$', '$1'
            Priority     = "$($headers['Priority'])".ToLowerInvariant()
            Importance   = "$($headers['Importance'])".ToLowerInvariant()
            Structure    = Get-StructureText $message.Body
            Texts        = @($message.BodyParts | Where-Object { $_ -is [MimeKit.TextPart] -and -not $_.IsAttachment } |
                    ForEach-Object { $_.Text.Replace("`r`n", "`n").TrimEnd("`n") })
            Attachments  = @($message.Attachments | ForEach-Object {
                    $bytes = [IO.MemoryStream]::new(); $_.Content.DecodeTo($bytes)
                    "$($_.FileName)=" + [Convert]::ToHexString([Security.Cryptography.SHA256]::HashData($bytes.ToArray()))
                })
            Encrypted    = $Received.IsEncrypted
            Authenticated = $Received.AuthenticatedUser
        }
        if ($WithCharset) {
            $facts.Charsets = @($message.BodyParts | Where-Object { $_ -is [MimeKit.TextPart] } | ForEach-Object { $_.ContentType.Charset.ToLowerInvariant() })
        }
        $facts
    }

    function Invoke-Row([Parameter(Mandatory)] $Row, [Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] $Server) {
        # Runs the row through one cmdlet: what the server received, the error if it failed, and its warnings.
        $named = @{} + $Row.Named
        if ($Row.ServerFrom -eq 'Parameter') { $named.SmtpServer = $Server.Host }
        $named.Port = $Server.Port
        if ($Command -eq 'Send-SmtpMessage') {
            foreach ($key in @($Row.OursOnly.Keys)) { $named[$key] = $Row.OursOnly[$key] }
            $named.TimeoutSec = 10
        } else {
            $named.WarningAction = 'SilentlyContinue'   # the obsolete notice
        }
        $positional = @(foreach ($value in $Row.Positional) { if ($value -eq '<server>') { $Server.Host } else { $value } })
        $Server.Clear()
        $warnings = $null
        $thrown = $null
        $PSEmailServer = if ($Row.ServerFrom -eq 'PSEmailServer') { $Server.Host }
        try {
            if ($Row.Pipe) { & $Row.Pipe | & $Command @positional @named -WarningVariable warnings -ErrorAction Stop | Out-Null }
            else { & $Command @positional @named -WarningVariable warnings -ErrorAction Stop | Out-Null }
        } catch { $thrown = $_ }
        [pscustomobject]@{
            Received = @($Server.Messages)
            Error    = $thrown
            Warnings = @($warnings | Where-Object { $_.Message -notmatch 'obsolete' })
        }
    }

    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("asyncsmtp-compat-" + [guid]::NewGuid())
    New-Item -ItemType Directory $work | Out-Null
    Set-Content (Join-Path $work 'data.csv') "name,value`nalpha,1`nbeta,2"
    Set-Content (Join-Path $work 'notes.txt') 'Remember the milk.'
    $script:servers = @{
        Plain    = Start-CompatServer
        StartTls = Start-CompatServer -StartTls
        NoDsn    = Start-CompatServer -NoDsn
    }
    # Send-MailMessage can only be told to trust the test certificate through this process-wide hook.
    $script:previousValidation = [Net.ServicePointManager]::ServerCertificateValidationCallback
    [Net.ServicePointManager]::ServerCertificateValidationCallback = $servers.StartTls.CertificateValidationCallback
}

AfterAll {
    [Net.ServicePointManager]::ServerCertificateValidationCallback = $previousValidation
    foreach ($server in $servers.Values) { $server.Dispose() }
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'Send-MailMessage scripts, renamed to Send-SmtpMessage' {
    BeforeDiscovery {
        $credential = [pscredential]::new('alice', (ConvertTo-SecureString 'S3cret-pa55' -AsPlainText -Force))
        $script:rows = @(
            @{ Name = 'doc example 1: from one person to another'
                Named = @{ From = 'User01 <user01@fabrikam.com>'; To = 'User02 <user02@fabrikam.com>'; Subject = 'Test mail' } }
            @{ Name = 'doc example 2: an attachment, priority and delivery notifications'
                Named = @{ From = 'User01 <user01@fabrikam.com>'; To = 'User02 <user02@fabrikam.com>', 'User03 <user03@fabrikam.com>'
                    Subject = 'Sending the Attachment'; Body = 'Forgot to send the attachment. Sending now.'
                    Attachments = '<work>/data.csv'; Priority = 'High'; DeliveryNotificationOption = 'OnSuccess', 'OnFailure' } }
            @{ Name = 'doc example 3: a mailing list with Cc, Bcc, credentials and -UseSsl'; On = 'StartTls'
                Named = @{ From = 'User01 <user01@fabrikam.com>'; To = 'ITGroup <itdept@fabrikam.com>'; Cc = 'User02 <user02@fabrikam.com>'
                    Bcc = 'ITMgr <itmgr@fabrikam.com>'; Subject = "Don't forget today's meeting!"; Credential = $credential; UseSsl = $true }
                OursOnly = @{ SkipCertificateCheck = $true } }
            @{ Name = 'positions: To, Subject, Body, SmtpServer'; ServerFrom = 'Position'
                Positional = 'bob@example.com', 'Positional', 'Given by position.', '<server>'; Named = @{ From = 'alice@example.com' } }
            @{ Name = '$PSEmailServer as the server'; ServerFrom = 'PSEmailServer'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Default server'; Body = 'No -SmtpServer.' } }
            @{ Name = 'HTML body, Reply-To, low priority'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; ReplyTo = 'Help Desk <help@example.com>'
                    Subject = 'Weekly status'; Body = '<h1>Status</h1><p>All green.</p>'; BodyAsHtml = $true; Priority = 'Low' } }
            @{ Name = '-Encoding UTF8 for a non-ASCII subject and body'; WithCharset = $true
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Grüße aus Köln ☕'; Body = "Zeile eins`nZeile zwei: äöü ß €"
                    Encoding = 'utf8' } }
            @{ Name = '-Encoding as a System.Text.Encoding (Latin-1)'; WithCharset = $true
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Café'; Body = 'Crème brûlée'
                    Encoding = [Text.Encoding]::Latin1 } }
            @{ Name = 'several attachments, Cc and Bcc'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Cc = 'carol@example.com', 'dave@example.com'
                    Bcc = 'erin@example.com'; Subject = 'Files'; Body = 'Two files.'; Attachments = '<work>/data.csv', '<work>/notes.txt' } }
            @{ Name = 'files piped in become attachments of one message'; Pipe = { Get-Item "$work/data.csv", "$work/notes.txt" }
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Piped'; Body = 'See attached.' } }
            @{ Name = 'an empty pipeline of files: the message is sent without attachments'; Pipe = { @() }
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'No files today'; Body = 'Nothing new.' } }
            @{ Name = 'delivery notifications to a server without DSN: sent without them'; On = 'NoDsn'; OursWarn = 'DSN'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'DSN'; Body = 'x'; DeliveryNotificationOption = 'OnFailure' } }
            @{ Name = 'credentials without TLS (plaintext credentials need -AllowUnencryptedAuthentication)'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Plain login'; Body = 'x'; Credential = $credential }
                OursOnly = @{ AllowUnencryptedAuthentication = $true } }
            @{ Name = 'a server that offers STARTTLS (used when offered)'; On = 'StartTls'; Differs = 'Encrypted'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Opportunistic'; Body = 'x' }
                OursOnly = @{ SkipCertificateCheck = $true } }
            @{ Name = 'no charset given: UTF-8 rather than ASCII question marks'; Differs = 'Subject', 'Texts'
                Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'Naïve'; Body = 'Fünf Äpfel' } }
        ) | ForEach-Object {
            $row = @{ On = 'Plain'; ServerFrom = 'Parameter'; Positional = @(); OursOnly = @{}; Differs = @(); Pipe = $null; OursWarn = $null; WithCharset = $false }
            foreach ($key in $_.Keys) { $row[$key] = $_[$key] }
            $row
        }
    }

    It '<Name>' -ForEach $rows {
        $row = $_
        foreach ($key in @($row.Named.Keys)) {
            if ($row.Named[$key] -is [string] -or $row.Named[$key] -is [array]) { $row.Named[$key] = $row.Named[$key] -replace '^<work>', $work }
        }

        $theirs = Invoke-Row -Row $row -Command 'Send-MailMessage' -Server $servers[$row.On]
        $ours = Invoke-Row -Row $row -Command 'Send-SmtpMessage' -Server $servers[$row.On]

        $theirs.Error | Should -BeNullOrEmpty -Because 'the row must be valid for Send-MailMessage'
        $ours.Error | Should -BeNullOrEmpty
        $theirs.Received.Count | Should -Be 1
        $ours.Received.Count | Should -Be 1
        $theirFacts = Get-ReceivedFacts $theirs.Received[0] -WithCharset:$row.WithCharset
        $ourFacts = Get-ReceivedFacts $ours.Received[0] -WithCharset:$row.WithCharset
        foreach ($fact in $row.Differs) {
            $ourFacts[$fact] | Should -Not -Be $theirFacts[$fact] -Because "$fact is a difference on purpose"
            $ourFacts.Remove($fact); $theirFacts.Remove($fact)
        }
        ($ourFacts | ConvertTo-Json -Depth 4) | Should -Be ($theirFacts | ConvertTo-Json -Depth 4)
        if ($row.OursWarn) { $ours.Warnings.Message | Should -Match $row.OursWarn } else { $ours.Warnings | Should -BeNullOrEmpty }
    }

    It 'refuses, as Send-MailMessage does, to send with -UseSsl to a server without STARTTLS' {
        $server = $servers.Plain
        $row = @{ Named = @{ From = 'alice@example.com'; To = 'bob@example.com'; Subject = 'x'; Body = 'y'; UseSsl = $true }
            ServerFrom = 'Parameter'; OursOnly = @{} }
        $theirs = Invoke-Row -Row $row -Command 'Send-MailMessage' -Server $server
        $ours = Invoke-Row -Row $row -Command 'Send-SmtpMessage' -Server $server

        $theirs.Error | Should -Not -BeNullOrEmpty
        $theirs.Received | Should -BeNullOrEmpty
        $ours.Error.FullyQualifiedErrorId | Should -Be 'SmtpStartTlsNotSupported,AsyncSmtp.Commands.SendSmtpMessageCommand'
        $ours.Received | Should -BeNullOrEmpty
    }
}
