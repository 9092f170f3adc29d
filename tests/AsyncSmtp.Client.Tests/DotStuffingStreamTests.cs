using System.Text;
using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client.Tests;

public class DotStuffingStreamTests
{
    /// <summary>Encodes <paramref name="input"/> written in pieces of <paramref name="pieceSize"/> bytes; returns output and the chunk sizes.</summary>
    private static async Task<(byte[] Output, List<int> Chunks, bool LastFlagged)> EncodeAsync(byte[] input, bool dotStuff, int pieceSize = int.MaxValue)
    {
        var output = new MemoryStream();
        var chunks = new List<int>();
        bool lastFlagged = false;
        using var encoder = new DotStuffingStream((buffer, offset, count, isLast, ct) =>
        {
            Assert.True(offset >= DotStuffingStream.Headroom);
            output.Write(buffer, offset, count);
            chunks.Add(count);
            lastFlagged = isLast;
            return Task.CompletedTask;
        }, dotStuff, progress: null);
        for (int i = 0; i < input.Length; i += pieceSize)
            await encoder.WriteAsync(input, i, Math.Min(pieceSize, input.Length - i));
        await encoder.CompleteAsync(default);
        Assert.Equal(input.Length, encoder.BytesIn);
        Assert.Equal(output.Length, encoder.BytesOut);
        return (output.ToArray(), chunks, lastFlagged);
    }

    private static async Task<string> DataAsync(string input, int pieceSize = int.MaxValue) =>
        Encoding.Latin1.GetString((await EncodeAsync(Encoding.Latin1.GetBytes(input), dotStuff: true, pieceSize)).Output);

    [Theory]
    [InlineData("", "\r\n.\r\n")]
    [InlineData("hello", "hello\r\n.\r\n")]
    [InlineData("hello\r\n", "hello\r\n.\r\n")]
    [InlineData("a\nb\rc\r\nd", "a\r\nb\r\nc\r\nd\r\n.\r\n")]
    [InlineData(".starts with a dot", "..starts with a dot\r\n.\r\n")]
    [InlineData("x\r\n.\r\ny", "x\r\n..\r\ny\r\n.\r\n")]
    [InlineData("\r\n\r\n", "\r\n\r\n.\r\n")]
    [InlineData("a\r", "a\r\n.\r\n")]
    [InlineData("a\n\n", "a\r\n\r\n.\r\n")]
    [InlineData("a\r\r\n", "a\r\n\r\n.\r\n")]
    [InlineData("mid.dle. dots\r\n..two", "mid.dle. dots\r\n...two\r\n.\r\n")]
    public async Task NormalisesLineEndingsAndStuffsDots(string input, string expected)
    {
        Assert.Equal(expected, await DataAsync(input));
    }

    [Theory]
    [InlineData("evil\n.\r\nMAIL FROM:<x@y>\r\n")]
    [InlineData("evil\r\n.\nMAIL FROM:<x@y>\r\n")]
    [InlineData("evil\r.\r\nMAIL FROM:<x@y>\r\n")]
    [InlineData("evil\r\n.\rMAIL FROM:<x@y>\r\n")]
    [InlineData("evil\n.\nRCPT TO:<x@y>\n")]
    public async Task NoInputEndsTheDataPhaseEarly(string smuggling)
    {
        for (int piece = 1; piece <= smuggling.Length; piece++)
        {
            string wire = await DataAsync(smuggling, piece);
            // The only CRLF.CRLF is the terminator, and no bare CR or LF reaches the wire.
            Assert.Equal(wire.Length - 5, wire.IndexOf("\r\n.\r\n", StringComparison.Ordinal));
            Assert.DoesNotMatch("\r[^\n]|[^\r]\n", wire);
        }
    }

    [Fact]
    public async Task GivesTheSameOutputWhateverTheWriteSizes()
    {
        const string Input = ".a\r\n.b\nc\r.d\r\r\n\n.\r\n..\rend.";
        string whole = await DataAsync(Input);
        for (int piece = 1; piece <= Input.Length; piece++) Assert.Equal(whole, await DataAsync(Input, piece));
    }

    [Fact]
    public async Task BdatModeNormalisesButDoesNotStuffOrTerminate()
    {
        var (output, _, last) = await EncodeAsync(Encoding.ASCII.GetBytes(".a\nb"), dotStuff: false);
        Assert.Equal(".a\r\nb\r\n", Encoding.ASCII.GetString(output));
        Assert.True(last);
    }

    [Fact]
    public async Task StreamsLargeBodiesInBoundedChunks()
    {
        var random = new Random(42);
        var input = new byte[3 * DotStuffingStream.ChunkSize + 12345];
        random.NextBytes(input);
        var (output, chunks, last) = await EncodeAsync(input, dotStuff: true, pieceSize: 10007);
        Assert.True(last);
        Assert.True(chunks.Count >= 4);
        Assert.All(chunks, c => Assert.InRange(c, 0, DotStuffingStream.ChunkSize));
        Assert.Equal(Reference(input), output);
    }

    /// <summary>A slow, obviously correct encoder to compare against.</summary>
    private static byte[] Reference(byte[] input)
    {
        var lines = new List<List<byte>> { new() };
        for (int i = 0; i < input.Length; i++)
        {
            if (input[i] == '\r') { if (i + 1 < input.Length && input[i + 1] == '\n') i++; lines.Add(new()); }
            else if (input[i] == '\n') lines.Add(new());
            else lines[^1].Add(input[i]);
        }
        if (lines[^1].Count == 0 && lines.Count > 1) lines.RemoveAt(lines.Count - 1);
        var output = new List<byte>();
        foreach (var line in lines)
        {
            if (line.Count > 0 && line[0] == '.') output.Add((byte)'.');
            output.AddRange(line);
            output.Add((byte)'\r');
            output.Add((byte)'\n');
        }
        output.AddRange(".\r\n"u8.ToArray());
        return output.ToArray();
    }
}

public class LineEndingsTests
{
    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("a\r\n")]
    [InlineData("a\nb\rc\r\nd")]
    [InlineData("\r\r\n\n\r")]
    [InlineData(".x\n..y")]
    public async Task NormalisedLengthIsWhatTheEncoderProducesBeforeDotStuffing(string input)
    {
        byte[] bytes = System.Text.Encoding.ASCII.GetBytes(input);
        long produced = 0;
        using var encoder = new DotStuffingStream((b, o, c, last, ct) => { produced += c; return Task.CompletedTask; }, dotStuff: false, progress: null);
        await encoder.WriteAsync(bytes);
        await encoder.CompleteAsync(default);
        Assert.Equal(produced, LineEndings.NormalisedLength(bytes));
        Assert.Equal(produced, SmtpContent.FromBytes(bytes).Length);
        Assert.Equal(produced, encoder.MessageSize);
        using var stuffing = new DotStuffingStream((b, o, c, last, ct) => Task.CompletedTask, dotStuff: true, progress: null);
        await stuffing.WriteAsync(bytes);
        await stuffing.CompleteAsync(default);
        Assert.Equal(produced, stuffing.MessageSize);
    }

    // A pre-serialised message arrives in one write: its progress must still rise chunk by chunk.
    [Fact]
    public async Task Progress_rises_within_one_large_write()
    {
        var reported = new List<long>();
        var input = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("0123456789abcdef\r\n", 40000)));
        using var encoder = new DotStuffingStream((b, o, c, last, ct) => Task.CompletedTask, dotStuff: true,
            progress: new ListProgress(reported));

        await encoder.WriteAsync(input, 0, input.Length);
        await encoder.CompleteAsync(default);

        Assert.True(reported.Count > 3, $"{reported.Count} reports");
        Assert.True(reported[0] > 0);
        Assert.Equal(reported.OrderBy(v => v), reported);
        Assert.Equal(input.Length, reported[^1]);
    }

    private sealed class ListProgress(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
