using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Connects, reads the 220 greeting, sends EHLO (HELO when refused), upgrades with STARTTLS as the
    /// TLS mode says, and logs in when credentials are set. Any failure closes the connection again;
    /// a failed connect can be retried. Connecting a connected client is an error.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        ConnectCoreAsync(negotiate: true, opened: null, cancellationToken);

    /// <summary>
    /// Connects (with implicit TLS when the mode says so) and reads the 220 greeting, nothing more: the
    /// probe sends EHLO, STARTTLS and AUTH itself to time each stage. Any failure closes the connection.
    /// </summary>
    /// <param name="opened">Called when the connection is up, before the greeting is read.</param>
    /// <param name="cancellationToken">Stops the connect; the connection is closed again.</param>
    internal Task OpenAsync(Action opened, CancellationToken cancellationToken) =>
        ConnectCoreAsync(negotiate: false, opened, cancellationToken);

    private async Task ConnectCoreAsync(bool negotiate, Action? opened, CancellationToken cancellationToken)
    {
        ValidateConnectOptions();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsConnected)
                throw new SmtpAlreadyConnectedException("The client is already connected; disconnect or quit first.");
            using var io =
                new IoScope(() => _connection?.Close(), Options.ConnectTimeout, cancellationToken, connectPhase: true);
            bool ready = false;
            try
            {
                await OpenAndGreetAsync(io, opened).ConfigureAwait(false);
                io.ConnectPhase = false;
                if (negotiate) await NegotiateAsync(io).ConfigureAwait(false);
                ready = true;
            }
            finally
            {
                // Whatever failed, a half-made connection is never left open.
                if (!ready) Disconnect();
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private void ValidateConnectOptions()
    {
        var o = Options;
        int transports = (o.ConnectedStream is null ? 0 : 1) + (o.ConnectedSocket is null ? 0 : 1)
            + (o.UnixSocketPath is null ? 0 : 1);
        if (transports > 1)
            throw new SmtpArgumentException("Give at most one of ConnectedStream, ConnectedSocket and UnixSocketPath.");
        if (transports == 1 && o.Port != 0)
            throw new SmtpArgumentException("Port has no meaning with a Unix socket or a caller's socket or stream.",
                nameof(o.Port));
        if (transports == 0 && string.IsNullOrWhiteSpace(o.Host))
            throw new SmtpArgumentException("Host is required to connect over TCP.", nameof(o.Host));
        if (o.Host is not null) CommandGuard.RequireSafe(o.Host, nameof(o.Host));
        if (o.LocalHostName is not null)
        {
            CommandGuard.RequireSafe(o.LocalHostName, nameof(o.LocalHostName));
            EhloName.Require(o.LocalHostName, nameof(o.LocalHostName));
        }
        if (o.Port < 0 || o.Port > 65535)
            throw new SmtpArgumentException($"Port {o.Port} is out of range.", nameof(o.Port));
        if (o.TlsMode is SmtpTlsMode.Implicit or SmtpTlsMode.StartTls && o.SkipCertificateCheck is false
            && string.IsNullOrEmpty(TlsTargetHost) && o.CertificateValidationCallback is null)
            throw new SmtpArgumentException(
                "TLS needs a host name to validate the certificate against: set Host or TlsServerName.",
                nameof(o.Host));
    }

    private string TlsTargetHost => Options.TlsServerName ?? Options.Host?.Trim('[', ']') ?? string.Empty;

    /// <param name="io">The connect's time limit and cancellation.</param>
    /// <param name="opened">
    /// Called once the connection (and implicit TLS) is up, before the greeting: the probe's stage clock.
    /// </param>
    private async Task OpenAndGreetAsync(IoScope io, Action? opened = null)
    {
        ForgetSessionState();
        _greeting = null;
        _tls = null;
        _connection = await SmtpConnection.OpenAsync(Options, io, Describe()).ConfigureAwait(false);
        if (Options.TlsMode == SmtpTlsMode.Implicit) await UpgradeAsync(io).ConfigureAwait(false);
        opened?.Invoke();

        SmtpResponse greeting;
        try
        {
            greeting = await Wire.ReadAnyReplyAsync(io, "waiting for the greeting").ConfigureAwait(false);
        }
        catch (SmtpConnectTimeoutException silent) when (Options.TlsMode != SmtpTlsMode.Implicit)
        {
            // A port that speaks TLS at once waits in silence for the client's hello.
            silent.TlsModeHint = SmtpTlsModeHint.ExpectsImplicitTls;
            throw;
        }
        if (greeting.Code != 220)
            throw new SmtpConnectException(SmtpException.Describe($"{Describe()} did not greet with 220", greeting),
                greeting);
        _greeting = greeting;
    }

    private async Task NegotiateAsync(IoScope io)
    {
        await EnsureGreetedAsync(io).ConfigureAwait(false);
        bool offered = _extensions.Contains("STARTTLS");
        switch (Options.TlsMode)
        {
            case SmtpTlsMode.StartTls when !offered:
                throw new SmtpStartTlsNotSupportedException();
            case SmtpTlsMode.StartTls:
            case SmtpTlsMode.Opportunistic when offered:
                await StartTlsCoreAsync(io, required: true).ConfigureAwait(false);
                await EnsureGreetedAsync(io).ConfigureAwait(false);
                break;
        }
        if (Options.OAuthTokenProvider is { } tokenProvider)
        {
            string user = Options.Credential?.UserName ?? throw new SmtpArgumentException(
                "An OAuth login needs a user name in Credential.", nameof(Options.Credential));
            await AuthenticateCoreAsync(io, user, null, tokenProvider, Options.AuthMechanisms).ConfigureAwait(false);
        }
        else if (Options.Credential is { } credential)
        {
            await AuthenticateCoreAsync(io, credential.UserName, credential.Password, null, Options.AuthMechanisms)
                .ConfigureAwait(false);
        }
    }

    private string Describe() => Options.UnixSocketPath is { } path ? "unix:" + path
        : Options.ConnectedStream is not null || Options.ConnectedSocket is not null ? "the given connection"
        : $"{Options.Host}:{Options.EffectivePort}";

    private async Task UpgradeAsync(IoScope io)
    {
        var wire = Wire;
        bool implicitTls = Options.TlsMode == SmtpTlsMode.Implicit;
        _tls = await wire.UpgradeAsync(io, TlsTargetHost, Options, implicitTls).ConfigureAwait(false);
        wire.Log(SmtpLogDirection.Info, $"TLS established: {_tls.Protocol}, {_tls.CipherSuite}");
    }
}
