using System.Text;
using System.Threading.Channels;

namespace AsyncSmtp.Client.Tests.Support;

/// <summary>
/// An in-memory server transcript: the client's writes are recorded, and each scripted reply becomes
/// readable once the client has written the text the step waits for. Replies are delivered in chunks
/// of <see cref="ChunkSize"/> bytes, so tests can split them at every byte.
/// </summary>
internal sealed class ScriptedServerStream : Stream
{
    private readonly Queue<Step> _steps = new();
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();
    private readonly StringBuilder _written = new();
    private readonly List<int> _writeSizes = new();
    private byte[] _current = Array.Empty<byte>();
    private int _currentOffset;
    private int _searchFrom;
    private bool _closeWhenDrained;

    public ScriptedServerStream(string greeting = "220 test.example ESMTP ready\r\n", int chunkSize = int.MaxValue)
    {
        ChunkSize = chunkSize;
        if (greeting.Length > 0) Send(greeting);
    }

    public int ChunkSize { get; }

    /// <summary>Everything the client wrote, as Latin-1 text (bytes preserved one to one).</summary>
    public string Written { get { lock (_written) return _written.ToString(); } }

    /// <summary>The size of each Write call, to check that pipelined commands leave in one write.</summary>
    public IReadOnlyList<int> WriteSizes { get { lock (_written) return _writeSizes.ToArray(); } }

    public bool IsDisposed { get; private set; }

    /// <summary>When the client has written <paramref name="expected"/>, reply with <paramref name="reply"/> (CRLF added per line when missing).</summary>
    public ScriptedServerStream On(string expected, string reply)
    {
        lock (_written) _steps.Enqueue(new Step(expected, Normalise(reply), Close: false));
        return this;
    }

    /// <summary>When the client has written <paramref name="expected"/>, close the connection.</summary>
    public ScriptedServerStream CloseOn(string expected)
    {
        lock (_written) _steps.Enqueue(new Step(expected, null, Close: true));
        return this;
    }

    /// <summary>When the client has written <paramref name="expected"/>, say nothing (to test timeouts).</summary>
    public ScriptedServerStream SilentOn(string expected)
    {
        lock (_written) _steps.Enqueue(new Step(expected, string.Empty, Close: false));
        return this;
    }

    /// <summary>Makes bytes readable now, unasked.</summary>
    public void Send(string raw) => Send(Encoding.Latin1.GetBytes(raw));

    public void Send(byte[] raw)
    {
        for (int i = 0; i < raw.Length; i += ChunkSize)
            _incoming.Writer.TryWrite(raw.AsSpan(i, Math.Min(ChunkSize, raw.Length - i)).ToArray());
    }

    private static string Normalise(string reply)
    {
        string crlf = reply.Replace("\r\n", "\n").Replace("\n", "\r\n");
        return crlf.EndsWith("\r\n", StringComparison.Ordinal) ? crlf : crlf + "\r\n";
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (_currentOffset >= _current.Length)
        {
            if (!await _incoming.Reader.WaitToReadAsync(cancellationToken)) return 0;
            if (!_incoming.Reader.TryRead(out var next)) return 0;
            _current = next;
            _currentOffset = 0;
            if (next.Length == 0) return 0;
        }
        int n = Math.Min(count, _current.Length - _currentOffset);
        Array.Copy(_current, _currentOffset, buffer, offset, n);
        _currentOffset += n;
        return n;
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        if (IsDisposed) throw new ObjectDisposedException(nameof(ScriptedServerStream));
        if (_closeWhenDrained) throw new IOException("Connection reset by peer.");
        lock (_written)
        {
            _written.Append(Encoding.Latin1.GetString(buffer, offset, count));
            _writeSizes.Add(count);
            while (_steps.Count > 0)
            {
                var step = _steps.Peek();
                int at = _written.ToString().IndexOf(step.Expected, _searchFrom, StringComparison.Ordinal);
                if (at < 0) break;
                _steps.Dequeue();
                _searchFrom = at + step.Expected.Length;
                if (step.Close)
                {
                    _closeWhenDrained = true;
                    _incoming.Writer.TryComplete();
                    break;
                }
                if (step.Reply!.Length > 0) Send(step.Reply);
            }
        }
        return Task.CompletedTask;
    }

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        _incoming.Writer.TryComplete();
        base.Dispose(disposing);
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private sealed record Step(string Expected, string? Reply, bool Close);
}
