using System.Net.Http.Headers;
using Bot.Integrations.Http;
using Bot.Integrations.Slack.BlockKit;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Refit;

namespace Bot.Integrations.Slack;

public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// The Slack Web API client (Refit, bot token, <c>Slack:ApiBaseUrl</c>), the response_url client,
    /// the reply-channel factory and <see cref="SlackChat"/>. Does not validate the options: the
    /// server does that on start, the shell never needs them.
    /// </summary>
    public static IServiceCollection AddSlackWebApi(this IServiceCollection services)
    {
        services.AddOptions<SlackOptions>().BindConfiguration(SlackOptions.Section);
        services.TryAddSingleton(TimeProvider.System);

        var settings = new RefitSettings(new SystemTextJsonContentSerializer(BlockKitJson.Options));
        services.AddRefitGeneratedClient<ISlackApi>(settings)
            .ConfigureHttpClient((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = ApiBaseAddress(options.ApiBaseUrl);
                if (!string.IsNullOrWhiteSpace(options.BotToken))
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
            })
            .AddSlackResilience()
            .LogCallsQuietly("Slack", showPath: true);
        // response_url and upload URLs are capabilities: their paths are never logged.
        services.AddHttpClient<SlackResponseUrlClient>().AddSlackResilience().LogCallsQuietly("Slack response_url", showPath: false);
        services.AddHttpClient(SlackWebApiClient.UploadClientName).AddSlackResilience().LogCallsQuietly("Slack upload", showPath: false);

        services.TryAddTransient<SlackWebApiClient>();
        services.TryAddTransient<SlackChat>();
        return services;
    }

    /// <summary><c>Slack:ApiBaseUrl</c> as a base address that keeps its path (<c>…/api/</c>).</summary>
    public static Uri ApiBaseAddress(string? configured)
    {
        var text = string.IsNullOrWhiteSpace(configured) ? SlackOptions.DefaultApiBaseUrl : configured.Trim();
        if (!text.EndsWith('/')) text += "/";
        return new Uri(text, UriKind.Absolute);
    }
}
