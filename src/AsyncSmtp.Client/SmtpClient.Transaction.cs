using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Runs a whole transaction: MAIL FROM, RCPT TO for each recipient, then DATA (or BDAT when the
    /// server offers CHUNKING). With PIPELINING the envelope (and DATA) goes out in one write. Recipients refused while others are accepted are reported
    /// in the result; all refused is <see cref="SmtpRecipientsRefusedException"/> and no content is
    /// delivered. After a refusal the transaction is reset (RSET) and the client stays usable.
    /// </summary>
    public Task<SmtpTransactionResult> SendAsync(SmtpEnvelope envelope, SmtpContent content, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        ValidateTransaction(envelope, content);
        return RunAsync(async io => await (await SendCoreAsync(io, envelope, content, progress, deferFinalReply: false).ConfigureAwait(false)).ConfigureAwait(false),
            cancellationToken);
    }

    private static void ValidateTransaction(SmtpEnvelope envelope, SmtpContent content)
    {
        if (envelope is null) throw new ArgumentNullException(nameof(envelope));
        if (content is null) throw new ArgumentNullException(nameof(content));
        CommandGuard.RequireAddress(envelope.Sender, "sender");
        if (envelope.Recipients.Count == 0) throw new SmtpArgumentException("At least one recipient is required.", "recipients");
        foreach (var recipient in envelope.Recipients)
        {
            CommandGuard.RequireAddress(recipient.Address, "recipient");
            if (recipient.Address.Length == 0) throw new SmtpArgumentException("A recipient address is empty.", "recipient");
            if (recipient.OriginalRecipient is not null) CommandGuard.RequireSafe(recipient.OriginalRecipient, "OriginalRecipient");
        }
        if (envelope.EnvelopeId is not null) CommandGuard.RequireSafe(envelope.EnvelopeId, "EnvelopeId");
    }

    /// <summary>MAIL FROM alone. Not 250: <see cref="SmtpSenderRefusedException"/>.</summary>
    public Task<SmtpResponse> MailAsync(string sender, IEnumerable<string>? parameters = null, CancellationToken cancellationToken = default)
    {
        string line = WithParameters("MAIL FROM:<" + Guarded(sender, nameof(sender)) + ">", parameters);
        return RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            var reply = await CommandAsync(io, line, "sending MAIL FROM").ConfigureAwait(false);
            return reply.Code == 250 ? reply : throw new SmtpSenderRefusedException(sender, reply);
        }, cancellationToken);
    }

    /// <summary>RCPT TO alone. Not 250/251: <see cref="SmtpRecipientRefusedException"/>.</summary>
    public Task<SmtpResponse> RcptAsync(string recipient, IEnumerable<string>? parameters = null, CancellationToken cancellationToken = default)
    {
        string line = WithParameters("RCPT TO:<" + Guarded(recipient, nameof(recipient)) + ">", parameters);
        return RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            var reply = await CommandAsync(io, line, "sending RCPT TO").ConfigureAwait(false);
            return IsAccepted(reply) ? reply : throw new SmtpRecipientRefusedException(recipient, reply);
        }, cancellationToken);
    }

    /// <summary>DATA after MAIL and RCPT: the content is normalised to CRLF and dot-stuffed as it is sent.</summary>
    public Task<SmtpResponse> DataAsync(SmtpContent content, IProgress<long>? progress = null, CancellationToken cancellationToken = default) =>
        RunAsync(async io =>
        {
            await EnsureGreetedAsync(io).ConfigureAwait(false);
            var reply = await CommandAsync(io, "DATA", "sending DATA").ConfigureAwait(false);
            if (reply.Code != 354) throw new SmtpDataException(reply);
            LogBody((await WriteDataBodyAsync(io, content, progress).ConfigureAwait(false)).Wire);
            var final = await ReadReplyAsync(io, "waiting for the message to be accepted").ConfigureAwait(false);
            return final.Code == 250 ? final : throw Transaction.Closing(final) ?? new SmtpDataException(final);
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

    /// <summary>Runs a transaction up to the message's final reply, which is read now or, when deferred, by the next command.</summary>
    private async Task<Task<SmtpTransactionResult>> SendCoreAsync(IoScope io, SmtpEnvelope envelope, SmtpContent content, IProgress<long>? progress, bool deferFinalReply)
    {
        await EnsureGreetedAsync(io).ConfigureAwait(false);
        bool smtpUtf8 = envelope.RequireSmtpUtf8 || !CommandGuard.IsAscii(envelope.Sender) ||
                        envelope.Recipients.Any(r => !CommandGuard.IsAscii(r.Address));
        if (smtpUtf8 && !_extensions.Contains("SMTPUTF8"))
            throw new SmtpNotSupportedException("SMTPUTF8", "The message needs SMTPUTF8 (non-ASCII addresses), which the server does not offer; nothing was sent.");
        if (EnvelopeCommands.UsesDsn(envelope) && !_extensions.Contains("DSN"))
            throw new SmtpNotSupportedException("DSN", "Delivery status notifications were requested, but the server does not offer DSN; nothing was sent.");
        // Content length is only worth knowing (it may cost a pass over the message) for SIZE.
        long? size = _extensions.Contains("SIZE") ? content.Length : null;
        if (size is long bytes && MaxMessageSize is long limit && bytes > limit) throw new SmtpMessageTooLargeException(bytes, limit);

        var transaction = new Transaction(envelope, EnvelopeCommands.Mail(envelope, _extensions, size, smtpUtf8),
            envelope.Recipients.Select(EnvelopeCommands.Rcpt).ToArray(),
            Options.UsePipelining && _extensions.Contains("PIPELINING"));
        // Without pipelining nothing shares a round trip with a previous message's final reply.
        if (!transaction.Pipelined) await ReadPendingFinalReplyAsync(io).ConfigureAwait(false);
        try
        {
            bool defer = deferFinalReply && transaction.Pipelined;
            if (Options.UseChunking && _extensions.Contains("CHUNKING"))
                await SendWithBdatAsync(io, transaction, content, progress, holdTail: defer).ConfigureAwait(false);
            else
                await SendWithDataAsync(io, transaction, content, progress, holdTail: defer).ConfigureAwait(false);
            return await FinalReplyAsync(io, transaction, defer).ConfigureAwait(false);
        }
        catch (SmtpException ex) when (ex is SmtpResponseException or SmtpRecipientsRefusedException && IsConnected)
        {
            await ResetAfterFailureAsync(io).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>RSET after a refused transaction; its own refusal is ignored, a broken connection is closed.</summary>
    private async Task ResetAfterFailureAsync(IoScope io)
    {
        try
        {
            await CommandAsync(io, "RSET", "resetting after a refusal").ConfigureAwait(false);
        }
        catch (SmtpException)
        {
            Disconnect();
        }
    }

    /// <summary>The message has been written; its final reply is read now, or left for the next command to read.</summary>
    private async Task<Task<SmtpTransactionResult>> FinalReplyAsync(IoScope io, Transaction transaction, bool defer)
    {
        if (defer)
        {
            var completion = new TaskCompletionSource<SmtpTransactionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            Defer(transaction, completion);
            return completion.Task;
        }
        var final = await ReadReplyAsync(io, "waiting for the message to be accepted").ConfigureAwait(false);
        if (final.Code != 250) throw Transaction.Closing(final) ?? new SmtpDataException(final);
        return Task.FromResult(transaction.Result(final));
    }

    /// <summary>MAIL, RCPT and DATA in one write, then the previous message's final reply, then theirs.</summary>
    private async Task WritePipelinedEnvelopeAsync(IoScope io, Transaction transaction, string? dataCommand)
    {
        await WriteCommandsAsync(io, transaction.EnvelopeLines(dataCommand), "sending the envelope").ConfigureAwait(false);
        await ReadPendingFinalReplyAsync(io).ConfigureAwait(false);
        await ReadEnvelopeRepliesAsync(io, transaction).ConfigureAwait(false);
    }

    /// <summary>Envelope, DATA and body; the final reply is the caller's.</summary>
    private async Task SendWithDataAsync(IoScope io, Transaction transaction, SmtpContent content, IProgress<long>? progress, bool holdTail)
    {
        if (!transaction.Pipelined)
        {
            await SendEnvelopeStepByStepAsync(io, transaction).ConfigureAwait(false);
            var reply = await CommandAsync(io, "DATA", "sending DATA").ConfigureAwait(false);
            if (reply.Code != 354) throw Transaction.Closing(reply) ?? new SmtpDataException(reply);
            (transaction.BytesSent, transaction.MessageSize) = await WriteDataBodyAsync(io, content, progress, holdTail ? transaction : null).ConfigureAwait(false);
            LogBody(transaction.BytesSent);
            return;
        }

        await WriteCommandsAsync(io, transaction.EnvelopeLines("DATA"), "sending the envelope").ConfigureAwait(false);
        // The body is encoded while the server answers the envelope: a small message is ready the moment
        // 354 comes. Nothing of it is written before then.
        var sendAllowed = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var body = WriteDataBodyAsync(io, content, progress, holdTail ? transaction : null, sendAllowed.Task);
        SmtpResponse dataReply;
        try
        {
            await ReadPendingFinalReplyAsync(io).ConfigureAwait(false);
            await ReadEnvelopeRepliesAsync(io, transaction).ConfigureAwait(false);
            dataReply = await ReadReplyAsync(io, "sending DATA").ConfigureAwait(false);
        }
        catch
        {
            await AbandonBodyAsync(sendAllowed, body, transaction).ConfigureAwait(false);
            throw;
        }
        if (dataReply.Code == 354 && transaction.HasAcceptedRecipient)
        {
            sendAllowed.SetResult(true);
            (transaction.BytesSent, transaction.MessageSize) = await body.ConfigureAwait(false);
            LogBody(transaction.BytesSent);
            return;
        }
        await AbandonBodyAsync(sendAllowed, body, transaction).ConfigureAwait(false);
        if (dataReply.Code == 354)
        {
            // A server that accepts DATA with no valid recipient gets an empty body, which it cannot
            // deliver; its verdict on that body does not matter, the envelope's refusal does.
            await WriteDataBodyAsync(io, SmtpContent.FromBytes(Array.Empty<byte>()), null).ConfigureAwait(false);
            await ReadReplyAsync(io, "ending an empty message").ConfigureAwait(false);
        }
        transaction.ThrowIfEnvelopeRefused();
        throw Transaction.Closing(dataReply) ?? new SmtpDataException(dataReply);
    }

    /// <summary>The envelope or DATA was refused: a body encoded in advance is dropped unsent.</summary>
    private static async Task AbandonBodyAsync(TaskCompletionSource<bool> sendAllowed, Task body, Transaction transaction)
    {
        sendAllowed.TrySetResult(false);
        try
        {
            await body.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The refusal is what the caller hears about; whatever stopped the unsent body does not matter.
        }
        transaction.HeldTail = null;
    }

    /// <summary>
    /// Streams the body, normalised and dot-stuffed, with its terminator; returns the bytes written (or
    /// held) and the message size. With <paramref name="sendAllowed"/>, nothing is written until it says
    /// true; false abandons the body.
    /// </summary>
    private async Task<(long Wire, long Message)> WriteDataBodyAsync(IoScope io, SmtpContent content, IProgress<long>? progress,
        Transaction? holdTailIn = null, Task<bool>? sendAllowed = null)
    {
        using var encoder = new BodyEncoderStream(async (buffer, offset, count, isLast, ct) =>
        {
            if (isLast && holdTailIn is not null)
            {
                holdTailIn.HeldTail = new ArraySegment<byte>(buffer, offset, count).ToArray();
                return;
            }
            if (sendAllowed is not null && !await sendAllowed.ConfigureAwait(false))
                throw new OperationCanceledException("The message was refused before its body was sent.");
            await WriteAsync(io, buffer, offset, count, "sending the message").ConfigureAwait(false);
        }, dotStuff: true, progress);
        await content.WriteToAsync(encoder, io.Token).ConfigureAwait(false);
        await encoder.CompleteAsync(io.Token).ConfigureAwait(false);
        return (encoder.BytesOut, encoder.MessageSize);
    }

    private void LogBody(long bytes)
    {
        if (Options.ProtocolLogger is not null) Log(SmtpLogDirection.Client, $"[message body: {bytes} bytes]", IsEncrypted);
    }

    /// <summary>Envelope and BDAT chunks; the reply to BDAT LAST is the caller's.</summary>
    private async Task SendWithBdatAsync(IoScope io, Transaction transaction, SmtpContent content, IProgress<long>? progress, bool holdTail)
    {
        if (transaction.Pipelined)
        {
            await WritePipelinedEnvelopeAsync(io, transaction, null).ConfigureAwait(false);
            transaction.ThrowIfEnvelopeRefused();
        }
        else
        {
            await SendEnvelopeStepByStepAsync(io, transaction).ConfigureAwait(false);
        }
        var chunks = new BdatChunks(this, io, holdTail ? transaction : null);
        using var encoder = new BodyEncoderStream(chunks.SendAsync, dotStuff: false, progress);
        await content.WriteToAsync(encoder, io.Token).ConfigureAwait(false);
        await encoder.CompleteAsync(io.Token).ConfigureAwait(false);
        transaction.BytesSent = encoder.BytesOut;
        transaction.MessageSize = encoder.MessageSize;
    }

    private async Task SendEnvelopeStepByStepAsync(IoScope io, Transaction transaction)
    {
        var mail = await CommandAsync(io, transaction.MailLine, "sending MAIL FROM").ConfigureAwait(false);
        transaction.AddMailReply(mail);
        transaction.ThrowIfEnvelopeRefused();
        for (int n = 0; n < transaction.RcptLines.Length; n++)
        {
            var reply = await CommandAsync(io, transaction.RcptLines[n], "sending RCPT TO").ConfigureAwait(false);
            transaction.AddRcptReply(n, reply);
        }
        transaction.ThrowIfEnvelopeRefused();
    }

    /// <summary>Reads the MAIL reply and one reply per RCPT of a pipelined envelope, stopping at a 421.</summary>
    private async Task ReadEnvelopeRepliesAsync(IoScope io, Transaction transaction)
    {
        transaction.AddMailReply(await ReadReplyAsync(io, "sending MAIL FROM").ConfigureAwait(false));
        for (int n = 0; n < transaction.RcptLines.Length; n++)
        {
            if (!IsConnected) break;
            transaction.AddRcptReply(n, await ReadReplyAsync(io, "sending RCPT TO").ConfigureAwait(false));
        }
        if (Transaction.Closing(transaction.LastReply!) is { } closing) throw closing;
    }
}
