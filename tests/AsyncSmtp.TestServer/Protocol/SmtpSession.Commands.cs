namespace AsyncSmtp.TestServer;

/// <summary>
/// The SMTP verbs. Each command either fires a script rule or gets the server's own answer; in both
/// cases the reply code decides the effect on the session, so a scripted "354" to DATA still reads the
/// message and a scripted "550" to RCPT leaves the recipient out.
/// </summary>
internal sealed partial class SmtpSession
{
    private bool _encrypted;
    private bool _greeted;
    private bool _esmtp;
    private string? _user;
    private MailTransaction? _transaction;

    /// <summary>Handles one command line; false when the connection is over.</summary>
    private async Task<bool> HandleCommandAsync(string text)
    {
        var space = text.IndexOf(' ');
        var verb = (space < 0 ? text : text[..space]).ToUpperInvariant();
        var arguments = space < 0 ? string.Empty : text[(space + 1)..];

        // A BDAT chunk follows its command line at once; read it before any reply, as a real server does.
        var bdat = verb == "BDAT" ? BdatCommand.Parse(arguments) : null;
        var chunk = bdat is null ? null : await ReadChunkAsync(bdat).ConfigureAwait(false);
        if (bdat is not null && chunk is null)
        {
            return false;
        }

        if (_context.Script.Fire(text, isMatchPoint: false) is { } plan)
        {
            if (plan.AnswersCommand)
            {
                return await RunScriptedAsync(verb, arguments, plan, chunk).ConfigureAwait(false);
            }

            if (!await RunPlanAsync(plan).ConfigureAwait(false))
            {
                return false;
            }
        }

        if (await CommandFaultAsync(verb).ConfigureAwait(false) is { } stillOpen)
        {
            return stillOpen;
        }

        return verb switch
        {
            "EHLO" => await EhloAsync(arguments).ConfigureAwait(false),
            "HELO" => await HeloAsync(arguments).ConfigureAwait(false),
            "MAIL" => await ReplyAsync(Mail(arguments)).ConfigureAwait(false),
            "RCPT" => await ReplyAsync(Rcpt(arguments)).ConfigureAwait(false),
            "DATA" => await DataAsync(arguments).ConfigureAwait(false),
            "BDAT" => await BdatAsync(chunk).ConfigureAwait(false),
            "STARTTLS" => await StartTlsAsync(arguments).ConfigureAwait(false),
            "AUTH" => await AuthAsync(arguments).ConfigureAwait(false),
            "RSET" => await ReplyAsync(Rset()).ConfigureAwait(false),
            "NOOP" => await ReplyAsync(Line(250, "2.0.0", "Ok")).ConfigureAwait(false),
            "VRFY" => await ReplyAsync(Line(252, "2.5.2", "Cannot VRFY user, but will accept message and attempt delivery")).ConfigureAwait(false),
            "EXPN" => await ReplyAsync(Line(550, "5.7.0", "Error: EXPN not allowed")).ConfigureAwait(false),
            "HELP" => await ReplyAsync(Line(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP VRFY EXPN HELP QUIT STARTTLS AUTH")).ConfigureAwait(false),
            "QUIT" => await QuitAsync().ConfigureAwait(false),
            _ => await ReplyAsync(Line(500, "5.5.2", "Error: command not recognized")).ConfigureAwait(false),
        };
    }

    /// <summary>
    /// A rule answered the command: apply what its reply code means, before the reply goes out when that
    /// is possible (so a test that has the reply also sees the record) and after it when the reply must
    /// come first (354 then data, 220 then TLS, 221 then close).
    /// </summary>
    private async Task<bool> RunScriptedAsync(string verb, string arguments, ScriptPlan plan, BdatChunk? chunk)
    {
        var code = plan.ReplyCode;
        var success = plan.IsSuccess;
        switch (verb)
        {
            case "EHLO" or "HELO" when success:
                Greet(esmtp: verb == "EHLO", arguments);
                break;
            case "MAIL" when success:
                var sender = EnvelopeArgument.Parse(arguments, "FROM:");
                _transaction = new MailTransaction(sender?.Address ?? string.Empty, sender?.Parameters ?? Array.Empty<string>());
                break;
            case "RCPT" when success && EnvelopeArgument.Parse(arguments, "TO:") is { } recipient:
                (_transaction ??= MailTransaction.Empty).AddRecipient(recipient.Address, recipient.Parameters);
                break;
            case "BDAT" when success && chunk is not null:
                var transaction = _transaction ??= MailTransaction.Empty;
                AppendChunk(transaction, chunk);
                if (chunk.Command.Last)
                {
                    FinishBdat(transaction);
                }

                break;
            case "AUTH" when success:
                SetUser("(scripted)");
                break;
            case "RSET" when success:
                _transaction = null;
                break;
            case "STARTTLS" when code == 220 && !_encrypted:
                DiscardPipelinedBytes();
                break;
        }

        if (!await RunPlanAsync(plan).ConfigureAwait(false))
        {
            return false;
        }

        return verb switch
        {
            "DATA" when code == 354 => await ReceiveDataAsync().ConfigureAwait(false),
            "STARTTLS" when code == 220 && !_encrypted => await UpgradeToTlsAsync().ConfigureAwait(false),
            "QUIT" => false,
            _ => true,
        };
    }

    private async Task<bool> EhloAsync(string name)
    {
        if (!_options.EhloSupported)
        {
            return await ReplyAsync(Line(502, "5.5.2", "Error: command not recognized")).ConfigureAwait(false);
        }

        if (name.Length == 0)
        {
            return await ReplyAsync(Line(501, "5.5.4", "Syntax: EHLO hostname")).ConfigureAwait(false);
        }

        Greet(esmtp: true, name);
        var lines = new[] { $"{_options.ServerName} Hello {name}" }.Concat(Advertised()).ToArray();
        return await ReplyAsync(ReplyText.Format(250, lines).ToArray()).ConfigureAwait(false);
    }

    private async Task<bool> HeloAsync(string name)
    {
        if (name.Length == 0)
        {
            return await ReplyAsync(Line(501, "5.5.4", "Syntax: HELO hostname")).ConfigureAwait(false);
        }

        Greet(esmtp: false, name);
        return await ReplyAsync($"250 {_options.ServerName}").ConfigureAwait(false);
    }

    private void Greet(bool esmtp, string name)
    {
        _greeted = true;
        _esmtp = esmtp;
        _transaction = null;
        _record.SetClientName(name);
    }

    private string Mail(string arguments)
    {
        if (!_greeted)
        {
            return Line(503, "5.5.1", "Error: send HELO/EHLO first");
        }

        if (_transaction is not null)
        {
            return Line(503, "5.5.1", "Error: nested MAIL command");
        }

        if (EnvelopeArgument.Parse(arguments, "FROM:") is not { } sender)
        {
            return Line(501, "5.5.4", "Syntax: MAIL FROM:<address>");
        }

        var transaction = new MailTransaction(sender.Address, sender.Parameters);
        if (RefuseParameters(sender, transaction.RequestedSmtpUtf8) is { } refusal)
        {
            return refusal;
        }

        if (sender.DeclaredSize > SizeLimit)
        {
            return Line(552, "5.3.4", "Error: message size exceeds fixed limit");
        }

        _transaction = transaction;
        return Line(250, "2.1.0", "Ok");
    }

    private string Rcpt(string arguments)
    {
        if (_transaction is null)
        {
            return Line(503, "5.5.1", "Error: need MAIL command");
        }

        if (EnvelopeArgument.Parse(arguments, "TO:") is not { Address.Length: > 0 } recipient)
        {
            return Line(501, "5.5.4", "Syntax: RCPT TO:<address>");
        }

        if (RefuseParameters(recipient, _transaction.RequestedSmtpUtf8) is { } refusal)
        {
            return refusal;
        }

        _transaction.AddRecipient(recipient.Address, recipient.Parameters);
        return Line(250, "2.1.5", "Ok");
    }

    /// <summary>The refusal for a parameter whose extension is not on offer or a non-ASCII address without SMTPUTF8.</summary>
    private string? RefuseParameters(EnvelopeArgument argument, bool smtpUtf8)
    {
        if (argument.Parameters.FirstOrDefault(p => !Offers(EnvelopeArgument.RequiredExtension(p))) is { } unsupported)
        {
            return Line(555, "5.5.4", $"Error: unsupported parameter {unsupported}");
        }

        return argument.IsAscii || smtpUtf8 ? null : Line(553, "5.6.7", "Error: non-ASCII address needs SMTPUTF8");
    }

    private async Task<bool> DataAsync(string arguments)
    {
        var refusal = arguments.Length > 0 ? Line(501, "5.5.4", "Syntax: DATA")
            : _transaction is null ? Line(503, "5.5.1", "Error: need MAIL command")
            : _transaction.Recipients.Count == 0 ? Line(503, "5.5.1", "Error: need RCPT command")
            : _transaction.HasChunks ? Line(503, "5.5.1", "Error: DATA after BDAT")
            : null;
        if (refusal is not null)
        {
            return await ReplyAsync(refusal).ConfigureAwait(false);
        }

        await SendAsync("354 End data with <CR><LF>.<CR><LF>").ConfigureAwait(false);
        return await MidBodyFaultAsync().ConfigureAwait(false) ?? await ReceiveDataAsync().ConfigureAwait(false);
    }

    private async Task<bool> ReceiveDataAsync()
    {
        if (await _reader.ReadDataAsync(_options.MaxMessageBytes, Stopping).ConfigureAwait(false) is not { } section)
        {
            return false;
        }

        var transaction = _transaction ?? MailTransaction.Empty;
        var data = section.TooBig ? Array.Empty<byte>() : DotStuffing.Remove(section.Raw);
        return await EndOfMessageAsync(transaction, data, section.Raw, viaBdat: false, section.TooBig).ConfigureAwait(false);
    }

    /// <summary>Reads the chunk announced by BDAT; a chunk over the size limit is read and dropped. Null when the peer closed.</summary>
    private async Task<BdatChunk?> ReadChunkAsync(BdatCommand bdat)
    {
        var keep = bdat.Size <= _options.MaxMessageBytes;
        var bytes = keep ? new MemoryStream((int)bdat.Size) : null;
        if (!await _reader.ReadChunkAsync(bdat.Size, bytes, Stopping).ConfigureAwait(false))
        {
            return null;
        }

        return new BdatChunk(bdat, bytes?.ToArray());
    }

    private async Task<bool> BdatAsync(BdatChunk? chunk)
    {
        var refusal = chunk is null ? Line(501, "5.5.4", "Syntax: BDAT size [LAST]")
            : !Offers("CHUNKING") ? Line(502, "5.5.1", "Error: command not implemented")
            : _transaction is null ? Line(503, "5.5.1", "Error: need MAIL command")
            : _transaction.Recipients.Count == 0 ? Line(503, "5.5.1", "Error: need RCPT command")
            : null;
        if (refusal is not null)
        {
            return await ReplyAsync(refusal).ConfigureAwait(false);
        }

        var transaction = _transaction!;
        AppendChunk(transaction, chunk!);
        if (!chunk!.Command.Last)
        {
            return await ReplyAsync(Line(250, "2.0.0", $"{chunk.Command.Size} bytes received")).ConfigureAwait(false);
        }

        var data = transaction.ChunksTooBig ? Array.Empty<byte>() : transaction.Chunks.ToArray();
        return await EndOfMessageAsync(transaction, data, data, viaBdat: true, transaction.ChunksTooBig).ConfigureAwait(false);
    }

    private void AppendChunk(MailTransaction transaction, BdatChunk chunk)
    {
        transaction.HasChunks = true;
        if (transaction.ChunksTooBig || chunk.Bytes is null || transaction.Chunks.Length + chunk.Bytes.Length > _options.MaxMessageBytes)
        {
            transaction.ChunksTooBig = true;
            transaction.Chunks.SetLength(0);
            return;
        }

        transaction.Chunks.Write(chunk.Bytes);
    }

    private void FinishBdat(MailTransaction transaction)
    {
        if (!transaction.ChunksTooBig)
        {
            var data = transaction.Chunks.ToArray();
            Accept(transaction, data, data, viaBdat: true);
        }

        _transaction = null;
    }

    /// <summary>The reply after the final "." or BDAT LAST: the &lt;EOM&gt; rule, else 250 with a queue id.</summary>
    private async Task<bool> EndOfMessageAsync(MailTransaction transaction, byte[] data, byte[] raw, bool viaBdat, bool tooBig)
    {
        _transaction = null;
        if (_context.Script.Fire(SmtpScript.EndOfMessage, isMatchPoint: true) is { } plan)
        {
            if (plan.AnswersCommand)
            {
                if (plan.IsSuccess && !tooBig)
                {
                    Accept(transaction, data, raw, viaBdat);
                }

                return await RunPlanAsync(plan).ConfigureAwait(false);
            }

            if (!await RunPlanAsync(plan).ConfigureAwait(false))
            {
                return false;
            }
        }

        if (!tooBig && await EndOfMessageFaultAsync(transaction, data, raw, viaBdat).ConfigureAwait(false) is { } open)
        {
            return open;
        }

        if (tooBig)
        {
            return await ReplyAsync(Line(552, "5.3.4", "Error: message size exceeds fixed limit")).ConfigureAwait(false);
        }

        var message = Accept(transaction, data, raw, viaBdat);
        return await ReplyAsync(Line(250, "2.0.0", $"Ok: queued as {message.QueueId}")).ConfigureAwait(false);
    }

    private ReceivedMessage Accept(MailTransaction transaction, byte[] data, byte[] raw, bool viaBdat)
    {
        var message = new ReceivedMessage(
            _context.NextQueueId(), _record.Id, transaction, data, raw, viaBdat, _encrypted, _user, _record.ClientName);
        _record.CountMessage();
        _context.Ledger.CountAccepted(data, transaction.Recipients);
        _context.Recorder.AddMessage(message);
        return message;
    }

    private async Task<bool> StartTlsAsync(string arguments)
    {
        var refusal = arguments.Length > 0 ? Line(501, "5.5.4", "Syntax: STARTTLS")
            : _encrypted ? Line(554, "5.5.1", "Error: TLS already active")
            : !_options.OfferStartTls ? Line(502, "5.5.1", "Error: command not implemented")
            : null;
        if (refusal is not null)
        {
            return await ReplyAsync(refusal).ConfigureAwait(false);
        }

        DiscardPipelinedBytes();
        await SendAsync(Line(220, "2.0.0", "Ready to start TLS")).ConfigureAwait(false);
        return await UpgradeToTlsAsync().ConfigureAwait(false);
    }

    private async Task<bool> AuthAsync(string arguments)
    {
        var parts = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var mechanism = parts.Length > 0 ? parts[0].ToUpperInvariant() : string.Empty;
        var offered = AuthMechanisms();
        var refusal = offered is null ? Line(503, "5.5.1", "Error: authentication not enabled")
            : !_esmtp ? Line(503, "5.5.1", "Error: send EHLO first")
            : _options.RequireTlsForAuth && !_encrypted ? Line(538, "5.7.11", "Encryption required for requested authentication mechanism")
            : _user is not null ? Line(503, "5.5.1", "Error: already authenticated")
            : _transaction is not null ? Line(503, "5.5.1", "Error: MAIL transaction in progress")
            : parts.Length is < 1 or > 2 ? Line(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]")
            : !offered.Contains(mechanism) || !SaslAuthenticator.Mechanisms.Contains(mechanism)
                ? Line(504, "5.5.4", "Error: unsupported authentication mechanism")
            : null;
        if (refusal is not null)
        {
            return await ReplyAsync(refusal).ConfigureAwait(false);
        }

        var authenticator = new SaslAuthenticator(
            _options.Users.AsReadOnly(), _options.ServerName, this, _options.ForgeScramSignature);
        if (await authenticator.RunAsync(mechanism, parts.Length == 2 ? parts[1] : null).ConfigureAwait(false) is not { } outcome)
        {
            return false;
        }

        if (outcome.User is not null)
        {
            SetUser(outcome.User);
        }

        return await ReplyAsync(Line(outcome.Code, outcome.Enhanced, outcome.Text)).ConfigureAwait(false);
    }

    private string Rset()
    {
        _transaction = null;
        return Line(250, "2.0.0", "Ok");
    }

    private async Task<bool> QuitAsync()
    {
        await SendAsync(Line(221, "2.0.0", "Bye")).ConfigureAwait(false);
        return false;
    }

    private async Task<bool> ReplyAsync(params string[] lines)
    {
        await SendAsync(lines).ConfigureAwait(false);
        return true;
    }

    private void SetUser(string? user)
    {
        _user = user;
        _record.SetAuthenticatedUser(user);
    }

    /// <summary>RFC 3207: after the handshake everything learnt before TLS is forgotten; the client must EHLO again.</summary>
    private void ForgetStateForTls()
    {
        _encrypted = true;
        _greeted = false;
        _esmtp = false;
        _transaction = null;
        SetUser(null);
    }

    /// <summary>The EHLO keyword lines for the session as it stands: AUTH hidden before TLS when TLS is required for it, STARTTLS only before TLS.</summary>
    private IEnumerable<string> Advertised()
    {
        var hideAuth = _options.RequireTlsForAuth && !_encrypted;
        foreach (var line in _options.Extensions)
        {
            if (!(hideAuth && IsKeyword(line, "AUTH")))
            {
                yield return line;
            }
        }

        if (_options.OfferStartTls && !_encrypted)
        {
            yield return "STARTTLS";
        }
    }

    /// <summary>Whether the client may use an extension: it said EHLO and the keyword is advertised now.</summary>
    private bool Offers(string keyword) => _esmtp && Advertised().Any(line => IsKeyword(line, keyword));

    private string[]? AuthMechanisms() =>
        _options.Extensions.FirstOrDefault(line => IsKeyword(line, "AUTH")) is { } line
            ? line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(m => m.ToUpperInvariant()).ToArray()
            : null;

    /// <summary>The SIZE limit when SIZE is offered with a non-zero value.</summary>
    private long SizeLimit =>
        Advertised().FirstOrDefault(line => IsKeyword(line, "SIZE")) is { } line
        && long.TryParse(line.AsSpan(4).Trim(), out var limit) && limit > 0
            ? limit
            : long.MaxValue;

    private static bool IsKeyword(string line, string keyword) =>
        line.Length >= keyword.Length
        && line.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
        && (line.Length == keyword.Length || line[keyword.Length] == ' ');

    /// <summary>A reply line with its enhanced status code when ENHANCEDSTATUSCODES applies (RFC 2034: after EHLO, not for 3xx).</summary>
    private string Line(int code, string enhanced, string text) =>
        code / 100 != 3 && Offers("ENHANCEDSTATUSCODES") ? $"{code} {enhanced} {text}" : $"{code} {text}";
}
