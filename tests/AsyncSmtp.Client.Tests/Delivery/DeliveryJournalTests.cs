using System.Text;
using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Client.Tests.Delivery;

public sealed class DeliveryJournalTests : IDisposable
{
    private readonly string _path =
        Path.Combine(Path.GetTempPath(), "journal-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Each_outcome_is_one_json_line_on_disk_as_soon_as_it_is_recorded()
    {
        using var journal = DeliveryJournal.Open(_path);
        journal.Record(new JournalEntry("a@x", DeliveryStatus.Uncertain, new[] { "r1@x" }) { Attempts = 1 });

        // Read while the journal is still open, as a second process would after this one was killed.
        var lines = ReadShared();
        Assert.Single(lines);
        Assert.StartsWith("{\"MessageId\":\"a@x\",\"Status\":\"Uncertain\",\"Recipients\":[\"r1@x\"]", lines[0]);
        Assert.Contains("\"Attempts\":1", lines[0]);
    }

    [Fact]
    public void The_last_line_for_a_message_id_is_its_outcome_on_reopening()
    {
        using (var journal = DeliveryJournal.Open(_path))
        {
            journal.Record(new JournalEntry("a@x", DeliveryStatus.Uncertain, new[] { "r@x" }));
            journal.Record(new JournalEntry("b@x", DeliveryStatus.Uncertain, new[] { "r@x" }));
            journal.Record(new JournalEntry("a@x", DeliveryStatus.Accepted, new[] { "r@x" }));
            journal.Record(new JournalEntry("b@x", DeliveryStatus.Failed, Array.Empty<string>())
            {
                ErrorId = "SmtpMessageRejected",
            });
            journal.Record(new JournalEntry("c@x", DeliveryStatus.Deferred, new[] { "r1@x" }));
        }

        using var reopened = DeliveryJournal.Open(_path);
        Assert.True(reopened.IsDone("a@x"));
        Assert.False(reopened.IsDone("b@x"));
        Assert.Equal(DeliveryStatus.Failed, reopened.Find("b@x")!.Status);
        Assert.Equal(new[] { "r1@x" }, reopened.Find("c@x")!.Recipients);
        Assert.Null(reopened.Find("d@x"));
        Assert.Equal(5, ReadShared().Length);
    }

    [Fact]
    public void A_line_cut_short_by_a_killed_process_is_ignored_and_the_next_line_starts_afresh()
    {
        var whole = new JournalEntry("a@x", DeliveryStatus.Accepted, new[] { "r@x" }).ToJson();
        var cut = new JournalEntry("b@x", DeliveryStatus.Uncertain, new[] { "r@x" }).ToJson();
        File.WriteAllText(_path, whole + "\n" + cut.Substring(0, cut.Length - 5));

        using (var journal = DeliveryJournal.Open(_path))
        {
            Assert.True(journal.IsDone("a@x"));
            Assert.Null(journal.Find("b@x"));
            journal.Record(new JournalEntry("b@x", DeliveryStatus.Accepted, new[] { "r@x" }));
        }

        using var reopened = DeliveryJournal.Open(_path);
        Assert.True(reopened.IsDone("b@x"));
    }

    [Fact]
    public void Strings_with_quotes_control_characters_and_non_ascii_round_trip()
    {
        const string Odd = "id\"with\\odd\r\n\u0001chars-é@x";
        var reply = new SmtpResponse(550, new[] { "5.1.1 \"no\" such user" });
        var rejected = new SmtpRecipientRefusedException("bad@x", reply);
        using (var journal = DeliveryJournal.Open(_path))
        {
            journal.Record(new JournalEntry(Odd, DeliveryStatus.Accepted, new[] { "ü@x" })
            {
                RejectedRecipients = new[] { rejected },
                Response = "2.0.0 Ok: queued as 1\nsecond line",
            });
        }

        Assert.Single(ReadShared());
        using var reopened = DeliveryJournal.Open(_path);
        Assert.Equal(new[] { "ü@x" }, reopened.Find(Odd)!.Recipients);
    }

    [Fact]
    public void A_skipped_message_is_never_written_over_its_outcome()
    {
        using var journal = DeliveryJournal.Open(_path);
        var skipped = new JournalEntry("a@x", DeliveryStatus.Skipped, Array.Empty<string>());
        Assert.Throws<ArgumentException>(() => journal.Record(skipped));
    }

    private string[] ReadShared()
    {
        using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
