namespace AsyncSmtp.Client;

/// <summary>A command was used on a client that is not connected (never connected, quit, or dropped).</summary>
public sealed class SmtpNotConnectedException : SmtpConnectionException
{
    /// <summary>Raised before anything is written; <paramref name="message"/> says what was attempted.</summary>
    public SmtpNotConnectedException(string message) : base(message) { }
}
