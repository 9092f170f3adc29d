namespace AsyncSmtp.Mime.Tests;

/// <summary>The stream text parts are read from: a MemoryStream's reads, without anything stored by them.</summary>
public sealed class ReadOnlyBytesStreamTests
{
    private static readonly byte[] _bytes = "0123456789"u8.ToArray();

    [Fact]
    public void Reads_from_the_position_and_return_nothing_at_or_past_the_end()
    {
        var stream = new ReadOnlyBytesStream(_bytes);
        var buffer = new byte[4];
        stream.Position = 8;
        Assert.Equal(2, stream.Read(buffer, 0, 4));
        Assert.Equal("89"u8.ToArray(), buffer[..2]);
        Assert.Equal(0, stream.Read(buffer, 0, 4));

        stream.Seek(5, SeekOrigin.End);
        Assert.Equal(0, stream.Read(buffer, 0, 4));
        Assert.Equal(15, stream.Position);
    }

    [Fact]
    public async Task Copies_the_rest_from_the_position()
    {
        var stream = new ReadOnlyBytesStream(_bytes) { Position = 3 };
        var target = new MemoryStream();
        await stream.CopyToAsync(target);
        Assert.Equal("3456789"u8.ToArray(), target.ToArray());
        Assert.Equal(_bytes.Length, stream.Position);
    }

    [Fact]
    public async Task Asynchronous_reads_store_nothing_in_the_stream()
    {
        var stream = new ReadOnlyBytesStream(_bytes);
        var before = ObjectGraph.Snapshot(stream);
        var buffer = new byte[3];
        while (await stream.ReadAsync(buffer, 0, buffer.Length) > 0)
        {
        }
        stream.Position = 0;
        Assert.Null(ObjectGraph.FirstDifference(before, ObjectGraph.Snapshot(stream)));
    }

    [Fact]
    public void Refuses_writes_and_a_negative_position()
    {
        var stream = new ReadOnlyBytesStream(_bytes);
        Assert.False(stream.CanWrite);
        Assert.Throws<NotSupportedException>(() => stream.Write(new byte[1], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => stream.Position = -1);
    }
}
