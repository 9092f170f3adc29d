using System.Net;
using DnsClient;
using DnsClient.Protocol;

namespace AsyncSmtp.Commands;

/// <summary>One host that receives a domain's mail, with the addresses to reach it.</summary>
internal sealed class MailHost
{
    public MailHost(string name, int? preference, IReadOnlyList<IPAddress> addresses)
    {
        Name = name;
        Preference = preference;
        Addresses = addresses;
    }

    public string Name { get; }

    /// <summary>
    /// The MX preference; null when the domain has no MX and its own address is used (RFC 5321 §5.1).
    /// </summary>
    public int? Preference { get; }

    public IReadOnlyList<IPAddress> Addresses { get; }

    /// <summary>A null MX (RFC 7505): the domain publishes that it accepts no mail.</summary>
    public bool IsNullMx => Name == ".";
}

/// <summary>
/// Finds where a domain's mail goes: MX hosts in preference order with their A/AAAA addresses, a null
/// MX, or the domain's own address when it has no MX. Every lookup goes to one DNS server when given.
/// </summary>
internal sealed class MailHostResolver
{
    private readonly LookupClient _dns;

    /// <param name="dnsServer">"address" or "address:port" ("[v6]:port"); null: the system's resolvers.</param>
    /// <param name="timeout">Time allowed for each query.</param>
    public MailHostResolver(string? dnsServer, TimeSpan timeout)
    {
        var options = dnsServer is null ? new LookupClientOptions() : new LookupClientOptions(ParseServer(dnsServer));
        options.UseCache = false;
        options.ThrowDnsErrors = false;
        options.ContinueOnDnsError = false;
        options.Retries = 1;
        if (timeout != Timeout.InfiniteTimeSpan) options.Timeout = timeout;
        _dns = new LookupClient(options);
    }

    /// <summary>Parses "address[:port]"; throws <see cref="FormatException"/> for anything else.</summary>
    public static NameServer ParseServer(string text)
    {
        string trimmed = text.Trim();
        if (IPAddress.TryParse(trimmed, out var bare)) return new NameServer(bare);
        int colon = trimmed.LastIndexOf(':');
        if (colon > 0 && int.TryParse(trimmed.Substring(colon + 1), out int port) && port is > 0 and <= 65535
            && IPAddress.TryParse(trimmed.Substring(0, colon).Trim('[', ']'), out var address))
            return new NameServer(address, port);
        throw new FormatException($"'{text}' is not a DNS server address: give an IP address, optionally with :port.");
    }

    /// <summary>
    /// The domain's mail hosts, best first; a <see cref="DnsLookupException"/> for NXDOMAIN or no answer.
    /// </summary>
    public async Task<IReadOnlyList<MailHost>> ResolveAsync(string domain, CancellationToken cancellationToken)
    {
        var mx = await QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        var records = mx.Answers.MxRecords().ToList();
        if (records.Count == 1 && records[0].Exchange.Value == ".")
            return new[] { new MailHost(".", records[0].Preference, Array.Empty<IPAddress>()) };
        if (records.Count == 0)
        {
            var own = await AddressesAsync(domain, cancellationToken).ConfigureAwait(false);
            if (own.Count == 0)
                throw new DnsLookupException($"'{domain}' has no MX record and no address (A/AAAA).", domain);
            return new[] { new MailHost(domain, null, own) };
        }
        var hosts = new List<MailHost>();
        // OrderBy is stable: hosts of equal preference keep the order the server gave.
        foreach (var record in records.OrderBy(r => r.Preference))
        {
            string name = record.Exchange.Value.TrimEnd('.');
            var addresses = await AddressesAsync(name, cancellationToken).ConfigureAwait(false);
            hosts.Add(new MailHost(name, record.Preference, addresses));
        }
        return hosts;
    }

    /// <summary>A records first, then AAAA: what a sender on an IPv4 network reaches.</summary>
    private async Task<IReadOnlyList<IPAddress>> AddressesAsync(string name, CancellationToken cancellationToken)
    {
        var a = await QueryAsync(name, QueryType.A, cancellationToken, allowNxDomain: true).ConfigureAwait(false);
        var aaaa = await QueryAsync(name, QueryType.AAAA, cancellationToken, allowNxDomain: true).ConfigureAwait(false);
        return a.Answers.ARecords().Select(r => r.Address)
            .Concat(aaaa.Answers.AaaaRecords().Select(r => r.Address))
            .ToList();
    }

    private async Task<IDnsQueryResponse> QueryAsync(string name, QueryType type, CancellationToken cancellationToken,
        bool allowNxDomain = false)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _dns.QueryAsync(name, type, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException ex)
        {
            throw new DnsLookupException($"The DNS lookup of {type} '{name}' failed: {ex.Message}", name, ex);
        }
        if (response.Header.ResponseCode == DnsHeaderResponseCode.NotExistentDomain && !allowNxDomain)
            throw new DnsLookupException($"The domain '{name}' does not exist (NXDOMAIN).", name);
        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
            throw new DnsLookupException($"The DNS lookup of {type} '{name}' failed: {response.ErrorMessage}", name);
        return response;
    }
}

/// <summary>A domain that does not exist, has no mail host, or a DNS server that did not answer.</summary>
internal sealed class DnsLookupException : Exception
{
    public DnsLookupException(string message, string name, Exception? innerException = null)
        : base(message, innerException)
    {
        Name = name;
    }

    /// <summary>The name that was looked up.</summary>
    public string Name { get; }
}
