using System.Collections.Concurrent;
using System.Management.Automation;
using AsyncSmtp.Client;
using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage's one-shot form with delivery parameters (-MaxRetry, -ThrottleLimit, -JournalPath...): the
/// messages go to the engine's <see cref="SmtpDelivery"/> (several connections, retries, pacing, a journal), and
/// their outcomes come back in input order, written as results and errors, with the error of a message that could
/// not be read in its place. When a connection cannot be made, the run stops: the messages handed to a server
/// get their outcomes, then <see cref="Terminating"/> ends the command. The cmdlet only binds parameters and
/// calls this; Write* calls happen on the pipeline thread (directly, or through
/// <see cref="AsyncPSCmdlet.InvokeOnPipelineThreadAsync{T}"/>).
/// </summary>
internal sealed class DeliveryRun : IDisposable
{
    private readonly AsyncPSCmdlet _cmdlet;
    private readonly SmtpDelivery _delivery;
    private readonly DeliveryJournal? _journal;
    private readonly string _smtpServer;
    private readonly int _port;
    private readonly string _endpoint;
    private readonly SmtpSession? _session;
    private readonly DeliveryProgress _progress = new();
    // In input order: a message waiting for its outcome (none if the run stopped before starting it), or the error
    // of one that could not be read.
    private readonly Queue<object> _slots = new();
    // Protocol log lines from the connections, written on the pipeline thread when outcomes are.
    private readonly ConcurrentQueue<string> _log = new();
    // -DeliveryNotificationOption to a server without DSN: sent without it, as the plain path does, with a warning.
    private readonly DsnFallback _dsn = new();
    private readonly ConcurrentQueue<string> _warnings = new();
    private int _added;
    private int _confirmed;
    /// <summary>
    /// At this many messages waiting for a connection the pipeline stops feeding the run until half are taken. It
    /// can hand messages over far faster than a remote server takes them: unbounded, a long pipe (a CSV of every
    /// user) would be held in memory whole. A message waiting for a retry does not count, so a greylisted message
    /// does not hold up the others.
    /// </summary>
    internal const int MaxWaiting = 256;

    /// <summary>The one-shot form: connections of its own, made from the connection parameters.</summary>
    public DeliveryRun(AsyncPSCmdlet cmdlet, DeliverySettings settings, SmtpClientOptions clientOptions,
        string smtpServer, int? total)
        : this(cmdlet, settings, smtpServer,
            clientOptions.UnixSocketPath is null ? clientOptions.EffectivePort : 0, total,
            () => new SmtpClient(clientOptions), static _ => { })
    {
        if (cmdlet.IsVerboseEnabled) clientOptions.ProtocolLogger = Log;
    }

    /// <summary>
    /// The -Session form: the session's one connection, left open at the end; a lost connection is connected again
    /// with the session's original parameters (<see cref="SmtpSession.Reconnects"/>). The caller holds the
    /// session's turn for the whole run, so its protocol log is this run's.
    /// </summary>
    public DeliveryRun(AsyncPSCmdlet cmdlet, DeliverySettings settings, SmtpSession session, int? total)
        : this(cmdlet, settings, session.SmtpServer, session.Port, total, session.ClientToReconnect, static options =>
        {
            options.LeaveConnectionsOpen = true;
            options.MaxConnections = 1;
        })
    {
        _session = session;
        session.LogSink = cmdlet.IsVerboseEnabled ? Log : SmtpSession.Discard;
    }

    private DeliveryRun(AsyncPSCmdlet cmdlet, DeliverySettings settings, string smtpServer, int port, int? total,
        Func<SmtpClient> newClient, Action<SmtpDeliveryOptions> adjust)
    {
        _cmdlet = cmdlet;
        _smtpServer = smtpServer;
        _port = port;
        _endpoint = port == 0 ? smtpServer : SmtpSession.FormatEndpoint(smtpServer, port);
        _progress.Total = total;
        _journal = settings.OpenJournal();
        var options = settings.ToOptions(_journal);
        options.ErrorIdOf = error => SmtpErrorMapper.ErrorIdOf(error, SmtpErrorIds.MessageRejected);
        options.AdaptEnvelope = WithoutUnofferedDsn;
        adjust(options);
        _delivery = new SmtpDelivery(newClient, options);
    }

    private void Log(SmtpLogEntry entry) => _log.Enqueue(entry.ToString());

    /// <summary>On a connection's thread: the envelope without DSN parameters the server does not offer.</summary>
    private SmtpEnvelope WithoutUnofferedDsn(SmtpClient client, SmtpEnvelope envelope)
    {
        var adapted = _dsn.Adapt(envelope, client.Extensions.Contains("DSN"), _endpoint, out var warning);
        if (warning is not null) _warnings.Enqueue(warning);
        return adapted;
    }

    /// <summary>
    /// The connection error that ends the command (no connection could be made), set by <see cref="FinishAsync"/>
    /// once every message handed to a server has had its outcome written.
    /// </summary>
    public ErrorRecord? Terminating { get; private set; }

    /// <summary>The run has stopped starting messages: it waits for the ones in flight, then terminates.</summary>
    public bool Stopped => _delivery.StoppedBy is not null;

    /// <summary>Hands a message to the delivery, then writes whatever outcomes are known (pipeline thread).</summary>
    public void Add(OutgoingMessage message)
    {
        // Not started, so no outcome: the terminating error stands for it, and a rerun sends it.
        if (Stopped) return;
        message = StableMessageId.Ensure(message);
        _slots.Enqueue(message);
        _added++;
        _delivery.Add(message.Envelope, message.Content, message.MessageId!, message);
        WriteReady();
    }

    /// <summary>The error of a message that could not be read: written after the outcomes of those before it.</summary>
    public void AddError(ErrorRecord error)
    {
        _slots.Enqueue(error);
        WriteReady();
    }

    /// <summary>Writes, in input order, every outcome known now, and the progress (pipeline thread).</summary>
    public void WriteReady()
    {
        WriteLog();
        while (_slots.Count > 0)
        {
            if (_slots.Peek() is ErrorRecord error)
            {
                _slots.Dequeue();
                _cmdlet.WriteError(error);
                continue;
            }
            if (!_delivery.TryTakeOutcome(out var outcome)) break;
            WriteInPlace(outcome);
        }
        _progress.Show(_cmdlet, _added, _delivery, final: false);
    }

    /// <summary>
    /// <see cref="MaxWaiting"/> messages wait for a connection: the caller stops adding and awaits
    /// <see cref="WaitForRoomAsync"/>.
    /// </summary>
    public bool IsFull => _delivery.WaitingCount >= MaxWaiting;

    /// <summary>Waits until half of <see cref="MaxWaiting"/> are left, then writes the outcomes known.</summary>
    public async Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        await _delivery.WhenWaitingAtMostAsync(MaxWaiting / 2, cancellationToken).ConfigureAwait(false);
        await _cmdlet.InvokeOnPipelineThreadAsync(WriteReadyAndCount).ConfigureAwait(false);
    }

    /// <summary>
    /// No more input (or the run stopped): waits for every outcome, writing each in order, then closes the
    /// connections. A stopped run then has its <see cref="Terminating"/> error.
    /// </summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        _delivery.Complete();
        while (await _cmdlet.InvokeOnPipelineThreadAsync(WriteReadyAndCount).ConfigureAwait(false) > 0)
        {
            if (!await _delivery.WaitForOutcomeAsync(cancellationToken).ConfigureAwait(false)) break;
        }
        await _delivery.CloseAsync(cancellationToken).ConfigureAwait(false);
        await _cmdlet.InvokeOnPipelineThreadAsync(() =>
        {
            // Left when the run stopped: messages never started, and errors of messages that could not be read.
            foreach (var error in _slots.OfType<ErrorRecord>()) _cmdlet.WriteError(error);
            _slots.Clear();
            WriteLog();
            _progress.Show(_cmdlet, _added, _delivery, final: true);
            return true;
        }).ConfigureAwait(false);
        if (_delivery.StoppedBy is { } error)
            Terminating = error is SmtpJournalException journal ? JournalError(journal) : ConnectionError(error);
    }

    /// <summary>Writes what is known; returns how many messages are still without an outcome.</summary>
    private int WriteReadyAndCount()
    {
        WriteReady();
        return _delivery.Unreported;
    }

    /// <summary>
    /// Writes an outcome in its message's place: after the errors of unreadable messages before it, passing over
    /// the messages before it that the run stopped before starting.
    /// </summary>
    private void WriteInPlace(DeliveryOutcome outcome)
    {
        for (var slot = _slots.Dequeue(); slot != outcome.State; slot = _slots.Dequeue())
            if (slot is ErrorRecord error) _cmdlet.WriteError(error);
        Write(outcome);
    }

    private void Write(DeliveryOutcome outcome)
    {
        var message = (OutgoingMessage)outcome.State!;
        var outputs = new List<object>(2);
        switch (outcome.Status)
        {
            case DeliveryStatus.Skipped:
                _cmdlet.WriteVerbose($"Skipped {message.Describe()}: the journal records it as sent or possibly sent.");
                outputs.Add(Result(outcome, message));
                break;
            case DeliveryStatus.Uncertain:
                var uncertain = outcome.Error as SmtpDeliveryUncertainException ??
                                new SmtpDeliveryUncertainException(outcome.Error!);
                outputs.Add(SmtpErrorMapper.ToErrorRecord(uncertain, message.Target, SmtpErrorIds.DeliveryUncertain));
                break;
            default:
                if (outcome.Error is { } error)
                    MessageErrors.Add(outputs, message, error, RetryPolicy.IsTransient(error, endOfDataWritten: false));
                if (outcome.Status == DeliveryStatus.Accepted)
                {
                    _confirmed++;
                    MessageErrors.AddRecipientRefusals(outputs, outcome.RejectedRecipients);
                    outputs.Add(Result(outcome, message));
                }
                break;
        }
        foreach (var output in outputs)
        {
            if (output is ErrorRecord record) _cmdlet.WriteError(record);
            else _cmdlet.WriteObject(output);
        }
    }

    private SmtpSendResult Result(DeliveryOutcome outcome, OutgoingMessage message) =>
        new(outcome.MessageId, message.Envelope.Sender, outcome.AcceptedRecipients.ToArray(),
            SmtpRejectedRecipient.ListOf(outcome.RejectedRecipients),
            outcome.Response?.Message ?? string.Empty, _smtpServer, _port, outcome.MessageSize, outcome.Elapsed,
            outcome.Status, outcome.Attempts);

    /// <summary>
    /// No connection could be made (refused, TLS, login...): the command ends, as one-shot sending does, with that
    /// error, which says how many messages were confirmed.
    /// </summary>
    private ErrorRecord ConnectionError(Exception error)
    {
        var record = SmtpErrorMapper.ToErrorRecord(error, _endpoint, SmtpErrorIds.ConnectFailed);
        record.ErrorDetails = new ErrorDetails(
            $"{record.ErrorDetails?.Message ?? error.Message} " +
            $"{_confirmed} message(s) of this run were confirmed by the server.");
        return record;
    }

    /// <summary>
    /// The journal could not be written: the command ends, as when it cannot be opened, with SmtpInvalidArgument on
    /// the path; the messages before this error have their outcomes, and a rerun cannot trust the journal for them.
    /// </summary>
    private ErrorRecord JournalError(SmtpJournalException error)
    {
        var record = SmtpErrorMapper.ToErrorRecord(error, error.Path, SmtpErrorIds.InvalidArgument);
        record.ErrorDetails = new ErrorDetails(
            $"{error.Message} {_confirmed} message(s) of this run were confirmed by the server.");
        return record;
    }

    private void WriteLog()
    {
        while (_log.TryDequeue(out var line)) _cmdlet.WriteVerbose(line);
        while (_warnings.TryDequeue(out var warning)) _cmdlet.WriteWarning(warning);
    }

    /// <summary>Drops the connections at once (Ctrl+C, a terminating error).</summary>
    public void Dispose()
    {
        _delivery.Dispose();
        _journal?.Dispose();
        if (_session is not null) _session.LogSink = null;
    }
}
