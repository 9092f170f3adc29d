using System.Management.Automation.Runspaces;

namespace AsyncSmtp.Commands;

/// <summary>
/// Gives each SmtpMessage New-SmtpMessage writes a Save(path) that resolves a relative path against PowerShell's
/// current location ($PWD), as every cmdlet does: Set-Location does not change the process's working directory,
/// against which the .NET method (AsyncSmtp.Mime, no PowerShell there) resolves it.
/// </summary>
internal static class SmtpMessageSaveMethod
{
    private static readonly System.Reflection.MethodInfo _save = typeof(SmtpMessageSaveMethod).GetMethod(nameof(Save))!;

    /// <summary>The message wrapped with the Save member that hides the .NET one.</summary>
    public static PSObject Attach(SmtpMessage message)
    {
        var wrapped = PSObject.AsPSObject(message);
        wrapped.Methods.Add(new PSCodeMethod(nameof(SmtpMessage.Save), _save));
        return wrapped;
    }

    /// <summary>The code method: PowerShell calls it with the object the method was called on.</summary>
    public static void Save(PSObject instance, string path)
    {
        var message = (SmtpMessage)instance.BaseObject;
        // Called on the pipeline thread of the caller's runspace: a nested pipeline there reads that runspace's
        // location (SessionStateProxy would refuse: a pipeline is running). No runspace: a .NET caller, .NET rules.
        if (Runspace.DefaultRunspace is null || string.IsNullOrWhiteSpace(path))
        {
            message.Save(path);
            return;
        }
        using var resolver = PowerShell.Create(RunspaceMode.CurrentRunspace);
        resolver.AddScript("$ErrorActionPreference = 'Stop'; " +
            "$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(path);
        message.Save((string)resolver.Invoke()[0].BaseObject);
    }
}
