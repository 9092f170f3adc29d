using AsyncSmtp.Client;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Diagnostic: this engine sending the same messages already serialised to bytes (untimed), so the figure is
/// the protocol, dot-stuffing and socket cost alone; the gap to <see cref="EngineWorkload"/> is MimeKit's.
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

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        var envelope = new SmtpEnvelope(SampleMessages.SenderAddress, new[] { new SmtpRecipient(SampleMessages.RecipientAddress) });
        using var client = new SmtpClient(EngineWorkload.Options(Host, Port));
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        for (int i = first; i < first + count; i++)
            await client.SendAsync(envelope, SmtpContent.FromBytes(_messages[i]), null, cancellationToken).ConfigureAwait(false);
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
    }
}
