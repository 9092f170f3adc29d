namespace AsyncSmtp.Mime;

/// <summary>Scans text for the characters a plain ASCII header or 7bit body may hold, a vector at a time where the
/// runtime can (a message body is most of the characters a build reads).</summary>
internal static class AsciiText
{
    private static readonly char[] _lineBreaks = { '\r', '\n' };

    /// <summary>Whether every character is from <paramref name="lowest"/> to <paramref name="highest"/>.</summary>
    public static bool IsWithin(string text, int start, int length, char lowest, char highest)
    {
#if NET8_0_OR_GREATER
        return text.AsSpan(start, length).IndexOfAnyExceptInRange(lowest, highest) < 0;
#else
        for (var i = start; i < start + length; i++)
        {
            if (text[i] < lowest || text[i] > highest) return false;
        }

        return true;
#endif
    }

    /// <summary>Whether every character is ASCII.</summary>
    public static bool IsAscii(string text) => IsAscii(text, 0, text.Length);

    /// <summary>Whether every character of the range is ASCII.</summary>
    public static bool IsAscii(string text, int start, int length) =>
        IsWithin(text, start, length, '\u0000', '\u007F');

    /// <summary>Where the next line break (CR or LF) at or after <paramref name="start"/> is; -1 when none.</summary>
    public static int NextLineBreak(string text, int start) => text.IndexOfAny(_lineBreaks, start);

    /// <summary>Where the line after the break at <paramref name="lineBreak"/> starts (CRLF is one break).</summary>
    public static int AfterLineBreak(string text, int lineBreak) =>
        text[lineBreak] == '\r' && lineBreak + 1 < text.Length && text[lineBreak + 1] == '\n'
            ? lineBreak + 2
            : lineBreak + 1;
}
