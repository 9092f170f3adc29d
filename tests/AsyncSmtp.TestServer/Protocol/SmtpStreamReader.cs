using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>A command line as received: its text without CRLF, and whether it broke the length limit.</summary>
internal sealed record CommandLine(string Text, bool TooLong);

/// <summary>The DATA section as received up to the final "." line, and whether it broke the size limit.</summary>
internal sealed record DataSection(byte[] Raw, bool TooBig);

/// <summary>
/// Buffered reading of commands, DATA sections and BDAT chunks from one stream. Pipelined commands that
/// arrive in one packet stay in the buffer and are handed out one line at a time.
/// </summary>
internal sealed class SmtpStreamReader(Stream stream, int maxLineLength)
{
    private readonly byte[] _buffer = new byte[Math.Max(16 * 1024, maxLineLength * 2 + 2)];
    private int _start;
    private int _end;

    /// <summary>Drops whatever has been received but not yet read and says how many bytes that was.</summary>
    public int DiscardBuffered()
    {
        var count = _end - _start;
        _start = _end = 0;
        return count;
    }

    /// <summary>Reads one line ending in LF (a CR before it is dropped); null when the peer closed first.</summary>
    public async Task<CommandLine?> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanned = 0;
        byte[]? overlongPrefix = null;
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start + scanned, _end - _start - scanned);
            if (newline >= 0)
            {
                var length = newline - _start;
                var text = overlongPrefix is null ? Decode(_buffer.AsSpan(_start, length)) : Decode(overlongPrefix);
                var tooLong = overlongPrefix is not null || length - (length > 0 && _buffer[newline - 1] == '\r' ? 1 : 0) > maxLineLength;
                _start = newline + 1;
                return new CommandLine(tooLong ? text[..Math.Min(text.Length, maxLineLength)] : text, tooLong);
            }

            scanned = _end - _start;
            if (scanned > maxLineLength + 1)
            {
                // Keep only the start of an oversized line for the record and throw the rest away,
                // so a client that never sends LF cannot make the server buffer without bound.
                overlongPrefix ??= _buffer.AsSpan(_start, maxLineLength).ToArray();
                _start = _end = 0;
                scanned = 0;
            }

            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Reads a DATA section up to the line holding only "." and returns the bytes before that line
    /// unchanged (still dot-stuffed, ending with the CRLF of the last line). Only CRLF "." CRLF ends the
    /// data: a bare LF never does. Null when the peer closed first.
    /// </summary>
    public async Task<DataSection?> ReadDataAsync(int maxBytes, CancellationToken cancellationToken)
    {
        var raw = new MemoryStream();
        var tooBig = false;
        var state = DataState.LineStart;
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                state = Next(state, _buffer[i]);
                if (state == DataState.End)
                {
                    // The "." and CR of the final line are already in `raw`; the LF never was.
                    Append(raw, _buffer.AsSpan(_start, i - _start), maxBytes, ref tooBig);
                    _start = i + 1;
                    var bytes = raw.ToArray();
                    return new DataSection(tooBig ? bytes : bytes[..^2], tooBig);
                }
            }

            Append(raw, _buffer.AsSpan(_start, _end - _start), maxBytes, ref tooBig);
            _start = _end = 0;
            if (!await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes into <paramref name="sink"/> (or discards them); false when the peer closed first.</summary>
    public async Task<bool> ReadChunkAsync(long count, Stream? sink, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            if (_start == _end && !await FillAsync(cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            var take = (int)Math.Min(count, _end - _start);
            sink?.Write(_buffer, _start, take);
            _start += take;
            count -= take;
        }

        return true;
    }

    /// <summary>Reads and drops everything until the peer closes.</summary>
    public async Task DrainUntilClosedAsync(CancellationToken cancellationToken)
    {
        do
        {
            _start = _end = 0;
        }
        while (await FillAsync(cancellationToken).ConfigureAwait(false));
    }

    private static void Append(MemoryStream raw, ReadOnlySpan<byte> bytes, int maxBytes, ref bool tooBig)
    {
        if (tooBig)
        {
            return;
        }

        if (raw.Length + bytes.Length > maxBytes + 2L)
        {
            tooBig = true;
            raw.SetLength(0);
            return;
        }

        raw.Write(bytes);
    }

    private static string Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length > 0 && line[^1] == '\r')
        {
            line = line[..^1];
        }

        return Encoding.UTF8.GetString(line);
    }

    private async Task<bool> FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        _end += read;
        return read > 0;
    }

    /// <summary>Where the scanner stands relative to the CRLF "." CRLF terminator.</summary>
    private enum DataState
    {
        LineStart,
        InLine,
        AfterCr,
        Dot,
        DotCr,
        End,
    }

    private static DataState Next(DataState state, byte b) => (state, b) switch
    {
        (DataState.LineStart, (byte)'.') => DataState.Dot,
        (DataState.Dot, (byte)'\r') => DataState.DotCr,
        (DataState.DotCr, (byte)'\n') => DataState.End,
        (DataState.AfterCr, (byte)'\n') => DataState.LineStart,
        (_, (byte)'\r') => DataState.AfterCr,
        _ => DataState.InLine,
    };
}
