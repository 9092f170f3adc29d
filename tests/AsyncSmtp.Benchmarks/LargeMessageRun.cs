using System.Diagnostics;
using AsyncSmtp.Client;
using AsyncSmtp.Mime;
using MailKit.Security;
using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// One message with a large attachment (read from a file, streamed), in a process of its own. Measured: the
/// send time on an open connection, and the peak extra resident memory = VmHWM during the send minus VmRSS
/// just before it, the baseline taken after a warm-up (small messages, then 8 MB attachments on the same
/// connection until the JIT has settled, at least three; then until it is quiet), after the message object is
/// built, and after a full garbage collection. The methods compiled during the send are reported beside it.
/// </summary>
internal static class LargeMessageRun
{
    // Big enough for thousands of iterations of the block loops (base64 encoding, body writes), so that they reach
    // their final JIT tier before the measured send.
    private const int WarmupAttachmentBytes = 8 * 1024 * 1024;

    public static async Task<object> RunAsync(Arguments args)
    {
        string client = args.Text("client", "engine");
        string host = args.Text("host", "127.0.0.1");
        int port = args.Number("port", 2525);
        string attachment = args.Text("attachment", "");
        if (!File.Exists(attachment)) throw new FileNotFoundException("--attachment must name an existing file.", attachment);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(args.Number("timeout-seconds", 60)));
        var sender = LargeSender.Create(client, host, port);

        await sender.ConnectAsync(timeout.Token).ConfigureAwait(false);
        string warmupFile = Path.Combine(Path.GetTempPath(), $"asyncsmtp-bench-warmup-{Environment.ProcessId}.bin");
        File.WriteAllBytes(warmupFile, new byte[WarmupAttachmentBytes]);
        try
        {
            for (int i = 0; i < 20; i++) await sender.SendAsync(SampleMessages.Mime(i, SampleMessages.Body(SampleMessages.DefaultBodyBytes)), null, timeout.Token).ConfigureAwait(false);
            // At least three, then until the JIT has settled, as for the throughput rows: the socket's asynchronous
            // write path and the thread pool's code kept reaching new tiers during a 500 MB send after a fixed three
            // (about 600 methods compiled while it was measured, over a mebibyte of the peak).
            var jit = new JitActivity();
            var warming = Stopwatch.StartNew();
            int sent = 0;
            while (sent < 3 || (!jit.Settled() && warming.Elapsed < JitActivity.WarmupLimit))
            {
                await sender.SendAsync(SampleMessages.MimeWithAttachment(warmupFile), warmupFile, timeout.Token).ConfigureAwait(false);
                sent++;
            }
        }
        finally
        {
            File.Delete(warmupFile);
        }

        // The tiered JIT recompiles the hot send loop in the background for a while after the warm-up; measured
        // before it is done, its code and work memory (about 1 MiB) would count as the send's.
        await JitActivity.QuiesceAsync().ConfigureAwait(false);

        var message = SampleMessages.MimeWithAttachment(attachment);
        long wireBytes = SampleMessages.WireSize(message);
        sender.Build(message, attachment);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        bool peakReset = ProcessMemory.TryResetPeak();
        long baseline = ProcessMemory.ResidentBytes();
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long compiledBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var elapsed = Stopwatch.StartNew();
        await sender.SendBuiltAsync(timeout.Token).ConfigureAwait(false);
        elapsed.Stop();
        long peak = ProcessMemory.PeakResidentBytes();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long compiled = System.Runtime.JitInfo.GetCompiledMethodCount() - compiledBefore;
        await sender.QuitAsync(timeout.Token).ConfigureAwait(false);

        return new
        {
            kind = "large",
            client,
            attachmentBytes = new FileInfo(attachment).Length,
            wireBytes,
            seconds = elapsed.Elapsed.TotalSeconds,
            baselineResidentBytes = baseline,
            peakResidentBytes = peak,
            peakExtraBytes = peak - baseline,
            peakReset,
            allocatedBytes = allocated,
            jitMethodsDuringSend = compiled,
        };
    }
}

/// <summary>The three ways of sending one big message: engine with a MimeMessage, engine with an SmtpMessage, MailKit.</summary>
internal abstract class LargeSender
{
    public static LargeSender Create(string client, string host, int port) => client switch
    {
        "engine" => new EngineLargeSender(host, port, viaSmtpMessage: false),
        "engine-smtpmessage" => new EngineLargeSender(host, port, viaSmtpMessage: true),
        "mailkit" => new MailKitLargeSender(host, port),
        _ => throw new ArgumentException($"Unknown client '{client}' for a large message."),
    };

    public abstract Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Sends a warm-up message; <paramref name="attachmentPath"/> is its attachment file, if any.</summary>
    public abstract Task SendAsync(MimeMessage message, string? attachmentPath, CancellationToken cancellationToken);

    /// <summary>Builds the measured message's object (untimed, before the baseline).</summary>
    public abstract void Build(MimeMessage message, string attachmentPath);

    public abstract Task SendBuiltAsync(CancellationToken cancellationToken);

    public abstract Task QuitAsync(CancellationToken cancellationToken);
}

internal sealed class EngineLargeSender : LargeSender
{
    private readonly SmtpClient _client;
    private readonly bool _viaSmtpMessage;
    private Func<CancellationToken, Task>? _send;

    public EngineLargeSender(string host, int port, bool viaSmtpMessage)
    {
        _client = new SmtpClient(EngineConnection.Options(host, port));
        _viaSmtpMessage = viaSmtpMessage;
    }

    public override Task ConnectAsync(CancellationToken cancellationToken) => _client.ConnectAsync(cancellationToken);

    public override Task SendAsync(MimeMessage message, string? attachmentPath, CancellationToken cancellationToken)
    {
        Build(message, attachmentPath);
        return SendBuiltAsync(cancellationToken);
    }

    public override void Build(MimeMessage message, string? attachmentPath)
    {
        if (_viaSmtpMessage)
        {
            var spec = SampleMessages.Spec(0, attachmentPath is null ? SampleMessages.Body(SampleMessages.DefaultBodyBytes) : "The attachment follows.\r\n");
            if (attachmentPath is not null) spec.Attachments = new[] { attachmentPath };
            var built = SmtpMessageFactory.Create(spec);
            _send = token => _client.SendAsync(built.CreateEnvelope(), built.CreateContent(), null, token);
        }
        else
        {
            _send = token => _client.SendAsync(EngineWorkload.Envelope(message), EngineWorkload.Content(message), null, token);
        }
    }

    public override Task SendBuiltAsync(CancellationToken cancellationToken) => _send!(cancellationToken);

    public override async Task QuitAsync(CancellationToken cancellationToken)
    {
        await _client.QuitAsync(cancellationToken).ConfigureAwait(false);
        _client.Dispose();
    }
}

internal sealed class MailKitLargeSender : LargeSender
{
    private readonly MailKit.Net.Smtp.SmtpClient _client = new() { LocalDomain = "bench.example.test" };
    private readonly string _host;
    private readonly int _port;
    private MimeMessage? _message;

    public MailKitLargeSender(string host, int port)
    {
        _host = host;
        _port = port;
    }

    public override Task ConnectAsync(CancellationToken cancellationToken) => _client.ConnectAsync(_host, _port, SecureSocketOptions.None, cancellationToken);

    public override Task SendAsync(MimeMessage message, string? attachmentPath, CancellationToken cancellationToken) => _client.SendAsync(message, cancellationToken);

    public override void Build(MimeMessage message, string attachmentPath) => _message = message;

    public override Task SendBuiltAsync(CancellationToken cancellationToken) => _client.SendAsync(_message!, cancellationToken);

    public override async Task QuitAsync(CancellationToken cancellationToken)
    {
        await _client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        _client.Dispose();
    }
}
