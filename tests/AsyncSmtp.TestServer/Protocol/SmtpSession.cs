using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer;

/// <summary>
/// One client connection: reads commands line by line (so pipelined commands are answered in order),
/// runs the script and the default protocol, and records what it sees. This part holds the I/O, TLS and
/// script execution; the commands themselves are in SmtpSession.Commands.cs.
/// </summary>
internal sealed partial class SmtpSession : ISaslChannel
{
    private static readonly TimeSpan _handshakeTimeout = TimeSpan.FromSeconds(15);

    private readonly Socket _socket;
    private readonly ServerContext _context;
    private readonly SmtpTestServerOptions _options;
    private readonly SessionRecord _record;
    private Stream _stream;
    private SmtpStreamReader _reader;
    private volatile bool _closedByServer;

    public SmtpSession(Socket socket, ServerContext context, SessionRecord record)
    {
        _socket = socket;
        _context = context;
        _options = context.Options;
        _record = record;
        _stream = new NetworkStream(socket, ownsSocket: true);
        _reader = new SmtpStreamReader(_stream, _options.MaxLineLength);
    }

    private CancellationToken Stopping => _context.Stopping;

    /// <summary>Runs until the client or the script ends the connection; never throws.</summary>
    public async Task RunAsync()
    {
        try
        {
            if (_options.ImplicitTls)
            {
                await UpgradeToTlsAsync().ConfigureAwait(false);
            }

            if (await GreetAsync().ConfigureAwait(false))
            {
                await CommandLoopAsync().ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            // A session failure is data for the test, never a crash of the server or the test host.
            if (!_closedByServer && !Stopping.IsCancellationRequested)
            {
                _record.SetError($"{ex.GetType().Name}: {ex.Message}");
            }
        }
        finally
        {
            Close(abort: false);
            _record.MarkClosed();
        }
    }

    /// <summary>Ends the connection: FIN, or RST when aborting. Safe from any thread, any number of times.</summary>
    public void Close(bool abort)
    {
        _closedByServer = true;
        try
        {
            if (abort)
            {
                _socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone: nothing left to close politely.
        }

        _socket.Dispose();
    }

    async Task ISaslChannel.SendLineAsync(string line) => await SendAsync(line).ConfigureAwait(false);

    async Task<string?> ISaslChannel.ReadLineAsync()
    {
        var line = await _reader.ReadLineAsync(Stopping).ConfigureAwait(false);
        if (line is not null)
        {
            RecordCommand(line.Text);
        }

        return line?.Text;
    }

    private async Task<bool> GreetAsync()
    {
        if (await GreetingFaultAsync().ConfigureAwait(false) is { } open)
        {
            return open;
        }

        if (_context.Script.Fire(SmtpScript.Greeting, isMatchPoint: true) is { } plan)
        {
            if (!await RunPlanAsync(plan).ConfigureAwait(false))
            {
                return false;
            }

            if (plan.AnswersCommand)
            {
                return true;
            }
        }

        await SendAsync(ReplyText.SplitLines(_options.Greeting).ToArray()).ConfigureAwait(false);
        return true;
    }

    private async Task CommandLoopAsync()
    {
        while (await _reader.ReadLineAsync(Stopping).ConfigureAwait(false) is { } line)
        {
            RecordCommand(line.Text);
            if (line.TooLong)
            {
                await SendAsync(Line(500, "5.5.2", "Error: line too long")).ConfigureAwait(false);
                continue;
            }

            if (!await HandleCommandAsync(line.Text).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private void RecordCommand(string text)
    {
        _record.AddCommand(text);
        _context.Recorder.AddCommand(text);
    }

    /// <summary>Performs the steps of a fired rule; false when one of them closed the connection.</summary>
    private async Task<bool> RunPlanAsync(ScriptPlan plan)
    {
        foreach (var action in plan.Actions)
        {
            switch (action)
            {
                case ReplyAction reply:
                    await WriteAsync(ReplyText.ToWire(reply.Lines)).ConfigureAwait(false);
                    break;
                case DelayAction delay:
                    await Task.Delay(delay.Milliseconds, Stopping).ConfigureAwait(false);
                    break;
                case RawAction raw:
                    for (var offset = 0; offset < raw.Bytes.Length; offset += raw.ChunkSize)
                    {
                        if (offset > 0 && raw.PauseMilliseconds > 0)
                        {
                            await Task.Delay(raw.PauseMilliseconds, Stopping).ConfigureAwait(false);
                        }

                        await WriteAsync(raw.Bytes.AsMemory(offset, Math.Min(raw.ChunkSize, raw.Bytes.Length - offset))).ConfigureAwait(false);
                    }

                    break;
                case DisconnectAction disconnect:
                    Close(disconnect.Abort);
                    return false;
                case HangAction:
                    await _reader.DrainUntilClosedAsync(Stopping).ConfigureAwait(false);
                    return false;
            }
        }

        return true;
    }

    private Task SendAsync(params string[] lines) => WriteAsync(ReplyText.ToWire(lines));

    private async Task WriteAsync(ReadOnlyMemory<byte> bytes)
    {
        await _stream.WriteAsync(bytes, Stopping).ConfigureAwait(false);
        await _stream.FlushAsync(Stopping).ConfigureAwait(false);
    }

    /// <summary>
    /// Called before the 220 to STARTTLS goes out: throws away what the client sent after STARTTLS, both
    /// buffered and still waiting in the socket. The client cannot have seen the 220 yet, so none of it
    /// is its TLS handshake, and plaintext injected there must never count as commands (RFC 3207 5).
    /// </summary>
    private void DiscardPipelinedBytes()
    {
        var discarded = _reader.DiscardBuffered();
        var scratch = new byte[4096];
        while (_socket.Available > 0)
        {
            discarded += _socket.Receive(scratch, Math.Min(scratch.Length, _socket.Available), SocketFlags.None);
        }

        _record.AddDiscardedBytes(discarded);
    }

    /// <summary>Runs the server side of the TLS handshake; true so that callers can carry on with the session.</summary>
    private async Task<bool> UpgradeToTlsAsync()
    {
        var tls = new SslStream(_stream, leaveInnerStreamOpen: false);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Stopping);
        timeout.CancelAfter(_handshakeTimeout);
        await tls.AuthenticateAsServerAsync(
            new SslServerAuthenticationOptions
            {
                ServerCertificateContext = _context.Certificate,
                ClientCertificateRequired = false,
                CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            },
            timeout.Token).ConfigureAwait(false);

        _stream = tls;
        _reader = new SmtpStreamReader(tls, _options.MaxLineLength);
        _record.SetEncrypted(tls.SslProtocol.ToString());

        ForgetStateForTls();
        return true;
    }
}
