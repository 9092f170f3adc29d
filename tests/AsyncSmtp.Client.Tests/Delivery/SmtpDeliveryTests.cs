using System.Text;
using AsyncSmtp.Client.Delivery;
using AsyncSmtp.TestServer;

namespace AsyncSmtp.Client.Tests.Delivery;

/// <summary>SmtpDelivery against the scriptable test server: one outcome per message, in order, come what may.</summary>
public sealed class SmtpDeliveryTests : IDisposable
{
    private readonly string _journalPath =
        Path.Combine(Path.GetTempPath(), "delivery-" + Guid.NewGuid().ToString("N") + ".jsonl");

    public void Dispose() => File.Delete(_journalPath);

    private string ReadJournal()
    {
        using var stream = new FileStream(_journalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        return new StreamReader(stream).ReadToEnd();
    }

    private static SmtpContent Message(string id) =>
        SmtpContent.FromBytes(Encoding.ASCII.GetBytes($"Message-ID: <{id}>\r\nSubject: test\r\n\r\nbody of {id}\r\n"));

    private static SmtpEnvelope Envelope(params string[] recipients) =>
        new("s@x.test", recipients.Select(r => new SmtpRecipient(r)));

    private static SmtpDelivery Deliver(SmtpTestServer server, SmtpDeliveryOptions options) =>
        new(() => new SmtpClient(new SmtpClientOptions
        {
            Host = server.Host,
            Port = server.Port,
            TlsMode = SmtpTlsMode.None,
        }), options);

    private static async Task<List<DeliveryOutcome>> RunAsync(SmtpDelivery delivery, int count,
        params string[] recipients)
    {
        for (int i = 0; i < count; i++) delivery.Add(Envelope(recipients), Message($"m{i}@test"), $"m{i}@test", i);
        delivery.Complete();
        var outcomes = new List<DeliveryOutcome>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await delivery.TakeOutcomeAsync(deadline.Token) is { } outcome) outcomes.Add(outcome);
        await delivery.CloseAsync(deadline.Token);
        return outcomes;
    }

    private static SmtpDeliveryOptions NoWait(int maxRetry = 0, int connections = 1) => new()
    {
        MaxRetry = maxRetry,
        RetryDelay = TimeSpan.Zero,
        MaxConnections = connections,
    };

    [Fact]
    public async Task An_outcome_waited_for_while_more_input_may_come_is_released_by_whichever_connection_holds_it()
    {
        // Each connection holds its last end of data back to send with a next message. A caller that waits for an
        // outcome before completing the input (Send-SmtpMessage writing results as it goes) must get every one.
        await using var server = SmtpTestServer.StartNew();
        using var delivery = Deliver(server, NoWait(connections: 4));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var outcomes = new List<DeliveryOutcome>();
        // Rounds of four: once the connections are idle, each round leaves one message held on each of them.
        for (int round = 0; round < 10; round++)
        {
            for (int i = round * 4; i < round * 4 + 4; i++)
                delivery.Add(Envelope("r@x.test"), Message($"m{i}@test"), $"m{i}@test", i);
            for (int i = 0; i < 4; i++) outcomes.Add((await delivery.TakeOutcomeAsync(deadline.Token))!);
        }

        Assert.Equal(Enumerable.Range(0, 40), outcomes.Select(o => (int)o.State!));
        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        delivery.Complete();
        await delivery.CloseAsync(deadline.Token);
        Assert.Equal(40, server.Messages.Count);
    }

    [Fact]
    public async Task A_caller_that_adds_faster_than_the_server_takes_can_wait_for_the_queue_to_shrink()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnEndOfMessage().Delay(20).ThenDefault();
        using var delivery = Deliver(server, NoWait());
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        for (int i = 0; i < 20; i++) delivery.Add(Envelope("r@x.test"), Message($"m{i}@test"), $"m{i}@test", i);
        // Twenty messages at 20 ms each: most are still queued, and waiting for five left takes a while.
        Assert.True(delivery.WaitingCount > 5, $"{delivery.WaitingCount} waiting");

        await delivery.WhenWaitingAtMostAsync(5, deadline.Token);

        Assert.True(delivery.WaitingCount <= 5, $"{delivery.WaitingCount} waiting");
        Assert.True(server.Messages.Count >= 12, $"{server.Messages.Count} received");
        delivery.Complete();
        while (await delivery.TakeOutcomeAsync(deadline.Token) is not null) { }
        await delivery.CloseAsync(deadline.Token);
        Assert.Equal(20, server.Messages.Count);
    }

    [Fact]
    public async Task Messages_over_four_connections_come_out_in_input_order_each_accepted_once()
    {
        var faults = new SmtpFaultPlan(3) { Delay = 0.3, MaxDelayMilliseconds = 5 };
        await using var server = SmtpTestServer.StartNew(new SmtpTestServerOptions { Faults = faults });
        using var delivery = Deliver(server, NoWait(connections: 4));

        var outcomes = await RunAsync(delivery, 200, "r@x.test");

        Assert.Equal(Enumerable.Range(0, 200), outcomes.Select(o => o.Index));
        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        Assert.All(outcomes, o => Assert.Equal(1, server.Ledger.AcceptedCount(o.MessageId, "r@x.test")));
        Assert.InRange(server.Sessions.Count, 2, 4);
    }

    [Fact]
    public async Task A_callers_connection_is_used_as_it_comes_reconnected_when_lost_and_left_open()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("MAIL FROM:").Disconnect().Once();
        using var client = new SmtpClient(new SmtpClientOptions
        {
            Host = server.Host,
            Port = server.Port,
            TlsMode = SmtpTlsMode.None,
        });
        await client.ConnectAsync();
        int handedOut = 0;
        var options = NoWait(maxRetry: 1);
        options.LeaveConnectionsOpen = true;
        using var delivery = new SmtpDelivery(() =>
        {
            handedOut++;
            return client;
        }, options);

        var outcomes = await RunAsync(delivery, 3, "r@x.test");

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        Assert.Equal(new[] { 2, 1, 1 }, outcomes.Select(o => o.Attempts));
        Assert.Equal(2, handedOut);
        Assert.Equal(2, server.Sessions.Count);
        Assert.True(client.IsConnected);
        Assert.DoesNotContain("QUIT", server.Commands);
    }

    [Fact]
    public async Task A_greylisted_recipient_alone_is_tried_again_with_the_same_message_id()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("RCPT TO:<late@x.test>").Reply("450 4.2.0 Greylisted").Once();
        using var delivery = Deliver(server, NoWait(maxRetry: 2));

        var outcome = Assert.Single(await RunAsync(delivery, 1, "now@x.test", "late@x.test"));

        Assert.Equal(DeliveryStatus.Accepted, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(new[] { "now@x.test", "late@x.test" }, outcome.AcceptedRecipients);
        Assert.Empty(outcome.RejectedRecipients);
        Assert.Equal(new[] { "now@x.test" }, server.Messages[0].Recipients);
        Assert.Equal(new[] { "late@x.test" }, server.Messages[1].Recipients);
        Assert.Equal(1, server.Ledger.AcceptedCount("m0@test", "now@x.test"));
        Assert.Equal(1, server.Ledger.AcceptedCount("m0@test", "late@x.test"));
    }

    [Fact]
    public async Task A_recipient_still_deferred_after_the_last_attempt_is_listed_as_rejected()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("RCPT TO:<late@x.test>").Reply("450 4.2.0 Greylisted");
        using var delivery = Deliver(server, NoWait(maxRetry: 1));

        var outcome = Assert.Single(await RunAsync(delivery, 1, "now@x.test", "late@x.test"));

        Assert.Equal(DeliveryStatus.Accepted, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(new[] { "now@x.test" }, outcome.AcceptedRecipients);
        Assert.Equal(450, Assert.Single(outcome.RejectedRecipients).Code);
    }

    [Theory]
    [InlineData("MAIL", "550 5.7.1 Sender denied")]
    [InlineData("RCPT", "550 5.1.1 No such user")]
    [InlineData("<EOM>", "554 5.7.1 Spam")]
    public async Task A_5xx_is_never_tried_again(string stage, string reply)
    {
        await using var server = SmtpTestServer.StartNew();
        server.On(stage).Reply(reply);
        using var delivery = Deliver(server, NoWait(maxRetry: 3));

        var outcome = Assert.Single(await RunAsync(delivery, 1, "r@x.test"));

        Assert.Equal(DeliveryStatus.Failed, outcome.Status);
        Assert.Equal(1, outcome.Attempts);
        Assert.IsAssignableFrom<SmtpException>(outcome.Error);
        Assert.Empty(server.Messages);
    }

    [Theory]
    [InlineData("MAIL", true)]
    [InlineData("RCPT", true)]
    [InlineData("DATA", false)]
    public async Task A_drop_before_the_end_of_data_is_tried_again_on_a_new_connection(string stage, bool chunking)
    {
        var options = new SmtpTestServerOptions();
        if (!chunking) options.Extensions.Remove("CHUNKING");
        await using var server = SmtpTestServer.StartNew(options);
        server.On(stage).Disconnect().Once();
        using var delivery = Deliver(server, NoWait(maxRetry: 1));

        var outcome = Assert.Single(await RunAsync(delivery, 1, "r@x.test"));

        Assert.Equal(DeliveryStatus.Accepted, outcome.Status);
        Assert.Equal(2, outcome.Attempts);
        Assert.Equal(2, server.Sessions.Count);
        Assert.Single(server.Messages);
    }

    [Theory]
    [InlineData("PIPELINING", "CHUNKING")]
    [InlineData("PIPELINING", null)]
    [InlineData(null, "CHUNKING")]
    [InlineData(null, null)]
    public async Task A_drop_after_the_dot_is_uncertain_and_never_tried_again(string? pipelining, string? chunking)
    {
        var serverOptions = new SmtpTestServerOptions();
        if (pipelining is null) serverOptions.Extensions.Remove("PIPELINING");
        if (chunking is null) serverOptions.Extensions.Remove("CHUNKING");
        await using var server = SmtpTestServer.StartNew(serverOptions);
        server.OnEndOfMessage().Disconnect().Once();
        var options = NoWait(maxRetry: 3);
        options.Journal = DeliveryJournal.Open(_journalPath);
        using var delivery = Deliver(server, options);

        var outcomes = await RunAsync(delivery, 2, "r@x.test");
        options.Journal.Dispose();

        Assert.Equal(DeliveryStatus.Uncertain, outcomes[0].Status);
        Assert.Equal(1, outcomes[0].Attempts);
        Assert.IsAssignableFrom<SmtpConnectionException>(outcomes[0].Error);
        Assert.Equal(DeliveryStatus.Accepted, outcomes[1].Status);
        Assert.Equal(0, server.Ledger.AcceptedCount("m0@test", "r@x.test"));
        using var journal = DeliveryJournal.Open(_journalPath);
        Assert.Equal(DeliveryStatus.Uncertain, journal.Find("m0@test")!.Status);
        Assert.Equal(DeliveryStatus.Accepted, journal.Find("m1@test")!.Status);
    }

    [Fact]
    public async Task A_journal_that_cannot_be_written_stops_the_delivery_and_each_started_message_has_its_outcome()
    {
        await using var server = SmtpTestServer.StartNew();
        var options = NoWait(connections: 2);
        options.Journal = DeliveryJournal.Open(_journalPath);
        using var delivery = Deliver(server, options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        delivery.Add(Envelope("r@x.test"), Message("m0@test"), "m0@test", 0);
        var outcomes = new List<DeliveryOutcome> { (await delivery.TakeOutcomeAsync(deadline.Token))! };

        // From here on every journal line fails, as on a full disk.
        options.Journal.Dispose();
        for (int i = 1; i < 10; i++) delivery.Add(Envelope("r@x.test"), Message($"m{i}@test"), $"m{i}@test", i);
        delivery.Complete();
        while (await delivery.TakeOutcomeAsync(deadline.Token) is { } outcome) outcomes.Add(outcome);
        await delivery.CloseAsync(deadline.Token);

        var stop = Assert.IsType<SmtpJournalException>(delivery.StoppedBy);
        Assert.Equal(_journalPath, stop.Path);
        Assert.True(outcomes.Count < 10, $"{outcomes.Count} outcomes: the delivery went on without its journal");
        Assert.Equal(outcomes.Select(o => (int)o.State!).Order(), outcomes.Select(o => (int)o.State!));
        // Every message the server took is reported accepted, and no other is.
        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        Assert.Equal(server.Messages.Count, outcomes.Count);
    }

    [Fact]
    public async Task A_421_mid_stream_lowers_the_connections_and_the_message_goes_on_another()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("MAIL").Reply("421 4.3.2 Too many connections").Disconnect().Once();
        using var delivery = Deliver(server, NoWait(maxRetry: 0, connections: 2));

        var outcomes = await RunAsync(delivery, 10, "r@x.test");

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        Assert.All(outcomes, o => Assert.Equal(1, o.Attempts));
        Assert.Equal(1, delivery.ConnectionLimit);
        Assert.Equal(10, server.Messages.Count);
    }

    [Fact]
    public async Task Too_many_connections_at_the_greeting_lowers_the_limit_instead_of_failing_messages()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnGreeting().Reply("421 4.3.2 Too many connections").Disconnect().Times(2);
        using var delivery = Deliver(server, NoWait(connections: 4));

        var outcomes = await RunAsync(delivery, 40, "r@x.test");

        Assert.All(outcomes, o => Assert.Equal(DeliveryStatus.Accepted, o.Status));
        Assert.Equal(2, delivery.ConnectionLimit);
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_stops_the_delivery_once_leaving_unstarted_messages_unjournaled()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnGreeting().Reply("554 5.3.2 Go away").Disconnect();
        var options = NoWait(maxRetry: 2);
        options.Journal = DeliveryJournal.Open(_journalPath);
        using var delivery = Deliver(server, options);

        var outcomes = await RunAsync(delivery, 3, "r@x.test");
        options.Journal.Dispose();

        Assert.Empty(outcomes);
        Assert.IsAssignableFrom<SmtpException>(delivery.StoppedBy);
        Assert.Single(server.Sessions);
        Assert.Equal(string.Empty, ReadJournal());
    }

    [Fact]
    public async Task A_connection_that_cannot_be_made_lets_the_message_in_flight_on_another_finish_first()
    {
        await using var server = SmtpTestServer.StartNew();
        int made = 0;
        // The second connection goes where nothing listens: it cannot be made.
        var refusing = new SmtpClientOptions { Host = server.Host, Port = FreePort(), TlsMode = SmtpTlsMode.None };
        var accepting = new SmtpClientOptions { Host = server.Host, Port = server.Port, TlsMode = SmtpTlsMode.None };
        var options = NoWait(connections: 2);
        options.Journal = DeliveryJournal.Open(_journalPath);
        using var delivery = new SmtpDelivery(
            () => new SmtpClient(Interlocked.Increment(ref made) == 1 ? accepting : refusing), options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        // The first message's body is held back until the delivery has stopped: its connection is busy with it,
        // so the second message needs the second connection.
        var writing = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var held = SmtpContent.FromWriter(async (stream, ct) =>
        {
            writing.TrySetResult(true);
            await release.Task.WaitAsync(ct);
            var bytes = Encoding.ASCII.GetBytes("Message-ID: <m0@test>\r\nSubject: held\r\n\r\nbody\r\n");
            await stream.WriteAsync(bytes, ct);
        }, null);

        delivery.Add(Envelope("r@x.test"), held, "m0@test", 0);
        await writing.Task.WaitAsync(deadline.Token);
        delivery.Add(Envelope("r@x.test"), Message("m1@test"), "m1@test", 1);
        while (delivery.StoppedBy is null) await Task.Delay(10, deadline.Token);
        delivery.Add(Envelope("r@x.test"), Message("m2@test"), "m2@test", 2);
        release.SetResult(true);
        delivery.Complete();
        var outcomes = new List<DeliveryOutcome>();
        while (await delivery.TakeOutcomeAsync(deadline.Token) is { } outcome) outcomes.Add(outcome);
        await delivery.CloseAsync(deadline.Token);
        options.Journal.Dispose();

        var only = Assert.Single(outcomes);
        Assert.Equal((DeliveryStatus.Accepted, "m0@test"), (only.Status, only.MessageId));
        Assert.IsAssignableFrom<SmtpConnectionException>(delivery.StoppedBy);
        Assert.Single(server.Messages);
        using var journal = DeliveryJournal.Open(_journalPath);
        Assert.Equal(DeliveryStatus.Accepted, journal.Find("m0@test")!.Status);
        Assert.Null(journal.Find("m1@test"));
        Assert.Null(journal.Find("m2@test"));
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [Fact]
    public async Task Submissions_are_paced_over_all_connections()
    {
        await using var server = SmtpTestServer.StartNew();
        var clock = new SubmissionPacerTests.ManualClock();
        var options = NoWait(connections: 3);
        options.MaxMessagesPerMinute = 30;
        options.Clock = clock;
        using var delivery = Deliver(server, options);

        await RunAsync(delivery, 6, "r@x.test");

        Assert.Equal(new[] { 0.0, 2, 4, 6, 8, 10 }, clock.Waits.Select(w => w.TotalSeconds).OrderBy(s => s));
    }

    [Fact]
    public async Task Retries_wait_longer_each_time()
    {
        await using var server = SmtpTestServer.StartNew();
        server.On("MAIL").Reply("451 4.3.0 Later").Times(3);
        var clock = new SubmissionPacerTests.ManualClock();
        var options = new SmtpDeliveryOptions { MaxRetry = 3, RetryDelay = TimeSpan.FromSeconds(10), Clock = clock };
        using var delivery = Deliver(server, options);

        var outcome = Assert.Single(await RunAsync(delivery, 1, "r@x.test"));

        Assert.Equal(DeliveryStatus.Accepted, outcome.Status);
        Assert.Equal(4, outcome.Attempts);
        var waits = clock.Waits.Select(w => w.TotalSeconds).ToArray();
        Assert.Equal(3, waits.Length);
        Assert.InRange(waits[0], 8, 12);
        Assert.InRange(waits[1], 16, 24);
        Assert.InRange(waits[2], 32, 48);
    }

    [Fact]
    public async Task A_rerun_skips_what_the_journal_records_as_accepted_or_uncertain_and_finishes_the_rest()
    {
        using (var earlier = DeliveryJournal.Open(_journalPath))
        {
            earlier.Record(new JournalEntry("m0@test", DeliveryStatus.Accepted, new[] { "r@x.test" }));
            earlier.Record(new JournalEntry("m1@test", DeliveryStatus.Uncertain, new[] { "r@x.test" }));
            earlier.Record(new JournalEntry("m2@test", DeliveryStatus.Failed, Array.Empty<string>()));
            earlier.Record(new JournalEntry("m3@test", DeliveryStatus.Deferred, new[] { "r@x.test" }));
        }
        await using var server = SmtpTestServer.StartNew();
        var options = NoWait();
        options.Journal = DeliveryJournal.Open(_journalPath);
        using var delivery = Deliver(server, options);

        var outcomes = await RunAsync(delivery, 4, "r@x.test", "s@x.test");
        options.Journal.Dispose();

        var expected = new[] { DeliveryStatus.Skipped, DeliveryStatus.Skipped, DeliveryStatus.Accepted, DeliveryStatus.Accepted };
        Assert.Equal(expected, outcomes.Select(o => o.Status));
        Assert.Equal(2, server.Messages.Count);
        var whole = server.Messages.Single(m => m.Text.Contains("m2@test"));
        Assert.Equal(new[] { "r@x.test", "s@x.test" }, whole.Recipients);
        Assert.Equal(new[] { "s@x.test" }, server.Messages.Single(m => m.Text.Contains("m3@test")).Recipients);
        Assert.Equal(new[] { "r@x.test", "s@x.test" }, outcomes[3].AcceptedRecipients);
    }

    [Fact]
    public async Task The_journal_says_uncertain_once_the_end_of_data_is_out_and_no_reply_came()
    {
        await using var server = SmtpTestServer.StartNew();
        server.OnEndOfMessage().Hang();
        var options = NoWait();
        options.Journal = DeliveryJournal.Open(_journalPath);
        var delivery = Deliver(server, options);
        delivery.Add(Envelope("r@x.test"), Message("m0@test"), "m0@test");
        delivery.Complete();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!ReadJournal().Contains("\"Uncertain\"")) await Task.Delay(10, deadline.Token);
        delivery.Dispose();
        options.Journal.Dispose();

        Assert.Empty(server.Messages);
        using var journal = DeliveryJournal.Open(_journalPath);
        Assert.True(journal.IsDone("m0@test"));
    }
}
