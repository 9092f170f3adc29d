using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// This engine fed the same MimeMessage objects MailKit gets: the envelope is read from the headers and the
/// message serialised by MimeKit straight into the engine's body stream on every send, as MailKit does.
/// </summary>
internal sealed class EngineWorkload : Workload
{
    private MimeMessage[] _messages = Array.Empty<MimeMessage>();

    public EngineWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override void Prepare(int count)
    {
        // MimeMessage serialisation caches nothing per send, so one set serves every repetition.
        if (_messages.Length < count) _messages = Enumerable.Range(0, count).Select(i => SampleMessages.Mime(i, Body)).ToArray();
    }

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient(Options(Host, Port));
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        for (int i = first; i < first + count; i++)
        {
            var message = _messages[i];
            await client.SendAsync(Envelope(message), Content(message), null, cancellationToken).ConfigureAwait(false);
        }
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
    }

    public static SmtpClientOptions Options(string host, int port) => new()
    {
        Host = host,
        Port = port,
        TlsMode = SmtpTlsMode.None,
        LocalHostName = "bench.example.test",
    };

    public static SmtpEnvelope Envelope(MimeMessage message) =>
        new(message.From.Mailboxes.First().Address, message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes).Select(m => new SmtpRecipient(m.Address)));

    /// <summary>Length unknown: the engine sends no SIZE= (the sink does not offer SIZE anyway).</summary>
    public static SmtpContent Content(MimeMessage message) =>
        SmtpContent.FromWriter((stream, token) => message.WriteToAsync(MimeFormat.Transmit, stream, token), null);
}
