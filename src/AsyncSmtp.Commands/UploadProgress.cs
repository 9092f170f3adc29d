namespace AsyncSmtp.Commands;

/// <summary>
/// Progress of one message upload, shown only for a message large enough to take a while: one whose
/// known size passes the threshold, or, when the size is not known up front, once that many bytes
/// have gone (then without a percentage). The engine reports after each buffer it sends.
/// </summary>
internal sealed class UploadProgress : IProgress<long>
{
    /// <summary>Below this size a message is sent before a progress bar could be read.</summary>
    public const long Threshold = 256 * 1024;

    private const int ActivityId = 0x534d5450;

    private readonly AsyncPSCmdlet _cmdlet;
    private readonly OutgoingMessage _message;
    private bool _shown;
    private int _lastPercent = -1;

    public UploadProgress(AsyncPSCmdlet cmdlet, OutgoingMessage message)
    {
        _cmdlet = cmdlet;
        _message = message;
    }

    public void Report(long bytesSent)
    {
        long? total = _message.KnownSize;
        if ((total ?? bytesSent) < Threshold) return;
        // The host only needs to hear about whole percents.
        int percent = total is long known ? (int)Math.Min(100, bytesSent * 100 / Math.Max(known, 1)) : -1;
        if (_shown && percent >= 0 && percent == _lastPercent) return;
        _shown = true;
        _lastPercent = percent;
        _cmdlet.PostProgress(new ProgressRecord(ActivityId, "Sending message", _message.Describe())
        {
            PercentComplete = percent,
            CurrentOperation = total is long size ? $"{bytesSent:N0} of {size:N0} bytes" : $"{bytesSent:N0} bytes",
        });
    }

    public void Complete()
    {
        if (!_shown) return;
        _cmdlet.PostProgress(
            new ProgressRecord(ActivityId, "Sending message",
            _message.Describe()) { RecordType = ProgressRecordType.Completed });
    }
}
