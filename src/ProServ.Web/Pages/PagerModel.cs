using ProServ.Core.Common;

namespace ProServ.Web.Pages;

public sealed record PagerModel(int Total, int Page, int PerPage, int TotalPages)
{
    public static PagerModel From<T>(Paged<T> p) => new(p.Total, p.Page, p.PerPage, p.TotalPages);
}
