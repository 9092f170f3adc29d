namespace AsyncSmtp.Commands;

/// <summary>
/// Invoke-SmtpCommand: sends one command line over a session and returns the reply; a 4xx/5xx
/// reply is data. Commands that would break the session's state machine are refused.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "SmtpCommand", DefaultParameterSetName = SessionSet)]
[OutputType(typeof(SmtpResponse))]
public sealed class InvokeSmtpCommandCommand : AsyncPSCmdlet
{
    private const string SessionSet = "Session";

    // `$session | Invoke-SmtpCommand 'VRFY postmaster'`: with the session coming from the pipeline the
    // first positional argument is the command, which needs a set where -Command is at position 0.
    private const string PipelineSet = "Pipeline";

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = SessionSet)]
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = PipelineSet)]
    [ValidateNotNull]
    public SmtpSession Session { get; set; } = null!;

    [Parameter(Mandatory = true, Position = 1, ParameterSetName = SessionSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PipelineSet)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SmtpCommandCompleter))]
    public string Command { get; set; } = null!;

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        string command = Command;
        if (RefusedCommands.ReplacementFor(command) is { } replacement)
        {
            var refusal = new InvalidOperationException(
                $"Invoke-SmtpCommand does not send '{RefusedCommands.VerbOf(command)}': " +
                    $"it would change the session's state behind its back. Use {replacement} instead.");
            WriteError(SmtpErrorMapper.ToErrorRecord(refusal, command, SmtpErrorIds.CommandNotAllowed));
            return;
        }
        var session = Session;
        object caller = SessionTurns.Caller;
        SmtpResponse reply;
        try
        {
            reply = await session.Turns.RunAsync(
                caller, () => session.Client.ExecuteAsync(command, cancellationToken), cancellationToken)
                .ConfigureAwait(false);
        }
        catch (Client.SmtpCommandException refused)
        {
            var record = SmtpErrorMapper.ToErrorRecord(refused, command, SmtpErrorIds.ProtocolError);
            await WriteErrorAsync(record).ConfigureAwait(false);
            return;
        }
        catch (Client.SmtpConnectionException gone)
        {
            throw Terminate(SmtpErrorMapper.ToErrorRecord(gone, session.Endpoint, SmtpErrorIds.ProtocolError));
        }
        await WriteObjectAsync(reply).ConfigureAwait(false);
    }
}
