namespace AsyncSmtp.Client;

/// <summary>How the server answered RCPT TO for one probed address.</summary>
public sealed class SmtpProbeRecipient
{
    internal SmtpProbeRecipient(string address, SmtpResponse response)
    {
        Address = address;
        Response = response;
    }

    /// <summary>The probed address, as sent in RCPT TO.</summary>
    public string Address { get; }

    /// <summary>The server's reply to RCPT TO, which says whether it would take mail for the address.</summary>
    public SmtpResponse Response { get; }

    /// <summary>250 or 251 (RFC 5321 §4.2.2: accepted, or will forward).</summary>
    public bool Accepted => Response.Code is 250 or 251;
}
