#if !NET8_0_OR_GREATER
using System.Reflection;

namespace AsyncSmtp.Commands;

/// <summary>
/// Windows PowerShell 5.1 only (the netstandard2.0 build). .NET Framework binds a reference to the exact version it
/// names unless the application's config redirects it, and powershell.exe.config knows nothing of the netstandard
/// packages (System.Memory, System.Buffers, System.Runtime.CompilerServices.Unsafe, ...) that MimeKit and the engine
/// reference at differing versions. A reference that fails to bind is given the copy shipped beside the module
/// when that copy is the same assembly at the same or a later version: what a binding redirect would do.
/// </summary>
public sealed class FrameworkAssemblyResolver : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly string _directory =
        Path.GetDirectoryName(typeof(FrameworkAssemblyResolver).Assembly.Location)!;

    /// <summary>Called by PowerShell when the module is imported.</summary>
    public void OnImport()
    {
        // Import-Module -Force imports again without a removal in between: subscribe once.
        AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
        AppDomain.CurrentDomain.AssemblyResolve += Resolve;
    }

    /// <summary>Called by PowerShell when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo) => AppDomain.CurrentDomain.AssemblyResolve -= Resolve;

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        var requested = new AssemblyName(args.Name);
        string path = Path.Combine(_directory, requested.Name + ".dll");
        if (!File.Exists(path)) return null;
        return Fits(AssemblyName.GetAssemblyName(path), requested) ? Assembly.LoadFrom(path) : null;
    }

    /// <summary>The shipped assembly can stand for the requested one: same key, same or later version.</summary>
    private static bool Fits(AssemblyName shipped, AssemblyName requested)
    {
        if (requested.Version is { } wanted && (shipped.Version is null || shipped.Version < wanted)) return false;
        byte[]? wantedToken = requested.GetPublicKeyToken();
        return wantedToken is null || wantedToken.Length == 0
            || (shipped.GetPublicKeyToken() ?? Array.Empty<byte>()).SequenceEqual(wantedToken);
    }
}
#endif
