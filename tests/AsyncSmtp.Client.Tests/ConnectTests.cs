using AsyncSmtp.Client.Tests.Support;

namespace AsyncSmtp.Client.Tests;

public class ConnectTests
{
    [Fact]
    public async Task GreetsWithEhloAndReadsTheExtensions()
    {
        var server = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(server);
        Assert.True(client.IsConnected);
        Assert.False(client.IsEncrypted);
        Assert.Equal(220, client.Greeting!.Code);
        Assert.Equal("test.example ESMTP ready", client.Greeting.Message);
        Assert.True(client.Extensions.Contains("PIPELINING"));
        Assert.Equal(1000000L, client.MaxMessageSize);
        Assert.Equal("EHLO client.test\r\n", server.Written);
    }

    [Theory]
    [InlineData("554 no service for you\r\n", 554)]
    [InlineData("421 too busy\r\n", 421)]
    [InlineData("250 wrong code\r\n", 250)]
    public async Task AnythingButA220GreetingIsAConnectError(string greeting, int code)
    {
        var server = new ScriptedServerStream(greeting);
        using var client = Scripted.Client(server);
        var ex = await Assert.ThrowsAsync<SmtpConnectException>(() => client.ConnectAsync());
        Assert.Equal(code, ex.Code);
        Assert.False(client.IsConnected);
        Assert.True(server.IsDisposed);
    }

    [Fact]
    public async Task ADropBeforeTheGreetingIsAConnectError()
    {
        var server = new ScriptedServerStream(greeting: "");
        server.Dispose();
        using var client = Scripted.Client(server);
        var ex = await Assert.ThrowsAsync<SmtpConnectException>(() => client.ConnectAsync());
        Assert.IsNotType<SmtpConnectTimeoutException>(ex);
    }

    [Fact]
    public async Task ALateGreetingIsAConnectTimeout()
    {
        var server = new ScriptedServerStream(greeting: "");
        using var client = Scripted.Client(server, o => o.ConnectTimeout = TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAsync<SmtpConnectTimeoutException>(() => client.ConnectAsync());
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task FallsBackToHeloWhenEhloIsRefused()
    {
        var server = new ScriptedServerStream()
            .On("EHLO client.test\r\n", "502 5.5.1 what?")
            .On("HELO client.test\r\n", "250 hello");
        using var client = Scripted.Client(server);
        await client.ConnectAsync();
        Assert.Empty(client.Extensions);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task EhloAndHeloBothRefusedIsAHeloError()
    {
        var server = new ScriptedServerStream()
            .On("EHLO", "502 no")
            .On("HELO", "501 not you either");
        using var client = Scripted.Client(server);
        var ex = await Assert.ThrowsAsync<SmtpHeloException>(() => client.ConnectAsync());
        Assert.Equal(501, ex.Code);
        Assert.False(client.IsConnected);
    }

    [Fact]
    public async Task A421ToEhloGetsNoHelo()
    {
        var server = new ScriptedServerStream().On("EHLO", "421 4.3.2 shutting down");
        using var client = Scripted.Client(server);
        var ex = await Assert.ThrowsAsync<SmtpServerDisconnectedException>(() => client.ConnectAsync());
        Assert.Equal(421, ex.Code);
        Assert.DoesNotContain("HELO", server.Written);
    }

    [Fact]
    public async Task ConnectingAConnectedClientIsAnErrorNotAHang()
    {
        using var client = await Scripted.ConnectedAsync(new ScriptedServerStream());
        var connect = client.ConnectAsync();
        Assert.Same(connect, await Task.WhenAny(connect, Task.Delay(5000)));
        await Assert.ThrowsAsync<SmtpAlreadyConnectedException>(() => connect);
        Assert.True(client.IsConnected);
    }

    [Fact]
    public async Task RequiredStartTlsThatIsNotOfferedFailsBeforeAnythingIsSent()
    {
        var server = new ScriptedServerStream();
        var ex = await Assert.ThrowsAsync<SmtpStartTlsNotSupportedException>(() =>
            Scripted.ConnectedAsync(server, configure: o => { o.TlsMode = SmtpTlsMode.StartTls; o.SkipCertificateCheck = true; }));
        Assert.Equal("STARTTLS", ex.Extension);
        Assert.Equal("EHLO client.test\r\n", server.Written);
        Assert.True(server.IsDisposed);
    }

    [Fact]
    public async Task CredentialsAreNotSentOverPlaintext()
    {
        var server = new ScriptedServerStream();
        await Assert.ThrowsAsync<SmtpUnencryptedAuthenticationException>(() =>
            Scripted.ConnectedAsync(server, configure: o => o.Credential = new System.Net.NetworkCredential("alice", "secret")));
        Assert.DoesNotContain("AUTH", server.Written);
        Assert.True(server.IsDisposed);
    }

    [Fact]
    public async Task ReconnectsAfterQuitAndAfterAFailure()
    {
        var first = new ScriptedServerStream();
        using var client = await Scripted.ConnectedAsync(first);
        first.On("QUIT", "221 bye");
        Assert.Equal(221, (await client.QuitAsync()).Code);
        Assert.False(client.IsConnected);
        await Assert.ThrowsAsync<SmtpNotConnectedException>(() => client.NoopAsync());

        var failing = new ScriptedServerStream("554 go away\r\n");
        client.Options.ConnectedStream = failing;
        await Assert.ThrowsAsync<SmtpConnectException>(() => client.ConnectAsync());

        var second = new ScriptedServerStream().On("EHLO", Scripted.Ehlo).On("NOOP", "250 ok");
        client.Options.ConnectedStream = second;
        await client.ConnectAsync();
        Assert.Equal(250, (await client.NoopAsync()).Code);
    }

    [Fact]
    public async Task ConflictingOptionsAreRefused()
    {
        var options = new SmtpClientOptions { ConnectedStream = new MemoryStream(), UnixSocketPath = "/tmp/x" };
        await Assert.ThrowsAsync<SmtpArgumentException>(() => new SmtpClient(options).ConnectAsync());
        await Assert.ThrowsAsync<SmtpArgumentException>(() => new SmtpClient(new SmtpClientOptions()).ConnectAsync());
        await Assert.ThrowsAsync<SmtpArgumentException>(() => new SmtpClient(new SmtpClientOptions { Host = "mail\r\nx" }).ConnectAsync());
    }

    [Theory]
    [InlineData(SmtpTlsMode.Implicit, 465)]
    [InlineData(SmtpTlsMode.StartTls, 587)]
    [InlineData(SmtpTlsMode.Opportunistic, 25)]
    [InlineData(SmtpTlsMode.None, 25)]
    public void DefaultPortsFollowTheTlsMode(SmtpTlsMode mode, int port)
    {
        Assert.Equal(port, new SmtpClientOptions { TlsMode = mode }.EffectivePort);
        Assert.Equal(2525, new SmtpClientOptions { TlsMode = mode, Port = 2525 }.EffectivePort);
    }

    [Theory]
    [InlineData("me VRFY")]
    [InlineData("   ")]
    [InlineData("xn--zz")]
    [InlineData("mail.xn--zz.example")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234567890.example")]
    [InlineData("-bad.example")]
    [InlineData("bad-.example")]
    [InlineData("a..b")]
    [InlineData("example.com.")]
    [InlineData("b\u00fccher.example")]
    [InlineData("[300.1.1.1]")]
    [InlineData("[IPv6:1.2.3.4]")]
    [InlineData("[1.2.3]")]
    public async Task ALocalHostNameThatIsNoDomainOrAddressLiteralIsRefusedBeforeAnythingIsSent(string name)
    {
        var server = new ScriptedServerStream();
        using var client = Scripted.Client(server, o => o.LocalHostName = name);
        var error = await Assert.ThrowsAsync<SmtpArgumentException>(() => client.ConnectAsync());
        Assert.Equal("LocalHostName", error.ArgumentName);
        Assert.Equal(string.Empty, server.Written);
    }

    [Theory]
    [InlineData("mail.example.com")]
    [InlineData("localhost")]
    [InlineData("xn--bcher-kva.example")]
    [InlineData("1mail.example")]
    [InlineData("[192.0.2.1]")]
    [InlineData("[IPv6:2001:db8::1]")]
    public async Task ALocalHostNameThatIsADomainOrAddressLiteralIsSentAsGiven(string name)
    {
        var server = new ScriptedServerStream();
        server.On($"EHLO {name}\r\n", Scripted.Ehlo);
        using var client = Scripted.Client(server, o => o.LocalHostName = name);
        await client.ConnectAsync();
        Assert.Equal($"EHLO {name}\r\n", server.Written);
    }
}
