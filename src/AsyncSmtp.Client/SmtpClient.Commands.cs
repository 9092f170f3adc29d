using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>Sends EHLO and replaces the extension table. Not 250: <see cref="SmtpHeloException"/>.</summary>
    public Task<SmtpResponse> EhloAsync(string? hostName = null, CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            var reply = await EhloCoreAsync(io, hostName).ConfigureAwait(false);
            if (reply.Code != 250) throw new SmtpHeloException(reply);
            return reply;
        }, cancellationToken);

    /// <summary>Sends HELO; the extension table becomes empty. Not 250: <see cref="SmtpHeloException"/>.</summary>
    public Task<SmtpResponse> HeloAsync(string? hostName = null, CancellationToken cancellationToken = default) =>
        RunAsync(io => HeloCoreAsync(io, hostName), cancellationToken);

    /// <summary>
    /// Upgrades the connection. Not offered: <see cref="SmtpStartTlsNotSupportedException"/>; refused:
    /// <see cref="SmtpResponseException"/> and the connection stays as it was.
    /// </summary>
    public Task<SmtpResponse> StartTlsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            if (IsEncrypted) throw new SmtpArgumentException("The connection is already encrypted.");
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            if (!_extensions.Contains("STARTTLS")) throw new SmtpStartTlsNotSupportedException();
            return await StartTlsCoreAsync(io, required: false).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>
    /// RSET: abandons the mail transaction under way (sender and recipients given), keeping the connection.
    /// </summary>
    public Task<SmtpResponse> RsetAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            return await ResetAsync(io).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>NOOP: asks for a 250 and nothing else, to check that the connection and server are alive.</summary>
    public Task<SmtpResponse> NoopAsync(CancellationToken cancellationToken = default) =>
        SimpleAsync("NOOP", "sending NOOP", cancellationToken, 250);

    /// <summary>
    /// VRFY: asks whether <paramref name="address"/> is a mailbox here (250, 251, or 252 when the server will not say);
    /// any other reply is an <see cref="SmtpResponseException"/>.
    /// </summary>
    public Task<SmtpResponse> VrfyAsync(string address, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(address, nameof(address));
        return SimpleAsync("VRFY " + address, "verifying an address", cancellationToken, 250, 251, 252);
    }

    /// <summary>
    /// EXPN: asks for the members of the mailing list <paramref name="list"/>; most servers refuse it.
    /// </summary>
    public Task<SmtpResponse> ExpnAsync(string list, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(list, nameof(list));
        return SimpleAsync("EXPN " + list, "expanding a list", cancellationToken, 250);
    }

    /// <summary>
    /// HELP, about <paramref name="topic"/> when given: the server's own description of its commands.
    /// </summary>
    public Task<SmtpResponse> HelpAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        if (topic is not null) CommandGuard.RequireSafe(topic, nameof(topic));
        return SimpleAsync(topic is null ? "HELP" : "HELP "
            + topic, "asking for help", cancellationToken, 211, 214, 250);
    }

    /// <summary>Sends QUIT and closes. A drop right after QUIT counts as a clean 221.</summary>
    public Task<SmtpResponse> QuitAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            try
            {
                var reply = await Wire.CommandAsync(io, "QUIT", "quitting").ConfigureAwait(false);
                if (reply.Code != 221)
                    throw new SmtpResponseException(SmtpException.Describe("QUIT refused", reply), reply);
                return reply;
            }
            catch (SmtpServerDisconnectedException)
            {
                return new SmtpResponse(221, new[] { "Connection closed by the server after QUIT" });
            }
            finally
            {
                Disconnect();
            }
        }, cancellationToken);

    /// <summary>
    /// Sends one command line as given and returns the reply, whatever its code. No EHLO is sent first.
    /// The line must not contain control characters; a 421 reply closes the connection. What the client
    /// tracks follows: after MAIL or RCPT the next transaction starts with RSET; an accepted EHLO replaces
    /// <see cref="Extensions"/>, an accepted HELO empties it (no PIPELINING, no CHUNKING afterwards).
    /// </summary>
    public Task<SmtpResponse> ExecuteAsync(string commandLine, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(commandLine, nameof(commandLine));
        if (commandLine.Trim().Length == 0)
            throw new SmtpArgumentException("The command is empty.", nameof(commandLine));
        return RunAsync(async io =>
        {
            await Wire.WriteCommandAsync(io, commandLine, "running a command").ConfigureAwait(false);
            var reply = await Wire.ReadAnyReplyAsync(io, "running a command").ConfigureAwait(false);
            Track(commandLine, reply);
            return reply;
        }, cancellationToken);
    }

    /// <summary>Keeps the client's view of the session true after a command it did not compose.</summary>
    private void Track(string commandLine, SmtpResponse reply)
    {
        string line = commandLine.TrimStart();
        int end = line.IndexOf(' ');
        switch ((end < 0 ? line : line.Substring(0, end)).ToUpperInvariant())
        {
            case "MAIL":
            case "RCPT":
                _transactionOpen = true;
                break;
            case "RSET" when reply.Code == 250:
                _transactionOpen = false;
                break;
            case "EHLO" when reply.Code == 250:
                Greeted(SmtpExtensions.Parse(reply), esmtp: true);
                break;
            case "HELO" when reply.Code == 250:
                Greeted(SmtpExtensions.None, esmtp: false);
                break;
        }
    }

    /// <summary>
    /// An accepted EHLO or HELO: its extensions (none for HELO), and no transaction in progress (RFC 5321 4.1.4).
    /// </summary>
    private void Greeted(SmtpExtensions extensions, bool esmtp)
    {
        _extensions = extensions;
        _greeted = true;
        _esmtp = esmtp;
        _transactionOpen = false;
    }

    private async Task<SmtpResponse> ResetAsync(IoScope io)
    {
        var reply = await Wire.CommandAsync(io, "RSET", "resetting the transaction").ConfigureAwait(false);
        if (reply.Code != 250) throw new SmtpResponseException(SmtpException.Describe("RSET refused", reply), reply);
        _transactionOpen = false;
        return reply;
    }

    private Task<SmtpResponse> SimpleAsync(string line, string activity, CancellationToken cancellationToken,
        params int[] accepted) =>
        RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            var reply = await Wire.CommandAsync(io, line, activity).ConfigureAwait(false);
            if (Array.IndexOf(accepted, reply.Code) < 0)
                throw new SmtpResponseException(SmtpException.Describe($"{line.Split(' ')[0]} refused", reply), reply);
            return reply;
        }, cancellationToken);

    /// <summary>EHLO (or HELO on refusal) unless one has been done on this connection state.</summary>
    private async Task EnsureGreetedAsync(IoScope io)
    {
        if (_greeted) return;
        // A server that is closing (421) gets no second try: the wire has thrown.
        var ehlo = await EhloCoreAsync(io, null).ConfigureAwait(false);
        if (ehlo.Code != 250) await HeloCoreAsync(io, null).ConfigureAwait(false);
    }

    private async Task<SmtpResponse> EhloCoreAsync(IoScope io, string? hostName)
    {
        string name = HelloName(hostName);
        var reply = await Wire.CommandAsync(io, "EHLO " + name, "sending EHLO").ConfigureAwait(false);
        if (reply.Code == 250) Greeted(SmtpExtensions.Parse(reply), esmtp: true);
        return reply;
    }

    private async Task<SmtpResponse> HeloCoreAsync(IoScope io, string? hostName)
    {
        string name = HelloName(hostName);
        var reply = await Wire.CommandAsync(io, "HELO " + name, "sending HELO").ConfigureAwait(false);
        if (reply.Code != 250) throw new SmtpHeloException(reply);
        Greeted(SmtpExtensions.None, esmtp: false);
        return reply;
    }

    private string HelloName(string? hostName)
    {
        string name = hostName ?? Options.LocalHostName ?? LocalHostName.Get(LocalEndPoint);
        CommandGuard.RequireSafe(name, nameof(hostName));
        return name;
    }

    /// <param name="io">The operation's time limit and cancellation.</param>
    /// <param name="required">
    /// Connecting with TLS asked for: a refusal is a TLS failure that ends the connection (no plaintext fallback);
    /// the caller's own STARTTLS verb leaves a refused connection as it was.
    /// </param>
    private async Task<SmtpResponse> StartTlsCoreAsync(IoScope io, bool required)
    {
        var reply = await Wire.CommandAsync(io, "STARTTLS", "starting TLS").ConfigureAwait(false);
        if (reply.Code != 220)
        {
            string refused = SmtpException.Describe("STARTTLS refused", reply);
            if (required) throw new SmtpTlsException(refused, reply);
            throw new SmtpResponseException(refused, reply);
        }
        await UpgradeAsync(io).ConfigureAwait(false);
        // Everything learnt in plaintext is forgotten: EHLO again, log in again.
        ForgetSessionState();
        return reply;
    }
}
