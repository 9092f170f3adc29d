namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// Delivery policy over <see cref="SmtpClient"/>: messages spread over up to
/// <see cref="SmtpDeliveryOptions.MaxConnections"/> connections (each pipelining its messages), transient
/// failures retried (<see cref="RetryPolicy"/>), submissions paced, outcomes journaled, and exactly one
/// <see cref="DeliveryOutcome"/> per message, handed out in the order the messages were added. A lost
/// connection is replaced; a throttling reply closes a connection instead of failing the message. A connection
/// that cannot be made at all stops the delivery (<see cref="StoppedBy"/>): no message is started any more, the
/// ones already handed to a server still get their outcomes, and the ones never started get none.
/// </summary>
public sealed class SmtpDelivery : IDisposable
{
    private readonly object _gate = new();
    private readonly Func<SmtpClient> _newClient;
    private readonly SmtpDeliveryOptions _options;
    private readonly RetryPolicy _retry;
    private readonly SubmissionPacer? _pacer;
    private readonly WorkQueue _queue = new();
    private readonly OutcomeSequence _outcomes = new();
    private readonly CancellationTokenSource _stop = new();
    // Cancelled when the delivery stops starting messages (a connection that cannot be made) or is disposed.
    private readonly CancellationTokenSource _halting;
    private readonly List<Task> _workers = new();
    private readonly HashSet<SmtpClient> _clients = new();
    private int _added;
    private int _running;
    private int _connectionLimit;
    private int _accepted;
    private int _failed;
    private int _retrying;
    private Exception? _stoppedBy;

    /// <param name="newClient">Makes an unconnected client; the delivery connects it (and replaces it if lost).</param>
    /// <param name="options">Retries, connections, pacing and journal; not to be changed afterwards.</param>
    public SmtpDelivery(Func<SmtpClient> newClient, SmtpDeliveryOptions options)
    {
        _newClient = newClient ?? throw new ArgumentNullException(nameof(newClient));
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.MaxConnections < 1)
            throw new ArgumentOutOfRangeException(nameof(options), "MaxConnections must be at least 1.");
        _retry = new RetryPolicy(options.MaxRetry, options.RetryDelay, options.RandomSeed);
        _pacer = options.MaxMessagesPerMinute is int rate ? new SubmissionPacer(rate, options.Clock) : null;
        _connectionLimit = options.MaxConnections;
        _halting = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
    }

    /// <summary>
    /// The failure of a connection that could not be made (refused, TLS, login...), or of a journal line that could
    /// not be written (<see cref="SmtpJournalException"/>), which stopped this delivery from starting messages;
    /// null while it runs. Messages handed to a server before it still get their
    /// outcomes; messages never started (or added afterwards) get none and are not journaled, so that a rerun
    /// sends them.
    /// </summary>
    public Exception? StoppedBy
    {
        get { lock (_gate) return _stoppedBy; }
    }

    /// <summary>
    /// How many connections may be open now: the maximum, lowered by each throttling reply (at least 1).
    /// </summary>
    public int ConnectionLimit
    {
        get { lock (_gate) return _connectionLimit; }
    }

    /// <summary>Messages accepted so far.</summary>
    public int AcceptedCount => Volatile.Read(ref _accepted);

    /// <summary>Messages failed or uncertain so far.</summary>
    public int FailedCount => Volatile.Read(ref _failed);

    /// <summary>Messages waiting for their next attempt now.</summary>
    public int RetryingCount => Volatile.Read(ref _retrying);

    /// <summary>Added messages waiting for a connection now (not those waiting for a retry).</summary>
    public int WaitingCount => _queue.WaitingCount;

    /// <summary>
    /// Completes when no more than <paramref name="count"/> added messages wait for a connection (at once if so now,
    /// or once the delivery has stopped): a caller that adds faster than the connections send waits on it, so
    /// that the messages it holds in memory stay few. One caller at a time.
    /// </summary>
    public Task WhenWaitingAtMostAsync(int count, CancellationToken cancellationToken) =>
        Cancellable.WaitAsync(_queue.WhenWaitingAtMost(count), cancellationToken);

    /// <summary>Messages added whose outcome has not been taken yet.</summary>
    public int Unreported
    {
        get { lock (_gate) return _added - _outcomes.Taken; }
    }

    /// <summary>
    /// Adds a message. Its content must be writable more than once when retries are allowed. A message the
    /// journal records as accepted or uncertain is not sent: its outcome is <see cref="DeliveryStatus.Skipped"/>.
    /// A message the journal records as partly delivered goes only to the recipients that do not have it.
    /// </summary>
    public void Add(SmtpEnvelope envelope, SmtpContent content, string messageId, object? state = null)
    {
        if (envelope is null) throw new ArgumentNullException(nameof(envelope));
        if (content is null) throw new ArgumentNullException(nameof(content));
        if (string.IsNullOrEmpty(messageId))
            throw new ArgumentException("A message needs a Message-Id.", nameof(messageId));
        int index;
        lock (_gate) index = _added++;
        var earlier = _options.Journal?.Find(messageId);
        if (earlier?.Status is DeliveryStatus.Accepted or DeliveryStatus.Uncertain)
        {
            _outcomes.Add(new DeliveryOutcome(index, messageId, state, DeliveryStatus.Skipped)
            {
                AcceptedRecipients = earlier.Recipients,
            });
            return;
        }
        var accepted = earlier?.Status == DeliveryStatus.Deferred ? earlier.Recipients : Array.Empty<string>();
        var work = new DeliveryWork(index, envelope, content, messageId, state, accepted);
        if (_queue.AddNew(work)) StartWorkers();
        else GiveUp(work);
    }

    /// <summary>
    /// No more messages will be added: connections send what they hold, and close once all is settled.
    /// </summary>
    public void Complete() => _queue.CompleteInput();

    /// <summary>The next outcome in order if it is known, without waiting.</summary>
    public bool TryTakeOutcome(out DeliveryOutcome outcome) => _outcomes.TryTakeNext(out outcome);

    /// <summary>Waits for the next outcome in order; null when every added message's outcome has been taken.</summary>
    public async Task<DeliveryOutcome?> TakeOutcomeAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_outcomes.TryTakeNext(out var outcome)) return outcome;
            if (!await WaitForOutcomeAsync(cancellationToken).ConfigureAwait(false)) return null;
        }
    }

    /// <summary>
    /// Waits until the next outcome in order may be known (<see cref="TryTakeOutcome"/> then usually gives it):
    /// true; false at once when every added message's outcome has been taken. Meanwhile no connection holds a
    /// message's end of data back for a next message.
    /// </summary>
    public async Task<bool> WaitForOutcomeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            if (_outcomes.Taken == _added) return false;
        var ready = _outcomes.NextMayBeReadyAsync();
        if (ready.IsCompleted) return true;
        _queue.SetOutcomeAwaited(true);
        try
        {
            await Cancellable.WaitAsync(ready, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _queue.SetOutcomeAwaited(false);
        }
        return true;
    }

    /// <summary>Completes the input and waits until every connection has sent what it had and said QUIT.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken)
    {
        Complete();
        Task[] workers;
        lock (_gate) workers = _workers.ToArray();
        await Cancellable.WaitAsync(Task.WhenAll(workers), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops at once: connections are dropped without QUIT (their tasks end on their own). A message whose
    /// end of data was held back is never delivered; one whose end of data was written stays uncertain in
    /// the journal.
    /// </summary>
    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        SmtpClient[] clients;
        lock (_gate) clients = _clients.ToArray();
        foreach (var client in clients) client.Disconnect();
    }

    private void StartWorkers()
    {
        lock (_gate)
        {
            int wanted = Math.Min(_connectionLimit, _added - _outcomes.Taken);
            while (_running < wanted)
            {
                _running++;
                _workers.Add(Task.Run(RunConnectionAsync));
            }
        }
    }

    /// <summary>One connection: takes messages until the delivery is over or the limit drops below it.</summary>
    private async Task RunConnectionAsync()
    {
        SmtpClient? client = null;
        bool retired = false;
        // The last message's final reply is still unread: its end of data may be held back for the next message.
        bool holding = false;
        try
        {
            while (!(retired = TryRetire()))
            {
                if (!_queue.TryTake(out var work))
                {
                    // Nothing to send now. While more input may come, a held end of data waits to leave with the
                    // next message (or until an outcome is waited for); after the last input it goes at once.
                    if (holding && _queue.InputComplete)
                    {
                        if (client!.IsConnected) await FlushAsync(client).ConfigureAwait(false);
                        holding = false;
                    }
                    work = (await _queue.TakeAsync(holding, _stop.Token).ConfigureAwait(false))!;
                    if (work is null) break;
                    if (work == DeliveryWork.Wake)
                    {
                        if (holding && client!.IsConnected) await FlushAsync(client).ConfigureAwait(false);
                        holding = false;
                        continue;
                    }
                }
                client = await AttemptAsync(client, work).ConfigureAwait(false);
                holding = client is { IsConnected: true };
            }
            if (client is { IsConnected: true })
            {
                if (_options.LeaveConnectionsOpen) await FlushAsync(client).ConfigureAwait(false);
                else await QuitAsync(client).ConfigureAwait(false);
            }
        }
        finally
        {
            if (client is not null) Forget(client);
            lock (_gate)
                if (!retired) _running--;
        }
    }

    /// <summary>True (and this connection counted out) when more connections run than the limit now allows.</summary>
    private bool TryRetire()
    {
        lock (_gate)
        {
            if (_running <= _connectionLimit) return false;
            _running--;
            return true;
        }
    }

    /// <summary>One attempt of one message; returns the connection to use next (a new one if this was lost).</summary>
    private async Task<SmtpClient?> AttemptAsync(SmtpClient? client, DeliveryWork work)
    {
        if (_pacer is not null) await _pacer.WaitTurnAsync(_stop.Token).ConfigureAwait(false);
        if (_halting.IsCancellationRequested)
        {
            // Taken just before the delivery stopped: it is not started now.
            GiveUp(work);
            return client;
        }
        work.Attempts++;
        if (client is not { IsConnected: true })
        {
            if (client is not null) Forget(client);
            client = _newClient();
            lock (_gate) _clients.Add(client);
            try
            {
                // A caller's client may come connected (LeaveConnectionsOpen): it is used as it is.
                if (!client.IsConnected) await client.ConnectAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception error) when (!_stop.IsCancellationRequested)
            {
                Fail(work, error, endOfDataWritten: false, whileConnecting: true);
                return client;
            }
        }

        SmtpSubmission submission;
        var envelope = _options.AdaptEnvelope?.Invoke(client, work.Pending) ?? work.Pending;
        work.HandedToServer = true;
        try
        {
            // Without a journal nothing runs before the end of data (no callback made per message).
            var beforeEndOfData = _options.Journal is null ? null : (Action)(() => JournalEndOfData(work));
            submission = await client.SubmitAsync(envelope, work.Content, null, beforeEndOfData, _stop.Token)
                .ConfigureAwait(false);
        }
        catch (Exception error) when (!_stop.IsCancellationRequested)
        {
            // Also a file that could not be read for the content: that message fails, the others go on.
            Fail(work, error, error is SmtpDeliveryUncertainException, whileConnecting: false);
            return client;
        }
        submission.WhenSettled(done =>
        {
            if (done.Status == TaskStatus.RanToCompletion) Succeed(work, done.Result);
            else if (!_stop.IsCancellationRequested)
                Fail(work, done.Exception!.InnerException!, submission.EndOfDataWritten, whileConnecting: false);
        });
        return client;
    }

    /// <summary>Before the end of data goes out, the journal says the server may have the message.</summary>
    private void JournalEndOfData(DeliveryWork work) =>
        Journal(new JournalEntry(work.MessageId, DeliveryStatus.Uncertain,
            work.Accepted.Concat(work.Pending.Recipients.Select(r => r.Address)).ToList())
        {
            Attempts = work.Attempts,
        });

    private void Succeed(DeliveryWork work, SmtpTransactionResult result)
    {
        work.Accepted.AddRange(result.AcceptedRecipients);
        work.Response = result.Response;
        work.MessageSize = result.MessageSize;
        if (result.RefusedRecipients.Count == 0)
        {
            Finish(work, DeliveryStatus.Accepted, null);
            return;
        }
        var deferred = result.RefusedRecipients.Where(r => r.Response.IsTransient).ToList();
        work.Refused.AddRange(result.RefusedRecipients.Where(r => !r.Response.IsTransient));
        if (deferred.Count > 0 && CanRetry(work))
        {
            work.RetryOnly(deferred);
            Retry(work, null);
            return;
        }
        work.Refused.AddRange(deferred);
        Finish(work, DeliveryStatus.Accepted, null);
    }

    private void Fail(DeliveryWork work, Exception error, bool endOfDataWritten, bool whileConnecting)
    {
        bool uncertain = endOfDataWritten && !RetryPolicy.IsTransient(error, endOfDataWritten: true) &&
                         error is not SmtpResponseException;
        if (uncertain)
        {
            Finish(work, DeliveryStatus.Uncertain, error);
            return;
        }
        if (error is SmtpRecipientsRefusedException all)
        {
            var deferred = all.Refusals.Where(r => r.Response.IsTransient).ToList();
            work.Refused.AddRange(all.Refusals.Where(r => !r.Response.IsTransient));
            if (deferred.Count > 0 && CanRetry(work))
            {
                work.RetryOnly(deferred);
                Retry(work, error);
                return;
            }
            work.Refused.AddRange(deferred);
            Finish(work, work.Accepted.Count > 0 ? DeliveryStatus.Accepted : DeliveryStatus.Failed,
                work.Accepted.Count > 0 ? null : new SmtpRecipientsRefusedException(work.Refused));
            return;
        }
        if (RetryPolicy.IsThrottling(error) && LowerConnectionLimit())
        {
            // Another connection takes it: a throttled attempt does not count, and waits for nothing.
            work.Attempts--;
            work.LastError = error;
            if (!_queue.Requeue(work)) GiveUp(work);
            return;
        }
        if (RetryPolicy.IsTransient(error, endOfDataWritten) && CanRetry(work))
        {
            Retry(work, error);
            return;
        }
        if (whileConnecting)
        {
            Stop(work, error);
            return;
        }
        Finish(work, work.Accepted.Count > 0 ? DeliveryStatus.Accepted : DeliveryStatus.Failed, error);
    }

    private bool CanRetry(DeliveryWork work) =>
        work.Attempts <= _retry.MaxRetry && !_halting.IsCancellationRequested;

    /// <summary>
    /// No connection could be made for this message: no message is started any more. Messages on other
    /// connections go on to their outcomes; the waiting ones are given up (<see cref="GiveUp"/>).
    /// </summary>
    private void Stop(DeliveryWork work, Exception error)
    {
        work.LastError = error;
        Halt(error);
        GiveUp(work);
    }

    /// <summary>No message is started any more; the waiting ones are given up (<see cref="GiveUp"/>).</summary>
    private void Halt(Exception error)
    {
        lock (_gate) _stoppedBy ??= error;
        // Halted before the retry waits are cut short, so that a message whose wait ends is not queued again.
        var waiting = _queue.Halt();
        _halting.Cancel();
        foreach (var other in waiting) GiveUp(other);
    }

    /// <summary>
    /// Appends a journal line. One that cannot be written halts the delivery (<see cref="SmtpJournalException"/>);
    /// the message it was about goes on to its outcome all the same. Whatever the write throws: a file over the
    /// process's size limit is an ArgumentOutOfRangeException, not an IOException, and one that escaped here ended
    /// the connection's loop with a message left without an outcome (the command waited for it forever).
    /// </summary>
    private void Journal(JournalEntry entry)
    {
        if (_options.Journal is not { } journal) return;
        try
        {
            journal.Record(entry);
        }
        catch (Exception error)
        {
            Halt(new SmtpJournalException(journal.Path, error));
        }
    }

    /// <summary>
    /// The delivery stopped before this message's next attempt. One never handed to a server has no outcome and
    /// no journal line; one that was ends with what its attempts achieved and its last error.
    /// </summary>
    private void GiveUp(DeliveryWork work)
    {
        if (!work.HandedToServer)
        {
            _outcomes.PassOver(work.Index);
            _queue.Settled();
            return;
        }
        work.Refused.AddRange(work.Deferred);
        bool accepted = work.Accepted.Count > 0;
        var error = work.LastError is SmtpRecipientsRefusedException or null
            ? accepted ? null : new SmtpRecipientsRefusedException(work.Refused)
            : work.LastError;
        Finish(work, accepted ? DeliveryStatus.Accepted : DeliveryStatus.Failed, error);
    }

    private bool LowerConnectionLimit()
    {
        lock (_gate)
        {
            if (_connectionLimit <= 1) return false;
            _connectionLimit--;
            return true;
        }
    }

    /// <summary>Waits, then queues the next attempt; the journal no longer says uncertain meanwhile.</summary>
    private void Retry(DeliveryWork work, Exception? error)
    {
        work.LastError = error;
        Journal(new JournalEntry(work.MessageId, DeliveryStatus.Deferred, work.Accepted.ToList())
        {
            Attempts = work.Attempts,
            ErrorId = error is null ? null : ErrorIdOf(error),
        });
        var delay = _retry.DelayBefore(work.Attempts);
        Interlocked.Increment(ref _retrying);
        _ = Task.Run(async () =>
        {
            try
            {
                await _options.Clock.DelayAsync(delay, _halting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped: the next attempt is not made (below). Disposed: no outcome is wanted any more.
            }
            finally
            {
                Interlocked.Decrement(ref _retrying);
            }
            if (_stop.IsCancellationRequested) return;
            if (_queue.Requeue(work)) StartWorkers();
            else GiveUp(work);
        });
    }

    private void Finish(DeliveryWork work, DeliveryStatus status, Exception? error)
    {
        var outcome = new DeliveryOutcome(work.Index, work.MessageId, work.State, status)
        {
            AcceptedRecipients = work.Accepted.ToArray(),
            RejectedRecipients = work.Refused.ToArray(),
            Response = work.Response,
            Error = error,
            Attempts = work.Attempts,
            MessageSize = work.MessageSize,
            Elapsed = work.Clock.Elapsed,
        };
        if (_options.Journal is not null)
        {
            Journal(new JournalEntry(work.MessageId, status, outcome.AcceptedRecipients)
            {
                RejectedRecipients = outcome.RejectedRecipients,
                Response = work.Response?.Message,
                ErrorId = error is null ? null : ErrorIdOf(error),
                Attempts = work.Attempts,
            });
        }
        Interlocked.Increment(ref status == DeliveryStatus.Accepted ? ref _accepted : ref _failed);
        _outcomes.Add(outcome);
        _queue.Settled();
    }

    private string ErrorIdOf(Exception error) => _options.ErrorIdOf?.Invoke(error) ?? error.GetType().Name;

    private async Task FlushAsync(SmtpClient client)
    {
        try
        {
            await client.FlushAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            // The message concerned has its outcome through its submission; the connection is replaced.
        }
    }

    private async Task QuitAsync(SmtpClient client)
    {
        try
        {
            await client.QuitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            // Whatever the last message's reply said has been settled through its submission.
        }
    }

    /// <summary>Done with a connection: closed (unless it is the caller's to keep) and no longer tracked.</summary>
    private void Forget(SmtpClient client)
    {
        lock (_gate) _clients.Remove(client);
        if (!_options.LeaveConnectionsOpen) client.Dispose();
    }
}
