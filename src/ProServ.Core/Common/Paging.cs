namespace ProServ.Core.Common;

public sealed record PageRequest(int Page = 1, int PerPage = 25)
{
    public const int MaxPerPage = 200;

    public PageRequest Normalised() => new(Math.Max(1, Page), Math.Clamp(PerPage, 1, MaxPerPage));

    public int Skip => (Math.Max(1, Page) - 1) * Math.Clamp(PerPage, 1, MaxPerPage);
}

public sealed record Paged<T>(IReadOnlyList<T> Items, int Total, int Page, int PerPage)
{
    public int TotalPages => PerPage == 0 ? 0 : (Total + PerPage - 1) / PerPage;
}

public static class PagingExtensions
{
    public static async Task<Paged<T>> ToPagedAsync<T>(this IQueryable<T> query, PageRequest request, CancellationToken ct)
    {
        var page = request.Normalised();
        var total = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(query, ct);
        var items = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            query.Skip(page.Skip).Take(page.PerPage), ct);
        return new Paged<T>(items, total, page.Page, page.PerPage);
    }
}
