BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:ModuleDir = Split-Path $ModuleManifest
    $script:ManifestData = Import-PowerShellDataFile $ModuleManifest
    $script:Expected = @('Connect-Smtp', 'Disconnect-Smtp', 'Get-SmtpExtension', 'Invoke-SmtpCommand', 'New-SmtpMessage',
        'Send-SmtpMessage', 'Test-SmtpServer')
}

Describe 'The module manifest' {
    It 'passes Test-ModuleManifest, built and in the sources' {
        { Test-ModuleManifest $ModuleManifest -ErrorAction Stop } | Should -Not -Throw
        { Test-ModuleManifest (Join-Path $RepoRoot 'module/AsyncSmtp.psd1') -ErrorAction Stop } | Should -Not -Throw
    }

    It 'loads through its root script for both editions from PowerShell 5.1 on' {
        $ManifestData.RootModule | Should -Be 'AsyncSmtp.psm1'
        foreach ($build in 'core', 'desktop') { Join-Path $ModuleDir "$build/AsyncSmtp.dll" | Should -Exist }
        $ManifestData.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $ManifestData.PowerShellVersion | Should -Be '5.1'
        [guid]$ManifestData.GUID | Should -Not -Be ([guid]::Empty)
    }

    It 'exports its cmdlets by name, without wildcards, and nothing else' {
        @($ManifestData.CmdletsToExport | Sort-Object) | Should -Be $Expected
        $ManifestData.CmdletsToExport | Where-Object { $_ -match '[*?]' } | Should -BeNullOrEmpty
        @($ManifestData.FunctionsToExport).Count | Should -Be 0
        @($ManifestData.AliasesToExport).Count | Should -Be 0
        @($ManifestData.VariablesToExport).Count | Should -Be 0
    }

    It 'carries gallery metadata' {
        $ManifestData.PrivateData.PSData.Tags | Should -Contain 'SMTP'
        $ManifestData.PrivateData.PSData.Tags | Should -Contain 'PSEdition_Core'
        $ManifestData.PrivateData.PSData.ProjectUri | Should -Match '^https://'
    }

    It 'ships its format file and never System.Management.Automation' {
        $ManifestData.FormatsToProcess | Should -Be @('AsyncSmtp.Format.ps1xml')
        Join-Path $ModuleDir 'AsyncSmtp.Format.ps1xml' | Should -Exist
        Join-Path $ModuleDir 'System.Management.Automation.dll' | Should -Not -Exist
    }
}

Describe 'The imported module' {
    It 'exposes exactly the seven cmdlets' {
        @(Get-Command -Module AsyncSmtp | Sort-Object Name | ForEach-Object Name) | Should -Be $Expected
        Get-Command -Module AsyncSmtp | ForEach-Object { $_.CommandType | Should -Be 'Cmdlet' }
    }

    It 'declares the output type of <Name>' -ForEach @(
        @{ Name = 'Connect-Smtp'; Type = 'AsyncSmtp.SmtpSession' }
        @{ Name = 'Send-SmtpMessage'; Type = 'AsyncSmtp.SmtpSendResult' }
        @{ Name = 'New-SmtpMessage'; Type = 'AsyncSmtp.SmtpMessage' }
        @{ Name = 'Invoke-SmtpCommand'; Type = 'AsyncSmtp.SmtpResponse' }
        @{ Name = 'Get-SmtpExtension'; Type = 'AsyncSmtp.SmtpExtension' }
        @{ Name = 'Test-SmtpServer'; Type = 'AsyncSmtp.SmtpServerReport' }
    ) {
        (Get-Command $Name).OutputType.Name | Should -Contain $Type
    }

    It 'has a table view for <_>' -ForEach @(
        'AsyncSmtp.SmtpSession', 'AsyncSmtp.SmtpSendResult', 'AsyncSmtp.SmtpRejectedRecipient',
        'AsyncSmtp.SmtpResponse', 'AsyncSmtp.SmtpExtension', 'AsyncSmtp.SmtpMessage', 'AsyncSmtp.SmtpServerReport'
    ) {
        $format = Get-FormatData -TypeName $_
        $format | Should -Not -BeNullOrEmpty
        $format.FormatViewDefinition.Control | Where-Object { $_ -is [System.Management.Automation.TableControl] } | Should -Not -BeNullOrEmpty
    }

    It 'formats a message as a readable table' {
        $text = New-SmtpMessage -From 'a@example.com' -To 'b@example.com', 'c@example.com' -Subject 'Formatted' -Body 'x' | Format-Table | Out-String -Width 200
        $text | Should -Match 'From\s+To\s+Subject\s+Size'
        $text | Should -Match 'b@example.com, c@example.com'
    }
}

Describe 'The parameter contract' {
    It 'gives the connection parameters position 0 and the aliases of the spec' {
        $p = (Get-Command Connect-Smtp).Parameters['SmtpServer']
        $p.Aliases | Should -Be @('ComputerName', 'HostName', 'Server')
        $p.ParameterSets.Values.Position | Should -Be 0
        foreach ($name in 'Port', 'UseTls', 'StartTls', 'NoTls', 'Credential', 'AuthenticationMethod', 'OAuthToken', 'UserName',
            'AllowUnencryptedAuthentication', 'SkipCertificateCheck', 'ClientCertificate', 'LocalHostName', 'SourceAddress', 'UnixSocket', 'TimeoutSec') {
            foreach ($cmd in 'Connect-Smtp', 'Send-SmtpMessage', 'Get-SmtpExtension') {
                (Get-Command $cmd).Parameters.Keys | Should -Contain $name -Because "$cmd shares the connection parameters"
            }
        }
    }

    It 'restricts -AuthenticationMethod to the mechanisms the client speaks' {
        $set = (Get-Command Connect-Smtp).Parameters['AuthenticationMethod'].Attributes | Where-Object { $_ -is [ValidateSet] }
        $set.ValidValues | Should -Be @('ScramSha256', 'ScramSha1', 'CramMd5', 'Plain', 'Login', 'XOAuth2', 'OAuthBearer')
    }

    It 'takes the session from the pipeline in every session cmdlet' {
        foreach ($cmd in 'Send-SmtpMessage', 'Invoke-SmtpCommand', 'Get-SmtpExtension', 'Disconnect-Smtp') {
            $p = (Get-Command $cmd).Parameters['Session']
            $p.ParameterType.FullName | Should -Be 'AsyncSmtp.SmtpSession'
            $p.ParameterSets.Values.ValueFromPipeline | Should -Contain $true
        }
    }

    It 'puts -Session and -Command at positions 0 and 1 of Invoke-SmtpCommand' {
        $c = Get-Command Invoke-SmtpCommand
        $c.Parameters['Session'].ParameterSets['Session'].Position | Should -Be 0
        $c.Parameters['Command'].ParameterSets['Session'].Position | Should -Be 1
    }

    It 'puts -Session and -Name at positions 0 and 1 of Get-SmtpExtension' {
        $c = Get-Command Get-SmtpExtension
        $c.Parameters['Session'].ParameterSets['Session'].Position | Should -Be 0
        $c.Parameters['Name'].ParameterSets.Values.Position | Should -Be 1
    }

    It 'binds -Message by value and -Path by property name (alias FullName)' {
        $p = (Get-Command Send-SmtpMessage).Parameters
        $p['Message'].ParameterType | Should -Be ([object])
        $p['Message'].ParameterSets.Values.ValueFromPipeline | Should -Contain $true
        $p['Path'].Aliases | Should -Contain 'FullName'
        $p['Path'].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true
        $p['RawMessage'].ParameterType | Should -Be ([object])
    }

    It 'takes of the connection parameters only -SmtpServer from piped objects on Send-SmtpMessage, all five on Connect-Smtp' {
        # PowerShell looks up every by-property-name parameter on every piped message; a message has none of them.
        $send = (Get-Command Send-SmtpMessage).Parameters
        $connect = (Get-Command Connect-Smtp).Parameters
        foreach ($name in 'Port', 'UseTls', 'StartTls', 'NoTls') {
            $send[$name].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Not -Contain $true -Because "-$name"
            $connect[$name].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true -Because "-$name"
        }
        $send['SmtpServer'].ParameterSets.Values.ValueFromPipelineByPropertyName | Should -Contain $true
        $send['Port'].Attributes.Where({ $_ -is [ValidateRange] }).MaxRange | Should -Be 65535
    }

    It 'supports -WhatIf and -Confirm on Send-SmtpMessage' {
        (Get-Command Send-SmtpMessage).Parameters.Keys | Should -Contain 'WhatIf'
        (Get-Command Send-SmtpMessage).Parameters.Keys | Should -Contain 'Confirm'
    }

    It 'accepts the Send-MailMessage priorities and notification options' {
        $p = (Get-Command Send-SmtpMessage).Parameters
        [enum]::GetNames($p['Priority'].ParameterType) | Sort-Object | Should -Be @('High', 'Low', 'Normal')
        foreach ($v in 'None', 'OnSuccess', 'OnFailure', 'Delay', 'Never') { [enum]::GetNames($p['DeliveryNotificationOption'].ParameterType) | Should -Contain $v }
    }
}

Describe 'Tab completion of Invoke-SmtpCommand' {
    It 'offers <Expected> for "<Typed>"' -ForEach @(
        @{ Typed = 'VR'; Expected = @('VRFY') }
        @{ Typed = 'e'; Expected = @('EHLO', 'ETRN', 'EXPN') }
        @{ Typed = 'NO'; Expected = @('NOOP') }
        @{ Typed = 'RC'; Expected = @("'RCPT TO:<>'") }
    ) {
        $script = "Invoke-SmtpCommand -Session `$null -Command $Typed"
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        @($result.CompletionMatches.CompletionText | Sort-Object) | Should -Be $Expected
    }

    It 'never offers the commands it refuses' {
        $script = 'Invoke-SmtpCommand -Session $null -Command '
        $offered = (TabExpansion2 -inputScript $script -cursorColumn $script.Length).CompletionMatches.CompletionText
        $offered | Should -Contain 'NOOP'
        foreach ($refused in 'DATA', 'BDAT', 'STARTTLS', 'AUTH', 'QUIT') { $offered | Should -Not -Contain $refused }
    }
}

Describe 'Tab completion of Test-SmtpServer' {
    It 'offers the well-known SMTP ports for -Port' {
        $script = 'Test-SmtpServer mail.example.com -Port '
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        @($result.CompletionMatches.CompletionText) | Should -Be @('25', '465', '587', '2525')
        ($result.CompletionMatches | Where-Object CompletionText -EQ '465').ToolTip | Should -Match 'implicit TLS'
    }

    It 'offers the stages for -QuitAfter' {
        $script = 'Test-SmtpServer mail.example.com -QuitAfter '
        $result = TabExpansion2 -inputScript $script -cursorColumn $script.Length
        @($result.CompletionMatches.CompletionText | Sort-Object) |
            Should -Be @('Auth', 'Connect', 'Ehlo', 'Greeting', 'Mail', 'Rcpt', 'StartTls')
    }
}
