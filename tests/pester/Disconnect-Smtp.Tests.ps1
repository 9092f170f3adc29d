BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Disconnect-Smtp' {
    BeforeAll {
        $script:server = Start-TestSmtpServer
        $script:conn = Get-ConnectionSplat $server
    }
    AfterAll { $server.Dispose() }
    BeforeEach { $server.Script.Clear(); $server.Clear() }

    It 'sends QUIT, closes the connection and outputs nothing' {
        $s = Connect-Smtp @conn
        $out = $s | Disconnect-Smtp
        $out | Should -BeNullOrEmpty
        $s.IsConnected | Should -BeFalse
        $server.Commands[-1] | Should -Be 'QUIT'
        $server.Sessions[0].WaitForClose(3000) | Should -BeTrue
    }

    It 'closes a session straight off Connect-Smtp in one pipeline' {
        Connect-Smtp @conn | Disconnect-Smtp
        $server.Commands[-1] | Should -Be 'QUIT'
    }

    It 'takes the session positionally' {
        $s = Connect-Smtp @conn
        Disconnect-Smtp $s
        $s.IsConnected | Should -BeFalse
    }

    It 'is idempotent' {
        $s = Connect-Smtp @conn
        Disconnect-Smtp -Session $s
        { Disconnect-Smtp -Session $s -ErrorAction Stop } | Should -Not -Throw
        @($server.Commands | Where-Object { $_ -eq 'QUIT' }).Count | Should -Be 1
    }

    It 'closes quietly a session the server already dropped' {
        $s = Connect-Smtp @conn
        $server.On('NOOP').Disconnect() | Out-Null
        try { Invoke-SmtpCommand $s NOOP -ErrorAction Stop } catch { }
        { $s | Disconnect-Smtp -ErrorAction Stop } | Should -Not -Throw
        $s.IsConnected | Should -BeFalse
    }

    It 'closes quietly when the server went away without a word' {
        $other = Start-TestSmtpServer
        $c = Get-ConnectionSplat $other
        $s = Connect-Smtp @c
        $other.Dispose()
        { $s | Disconnect-Smtp -ErrorAction Stop } | Should -Not -Throw
        $s.IsConnected | Should -BeFalse
    }

    It 'closes a server that answers QUIT with an error too' {
        $s = Connect-Smtp @conn
        $server.On('QUIT').Reply('500 5.5.1 What?') | Out-Null
        { $s | Disconnect-Smtp -ErrorAction Stop } | Should -Not -Throw
        $s.IsConnected | Should -BeFalse
    }

    It 'closes every session piped in' {
        $sessions = 1..3 | ForEach-Object { Connect-Smtp @conn }
        $sessions | Disconnect-Smtp
        $sessions.IsConnected | Should -Be @($false, $false, $false)
        @($server.Commands | Where-Object { $_ -eq 'QUIT' }).Count | Should -Be 3
    }
}
