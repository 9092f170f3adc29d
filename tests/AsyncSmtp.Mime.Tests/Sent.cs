using AsyncSmtp.Mime;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>What the engine would receive for a message, and the same bytes parsed back by MimeKit.</summary>
internal sealed class Sent
{
    private Sent(byte[] bytes, long? announcedLength)
    {
        Bytes = bytes;
        AnnouncedLength = announcedLength;
        Message = MimeMessage.Load(new MemoryStream(bytes));
        Text = System.Text.Encoding.UTF8.GetString(bytes);
    }

    public byte[] Bytes { get; }

    public long? AnnouncedLength { get; }

    public MimeMessage Message { get; }

    public string Text { get; }

    public static async Task<Sent> ContentOf(SmtpMessage message)
    {
        var content = message.CreateContent();
        var destination = new AsyncOnlyStream();
        await content.WriteToAsync(destination, CancellationToken.None);
        return new Sent(destination.ToArray(), content.Length);
    }

    public static Task<Sent> Of(SmtpMessageSpec spec) => ContentOf(SmtpMessageFactory.Create(spec));

    /// <summary>Records the bytes; like the engine's SMTP body stream, it refuses synchronous writes and flushes.</summary>
    private sealed class AsyncOnlyStream : Stream
    {
        private readonly MemoryStream _bytes = new();

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _bytes.ToArray();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("synchronous write");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _bytes.Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override void Flush() => throw new NotSupportedException("synchronous flush");

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
