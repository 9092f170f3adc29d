using AsyncSmtp.Mime;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>What the engine would receive for a message, and the same bytes parsed back by MimeKit.</summary>
internal sealed class Sent
{
    private Sent(byte[] bytes, long? announcedLength, int writes)
    {
        Bytes = bytes;
        AnnouncedLength = announcedLength;
        Writes = writes;
        Message = MimeMessage.Load(new MemoryStream(bytes));
        Text = System.Text.Encoding.UTF8.GetString(bytes);
    }

    public byte[] Bytes { get; }

    public long? AnnouncedLength { get; }

    /// <summary>How many Write calls reached the destination stream.</summary>
    public int Writes { get; }

    public MimeMessage Message { get; }

    public string Text { get; }

    public static async Task<Sent> ContentOf(SmtpMessage message)
    {
        var content = message.CreateContent();
        var destination = new CountingMemoryStream();
        await content.WriteToAsync(destination, CancellationToken.None);
        return new Sent(destination.ToArray(), content.Length, destination.Writes);
    }

    public static Task<Sent> Of(SmtpMessageSpec spec) => ContentOf(SmtpMessageFactory.Create(spec));

    /// <summary>Records the bytes and counts the writes the way the engine's DATA stream would see them.</summary>
    private sealed class CountingMemoryStream : Stream
    {
        private readonly MemoryStream _bytes = new();

        public int Writes { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _bytes.Length;

        public override long Position
        {
            get => _bytes.Position;
            set => throw new NotSupportedException();
        }

        public byte[] ToArray() => _bytes.ToArray();

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            _bytes.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer, offset, count);
            return Task.CompletedTask;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
