using System.Security.Cryptography;
using System.Text;

namespace ProServ.Core.Common;

/// Secrets handed out once (API tokens, setup links) are stored only as this hash, so a copy of the database cannot sign in.
public static class SecretHash
{
    public static string Of(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
