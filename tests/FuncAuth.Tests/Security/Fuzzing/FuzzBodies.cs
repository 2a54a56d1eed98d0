using System.Buffers;
using System.Text;

namespace FuncAuth.Tests.Security.Fuzzing;

public enum StringForm
{
    /// <summary>Valid UTF-8 JSON; a lone surrogate as a <c>\uD800</c> escape.</summary>
    Utf8,

    /// <summary>Every non-ASCII UTF-16 code unit as a <c>\uXXXX</c> escape.</summary>
    Escaped,

    /// <summary>Bytes as they come: controls unescaped, a lone surrogate as raw WTF-8 bytes (invalid UTF-8).</summary>
    Raw,
}

public enum FormEncoding
{
    Percent,
    PercentWithPlus,
    Raw,
}

public enum JsonDamage
{
    None,
    Truncated,
    TrailingGarbage,
    ByteOrderMark,
    TrailingComma,
    Comment,
}

public abstract record JsonSpec
{
    public abstract void Write(ArrayBufferWriter<byte> into);

    public abstract IEnumerable<string> Strings();
}

public sealed record JText(string Value, StringForm Form) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into) => FuzzText.WriteJsonString(into, Value, Form);

    public override IEnumerable<string> Strings() => [Value];
}

public sealed record JLiteral(string Text) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into) => into.Write(Encoding.ASCII.GetBytes(Text));

    public override IEnumerable<string> Strings() => [];
}

public sealed record JArray(IReadOnlyList<JsonSpec> Items) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into)
    {
        FuzzText.Ascii(into, "[");
        for (var i = 0; i < Items.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : ",");
            Items[i].Write(into);
        }

        FuzzText.Ascii(into, "]");
    }

    public override IEnumerable<string> Strings() => Items.SelectMany(i => i.Strings());
}

public sealed record JObject(IReadOnlyList<KeyValuePair<JText, JsonSpec>> Members) : JsonSpec
{
    public override void Write(ArrayBufferWriter<byte> into)
    {
        FuzzText.Ascii(into, "{");
        for (var i = 0; i < Members.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : ",");
            Members[i].Key.Write(into);
            FuzzText.Ascii(into, ":");
            Members[i].Value.Write(into);
        }

        FuzzText.Ascii(into, "}");
    }

    public override IEnumerable<string> Strings() => Members.SelectMany(m => m.Key.Strings().Concat(m.Value.Strings()));
}

public abstract record FuzzBody
{
    public abstract void Write(ArrayBufferWriter<byte> into);

    public abstract IEnumerable<string> Strings();

    public sealed override string ToString() => Describe();

    protected abstract string Kind { get; }

    protected virtual string Describe()
    {
        var bytes = new ArrayBufferWriter<byte>();
        Write(bytes);
        return $"{Kind} ({bytes.WrittenCount} bytes): {FuzzText.Render(bytes.WrittenSpan, 1500)}";
    }
}

public sealed record JsonBody(JsonSpec Root, JsonDamage Damage) : FuzzBody
{
    protected override string Kind => Damage == JsonDamage.None ? "JSON" : $"JSON, {Damage}";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        var json = new ArrayBufferWriter<byte>();
        Root.Write(json);
        var bytes = json.WrittenSpan;
        switch (Damage)
        {
            case JsonDamage.Truncated:
                into.Write(bytes[..(bytes.Length * 2 / 3)]);
                break;
            case JsonDamage.TrailingGarbage:
                into.Write(bytes);
                into.Write("}x\0"u8);
                break;
            case JsonDamage.ByteOrderMark:
                into.Write("\uFEFF"u8);
                into.Write(bytes);
                break;
            case JsonDamage.TrailingComma when bytes.Length > 1 && bytes[^1] is (byte)'}' or (byte)']':
                into.Write(bytes[..^1]);
                into.Write(","u8);
                into.Write(bytes[^1..]);
                break;
            case JsonDamage.Comment:
                into.Write("/* fuzz */"u8);
                into.Write(bytes);
                break;
            default:
                into.Write(bytes);
                break;
        }
    }

    public override IEnumerable<string> Strings() => Root.Strings();
}

/// <summary>A form field; a null value is a name without <c>=</c>.</summary>
public sealed record FormField(string Name, string? Value, FormEncoding Encoding);

public sealed record FormBody(IReadOnlyList<FormField> Fields) : FuzzBody
{
    protected override string Kind => "form";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        for (var i = 0; i < Fields.Count; i++)
        {
            FuzzText.Ascii(into, i == 0 ? string.Empty : "&");
            FuzzText.WriteFormComponent(into, Fields[i].Name, Fields[i].Encoding);
            if (Fields[i].Value is { } value)
            {
                FuzzText.Ascii(into, "=");
                FuzzText.WriteFormComponent(into, value, Fields[i].Encoding);
            }
        }
    }

    public override IEnumerable<string> Strings() => Fields.SelectMany(f => f.Value is null ? new[] { f.Name } : new[] { f.Name, f.Value });
}

public sealed record RawBody(byte[] Bytes) : FuzzBody
{
    protected override string Kind => "raw bytes";

    public override void Write(ArrayBufferWriter<byte> into) => into.Write(Bytes);

    public override IEnumerable<string> Strings() => [];
}

public sealed record MultipartBody(string Boundary, IReadOnlyList<KeyValuePair<string, string>> Parts) : FuzzBody
{
    protected override string Kind => "multipart";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        foreach (var (name, value) in Parts)
        {
            FuzzText.Ascii(into, $"--{Boundary}\r\nContent-Disposition: form-data; name=\"");
            into.Write(FuzzText.Wtf8(name));
            FuzzText.Ascii(into, "\"\r\n\r\n");
            into.Write(FuzzText.Wtf8(value));
            FuzzText.Ascii(into, "\r\n");
        }

        FuzzText.Ascii(into, $"--{Boundary}--\r\n");
    }

    public override IEnumerable<string> Strings() => Parts.SelectMany(p => new[] { p.Key, p.Value });
}

/// <summary>A JSON object or form made exactly <see cref="Size"/> bytes long by a padding member (or longer, when it already was).</summary>
public sealed record PaddedBody(FuzzBody Inner, int Size) : FuzzBody
{
    protected override string Kind => $"padded to {Size}";

    public override void Write(ArrayBufferWriter<byte> into)
    {
        var unpadded = new ArrayBufferWriter<byte>();
        Padded(0).Write(unpadded);
        Padded(Math.Max(0, Size - unpadded.WrittenCount)).Write(into);
    }

    public override IEnumerable<string> Strings() => Inner.Strings();

    protected override string Describe()
    {
        var bytes = new ArrayBufferWriter<byte>();
        Write(bytes);
        return $"{Inner} {Kind}: {bytes.WrittenCount} bytes in all";
    }

    private FuzzBody Padded(int length) => Inner switch
    {
        JsonBody { Root: JObject root } json => json with
        {
            Root = new JObject([.. root.Members, new(new JText("pad", StringForm.Utf8), new JText(new string('x', length), StringForm.Utf8))]),
        },
        FormBody form => new FormBody([.. form.Fields, new FormField("pad", new string('x', length), FormEncoding.Percent)]),
        _ => new RawBody([.. WrittenBy(Inner), .. Enumerable.Repeat((byte)' ', length)]),
    };

    private static byte[] WrittenBy(FuzzBody body)
    {
        var bytes = new ArrayBufferWriter<byte>();
        body.Write(bytes);
        return bytes.WrittenSpan.ToArray();
    }
}
