namespace AsyncSmtp.Client;

/// <summary>DATA or BDAT, or the end of the message, was refused.</summary>
public sealed class SmtpDataException : SmtpResponseException
{
    /// <summary>
    /// The refusal of a message by the reply <paramref name="response"/> to DATA, BDAT or its end of data.
    /// </summary>
    public SmtpDataException(SmtpResponse response) : base(Describe("Message refused", response), response) { }
}
