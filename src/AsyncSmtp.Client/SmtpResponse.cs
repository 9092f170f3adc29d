// In the module's root namespace: this is the type Invoke-SmtpCommand returns (AsyncSmtp.SmtpResponse), not a copy.
namespace AsyncSmtp;

/// <summary>
/// One complete SMTP reply: a code, the text of every line, and the RFC 3463 enhanced status code when present.
/// </summary>
public sealed class SmtpResponse
{
    /// <summary>
    /// A reply from its <paramref name="code"/> and the text of each line, without code and separator.
    /// </summary>
    public SmtpResponse(int code, IReadOnlyList<string> lines)
    {
        Code = code;
        Lines = lines;
        EnhancedStatusCode = Client.EnhancedStatusCodeParser.Find(code, lines.Count > 0 ? lines[0] : string.Empty);
        Message = string.Join("\n", lines);
    }

    /// <summary>The three-digit reply code.</summary>
    public int Code { get; }

    /// <summary>The text of each line, without the code and separator.</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The lines joined with a line feed.</summary>
    public string Message { get; }

    /// <summary>
    /// "class.subject.detail" (RFC 3463) when the first line starts with one that matches the reply's class; otherwise
    /// null.
    /// </summary>
    public string? EnhancedStatusCode { get; }

    /// <summary>2xx or 3xx.</summary>
    public bool IsSuccess => Code >= 200 && Code < 400;

    /// <summary>4xx: the server may accept the same request later.</summary>
    public bool IsTransient => Code >= 400 && Code < 500;

    /// <summary>The code and the text, as a log or error message shows a reply.</summary>
    public override string ToString() => $"{Code} {Message}";
}
