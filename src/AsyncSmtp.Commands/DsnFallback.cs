namespace AsyncSmtp.Commands;

/// <summary>
/// -DeliveryNotificationOption to a server without the DSN extension. The engine refuses such a message, so that a
/// caller never loses the notifications it asked for without knowing; Send-MailMessage sends it without them, and
/// scripts count on that. The cmdlet makes Send-MailMessage's choice openly: it drops the DSN parameters and warns.
/// </summary>
internal sealed class DsnFallback
{
    private bool _warned;

    /// <summary>
    /// The message as it can go to this session: unchanged when it asks for no DSN or the server offers DSN, else
    /// with an envelope without DSN parameters and, the first time in this command, a warning.
    /// </summary>
    public async Task<OutgoingMessage> ApplyAsync(SmtpSession session, OutgoingMessage message, Func<string, Task> warn)
    {
        var envelope = message.Envelope;
        bool asksForDsn = envelope.Return != SmtpDsnReturn.Default || envelope.EnvelopeId is not null
            || envelope.Recipients.Any(r => r.Notify != SmtpNotify.Default || r.OriginalRecipient is not null);
        if (!asksForDsn || session.Offers("DSN")) return message;

        if (!_warned)
        {
            _warned = true;
            await warn($"{session.Endpoint} does not offer DSN: messages are sent without the delivery status " +
                "notifications -DeliveryNotificationOption asked for.").ConfigureAwait(false);
        }

        var plain = new SmtpEnvelope(envelope.Sender, envelope.Recipients.Select(r => new SmtpRecipient(r.Address)))
        {
            RequireSmtpUtf8 = envelope.RequireSmtpUtf8,
        };
        return message.WithEnvelope(plain);
    }
}
