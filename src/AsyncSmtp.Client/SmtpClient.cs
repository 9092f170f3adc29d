using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

/// <summary>
/// An asynchronous SMTP client: one method per SMTP verb plus <see cref="SendAsync"/> for a whole
/// transaction. Commands on one client never interleave: concurrent calls are serialised. A failure
/// at the transport level, a timeout, a cancellation or a 421 reply leaves the client disconnected.
/// </summary>
public sealed partial class SmtpClient : IDisposable
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly CertificateValidator _certificateValidator;
    private SmtpTransport? _transport;
    private SmtpExtensions _extensions = SmtpExtensions.None;
    private bool _greeted;
    private bool _authenticated;
    private string? _userName;
    private SmtpResponse? _greeting;
    private string? _cipherSuite;
    private X509Certificate2? _remoteCertificate;

    public SmtpClient(SmtpClientOptions options)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        _certificateValidator = new CertificateValidator(options);
    }

    public SmtpClientOptions Options { get; }

    public bool IsConnected => _transport is { IsClosed: false };

    public bool IsEncrypted => IsConnected && _transport!.Tls is not null;

    public bool IsAuthenticated => IsConnected && _authenticated;

    /// <summary>The user name of the successful login, else null.</summary>
    public string? AuthenticatedUserName => IsAuthenticated ? _userName : null;

    /// <summary>The negotiated TLS version, when encrypted.</summary>
    public SslProtocols? TlsProtocol => IsEncrypted ? _transport!.Tls!.SslProtocol : null;

    /// <summary>The negotiated cipher suite name, when encrypted.</summary>
    public string? CipherSuite => IsEncrypted ? _cipherSuite : null;

    public X509Certificate2? RemoteCertificate => IsEncrypted ? _remoteCertificate : null;

    /// <summary>The 220 greeting.</summary>
    public SmtpResponse? Greeting => _greeting;

    /// <summary>The extensions of the last EHLO; empty before EHLO, after HELO, and right after STARTTLS.</summary>
    public SmtpExtensions Extensions => _extensions;

    public long? MaxMessageSize => _extensions.MaxMessageSize;

    public EndPoint? LocalEndPoint => _transport?.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _transport?.RemoteEndPoint;

    /// <summary>Closes the connection without QUIT. Idempotent.</summary>
    public void Disconnect()
    {
        var transport = Interlocked.Exchange(ref _transport, null);
        if (transport is null) return;
        transport.Abort();
        FailPendingMessage();
        if (Options.ProtocolLogger is not null) Log(SmtpLogDirection.Info, "Connection closed", transport.Tls is not null);
    }

    public void Dispose() => Disconnect();

    /// <summary>
    /// Runs one operation under the client's lock. Errors that leave the connection in an unknown
    /// state close it; a refusal by the server, or an argument refused before writing, does not.
    /// </summary>
    /// <remarks>
    /// A submitted message's final reply is read before anything else happens, except by a submission,
    /// which reads it after writing its own envelope so that both share one round trip.
    /// </remarks>
    private async Task<T> RunAsync<T>(Func<IoScope, Task<T>> operation, CancellationToken cancellationToken, bool readsPendingReplyItself = false)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsConnected) throw new SmtpNotConnectedException("The client is not connected; connect first.");
            using var io = new IoScope(AbortTransport, Options.Timeout, cancellationToken, connectPhase: false);
            if (!readsPendingReplyItself) await ReadPendingFinalReplyAsync(io).ConfigureAwait(false);
            return await operation(io).ConfigureAwait(false);
        }
        catch (Exception ex) when (!LeavesConnectionUsable(ex))
        {
            Disconnect();
            throw;
        }
        finally
        {
            _lock.Release();
        }
    }

    private static bool LeavesConnectionUsable(Exception ex) => ex is SmtpResponseException or SmtpRecipientsRefusedException
        or SmtpArgumentException or SmtpNotSupportedException or SmtpMessageTooLargeException
        or SmtpUnencryptedAuthenticationException or SmtpNotConnectedException;

    private void AbortTransport() => _transport?.Abort();

    private SmtpTransport Transport => _transport ?? throw new SmtpServerDisconnectedException("The connection is closed.");

    /// <summary>Writes command lines in one write (a pipelined group is one packet), after checking that nothing unrequested arrived.</summary>
    private Task WriteCommandsAsync(IoScope io, IReadOnlyList<string> lines, string activity, int secretFrom = -1)
    {
        ThrowIfUnexpectedData(activity);
        byte[] bytes = EncodeCommands(lines, secretFrom, TakeHeldTail());
        return WriteAsync(io, bytes, 0, bytes.Length, activity);
    }

    /// <summary>Security rule 6: a reply nobody asked for is never taken as the answer to the next command.</summary>
    private void ThrowIfUnexpectedData(string activity)
    {
        // A submitted message's final reply may already be waiting: that one is expected.
        if (_pending is null && Transport.HasUnexpectedData)
            throw new SmtpProtocolException($"The server sent data nobody asked for before {activity}; the connection was closed.");
    }

    /// <summary>The command lines as bytes, each ending in CRLF, after <paramref name="prefix"/> if any; logged as they are encoded.</summary>
    private byte[] EncodeCommands(IReadOnlyList<string> lines, int secretFrom, byte[]? prefix = null)
    {
        int length = prefix?.Length ?? 0;
        foreach (var line in lines) length += Utf8.GetByteCount(line) + 2;
        byte[] buffer = new byte[length];
        int offset = 0;
        if (prefix is not null)
        {
            Buffer.BlockCopy(prefix, 0, buffer, 0, prefix.Length);
            offset = prefix.Length;
        }
        foreach (var line in lines)
        {
            offset += Utf8.GetBytes(line, 0, line.Length, buffer, offset);
            buffer[offset++] = (byte)'\r';
            buffer[offset++] = (byte)'\n';
            if (Options.ProtocolLogger is not null) LogCommand(line, secretFrom);
        }
        return buffer;
    }

    private async Task WriteAsync(IoScope io, byte[] buffer, int offset, int count, string activity)
    {
        io.Restart();
        try
        {
            await Transport.WriteAsync(buffer, offset, count, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = io.Translate(ex, activity);
            if (ReferenceEquals(translated, ex)) throw;
            throw translated;
        }
    }

    private Task WriteCommandAsync(IoScope io, string line, string activity, int secretFrom = -1) =>
        WriteCommandsAsync(io, new[] { line }, activity, secretFrom);

    /// <summary>Reads one reply. A 421 ("service closing") closes the connection; the caller still sees the reply.</summary>
    private async Task<SmtpResponse> ReadReplyAsync(IoScope io, string activity)
    {
        var transport = Transport;
        SmtpResponse response;
        io.Restart();
        try
        {
            response = await transport.Reader.ReadAsync(io.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = io.Translate(ex, activity);
            if (ReferenceEquals(translated, ex)) throw;
            throw translated;
        }
        if (response.Code == 421) Disconnect();
        return response;
    }

    private async Task<SmtpResponse> CommandAsync(IoScope io, string line, string activity)
    {
        await WriteCommandAsync(io, line, activity).ConfigureAwait(false);
        return await ReadReplyAsync(io, activity).ConfigureAwait(false);
    }

    private void Log(SmtpLogDirection direction, string text, bool encrypted) =>
        Options.ProtocolLogger?.Invoke(new SmtpLogEntry(direction, text, encrypted, DateTimeOffset.Now));

    /// <summary>Security rule 7: what follows an AUTH mechanism name, and any SASL continuation line, is logged as asterisks.</summary>
    private void LogCommand(string line, int secretFrom)
    {
        string text = secretFrom < 0 ? line : line.Substring(0, secretFrom) + "********";
        Log(SmtpLogDirection.Client, text, _transport?.Tls is not null);
    }

    private void LogReplyLine(string line) => Log(SmtpLogDirection.Server, line, _transport?.Tls is not null);
}
