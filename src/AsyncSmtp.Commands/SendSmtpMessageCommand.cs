using System.Collections;
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

    /// <summary>Retries of a message that failed transiently (never after its end of data, never a 5xx).</summary>
    [Parameter]
    public int MaxRetry { get; set; }

    /// <summary>The first wait before a retry, in seconds; doubled each time, ±20 %, at most 300.</summary>
    [Parameter]
    public double RetryDelaySec { get; set; } = 5;

    /// <summary>Up to this many connections share the messages (one-shot form); outcomes stay in input order.</summary>
    [Parameter(ParameterSetName = ConnectSet)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>No more submissions a minute than this, over all connections.</summary>
    [Parameter]
    public int MaxMessagesPerMinute { get; set; }

    /// <summary>
    /// A file of JSON lines, one per outcome; a rerun skips what it records as accepted or uncertain.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

    bool IMessageContentParameters.BodyAsHtml => BodyAsHtml.IsPresent;

    private static readonly string[] DeliveryParameters =
    {
        nameof(MaxRetry), nameof(RetryDelaySec), nameof(ThrottleLimit), nameof(MaxMessagesPerMinute),
        nameof(JournalPath),
    };

    private readonly InFlightMessages _inFlight = new();
    private int _confirmed;
    private SmtpClientOptions? _oneShotOptions;
    private string _oneShotServer = string.Empty;
    private SmtpNotify _notify;
    private readonly DsnFallback _dsn = new();
    private readonly List<string> _pipedFiles = new();
    private bool _messageGiven;
    private bool _inputSeen;
    private object _caller = null!;
    private DeliverySettings? _deliverySettings;
    private DeliveryRun? _run;
    private readonly HashSet<SmtpSession> _turnsTaken = new();

    protected override void BeginProcessingCore()
    {
        _notify = ToNotify(DeliveryNotificationOption);
        _caller = SessionTurns.Caller;
        if (DeliveryParameters.Any(MyInvocation.BoundParameters.ContainsKey))
            _deliverySettings = CheckDeliverySettings();
        // Only parameters from the command line are bound yet: a -Message seen later came through the pipeline.
        _messageGiven = Message is not null;
    }

    protected override void ProcessRecord()
    {
        _inputSeen = true;
        if (TakePipedFile()) return;
        // The parameter set is only certain once the first pipeline object is bound (a piped session), so not before here.
        // A piped session can also land in -Message (it takes any object) while the default, one-shot set is chosen.
        var session = IsOneShot ? PSObjectValue.Unwrap(Message) as SmtpSession : Session;
        if (session is null && _oneShotOptions is null)
            _oneShotOptions = WithUseSsl(BuildClientOptions(out _oneShotServer));

        // Messages to send and errors of messages that could not be read, in their order.
        var items = new List<object>();
        foreach (var item in PrepareMessages())
            if (item is ErrorRecord || ShouldProcess(((OutgoingMessage)item).Describe(), "Send")) items.Add(item);
        if (items.Count > 0) Dispatch(session, items);
    }

    /// <summary>Sends the record's messages: through the delivery engine when delivery parameters were given.</summary>
    private void Dispatch(SmtpSession? session, List<object> items)
    {
        if (_deliverySettings is null)
        {
            Send(session, items);
            return;
        }
        // Every message of the run in this one record (not piped): their number is known for the progress bar.
        int? total = MyInvocation.ExpectingInput ? null : items.Count;
        if (_run is null && session is not null)
        {
            if (MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
                ThrowUsageError("-ThrottleLimit belongs to the one-shot form: a session is one connection.",
                    nameof(ThrottleLimit));
            // The run keeps the session's turn to the end: its held messages and reconnects are its own.
            RunOnPump(ct => TakeTurnAsync(session, ct));
            _run = StartRun(settings => new DeliveryRun(this, settings, session, total));
        }
        _run ??= StartRun(settings => new DeliveryRun(this, settings, _oneShotOptions!, _oneShotServer, total));
        foreach (var item in items)
        {
            if (item is ErrorRecord error) _run.AddError(error);
            else _run.Add((OutgoingMessage)item);
        }
        if (_run.Terminating is { } stop) ThrowTerminatingError(stop);
    }

    /// <summary>
    /// Starts the delivery run; a journal that cannot be opened (no such folder, in use) ends the command.
    /// </summary>
    private DeliveryRun StartRun(Func<DeliverySettings, DeliveryRun> start)
    {
        try
        {
            return start(_deliverySettings!);
        }
        catch (Exception error) when (SmtpErrorMapper.IsReportable(error))
        {
            ThrowTerminatingError(SmtpErrorMapper.ToErrorRecord(error, _deliverySettings!.JournalPath,
                SmtpErrorIds.InvalidArgument));
            throw;
        }
    }

    private DeliverySettings CheckDeliverySettings()
    {
        var settings = new DeliverySettings
        {
            MaxRetry = MaxRetry,
            RetryDelaySec = RetryDelaySec,
            ThrottleLimit = ThrottleLimit,
            MaxMessagesPerMinute = MyInvocation.BoundParameters.ContainsKey(nameof(MaxMessagesPerMinute))
                ? MaxMessagesPerMinute
                : null,
            JournalPath = JournalPath is null ? null : GetUnresolvedProviderPathFromPSPath(JournalPath),
        };
        if (settings.Problem() is { } problem) ThrowUsageError(problem.Message, problem.Parameter);
        return settings;
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

    private void SendWithPipedFiles()
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
        if (message is ErrorRecord failed) WriteError(failed);
        else if (ShouldProcess(((OutgoingMessage)message).Describe(), "Send"))
            Dispatch(session, new List<object> { message });
    }

    /// <summary>
    /// Sends the messages over the session, or the one-shot connection (opened now if need be). An error of a
    /// message that could not be read is written in its place: after the outcomes of the messages before it.
    /// </summary>
    private void Send(SmtpSession? session, List<object> items)
    {
        // The outputs of the last message are written here, after the work: one thread hop fewer per
        // record, which matters when thousands of messages are piped through one session.
        var last = new List<object>(2);
        RunOnPump(async ct =>
        {
            SmtpSession? connection = session;
            for (int i = 0; i < items.Count; i++)
            {
                var outputs = i == items.Count - 1 ? last : new List<object>(2);
                if (items[i] is ErrorRecord failed)
                {
                    await _inFlight.FlushAsync(ct).ConfigureAwait(false);
                    await ReportAnsweredAsync(outputs).ConfigureAwait(false);
                    outputs.Add(failed);
                }
                else
                {
                    connection ??= await GetOneShotSessionAsync(_oneShotOptions!, _oneShotServer, ct)
                        .ConfigureAwait(false);
                    if (session is not null) await TakeTurnAsync(session, ct).ConfigureAwait(false);
                    await SendAsync(connection, (OutgoingMessage)items[i], outputs, ct).ConfigureAwait(false);
                }
                if (outputs != last) await WriteAllAsync(outputs).ConfigureAwait(false);
            }
            if (session is not null) await YieldTurnAsync(session, last, ct).ConfigureAwait(false);
        });
        foreach (var output in last)
        {
            if (output is ErrorRecord error) WriteError(error);
            else WriteObject(output);
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

    private async Task TakeTurnAsync(SmtpSession session, CancellationToken cancellationToken)
    {
        await session.Turns.TakeAsync(_caller, cancellationToken).ConfigureAwait(false);
        _turnsTaken.Add(session);
    }

    /// <summary>
    /// Between records the turn stays with this pipeline while a message's end of data is held. When another
    /// runspace waits for the session, the replies still owed are read now and the turn is given up.
    /// </summary>
    private async Task YieldTurnAsync(SmtpSession session, List<object> outputs, CancellationToken cancellationToken)
    {
        if (!_inFlight.IsEmpty && !session.Turns.IsWanted) return;
        await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
        await ReportAnsweredAsync(outputs).ConfigureAwait(false);
        session.Turns.Release(_caller);
    }

    private void ReleaseTurns()
    {
        foreach (var session in _turnsTaken) session.Turns.Release(_caller);
        _turnsTaken.Clear();
    }

    private async Task WriteAllAsync(List<object> outputs)
    {
        foreach (var output in outputs)
        {
            if (output is ErrorRecord error) await WriteErrorAsync(error).ConfigureAwait(false);
            else await WriteObjectAsync(output).ConfigureAwait(false);
        }
    }

    protected override void EndProcessing()
    {
        // An empty pipeline of files still sends the message, without them, as Send-MailMessage does.
        bool noFilesCame = MyInvocation.ExpectingInput && !_inputSeen && ContentParameters.HasContent(this);
        if (_pipedFiles.Count > 0 || noFilesCame) SendWithPipedFiles();
        if (_deliverySettings is not null)
        {
            FinishDelivery();
            ReleaseTurns();
            return;
        }
        if (_inFlight.IsEmpty && !IsOneShot)
        {
            ReleaseTurns();
            return;
        }
        RunOnPump(async ct =>
        {
            if (!_inFlight.IsEmpty)
            {
                await _inFlight.FlushAsync(ct).ConfigureAwait(false);
                var outputs = new List<object>(2);
                await ReportAnsweredAsync(outputs).ConfigureAwait(false);
                ReleaseTurns();
                await WriteAllAsync(outputs).ConfigureAwait(false);
            }
            if (IsOneShot) await CloseOneShotSessionAsync(ct).ConfigureAwait(false);
        });
    }

    private void FinishDelivery()
    {
        var run = _run;
        if (run is null) return;
        RunOnPump(async ct =>
        {
            await run.FinishAsync(ct).ConfigureAwait(false);
            if (run.Terminating is { } stop) throw Terminate(stop);
        });
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _run?.Dispose();
            // A stopped pipeline: what it held is dropped before another runspace may have the session.
            _inFlight.Abandon();
            ReleaseTurns();
        }
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
            MessageErrors.Add(outputs, message, error);
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
                    MessageErrors.Add(outputs, message, failure);
                    continue;
                }
                throw await ConnectionLostAsync(message, failure, entry.Session, outputs).ConfigureAwait(false);
            }
            _confirmed++;
            var result = entry.Submission.Result.Result;
            MessageErrors.AddRecipientRefusals(outputs, result.RefusedRecipients);
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

        int forms = (fromParameters ? 1 : 0) + (smtpMessage is null ? 0 : 1) + (Path is null ? 0 : 1) + (RawMessage is null ? 0 : 1);
        if (forms == 0) ThrowUsageError("Nothing to send: give -From/-To/-Subject/-Body..., -Message, -Path or -RawMessage.", "Message");
        if (forms > 1) ThrowUsageError("Give the message in one form only: content parameters, -Message, -Path or -RawMessage.", "Message");

        if (RawMessage is not null)
        {
            yield return FromRaw();
        }
        else if (Path is not null)
        {
            foreach (object file in ResolvePaths(Path))
                yield return file is string path ? Load(path) : file;
        }
        else if (smtpMessage is IEnumerable several and not string)
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
            // Only a message that reads files can be large enough for a progress bar; measuring others would cost
            // a serialisation.
            long? size = message.ReadsFiles ? message.Size : null;
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
            ThrowUsageError("-RawMessage needs the envelope: give -Sender and -Recipient.", Sender is null ? nameof(Sender) : nameof(Recipient));
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
        return new OutgoingMessage(envelope, SmtpContent.FromBytes(bytes), RawMessageContent.FindMessageId(bytes), bytes.Length, RawMessage!);
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
