using System.Security.Cryptography;

namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// RFC 5802 Hi(): PBKDF2 with one HMAC block. Written here because netstandard2.0's
/// Rfc2898DeriveBytes only does HMAC-SHA-1.
/// </summary>
internal static class ScramHi
{
    /// <summary>U1 = HMAC(password, salt || INT(1)), Ui = HMAC(password, Ui-1); returns U1 xor ... xor Ui.</summary>
    public static byte[] Derive(HMAC keyedWithPassword, byte[] salt, int iterations)
    {
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations));
        byte[] first = new byte[salt.Length + 4];
        Buffer.BlockCopy(salt, 0, first, 0, salt.Length);
        first[first.Length - 1] = 1;
        byte[] u = keyedWithPassword.ComputeHash(first);
        byte[] result = (byte[])u.Clone();
        for (int i = 1; i < iterations; i++)
        {
            u = keyedWithPassword.ComputeHash(u);
            for (int b = 0; b < result.Length; b++) result[b] ^= u[b];
        }
        return result;
    }
}
