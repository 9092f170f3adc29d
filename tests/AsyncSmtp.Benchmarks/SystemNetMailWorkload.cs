using System.Net.Mail;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// System.Net.Mail.SmtpClient, which cannot take a MimeMessage: MailMessage objects with the same addresses,
/// subject and body. One-shot makes a client per message (what Send-MailMessage does); reused keeps one.
/// </summary>
internal sealed class SystemNetMailWorkload : Workload
{
    private readonly bool _reuseClient;
    private MailMessage[] _messages = Array.Empty<MailMessage>();

    public SystemNetMailWorkload(string host, int port, string body, bool reuseClient) : base(host, port, body) =>
        _reuseClient = reuseClient;

    public override void Prepare(int count)
    {
        foreach (var old in _messages) old.Dispose();
        _messages = Enumerable.Range(0, count).Select(i => SampleMessages.MailMessage(i, Body)).ToArray();
    }

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        using var shared = _reuseClient ? NewClient() : null;
        for (int i = first; i < first + count; i++)
        {
            if (shared is not null)
            {
                await shared.SendMailAsync(_messages[i], cancellationToken).ConfigureAwait(false);
                continue;
            }
            using var client = NewClient();
            await client.SendMailAsync(_messages[i], cancellationToken).ConfigureAwait(false);
        }
    }

    private SmtpClient NewClient() => new(Host, Port) { DeliveryMethod = SmtpDeliveryMethod.Network };
}
