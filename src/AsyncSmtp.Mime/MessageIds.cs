using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.Mime;

/// <summary>
/// Message-Ids shaped like MimeKit's: the time and 64 random bits in base 36, then the sender's domain.
/// </summary>
internal static class MessageIds
{
    private const string Digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";

    // A cryptographic draw per id (MimeKit's way) cost a fifth of composing a message. Uniqueness is all RFC 5322
    // asks of an id: a per-thread generator seeded from a cryptographic draw gives it, with the time beside it.
    [ThreadStatic]
    private static Random? _random;

    [ThreadStatic]
    private static byte[]? _bits;

    public static string Create(string domain)
    {
        var random = _random ??= Seeded();
        var bits = _bits ??= new byte[8];
        random.NextBytes(bits);
        var id = new StringBuilder(32 + domain.Length);
        AppendBase36(id, (ulong)DateTime.UtcNow.Ticks);
        AppendBase36(id.Append('.'), BitConverter.ToUInt64(bits, 0));
        return id.Append('@').Append(domain).ToString();
    }

    private static Random Seeded()
    {
        var seed = new byte[4];
        using (var generator = RandomNumberGenerator.Create()) generator.GetBytes(seed);
        return new Random(BitConverter.ToInt32(seed, 0));
    }

    private static void AppendBase36(StringBuilder text, ulong value)
    {
        var start = text.Length;
        do
        {
            text.Insert(start, Digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value != 0);
    }
}
