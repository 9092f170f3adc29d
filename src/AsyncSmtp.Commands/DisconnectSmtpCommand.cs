using System.Management.Automation;

namespace AsyncSmtp.Commands;

/// <summary>Disconnect-Smtp: QUIT and close. Idempotent; a session the server already dropped closes without error.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "Smtp")]
[OutputType(typeof(void))]
public sealed class DisconnectSmtpCommand : AsyncPSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ValidateNotNull]
    public SmtpSession Session { get; set; } = null!;

    protected override void ProcessRecord()
    {
        var session = Session;
        object caller = SessionTurns.Caller;
        RunOnPump(ct => session.Turns.RunAsync(caller, async () =>
        {
            await session.CloseAsync(ct).ConfigureAwait(false);
            return true;
        }, ct));
    }
}
