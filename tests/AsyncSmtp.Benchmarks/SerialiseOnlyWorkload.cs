using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Diagnostic: no network at all, only MimeKit writing each MimeMessage (asynchronously, as both the engine and
/// MailKit do) into a stream that discards it: the serialisation share of every MimeMessage-based row.
/// </summary>
internal sealed class SerialiseOnlyWorkload : Workload
{
    private MimeMessage[] _messages = Array.Empty<MimeMessage>();

    public SerialiseOnlyWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override void Prepare(int count)
    {
        if (_messages.Length < count) _messages = Enumerable.Range(0, count).Select(i => SampleMessages.Mime(i, Body)).ToArray();
    }

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        for (int i = first; i < first + count; i++)
            await _messages[i].WriteToAsync(MimeFormat.Transmit, Stream.Null, cancellationToken).ConfigureAwait(false);
    }
}
