using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    private PendingMessage? _pending;

    /// <summary>
    /// Sends a message without waiting for the server's verdict on it. With PIPELINING (RFC 2920 lets
    /// message content lead a command group), the end of the message goes out with the next command
    /// and its final reply is read then, so each message of a stream costs one round trip, not two. The returned task completes
    /// when the message has been handed over: anything refused up to then (sender, recipients, DATA)
    /// throws as from <see cref="SendAsync"/>. Its result completes with the final reply, which is read
    /// by the next submission or command, by <see cref="FlushAsync"/>, or by <see cref="QuitAsync"/>;
    /// if the connection is lost first, it fails and the message must be taken as not sent.
    /// Without PIPELINING this is <see cref="SendAsync"/> with an already completed result.
    /// </summary>
    public async Task<Task<SmtpTransactionResult>> SubmitAsync(SmtpEnvelope envelope, SmtpContent content, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ValidateTransaction(envelope, content);
        return await RunAsync(io => SendCoreAsync(io, envelope, content, progress, deferFinalReply: true), cancellationToken, readsPendingReplyItself: true)
            .ConfigureAwait(false);
    }

    /// <summary>Reads the final reply of a submitted message, if one is still owed.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) =>
        _pending is null ? Task.CompletedTask : RunAsync(_ => Task.FromResult(true), cancellationToken);

    private void Defer(Transaction transaction, TaskCompletionSource<SmtpTransactionResult> completion) =>
        _pending = new PendingMessage(transaction, completion);

    private async Task ReadPendingFinalReplyAsync(IoScope io)
    {
        var pending = _pending;
        if (pending is null) return;
        try
        {
            if (TakeHeldTail() is { } tail) await WriteAsync(io, tail, 0, tail.Length, "sending the message").ConfigureAwait(false);
            _pending = null;
            var final = await ReadReplyAsync(io, "waiting for the previous message to be accepted").ConfigureAwait(false);
            if (final.Code == 250) pending.Completion.TrySetResult(pending.Transaction.Result(final));
            else pending.Completion.TrySetException(Transaction.Closing(final) ?? new SmtpDataException(final));
        }
        catch (Exception ex)
        {
            _pending = null;
            pending.Completion.TrySetException(ex);
            throw;
        }
    }

    /// <summary>The held end of the pending message, which must precede anything else written.</summary>
    private byte[]? TakeHeldTail()
    {
        var transaction = _pending?.Transaction;
        var tail = transaction?.HeldTail;
        if (tail is not null) transaction!.HeldTail = null;
        return tail;
    }

    private void FailPendingMessage()
    {
        var pending = Interlocked.Exchange(ref _pending, null);
        pending?.Completion.TrySetException(new SmtpServerDisconnectedException(
            "The connection closed before the server confirmed the message; it must be taken as not sent."));
    }

    private sealed class PendingMessage
    {
        public PendingMessage(Transaction transaction, TaskCompletionSource<SmtpTransactionResult> completion)
        {
            Transaction = transaction;
            Completion = completion;
        }

        public Transaction Transaction { get; }

        public TaskCompletionSource<SmtpTransactionResult> Completion { get; }
    }
}
