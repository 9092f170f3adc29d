using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// This engine fed the same MimeMessage objects MailKit gets: the envelope is read from the headers and the
/// message serialised by MimeKit straight into the engine's body stream on every send, as MailKit does.
/// </summary>
internal sealed class EngineWorkload : MimeMessageWorkload
{
    private readonly bool _submit;
    private readonly bool _pipelining;

    public EngineWorkload(string host, int port, string body, bool submit, bool pipelining = true) : base(host, port, body)
    {
        _submit = submit;
        _pipelining = pipelining;
    }

    public override Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken) =>
        EngineConnection.SendAsync(Host, Port, first, count, i => (Envelope(Messages[i]), Content(Messages[i])), _submit, cancellationToken, _pipelining);

    public static SmtpEnvelope Envelope(MimeMessage message) =>
        new(message.From.Mailboxes.First().Address, message.To.Mailboxes.Concat(message.Cc.Mailboxes).Concat(message.Bcc.Mailboxes).Select(m => new SmtpRecipient(m.Address)));

    /// <summary>Length unknown: the engine sends no SIZE= (the sink does not offer SIZE anyway).</summary>
    public static SmtpContent Content(MimeMessage message) =>
        SmtpContent.FromWriter((stream, token) => message.WriteToAsync(MimeFormat.Transmit, stream, token), null);
}
