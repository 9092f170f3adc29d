using System.Security.Cryptography;

namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>
/// RFC 5802 SCRAM (SCRAM-SHA-1) and RFC 7677 (SCRAM-SHA-256), without channel binding (GS2 header
/// "n,,"). The password never leaves the client; the server proves in its final message that it
/// knows the password too, and a login without that proof is not believed.
/// </summary>
internal sealed class ScramMechanism : SaslMechanism
{
    /// <summary>A server may ask for many iterations; beyond this a login would stall the client for seconds.</summary>
    internal const int MaxIterations = 1_000_000;

    private const string Gs2Header = "n,,";

    private readonly Func<byte[], HMAC> _hmac;
    private readonly Func<HashAlgorithm> _hash;
    private readonly string _userName;
    private readonly string _password;
    private readonly string _clientNonce;
    private string? _clientFirstBare;
    private byte[]? _expectedServerSignature;
    private bool _verified;

    private ScramMechanism(string name, Func<byte[], HMAC> hmac, Func<HashAlgorithm> hash,
        string userName, string password, string? clientNonce)
    {
        Name = name;
        _hmac = hmac;
        _hash = hash;
        _userName = userName;
        _password = password;
        _clientNonce = clientNonce ?? NewNonce();
    }

    /// <param name="userName">The user name, sent (SASLprep'd) in the first message.</param>
    /// <param name="password">The password, never sent: it only derives the proof.</param>
    /// <param name="clientNonce">For tests with the RFC's example exchange; random otherwise.</param>
    public static ScramMechanism Sha256(string userName, string password, string? clientNonce = null) =>
        new("SCRAM-SHA-256", key => new HMACSHA256(key), SHA256.Create, userName, password, clientNonce);

    /// <param name="userName">The user name, sent (SASLprep'd) in the first message.</param>
    /// <param name="password">The password, never sent: it only derives the proof.</param>
    /// <param name="clientNonce">For tests with the RFC's example exchange; random otherwise.</param>
    public static ScramMechanism Sha1(string userName, string password, string? clientNonce = null) =>
        new("SCRAM-SHA-1", key => new HMACSHA1(key), SHA1.Create, userName, password, clientNonce);

    public override string Name { get; }

    public override bool ServerVerified => _verified;

    public override byte[]? InitialResponse()
    {
        _clientFirstBare = "n=" + Gs2Name.Escape(SaslPrep.Prepare(_userName)) + ",r=" + _clientNonce;
        return Utf8.GetBytes(Gs2Header + _clientFirstBare);
    }

    public override byte[] Respond(byte[] challenge)
    {
        string message = Decode(challenge);
        if (_clientFirstBare is null) throw new SaslLocalFailure($"{Name} got a challenge before its first message.");
        if (_expectedServerSignature is null) return ClientFinal(message);
        if (_verified) throw new SaslLocalFailure($"{Name} got a challenge after the server's final message.");
        VerifyServerFinal(message);
        return Array.Empty<byte>();
    }

    private byte[] ClientFinal(string serverFirst)
    {
        var attributes = ScramAttributes.Parse(serverFirst, Name);
        if (attributes.Mandatory is not null)
            throw new SaslLocalFailure($"The server's {Name} message asks for an extension this client does not know.");
        string nonce = attributes.Require('r');
        if (nonce.Length <= _clientNonce.Length || !nonce.StartsWith(_clientNonce, StringComparison.Ordinal))
            throw new SaslLocalFailure($"The server's {Name} nonce does not extend the client's.");
        byte[] salt = ScramAttributes.Base64(attributes.Require('s'), Name);
        if (!int.TryParse(attributes.Require('i'), System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out int iterations) || iterations < 1)
            throw new SaslLocalFailure($"The server's {Name} iteration count is not a positive number.");
        if (iterations > MaxIterations)
            throw new SaslLocalFailure(
                $"The server asks for {iterations} {Name} iterations; at most {MaxIterations} are done.");

        string withoutProof = "c=" + Convert.ToBase64String(Utf8.GetBytes(Gs2Header)) + ",r=" + nonce;
        byte[] authMessage = Utf8.GetBytes(_clientFirstBare + "," + serverFirst + "," + withoutProof);
        byte[] saltedPassword;
        using (var keyed = _hmac(Utf8.GetBytes(SaslPrep.Prepare(_password))))
            saltedPassword = ScramHi.Derive(keyed, salt, iterations);
        byte[] clientKey = Hmac(saltedPassword, Utf8.GetBytes("Client Key"));
        byte[] storedKey;
        using (var hash = _hash()) storedKey = hash.ComputeHash(clientKey);
        byte[] clientSignature = Hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.Length];
        for (int i = 0; i < proof.Length; i++) proof[i] = (byte)(clientKey[i] ^ clientSignature[i]);
        _expectedServerSignature = Hmac(Hmac(saltedPassword, Utf8.GetBytes("Server Key")), authMessage);
        return Utf8.GetBytes(withoutProof + ",p=" + Convert.ToBase64String(proof));
    }

    private void VerifyServerFinal(string serverFinal)
    {
        var attributes = ScramAttributes.Parse(serverFinal, Name);
        if (attributes.Get('e') is { } error)
            throw new SaslLocalFailure($"The server ended {Name} with the error \"{error}\".", SaslFailureKind.Refused);
        byte[] signature = ScramAttributes.Base64(attributes.Require('v'), Name);
        if (!FixedTimeEquals(signature, _expectedServerSignature!))
            throw new SaslLocalFailure(
                $"The server's {Name} signature does not verify: it does not know the password (an impostor?).",
                SaslFailureKind.ServerNotVerified);
        _verified = true;
    }

    private byte[] Hmac(byte[] key, byte[] data)
    {
        using var hmac = _hmac(key);
        return hmac.ComputeHash(data);
    }

    private string Decode(byte[] challenge)
    {
        try
        {
            return Utf8.GetString(challenge);
        }
        catch (ArgumentException)
        {
            throw new SaslLocalFailure($"The server's {Name} message is not UTF-8.");
        }
    }

    private static bool FixedTimeEquals(byte[] a, byte[] b)
    {
        if (a.Length != b.Length) return false;
        int difference = 0;
        for (int i = 0; i < a.Length; i++) difference |= a[i] ^ b[i];
        return difference == 0;
    }

    private static string NewNonce()
    {
        byte[] random = new byte[24];
        using (var rng = RandomNumberGenerator.Create()) rng.GetBytes(random);
        return Convert.ToBase64String(random);
    }
}
