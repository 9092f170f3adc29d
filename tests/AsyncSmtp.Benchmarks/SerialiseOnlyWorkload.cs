using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Diagnostic: no network at all, only MimeKit writing each MimeMessage (asynchronously, as both the engine and
/// MailKit do) into a stream that discards it: the serialisation share of every MimeMessage-based row.
/// </summary>
internal sealed class SerialiseOnlyWorkload : MimeMessageWorkload
{
    public SerialiseOnlyWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override bool SendsMail => false;

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        for (int i = first; i < first + count; i++)
            await Messages[i].WriteToAsync(MimeFormat.Transmit, Stream.Null, cancellationToken).ConfigureAwait(false);
    }
}
