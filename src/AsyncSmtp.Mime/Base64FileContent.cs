using System.Buffers;
using System.Buffers.Text;
using MimeKit;
using MimeKit.IO;
using MimeKit.IO.Filters;

namespace AsyncSmtp.Mime;

/// <summary>
/// A file part's content, base64-encoded while it is written, in blocks of a few kilobytes through two pooled
/// buffers. Why not MimeKit's MimeContent with an encoder filter: that reads the file 4 KB at a time and allocates
/// on every read, about 30 KB per MiB of attachment, garbage that grows a big send's peak memory with its size.
/// Here a send allocates the same few objects whatever the file's size. The output is what MimeKit's own base64
/// encoder writes (76-character lines ending in LF, which the part's new-line filter turns into CRLF), so the
/// bytes on the wire do not change; <see cref="Stream"/> is MimeKit's encoded view of the same file.
/// </summary>
internal sealed class Base64FileContent : IMimeContent
{
    // 57 bytes make one 76-character line; a block of 210 lines is 16,170 bytes out (under the large-object heap's
    // 85,000 bytes even after the new-line filter doubles its buffer) for 11,970 read.
    private const int LineBytes = 57;
    private const int LineChars = 76;
    private const int LinesPerBlock = 210;
    private const int InputBlock = LineBytes * LinesPerBlock;
    private const int OutputBlock = (LineChars + 1) * LinesPerBlock;

    private readonly ReopenableFileStream _file;
    private FilteredStream? _encodedView;

    public Base64FileContent(ReopenableFileStream file)
    {
        _file = file;
    }

    public ContentEncoding Encoding => ContentEncoding.Base64;

    public NewLineFormat? NewLineFormat => MimeKit.NewLineFormat.Unix;

    /// <summary>
    /// The encoded content, read through MimeKit's encoder, for MimeKit APIs that read it directly. Not seekable,
    /// so every use of the property starts a new view from the file's start.
    /// </summary>
    public Stream Stream
    {
        get
        {
            _encodedView?.Dispose();
            _file.Position = 0;
            _encodedView = new FilteredStream(_file);
            _encodedView.Add(EncoderFilter.Create(ContentEncoding.Base64));
            return _encodedView;
        }
    }

    /// <summary>
    /// The file's bytes, as stored (the decoded content), from the start: the file view itself, whose disposal only
    /// closes the handle until the next read.
    /// </summary>
    public Stream Open()
    {
        _file.Position = 0;
        return _file;
    }

    public void DecodeTo(Stream stream, CancellationToken cancellationToken = default)
    {
        using var content = Open();
        content.CopyTo(stream);
    }

    public async Task DecodeToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var content = Open();
        await content.CopyToAsync(stream, 81920, cancellationToken).ConfigureAwait(false);
    }

    public void WriteTo(Stream stream, CancellationToken cancellationToken = default)
    {
        using var blocks = PooledBlocks.Rent();
        _file.Position = 0;
        int read;
        while ((read = ReadBlock(blocks.Input)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(blocks.Output, 0, Encode(blocks.Input, read, blocks.Output));
        }
    }

    public async Task WriteToAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var blocks = PooledBlocks.Rent();
        var input = blocks.Input;
        _file.Position = 0;
        while (true)
        {
            // Filled before it is encoded (a file stream may return less than asked), so that every line but
            // the file's last holds exactly 57 bytes; one loop in one method, so one state machine per send.
            int filled = 0;
            int read;
            while (filled < InputBlock
                && (read = await ReadAsync(input, filled, cancellationToken).ConfigureAwait(false)) > 0)
                filled += read;
            if (filled == 0) break;
            await stream.WriteAsync(blocks.Output, 0, Encode(input, filled, blocks.Output), cancellationToken)
                .ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        _encodedView?.Dispose();
        _file.Dispose();
    }

    /// <summary>
    /// Encodes <paramref name="count"/> bytes into base64 lines of 76 characters, each ending in LF; only the last
    /// block of the file is shorter than a whole number of lines, and only its last line is short (and padded).
    /// </summary>
    internal static int Encode(byte[] input, int count, byte[] output)
    {
        int written = 0;
        for (int offset = 0; offset < count; offset += LineBytes)
        {
            var line = new ReadOnlySpan<byte>(input, offset, Math.Min(LineBytes, count - offset));
            Base64.EncodeToUtf8(line, new Span<byte>(output, written, LineChars), out _, out int chars);
            written += chars;
            output[written++] = (byte)'\n';
        }

        return written;
    }

    // Filled before it is encoded, as in WriteToAsync.
    private int ReadBlock(byte[] input)
    {
        int filled = 0;
        int read;
        while (filled < InputBlock && (read = _file.Read(input, filled, InputBlock - filled)) > 0) filled += read;
        return filled;
    }

#if NET8_0_OR_GREATER
    // The Memory overload: a pooled ValueTask on .NET 8, where the array overload allocates a Task per read.
    private ValueTask<int> ReadAsync(byte[] input, int filled, CancellationToken cancellationToken) =>
        _file.ReadAsync(input.AsMemory(filled, InputBlock - filled), cancellationToken);
#else
    private Task<int> ReadAsync(byte[] input, int filled, CancellationToken cancellationToken) =>
        _file.ReadAsync(input, filled, InputBlock - filled, cancellationToken);
#endif

    /// <summary>The two pooled buffers of one write: a block of the file and its base64 lines.</summary>
    private readonly struct PooledBlocks : IDisposable
    {
        public readonly byte[] Input;
        public readonly byte[] Output;

        private PooledBlocks(byte[] input, byte[] output)
        {
            Input = input;
            Output = output;
        }

        public static PooledBlocks Rent() =>
            new(ArrayPool<byte>.Shared.Rent(InputBlock), ArrayPool<byte>.Shared.Rent(OutputBlock));

        public void Dispose()
        {
            ArrayPool<byte>.Shared.Return(Input);
            ArrayPool<byte>.Shared.Return(Output);
        }
    }
}
