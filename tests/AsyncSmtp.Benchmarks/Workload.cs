namespace AsyncSmtp.Benchmarks;

/// <summary>
/// One client library doing the benchmark's work. <see cref="Prepare"/> builds the message objects (untimed);
/// <see cref="SendOverOneConnectionAsync"/> is timed: connect, send a slice of them, say goodbye.
/// </summary>
internal abstract class Workload
{
    protected Workload(string host, int port, string body)
    {
        Host = host;
        Port = port;
        Body = body;
    }

    protected string Host { get; }

    protected int Port { get; }

    protected string Body { get; }

    /// <summary>False for a workload that measures work without a server (nothing reaches the sink).</summary>
    public virtual bool SendsMail => true;

    /// <summary>Builds <paramref name="count"/> messages for the next repetition.</summary>
    public abstract void Prepare(int count);

    /// <summary>Sends messages [first, first + count) over one connection of its own.</summary>
    public abstract Task SendOverOneConnectionAsync(int first, int count, CancellationToken cancellationToken);

    public static Workload Create(string client, string host, int port, string body) => client switch
    {
        "engine" => new EngineWorkload(host, port, body, submit: false),
        "engine-submit" => new EngineWorkload(host, port, body, submit: true),
        "engine-unpipelined" => new EngineWorkload(host, port, body, submit: false, pipelining: false),
        "engine-smtpmessage" => new EngineSmtpMessageWorkload(host, port, body),
        "engine-bytes" => new EngineBytesWorkload(host, port, body),
        "serialise-only" => new SerialiseOnlyWorkload(host, port, body),
        "mailkit" => new MailKitWorkload(host, port, body),
        "sysnetmail-oneshot" => new SystemNetMailWorkload(host, port, body, reuseClient: false),
        "sysnetmail-reused" => new SystemNetMailWorkload(host, port, body, reuseClient: true),
        _ => throw new ArgumentException($"Unknown client '{client}'."),
    };
}
