using System.Collections;
using DeliveryNotificationOptions = System.Net.Mail.DeliveryNotificationOptions;

namespace AsyncSmtp.Commands;

/// <summary>
/// Send-SmtpMessage: sends messages over a -Session, or one-shot with the connection parameters
/// (connected on the first message, QUIT at the end of the pipeline). Content comes in one of four
/// forms: the content parameters, -Message, -Path or -RawMessage with -Sender and -Recipient.
/// One result or one error per message; a refused message does not stop the pipeline, a dead
/// connection does.
/// </summary>
[Cmdlet(VerbsCommunications.Send, "SmtpMessage", DefaultParameterSetName = ConnectSet, SupportsShouldProcess = true,
    ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(SmtpSendResult))]
public sealed partial class SendSmtpMessageCommand : SmtpConnectionCmdlet, IMessageContentParameters
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

    // Unlike Connect-Smtp's, these four do not take values from piped objects' properties: a piped message never
    // has them (the connection is made once, from the first record), and PowerShell would look each up on every
    // piped message, which cost about 0.7 KB and a microsecond a message.
    [Parameter(ParameterSetName = ConnectSet)]
    [ValidateRange(1, 65535)]
    public override int Port { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public override SwitchParameter UseTls { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public override SwitchParameter StartTls { get; set; }

    [Parameter(ParameterSetName = ConnectSet)]
    public override SwitchParameter NoTls { get; set; }

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

    private static readonly string[] _deliveryParameters =
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

    protected override Task BeginProcessingAsync(CancellationToken cancellationToken)
    {
        _notify = ToNotify(DeliveryNotificationOption);
        _caller = SessionTurns.Caller;
        if (_deliveryParameters.Any(MyInvocation.BoundParameters.ContainsKey))
            _deliverySettings = CheckDeliverySettings();
        // Only parameters from the command line are bound yet: a -Message seen later came through the pipeline.
        _messageGiven = Message is not null;
        return Task.CompletedTask;
    }

    protected override Task ProcessRecordAsync(CancellationToken cancellationToken)
    {
        _inputSeen = true;
        if (TakePipedFile()) return Task.CompletedTask;
        // The parameter set is only certain once the first pipeline object is bound (a piped session), so not before
        // here.
        // A piped session can also land in -Message (it takes any object) while the default, one-shot set is chosen.
        var session = IsOneShot ? PSObjectValue.Unwrap(Message) as SmtpSession : Session;
        if (session is null && _oneShotOptions is null)
            _oneShotOptions = WithUseSsl(BuildClientOptions(out _oneShotServer));

        // Messages to send and errors of messages that could not be read, in their order.
        var items = new List<object>();
        foreach (var item in PrepareMessages())
            if (item is ErrorRecord || ShouldProcess(((OutgoingMessage)item).Describe(), "Send")) items.Add(item);
        return items.Count > 0 ? DispatchAsync(session, items, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>
    /// Sends the record's messages: through the delivery engine when delivery parameters were given. Runs on the
    /// pipeline thread up to its first wait (usage errors are thrown there).
    /// </summary>
    private Task DispatchAsync(SmtpSession? session, List<object> items, CancellationToken cancellationToken)
    {
        if (_deliverySettings is null) return SendAllAsync(session, items, cancellationToken);
        if (_run is not null || session is null)
            return Deliver(session, items) ? FinishDeliveryAsync(cancellationToken)
                : _run!.IsFull ? _run.WaitForRoomAsync(cancellationToken) : Task.CompletedTask;
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ThrottleLimit)))
            ThrowUsageError("-ThrottleLimit belongs to the one-shot form: a session is one connection.",
                nameof(ThrottleLimit));
        return DeliverOverSessionAsync(session, items, cancellationToken);
    }

    private async Task DeliverOverSessionAsync(SmtpSession session, List<object> items, CancellationToken ct)
    {
        // The run keeps the session's turn to the end: its held messages and reconnects are its own.
        await TakeTurnAsync(session, ct).ConfigureAwait(false);
        // The run writes outcomes as it learns them, so it is fed on the pipeline thread.
        if (await InvokeOnPipelineThreadAsync(() => Deliver(session, items)).ConfigureAwait(false))
            await FinishDeliveryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Adds the record's messages to the delivery run (started by the first record). Pipeline thread only. True
    /// when the run has stopped (a connection could not be made): the caller finishes it, which ends the command.
    /// </summary>
    private bool Deliver(SmtpSession? session, List<object> items)
    {
        // Every message of the run in this one record (not piped): their number is known for the progress bar.
        int? total = MyInvocation.ExpectingInput ? null : items.Count;
        _run ??= StartRun(settings => session is null
            ? new DeliveryRun(this, settings, _oneShotOptions!, _oneShotServer, total)
            : new DeliveryRun(this, settings, session, total));
        foreach (var item in items)
        {
            if (item is ErrorRecord error) _run.AddError(error);
            else _run.Add((OutgoingMessage)item);
        }
        return _run.Stopped;
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
            throw Terminate(SmtpErrorMapper.ToErrorRecord(error, _deliverySettings!.JournalPath,
                SmtpErrorIds.InvalidArgument));
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
        if (message is ErrorRecord failed) WriteError(failed);
        else if (ShouldProcess(((OutgoingMessage)message).Describe(), "Send"))
            await DispatchAsync(session, new List<object> { message }, cancellationToken).ConfigureAwait(false);
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

    protected override async Task EndProcessingAsync(CancellationToken cancellationToken)
    {
        // An empty pipeline of files still sends the message, without them, as Send-MailMessage does.
        bool noFilesCame = MyInvocation.ExpectingInput && !_inputSeen && ContentParameters.HasContent(this);
        if (_pipedFiles.Count > 0 || noFilesCame)
            await SendWithPipedFilesAsync(cancellationToken).ConfigureAwait(false);
        if (_deliverySettings is not null)
        {
            await FinishDeliveryAsync(cancellationToken).ConfigureAwait(false);
            ReleaseTurns();
            return;
        }
        var outputs = new List<object>(2);
        if (!_inFlight.IsEmpty)
        {
            await _inFlight.FlushAsync(cancellationToken).ConfigureAwait(false);
            await ReportAnsweredAsync(outputs).ConfigureAwait(false);
        }
        // Every reply read: another runspace may have the session while these outcomes are written.
        ReleaseTurns();
        await WriteAllAsync(outputs).ConfigureAwait(false);
        if (IsOneShot) await CloseOneShotSessionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the run's remaining outcomes; a run stopped by a failed connection then ends.</summary>
    private async Task FinishDeliveryAsync(CancellationToken cancellationToken)
    {
        var run = _run;
        if (run is null) return;
        await run.FinishAsync(cancellationToken).ConfigureAwait(false);
        if (run.Terminating is { } stop) throw Terminate(stop);
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
}
