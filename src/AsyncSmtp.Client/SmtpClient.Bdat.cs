using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Sends the body as BDAT chunks (RFC 3030), each with its command in the same write, each but the
    /// last waiting for its reply (the reply to BDAT LAST is the message's final reply). No chunk is ever
    /// pipelined behind an envelope or a chunk the server has not yet accepted: a server that refuses BDAT
    /// without consuming its data (postfix does, before STARTTLS) would read the message as commands.
    /// </summary>
    private sealed class BdatChunks
    {
        private readonly SmtpClient _client;
        private readonly IoScope _io;
        private readonly Transaction _transaction;

        public BdatChunks(SmtpClient client, IoScope io, Transaction transaction)
        {
            _client = client;
            _io = io;
            _transaction = transaction;
        }

        public async Task SendAsync(byte[] buffer, int offset, int count, bool isLast,
            CancellationToken cancellationToken)
        {
            var wire = _client.Wire;
            // The encoder keeps headroom in front of the data, so command and chunk leave in one write.
            int start =
                wire.PrefixCommand(isLast ? $"BDAT {count} LAST"
                : $"BDAT {count}", buffer, offset, "sending the message");
            await _client.WriteBodyChunkAsync(_io, _transaction, buffer, start, offset + count
                - start, isLast).ConfigureAwait(false);
            if (wire.IsLogging) wire.Log(SmtpLogDirection.Client, $"[message chunk: {count} bytes]");
            if (isLast) return;
            var reply = await wire.ReadReplyAsync(_io, "waiting for the chunk to be accepted").ConfigureAwait(false);
            if (reply.Code != 250) throw _transaction.Refused(reply);
        }
    }
}
