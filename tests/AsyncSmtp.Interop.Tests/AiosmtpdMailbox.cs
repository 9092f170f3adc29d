using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace AsyncSmtp.Interop.Tests;

/// <summary>What aiosmtpd_server.py recorded for one message: the envelope, session facts, and the content bytes.</summary>
public sealed record AiosmtpdMessage(
    string Listener, string MailFrom, IReadOnlyList<string> MailOptions, IReadOnlyList<string> RcptTos,
    IReadOnlyList<string> RcptOptions, string? HeloName, bool ExtendedSmtp, bool Encrypted,
    string? AuthenticatedUser, byte[] Content)
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(15);

    /// <summary>Waits for the recorded message whose content contains <paramref name="token"/>.</summary>
    public static async Task<AiosmtpdMessage> WaitForAsync(InteropServer aiosmtpd, string token)
    {
        byte[] needle = Encoding.UTF8.GetBytes(token);
        var seen = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < _timeout)
        {
            // The .json is written last, so a message with a .json is complete.
            foreach (string facts in Directory.EnumerateFiles(aiosmtpd.MailDirectory, "*.json"))
            {
                if (!seen.Add(facts)) continue;
                byte[] content = await File.ReadAllBytesAsync(Path.ChangeExtension(facts, ".eml")).ConfigureAwait(false);
                if (content.AsSpan().IndexOf(needle) >= 0) return Read(facts, content);
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        throw new Xunit.Sdk.XunitException($"no message with {token} recorded in {aiosmtpd.MailDirectory} within {_timeout.TotalSeconds} s");
    }

    private static AiosmtpdMessage Read(string path, byte[] content)
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();
        return new AiosmtpdMessage(
            r.GetProperty("listener").GetString()!, r.GetProperty("mailFrom").GetString()!, Strings(r.GetProperty("mailOptions")),
            Strings(r.GetProperty("rcptTos")), Strings(r.GetProperty("rcptOptions")), r.GetProperty("heloName").GetString(),
            r.GetProperty("extendedSmtp").GetBoolean(), r.GetProperty("encrypted").GetBoolean(),
            r.GetProperty("authenticatedUser").GetString(), content);
    }
}
