using System.Text;

namespace AsyncSmtp.Interop.Tests;

/// <summary>Byte comparisons that report where two large buffers differ, not a dump of megabytes.</summary>
public static class ByteAssert
{
    public static void Equal(byte[] expected, byte[] actual)
    {
        int diff = FirstDifference(expected, actual, 0);
        if (diff >= 0 || actual.Length != expected.Length)
            Fail($"received {actual.Length} bytes, sent {expected.Length}", expected, actual, diff < 0 ? expected.Length : diff, 0);
    }

    /// <summary>The delivered bytes end with exactly the expected bytes (the server prepended its trace headers).</summary>
    public static void EndsWith(byte[] expected, byte[] actual)
    {
        int start = actual.Length - expected.Length;
        if (start < 0) throw new Xunit.Sdk.XunitException($"delivered {actual.Length} bytes, fewer than the {expected.Length} sent");
        int diff = FirstDifference(expected, actual, start);
        if (diff >= 0) Fail("the delivered message does not end with the message sent", expected, actual, diff, start);
    }

    private static int FirstDifference(byte[] expected, byte[] actual, int start)
    {
        for (int i = 0; i < expected.Length; i++)
            if (start + i >= actual.Length || actual[start + i] != expected[i]) return i;
        return -1;
    }

    private static void Fail(string what, byte[] expected, byte[] actual, int at, int start) =>
        throw new Xunit.Sdk.XunitException($"{what}: first difference at byte {at}: expected {Around(expected, at)}, got {Around(actual, start + at)}");

    private static string Around(byte[] bytes, int at)
    {
        int from = Math.Max(0, at - 20);
        int count = Math.Min(bytes.Length - from, 40);
        return count <= 0 ? "<end>" : "\"" + Encoding.UTF8.GetString(bytes, from, count).Replace("\r", "\\r").Replace("\n", "\\n") + "\"";
    }
}
