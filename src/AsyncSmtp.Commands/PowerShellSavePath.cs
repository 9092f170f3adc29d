using System.Management.Automation.Runspaces;
using AsyncSmtp.Mime;

namespace AsyncSmtp.Commands;

/// <summary>
/// SmtpMessage.Save's rule for paths under PowerShell (see SavePaths): on a thread running a runspace, the path is
/// resolved as that runspace's cmdlets resolve theirs ($PWD, PowerShell drives); elsewhere, .NET's rule.
/// </summary>
internal static class PowerShellSavePath
{
    public static string ToFullPath(string path)
    {
        if (Runspace.DefaultRunspace is null) return Path.GetFullPath(path);
        // On the pipeline thread of that runspace: a nested pipeline there reads its location (SessionStateProxy
        // would refuse while a pipeline is running).
        using var resolver = PowerShell.Create(RunspaceMode.CurrentRunspace);
        resolver.AddScript("$ErrorActionPreference = 'Stop'; " +
            "$ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($args[0])").AddArgument(path);
        return (string)resolver.Invoke()[0].BaseObject;
    }
}

/// <summary>Called by PowerShell when the module is imported: SmtpMessage.Save resolves paths as cmdlets do.</summary>
public sealed class PowerShellSavePathSetup : IModuleAssemblyInitializer
{
    /// <summary>Puts the rule in place (again after Import-Module -Force: the same rule).</summary>
    public void OnImport() => SavePaths.ToFullPath = PowerShellSavePath.ToFullPath;
}
