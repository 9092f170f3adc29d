namespace AsyncSmtp.Mime;

/// <summary>The address parameters of a message to build, parsed and checked (the first thing a build does).</summary>
internal sealed class MessageAddresses
{
    private MessageAddresses(MailboxAddress from, SmtpMessageSpec spec)
    {
        From = from;
        To = Addresses.ParseList(spec.To, "To");
        Cc = Addresses.ParseList(spec.Cc, "Cc");
        Bcc = Addresses.ParseList(spec.Bcc, "Bcc");
        ReplyTo = Addresses.ParseList(spec.ReplyTo, "ReplyTo");
    }

    public MailboxAddress From { get; }

    public InternetAddressList To { get; }

    public InternetAddressList Cc { get; }

    public InternetAddressList Bcc { get; }

    public InternetAddressList ReplyTo { get; }

    /// <summary>
    /// The right side of the Message-Id: the sender's domain, as mail clients do; punycode keeps the header ASCII.
    /// </summary>
    public string MessageIdDomain
    {
        get
        {
            var address = From.GetAddress(idnEncode: true);
            return address.Substring(address.LastIndexOf('@') + 1);
        }
    }

    /// <summary>SmtpArgumentException for a missing From or any address that is not valid.</summary>
    public static MessageAddresses Parse(SmtpMessageSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.From))
            throw new SmtpArgumentException("A message needs a From address.", "From");
        return new MessageAddresses(Addresses.ParseMailbox(spec.From, "From"), spec);
    }
}
