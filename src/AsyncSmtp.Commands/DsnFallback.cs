namespace AsyncSmtp.Commands;

/// <summary>
/// -DeliveryNotificationOption to a server without the DSN extension. The engine refuses such a message, so that a
/// caller never loses the notifications it asked for without knowing; Send-MailMessage sends it without them, and
/// scripts count on that. The cmdlet makes Send-MailMessage's choice openly: it drops the DSN parameters and warns.
/// </summary>
internal sealed class DsnFallback
{
    private int _warned;

    /// <summary>
    /// The message as it can go to this session: unchanged when it asks for no DSN or the server offers DSN, else
    /// with an envelope without DSN parameters and, the first time in this command, a warning.
    /// </summary>
    public async Task<OutgoingMessage> ApplyAsync(SmtpSession session, OutgoingMessage message, Func<string, Task> warn)
    {
        var envelope = Adapt(message.Envelope, session.Offers("DSN"), session.Endpoint, out var warning);
        if (warning is not null) await warn(warning).ConfigureAwait(false);
        return ReferenceEquals(envelope, message.Envelope) ? message : message.WithEnvelope(envelope);
    }

    /// <summary>
    /// The envelope as it can go to a server that does (not) offer DSN; <paramref name="warning"/> is the warning
    /// to write when DSN parameters were left out, the first time only. Safe from any thread (the delivery engine
    /// calls it from its connections).
    /// </summary>
    public SmtpEnvelope Adapt(SmtpEnvelope envelope, bool serverOffersDsn, string endpoint, out string? warning)
    {
        warning = null;
        bool asksForDsn = envelope.Return != SmtpDsnReturn.Default || envelope.EnvelopeId is not null
            || envelope.Recipients.Any(r => r.Notify != SmtpNotify.Default || r.OriginalRecipient is not null);
        if (!asksForDsn || serverOffersDsn) return envelope;

        if (Interlocked.Exchange(ref _warned, 1) == 0)
            warning = $"{endpoint} does not offer DSN: messages are sent without the delivery status " +
                "notifications -DeliveryNotificationOption asked for.";
        return new SmtpEnvelope(envelope.Sender, envelope.Recipients.Select(r => new SmtpRecipient(r.Address)))
        {
            RequireSmtpUtf8 = envelope.RequireSmtpUtf8,
        };
    }
}
