# Builds, at test time, what another module in the same process brings: an older MimeKit and an assembly compiled
# against it. The registry serves only the MimeKit that AsyncSmtp ships, so the older one is a stand-in with the
# identity the loader decides by: the name MimeKit, version 4.3.0.0, and MimeKit's public key, read from the
# shipped MimeKit.dll and public-signed (.NET verifies no signature). Dot-source it; Roslyn comes with PowerShell.

function New-StandInMimeKit {
    # Writes MimeKit.dll (4.3.0.0) and OtherMailModule.dll into $Directory. OtherMailModule.Probe.MimeKitVersion()
    # reports the version of the MimeKit its code is bound to.
    param([Parameter(Mandatory)][string] $Directory, [Parameter(Mandatory)][string] $ShippedMimeKit)
    $publicKey = [Reflection.AssemblyName]::GetAssemblyName($ShippedMimeKit).GetPublicKey()
    $mimeKit = Join-Path $Directory 'MimeKit.dll'
    Invoke-CSharpCompiler -Name 'MimeKit' -OutputPath $mimeKit -PublicKey $publicKey -Source @'
[assembly: System.Reflection.AssemblyVersion("4.3.0.0")]
namespace MimeKit { public class MimeMessage { } }
'@
    $other = Join-Path $Directory 'OtherMailModule.dll'
    Invoke-CSharpCompiler -Name 'OtherMailModule' -OutputPath $other -References $mimeKit -Source @'
namespace OtherMailModule
{
    public static class Probe
    {
        public static string MimeKitVersion() => typeof(MimeKit.MimeMessage).Assembly.GetName().Version.ToString();
    }
}
'@
}

function Invoke-CSharpCompiler {
    param([string] $Name, [string] $OutputPath, [string] $Source, [byte[]] $PublicKey, [string[]] $References = @())
    $ErrorActionPreference = 'Stop'
    # Add-Type loads Roslyn; it cannot set an assembly's public key, so the compilation is made here.
    if (-not ('Microsoft.CodeAnalysis.CSharp.CSharpCompilation' -as [type])) {
        Add-Type -TypeDefinition 'public static class RoslynLoaded { }'
    }
    $platform = ([AppContext]::GetData('TRUSTED_PLATFORM_ASSEMBLIES') -split [IO.Path]::PathSeparator) |
        Where-Object { (Split-Path $_ -Leaf) -in 'System.Runtime.dll', 'System.Private.CoreLib.dll' }
    [Microsoft.CodeAnalysis.MetadataReference[]] $metadata = @($platform) + $References |
        ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($_) }
    $library = [Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary
    $options = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new($library)
    if ($PublicKey) {
        $key = [System.Collections.Immutable.ImmutableArray]::ToImmutableArray($PublicKey)
        $options = $options.WithPublicSign($true).WithCryptoPublicKey($key)
    }
    [Microsoft.CodeAnalysis.SyntaxTree[]] $trees = [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($Source)
    $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create($Name, $trees, $metadata, $options)
    $file = [IO.File]::Create($OutputPath)
    try { $result = $compilation.Emit($file) } finally { $file.Dispose() }
    if (-not $result.Success) { throw "Compiling $Name failed: $($result.Diagnostics -join '; ')" }
}
