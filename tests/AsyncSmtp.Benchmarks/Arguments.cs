namespace AsyncSmtp.Benchmarks;

/// <summary>"--name value" pairs after the mode word; every value has a default so a bare run works.</summary>
internal sealed class Arguments
{
    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public Arguments(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (pending is null)
            {
                if (!arg.StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Expected --name, got '{arg}'.");
                pending = arg.Substring(2);
            }
            else
            {
                _values[pending] = arg;
                pending = null;
            }
        }
        if (pending is not null) throw new ArgumentException($"--{pending} needs a value.");
    }

    public string Text(string name, string fallback) => _values.TryGetValue(name, out var v) ? v : fallback;

    public int Number(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v) : fallback;
}
