using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace AsyncSmtp.Commands;

/// <summary>
/// The connection parameters every cmdlet that can connect shares (Connect-Smtp and the one-shot
/// forms of the others), in the parameter set <see cref="ConnectSet"/>, and the one-shot session
/// they open: connected on first use, QUIT at the end of the pipeline, dropped on Ctrl+C.
/// </summary>
public abstract class SmtpConnectionCmdlet : AsyncPSCmdlet
{
    internal const string ConnectSet = "Connect";
    internal const string SessionSet = "Session";

    private SmtpSession? _oneShot;

    [Parameter(ParameterSetName = ConnectSet, ValueFromPipelineByPropertyName = true, Position = 0)]
    [Alias("ComputerName", "HostName", "Server")]
    [ValidateNotNullOrEmpty]
    public virtual string? SmtpServer { get; set; }

    [Parameter(ParameterSetName = ConnectSet, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 65535)]
    public virtual int Port { get; set; }

    [Parameter(ParameterSetName = ConnectSet, ValueFromPipelineByPropertyName = true)]
    public virtual SwitchParameter UseTls { get; set; }

    [Parameter(ParameterSetName = ConnectSet, ValueFromPipelineByPropertyName = true)]
    public virtual SwitchParameter StartTls { get; set; }

    [Parameter(ParameterSetName = ConnectSet, ValueFromPipelineByPropertyName = true)]
    public virtual SwitchParameter NoTls { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateSet("ScramSha256", "ScramSha1", "CramMd5", "Plain", "Login", "XOAuth2", "OAuthBearer", IgnoreCase = true)]
    public string[]? AuthenticationMethod { get; set; }

    /// <summary>A SecureString, or a script block that returns the token (run for each login).</summary>
    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateNotNull]
    public object? OAuthToken { get; set; }

    /// <summary>The XOAUTH2 user when no -Credential is given.</summary>
    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateNotNullOrEmpty]
    public string? UserName { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public X509Certificate2? ClientCertificate { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateNotNullOrEmpty]
    public string? LocalHostName { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public IPAddress? SourceAddress { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateNotNullOrEmpty]
    public string? UnixSocket { get; set; }

    /// <summary>Seconds allowed for the connection and for each reply; 0 waits forever.</summary>
    [Parameter(ParameterSetName = ConnectSet)]
    public int TimeoutSec { get; set; } = 60;

    /// <summary>Whether the cmdlet connects itself rather than using a -Session.</summary>
    protected bool IsOneShot => ParameterSetName == ConnectSet;

    /// <summary>The engine options the connection parameters describe; call on the pipeline thread.</summary>
    protected SmtpClientOptions BuildClientOptions(out string smtpServer)
    {
        if ((UseTls ? 1 : 0) + (StartTls ? 1 : 0) + (NoTls ? 1 : 0) > 1)
            ThrowUsageError("-UseTls, -StartTls and -NoTls are mutually exclusive: give at most one.", "UseTls");
        if (OAuthToken is not null && Credential is null && UserName is null)
            ThrowUsageError("-OAuthToken needs a user name: give -UserName or -Credential.", "OAuthToken");
        var tokenSource = OAuthToken is null ? null : OAuthTokenSource.From(OAuthToken);
        if (OAuthToken is not null && tokenSource is null)
            ThrowUsageError(OAuthTokenSource.ExpectedForms, "OAuthToken");

        string? host = SmtpServer ?? DefaultServer();
        if (host is null && UnixSocket is null)
            ThrowUsageError("No SMTP server: give -SmtpServer (or -UnixSocket), or set $PSEmailServer.", "SmtpServer");
        smtpServer = host ?? UnixSocket!;
        if (TimeoutSeconds.Problem(TimeoutSec) is { } timeoutProblem)
            ThrowUsageError(timeoutProblem, nameof(TimeoutSec));

        var timeout = TimeoutSeconds.ToTimeSpan(TimeoutSec);
        var options = new SmtpClientOptions
        {
            Host = host,
            Port = Port,
            TlsMode = UseTls ? SmtpTlsMode.Implicit : StartTls ? SmtpTlsMode.StartTls : NoTls ? SmtpTlsMode.None
                : SmtpTlsMode.Opportunistic,
            UnixSocketPath = UnixSocket,
            SourceAddress = SourceAddress,
            LocalHostName = LocalHostName,
            ConnectTimeout = timeout,
            Timeout = timeout,
            SkipCertificateCheck = SkipCertificateCheck,
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication,
            AuthMechanisms = AuthenticationMethod?.Select(ParseMechanism).ToArray(),
        };
        if (ClientCertificate is not null)
            options.ClientCertificates = new X509CertificateCollection { ClientCertificate };
        if (tokenSource is not null)
        {
            options.Credential = new NetworkCredential(Credential?.UserName ?? UserName, string.Empty);
            options.OAuthTokenProvider = tokenSource.GetAsync;
        }
        else if (Credential is not null)
        {
            // Not GetNetworkCredential(): it splits "user@domain" and "domain\user", and SMTP logs in with the whole
            // name.
            options.Credential = new NetworkCredential(Credential.UserName, Credential.Password);
        }
        return options;
    }

    /// <summary>The one-shot connection, opened on first use; a failure to connect ends the cmdlet.</summary>
    protected async Task<SmtpSession> GetOneShotSessionAsync(SmtpClientOptions options, string smtpServer,
        CancellationToken cancellationToken)
    {
        if (_oneShot is not null) return _oneShot;
        _oneShot = await OpenSessionAsync(options, smtpServer, cancellationToken).ConfigureAwait(false);
        return _oneShot;
    }

    /// <summary>Connects; a failure is terminating, with the error of its stage.</summary>
    protected async Task<SmtpSession> OpenSessionAsync(SmtpClientOptions options, string smtpServer,
        CancellationToken cancellationToken)
    {
        try
        {
            return await SmtpSession.OpenAsync(options, smtpServer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            string target = options.UnixSocketPath ?? SmtpSession.FormatEndpoint(smtpServer, options.EffectivePort);
            throw Terminate(SmtpErrorMapper.ToErrorRecord(error, target, SmtpErrorIds.ConnectFailed));
        }
    }

    /// <summary>Ends a one-shot connection politely (QUIT). Call at the end of the pipeline.</summary>
    protected async Task CloseOneShotSessionAsync(CancellationToken cancellationToken)
    {
        var session = _oneShot;
        _oneShot = null;
        if (session is null) return;
        await session.CloseAsync(cancellationToken).ConfigureAwait(false);
        session.Dispose();
    }

    /// <summary>Stops the cmdlet with a usage error (terminating, SmtpInvalidArgument).</summary>
    protected void ThrowUsageError(string message, string parameterName) =>
        ThrowTerminatingError(SmtpErrorMapper.ToErrorRecord(
            new ArgumentException(message, parameterName), parameterName, SmtpErrorIds.InvalidArgument));

    private string? DefaultServer()
    {
        object? value = SessionState.PSVariable.GetValue("PSEmailServer");
        string? text = value is PSObject wrapped ? wrapped.BaseObject?.ToString() : value?.ToString();
        return string.IsNullOrWhiteSpace(text) ? null : text;
    }

    internal static SmtpAuthMechanism ParseMechanism(string name) =>
        (SmtpAuthMechanism)Enum.Parse(typeof(SmtpAuthMechanism), name, ignoreCase: true);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _oneShot?.Dispose();
            _oneShot = null;
        }
        base.Dispose(disposing);
    }
}
