using System.Globalization;
using System.Text;

namespace AsyncSmtp.Client.Delivery;

/// <summary>
/// Just enough JSON for the delivery journal, so the engine needs no JSON library: writes one object per
/// line, and reads back the top-level string and array-of-string members of such a line. A line cut short
/// by a killed process does not parse, and the reader says so rather than guessing.
/// </summary>
internal static class JsonLine
{
    public static void AppendString(StringBuilder json, string? value)
    {
        if (value is null)
        {
            json.Append("null");
            return;
        }
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                default:
                    // Other control characters, and the line separators a log viewer would break on, escaped.
                    if (c < 0x20 || c == '\u2028' || c == '\u2029')
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else
                        json.Append(c);
                    break;
            }
        }
        json.Append('"');
    }

    /// <summary>
    /// The members of a one-line JSON object: strings as string, arrays as the list of their string items
    /// (other items skipped), numbers, booleans and nested objects as null. Null when the line is not a
    /// complete object.
    /// </summary>
    public static Dictionary<string, object?>? Parse(string line)
    {
        var reader = new Reader(line);
        try
        {
            var members = reader.ReadTopObject();
            return reader.AtEnd() ? members : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private sealed class Reader
    {
        private readonly string _text;
        private int _at;

        public Reader(string text) => _text = text;

        public bool AtEnd()
        {
            SkipSpace();
            return _at == _text.Length;
        }

        public Dictionary<string, object?> ReadTopObject()
        {
            var members = new Dictionary<string, object?>(StringComparer.Ordinal);
            Expect('{');
            if (TryTake('}')) return members;
            do
            {
                string name = ReadString();
                Expect(':');
                members[name] = ReadValue();
            }
            while (TryTake(','));
            Expect('}');
            return members;
        }

        private object? ReadValue()
        {
            SkipSpace();
            char c = Peek();
            if (c == '"') return ReadString();
            if (c == '[')
            {
                var items = new List<string>();
                _at++;
                if (TryTake(']')) return items;
                do
                {
                    if (ReadValue() is string item) items.Add(item);
                }
                while (TryTake(','));
                Expect(']');
                return items;
            }
            if (c == '{')
            {
                SkipNested();
                return null;
            }
            // A number, true, false or null: nothing the journal reads back.
            int start = _at;
            while (_at < _text.Length && "-+.eE0123456789truefalsn".IndexOf(_text[_at]) >= 0) _at++;
            if (_at == start) throw new FormatException();
            return null;
        }

        private void SkipNested()
        {
            Expect('{');
            if (TryTake('}')) return;
            do
            {
                ReadString();
                Expect(':');
                ReadValue();
            }
            while (TryTake(','));
            Expect('}');
        }

        private string ReadString()
        {
            Expect('"');
            var value = new StringBuilder();
            while (true)
            {
                char c = Next();
                if (c == '"') return value.ToString();
                if (c != '\\')
                {
                    value.Append(c);
                    continue;
                }
                char escaped = Next();
                switch (escaped)
                {
                    case 'n': value.Append('\n'); break;
                    case 'r': value.Append('\r'); break;
                    case 't': value.Append('\t'); break;
                    case 'b': value.Append('\b'); break;
                    case 'f': value.Append('\f'); break;
                    case 'u':
                        if (_at + 4 > _text.Length) throw new FormatException();
                        string hex = _text.Substring(_at, 4);
                        value.Append((char)int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        _at += 4;
                        break;
                    default: value.Append(escaped); break;
                }
            }
        }

        private void SkipSpace()
        {
            while (_at < _text.Length && char.IsWhiteSpace(_text[_at])) _at++;
        }

        private char Peek() => _at < _text.Length ? _text[_at] : throw new FormatException();

        private char Next() => _at < _text.Length ? _text[_at++] : throw new FormatException();

        private void Expect(char c)
        {
            SkipSpace();
            if (Next() != c) throw new FormatException();
        }

        private bool TryTake(char c)
        {
            SkipSpace();
            if (_at >= _text.Length || _text[_at] != c) return false;
            _at++;
            return true;
        }
    }
}
