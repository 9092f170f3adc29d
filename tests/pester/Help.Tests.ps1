#Requires -Version 7.0
# Fails when the help drifts from the code: every cmdlet has help that Get-Help shows, every parameter
# of every parameter set is documented with its real type, set membership, position, aliases and
# pipeline input, nothing documented is missing from the code, and every example parses and uses
# only parameters that exist. Runs against the module built into out/AsyncSmtp.

BeforeDiscovery {
    $script:root = (Resolve-Path "$PSScriptRoot/../..").Path
    # A module that does not load yields no per-cmdlet tests; 'The module' tests then report it.
    try { Import-Module (Join-Path $root 'out/AsyncSmtp/AsyncSmtp.psd1') -Force } catch { Write-Warning "AsyncSmtp does not load: $_" }
    $script:cmdlets = @(Get-Command -Module AsyncSmtp -CommandType Cmdlet -ErrorAction SilentlyContinue |
            ForEach-Object { @{ Name = $_.Name } })
    $script:pages = @(Get-ChildItem (Join-Path $root 'docs/help') -Filter '*.md' | Where-Object Name -NotLike 'about_*' |
            ForEach-Object { @{ Name = $_.BaseName; Path = $_.FullName } })
}

BeforeAll {
    $root = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module (Join-Path $root 'out/AsyncSmtp/AsyncSmtp.psd1') -Force

    # Parameters every cmdlet gets from PowerShell, which platyPS documents as "CommonParameters".
    $script:commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-DocumentedParameters([string] $Command) {
        @((Get-Help $Command -Full).parameters.parameter | Where-Object { $_ })
    }

    function Get-ExampleCode([string] $Command) {
        @((Get-Help $Command -Full).examples.example | ForEach-Object { $_.code -join "`n" })
    }
}

Describe 'The module' {
    It 'exports the six cmdlets of the spec' {
        $names = (Get-Command -Module AsyncSmtp -CommandType Cmdlet).Name
        foreach ($n in 'Connect-Smtp', 'Disconnect-Smtp', 'Send-SmtpMessage', 'New-SmtpMessage', 'Invoke-SmtpCommand', 'Get-SmtpExtension') {
            $names | Should -Contain $n
        }
    }

    It 'has a help page for <Name> that matches an exported cmdlet' -ForEach $pages {
        Get-Command $Name -Module AsyncSmtp -ErrorAction SilentlyContinue | Should -Not -BeNullOrEmpty -Because "$Path documents it"
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll {
        $command = Get-Command $Name
        $help = Get-Help $Name -Full
        $documented = Get-DocumentedParameters $Name
        # Every parameter the user can type, in every parameter set, except PowerShell's own.
        $codeParameters = @($command.ParameterSets.Parameters | Where-Object Name -NotIn $commonParameters |
                Sort-Object Name -Unique)
    }

    It 'has a synopsis of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without help, Get-Help makes the synopsis up from the syntax.
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($Name)) "
    }

    It 'has a description' {
        ($help.description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'has at least three examples' {
        @($help.examples.example).Count | Should -BeGreaterOrEqual 3
    }

    It 'documents every parameter of the code with its type' {
        foreach ($p in $codeParameters) {
            $doc = $documented | Where-Object name -EQ $p.Name
            $doc | Should -Not -BeNullOrEmpty -Because "-$($p.Name) exists in the code"
            $doc.type.name | Should -Be $p.ParameterType.Name -Because "-$($p.Name) is a $($p.ParameterType.FullName)"
            ($doc.description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$($p.Name) needs a description"
        }
    }

    It 'documents no parameter that the code lacks' {
        foreach ($doc in $documented) {
            $command.Parameters.Keys | Should -Contain $doc.name -Because "the help documents -$($doc.name)"
        }
    }

    It 'documents the aliases, position and pipeline input of each parameter as the code declares them' {
        foreach ($p in $codeParameters) {
            $doc = $documented | Where-Object name -EQ $p.Name
            $aliases = if ($doc.aliases -and $doc.aliases -ne 'none') { @($doc.aliases -split ',\s*' | Sort-Object) } else { @() }
            $aliases | Should -Be @($p.Aliases | Sort-Object) -Because "the aliases of -$($p.Name)"

            $inSets = @($command.ParameterSets | ForEach-Object { $_.Parameters | Where-Object Name -EQ $p.Name })
            $positions = @($inSets | ForEach-Object { if ($_.Position -lt 0) { 'named' } else { "$($_.Position)" } } | Sort-Object -Unique)
            if ($positions.Count -eq 1) { $doc.position | Should -Be $positions[0] -Because "the position of -$($p.Name)" }

            $byValue = [bool]($inSets | Where-Object ValueFromPipeline)
            $byName = [bool]($inSets | Where-Object ValueFromPipelineByPropertyName)
            $doc.pipelineInput -match 'ByValue' | Should -Be $byValue -Because "-$($p.Name) ValueFromPipeline"
            $doc.pipelineInput -match 'ByPropertyName' | Should -Be $byName -Because "-$($p.Name) ValueFromPipelineByPropertyName"
        }
    }

    It 'shows one syntax per parameter set, with the parameters of that set as the code declares them' {
        # A set is identified by its parameters, each written as "!Name@position:pipeline" ('!' when mandatory).
        $describe = { param($name, $mandatory, $position, $byValue, $byName)
            '{0}{1}@{2}:{3}{4}' -f $(if ($mandatory) { '!' }), $name, $position, $(if ($byValue) { 'V' }), $(if ($byName) { 'P' })
        }
        $codeSets = @($command.ParameterSets | ForEach-Object {
                (@($_.Parameters | Where-Object Name -NotIn $commonParameters | ForEach-Object {
                            & $describe $_.Name $_.IsMandatory $(if ($_.Position -lt 0) { 'named' } else { $_.Position }) $_.ValueFromPipeline $_.ValueFromPipelineByPropertyName
                        }) | Sort-Object) -join ' '
            } | Sort-Object)
        $helpSets = @($help.syntax.syntaxItem | ForEach-Object {
                (@($_.parameter | ForEach-Object {
                            & $describe $_.name ($_.required -eq 'true') $_.position ($_.pipelineInput -match 'ByValue') ($_.pipelineInput -match 'ByPropertyName')
                        }) | Sort-Object) -join ' '
            } | Sort-Object)
        $helpSets | Should -Be $codeSets
    }

    It 'has examples that parse and use only parameters the module''s cmdlets have' {
        $moduleCommands = @{}
        Get-Command -Module AsyncSmtp -CommandType Cmdlet | ForEach-Object { $moduleCommands[$_.Name] = $_ }
        foreach ($code in Get-ExampleCode $Name) {
            $tokens = $errors = $null
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($code, [ref]$tokens, [ref]$errors)
            $errors | Should -BeNullOrEmpty -Because "this example must parse:`n$code"
            foreach ($call in $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true)) {
                $target = $moduleCommands[$call.GetCommandName()]
                if (-not $target) { continue }
                $known = @($target.Parameters.Values | ForEach-Object { $_.Name; $_.Aliases })
                foreach ($used in $call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
                    $known | Should -Contain $used.ParameterName -Because "$($target.Name) is called with -$($used.ParameterName) in:`n$code"
                }
            }
        }
    }

    It 'shows every parameter in Get-Help -Full' {
        $text = Get-Help $Name -Full | Out-String -Width 250
        foreach ($p in $codeParameters) { $text | Should -Match "-$($p.Name)\b" }
        $text | Should -Match 'INPUTS'
        $text | Should -Match 'OUTPUTS'
    }

    It 'shows the examples in Get-Help -Examples' {
        $text = Get-Help $Name -Examples | Out-String -Width 250
        $first = (Get-ExampleCode $Name)[0] -split "`n" | Select-Object -First 1
        $text | Should -Match ([regex]::Escape($first.Trim()))
    }

    It 'shows each parameter with Get-Help -Parameter' {
        foreach ($p in $codeParameters) {
            $text = Get-Help $Name -Parameter $p.Name | Out-String -Width 250
            $text | Should -Match "-$($p.Name) "
            $text | Should -Match 'Accept pipeline input'
        }
    }
}

Describe 'about_AsyncSmtp' {
    BeforeAll { $about = Get-Help about_AsyncSmtp | Out-String -Width 250 }

    It 'is shown by Get-Help' {
        $about | Should -Match 'SHORT DESCRIPTION'
        $about | Should -Match 'LONG DESCRIPTION'
    }

    It 'fits an 80-column console' {
        $wide = @((Get-Help about_AsyncSmtp | Out-String) -split '\r?\n' | Where-Object { $_.Length -gt 80 })
        $wide | Should -BeNullOrEmpty
    }

    It 'explains <_>' -ForEach 'SESSIONS', 'TLS MODES', 'CERTIFICATES', 'AUTHENTICATION', 'ENVELOPES AND HEADERS',
    'ERRORS', 'CONCURRENCY', 'TIMEOUTS', 'PROTOCOL LOGGING', 'EXTENSIONS', 'SECURITY RULES', 'COMING FROM AIOSMTPLIB' {
        $about | Should -Match "(?m)^$_"
    }

    It 'numbers the security rules 1 to 7, and every rule the code cites exists' {
        # Comments and tests say "security rule N": N must be a rule of this topic, not of a file outside the repo.
        $section = [regex]::Match($about, '(?ms)^SECURITY RULES\s*$(.*?)^[A-Z][A-Z ]+$').Groups[1].Value
        $numbers = [regex]::Matches($section, '(?m)^\s*(\d+)\. ') | ForEach-Object { [int]$_.Groups[1].Value }
        $numbers | Should -Be (1..7)
        $sources = Get-ChildItem (Join-Path $root 'src'), (Join-Path $root 'tests') -Recurse -Include *.cs, *.ps1
        $cited = $sources | Select-String -Pattern '(?i)security rules? (\d+)' -AllMatches |
            ForEach-Object { $_.Matches } | ForEach-Object { [int]$_.Groups[1].Value } | Sort-Object -Unique
        $cited | Should -Not -BeNullOrEmpty
        $cited | Where-Object { $_ -notin $numbers } | Should -BeNullOrEmpty
    }

    # The error table of spec/cmdlets.md: every id with its category.
    It 'lists the error id <Id> with the category <Category>' -ForEach @(
        @{ Id = 'SmtpConnectFailed'; Category = 'ConnectionError' }
        @{ Id = 'SmtpConnectTimeout'; Category = 'OperationTimeout' }
        @{ Id = 'SmtpReadTimeout'; Category = 'OperationTimeout' }
        @{ Id = 'SmtpServerDisconnected'; Category = 'ConnectionError' }
        @{ Id = 'SmtpDeliveryUncertain'; Category = 'ResourceUnavailable' }
        @{ Id = 'SmtpTlsFailed'; Category = 'SecurityError' }
        @{ Id = 'SmtpStartTlsNotSupported'; Category = 'SecurityError' }
        @{ Id = 'SmtpHeloFailed'; Category = 'ProtocolError' }
        @{ Id = 'SmtpAuthenticationFailed'; Category = 'AuthenticationError' }
        @{ Id = 'SmtpAuthenticationNotSupported'; Category = 'AuthenticationError' }
        @{ Id = 'SmtpUnencryptedAuthenticationRefused'; Category = 'SecurityError' }
        @{ Id = 'SmtpSenderRejected'; Category = 'PermissionDenied' }
        @{ Id = 'SmtpRecipientRejected'; Category = 'InvalidArgument' }
        @{ Id = 'SmtpRecipientsRejected'; Category = 'InvalidArgument' }
        @{ Id = 'SmtpMessageRejected'; Category = 'InvalidData' }
        @{ Id = 'SmtpMessageTooLarge'; Category = 'LimitsExceeded' }
        @{ Id = 'SmtpExtensionNotSupported'; Category = 'NotImplemented' }
        @{ Id = 'SmtpProtocolError'; Category = 'ProtocolError' }
        @{ Id = 'SmtpCommandNotAllowed'; Category = 'InvalidOperation' }
        @{ Id = 'SmtpInvalidArgument'; Category = 'InvalidArgument' }
        @{ Id = 'SmtpSessionClosed'; Category = 'InvalidOperation' }
    ) {
        $about | Should -Match "(?m)^\s+$Id \($Category\)"
    }
}

Describe 'The help compiler' {
    BeforeAll {
        $compiler = Join-Path $root 'build/Compile-Help.ps1'
        function New-HelpCopy {
            # A copy of docs/help under TestDrive, to break one page at a time.
            $copy = Join-Path $TestDrive ([guid]::NewGuid())
            New-Item -ItemType Directory "$copy/docs" | Out-Null
            Copy-Item -Recurse (Join-Path $root 'docs/help') "$copy/docs/help"
            $copy
        }
    }

    It 'compiles the real pages into MAML and about text' {
        $out = Join-Path $TestDrive 'module'
        & $compiler -Root $root -ModuleDir $out 6>$null
        $maml = [xml](Get-Content -Raw "$out/en-US/AsyncSmtp.dll-Help.xml")
        $maml.helpItems.command.details.name | Should -Contain 'Send-SmtpMessage'
        "$out/en-US/about_AsyncSmtp.help.txt" | Should -FileContentMatch 'SHORT DESCRIPTION'
    }

    It 'fails when a page lacks a required section' {
        $copy = New-HelpCopy
        $page = "$copy/docs/help/Disconnect-Smtp.md"
        (Get-Content -Raw $page) -replace '(?m)^## OUTPUTS', '## OUTPUT' | Set-Content $page
        { & $compiler -Root $copy -ModuleDir "$copy/out" 6>$null } | Should -Throw '*missing section*OUTPUTS*'
    }

    It 'fails when parameter metadata is unreadable' {
        $copy = New-HelpCopy
        $page = "$copy/docs/help/Disconnect-Smtp.md"
        (Get-Content -Raw $page) -replace 'Accept pipeline input: True \(ByValue\)', 'Accept pipeline input = yes' | Set-Content $page
        { & $compiler -Root $copy -ModuleDir "$copy/out" 6>$null } | Should -Throw '*-Session*'
    }

    It 'fails when an example has no code' {
        $copy = New-HelpCopy
        $page = "$copy/docs/help/Disconnect-Smtp.md"
        (Get-Content -Raw $page) -replace '(?s)(### Example 1[^\n]*\n)```powershell.*?```', '$1' | Set-Content $page
        { & $compiler -Root $copy -ModuleDir "$copy/out" 6>$null } | Should -Throw '*Example 1*no code*'
    }
}
