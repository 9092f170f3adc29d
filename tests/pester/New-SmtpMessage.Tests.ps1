BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("asyncsmtp-new-" + [guid]::NewGuid())
    New-Item -ItemType Directory $work | Out-Null
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
}
