# The source stays readable in a side-by-side diff and on a laptop screen: .editorconfig's max_line_length.
Describe 'Source layout' {
    It 'keeps every line of src/ within 120 characters (.editorconfig max_line_length)' {
        $root = (Resolve-Path "$PSScriptRoot/../..").Path
        $long = Get-ChildItem (Join-Path $root 'src') -Recurse -Filter '*.cs' |
            Where-Object FullName -NotMatch '[\\/](obj|bin)[\\/]' |
            Select-String -Pattern '^.{121,}$' |
            ForEach-Object { "$($_.Path.Substring($root.Length + 1)):$($_.LineNumber)" }
        $long | Should -BeNullOrEmpty
    }
}
