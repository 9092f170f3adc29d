namespace AsyncSmtp;

/// <summary>A server reply as Invoke-SmtpCommand returns it. A 4xx/5xx reply is data, not an error.</summary>
public sealed class SmtpResponse
{
    internal SmtpResponse(Client.SmtpResponse reply)
    {
        Code = reply.Code;
        EnhancedStatusCode = reply.EnhancedStatusCode;
        Message = reply.Message;
        Lines = reply.Lines.ToArray();
    }

    /// <summary>The three-digit reply code.</summary>
    public int Code { get; }

    /// <summary>The RFC 3463 code ("2.1.5") when the server sent one.</summary>
    public string? EnhancedStatusCode { get; }

    /// <summary>The text of every line, joined with a line feed.</summary>
    public string Message { get; }

    /// <summary>The text of each line, without the code.</summary>
    public string[] Lines { get; }

    /// <summary>2xx or 3xx.</summary>
    public bool IsSuccess => Code >= 200 && Code < 400;

    public override string ToString() => $"{Code} {Message}";
}
