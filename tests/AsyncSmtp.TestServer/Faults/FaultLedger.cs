using System.Collections.Concurrent;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>What happened to a message at the server after its data began to arrive.</summary>
public enum MessageFault
{
    /// <summary>Its header lines were read and the connection closed: the client's end of data never arrived.</summary>
    DroppedMidBody,

    /// <summary>The whole message arrived, was not kept, and the connection closed without a reply.</summary>
    DroppedAfterDot,

    /// <summary>The whole message arrived and was kept, then the connection closed before the 250 went out.</summary>
    AcceptedThenDropped,

    /// <summary>The end of data was answered with a 4xx and the message not kept.</summary>
    DeferredAtEndOfData,
}

/// <summary>
/// The server's accounting by Message-Id: how many times each (message, recipient) was accepted, and the
/// faults each message met after its data began. For assertions such as "nothing was accepted twice".
/// </summary>
public sealed class FaultLedger
{
    private readonly ConcurrentDictionary<(string MessageId, string Recipient), int> _accepted = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<MessageFault>> _faults = new(StringComparer.Ordinal);

    /// <summary>How many times the server kept <paramref name="messageId"/> for <paramref name="recipient"/>.</summary>
    public int AcceptedCount(string messageId, string recipient) =>
        _accepted.TryGetValue((messageId, recipient.ToLowerInvariant()), out var count) ? count : 0;

    /// <summary>The Message-Ids kept at least once, each with the recipients and how often.</summary>
    public IReadOnlyDictionary<(string MessageId, string Recipient), int> Accepted =>
        new Dictionary<(string, string), int>(_accepted);

    /// <summary>The faults <paramref name="messageId"/> met, in order; empty when none.</summary>
    public IReadOnlyList<MessageFault> FaultsOf(string messageId) =>
        _faults.TryGetValue(messageId, out var faults) ? faults.ToArray() : Array.Empty<MessageFault>();

    internal void CountAccepted(byte[] data, IEnumerable<string> recipients)
    {
        if (MessageIdOf(data) is not { } id) return;
        foreach (var recipient in recipients)
        {
            _accepted.AddOrUpdate((id, recipient.ToLowerInvariant()), 1, (_, n) => n + 1);
        }
    }

    internal void Note(string? messageId, MessageFault fault)
    {
        if (messageId is not null) _faults.GetOrAdd(messageId, _ => new ConcurrentQueue<MessageFault>()).Enqueue(fault);
    }

    internal void Clear()
    {
        _accepted.Clear();
        _faults.Clear();
    }

    /// <summary>
    /// The Message-Id header's value without angle brackets (as MimeKit and the cmdlets give it), from the
    /// header block.
    /// </summary>
    internal static string? MessageIdOf(byte[] data) => MessageIdOf(Encoding.UTF8.GetString(data).Split('\n'));

    internal static string? MessageIdOf(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var text = line.TrimEnd('\r');
            if (text.Length == 0) return null;
            if (text.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
            {
                return text["Message-ID:".Length..].Trim().Trim('<', '>');
            }
        }

        return null;
    }
}
