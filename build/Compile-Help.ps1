# Compiles docs/help/*.md (platyPS markdown, schema 2.0.0) into the module's en-US folder:
# cmdlet pages into one MAML file (<external help file> from the front matter, AsyncSmtp.dll-Help.xml)
# and about_*.md into about_*.help.txt. Uses platyPS's New-ExternalHelp when it is installed,
# otherwise its own small writer. Either way the markdown is parsed and checked first, and any
# malformed page (missing section, unreadable parameter metadata, example without code) stops the build.
param([Parameter(Mandatory)][string] $Root, [Parameter(Mandatory)][string] $ModuleDir)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$requiredSections = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$requiredYamlKeys = 'Type', 'Parameter Sets', 'Aliases', 'Required', 'Position', 'Default value', 'Accept pipeline input', 'Accept wildcard characters'
$ns = @{
    msh     = 'http://msh'
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    MSHelp  = 'http://msdn.microsoft.com/mshelp'
}

#region Markdown reading

function Read-MarkdownPage([string] $Path) {
    # Splits a page into front matter, its title (# line) and its ## sections, each with the
    # lines before its first ### and a list of ### subsections. Fenced code is kept verbatim.
    $lines = [IO.File]::ReadAllLines($Path)
    $page = [ordered]@{ Path = $Path; Meta = @{}; Title = $null; Sections = [ordered]@{} }
    $i = 0
    if ($lines.Count -gt 0 -and $lines[0] -eq '---') {
        for ($i = 1; $i -lt $lines.Count -and $lines[$i] -ne '---'; $i++) {
            if ($lines[$i] -match '^([^:]+):\s*(.*)$') { $page.Meta[$Matches[1].Trim()] = $Matches[2].Trim() }
        }
        if ($i -ge $lines.Count) { throw "${Path}: front matter is not closed with ---" }
        $i++
    }
    $section = $null; $sub = $null; $inFence = $false
    for (; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        if ($line -match '^```') { $inFence = -not $inFence }
        elseif (-not $inFence -and $line -match '^(#{1,3}) +(.+?)\s*$') {
            $level = $Matches[1].Length; $text = $Matches[2]
            if ($level -eq 1 -and -not $page.Title) { $page.Title = $text; continue }
            if ($level -le 2) {
                if ($page.Sections.Contains($text)) { throw "${Path}: section '$text' appears twice" }
                $section = [ordered]@{ Lines = [Collections.Generic.List[string]]::new(); Subs = [Collections.Generic.List[object]]::new() }
                $page.Sections[$text] = $section; $sub = $null
                continue
            }
            if (-not $section) { throw "${Path}: '### $text' is outside any ## section" }
            $sub = [ordered]@{ Title = $text; Lines = [Collections.Generic.List[string]]::new() }
            $section.Subs.Add($sub)
            continue
        }
        if ($sub) { $sub.Lines.Add($line) } elseif ($section) { $section.Lines.Add($line) }
    }
    if ($inFence) { throw "${Path}: a code fence is not closed" }
    if (-not $page.Title) { throw "${Path}: no '# <title>' line" }
    $page
}

function Split-Blocks([string[]] $Lines) {
    # Text paragraphs (blank-line separated; each list item its own paragraph) and fenced code blocks.
    $blocks = [Collections.Generic.List[object]]::new()
    $text = [Collections.Generic.List[string]]::new()
    $code = $null
    $flush = {
        if ($text.Count) { $blocks.Add([pscustomobject]@{ Kind = 'text'; Language = $null; Text = (ConvertTo-PlainText ($text -join ' ')) }); $text.Clear() }
    }
    foreach ($line in $Lines) {
        if ($null -ne $code) {
            if ($line -match '^```') { $blocks.Add($code); $code = $null } else { $code.Lines.Add($line) }
        }
        elseif ($line -match '^```(\w*)') {
            & $flush
            $code = [pscustomobject]@{ Kind = 'code'; Language = $Matches[1]; Lines = [Collections.Generic.List[string]]::new() }
        }
        elseif ($line.Trim() -eq '') { & $flush }
        else {
            if ($line -match '^\s*([-*]|\d+\.) ') { & $flush }
            $text.Add($line.Trim())
        }
    }
    & $flush
    $blocks
}

function ConvertTo-PlainText([string] $Markdown) {
    # Get-Help shows plain text: drop inline code ticks, emphasis and link targets.
    $t = $Markdown -replace '\[([^\]]+)\]\([^)]*\)', '$1'
    $t = $t -replace '`([^`]*)`', '$1'
    $t -replace '\*\*([^*]+)\*\*', '$1'
}

function Get-Paragraphs($Lines) { @(Split-Blocks $Lines | ForEach-Object { if ($_.Kind -eq 'text') { $_.Text } else { $_.Lines -join "`n" } }) }

function Read-ParameterMetadata([string] $Page, [string] $Parameter, [string[]] $Lines) {
    # Each ```yaml block of a parameter: one set of metadata (platyPS writes one per distinct set).
    $blocks = @(Split-Blocks $Lines | Where-Object { $_.Kind -eq 'code' -and $_.Language -eq 'yaml' })
    if (-not $blocks) { throw "${Page}: parameter -$Parameter has no yaml metadata block" }
    foreach ($block in $blocks) {
        $meta = @{}
        foreach ($line in $block.Lines) {
            if ($line.Trim() -eq '') { continue }
            if ($line -notmatch '^([A-Za-z ]+):\s*(.*)$') { throw "${Page}: parameter -${Parameter}: unreadable yaml line '$line'" }
            $meta[$Matches[1]] = $Matches[2].Trim()
        }
        $missing = @($requiredYamlKeys | Where-Object { -not $meta.ContainsKey($_) })
        if ($missing) { throw "${Page}: parameter -${Parameter}: yaml lacks $($missing -join ', ')" }
        if ($meta['Required'] -notin 'True', 'False') { throw "${Page}: parameter -${Parameter}: Required must be True or False" }
        if ($meta['Position'] -notmatch '^(Named|\d+)$') { throw "${Page}: parameter -${Parameter}: Position must be Named or a number" }
        if ($meta['Accept pipeline input'] -notmatch '^(False|True \((ByValue|ByPropertyName)(, (ByValue|ByPropertyName))?\))$') {
            throw "${Page}: parameter -${Parameter}: unreadable 'Accept pipeline input: $($meta['Accept pipeline input'])'"
        }
        [pscustomobject]@{
            Type       = $meta['Type']
            Sets       = @($meta['Parameter Sets'] -split ',\s*' | Where-Object { $_ })
            Aliases    = @($meta['Aliases'] -split ',\s*' | Where-Object { $_ })
            Values     = @(if ($meta['Accepted values']) { $meta['Accepted values'] -split ',\s*' })
            Required   = $meta['Required'] -eq 'True'
            Position   = $meta['Position']
            Default    = $meta['Default value']
            Pipeline   = $meta['Accept pipeline input']
            Wildcards  = $meta['Accept wildcard characters'] -eq 'True'
        }
    }
}

function Read-CommandHelp([string] $Path) {
    $page = Read-MarkdownPage $Path
    $name = $page.Title
    if ([IO.Path]::GetFileNameWithoutExtension($Path) -ne $name) { throw "${Path}: title '$name' does not match the file name" }
    foreach ($key in 'external help file', 'Module Name', 'schema') {
        if (-not $page.Meta[$key]) { throw "${Path}: front matter lacks '$key'" }
    }
    foreach ($s in $requiredSections) { if (-not $page.Sections.Contains($s)) { throw "${Path}: missing section '## $s'" } }
    $synopsis = Get-Paragraphs $page.Sections['SYNOPSIS'].Lines
    if (-not $synopsis) { throw "${Path}: the synopsis is empty" }

    $sets = @($page.Sections['SYNTAX'].Subs | ForEach-Object { $_.Title -replace '\s*\(Default\)$', '' })
    if (-not $sets) { $sets = @('(All)') }   # one parameter set: platyPS writes no ### heading
    $parameters = foreach ($sub in $page.Sections['PARAMETERS'].Subs) {
        if ($sub.Title -eq 'CommonParameters') { continue }
        if ($sub.Title -notmatch '^-(\w+)$') { throw "${Path}: parameter heading '### $($sub.Title)' is not '### -Name'" }
        $pname = $Matches[1]
        $metadata = @(Read-ParameterMetadata $Path $pname $sub.Lines)
        foreach ($set in $metadata.Sets) {
            if ($set -ne '(All)' -and $set -notin $sets) { throw "${Path}: parameter -$pname names unknown parameter set '$set'" }
        }
        [pscustomobject]@{
            Name        = $pname
            Description = @(Split-Blocks $sub.Lines | Where-Object Kind -EQ 'text' | ForEach-Object Text)
            Metadata    = $metadata
        }
    }
    $examples = foreach ($sub in $page.Sections['EXAMPLES'].Subs) {
        $blocks = @(Split-Blocks $sub.Lines)
        $codeIndex = [array]::FindIndex($blocks, [Predicate[object]] { param($b) $b.Kind -eq 'code' })
        if ($codeIndex -lt 0) { throw "${Path}: example '$($sub.Title)' has no code block" }
        [pscustomobject]@{
            Title        = $sub.Title
            Introduction = @($blocks[0..$codeIndex] | Where-Object Kind -EQ 'text' | ForEach-Object Text)
            Code         = $blocks[$codeIndex].Lines -join "`n"
            Remarks      = @($blocks | Select-Object -Skip ($codeIndex + 1) | ForEach-Object { if ($_.Kind -eq 'text') { $_.Text } else { $_.Lines -join "`n" } })
        }
    }
    if (-not $examples) { throw "${Path}: no examples" }
    $typed = { param($section) foreach ($sub in $section.Subs) { [pscustomobject]@{ Type = $sub.Title; Description = @(Get-Paragraphs $sub.Lines) } } }
    [pscustomobject]@{
        Name        = $name
        HelpFile    = $page.Meta['external help file']
        Online      = $page.Meta['online version']
        Synopsis    = $synopsis
        Description = @(Get-Paragraphs $page.Sections['DESCRIPTION'].Lines)
        Sets        = $sets
        Parameters  = @($parameters)
        Examples    = @($examples)
        Inputs      = @(& $typed $page.Sections['INPUTS'])
        Outputs     = @(& $typed $page.Sections['OUTPUTS'])
        Notes       = @(Get-Paragraphs $page.Sections['NOTES'].Lines)
        Links       = @(foreach ($line in $page.Sections['RELATED LINKS'].Lines) {
                if ($line -match '^\[([^\]]+)\]\(([^)]*)\)') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
            })
    }
}

#endregion

#region MAML writing

function Write-Paragraphs([Xml.XmlWriter] $W, [string[]] $Paragraphs, [string] $Element = 'description') {
    $W.WriteStartElement('maml', $Element, $ns.maml)
    foreach ($p in $Paragraphs) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
    $W.WriteEndElement()
}

function Write-Parameter([Xml.XmlWriter] $W, $Parameter, $Metadata, [bool] $InSyntax) {
    $isSwitch = $Metadata.Type -eq 'SwitchParameter'
    $W.WriteStartElement('command', 'parameter', $ns.command)
    $W.WriteAttributeString('required', $Metadata.Required.ToString().ToLowerInvariant())
    $W.WriteAttributeString('variableLength', ($Metadata.Type -like '*`[`]').ToString().ToLowerInvariant())
    $W.WriteAttributeString('globbing', $Metadata.Wildcards.ToString().ToLowerInvariant())
    $W.WriteAttributeString('pipelineInput', $Metadata.Pipeline)
    $W.WriteAttributeString('position', $Metadata.Position.ToLowerInvariant())
    $W.WriteAttributeString('aliases', $(if ($Metadata.Aliases) { $Metadata.Aliases -join ', ' } else { 'none' }))
    $W.WriteElementString('maml', 'name', $ns.maml, $Parameter.Name)
    Write-Paragraphs $W $Parameter.Description
    if ($InSyntax -and $Metadata.Values) {
        $W.WriteStartElement('command', 'parameterValueGroup', $ns.command)
        foreach ($v in $Metadata.Values) {
            $W.WriteStartElement('command', 'parameterValue', $ns.command)
            $W.WriteAttributeString('required', 'false'); $W.WriteAttributeString('command', 'variableLength', $ns.command, 'false')
            $W.WriteString($v); $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }
    elseif (-not ($InSyntax -and $isSwitch)) {
        # A switch shows no value in a syntax line; everywhere else the value names the type.
        $W.WriteStartElement('command', 'parameterValue', $ns.command)
        $W.WriteAttributeString('required', (-not $isSwitch).ToString().ToLowerInvariant())
        $W.WriteAttributeString('variableLength', 'false')
        $W.WriteString($Metadata.Type); $W.WriteEndElement()
    }
    $W.WriteStartElement('dev', 'type', $ns.dev)
    $W.WriteElementString('maml', 'name', $ns.maml, $Metadata.Type)
    $W.WriteElementString('maml', 'uri', $ns.maml, '')
    $W.WriteEndElement()
    $W.WriteElementString('dev', 'defaultValue', $ns.dev, $Metadata.Default)
    $W.WriteEndElement()
}

function Get-SetMetadata($Parameter, [string] $Set) {
    $Parameter.Metadata | Where-Object { $_.Sets -contains $Set -or $_.Sets -contains '(All)' } | Select-Object -First 1
}

function Write-Command([Xml.XmlWriter] $W, $Help) {
    $verb, $noun = $Help.Name -split '-', 2
    $W.WriteStartElement('command', 'command', $ns.command)
    foreach ($prefix in 'maml', 'dev', 'MSHelp') { $W.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }

    $W.WriteStartElement('command', 'details', $ns.command)
    $W.WriteElementString('command', 'name', $ns.command, $Help.Name)
    $W.WriteElementString('command', 'verb', $ns.command, $verb)
    $W.WriteElementString('command', 'noun', $ns.command, $noun)
    Write-Paragraphs $W $Help.Synopsis
    $W.WriteEndElement()
    Write-Paragraphs $W $Help.Description

    $W.WriteStartElement('command', 'syntax', $ns.command)
    foreach ($set in $Help.Sets) {
        # Syntax order: positional parameters by position, then mandatory, then the rest as documented.
        $inSet = @(foreach ($p in $Help.Parameters) { $m = Get-SetMetadata $p $set; if ($m) { [pscustomobject]@{ P = $p; M = $m } } })
        $ordered = $inSet | Sort-Object -Stable { if ($_.M.Position -eq 'Named') { [int]::MaxValue } else { [int]$_.M.Position } }, { -not $_.M.Required }
        $W.WriteStartElement('command', 'syntaxItem', $ns.command)
        $W.WriteElementString('maml', 'name', $ns.maml, $Help.Name)
        foreach ($item in $ordered) { Write-Parameter $W $item.P $item.M $true }
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'parameters', $ns.command)
    foreach ($p in $Help.Parameters) { Write-Parameter $W $p $p.Metadata[0] $false }
    $W.WriteEndElement()

    foreach ($kind in @(@('inputTypes', 'inputType', $Help.Inputs), @('returnValues', 'returnValue', $Help.Outputs))) {
        $W.WriteStartElement('command', $kind[0], $ns.command)
        foreach ($t in $kind[2]) {
            $W.WriteStartElement('command', $kind[1], $ns.command)
            $W.WriteStartElement('dev', 'type', $ns.dev); $W.WriteElementString('maml', 'name', $ns.maml, $t.Type); $W.WriteEndElement()
            Write-Paragraphs $W $t.Description
            $W.WriteEndElement()
        }
        $W.WriteEndElement()
    }

    $W.WriteStartElement('maml', 'alertSet', $ns.maml)
    $W.WriteStartElement('maml', 'alert', $ns.maml)
    foreach ($p in $Help.Notes) { $W.WriteElementString('maml', 'para', $ns.maml, $p) }
    $W.WriteEndElement(); $W.WriteEndElement()

    $W.WriteStartElement('command', 'examples', $ns.command)
    foreach ($e in $Help.Examples) {
        $W.WriteStartElement('command', 'example', $ns.command)
        $W.WriteElementString('maml', 'title', $ns.maml, "--------- $($e.Title) ---------")
        if ($e.Introduction) { Write-Paragraphs $W $e.Introduction 'introduction' }
        $W.WriteElementString('dev', 'code', $ns.dev, $e.Code)
        $W.WriteStartElement('dev', 'remarks', $ns.dev)
        foreach ($p in @($e.Remarks) + '') { $W.WriteElementString('maml', 'para', $ns.maml, $p) }   # '' spaces the examples apart
        $W.WriteEndElement()
        $W.WriteEndElement()
    }
    $W.WriteEndElement()

    $W.WriteStartElement('command', 'relatedLinks', $ns.command)
    $links = @(if ($Help.Online) { [pscustomobject]@{ Text = 'Online Version:'; Uri = $Help.Online } }) + $Help.Links
    foreach ($link in $links) {
        # Links to sibling .md pages are for readers of the markdown; Get-Help only shows their name.
        $W.WriteStartElement('maml', 'navigationLink', $ns.maml)
        $W.WriteElementString('maml', 'linkText', $ns.maml, $link.Text)
        $W.WriteElementString('maml', 'uri', $ns.maml, $(if ($link.Uri -match '^https?://') { $link.Uri } else { '' }))
        $W.WriteEndElement()
    }
    $W.WriteEndElement()
    $W.WriteEndElement()
}

function Write-MamlFile([string] $Path, $Commands) {
    $settings = [Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [Text.UTF8Encoding]::new($false) }
    $w = [Xml.XmlWriter]::Create($Path, $settings)
    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $ns.msh)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($c in $Commands) { Write-Command $w $c }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally { $w.Dispose() }
}

#endregion

#region About topics

function ConvertTo-AboutText([string] $Path) {
    # The text Get-Help shows for about_ topics: headings as capitals, code fences indented.
    $page = Read-MarkdownPage $Path
    $topic = [IO.Path]::GetFileNameWithoutExtension($Path)
    if ($page.Title -ne $topic) { throw "${Path}: title '$($page.Title)' does not match the file name" }
    foreach ($s in 'SHORT DESCRIPTION', 'LONG DESCRIPTION') { if (-not $page.Sections.Contains($s)) { throw "${Path}: missing section '# $s'" } }
    $out = [Text.StringBuilder]::new()
    [void]$out.AppendLine('TOPIC').AppendLine("    $topic").AppendLine()
    $inFence = $false
    foreach ($line in ([IO.File]::ReadAllLines($Path) | Select-Object -Skip 1)) {
        if ($line -match '^```') { $inFence = -not $inFence; continue }
        if ($inFence) { [void]$out.AppendLine("    $line"); continue }
        if ($line -match "^## $topic\s*$") { continue }   # the lookup-name heading of platyPS's about schema
        if ($line -match '^#{1,3} +(.+)$') { [void]$out.AppendLine($Matches[1].ToUpperInvariant()); continue }
        if ($line -match '^    ') { [void]$out.AppendLine($line) }   # indented code: backticks are PowerShell's
        else { [void]$out.AppendLine(($line -replace '`([^`]*)`', '$1')) }
    }
    $out.ToString()
}

#endregion

$helpDir = Join-Path $Root 'docs/help'
$outDir = Join-Path $ModuleDir 'en-US'
New-Item -ItemType Directory -Force $outDir | Out-Null

# Plain loops, not pipelines, so that a malformed page stops the build with its own message.
$commands = [Collections.Generic.List[object]]::new()
$aboutTexts = @{}
foreach ($page in Get-ChildItem $helpDir -Filter '*.md' | Sort-Object Name) {
    if ($page.Name -like 'about_*') { $aboutTexts[$page.BaseName] = ConvertTo-AboutText $page.FullName }
    else { $commands.Add((Read-CommandHelp $page.FullName)) }
}

if (Get-Command New-ExternalHelp -ErrorAction SilentlyContinue) {
    New-ExternalHelp -Path $helpDir -OutputPath $outDir -Force | Out-Null
    Write-Host "Help compiled with platyPS into $outDir"
    return
}
foreach ($group in $commands | Group-Object HelpFile) {
    Write-MamlFile (Join-Path $outDir $group.Name) $group.Group
}
foreach ($topic in $aboutTexts.Keys) {
    [IO.File]::WriteAllText((Join-Path $outDir "$topic.help.txt"), $aboutTexts[$topic], [Text.UTF8Encoding]::new($false))
}
Write-Host "Help compiled: $($commands.Count) commands, $($aboutTexts.Count) about topics into $outDir"
