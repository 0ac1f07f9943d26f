using Microsoft.Playwright;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E;

public sealed class HealthTests(ProServAppFixture app)
{
    [Fact]
    public async Task Healthz_OpenedInBrowser_ShowsOk()
    {
        var page = await app.NewPageAsync();

        var response = await page.GotoAsync("healthz");

        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await Assertions.Expect(page.Locator("body")).ToHaveTextAsync("ok");
    }
}
