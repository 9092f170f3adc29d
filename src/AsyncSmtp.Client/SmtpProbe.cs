using System.Diagnostics;

namespace AsyncSmtp.Client;

/// <summary>
/// Checks one SMTP server stage by stage (connect, greeting, EHLO, STARTTLS, AUTH, MAIL, RCPT, QUIT)
/// and reports what it found, timing each stage. It never sends a message: a transaction ends in RSET.
/// Server-side failures end the check and are reported; only cancellation and bad options throw.
/// </summary>
public sealed class SmtpProbe
{
    private readonly SmtpClientOptions _options;
    private readonly SmtpProbeOptions _probe;
    private readonly SmtpProbeReport _report = new();
    private readonly Stopwatch _clock = new();
    private SmtpProbeStage _stage = SmtpProbeStage.Connect;

    /// <param name="options">
    /// Where and how to connect. <see cref="SmtpTlsMode.Opportunistic"/> upgrades when STARTTLS is offered;
    /// a credential or token is tried at the Auth stage. A certificate that does not validate is reported;
    /// the check goes on over it only when there is no credential to protect.
    /// </param>
    /// <param name="probe">How far to go and what to try: the sender, recipients and relay test, never DATA.</param>
    public SmtpProbe(SmtpClientOptions options, SmtpProbeOptions probe)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _probe = probe ?? throw new ArgumentNullException(nameof(probe));
    }

    private bool HasCredential => _options.Credential is not null || _options.OAuthTokenProvider is not null;

    private IReadOnlyList<string> Recipients => _probe.TestRelay && _probe.Recipients.Count == 0
        ? new[] { SmtpProbeOptions.DefaultRelayRecipient }
        : _probe.Recipients;

    private bool WantsTransaction =>
        _probe.Sender is not null || Recipients.Count > 0 || _probe.QuitAfter >= SmtpProbeStage.Mail;

    /// <summary>
    /// Runs the check stage by stage and reports what each showed. An SMTP failure ends the check and is reported
    /// (<see cref="SmtpProbeReport.FailedStage"/>), not thrown, so one bad server does not hide the findings.
    /// </summary>
    public async Task<SmtpProbeReport> RunAsync(CancellationToken cancellationToken = default)
    {
        using var client = new SmtpClient(ClientOptions());
        if (HasCredential) _report.Authenticated = false;
        try
        {
            await RunStagesAsync(client, cancellationToken).ConfigureAwait(false);
        }
        catch (SmtpException error) when (!cancellationToken.IsCancellationRequested)
        {
            _report.FailedStage = _stage;
            _report.Error = error;
            if (error is SmtpTlsException { Details: { } details }) _report.Tls = details;
            if (error is SmtpConnectException { Response: { } refusal } && _stage == SmtpProbeStage.Greeting)
                _report.Greeting = refusal.Message;
            await QuitQuietlyAsync(client, cancellationToken).ConfigureAwait(false);
        }
        return _report;
    }

    /// <summary>The client does each stage on the probe's command: no TLS or login of its own.</summary>
    private SmtpClientOptions ClientOptions()
    {
        var o = _options;
        return new SmtpClientOptions
        {
            Host = o.Host,
            Port = o.Port,
            TlsMode = o.TlsMode == SmtpTlsMode.Implicit ? SmtpTlsMode.Implicit : SmtpTlsMode.None,
            UnixSocketPath = o.UnixSocketPath,
            SourceAddress = o.SourceAddress,
            LocalHostName = o.LocalHostName,
            ConnectTimeout = o.ConnectTimeout,
            Timeout = o.Timeout,
            TlsServerName = o.TlsServerName,
            SkipCertificateCheck = o.SkipCertificateCheck,
            TrustedRootCertificates = o.TrustedRootCertificates,
            ClientCertificates = o.ClientCertificates,
            CertificateValidationCallback = o.CertificateValidationCallback,
            SslProtocols = o.SslProtocols,
            AllowUnencryptedAuthentication = o.AllowUnencryptedAuthentication,
            ProtocolLogger = o.ProtocolLogger,
            ProtocolLogEnabled = o.ProtocolLogEnabled,
            // A check reports a bad certificate rather than refusing it,
            // but a login never goes over one (security rule 4).
            AcceptInvalidCertificate = !HasCredential,
            // A check asks whether the certificate was revoked (Revoked, RevocationUnknown).
            CheckCertificateRevocation = true,
        };
    }

    private async Task RunStagesAsync(SmtpClient client, CancellationToken ct)
    {
        await StagesUpToQuitAsync(client, ct).ConfigureAwait(false);
        await QuitAsync(client, ct).ConfigureAwait(false);
    }

    /// <summary>Each stage in turn, returning after the one <see cref="SmtpProbeOptions.QuitAfter"/> names.</summary>
    private async Task StagesUpToQuitAsync(SmtpClient client, CancellationToken ct)
    {
        _clock.Restart();
        await client.OpenAsync(() =>
        {
            _report.Address = (client.RemoteEndPoint as IPEndPoint)?.Address;
            _report.Tls = client.TlsDetails;
            if (_report.Tls is not null) _report.TlsMode = SmtpTlsMode.Implicit;
            Done(SmtpProbeStage.Connect);
        }, ct).ConfigureAwait(false);
        _report.Reachable = true;
        _report.Greeting = client.Greeting?.Message;
        Done(SmtpProbeStage.Greeting);
        if (StopsAfter(SmtpProbeStage.Connect) || StopsAfter(SmtpProbeStage.Greeting)) return;

        var hello = await HelloAsync(client, ct).ConfigureAwait(false);
        _report.ServerName = hello.Lines.Count > 0 ? hello.Lines[0].Split(' ')[0] : null;
        _report.Esmtp = client.Esmtp;
        _report.ExtensionsBeforeTls = _report.Extensions = client.Extensions;
        _report.StartTlsOffered = client.Extensions.Contains("STARTTLS");
        Done(SmtpProbeStage.Ehlo);
        if (StopsAfter(SmtpProbeStage.Ehlo)) return;

        if (_report.TlsMode != SmtpTlsMode.Implicit && _options.TlsMode != SmtpTlsMode.None)
        {
            _stage = SmtpProbeStage.StartTls;
            if (_report.StartTlsOffered) await StartTlsAsync(client, ct).ConfigureAwait(false);
            else if (_options.TlsMode == SmtpTlsMode.StartTls || StopsAfter(SmtpProbeStage.StartTls))
                throw new SmtpStartTlsNotSupportedException();
        }
        if (StopsAfter(SmtpProbeStage.StartTls)) return;

        // A relay probe must not be authenticated: it runs before the login.
        if (_probe.TestRelay && WantsTransaction) await TransactionAsync(client, ct).ConfigureAwait(false);
        if (HasCredential) await AuthenticateAsync(client, ct).ConfigureAwait(false);
        if (StopsAfter(SmtpProbeStage.Auth)) return;
        if (!_probe.TestRelay && WantsTransaction) await TransactionAsync(client, ct).ConfigureAwait(false);
    }

    private bool StopsAfter(SmtpProbeStage stage) => _probe.QuitAfter == stage;

    private void Done(SmtpProbeStage stage)
    {
        _report.AddTiming(stage, _clock.Elapsed);
        _clock.Restart();
        _stage = stage + 1;
    }

    private async Task<SmtpResponse> HelloAsync(SmtpClient client, CancellationToken ct)
    {
        try
        {
            return await client.EhloAsync(null, ct).ConfigureAwait(false);
        }
        catch (SmtpHeloException refused) when (refused.Code != 421 && client.IsConnected)
        {
            return await client.HeloAsync(null, ct).ConfigureAwait(false);
        }
    }

    private async Task StartTlsAsync(SmtpClient client, CancellationToken ct)
    {
        await client.StartTlsAsync(ct).ConfigureAwait(false);
        _report.Tls = client.TlsDetails;
        _report.TlsMode = SmtpTlsMode.StartTls;
        await client.EhloAsync(null, ct).ConfigureAwait(false);
        _report.Extensions = client.Extensions;
        Done(SmtpProbeStage.StartTls);
    }

    private async Task AuthenticateAsync(SmtpClient client, CancellationToken ct)
    {
        _stage = SmtpProbeStage.Auth;
        if (_options.OAuthTokenProvider is { } tokenProvider)
        {
            // As a session logs in: the mechanisms asked for (default OAUTHBEARER, XOAUTH2), the token checked
            // before it is sent, and asked for once more when the server refuses it.
            string user = _options.Credential?.UserName
                ?? throw new SmtpArgumentException("An OAuth login needs a user name in Credential.",
                    nameof(_options.Credential));
            await client.AuthenticateAsync(user, tokenProvider, _options.AuthMechanisms, ct).ConfigureAwait(false);
        }
        else
        {
            await client.AuthenticateAsync(_options.Credential!, _options.AuthMechanisms, ct).ConfigureAwait(false);
        }
        _report.Authenticated = true;
        _report.AuthenticationMechanism = client.AuthenticationMechanism;
        Done(SmtpProbeStage.Auth);
    }

    /// <summary>
    /// MAIL FROM, one RCPT per address (an answer, never a failure), then RSET (part of the last stage's
    /// time): no DATA.
    /// </summary>
    private async Task TransactionAsync(SmtpClient client, CancellationToken ct)
    {
        _stage = SmtpProbeStage.Mail;
        string sender = _probe.Sender ?? string.Empty;
        var mail = await client.ExecuteAsync($"MAIL FROM:<{sender}>", ct).ConfigureAwait(false);
        if (mail.Code != 250) throw new SmtpSenderRefusedException(sender, mail);
        if (StopsAfter(SmtpProbeStage.Mail) || Recipients.Count == 0)
        {
            await client.RsetAsync(ct).ConfigureAwait(false);
            Done(SmtpProbeStage.Mail);
            return;
        }
        Done(SmtpProbeStage.Mail);

        bool anyAccepted = false;
        foreach (string address in Recipients)
        {
            var reply = await client.ExecuteAsync($"RCPT TO:<{address}>", ct).ConfigureAwait(false);
            var answer = new SmtpProbeRecipient(address, reply);
            _report.AddRecipient(answer);
            anyAccepted |= answer.Accepted;
            if (!client.IsConnected)
                throw new SmtpServerDisconnectedException(
                    $"The server closed the connection after RCPT TO:<{address}>.", reply);
        }
        if (_probe.TestRelay) _report.RelayRefused = !anyAccepted;
        await client.RsetAsync(ct).ConfigureAwait(false);
        Done(SmtpProbeStage.Rcpt);
    }

    private async Task QuitAsync(SmtpClient client, CancellationToken ct)
    {
        _stage = SmtpProbeStage.Quit;
        await client.QuitAsync(ct).ConfigureAwait(false);
        Done(SmtpProbeStage.Quit);
    }

    /// <summary>
    /// After a failure: a polite QUIT when the connection is still usable, untimed and never a second finding.
    /// </summary>
    private static async Task QuitQuietlyAsync(SmtpClient client, CancellationToken ct)
    {
        if (!client.IsConnected) return;
        try
        {
            await client.QuitAsync(ct).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            // The check has its finding already; the connection is closed either way.
        }
    }
}
