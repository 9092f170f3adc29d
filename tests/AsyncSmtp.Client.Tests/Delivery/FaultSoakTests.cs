using System.Diagnostics;
using System.Text;
using AsyncSmtp.Client.Delivery;
using AsyncSmtp.TestServer;
using Xunit.Abstractions;

namespace AsyncSmtp.Client.Tests.Delivery;

/// <summary>
/// Thousands of messages over four connections through a server that drops, defers, throttles and delays at
/// random (a fixed seed): every message must end with exactly one honest outcome.
/// </summary>
public sealed class FaultSoakTests : IDisposable
{
    private const int Messages = 2000;

    private readonly ITestOutputHelper _output;
    private readonly string _journalPath =
        Path.Combine(Path.GetTempPath(), "soak-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public FaultSoakTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => File.Delete(_journalPath);

    [Fact]
    public async Task Every_message_has_one_honest_outcome_under_random_faults()
    {
        var faults = new SmtpFaultPlan(20261128)
        {
            ThrottleAtGreeting = 0.01,
            DropAtMail = 0.004,
            DeferAtMail = 0.01,
            DeferAtRcpt = 0.02,
            DropAtData = 0.004,
            DropMidBody = 0.004,
            DropAfterDot = 0.004,
            AcceptThenDrop = 0.004,
            DeferAtEndOfData = 0.01,
            Delay = 0.02,
            MaxDelayMilliseconds = 5,
        };
        var serverOptions = new SmtpTestServerOptions { Faults = faults };
        // DATA, not BDAT: a drop mid-body needs a body that is read line by line.
        serverOptions.Extensions.Remove("CHUNKING");
        await using var server = SmtpTestServer.StartNew(serverOptions);
        var options = new SmtpDeliveryOptions
        {
            MaxConnections = 4,
            MaxRetry = 6,
            RetryDelay = TimeSpan.Zero,
            RandomSeed = 1,
            Journal = DeliveryJournal.Open(_journalPath),
        };
        using var delivery = new SmtpDelivery(() => new SmtpClient(new SmtpClientOptions
        {
            Host = server.Host,
            Port = server.Port,
            TlsMode = SmtpTlsMode.None,
        }), options);

        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(50));
        var outcomes = new List<DeliveryOutcome>(Messages);
        for (int i = 0; i < Messages; i++)
        {
            // Every fifth message has two recipients, so that one can be deferred while the other is accepted.
            var recipients = i % 5 == 0 ? new[] { $"a{i}@x.test", $"b{i}@x.test" } : new[] { $"a{i}@x.test" };
            string id = $"soak{i}@test";
            var text = $"Message-ID: <{id}>\r\nSubject: {i}\r\n\r\nbody {i}\r\n";
            delivery.Add(new SmtpEnvelope("s@x.test", recipients.Select(r => new SmtpRecipient(r))),
                SmtpContent.FromBytes(Encoding.ASCII.GetBytes(text)), id);
            while (delivery.TryTakeOutcome(out var ready)) outcomes.Add(ready);
        }
        delivery.Complete();
        while (await delivery.TakeOutcomeAsync(deadline.Token) is { } outcome) outcomes.Add(outcome);
        await delivery.CloseAsync(deadline.Token);
        clock.Stop();
        options.Journal.Dispose();

        var byStatus = outcomes.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Count());
        int retried = outcomes.Count(o => o.Attempts > 1);
        double seconds = clock.Elapsed.TotalSeconds;
        _output.WriteLine($"{Messages} messages in {seconds:0.0} s ({Messages / seconds:0} msg/s), " +
            $"{server.Sessions.Count} connections, final limit {delivery.ConnectionLimit}: " +
            $"sent {outcomes.Sum(o => o.Attempts)} attempts, " +
            $"accepted {byStatus.GetValueOrDefault(DeliveryStatus.Accepted)}, retried {retried}, " +
            $"uncertain {byStatus.GetValueOrDefault(DeliveryStatus.Uncertain)}, " +
            $"failed {byStatus.GetValueOrDefault(DeliveryStatus.Failed)}; server kept {server.Messages.Count} messages");

        // Exactly one outcome per message, in input order.
        Assert.Equal(Enumerable.Range(0, Messages), outcomes.Select(o => o.Index));
        // Nothing kept twice, for any recipient.
        Assert.DoesNotContain(server.Ledger.Accepted, pair => pair.Value > 1);
        using var journal = DeliveryJournal.Open(_journalPath);
        foreach (var outcome in outcomes)
        {
            var all = outcome.AcceptedRecipients.Concat(outcome.RejectedRecipients.Select(r => r.Recipient)).ToList();
            var faultsMet = server.Ledger.FaultsOf(outcome.MessageId);
            bool lostAfterItsData = faultsMet.Any(f =>
                f is MessageFault.DroppedAfterDot or MessageFault.AcceptedThenDropped or MessageFault.DroppedMidBody);
            string id = outcome.MessageId;
            switch (outcome.Status)
            {
                case DeliveryStatus.Accepted:
                    // Accepted means kept by the server exactly once, for each recipient named; the others never.
                    Assert.All(outcome.AcceptedRecipients, r => Assert.Equal(1, server.Ledger.AcceptedCount(id, r)));
                    Assert.All(outcome.RejectedRecipients, r => Assert.Equal(0, server.Ledger.AcceptedCount(id, r.Recipient)));
                    break;
                case DeliveryStatus.Uncertain:
                    // Only a message whose connection died after all its data was written is uncertain.
                    Assert.True(lostAfterItsData, $"{id} is uncertain but no drop after its data: {outcome.Error}");
                    break;
                case DeliveryStatus.Failed:
                    // Not sent means not kept by the server.
                    Assert.DoesNotContain(server.Ledger.Accepted, pair => pair.Key.MessageId == outcome.MessageId);
                    break;
                default:
                    Assert.Fail($"{outcome.MessageId}: {outcome.Status}");
                    break;
            }
            // A message whose whole data arrived and whose reply was lost is uncertain, whatever retries remained.
            if (faultsMet.Any(f => f is MessageFault.DroppedAfterDot or MessageFault.AcceptedThenDropped))
                Assert.Equal(DeliveryStatus.Uncertain, outcome.Status);
            Assert.Equal(outcome.Status, journal.Find(outcome.MessageId)!.Status);
        }
        Assert.Contains(outcomes, o => o.Attempts > 1);
        Assert.Contains(outcomes, o => o.Status == DeliveryStatus.Uncertain);
    }
}
