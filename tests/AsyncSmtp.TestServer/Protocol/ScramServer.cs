using System.Security.Cryptography;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>
/// Server side of RFC 5802 / RFC 7677 SCRAM without channel binding, built on .NET's own PBKDF2 so
/// that the client's implementation is checked against an independent one. With
/// <paramref name="forgeSignature"/> the server's final signature is wrong, as an impostor's would be.
/// </summary>
internal sealed class ScramServer(
    HashAlgorithmName hash, IReadOnlyDictionary<string, string> users, bool forgeSignature)
{
    private const int Iterations = 4096;

    /// <summary>Runs the exchange after the client's first message; null when the client went away.</summary>
    public async Task<SaslOutcome?> RunAsync(byte[] clientFirst, ISaslChannel channel)
    {
        var first = Encoding.UTF8.GetString(clientFirst);
        if (!first.StartsWith("n,,", StringComparison.Ordinal))
        {
            return SaslOutcome.Failure(); // channel binding or an authorization identity: not offered here
        }

        var bare = first[3..];
        var fields = Fields(bare);
        if (!fields.TryGetValue('n', out var name) || !fields.TryGetValue('r', out var clientNonce))
        {
            return SaslOutcome.BadEncoding();
        }

        var user = name.Replace("=2C", ",").Replace("=3D", "=");
        var salt = RandomNumberGenerator.GetBytes(16);
        var serverNonce = clientNonce + Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var serverFirst = $"r={serverNonce},s={Convert.ToBase64String(salt)},i={Iterations}";
        await channel.SendLineAsync("334 " + B64(serverFirst)).ConfigureAwait(false);
        var finalLine = await channel.ReadLineAsync().ConfigureAwait(false);
        if (finalLine is null)
        {
            return null;
        }

        if (finalLine == "*")
        {
            return SaslOutcome.Cancelled();
        }

        var clientFinal = Encoding.UTF8.GetString(Convert.FromBase64String(finalLine));
        var proofAt = clientFinal.LastIndexOf(",p=", StringComparison.Ordinal);
        var final = Fields(clientFinal);
        if (proofAt < 0 || final.GetValueOrDefault('c') != "biws" || final.GetValueOrDefault('r') != serverNonce
            || !users.TryGetValue(user, out var password))
        {
            return SaslOutcome.Failure();
        }

        var authMessage = Encoding.UTF8.GetBytes($"{bare},{serverFirst},{clientFinal[..proofAt]}");
        var length = HashLength(hash);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, hash, length);
        var storedKey = CryptographicOperations.HashData(hash, Hmac(salted, "Client Key"u8.ToArray()));
        var clientSignature = Hmac(storedKey, authMessage);
        var proof = Convert.FromBase64String(final['p']);
        var clientKey = proof.Zip(clientSignature, (a, b) => (byte)(a ^ b)).ToArray();
        if (!CryptographicOperations.FixedTimeEquals(CryptographicOperations.HashData(hash, clientKey), storedKey))
        {
            return SaslOutcome.Failure();
        }

        var serverSignature = Hmac(Hmac(salted, "Server Key"u8.ToArray()), authMessage);
        if (forgeSignature)
        {
            serverSignature[0] ^= 0xff;
        }

        await channel.SendLineAsync("334 " + B64("v=" + Convert.ToBase64String(serverSignature))).ConfigureAwait(false);
        var last = await channel.ReadLineAsync().ConfigureAwait(false);
        return last is null ? null : last == "*" ? SaslOutcome.Cancelled() : SaslOutcome.Success(user);
    }

    private byte[] Hmac(byte[] key, byte[] data) => CryptographicOperations.HmacData(hash, key, data);

    private static int HashLength(HashAlgorithmName hash) => hash == HashAlgorithmName.SHA1 ? 20 : 32;

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static Dictionary<char, string> Fields(string message) =>
        message.Split(',').Where(f => f.Length >= 2 && f[1] == '=')
            .GroupBy(f => f[0]).ToDictionary(g => g.Key, g => g.First()[2..]);
}
