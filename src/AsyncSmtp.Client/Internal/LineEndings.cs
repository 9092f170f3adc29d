namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Sizes of content once its line endings are normalised to CRLF (what SIZE= must declare, RFC 1870).
/// </summary>
internal static class LineEndings
{
    /// <summary>The length after bare CR and bare LF become CRLF and a missing final CRLF is added.</summary>
    public static long NormalisedLength(ReadOnlySpan<byte> content)
    {
        if (content.Length == 0) return 2;
        long length = content.Length;
        for (int i = 0; i < content.Length; i++)
        {
            byte b = content[i];
            if (b == (byte)'\r')
            {
                if (i + 1 < content.Length && content[i + 1] == (byte)'\n') i++;
                else length++;
            }
            else if (b == (byte)'\n')
            {
                length++;
            }
        }
        byte last = content[content.Length - 1];
        if (last != (byte)'\n' && last != (byte)'\r') length += 2;
        return length;
    }
}
