using AsyncSmtp.Client;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Diagnostic: this engine streaming (SubmitAsync) the same messages already serialised to bytes (untimed), so
/// the figure is the protocol, dot-stuffing and socket cost alone; the gap to the engine-submit row is MimeKit's.
/// </summary>
internal sealed class EngineBytesWorkload : Workload
{
    private byte[][] _messages = Array.Empty<byte[]>();

    public EngineBytesWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override void Prepare(int count)
    {
        if (_messages.Length >= count) return;
        _messages = Enumerable.Range(0, count).Select(i =>
        {
            using var bytes = new MemoryStream();
            SampleMessages.Mime(i, Body).WriteTo(MimeFormat.Transmit, bytes);
            return bytes.ToArray();
        }).ToArray();
    }

    public override Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        var envelope = new SmtpEnvelope(SampleMessages.SenderAddress, new[] { new SmtpRecipient(SampleMessages.RecipientAddress) });
        return EngineConnection.SendAsync(Host, Port, first, count, i => (envelope, SmtpContent.FromBytes(_messages[i])), submit: true, cancellationToken);
    }
}
