namespace AsyncSmtp.Client;

/// <summary>How the server answered RCPT TO for one probed address.</summary>
public sealed class SmtpProbeRecipient
{
    internal SmtpProbeRecipient(string address, SmtpResponse response)
    {
        Address = address;
        Response = response;
    }

    public string Address { get; }

    public SmtpResponse Response { get; }

    /// <summary>250 or 251 (RFC 5321 §4.2.2: accepted, or will forward).</summary>
    public bool Accepted => Response.Code is 250 or 251;
}
