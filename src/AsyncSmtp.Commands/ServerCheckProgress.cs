using System.Management.Automation;

namespace AsyncSmtp.Commands;

/// <summary>
/// Progress of Test-SmtpServer over its servers × ports (or MX hosts × ports): the activity names the
/// host and port being checked, the status how many of how many, and the bar is completed when the run
/// ends, however it ends. A run over many hosts with long timeouts otherwise looks hung.
/// </summary>
internal sealed class ServerCheckProgress
{
    private const int ActivityId = 0x54534d53;

    private readonly AsyncPSCmdlet _cmdlet;
    private int _total;
    private int _done;
    private string? _activity;

    public ServerCheckProgress(AsyncPSCmdlet cmdlet) => _cmdlet = cmdlet;

    /// <summary>Before the MX lookup of -Domain, which may itself wait for a slow DNS server.</summary>
    public void Resolving(string domain) =>
        Show($"Resolving the mail hosts of {domain}", "Looking up MX records", -1);

    /// <summary>More checks to come (the hosts are known only once DNS has answered).</summary>
    public void Expect(int checks) => _total += checks;

    /// <summary>A check of <paramref name="endpoint"/> (host:port) begins.</summary>
    public void Checking(string endpoint)
    {
        int total = Math.Max(_total, _done + 1);
        Show($"Checking {endpoint}", $"{_done + 1} of {total}", _done * 100 / total);
        _done++;
    }

    public void Complete()
    {
        if (_activity is null) return;
        _cmdlet.PostProgress(new ProgressRecord(ActivityId, _activity, "Done")
        {
            RecordType = ProgressRecordType.Completed,
        });
        _activity = null;
    }

    private void Show(string activity, string status, int percent)
    {
        _activity = activity;
        _cmdlet.PostProgress(new ProgressRecord(ActivityId, activity, status) { PercentComplete = percent });
    }
}
