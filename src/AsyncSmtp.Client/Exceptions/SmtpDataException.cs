namespace AsyncSmtp.Client;

/// <summary>DATA or BDAT, or the end of the message, was refused.</summary>
public sealed class SmtpDataException : SmtpResponseException
{
    /// <summary>A refusal of the message alone (no recipient of it was refused).</summary>
    public SmtpDataException(SmtpResponse response) : this(response, Array.Empty<SmtpRecipientRefusedException>()) { }

    /// <summary>
    /// A refusal of a message some of whose recipients had been refused already (say one deferred with 450
    /// before DATA was refused with 451): those refusals are part of the message's outcome too.
    /// </summary>
    public SmtpDataException(SmtpResponse response, IReadOnlyList<SmtpRecipientRefusedException> refusedRecipients)
        : base(Describe("Message refused", response), response)
    {
        RefusedRecipients = refusedRecipients ?? throw new ArgumentNullException(nameof(refusedRecipients));
    }

    /// <summary>Recipients of the message the server had refused before it refused the message itself.</summary>
    public IReadOnlyList<SmtpRecipientRefusedException> RefusedRecipients { get; }
}
