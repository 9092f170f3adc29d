using System.Diagnostics;

namespace AsyncSmtp.Commands;

/// <summary>
/// Messages Send-SmtpMessage has handed to the server whose final reply has not been read yet, oldest
/// first. The engine reads a message's final reply together with the next message's envelope, so a
/// pipeline of messages costs one round trip each; results therefore come out one record late.
/// </summary>
internal sealed class InFlightMessages
{
    private readonly Queue<Entry> _entries = new();

    public bool IsEmpty => _entries.Count == 0;

    public void Add(SmtpSession session, OutgoingMessage message, SmtpSubmission submission, Stopwatch clock)
    {
        _entries.Enqueue(new Entry(session, message, submission, clock));
    }

    /// <summary>
    /// The oldest messages whose final reply has come, in the order they were sent, their clocks stopped. They
    /// are taken right after the read that brought the reply (by the next message's submission or a flush), so
    /// the time is the message's own; a continuation on the reply would stop it no sooner and cost a thread hop.
    /// </summary>
    public IEnumerable<Entry> TakeAnswered()
    {
        while (_entries.Count > 0 && _entries.Peek().Submission.Result.IsCompleted)
        {
            var entry = _entries.Dequeue();
            entry.Clock.Stop();
            yield return entry;
        }
    }

    /// <summary>
    /// Reads every final reply still owed (a failure to do so fails the messages concerned, not the caller).
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        foreach (var session in _entries.Select(e => e.Session).Distinct().ToList())
        {
            try
            {
                await session.Client.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SmtpException)
            {
                // The connection is gone: the engine has failed the pending message, as not sent or, when its end
                // of data had gone out, as uncertain.
            }
        }
    }

    /// <summary>
    /// The pipeline ended without EndProcessing (Ctrl+C, Select-Object -First) while a message was still
    /// in flight. One whose end of data has not been written yet must never be delivered without being
    /// reported: closing the connection makes sure of it; the session says it is closed.
    /// </summary>
    public void Abandon()
    {
        foreach (var entry in _entries)
            if (!entry.Submission.EndOfDataWritten) entry.Session.Abort();
        _entries.Clear();
    }

    internal sealed class Entry
    {
        public Entry(SmtpSession session, OutgoingMessage message, SmtpSubmission submission, Stopwatch clock)
        {
            Session = session;
            Message = message;
            Submission = submission;
            Clock = clock;
        }

        public SmtpSession Session { get; }

        public OutgoingMessage Message { get; }

        public SmtpSubmission Submission { get; }

        public Stopwatch Clock { get; }
    }
}
