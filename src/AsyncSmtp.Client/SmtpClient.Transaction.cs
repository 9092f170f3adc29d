using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Runs a whole transaction: MAIL FROM, RCPT TO for each recipient, then DATA (or BDAT when the
    /// server offers CHUNKING). With PIPELINING the envelope (and DATA) goes out in one write. Recipients
    /// refused while others are accepted are reported in the result; all refused is
    /// <see cref="SmtpRecipientsRefusedException"/> and no content is delivered. After a refusal the
    /// transaction is reset (RSET) and the client stays usable.
    /// </summary>
    public Task<SmtpTransactionResult> SendAsync(SmtpEnvelope envelope, SmtpContent content,
        IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ValidateTransaction(envelope, content);
        return RunAsync(async io =>
        {
            var transaction =
                await TransactAsync(io, envelope, content, progress, holdEndOfData: false).ConfigureAwait(false);
            return transaction.Result(transaction.FinalReply!);
        }, cancellationToken);
    }

    private static void ValidateTransaction(SmtpEnvelope envelope, SmtpContent content)
    {
        if (envelope is null) throw new ArgumentNullException(nameof(envelope));
        if (content is null) throw new ArgumentNullException(nameof(content));
        CommandGuard.RequireAddress(envelope.Sender, "sender");
        if (envelope.Recipients.Count == 0)
            throw new SmtpArgumentException("At least one recipient is required.", "recipients");
        foreach (var recipient in envelope.Recipients)
        {
            CommandGuard.RequireAddress(recipient.Address, "recipient");
            if (recipient.Address.Length == 0)
                throw new SmtpArgumentException("A recipient address is empty.", "recipient");
            if (recipient.OriginalRecipient is not null)
                CommandGuard.RequireSafe(recipient.OriginalRecipient, "OriginalRecipient");
        }
        if (envelope.EnvelopeId is not null) CommandGuard.RequireSafe(envelope.EnvelopeId, "EnvelopeId");
    }

    /// <summary>MAIL FROM alone. Not 250: <see cref="SmtpSenderRefusedException"/>.</summary>
    public Task<SmtpResponse> MailAsync(string sender, IEnumerable<string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        string line = WithParameters("MAIL FROM:<" + Guarded(sender, nameof(sender)) + ">", parameters);
        return RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            _transactionOpen = true;
            var reply = await Wire.CommandAsync(io, line, "sending MAIL FROM").ConfigureAwait(false);
            return reply.Code == 250 ? reply : throw new SmtpSenderRefusedException(sender, reply);
        }, cancellationToken);
    }

    /// <summary>RCPT TO alone. Not 250/251: <see cref="SmtpRecipientRefusedException"/>.</summary>
    public Task<SmtpResponse> RcptAsync(string recipient, IEnumerable<string>? parameters = null,
        CancellationToken cancellationToken = default)
    {
        string line = WithParameters("RCPT TO:<" + Guarded(recipient, nameof(recipient)) + ">", parameters);
        return RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            _transactionOpen = true;
            var reply = await Wire.CommandAsync(io, line, "sending RCPT TO").ConfigureAwait(false);
            return IsAccepted(reply) ? reply : throw new SmtpRecipientRefusedException(recipient, reply);
        }, cancellationToken);
    }

    /// <summary>DATA after MAIL and RCPT: the content is normalised to CRLF and dot-stuffed as it is sent.</summary>
    public Task<SmtpResponse> DataAsync(SmtpContent content, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            var reply = await Wire.CommandAsync(io, "DATA", "sending DATA").ConfigureAwait(false);
            if (reply.Code != 354) throw new SmtpDataException(reply);
            LogBody((await WriteDataBodyAsync(io, content, progress, null).ConfigureAwait(false)).Wire);
            // The final reply, whatever it says, ends the transaction.
            _transactionOpen = false;
            return await ReadFinalReplyAsync(io).ConfigureAwait(false);
        }, cancellationToken);

    private static string Guarded(string address, string name)
    {
        CommandGuard.RequireAddress(address, name);
        return address;
    }

    private static string WithParameters(string command, IEnumerable<string>? parameters)
    {
        if (parameters is null) return command;
        foreach (var p in parameters)
        {
            CommandGuard.RequireSafe(p, "parameter");
            command += " " + p;
        }
        return command;
    }

    private static bool IsAccepted(SmtpResponse reply) => reply.Code is 250 or 251;

    /// <summary>
    /// Runs a transaction until its final reply, or, for a submission over PIPELINING
    /// (<paramref name="holdEndOfData"/>), until its end of data is encoded and held for the next write.
    /// </summary>
    private async Task<Transaction> TransactAsync(IoScope io, SmtpEnvelope envelope, SmtpContent content,
        IProgress<long>? progress,
        bool holdEndOfData, Action? beforeEndOfData = null)
    {
        await EnsureGreetedAsync(io).ConfigureAwait(false);
        if (_transactionOpen)
        {
            await _submissions.ReadOwedReplyAsync(Wire, io).ConfigureAwait(false);
            await ResetAsync(io).ConfigureAwait(false);
        }
        bool smtpUtf8 = envelope.RequireSmtpUtf8 || !CommandGuard.IsAscii(envelope.Sender) ||
                        envelope.Recipients.Any(r => !CommandGuard.IsAscii(r.Address));
        if (smtpUtf8 && !_extensions.Contains("SMTPUTF8"))
            throw new SmtpNotSupportedException("SMTPUTF8",
                "The message needs SMTPUTF8 (non-ASCII addresses), which the server does not offer; nothing was sent.");
        if (EnvelopeCommands.UsesDsn(envelope) && !_extensions.Contains("DSN"))
            throw new SmtpNotSupportedException("DSN",
                "Delivery status notifications were requested, but the server does not offer DSN; nothing was sent.");
        // Content length is only worth knowing (it may cost a pass over the message) for SIZE.
        long? size = _extensions.Contains("SIZE") ? content.Length : null;
        if (size is long bytes && MaxMessageSize is long limit && bytes > limit)
            throw new SmtpMessageTooLargeException(bytes, limit);

        bool pipelined = Options.UsePipelining && _extensions.Contains("PIPELINING");
        var transaction = new Transaction(envelope, EnvelopeCommands.Mail(envelope, _extensions, size, smtpUtf8),
            EnvelopeCommands.Rcpts(envelope), pipelined,
            holdsEndOfData: holdEndOfData && pipelined)
        {
            BeforeEndOfData = beforeEndOfData,
        };
        // Without pipelining nothing shares a round trip with a previous message's final reply.
        if (!pipelined) await _submissions.ReadOwedReplyAsync(Wire, io).ConfigureAwait(false);
        try
        {
            if (Options.UseChunking && _extensions.Contains("CHUNKING"))
                await SendWithBdatAsync(io, transaction, content, progress).ConfigureAwait(false);
            else
                await SendWithDataAsync(io, transaction, content, progress).ConfigureAwait(false);
            if (!transaction.HoldsEndOfData)
                transaction.FinalReply = await ReadFinalReplyAfterEndOfDataAsync(io, transaction).ConfigureAwait(false);
            return transaction;
        }
        catch (SmtpCommandException ex) when (ex is SmtpResponseException or SmtpRecipientsRefusedException)
        {
            await ResetAfterRefusalAsync(io).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The final reply of a message whose end of data is out: if none comes, it is uncertain.</summary>
    private async Task<SmtpResponse> ReadFinalReplyAfterEndOfDataAsync(IoScope io, Transaction transaction)
    {
        try
        {
            return await ReadFinalReplyAsync(io, transaction).ConfigureAwait(false);
        }
        catch (SmtpConnectionException lost)
        {
            throw SmtpDeliveryUncertainException.After(lost);
        }
    }

    private async Task<SmtpResponse> ReadFinalReplyAsync(IoScope io, Transaction? transaction = null)
    {
        var final = await Wire.ReadReplyAsync(io, "waiting for the message to be accepted").ConfigureAwait(false);
        if (final.Code == 250) return final;
        throw transaction?.Refused(final) ?? new SmtpDataException(final);
    }

    /// <summary>
    /// RSET after a refused transaction. Its own refusal is ignored (the next transaction tries again); a
    /// broken connection is closed. Either way the caller hears of the message's refusal, not of this.
    /// </summary>
    private async Task ResetAfterRefusalAsync(IoScope io)
    {
        _transactionOpen = true;
        try
        {
            await ResetAsync(io).ConfigureAwait(false);
        }
        catch (SmtpCommandException)
        {
            // Still open: the next transaction starts with RSET.
        }
        catch (SmtpConnectionException)
        {
            Disconnect();
        }
    }

    /// <summary>MAIL, every RCPT (and DATA) in one write, led by a submitted message's held end of data.</summary>
    private Task WritePipelinedEnvelopeAsync(IoScope io, Transaction transaction, string? dataCommand) =>
        Wire.WriteCommandsAsync(io, transaction.EnvelopeLines(dataCommand), "sending the envelope",
            _submissions.TakeEndOfData());

    /// <summary>
    /// The replies to a pipelined envelope: a submitted message's final reply first, then MAIL's and each RCPT's.
    /// </summary>
    private async Task ReadEnvelopeRepliesAsync(IoScope io, Transaction transaction)
    {
        await _submissions.ReadOwedReplyAsync(Wire, io).ConfigureAwait(false);
        transaction.AddMailReply(await Wire.ReadReplyAsync(io, "sending MAIL FROM").ConfigureAwait(false));
        for (int n = 0; n < transaction.RcptLines.Length; n++)
            transaction.AddRcptReply(n, await Wire.ReadReplyAsync(io, "sending RCPT TO").ConfigureAwait(false));
    }

    private async Task SendEnvelopeStepByStepAsync(IoScope io, Transaction transaction)
    {
        transaction.AddMailReply(
            await Wire.CommandAsync(io, transaction.MailLine, "sending MAIL FROM").ConfigureAwait(false));
        transaction.ThrowIfEnvelopeRefused();
        for (int n = 0; n < transaction.RcptLines.Length; n++)
            transaction.AddRcptReply(n,
                await Wire.CommandAsync(io, transaction.RcptLines[n], "sending RCPT TO").ConfigureAwait(false));
        transaction.ThrowIfEnvelopeRefused();
    }

    /// <summary>Envelope, DATA and body; the final reply is the caller's.</summary>
    private async Task SendWithDataAsync(IoScope io, Transaction transaction, SmtpContent content,
        IProgress<long>? progress)
    {
        if (!transaction.Pipelined)
        {
            await SendEnvelopeStepByStepAsync(io, transaction).ConfigureAwait(false);
            var reply = await Wire.CommandAsync(io, "DATA", "sending DATA").ConfigureAwait(false);
            if (reply.Code != 354) throw transaction.Refused(reply);
            (transaction.BytesSent, transaction.MessageSize) =
                await WriteDataBodyAsync(io, content, progress, transaction).ConfigureAwait(false);
            LogBody(transaction.BytesSent);
            return;
        }

        // The body is encoded while the server answers the envelope: a small message is ready the moment
        // 354 comes. Nothing of it is written before then. Setting sendAllowed runs the waiting body on
        // this thread (continuations are not forced onto the pool): the body is this operation's own next
        // step, awaited right after, and a hop to the pool and back would cost more than the body itself.
        var sendAllowed = new TaskCompletionSource<bool>();
        Task<(long Wire, long Message)>? body = null;
        SmtpResponse dataReply;
        try
        {
            await WritePipelinedEnvelopeAsync(io, transaction, "DATA").ConfigureAwait(false);
            body = WriteDataBodyAsync(io, content, progress, transaction, sendAllowed.Task);
            await ReadEnvelopeRepliesAsync(io, transaction).ConfigureAwait(false);
            dataReply = await Wire.ReadReplyAsync(io, "sending DATA").ConfigureAwait(false);
        }
        catch
        {
            await AbandonBodyAsync(sendAllowed, body).ConfigureAwait(false);
            throw;
        }
        if (dataReply.Code == 354 && transaction.EnvelopeAccepted)
        {
            sendAllowed.SetResult(true);
            (transaction.BytesSent, transaction.MessageSize) = await body!.ConfigureAwait(false);
            LogBody(transaction.BytesSent);
            return;
        }
        await AbandonBodyAsync(sendAllowed, body).ConfigureAwait(false);
        transaction.HeldEndOfData = null;
        if (dataReply.Code == 354)
        {
            // RFC 2920 3.1: a server that accepts DATA after refusing the sender or every recipient gets a
            // lone dot, which ends an empty message it cannot deliver; the envelope's refusal is the verdict.
            await Wire.WriteAsync(io, _loneDot, 0, _loneDot.Length, "ending an empty message").ConfigureAwait(false);
            await Wire.ReadReplyAsync(io, "ending an empty message").ConfigureAwait(false);
        }
        transaction.ThrowIfEnvelopeRefused();
        throw transaction.Refused(dataReply);
    }

    private static readonly byte[] _loneDot = { (byte)'.', (byte)'\r', (byte)'\n' };

    /// <summary>The envelope or DATA was refused: a body encoded in advance is dropped unsent.</summary>
    private static async Task AbandonBodyAsync(TaskCompletionSource<bool> sendAllowed, Task? body)
    {
        sendAllowed.TrySetResult(false);
        if (body is null) return;
        try
        {
            await body.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The refusal is what the caller hears about; whatever stopped the unsent body does not matter.
        }
    }

    /// <summary>
    /// Streams the body, normalised and dot-stuffed, with its terminator; returns the bytes written (or
    /// held) and the message size. With <paramref name="sendAllowed"/>, nothing is written until it says
    /// true; false abandons the body.
    /// </summary>
    private async Task<(long Wire, long Message)> WriteDataBodyAsync(IoScope io, SmtpContent content,
        IProgress<long>? progress,
        Transaction? transaction, Task<bool>? sendAllowed = null)
    {
        using var encoder = new DotStuffingStream(async (buffer, offset, count, isLast, ct) =>
        {
            if (sendAllowed is not null && !await sendAllowed.ConfigureAwait(false))
                throw new OperationCanceledException("The message was refused before its body was sent.");
            await WriteBodyChunkAsync(io, transaction, buffer, offset, count, isLast).ConfigureAwait(false);
        }, dotStuff: true, progress);
        await content.WriteToAsync(encoder, io.Token).ConfigureAwait(false);
        await encoder.CompleteAsync(io.Token).ConfigureAwait(false);
        return (encoder.BytesOut, encoder.MessageSize);
    }

    /// <summary>
    /// Writes a chunk of the body; the last one is held instead when the transaction holds its end of data.
    /// </summary>
    private Task WriteBodyChunkAsync(IoScope io, Transaction? transaction, byte[] buffer, int offset, int count,
        bool isLast)
    {
        if (isLast && transaction is { HoldsEndOfData: true })
        {
            transaction.HeldEndOfData = Wire.HoldEndOfData(buffer, offset, count);
            return Task.CompletedTask;
        }
        if (isLast) transaction?.BeforeEndOfData?.Invoke();
        return Wire.WriteAsync(io, buffer, offset, count, "sending the message");
    }

    private void LogBody(long bytes)
    {
        if (Wire.IsLogging) Wire.Log(SmtpLogDirection.Client, $"[message body: {bytes} bytes]");
    }

    /// <summary>Envelope and BDAT chunks; the reply to BDAT LAST is the caller's.</summary>
    private async Task SendWithBdatAsync(IoScope io, Transaction transaction, SmtpContent content,
        IProgress<long>? progress)
    {
        if (transaction.Pipelined)
        {
            await WritePipelinedEnvelopeAsync(io, transaction, null).ConfigureAwait(false);
            await ReadEnvelopeRepliesAsync(io, transaction).ConfigureAwait(false);
            transaction.ThrowIfEnvelopeRefused();
        }
        else
        {
            await SendEnvelopeStepByStepAsync(io, transaction).ConfigureAwait(false);
        }
        var chunks = new BdatChunks(this, io, transaction);
        using var encoder = new DotStuffingStream(chunks.SendAsync, dotStuff: false, progress);
        await content.WriteToAsync(encoder, io.Token).ConfigureAwait(false);
        await encoder.CompleteAsync(io.Token).ConfigureAwait(false);
        transaction.BytesSent = encoder.BytesOut;
        transaction.MessageSize = encoder.MessageSize;
    }
}
