using AsyncSmtp.Client;

namespace AsyncSmtp.Benchmarks;

/// <summary>One engine connection sending a run of messages, one at a time or as a pipelined stream.</summary>
internal static class EngineConnection
{
    public static SmtpClientOptions Options(string host, int port, bool pipelining = true) => new()
    {
        Host = host,
        Port = port,
        TlsMode = SmtpTlsMode.None,
        LocalHostName = "bench.example.test",
        UsePipelining = pipelining,
    };

    /// <summary>
    /// Connects, sends messages [first, first + count) and quits. With <paramref name="submit"/> each goes
    /// through SubmitAsync (its final reply read with the next message's envelope: one round trip a message),
    /// every verdict awaited after the last; otherwise SendAsync awaits each verdict before the next message.
    /// </summary>
    public static async Task SendAsync(string host, int port, int first, int count, Func<int, (SmtpEnvelope Envelope, SmtpContent Content)> message,
        bool submit, CancellationToken cancellationToken, bool pipelining = true)
    {
        using var client = new SmtpClient(Options(host, port, pipelining));
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var verdicts = new List<Task<SmtpTransactionResult>>(submit ? count : 0);
        for (int i = first; i < first + count; i++)
        {
            var (envelope, content) = message(i);
            if (submit) verdicts.Add((await client.SubmitAsync(envelope, content, null, cancellationToken).ConfigureAwait(false)).Result);
            else await client.SendAsync(envelope, content, null, cancellationToken).ConfigureAwait(false);
        }
        await client.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(verdicts).ConfigureAwait(false);
        await client.QuitAsync(cancellationToken).ConfigureAwait(false);
    }
}
