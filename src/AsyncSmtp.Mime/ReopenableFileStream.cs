#if NET8_0_OR_GREATER
using System.Runtime.CompilerServices;

#endif
namespace AsyncSmtp.Mime;

/// <summary>
/// A read-only, seekable view of a file that holds an open handle only while a serialisation runs.
/// Why: MimeKit keeps attachment contents and persistently parsed .eml parts as streams for the message's whole
/// life, but a message object in a PowerShell pipeline is never disposed; holding the handle would leak it and, on
/// Windows, lock the file (a script could not move an .eml it has just sent). The owner calls <see cref="Release"/>
/// after each serialisation; the next read reopens the file at the remembered position.
/// </summary>
internal sealed class ReopenableFileStream : Stream
{
    private readonly string _path;
    private readonly long _length;
    private readonly DateTime _lastWriteTimeUtc;
    private FileStream? _file;
    private long _position;

    private ReopenableFileStream(FileInfo info, long length)
    {
        _path = info.FullName;
        _length = length;
        _lastWriteTimeUtc = info.LastWriteTimeUtc;
    }

    /// <summary>
    /// Records the file's size and time and checks that it can be opened, so that a missing or unreadable file
    /// fails when the message is built rather than in the middle of a send. FileNotFoundException names the path.
    /// </summary>
    public static ReopenableFileStream Create(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"File not found: '{info.FullName}'.", info.FullName);
        // The length of the open file, not FileInfo's: for a symbolic link FileInfo describes the link itself.
        using var file = Open(info.FullName);
        return new ReopenableFileStream(info, file.Length);
    }

    public string Path => _path;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <summary>Closes the handle; the stream stays usable and reopens on the next read.</summary>
    public void Release()
    {
        _file?.Dispose();
        _file = null;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var file = PositionedFile();
        var read = file.Read(buffer, offset, Clamp(count));
        _position += read;
        return read;
    }

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var file = PositionedFile();
        var read = await file.ReadAsync(buffer, offset, Clamp(count), cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

#if NET8_0_OR_GREATER
    // Pooled: a large attachment is read in thousands of blocks (Base64FileContent), and an awaited read that
    // waits would otherwise allocate its state machine every time.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var file = PositionedFile();
        var read = await file.ReadAsync(buffer.Slice(0, Clamp(buffer.Length)), cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

#endif
    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        if (target < 0) throw new IOException("Cannot seek before the beginning of the file.");
        _position = target;
        return target;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) Release();
        base.Dispose(disposing);
    }

    // Reads stop at the recorded length so that the measured size and the bytes sent always agree.
    private int Clamp(int count) => (int)Math.Max(0, Math.Min(count, _length - _position));

    private FileStream PositionedFile()
    {
        _file ??= OpenUnchanged();
        if (_file.Position != _position) _file.Position = _position;
        return _file;
    }

    // A file that changed since the message was built would no longer match the size already announced (SIZE=,
    // BDAT chunk lengths) nor the offsets of a parsed message: refuse it rather than send something else.
    private FileStream OpenUnchanged()
    {
        var file = Open(_path);
        var info = new FileInfo(_path);
        if (file.Length != _length || info.LastWriteTimeUtc != _lastWriteTimeUtc)
        {
            file.Dispose();
            throw new IOException($"The file '{_path}' changed after the message was created.");
        }

        return file;
    }

    private static FileStream Open(string path) =>
        new(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 16384, FileOptions.SequentialScan);
}
