namespace AsyncSmtp.Client.Internal;

/// <summary>
/// The single-line replies a server sends word for word again and again ("250 2.1.0 Ok" to every MAIL, "354 End
/// data with..." to every DATA): the reply made the first time is handed out again, instead of a new string, list
/// and reply object for every message. A few are kept, the least recently used one making room; a reply is
/// immutable, so sharing it is safe.
/// </summary>
internal sealed class RepeatedReplies
{
    private const int Capacity = 4;
    // A longer reply line is seldom repeated (it names a queue id or a size): not worth comparing or keeping.
    private const int MaxLineLength = 128;

    private readonly byte[]?[] _lines = new byte[Capacity][];
    private readonly SmtpResponse?[] _replies = new SmtpResponse?[Capacity];
    private readonly long[] _lastUsed = new long[Capacity];
    private long _uses;

    /// <summary>The reply made before from exactly this line (its bytes without the line break), if kept.</summary>
    public SmtpResponse? Find(byte[] buffer, int offset, int length)
    {
        if (length > MaxLineLength) return null;
        var line = new ReadOnlySpan<byte>(buffer, offset, length);
        for (var i = 0; i < Capacity; i++)
        {
            if (_lines[i] is not { } kept || !line.SequenceEqual(kept)) continue;
            _lastUsed[i] = ++_uses;
            return _replies[i];
        }

        return null;
    }

    /// <summary>Keeps a single-line reply made from this line, in place of the one least recently used.</summary>
    public void Remember(byte[] buffer, int offset, int length, SmtpResponse reply)
    {
        if (length > MaxLineLength) return;
        var slot = 0;
        for (var i = 1; i < Capacity; i++)
        {
            if (_lastUsed[i] < _lastUsed[slot]) slot = i;
        }

        _lines[slot] = new ReadOnlySpan<byte>(buffer, offset, length).ToArray();
        _replies[slot] = reply;
        _lastUsed[slot] = ++_uses;
    }
}
