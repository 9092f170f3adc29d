using System.Text;
using AsyncSmtp.Client;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

public class CreateTests
{
    // MimeKit's parser hands text back with the platform's line ends; the wire format is checked separately.
    private static string Lf(string text) => text.Replace("\r\n", "\n");

    private static SmtpMessageSpec Spec(Action<SmtpMessageSpec>? change = null)
    {
        var spec = new SmtpMessageSpec { From = "Alice <alice@example.com>", To = new[] { "bob@example.com" }, Subject = "Hello", Body = "Hi Bob" };
        change?.Invoke(spec);
        return spec;
    }

    [Fact]
    public async Task Addresses_accept_display_names_comma_lists_and_groups()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.To = new[] { "Bob <bob@example.com>, carol@example.com", "\"Doe, John\" <john@example.com>" };
            s.Cc = new[] { "Team: dave@example.com, erin@example.com;" };
            s.ReplyTo = new[] { "Help Desk <help@example.com>" };
        }));

        Assert.Equal("Alice", sent.Message.From.Mailboxes.Single().Name);
        Assert.Equal("alice@example.com", sent.Message.From.Mailboxes.Single().Address);
        Assert.Equal(new[] { "bob@example.com", "carol@example.com", "john@example.com" }, sent.Message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal("Doe, John", sent.Message.To.Mailboxes.Last().Name);
        Assert.Equal(new[] { "dave@example.com", "erin@example.com" }, sent.Message.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal("help@example.com", sent.Message.ReplyTo.Mailboxes.Single().Address);
    }

    [Fact]
    public void Properties_show_formatted_addresses()
    {
        var message = SmtpMessageFactory.Create(Spec(s =>
        {
            s.To = new[] { "Bob <bob@example.com>, carol@example.com" };
            s.Cc = new[] { "cc@example.com" };
            s.Bcc = new[] { "Hidden <hidden@example.com>" };
        }));

        Assert.Equal("Alice <alice@example.com>", message.From);
        Assert.Equal(new[] { "Bob <bob@example.com>", "carol@example.com" }, message.To);
        Assert.Equal(new[] { "cc@example.com" }, message.Cc);
        Assert.Equal(new[] { "Hidden <hidden@example.com>" }, message.Bcc);
        Assert.Equal("Hello", message.Subject);
        Assert.Contains("Hello", message.ToString());
        Assert.Contains("carol@example.com", message.ToString());
    }

    [Fact]
    public void Formatted_addresses_quote_only_names_that_need_it_and_parse_back()
    {
        var message = SmtpMessageFactory.Create(Spec(s =>
        {
            s.To = new[] { "\"Doe, John\" <john@example.com>", "\"Ops (night)\" <ops@example.com>", "Jörg Müller <joerg@bücher.example>" };
            s.Cc = new[] { "Team: a@example.com, B <b@example.com>;" };
        }));

        Assert.Equal(new[] { "\"Doe, John\" <john@example.com>", "\"Ops (night)\" <ops@example.com>", "Jörg Müller <joerg@bücher.example>" }, message.To);
        Assert.Equal(new[] { "Team: a@example.com, B <b@example.com>;" }, message.Cc);

        var again = SmtpMessageFactory.Create(Spec(s =>
        {
            s.To = message.To;
            s.Cc = message.Cc;
        }));
        Assert.Equal(message.To, again.To);
        Assert.Equal(message.Cc, again.Cc);
    }

    [Fact]
    public async Task Date_and_message_id_are_always_set_with_the_senders_domain()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var message = SmtpMessageFactory.Create(Spec());
        var sent = await Sent.ContentOf(message);

        Assert.EndsWith("@example.com", message.MessageId);
        Assert.Equal(message.MessageId, sent.Message.MessageId);
        Assert.InRange(sent.Message.Date, before, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Contains("\r\nDate: ", sent.Text);
        Assert.NotEqual(message.MessageId, SmtpMessageFactory.Create(Spec()).MessageId);
        Assert.Matches(@"^[0-9A-Za-z]+\.[0-9A-Za-z]+@xn--bcher-kva\.example$",
            SmtpMessageFactory.Create(Spec(s => s.From = "jörg@bücher.example")).MessageId);
    }

    [Fact]
    public async Task Utf8_subject_is_encoded_as_rfc2047_and_decodes_back()
    {
        const string Subject = "Grüße aus Köln — 日本語 🎉";
        var sent = await Sent.Of(Spec(s => s.Subject = Subject));

        Assert.Equal(Subject, sent.Message.Subject);
        Assert.Contains("Subject: =?utf-8?", sent.Text);
        Assert.All(sent.Bytes, b => Assert.True(b < 0x80, "an ASCII-only message carries no 8-bit byte"));
    }

    [Fact]
    public async Task Null_subject_leaves_no_subject_header()
    {
        var sent = await Sent.Of(Spec(s => s.Subject = null));
        Assert.DoesNotContain("Subject:", sent.Text);
    }

    [Fact]
    public async Task Plain_body_is_utf8_text()
    {
        const string Body = "Hallo Jörg,\nline two\n";
        var sent = await Sent.Of(Spec(s => s.Body = Body));

        var part = Assert.IsType<TextPart>(sent.Message.Body);
        Assert.Equal("text/plain", part.ContentType.MimeType);
        Assert.Equal("utf-8", part.ContentType.Charset);
        Assert.Equal(Body, Lf(part.Text));
    }

    [Fact]
    public async Task Every_line_on_the_wire_ends_in_crlf()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Body = "unix\nlines\nand\r\nwindows\rmac";
            s.HtmlBody = "<p>a</p>\n<p>b</p>";
        }));

        for (var i = 0; i < sent.Bytes.Length; i++)
        {
            if (sent.Bytes[i] == (byte)'\n') Assert.Equal((byte)'\r', sent.Bytes[i - 1]);
            if (sent.Bytes[i] == (byte)'\r') Assert.Equal((byte)'\n', sent.Bytes[i + 1]);
        }

        Assert.EndsWith("\r\n", sent.Text);
    }

    [Fact]
    public async Task Ascii_body_goes_as_7bit()
    {
        var sent = await Sent.Of(Spec(s => s.Body = "plain ascii"));
        Assert.Equal(ContentEncoding.SevenBit, Assert.IsAssignableFrom<MimePart>(sent.Message.Body).ContentTransferEncoding);
    }

    [Fact]
    public async Task BodyAsHtml_makes_a_text_html_body()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Body = "<p>Hi</p>";
            s.BodyAsHtml = true;
        }));

        var part = Assert.IsType<TextPart>(sent.Message.Body);
        Assert.Equal("text/html", part.ContentType.MimeType);
        Assert.Equal("<p>Hi</p>", Lf(part.Text).TrimEnd('\n'));
    }

    [Fact]
    public async Task HtmlBody_makes_a_multipart_alternative_plain_first()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Body = "Hi Bob";
            s.HtmlBody = "<p>Hi <b>Bob</b></p>";
        }));

        var alternative = Assert.IsType<MultipartAlternative>(sent.Message.Body);
        Assert.Equal(2, alternative.Count);
        Assert.Equal("text/plain", alternative[0].ContentType.MimeType);
        Assert.Equal("text/html", alternative[1].ContentType.MimeType);
        Assert.Equal("Hi Bob", Lf(((TextPart)alternative[0]).Text).TrimEnd('\n'));
        Assert.Equal("<p>Hi <b>Bob</b></p>", Lf(((TextPart)alternative[1]).Text).TrimEnd('\n'));
    }

    [Fact]
    public async Task HtmlBody_without_Body_is_a_single_html_part()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Body = null;
            s.HtmlBody = "<p>only html</p>";
        }));

        Assert.Equal("text/html", Assert.IsType<TextPart>(sent.Message.Body).ContentType.MimeType);
    }

    [Fact]
    public void BodyAsHtml_with_HtmlBody_is_refused()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s =>
        {
            s.BodyAsHtml = true;
            s.HtmlBody = "<p>x</p>";
        })));
        Assert.Equal("HtmlBody", error.ArgumentName);
    }

    [Theory]
    [InlineData(SmtpMessagePriority.High, "1 (Highest)", "high", "urgent")]
    [InlineData(SmtpMessagePriority.Low, "5 (Lowest)", "low", "non-urgent")]
    public async Task Priority_sets_the_three_standard_headers(SmtpMessagePriority priority, string xPriority, string importance, string rfcPriority)
    {
        var sent = await Sent.Of(Spec(s => s.Priority = priority));

        Assert.Equal(xPriority, sent.Message.Headers["X-Priority"]);
        Assert.Equal(importance, sent.Message.Headers["Importance"]);
        Assert.Equal(rfcPriority, sent.Message.Headers["Priority"]);
    }

    [Fact]
    public async Task Normal_priority_adds_no_priority_header()
    {
        var sent = await Sent.Of(Spec(s => s.Priority = SmtpMessagePriority.Normal));

        Assert.False(sent.Message.Headers.Contains("X-Priority"));
        Assert.False(sent.Message.Headers.Contains("Importance"));
        Assert.False(sent.Message.Headers.Contains("Priority"));
    }

    [Fact]
    public async Task Extra_headers_are_added_and_utf8_values_encoded()
    {
        var sent = await Sent.Of(Spec(s => s.Headers = new Dictionary<string, string>
        {
            ["X-Mailer-Job"] = "nightly 42",
            ["X-Greeting"] = "Grüße",
            ["Auto-Submitted"] = "auto-generated",
        }));

        Assert.Equal("nightly 42", sent.Message.Headers["X-Mailer-Job"]);
        Assert.Equal("Grüße", sent.Message.Headers["X-Greeting"]);
        Assert.Equal("auto-generated", sent.Message.Headers["Auto-Submitted"]);
        Assert.Contains("X-Greeting: =?utf-8?", sent.Text);
    }

    [Fact]
    public async Task Extra_headers_replace_date_message_id_and_priority()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Priority = SmtpMessagePriority.High;
            s.Headers = new Dictionary<string, string>
            {
                ["Message-Id"] = "<custom-1@example.org>",
                ["Date"] = "Tue, 01 Jul 2025 10:00:00 +0000",
                ["X-Priority"] = "2 (High)",
            };
        }));

        Assert.Equal("custom-1@example.org", sent.Message.MessageId);
        Assert.Single(sent.Message.Headers, h => h.Id == HeaderId.MessageId);
        Assert.Single(sent.Message.Headers, h => h.Id == HeaderId.Date);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 10, 0, 0, TimeSpan.Zero), sent.Message.Date);
        Assert.Equal("2 (High)", sent.Message.Headers["X-Priority"]);
    }

    [Fact]
    public async Task A_header_name_given_twice_gives_two_headers_in_order()
    {
        var sent = await Sent.Of(Spec(s => s.Headers = new[]
        {
            new KeyValuePair<string, string>("Comments", "first"),
            new KeyValuePair<string, string>("X-Tag", "a"),
            new KeyValuePair<string, string>("Comments", "second"),
        }));

        Assert.Equal(new[] { "first", "second" },
            sent.Message.Headers.Where(h => h.Field == "Comments").Select(h => h.Value).ToArray());
    }

    [Fact]
    public async Task A_repeated_header_that_replaces_a_generated_one_replaces_it_once_and_adds_the_rest()
    {
        var sent = await Sent.Of(Spec(s =>
        {
            s.Priority = SmtpMessagePriority.High;
            s.Headers = new[]
            {
                new KeyValuePair<string, string>("X-Priority", "2 (High)"),
                new KeyValuePair<string, string>("X-Priority", "1 (Highest)"),
            };
        }));

        Assert.Equal(new[] { "2 (High)", "1 (Highest)" },
            sent.Message.Headers.Where(h => h.Field == "X-Priority").Select(h => h.Value).ToArray());
    }

    [Theory]
    [InlineData("Date", "Tue, 01 Jul 2025 10:00:00 +0000")]
    [InlineData("Message-Id", "<a@example.org>")]
    [InlineData("References", "<a@example.org>")]
    public void A_header_allowed_once_given_twice_throws(string name, string value)
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.Headers = new[]
        {
            new KeyValuePair<string, string>(name, value),
            new KeyValuePair<string, string>(name, value),
        })));
        Assert.Equal("Header", error.ArgumentName);
        Assert.Contains("only once", error.Message);
    }

    [Theory]
    [InlineData("Content-Type")]
    [InlineData("content-transfer-encoding")]
    [InlineData("MIME-Version")]
    [InlineData("From")]
    [InlineData("to")]
    [InlineData("Bcc")]
    [InlineData("Subject")]
    [InlineData("X Bad")]
    [InlineData("X-Bad:")]
    [InlineData("X-Ünicode")]
    [InlineData("")]
    public void Refused_or_invalid_header_names_throw(string name)
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.Headers = new Dictionary<string, string> { [name] = "value" })));
        Assert.Equal("Header", error.ArgumentName);
    }

    [Theory]
    [InlineData("line\r\nBcc: victim@example.com")]
    [InlineData("line\nmore")]
    [InlineData("bare\rcr")]
    [InlineData("nul\0byte")]
    public void Header_values_with_line_breaks_or_controls_throw(string value)
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.Headers = new Dictionary<string, string> { ["X-Test"] = value })));
        Assert.Contains("X-Test", error.Message);
    }

    [Fact]
    public void Address_headers_given_as_extra_headers_are_checked()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.Headers = new Dictionary<string, string> { ["Sender"] = "not an address" })));
        Assert.Contains("not an address", error.Message);
    }

    [Fact]
    public void Subject_with_a_line_break_throws()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.Subject = "Hi\r\nBcc: x@example.com")));
        Assert.Equal("Subject", error.ArgumentName);
    }

    [Fact]
    public void Missing_From_throws()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.From = null)));
        Assert.Equal("From", error.ArgumentName);
    }

    [Theory]
    [InlineData("To", "not-an-address")]
    [InlineData("To", "bob@")]
    [InlineData("To", "@example.com")]
    [InlineData("To", "bob@example.com>")]
    [InlineData("To", "bob example@example.com")]
    [InlineData("To", "bob@example.com\r\nBcc: x@example.com")]
    [InlineData("Cc", "carol")]
    [InlineData("Bcc", "a@b;")]
    [InlineData("ReplyTo", "reply")]
    [InlineData("From", "two@example.com, mailboxes@example.com")]
    [InlineData("From", "Group: a@example.com;")]
    [InlineData("From", "nodomain")]
    public void Invalid_addresses_throw_naming_the_address_and_parameter(string parameter, string address)
    {
        var spec = Spec();
        switch (parameter)
        {
            case "To": spec.To = new[] { "ok@example.com", address }; break;
            case "Cc": spec.Cc = new[] { address }; break;
            case "Bcc": spec.Bcc = new[] { address }; break;
            case "ReplyTo": spec.ReplyTo = new[] { address }; break;
            case "From": spec.From = address; break;
        }

        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(spec));
        Assert.Equal(parameter, error.ArgumentName);
        Assert.Contains(address, error.Message);
    }

    [Fact]
    public void Empty_address_string_throws()
    {
        var error = Assert.Throws<SmtpArgumentException>(() => SmtpMessageFactory.Create(Spec(s => s.To = new[] { " " })));
        Assert.Equal("To", error.ArgumentName);
    }

    [Fact]
    public async Task Idn_domain_with_ascii_local_part_is_sent_as_punycode_without_smtputf8()
    {
        var message = SmtpMessageFactory.Create(Spec(s => s.To = new[] { "Jörg <joerg@bücher.example>" }));
        var sent = await Sent.ContentOf(message);

        Assert.False(message.RequiresSmtpUtf8);
        Assert.Contains("joerg@xn--bcher-kva.example", sent.Text);
        Assert.All(sent.Bytes, b => Assert.True(b < 0x80));
        var envelope = message.CreateEnvelope();
        Assert.Equal("joerg@xn--bcher-kva.example", envelope.Recipients.Single().Address);
        Assert.False(envelope.RequireSmtpUtf8);
    }

    [Fact]
    public async Task Utf8_local_part_is_sent_international_and_requires_smtputf8()
    {
        var message = SmtpMessageFactory.Create(Spec(s =>
        {
            s.From = "Jörg <jörg@bücher.example>";
            s.To = new[] { "用户@例子.example" };
            s.Subject = "Grüße";
        }));
        var sent = await Sent.ContentOf(message);

        Assert.True(message.RequiresSmtpUtf8);
        Assert.Contains("From: Jörg <jörg@bücher.example>\r\n", sent.Text);
        Assert.Contains("To: 用户@例子.example\r\n", sent.Text);
        Assert.Contains("Subject: Grüße\r\n", sent.Text);
        Assert.Equal("jörg@bücher.example", sent.Message.From.Mailboxes.Single().Address);
        Assert.Equal("用户@例子.example", sent.Message.To.Mailboxes.Single().Address);

        var envelope = message.CreateEnvelope();
        Assert.True(envelope.RequireSmtpUtf8);
        Assert.Equal("jörg@bücher.example", envelope.Sender);
        Assert.Equal("用户@例子.example", envelope.Recipients.Single().Address);
    }

    [Fact]
    public void Null_spec_throws()
    {
        Assert.Throws<ArgumentNullException>(() => SmtpMessageFactory.Create(null!));
    }
}
