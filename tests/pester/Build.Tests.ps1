# The build scripts' own logic that the summary line depends on (build/Common.ps1).
BeforeAll {
    . (Join-Path $PSScriptRoot '../../build/Common.ps1')

    function New-Trx([hashtable] $Counters) {
        # A TRX file holding only the ResultSummary counters, as vstest writes them.
        $attributes = ($Counters.GetEnumerator() | ForEach-Object { "$($_.Key)=`"$($_.Value)`"" }) -join ' '
        $path = Join-Path $TestDrive "$([guid]::NewGuid()).trx"
        Set-Content $path @"
<?xml version="1.0" encoding="utf-8"?>
<TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
  <ResultSummary outcome="Completed"><Counters $attributes /></ResultSummary>
</TestRun>
"@
        $path
    }
}

Describe 'Get-TrxCount' {
    It 'counts a project whose tests were all skipped at discovery (executed=0 notExecuted=0) as skipped' {
        $trx = New-Trx @{ total = 41; executed = 0; passed = 0; failed = 0; error = 0; timeout = 0; aborted = 0; notExecuted = 0 }
        $count = Get-TrxCount $trx
        $count.Passed | Should -Be 0
        $count.Failed | Should -Be 0
        $count.Skipped | Should -Be 41
    }

    It 'counts passed, failed (errors, timeouts and aborts included) and not executed tests' {
        $trx = New-Trx @{ total = 20; executed = 17; passed = 12; failed = 2; error = 1; timeout = 1; aborted = 1; notExecuted = 3 }
        $count = Get-TrxCount $trx
        $count.Passed | Should -Be 12
        $count.Failed | Should -Be 5
        $count.Skipped | Should -Be 3
    }
}
