using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace AsyncSmtp.TestServer;

/// <summary>
/// A loopback DNS responder over UDP for tests of MX lookups: MX (a null MX with exchange "."), A and
/// AAAA records as added; NXDOMAIN for a name that has none; an empty answer for a name that has
/// records of another type.
/// </summary>
public sealed class TestDnsServer : IDisposable
{
    private const ushort TypeA = 1;
    private const ushort TypeMx = 15;
    private const ushort TypeAaaa = 28;
    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentDictionary<string, List<(ushort Type, byte[] Data)>> _records =
        new(StringComparer.OrdinalIgnoreCase);
    private readonly CancellationTokenSource _stop = new();

    private TestDnsServer() => _ = Task.Run(ServeAsync);

    /// <summary>Starts a responder on a free loopback port.</summary>
    public static TestDnsServer Start() => new();

    /// <summary>"127.0.0.1:port": what -DnsServer takes.</summary>
    public string Address => $"127.0.0.1:{((IPEndPoint)_udp.Client.LocalEndPoint!).Port}";

    /// <summary>An MX record; <paramref name="exchange"/> "." is a null MX (RFC 7505).</summary>
    public void AddMx(string domain, int preference, string exchange)
    {
        var data = new List<byte> { (byte)(preference >> 8), (byte)preference };
        data.AddRange(EncodeName(exchange));
        Add(domain, TypeMx, data.ToArray());
    }

    /// <summary>An A record (IPv4) or an AAAA record (IPv6).</summary>
    public void AddAddress(string name, IPAddress address) =>
        Add(name, address.AddressFamily == AddressFamily.InterNetworkV6 ? TypeAaaa : TypeA, address.GetAddressBytes());

    private void Add(string name, ushort type, byte[] data) =>
        _records.GetOrAdd(name.TrimEnd('.'), _ => new List<(ushort, byte[])>()).Add((type, data));

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult query;
            try
            {
                query = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            byte[]? answer = Answer(query.Buffer);
            if (answer is not null) await _udp.SendAsync(answer, query.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12) return null;
        int offset = 12;
        var labels = new List<string>();
        while (offset < query.Length && query[offset] != 0)
        {
            int length = query[offset++];
            if (offset + length > query.Length) return null;
            labels.Add(Encoding.ASCII.GetString(query, offset, length));
            offset += length;
        }
        offset++;
        if (offset + 4 > query.Length) return null;
        ushort type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        int questionEnd = offset + 4;
        string name = string.Join(".", labels);

        bool exists = _records.TryGetValue(name, out var records);
        var answers = exists ? records!.Where(r => r.Type == type).ToList() : new List<(ushort Type, byte[] Data)>();
        var response = new List<byte>();
        response.AddRange(query.AsSpan(0, 2).ToArray());                  // the query's id
        response.Add(0x81);                                               // response, recursion desired
        response.Add((byte)(0x80 | (exists ? 0 : 3)));                    // recursion available; NOERROR or NXDOMAIN
        response.AddRange(new byte[] { 0, 1, (byte)(answers.Count >> 8), (byte)answers.Count, 0, 0, 0, 0 });
        response.AddRange(query.AsSpan(12, questionEnd - 12).ToArray()); // the question
        foreach (var (recordType, data) in answers)
        {
            response.AddRange(new byte[] { 0xC0, 12, (byte)(recordType >> 8), (byte)recordType, 0, 1, 0, 0, 0, 60 });
            response.Add((byte)(data.Length >> 8));
            response.Add((byte)data.Length);
            response.AddRange(data);
        }
        return response.ToArray();
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (string label in name.Trim('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return bytes.ToArray();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _udp.Dispose();
    }
}
