// What the reply-reading methods return (ReplyReader.ReadAsync, SmtpConnection.ReadReplyAsync/ReadAnyReplyAsync).
// On .NET 8 a ValueTask, with the pooling builder on each method: a reply already buffered allocates nothing, one
// that waits reuses a pooled state machine. netstandard2.0 keeps Task: ValueTask there needs a package
// (System.Threading.Tasks.Extensions) that would be one more assembly to load into Windows PowerShell.
#if NET8_0_OR_GREATER
global using System.Runtime.CompilerServices;
global using ReplyTask = System.Threading.Tasks.ValueTask<AsyncSmtp.SmtpResponse>;
#else
global using ReplyTask = System.Threading.Tasks.Task<AsyncSmtp.SmtpResponse>;
#endif
