using System.Collections;
using System.Globalization;

namespace AsyncSmtp.Commands;

/// <summary>
/// Turns -Header's dictionary into the name/value pairs the message gets. A value that is a list gives one header per
/// element (Send-MailMessage users repeat headers that way); any other value is used in its text form, unless that
/// form is only the type's name ("System.Collections.Hashtable"), which would silently put nonsense in the message.
/// </summary>
internal static class HeaderValues
{
    /// <exception cref="SmtpArgumentException">A value is $null, an empty list or has no text form of its own.
    /// </exception>
    public static IReadOnlyList<KeyValuePair<string, string>>? ToPairs(IDictionary? header)
    {
        if (header is null) return null;
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (DictionaryEntry entry in header)
        {
            string name = PSObjectValue.Unwrap(entry.Key)?.ToString() ?? string.Empty;
            object? value = PSObjectValue.Unwrap(entry.Value);
            if (LanguagePrimitives.GetEnumerable(value) is { } elements)
            {
                int count = pairs.Count;
                foreach (object? element in elements)
                    pairs.Add(new(name, ToText(name, PSObjectValue.Unwrap(element), inList: true)));
                if (pairs.Count == count)
                    throw new SmtpArgumentException($"The {name} header has no value: the list is empty.", "Header");
            }
            else
            {
                pairs.Add(new(name, ToText(name, value, inList: false)));
            }
        }
        return pairs;
    }

    private static string ToText(string name, object? value, bool inList)
    {
        string where = inList ? $"A value of the {name} header" : $"The {name} header's value";
        if (value is null) throw new SmtpArgumentException($"{where} is $null: give text.", "Header");
        if (value is string text) return text;
        if (inList && LanguagePrimitives.GetEnumerable(value) is not null)
            throw new SmtpArgumentException($"{where} is itself a list: give one text per header.", "Header");
        // A property bag prints as "@{...}", PowerShell's rendering of its properties, never meant as a header value.
        var type = value.GetType();
        string converted = value is PSCustomObject
            ? type.FullName!
            : (string)LanguagePrimitives.ConvertTo(value, typeof(string), CultureInfo.InvariantCulture);
        if (converted == type.FullName || converted == type.ToString())
        {
            string message = $"{where} is a {type.Name} that has no text form of its own: give text.";
            throw new SmtpArgumentException(message, "Header");
        }
        return converted;
    }
}
