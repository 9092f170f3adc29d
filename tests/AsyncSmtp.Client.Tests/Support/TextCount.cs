namespace AsyncSmtp.Client.Tests.Support;

internal static class TextCount
{
    /// <summary>How many times <paramref name="what"/> occurs in <paramref name="text"/>.</summary>
    public static int Of(string text, string what)
    {
        int count = 0;
        for (int i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
