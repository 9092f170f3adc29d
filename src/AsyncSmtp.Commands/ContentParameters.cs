using System.Collections;
using System.Management.Automation;
using AsyncSmtp.Mime;

namespace AsyncSmtp.Commands;

/// <summary>Builds a message from the content parameters. Call on the pipeline thread (paths are resolved against $PWD).</summary>
internal static class ContentParameters
{
    /// <summary>Whether any content parameter was given.</summary>
    public static bool HasContent(IMessageContentParameters p) =>
        p.From is not null || p.To is not null || p.Cc is not null || p.Bcc is not null || p.ReplyTo is not null
        || p.Subject is not null || p.Body is not null || p.HtmlBody is not null || p.Attachments is not null || p.Header is not null
        || p.InlineAttachment is not null || p.Encoding is not null || p.BodyAsHtml
        || p.Priority != SmtpMessagePriority.Normal;

    /// <summary>The message, or a non-terminating ErrorRecord explaining why it could not be built.</summary>
    public static SmtpMessage? Build(PSCmdlet cmdlet, IMessageContentParameters p, out ErrorRecord? error,
        IReadOnlyCollection<string>? pipedFiles = null)
    {
        error = null;
        try
        {
            var attachments = pipedFiles is { Count: > 0 }
                ? (p.Attachments ?? Array.Empty<string>()).Concat(pipedFiles)
                : p.Attachments;
            var spec = new SmtpMessageSpec
            {
                From = p.From,
                To = p.To,
                Cc = p.Cc,
                Bcc = p.Bcc,
                ReplyTo = p.ReplyTo,
                Subject = p.Subject,
                Body = p.Body,
                BodyAsHtml = p.BodyAsHtml,
                HtmlBody = p.HtmlBody,
                Attachments = attachments?.Select(a => FileSystemPath(cmdlet, a)).ToArray(),
                InlineAttachments = ToInlineAttachments(cmdlet, p.InlineAttachment),
                Encoding = p.Encoding,
                Priority = p.Priority,
                Headers = ToHeaders(p.Header),
            };
            return SmtpMessageFactory.Create(spec);
        }
        catch (FileNotFoundException missing)
        {
            error = SmtpErrorMapper.ToErrorRecord(missing, missing.FileName, SmtpErrorIds.PathNotFound);
        }
        catch (Client.SmtpArgumentException invalid)
        {
            error = SmtpErrorMapper.ToErrorRecord(invalid, invalid.ArgumentName ?? p.Subject, SmtpErrorIds.InvalidArgument);
        }
        catch (Exception invalid) when (SmtpErrorMapper.IsReportable(invalid))
        {
            error = SmtpErrorMapper.ToErrorRecord(invalid, p.Subject, SmtpErrorIds.InvalidArgument);
        }
        return null;
    }

    // An empty path is passed on as it is, for the Mime layer to refuse by name (resolved, it would be $PWD).
    private static string FileSystemPath(PSCmdlet cmdlet, string path) =>
        string.IsNullOrWhiteSpace(path) ? path : cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static IDictionary<string, string>? ToInlineAttachments(PSCmdlet cmdlet, IDictionary? inline)
    {
        if (inline is null) return null;
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in inline)
        {
            string path = PSObjectValue.Unwrap(entry.Value) switch
            {
                FileSystemInfo file => file.FullName,
                var value => FileSystemPath(cmdlet, value?.ToString() ?? string.Empty),
            };
            parts[PSObjectValue.Unwrap(entry.Key)?.ToString() ?? string.Empty] = path;
        }
        return parts;
    }

    private static IDictionary<string, string>? ToHeaders(IDictionary? header)
    {
        if (header is null) return null;
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in header)
            headers[PSObjectValue.Unwrap(entry.Key)?.ToString() ?? string.Empty] =
                PSObjectValue.Unwrap(entry.Value)?.ToString() ?? string.Empty;
        return headers;
    }
}
