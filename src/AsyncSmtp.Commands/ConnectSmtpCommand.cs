namespace AsyncSmtp.Commands;

/// <summary>Connect-Smtp: opens a session (connect, greet, upgrade, log in) for the other cmdlets.</summary>
[Cmdlet(VerbsCommunications.Connect, "Smtp", DefaultParameterSetName = ConnectSet)]
[OutputType(typeof(SmtpSession))]
public sealed class ConnectSmtpCommand : SmtpConnectionCmdlet
{
    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        var options = BuildClientOptions(out string smtpServer);
        var session = await OpenSessionAsync(options, smtpServer, cancellationToken).ConfigureAwait(false);
        try
        {
            await WriteObjectAsync(session).ConfigureAwait(false);
        }
        catch
        {
            // Nobody received the session, so nobody could ever close it.
            session.Dispose();
            throw;
        }
    }
}
