namespace AsyncSmtp.TestServer;

/// <summary>What happened on one connection. Updated live while the session runs; every getter is a snapshot.</summary>
public sealed class SessionRecord
{
    private readonly object _gate = new();
    private readonly List<string> _commands = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _clientName;
    private bool _isEncrypted;
    private string? _tlsProtocol;
    private string? _authenticatedUser;
    private int _bytesDiscardedAtStartTls;
    private int _messageCount;
    private string? _error;

    internal SessionRecord(int id, string remoteEndPoint)
    {
        Id = id;
        RemoteEndPoint = remoteEndPoint;
        StartedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>1 for the first connection, counting up.</summary>
    public int Id { get; }

    /// <summary>The client's address and port.</summary>
    public string RemoteEndPoint { get; }

    /// <summary>When the connection was accepted.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>Every line the client sent outside message data, in order, AUTH exchange lines included.</summary>
    public IReadOnlyList<string> Commands
    {
        get { lock (_gate) { return _commands.ToArray(); } }
    }

    /// <summary>The name from the latest EHLO/HELO.</summary>
    public string? ClientName
    {
        get { lock (_gate) { return _clientName; } }
    }

    /// <summary>Whether the connection is (now) under TLS.</summary>
    public bool IsEncrypted
    {
        get { lock (_gate) { return _isEncrypted; } }
    }

    /// <summary>The negotiated TLS version, e.g. "Tls13", or null.</summary>
    public string? TlsProtocol
    {
        get { lock (_gate) { return _tlsProtocol; } }
    }

    /// <summary>The user currently authenticated, or null.</summary>
    public string? AuthenticatedUser
    {
        get { lock (_gate) { return _authenticatedUser; } }
    }

    /// <summary>
    /// Bytes the client sent after STARTTLS that were waiting when the server answered 220; they are
    /// thrown away (never treated as commands). A correct client leaves this at 0.
    /// </summary>
    public int BytesDiscardedAtStartTls
    {
        get { lock (_gate) { return _bytesDiscardedAtStartTls; } }
    }

    /// <summary>How many messages the server accepted on this connection.</summary>
    public int MessageCount
    {
        get { lock (_gate) { return _messageCount; } }
    }

    /// <summary>Why the session ended abnormally (I/O error, failed TLS handshake...), or null.</summary>
    public string? Error
    {
        get { lock (_gate) { return _error; } }
    }

    /// <summary>Whether the connection has ended.</summary>
    public bool IsClosed => _closed.Task.IsCompleted;

    /// <summary>Waits until the connection has ended; false on timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_closed.Task, Task.Delay(timeout)).ConfigureAwait(false);
        return finished == _closed.Task;
    }

    /// <summary>Blocking <see cref="WaitForCloseAsync"/> for PowerShell.</summary>
    public bool WaitForClose(int timeoutMilliseconds) => _closed.Task.Wait(timeoutMilliseconds);

    /// <inheritdoc/>
    public override string ToString() => $"Session {Id} from {RemoteEndPoint}, {Commands.Count} command(s){(IsEncrypted ? ", TLS" : "")}";

    internal void AddCommand(string line)
    {
        lock (_gate) { _commands.Add(line); }
    }

    internal void SetClientName(string name)
    {
        lock (_gate) { _clientName = name; }
    }

    internal void SetEncrypted(string protocol)
    {
        lock (_gate)
        {
            _isEncrypted = true;
            _tlsProtocol = protocol;
        }
    }

    internal void SetAuthenticatedUser(string? user)
    {
        lock (_gate) { _authenticatedUser = user; }
    }

    internal void AddDiscardedBytes(int count)
    {
        lock (_gate) { _bytesDiscardedAtStartTls += count; }
    }

    internal void CountMessage()
    {
        lock (_gate) { _messageCount++; }
    }

    internal void SetError(string error)
    {
        lock (_gate) { _error ??= error; }
    }

    internal void MarkClosed() => _closed.TrySetResult();
}
