namespace AsyncSmtp.Client;

/// <summary>
/// The base of every error the engine raises: either an <see cref="SmtpCommandException"/> (refused; the
/// connection goes on) or an <see cref="SmtpConnectionException"/> (the connection is gone). Messages never
/// carry secrets.
/// </summary>
public abstract class SmtpException : Exception
{
    /// <summary>
    /// The common part of every engine error: the message (never a secret) and the reply involved, if any.
    /// </summary>
    protected SmtpException(string message, SmtpResponse? response = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Response = response;
    }

    /// <summary>The reply that caused the error, when a reply did.</summary>
    public SmtpResponse? Response { get; }

    /// <summary>The reply code, or -1 when no reply was involved.</summary>
    public int Code => Response?.Code ?? -1;

    /// <summary>
    /// The RFC 3463 code of the reply ("5.1.1"), which says more precisely than the reply code what went wrong.
    /// </summary>
    public string? EnhancedStatusCode => Response?.EnhancedStatusCode;

    /// <summary>The server's text, when a reply was involved.</summary>
    public string? ServerMessage => Response?.Message;

    /// <summary>The reply was 4xx: the same request may succeed later.</summary>
    public bool IsTransient => Response?.IsTransient ?? false;

    internal static string Describe(string what, SmtpResponse response) =>
        $"{what}: {response.Code} {response.Message}";
}
