using System.Net;
using System.Security;

namespace AsyncSmtp.Commands;

/// <summary>
/// What -OAuthToken gives: a SecureString, or a script block run for each login (and once more when
/// the server refuses a token as expired), so long sessions and reconnects get fresh tokens. The
/// script block runs on the pipeline thread of the cmdlet using the session at the time.
/// </summary>
internal sealed class OAuthTokenSource
{
    /// <summary>Properties a token may come in: Az.Accounts' and MSAL's objects, an OAuth token response.</summary>
    private static readonly string[] _tokenProperties = { "Token", "AccessToken", "access_token" };

    /// <summary>The usage error for a value that is neither form.</summary>
    public const string ExpectedForms = "-OAuthToken takes a SecureString or a script block that returns the token, " +
        "e.g. -OAuthToken { Get-AzAccessToken -ResourceUrl https://outlook.office365.com }.";

    private readonly SecureString? _token;
    private readonly ScriptBlock? _script;

    private OAuthTokenSource(SecureString? token, ScriptBlock? script)
    {
        _token = token;
        _script = script;
    }

    /// <summary>The source for a parameter value; null when it is neither a SecureString nor a script block.</summary>
    public static OAuthTokenSource? From(object value) =>
        (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            SecureString token => new OAuthTokenSource(token, null),
            ScriptBlock script => new OAuthTokenSource(null, script),
            _ => null,
        };

    /// <summary>The engine's token provider.</summary>
    public Task<string> GetAsync(CancellationToken cancellationToken)
    {
        if (_token is not null) return Task.FromResult(Plain(_token));
        var cmdlet = AsyncPSCmdlet.Current
            ?? throw new InvalidOperationException("An -OAuthToken script block runs only in an AsyncSmtp cmdlet.");
        return RunScriptAsync(cmdlet);
    }

    private async Task<string> RunScriptAsync(AsyncPSCmdlet cmdlet)
    {
        object? result;
        try
        {
            var output = await cmdlet.InvokeOnPipelineThreadAsync(() => _script!.Invoke()).ConfigureAwait(false);
            result = output.LastOrDefault(o => o is not null);
        }
        catch (RuntimeException error)
        {
            throw new SmtpAuthenticationException("The -OAuthToken script block failed: " + error.Message,
                "Run the script block by itself to see why it fails; it must return the access token.");
        }
        return TokenOf(result) ?? throw new SmtpAuthenticationException(
            "The -OAuthToken script block returned no token; nothing was sent.",
            "Make the script block return the access token: a string, a SecureString, or an object with a Token, " +
            "AccessToken or access_token property.");
    }

    private static string? TokenOf(object? value)
    {
        switch (value is PSObject wrapped ? wrapped.BaseObject : value)
        {
            case string text:
                return text.Length > 0 ? text : null;
            case SecureString secure:
                return secure.Length > 0 ? Plain(secure) : null;
        }
        if (value is null) return null;
        var item = PSObject.AsPSObject(value);
        foreach (string name in _tokenProperties)
            if (item.Properties[name]?.Value is { } token) return TokenOf(token);
        return null;
    }

    private static string Plain(SecureString secure) => new NetworkCredential(string.Empty, secure).Password;
}
