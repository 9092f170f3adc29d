using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>
/// SimpleAddress reads and writes the common address forms itself: whatever it accepts, MimeKit's parser must accept
/// as the same mailbox, and its header text must be MimeKit's; whatever else it must leave to MimeKit.
/// </summary>
public class SimpleAddressTests
{
    [Theory]
    [InlineData("Bench Sender <sender@example.test>")]
    [InlineData("sender@example.test")]
    [InlineData("A <a@b>")]
    [InlineData("Jane Q Doe 2 <jane.q.doe+tag_1@mail-01.example.co.uk>")]
    [InlineData("x-y@localhost")]
    public void A_simple_address_is_the_mailbox_MimeKit_parses(string value)
    {
        var simple = SimpleAddress.TryParse(value);

        Assert.NotNull(simple);
        AssertSameAsMimeKit(value, simple!);
    }

    [Theory]
    [InlineData("\"Doe, John\" <john@example.test>")]
    [InlineData("Doe, John <john@example.test>")]
    [InlineData("J. Doe <j@example.test>")]
    [InlineData("Jo  Doe <j@example.test>")]
    [InlineData(" j@example.test")]
    [InlineData("j@example.test ")]
    [InlineData("<j@example.test>")]
    [InlineData("J <j@example.test> ")]
    [InlineData("j@example.test, k@example.test")]
    [InlineData("Group: j@example.test;")]
    [InlineData("j(comment)@example.test")]
    [InlineData("Jürgen <j@example.test>")]
    [InlineData("j@bücher.example")]
    [InlineData("jü@example.test")]
    [InlineData("j..k@example.test")]
    [InlineData(".j@example.test")]
    [InlineData("j@-example.test")]
    [InlineData("j@example-.test")]
    [InlineData("j@example..test")]
    [InlineData("j@")]
    [InlineData("@example.test")]
    [InlineData("j@k@example.test")]
    [InlineData("j@example.test\r\nRCPT TO:<x@y>")]
    [InlineData("")]
    public void Anything_else_is_left_to_MimeKit(string value) => Assert.Null(SimpleAddress.TryParse(value));

    [Fact]
    public void Random_addresses_it_accepts_are_what_MimeKit_reads_from_them()
    {
        // Address-shaped text from a fixed seed: names, local parts and domains near the edges of the simple form,
        // a third of them with one character changed to one that changes the meaning.
        var random = new Random(20261129);
        string Run(string alphabet, int max)
        {
            var chars = new char[random.Next(0, max)];
            for (var c = 0; c < chars.Length; c++) chars[c] = alphabet[random.Next(alphabet.Length)];
            return new string(chars);
        }

        int accepted = 0, rejected = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var name = random.Next(3) == 0 ? string.Empty : Run("abcXYZ019  ", 14);
            var address = Run("abz09._-+", 10) + "@" + Run("abz09.-", 14);
            var value = name.Length == 0 ? address : name + " <" + address + ">";
            if (random.Next(3) == 0 && value.Length > 0)
            {
                var chars = value.ToCharArray();
                chars[random.Next(chars.Length)] = "\"(),.;:<>@[] é\t"[random.Next(15)];
                value = new string(chars);
            }

            if (SimpleAddress.TryParse(value) is not { } simple)
            {
                rejected++;
                continue;
            }

            accepted++;
            AssertSameAsMimeKit(value, simple);
        }

        // Enough of each for the comparison to mean something.
        Assert.True(accepted > 2_000 && rejected > 2_000, $"{accepted} accepted, {rejected} rejected");
    }

    [Theory]
    [InlineData("Bench Sender <sender@example.test>")]
    [InlineData("sender@example.test")]
    public void The_header_text_of_a_simple_mailbox_is_MimeKits(string value)
    {
        var list = new InternetAddressList { SimpleAddress.TryParse(value)! };

        Assert.Equal(list.ToString(MimeOptions.Transmit(international: false), true), SimpleAddress.HeaderText(list));
    }

    [Fact]
    public void A_list_it_would_not_write_as_MimeKit_does_has_no_header_text()
    {
        var two = InternetAddressList.Parse("a@example.test, b@example.test");
        var quoted = InternetAddressList.Parse("\"Doe, John\" <john@example.test>");
        var international = new InternetAddressList { new MailboxAddress("Jürgen", "j@example.test") };

        Assert.Null(SimpleAddress.HeaderText(two));
        Assert.Null(SimpleAddress.HeaderText(quoted));
        Assert.Null(SimpleAddress.HeaderText(international));
    }

    private static void AssertSameAsMimeKit(string value, MailboxAddress simple)
    {
        Assert.True(InternetAddressList.TryParse(MimeOptions.StrictAddresses, value, out var parsed), value);
        var mailbox = Assert.IsType<MailboxAddress>(Assert.Single(parsed));
        Assert.Equal(mailbox.Name ?? string.Empty, simple.Name ?? string.Empty);
        Assert.Equal(mailbox.Address, simple.Address);
        Assert.Equal(mailbox.LocalPart, simple.LocalPart);
        Assert.Equal(mailbox.Domain, simple.Domain);
        Assert.Empty(simple.Route);
        Assert.Equal(mailbox.ToString(), simple.ToString());
        Assert.Equal(parsed.ToString(MimeOptions.Transmit(international: false), true),
            new InternetAddressList { simple }.ToString(MimeOptions.Transmit(international: false), true));
    }
}
