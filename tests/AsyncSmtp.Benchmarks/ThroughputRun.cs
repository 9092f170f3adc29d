using System.Diagnostics;

namespace AsyncSmtp.Benchmarks;

/// <summary>
/// Messages per second of one client: warm-up repetitions for at least <c>warmup-seconds</c> and then until the
/// JIT has settled (<see cref="JitActivity"/>: tiered compilation and dynamic PGO recompile hot code in the
/// background for many seconds, and that CPU time would count as the timed messages'), then timed repetitions of <c>count</c> messages spread over <c>connections</c> connections opened
/// at once. Each repetition is timed from the first connect to the last QUIT. Also reports process CPU time
/// (all threads, thread-pool spinning included) and managed allocations per message, and how many messages
/// the sink got in all (warm-up included), over which build/Bench.ps1 spreads the sink's CPU time.
/// </summary>
internal static class ThroughputRun
{
    public static async Task<object> RunAsync(Arguments args)
    {
        string client = args.Text("client", "engine");
        int count = args.Number("count", 5000);
        int connections = args.Number("connections", 1);
        int repetitions = args.Number("reps", 3);
        int warmup = args.Number("warmup", 500);
        var warmupTime = TimeSpan.FromSeconds(args.Number("warmup-seconds", 2));
        var budget = TimeSpan.FromSeconds(args.Number("budget-seconds", 45));
        var perRepetitionLimit = TimeSpan.FromSeconds(args.Number("timeout-seconds", 60));
        string body = SampleMessages.Body(args.Number("body-bytes", SampleMessages.DefaultBodyBytes));
        var workload = Workload.Create(client, args.Text("host", "127.0.0.1"), args.Number("port", 2525), body);

        long sent = 0;
        var warming = Stopwatch.StartNew();
        var jit = new JitActivity();
        do
        {
            int warmupCount = Math.Max(warmup, connections);
            await RepeatAsync(workload, warmupCount, connections, perRepetitionLimit, timed: false).ConfigureAwait(false);
            sent += warmupCount;
        }
        while (warming.Elapsed < warmupTime || (!jit.Settled() && warming.Elapsed < JitActivity.WarmupLimit));
        // Last, one untimed repetition the size of the timed ones: some code gets hot only in a long run.
        await RepeatAsync(workload, count, connections, perRepetitionLimit, timed: false).ConfigureAwait(false);
        sent += count;
        double warmupSeconds = warming.Elapsed.TotalSeconds;

        var rates = new List<double>();
        var cpuPerMessage = new List<double>();
        var allocatedPerMessage = new List<double>();
        var workItemsPerMessage = new List<double>();
        var jitPerMessage = new List<double>();
        var started = Stopwatch.StartNew();
        for (int rep = 0; rep < repetitions && (rep == 0 || started.Elapsed < budget); rep++)
        {
            var sample = await RepeatAsync(workload, count, connections, perRepetitionLimit, timed: true).ConfigureAwait(false);
            sent += count;
            rates.Add(count / sample.Wall.TotalSeconds);
            cpuPerMessage.Add(sample.Cpu.TotalMilliseconds * 1000 / count);
            allocatedPerMessage.Add((double)sample.Allocated / count);
            workItemsPerMessage.Add((double)sample.WorkItems / count);
            jitPerMessage.Add(sample.Jit.TotalMilliseconds * 1000 / count);
        }

        return new
        {
            kind = "throughput",
            client,
            connections,
            messages = count,
            messagesSent = workload.SendsMail ? sent : 0,
            messageBytes = SampleMessages.WireSize(SampleMessages.Mime(0, body)),
            rates,
            medianRate = Statistics.Median(rates),
            cpuMicrosecondsPerMessage = Statistics.Median(cpuPerMessage),
            allocatedBytesPerMessage = Statistics.Median(allocatedPerMessage),
            threadPoolWorkItemsPerMessage = Statistics.Median(workItemsPerMessage),
            warmupSeconds,
            jitMicrosecondsPerMessage = Statistics.Median(jitPerMessage),
        };
    }

    /// <summary>WorkItems: thread-pool work items completed, about one per hop of a continuation onto the pool.</summary>
    /// <summary>Jit: time the JIT spent compiling meanwhile (all threads), part of Cpu.</summary>
    private readonly record struct Sample(TimeSpan Wall, TimeSpan Cpu, long Allocated, long WorkItems, TimeSpan Jit);

    private static async Task<Sample> RepeatAsync(Workload workload, int count, int connections, TimeSpan limit, bool timed)
    {
        workload.Prepare(count);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        if (timed) await JitActivity.QuiesceAsync().ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(limit);
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        long workItemsBefore = ThreadPool.CompletedWorkItemCount;
        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();
        var wall = Stopwatch.StartNew();
        var slices = Enumerable.Range(0, connections).Select(c =>
        {
            int first = (int)((long)count * c / connections);
            int next = (int)((long)count * (c + 1) / connections);
            return Task.Run(() => workload.SendOverOneConnectionAsync(first, next - first, timeout.Token));
        });
        await Task.WhenAll(slices).ConfigureAwait(false);
        wall.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long workItems = ThreadPool.CompletedWorkItemCount - workItemsBefore;
        var jit = System.Runtime.JitInfo.GetCompilationTime() - jitBefore;
        process.Refresh();
        return new Sample(wall.Elapsed, process.TotalProcessorTime - cpuBefore, allocated, workItems, jit);
    }
}
