using System.Reflection;
using System.Text;

namespace AsyncSmtp.Mime.Tests;

/// <summary>
/// Every field of every object reachable from a root, in a fixed order: two snapshots of an unchanged graph are equal
/// slot for slot, and the first slot that differs says what was stored in it.
/// </summary>
internal static class ObjectGraph
{
    private const BindingFlags InstanceFields =
        BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;

    public static List<(string Slot, object? Value)> Snapshot(object root)
    {
        var slots = new List<(string, object?)>();
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            object current = pending.Pop();
            if (!seen.Add(current) || !IsOwned(current)) continue;
            foreach (var (slot, value) in Fields(current))
            {
                slots.Add(($"{current.GetType().Name}#{seen.Count}.{slot}", value));
                if (value is not null && !value.GetType().IsValueType) pending.Push(value);
            }
        }
        return slots;
    }

    /// <summary>The first slot whose value is not the same object (or an equal value) in both, else null.</summary>
    public static string? FirstDifference(List<(string Slot, object? Value)> before,
        List<(string Slot, object? Value)> after)
    {
        for (int i = 0; i < Math.Max(before.Count, after.Count); i++)
        {
            if (i >= before.Count) return $"{after[i].Slot} was added";
            if (i >= after.Count) return $"{before[i].Slot} was removed";
            var (slot, old) = before[i];
            object? now = after[i].Value;
            bool same = old is not null && old.GetType().IsValueType ? old.Equals(now) : ReferenceEquals(old, now);
            if (slot != after[i].Slot || !same)
                return $"{slot}: {old?.GetType().Name ?? "null"} became {now?.GetType().Name ?? "null"}";
        }
        return null;
    }

    // Shared objects (encodings, types, code) are not the message's: others may change them at any time.
    private static bool IsOwned(object value) =>
        value is not (string or Type or Delegate or Encoding or MemberInfo or Pointer) && !value.GetType().IsPrimitive;

    private static IEnumerable<(string, object?)> Fields(object value)
    {
        if (value is Array array)
        {
            if (array.GetType().GetElementType()!.IsPrimitive) yield break;
            for (int i = 0; i < array.Length; i++) yield return ($"[{i}]", array.GetValue(i));
            yield break;
        }
        for (var type = value.GetType(); type is not null; type = type.BaseType)
        {
            foreach (var field in type.GetFields(InstanceFields))
            {
                if (!field.FieldType.IsPointer) yield return (field.Name, field.GetValue(value));
            }
        }
    }
}
