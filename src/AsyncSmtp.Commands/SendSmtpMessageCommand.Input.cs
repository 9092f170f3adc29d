using DeliveryNotificationOptions = System.Net.Mail.DeliveryNotificationOptions;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage's input: the messages of a pipeline record in whichever of the four content forms they came,
/// each with its envelope, or in its place the error that says why it cannot be sent.
/// </summary>
public sealed partial class SendSmtpMessageCommand
{
    /// <summary>
    /// The messages of this pipeline record, each with its envelope, and in their place the errors of those that
    /// could not be read (an <see cref="ErrorRecord"/>): they are written in message order, after earlier outcomes.
    /// </summary>
    private IEnumerable<object> PrepareMessages()
    {
        var smtpMessage = PSObjectValue.Unwrap(Message);
        // -Message binds by value to anything in the pipeline: the session itself when it is piped in,
        // and a file object whose FullName also bound -Path. Neither is a message.
        if (smtpMessage is SmtpSession || (Path is not null && smtpMessage is not SmtpMessage)) smtpMessage = null;
        bool fromParameters = ContentParameters.HasContent(this);

        int forms = (fromParameters ? 1 : 0) + (smtpMessage is null ? 0 : 1) + (Path is null ? 0 : 1)
            + (RawMessage is null ? 0 : 1);
        if (forms == 0)
            ThrowUsageError("Nothing to send: give -From/-To/-Subject/-Body..., -Message, -Path or -RawMessage.",
            "Message");
        if (forms > 1)
            ThrowUsageError("Give the message in one form only: content parameters, -Message, -Path or -RawMessage.",
            "Message");

        if (RawMessage is not null)
        {
            yield return FromRaw();
        }
        else if (Path is not null)
        {
            foreach (object file in ResolvePaths(Path))
                yield return file is string path ? Load(path) : file;
        }
        else if (smtpMessage is System.Collections.IEnumerable several and not string)
        {
            foreach (object item in several)
                yield return PSObjectValue.Unwrap(item) is SmtpMessage one ? FromMessage(one, one) : NotAMessage(item);
        }
        else if (smtpMessage is not null)
        {
            yield return smtpMessage is SmtpMessage given
                ? FromMessage(given, given)
                : NotAMessage(smtpMessage);
        }
        else
        {
            var built = ContentParameters.Build(this, this, out var error);
            yield return built is null ? error! : FromMessage(built, built);
        }
    }

    private static ErrorRecord NotAMessage(object value) =>
        Invalid(new ArgumentException("-Message takes messages made by New-SmtpMessage; use -RawMessage for text or "
            + "bytes and -Path for files.", nameof(Message)), value);

    private static ErrorRecord Invalid(Exception error, object target) =>
        SmtpErrorMapper.ToErrorRecord(error, target, SmtpErrorIds.InvalidArgument);

    /// <summary>The message with its envelope, or the error that says why it cannot be sent.</summary>
    private object FromMessage(SmtpMessage message, object target)
    {
        try
        {
            var envelope = message.CreateEnvelope(Sender, Recipient, _notify);
            // A progress bar gets a percentage when the size costs nothing to know, or when the message reads files
            // (only those can be large enough for a measuring pass to be worth it); measuring others would cost a
            // serialisation.
            long? size = message.SizeIsKnown || message.ReadsFiles ? message.Size : null;
            return new OutgoingMessage(envelope, message.CreateContent(), message.MessageId, size, target);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            return Invalid(error, target);
        }
    }

    private object FromRaw()
    {
        if (Sender is null || Recipient is null)
            ThrowUsageError("-RawMessage needs the envelope: give -Sender and -Recipient.", Sender is null
                ? nameof(Sender) : nameof(Recipient));
        byte[]? bytes = RawMessageContent.ToBytes(RawMessage);
        if (bytes is null)
            return Invalid(new ArgumentException("-RawMessage takes a string, lines of text or a byte array.",
                nameof(RawMessage)), RawMessage!);
        SmtpEnvelope envelope;
        try
        {
            // The same reading of -Sender and -Recipient as for every other content form.
            envelope = new SmtpEnvelope(EnvelopeAddress.Sender(Sender!),
                Recipient!.Select(r => new SmtpRecipient(EnvelopeAddress.Recipient(r), _notify)).ToList());
        }
        catch (SmtpArgumentException invalid)
        {
            return Invalid(invalid, RawMessage!);
        }
        return new OutgoingMessage(envelope, SmtpContent.FromBytes(bytes), RawMessageContent.FindMessageId(bytes),
            bytes.Length, RawMessage!);
    }

    /// <summary>The .eml file as a message to send, or the error that says why it cannot be read.</summary>
    private object Load(string path)
    {
        if (FileArguments.Check(this, path, nameof(Path)) is { } problem) return problem;
        try
        {
            return FromMessage(SmtpMessageFactory.Load(path), path);
        }
        catch (Exception invalid) when (SmtpErrorMapper.IsReportable(invalid))
        {
            return Invalid(invalid, path);
        }
    }

    /// <summary>Each file the paths name, or in place of a path that names none, its error.</summary>
    private IEnumerable<object> ResolvePaths(string[] paths)
    {
        foreach (string path in paths)
        {
            foreach (object file in Resolve(path)) yield return file;
        }
    }

    private IEnumerable<object> Resolve(string path)
    {
        try
        {
            var resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
            if (provider.Name == "FileSystem") return resolved;
            var notFile = new ArgumentException($"'{path}' is not a file system path.", nameof(Path));
            return new object[] { Invalid(notFile, path) };
        }
        catch (Exception missing) when (SmtpErrorMapper.IsReportable(missing))
        {
            return new object[] { SmtpErrorMapper.ToErrorRecord(missing, path, SmtpErrorIds.PathNotFound) };
        }
    }

    private static SmtpNotify ToNotify(DeliveryNotificationOptions options)
    {
        if (options == DeliveryNotificationOptions.None) return SmtpNotify.Default;
        if ((options & DeliveryNotificationOptions.Never) != 0) return SmtpNotify.Never;
        var notify = SmtpNotify.Default;
        if ((options & DeliveryNotificationOptions.OnSuccess) != 0) notify |= SmtpNotify.Success;
        if ((options & DeliveryNotificationOptions.OnFailure) != 0) notify |= SmtpNotify.Failure;
        if ((options & DeliveryNotificationOptions.Delay) != 0) notify |= SmtpNotify.Delay;
        return notify;
    }
}
