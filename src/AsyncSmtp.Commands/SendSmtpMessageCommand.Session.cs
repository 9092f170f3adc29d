using System.Diagnostics;
using System.Management.Automation;
using AsyncSmtp.Client;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage over one connection without the delivery parameters (a -Session, or the one-shot connection):
/// messages pipelined back to back, outcomes written in message order as their final replies come, and the
/// session's turn kept while a message's end of data is held between records.
/// </summary>
public sealed partial class SendSmtpMessageCommand
{
    /// <summary>
    /// Sends the messages over the session, or the one-shot connection (opened now if need be). An error of a
    /// message that could not be read is written in its place: after the outcomes of the messages before it.
    /// </summary>
    private async Task SendAllAsync(SmtpSession? session, List<object> items, CancellationToken ct)
    {
        SmtpSession? connection = session;
        var last = new List<object>(2);
        for (int i = 0; i < items.Count; i++)
        {
            var outputs = i == items.Count - 1 ? last : new List<object>(2);
            if (items[i] is ErrorRecord failed)
            {
                await _inFlight.FlushAsync(ct).ConfigureAwait(false);
                await ReportAnsweredAsync(outputs).ConfigureAwait(false);
                outputs.Add(failed);
            }
            else
            {
                connection ??= await GetOneShotSessionAsync(_oneShotOptions!, _oneShotServer, ct)
                    .ConfigureAwait(false);
                if (session is not null) await TakeTurnAsync(session, ct).ConfigureAwait(false);
                await SendAsync(connection, (OutgoingMessage)items[i], outputs, ct).ConfigureAwait(false);
            }
            if (outputs != last) await WriteAllAsync(outputs).ConfigureAwait(false);
        }
        if (session is not null) await YieldTurnAsync(session, last, ct).ConfigureAwait(false);
        // The last message's outputs are not waited for: one thread hop fewer per record, which matters
        // when thousands of messages are piped through one session.
        WriteWithoutWaiting(last);
    }

    private async Task TakeTurnAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        await session.Turns.TakeAsync(_caller, cancellationToken).ConfigureAwait(false);
        _turnsTaken.Add(session);
    }

    /// <summary>
    /// Between records the turn stays with this pipeline while a message's end of data is held. When another
    /// runspace waits for the session, the replies still owed are read now and the turn is given up.
    /// </summary>
    private async Task YieldTurnAsync(SmtpSession session, List<object> outputs, CancellationToken cancellationToken)
    {
        if (!_inFlight.IsEmpty && !session.Turns.IsWanted) return;
        await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
        await ReportAnsweredAsync(outputs).ConfigureAwait(false);
        session.Turns.Release(_caller);
    }

    private void ReleaseTurns()
    {
        foreach (var session in _turnsTaken) session.Turns.Release(_caller);
        _turnsTaken.Clear();
    }

    private async Task WriteAllAsync(List<object> outputs)
    {
        foreach (var output in outputs)
        {
            if (output is ErrorRecord error) await WriteErrorAsync(error).ConfigureAwait(false);
            else await WriteObjectAsync(output).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hands one message to the server. The outcomes of earlier messages whose final replies have come
    /// meanwhile go to <paramref name="outputs"/>, in order, followed by this message's error if it was
    /// refused at once; its own result comes with a later message or at the end of the pipeline.
    /// </summary>
    private async Task SendAsync(SmtpSession session, OutgoingMessage message, List<object> outputs,
        CancellationToken cancellationToken)
    {
        message = await _dsn.ApplyAsync(session, message, WriteWarningAsync).ConfigureAwait(false);
        var progress = new UploadProgress(this, message);
        var clock = Stopwatch.StartNew();
        try
        {
            var submission = await session.Client
                .SubmitAsync(message.Envelope, message.Content, progress, cancellationToken).ConfigureAwait(false);
            _inFlight.Add(session, message, submission, clock);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            // Earlier messages are reported first; the replies they still owe are read now (or their loss is).
            await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
            // Anything but a refusal has closed the connection: an attachment or .eml file that went away
            // while it was read for sending, as much as a lost connection.
            if (error is not SmtpCommandException)
                throw await ConnectionLostAsync(message, error, session, outputs).ConfigureAwait(false);
            MessageErrors.Add(outputs, message, error);
        }
        finally
        {
            progress.Complete();
        }
    }

    /// <summary>
    /// Adds the outcome of each answered message to <paramref name="outputs"/>: a result (after one error
    /// per refused recipient) when delivered, an error when refused. A message lost with its connection
    /// ends the cmdlet, as for a message sent without pipelining, once what came before it is written.
    /// </summary>
    private async Task ReportAnsweredAsync(List<object> outputs)
    {
        foreach (var entry in _inFlight.TakeAnswered())
        {
            var message = entry.Message;
            if (entry.Submission.Result.Exception?.InnerException is { } failure)
            {
                if (failure is SmtpCommandException)
                {
                    MessageErrors.Add(outputs, message, failure);
                    continue;
                }
                throw await ConnectionLostAsync(message, failure, entry.Session, outputs).ConfigureAwait(false);
            }
            _confirmed++;
            var result = entry.Submission.Result.Result;
            MessageErrors.AddRecipientRefusals(outputs, result.RefusedRecipients);
            outputs.Add(
                new SmtpSendResult(message.MessageId, message.Envelope.Sender, result.AcceptedRecipients.ToArray(),
                SmtpRejectedRecipient.ListOf(result.RefusedRecipients),
                    result.Response.Message,
                entry.Session.SmtpServer, entry.Session.Port, result.MessageSize, entry.Clock.Elapsed));
        }
    }

    /// <summary>
    /// The connection is gone: what came before is written; a message whose whole data was written gets its
    /// own SmtpDeliveryUncertain error (the server may have it); then the run ends with the connection's
    /// error, which says how many of its messages were confirmed.
    /// </summary>
    private async Task<Exception> ConnectionLostAsync(OutgoingMessage message, Exception error, SmtpSession session,
        List<object> outputs)
    {
        var lost = error;
        if (error is SmtpDeliveryUncertainException uncertain)
        {
            outputs.Add(SmtpErrorMapper.ToErrorRecord(uncertain, message.Target, SmtpErrorIds.DeliveryUncertain));
            lost = uncertain.InnerException ?? uncertain;
        }
        await WriteAllAsync(outputs).ConfigureAwait(false);
        outputs.Clear();
        var record = SmtpErrorMapper.ToErrorRecord(lost, session.Endpoint, SmtpErrorIds.ServerDisconnected);
        record.ErrorDetails = new ErrorDetails(
            $"{record.ErrorDetails?.Message ?? lost.Message} {_confirmed} message(s) of this run were confirmed by " +
                $"the server.");
        return Terminate(record);
    }
}
