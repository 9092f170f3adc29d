using AsyncSmtp.Client;

namespace AsyncSmtp.Mime.Tests;

public class EnvelopeTests
{
    private static SmtpMessage Raw(params string[] headers) =>
        SmtpMessageFactory.Parse(string.Join("\r\n", headers) + "\r\n\r\nbody\r\n");

    private static string[] Recipients(SmtpEnvelope envelope) => envelope.Recipients.Select(r => r.Address).ToArray();

    [Fact]
    public void Sender_is_From_and_recipients_are_To_Cc_Bcc_as_bare_addresses()
    {
        var envelope = Raw(
            "From: Alice <alice@example.com>",
            "To: Bob <bob@example.com>, carol@example.com",
            "Cc: \"Dave D.\" <dave@example.com>",
            "Bcc: erin@example.com").CreateEnvelope();

        Assert.Equal("alice@example.com", envelope.Sender);
        Assert.Equal(new[] { "bob@example.com", "carol@example.com", "dave@example.com", "erin@example.com" }, Recipients(envelope));
        Assert.False(envelope.RequireSmtpUtf8);
    }

    [Theory]
    [InlineData("Bench Sender <sender@example.test>", "Bench Recipient <rcpt@example.test>")]
    [InlineData("a@bücher.example", "b@bücher.example")]
    [InlineData("ü@bücher.example", "ö@bücher.example")]
    [InlineData("\"quoted local\"@example.test", "\"a,b\" <x@example.test>")]
    [InlineData("Name, With Comma <n@example.test>", "Team: a@example.test, b@example.test;")]
    [InlineData("日本 <jp@日本.example>", "x@xn--bcher-kva.example")]
    public void A_built_message_has_the_envelope_its_saved_headers_give(string from, string to)
    {
        // A built message's envelope comes from its address lists, a loaded one's from its header text.
        using var dir = new TempDirectory();
        var built = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = from,
            To = new[] { to },
            Cc = new[] { "Carol <carol@example.test>" },
            Bcc = new[] { "dave@example.test" },
            Body = "text",
        });
        var path = System.IO.Path.Combine(dir.Path, "built.eml");
        built.Save(path);

        var expected = SmtpMessageFactory.Load(path).CreateEnvelope();
        var envelope = built.CreateEnvelope();

        Assert.Equal(expected.Sender, envelope.Sender);
        Assert.Equal(Recipients(expected), Recipients(envelope));
        Assert.Equal(expected.RequireSmtpUtf8, envelope.RequireSmtpUtf8);
    }

    [Fact]
    public void A_Sender_or_Resent_header_added_to_a_built_message_decides_its_envelope()
    {
        var withSender = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "x@example.com" },
            Headers = new Dictionary<string, string> { ["Sender"] = "Secretary <sec@example.com>" },
        });
        var resent = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "x@example.com" },
            Headers = new Dictionary<string, string>
            {
                ["Resent-From"] = "fwd@example.org",
                ["Resent-To"] = "new@example.org",
            },
        });

        Assert.Equal("sec@example.com", withSender.CreateEnvelope().Sender);
        Assert.Equal(new[] { "x@example.com" }, Recipients(withSender.CreateEnvelope()));
        Assert.Equal("fwd@example.org", resent.CreateEnvelope().Sender);
        Assert.Equal(new[] { "new@example.org" }, Recipients(resent.CreateEnvelope()));
    }

    [Fact]
    public void Sender_header_wins_over_From()
    {
        var envelope = Raw("From: a@example.com, b@example.com", "Sender: Secretary <sec@example.com>", "To: x@example.com").CreateEnvelope();
        Assert.Equal("sec@example.com", envelope.Sender);
    }

    [Fact]
    public void From_with_several_mailboxes_and_no_Sender_throws()
    {
        var message = Raw("From: a@example.com, b@example.com", "To: x@example.com");
        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope());
        Assert.Contains("From", error.Message);
        Assert.Equal("Sender", error.ArgumentName);
    }

    [Fact]
    public void No_From_and_no_Sender_throws()
    {
        var message = Raw("To: x@example.com", "Subject: no sender");
        Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope());
        Assert.Equal("me@example.com", message.CreateEnvelope(sender: "me@example.com").Sender);
    }

    [Fact]
    public void Groups_are_expanded_and_duplicates_removed_ignoring_case()
    {
        var envelope = Raw(
            "From: a@example.com",
            "To: Team: Bob@Example.com, carol@example.com;, bob@example.com",
            "Cc: CAROL@EXAMPLE.COM, undisclosed-recipients:;",
            "Bcc: bob@example.com").CreateEnvelope();

        Assert.Equal(new[] { "Bob@Example.com", "carol@example.com" }, Recipients(envelope));
    }

    [Fact]
    public void Empty_address_headers_are_ignored()
    {
        var envelope = Raw("From: a@example.com", "To: x@example.com", "Bcc: ").CreateEnvelope();
        Assert.Equal(new[] { "x@example.com" }, Recipients(envelope));
    }

    [Fact]
    public void No_recipients_throws()
    {
        var message = Raw("From: a@example.com", "Subject: nobody");
        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope());
        Assert.Equal("Recipient", error.ArgumentName);
        Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope(recipients: Array.Empty<string>()));
    }

    [Fact]
    public void One_resent_block_gives_the_envelope()
    {
        var envelope = Raw(
            "Resent-Date: Tue, 01 Jul 2025 10:00:00 +0000",
            "Resent-From: Forwarder <fwd@example.org>",
            "Resent-To: new1@example.org",
            "Resent-Cc: new2@example.org",
            "Resent-Bcc: new3@example.org",
            "From: orig@example.com",
            "To: original-recipient@example.com").CreateEnvelope();

        Assert.Equal("fwd@example.org", envelope.Sender);
        Assert.Equal(new[] { "new1@example.org", "new2@example.org", "new3@example.org" }, Recipients(envelope));
    }

    [Fact]
    public void Resent_Sender_wins_over_Resent_From()
    {
        var envelope = Raw(
            "Resent-Date: Tue, 01 Jul 2025 10:00:00 +0000",
            "Resent-From: a@example.org, b@example.org",
            "Resent-Sender: agent@example.org",
            "Resent-To: new@example.org",
            "From: orig@example.com",
            "To: x@example.com").CreateEnvelope();

        Assert.Equal("agent@example.org", envelope.Sender);
    }

    [Theory]
    [InlineData("Received: from relay\r\n")]
    [InlineData("")]
    public void Two_resent_blocks_throw(string between)
    {
        var message = SmtpMessageFactory.Parse(
            "Resent-Date: Wed, 02 Jul 2025 10:00:00 +0000\r\nResent-From: second@example.org\r\nResent-To: r2@example.org\r\n" +
            between +
            "Resent-Date: Tue, 01 Jul 2025 10:00:00 +0000\r\nResent-From: first@example.org\r\nResent-To: r1@example.org\r\n" +
            "From: orig@example.com\r\nTo: x@example.com\r\n\r\nbody\r\n");

        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope());
        Assert.Contains("multiple Resent blocks", error.Message);
        var explicitEnvelope = message.CreateEnvelope("me@example.com", new[] { "you@example.com" });
        Assert.Equal("me@example.com", explicitEnvelope.Sender);
    }

    [Fact]
    public void Explicit_sender_and_recipients_override_the_headers()
    {
        var message = Raw("From: a@example.com", "To: b@example.com", "Bcc: c@example.com");
        var envelope = message.CreateEnvelope("Bounce Handler <bounce@example.net>", new[] { "x@example.net", "Y <y@example.net>", "X@example.net" });

        Assert.Equal("bounce@example.net", envelope.Sender);
        Assert.Equal(new[] { "x@example.net", "y@example.net" }, Recipients(envelope));
    }

    [Fact]
    public void Only_the_sender_can_be_overridden()
    {
        var envelope = Raw("From: a@example.com", "To: b@example.com").CreateEnvelope(sender: "other@example.com");
        Assert.Equal("other@example.com", envelope.Sender);
        Assert.Equal(new[] { "b@example.com" }, Recipients(envelope));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<>")]
    public void Empty_sender_is_the_null_reverse_path(string sender)
    {
        var envelope = Raw("From: a@example.com", "To: b@example.com").CreateEnvelope(sender);
        Assert.Equal(string.Empty, envelope.Sender);
    }

    [Theory]
    [InlineData("not an address")]
    [InlineData("a@example.com, b@example.com")]
    [InlineData("bad\r\n@example.com")]
    public void Invalid_explicit_sender_throws(string sender)
    {
        var message = Raw("From: a@example.com", "To: b@example.com");
        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope(sender));
        Assert.Equal("Sender", error.ArgumentName);
    }

    // One parser for every content form (the raw form included): one address or one "Name <address>", nothing else.
    [Theory]
    [InlineData("a@b.test\r\nRCPT TO:<evil@x.test>")]
    [InlineData("a@b.test\nRCPT TO:<evil@x.test>")]
    [InlineData("Boss\n<evil@x.test>")]
    [InlineData("a@b.test\0")]
    [InlineData("a@b.test\r\n")]
    [InlineData("a@b.test <c@d.test>")]
    [InlineData("a@b.test SIZE=1")]
    [InlineData("not an address")]
    [InlineData("r1@x.test, r2@x.test")]
    [InlineData("Team: r1@x.test, r2@x.test;")]
    public void An_envelope_address_is_one_address_or_an_error(string value)
    {
        Assert.Equal("Sender", Assert.Throws<SmtpArgumentException>(() => EnvelopeAddress.Sender(value)).ArgumentName);
        Assert.Equal("Recipient", Assert.Throws<SmtpArgumentException>(() => EnvelopeAddress.Recipient(value)).ArgumentName);
    }

    [Theory]
    [InlineData("a@b.test", "a@b.test")]
    [InlineData("  a@b.test  ", "a@b.test")]
    [InlineData("<a@b.test>", "a@b.test")]
    [InlineData("The Boss <boss@b.test>", "boss@b.test")]
    [InlineData("\"Boss, The\" <boss@b.test>", "boss@b.test")]
    public void An_envelope_address_may_carry_a_name(string value, string address)
    {
        Assert.Equal(address, EnvelopeAddress.Sender(value));
        Assert.Equal(address, EnvelopeAddress.Recipient(value));
    }

    [Fact]
    public void Invalid_explicit_recipient_throws_naming_it()
    {
        var message = Raw("From: a@example.com", "To: b@example.com");
        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope(recipients: new[] { "ok@example.com", "broken@" }));
        Assert.Equal("Recipient", error.ArgumentName);
        Assert.Contains("broken@", error.Message);
    }

    [Fact]
    public void Notify_is_applied_to_every_recipient()
    {
        var envelope = Raw("From: a@example.com", "To: b@example.com, c@example.com").CreateEnvelope(notify: SmtpNotify.Success | SmtpNotify.Failure);
        Assert.All(envelope.Recipients, r => Assert.Equal(SmtpNotify.Success | SmtpNotify.Failure, r.Notify));
        Assert.All(Raw("From: a@example.com", "To: b@example.com").CreateEnvelope().Recipients, r => Assert.Equal(SmtpNotify.Default, r.Notify));
    }

    [Fact]
    public void Header_address_without_domain_throws_naming_the_header()
    {
        var message = Raw("From: a@example.com", "To: localuser");
        var error = Assert.Throws<SmtpArgumentException>(() => message.CreateEnvelope());
        Assert.Contains("localuser", error.Message);
        Assert.Contains("To", error.Message);
    }

    [Fact]
    public void Bcc_of_a_built_message_is_an_envelope_recipient()
    {
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "to@example.com" },
            Bcc = new[] { "Secret <secret@example.com>" },
        });

        Assert.Equal(new[] { "to@example.com", "secret@example.com" }, Recipients(message.CreateEnvelope()));
    }

    [Fact]
    public void Resent_headers_added_to_a_built_message_redirect_it()
    {
        var message = SmtpMessageFactory.Create(new SmtpMessageSpec
        {
            From = "a@example.com",
            To = new[] { "to@example.com" },
            Headers = new Dictionary<string, string>
            {
                ["Resent-Date"] = "Tue, 01 Jul 2025 10:00:00 +0000",
                ["Resent-From"] = "fwd@example.org",
                ["Resent-To"] = "new@example.org",
            },
        });

        var envelope = message.CreateEnvelope();
        Assert.Equal("fwd@example.org", envelope.Sender);
        Assert.Equal(new[] { "new@example.org" }, Recipients(envelope));
    }

    [Fact]
    public void Utf8_explicit_recipient_requires_smtputf8()
    {
        var envelope = Raw("From: a@example.com", "To: b@example.com").CreateEnvelope(recipients: new[] { "jörg@bücher.example" });
        Assert.True(envelope.RequireSmtpUtf8);
        Assert.Equal("jörg@bücher.example", envelope.Recipients.Single().Address);
    }

    [Fact]
    public void Loaded_utf8_address_header_requires_smtputf8_but_punycode_does_not()
    {
        var utf8 = SmtpMessageFactory.Parse("From: jörg@bücher.example\r\nTo: b@example.com\r\n\r\nbody\r\n");
        Assert.True(utf8.RequiresSmtpUtf8);
        Assert.True(utf8.CreateEnvelope().RequireSmtpUtf8);

        var ascii = SmtpMessageFactory.Parse("From: joerg@xn--bcher-kva.example\r\nTo: b@example.com\r\nSubject: =?utf-8?q?Gr=C3=BC=C3=9Fe?=\r\n\r\nbody\r\n");
        Assert.False(ascii.RequiresSmtpUtf8);
        var envelope = ascii.CreateEnvelope();
        Assert.False(envelope.RequireSmtpUtf8);
        Assert.Equal("joerg@xn--bcher-kva.example", envelope.Sender);
    }
}
