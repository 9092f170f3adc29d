using System.Text;

namespace AsyncSmtp.Client.Internal;

/// <summary>Formats MAIL FROM and RCPT TO with their ESMTP parameters (SIZE, SMTPUTF8, BODY, DSN).</summary>
internal static class EnvelopeCommands
{
    // One builder per thread, cleared for each line: every message's MAIL and RCPT lines were a builder each, with
    // the buffers it grew through.
    [ThreadStatic] private static StringBuilder? _line;

    public static string Mail(SmtpEnvelope envelope, SmtpExtensions extensions, long? size, bool smtpUtf8)
    {
        var line = StartLine("MAIL FROM:<").Append(envelope.Sender).Append('>');
        // The order aiosmtplib uses: SIZE, SMTPUTF8, BODY; then DSN.
        if (size is long n && extensions.Contains("SIZE")) line.Append(" SIZE=").Append(n);
        if (smtpUtf8) line.Append(" SMTPUTF8");
        if (extensions.Contains("8BITMIME")) line.Append(" BODY=8BITMIME");
        if (envelope.Return != SmtpDsnReturn.Default)
            line.Append(" RET=").Append(envelope.Return == SmtpDsnReturn.Full ? "FULL" : "HDRS");
        if (envelope.EnvelopeId is not null) line.Append(" ENVID=").Append(XText(envelope.EnvelopeId));
        return line.ToString();
    }

    /// <summary>The RCPT TO line of each recipient, in order.</summary>
    public static string[] Rcpts(SmtpEnvelope envelope)
    {
        var lines = new string[envelope.Recipients.Count];
        for (var i = 0; i < lines.Length; i++) lines[i] = Rcpt(envelope.Recipients[i]);
        return lines;
    }

    public static string Rcpt(SmtpRecipient recipient)
    {
        var line = StartLine("RCPT TO:<").Append(recipient.Address).Append('>');
        if (recipient.Notify != SmtpNotify.Default) line.Append(" NOTIFY=").Append(Notify(recipient.Notify));
        if (recipient.OriginalRecipient is not null)
            line.Append(" ORCPT=rfc822;").Append(XText(recipient.OriginalRecipient));
        return line.ToString();
    }

    private static StringBuilder StartLine(string command) =>
        (_line ??= new StringBuilder(256)).Clear().Append(command);

    public static bool UsesDsn(SmtpEnvelope envelope) =>
        envelope.Return != SmtpDsnReturn.Default || envelope.EnvelopeId is not null ||
        envelope.Recipients.Any(r => r.Notify != SmtpNotify.Default || r.OriginalRecipient is not null);

    private static string Notify(SmtpNotify notify)
    {
        if ((notify & SmtpNotify.Never) != 0)
        {
            if (notify != SmtpNotify.Never)
                throw new SmtpArgumentException("NOTIFY=NEVER cannot be combined with other notifications.", "Notify");
            return "NEVER";
        }
        var parts = new List<string>(3);
        if ((notify & SmtpNotify.Success) != 0) parts.Add("SUCCESS");
        if ((notify & SmtpNotify.Failure) != 0) parts.Add("FAILURE");
        if ((notify & SmtpNotify.Delay) != 0) parts.Add("DELAY");
        return string.Join(",", parts);
    }

    /// <summary>RFC 3461 xtext: '+', '=' and characters outside 33..126 become "+XX" (UTF-8 bytes).</summary>
    public static string XText(string value)
    {
        var text = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            if (b < 33 || b > 126 || b == (byte)'+' || b == (byte)'=') text.Append('+').Append(b.ToString("X2"));
            else text.Append((char)b);
        }
        return text.ToString();
    }
}
