namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Passes everything through and keeps the first bytes read, so that a failed TLS handshake can tell
/// whether the server answered in plaintext (an SMTP reply: the port expects STARTTLS).
/// </summary>
internal sealed class FirstBytesStream : Stream
{
    private const int Kept = 4;
    private readonly Stream _inner;
    private readonly byte[] _first = new byte[Kept];
    private int _count;

    public FirstBytesStream(Stream inner) => _inner = inner;

    /// <summary>Whether the first bytes read are three digits and a space or dash: a plaintext SMTP reply.</summary>
    public bool SawSmtpReply => _count == Kept && IsDigit(_first[0]) && IsDigit(_first[1]) && IsDigit(_first[2])
        && (_first[3] == (byte)' ' || _first[3] == (byte)'-');

    private static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';

    private int Keep(byte[] buffer, int offset, int read)
    {
        for (int n = 0; n < read && _count < Kept; n++) _first[_count++] = buffer[offset + n];
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count,
        CancellationToken cancellationToken) =>
        Keep(buffer, offset, await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false));

    public override int Read(byte[] buffer, int offset, int count) =>
        Keep(buffer, offset, _inner.Read(buffer, offset, count));

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => _inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

    public override void Flush() => _inner.Flush();

    public override bool CanRead => _inner.CanRead;
    public override bool CanWrite => _inner.CanWrite;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inner.Dispose();
        base.Dispose(disposing);
    }
}
