namespace AsyncSmtp.Mime;

/// <summary>
/// How <see cref="SmtpMessage.Save"/> makes a full path of the one it is given: .NET's rule unless the PowerShell
/// module, when imported, puts its own here, which on a thread running PowerShell resolves a relative path against
/// that runspace's current location ($PWD), as every cmdlet does (Set-Location does not change the process's
/// working directory, against which .NET resolves it). One rule for the process, read at each call: a runspace that
/// never imported the module (ForEach-Object -Parallel) still resolves against its own location.
/// </summary>
internal static class SavePaths
{
    public static Func<string, string> ToFullPath { get; set; } = Path.GetFullPath;
}
