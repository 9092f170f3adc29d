using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

/// <summary>
/// A message body as the engine sends it. The engine normalises line endings and dot-stuffs as the
/// content is written, so content never needs to be prepared for SMTP and is never copied whole.
/// </summary>
public abstract class SmtpContent
{
    /// <summary>
    /// The size in bytes with CRLF line endings, before dot-stuffing, when known (SIZE= and the progress total).
    /// </summary>
    public abstract long? Length { get; }

    /// <summary>Writes the whole message into <paramref name="destination"/>.</summary>
    public abstract Task WriteToAsync(Stream destination, CancellationToken cancellationToken);

    /// <summary>
    /// A serialised message (headers and body) sent as given, line endings normalised; the array is not copied.
    /// </summary>
    public static SmtpContent FromBytes(byte[] bytes) => new BytesContent(new ArraySegment<byte>(bytes));

    /// <summary>A serialised message in part of an array, sent as given, line endings normalised; not copied.</summary>
    public static SmtpContent FromBytes(ArraySegment<byte> bytes) => new BytesContent(bytes);

    /// <summary>Reads from the stream's current position to its end when sent.</summary>
    public static SmtpContent FromStream(Stream stream, bool leaveOpen = true) => new StreamContent(stream, leaveOpen);

    /// <summary>Content produced by a writer (a MIME serialiser, say) straight into the SMTP stream.</summary>
    public static SmtpContent FromWriter(Func<Stream, CancellationToken, Task> writer, long? length) =>
        new WriterContent(writer, () => length);

    /// <summary>
    /// Content produced by a writer, whose length is worked out only if the engine needs it: for SIZE=
    /// when the server offers SIZE. Measuring a MIME message means serialising it once more.
    /// </summary>
    public static SmtpContent FromMeasuredWriter(Func<Stream, CancellationToken, Task> writer,
        Func<long?> measureLength) => new WriterContent(writer, measureLength);

    private sealed class BytesContent : SmtpContent
    {
        private readonly ArraySegment<byte> _bytes;
        private long? _length;

        public BytesContent(ArraySegment<byte> bytes) => _bytes = bytes;

        public override long? Length => _length ??= LineEndings.NormalisedLength(_bytes.AsSpan());

        public override Task WriteToAsync(Stream destination, CancellationToken cancellationToken) =>
            destination.WriteAsync(_bytes.Array!, _bytes.Offset, _bytes.Count, cancellationToken);
    }

    private sealed class StreamContent : SmtpContent
    {
        private readonly Stream _stream;
        private readonly bool _leaveOpen;

        public StreamContent(Stream stream, bool leaveOpen)
        {
            _stream = stream;
            _leaveOpen = leaveOpen;
        }

        public override long? Length => _stream.CanSeek ? _stream.Length - _stream.Position : null;

        public override async Task WriteToAsync(Stream destination, CancellationToken cancellationToken)
        {
            try
            {
                await _stream.CopyToAsync(destination, 81920, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                if (!_leaveOpen) _stream.Dispose();
            }
        }
    }

    private sealed class WriterContent : SmtpContent
    {
        private readonly Func<Stream, CancellationToken, Task> _writer;
        private readonly Lazy<long?> _length;

        public WriterContent(Func<Stream, CancellationToken, Task> writer, Func<long?> length)
        {
            _writer = writer;
            _length = new Lazy<long?>(length);
        }

        public override long? Length => _length.Value;

        public override Task WriteToAsync(Stream destination, CancellationToken cancellationToken) =>
            _writer(destination, cancellationToken);
    }
}
