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

        public BdatChunks(SmtpClient client, IoScope io)
        {
            _client = client;
            _io = io;
        }

        public async Task SendAsync(byte[] buffer, int offset, int count, bool isLast, CancellationToken cancellationToken)
        {
            string command = isLast ? $"BDAT {count} LAST" : $"BDAT {count}";
            _client.ThrowIfUnexpectedData("sending the message");
            byte[] prefix = _client.EncodeCommands(new[] { command }, secretFrom: -1);
            // The encoder keeps headroom in front of the data, so command and chunk leave in one write.
            Buffer.BlockCopy(prefix, 0, buffer, offset - prefix.Length, prefix.Length);
            await _client.WriteAsync(_io, buffer, offset - prefix.Length, prefix.Length + count, "sending the message").ConfigureAwait(false);
            if (_client.Options.ProtocolLogger is not null)
                _client.Log(SmtpLogDirection.Client, $"[message chunk: {count} bytes]", _client.IsEncrypted);
            if (isLast) return;
            var reply = await _client.ReadReplyAsync(_io, "waiting for the chunk to be accepted").ConfigureAwait(false);
            if (reply.Code != 250) throw Transaction.Closing(reply) ?? new SmtpDataException(reply);
        }
    }
}
