using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Client.Tests.Delivery;

public sealed class SubmissionPacerTests
{
    [Fact]
    public async Task Submissions_from_every_connection_are_spaced_evenly()
    {
        var clock = new ManualClock();
        var pacer = new SubmissionPacer(30, clock);

        // Four connections asking at the same instant get one slot each, two seconds apart.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => pacer.WaitTurnAsync(CancellationToken.None)));

        Assert.Equal(new[] { 0.0, 2, 4, 6 }, clock.Waits.Select(w => w.TotalSeconds).OrderBy(s => s));
    }

    [Fact]
    public async Task A_pause_longer_than_the_interval_is_not_saved_up_as_a_burst()
    {
        var clock = new ManualClock();
        var pacer = new SubmissionPacer(60, clock);
        await pacer.WaitTurnAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        await pacer.WaitTurnAsync(CancellationToken.None);
        await pacer.WaitTurnAsync(CancellationToken.None);

        Assert.Equal(new[] { 0.0, 0, 1 }, clock.Waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public void A_rate_below_one_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SubmissionPacer(0, new ManualClock()));

    /// <summary>A clock that only moves when told; waits are recorded, not slept.</summary>
    internal sealed class ManualClock : DeliveryClock
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public List<TimeSpan> Waits { get; } = new();

        public override DateTimeOffset UtcNow => _now;

        public void Advance(TimeSpan by) => _now += by;

        public override Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
        {
            lock (Waits) Waits.Add(delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
            return Task.CompletedTask;
        }
    }
}
