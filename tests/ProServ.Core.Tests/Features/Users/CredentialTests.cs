using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using ProServ.Core.Common;
using ProServ.Core.Data;
using ProServ.Core.Features.ApiTokens;
using ProServ.Core.Features.Users;
using ProServ.Core.Tests.Infrastructure;

namespace ProServ.Core.Tests.Features.Users;

/// Sessions and the end of old credentials after a password change, on each database.
public abstract class CredentialTests(DatabaseProvider provider) : IAsyncLifetime
{
    private const string Password = "a long enough passphrase";
    private TestDatabase _db = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _db = await TestDatabase.CreateAsync(provider);

    public async ValueTask DisposeAsync() => await _db.DisposeAsync();

    private Task<T> Run<T>(Func<IServiceProvider, Task<T>> body) => _db.InScopeAsync(body);

    private async Task<Actor> NewUserAsync()
    {
        var user = await Run(sp => sp.GetRequiredService<UserService>().CreateAsync(Actor.System,
            new UserInput($"u-{Guid.NewGuid():n}@proserv.test", Password, "Person", [Role.PsEngineer], null), Ct));
        return new Actor(user.Id, user.Name, new HashSet<string>([Role.PsEngineer], StringComparer.Ordinal), null);
    }

    [Fact]
    public async Task Session_IsLiveUntilEnded_AndLastSeenMovesAtMinutePrecision()
    {
        var me = await NewUserAsync();
        var id = await Run(sp => sp.GetRequiredService<UserSessionService>().StartAsync(me.UserId!.Value, new string('x', 500), "127.0.0.1", Ct));
        _db.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await Run(sp => sp.GetRequiredService<UserSessionService>().TouchAsync(id, me.UserId!.Value, Ct)));
        Assert.False(await Run(sp => sp.GetRequiredService<UserSessionService>().TouchAsync(id, Guid.NewGuid(), Ct)), "another user's id does not match");
        var listed = Assert.Single(await Run(sp => sp.GetRequiredService<UserSessionService>().ListAsync(me, me.UserId!.Value, Ct)));
        Assert.Equal(_db.Clock.GetUtcNow(), listed.LastSeenAt);
        Assert.Equal(300, listed.UserAgent.Length);

        var stranger = await NewUserAsync();
        await Assert.ThrowsAsync<NotFoundException>(() => Run(async sp =>
        {
            await sp.GetRequiredService<UserSessionService>().EndAsync(stranger, id, Ct);
            return 0;
        }));
        await Run(async sp => { await sp.GetRequiredService<UserSessionService>().EndAsync(me, id, Ct); return 0; });
        Assert.False(await Run(sp => sp.GetRequiredService<UserSessionService>().TouchAsync(id, me.UserId!.Value, Ct)));
    }

    [Fact]
    public async Task ChangePassword_EndsOtherSessions_AndRevokesTokensNotKept_WithTheReason()
    {
        var me = await NewUserAsync();
        var userId = me.UserId!.Value;
        var current = await Run(sp => sp.GetRequiredService<UserSessionService>().StartAsync(userId, "a", "1", Ct));
        var other = await Run(sp => sp.GetRequiredService<UserSessionService>().StartAsync(userId, "b", "2", Ct));
        var keep = await Run(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(me, userId, "automation", 30, Ct));
        var drop = await Run(sp => sp.GetRequiredService<ApiTokenService>().CreateAsync(me, userId, "laptop", 30, Ct));

        var wrong = await Assert.ThrowsAsync<ValidationFailedException>(() => Run(async sp =>
        {
            await sp.GetRequiredService<AccountService>().ChangePasswordAsync(me, "not the password", "a new long passphrase", [], current, Ct);
            return 0;
        }));
        Assert.Contains("currentPassword", wrong.Errors.Keys);

        await Run(async sp =>
        {
            await sp.GetRequiredService<AccountService>().ChangePasswordAsync(me, Password, "a new long passphrase", [keep.Details.Id], current, Ct);
            return 0;
        });
        Assert.True(await Run(sp => sp.GetRequiredService<UserSessionService>().TouchAsync(current, userId, Ct)));
        Assert.False(await Run(sp => sp.GetRequiredService<UserSessionService>().TouchAsync(other, userId, Ct)));
        Assert.NotNull(await Run(sp => sp.GetRequiredService<ApiTokenService>().AuthenticateAsync(keep.Token, Ct)));
        Assert.Null(await Run(sp => sp.GetRequiredService<ApiTokenService>().AuthenticateAsync(drop.Token, Ct)));
        var tokens = await Run(sp => sp.GetRequiredService<ApiTokenService>().ListAsync(userId, Ct));
        Assert.Equal(UserSessionService.PasswordChanged, tokens.Single(t => t.Id == drop.Details.Id).RevokedReason);

        var audit = await Run(sp => sp.GetRequiredService<ProServDbContext>().AuditEvents.AsNoTracking()
            .Where(e => e.EntityId == userId.ToString()).ToListAsync(Ct));
        Assert.Contains(audit, e => e.Action == "user.credentials-ended");
        Assert.DoesNotContain(audit, e => (e.Data ?? "").Contains("passphrase", StringComparison.Ordinal));
    }
}

public sealed class SqliteCredentialTests() : CredentialTests(DatabaseProvider.Sqlite);

public sealed class PostgresCredentialTests() : CredentialTests(DatabaseProvider.Postgres);
