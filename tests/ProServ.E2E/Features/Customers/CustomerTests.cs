using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using ProServ.Core.Common;
using ProServ.Core.Features.Customers;
using ProServ.Core.Features.Users;
using ProServ.E2E.Infrastructure;

namespace ProServ.E2E.Features.Customers;

public sealed partial class CustomerTests(ProServAppFixture app)
{
    private async Task<IPage> SignInAsync(string email, string password)
    {
        var page = await app.NewPageAsync();
        await page.GotoAsync("customers");
        // Not signed in: the app sends us to the sign-in page and back afterwards.
        await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByLabel("E-mail address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).Not.ToHaveURLAsync(SignInUrl());
        return page;
    }

    [Fact]
    public async Task Administrator_SignsIn_CreatesACustomer_AndSeesItListed()
    {
        var page = await SignInAsync(ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        var name = "Umbrella " + Guid.NewGuid().ToString("n")[..6];

        await page.GotoAsync("customers/new");
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Subscription tier").SelectOptionAsync("premium");
        await page.GetByLabel("Licensed seats").FillAsync("200");
        await page.GetByLabel("Active users").FillAsync("50");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = CreateButton() }).ClickAsync();

        await page.GotoAsync("customers");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("50/200");
    }

    [Fact]
    public async Task Form_WithMissingFields_ShowsEveryErrorAndSavesNothing()
    {
        var page = await SignInAsync(ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        await page.GotoAsync("customers/new");
        await page.GetByLabel("Licensed seats").FillAsync("-3");
        await page.GetByRole(AriaRole.Button, new() { NameRegex = CreateButton() }).ClickAsync();
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Enter the customer's name.");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Choose a subscription tier.");
        await Assertions.Expect(page.Locator("body")).ToContainTextAsync("Licensed seats cannot be negative.");
    }

    [Fact]
    public async Task CustomerContact_SeesOnlyItsOwnCustomerInTheUi()
    {
        Guid mine, theirs;
        const string password = "contact passphrase 1";
        var email = $"contact-{Guid.NewGuid():n}@proserv.test";
        var mineName = "Mine " + Guid.NewGuid().ToString("n")[..6];
        var theirsName = "Theirs " + Guid.NewGuid().ToString("n")[..6];
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var customers = scope.ServiceProvider.GetRequiredService<CustomerService>();
            mine = (await customers.CreateAsync(Actor.System, new CustomerInput(mineName, "premium", 10, 5, false, null, null), TestContext.Current.CancellationToken)).Id;
            theirs = (await customers.CreateAsync(Actor.System, new CustomerInput(theirsName, "ultimate", 10, 5, false, null, null), TestContext.Current.CancellationToken)).Id;
            await scope.ServiceProvider.GetRequiredService<UserService>().CreateAsync(Actor.System,
                new UserInput(email, password, "Contact", [Role.CustomerContact], mine), TestContext.Current.CancellationToken);
        }

        var page = await SignInAsync(email, password);
        await page.GotoAsync("customers");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(mineName);
        await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync(theirsName);

        var other = await page.GotoAsync($"customers/{theirs}");
        Assert.Equal(404, other!.Status);
        await Assertions.Expect(page.Locator("body")).Not.ToContainTextAsync(theirsName);

        var own = await page.GotoAsync($"customers/{mine}");
        Assert.Equal(200, own!.Status);
    }

    [Fact]
    public async Task ApiReference_RendersTheOpenApiDocumentWithoutTheInternet()
    {
        var page = await SignInAsync(ProServAppFixture.AdminEmail, ProServAppFixture.AdminPassword);
        var failed = new List<string>();
        page.RequestFailed += (_, r) => failed.Add(r.Url);
        await page.GotoAsync("api/reference");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ProServ API" }).First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("ListCustomers").Or(page.GetByText("Customers")).First).ToBeVisibleAsync();
        Assert.Empty(failed);
    }

    [GeneratedRegex("sign-in")]
    private static partial Regex SignInUrl();

    [GeneratedRegex("^(Create|Add|Save)")]
    private static partial Regex CreateButton();
}
