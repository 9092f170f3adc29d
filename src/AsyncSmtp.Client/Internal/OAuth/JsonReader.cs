using System.Globalization;
using System.Text;

namespace AsyncSmtp.Client.Internal.OAuth;

/// <summary>
/// A small RFC 8259 reader for token claims (the engine has no JSON dependency). Objects become
/// dictionaries, arrays lists, numbers doubles. Malformed input gives null, never an exception.
/// </summary>
internal sealed class JsonReader
{
    private const int MaxDepth = 32;
    private readonly string _text;
    private int _position;

    private JsonReader(string text) => _text = text;

    /// <summary>The object <paramref name="text"/> holds, or null when it is not one JSON object.</summary>
    public static IReadOnlyDictionary<string, object?>? ReadObject(string text)
    {
        var reader = new JsonReader(text);
        try
        {
            var value = reader.Value(0);
            reader.SkipWhitespace();
            return reader._position == text.Length ? value as IReadOnlyDictionary<string, object?> : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private object? Value(int depth)
    {
        if (depth > MaxDepth) throw new FormatException();
        SkipWhitespace();
        char c = Peek();
        if (c == '{') return Object(depth);
        if (c == '[') return Array(depth);
        if (c == '"') return String();
        if (Literal("true")) return true;
        if (Literal("false")) return false;
        if (Literal("null")) return null;
        return Number();
    }

    private Dictionary<string, object?> Object(int depth)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        _position++;
        SkipWhitespace();
        if (TryTake('}')) return result;
        do
        {
            SkipWhitespace();
            string name = String();
            SkipWhitespace();
            Expect(':');
            result[name] = Value(depth + 1);
            SkipWhitespace();
        }
        while (TryTake(','));
        Expect('}');
        return result;
    }

    private List<object?> Array(int depth)
    {
        var result = new List<object?>();
        _position++;
        SkipWhitespace();
        if (TryTake(']')) return result;
        do
        {
            result.Add(Value(depth + 1));
            SkipWhitespace();
        }
        while (TryTake(','));
        Expect(']');
        return result;
    }

    private string String()
    {
        Expect('"');
        var result = new StringBuilder();
        while (true)
        {
            char c = Take();
            if (c == '"') return result.ToString();
            if (c < 0x20) throw new FormatException();
            if (c != '\\')
            {
                result.Append(c);
                continue;
            }
            char escape = Take();
            switch (escape)
            {
                case '"' or '\\' or '/': result.Append(escape); break;
                case 'b': result.Append('\b'); break;
                case 'f': result.Append('\f'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 't': result.Append('\t'); break;
                case 'u':
                    if (_position + 4 > _text.Length
                        || !int.TryParse(_text.Substring(_position, 4), NumberStyles.AllowHexSpecifier,
                            CultureInfo.InvariantCulture, out int code))
                        throw new FormatException();
                    result.Append((char)code);
                    _position += 4;
                    break;
                default: throw new FormatException();
            }
        }
    }

    private double Number()
    {
        int start = _position;
        while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0) _position++;
        string text = _text.Substring(start, _position - start);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
            throw new FormatException();
        return value;
    }

    private bool Literal(string word)
    {
        if (string.CompareOrdinal(_text, _position, word, 0, word.Length) != 0) return false;
        _position += word.Length;
        return true;
    }

    private void SkipWhitespace()
    {
        while (_position < _text.Length && _text[_position] is ' ' or '\t' or '\r' or '\n') _position++;
    }

    private char Peek() => _position < _text.Length ? _text[_position] : throw new FormatException();

    private char Take() => _position < _text.Length ? _text[_position++] : throw new FormatException();

    private bool TryTake(char c)
    {
        if (_position >= _text.Length || _text[_position] != c) return false;
        _position++;
        return true;
    }

    private void Expect(char c)
    {
        if (!TryTake(c)) throw new FormatException();
    }
}
