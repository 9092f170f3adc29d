namespace AsyncSmtp.Commands;

/// <summary>
/// Disconnect-Smtp: QUIT and close. Idempotent; a session the server already dropped closes without error.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "Smtp")]
[OutputType(typeof(void))]
public sealed class DisconnectSmtpCommand : AsyncPSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public SmtpSession Session { get; set; } = null!;

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var session = Session;
        return session.Turns.RunAsync(SessionTurns.Caller, async () =>
        {
            await session.CloseAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
