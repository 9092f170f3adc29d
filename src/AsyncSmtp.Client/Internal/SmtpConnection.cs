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
    private static readonly Encoding _utf8 = new UTF8Encoding(false);

    private readonly SmtpTransport _transport;
    private readonly Action<SmtpLogEntry>? _logger;
    private readonly Func<bool>? _logEnabled;
    private int _closeLogged;

    // Command lines are encoded into one buffer kept for the connection's life (grown when a group needs
    // more), so no write allocates. Writes never overlap: the client runs one operation at a time.
    private byte[] _commandBuffer = new byte[512];

    // A submitted message's held end of data (at most one is owed at a time), kept until the next write.
    private byte[] _heldBuffer = Array.Empty<byte>();

    private SmtpConnection(SmtpTransport transport, Action<SmtpLogEntry>? logger, Func<bool>? logEnabled)
    {
        _transport = transport;
        _logger = logger;
        _logEnabled = logEnabled;
        if (logger is not null) transport.Reader.LineObserver = LogReplyLine;
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
        var connection = new SmtpConnection(transport, options.ProtocolLogger, options.ProtocolLogEnabled);
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
    public async Task WriteCommandsAsync(
        IoScope io, IReadOnlyList<string> lines, string activity, ArraySegment<byte>? leading = null)
    {
        await ThrowIfUnaskedReplyAsync(io, activity).ConfigureAwait(false);
        int length = leading?.Count ?? 0;
        for (int n = 0; n < lines.Count; n++) length += _utf8.GetByteCount(lines[n]) + 2;
        byte[] buffer = CommandBuffer(length);
        int offset = 0;
        if (leading is { } held)
        {
            Buffer.BlockCopy(held.Array!, held.Offset, buffer, 0, held.Count);
            offset = held.Count;
        }
        for (int n = 0; n < lines.Count; n++) offset += Encode(lines[n], buffer, offset, secretFrom: -1);
        await WriteAsync(io, buffer, 0, length, activity).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes one command line; with <paramref name="secretFrom"/>, what follows that index is logged as asterisks.
    /// </summary>
    public async Task WriteCommandAsync(IoScope io, string line, string activity, int secretFrom = -1)
    {
        await ThrowIfUnaskedReplyAsync(io, activity).ConfigureAwait(false);
        int length = _utf8.GetByteCount(line) + 2;
        byte[] buffer = CommandBuffer(length);
        Encode(line, buffer, 0, secretFrom);
        await WriteAsync(io, buffer, 0, length, activity).ConfigureAwait(false);
    }

    private byte[] CommandBuffer(int length)
    {
        if (_commandBuffer.Length < length) _commandBuffer = new byte[Math.Max(length, 2 * _commandBuffer.Length)];
        return _commandBuffer;
    }

    /// <summary>
    /// Keeps a copy of a submitted message's end of data for the next write, in a buffer reused from one
    /// message to the next: the previous message's end has always left (or the connection has closed)
    /// before the next one is held.
    /// </summary>
    public ArraySegment<byte> HoldEndOfData(byte[] buffer, int offset, int count)
    {
        if (_heldBuffer.Length < count) _heldBuffer = new byte[Math.Max(count, 2 * _heldBuffer.Length)];
        Buffer.BlockCopy(buffer, offset, _heldBuffer, 0, count);
        return new ArraySegment<byte>(_heldBuffer, 0, count);
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

    /// <summary>
    /// Reads one reply. A 421 closes the connection and is thrown as <see cref="SmtpServerDisconnectedException"/>.
    /// </summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    public async ReplyTask ReadReplyAsync(IoScope io, string activity)
    {
        var reply = await ReadAnyReplyAsync(io, activity).ConfigureAwait(false);
        if (reply.Code == 421) throw SmtpServerDisconnectedException.Closing(reply);
        return reply;
    }

    /// <summary>Reads one reply, whatever its code; a 421 still closes the connection.</summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    public async ReplyTask ReadAnyReplyAsync(IoScope io, string activity)
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
        // A handshake is part of connecting, after STARTTLS too: one that does not finish in time is a connect timeout.
        bool connectPhase = io.ConnectPhase;
        io.ConnectPhase = true;
        try
        {
            return await _transport.UpgradeToTlsAsync(targetHost, options, implicitTls, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (io.Translates(ex, "negotiating TLS", out var translated))
        {
            throw translated;
        }
        finally
        {
            io.ConnectPhase = connectPhase;
        }
    }

    /// <summary>Whether a line logged now would be seen: check it before making a line only for the log.</summary>
    public bool IsLogging => _logger is not null && (_logEnabled is null || _logEnabled());

    public void Log(SmtpLogDirection direction, string text)
    {
        if (IsLogging) _logger!(new SmtpLogEntry(direction, text, IsEncrypted, DateTimeOffset.Now));
    }

    private void LogReplyLine(byte[] buffer, int offset, int count)
    {
        if (IsLogging) Log(SmtpLogDirection.Server, _utf8.GetString(buffer, offset, count));
    }

    /// <summary>Security rule 6: a reply nobody asked for is never taken as the answer to the next command.</summary>
    private void ThrowIfUnexpectedData(string activity)
    {
        if (!ReplyOwed && _transport.HasUnexpectedData) throw UnexpectedData(activity);
    }

    /// <summary>
    /// Security rule 6 before a command, with the one reply a server may send unasked: a 421, when it closes an idle
    /// connection (RFC 5321 3.8; postfix does after its timeout). That is the server disconnecting, with its text.
    /// </summary>
    private async Task ThrowIfUnaskedReplyAsync(IoScope io, string activity)
    {
        if (ReplyOwed || !_transport.HasUnexpectedData) return;
        SmtpResponse unasked;
        try
        {
            unasked = await ReadAnyReplyAsync(io, activity).ConfigureAwait(false);
        }
        catch (SmtpReadTimeoutException)
        {
            throw UnexpectedData(activity); // bytes that never became a reply
        }
        if (unasked.Code == 421) throw SmtpServerDisconnectedException.Closing(unasked);
        throw UnexpectedData(activity);
    }

    private static SmtpProtocolException UnexpectedData(string activity) =>
        new($"The server sent data nobody asked for before {activity}; the connection was closed.");

    /// <summary>
    /// The line and its CRLF into the buffer, logged (security rule 7: a secret as asterisks); returns the length.
    /// </summary>
    private int Encode(string line, byte[] buffer, int offset, int secretFrom)
    {
        int length = _utf8.GetBytes(line, 0, line.Length, buffer, offset);
        buffer[offset + length] = (byte)'\r';
        buffer[offset + length + 1] = (byte)'\n';
        if (IsLogging)
            Log(SmtpLogDirection.Client, secretFrom < 0 ? line : line.Substring(0, secretFrom) + "********");
        return length + 2;
    }
}
