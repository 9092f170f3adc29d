using System.Text;

namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// An append-only file of JSON lines, one per message outcome, the last line for a Message-Id being its
/// outcome. A message is written as <see cref="DeliveryStatus.Uncertain"/> before its end of data goes out
/// and again when its reply comes, so a process killed between the two never sends it twice on a rerun;
/// each line is handed to the operating system before the call returns, so a killed process loses none.
/// Safe to use from several connections at once.
/// </summary>
public sealed class DeliveryJournal : IDisposable
{
    private static readonly UTF8Encoding _utf8 = new(encoderShouldEmitUTF8Identifier: false);

    private readonly object _gate = new();
    private readonly Dictionary<string, JournalEntry> _last;
    private readonly FileStream _file;

    private DeliveryJournal(string path, Dictionary<string, JournalEntry> last, FileStream file)
    {
        Path = path;
        _last = last;
        _file = file;
    }

    /// <summary>The journal file, as given to Open: where a rerun must point to skip what this run sent.</summary>
    public string Path { get; }

    /// <summary>
    /// Opens (or creates) the journal at <paramref name="path"/> and reads what earlier runs recorded. A
    /// last line cut short by a killed process is ignored: it was written before that message's end of
    /// data, so that end of data was never sent.
    /// </summary>
    public static DeliveryJournal Open(string path)
    {
        if (path is null) throw new ArgumentNullException(nameof(path));
        // Others may read the journal while it is written (to watch a long run).
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096,
            FileOptions.SequentialScan);
        try
        {
            var last = ReadAll(file);
            if (file.Length > 0 && EndsWithoutNewline(file))
            {
                file.Seek(0, SeekOrigin.End);
                file.WriteByte((byte)'\n');
            }
            file.Seek(0, SeekOrigin.End);
            return new DeliveryJournal(path, last, file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>What the journal last says about <paramref name="messageId"/>, or null when it says nothing.</summary>
    public JournalEntry? Find(string messageId)
    {
        lock (_gate) return _last.TryGetValue(messageId, out var entry) ? entry : null;
    }

    /// <summary>
    /// Whether an earlier run already handed the message over: accepted, or possibly accepted. Such a message
    /// must not be sent again.
    /// </summary>
    public bool IsDone(string messageId) =>
        Find(messageId)?.Status is DeliveryStatus.Accepted or DeliveryStatus.Uncertain;

    /// <summary>Appends the entry and hands it to the operating system before returning.</summary>
    public void Record(JournalEntry entry)
    {
        if (entry is null) throw new ArgumentNullException(nameof(entry));
        if (entry.Status == DeliveryStatus.Skipped)
            throw new ArgumentException("A skipped message keeps the outcome its journal line already has.",
                nameof(entry));
        byte[] line = _utf8.GetBytes(entry.ToJson() + "\n");
        lock (_gate)
        {
            _file.Write(line, 0, line.Length);
            // To the operating system, not to the disk: a killed process loses nothing that way, and an fsync
            // per message would cost more than sending it.
            _file.Flush(flushToDisk: false);
            _last[entry.MessageId] = entry;
        }
    }

    /// <summary>
    /// Closes the file. Every line written is already with the operating system, so nothing is lost by closing.
    /// </summary>
    public void Dispose()
    {
        lock (_gate) _file.Dispose();
    }

    private static Dictionary<string, JournalEntry> ReadAll(FileStream file)
    {
        var last = new Dictionary<string, JournalEntry>(StringComparer.Ordinal);
        using var reader = new StreamReader(file, _utf8, detectEncodingFromByteOrderMarks: true, 4096, leaveOpen: true);
        while (reader.ReadLine() is { } line)
        {
            if (JournalEntry.FromJson(line) is { } entry) last[entry.MessageId] = entry;
        }
        return last;
    }

    private static bool EndsWithoutNewline(FileStream file)
    {
        file.Seek(-1, SeekOrigin.End);
        return file.ReadByte() != '\n';
    }
}
