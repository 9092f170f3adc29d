using System.Text;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>
/// A plain-text message is composed as bytes without MimeKit (PlainMessageComposer); it must be the message MimeKit
/// would have written for the same parameters, byte for byte, sent and saved, with the same properties and envelope.
/// </summary>
public class ComposedMessageTests
{
    private static SmtpMessageSpec Plain(Action<SmtpMessageSpec>? change = null)
    {
        var spec = new SmtpMessageSpec
        {
            From = "Bench Sender <sender@example.test>",
            To = new[] { "Bench Recipient <rcpt@example.test>" },
            Subject = "Benchmark message 1",
            Body = "line one\nline two\n",
        };
        change?.Invoke(spec);
        return spec;
    }

    public static IEnumerable<object[]> ComposedCases() => new[]
    {
        Plain(),
        Plain(s => s.Subject = null),
        Plain(s => s.Subject = ""),
        Plain(s => s.Subject = "a  b   c"),
        Plain(s => s.Subject = new string('s', 69)),
        Plain(s => s.Body = null),
        Plain(s => s.Body = "no final line break"),
        Plain(s => s.Body = "crlf\r\nand cr\rand lf\n\n.\n.. dots\n"),
        Plain(s => s.Priority = SmtpMessagePriority.High),
        Plain(s => s.Priority = SmtpMessagePriority.Low),
        Plain(s => s.Encoding = Encoding.UTF8),
        Plain(s =>
        {
            s.To = new[] { "\"Doe, John\" <john@example.test>, carol@example.test" };
            s.Cc = new[] { "Team: dave@example.test, erin@example.test;" };
            s.Bcc = new[] { "hidden@example.test", "A.B. Name <ab@example.test>" };
            s.ReplyTo = new[] { "Help Desk <help@example.test>" };
        }),
        Plain(s => s.To = new[] { "idn@b\u00fccher.example" }),
        Plain(s => s.From = "sender@b\u00fccher.example"),
        Plain(s => { s.To = null; s.Bcc = new[] { "only-bcc@example.test" }; }),
        // An encoded-word name that fits on the line; a last line "From " that MimeKit does not protect either.
        Plain(s => s.To = new[] { "J\u00fcrgen <j@example.test>" }),
        Plain(s => s.Body = "From here on"),
        // Subjects MimeKit encodes or folds, and bodies that need a transfer encoding: MimeKit's own header and part.
        Plain(s => s.Subject = "Gr\u00fc\u00dfe aus K\u00f6ln"),
        Plain(s => s.Subject = " leading space"),
        Plain(s => s.Subject = "trailing space "),
        Plain(s => s.Subject = "looks =?utf-8?q?encoded?="),
        Plain(s => s.Subject = string.Join(" ", Enumerable.Repeat("word", 20))),
        Plain(s => s.Subject = string.Join(" ", Enumerable.Repeat("W\u00f6rter", 20))),
        Plain(s => s.Body = "Gr\u00fc\u00dfe\nfrom K\u00f6ln"),
        Plain(s => s.Body = "\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8\n"),
        Plain(s => s.Body = "From here on\n"),
        Plain(s => s.Body = new string('x', 79)),
        Plain(s => { s.Encoding = Encoding.Latin1; s.Subject = "Gr\u00fc\u00dfe"; s.Body = "Gr\u00fc\u00dfe"; }),
        Plain(s => s.Encoding = Encoding.Latin1),
        // Extra headers: replacing the generated ones in place (any case of the name), added in order otherwise.
        Plain(s => s.Headers = Headers(("Message-Id", "<expiry-1@example.com>"))),
        Plain(s => s.Headers = Headers(("Message-ID", " <expiry-2@example.com> "), ("X-Mailer", "script 1.0"))),
        Plain(s => s.Headers = Headers(("Comments", "one"), ("Comments", "two"), ("X-Note", "Gr\u00fc\u00dfe"))),
        Plain(s => s.Headers = Headers(("Date", "Mon, 30 Nov 2026 08:00:00 +0100"), ("In-Reply-To", "<a@b.test>"))),
        Plain(s =>
        {
            s.Priority = SmtpMessagePriority.High;
            s.Headers = Headers(("x-priority", "2"), ("X-Long", string.Join(" ", Enumerable.Repeat("value", 30))));
        }),
        // A Message-Id line too long for one line (the sender's long domain), and address lines MimeKit folds.
        Plain(s => s.From = "sender@a-very-long-subdomain.of-an.example.test"),
        Plain(s => s.To = Enumerable.Range(0, 5).Select(i => $"recipient{i}@example.test").ToArray()),
        Plain(s =>
        {
            s.Cc = new[] { "Team: dave@example.test, erin@example.test, \"Doe, John\" <john@example.test>;" };
            s.Bcc = Enumerable.Range(0, 9).Select(i => $"J\u00fcrgen {i} <j{i}@b\u00fccher.example>").ToArray();
            s.ReplyTo = new[] { "A very long display name for the help desk of the example <help@example.test>" };
        }),
    }.Select(spec => new object[] { spec });

    public static IEnumerable<object[]> DeclinedCases() => new[]
    {
        Plain(s => s.To = new[] { "j\u00fcrgen@example.test" }),
        Plain(s => s.Bcc = Enumerable.Range(0, 9).Select(i => $"j\u00fcrgen{i}@example.test").ToArray()),
        Plain(s => s.HtmlBody = "<p>hi</p>"),
        Plain(s => { s.BodyAsHtml = true; }),
        Plain(s => s.Headers = Headers(("Sender", "Office <office@example.test>"))),
        Plain(s => s.Headers = Headers(("Resent-From", "other@example.test"))),
        Plain(s => s.Headers = Headers(("Message-Id", "no-brackets@example.test"))),
        Plain(s => s.Headers = Headers(("Message-Id", "<two@example.test> <ids@example.test>"))),
    }.Select(spec => new object[] { spec });

    private static KeyValuePair<string, string>[] Headers(params (string Name, string Value)[] headers) =>
        headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToArray();

    private static bool Has(SmtpMessageSpec spec, string header) =>
        spec.Headers?.Any(h => h.Key.Equals(header, StringComparison.OrdinalIgnoreCase)) == true;

    [Theory]
    [MemberData(nameof(ComposedCases))]
    public async Task A_plain_message_is_composed_as_MimeKit_would_write_it(SmtpMessageSpec spec)
    {
        var composed = PlainMessageComposer.TryCompose(spec, MessageAddresses.Parse(spec));

        Assert.NotNull(composed);
        await AssertSameAsMimeKit(spec, composed!);
    }

    [Theory]
    [MemberData(nameof(DeclinedCases))]
    public void A_message_the_composer_cannot_write_is_left_to_MimeKit(SmtpMessageSpec spec)
    {
        Assert.Null(PlainMessageComposer.TryCompose(spec, MessageAddresses.Parse(spec)));
    }

    // Random plain messages from a fixed seed: whatever the composer takes must match MimeKit, and it takes nearly
    // all of them (only a UTF-8 local part, which none of these has, is declined among plain texts).
    [Fact]
    public async Task Random_plain_messages_match_MimeKit_byte_for_byte()
    {
        var random = new Random(20261129);
        int composedCount = 0;
        const int Cases = 1500;
        for (int i = 0; i < Cases; i++)
        {
            var spec = RandomSpec(random);
            var composed = PlainMessageComposer.TryCompose(spec, MessageAddresses.Parse(spec));
            if (composed is null) continue;
            composedCount++;
            await AssertSameAsMimeKit(spec, composed);
        }

        Assert.InRange(composedCount, Cases * 9 / 10, Cases);
    }

    [Fact]
    public void Create_composes_a_plain_message_without_a_MimeMessage()
    {
        var plain = SmtpMessageFactory.Create(Plain());
        var html = SmtpMessageFactory.Create(Plain(s => s.HtmlBody = "<p>hi</p>"));

        Assert.DoesNotContain(ObjectGraph.Snapshot(plain), slot => slot.Value is MimeMessage);
        Assert.Contains(ObjectGraph.Snapshot(html), slot => slot.Value is MimeMessage);
    }

    [Fact]
    public void Each_composed_message_has_its_own_Message_Id_with_the_senders_domain()
    {
        var first = SmtpMessageFactory.Create(Plain());
        var second = SmtpMessageFactory.Create(Plain());

        Assert.NotEqual(first.MessageId, second.MessageId);
        Assert.EndsWith("@example.test", first.MessageId);
    }

    private static async Task AssertSameAsMimeKit(SmtpMessageSpec spec, ComposedMessageSource composed)
    {
        var composedMessage = new SmtpMessage(composed);
        var saved = Saved(composed);
        var (mime, files) = MessageBuilder.Build(spec, MessageAddresses.Parse(spec));
        // The two parts no two builds share, unless given as headers: the time and the unique id.
        if (!Has(spec, "Date")) mime.Date = MimeMessage.Load(new MemoryStream(saved)).Date;
        if (!Has(spec, "Message-Id")) mime.MessageId = composed.MessageId!;
        var reference = new MimeMessageSource(mime, files, built: true);
        var referenceMessage = new SmtpMessage(reference);

        Assert.Equal(Encoding.ASCII.GetString(Saved(reference)), Encoding.ASCII.GetString(saved));
        var sent = await Sent.ContentOf(composedMessage);
        var referenceSent = await Sent.ContentOf(referenceMessage);
        Assert.Equal(Encoding.ASCII.GetString(referenceSent.Bytes), sent.Text);
        Assert.Equal(referenceMessage.Size, composedMessage.Size);
        Assert.Equal(sent.Bytes.Length, sent.AnnouncedLength);
        Assert.Equal(referenceMessage.ToString(), composedMessage.ToString());
        Assert.Equal(referenceMessage.MessageId, composedMessage.MessageId);
        Assert.Equal(referenceMessage.RequiresSmtpUtf8, composedMessage.RequiresSmtpUtf8);
        var envelope = composedMessage.CreateEnvelope();
        var referenceEnvelope = referenceMessage.CreateEnvelope();
        Assert.Equal(referenceEnvelope.Sender, envelope.Sender);
        Assert.Equal(referenceEnvelope.Recipients.Select(r => r.Address), envelope.Recipients.Select(r => r.Address));
        Assert.Equal(referenceEnvelope.RequireSmtpUtf8, envelope.RequireSmtpUtf8);
    }

    private static byte[] Saved(MessageSource source)
    {
        var bytes = new MemoryStream();
        source.WriteSaved(bytes);
        return bytes.ToArray();
    }

    private static readonly string[] _names =
    {
        "", "Ann", "Bench Sender", "O'Brien", "A.B. Name", "Doe, John", "Smith (IT)", "x", "Team <Lead>",
        "\"Quoted\"", "back\\slash", "Anna-Lena Meyer-Schmidt", "Dr. Who", "J\u00fcrgen Gro\u00df", "Zo\u00eb",
    };

    private static readonly string[] _domains =
    {
        "example.test", "mail.example.org", "b\u00fccher.example", "a-very-long-subdomain.of-an.example.test",
    };

    private static readonly string[] _lines =
    {
        "", ".", "..", "Hello,", "From here", "from lower case", "a line with  two spaces", " leading", "trailing ",
        "tab\there", "=?utf-8?q?x?=", new string('y', 78), new string('z', 79), "Gr\u00fc\u00dfe", "x=y; z",
    };

    private static SmtpMessageSpec RandomSpec(Random random)
    {
        string Address() =>
            Pick(random, _names) is var name && name.Length > 0
                ? $"\"{Escaped(name)}\" <u{random.Next(1000)}@{Pick(random, _domains)}>"
                : $"u{random.Next(1000)}@{Pick(random, _domains)}";
        string[]? List(int max) => random.Next(3) == 0
            ? null
            : Enumerable.Range(0, random.Next(1, max + 1)).Select(_ => Address()).ToArray();
        var subjectChars = Enumerable.Range(0, random.Next(0, 90)).Select(_ => random.Next(12) switch
        {
            0 => ' ',
            1 => Pick(random, "\u00e4\u00f6\u00fc\u00df\u00e9\u65e5\u20ac".ToCharArray()),
            _ => (char)random.Next(0x21, 0x7F),
        });
        return new SmtpMessageSpec
        {
            From = Address(),
            To = List(6) ?? new[] { Address() },
            Cc = List(3),
            Bcc = List(2),
            ReplyTo = List(1),
            Subject = random.Next(10) == 0 ? null : new string(subjectChars.ToArray()),
            Body = string.Join(Pick(random, new[] { "\n", "\r\n", "\r" }),
                Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(4) == 0 ? Pick(random, _lines) : "Hi,")),
            Priority = (SmtpMessagePriority)random.Next(3),
        };
    }

    private static string Escaped(string name) => name.Replace("\\", "\\\\").Replace("\"", "\\\"");

    private static T Pick<T>(Random random, IReadOnlyList<T> items) => items[random.Next(items.Count)];
}
