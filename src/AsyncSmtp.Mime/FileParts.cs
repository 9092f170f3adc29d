namespace AsyncSmtp.Mime;

/// <summary>The MIME parts made from files: attachments, and inline parts an HTML body shows by Content-Id.</summary>
internal static class FileParts
{
    /// <summary>A file the recipient saves: Content-Disposition attachment.</summary>
    public static MimePart Attachment(ReopenableFileStream file) =>
        Create(file, new ContentDisposition(ContentDisposition.Attachment));

    /// <summary>
    /// A part the HTML shows where it says <c>cid:id</c>: Content-Disposition inline and a Content-Id, so mail
    /// clients neither list it as an attachment nor lose its name when it is saved.
    /// </summary>
    public static MimePart Inline(ReopenableFileStream file, string contentId)
    {
        var part = Create(file, new ContentDisposition(ContentDisposition.Inline));
        part.ContentId = contentId;
        return part;
    }

    /// <summary>
    /// Checks a content id as users type it (what follows <c>cid:</c> in the HTML): the characters of an RFC 5322
    /// msg-id without its angle brackets, so that the header and the URL name the same part.
    /// </summary>
    public static string CheckContentId(string? contentId)
    {
        if (contentId is null || contentId.Length == 0 || contentId.Any(c => !IsContentIdChar(c)))
        {
            throw new SmtpArgumentException(
                $"'{contentId}' is not a valid content id: use letters, digits and . @ - _ (e.g. 'logo' for cid:logo).",
                "InlineAttachment");
        }

        return contentId;
    }

    // atext (RFC 5322 3.2.3) plus '.' and '@'; '%' is left out because in a cid: URL it starts an escape.
    private static bool IsContentIdChar(char c) =>
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "!#$&'*+-/=?^_`{|}~.@".IndexOf(c) >= 0;

    private static MimePart Create(ReopenableFileStream file, ContentDisposition disposition)
    {
        var part = new MimePart(MimeTypes.GetMimeType(file.Path))
        {
            Content = new Base64FileContent(file),
            ContentDisposition = disposition,
            ContentTransferEncoding = ContentEncoding.Base64,
        };
        SetFileName(part, Path.GetFileName(file.Path));
        return part;
    }

    // The name twice, as mail clients expect: Content-Disposition filename in RFC 2231 form (filename*=utf-8''...),
    // the standard, and Content-Type name as an RFC 2047 encoded word (name="=?utf-8?b?...?="), which is what older
    // clients (Outlook before 2007, Lotus Notes, many webmail parsers) read. ASCII names are written plainly in both.
    private static void SetFileName(MimePart part, string name)
    {
        part.ContentDisposition!.Parameters.Add(
            new Parameter("filename", name) { EncodingMethod = ParameterEncodingMethod.Rfc2231 });
        part.ContentType.Parameters.Add(
            new Parameter("name", name) { EncodingMethod = ParameterEncodingMethod.Rfc2047 });
    }
}
