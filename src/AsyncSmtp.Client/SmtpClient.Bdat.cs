using AsyncSmtp.Client.Internal;

namespace AsyncSmtp.Client;

public sealed partial class SmtpClient
{
    /// <summary>
    /// Sends the body as BDAT chunks (RFC 3030). Pipelined, the first chunk travels with the envelope,
    /// so a small message is a single write and a single round trip; a large one waits for the
    /// envelope's replies once, after its first chunk, and stops there if they are refusals.
    /// </summary>
    private sealed class BdatChunks
    {
        private readonly SmtpClient _client;
        private readonly IoScope _io;
        private readonly Transaction _transaction;
        private int _pending;
        private bool _first = true;
        private SmtpResponse? _failure;
        private SmtpResponse? _last;

        public BdatChunks(SmtpClient client, IoScope io, Transaction transaction)
        {
            _client = client;
            _io = io;
            _transaction = transaction;
        }

        public async Task SendAsync(byte[] buffer, int offset, int count, bool isLast, CancellationToken cancellationToken)
        {
            string command = isLast ? $"BDAT {count} LAST" : $"BDAT {count}";
            bool withEnvelope = _first && _transaction.Pipelined;
            IReadOnlyList<string> lines = withEnvelope ? _transaction.EnvelopeLines(command) : new[] { command };
            if (_pending == 0) _client.ThrowIfUnexpectedData("sending the message");
            byte[] prefix = _client.EncodeCommands(lines, secretFrom: -1);
            if (prefix.Length <= offset)
            {
                // Command and chunk leave in one write: the encoder keeps headroom in front of the data.
                Buffer.BlockCopy(prefix, 0, buffer, offset - prefix.Length, prefix.Length);
                await _client.WriteAsync(_io, buffer, offset - prefix.Length, prefix.Length + count, "sending the message").ConfigureAwait(false);
            }
            else
            {
                await _client.WriteAsync(_io, prefix, 0, prefix.Length, "sending the message").ConfigureAwait(false);
                await _client.WriteAsync(_io, buffer, offset, count, "sending the message").ConfigureAwait(false);
            }
            if (_client.Options.ProtocolLogger is not null) _client.Log(SmtpLogDirection.Client, $"[message chunk: {count} bytes]", _client.IsEncrypted);
            _pending++;
            _first = false;
            if (!isLast && (withEnvelope || !_transaction.Pipelined)) await ReadRepliesAsync().ConfigureAwait(false);
        }

        /// <summary>Reads every reply still owed; returns the last (the reply to BDAT LAST).</summary>
        public async Task<SmtpResponse> ReadOutstandingAsync()
        {
            await ReadRepliesAsync().ConfigureAwait(false);
            return _last!;
        }

        private async Task ReadRepliesAsync()
        {
            if (_transaction.Pipelined && !_transaction.EnvelopeRead)
                await _client.ReadEnvelopeRepliesAsync(_io, _transaction).ConfigureAwait(false);
            for (; _pending > 0; _pending--)
            {
                if (!_client.IsConnected) break;
                var reply = await _client.ReadReplyAsync(_io, "waiting for the message to be accepted").ConfigureAwait(false);
                _last = reply;
                if (reply.Code != 250) _failure ??= reply;
            }
            _transaction.ThrowIfEnvelopeRefused();
            if (_failure is not null) throw Transaction.Closing(_failure) ?? new SmtpDataException(_failure);
            if (_pending > 0) throw new SmtpServerDisconnectedException("The connection closed before the message was accepted.", _last);
        }
    }
}
