namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// A line could not be written to the delivery journal (a full disk, a network share gone). The journal is what a
/// rerun trusts to say what was sent, so the delivery stops starting messages (<see cref="SmtpDelivery.StoppedBy"/>);
/// the messages under way still get their outcomes.
/// </summary>
public sealed class SmtpJournalException : IOException
{
    /// <summary>The journal at <paramref name="path"/> failed with <paramref name="innerException"/>.</summary>
    public SmtpJournalException(string path, Exception innerException)
        : base($"The journal '{path}' could not be written ({innerException.Message}); no further message was " +
            "started, and the journal may not record the messages under way.", innerException)
    {
        Path = path;
    }

    /// <summary>The journal's file.</summary>
    public string Path { get; }
}
