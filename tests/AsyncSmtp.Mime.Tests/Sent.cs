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

    private sealed class CountingMemoryStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
