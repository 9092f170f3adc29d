using System.Buffers;

namespace AsyncSmtp.Mime;

/// <summary>
/// Collects MimeKit's many small writes (one per header, boundary, encoded line block) into one pooled buffer and
/// passes them on in large blocks, so a small message reaches the SMTP stream as a single write. Flushing writes
/// the buffered bytes on but never flushes the destination: when to push to the network is the engine's call.
/// </summary>
internal sealed class CoalescingWriteStream : Stream
{
    private const int BufferSize = 32 * 1024;

    private readonly Stream _destination;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _count;

    public CoalescingWriteStream(Stream destination) => _destination = destination;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (IsFull) await DrainAsync(cancellationToken).ConfigureAwait(false);
            var copied = Append(buffer, offset, count);
            offset += copied;
            count -= copied;
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        while (count > 0)
        {
            if (IsFull) Drain();
            var copied = Append(buffer, offset, count);
            offset += copied;
            count -= copied;
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    public override void Flush() => Drain();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Returns the buffer to the pool; bytes not flushed by then are dropped (the write failed anyway).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        base.Dispose(disposing);
    }

    private bool IsFull => _count == Buffer().Length;

    private byte[] Buffer() => _buffer ?? throw new ObjectDisposedException(nameof(CoalescingWriteStream));

    /// <summary>Copies what fits into the buffer; returns how many bytes that was.</summary>
    private int Append(byte[] source, int offset, int count)
    {
        var pending = Buffer();
        var copied = Math.Min(count, pending.Length - _count);
        System.Buffer.BlockCopy(source, offset, pending, _count, copied);
        _count += copied;
        return copied;
    }

    private async Task DrainAsync(CancellationToken cancellationToken)
    {
        if (_count == 0) return;
        await _destination.WriteAsync(Buffer(), 0, _count, cancellationToken).ConfigureAwait(false);
        _count = 0;
    }

    private void Drain()
    {
        if (_count == 0) return;
        _destination.Write(Buffer(), 0, _count);
        _count = 0;
    }
}
