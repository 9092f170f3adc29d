namespace AsyncSmtp.Commands;

/// <summary>
/// Checks a file given as -Attachments or -Path before anything opens it, so that the error says what is wrong
/// with the path: empty, missing, a directory, or not a regular file. The last matters most: open() on a named pipe
/// (FIFO) waits for a writer that may never come, and neither Ctrl+C nor the process's exit can interrupt it.
/// </summary>
internal static class FileArguments
{
    /// <summary>
    /// The provider path of a file-system path given by the user (relative to $PWD). An empty path is passed on as it
    /// is, for the Mime layer to refuse by name (resolved, it would be $PWD).
    /// </summary>
    /// <exception cref="RefusedException">The path names no regular file.</exception>
    public static string Resolve(PSCmdlet cmdlet, string path, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(path)) return path;
        string resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        if (Check(cmdlet, resolved, parameterName) is { } error) throw new RefusedException(error);
        return resolved;
    }

    /// <summary>Null when the resolved path names a regular file (or a link to one); else the error.</summary>
    public static ErrorRecord? Check(PSCmdlet cmdlet, string path, string parameterName)
    {
        if (Directory.Exists(path)) return Invalid($"'{path}' is a directory, not a file.", parameterName, path);
        if (!File.Exists(path))
        {
            var missing = new FileNotFoundException($"File not found: '{path}'.", path);
            return SmtpErrorMapper.ToErrorRecord(missing, path, SmtpErrorIds.PathNotFound);
        }
        string? type = UnixItemType(cmdlet, path);
        if (type is not null && type != "File")
        {
            return Invalid($"'{path}' is not a regular file but a {Describe(type)}: only regular files can be read, " +
                "reading a pipe or a device may never end.", parameterName, path);
        }
        return null;
    }

    /// <summary>
    /// The file type (File, NamedPipe, CharacterDevice, Socket, ...) of the final target of a path; null where
    /// PowerShell does not know it. PowerShell 7 on Unix puts lstat facts (UnixStat) on the items of its file system
    /// provider; Windows has no such files, and netstandard2.0 offers no stat() of its own.
    /// </summary>
    private static string? UnixItemType(PSCmdlet cmdlet, string path)
    {
        var item = GetItem(cmdlet, path);
        string? type = ItemTypeOf(item);
        if (type != "SymbolicLink") return type;
        // lstat describes the link itself: look at what it finally points to (.NET 6+ ResolveLinkTarget).
        var target = item!.Methods["ResolveLinkTarget"]?.Invoke(true) is FileSystemInfo final ? final.FullName : null;
        return target is null ? null : ItemTypeOf(GetItem(cmdlet, target));
    }

    private static PSObject? GetItem(PSCmdlet cmdlet, string path) =>
        cmdlet.InvokeProvider.Item.Get(new[] { path }, force: true, literalPath: true).FirstOrDefault();

    private static string? ItemTypeOf(PSObject? item)
    {
        object? stat = item?.Properties["UnixStat"]?.Value;
        return stat is null ? null : PSObject.AsPSObject(stat).Properties["ItemType"]?.Value?.ToString();
    }

    private static string Describe(string type) => type switch
    {
        "NamedPipe" => "named pipe (FIFO)",
        "CharacterDevice" => "character device",
        "BlockDevice" => "block device",
        "Socket" => "socket",
        _ => type,
    };

    private static ErrorRecord Invalid(string message, string parameterName, string path) =>
        SmtpErrorMapper.ToErrorRecord(new ArgumentException(message, parameterName), path,
            SmtpErrorIds.InvalidArgument);

    /// <summary>Carries the error of a refused path out of a conversion that cannot return it.</summary>
    public sealed class RefusedException : Exception
    {
        public RefusedException(ErrorRecord errorRecord) : base(errorRecord.Exception.Message, errorRecord.Exception)
        {
            ErrorRecord = errorRecord;
        }

        public ErrorRecord ErrorRecord { get; }
    }
}
