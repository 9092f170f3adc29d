# The module's root: loads the cmdlets built for the running edition of PowerShell.
#
# PowerShell 7.4+ (.NET 8+): core/ holds the net8.0 build. The loader, the one assembly of ours in the default
# load context, puts the cmdlets and every library shipped beside them (MimeKit, ...) into a load context of
# their own, so another module's MimeKit, MailKit or System.Memory never meets ours.
#
# Windows PowerShell 5.1 (.NET Framework) has no load contexts: desktop/ holds the netstandard2.0 build, loaded
# as a plain binary module, whose initializer resolves the netstandard facades that .NET Framework cannot bind
# without binding redirects.

if ($PSVersionTable.PSEdition -ne 'Core') {
    Import-Module (Join-Path $PSScriptRoot 'desktop/AsyncSmtp.dll')
    return
}
if ($PSVersionTable.PSVersion -lt [version]'7.4') {
    throw ('AsyncSmtp needs PowerShell 7.4 or later (it runs on .NET 8), or Windows PowerShell 5.1; ' +
        "this is PowerShell $($PSVersionTable.PSVersion).")
}
# Plain .NET calls rather than cmdlets (Add-Type, Where-Object) below: this runs at every import, and those take
# far longer to start than the work they would do.
if (-not ('AsyncSmtp.Loader.ModuleLoadContext' -as [type])) {
    $null = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'AsyncSmtp.Loader.dll'))
}
$cmdletAssembly = [AsyncSmtp.Loader.ModuleLoadContext]::LoadModule([System.IO.Path]::Combine($PSScriptRoot, 'core'))
$cmdletModule = Import-Module -Assembly $cmdletAssembly -PassThru
if ($ExecutionContext.SessionState.Module.ExportedCmdlets.Count -eq 0) {
    # A second import in this process (Import-Module -Force, or after Remove-Module) gets PowerShell's cached
    # module for the assembly, whose cmdlets it does not export from this module (PowerShell issue 20710).
    # Importing the module object again would load the assembly a second time, outside our load context.
    $addExportedCmdlet = [System.Management.Automation.PSModuleInfo].GetMethod(
        'AddExportedCmdlet', [System.Reflection.BindingFlags]'Instance, NonPublic')
    foreach ($cmdlet in $cmdletModule.ExportedCmdlets.Values) {
        $null = $addExportedCmdlet.Invoke($ExecutionContext.SessionState.Module, @(, $cmdlet))
    }
}

# PowerShell resolves a type name in a script ([AsyncSmtp.SmtpMessage], the enums, the exceptions) only among the
# default load context's assemblies. Our public types are made reachable by their full names as type
# accelerators. They stay after Remove-Module, as a binary module's types do (an assembly is never unloaded), and
# so never vanish under another runspace that still uses the module.
$accelerators = [psobject].Assembly.GetType('System.Management.Automation.TypeAccelerators')
$loadContext = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($cmdletAssembly)
$ourTypes = [System.Collections.Generic.List[type]]::new($cmdletAssembly.GetExportedTypes())
foreach ($reference in $cmdletAssembly.GetReferencedAssemblies()) {
    if ($reference.Name.StartsWith('AsyncSmtp.')) {
        $ourTypes.AddRange($loadContext.LoadFromAssemblyName($reference).GetExportedTypes())
    }
}
$registered = $accelerators::Get
foreach ($type in $ourTypes) {
    if (-not $registered.ContainsKey($type.FullName) -or $registered[$type.FullName] -ne $type) {
        $accelerators::Add($type.FullName, $type)
    }
}
