namespace AsyncSmtp.Client;

/// <summary>ConnectAsync was called on a client that is already connected.</summary>
public sealed class SmtpAlreadyConnectedException : SmtpCommandException
{
    /// <summary>Raised instead of opening a second connection over the first, which would orphan it.</summary>
    public SmtpAlreadyConnectedException(string message) : base(message) { }
}
