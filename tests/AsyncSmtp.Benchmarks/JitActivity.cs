using System.Diagnostics;
using System.Runtime;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Keeps the JIT's work out of the timed messages. Tiered compilation recompiles hot methods in the background
/// (with dynamic PGO, twice: instrumented, then final) for seconds after start, later still on a busy machine,
/// and whatever a repetition's untimed preparation ran many times (building 8,000 messages) is recompiled while
/// the timed messages run. Measured on a loaded machine after the former fixed 2-second warm-up, the engine-bytes
/// row's timed repetition compiled 70 to 500 methods (the engine's own hot path among them): 20 to 180 µs of JIT
/// time per message, as much as the engine's own work. So the warm-up goes on until the JIT has been almost idle
/// for a second (within a limit), and a timed repetition starts only when no method was compiled for 200 ms.
/// </summary>
internal sealed class JitActivity
{
    /// <summary>The longest warm-up: a process whose JIT never settles is measured anyway (its JIT time shows).</summary>
    public static readonly TimeSpan WarmupLimit = TimeSpan.FromSeconds(10);

    // Settled: over the last second or more of warm-up, the JIT compiled for under 1 % of the time. (A few methods
    // keep trickling in for a long time, timers and the like: "none at all" would rarely come.)
    private static readonly TimeSpan _settleWindow = TimeSpan.FromSeconds(1);
    private const double SettledShare = 0.01;
    private static readonly TimeSpan _quietTime = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan _quiesceLimit = TimeSpan.FromSeconds(10);

    private readonly Stopwatch _window = Stopwatch.StartNew();
    private TimeSpan _jitAtWindowStart = JitInfo.GetCompilationTime();

    /// <summary>Checked between warm-up repetitions: true when the last window (1 s or more) was almost JIT-free.</summary>
    public bool Settled()
    {
        if (_window.Elapsed < _settleWindow) return false;
        var jit = JitInfo.GetCompilationTime() - _jitAtWindowStart;
        bool settled = jit.TotalMilliseconds <= _window.Elapsed.TotalMilliseconds * SettledShare;
        _jitAtWindowStart = JitInfo.GetCompilationTime();
        _window.Restart();
        return settled;
    }

    /// <summary>Waits until no method has been compiled for 200 ms (at most 10 s).</summary>
    public static async Task QuiesceAsync()
    {
        var waited = Stopwatch.StartNew();
        long before;
        do
        {
            before = JitInfo.GetCompiledMethodCount();
            await Task.Delay(_quietTime).ConfigureAwait(false);
        }
        while (JitInfo.GetCompiledMethodCount() != before && waited.Elapsed < _quiesceLimit);
    }
}
