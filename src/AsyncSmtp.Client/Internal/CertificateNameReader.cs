using System.Text;

namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Reads the DNS names a certificate carries. netstandard2.0 has no typed subject-alternative-name
/// reader and the formatted text differs per platform, so the extension's DER is read directly.
/// </summary>
internal static class CertificateNameReader
{
    private const string SubjectAlternativeNameOid = "2.5.29.17";
    private const byte SequenceTag = 0x30;
    private const byte DnsNameTag = 0x82; // GeneralName [2] IMPLICIT IA5String

    /// <summary>The dNSName entries of the subject alternative names; without any, the common name.</summary>
    public static string[] DnsNames(X509Certificate2 certificate)
    {
        var names = new List<string>();
        foreach (var extension in certificate.Extensions)
            if (extension.Oid?.Value == SubjectAlternativeNameOid) ReadDnsNames(extension.RawData, names);
        if (names.Count > 0) return names.ToArray();
        string commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(commonName) ? Array.Empty<string>() : new[] { commonName };
    }

    private static void ReadDnsNames(byte[] der, List<string> names)
    {
        int offset = 0;
        if (der.Length < 2 || der[offset++] != SequenceTag) return;
        if (!TryReadLength(der, ref offset, out int sequenceLength)) return;
        int end = Math.Min(der.Length, offset + sequenceLength);
        while (offset < end)
        {
            byte tag = der[offset++];
            if (!TryReadLength(der, ref offset, out int length) || offset + length > end) return;
            if (tag == DnsNameTag) names.Add(Encoding.ASCII.GetString(der, offset, length));
            offset += length;
        }
    }

    /// <summary>A DER length: one byte below 0x80, else 0x8N followed by N big-endian bytes.</summary>
    private static bool TryReadLength(byte[] der, ref int offset, out int length)
    {
        length = 0;
        if (offset >= der.Length) return false;
        byte first = der[offset++];
        if (first < 0x80)
        {
            length = first;
            return true;
        }
        int count = first & 0x7F;
        if (count == 0 || count > 3 || offset + count > der.Length) return false;
        for (int n = 0; n < count; n++) length = (length << 8) | der[offset++];
        return true;
    }
}
