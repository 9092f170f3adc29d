namespace AsyncSmtp.Mime;

/// <summary>
/// The header block of a composed message, in MimeKit's order: each header as its complete line(s), ASCII, CRLF.
/// The Bcc header is kept for a saved message and left out of the one sent.
/// </summary>
internal sealed class ComposedHeaders
{
    private readonly List<(string Field, string Lines)> _headers = new(12);
    private int _bcc = -1;

    public bool HasBcc => _bcc >= 0;

    public void Add(string field, string lines)
    {
        if (field == "Bcc") _bcc = _headers.Count;
        _headers.Add((field, lines));
    }

    /// <summary>Puts the header in the place of the first one with this field (any case); false when none.</summary>
    public bool Replace(string field, string lines)
    {
        for (var i = 0; i < _headers.Count; i++)
        {
            if (!string.Equals(_headers[i].Field, field, StringComparison.OrdinalIgnoreCase)) continue;
            _headers[i] = (field, lines);
            return true;
        }

        return false;
    }

    /// <summary>The length of the block in bytes (one a character).</summary>
    public int Length(bool withBcc)
    {
        var length = 0;
        for (var i = 0; i < _headers.Count; i++)
        {
            if (withBcc || i != _bcc) length += _headers[i].Lines.Length;
        }

        return length;
    }

    /// <summary>Writes the block at the start of <paramref name="bytes"/>; returns where it ends.</summary>
    public int CopyTo(byte[] bytes, bool withBcc)
    {
        var at = 0;
        for (var i = 0; i < _headers.Count; i++)
        {
            if (!withBcc && i == _bcc) continue;
            var lines = _headers[i].Lines;
            for (var c = 0; c < lines.Length; c++) bytes[at + c] = (byte)lines[c];
            at += lines.Length;
        }

        return at;
    }
}
