BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.SendSmtpMessageCommand'

    function Send-Simple {
        # One small message over the session; extra parameters pass through.
        param([Parameter(Mandatory)] $Session, [string[]] $To = 'bob@example.com', [string] $Subject = 'Hello')
        Send-SmtpMessage -Session $Session -From 'alice@example.com' -To $To -Subject $Subject -Body 'Hi Bob'
    }
}

Describe 'Send-SmtpMessage' {
    BeforeAll {
        $script:server = Start-TestSmtpServer -Users @{ alice = 'S3cret-pa55' }
        $script:conn = Get-ConnectionSplat $server
        $script:endpoint = Get-ServerEndpoint $server
        $script:session = Connect-Smtp @conn
        $script:work = Join-Path ([IO.Path]::GetTempPath()) ("asyncsmtp-send-" + [guid]::NewGuid())
        New-Item -ItemType Directory $work | Out-Null
    }
    AfterAll {
        $session | Disconnect-Smtp
        $server.Dispose()
        Remove-Item -Recurse -Force $work -ErrorAction Ignore
    }
    BeforeEach {
        $server.Script.Clear(); $server.Clear()
        if (-not $session.IsConnected) { $script:session = Connect-Smtp @conn }
    }

    Context 'content from parameters' {
        It 'sends the message and returns an SmtpSendResult with the server''s final reply' {
            $result = Send-SmtpMessage -Session $session -From 'Alice <alice@example.com>' -To 'bob@example.com' -Cc 'carol@example.com' `
                -Bcc 'dave@example.com' -Subject 'Quarterly report' -Body 'Numbers attached.'
            $result | Should -BeOfType ([AsyncSmtp.SmtpSendResult])
            $result.Sender | Should -Be 'alice@example.com'
            $result.Recipients | Should -Be @('bob@example.com', 'carol@example.com', 'dave@example.com')
            $result.RejectedRecipients | Should -BeNullOrEmpty
            # A list, never an array: an array's Address() method would come out instead of nothing.
            $result.RejectedRecipients.Address | Should -BeNullOrEmpty
            $result.Response | Should -Match 'queued as [0-9A-F]+'
            $result.SmtpServer | Should -Be $server.Host
            $result.Port | Should -Be $server.Port
            $result.Size | Should -BeGreaterThan 0
            $result.Elapsed | Should -BeOfType ([timespan])

            $received = $server.WaitForMessage(5000)
            $result.Response | Should -Match $received.QueueId
            $received.Sender | Should -Be 'alice@example.com'
            $received.Recipients | Should -Be @('bob@example.com', 'carol@example.com', 'dave@example.com')
            $received.Text | Should -Match '(?m)^Subject: Quarterly report\r$'
            $received.Text | Should -Match ([regex]::Escape("Message-Id: <$($result.MessageId)>"))
            $received.Data.Length | Should -Be $result.Size
        }

        It 'never transmits Bcc' {
            $null = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Bcc 'secret@example.com' -Subject 'x' -Body 'y'
            $received = $server.WaitForMessage(5000)
            $received.Recipients | Should -Contain 'secret@example.com'
            $received.Text | Should -Not -Match 'secret@example.com'
            $received.Text | Should -Not -Match '(?im)^Bcc:'
        }

        It 'builds HTML alternatives, attachments, priority and extra headers' {
            $file = Join-Path $work 'report.csv'
            Set-Content $file 'a,b' -NoNewline
            $null = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'Rich' -Body 'plain' `
                -HtmlBody '<p>html</p>' -Attachments $file -Priority High -Header @{ 'X-Ticket' = 'T-42' }
            $text = $server.WaitForMessage(5000).Text
            $text | Should -Match 'multipart/alternative'
            $text | Should -Match 'report\.csv'
            $text | Should -Match '(?m)^X-Priority: 1'
            $text | Should -Match '(?m)^X-Ticket: T-42\r$'
        }

        It 'reports a missing attachment as PathNotFound and sends nothing' {
            $missing = Join-Path $work 'nope.pdf'
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Attachments $missing -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,AsyncSmtp.Commands.SendSmtpMessageCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $server.Commands | Where-Object { $_ -like 'MAIL*' } | Should -BeNullOrEmpty
        }

        It 'reports a malformed address as SmtpInvalidArgument' {
            $r = Send-SmtpMessage -Session $session -From 'not an address' -To 'bob@example.com' -Subject 'x' -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            $errs[0].FullyQualifiedErrorId | Should -Be 'SmtpInvalidArgument,AsyncSmtp.Commands.SendSmtpMessageCommand'
            $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        }

        It 'lets -Sender and -Recipient override the headers' {
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -Sender 'bounces@example.com' -Recipient 'archive@example.com'
            $received = $server.WaitForMessage(5000)
            $received.Sender | Should -Be 'bounces@example.com'
            $received.Recipients | Should -Be @('archive@example.com')
            $received.Text | Should -Match '(?m)^To: bob@example.com'
            $r.Recipients | Should -Be @('archive@example.com')
        }

        It 'asks for delivery status notifications with -DeliveryNotificationOption' {
            $null = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -DeliveryNotificationOption OnSuccess, OnFailure
            $received = $server.WaitForMessage(5000)
            $received.RecipientParameters['bob@example.com'] | Should -Contain 'NOTIFY=SUCCESS,FAILURE'
        }
    }

    Context 'raw messages' {
        It 'sends a raw string byte for byte, normalising line ends and dot-stuffing so nothing ends DATA early' {
            $raw = "From: a@example.com`nSubject: raw`n`nline one`n.`n..two dots`rbare CR`r`nend"
            $r = Send-SmtpMessage -Session $session -RawMessage $raw -Sender 'a@example.com' -Recipient 'b@example.com'
            $received = $server.WaitForMessage(5000)
            $expected = [Text.Encoding]::UTF8.GetBytes("From: a@example.com`r`nSubject: raw`r`n`r`nline one`r`n.`r`n..two dots`r`nbare CR`r`nend`r`n")
            [Convert]::ToBase64String($received.Data) | Should -Be ([Convert]::ToBase64String($expected))
            # Size counts the message as SIZE does: CRLF line endings, before dot-stuffing.
            $r.Size | Should -Be $expected.Length
            @($server.Messages).Count | Should -Be 1
        }

        It 'sends raw bytes as they are and reads the Message-ID from them' {
            $bytes = [Text.Encoding]::UTF8.GetBytes("Message-ID: <raw-1@example.com>`r`nSubject: bytes`r`n`r`nbody`r`n")
            $r = Send-SmtpMessage -Session $session -RawMessage $bytes -Sender 'a@example.com' -Recipient 'b@example.com', 'c@example.com'
            $r.MessageId | Should -Be 'raw-1@example.com'
            $r.Recipients | Should -Be @('b@example.com', 'c@example.com')
            [Convert]::ToBase64String($server.WaitForMessage(5000).Data) | Should -Be ([Convert]::ToBase64String($bytes))
        }

        It 'needs -Sender and -Recipient: a usage error otherwise' {
            $e = Get-TerminatingError { Send-SmtpMessage -Session $session -RawMessage "Subject: x`r`n`r`ny" -Recipient 'b@example.com' }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument 'Sender'
        }

        It 'refuses a control character in an envelope address before sending it (SmtpInvalidArgument)' {
            $r = Send-SmtpMessage -Session $session -RawMessage "Subject: x`r`n`r`ny" -Sender "a@example.com>`r`nRCPT TO:<evil@example.com" -Recipient 'b@example.com' -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs[0] SmtpInvalidArgument InvalidArgument
            $server.Commands | Where-Object { $_ -like '*evil*' } | Should -BeNullOrEmpty
            $session.IsConnected | Should -BeTrue
        }

        It 'takes -Sender and -Recipient as one address each and refuses <Value> before a byte is written' -ForEach @(
            @{ Value = "a@example.com`r`nRCPT TO:<evil@example.com>" }
            @{ Value = "Boss`n<evil@example.com>" }
            @{ Value = "a@example.com`0" }
            @{ Value = 'a@example.com <evil@example.com>' }
            @{ Value = 'a@example.com SIZE=1' }
            @{ Value = 'not an address' }
            @{ Value = 'a@example.com, evil@example.com' }
        ) {
            $raw = "Subject: x`r`n`r`ny"
            $r = Send-SmtpMessage -Session $session -RawMessage $raw -Sender $Value -Recipient 'b@example.com' -ErrorVariable sent -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $sent SmtpInvalidArgument InvalidArgument
            $r = Send-SmtpMessage -Session $session -RawMessage $raw -Sender 'a@example.com' -Recipient 'b@example.com', $Value -ErrorVariable rcpt -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $rcpt SmtpInvalidArgument InvalidArgument
            $server.Commands | Where-Object { $_ -like 'MAIL*' -or $_ -like 'RCPT*' } | Should -BeNullOrEmpty
            $session.IsConnected | Should -BeTrue
        }

        It 'takes ''Name <address>'' and ''<>'' (the null sender) in the raw form as in every other' {
            $raw = "Subject: x`r`n`r`ny"
            Send-SmtpMessage -Session $session -RawMessage $raw -Sender 'The Boss <boss@example.com>' -Recipient 'Bob <b@example.com>' | Out-Null
            Send-SmtpMessage -Session $session -RawMessage $raw -Sender '<>' -Recipient 'b@example.com' | Out-Null
            # Only the path: the server may also see SIZE= and BODY= parameters.
            $paths = $server.Commands | Where-Object { $_ -like 'MAIL*' -or $_ -like 'RCPT*' } | ForEach-Object { ($_ -split ' ')[0..1] -join ' ' }
            $paths | Should -Be @('MAIL FROM:<boss@example.com>', 'RCPT TO:<b@example.com>', 'MAIL FROM:<>', 'RCPT TO:<b@example.com>')
        }

        It 'refuses two content forms at once' {
            $e = Get-TerminatingError { Send-SmtpMessage -Session $session -RawMessage 'x' -Sender 'a@example.com' -Recipient 'b@example.com' -Subject 'also' }
            Assert-SmtpError $e SmtpInvalidArgument InvalidArgument
        }
    }

    Context 'the pipeline' {
        It 'sends every New-SmtpMessage object piped in, one result each' {
            $results = 1..5 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To "user$_@example.com" -Subject "Msg $_" -Body 'x' } |
                Send-SmtpMessage -Session $session
            $results.Count | Should -Be 5
            $results.Recipients | Should -Be (1..5 | ForEach-Object { "user$_@example.com" })
            $server.WaitForMessages(5, 5000).Count | Should -Be 5
        }

        It 'takes the session from the pipeline' {
            $r = $session | Send-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'piped session' -Body 'x'
            $r.Recipients | Should -Be @('bob@example.com')
        }

        It 'sends straight off Connect-Smtp in one pipeline' {
            $r = Connect-Smtp @conn | Send-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'chained' -Body 'x'
            $r.Response | Should -Match 'queued'
            $server.WaitForMessage(5000).Text | Should -Match 'Subject: chained'
        }

        It 'sends .eml files from Get-ChildItem' {
            $dir = Join-Path $work 'eml'
            New-Item -ItemType Directory $dir -Force | Out-Null
            1..3 | ForEach-Object {
                (New-SmtpMessage -From 'alice@example.com' -To "file$_@example.com" -Subject "File $_" -Body "body $_").Save((Join-Path $dir "m$_.eml"))
            }
            $results = Get-ChildItem $dir -Filter *.eml | Send-SmtpMessage -Session $session
            $results.Count | Should -Be 3
            ($server.WaitForMessages(3, 5000).Recipients | Sort-Object) | Should -Be @('file1@example.com', 'file2@example.com', 'file3@example.com')
        }

        It 'expands wildcards in -Path and reports a missing file without stopping' {
            $dir = Join-Path $work 'wild'
            New-Item -ItemType Directory $dir -Force | Out-Null
            (New-SmtpMessage -From 'alice@example.com' -To 'w@example.com' -Subject 'W' -Body 'w').Save((Join-Path $dir 'w.eml'))
            $missing = Join-Path $dir 'missing.eml'
            $r = Send-SmtpMessage -Session $session -Path $missing, (Join-Path $dir '*.eml') -ErrorVariable errs -ErrorAction SilentlyContinue
            @($r).Count | Should -Be 1
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,AsyncSmtp.Commands.SendSmtpMessageCommand'
            $errs[0].TargetObject | Should -Be $missing
        }

        It 'stops cleanly when the downstream command wants no more (Select-Object -First)' {
            $results = 1..5 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To "s$_@example.com" -Subject 's' -Body 'b' } |
                Send-SmtpMessage -Session $session | Select-Object -First 2
            $results.Count | Should -Be 2
            # The third message was in flight (its end not yet written): the session is closed rather than
            # let it be delivered later without a result, so exactly the reported messages arrive.
            $session.IsConnected | Should -BeFalse
            $server.Messages.Count | Should -Be 2
            $server.Messages.Recipients | Should -Be @('s1@example.com', 's2@example.com')
        }

        It 'reads each final reply with the next message, and reports every result in order' {
            $results = 1..20 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To "p$_@example.com" -Subject "n$_" -Body 'b' } |
                Send-SmtpMessage -Session $session
            $results.Count | Should -Be 20
            $results.Recipients | Should -Be (1..20 | ForEach-Object { "p$_@example.com" })
            $server.Messages.Count | Should -Be 20
            $session.IsConnected | Should -BeTrue
        }

        It 'reports a message refused at its end of data as an error in its place' {
            $server.OnEndOfMessage().Once().Reply('554 5.7.1 Looks like spam') | Out-Null
            $results = 1..3 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To "q$_@example.com" -Subject "n$_" -Body 'b' } |
                Send-SmtpMessage -Session $session -ErrorVariable errs -ErrorAction SilentlyContinue
            $results.Recipients | Should -Be @('q2@example.com', 'q3@example.com')
            $errs.Count | Should -Be 1
            $errs[0].FullyQualifiedErrorId | Should -Be 'SmtpMessageRejected,AsyncSmtp.Commands.SendSmtpMessageCommand'
            $session.IsConnected | Should -BeTrue
        }

        It 'keeps going after a refused message: one error for it, one result for each of the others' {
            $server.On('MAIL FROM:<blocked@').Reply('550 5.7.1 Sender blocked') | Out-Null
            $senders = 'ok1@example.com', 'blocked@example.com', 'ok2@example.com'
            $results = $senders | ForEach-Object { New-SmtpMessage -From $_ -To 'bob@example.com' -Subject 's' -Body 'b' } |
                Send-SmtpMessage -Session $session -ErrorVariable errs -ErrorAction SilentlyContinue
            $results.Sender | Should -Be @('ok1@example.com', 'ok2@example.com')
            Assert-SmtpError $errs[0] SmtpSenderRejected PermissionDenied 'blocked@example.com'
            $session.IsConnected | Should -BeTrue
        }
    }

    Context 'refusals' {
        It 'reports each refused recipient as a non-terminating SmtpRecipientRejected, plus the result' {
            $server.On('RCPT TO:<bad@').Reply('550 5.1.1 No such user') | Out-Null
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'good@example.com', 'bad@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs[0] SmtpRecipientRejected InvalidArgument 'bad@example.com'
            $errs[0].Exception.Code | Should -Be 550
            $errs[0].Exception.EnhancedStatusCode | Should -Be '5.1.1'
            $errs[0].ErrorDetails.Message | Should -Match 'No such user'
            $r.Recipients | Should -Be @('good@example.com')
            $r.RejectedRecipients.Count | Should -Be 1
            $r.RejectedRecipients[0].Address | Should -Be 'bad@example.com'
            $r.RejectedRecipients.Address | Should -Be 'bad@example.com'
            $r.RejectedRecipients[0].Code | Should -Be 550
            $r.RejectedRecipients[0].EnhancedStatusCode | Should -Be '5.1.1'
            $r.RejectedRecipients[0].Message | Should -Match 'No such user'
            $server.Messages[-1].Recipients | Should -Be @('good@example.com')
        }

        It 'reports every recipient refused as SmtpRecipientsRejected and sends nothing' {
            $server.On('RCPT TO:').Reply('550 5.1.1 No such user') | Out-Null
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'x@example.com', 'y@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs[0] SmtpRecipientsRejected InvalidArgument
            $errs[0].Exception.Refusals.Count | Should -Be 2
            $server.Messages | Should -BeNullOrEmpty
            $server.Script.Clear()
            (Send-Simple $session).Recipients | Should -Be @('bob@example.com')
        }

        It 'reports a refused sender as SmtpSenderRejected and the session stays usable' {
            $server.On('MAIL FROM:').Reply('553 5.7.1 Not your address').Once() | Out-Null
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs[0] SmtpSenderRejected PermissionDenied 'alice@example.com'
            $errs[0].Exception | Should -BeOfType ([AsyncSmtp.Client.SmtpSenderRefusedException])
            $r | Should -BeNullOrEmpty
            (Send-Simple $session).Sender | Should -Be 'alice@example.com'
        }

        It 'keeps the ErrorId of a transient 4xx refusal and makes it ResourceUnavailable' {
            $server.On('MAIL FROM:').Reply('451 4.3.0 Try again later').Once() | Out-Null
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs[0] SmtpSenderRejected ResourceUnavailable 'alice@example.com'
            $errs[0].Exception.IsTransient | Should -BeTrue
        }

        It 'reports a refused message body as SmtpMessageRejected' {
            $server.OnEndOfMessage().Reply('554 5.6.0 Content rejected').Once() | Out-Null
            $msg = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'spam' -Body 'buy now'
            $r = Send-SmtpMessage -Session $session -Message $msg -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs[0] SmtpMessageRejected InvalidData
            $errs[0].TargetObject | Should -Be $msg
            $session.IsConnected | Should -BeTrue
        }

        It 'reports a 552 at the end of the message as SmtpMessageTooLarge' {
            $server.OnEndOfMessage().Reply('552 5.3.4 Message too big').Once() | Out-Null
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
            Assert-SmtpError $errs[0] SmtpMessageTooLarge LimitsExceeded
        }

        It 'refuses a message larger than the server''s SIZE before sending it (SmtpMessageTooLarge)' {
            $small = Start-TestSmtpServer -Extensions 'PIPELINING', 'SIZE 1000', '8BITMIME' -NoStartTls
            try {
                $c = Get-ConnectionSplat $small
                $s = Connect-Smtp @c
                $r = Send-SmtpMessage -Session $s -From 'alice@example.com' -To 'bob@example.com' -Subject 'big' -Body ('x' * 5000) -ErrorVariable errs -ErrorAction SilentlyContinue
                $r | Should -BeNullOrEmpty
                Assert-SmtpError $errs[0] SmtpMessageTooLarge LimitsExceeded
                $small.Messages | Should -BeNullOrEmpty
                $s.IsConnected | Should -BeTrue
                $s | Disconnect-Smtp
            } finally { $small.Dispose() }
        }

        It 'needs SMTPUTF8 for a non-ASCII address: SmtpExtensionNotSupported when it is not offered' {
            $ascii = Start-TestSmtpServer -Extensions 'PIPELINING', '8BITMIME' -NoStartTls
            try {
                $c = Get-ConnectionSplat $ascii
                $s = Connect-Smtp @c
                $r = Send-SmtpMessage -Session $s -From 'alice@example.com' -To 'jörg@example.com' -Subject 'x' -Body 'y' -ErrorVariable errs -ErrorAction SilentlyContinue
                $r | Should -BeNullOrEmpty
                Assert-SmtpError $errs[0] SmtpExtensionNotSupported NotImplemented
                $ascii.Messages | Should -BeNullOrEmpty
                $s | Disconnect-Smtp
            } finally { $ascii.Dispose() }
        }
    }

    Context 'a connection that dies' {
        It 'reports a message whose final reply never came as SmtpDeliveryUncertain, then ends with SmtpServerDisconnected' {
            $server.OnEndOfMessage().Disconnect() | Out-Null
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'lost' -Body 'x'
            $e = $null
            try { $m | Send-SmtpMessage -Session $session -ErrorVariable errs -ErrorAction SilentlyContinue } catch { $e = $_ }
            # Its own outcome first, naming the message: it may have been delivered, so it is not "not sent".
            Assert-SmtpError $errs[0] SmtpDeliveryUncertain ResourceUnavailable $m
            Assert-SmtpError $e SmtpServerDisconnected ConnectionError $endpoint
            $e.ErrorDetails.Message | Should -Match '0 message\(s\) of this run were confirmed'
            $session.IsConnected | Should -BeFalse
        }

        It 'reports an idle-timeout 421 the server sent between messages as SmtpServerDisconnected with its text' {
            $server.OnEndOfMessage().SendRaw("250 2.0.0 Ok: queued as IDLE1`r`n421 4.4.2 localhost Error: timeout exceeded`r`n").Disconnect().Once() | Out-Null
            $first = Send-Simple $session
            $first.Response | Should -Match 'queued as IDLE1'
            Start-Sleep -Milliseconds 300 # the 421 reaches the client before the next message, as after an idle wait
            $e = Get-TerminatingError { Send-Simple $session }
            Assert-SmtpError $e SmtpServerDisconnected ResourceUnavailable $endpoint
            $e.Exception.Code | Should -Be 421
            $e.Exception.Message | Should -Match 'timeout exceeded'
            $session.IsConnected | Should -BeFalse
        }

        It 'counts the confirmed messages of the run in the terminating error' {
            $server.OnEndOfMessage().ThenDefault().Once() | Out-Null
            $server.OnEndOfMessage().Disconnect() | Out-Null
            $e = $null
            $messages = 1..2 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject "m$_" -Body 'x' }
            try { $messages | Send-SmtpMessage -Session $session -ErrorAction SilentlyContinue -OutVariable results } catch { $e = $_ }
            @($results).Count | Should -Be 1
            $e.ErrorDetails.Message | Should -Match '1 message\(s\) of this run were confirmed'
        }

        It 'reports a final reply that does not come in time as SmtpDeliveryUncertain, then ends with SmtpReadTimeout' {
            $c = $conn.Clone(); $c.TimeoutSec = 1
            $s = Connect-Smtp @c
            # No reply after the delay, only a hang-up: a late 250 would record the message into a later test.
            $server.OnEndOfMessage().Delay(4000).Disconnect() | Out-Null
            $e = $null
            try {
                Send-SmtpMessage -Session $s -From 'alice@example.com' -To 'bob@example.com' -Subject 'slow' -Body 'x' `
                    -ErrorVariable errs -ErrorAction SilentlyContinue
            } catch { $e = $_ }
            Assert-SmtpError $errs[0] SmtpDeliveryUncertain ResourceUnavailable
            Assert-SmtpError $e SmtpReadTimeout OperationTimeout $endpoint
            $s.IsConnected | Should -BeFalse
        }

        It 'reports a malformed final reply as SmtpDeliveryUncertain, then ends with SmtpProtocolError' {
            $server.OnEndOfMessage().SendRaw("this is not a reply`r`n") | Out-Null
            $e = $null
            try {
                Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' `
                    -ErrorVariable errs -ErrorAction SilentlyContinue
            } catch { $e = $_ }
            Assert-SmtpError $errs[0] SmtpDeliveryUncertain ResourceUnavailable
            Assert-SmtpError $e SmtpProtocolError ProtocolError $endpoint
            $session.IsConnected | Should -BeFalse
        }

        It 'refuses a closed session with a terminating SmtpSessionClosed' {
            $s = Connect-Smtp @conn
            $s | Disconnect-Smtp
            $e = Get-TerminatingError { Send-Simple $s }
            Assert-SmtpError $e SmtpSessionClosed InvalidOperation $endpoint
        }

        It 'stops within a second of Ctrl+C mid-send and leaves the session closed, not claiming to be usable' {
            $server.OnEndOfMessage().Delay(20000).Disconnect() | Out-Null
            $run = Start-InOtherRunspace 'param($s) Send-SmtpMessage -Session $s -From alice@example.com -To bob@example.com -Subject stop -Body x' $session
            Wait-Until { $server.Commands | Where-Object { $_ -like 'BDAT*' -or $_ -eq 'DATA' } } | Should -BeTrue
            Start-Sleep -Milliseconds 100
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $clock.ElapsedMilliseconds | Should -BeLessThan 1500
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
            $session.IsConnected | Should -BeFalse
            # This message only: the read-timeout test's server goes on after its 4 s delay and may record its
            # own message while this test runs.
            $server.Messages | Where-Object Text -Match '(?m)^Subject: stop\r?$' | Should -BeNullOrEmpty
            $run.PowerShell.Dispose()
        }
    }

    Context 'Ctrl+C in one-shot form' {
        It 'stops within a second mid-send, with no result' {
            $server.OnEndOfMessage().Delay(20000).Disconnect() | Out-Null
            $run = Start-InOtherRunspace 'param($h, $p) Send-SmtpMessage -SmtpServer $h -Port $p -NoTls -From alice@example.com -To bob@example.com -Subject stop -Body x' $server.Host, $server.Port
            Wait-Until { $server.Commands | Where-Object { $_ -like 'BDAT*' -or $_ -eq 'DATA' } } | Should -BeTrue
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $run.PowerShell.Stop()
            $clock.ElapsedMilliseconds | Should -BeLessThan 1500
            $run.PowerShell.InvocationStateInfo.State | Should -Be 'Stopped'
            # Only this test's message: the read-timeout test's server session accepts its own once its delay is over.
            $server.Messages | Where-Object { $_.Text -match 'Subject: stop' } | Should -BeNullOrEmpty
            $run.PowerShell.Dispose()
        }
    }

    Context '-WhatIf' {
        It 'sends nothing over a session' {
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -WhatIf
            $r | Should -BeNullOrEmpty
            $server.Commands | Where-Object { $_ -like 'MAIL*' } | Should -BeNullOrEmpty
        }

        It 'does not even connect in one-shot form' {
            $r = Send-SmtpMessage @conn -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -WhatIf
            $r | Should -BeNullOrEmpty
            $server.Sessions | Should -BeNullOrEmpty
        }
    }

    Context 'one-shot' {
        It 'connects, sends and quits' {
            $r = Send-SmtpMessage @conn -From 'alice@example.com' -To 'bob@example.com' -Subject 'one-shot' -Body 'x'
            $r.Response | Should -Match 'queued'
            $server.Sessions.Count | Should -Be 1
            $server.Sessions[0].Commands[-1] | Should -Be 'QUIT'
            $server.Sessions[0].WaitForClose(3000) | Should -BeTrue
        }

        It 'sends a whole pipeline over one connection' {
            $results = 1..3 | ForEach-Object { New-SmtpMessage -From 'alice@example.com' -To "p$_@example.com" -Subject 'x' -Body 'y' } | Send-SmtpMessage @conn
            $results.Count | Should -Be 3
            $server.Sessions.Count | Should -Be 1
        }

        It 'logs in over STARTTLS like the README''s main job' {
            $r = Send-SmtpMessage -SmtpServer $server.Host -Port $server.Port -StartTls -SkipCertificateCheck -Credential (New-TestCredential) `
                -From 'alice@example.com' -To 'bob@example.com' -Subject 'secure' -Body 'x' -TimeoutSec 10
            $received = $server.WaitForMessage(5000)
            $received.IsEncrypted | Should -BeTrue
            $received.AuthenticatedUser | Should -Be 'alice'
            $r.MessageId | Should -Not -BeNullOrEmpty
        }

        It 'fails a refused login with a terminating SmtpAuthenticationFailed and sends nothing' {
            $e = Get-TerminatingError { Send-SmtpMessage @conn -Credential (New-TestCredential -Password 'wrong') -AllowUnencryptedAuthentication -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' }
            Assert-SmtpError $e SmtpAuthenticationFailed AuthenticationError $endpoint
            $server.Commands | Where-Object { $_ -like 'MAIL*' } | Should -BeNullOrEmpty
        }

        It 'fails to connect with a terminating SmtpConnectFailed' {
            $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
            $e = Get-TerminatingError { Send-SmtpMessage -SmtpServer 127.0.0.1 -Port $port -NoTls -From 'a@example.com' -To 'b@example.com' -Subject 'x' }
            Assert-SmtpError $e SmtpConnectFailed ConnectionError "127.0.0.1:$port"
        }
    }

    Context 'verbose output and progress' {
        It 'shows the C:/S: exchange, the body only as a size, never the password' {
            $all = Send-SmtpMessage @conn -Credential (New-TestCredential) -AllowUnencryptedAuthentication -AuthenticationMethod Plain -From 'alice@example.com' -To 'bob@example.com' `
                -Subject 'verbose' -Body 'BODY-TEXT-NOT-LOGGED' -Verbose 4>&1
            $verbose = @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $verbose | Where-Object { $_ -like 'C: MAIL FROM:<alice@example.com>*' } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -like 'S: 250*' } | Should -Not -BeNullOrEmpty
            $verbose | Where-Object { $_ -like 'C: AUTH *' } | Should -Match '\*{8}'
            $joined = $verbose -join "`n"
            $joined | Should -Not -Match 'BODY-TEXT-NOT-LOGGED'
            $joined | Should -Not -Match 'S3cret-pa55'
            $joined | Should -Match '\d+ bytes'
        }

        It 'shows the exchange of a -Session send too' {
            $verbose = @(Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'x' -Body 'y' -Verbose 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $verbose | Where-Object { $_ -like 'C: RCPT TO:<bob@example.com>*' } | Should -Not -BeNullOrEmpty
        }

        It 'shows no verbose output without -Verbose' {
            $out = Send-Simple $session 4>&1
            @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -Be 0
        }

        It 'reports progress, with a percentage, while a message with a large attachment uploads' {
            $file = Join-Path $TestDrive 'big.bin'
            [IO.File]::WriteAllBytes($file, [byte[]]::new(1500000))
            $progress = (Invoke-InOtherRunspace @'
param($s, $file)
$ProgressPreference = 'Continue'
Send-SmtpMessage -Session $s -From alice@example.com -To bob@example.com -Subject big -Body 'see attached' -Attachments $file
'@ -Arguments $session, $file).Progress
            $progress.Count | Should -BeGreaterThan 2
            ($progress | Where-Object PercentComplete -GE 0 | Select-Object -Last 1 -Skip 0).PercentComplete | Should -BeGreaterThan 0
            $progress[-1].RecordType | Should -Be 'Completed'
            Wait-Until { $server.Messages | Where-Object { $_.Data.Length -gt 2000000 } } | Should -BeTrue -Because "messages received: $(($server.Messages | ForEach-Object { $_.Data.Length }) -join ', ')"
        }

        It 'reports progress, with a percentage, while a large message built from text uploads' {
            # Plain text is held as the bytes it is sent as: its size is known, and it reaches the engine in one
            # write, whose progress still rises.
            $progress = (Invoke-InOtherRunspace @'
param($s)
$ProgressPreference = 'Continue'
Send-SmtpMessage -Session $s -From alice@example.com -To bob@example.com -Subject big -Body ('0123456789abcdef' * 131072)
'@ -Arguments $session).Progress
            $progress.Count | Should -BeGreaterThan 2
            $progress[0].CurrentOperation | Should -Match '^[\d,.]+ of [\d,.]+ bytes$'
            @($progress | Where-Object { $_.PercentComplete -gt 0 -and $_.PercentComplete -lt 100 }).Count |
                Should -BeGreaterThan 0 -Because 'the percentage rises while the one large write goes out'
            $progress[-1].RecordType | Should -Be 'Completed'
        }

        It 'reports progress, in bytes, while a large message of unknown size uploads' {
            # With an HTML alternative the message is MimeKit's, streamed: its size is not measured up front.
            $progress = (Invoke-InOtherRunspace @'
param($s)
$ProgressPreference = 'Continue'
$text = '0123456789abcdef' * 131072
Send-SmtpMessage -Session $s -From alice@example.com -To bob@example.com -Subject big -Body $text -HtmlBody "<p>$text</p>"
'@ -Arguments $session).Progress
            $progress.Count | Should -BeGreaterThan 2
            $progress[0].CurrentOperation | Should -Match '^[\d,.]+ bytes$'
            $progress[-1].RecordType | Should -Be 'Completed'
        }
    }

    Context 'concurrent use of one session' {
        It 'serialises two pipelines sending over the same session' {
            $script = 'param($s, $n) 1..10 | ForEach-Object { Send-SmtpMessage -Session $s -From alice@example.com -To "$n$_@example.com" -Subject x -Body y }'
            $a = Start-InOtherRunspace $script $session, 'a'
            $b = Start-InOtherRunspace $script $session, 'b'
            $ra = $a.PowerShell.EndInvoke($a.Handle); $rb = $b.PowerShell.EndInvoke($b.Handle)
            $a.PowerShell.Streams.Error | Should -BeNullOrEmpty
            $b.PowerShell.Streams.Error | Should -BeNullOrEmpty
            ($ra.Count + $rb.Count) | Should -Be 20
            $server.WaitForMessages(20, 5000).Count | Should -Be 20
            $a.PowerShell.Dispose(); $b.PowerShell.Dispose()
        }
    }

    Context 'input that is refused, not rewritten' {
        It 'sends one header per element of an array -Header value' {
            $null = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'h' -Body 'b' -Header @{ 'X-Tag' = 'one', 'two' }
            $text = $server.WaitForMessage(5000).Text
            [regex]::Matches($text, '(?m)^X-Tag: (\w+)\r$').ForEach({ $_.Groups[1].Value }) | Should -Be @('one', 'two')
        }

        It 'refuses a $null -Header value and sends nothing' {
            $r = Send-SmtpMessage -Session $session -From 'alice@example.com' -To 'bob@example.com' -Subject 'h' -Header @{ 'X-Empty' = $null } -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs 'SmtpInvalidArgument' 'InvalidArgument' 'Header'
            $server.Commands | Where-Object { $_ -like 'MAIL*' } | Should -BeNullOrEmpty
        }

        It 'says a -Path directory is a directory' {
            $r = Send-SmtpMessage -Session $session -Path $work -ErrorVariable errs -ErrorAction SilentlyContinue
            $r | Should -BeNullOrEmpty
            Assert-SmtpError $errs 'SmtpInvalidArgument' 'InvalidArgument' $work
            $errs[0].Exception.Message | Should -Match 'is a directory'
        }

        It 'refuses a -Path named pipe (FIFO) before opening it, and goes on with the next file' -Skip:$IsWindows {
            $fifo = Join-Path $work 'message.fifo'
            mkfifo $fifo
            $eml = Join-Path $work 'after-fifo.eml'
            (New-SmtpMessage -From 'alice@example.com' -To 'after@example.com' -Subject 'after' -Body 'b').Save($eml)
            $run = Start-InOtherRunspace 'param($s, $f, $e) Send-SmtpMessage -Session $s -Path $f, $e' $session, $fifo, $eml
            try {
                # Before the fix open() blocked until a writer came: be that writer, so a failing test ends.
                if (-not (Wait-Until { $run.Handle.IsCompleted } -TimeoutMs 30000)) { [IO.File]::OpenWrite($fifo).Dispose() }
                $results = $run.PowerShell.EndInvoke($run.Handle)
                $errs = @($run.PowerShell.Streams.Error)
                Assert-SmtpError $errs 'SmtpInvalidArgument' 'InvalidArgument' $fifo
                $errs[0].Exception.Message | Should -Match 'named pipe'
                @($results).Count | Should -Be 1
                $results[0].Recipients | Should -Be @('after@example.com')
            } finally { $run.PowerShell.Dispose() }
        }
    }
}

