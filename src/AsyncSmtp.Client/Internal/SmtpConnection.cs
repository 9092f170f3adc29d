using System.Net;
using System.Text;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// The wire of one connection: command lines encoded and written (a group in one write), replies read,
/// the protocol log, a 421 ("service closing") taken as the end of the connection, and transport
/// failures translated into the engine's typed exceptions. The SMTP verbs stand on this; none of them
/// touches the transport.
/// </summary>
internal sealed class SmtpConnection
{
    private static readonly Encoding Utf8 = new UTF8Encoding(false);

    private readonly SmtpTransport _transport;
    private readonly Action<SmtpLogEntry>? _logger;
    private int _closeLogged;

    private SmtpConnection(SmtpTransport transport, Action<SmtpLogEntry>? logger)
    {
        _transport = transport;
        _logger = logger;
        if (logger is not null) transport.Reader.LineObserver = line => Log(SmtpLogDirection.Server, line);
    }

    /// <summary>Opens the transport (TCP, Unix socket or the caller's), logging where to.</summary>
    public static async Task<SmtpConnection> OpenAsync(SmtpClientOptions options, IoScope io, string endpoint)
    {
        SmtpTransport transport;
        try
        {
            transport = await SmtpTransport.OpenAsync(options, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (io.Translates(ex, $"connecting to {endpoint}", out var translated))
        {
            throw translated;
        }
        var connection = new SmtpConnection(transport, options.ProtocolLogger);
        connection.Log(SmtpLogDirection.Info, $"Connected to {endpoint}");
        return connection;
    }

    public bool IsOpen => !_transport.IsClosed;

    public bool IsEncrypted => _transport.Tls is not null;

    public SmtpTransport Transport => _transport;

    public EndPoint? LocalEndPoint => _transport.LocalEndPoint;

    public EndPoint? RemoteEndPoint => _transport.RemoteEndPoint;

    /// <summary>
    /// A reply is owed to an earlier command (a submitted message's final reply): bytes waiting to be read
    /// are that reply, not data nobody asked for.
    /// </summary>
    public bool ReplyOwed { get; set; }

    /// <summary>Closes at once; safe from any thread, any number of times.</summary>
    public void Close()
    {
        _transport.Abort();
        if (Interlocked.Exchange(ref _closeLogged, 1) == 0) Log(SmtpLogDirection.Info, "Connection closed");
    }

    /// <summary>
    /// Writes command lines in one write (a pipelined group is one packet), after <paramref name="leading"/>
    /// (a submitted message's held end of data) when given.
    /// </summary>
    public Task WriteCommandsAsync(IoScope io, IReadOnlyList<string> lines, string activity, byte[]? leading = null)
    {
        ThrowIfUnexpectedData(activity);
        int length = leading?.Length ?? 0;
        for (int n = 0; n < lines.Count; n++) length += Utf8.GetByteCount(lines[n]) + 2;
        byte[] buffer = new byte[length];
        int offset = 0;
        if (leading is not null)
        {
            Buffer.BlockCopy(leading, 0, buffer, 0, leading.Length);
            offset = leading.Length;
        }
        for (int n = 0; n < lines.Count; n++) offset += Encode(lines[n], buffer, offset, secretFrom: -1);
        return WriteAsync(io, buffer, 0, buffer.Length, activity);
    }

    /// <summary>Writes one command line; with <paramref name="secretFrom"/>, what follows that index is logged as asterisks.</summary>
    public Task WriteCommandAsync(IoScope io, string line, string activity, int secretFrom = -1)
    {
        ThrowIfUnexpectedData(activity);
        byte[] buffer = new byte[Utf8.GetByteCount(line) + 2];
        Encode(line, buffer, 0, secretFrom);
        return WriteAsync(io, buffer, 0, buffer.Length, activity);
    }

    /// <summary>
    /// Puts an ASCII command line (BDAT) into <paramref name="buffer"/> so that it ends at <paramref name="end"/>,
    /// in the room the body encoder keeps in front of a chunk; returns where it starts.
    /// </summary>
    public int PrefixCommand(string line, byte[] buffer, int end, string activity)
    {
        ThrowIfUnexpectedData(activity);
        int start = end - line.Length - 2;
        Encode(line, buffer, start, secretFrom: -1);
        return start;
    }

    public async Task WriteAsync(IoScope io, byte[] buffer, int offset, int count, string activity)
    {
        io.Restart();
        try
        {
            await _transport.WriteAsync(buffer, offset, count, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (io.Translates(ex, activity, out var translated))
        {
            throw translated;
        }
    }

    /// <summary>Reads one reply. A 421 closes the connection and is thrown as <see cref="SmtpServerDisconnectedException"/>.</summary>
    public async Task<SmtpResponse> ReadReplyAsync(IoScope io, string activity)
    {
        var reply = await ReadAnyReplyAsync(io, activity).ConfigureAwait(false);
        if (reply.Code == 421) throw SmtpServerDisconnectedException.Closing(reply);
        return reply;
    }

    /// <summary>Reads one reply, whatever its code; a 421 still closes the connection.</summary>
    public async Task<SmtpResponse> ReadAnyReplyAsync(IoScope io, string activity)
    {
        SmtpResponse reply;
        io.Restart();
        try
        {
            reply = await _transport.Reader.ReadAsync(io.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (io.Translates(ex, activity, out var translated))
        {
            throw translated;
        }
        if (reply.Code == 421) Close();
        return reply;
    }

    /// <summary>One command and its reply (a 421 thrown, as by <see cref="ReadReplyAsync"/>).</summary>
    public async Task<SmtpResponse> CommandAsync(IoScope io, string line, string activity, int secretFrom = -1)
    {
        await WriteCommandAsync(io, line, activity, secretFrom).ConfigureAwait(false);
        return await ReadReplyAsync(io, activity).ConfigureAwait(false);
    }

    /// <summary>
    /// Security rule 3: anything that arrived with or after STARTTLS's 220 was sent in plaintext by
    /// someone who may not be the server; it is dropped, never read as a reply inside the TLS session.
    /// </summary>
    public async Task<SmtpTlsDetails> UpgradeAsync(IoScope io, string targetHost, SmtpClientOptions options,
        bool implicitTls)
    {
        int discarded = _transport.Reader.DiscardBuffered();
        if (discarded > 0) Log(SmtpLogDirection.Info, $"Discarded {discarded} bytes received before the TLS handshake");
        try
        {
            return await _transport.UpgradeToTlsAsync(targetHost, options, implicitTls, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (io.Translates(ex, "negotiating TLS", out var translated))
        {
            throw translated;
        }
    }

    public void Log(SmtpLogDirection direction, string text)
    {
        if (_logger is not null) _logger(new SmtpLogEntry(direction, text, IsEncrypted, DateTimeOffset.Now));
    }

    /// <summary>Security rule 6: a reply nobody asked for is never taken as the answer to the next command.</summary>
    private void ThrowIfUnexpectedData(string activity)
    {
        if (!ReplyOwed && _transport.HasUnexpectedData)
            throw new SmtpProtocolException($"The server sent data nobody asked for before {activity}; the connection was closed.");
    }

    /// <summary>The line and its CRLF into the buffer, logged (security rule 7: a secret as asterisks); returns the length.</summary>
    private int Encode(string line, byte[] buffer, int offset, int secretFrom)
    {
        int length = Utf8.GetBytes(line, 0, line.Length, buffer, offset);
        buffer[offset + length] = (byte)'\r';
        buffer[offset + length + 1] = (byte)'\n';
        if (_logger is not null) Log(SmtpLogDirection.Client, secretFrom < 0 ? line : line.Substring(0, secretFrom) + "********");
        return length + 2;
    }
}
