using System.Collections;

namespace AsyncSmtp.Commands;

/// <summary>
/// Builds a message from the content parameters. Call on the pipeline thread (paths are resolved against $PWD).
/// </summary>
internal static class ContentParameters
{
    /// <summary>Whether any content parameter was given.</summary>
    public static bool HasContent(IMessageContentParameters p) =>
        p.From is not null || p.To is not null || p.Cc is not null || p.Bcc is not null || p.ReplyTo is not null
        || p.Subject is not null || p.Body is not null || p.HtmlBody is not null || p.Attachments is not null
            || p.Header is not null
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
                Attachments = attachments?.Select(a => FileArguments.Resolve(cmdlet, a, "Attachments")).ToArray(),
                InlineAttachments = ToInlineAttachments(cmdlet, p.InlineAttachment),
                Encoding = p.Encoding,
                Priority = p.Priority,
                Headers = HeaderValues.ToPairs(p.Header),
            };
            return SmtpMessageFactory.Create(spec);
        }
        catch (FileArguments.RefusedException refused)
        {
            error = refused.ErrorRecord;
        }
        catch (FileNotFoundException missing)
        {
            error = SmtpErrorMapper.ToErrorRecord(missing, missing.FileName, SmtpErrorIds.PathNotFound);
        }
        catch (Client.SmtpArgumentException invalid)
        {
            error = SmtpErrorMapper.ToErrorRecord(invalid, invalid.ArgumentName
                ?? p.Subject, SmtpErrorIds.InvalidArgument);
        }
        catch (Exception invalid) when (SmtpErrorMapper.IsReportable(invalid))
        {
            error = SmtpErrorMapper.ToErrorRecord(invalid, p.Subject, SmtpErrorIds.InvalidArgument);
        }
        return null;
    }

    private static IDictionary<string, string>? ToInlineAttachments(PSCmdlet cmdlet, IDictionary? inline)
    {
        if (inline is null) return null;
        var parts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in inline)
        {
            string path = PSObjectValue.Unwrap(entry.Value) switch
            {
                FileSystemInfo file => FileArguments.Resolve(cmdlet, file.FullName, "InlineAttachment"),
                var value => FileArguments.Resolve(cmdlet, value?.ToString() ?? string.Empty, "InlineAttachment"),
            };
            parts[PSObjectValue.Unwrap(entry.Key)?.ToString() ?? string.Empty] = path;
        }
        return parts;
    }

}
