namespace AsyncSmtp.Mime.Tests;

[CollectionDefinition(nameof(MemoryTests), DisableParallelization = true)]
public sealed class MemoryTestsCollection
{
}

/// <summary>
/// Large messages are streamed: measuring and sending a 10 MB attachment must not allocate anything near its size.
/// Run alone so other tests' allocations do not count; the bound is loose on purpose (no timing, no exact count).
/// </summary>
[Collection(nameof(MemoryTests))]
public sealed class MemoryTests : IDisposable
{
    private const int AttachmentSize = 10 * 1024 * 1024;
    private const long Bound = 3 * 1024 * 1024;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // With an HTML alternative the message is MimeKit's; plain text alone is composed as bytes.
    [Theory]
    [InlineData("<p>text</p>")]
    [InlineData(null)]
    public async Task Sending_a_built_message_stores_nothing_in_it(string? html)
    {
        // Messages built first and piped from a variable live long; whatever a first send stored in them would be
        // young objects held by old ones, kept by every garbage collection during the send and slowing it (MimeKit
        // adds MIME-Version when it is missing; a header's Value keeps its decoded text; a MemoryStream keeps the
        // task of its last asynchronous read).
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "Sender <a@example.com>",
            To = new[] { "Recipient <b@example.com>" },
            Subject = "message",
            Body = "text",
            HtmlBody = html,
        });
        var before = ObjectGraph.Snapshot(message);

        message.CreateEnvelope();
        await message.CreateContent().WriteToAsync(new MemoryStream(), CancellationToken.None);

        Assert.Null(ObjectGraph.FirstDifference(before, ObjectGraph.Snapshot(message)));
    }

    [Fact]
    public async Task A_10_MB_attachment_is_measured_and_sent_with_bounded_memory()
    {
        var data = new byte[AttachmentSize];
        new Random(42).NextBytes(data);
        var path = _dir.File("big.bin", data);
        data = null;

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec { From = "a@example.com", To = new[] { "b@example.com" }, Attachments = new[] { path } });
        var content = message.CreateContent();
        var sink = new CountingSink();
        await content.WriteToAsync(sink, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.True(sink.Count > AttachmentSize * 4 / 3, "the base64 attachment was written");
        Assert.Equal(sink.Count, content.Length);
        Assert.True(allocated < Bound, $"allocated {allocated:N0} bytes for a {AttachmentSize:N0}-byte attachment");
    }

    [Fact]
    public async Task An_attachment_allocates_nothing_per_MiB_sent()
    {
        // What a send allocates is garbage until the next collection, so allocation per MiB of attachment is what
        // made a big send's peak memory grow with its size (about 30 KB per MiB when MimeKit encoded it).
        // The count is the whole process's: the test runner, timers and the JIT's background recompiles add to it
        // now and then, never subtract. So the least of three sends of each size is the send's own allocation.
        await AllocatedSending(1);
        long ten = await LeastAllocatedSending(10);
        long fifty = await LeastAllocatedSending(50);

        double perMebibyte = (fifty - ten) / 40.0;
        Assert.True(perMebibyte < 1024, $"{perMebibyte:N0} bytes per MiB ({ten:N0} for 10 MiB, {fifty:N0} for 50 MiB)");
    }

    [Fact]
    public async Task A_10_MB_eml_is_loaded_and_sent_with_bounded_memory()
    {
        var line = new string('x', 76) + "\r\n";
        var path = _dir.Combine("big.eml");
        using (var writer = new StreamWriter(path))
        {
            writer.Write("From: a@example.com\r\nTo: b@example.com\r\nSubject: big\r\n\r\n");
            for (var written = 0; written < AttachmentSize; written += line.Length) writer.Write(line);
        }

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var message = SmtpMessageFactory.Load(path);
        var content = message.CreateContent();
        var sink = new CountingSink();
        await content.WriteToAsync(sink, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;

        Assert.Equal(new FileInfo(path).Length, sink.Count);
        Assert.Equal(sink.Count, content.Length);
        Assert.True(allocated < Bound, $"allocated {allocated:N0} bytes for a {AttachmentSize:N0}-byte message");
    }

    private async Task<long> LeastAllocatedSending(int mebibytes)
    {
        long least = long.MaxValue;
        for (int run = 0; run < 3; run++) least = Math.Min(least, await AllocatedSending(mebibytes));
        return least;
    }

    private async Task<long> AllocatedSending(int mebibytes)
    {
        string name = $"attachment-{mebibytes}.bin";
        var path = Path.Combine(_dir.Path, name);
        if (!File.Exists(path))
        {
            var data = new byte[mebibytes * 1024 * 1024];
            new Random(mebibytes).NextBytes(data);
            path = _dir.File(name, data);
        }
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com", To = new[] { "b@example.com" }, Attachments = new[] { path },
        });
        var content = message.CreateContent();
        _ = content.Length;

        var before = GC.GetTotalAllocatedBytes(precise: true);
        await content.WriteToAsync(new CountingSink(), CancellationToken.None);
        return GC.GetTotalAllocatedBytes(precise: true) - before;
    }

    /// <summary>Counts and discards, like a network stream that keeps nothing.</summary>
    private sealed class CountingSink : Stream
    {
        public long Count { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => Count;

        public override long Position
        {
            get => Count;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Count += count;

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Count += count;
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
