using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.TestServer;

/// <summary>
/// A scriptable SMTP server on loopback for tests. It records every command, session and accepted
/// message, and can be told to answer any command with any reply, delay, disconnect or raw bytes
/// (see <see cref="On"/>). Every connection runs on its own task; nothing a client does can crash it.
/// </summary>
public sealed class SmtpTestServer : IDisposable, IAsyncDisposable
{
    private static readonly TimeSpan _stopTimeout = TimeSpan.FromSeconds(5);

    private readonly Recorder _recorder = new();
    private readonly FaultLedger _ledger = new();
    private readonly ConcurrentDictionary<int, (SmtpSession Session, Task Run)> _active = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _lifecycle = new();
    private TcpListener? _listener;
    private Task? _acceptLoop;
    private int _lastSessionId;
    private int _boundPort;
    private bool _started;

    /// <summary>A server with the default options (plain port, STARTTLS offered, CHUNKING, AUTH...).</summary>
    public SmtpTestServer()
        : this(null)
    {
    }

    /// <summary>A server with the given options; they are copied when <see cref="Start"/> is called.</summary>
    public SmtpTestServer(SmtpTestServerOptions? options = null)
    {
        Options = options ?? new SmtpTestServerOptions();
    }

    /// <summary>The options; changes after <see cref="Start"/> have no effect.</summary>
    public SmtpTestServerOptions Options { get; }

    /// <summary>The rules that override the server's own answers.</summary>
    public SmtpScript Script { get; } = new();

    /// <summary>The certificate presented for STARTTLS and implicit TLS.</summary>
    public X509Certificate2 Certificate => Options.Certificate ?? TestCertificate.Shared;

    /// <summary>
    /// A validation callback that trusts exactly this server's certificate, for clients under test
    /// (e.g. <c>SslClientAuthenticationOptions.RemoteCertificateValidationCallback</c>).
    /// </summary>
    public RemoteCertificateValidationCallback CertificateValidationCallback =>
        (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == Certificate.GetCertHashString();

    /// <summary>The address clients connect to: "127.0.0.1", or "::1" when bound to IPv6 loopback.</summary>
    public string Host => Options.Address.ToString();

    /// <summary>The port listened on (once started, the one the OS picked when the option was 0).</summary>
    public int Port => _started ? _boundPort : Options.Port;

    /// <summary>Whether <see cref="Start"/> has run and <see cref="Stop"/> has not.</summary>
    public bool IsRunning => _started && !_stopping.IsCancellationRequested;

    /// <summary>Accepted messages so far, in order (a snapshot).</summary>
    public IReadOnlyList<ReceivedMessage> Messages => _recorder.Messages;

    /// <summary>Every line clients sent outside message data, across sessions, in arrival order (a snapshot).</summary>
    public IReadOnlyList<string> Commands => _recorder.Commands;

    /// <summary>One record per connection, in accept order (a snapshot).</summary>
    public IReadOnlyList<SessionRecord> Sessions => _recorder.Sessions;

    /// <summary>Creates and starts a server in one call (handy from PowerShell).</summary>
    public static SmtpTestServer StartNew(SmtpTestServerOptions? options = null)
    {
        var server = new SmtpTestServer(options);
        server.Start();
        return server;
    }

    /// <summary>Adds a rule for command lines starting with <paramref name="pattern"/> (case-insensitive), or for <c>&lt;GREETING&gt;</c> / <c>&lt;EOM&gt;</c>.</summary>
    public ScriptRule On(string pattern) => Script.On(pattern);

    /// <summary>Adds a rule for the greeting.</summary>
    public ScriptRule OnGreeting() => Script.On(SmtpScript.Greeting);

    /// <summary>Adds a rule for the reply after the message data (final "." or BDAT LAST).</summary>
    public ScriptRule OnEndOfMessage() => Script.On(SmtpScript.EndOfMessage);

    /// <summary>Binds the loopback address and starts accepting connections.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (_started)
            {
                throw new InvalidOperationException("The test server is already started.");
            }

            if (!IPAddress.IsLoopback(Options.Address))
            {
                throw new InvalidOperationException($"The test server binds loopback only, not {Options.Address}.");
            }

            if (!Certificate.HasPrivateKey)
            {
                throw new InvalidOperationException("The server certificate needs its private key.");
            }

            var options = Options.Snapshot();
            var certificate = SslStreamCertificateContext.Create(Certificate, additionalCertificates: null, offline: true);
            var context = new ServerContext(options, Script, _recorder, _ledger, certificate, _stopping.Token);
            _listener = new TcpListener(options.Address, options.Port);
            _listener.Start(backlog: 512);
            _boundPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _started = true;
            _acceptLoop = Task.Run(() => AcceptLoopAsync(_listener, context));
        }
    }

    /// <summary>Returns the oldest accepted message not returned by an earlier wait, waiting for it if needed; throws <see cref="TimeoutException"/>.</summary>
    public Task<ReceivedMessage> WaitForMessageAsync(TimeSpan timeout) => _recorder.WaitForNextAsync(timeout);

    /// <summary>Blocking <see cref="WaitForMessageAsync"/> for PowerShell.</summary>
    public ReceivedMessage WaitForMessage(int timeoutMilliseconds) =>
        WaitForMessageAsync(TimeSpan.FromMilliseconds(timeoutMilliseconds)).GetAwaiter().GetResult();

    /// <summary>Waits until at least <paramref name="count"/> messages have been accepted in all and returns them; throws <see cref="TimeoutException"/>.</summary>
    public Task<IReadOnlyList<ReceivedMessage>> WaitForMessagesAsync(int count, TimeSpan timeout) =>
        _recorder.WaitForCountAsync(count, timeout);

    /// <summary>Blocking <see cref="WaitForMessagesAsync"/> for PowerShell.</summary>
    public IReadOnlyList<ReceivedMessage> WaitForMessages(int count, int timeoutMilliseconds) =>
        WaitForMessagesAsync(count, TimeSpan.FromMilliseconds(timeoutMilliseconds)).GetAwaiter().GetResult();

    /// <summary>Accepted messages and faults met, by Message-Id (<see cref="SmtpTestServerOptions.Faults"/>).</summary>
    public FaultLedger Ledger => _ledger;

    /// <summary>
    /// Forgets recorded messages, commands, sessions and the ledger (the script stays: use <c>Script.Clear()</c>).
    /// </summary>
    public void Clear()
    {
        _recorder.Clear();
        _ledger.Clear();
    }

    /// <summary>Stops listening and closes every session; returns once they have ended (or after 5 s).</summary>
    public async Task StopAsync()
    {
        lock (_lifecycle)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }

            _stopping.Cancel();
            _listener?.Stop();
        }

        foreach (var (session, _) in _active.Values)
        {
            session.Close(abort: false);
        }

        var running = _active.Values.Select(a => a.Run).Append(_acceptLoop ?? Task.CompletedTask);
        await Task.WhenAny(Task.WhenAll(running), Task.Delay(_stopTimeout)).ConfigureAwait(false);
    }

    /// <summary>Blocking <see cref="StopAsync"/>.</summary>
    public void Stop() => StopAsync().GetAwaiter().GetResult();

    /// <inheritdoc/>
    public void Dispose() => Stop();

    /// <inheritdoc/>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <inheritdoc/>
    public override string ToString() => $"SMTP test server on {Host}:{Port}, {Messages.Count} message(s)";

    private async Task AcceptLoopAsync(TcpListener listener, ServerContext context)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception)
            {
                // A client that gave up while queued, or a passing shortage of sockets: keep serving.
                await Task.Delay(10).ConfigureAwait(false);
                continue;
            }

            socket.NoDelay = true;
            var id = Interlocked.Increment(ref _lastSessionId);
            var record = new SessionRecord(id, socket.RemoteEndPoint?.ToString() ?? "?");
            _recorder.AddSession(record);
            var session = new SmtpSession(socket, context, record);
            var run = new Task<Task>(session.RunAsync);
            _active[id] = (session, run.Unwrap().ContinueWith(finished => _active.TryRemove(id, out _), TaskScheduler.Default));
            run.Start(TaskScheduler.Default);
            if (_stopping.IsCancellationRequested)
            {
                // Stop ran between the accept and the registration above.
                session.Close(abort: false);
            }
        }
    }
}
