using System.Diagnostics;
using System.Management.Automation;
using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Commands;

/// <summary>
/// One progress bar over a whole delivery run: how many messages were sent, failed and wait for a retry, with a
/// percentage when the number of messages is known up front (all given in one record: -Message with an array,
/// -Path with many files). Shown at most a few times a second: thousands of records must not cost a bar each.
/// </summary>
internal sealed class DeliveryProgress
{
    private const int ActivityId = 0x534d5444;
    private static readonly TimeSpan _interval = TimeSpan.FromMilliseconds(250);

    private readonly Stopwatch _sinceShown = new();
    private bool _shown;

    /// <summary>The number of messages of the run, when known.</summary>
    public int? Total { get; set; }

    public void Show(AsyncPSCmdlet cmdlet, int added, SmtpDelivery delivery, bool final)
    {
        if (final)
        {
            if (_shown) cmdlet.WriteProgress(Record(added, delivery, ProgressRecordType.Completed));
            return;
        }
        if (_shown && _sinceShown.Elapsed < _interval) return;
        _shown = true;
        _sinceShown.Restart();
        cmdlet.WriteProgress(Record(added, delivery, ProgressRecordType.Processing));
    }

    private ProgressRecord Record(int added, SmtpDelivery delivery, ProgressRecordType type)
    {
        int sent = delivery.AcceptedCount, failed = delivery.FailedCount;
        string of = Total is int total ? $" of {total}" : $" of {added} so far";
        return new ProgressRecord(ActivityId, "Sending messages",
            $"{sent} sent, {failed} failed, {delivery.RetryingCount} retrying{of}")
        {
            PercentComplete = Total is int all && all > 0 ? Math.Min(100, (sent + failed) * 100 / all) : -1,
            RecordType = type,
        };
    }
}
