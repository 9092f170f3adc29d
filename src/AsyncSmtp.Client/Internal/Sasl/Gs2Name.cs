namespace AsyncSmtp.Client.Internal.Sasl;

/// <summary>RFC 5801/5802 saslname: "=" and "," in a name are written "=3D" and "=2C".</summary>
internal static class Gs2Name
{
    public static string Escape(string name) => name.Replace("=", "=3D").Replace(",", "=2C");
}
