using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Sends the body as BDAT chunks (RFC 3030), each with its command in the same write, each but the
    /// last waiting for its reply (the reply to BDAT LAST is the message's final reply). No chunk is ever pipelined behind an envelope or a chunk the server has not yet
    /// accepted: a server that refuses BDAT without consuming its data (postfix does, before STARTTLS)
    /// would read the message as commands.
    /// </summary>
    private sealed class BdatChunks
    {
        private readonly SmtpClient _client;
        private readonly IoScope _io;
        private readonly Transaction? _holdTailIn;

        public BdatChunks(SmtpClient client, IoScope io, Transaction? holdTailIn)
        {
            _client = client;
            _io = io;
            _holdTailIn = holdTailIn;
        }

        public async Task SendAsync(byte[] buffer, int offset, int count, bool isLast, CancellationToken cancellationToken)
        {
            string command = isLast ? $"BDAT {count} LAST" : $"BDAT {count}";
            _client.ThrowIfUnexpectedData("sending the message");
            byte[] prefix = _client.EncodeCommands(new[] { command }, secretFrom: -1);
            // The encoder keeps headroom in front of the data, so command and chunk leave in one write.
            Buffer.BlockCopy(prefix, 0, buffer, offset - prefix.Length, prefix.Length);
            var write = new ArraySegment<byte>(buffer, offset - prefix.Length, prefix.Length + count);
            if (isLast && _holdTailIn is not null) _holdTailIn.HeldTail = write.ToArray();
            else await _client.WriteAsync(_io, write.Array!, write.Offset, write.Count, "sending the message").ConfigureAwait(false);
            if (_client.Options.ProtocolLogger is not null)
                _client.Log(SmtpLogDirection.Client, $"[message chunk: {count} bytes]", _client.IsEncrypted);
            if (isLast) return;
            var reply = await _client.ReadReplyAsync(_io, "waiting for the chunk to be accepted").ConfigureAwait(false);
            if (reply.Code != 250) throw Transaction.Closing(reply) ?? new SmtpDataException(reply);
        }
    }
}
