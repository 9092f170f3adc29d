namespace AsyncSmtp.Mime;

/// <summary>
/// A read-only, seekable stream over a byte array whose asynchronous reads store nothing in it. A message's text
/// parts live as long as the message, and messages are usually built long before they are sent: MemoryStream keeps
/// the task of its last asynchronous read, so each send of an old message stored a new object in it, and every
/// garbage collection during a long send had to look at all such messages again.
/// </summary>
internal sealed class ReadOnlyBytesStream : Stream
{
    private readonly byte[] _bytes;
    private long _position;

    public ReadOnlyBytesStream(byte[] bytes) => _bytes = bytes;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => _bytes.Length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int available = (int)Math.Max(0, Math.Min(count, _bytes.Length - _position));
        if (available == 0) return 0; // at or past the end, where a copy from there would throw
        Buffer.BlockCopy(_bytes, (int)_position, buffer, offset, available);
        _position += available;
        return available;
    }

    // The data is in memory: the read completes at once, and its task belongs to the caller alone.
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? Task.FromCanceled<int>(cancellationToken)
            : Task.FromResult(Read(buffer, offset, count));

    // The rest in one write, as MemoryStream does (MimeKit copies a part's content this way).
    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        int start = (int)Math.Min(_position, _bytes.Length);
        _position = Math.Max(_position, _bytes.Length);
        return destination.WriteAsync(_bytes, start, _bytes.Length - start, cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _bytes.Length + offset,
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
