using System.Management.Automation.Runspaces;

namespace AsyncSmtp.Commands;

/// <summary>
/// Gives SmtpMessage a Save(path) that resolves a relative path against PowerShell's current location ($PWD), as
/// every cmdlet does: Set-Location does not change the process's working directory, against which the .NET method
/// (AsyncSmtp.Mime, no PowerShell there) resolves it.
/// </summary>
internal static class SmtpMessageSaveMethod
{
    private static readonly System.Reflection.MethodInfo _save = typeof(SmtpMessageSaveMethod).GetMethod(nameof(Save))!;

    /// <summary>
    /// Adds the Save member to the SmtpMessage type in this runspace's type table, where it hides the .NET one. Once
    /// for the type rather than on each message: a message written with a member of its own keeps a wrapper that
    /// PowerShell writes to whenever the message is piped, which made every garbage collection of a long send slower.
    /// </summary>
    public static void Register()
    {
        if (Runspace.DefaultRunspace is null) return;
        var typeData = new TypeData(typeof(SmtpMessage));
        typeData.Members.Add(nameof(Save), new CodeMethodData(nameof(Save), _save));
        using var update = PowerShell.Create(RunspaceMode.CurrentRunspace);
        update.AddCommand("Microsoft.PowerShell.Utility\\Update-TypeData")
            .AddParameter("TypeData", typeData).AddParameter("Force").Invoke();
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

/// <summary>Called by PowerShell when the module is imported into a runspace: the Save member there.</summary>
public sealed class SmtpMessageTypeData : IModuleAssemblyInitializer
{
    /// <summary>Adds the member (again after Import-Module -Force: the update replaces it).</summary>
    public void OnImport() => SmtpMessageSaveMethod.Register();
}
