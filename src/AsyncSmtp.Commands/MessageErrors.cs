using System.Management.Automation;
using AsyncSmtp.Client;

namespace AsyncSmtp.Commands;

/// <summary>
/// The non-terminating errors of a refused message, as the session and the delivery forms write them.
/// </summary>
internal static class MessageErrors
{
    /// <summary>
    /// One error per recipient refused before the message itself was (a 450 for one, then DATA refused with 451),
    /// then the message's own. <paramref name="transient"/>: trying again later may succeed (ResourceUnavailable).
    /// </summary>
    public static void Add(List<object> outputs, OutgoingMessage message, Exception error, bool transient = false)
    {
        if (error is SmtpDataException data) AddRecipientRefusals(outputs, data.RefusedRecipients);
        outputs.Add(Of(message, error, transient));
    }

    public static void AddRecipientRefusals(List<object> outputs, IEnumerable<SmtpRecipientRefusedException> refusals)
    {
        foreach (var refusal in refusals)
            outputs.Add(SmtpErrorMapper.ToErrorRecord(refusal, refusal.Recipient, SmtpErrorIds.RecipientRejected));
    }

    /// <summary>
    /// The error of a refused message, naming what was refused: the sender, a recipient or the message.
    /// </summary>
    public static ErrorRecord Of(OutgoingMessage message, Exception error, bool transient = false)
    {
        object target = error switch
        {
            SmtpSenderRefusedException refused => refused.Sender,
            SmtpRecipientRefusedException refused => refused.Recipient,
            _ => message.Target,
        };
        return SmtpErrorMapper.ToErrorRecord(error, target, SmtpErrorIds.MessageRejected, transient);
    }
}
