using System.Text;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Reads SMTP replies with hard limits (security rule 6): a line may be 8192 bytes including its LF,
/// a whole reply 32768 bytes; anything else malformed is a protocol error.
/// </summary>
internal sealed class ReplyReader
{
    public const int MaxLineLength = 8192;
    public const int MaxReplyLength = 32768;

    private static readonly Encoding _utf8 = new UTF8Encoding(false, false);

    // A plain array, not a pooled one: a read aborted from another thread may still be writing into it.
    private readonly byte[] _buffer = new byte[2 * MaxLineLength];
    private readonly RepeatedReplies _repeated = new();
    private int _start;
    private int _end;

    public ReplyReader(Stream stream) => Stream = stream;

    /// <summary>The stream replies come from; replaced when the connection is upgraded to TLS.</summary>
    public Stream Stream { get; set; }

    /// <summary>Waits briefly in the kernel before a read that would go pending (null: a caller's stream).</summary>
    public ReplyWait? Wait { get; set; }

    /// <summary>
    /// Given each reply line as received, its bytes without the line break ("250-SIZE 100"), for the protocol log,
    /// which decides whether to make a string of them.
    /// </summary>
    public Action<byte[], int, int>? LineObserver { get; set; }

    /// <summary>Bytes have arrived that no reply read has consumed yet.</summary>
    public bool HasBufferedData => _end > _start;

    /// <summary>Drops whatever arrived before a TLS handshake (security rule 3).</summary>
    public int DiscardBuffered()
    {
        int count = _end - _start;
        _start = _end = 0;
        return count;
    }

    /// <summary>
    /// Reads one complete reply. End of stream before it is complete: <see cref="EndOfStreamException"/>.
    /// On .NET 8 a pooled ValueTask: a reply already in the buffer (most of a pipelined stream's) allocates no
    /// task, and one that waits for the socket reuses a pooled state machine.
    /// </summary>
#if NET8_0_OR_GREATER
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    public async ReplyTask ReadAsync(CancellationToken cancellationToken)
    {
        List<string>? lines = null;
        int code = -1;
        int total = 0;
        while (true)
        {
            int lineEnd = FindLineFeed();
            while (lineEnd < 0)
            {
                if (_end - _start >= MaxLineLength)
                    throw new SmtpProtocolException($"Reply line longer than {MaxLineLength} bytes.");
                await FillAsync(cancellationToken).ConfigureAwait(false);
                lineEnd = FindLineFeed();
            }
            int length = lineEnd - _start + 1;
            total += length;
            if (total > MaxReplyLength)
                throw new SmtpProtocolException($"Reply longer than {MaxReplyLength} bytes.");
            int contentLength = ContentLength(_buffer, _start, length);
            if (lines is null && _repeated.Find(_buffer, _start, contentLength) is { } repeated)
            {
                LineObserver?.Invoke(_buffer, _start, contentLength);
                _start += length;
                return repeated;
            }
            lines ??= new List<string>(1);
            bool last = ParseLine(_buffer, _start, contentLength, ref code, lines);
            if (!last)
            {
                _start += length;
                continue;
            }
            var reply = new SmtpResponse(code, lines);
            if (lines.Count == 1) _repeated.Remember(_buffer, _start, contentLength, reply);
            _start += length;
            return reply;
        }
    }

    // The line's length without its LF and the CR before it.
    private static int ContentLength(byte[] buffer, int offset, int length)
    {
        int contentLength = length - 1;
        return contentLength > 0 && buffer[offset + contentLength - 1] == (byte)'\r'
            ? contentLength - 1
            : contentLength;
    }

    private int FindLineFeed()
    {
        int limit = Math.Min(_end, _start + MaxLineLength);
        int index = new ReadOnlySpan<byte>(_buffer, _start, limit - _start).IndexOf((byte)'\n');
        return index < 0 ? -1 : _start + index;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        Wait?.BeforeRead();
        int read =
            await Stream.ReadAsync(_buffer, _end, _buffer.Length - _end, cancellationToken).ConfigureAwait(false);
        if (read == 0) throw new EndOfStreamException("The server closed the connection.");
        _end += read;
    }

    /// <summary>Parses "ddd-text" or "ddd text" (or bare "ddd"); returns true on the last line of the reply.</summary>
    private bool ParseLine(byte[] buffer, int offset, int contentLength, ref int code, List<string> lines)
    {
        // The whole line only to the protocol log (a string only when logging) or an error: the reply keeps the text
        // after the code.
        LineObserver?.Invoke(buffer, offset, contentLength);
        if (contentLength < 3 || !IsDigit(buffer[offset]) || !IsDigit(buffer[offset + 1])
            || !IsDigit(buffer[offset + 2]))
            throw Malformed(buffer, offset, contentLength);
        int lineCode = (buffer[offset] - '0') * 100 + (buffer[offset + 1] - '0') * 10 + (buffer[offset + 2] - '0');
        if (lineCode < 200 || lineCode > 599)
            throw new SmtpProtocolException($"Reply code {lineCode:D3} is not a valid SMTP reply code.");
        if (code >= 0 && code != lineCode)
            throw new SmtpProtocolException($"Reply lines disagree on the code ({code} then {lineCode}).");
        code = lineCode;
        bool last = true;
        if (contentLength > 3)
        {
            byte separator = buffer[offset + 3];
            if (separator == (byte)'-') last = false;
            else if (separator != (byte)' ') throw Malformed(buffer, offset, contentLength);
        }
        lines.Add(contentLength > 4 ? _utf8.GetString(buffer, offset + 4, contentLength - 4) : string.Empty);
        return last;
    }

    private static SmtpProtocolException Malformed(byte[] buffer, int offset, int length) =>
        new($"Malformed reply line: '{Printable(_utf8.GetString(buffer, offset, length))}'.");

    private static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';

    private static string Printable(string line) => line.Length > 80 ? line.Substring(0, 80) + "..." : line;
}
