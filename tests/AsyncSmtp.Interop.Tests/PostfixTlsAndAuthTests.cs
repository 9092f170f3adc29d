using System.Net;
using AsyncSmtp.Client;

namespace AsyncSmtp.Interop.Tests;

/// <summary>postfix: STARTTLS with its self-signed certificate, and SASL (sasldb) after TLS only.</summary>
public sealed class PostfixTlsAndAuthTests : InteropTest
{
    private static InteropServer Postfix => InteropServer.Get(InteropServer.Postfix, "postfix");

    [PostfixFact]
    public async Task StartTls_WithTheCertificateTrusted_EncryptsAndOffersAuth()
    {
        using var client = new SmtpClient(Postfix.Options());

        await client.ConnectAsync(Timeout);

        Assert.True(client.IsEncrypted);
        Assert.NotNull(client.TlsProtocol);
        Assert.False(string.IsNullOrEmpty(client.CipherSuite));
        Assert.Equal(X509Thumbprint(Postfix), client.RemoteCertificate?.Thumbprint);
        Assert.Equal(220, client.Greeting?.Code);
        // After TLS, the EHLO was sent again: AUTH is offered now, STARTTLS no more.
        Assert.True(client.Extensions.Contains("AUTH"));
        Assert.False(client.Extensions.Contains("STARTTLS"));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task StartTls_WithoutTrust_FailsWithTlsErrorAndDisconnects()
    {
        var options = Postfix.Options();
        options.TrustedRootCertificates = null;
        using var client = new SmtpClient(options);

        await Assert.ThrowsAsync<SmtpTlsException>(() => client.ConnectAsync(Timeout));

        Assert.False(client.IsConnected);
    }

    [PostfixFact]
    public async Task StartTls_WithCertificateCheckSkipped_Connects()
    {
        var options = Postfix.Options();
        options.TrustedRootCertificates = null;
        options.SkipCertificateCheck = true;
        using var client = new SmtpClient(options);

        await client.ConnectAsync(Timeout);

        Assert.True(client.IsEncrypted);
        await client.QuitAsync(Timeout);
    }

    [PostfixTheory]
    [InlineData(SmtpAuthMechanism.Plain, "PLAIN")]
    [InlineData(SmtpAuthMechanism.Login, "LOGIN")]
    [InlineData(SmtpAuthMechanism.CramMd5, "CRAM-MD5")]
    [InlineData(SmtpAuthMechanism.ScramSha256, "SCRAM-SHA-256")]
    [InlineData(SmtpAuthMechanism.ScramSha1, "SCRAM-SHA-1")]
    public async Task Auth_EachMechanism_LogsIn(SmtpAuthMechanism mechanism, string wireName)
    {
        var log = new ProtocolLog();
        var options = Postfix.Options(log, Postfix.Credential);
        options.AuthMechanisms = new[] { mechanism };
        using var client = new SmtpClient(options);

        await client.ConnectAsync(Timeout);

        Assert.True(client.IsAuthenticated);
        Assert.Equal(Postfix.UserName, client.AuthenticatedUserName);
        Assert.StartsWith("AUTH " + wireName, log.Command("AUTH"));
        Assert.Equal(wireName, client.AuthenticationMechanism);
        Assert.DoesNotContain(Postfix.Password, log.ToString());
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Auth_DefaultChoice_LogsInAndMailIsSentAuthenticated()
    {
        using var client = new SmtpClient(Postfix.Options(credential: Postfix.Credential));
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create("alice@example.test", "authenticated@example.test", "Sent after AUTH.\r\n");

        await client.SendAsync(new SmtpEnvelope("alice@example.test", new SmtpRecipient[] { "authenticated@example.test" }), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        // postfix marks mail from a logged-in client with ESMTPSA in its Received header.
        byte[] delivered = await PostfixMaildir.WaitForDeliveryAsync(Postfix, message, "authenticated@example.test");
        Assert.Contains("with ESMTPSA", PostfixMaildir.TraceHeaders(delivered, TestMessage.ToUnixLineEndings(message.Bytes).Length));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Auth_WrongPassword_IsOneFailedLoginAndThrowsAuthenticationException()
    {
        var log = new ProtocolLog();
        var wrong = new NetworkCredential(Postfix.UserName, "not-the-password");
        using var client = new SmtpClient(Postfix.Options(log, wrong));

        var error = await Assert.ThrowsAsync<SmtpAuthenticationException>(() => client.ConnectAsync(Timeout));

        // Account lockout: postfix offers five mechanisms; a wrong password still costs one failed login.
        Assert.Equal(new[] { "SCRAM-SHA-256" }, error.MechanismsTried);
        Assert.Single(log.Commands, c => c.StartsWith("AUTH ", StringComparison.Ordinal));
        Assert.Equal(535, error.Code);
        Assert.Equal("5.7.8", error.EnhancedStatusCode);
        Assert.DoesNotContain("not-the-password", error.ToString());
    }

    [PostfixFact]
    public async Task Plaintext_ServerOffersNoAuthBeforeTls()
    {
        using var client = new SmtpClient(Postfix.Options(tls: SmtpTlsMode.None));

        await client.ConnectAsync(Timeout);

        Assert.False(client.IsEncrypted);
        Assert.True(client.Extensions.Contains("STARTTLS"));
        Assert.False(client.Extensions.Contains("AUTH"));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Plaintext_ClientRefusesToSendCredentials()
    {
        var log = new ProtocolLog();
        using var client = new SmtpClient(Postfix.Options(log, Postfix.Credential, SmtpTlsMode.None));

        await Assert.ThrowsAsync<SmtpUnencryptedAuthenticationException>(() => client.ConnectAsync(Timeout));

        Assert.DoesNotContain(log.Commands, c => c.StartsWith("AUTH", StringComparison.OrdinalIgnoreCase));
    }

    [PostfixFact]
    public async Task Plaintext_AllowedByTheUser_StillNoAuthFromPostfix()
    {
        var options = Postfix.Options(credential: Postfix.Credential, tls: SmtpTlsMode.None);
        options.AllowUnencryptedAuthentication = true;
        using var client = new SmtpClient(options);

        await Assert.ThrowsAsync<SmtpAuthenticationNotSupportedException>(() => client.ConnectAsync(Timeout));
    }

    [PostfixFact]
    public async Task Opportunistic_UpgradesWhenOffered()
    {
        using var client = new SmtpClient(Postfix.Options(tls: SmtpTlsMode.Opportunistic));

        await client.ConnectAsync(Timeout);

        Assert.True(client.IsEncrypted);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task ImplicitTls_OnPort465_EncryptsFromTheFirstByte()
    {
        var log = new ProtocolLog();
        var options = Postfix.Options(log, Postfix.Credential, SmtpTlsMode.Implicit);
        options.Port = Postfix.ImplicitTlsPort!.Value;
        using var client = new SmtpClient(options);
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create("alice@example.test", "smtps@example.test", "Over implicit TLS.\r\n");

        await client.SendAsync(new SmtpEnvelope("alice@example.test", new SmtpRecipient[] { "smtps@example.test" }), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout);

        Assert.True(client.IsEncrypted);
        Assert.True(client.IsAuthenticated);
        Assert.DoesNotContain(log.Commands, c => c.StartsWith("STARTTLS", StringComparison.OrdinalIgnoreCase));
        byte[] delivered = await PostfixMaildir.WaitForDeliveryAsync(Postfix, message, "smtps@example.test");
        Assert.Contains("with ESMTPSA", PostfixMaildir.TraceHeaders(delivered, TestMessage.ToUnixLineEndings(message.Bytes).Length));
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task RequiredStartTls_DefaultsToTheSubmissionPort()
    {
        var options = Postfix.Options(credential: Postfix.Credential);
        options.Port = 0;
        using var client = new SmtpClient(options);

        await client.ConnectAsync(Timeout);

        Assert.Equal(Postfix.SubmissionPort, ((System.Net.IPEndPoint)client.RemoteEndPoint!).Port);
        Assert.True(client.IsEncrypted);
        Assert.True(client.IsAuthenticated);
        await client.QuitAsync(Timeout);
    }

    [PostfixFact]
    public async Task Submission_WithoutTls_RefusesTheSender_AndTheSessionSurvives()
    {
        var log = new ProtocolLog();
        var options = Postfix.Options(log, tls: SmtpTlsMode.None);
        options.Port = Postfix.SubmissionPort!.Value;
        using var client = new SmtpClient(options);
        await client.ConnectAsync(Timeout);
        var message = TestMessage.Create("alice@example.test", "never@example.test", "Never sent.\r\n");

        var error = await Assert.ThrowsAsync<SmtpSenderRefusedException>(() =>
            client.SendAsync(new SmtpEnvelope("alice@example.test", new SmtpRecipient[] { "never@example.test" }), SmtpContent.FromBytes(message.Bytes), cancellationToken: Timeout));

        // "530 5.7.0 Must issue a STARTTLS command first"
        Assert.Equal(530, error.Code);
        Assert.Equal("alice@example.test", error.Sender);
        // postfix refuses BDAT here too, without reading its chunk: a client that pipelined the chunk
        // behind MAIL and RCPT has its message read as commands, and postfix hangs up.
        Assert.True(client.IsConnected, log.ToString());
        Assert.Equal(250, (await client.NoopAsync(Timeout)).Code);
        await client.QuitAsync(Timeout);
    }

    private static string X509Thumbprint(InteropServer server) => server.TrustedCertificate[0].Thumbprint;
}
