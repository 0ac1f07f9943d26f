using System.Net.Mail;

namespace ProServ.Core.Common;

public static class EmailAddress
{
    /// One address, written exactly as parsed: "Name <a@b>" and trailing text are refused.
    public static bool IsValid(string value) =>
        value.Length is > 2 and <= 320 && MailAddress.TryCreate(value, out var a) && string.Equals(a.Address, value, StringComparison.OrdinalIgnoreCase);
}
