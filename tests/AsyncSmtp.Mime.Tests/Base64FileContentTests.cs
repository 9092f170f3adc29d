using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>
/// Attachments are base64-encoded by the module's own content writer: the bytes must be exactly those MimeKit's
/// encoder writes, at every size around the line (57 bytes) and block (11,970 bytes) boundaries.
/// </summary>
public sealed class Base64FileContentTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(56)]
    [InlineData(57)]
    [InlineData(58)]
    [InlineData(11_969)]
    [InlineData(11_970)]
    [InlineData(11_971)]
    [InlineData(250_001)]
    public async Task The_encoded_part_is_byte_for_byte_what_MimeKit_writes(int size)
    {
        var data = new byte[size];
        new Random(size).NextBytes(data);
        var path = _dir.File($"file-{size}.bin", data);

        using var expected = new MimePart("application", "octet-stream")
        {
            Content = new MimeContent(File.OpenRead(path)),
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        using var ours = new MimePart("application", "octet-stream")
        {
            Content = new Base64FileContent(ReopenableFileStream.Create(path)),
            ContentTransferEncoding = ContentEncoding.Base64,
        };

        var options = MimeOptions.Transmit(international: false);
        var mimeKit = Written(stream => expected.WriteTo(options, stream));
        Assert.Equal(mimeKit, Written(stream => ours.WriteTo(options, stream)));
        using var asynchronously = new MemoryStream();
        await ours.WriteToAsync(options, asynchronously);
        Assert.Equal(mimeKit, asynchronously.ToArray());
    }

    [Fact]
    public void The_content_decodes_to_the_file()
    {
        var data = new byte[3_000];
        new Random(7).NextBytes(data);
        using var content = new Base64FileContent(ReopenableFileStream.Create(_dir.File("f.bin", data)));

        using var decoded = new MemoryStream();
        content.DecodeTo(decoded);
        Assert.Equal(data, decoded.ToArray());

        using var encoded = new StreamReader(content.Stream);
        Assert.Equal(data, Convert.FromBase64String(encoded.ReadToEnd()));
    }

    private static byte[] Written(Action<Stream> write)
    {
        using var stream = new MemoryStream();
        write(stream);
        return stream.ToArray();
    }
}
