using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>
/// One real server on loopback, as described by the JSON file its start script wrote
/// (tests/interop/start-postfix.sh → out/interop/postfix.json, start-aiosmtpd.sh → aiosmtpd.json).
/// </summary>
public sealed class InteropServer
{
    /// <summary>ASYNCSMTP_INTEROP=1: a server that is not running is a failure, not a skip.</summary>
    public static bool Required => Environment.GetEnvironmentVariable("ASYNCSMTP_INTEROP") == "1";

    public static readonly Lazy<InteropServer?> Postfix = new(() => Probe("postfix"));
    public static readonly Lazy<InteropServer?> Aiosmtpd = new(() => Probe("aiosmtpd"));

    private InteropServer(string name, JsonElement info)
    {
        Name = name;
        Host = info.GetProperty("host").GetString()!;
        Port = info.GetProperty("port").GetInt32();
        UserName = info.GetProperty("userName").GetString()!;
        Password = info.GetProperty("password").GetString()!;
        CertificatePath = info.GetProperty("certificate").GetString()!;
        MailDirectory = (info.TryGetProperty("maildir", out var maildir) ? maildir : info.GetProperty("messages")).GetString()!;
        HeloOnlyPort = OptionalPort(info, "heloOnlyPort");
        ImplicitTlsPort = OptionalPort(info, "implicitTlsPort");
        SubmissionPort = OptionalPort(info, "submissionPort");
    }

    public string Name { get; }
    public string Host { get; }
    public int Port { get; }
    public string UserName { get; }
    public string Password { get; }
    /// <summary>The server's self-signed certificate, to be trusted explicitly.</summary>
    public string CertificatePath { get; }
    /// <summary>postfix: the maildir; aiosmtpd: the directory of recorded messages.</summary>
    public string MailDirectory { get; }
    /// <summary>aiosmtpd only: a listener that refuses EHLO.</summary>
    public int? HeloOnlyPort { get; }
    /// <summary>postfix only: TLS from the first byte (465).</summary>
    public int? ImplicitTlsPort { get; }
    /// <summary>postfix only: submission, STARTTLS mandatory (587).</summary>
    public int? SubmissionPort { get; }

    private static int? OptionalPort(JsonElement info, string name) => info.TryGetProperty(name, out var port) ? port.GetInt32() : null;

    public NetworkCredential Credential => new(UserName, Password);

    public X509Certificate2Collection TrustedCertificate => new(X509CertificateLoader.LoadCertificateFromFile(CertificatePath));

    /// <summary>Options for STARTTLS with the server's certificate trusted, and a protocol log.</summary>
    public SmtpClientOptions Options(ProtocolLog? log = null, NetworkCredential? credential = null, SmtpTlsMode tls = SmtpTlsMode.StartTls) => new()
    {
        Host = Host,
        Port = Port,
        TlsMode = tls,
        TrustedRootCertificates = TrustedCertificate,
        Credential = credential,
        ConnectTimeout = TimeSpan.FromSeconds(20),
        Timeout = TimeSpan.FromSeconds(30),
        ProtocolLogger = log is null ? null : log.Add,
    };

    /// <summary>The server, or null when its info file is missing or it does not accept connections.</summary>
    private static InteropServer? Probe(string name)
    {
        string path = Path.Combine(InfoDirectory(), name + ".json");
        if (!File.Exists(path)) return null;
        InteropServer server;
        using (var doc = JsonDocument.Parse(File.ReadAllBytes(path)))
            server = new InteropServer(name, doc.RootElement.Clone());
        try
        {
            using var socket = new TcpClient();
            return socket.ConnectAsync(server.Host, server.Port).Wait(TimeSpan.FromSeconds(3)) && socket.Connected ? server : null;
        }
        catch (AggregateException)
        {
            return null;
        }
    }

    /// <summary>$ASYNCSMTP_INTEROP_DIR, else out/interop at the root of the repository.</summary>
    private static string InfoDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable("ASYNCSMTP_INTEROP_DIR");
        if (!string.IsNullOrEmpty(configured)) return configured;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AsyncSmtp.sln"))) return Path.Combine(dir.FullName, "out", "interop");
        }
        return Path.Combine(Directory.GetCurrentDirectory(), "out", "interop");
    }

    /// <summary>The server for a test that was not skipped; throws when ASYNCSMTP_INTEROP=1 and it is not running.</summary>
    public static InteropServer Get(Lazy<InteropServer?> server, string name) =>
        server.Value ?? throw new InvalidOperationException(
            $"ASYNCSMTP_INTEROP=1 but the {name} interop server is not running: run tests/interop/start-{name}.sh (postfix needs root).");

    /// <summary>Why a test is skipped, or null when it runs (server up, or required).</summary>
    public static string? SkipReason(Lazy<InteropServer?> server, string name) =>
        server.Value is not null || Required
            ? null
            : $"the {name} interop server is not running (start it with tests/interop/start-{name}.sh; ASYNCSMTP_INTEROP=1 makes this a failure)";
}
