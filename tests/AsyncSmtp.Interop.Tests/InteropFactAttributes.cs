namespace AsyncSmtp.Interop.Tests;

// Skip is decided when the tests are discovered: a test against a server that is not running is
// skipped with a reason, unless ASYNCSMTP_INTEROP=1, in which case it runs and fails.

public sealed class PostfixFactAttribute : FactAttribute
{
    public PostfixFactAttribute() => Skip = InteropServer.SkipReason(InteropServer.Postfix, "postfix");
}

public sealed class PostfixTheoryAttribute : TheoryAttribute
{
    public PostfixTheoryAttribute() => Skip = InteropServer.SkipReason(InteropServer.Postfix, "postfix");
}

public sealed class AiosmtpdFactAttribute : FactAttribute
{
    public AiosmtpdFactAttribute() => Skip = InteropServer.SkipReason(InteropServer.Aiosmtpd, "aiosmtpd");
}

public sealed class AiosmtpdTheoryAttribute : TheoryAttribute
{
    public AiosmtpdTheoryAttribute() => Skip = InteropServer.SkipReason(InteropServer.Aiosmtpd, "aiosmtpd");
}
