using System.Management.Automation;
using System.Net;
using AsyncSmtp.Client;

namespace AsyncSmtp.Commands;

/// <summary>
/// Test-SmtpServer: checks mail servers stage by stage and reports findings for Pester, one
/// <see cref="SmtpServerReport"/> per server and port, whatever happened there. It never sends a message.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "SmtpServer", DefaultParameterSetName = ServerSet)]
[OutputType(typeof(SmtpServerReport))]
public sealed class TestSmtpServerCommand : AsyncPSCmdlet
{
    private const string ServerSet = "Server";
    private const string DomainSet = "Domain";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true,
        ParameterSetName = ServerSet)]
    [Alias("ComputerName", "HostName", "Server")]
    [ValidateNotNullOrEmpty]
    public string[] SmtpServer { get; set; } = Array.Empty<string>();

    /// <summary>Check every MX host of this domain, in preference order.</summary>
    [Parameter(Mandatory = true, ParameterSetName = DomainSet)]
    [ValidateNotNullOrEmpty]
    public string Domain { get; set; } = string.Empty;

    [Parameter]
    [ValidateRange(1, 65535)]
    [ArgumentCompleter(typeof(SmtpPortCompleter))]
    public int[] Port { get; set; } = { 25 };

    /// <summary>The DNS server for every lookup of -Domain: "address" or "address:port".</summary>
    [Parameter(ParameterSetName = DomainSet)]
    [ValidateNotNullOrEmpty]
    public string? DnsServer { get; set; }

    [Parameter]
    public SwitchParameter UseTls { get; set; }

    [Parameter]
    public SwitchParameter StartTls { get; set; }

    [Parameter]
    public SwitchParameter NoTls { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    [ValidateSet("ScramSha256", "ScramSha1", "CramMd5", "Plain", "Login", "XOAuth2", "OAuthBearer", IgnoreCase = true)]
    public string[]? AuthenticationMethod { get; set; }

    /// <summary>
    /// A SecureString, or a script block that returns the token (run for each login); the user name comes from
    /// -Credential.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public object? OAuthToken { get; set; }

    /// <summary>MAIL FROM for the recipient and relay probes; default the null sender &lt;&gt;.</summary>
    [Parameter]
    [ValidateNotNull]
    public string? Sender { get; set; }

    /// <summary>Addresses to probe with RCPT TO (then RSET): never DATA.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Recipient { get; set; }

    /// <summary>Try, before any login, a recipient in a domain the server should not accept.</summary>
    [Parameter]
    public SwitchParameter TestRelay { get; set; }

    [Parameter]
    [ValidateSet("Connect", "Greeting", "Ehlo", "StartTls", "Auth", "Mail", "Rcpt", IgnoreCase = true)]
    public string? QuitAfter { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? LocalHostName { get; set; }

    [Parameter]
    public IPAddress? SourceAddress { get; set; }

    /// <summary>The name the certificate must carry; default the server (or MX host) name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? TlsServerName { get; set; }

    /// <summary>Seconds allowed for the connect and greeting, each reply and each DNS query; 0 waits forever.</summary>
    [Parameter]
    public int TimeoutSec { get; set; } = 30;

    private SmtpProbeOptions _probe = new();
    private OAuthTokenSource? _tokenSource;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        if ((UseTls ? 1 : 0) + (StartTls ? 1 : 0) + (NoTls ? 1 : 0) > 1)
            ThrowUsageError("-UseTls, -StartTls and -NoTls are mutually exclusive: give at most one.", nameof(UseTls));
        if (TimeoutSeconds.Problem(TimeoutSec) is { } timeoutProblem)
            ThrowUsageError(timeoutProblem, nameof(TimeoutSec));
        if (OAuthToken is not null && Credential is null)
            ThrowUsageError("-OAuthToken needs the user name in -Credential.", nameof(OAuthToken));
        _tokenSource = OAuthToken is null ? null : OAuthTokenSource.From(OAuthToken);
        if (OAuthToken is not null && _tokenSource is null)
            ThrowUsageError(OAuthTokenSource.ExpectedForms, nameof(OAuthToken));
        var quitAfter = QuitAfter is null
            ? (SmtpProbeStage?)null
            : (SmtpProbeStage)Enum.Parse(typeof(SmtpProbeStage), QuitAfter, ignoreCase: true);
        if (quitAfter == SmtpProbeStage.Auth && Credential is null)
            ThrowUsageError("-QuitAfter Auth needs -Credential.", nameof(QuitAfter));
        if (quitAfter == SmtpProbeStage.Rcpt && Recipient is null && !TestRelay)
            ThrowUsageError("-QuitAfter Rcpt needs -Recipient or -TestRelay.", nameof(QuitAfter));
        if (DnsServer is not null) ValidateDnsServer(DnsServer);
        if (ParameterSetName == DomainSet && !IsDomainName(Domain))
            ThrowUsageError($"'{Domain}' is not a domain name.", nameof(Domain));
        if (Sender is { Length: > 0 } && !IsBareAddress(Sender))
            ThrowUsageError($"'{Sender}' is not one bare e-mail address.", nameof(Sender));
        foreach (string address in Recipient ?? Array.Empty<string>())
            if (!IsBareAddress(address))
                ThrowUsageError($"'{address}' is not one bare e-mail address.", nameof(Recipient));
        _probe = new SmtpProbeOptions
        {
            QuitAfter = quitAfter,
            Sender = Sender,
            Recipients = Recipient ?? Array.Empty<string>(),
            TestRelay = TestRelay,
        };
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var progress = new ServerCheckProgress(this);
        try
        {
            if (ParameterSetName == DomainSet)
                await CheckDomainAsync(progress, cancellationToken).ConfigureAwait(false);
            else await CheckServersAsync(SmtpServer, progress, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            progress.Complete();
        }
    }

    private async Task CheckServersAsync(string[] servers, ServerCheckProgress progress, CancellationToken ct)
    {
        progress.Expect(servers.Length * Port.Length);
        foreach (string server in servers)
            foreach (int port in Port)
                await CheckAsync(server, server, null, port, progress, ct).ConfigureAwait(false);
    }

    private async Task CheckDomainAsync(ServerCheckProgress progress, CancellationToken ct)
    {
        IReadOnlyList<MailHost> hosts;
        progress.Resolving(Domain);
        try
        {
            var timeout = TimeoutSeconds.ToTimeSpan(TimeoutSec);
            hosts = await new MailHostResolver(DnsServer, timeout).ResolveAsync(Domain, ct).ConfigureAwait(false);
        }
        catch (DnsLookupException ex)
        {
            throw Terminate(new ErrorRecord(ex, SmtpErrorIds.DnsLookupFailed, ErrorCategory.ObjectNotFound, Domain));
        }
        progress.Expect(hosts.Count(h => h.Addresses.Count > 0) * Port.Length);
        foreach (var host in hosts)
        {
            if (host.IsNullMx)
            {
                // RFC 7505: the domain says it takes no mail. A published answer, not a failure to connect.
                await WriteObjectAsync(new SmtpServerReport(Domain, Port[0], host.Preference)).ConfigureAwait(false);
                continue;
            }
            foreach (int port in Port)
            {
                if (host.Addresses.Count == 0)
                {
                    await WriteObjectAsync(Unresolved(host, port)).ConfigureAwait(false);
                    continue;
                }
                // Connect to the address DNS gave; the certificate is validated against the host name.
                string target = host.Addresses[0].ToString();
                await CheckAsync(host.Name, target, host.Preference, port, progress, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// An MX host with no address in DNS (-DnsServer's answer when given): unreachable, and never looked up
    /// elsewhere.
    /// </summary>
    private static SmtpServerReport Unresolved(MailHost host, int port)
    {
        var reason = new DnsLookupException($"The mail host '{host.Name}' has no address (A/AAAA).", host.Name);
        var error = new ErrorRecord(reason, SmtpErrorIds.DnsLookupFailed, ErrorCategory.ObjectNotFound, host.Name);
        return new SmtpServerReport(host.Name, port, host.Preference, error);
    }

    private async Task CheckAsync(string name, string target, int? preference, int port,
        ServerCheckProgress progress, CancellationToken ct)
    {
        string endpoint = SmtpSession.FormatEndpoint(name, port);
        progress.Checking(endpoint);
        var probe = await new SmtpProbe(ClientOptions(name, target, port), _probe).RunAsync(ct).ConfigureAwait(false);
        var error = probe.Error is null
            ? null
            : SmtpErrorMapper.ToErrorRecord(probe.Error, endpoint, FallbackErrorId(probe.FailedStage));
        if (error is not null) WriteVerboseLine($"{endpoint}: {probe.FailedStage} failed: {probe.Error!.Message}");
        await WriteObjectAsync(new SmtpServerReport(name, port, preference, probe, error)).ConfigureAwait(false);
    }

    private void WriteVerboseLine(string text)
    {
        if (IsVerboseEnabled) PostVerbose(text);
    }

    private SmtpClientOptions ClientOptions(string name, string target, int port)
    {
        var timeout = TimeoutSeconds.ToTimeSpan(TimeoutSec);
        var options = new SmtpClientOptions
        {
            Host = target,
            Port = port,
            TlsMode = UseTls || (port == 465 && !StartTls && !NoTls) ? SmtpTlsMode.Implicit
                : StartTls ? SmtpTlsMode.StartTls
                : NoTls ? SmtpTlsMode.None
                : SmtpTlsMode.Opportunistic,
            TlsServerName = TlsServerName ?? (target == name ? null : name),
            LocalHostName = LocalHostName,
            SourceAddress = SourceAddress,
            ConnectTimeout = timeout,
            Timeout = timeout,
            AuthMechanisms = AuthenticationMethod?.Select(SmtpConnectionCmdlet.ParseMechanism).ToArray(),
            ProtocolLogger = IsVerboseEnabled ? entry => PostVerbose(entry.ToString()) : null,
        };
        // The whole user name, as Connect-Smtp sends it (GetNetworkCredential would split user@domain).
        if (_tokenSource is not null)
        {
            options.Credential = new NetworkCredential(Credential!.UserName, string.Empty);
            options.OAuthTokenProvider = _tokenSource.GetAsync;
        }
        else if (Credential is not null)
        {
            options.Credential = new NetworkCredential(Credential.UserName, Credential.Password);
        }
        return options;
    }

    /// <summary>
    /// The ErrorId of a failed stage when the failure does not name one itself (as Connect-Smtp gives them).
    /// </summary>
    private static string FallbackErrorId(SmtpProbeStage? stage) => stage switch
    {
        SmtpProbeStage.Ehlo => SmtpErrorIds.HeloFailed,
        SmtpProbeStage.StartTls => SmtpErrorIds.TlsFailed,
        SmtpProbeStage.Auth => SmtpErrorIds.AuthenticationFailed,
        SmtpProbeStage.Mail => SmtpErrorIds.SenderRejected,
        SmtpProbeStage.Rcpt => SmtpErrorIds.RecipientRejected,
        SmtpProbeStage.Quit => SmtpErrorIds.ProtocolError,
        _ => SmtpErrorIds.ConnectFailed,
    };

    private void ValidateDnsServer(string dnsServer)
    {
        try
        {
            MailHostResolver.ParseServer(dnsServer);
        }
        catch (FormatException ex)
        {
            ThrowUsageError(ex.Message, nameof(DnsServer));
        }
    }

    /// <summary>
    /// Dot-separated labels of 1 to 63 letters, digits, hyphens or underscores; 253 characters in all.
    /// </summary>
    private static bool IsDomainName(string name)
    {
        string trimmed = name.TrimEnd('.');
        return trimmed.Length is > 0 and <= 253 && trimmed.Split('.').All(label =>
            label.Length is > 0 and <= 63 && label.All(c => c < 128 && (char.IsLetterOrDigit(c) || c is '-' or '_')));
    }

    /// <summary>
    /// local@domain with no spaces, angle brackets or control characters: what goes between &lt; and &gt;.
    /// </summary>
    private static bool IsBareAddress(string address)
    {
        int at = address.LastIndexOf('@');
        return at > 0 && at < address.Length - 1
            && !address.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c is '<' or '>' or ',');
    }

    private void ThrowUsageError(string message, string parameterName) =>
        ThrowTerminatingError(SmtpErrorMapper.ToErrorRecord(new ArgumentException(message, parameterName),
            parameterName, SmtpErrorIds.InvalidArgument));
}
