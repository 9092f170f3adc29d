namespace AsyncSmtp.TestServer;

/// <summary>The arguments of "BDAT size [LAST]" (RFC 3030).</summary>
internal sealed record BdatCommand(long Size, bool Last)
{
    public static BdatCommand? Parse(string arguments)
    {
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is < 1 or > 2 || !parts[0].All(char.IsAsciiDigit) || !long.TryParse(parts[0], out var size))
        {
            return null;
        }

        if (parts.Length == 2 && !parts[1].Equals("LAST", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return new BdatCommand(size, parts.Length == 2);
    }
}

/// <summary>A BDAT command with the bytes that followed it; Bytes is null when the chunk was over the size limit and dropped.</summary>
internal sealed record BdatChunk(BdatCommand Command, byte[]? Bytes);
