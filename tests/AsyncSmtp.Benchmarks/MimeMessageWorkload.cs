using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// A workload over the same MimeMessage objects for every client. MimeMessage serialisation caches
/// nothing per send, so one set serves every repetition.
/// </summary>
internal abstract class MimeMessageWorkload : Workload
{
    protected MimeMessageWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    protected MimeMessage[] Messages { get; private set; } = Array.Empty<MimeMessage>();

    public sealed override void Prepare(int count)
    {
        if (Messages.Length < count) Messages = Enumerable.Range(0, count).Select(i => SampleMessages.Mime(i, Body)).ToArray();
    }
}
