using System.Collections;

namespace AsyncSmtp.Commands;

/// <summary>
/// New-SmtpMessage: builds a message without sending it, for the pipeline
/// (<c>Import-Csv users.csv | New-SmtpMessage ... | Send-SmtpMessage -Session $s</c>).
/// Every content parameter binds by property name from the pipeline.
/// </summary>
[Cmdlet(VerbsCommon.New, "SmtpMessage")]
[OutputType(typeof(SmtpMessage))]
public sealed class NewSmtpMessageCommand : PSCmdlet, IMessageContentParameters
{
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? From { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? To { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Cc { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Bcc { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? ReplyTo { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Subject { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Body { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter BodyAsHtml { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? HtmlBody { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Attachments { get; set; }

    /// <summary>Files the HTML body shows inline: content id to path (<c>@{ logo = './logo.png' }</c>).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public IDictionary? InlineAttachment { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SmtpMessagePriority Priority { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Headers")]
    public IDictionary? Header { get; set; }

    /// <summary>The charset of the subject and bodies; UTF-8 when not given.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EncodingArgument]
    [ArgumentCompleter(typeof(EncodingCompleter))]
    public System.Text.Encoding? Encoding { get; set; }

    bool IMessageContentParameters.BodyAsHtml => BodyAsHtml.IsPresent;

    protected override void ProcessRecord()
    {
        var message = ContentParameters.Build(this, this, out var error);
        if (message is not null) WriteObject(message);
        else WriteError(error!);
    }
}
