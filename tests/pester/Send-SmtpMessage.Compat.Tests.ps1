# Send-SmtpMessage's Send-MailMessage parameters one by one (positions, -UseSsl, -Encoding, -Headers,
# -InlineAttachment, piped files, DSN to a server without DSN), and what each must not change. The
# side-by-side comparison with Send-MailMessage itself is Send-MailMessage.Compatibility.Tests.ps1.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:CmdletClass = 'AsyncSmtp.Commands.SendSmtpMessageCommand'
    $mimeKit = Get-ChildItem (Split-Path $ModuleManifest) -Recurse -Filter 'MimeKit.dll' | Select-Object -First 1
    Add-Type -Path $mimeKit.FullName

    function Read-Received($Received) { [MimeKit.MimeMessage]::Load([IO.MemoryStream]::new($Received.Data)) }

    $script:server = Start-TestSmtpServer -NoStartTls
    $script:conn = Get-ConnectionSplat $server
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("asyncsmtp-compat-params-" + [guid]::NewGuid())
    New-Item -ItemType Directory $work | Out-Null
    [IO.File]::WriteAllBytes((Join-Path $work 'logo.png'), [byte[]](0x89, 0x50, 0x4E, 0x47, 13, 10, 26, 10))
    Set-Content (Join-Path $work 'report.csv') 'a,b'
}

AfterAll {
    $server.Dispose()
    Remove-Item -Recurse -Force $work -ErrorAction Ignore
}

Describe 'Send-SmtpMessage with Send-MailMessage''s parameters' {
    BeforeEach { $server.Clear() }

    Context 'positions' {
        It 'takes To, Subject, Body and SmtpServer at positions 0 to 3, and SmtpServer only in the one-shot set' {
            $parameters = (Get-Command Send-SmtpMessage).Parameters
            $parameters.To.ParameterSets['__AllParameterSets'].Position | Should -Be 0
            $parameters.Subject.ParameterSets['__AllParameterSets'].Position | Should -Be 1
            $parameters.Body.ParameterSets['__AllParameterSets'].Position | Should -Be 2
            $parameters.SmtpServer.ParameterSets.Keys | Should -Be @('Connect')
            $parameters.SmtpServer.ParameterSets['Connect'].Position | Should -Be 3
        }

        It 'keeps -SmtpServer at position 0 on the other cmdlets' {
            foreach ($name in 'Connect-Smtp', 'Get-SmtpExtension') {
                $sets = (Get-Command $name).Parameters.SmtpServer.ParameterSets
                $sets['Connect'].Position | Should -Be 0 -Because "$name keeps its server first"
            }
            $session = Connect-Smtp $server.Host -Port $server.Port -NoTls
            try { $session.SmtpServer | Should -Be $server.Host } finally { $session | Disconnect-Smtp }
        }

        It 'binds positions with a session, given or piped, as with the one-shot form' {
            $session = Connect-Smtp @conn
            try {
                $null = Send-SmtpMessage -Session $session 'bob@example.com' 'By position' 'Body by position' -From 'alice@example.com'
                $null = $session | Send-SmtpMessage 'carol@example.com' 'Piped session' 'Second' -From 'alice@example.com'
            } finally { $session | Disconnect-Smtp }
            $messages = $server.WaitForMessages(2, 5000)
            $messages[0].Recipients | Should -Be @('bob@example.com')
            (Read-Received $messages[0]).Subject | Should -Be 'By position'
            (Read-Received $messages[0]).TextBody.TrimEnd() | Should -Be 'Body by position'
            $messages[1].Recipients | Should -Be @('carol@example.com')
        }

        It 'still sends .eml files given by -Path with the server named' {
            $eml = Join-Path $work 'saved.eml'
            (New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'From a file' -Body 'x').Save($eml)
            $result = Send-SmtpMessage -SmtpServer $server.Host -Port $server.Port -NoTls -Path $eml
            $result.Recipients | Should -Be @('bob@example.com')
            (Read-Received $server.WaitForMessage(5000)).Subject | Should -Be 'From a file'
        }
    }

    Context '-UseSsl' {
        It 'requires STARTTLS: a server without it refuses the connection, nothing is sent' {
            $err = Get-TerminatingError {
                Send-SmtpMessage -SmtpServer $server.Host -Port $server.Port -UseSsl -From 'a@example.com' -To 'b@example.com' -Subject 's'
            }
            Assert-SmtpError $err -ErrorId 'SmtpStartTlsNotSupported' -Category 'SecurityError'
            $server.Messages | Should -BeNullOrEmpty
        }

        It 'connects to port 25 when -Port is not given, as Send-MailMessage does' {
            # Nothing listens on 127.0.0.2: the refusal names the port that was tried.
            $err = Get-TerminatingError {
                Send-SmtpMessage -SmtpServer '127.0.0.2' -UseSsl -TimeoutSec 5 -From 'a@example.com' -To 'b@example.com' -Subject 's'
            }
            $err.FullyQualifiedErrorId | Should -BeLike 'SmtpConnect*'
            $err.TargetObject | Should -Be '127.0.0.2:25'
        }

        It 'cannot be combined with -UseTls or -NoTls' {
            $err = Get-TerminatingError {
                Send-SmtpMessage @conn -UseSsl -From 'a@example.com' -To 'b@example.com' -Subject 's'
            }
            Assert-SmtpError $err -ErrorId 'SmtpInvalidArgument' -Category 'InvalidArgument'
            $err.Exception.Message | Should -Match 'UseSsl'
        }
    }

    Context '-Encoding and -Headers' {
        It 'encodes subject and body in the charset named, by name or code page' {
            foreach ($encoding in 'latin1', 28591, 'iso-8859-1') {
                $server.Clear()
                $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'Café' -Body 'Crème' -Encoding $encoding
                $message = Read-Received $server.WaitForMessage(5000)
                $message.Subject | Should -Be 'Café'
                $message.TextBody.TrimEnd() | Should -Be 'Crème'
                $message.Body.ContentType.Charset | Should -Be 'iso-8859-1' -Because "-Encoding $encoding"
            }
        }

        It 'refuses an encoding name it does not know, naming the ones it does' {
            $err = Get-TerminatingError { Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Encoding 'klingon' }
            $err.FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
            $err.Exception.Message | Should -Match 'utf8'
        }

        It 'refuses text the encoding cannot hold instead of sending question marks' {
            $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'Grüße' -Encoding ascii `
                -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs -ErrorId 'SmtpInvalidArgument' -Category 'InvalidArgument' -Target 'Subject'
            $server.Messages | Should -BeNullOrEmpty
        }

        It 'completes encoding names' {
            foreach ($command in 'Send-SmtpMessage', 'New-SmtpMessage') {
                $line = "$command -Encoding utf8"
                $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
                $completions | Should -Be @('utf8', 'utf8BOM', 'utf8NoBOM')
            }
        }

        It 'takes -Headers as -Header' {
            $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 's' -Headers @{ 'X-Ticket' = 'T-7' }
            $server.WaitForMessage(5000).Text | Should -Match '(?m)^X-Ticket: T-7\r$'
        }
    }

    Context 'files piped in' {
        It 'attaches every piped file, after -Attachments, to one message sent at the end of the pipeline' {
            $csv = Join-Path $work 'report.csv'
            $extra = Join-Path $work 'extra.txt'
            Set-Content $extra 'extra'
            $results = Get-Item $csv, (Join-Path $work 'logo.png') |
                Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'Files' -Body 'See attached.' -Attachments $extra
            @($results).Count | Should -Be 1
            @($server.Messages).Count | Should -Be 1
            @((Read-Received $server.Messages[0]).Attachments).FileName | Should -Be @('extra.txt', 'report.csv', 'logo.png')
        }

        It 'sends the message without attachments when the pipeline brings no file' {
            $results = @() | Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'No files today'
            @($results).Count | Should -Be 1
            $message = Read-Received $server.WaitForMessage(5000)
            $message.Subject | Should -Be 'No files today'
            $message.Attachments | Should -BeNullOrEmpty
        }

        It 'takes piped paths as text and sends over a session too' {
            $session = Connect-Smtp @conn
            try {
                $null = (Join-Path $work 'report.csv') | Send-SmtpMessage -Session $session -From 'a@example.com' -To 'b@example.com' -Subject 'Path'
            } finally { $session | Disconnect-Smtp }
            @((Read-Received $server.WaitForMessage(5000)).Attachments).FileName | Should -Be @('report.csv')
        }

        It 'sends nothing with -WhatIf' {
            Get-Item (Join-Path $work 'report.csv') | Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'x' -WhatIf
            $server.Messages | Should -BeNullOrEmpty
            $server.Sessions | Should -BeNullOrEmpty
        }

        It 'reports a piped file that does not exist as PathNotFound and sends nothing' {
            $missing = Join-Path $work 'gone.csv'
            $null = $missing | Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'x' `
                -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -Target $missing
            $server.Messages | Should -BeNullOrEmpty
        }

        It 'still sends piped .eml files as messages when no content parameter is given' {
            $eml = Join-Path $work 'piped.eml'
            (New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'Piped eml' -Body 'x').Save($eml)
            $result = Get-Item $eml | Send-SmtpMessage @conn
            $result.Recipients | Should -Be @('bob@example.com')
            $message = Read-Received $server.WaitForMessage(5000)
            $message.Subject | Should -Be 'Piped eml'
            $message.Attachments | Should -BeNullOrEmpty
        }
    }

    Context '-DeliveryNotificationOption to a server without DSN' {
        BeforeAll {
            $extensions = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new().Extensions | Where-Object { $_ -ne 'DSN' }
            $script:noDsn = Start-TestSmtpServer -NoStartTls -Extensions $extensions
        }
        AfterAll { $noDsn.Dispose() }

        It 'warns once and sends every message without NOTIFY' {
            $noDsnConn = Get-ConnectionSplat $noDsn
            $session = Connect-Smtp @noDsnConn
            try {
                $results = 1..2 | ForEach-Object { New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject "m$_" } |
                    Send-SmtpMessage -Session $session -DeliveryNotificationOption OnFailure -WarningVariable warnings -WarningAction SilentlyContinue
            } finally { $session | Disconnect-Smtp }
            @($results).Count | Should -Be 2
            @($warnings).Count | Should -Be 1
            $warnings[0].Message | Should -Match 'does not offer DSN'
            $messages = $noDsn.WaitForMessages(2, 5000)
            $messages | ForEach-Object { $_.RecipientParameters.Count | Should -Be 0 }
        }

        It 'asks for the notifications, without a warning, when the server offers DSN' {
            $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'dsn' -DeliveryNotificationOption OnFailure `
                -WarningVariable warnings
            $warnings | Should -BeNullOrEmpty
            $server.WaitForMessage(5000).RecipientParameters['b@example.com'] | Should -Be @('NOTIFY=FAILURE')
        }
    }

    Context '-InlineAttachment' {
        It 'sends the image inline: multipart/related, Content-Id, not an attachment' {
            Push-Location $work
            try {
                $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Subject 'Logo' -Body 'Our logo' `
                    -HtmlBody '<p><img src="cid:logo"></p>' -InlineAttachment @{ logo = './logo.png' } -Attachments 'report.csv'
            } finally { Pop-Location }
            $message = Read-Received $server.WaitForMessage(5000)

            $message.Body.ContentType.MimeType | Should -Be 'multipart/mixed'
            $alternative = $message.Body[0]
            $alternative.ContentType.MimeType | Should -Be 'multipart/alternative'
            $related = $alternative[1]
            $related.GetType() | Should -Be ([MimeKit.MultipartRelated])
            $related.Root.ContentType.MimeType | Should -Be 'text/html'
            $image = $related[1]
            $image.ContentId | Should -Be 'logo'
            $image.ContentType.MimeType | Should -Be 'image/png'
            $image.IsAttachment | Should -BeFalse
            @($message.Attachments).FileName | Should -Be @('report.csv')
        }

        It 'needs an HTML body' {
            $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -Body 'plain' `
                -InlineAttachment @{ logo = (Join-Path $work 'logo.png') } -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs -ErrorId 'SmtpInvalidArgument' -Category 'InvalidArgument' -Target 'InlineAttachment'
            $server.Messages | Should -BeNullOrEmpty
        }

        It 'reports a missing file as PathNotFound' {
            $missing = Join-Path $work 'missing.png'
            $null = Send-SmtpMessage @conn -From 'a@example.com' -To 'b@example.com' -HtmlBody '<img src="cid:x">' `
                -InlineAttachment @{ x = $missing } -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs -ErrorId 'PathNotFound' -Category 'ObjectNotFound' -Target $missing
        }
    }
}

Describe 'New-SmtpMessage with the same content parameters' {
    It 'builds inline parts, the chosen charset and -Headers' {
        $path = Join-Path $work 'inline.eml'
        $m = New-SmtpMessage -From 'a@example.com' -To 'b@example.com' -Subject 'Café' -Body '<img src="cid:logo">' -BodyAsHtml `
            -InlineAttachment @{ logo = (Get-Item (Join-Path $work 'logo.png')) } -Encoding latin1 -Headers @{ 'X-Ticket' = 'T-8' }
        $m.Save($path)
        $saved = [MimeKit.MimeMessage]::Load($path)
        $saved.Body.GetType() | Should -Be ([MimeKit.MultipartRelated])
        $saved.Body.Root.ContentType.Charset | Should -Be 'iso-8859-1'
        $saved.Body[1].ContentId | Should -Be 'logo'
        $saved.Headers['X-Ticket'] | Should -Be 'T-8'
        $saved.Subject | Should -Be 'Café'
    }
}
