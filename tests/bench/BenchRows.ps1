# The rows of build/Bench.ps1's throughput tables: one small definition per row. Dot-sourced.
#
# To add a row, add one hashtable to Get-BenchRow:
#   Id           unique; targets and ratios refer to rows by it
#   Table        '2 KB', '20 KB' or 'Building' (which table of docs/performance.md shows it)
#   Kind         program  tests/AsyncSmtp.Benchmarks (Client = its --client)
#                cmdlets  tests/bench/Measure-Cmdlets.ps1 (Client = its -Mode)
#                python   tests/bench/aiosmtplib_bench.py
#                source   postfix's smtp-source (Client = 'smtp-source')
#   Client, Connections, Label; optional: Count (messages per sample), Warmup (messages per warm-up
#   repetition), WarmupSeconds, BodyBytes (default about 2 KB on the wire), Arguments (extra arguments
#   for the measuring program or script, e.g. @('-ThrottleLimit', '4')), Note (a sentence under the table).
# Every row runs once per round; rounds interleave all rows, so a burst of load from elsewhere hits them alike.

function Get-BenchRow([double] $Scale = 1) {
    # Scale shrinks every count (a smoke test of the harness: -Scale 0.01); the figures of such a run mean nothing.
    $n = { param([int] $Count) [math]::Max(10, [int]($Count * $Scale)) }
    $fast = & $n 8000
    @(
        @{ Id = 'engine-bytes-1'; Table = '2 KB'; Kind = 'program'; Client = 'engine-bytes'; Connections = 1; Count = $fast
            Label = 'AsyncSmtp engine, pre-serialised bytes (SubmitAsync stream)'
            Note = 'The messages serialised before timing and submitted with SmtpContent.FromBytes: the protocol, dot-stuffing and socket cost alone.' }
        @{ Id = 'engine-submit-1'; Table = '2 KB'; Kind = 'program'; Client = 'engine-submit'; Connections = 1; Count = $fast
            Label = 'AsyncSmtp engine, a MimeMessage per send (SubmitAsync stream)'
            Note = 'SubmitAsync for each message, MimeKit serialising it into the engine''s body stream; a message''s final reply is read with the next message''s envelope (RFC 2920), one round trip a message.' }
        @{ Id = 'engine-smtpmessage-1'; Table = '2 KB'; Kind = 'program'; Client = 'engine-smtpmessage'; Connections = 1; Count = $fast
            Label = 'AsyncSmtp engine, SmtpMessage as the cmdlets send it'
            Note = 'SmtpMessage objects built by SmtpMessageFactory.Create before timing, envelope read from the headers: the engine work under Send-SmtpMessage -Session.' }
        @{ Id = 'engine-1'; Table = '2 KB'; Kind = 'program'; Client = 'engine'; Connections = 1; Count = $fast
            Label = 'AsyncSmtp engine, SendAsync one message at a time'
            Note = 'SendAsync awaits each final reply before the next message: two round trips a message.' }
        @{ Id = 'mailkit-1'; Table = '2 KB'; Kind = 'program'; Client = 'mailkit'; Connections = 1; Count = $fast
            Label = 'MailKit SmtpClient' }
        @{ Id = 'engine-submit-4'; Table = '2 KB'; Kind = 'program'; Client = 'engine-submit'; Connections = 4; Count = $fast
            Label = 'AsyncSmtp engine, a MimeMessage per send (SubmitAsync stream)' }
        @{ Id = 'mailkit-4'; Table = '2 KB'; Kind = 'program'; Client = 'mailkit'; Connections = 4; Count = $fast
            Label = 'MailKit SmtpClient' }
        @{ Id = 'engine-bytes-4'; Table = '2 KB'; Kind = 'program'; Client = 'engine-bytes'; Connections = 4; Count = $fast
            Label = 'AsyncSmtp engine, pre-serialised bytes (SubmitAsync stream)'
            Note = 'The same on four connections: what they cost the engine itself, without MimeKit serialising a message on each of four threads.' }
        @{ Id = 'smtp-source-4'; Table = '2 KB'; Kind = 'source'; Client = 'smtp-source'; Connections = 4; Count = & $n 10000
            Label = 'smtp-source (C), -d -l 2000'
            Note = 'postfix''s load generator, compared at 4 sessions: it does not pipeline, so with one session its rate follows how fast the two CPUs wake each other (client and sink taking turns), not the work it does; with 4 sessions both stay busy. Its CPU is the whole process''s, start-up included.' }
        @{ Id = 'Pipeline-1'; Table = '2 KB'; Kind = 'cmdlets'; Client = 'Pipeline'; Connections = 1; Count = & $n 5000; Warmup = (& $n 500)
            Label = 'Send-SmtpMessage -Session, prebuilt messages piped'
            Note = '`$messages | Send-SmtpMessage -Session $s`, the messages built by New-SmtpMessage before timing; timed from Connect-Smtp to Disconnect-Smtp.' }
        @{ Id = 'PipelineWithBuild-1'; Table = '2 KB'; Kind = 'cmdlets'; Client = 'PipelineWithBuild'; Connections = 1; Count = & $n 5000; Warmup = (& $n 500)
            Label = 'New-SmtpMessage piped into Send-SmtpMessage -Session' }
        @{ Id = 'OneShotThrottle-4'; Table = '2 KB'; Kind = 'cmdlets'; Client = 'OneShotThrottle'; Connections = 4
            Count = & $n 20000; Warmup = (& $n 1000); Arguments = @('-ThrottleLimit', '4')
            Label = 'Send-SmtpMessage one-shot -ThrottleLimit 4, prebuilt messages piped'
            Note = '`$messages | Send-SmtpMessage -SmtpServer ... -ThrottleLimit 4`: the delivery engine ' +
                '(SmtpDelivery) spreading the pipeline over four connections, results in input order; the ' +
                'messages built by New-SmtpMessage before timing.' }
        @{ Id = 'OneShot-1'; Table = '2 KB'; Kind = 'cmdlets'; Client = 'OneShot'; Connections = 1; Count = & $n 300; Warmup = (& $n 30)
            Label = 'Send-SmtpMessage one-shot, in a loop' }
        @{ Id = 'SendMailMessage-1'; Table = '2 KB'; Kind = 'cmdlets'; Client = 'SendMailMessage'; Connections = 1; Count = & $n 40; Warmup = (& $n 5)
            WarmupSeconds = 1; Label = 'Send-MailMessage one-shot, in a loop'
            Note = 'System.Net.Mail (under Send-MailMessage) writes the end of each body in separate small writes without TCP_NODELAY, so every message waits about 40 ms for a delayed ACK.' }
        @{ Id = 'sysnetmail-reused-1'; Table = '2 KB'; Kind = 'program'; Client = 'sysnetmail-reused'; Connections = 1; Count = & $n 40; Warmup = (& $n 5)
            WarmupSeconds = 1; Label = 'System.Net.Mail.SmtpClient, reused' }
        @{ Id = 'aiosmtplib-1'; Table = '2 KB'; Kind = 'python'; Client = 'aiosmtplib'; Connections = 1; Count = & $n 2000
            Label = 'aiosmtplib (Python)' }
        @{ Id = 'aiosmtplib-4'; Table = '2 KB'; Kind = 'python'; Client = 'aiosmtplib'; Connections = 4; Count = & $n 2000
            Label = 'aiosmtplib (Python)' }
        @{ Id = 'Build-0'; Table = 'Building'; Kind = 'cmdlets'; Client = 'Build'; Connections = 0; Count = & $n 5000; Warmup = (& $n 500)
            Label = 'New-SmtpMessage alone'
            Note = '`1..N | ForEach-Object { New-SmtpMessage ... }`, nothing sent.' }
        @{ Id = 'serialise-only-0'; Table = 'Building'; Kind = 'program'; Client = 'serialise-only'; Connections = 0; Count = $fast
            Label = 'MimeKit serialisation alone (MimeMessage.WriteToAsync to Stream.Null)'
            Note = 'The serialisation share of every MimeMessage row, engine and MailKit alike.' }
        @{ Id = 'engine-submit-1-20k'; Table = '20 KB'; Kind = 'program'; Client = 'engine-submit'; Connections = 1; Count = & $n 2000
            BodyBytes = 20000; Label = 'AsyncSmtp engine, a MimeMessage per send (SubmitAsync stream)' }
        @{ Id = 'mailkit-1-20k'; Table = '20 KB'; Kind = 'program'; Client = 'mailkit'; Connections = 1; Count = & $n 100; Warmup = (& $n 20)
            BodyBytes = 20000; Label = 'MailKit SmtpClient'
            Note = 'MailKit writes a 20 KB body in several pieces without TCP_NODELAY, so the last piece waits for the server''s delayed ACK (about 40 ms on Linux) on every message.' }
    )
}
