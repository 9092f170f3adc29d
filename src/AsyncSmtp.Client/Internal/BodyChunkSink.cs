namespace AsyncSmtp.Client.Internal;

/// <summary>
/// Delivers a chunk of encoded body. <paramref name="buffer"/> has <see cref="DotStuffingStream.Headroom"/>
/// free bytes before <paramref name="offset"/>, so a sink can put a command in front of the data and
/// send both in one write.
/// </summary>
internal delegate Task BodyChunkSink(byte[] buffer, int offset, int count, bool isLast,
    CancellationToken cancellationToken);
