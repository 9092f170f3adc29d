using System.Collections;
using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Management.Automation;
using DeliveryNotificationOptions = System.Net.Mail.DeliveryNotificationOptions;
using AsyncSmtp.Client;
using AsyncSmtp.Mime;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage: sends messages over a -Session, or one-shot with the connection parameters
/// (connected on the first message, QUIT at the end of the pipeline). Content comes in one of four
/// forms: the content parameters, -Message, -Path or -RawMessage with -Sender and -Recipient.
/// One result or one error per message; a refused message does not stop the pipeline, a dead
/// connection does.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "SmtpMessage", DefaultParameterSetName = ConnectSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SmtpSendResult))]
public sealed class SendSmtpMessageCommand : SmtpConnectionCmdlet, IMessageContentParameters
{
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = SessionSet)]
    [ValidateNotNull]
    public SmtpSession Session { get; set; } = null!;

    [Parameter]
    public string? From { get; set; }

    /// <summary>Send-MailMessage's positions: To 0, Subject 1, Body 2, SmtpServer 3.</summary>
    [Parameter(Position = 0)]
    public string[]? To { get; set; }

    [Parameter]
    public string[]? Cc { get; set; }

    [Parameter]
    public string[]? Bcc { get; set; }

    [Parameter]
    public string[]? ReplyTo { get; set; }

    [Parameter(Position = 1)]
    public string? Subject { get; set; }

    [Parameter(Position = 2)]
    public string? Body { get; set; }

    [Parameter]
    public SwitchParameter BodyAsHtml { get; set; }

    [Parameter]
    public string? HtmlBody { get; set; }

    [Parameter]
    public string[]? Attachments { get; set; }

    /// <summary>Files the HTML body shows inline: content id to path (<c>@{ logo = './logo.png' }</c>).</summary>
    [Parameter]
    public IDictionary? InlineAttachment { get; set; }

    [Parameter]
    public SmtpMessagePriority Priority { get; set; }

    [Parameter]
    [Alias("Headers")]
    public IDictionary? Header { get; set; }

    /// <summary>The charset of the subject and bodies; UTF-8 when not given.</summary>
    [Parameter]
    [EncodingArgument]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    /// <summary>Send-MailMessage's -SmtpServer position (3, after To, Subject and Body), on this cmdlet only.</summary>
    [Parameter(ParameterSetName = ConnectSet, Position = 3, ValueFromPipelineByPropertyName = true)]
    [Alias("ComputerName", "HostName", "Server")]
    [ValidateNotNullOrEmpty]
    public override string? SmtpServer { get; set; }

    /// <summary>Send-MailMessage's -UseSsl: STARTTLS required (as EnableSsl), port 25 by default.</summary>
    [Parameter(ParameterSetName = ConnectSet)]
    public SwitchParameter UseSsl { get; set; }

    [Parameter]
    [Alias("DNO")]
    public DeliveryNotificationOptions DeliveryNotificationOption { get; set; }

    /// <summary>An object from New-SmtpMessage.</summary>
    [Parameter(ValueFromPipeline = true)]
    public object? Message { get; set; }

    /// <summary>.eml files; wildcards allowed.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    /// <summary>A whole message as a string (sent as UTF-8) or byte[]; needs -Sender and -Recipient.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? RawMessage { get; set; }

    /// <summary>The envelope sender (MAIL FROM), instead of the one the headers give.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Sender { get; set; }

    /// <summary>The envelope recipients (RCPT TO), instead of those the headers give.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Recipient { get; set; }

    bool IMessageContentParameters.BodyAsHtml => BodyAsHtml.IsPresent;

    private readonly InFlightMessages _inFlight = new();
    private int _confirmed;
    private SmtpClientOptions? _oneShotOptions;
    private string _oneShotServer = string.Empty;
    private SmtpNotify _notify;
    private readonly DsnFallback _dsn = new();
    private readonly List<string> _pipedFiles = new();
    private bool _messageGiven;
    private bool _inputSeen;

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        _notify = ToNotify(DeliveryNotificationOption);
        // Only parameters from the command line are bound yet: a -Message seen later came through the pipeline.
        _messageGiven = Message is not null;
        return Task.CompletedTask;
    }

    protected override async Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        _inputSeen = true;
        if (TakePipedFile()) return;
        // The parameter set is only certain once the first pipeline object is bound (a piped session), so not before here.
        // A piped session can also land in -Message (it takes any object) while the default, one-shot set is chosen.
        var session = IsOneShot ? PSObjectValue.Unwrap(Message) as SmtpSession : Session;
        if (session is null && _oneShotOptions is null)
            _oneShotOptions = WithUseSsl(BuildClientOptions(out _oneShotServer));

        var approved = new List<OutgoingMessage>();
        foreach (var message in PrepareMessages())
            if (ShouldProcess(message.Describe(), "Send")) approved.Add(message);
        if (approved.Count > 0) await SendAllAsync(session, approved, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Send-MailMessage attaches every file piped into it to the one message it sends at the end of the pipeline;
    /// so does this cmdlet when the message is built from parameters. Without them, piped files are .eml messages.
    /// </summary>
    private bool TakePipedFile()
    {
        if (!MyInvocation.ExpectingInput || _messageGiven || !ContentParameters.HasContent(this)) return false;
        string? file = PSObjectValue.Unwrap(Message) switch
        {
            FileInfo info => info.FullName,
            string path => path,
            _ => null,
        };
        if (file is null) return false;
        _pipedFiles.Add(file);
        return true;
    }

    private async Task SendWithPipedFilesAsync(CancellationToken cancellationToken)
    {
        var session = IsOneShot ? null : Session;
        if (session is null && _oneShotOptions is null)
            _oneShotOptions = WithUseSsl(BuildClientOptions(out _oneShotServer));
        var built = ContentParameters.Build(this, this, out var error, _pipedFiles);
        if (built is null)
        {
            WriteError(error!);
            return;
        }
        var message = FromMessage(built, built);
        if (message is not null && ShouldProcess(message.Describe(), "Send"))
            await SendAllAsync(session, new List<OutgoingMessage> { message }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends the messages over the session, or the one-shot connection (opened now if need be).</summary>
    private async Task SendAllAsync(SmtpSession? session, List<OutgoingMessage> approved, CancellationToken ct)
    {
        var connection = session
            ?? await GetOneShotSessionAsync(_oneShotOptions!, _oneShotServer, ct).ConfigureAwait(false);
        for (int i = 0; i < approved.Count; i++)
        {
            var outputs = new List<object>(2);
            await SendAsync(connection, approved[i], outputs, ct).ConfigureAwait(false);
            // The last message's outputs are not waited for: one thread hop fewer per record, which matters
            // when thousands of messages are piped through one session.
            if (i < approved.Count - 1) await WriteAllAsync(outputs).ConfigureAwait(false);
            else WriteWithoutWaiting(outputs);
        }
    }

    // -UseSsl is -StartTls on Send-MailMessage's default port: scripts that relied on port 25 keep using it.
    private SmtpClientOptions WithUseSsl(SmtpClientOptions options)
    {
        if (!UseSsl) return options;
        if (UseTls || NoTls)
            ThrowUsageError("-UseSsl means STARTTLS: it cannot be combined with -UseTls or -NoTls.", nameof(UseSsl));
        options.TlsMode = SmtpTlsMode.StartTls;
        if (Port == 0) options.Port = 25;
        return options;
    }

    private async Task WriteAllAsync(List<object> outputs)
    {
        foreach (var output in outputs)
        {
            if (output is ErrorRecord error) await WriteErrorAsync(error).ConfigureAwait(false);
            else await WriteObjectAsync(output).ConfigureAwait(false);
        }
    }

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        // An empty pipeline of files still sends the message, without them, as Send-MailMessage does.
        bool noFilesCame = MyInvocation.ExpectingInput && !_inputSeen && ContentParameters.HasContent(this);
        if (_pipedFiles.Count > 0 || noFilesCame)
            await SendWithPipedFilesAsync(cancellationToken).ConfigureAwait(false);
        if (!_inFlight.IsEmpty)
        {
            await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
            var outputs = new List<object>(2);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
            await WriteAllAsync(outputs).ConfigureAwait(false);
        }
        if (IsOneShot) await CloseOneShotSessionAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _inFlight.Abandon();
        base.Dispose(disposing);
    }

    /// <summary>
    /// Hands one message to the server. The outcomes of earlier messages whose final replies have come
    /// meanwhile go to <paramref name="outputs"/>, in order, followed by this message's error if it was
    /// refused at once; its own result comes with a later message or at the end of the pipeline.
    /// </summary>
    private async Task SendAsync(SmtpSession session, OutgoingMessage message, List<object> outputs, CancellationToken cancellationToken)
    {
        message = await _dsn.ApplyAsync(session, message, WriteWarningAsync).ConfigureAwait(false);
        var progress = new UploadProgress(this, message);
        var clock = Stopwatch.StartNew();
        try
        {
            var submission = await session.Client
                .SubmitAsync(message.Envelope, message.Content, progress, cancellationToken).ConfigureAwait(false);
            _inFlight.Add(session, message, submission, clock);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            // Earlier messages are reported first; the replies they still owe are read now (or their loss is).
            await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
            // Anything but a refusal has closed the connection: an attachment or .eml file that went away
            // while it was read for sending, as much as a lost connection.
            if (error is not SmtpCommandException)
                throw await ConnectionLostAsync(message, error, session, outputs).ConfigureAwait(false);
            outputs.Add(MessageFailure(message, error));
        }
        finally
        {
            progress.Complete();
        }
    }

    /// <summary>
    /// Adds the outcome of each answered message to <paramref name="outputs"/>: a result (after one error
    /// per refused recipient) when delivered, an error when refused. A message lost with its connection
    /// ends the cmdlet, as for a message sent without pipelining, once what came before it is written.
    /// </summary>
    private async Task ReportAnsweredAsync(List<object> outputs)
    {
        foreach (var entry in _inFlight.TakeAnswered())
        {
            var message = entry.Message;
            if (entry.Submission.Result.Exception?.InnerException is { } failure)
            {
                if (failure is SmtpCommandException)
                {
                    outputs.Add(MessageFailure(message, failure));
                    continue;
                }
                throw await ConnectionLostAsync(message, failure, entry.Session, outputs).ConfigureAwait(false);
            }
            _confirmed++;
            var result = entry.Submission.Result.Result;
            foreach (var refusal in result.RefusedRecipients)
                outputs.Add(SmtpErrorMapper.ToErrorRecord(refusal, refusal.Recipient, SmtpErrorIds.RecipientRejected));
            outputs.Add(new SmtpSendResult(message.MessageId, message.Envelope.Sender, result.AcceptedRecipients.ToArray(),
                result.RefusedRecipients.Select(r => new SmtpRejectedRecipient(r)).ToList().AsReadOnly(), result.Response.Message,
                entry.Session.SmtpServer, entry.Session.Port, result.MessageSize, entry.Clock.Elapsed));
        }
    }

    /// <summary>
    /// The connection is gone: what came before is written; a message whose whole data was written gets its
    /// own SmtpDeliveryUncertain error (the server may have it); then the run ends with the connection's
    /// error, which says how many of its messages were confirmed.
    /// </summary>
    private async Task<Exception> ConnectionLostAsync(OutgoingMessage message, Exception error, SmtpSession session,
        List<object> outputs)
    {
        var lost = error;
        if (error is SmtpDeliveryUncertainException uncertain)
        {
            outputs.Add(SmtpErrorMapper.ToErrorRecord(uncertain, message.Target, SmtpErrorIds.DeliveryUncertain));
            lost = uncertain.InnerException ?? uncertain;
        }
        await WriteAllAsync(outputs).ConfigureAwait(false);
        outputs.Clear();
        var record = SmtpErrorMapper.ToErrorRecord(lost, session.Endpoint, SmtpErrorIds.ServerDisconnected);
        record.ErrorDetails = new ErrorDetails(
            $"{record.ErrorDetails?.Message ?? lost.Message} {_confirmed} message(s) of this run were confirmed by the server.");
        return Terminate(record);
    }

    /// <summary>The non-terminating error of a refused message, naming what was refused: the pipeline goes on.</summary>
    private static ErrorRecord MessageFailure(OutgoingMessage message, Exception error)
    {
        object target = error switch
        {
            SmtpSenderRefusedException refused => refused.Sender,
            SmtpRecipientRefusedException refused => refused.Recipient,
            _ => message.Target,
        };
        return SmtpErrorMapper.ToErrorRecord(error, target, SmtpErrorIds.MessageRejected);
    }

    /// <summary>The messages of this pipeline record, each with its envelope. Failures to read one are written as errors here.</summary>
    private IEnumerable<OutgoingMessage> PrepareMessages()
    {
        var smtpMessage = PSObjectValue.Unwrap(Message);
        // -Message binds by value to anything in the pipeline: the session itself when it is piped in,
        // and a file object whose FullName also bound -Path. Neither is a message.
        if (smtpMessage is SmtpSession || (Path is not null && smtpMessage is not SmtpMessage)) smtpMessage = null;
        bool fromParameters = ContentParameters.HasContent(this);

        int forms = (fromParameters ? 1 : 0) + (smtpMessage is null ? 0 : 1) + (Path is null ? 0 : 1) + (RawMessage is null ? 0 : 1);
        if (forms == 0) ThrowUsageError("Nothing to send: give -From/-To/-Subject/-Body..., -Message, -Path or -RawMessage.", "Message");
        if (forms > 1) ThrowUsageError("Give the message in one form only: content parameters, -Message, -Path or -RawMessage.", "Message");

        if (RawMessage is not null)
        {
            if (FromRaw() is { } raw) yield return raw;
        }
        else if (Path is not null)
        {
            foreach (string path in ResolvePaths(Path))
                if (FromMessage(Load(path), path) is { } loaded) yield return loaded;
        }
        else if (smtpMessage is not null)
        {
            if (smtpMessage is SmtpMessage given) { if (FromMessage(given, given) is { } m) yield return m; }
            else WriteError(SmtpErrorMapper.ToErrorRecord(new ArgumentException("-Message takes a message made by "
                + "New-SmtpMessage; use -RawMessage for text or bytes and -Path for files.", nameof(Message)),
                smtpMessage, SmtpErrorIds.InvalidArgument));
        }
        else
        {
            var built = ContentParameters.Build(this, this, out var error);
            if (built is null) WriteError(error!);
            else if (FromMessage(built, built) is { } m) yield return m;
        }
    }

    private OutgoingMessage? FromMessage(SmtpMessage? message, object target)
    {
        if (message is null) return null;
        try
        {
            var envelope = message.CreateEnvelope(Sender, Recipient, _notify);
            // Only a message that reads files can be large enough for a progress bar; measuring others would cost a serialisation.
            return new OutgoingMessage(envelope, message.CreateContent(), message.MessageId, message.ReadsFiles ? message.Size : null, target);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            WriteError(SmtpErrorMapper.ToErrorRecord(error, target, SmtpErrorIds.InvalidArgument));
            return null;
        }
    }

    private OutgoingMessage? FromRaw()
    {
        if (Sender is null || Recipient is null)
            ThrowUsageError("-RawMessage needs the envelope: give -Sender and -Recipient.", Sender is null ? nameof(Sender) : nameof(Recipient));
        byte[]? bytes = RawMessageContent.ToBytes(RawMessage);
        if (bytes is null)
        {
            var unusable = new ArgumentException("-RawMessage takes a string, lines of text or a byte array.",
                nameof(RawMessage));
            WriteError(SmtpErrorMapper.ToErrorRecord(unusable, RawMessage, SmtpErrorIds.InvalidArgument));
            return null;
        }
        SmtpEnvelope envelope;
        try
        {
            // The same reading of -Sender and -Recipient as for every other content form.
            envelope = new SmtpEnvelope(EnvelopeAddress.Sender(Sender!),
                Recipient!.Select(r => new SmtpRecipient(EnvelopeAddress.Recipient(r), _notify)).ToList());
        }
        catch (SmtpArgumentException invalid)
        {
            WriteError(SmtpErrorMapper.ToErrorRecord(invalid, RawMessage, SmtpErrorIds.InvalidArgument));
            return null;
        }
        return new OutgoingMessage(envelope, SmtpContent.FromBytes(bytes), RawMessageContent.FindMessageId(bytes), bytes.Length, RawMessage!);
    }

    private SmtpMessage? Load(string path)
    {
        if (FileArguments.Check(this, path, nameof(Path)) is { } problem)
        {
            WriteError(problem);
            return null;
        }
        try
        {
            return SmtpMessageFactory.Load(path);
        }
        catch (Exception invalid) when (SmtpErrorMapper.IsReportable(invalid))
        {
            WriteError(SmtpErrorMapper.ToErrorRecord(invalid, path, SmtpErrorIds.InvalidArgument));
        }
        return null;
    }

    private IEnumerable<string> ResolvePaths(string[] paths)
    {
        foreach (string path in paths)
        {
            Collection<string> resolved;
            try
            {
                resolved = GetResolvedProviderPathFromPSPath(path, out var provider);
                if (provider.Name != "FileSystem")
                {
                    var notFile = new ArgumentException($"'{path}' is not a file system path.", nameof(Path));
                    WriteError(SmtpErrorMapper.ToErrorRecord(notFile, path, SmtpErrorIds.InvalidArgument));
                    continue;
                }
            }
            catch (Exception missing) when (SmtpErrorMapper.IsReportable(missing))
            {
                WriteError(SmtpErrorMapper.ToErrorRecord(missing, path, SmtpErrorIds.PathNotFound));
                continue;
            }
            foreach (string file in resolved) yield return file;
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
