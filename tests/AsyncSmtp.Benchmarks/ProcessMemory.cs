namespace AsyncSmtp.Benchmarks;

/// <summary>Resident memory of this process from /proc/self/status (Linux): current (VmRSS) and peak (VmHWM).</summary>
internal static class ProcessMemory
{
    public static long ResidentBytes() => Read("VmRSS:");

    public static long PeakResidentBytes() => Read("VmHWM:");

    /// <summary>
    /// Resets the peak to the current resident size (writing 5 to /proc/self/clear_refs, Linux 4.0+), so the
    /// next peak is the peak of what follows. False when the kernel refused: the peak then includes the past.
    /// </summary>
    public static bool TryResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return PeakResidentBytes() <= ResidentBytes() + 1024 * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long Read(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var kilobytes = line.Substring(field.Length).Trim().Split(' ')[0];
            return long.Parse(kilobytes) * 1024;
        }
        throw new InvalidOperationException($"/proc/self/status has no {field} line (not Linux?).");
    }
}
