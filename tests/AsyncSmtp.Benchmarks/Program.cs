using System.Text.Json;
using AsyncSmtp.Benchmarks;

// Usage: AsyncSmtp.Benchmarks throughput|large|body --name value ...
// throughput and large print one JSON object for build/Bench.ps1; body writes the sample message body to
// --out, so the PowerShell and Python clients send exactly the text the .NET clients send.
if (args.Length == 0 || args[0] is not ("throughput" or "large" or "body"))
{
    Console.Error.WriteLine("usage: AsyncSmtp.Benchmarks throughput|large|body [--client engine|engine-submit|engine-unpipelined|engine-smtpmessage|engine-bytes|serialise-only|mailkit|sysnetmail-oneshot|sysnetmail-reused] [--port N] ...");
    return 2;
}

try
{
    var options = new Arguments(args.Skip(1));
    if (args[0] == "body")
    {
        File.WriteAllText(options.Text("out", "body.txt"), SampleMessages.Body(options.Number("body-bytes", SampleMessages.DefaultBodyBytes)));
        return 0;
    }
    object result = args[0] == "throughput"
        ? await ThroughputRun.RunAsync(options).ConfigureAwait(false)
        : await LargeMessageRun.RunAsync(options).ConfigureAwait(false);
    Console.WriteLine(JsonSerializer.Serialize(result));
    return 0;
}
catch (Exception e)
{
    // One line the caller can show in its table, whatever failed.
    Console.WriteLine(JsonSerializer.Serialize(new { error = $"{e.GetType().Name}: {e.Message}" }));
    return 1;
}
