namespace AsyncSmtp.Commands;

internal static class PSObjectValue
{
    /// <summary>
    /// The object itself when PowerShell has wrapped it in a PSObject (pipeline input, hashtable values).
    /// </summary>
    public static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
