namespace AsyncSmtp.Client;

/// <summary>EHLO and HELO were both refused.</summary>
public sealed class SmtpHeloException : SmtpResponseException
{
    /// <summary>A server that took neither EHLO nor HELO; <paramref name="response"/> is its refusal of HELO.</summary>
    public SmtpHeloException(SmtpResponse response) : base(Describe("HELO refused", response), response) { }
}
