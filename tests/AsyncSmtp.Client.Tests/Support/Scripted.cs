namespace AsyncSmtp.Client.Tests.Support;

/// <summary>Clients over a <see cref="ScriptedServerStream"/>, with common server scripts.</summary>
internal static class Scripted
{
    public const string Ehlo = "250-test.example\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-SIZE 1000000\r\n250-DSN\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN CRAM-MD5 XOAUTH2";
    public const string EhloNoPipelining = "250-test.example\r\n250-8BITMIME\r\n250 SIZE 1000000";

    public static SmtpClient Client(ScriptedServerStream stream, Action<SmtpClientOptions>? configure = null)
    {
        var options = new SmtpClientOptions
        {
            ConnectedStream = stream,
            TlsMode = SmtpTlsMode.None,
            LocalHostName = "client.test",
            Timeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        configure?.Invoke(options);
        return new SmtpClient(options);
    }

    /// <summary>A connected client whose server answered EHLO with <paramref name="ehlo"/>.</summary>
    public static async Task<SmtpClient> ConnectedAsync(ScriptedServerStream stream, string ehlo = Ehlo, Action<SmtpClientOptions>? configure = null)
    {
        stream.On("EHLO client.test\r\n", ehlo);
        var client = Client(stream, configure);
        await client.ConnectAsync();
        return client;
    }
}
