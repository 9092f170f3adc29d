using AsyncSmtp.Client.Delivery;

namespace AsyncSmtp.Client.Tests.Delivery;

public sealed class RetryPolicyTests
{
    private static SmtpResponse Reply(int code, string text) => new(code, new[] { text });

    [Fact]
    public void The_delay_doubles_with_twenty_percent_jitter_and_stops_at_300_seconds()
    {
        var policy = new RetryPolicy(20, TimeSpan.FromSeconds(5), seed: 7);
        for (int retry = 1; retry <= 6; retry++)
        {
            double expected = 5 * Math.Pow(2, retry - 1);
            double delay = policy.DelayBefore(retry).TotalSeconds;
            Assert.InRange(delay, expected * 0.8, expected * 1.2);
        }
        Assert.Equal(TimeSpan.FromSeconds(300), policy.DelayBefore(8));
        Assert.Equal(TimeSpan.FromSeconds(300), policy.DelayBefore(1000));
    }

    [Fact]
    public void Jitter_spreads_the_delays()
    {
        var policy = new RetryPolicy(3, TimeSpan.FromSeconds(10), seed: 1);
        var delays = Enumerable.Range(0, 50).Select(_ => policy.DelayBefore(1)).Distinct().Count();
        Assert.True(delays > 40, $"only {delays} distinct delays");
    }

    [Fact]
    public void Negative_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(-1, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetryPolicy(1, TimeSpan.FromSeconds(-1)));
    }

    [Theory]
    [InlineData(451, true)]
    [InlineData(421, true)]
    [InlineData(550, false)]
    [InlineData(554, false)]
    public void A_4xx_at_mail_rcpt_or_end_of_data_is_transient_a_5xx_never(int code, bool transient)
    {
        var reply = Reply(code, "x");
        Assert.Equal(transient, RetryPolicy.IsTransient(new SmtpSenderRefusedException("a@x", reply), false));
        Assert.Equal(transient, RetryPolicy.IsTransient(new SmtpDataException(reply), true));
        var refused = new SmtpRecipientRefusedException("r@x", reply);
        Assert.Equal(transient, RetryPolicy.IsTransient(new SmtpRecipientsRefusedException(new[] { refused }), false));
    }

    [Fact]
    public void All_recipients_refused_is_transient_when_one_of_them_was_only_deferred()
    {
        var refusals = new[]
        {
            new SmtpRecipientRefusedException("a@x", Reply(550, "5.1.1 no")),
            new SmtpRecipientRefusedException("b@x", Reply(450, "4.2.0 greylisted")),
        };
        Assert.True(RetryPolicy.IsTransient(new SmtpRecipientsRefusedException(refusals), false));
    }

    [Fact]
    public void A_lost_connection_is_transient_before_the_end_of_data_and_never_after_it()
    {
        var lost = new SmtpServerDisconnectedException("gone");
        Assert.True(RetryPolicy.IsTransient(lost, endOfDataWritten: false));
        Assert.False(RetryPolicy.IsTransient(lost, endOfDataWritten: true));
        var timeout = new SmtpReadTimeoutException("slow");
        Assert.True(RetryPolicy.IsTransient(timeout, endOfDataWritten: false));
        Assert.False(RetryPolicy.IsTransient(timeout, endOfDataWritten: true));
        // A 421 in place of the final reply is a reply: the server refused the message for now.
        var closing = new SmtpServerDisconnectedException("closing", Reply(421, "4.3.2 bye"));
        Assert.True(RetryPolicy.IsTransient(closing, endOfDataWritten: true));
    }

    [Fact]
    public void Connection_refused_is_transient_but_tls_and_argument_failures_are_not()
    {
        Assert.True(RetryPolicy.IsTransient(new SmtpConnectException("refused"), false));
        Assert.True(RetryPolicy.IsTransient(new SmtpConnectTimeoutException("slow"), false));
        Assert.True(RetryPolicy.IsTransient(new SmtpConnectException("busy", Reply(421, "4.3.2 busy")), false));
        Assert.False(RetryPolicy.IsTransient(new SmtpConnectException("no", Reply(554, "5.7.1 go away")), false));
        Assert.False(RetryPolicy.IsTransient(new SmtpTlsException("bad certificate"), false));
        Assert.False(RetryPolicy.IsTransient(new SmtpArgumentException("bad"), false));
        Assert.False(RetryPolicy.IsTransient(new SmtpProtocolException("garbage"), false));
        var authLater = new SmtpAuthenticationException("PLAIN refused", Reply(454, "4.7.0 later"), new[] { "PLAIN" });
        Assert.False(RetryPolicy.IsTransient(authLater, false));
        Assert.False(RetryPolicy.IsTransient(new IOException("file gone"), false));
    }

    [Fact]
    public void Too_many_connections_and_throttling_replies_are_recognised()
    {
        Assert.True(RetryPolicy.IsThrottling(new SmtpConnectException("busy", Reply(421, "4.3.2 Too many"))));
        Assert.True(RetryPolicy.IsThrottling(new SmtpConnectException("busy", Reply(421, "Too busy"))));
        Assert.True(RetryPolicy.IsThrottling(new SmtpSenderRefusedException("a@x", Reply(451, "4.7.500 Server busy"))));
        Assert.True(RetryPolicy.IsThrottling(new SmtpServerDisconnectedException("x", Reply(421, "4.3.2 closing"))));
        Assert.False(RetryPolicy.IsThrottling(new SmtpSenderRefusedException("a@x", Reply(451, "4.3.0 later"))));
        Assert.False(RetryPolicy.IsThrottling(new SmtpSenderRefusedException("a@x", Reply(550, "5.7.1 denied"))));
        Assert.False(RetryPolicy.IsThrottling(new SmtpServerDisconnectedException("gone")));
    }
}
