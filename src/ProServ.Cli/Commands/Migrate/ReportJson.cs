using System.Text.Json.Serialization;
using ProServ.Migration;

namespace ProServ.Cli.Commands.Migrate;

/// <summary>The --report JSON, generated at compile time (no reflection, so the command can also be published native).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ConversionReport))]
internal sealed partial class ReportJson : JsonSerializerContext;
