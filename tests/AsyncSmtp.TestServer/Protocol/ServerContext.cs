using System.Globalization;
using System.Net.Security;
using System.Security.Cryptography;

namespace AsyncSmtp.TestServer;

/// <summary>What every session of one running server shares.</summary>
internal sealed class ServerContext(
    SmtpTestServerOptions options,
    SmtpScript script,
    Recorder recorder,
    FaultLedger ledger,
    SslStreamCertificateContext certificate,
    CancellationToken stopping)
{
    // A random prefix keeps ids unique across server instances in one test run.
    private readonly string _idPrefix = RandomNumberGenerator.GetHexString(6);
    private int _lastId;

    public SmtpTestServerOptions Options { get; } = options;

    public SmtpScript Script { get; } = script;

    public Recorder Recorder { get; } = recorder;

    public FaultLedger Ledger { get; } = ledger;

    public SmtpFaultPlan? Faults => Options.Faults;

    public SslStreamCertificateContext Certificate { get; } = certificate;

    public CancellationToken Stopping { get; } = stopping;

    public string NextQueueId() =>
        _idPrefix + Interlocked.Increment(ref _lastId).ToString("X6", CultureInfo.InvariantCulture);
}
