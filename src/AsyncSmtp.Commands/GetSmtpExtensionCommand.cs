namespace AsyncSmtp.Commands;

/// <summary>Get-SmtpExtension: the EHLO keywords of a session, or of a server in one shot.</summary>
[Cmdlet(VerbsCommon.Get, "SmtpExtension", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(SmtpExtension))]
public sealed class GetSmtpExtensionCommand : SmtpConnectionCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SessionSet)]
    [ValidateNotNull]
    public SmtpSession Session { get; set; } = null!;

    /// <summary>Keywords to return; wildcards allowed.</summary>
    [Parameter(Position = 1)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    private WildcardPattern[]? _patterns;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        _patterns = Name?.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToArray();
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        if (!IsOneShot)
        {
            // The only cmdlet that reads a session without an engine call, so without the engine's check.
            if (!Session.IsConnected)
            {
                var closed = new Client.SmtpNotConnectedException("The SMTP session is closed.");
                var record = SmtpErrorMapper.ToErrorRecord(closed, Session.Endpoint, SmtpErrorIds.SessionClosed);
                ThrowTerminatingError(record);
            }
            WriteMatching(Session.Extensions);
            return;
        }
        var options = BuildClientOptions(out string smtpServer);
        SmtpExtension[] extensions;
        var session = await OpenSessionAsync(options, smtpServer, cancellationToken).ConfigureAwait(false);
        using (session)
        {
            extensions = session.Extensions;
            await session.CloseAsync(cancellationToken).ConfigureAwait(false);
        }
        WriteMatching(extensions);
    }

    /// <summary>The extensions -Name asks for, written when the work ends, wherever it is.</summary>
    private void WriteMatching(SmtpExtension[] extensions) =>
        WriteWithoutWaiting(extensions.Where(e => _patterns is null || _patterns.Any(p => p.IsMatch(e.Name))));
}
