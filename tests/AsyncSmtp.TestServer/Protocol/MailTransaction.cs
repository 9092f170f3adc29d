namespace AsyncSmtp.TestServer;

/// <summary>The envelope and BDAT chunks of the transaction in progress, from MAIL until the end of the message or RSET.</summary>
internal sealed class MailTransaction(string sender, IReadOnlyList<string> mailParameters)
{
    public static MailTransaction Empty => new(string.Empty, Array.Empty<string>());

    public string Sender { get; } = sender;

    public IReadOnlyList<string> MailParameters { get; } = mailParameters;

    public List<string> Recipients { get; } = new();

    public Dictionary<string, IReadOnlyList<string>> RecipientParameters { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>BDAT chunks received so far.</summary>
    public MemoryStream Chunks { get; } = new();

    /// <summary>A BDAT chunk pushed the message over the size limit; the rest is read and dropped.</summary>
    public bool ChunksTooBig { get; set; }

    public bool HasChunks { get; set; }

    public bool RequestedSmtpUtf8 => MailParameters.Any(p => p.Equals("SMTPUTF8", StringComparison.OrdinalIgnoreCase));

    public void AddRecipient(string address, IReadOnlyList<string> parameters)
    {
        Recipients.Add(address);
        if (parameters.Count > 0)
        {
            RecipientParameters[address] = parameters;
        }
    }
}
