using System.Reflection;
using System.Runtime.Loader;

namespace AsyncSmtp.Loader;

/// <summary>
/// The load context that holds AsyncSmtp on PowerShell 7: the cmdlet assembly and every library shipped beside it
/// (MimeKit, ...). Another module's MimeKit, MailKit or System.Memory lives in the default context or in its own,
/// so neither side ever binds to the other's version.
/// </summary>
public sealed class ModuleLoadContext : AssemblyLoadContext
{
    private const string CmdletAssemblyFile = "AsyncSmtp.dll";

    // One context per module folder: two installed versions imported into one process stay apart too.
    private static readonly Dictionary<string, Assembly> _cmdletAssemblies = new(StringComparer.Ordinal);
    private static readonly object _lock = new();

    private readonly string _directory;

    private ModuleLoadContext(string directory)
        : base($"AsyncSmtp ({directory})", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>The cmdlet assembly in <paramref name="directory"/>, loaded into that folder's context.</summary>
    /// <remarks>
    /// Repeated calls (Import-Module -Force) return the same assembly: a context never loads one twice.
    /// </remarks>
    public static Assembly LoadModule(string directory)
    {
        string fullPath = Path.GetFullPath(directory);
        lock (_lock)
        {
            if (!_cmdletAssemblies.TryGetValue(fullPath, out var assembly))
            {
                var context = new ModuleLoadContext(fullPath);
                assembly = context.LoadFromAssemblyPath(Path.Combine(fullPath, CmdletAssemblyFile));
                _cmdletAssemblies.Add(fullPath, assembly);
            }
            return assembly;
        }
    }

    /// <summary>What ships in the module's folder loads here, whatever else the process holds.</summary>
    /// <remarks>
    /// Anything else (PowerShell itself, the runtime's assemblies) is left to the default context, so types the
    /// cmdlets exchange with PowerShell are PowerShell's own.
    /// </remarks>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        string path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
