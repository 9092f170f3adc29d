namespace AsyncSmtp.TestServer;

/// <summary>Undoes SMTP transparency (RFC 5321 4.5.2): a leading "." on a CRLF-delimited line is dropped.</summary>
internal static class DotStuffing
{
    public static byte[] Remove(byte[] raw)
    {
        var result = new byte[raw.Length];
        var length = 0;
        var lineStart = true;
        for (var i = 0; i < raw.Length; i++)
        {
            var b = raw[i];
            if (!(lineStart && b == '.'))
            {
                result[length++] = b;
            }

            // A line starts only after CRLF: a bare LF is data, as it is for the end-of-data marker.
            lineStart = b == '\n' && i > 0 && raw[i - 1] == '\r';
        }

        return result[..length];
    }
}
