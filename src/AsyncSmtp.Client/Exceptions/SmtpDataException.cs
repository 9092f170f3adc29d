namespace AsyncSmtp.Client;

/// <summary>DATA or BDAT, or the end of the message, was refused.</summary>
public sealed class SmtpDataException : SmtpResponseException
{
    public SmtpDataException(SmtpResponse response) : base(Describe("Message refused", response), response) { }
}
