using System.Runtime.ExceptionServices;

namespace AsyncSmtp.Commands;

/// <summary>
/// The template of every asynchronous cmdlet: BeginProcessing, ProcessRecord and EndProcessing are sealed and
/// run <see cref="BeginProcessingAsync"/>, <see cref="ProcessRecordAsync"/> and <see cref="EndProcessingAsync"/>
/// with a token that StopProcessing (Ctrl+C, Select-Object -First) cancels; the stop is turned into
/// PipelineStoppedException here and nowhere else, and the cmdlet returns within a second.
/// PowerShell allows Write*, ShouldProcess and ThrowTerminatingError only on the pipeline thread. A block's work
/// starts there and stays there until its first await that does not complete at once, so the code before it may
/// call them directly; after it the work is on the thread pool and uses the *Async writes (queued to the pipeline
/// thread, which pumps them until the work completes) and <c>throw Terminate(record)</c>.
/// </summary>
public abstract class AsyncPSCmdlet : PSCmdlet, IDisposable
{
    // How long a stopped cmdlet waits for its work to notice the cancellation before returning anyway.
    private static readonly TimeSpan _stopGrace = TimeSpan.FromMilliseconds(750);

    private static readonly AsyncLocal<AsyncPSCmdlet?> _currentCmdlet = new();

    private readonly CancellationTokenSource _stop = new();
    private readonly PumpQueue<PumpItem> _queue = new();
    private readonly object _pumpGate = new();
    private readonly List<object> _unwritten = new();
    private bool _pumping;
    private bool _verbose;

    /// <summary>Whether verbose output would be shown, so callers can skip formatting lines nobody sees.</summary>
    internal bool IsVerboseEnabled => _verbose;

    protected sealed override void BeginProcessing()
    {
        _verbose = ResolveVerbose();
        RunOnPump(BeginProcessingAsync);
    }

    protected sealed override void ProcessRecord() => RunOnPump(ProcessRecordAsync);

    protected sealed override void EndProcessing() => RunOnPump(EndProcessingAsync);

    protected sealed override void StopProcessing() => _stop.Cancel();

    /// <summary>The work of BeginProcessing, once per pipeline, before the first record.</summary>
    protected virtual Task BeginProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The work of one pipeline record (once, when nothing is piped in).</summary>
    protected virtual Task ProcessRecordAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The work of EndProcessing, after the last record; not run when the pipeline is stopped.</summary>
    protected virtual Task EndProcessingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs <paramref name="work"/>; its Write* calls are pumped on this, the pipeline thread.</summary>
    private void RunOnPump(Func<CancellationToken, Task> work)
    {
        if (_stop.IsCancellationRequested) throw new PipelineStoppedException();
        lock (_pumpGate) _pumping = true;
        Task task;
        try
        {
            // The work starts here and leaves this thread at its first real await (PowerShell's pipeline
            // thread has no SynchronizationContext, so continuations run on the thread pool). Not using
            // Task.Run saves a thread hop per record, which is most of the cost of a small message.
            task = Start(work);
            if (!task.IsCompleted)
            {
                task.ContinueWith(static (_, state) => ((AsyncPSCmdlet)state!).Enqueue(PumpItem.Done),
                    this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                Pump();
            }
            else
            {
                // Done without waiting, but it may still have queued writes.
                RunQueued();
            }
        }
        finally
        {
            CloseQueue();
        }
        Finish(task);
    }

    private Task Start(Func<CancellationToken, Task> work)
    {
        // The work (and whatever it calls, a session's token script block) knows which cmdlet's pump serves it.
        var previous = _currentCmdlet.Value;
        _currentCmdlet.Value = this;
        try
        {
            return work(_stop.Token) ?? Task.CompletedTask;
        }
        catch (Exception error)
        {
            return Task.FromException(error);
        }
        finally
        {
            _currentCmdlet.Value = previous;
        }
    }

    /// <summary>The cmdlet whose asynchronous work is running here, if any.</summary>
    internal static AsyncPSCmdlet? Current => _currentCmdlet.Value;

    /// <summary>Runs <paramref name="action"/> on the pipeline thread (script blocks must run there).</summary>
    internal Task<T> InvokeOnPipelineThreadAsync<T>(Func<T> action) => Post(action);

    private void RunQueued()
    {
        while (_queue.TryTake(out var item))
            if (!ReferenceEquals(item, PumpItem.Done)) item.Execute();
    }

    private void Pump()
    {
        try
        {
            while (true)
            {
                var item = _queue.Take(_stop.Token);
                if (ReferenceEquals(item, PumpItem.Done)) return;
                item.Execute();
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped: the work has the same token; leave the queue once it has had a moment to unwind.
        }
    }

    /// <summary>
    /// The one place a stop (Ctrl+C, Select-Object -First) is turned into PipelineStoppedException: once the
    /// cmdlet is stopping, whatever the work ended with (a cancellation, the connection it aborted) is moot.
    /// </summary>
    private void Finish(Task task)
    {
        if (!task.IsCompleted && !WaitQuietly(task, _stopGrace))
            throw new PipelineStoppedException();
        if (_stop.IsCancellationRequested || task.IsCanceled) throw new PipelineStoppedException();
        WriteOutputs(TakeUnwritten());
        if (task.Exception is { } aggregate)
        {
            var error = aggregate.InnerException!;
            if (error is TerminatingErrorException terminating) ThrowTerminatingError(terminating.ErrorRecord);
            ExceptionDispatchInfo.Capture(error).Throw();
        }
    }

    /// <summary>Takes the outputs <see cref="WriteWithoutWaiting"/> queued that are not written yet.</summary>
    private object[] TakeUnwritten()
    {
        if (_unwritten.Count == 0) return Array.Empty<object>();
        var outputs = _unwritten.ToArray();
        _unwritten.Clear();
        return outputs;
    }

    private void WriteOutputs(object[] outputs)
    {
        foreach (var output in outputs)
        {
            if (output is ErrorRecord error) WriteError(error);
            else WriteObject(output);
        }
    }

    /// <summary>Waits for the task to finish, whatever its outcome (Finish reports it).</summary>
    private static bool WaitQuietly(Task task, TimeSpan timeout)
    {
        try
        {
            return task.Wait(timeout);
        }
        catch (AggregateException)
        {
            return true;
        }
    }

    private void CloseQueue()
    {
        // Anything still queued (the work outlived a stop) fails instead of waiting forever.
        lock (_pumpGate)
        {
            _pumping = false;
            while (_queue.TryTake(out var item))
                if (!ReferenceEquals(item, PumpItem.Done)) item.Fail(new PipelineStoppedException());
        }
    }

    private Task<T> Post<T>(Func<T> action)
    {
        // Outputs queued without waiting go first, so that they keep their place.
        var unwritten = TakeUnwritten();
        var item = new PumpItem<T>(unwritten.Length == 0 ? action : () =>
        {
            WriteOutputs(unwritten);
            return action();
        });
        if (!Enqueue(item)) item.Fail(new PipelineStoppedException());
        return item.Task;
    }

    /// <summary>Queues a call whose completion nobody waits for (log lines, progress).</summary>
    private void PostAndForget(Action action) => Enqueue(new FireAndForgetItem(action));

    private bool Enqueue(PumpItem item)
    {
        lock (_pumpGate)
        {
            if (!_pumping) return false;
            _queue.Add(item);
            return true;
        }
    }

    protected Task WriteObjectAsync(object? value) => Post(() => { WriteObject(value); return true; });

    protected Task WriteErrorAsync(ErrorRecord record) => Post(() => { WriteError(record); return true; });

    /// <summary>
    /// Writes <paramref name="outputs"/> (an ErrorRecord as an error) in order with everything else the work writes,
    /// but without the work waiting for them: they go to the pipeline thread with the next write or when the work
    /// ends (before the error it may end with). Waiting costs a hop back from the pipeline thread, which is most of
    /// the cost of a small message when thousands are piped. Call it from the work's own flow, as the *Async writes.
    /// </summary>
    protected void WriteWithoutWaiting(IEnumerable<object> outputs) => _unwritten.AddRange(outputs);

    protected Task WriteWarningAsync(string text) => Post(() => { WriteWarning(text); return true; });

    /// <summary>
    /// Writes a verbose line from any thread without waiting; check <see cref="IsVerboseEnabled"/> first.
    /// </summary>
    internal void PostVerbose(string text) => PostAndForget(() => WriteVerbose(text));

    internal void PostProgress(ProgressRecord record) => PostAndForget(() => WriteProgress(record));

    /// <summary>Ends the cmdlet with this error once the work unwinds to the pipeline thread.</summary>
    protected static Exception Terminate(ErrorRecord record) => new TerminatingErrorException(record);

    private bool ResolveVerbose()
    {
        if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var bound))
            return bound is SwitchParameter sw ? sw.IsPresent : LanguagePrimitives.IsTrue(bound);
        var preference = GetVariableValue("VerbosePreference");
        if (preference is PSObject wrapped) preference = wrapped.BaseObject;
        return preference is ActionPreference action
            ? action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore
            : preference is string text && !text.Equals("SilentlyContinue", StringComparison.OrdinalIgnoreCase)
                && !text.Equals("Ignore", StringComparison.OrdinalIgnoreCase);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing) return;
        _stop.Dispose();
        _queue.Dispose();
    }

    private abstract class PumpItem
    {
        public static readonly PumpItem Done = new FireAndForgetItem(static () => { });

        public abstract void Execute();

        public abstract void Fail(Exception error);
    }

    private sealed class PumpItem<T> : PumpItem
    {
        private readonly Func<T> _action;
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public PumpItem(Func<T> action) => _action = action;

        public Task<T> Task => _completion.Task;

        public override void Execute()
        {
            try
            {
                _completion.TrySetResult(_action());
            }
            catch (Exception error)
            {
                _completion.TrySetException(error);
            }
        }

        public override void Fail(Exception error) => _completion.TrySetException(error);
    }

    private sealed class FireAndForgetItem : PumpItem
    {
        private readonly Action _action;

        public FireAndForgetItem(Action action) => _action = action;

        public override void Execute()
        {
            // A log line or progress record that cannot be shown (the pipeline is stopping) is not worth failing for.
            try { _action(); }
            catch (PipelineStoppedException) { }
        }

        public override void Fail(Exception error) { }
    }

    /// <summary>Carries a terminating ErrorRecord from the work back to the pipeline thread.</summary>
    private sealed class TerminatingErrorException : Exception
    {
        public TerminatingErrorException(ErrorRecord record) : base(record.Exception.Message, record.Exception)
        {
            ErrorRecord = record;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
