namespace AsyncSmtp.Commands;

/// <summary>
/// Turns an engine exception into the ErrorRecord of the public contract: the stable ErrorId, its
/// category (ResourceUnavailable for a transient 4xx reply), the thing that failed as the target,
/// the server's reply in ErrorDetails, and the engine's exception itself.
/// </summary>
internal static class SmtpErrorMapper
{
    /// <param name="error">What was thrown.</param>
    /// <param name="target">What failed: "host:port", an address, a message or a path. Never a credential.</param>
    /// <param name="fallbackErrorId">The ErrorId of the stage when the exception does not name one itself.</param>
    /// <param name="transient">
    /// Trying again later may succeed although no 4xx reply says so (a connection lost before the end of data):
    /// the category is ResourceUnavailable, as for a 4xx.
    /// </param>
    public static ErrorRecord ToErrorRecord(Exception error, object? target, string fallbackErrorId,
        bool transient = false)
    {
        string errorId = ErrorIdOf(error, fallbackErrorId);
        var category = transient || error is SmtpException { IsTransient: true }
            ? ErrorCategory.ResourceUnavailable
            : CategoryOf(errorId);
        var record = new ErrorRecord(error, errorId, category, target);
        string? action = (error as SmtpAuthenticationException)?.RecommendedAction;
        if (error is SmtpException { Response: { } reply })
        {
            string text = error.Message.IndexOf(reply.Message, StringComparison.Ordinal) >= 0
                ? error.Message
                : $"{error.Message} The server replied: {reply.Code} {reply.Message}";
            record.ErrorDetails = new ErrorDetails(text);
            action ??= ProviderReplies.Explain(errorId, reply)
                ?? (reply.IsTransient ? "The refusal is temporary (4xx): try again later." : null);
        }
        if (action is not null)
        {
            record.ErrorDetails ??= new ErrorDetails(error.Message);
            record.ErrorDetails.RecommendedAction = action;
        }
        if (error is SmtpConnectException { TlsModeHint: not SmtpTlsModeHint.None } wrongMode)
            AddTlsModeHint(record, wrongMode);
        if (error is SmtpNotConnectedException)
        {
            record.ErrorDetails = new ErrorDetails(
                $"The SMTP session to {target} is closed; open a new one with Connect-Smtp.");
        }
        return record;
    }

    /// <summary>The port seems to speak the other TLS mode: say which switch to use.</summary>
    private static void AddTlsModeHint(ErrorRecord record, SmtpConnectException error)
    {
        string hint = error.TlsModeHint == SmtpTlsModeHint.ExpectsStartTls
            ? "This port expects STARTTLS: use -StartTls."
            : "If this port speaks TLS at once (as 465 usually does), it waits silently for a TLS hello: use -UseTls.";
        string text = $"{record.ErrorDetails?.Message ?? error.Message} {hint}";
        record.ErrorDetails = new ErrorDetails(text) { RecommendedAction = hint };
    }

    /// <summary>
    /// Whether a failure is about the item at hand — a message, a file, an address, a command, the
    /// connection — and so becomes an ErrorRecord; anything else (a stop, a defect) propagates. Whether
    /// the cmdlet can go on to the next item is the exception's type: <see cref="SmtpCommandException"/>.
    /// </summary>
    public static bool IsReportable(Exception error) => error is SmtpException or ArgumentException or FormatException
        or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException or TimeoutException
        or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException;

    /// <summary>The ErrorId an error is reported with (the delivery journal records it too).</summary>
    public static string ErrorIdOf(Exception error, string fallback) => error switch
    {
        SmtpConnectTimeoutException => SmtpErrorIds.ConnectTimeout,
        SmtpTlsException => SmtpErrorIds.TlsFailed,
        SmtpConnectException => SmtpErrorIds.ConnectFailed,
        SmtpDeliveryUncertainException => SmtpErrorIds.DeliveryUncertain,
        SmtpReadTimeoutException => SmtpErrorIds.ReadTimeout,
        SmtpServerDisconnectedException => SmtpErrorIds.ServerDisconnected,
        SmtpStartTlsNotSupportedException => SmtpErrorIds.StartTlsNotSupported,
        SmtpAuthenticationNotSupportedException => SmtpErrorIds.AuthenticationNotSupported,
        SmtpNotSupportedException => SmtpErrorIds.ExtensionNotSupported,
        SmtpHeloException => SmtpErrorIds.HeloFailed,
        SmtpAuthenticationException => SmtpErrorIds.AuthenticationFailed,
        SmtpUnencryptedAuthenticationException => SmtpErrorIds.UnencryptedAuthenticationRefused,
        SmtpSenderRefusedException refused =>
            IsSizeRefusal(refused) ? SmtpErrorIds.MessageTooLarge : SmtpErrorIds.SenderRejected,
        SmtpRecipientRefusedException => SmtpErrorIds.RecipientRejected,
        SmtpRecipientsRefusedException => SmtpErrorIds.RecipientsRejected,
        SmtpDataException refused =>
            IsSizeRefusal(refused) ? SmtpErrorIds.MessageTooLarge : SmtpErrorIds.MessageRejected,
        SmtpMessageTooLargeException => SmtpErrorIds.MessageTooLarge,
        SmtpProtocolException => SmtpErrorIds.ProtocolError,
        SmtpArgumentException => SmtpErrorIds.InvalidArgument,
        SmtpNotConnectedException => SmtpErrorIds.SessionClosed,
        FileNotFoundException => SmtpErrorIds.PathNotFound,
        _ => fallback,
    };

    /// <summary>
    /// 552 (RFC 1870 "exceeds fixed maximum"), X.3.4 "too big for system" or X.2.3 "exceeds administrative limit".
    /// </summary>
    private static bool IsSizeRefusal(SmtpException refusal) =>
        refusal.Code == 552 || refusal.EnhancedStatusCode is { } code
            && (code.EndsWith(".3.4", StringComparison.Ordinal) || code.EndsWith(".2.3", StringComparison.Ordinal));

    private static ErrorCategory CategoryOf(string errorId) => errorId switch
    {
        SmtpErrorIds.ConnectFailed or SmtpErrorIds.ServerDisconnected => ErrorCategory.ConnectionError,
        SmtpErrorIds.ConnectTimeout or SmtpErrorIds.ReadTimeout => ErrorCategory.OperationTimeout,
        SmtpErrorIds.TlsFailed or SmtpErrorIds.StartTlsNotSupported or SmtpErrorIds.UnencryptedAuthenticationRefused =>
            ErrorCategory.SecurityError,
        SmtpErrorIds.HeloFailed or SmtpErrorIds.ProtocolError => ErrorCategory.ProtocolError,
        SmtpErrorIds.AuthenticationFailed or SmtpErrorIds.AuthenticationNotSupported =>
            ErrorCategory.AuthenticationError,
        SmtpErrorIds.SenderRejected => ErrorCategory.PermissionDenied,
        SmtpErrorIds.RecipientRejected or SmtpErrorIds.RecipientsRejected or SmtpErrorIds.InvalidArgument =>
            ErrorCategory.InvalidArgument,
        SmtpErrorIds.MessageRejected => ErrorCategory.InvalidData,
        SmtpErrorIds.MessageTooLarge => ErrorCategory.LimitsExceeded,
        SmtpErrorIds.ExtensionNotSupported => ErrorCategory.NotImplemented,
        SmtpErrorIds.CommandNotAllowed or SmtpErrorIds.SessionClosed => ErrorCategory.InvalidOperation,
        SmtpErrorIds.PathNotFound => ErrorCategory.ObjectNotFound,
        SmtpErrorIds.DeliveryUncertain => ErrorCategory.ResourceUnavailable,
        _ => ErrorCategory.NotSpecified,
    };
}
