namespace AsyncSmtp.Client;

/// <summary>ConnectAsync was called on a client that is already connected.</summary>
public sealed class SmtpAlreadyConnectedException : SmtpCommandException
{
    public SmtpAlreadyConnectedException(string message) : base(message) { }
}
