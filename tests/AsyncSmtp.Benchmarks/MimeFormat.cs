using MimeKit;

namespace AsyncSmtp.Benchmarks;

/// <summary>How a MimeMessage is written for SMTP: CRLF line ends, Bcc hidden (what MailKit does too). Built once.</summary>
internal static class MimeFormat
{
    public static readonly FormatOptions Transmit = Create();

    private static FormatOptions Create()
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.HiddenHeaders.Add(HeaderId.Bcc);
        return options;
    }
}
