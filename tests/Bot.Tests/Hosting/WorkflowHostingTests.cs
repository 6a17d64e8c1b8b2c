using Bot.Workflows;
using Bot.Testing.Slack;
using Bot.Tests.Slack;
using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Workflows;
using Bot.Hosting;
using Bot.Integrations.Aws;
using Bot.Workflows.Audit;
using Bot.Workflows.Idempotency;
using Bot.Workflows.Storage;
using Bot.Workflows.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Bot.Tests.Hosting;

/// <summary><c>AddBotWorkflows()</c>: options bound from <c>Store</c>, validated on start, the durable store wired in.</summary>
public sealed class WorkflowHostingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sb-hosting-" + Guid.NewGuid().ToString("N"));

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddLogging();
        builder.Services.AddBotWorkflows();
        builder.Services.AddHostedService<Bot.Workers.WorkflowStoreInitializer>();
        return builder.Build();
    }

    [Fact]
    public async Task The_sqlite_store_is_the_idempotency_store_and_is_ready_after_start()
    {
        var path = Path.Combine(_dir, "bot.db");
        using var host = Build(new() { ["Store:Provider"] = "sqlite", ["Store:SqlitePath"] = path });
        await host.StartAsync();

        var store = host.Services.GetRequiredService<IWorkflowStore>();
        Assert.IsType<SqliteWorkflowStore>(store);
        Assert.Same(store, host.Services.GetRequiredService<IIdempotencyStore>());
        await host.Services.GetRequiredService<IAuditLog>().AppendAsync(new AuditDraft { At = DateTimeOffset.UtcNow, ActorId = "U1", ActorName = "ana", Action = "test" }, CancellationToken.None);
        Assert.True(File.Exists(path));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("postgres", null, "must be 'sqlite' or 'dynamodb'")]
    [InlineData("dynamodb", null, "Store__DynamoDbTable is required")]
    [InlineData("dynamodb", "bad table!", "is not a valid table name")]
    public async Task Bad_store_configuration_stops_the_start_with_a_clear_message(string provider, string? table, string expected)
    {
        using var host = Build(new() { ["Store:Provider"] = provider, ["Store:DynamoDbTable"] = table });
        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_stores_DynamoDB_client_gives_up_after_the_AWS_retries_and_attempt_timeout_not_the_SDKs_ten_retries()
    {
        var defaults = WorkflowsServiceCollectionExtensions.StoreClientConfig(new ConfigurationBuilder().Build());
        var configured = WorkflowsServiceCollectionExtensions.StoreClientConfig(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Aws:MaxRetries"] = "1", ["Aws:AttemptTimeout"] = "00:00:02" }).Build());

        Assert.Equal(3, defaults.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromSeconds(5), defaults.Timeout);
        Assert.Equal(1, configured.MaxErrorRetry);
        Assert.Equal(TimeSpan.FromSeconds(2), configured.Timeout);
    }

    [Fact]
    public void Default_sqlite_path_is_under_the_users_local_data_folder()
    {
        var options = new Bot.Workflows.StoreOptions();
        Assert.EndsWith(Path.Combine("securebase-bot", "bot.db"), options.ResolvedSqlitePath);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { }
    }
}
