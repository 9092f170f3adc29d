using AsyncSmtp.Mime;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// This engine through the module's own message layer, as Send-SmtpMessage -Session uses it: SmtpMessage
/// objects built by SmtpMessageFactory.Create (fresh each repetition, since an SmtpMessage caches its measured
/// size), sent with CreateEnvelope() and CreateContent() through SubmitAsync.
/// </summary>
internal sealed class EngineSmtpMessageWorkload : Workload
{
    private SmtpMessage[] _messages = Array.Empty<SmtpMessage>();

    public EngineSmtpMessageWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override void Prepare(int count) =>
        _messages = Enumerable.Range(0, count).Select(i => SmtpMessageFactory.Create(SampleMessages.Spec(i, Body))).ToArray();

    public override Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken) =>
        EngineConnection.SendAsync(Host, Port, first, count, i => (_messages[i].CreateEnvelope(), _messages[i].CreateContent()), submit: true, cancellationToken);
}
