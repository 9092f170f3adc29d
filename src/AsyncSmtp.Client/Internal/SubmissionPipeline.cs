namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Cross-message pipelining (RFC 2920 lets message content lead a command group). A submitted message's
/// end of data is held back and leaves in one write with the next message's envelope; its final reply
/// is read before their replies. A stream of messages so costs one round trip each, not two, and a
/// server whose replies wait for acknowledgements (Nagle's algorithm) never stalls on a lone end of data.
/// This type owns the one message whose final reply is still owed: anything else sent on the
/// connection reads that reply first (<see cref="ReadOwedReplyAsync"/>), and a connection that ends
/// before it came fails the message, as not sent or as uncertain.
/// </summary>
internal sealed class SubmissionPipeline
{
    private SmtpSubmission? _owed;

    public bool OwesReply => _owed is not null;

    /// <summary>Leaves the transaction's final reply owed; its end of data is held for the next write.</summary>
    public SmtpSubmission Defer(Transaction transaction, SmtpConnection wire)
    {
        _owed = new SmtpSubmission(transaction);
        wire.ReplyOwed = true;
        return _owed;
    }

    /// <summary>The owed message's held end of data, which must lead the next write; null when none is held.</summary>
    public ArraySegment<byte>? TakeEndOfData() => _owed?.TakeEndOfData();

    /// <summary>Sends the owed message's end of data if still held, then reads its final reply.</summary>
    public async Task ReadOwedReplyAsync(SmtpConnection wire, IoScope io)
    {
        var owed = _owed;
        if (owed is null) return;
        try
        {
            if (owed.TakeEndOfData() is { } tail)
                await wire.WriteAsync(io, tail.Array!, tail.Offset, tail.Count,
                    "sending the message").ConfigureAwait(false);
            _owed = null;
            wire.ReplyOwed = false;
            owed.Complete(
                await wire.ReadReplyAsync(io, "waiting for the previous message to be accepted").ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            _owed = null;
            owed.Fail(ex);
            throw;
        }
    }

    /// <summary>The connection ended: the owed message's final reply will never come.</summary>
    public void ConnectionClosed()
    {
        var owed = Interlocked.Exchange(ref _owed, null);
        owed?.Fail(new SmtpServerDisconnectedException(owed.EndOfDataWritten
            ? "The connection closed before the server confirmed the message."
            : "The connection closed before the message's end was sent; it was not sent."));
    }
}
