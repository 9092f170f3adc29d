using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

/// <summary>
/// A message handed to the server by
/// <see cref="SmtpClient.SubmitAsync(SmtpEnvelope, SmtpContent, IProgress{long}, CancellationToken)"/>. Over
/// PIPELINING its end of data is held back to leave with the next commands, and its final reply is read with
/// theirs; until then <see cref="Result"/> is pending.
/// </summary>
public sealed class SmtpSubmission
{
    private readonly TaskCompletionSource<SmtpTransactionResult>? _verdict;
    private ArraySegment<byte>? _heldEndOfData;
    private Action<Task<SmtpTransactionResult>>? _whenSettled;

    internal SmtpSubmission(Transaction transaction)
    {
        Transaction = transaction;
        Envelope = transaction.Envelope;
        _heldEndOfData = transaction.HeldEndOfData;
        if (transaction.FinalReply is { } final)
        {
            EndOfDataWritten = true;
            Result = Task.FromResult(transaction.Result(final));
        }
        else
        {
            _verdict =
                new TaskCompletionSource<SmtpTransactionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Result = _verdict.Task;
        }
    }

    /// <summary>The envelope the message was submitted with, to tell whose outcome <see cref="Result"/> is.</summary>
    public SmtpEnvelope Envelope { get; }

    /// <summary>
    /// The server's verdict: the result once the final reply is 250; <see cref="SmtpDataException"/> when
    /// the message was refused; a <see cref="SmtpConnectionException"/> when the connection ended first
    /// (then <see cref="EndOfDataWritten"/> says whether the server may have the message).
    /// </summary>
    public Task<SmtpTransactionResult> Result { get; }

    /// <summary>
    /// Whether the message's end of data has gone to the connection (a write carrying it has begun). A
    /// message whose final reply never came was <em>not sent</em> while this is false, and is
    /// <em>uncertain</em> once it is true: the server may have accepted it.
    /// </summary>
    public bool EndOfDataWritten { get; private set; }

    internal Transaction Transaction { get; }

    /// <summary>The held end of data, to lead the next write; from now on the message may reach the server.</summary>
    internal ArraySegment<byte>? TakeEndOfData()
    {
        var tail = _heldEndOfData;
        if (tail is null) return null;
        Transaction.BeforeEndOfData?.Invoke();
        _heldEndOfData = null;
        EndOfDataWritten = true;
        return tail;
    }

    internal void Complete(SmtpResponse final)
    {
        if (final.Code == 250) _verdict?.TrySetResult(Transaction.Result(final));
        else _verdict?.TrySetException(Transaction.Refused(final));
        RunWhenSettled();
    }

    internal void Fail(Exception error)
    {
        _verdict?.TrySetException(EndOfDataWritten ? SmtpDeliveryUncertainException.After(error) : error);
        RunWhenSettled();
    }

    /// <summary>
    /// Runs <paramref name="action"/> exactly once with <see cref="Result"/> when it has completed: now if it
    /// has, else on the thread that completes it, inside the read that brought the final reply. For the engine's
    /// own code only (it must not call back into the client); a continuation on <see cref="Result"/> runs on the
    /// thread pool instead, a thread hop per message.
    /// </summary>
    internal void WhenSettled(Action<Task<SmtpTransactionResult>> action)
    {
        Interlocked.Exchange(ref _whenSettled, action);
        if (Result.IsCompleted) RunWhenSettled();
    }

    // Whichever comes second, the verdict or WhenSettled, finds the action here; the exchange makes it run once.
    private void RunWhenSettled()
    {
        var action = Interlocked.Exchange(ref _whenSettled, null);
        // SmtpDelivery's action does not throw: a journal line it cannot write stops the delivery instead.
        action?.Invoke(Result);
    }
}
