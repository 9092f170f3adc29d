namespace AsyncSmtp.Interop.Tests;

/// <summary>Gives every test a deadline, so a hung exchange fails the test instead of the run.</summary>
public abstract class InteropTest : IDisposable
{
    private readonly CancellationTokenSource _deadline = new(TimeSpan.FromSeconds(90));

    protected CancellationToken Timeout => _deadline.Token;

    public void Dispose() => _deadline.Dispose();
}
