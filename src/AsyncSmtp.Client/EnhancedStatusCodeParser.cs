namespace AsyncSmtp.Client;

/// <summary>Finds an RFC 3463 enhanced status code ("5.1.1") at the start of a reply's first line.</summary>
internal static class EnhancedStatusCodeParser
{
    public static string? Find(int replyCode, string firstLine)
    {
        // class "." subject(1-3 digits) "." detail(1-3 digits), then a space or the end of the line.
        if (firstLine.Length < 5) return null;
        char cls = firstLine[0];
        if (cls != '2' && cls != '4' && cls != '5') return null;
        // The class must agree with the reply code, otherwise it is just text that looks like a code.
        if (replyCode / 100 != cls - '0') return null;
        int i = 1;
        if (firstLine[i++] != '.') return null;
        if (!SkipDigits(firstLine, ref i)) return null;
        if (i >= firstLine.Length || firstLine[i++] != '.') return null;
        if (!SkipDigits(firstLine, ref i)) return null;
        if (i < firstLine.Length && firstLine[i] != ' ') return null;
        return firstLine.Substring(0, i);
    }

    private static bool SkipDigits(string s, ref int i)
    {
        int start = i;
        while (i < s.Length && i - start < 4 && s[i] >= '0' && s[i] <= '9') i++;
        int count = i - start;
        return count >= 1 && count <= 3;
    }
}
