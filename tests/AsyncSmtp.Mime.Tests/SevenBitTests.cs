using System.Text;
using MimeKit;

namespace AsyncSmtp.Mime.Tests;

/// <summary>
/// Text parts skip MimeKit's encoding pass when the text is plainly 7bit: that shortcut must say 7bit for exactly
/// the UTF-8 texts MimeKit's GetBestEncoding(SevenBit) gives 7bit, never for one it would encode.
/// </summary>
public sealed class SevenBitTests
{
    public static TheoryData<string> Texts => new()
    {
        "",
        "hello",
        "hello\n",
        new string('x', 78),
        new string('x', 79),
        new string('x', 78) + "\n" + new string('y', 78),
        "a\n" + new string('x', 79) + "\nb",
        "From me\nhello",
        "hello\nFrom me\n",
        "hello\nFrom me",
        "hello\nFrom",
        "hello\nFrom\n",
        "hello\nfrom me\n",
        ">From me\n",
        "nul \0 inside",
        "caf\u00e9",
        "\u65e5\u672c",
        "tab\there\n.\n..\n",
        "\n\n\n",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_shortcut_agrees_with_MimeKit(string text)
    {
        var part = new TextPart("plain");
        part.SetText(Encoding.UTF8, text);
        bool mimeKitSaysSevenBit = part.GetBestEncoding(EncodingConstraint.SevenBit) == ContentEncoding.SevenBit;

        Assert.Equal(mimeKitSaysSevenBit, MessageText.IsPlainSevenBit(text, new UTF8Encoding(false)));
    }

    [Fact]
    public void Random_lines_agree_with_MimeKit()
    {
        var random = new Random(15);
        const string Alphabet = "abc From .\t\u00e9\0";
        for (int n = 0; n < 2000; n++)
        {
            var text = new StringBuilder();
            int lines = random.Next(0, 4);
            for (int line = 0; line < lines; line++)
            {
                int length = random.Next(0, 2) == 0 ? random.Next(0, 8) : random.Next(70, 85);
                for (int i = 0; i < length; i++)
                    text.Append(Alphabet[random.Next(random.Next(0, 20) == 0 ? Alphabet.Length : 9)]);
                if (random.Next(0, 3) > 0) text.Append('\n');
            }

            The_shortcut_agrees_with_MimeKit(text.ToString());
        }
    }

    // The composer asks about text as given, before its line breaks are made LF.
    [Fact]
    public void Any_line_break_counts_as_LF()
    {
        var random = new Random(29);
        string[] pieces = { "From me", "x", new string('y', 78), "\r\n", "\r", "\n", "\r\r\n", " " };
        for (int n = 0; n < 2000; n++)
        {
            var text = string.Concat(
                Enumerable.Range(0, random.Next(0, 6)).Select(_ => pieces[random.Next(pieces.Length)]));
            var normalised = MessageText.WithLineFeeds(text);

            Assert.Equal(MessageText.IsPlainSevenBit(normalised, Encoding.UTF8),
                MessageText.IsPlainSevenBit(text, Encoding.UTF8));
        }
    }

    [Fact]
    public void Another_charset_is_left_to_MimeKit() =>
        Assert.False(MessageText.IsPlainSevenBit("hello", Encoding.Unicode));
}
