using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Sends a message without waiting for the server's verdict on it. With PIPELINING (RFC 2920 lets
    /// message content lead a command group), the end of the message goes out with the next command and
    /// its final reply is read then, so each message of a stream costs one round trip, not two. The
    /// returned task completes when the message has been handed over: anything refused up to then
    /// (sender, recipients, DATA) throws as from <see cref="SendAsync"/>. The handle's
    /// <see cref="SmtpSubmission.Result"/> completes with the final reply, which is read by the next
    /// submission or command, by <see cref="FlushAsync"/>, or by <see cref="QuitAsync"/>; if the
    /// connection ends first it fails, and <see cref="SmtpSubmission.EndOfDataWritten"/> tells a message
    /// not sent from one the server may have. Without PIPELINING this is <see cref="SendAsync"/> with the
    /// result already there.
    /// </summary>
    public Task<SmtpSubmission> SubmitAsync(SmtpEnvelope envelope, SmtpContent content,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) =>
        SubmitAsync(envelope, content, progress, null, cancellationToken);

    /// <summary>
    /// As the public overload; <paramref name="beforeEndOfData"/> runs just before the end of data leaves.
    /// </summary>
    internal Task<SmtpSubmission> SubmitAsync(SmtpEnvelope envelope, SmtpContent content, IProgress<long>? progress,
        Action? beforeEndOfData, CancellationToken cancellationToken)
    {
        ValidateTransaction(envelope, content);
        return RunAsync(async io =>
        {
            var transaction = await TransactAsync(io, envelope, content, progress, holdEndOfData: true, beforeEndOfData)
                .ConfigureAwait(false);
            return transaction.HoldsEndOfData ? _submissions.Defer(transaction, Wire) : new SmtpSubmission(transaction);
        }, cancellationToken, owedReplyFirst: false);
    }

    /// <summary>
    /// Returns once every message submitted before it has its verdict: reads the final reply still owed, if
    /// any. Another caller of this client may have taken that reply and be reading it right now; its operation
    /// holds the client until the verdict is set, so that operation is waited for first.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        _lock.Release();
        if (_submissions.OwesReply) await RunAsync(_ => Task.FromResult(true), cancellationToken).ConfigureAwait(false);
    }
}
