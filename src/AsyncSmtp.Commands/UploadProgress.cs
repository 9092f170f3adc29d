using System.Management.Automation;

namespace AsyncSmtp.Commands;

/// <summary>Progress of one message upload, shown only for messages large enough to take a while.</summary>
internal sealed class UploadProgress : IProgress<long>
{
    /// <summary>Below this size a message is sent before a progress bar could be read.</summary>
    public const long Threshold = 256 * 1024;

    private const int ActivityId = 0x534d5450;

    private readonly AsyncPSCmdlet _cmdlet;
    private readonly string _description;
    private readonly long _total;
    private int _lastPercent = -1;

    public UploadProgress(AsyncPSCmdlet cmdlet, string description, long total)
    {
        _cmdlet = cmdlet;
        _description = description;
        _total = total;
    }

    public void Report(long bytesSent)
    {
        // The engine reports every buffer; the host only needs to hear about whole percents.
        int percent = (int)Math.Min(100, bytesSent * 100 / _total);
        if (percent == _lastPercent) return;
        _lastPercent = percent;
        _cmdlet.PostProgress(new ProgressRecord(ActivityId, "Sending message", _description)
        {
            PercentComplete = percent,
            CurrentOperation = $"{bytesSent:N0} of {_total:N0} bytes",
        });
    }

    public void Complete() =>
        _cmdlet.PostProgress(new ProgressRecord(ActivityId, "Sending message", _description) { RecordType = ProgressRecordType.Completed });
}
