namespace AsyncSmtp.Client;

/// <summary>A command was used on a client that is not connected (never connected, quit, or dropped).</summary>
public sealed class SmtpNotConnectedException : SmtpConnectionException
{
    public SmtpNotConnectedException(string message) : base(message) { }
}
