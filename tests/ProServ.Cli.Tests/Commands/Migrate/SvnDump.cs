using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ProServ.Cli.Tests.Commands.Migrate;

/// <summary>Writes a small format-2 dump with correct lengths and checksums: a standard layout, then one file per revision.</summary>
internal sealed class SvnDump
{
    private readonly StringBuilder _text = new();
    private int _revision;

    public SvnDump()
    {
        _text.Append("SVN-fs-dump-format-version: 2\n\nUUID: 0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0\n\n");
        Revision(null, "");
        Revision("alice", "layout");
        foreach (var dir in new[] { "trunk", "branches", "tags" })
        {
            _text.Append(CultureInfo.InvariantCulture, $"Node-path: {dir}\nNode-kind: dir\nNode-action: add\nProp-content-length: 10\nContent-length: 10\n\nPROPS-END\n\n\n");
        }
    }

    public SvnDump Revision(string? author, string log)
    {
        var props = new StringBuilder();
        Prop(props, "svn:date", string.Create(CultureInfo.InvariantCulture, $"2020-01-01T10:00:{_revision:00}.000000Z"));
        if (_revision > 0)
        {
            Prop(props, "svn:log", log);
            if (author is not null)
            {
                Prop(props, "svn:author", author);
            }
        }
        props.Append("PROPS-END\n");
        var length = Encoding.UTF8.GetByteCount(props.ToString());
        _text.Append(CultureInfo.InvariantCulture, $"Revision-number: {_revision++}\nProp-content-length: {length}\nContent-length: {length}\n\n").Append(props).Append('\n');
        return this;
    }

    public SvnDump File(string path, string content, string action = "add")
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var md5 = Convert.ToHexStringLower(MD5.HashData(bytes));
        var props = action == "add" ? "PROPS-END\n" : "";
        var propHeader = action == "add" ? "Prop-content-length: 10\n" : "";
        _text.Append(CultureInfo.InvariantCulture,
            $"Node-path: {path}\nNode-kind: file\nNode-action: {action}\n{propHeader}Text-content-length: {bytes.Length}\nText-content-md5: {md5}\nContent-length: {props.Length + bytes.Length}\n\n{props}{content}\n\n");
        return this;
    }

    public void WriteTo(string file) => System.IO.File.WriteAllText(file, _text.ToString());

    private static void Prop(StringBuilder sb, string key, string value) =>
        sb.Append(CultureInfo.InvariantCulture, $"K {Encoding.UTF8.GetByteCount(key)}\n{key}\nV {Encoding.UTF8.GetByteCount(value)}\n{value}\n");
}
