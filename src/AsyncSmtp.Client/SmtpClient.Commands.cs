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

    /// <summary>Upgrades the connection. Not offered: <see cref="SmtpStartTlsNotSupportedException"/>; refused: <see cref="SmtpResponseException"/> and the connection stays as it was.</summary>
    public Task<SmtpResponse> StartTlsAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            if (IsEncrypted) throw new SmtpArgumentException("The connection is already encrypted.");
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            if (!_extensions.Contains("STARTTLS")) throw new SmtpStartTlsNotSupportedException();
            return await StartTlsCoreAsync(io).ConfigureAwait(false);
        }, cancellationToken);

    public Task<SmtpResponse> RsetAsync(CancellationToken cancellationToken = default) =>
        SimpleAsync("RSET", "resetting the transaction", cancellationToken, 250);

    public Task<SmtpResponse> NoopAsync(CancellationToken cancellationToken = default) =>
        SimpleAsync("NOOP", "sending NOOP", cancellationToken, 250);

    public Task<SmtpResponse> VrfyAsync(string address, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(address, nameof(address));
        return SimpleAsync("VRFY " + address, "verifying an address", cancellationToken, 250, 251, 252);
    }

    public Task<SmtpResponse> ExpnAsync(string list, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(list, nameof(list));
        return SimpleAsync("EXPN " + list, "expanding a list", cancellationToken, 250);
    }

    public Task<SmtpResponse> HelpAsync(string? topic = null, CancellationToken cancellationToken = default)
    {
        if (topic is not null) CommandGuard.RequireSafe(topic, nameof(topic));
        return SimpleAsync(topic is null ? "HELP" : "HELP " + topic, "asking for help", cancellationToken, 211, 214, 250);
    }

    /// <summary>Sends QUIT and closes. A drop right after QUIT counts as a clean 221.</summary>
    public Task<SmtpResponse> QuitAsync(CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            try
            {
                var reply = await Wire.CommandAsync(io, "QUIT", "quitting").ConfigureAwait(false);
                if (reply.Code != 221) throw new SmtpResponseException(SmtpException.Describe("QUIT refused", reply), reply);
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
    /// The line must not contain control characters; a 421 reply closes the connection.
    /// </summary>
    public Task<SmtpResponse> ExecuteAsync(string commandLine, CancellationToken cancellationToken = default)
    {
        CommandGuard.RequireSafe(commandLine, nameof(commandLine));
        if (commandLine.Trim().Length == 0) throw new SmtpArgumentException("The command is empty.", nameof(commandLine));
        return RunAsync(async io =>
        {
            await Wire.WriteCommandAsync(io, commandLine, "running a command").ConfigureAwait(false);
            return await Wire.ReadAnyReplyAsync(io, "running a command").ConfigureAwait(false);
        }, cancellationToken);
    }

    private Task<SmtpResponse> SimpleAsync(string line, string activity, CancellationToken cancellationToken, params int[] accepted) =>
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
        if (reply.Code == 250)
        {
            _extensions = SmtpExtensions.Parse(reply);
            _greeted = true;
            _esmtp = true;
        }
        return reply;
    }

    private async Task<SmtpResponse> HeloCoreAsync(IoScope io, string? hostName)
    {
        string name = HelloName(hostName);
        var reply = await Wire.CommandAsync(io, "HELO " + name, "sending HELO").ConfigureAwait(false);
        if (reply.Code != 250) throw new SmtpHeloException(reply);
        _extensions = SmtpExtensions.None;
        _greeted = true;
        _esmtp = false;
        return reply;
    }

    private string HelloName(string? hostName)
    {
        string name = hostName ?? Options.LocalHostName ?? LocalHostName.Get(LocalEndPoint);
        CommandGuard.RequireSafe(name, nameof(hostName));
        return name;
    }

    private async Task<SmtpResponse> StartTlsCoreAsync(IoScope io)
    {
        var reply = await Wire.CommandAsync(io, "STARTTLS", "starting TLS").ConfigureAwait(false);
        if (reply.Code != 220) throw new SmtpResponseException(SmtpException.Describe("STARTTLS refused", reply), reply);
        await UpgradeAsync(io).ConfigureAwait(false);
        // Everything learnt in plaintext is forgotten: EHLO again, log in again.
        ForgetSessionState();
        return reply;
    }
}
