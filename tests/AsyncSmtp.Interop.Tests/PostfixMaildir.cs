using System.Diagnostics;
using System.Text;

namespace AsyncSmtp.Interop.Tests;

/// <summary>Finds messages postfix delivered into the sink maildir (new/), by a unique token.</summary>
public static class PostfixMaildir
{
    private static readonly TimeSpan _deliveryTimeout = TimeSpan.FromSeconds(30);

    // The maildir keeps the mail of every earlier run; only files delivered during this one are read.
    private static readonly DateTime _runStart = Process.GetCurrentProcess().StartTime.ToUniversalTime().AddSeconds(-10);

    /// <summary>
    /// Waits until <paramref name="count"/> delivered files contain <paramref name="token"/> in their first
    /// 64 KiB and satisfy <paramref name="accept"/> (a delivery report quotes the token too).
    /// </summary>
    public static async Task<IReadOnlyList<byte[]>> WaitForAsync(InteropServer postfix, string token, int count = 1, Func<byte[], bool>? accept = null)
    {
        string newDir = Path.Combine(postfix.MailDirectory, "new");
        byte[] needle = Encoding.UTF8.GetBytes(token);
        var seen = new HashSet<string>();
        var found = new List<byte[]>();
        var clock = Stopwatch.StartNew();
        bool flushed = false;
        while (found.Count < count)
        {
            foreach (string file in Directory.EnumerateFiles(newDir))
            {
                if (!seen.Add(file) || File.GetLastWriteTimeUtc(file) < _runStart) continue;
                // Files appear in new/ only once complete (maildir delivers into tmp/ and renames).
                if (!await HeadContainsAsync(file, needle).ConfigureAwait(false)) continue;
                byte[] content = await File.ReadAllBytesAsync(file).ConfigureAwait(false);
                if (accept is null || accept(content)) found.Add(content);
            }
            if (found.Count >= count) break;
            if (clock.Elapsed > _deliveryTimeout)
                throw new Xunit.Sdk.XunitException($"{found.Count} of {count} message(s) with {token} delivered to {newDir} within {_deliveryTimeout.TotalSeconds} s; see /var/log/postfix.log");
            if (!flushed && clock.Elapsed > TimeSpan.FromSeconds(5))
            {
                // A message deferred for a moment waits in the queue; ask postfix to try again now.
                flushed = true;
                using var flush = Process.Start("postfix", "flush");
                await flush.WaitForExitAsync().ConfigureAwait(false);
            }
            await Task.Delay(200).ConfigureAwait(false);
        }
        return found;
    }

    /// <summary>Waits for the copy of <paramref name="message"/> delivered to <paramref name="recipient"/> and returns it whole.</summary>
    public static async Task<byte[]> WaitForDeliveryAsync(InteropServer postfix, TestMessage message, string recipient)
    {
        byte[] deliveredTo = Encoding.UTF8.GetBytes($"\nDelivered-To: {recipient}\n");
        return (await WaitForAsync(postfix, message.Token, 1, c => c.AsSpan().IndexOf(deliveredTo) >= 0).ConfigureAwait(false))[0];
    }

    /// <summary>The header block postfix prepended before <paramref name="sentLength"/> bytes of original message.</summary>
    public static string TraceHeaders(byte[] delivered, int sentLength) => Encoding.UTF8.GetString(delivered, 0, delivered.Length - sentLength);

    private static async Task<bool> HeadContainsAsync(string file, byte[] needle)
    {
        var head = new byte[65536];
        int length;
        await using (var stream = File.OpenRead(file))
            length = await stream.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false).ConfigureAwait(false);
        return head.AsSpan(0, length).IndexOf(needle) >= 0;
    }
}
