namespace AsyncSmtp.TestServer;

/// <summary>
/// The random faults of <see cref="SmtpFaultPlan"/>. Each hook returns null when no fault fired (the
/// session goes on as usual), else whether the connection is still open. Drops close with a FIN, so a
/// reply already written still reaches the client before the close.
/// </summary>
internal sealed partial class SmtpSession
{
    private SmtpFaultPlan? Faults => _context.Faults;

    private async Task<bool?> GreetingFaultAsync()
    {
        if (Faults is not { } faults || !faults.Happens(faults.ThrottleAtGreeting))
        {
            return null;
        }

        await SendAsync("421 4.3.2 Too many connections, try again later").ConfigureAwait(false);
        Close(abort: false);
        return false;
    }

    private async Task<bool?> CommandFaultAsync(string verb)
    {
        if (Faults is not { } faults)
        {
            return null;
        }

        if (faults.NextDelay() is > 0 and var delay)
        {
            await Task.Delay(delay, Stopping).ConfigureAwait(false);
        }

        switch (verb)
        {
            case "MAIL" when faults.Happens(faults.DropAtMail):
            case "DATA" when _transaction is { Recipients.Count: > 0 } && faults.Happens(faults.DropAtData):
                Close(abort: false);
                return false;
            case "MAIL" when faults.Happens(faults.DeferAtMail):
                return await ReplyAsync(Line(451, "4.3.0", "Try again later")).ConfigureAwait(false);
            case "RCPT" when _transaction is not null && faults.Happens(faults.DeferAtRcpt):
                return await ReplyAsync(Line(450, "4.2.0", "Greylisted, try again later")).ConfigureAwait(false);
            default:
                return null;
        }
    }

    /// <summary>After 354: reads the header lines (so the ledger knows the message), then closes.</summary>
    private async Task<bool?> MidBodyFaultAsync()
    {
        if (Faults is not { } faults || !faults.Happens(faults.DropMidBody))
        {
            return null;
        }

        var headers = new List<string>();
        while (await _reader.ReadLineAsync(Stopping).ConfigureAwait(false) is { Text.Length: > 0 } line)
        {
            headers.Add(line.Text);
        }

        _context.Ledger.Note(FaultLedger.MessageIdOf(headers), MessageFault.DroppedMidBody);
        Close(abort: false);
        return false;
    }

    private async Task<bool?> EndOfMessageFaultAsync(MailTransaction transaction, byte[] data, byte[] raw, bool viaBdat)
    {
        if (Faults is not { } faults)
        {
            return null;
        }

        var id = FaultLedger.MessageIdOf(data);
        var dropped = faults.Happens(faults.DropAfterDot);
        var kept = !dropped && faults.Happens(faults.AcceptThenDrop);
        if (dropped || kept)
        {
            if (kept)
            {
                Accept(transaction, data, raw, viaBdat);
            }

            _context.Ledger.Note(id, kept ? MessageFault.AcceptedThenDropped : MessageFault.DroppedAfterDot);
            Close(abort: false);
            return false;
        }

        if (faults.Happens(faults.DeferAtEndOfData))
        {
            _context.Ledger.Note(id, MessageFault.DeferredAtEndOfData);
            return await ReplyAsync(Line(451, "4.3.0", "Try again later")).ConfigureAwait(false);
        }

        return null;
    }
}
