using Microsoft.Extensions.Configuration;
using Bot.Commands.Routing;
using Bot.Commands.Slack.WebApi;
using Bot.Shell;
using Bot.Slack;
using Bot.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Bot.Tests.Slack;

/// <summary>deploy/slack-app-manifest.yml must describe the app the code implements.</summary>
public class SlackAppManifestTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, List<string>>> Manifest = new(() =>
        ReadYamlPaths(File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "deploy", "slack-app-manifest.yml"))));

    private static List<string> Values(string path) =>
        Manifest.Value.TryGetValue(path, out var values) ? values : [];

    [Fact]
    public void The_slash_command_is_the_one_the_router_answers()
    {
        Assert.Equal([CommandRouter.SlashCommand], Values("features.slash_commands.command"));
    }

    [Fact]
    public void Request_urls_point_at_the_slack_endpoints_over_https_on_one_host()
    {
        var urls = new[]
        {
            (Url: new Uri(Assert.Single(Values("features.slash_commands.url"))), Path: SlackRoutes.Commands),
            (Url: new Uri(Assert.Single(Values("settings.interactivity.request_url"))), Path: SlackRoutes.Interactions),
            (Url: new Uri(Assert.Single(Values("settings.event_subscriptions.request_url"))), Path: SlackRoutes.Events),
        };
        foreach (var (url, path) in urls)
        {
            Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
            Assert.Equal(path, url.AbsolutePath);
        }
        Assert.Single(urls.Select(u => u.Url.Host).Distinct());
        Assert.Equal(["true"], Values("settings.interactivity.is_enabled"));
    }

    [Fact]
    public void The_bot_scopes_cover_every_web_api_method_the_client_calls_and_nothing_more()
    {
        var granted = Values("oauth_config.scopes.bot");
        var needed = SlackWebApiClient.RequiredScopes.Values.SelectMany(v => v.Split(' ')).Append("app_mentions:read").Distinct().Order().ToList();
        Assert.Equal(needed, granted.Order().ToList());
    }

    [Fact]
    public void The_subscribed_events_are_the_ones_the_event_handler_answers()
    {
        Assert.Equal(["app_mention"], Values("settings.event_subscriptions.bot_events"));
    }

    [Fact]
    public void Every_registered_interaction_id_is_routed_and_fits_slacks_limit()
    {
        using var host = ShellHost.Build([], TextWriter.Null, ansi: false,
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Shell:SqlitePath"] = Bot.Testing.TestStorage.NewSqlitePath() }));
        var router = host.Services.GetRequiredService<InteractionRouter>();
        var ids = host.Services.GetServices<IInteractionHandler>().SelectMany(h => h.Ids).ToList();

        Assert.All(ids, id =>
        {
            Assert.True(router.Handles(id), $"'{id}' is not routed");
            Assert.InRange(id.Length, 1, 255);
        });
        Assert.Equal(ids.Count, router.Ids.Count);
    }

    [Fact]
    public void Every_registered_command_documents_itself_under_the_slash_command()
    {
        using var host = ShellHost.Build([], TextWriter.Null, ansi: false,
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Shell:SqlitePath"] = Bot.Testing.TestStorage.NewSqlitePath() }));
        var specs = host.Services.GetRequiredService<CommandRouter>().Specs;

        Assert.Contains(specs, s => s.Verb == CommandRouter.HelpVerb);
        Assert.All(specs, s => Assert.StartsWith($"{CommandRouter.SlashCommand} {s.Verb}", s.Usage));
    }

    /// <summary>
    /// Reads the YAML subset the manifest uses (nested maps, lists of scalars or of maps) into
    /// dotted paths → scalar values, e.g. <c>features.slash_commands.command</c> → <c>/sb</c>.
    /// </summary>
    private static Dictionary<string, List<string>> ReadYamlPaths(IEnumerable<string> lines)
    {
        var result = new Dictionary<string, List<string>>();
        var stack = new List<(int Indent, string Key)>();
        foreach (var raw in lines)
        {
            if (string.IsNullOrWhiteSpace(raw) || raw.TrimStart().StartsWith('#')) continue;
            var indent = raw.Length - raw.TrimStart().Length;
            var line = raw.Trim();
            if (line.StartsWith("- ", StringComparison.Ordinal))
            {
                line = line[2..];
                indent += 2;
                if (!line.Contains(": ", StringComparison.Ordinal) && !line.EndsWith(':'))
                {
                    while (stack.Count > 0 && stack[^1].Indent >= indent) stack.RemoveAt(stack.Count - 1);
                    Add(string.Join('.', stack.Select(s => s.Key)), Unquote(line));
                    continue;
                }
            }
            while (stack.Count > 0 && stack[^1].Indent >= indent) stack.RemoveAt(stack.Count - 1);
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = line[..colon];
            var value = line[(colon + 1)..].Trim();
            if (value.Length == 0) stack.Add((indent, key));
            else Add(string.Join('.', stack.Select(s => s.Key).Append(key)), Unquote(value));
        }
        return result;

        void Add(string path, string value)
        {
            if (!result.TryGetValue(path, out var list)) result[path] = list = [];
            list.Add(value);
        }

        static string Unquote(string value) => value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
    }
}
