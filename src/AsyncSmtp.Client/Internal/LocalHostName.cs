using System.Net.NetworkInformation;

namespace AsyncSmtp.Client.Internal;

/// <summary>The name sent in EHLO when the caller gives none: this machine's fully qualified name.</summary>
internal static class LocalHostName
{
    public static string Get(EndPoint? localEndPoint)
    {
        try
        {
            var properties = IPGlobalProperties.GetIPGlobalProperties();
            string name = properties.HostName;
            if (!string.IsNullOrEmpty(properties.DomainName) && properties.DomainName != "(none)" &&
                !name.EndsWith("." + properties.DomainName, StringComparison.OrdinalIgnoreCase))
                name += "." + properties.DomainName;
            if (EhloName.IsDomain(name)) return name;
        }
        catch (NetworkInformationException)
        {
            // Fall through to the address literal.
        }
        // RFC 5321 4.1.3: without a usable name, the address literal of our end of the connection.
        return localEndPoint switch
        {
            IPEndPoint { Address.AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip =>
                "[IPv6:" + ip.Address + "]",
            IPEndPoint ip => "[" + ip.Address + "]",
            _ => "localhost",
        };
    }
}
