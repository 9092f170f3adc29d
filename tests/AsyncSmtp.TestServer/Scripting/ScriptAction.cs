namespace AsyncSmtp.TestServer;

/// <summary>One step a <see cref="ScriptRule"/> performs, in the order the test wrote them.</summary>
internal abstract class ScriptAction
{
    /// <summary>Whether this step answers the command, so the server's own reply must not follow.</summary>
    public abstract bool AnswersCommand { get; }
}

/// <summary>Sends reply lines; the code of the last line drives the session state (354 reads data, 220 starts TLS...).</summary>
internal sealed class ReplyAction(IReadOnlyList<string> lines) : ScriptAction
{
    public IReadOnlyList<string> Lines { get; } = lines;

    public override bool AnswersCommand => true;
}

/// <summary>Waits before the next step.</summary>
internal sealed class DelayAction(int milliseconds) : ScriptAction
{
    public int Milliseconds { get; } = milliseconds;

    public override bool AnswersCommand => false;
}

/// <summary>Writes bytes as they are, optionally in chunks with a pause between them.</summary>
internal sealed class RawAction(byte[] bytes, int chunkSize, int pauseMilliseconds) : ScriptAction
{
    public byte[] Bytes { get; } = bytes;

    public int ChunkSize { get; } = chunkSize;

    public int PauseMilliseconds { get; } = pauseMilliseconds;

    public override bool AnswersCommand => true;
}

/// <summary>Ends the connection: a FIN, or a TCP reset when aborting.</summary>
internal sealed class DisconnectAction(bool abort) : ScriptAction
{
    public bool Abort { get; } = abort;

    public override bool AnswersCommand => true;
}

/// <summary>Never answers: swallows whatever the client sends until it closes the connection (or the server stops).</summary>
internal sealed class HangAction : ScriptAction
{
    public override bool AnswersCommand => true;
}
