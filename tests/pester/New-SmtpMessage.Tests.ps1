BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("asyncsmtp-new-" + [guid]::NewGuid())
    New-Item -ItemType Directory $work | Out-Null

    # Assert-SmtpError (TestHelpers.ps1) expects errors raised by this cmdlet.
    $script:CmdletClass = 'AsyncSmtp.Commands.NewSmtpMessageCommand'

    function Assert-InvalidArgument($Errors, $Target, [string] $Pattern) {
        # One non-terminating SmtpInvalidArgument error, aimed at $Target, whose message matches $Pattern.
        Assert-SmtpError $Errors SmtpInvalidArgument InvalidArgument $Target
        $Errors[0].Exception.Message | Should -Match $Pattern
    }
}
AfterAll { Remove-Item -Recurse -Force $work -ErrorAction Ignore }

Describe 'New-SmtpMessage' {
    It 'builds an SmtpMessage with the spec''s properties' {
        $m = New-SmtpMessage -From 'Alice <alice@example.com>' -To 'bob@example.com', 'carol@example.com' -Cc 'dave@example.com' `
            -Bcc 'erin@example.com' -Subject 'Grüße' -Body 'Hello'
        $m | Should -BeOfType ([AsyncSmtp.SmtpMessage])
        $m.From | Should -Match 'alice@example.com'
        $m.To | Should -Be @('bob@example.com', 'carol@example.com')
        $m.Cc | Should -Be @('dave@example.com')
        $m.Subject | Should -Be 'Grüße'
        $m.MessageId | Should -Match '@'
        $m.Size | Should -BeGreaterThan 100
    }

    It 'saves an .eml file that keeps Bcc as a draft' {
        $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Bcc 'hidden@example.com' -Subject 'Saved' -Body 'Body text'
        $path = Join-Path $work 'saved.eml'
        $m.Save($path)
        $text = Get-Content -Raw $path
        $text | Should -Match '(?m)^Subject: Saved'
        $text | Should -Match 'hidden@example.com'
        $text | Should -Match 'Body text'
    }

    It 'builds one message per CSV row, binding columns by property name' {
        $csv = Join-Path $work 'users.csv'
        "To,Subject`nbob@example.com,For Bob`ncarol@example.com,For Carol" | Set-Content $csv
        $messages = Import-Csv $csv | New-SmtpMessage -From 'alice@example.com' -Body 'Hi'
        $messages.Count | Should -Be 2
        $messages.Subject | Should -Be @('For Bob', 'For Carol')
        $messages[1].To | Should -Be @('carol@example.com')
    }

    It 'resolves a relative attachment path against the current location' {
        Push-Location $work
        try {
            Set-Content (Join-Path $work 'note.txt') 'attached'
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'att' -Body 'x' -Attachments 'note.txt'
            $path = Join-Path $work 'att.eml'
            $m.Save($path)
            Get-Content -Raw $path | Should -Match 'note\.txt'
        } finally { Pop-Location }
    }

    It 'reports a missing attachment as a non-terminating PathNotFound' {
        $missing = Join-Path $work 'missing.pdf'
        $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Attachments $missing -ErrorVariable errs -ErrorAction SilentlyContinue
        $m | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'PathNotFound,AsyncSmtp.Commands.NewSmtpMessageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be $missing
    }

    It 'reports a malformed address as a non-terminating SmtpInvalidArgument and goes on with the next row' {
        $rows = [pscustomobject]@{ To = 'not an address'; Subject = 'bad' }, [pscustomobject]@{ To = 'ok@example.com'; Subject = 'good' }
        $m = $rows | New-SmtpMessage -From 'alice@example.com' -ErrorVariable errs -ErrorAction SilentlyContinue
        @($m).Count | Should -Be 1
        $m.Subject | Should -Be 'good'
        $errs[0].FullyQualifiedErrorId | Should -Be 'SmtpInvalidArgument,AsyncSmtp.Commands.NewSmtpMessageCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'refuses a control character in a header value' {
        $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'X-Test' = "a`r`nBcc: victim@example.com" } -ErrorVariable errs -ErrorAction SilentlyContinue
        $m | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'SmtpInvalidArgument,AsyncSmtp.Commands.NewSmtpMessageCommand'
    }

    It 'sets the priority headers for -Priority High' {
        $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'urgent' -Priority High
        $path = Join-Path $work 'prio.eml'
        $m.Save($path)
        Get-Content -Raw $path | Should -Match '(?m)^X-Priority: 1'
    }

    Context '-Header values' {
        BeforeAll {
            function Get-SavedText($Message) {
                $path = Join-Path $work ([guid]::NewGuid().ToString() + '.eml')
                $Message.Save($path)
                Get-Content -Raw $path
            }
        }

        It 'gives one header per element of an array value, in order' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'Comments' = 'first', 'second' }
            $text = Get-SavedText $m
            [regex]::Matches($text, '(?m)^Comments: (\w+)\r?$').ForEach({ $_.Groups[1].Value }) | Should -Be @('first', 'second')
            $text | Should -Not -Match 'System\.Object'
        }

        It 'uses the text form of a value that has one (a URI, a number)' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'X-Link' = [uri]'https://example.com/a'; 'X-Count' = 42 }
            $text = Get-SavedText $m
            $text | Should -Match '(?m)^X-Link: https://example.com/a\r?$'
            $text | Should -Match '(?m)^X-Count: 42\r?$'
        }

        It 'refuses a $null value instead of writing an empty header' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'X-Empty' = $null } -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs 'Header' 'X-Empty.*\$null'
        }

        It 'refuses a value whose only text form is its type name (a hashtable, an object)' -TestCases @(
            @{ Value = @{ a = 1 } }
            @{ Value = [pscustomobject]@{ a = 1 } }
            @{ Value = [object]::new() }
        ) {
            param($Value)
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'X-Data' = $Value } -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs 'Header' 'X-Data.*no text form'
        }

        It 'refuses an empty list, a $null element and a nested list' -TestCases @(
            @{ Value = @(); Pattern = 'empty' }
            @{ Value = @('a', $null); Pattern = '\$null' }
            @{ Value = @('a', @('b', 'c')); Pattern = 'itself a list' }
        ) {
            param($Value, $Pattern)
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'X-List' = $Value } -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs 'Header' $Pattern
        }

        It 'refuses a repeated header that a message may carry only once' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Header @{ 'Message-Id' = '<a@example.com>', '<b@example.com>' } -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs 'Header' 'only once'
        }
    }

    Context 'attachment paths that are not files' {
        It 'says an empty path is empty (not "File not found" naming the current directory)' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Attachments '' -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs 'Attachments' 'empty path'
        }

        It 'says a directory is a directory' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Attachments $work -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs $work 'is a directory'
        }

        It 'refuses a character device such as /dev/zero, which would never end' -Skip:$IsWindows {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Attachments '/dev/zero' -ErrorVariable errs -ErrorAction SilentlyContinue
            $m | Should -BeNullOrEmpty
            Assert-InvalidArgument $errs '/dev/zero' 'not a regular file but a character device'
        }

        It 'refuses a named pipe (FIFO) before opening it, so nothing waits for a writer' -Skip:$IsWindows {
            $fifo = Join-Path $work 'attach.fifo'
            mkfifo $fifo
            $link = Join-Path $work 'fifo-link.txt'
            New-Item -ItemType SymbolicLink -Path $link -Target $fifo | Out-Null
            $run = Start-InOtherRunspace 'param($f, $l) New-SmtpMessage -From a@example.com -To b@example.com -Attachments $f; New-SmtpMessage -From a@example.com -To b@example.com -Attachments $l' $fifo, $link
            try {
                # Before the fix open() blocked until a writer came: be that writer, so a failing test ends.
                if (-not (Wait-Until { $run.Handle.IsCompleted } -TimeoutMs 30000)) { 1..2 | ForEach-Object { [IO.File]::OpenWrite($fifo).Dispose() } }
                $null = $run.PowerShell.EndInvoke($run.Handle)
                $errs = @($run.PowerShell.Streams.Error)
                $errs.Count | Should -Be 2
                foreach ($e in $errs) {
                    $e.FullyQualifiedErrorId | Should -Be 'SmtpInvalidArgument,AsyncSmtp.Commands.NewSmtpMessageCommand'
                    $e.Exception.Message | Should -Match 'not a regular file but a named pipe \(FIFO\)'
                }
                $errs[0].TargetObject | Should -Be $fifo
                $errs[1].TargetObject | Should -Be $link
            } finally { $run.PowerShell.Dispose() }
        }

        It 'still attaches a symbolic link to a regular file' -Skip:$IsWindows {
            $file = Join-Path $work 'real.txt'
            Set-Content $file 'real content'
            $link = Join-Path $work 'link.txt'
            New-Item -ItemType SymbolicLink -Path $link -Target $file | Out-Null
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Attachments $link
            $m | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Save(path)' {
        BeforeAll {
            # Saves a new message under a relative name from a new directory, made the current location, with
            # $Save (given the message and the name); asserts where the file went. A failure leaves nothing behind.
            function Assert-SavedInLocation([string] $Directory, [scriptblock] $Save) {
                $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'relative' -Body 'x'
                $dir = Join-Path $work $Directory
                New-Item -ItemType Directory $dir | Out-Null
                $name = "relative-$([guid]::NewGuid()).eml"
                $wrongPlace = Join-Path ([Environment]::CurrentDirectory) $name
                Push-Location $dir
                try { & $Save $m $name } finally { Pop-Location }
                try {
                    Join-Path $dir $name | Should -Exist
                    $wrongPlace | Should -Not -Exist
                }
                finally { Remove-Item -LiteralPath $wrongPlace -ErrorAction Ignore }
            }
        }

        It 'resolves a relative path against the current location ($PWD), not the process directory' {
            Assert-SavedInLocation 'save-here' { param($m, $name) $m.Save($name) }
        }

        It 'resolves a relative path against the location of the runspace it is called in, one without the module too' {
            # ForEach-Object -Parallel runs in runspaces of its own, which start at the caller's location and have
            # not imported the module.
            Assert-SavedInLocation 'save-parallel' { param($m, $name) $m | ForEach-Object -Parallel { $_.Save($using:name) } }
        }

        It 'resolves a PowerShell drive path' {
            $m = New-SmtpMessage -From 'alice@example.com' -To 'bob@example.com' -Subject 'drive' -Body 'x'
            New-PSDrive -Name SaveTest -PSProvider FileSystem -Root $work | Out-Null
            try { $m.Save('SaveTest:/on-drive.eml') } finally { Remove-PSDrive SaveTest }
            Join-Path $work 'on-drive.eml' | Should -Exist
        }
    }
}
