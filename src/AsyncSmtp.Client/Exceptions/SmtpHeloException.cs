namespace AsyncSmtp.Client;

/// <summary>EHLO and HELO were both refused.</summary>
public sealed class SmtpHeloException : SmtpResponseException
{
    public SmtpHeloException(SmtpResponse response) : base(Describe("HELO refused", response), response) { }
}
