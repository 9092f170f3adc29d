using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Connects, reads the 220 greeting, sends EHLO (HELO when refused), upgrades with STARTTLS as the
    /// TLS mode says, and logs in when credentials are set. Any failure closes the connection again;
    /// a failed connect can be retried. Connecting a connected client is an error.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        ValidateConnectOptions();
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsConnected) throw new SmtpAlreadyConnectedException("The client is already connected; disconnect or quit first.");
            using var io = new IoScope(AbortTransport, Options.ConnectTimeout, cancellationToken, connectPhase: true);
            try
            {
                await OpenAndGreetAsync(io).ConfigureAwait(false);
                io.ConnectPhase = false;
                await NegotiateAsync(io).ConfigureAwait(false);
            }
            catch
            {
                Disconnect();
                throw;
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
        int transports = (o.ConnectedStream is null ? 0 : 1) + (o.ConnectedSocket is null ? 0 : 1) + (o.UnixSocketPath is null ? 0 : 1);
        if (transports > 1)
            throw new SmtpArgumentException("Give at most one of ConnectedStream, ConnectedSocket and UnixSocketPath.");
        if (transports == 1 && o.Port != 0)
            throw new SmtpArgumentException("Port has no meaning with a Unix socket or a caller's socket or stream.", nameof(o.Port));
        if (transports == 0 && string.IsNullOrWhiteSpace(o.Host))
            throw new SmtpArgumentException("Host is required to connect over TCP.", nameof(o.Host));
        if (o.Host is not null) CommandGuard.RequireSafe(o.Host, nameof(o.Host));
        if (o.LocalHostName is not null) CommandGuard.RequireSafe(o.LocalHostName, nameof(o.LocalHostName));
        if (o.Port < 0 || o.Port > 65535) throw new SmtpArgumentException($"Port {o.Port} is out of range.", nameof(o.Port));
        if (o.TlsMode is SmtpTlsMode.Implicit or SmtpTlsMode.StartTls && o.SkipCertificateCheck is false && string.IsNullOrEmpty(TlsTargetHost) && o.CertificateValidationCallback is null)
            throw new SmtpArgumentException("TLS needs a host name to validate the certificate against: set Host or TlsServerName.", nameof(o.Host));
    }

    private string TlsTargetHost => Options.TlsServerName ?? Options.Host?.Trim('[', ']') ?? string.Empty;

    private async Task OpenAndGreetAsync(IoScope io)
    {
        _extensions = SmtpExtensions.None;
        _greeted = false;
        _authenticated = false;
        _userName = null;
        _greeting = null;
        SmtpTransport transport;
        try
        {
            transport = await SmtpTransport.OpenAsync(Options, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = io.Translate(ex, $"connecting to {Describe()}");
            if (ReferenceEquals(translated, ex)) throw;
            throw translated;
        }
        if (Options.ProtocolLogger is not null) transport.Reader.LineObserver = LogReplyLine;
        _transport = transport;
        if (Options.ProtocolLogger is not null) Log(SmtpLogDirection.Info, $"Connected to {Describe()}", false);
        if (Options.TlsMode == SmtpTlsMode.Implicit) await UpgradeAsync(io).ConfigureAwait(false);

        SmtpResponse greeting = await ReadReplyAsync(io, "waiting for the greeting").ConfigureAwait(false);
        if (greeting.Code != 220)
            throw new SmtpConnectException(SmtpException.Describe($"{Describe()} did not greet with 220", greeting), greeting);
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
                await StartTlsCoreAsync(io).ConfigureAwait(false);
                await EnsureGreetedAsync(io).ConfigureAwait(false);
                break;
        }
        if (Options.OAuthTokenProvider is { } tokenProvider)
        {
            string user = Options.Credential?.UserName ?? throw new SmtpArgumentException("XOAUTH2 needs a user name in Credential.", nameof(Options.Credential));
            string token = await tokenProvider(io.Token).ConfigureAwait(false);
            await AuthenticateCoreAsync(io, user, token, new[] { SmtpAuthMechanism.XOAuth2 }).ConfigureAwait(false);
        }
        else if (Options.Credential is { } credential)
        {
            await AuthenticateCoreAsync(io, credential.UserName, credential.Password, Options.AuthMechanisms).ConfigureAwait(false);
        }
    }

    private string Describe() => Options.UnixSocketPath is { } path ? "unix:" + path
        : Options.ConnectedStream is not null || Options.ConnectedSocket is not null ? "the given connection"
        : $"{Options.Host}:{Options.EffectivePort}";

    private async Task UpgradeAsync(IoScope io)
    {
        try
        {
            await Transport.UpgradeToTlsAsync(TlsTargetHost, Options, _certificateValidator, io.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            var translated = io.Translate(ex, "negotiating TLS");
            if (ReferenceEquals(translated, ex)) throw;
            throw translated;
        }
        _cipherSuite = Transport.CipherSuiteName();
        _remoteCertificate = Transport.RemoteCertificate();
        if (Options.ProtocolLogger is not null)
            Log(SmtpLogDirection.Info, $"TLS established: {Transport.Tls!.SslProtocol}, {_cipherSuite}", true);
    }
}
