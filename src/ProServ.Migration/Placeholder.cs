namespace ProServ.Migration;

/// <summary>Marker.</summary>
public static class EngineInfo
{
    /// <summary>Name.</summary>
    public const string Name = "ProServ.Migration";
}
