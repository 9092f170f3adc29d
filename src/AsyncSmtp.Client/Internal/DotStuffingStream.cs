using System.Buffers;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// A write-only stream that line-normalises and dot-stuffs a message into valid SMTP content as it is
/// written (security rule 2):
/// every bare CR and bare LF becomes CRLF, a missing final CRLF is added, and for DATA every line that
/// starts with '.' gets another '.' and ".\r\n" ends the body. Nothing a caller writes can end DATA early.
/// Output is handed to a sink in chunks of at most <see cref="ChunkSize"/> bytes, never the whole message.
/// </summary>
internal sealed class DotStuffingStream : Stream
{
    public const int Headroom = 32;
    public const int ChunkSize = 64 * 1024;

    private const byte Cr = (byte)'\r';
    private const byte Lf = (byte)'\n';
    private const byte Dot = (byte)'.';

    private readonly BodyChunkSink _sink;
    private readonly bool _dotStuff;
    private readonly IProgress<long>? _progress;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(Headroom + ChunkSize);
    private int _count;
    private bool _atLineStart = true;
    private bool _pendingCr;
    private bool _completed;

    public DotStuffingStream(BodyChunkSink sink, bool dotStuff, IProgress<long>? progress)
    {
        _sink = sink;
        _dotStuff = dotStuff;
        _progress = progress;
    }

    /// <summary>Content bytes written by the caller.</summary>
    public long BytesIn { get; private set; }

    /// <summary>Encoded bytes handed to the sink (with the terminator for DATA).</summary>
    public long BytesOut { get; private set; }

    /// <summary>
    /// The message's size as SIZE counts it (RFC 1870): CRLF line endings, without dot-stuffing or terminator.
    /// </summary>
    public long MessageSize => BytesOut + _count - _stuffedDots - (_completed && _dotStuff ? 3 : 0);

    private long _stuffedDots;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("The SMTP body stream is asynchronous: use WriteAsync.");

    public override async Task WriteAsync(byte[] source, int offset, int count, CancellationToken cancellationToken)
    {
        if (_completed) throw new InvalidOperationException("The body has already been completed.");
        int i = offset;
        int end = offset + count;
        long bytesInBefore = BytesIn;
        while (i < end)
        {
            if (Space < 3)
            {
                // One large write (a pre-serialised message) spans many chunks: progress counts what it has used.
                BytesIn = bytesInBefore + (i - offset);
                await FlushChunkAsync(false, cancellationToken).ConfigureAwait(false);
            }
            if (_pendingCr)
            {
                _pendingCr = false;
                EmitLineBreak();
                if (source[i] == Lf) i++;
                continue;
            }
            if (_atLineStart)
            {
                _atLineStart = false;
                if (_dotStuff && source[i] == Dot)
                {
                    _buffer[Headroom + _count++] = Dot;
                    _stuffedDots++;
                }
            }
            int rel = new ReadOnlySpan<byte>(source, i, end - i).IndexOfAny(Cr, Lf);
            int runEnd = rel < 0 ? end : i + rel;
            // Keep two bytes free for the line break that may follow the run.
            int copy = Math.Min(runEnd - i, Space - 2);
            Buffer.BlockCopy(source, i, _buffer, Headroom + _count, copy);
            _count += copy;
            i += copy;
            if (i < runEnd || i == end) continue;
            if (source[i] == Lf)
            {
                i++;
                EmitLineBreak();
            }
            else if (i + 1 < end)
            {
                i += source[i + 1] == Lf ? 2 : 1;
                EmitLineBreak();
            }
            else
            {
                // A CR at the end of this write: whether an LF follows is known only with the next write.
                i++;
                _pendingCr = true;
            }
        }
        BytesIn = bytesInBefore + count;
    }

    /// <summary>Ends the body: the final CRLF if missing, the DATA terminator, and the last chunk.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_completed) return;
        if (Space < 5) await FlushChunkAsync(false, cancellationToken).ConfigureAwait(false);
        if (_pendingCr)
        {
            _pendingCr = false;
            EmitLineBreak();
        }
        if (!_atLineStart || BytesOut + _count == 0) EmitLineBreak();
        if (_dotStuff)
        {
            _buffer[Headroom + _count++] = Dot;
            EmitLineBreak();
        }
        _completed = true;
        await FlushChunkAsync(true, cancellationToken).ConfigureAwait(false);
    }

    private int Space => ChunkSize - _count;

    private void EmitLineBreak()
    {
        _buffer[Headroom + _count++] = Cr;
        _buffer[Headroom + _count++] = Lf;
        _atLineStart = true;
    }

    private async Task FlushChunkAsync(bool isLast, CancellationToken cancellationToken)
    {
        int count = _count;
        _count = 0;
        await _sink(_buffer, Headroom, count, isLast, cancellationToken).ConfigureAwait(false);
        BytesOut += count;
        _progress?.Report(BytesIn);
    }

    public override void Flush()
    {
        // Chunks are sent when full or at completion; an early flush would only make more, smaller writes.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0) ArrayPool<byte>.Shared.Return(buffer);
        base.Dispose(disposing);
    }
}
