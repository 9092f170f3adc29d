using MailKit.Security;
using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>MailKit's SmtpClient with the same MimeMessage objects as <see cref="EngineWorkload"/>.</summary>
internal sealed class MailKitWorkload : MimeMessageWorkload
{

    public MailKitWorkload(string host, int port, string body) : base(host, port, body)
    {
    }

    public override async Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken)
    {
        using var client = new MailKit.Net.Smtp.SmtpClient { LocalDomain = "bench.example.test" };
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
        for (int i = first; i < first + count; i++)
            await client.SendAsync(Messages[i], cancellationToken).ConfigureAwait(false);
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
    }
}
