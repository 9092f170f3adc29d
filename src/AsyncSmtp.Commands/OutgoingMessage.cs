namespace AsyncSmtp.Commands;

/// <summary>One message Send-SmtpMessage is about to send: envelope, content and how errors name it.</summary>
internal sealed class OutgoingMessage
{
    public OutgoingMessage(SmtpEnvelope envelope, SmtpContent content, string? messageId, long? knownSize,
        object target)
    {
        Envelope = envelope;
        Content = content;
        MessageId = messageId;
        KnownSize = knownSize;
        Target = target;
    }

    /// <summary>The size when it is known without a pass over a MIME message (for the progress bar).</summary>
    public long? KnownSize { get; }

    public SmtpEnvelope Envelope { get; }

    public SmtpContent Content { get; }

    public string? MessageId { get; }

    /// <summary>What a message-level error names: the path, the SmtpMessage object or the raw content.</summary>
    public object Target { get; }

    /// <summary>The same message carrying a Message-Id it did not have (its content adds the header).</summary>
    public OutgoingMessage WithMessageId(string messageId, SmtpContent content) =>
        new(Envelope, content, messageId, KnownSize + content.Length - Content.Length, Target);

    /// <summary>The same message with another envelope.</summary>
    public OutgoingMessage WithEnvelope(SmtpEnvelope envelope) => new(envelope, Content, MessageId, KnownSize, Target);

    /// <summary>How -WhatIf/-Confirm and progress describe the message.</summary>
    public string Describe()
    {
        // Made for every message sent (ShouldProcess takes it even without -WhatIf): one string for the usual one.
        var all = Envelope.Recipients;
        string recipients = all.Count == 1 ? all[0].Address : string.Join(", ", all.Select(r => r.Address));
        return Target is string path ? $"'{path}' from <{Envelope.Sender}> to {recipients}"
            : MessageId is null ? $"message from <{Envelope.Sender}> to {recipients}"
            : $"message <{MessageId}> from <{Envelope.Sender}> to {recipients}";
    }
}
