using AsyncSmtp.Client;
using AsyncSmtp.Mime;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// This engine through the module's own message layer, as the cmdlets use it: SmtpMessage objects built by
/// SmtpMessageFactory.Create (fresh each repetition, since an SmtpMessage caches its measured size),
/// sent with CreateEnvelope() and CreateContent().
/// </summary>
internal sealed class EngineSmtpMessageWorkload : Workload
{
    private SmtpMessage[] _messages = Array.Empty<SmtpMessage>();

    public EngineSmtpMessageWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override void Prepare(int count) =>
        _messages = Enumerable.Range(0, count).Select(i => SmtpMessageFactory.Create(SampleMessages.Spec(i, Body))).ToArray();

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient(EngineWorkload.Options(Host, Port));
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        for (int i = first; i < first + count; i++)
        {
            var message = _messages[i];
            await client.SendAsync(message.CreateEnvelope(), message.CreateContent(), null, cancellationToken).ConfigureAwait(false);
        }
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
    }
}
