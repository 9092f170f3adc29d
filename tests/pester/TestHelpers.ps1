# Shared by the cmdlet Pester files: imports the module as built under out/AsyncSmtp (never the
# sources), loads the scriptable loopback test server, and offers small helpers to start a server,
# open a session and capture errors. Dot-source it in BeforeAll.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $RepoRoot 'out/AsyncSmtp/AsyncSmtp.psd1'
$script:TestServerDll = Join-Path $RepoRoot 'tests/AsyncSmtp.TestServer/bin/Release/net10.0/AsyncSmtp.TestServer.dll'

if (-not (Test-Path $ModuleManifest)) { throw "The module is not built: run 'dotnet pwsh ./build.ps1 -Task Build' first ($ModuleManifest)." }
Import-Module $ModuleManifest -Force -ErrorAction Stop
if (-not ('AsyncSmtp.TestServer.SmtpTestServer' -as [type])) {
    if (-not (Test-Path $TestServerDll)) { throw "The test server is not built: $TestServerDll" }
    Add-Type -Path $TestServerDll
}

function Start-TestSmtpServer {
    # A loopback server on a free port. It offers STARTTLS with a self-signed certificate unless -NoStartTls.
    param(
        [hashtable] $Users,
        [switch] $ImplicitTls,
        [switch] $NoStartTls,
        [switch] $RequireTlsForAuth,
        [string[]] $Extensions,
        [switch] $NoEhlo,
        [string] $Greeting,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate
    )
    $options = [AsyncSmtp.TestServer.SmtpTestServerOptions]::new()
    $options.ImplicitTls = [bool]$ImplicitTls
    $options.OfferStartTls = -not $NoStartTls
    $options.RequireTlsForAuth = [bool]$RequireTlsForAuth
    $options.EhloSupported = -not $NoEhlo
    if ($Greeting) { $options.Greeting = $Greeting }
    if ($Certificate) { $options.Certificate = $Certificate }
    if ($PSBoundParameters.ContainsKey('Extensions')) {
        $options.Extensions = [System.Collections.Generic.List[string]]::new([string[]]@($Extensions))
    }
    if ($Users) { foreach ($name in $Users.Keys) { $options.Users[$name] = $Users[$name] } }
    $server = [AsyncSmtp.TestServer.SmtpTestServer]::new($options)
    $server.Start()
    $server
}

function Get-ConnectionSplat {
    # Connection parameters for the test server: plaintext (-NoTls) unless -Tls, a short timeout.
    param([Parameter(Mandatory)] $Server, [switch] $Tls)
    $splat = @{ SmtpServer = $Server.Host; Port = $Server.Port; TimeoutSec = 10 }
    if ($Tls) { $splat.SkipCertificateCheck = $true } else { $splat.NoTls = $true }
    $splat
}

function Get-ServerEndpoint([Parameter(Mandatory)] $Server) { "$($Server.Host):$($Server.Port)" }

function New-TestCredential([string] $UserName = 'alice', [string] $Password = 'S3cret-pa55') {
    [pscredential]::new($UserName, (ConvertTo-SecureString $Password -AsPlainText -Force))
}

function Get-TerminatingError {
    # The ErrorRecord a script block ends with (it must throw).
    param([Parameter(Mandatory)][scriptblock] $ScriptBlock)
    try { & $ScriptBlock | Out-Null } catch { return $_ }
    throw 'The script block did not throw.'
}

function Assert-SmtpError {
    # One error record carrying the contract's ErrorId, category and (when given) target. The
    # FullyQualifiedErrorId names the cmdlet class, which the test file sets in $script:CmdletClass.
    param($ErrorRecord, [string] $ErrorId, [string] $Category, $Target)
    if (-not $script:CmdletClass) { throw 'Set $script:CmdletClass (the cmdlet class under test) before Assert-SmtpError.' }
    $ErrorRecord | Should -Not -BeNullOrEmpty
    @($ErrorRecord).Count | Should -Be 1
    $ErrorRecord.FullyQualifiedErrorId | Should -Be "$ErrorId,$script:CmdletClass"
    $ErrorRecord.CategoryInfo.Category | Should -Be $Category
    if ($PSBoundParameters.ContainsKey('Target')) { $ErrorRecord.TargetObject | Should -Be $Target }
}

function Start-InOtherRunspace {
    # Runs a script in its own runspace with the module imported; returns the PowerShell instance and its async handle.
    param([Parameter(Mandatory)][string] $Script, [object[]] $Arguments = @())
    # The module comes with the runspace, so the instance runs a single statement: a queued second
    # statement still pending when a test stops and disposes the instance can crash the host.
    $state = [initialsessionstate]::CreateDefault2()
    $state.ImportPSModule($ModuleManifest)
    $ps = [powershell]::Create($state)
    $null = $ps.AddScript($Script)
    foreach ($a in $Arguments) { $null = $ps.AddArgument($a) }
    [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
}

function Invoke-InOtherRunspace {
    # Runs a script to its end in its own runspace (Start-InOtherRunspace); returns its output and progress records.
    param([Parameter(Mandatory)][string] $Script, [object[]] $Arguments = @())
    $run = Start-InOtherRunspace $Script -Arguments $Arguments
    try {
        $output = $run.PowerShell.EndInvoke($run.Handle)
        [pscustomobject]@{ Output = @($output); Progress = @($run.PowerShell.Streams.Progress) }
    } finally {
        $run.PowerShell.Dispose()
    }
}

function Wait-Until {
    # Polls a condition (a script block) until it is true or the timeout passes; returns whether it became true.
    param([Parameter(Mandatory)][scriptblock] $Condition, [int] $TimeoutMs = 10000)
    $clock = [Diagnostics.Stopwatch]::StartNew()
    while ($clock.ElapsedMilliseconds -lt $TimeoutMs) {
        if (& $Condition) { return $true }
        Start-Sleep -Milliseconds 20
    }
    return [bool](& $Condition)
}

function Invoke-FreshPwsh {
    # Runs a script file in a new process of this PowerShell (pwsh itself, or pwsh.dll under dotnet for the .NET
    # tool), with -Name value arguments and extra environment variables; returns the last line of its output
    # parsed as JSON, and throws with the whole output when the process fails. -Through: a command that runs the
    # process, given its command line as its last arguments (e.g. timeout, or bash -c '...; exec "$@"').
    param([Parameter(Mandatory)][string] $File, [hashtable] $Arguments = @{}, [hashtable] $Environment = @{},
        [string[]] $Through = @())
    $exe = [Environment]::ProcessPath
    $commandLine = @(if ((Split-Path $exe -LeafBase) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $commandLine += '-NoProfile', '-NonInteractive', '-File', $File
    foreach ($name in $Arguments.Keys) { $commandLine += "-$name", $Arguments[$name] }
    $saved = @{}
    foreach ($name in $Environment.Keys) { $saved[$name] = [Environment]::GetEnvironmentVariable($name) }
    try {
        foreach ($name in $Environment.Keys) { [Environment]::SetEnvironmentVariable($name, $Environment[$name]) }
        $run = @($Through) + $exe + $commandLine
        $output = & $run[0] @($run | Select-Object -Skip 1) 2>&1
    }
    finally {
        foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
    }
    if ($LASTEXITCODE -ne 0) { throw "The child pwsh failed ($LASTEXITCODE): $($output -join [Environment]::NewLine)" }
    ($output | Select-Object -Last 1) | ConvertFrom-Json
}
