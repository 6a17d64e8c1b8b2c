using Bot.Testing;
using Bot.Tests;
using Bot.Testing.Slack;
using Bot.Commands.Routing;
using Bot.Shell;
using Bot.Slack;
using System.Reflection;
using Bot.Integrations.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Refit;
using YamlDotNet.RepresentationModel;

namespace Bot.Tests.Slack;

/// <summary>deploy/slack-app-manifest.yml (HTTP) and deploy/slack-app-manifest.socket-mode.yml must describe the app the code implements.</summary>
public class SlackAppManifestTests
{
    public const string HttpManifest = "slack-app-manifest.yml";
    public const string SocketModeManifest = "slack-app-manifest.socket-mode.yml";

    public static TheoryData<string> Manifests() => [HttpManifest, SocketModeManifest];

    /// <summary>The bot scope each subscribed event needs (Slack's event reference); null: none.</summary>
    private static readonly Dictionary<string, string?> EventScopes = new()
    {
        ["app_mention"] = "app_mentions:read",
        ["app_home_opened"] = null,
    };

    private static YamlMappingNode Read(string file)
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(Path.Combine(Fixtures.RepositoryRoot, "deploy", file));
        yaml.Load(reader);
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>The scalar values at a dotted path; lists are walked (e.g. <c>features.slash_commands.command</c>).</summary>
    private static List<string> Values(string file, string path)
    {
        IEnumerable<YamlNode> nodes = [Read(file)];
        foreach (var key in path.Split('.'))
        {
            nodes = nodes.SelectMany(n => n is YamlSequenceNode seq ? seq.Children : [n])
                .OfType<YamlMappingNode>()
                .SelectMany(m => m.Children.Where(c => ((YamlScalarNode)c.Key).Value == key).Select(c => c.Value));
        }
        return nodes.SelectMany(n => n is YamlSequenceNode seq ? seq.Children : [n]).OfType<YamlScalarNode>().Select(s => s.Value!).ToList();
    }

    /// <summary>The Web API methods <see cref="ISlackApi"/> calls, from its Refit attributes.</summary>
    private static List<string> CalledMethods() => typeof(ISlackApi).GetMethods()
        .Select(m => m.GetCustomAttribute<HttpMethodAttribute>()?.Path.TrimStart('/'))
        .OfType<string>().ToList();

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_slash_command_is_the_one_the_router_answers(string manifest) =>
        Assert.Equal([CommandRouter.SlashCommand], Values(manifest, "features.slash_commands.command"));

    [Fact]
    public void Every_web_api_method_the_client_calls_is_accounted_for_with_its_scope_or_as_needing_none()
    {
        var accounted = SlackWebApiClient.RequiredScopes.Keys.Concat(SlackWebApiClient.MethodsWithoutScope).ToList();

        Assert.Equal(CalledMethods().Order(), accounted.Order());
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_bot_scopes_are_exactly_those_of_the_methods_called_and_the_events_subscribed(string manifest)
    {
        var needed = SlackWebApiClient.RequiredScopes.Values.SelectMany(scopes => scopes.Split(' '))
            .Concat(SlackWebApiClient.FieldScopes.Values)
            .Concat(SlackEventHandler.HandledEvents.Select(e => EventScopes[e]).OfType<string>())
            .Distinct().Order().ToList();

        Assert.Equal(needed, Values(manifest, "oauth_config.scopes.bot").Order().ToList());
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_message_shortcut_is_the_one_the_bot_answers(string manifest)
    {
        Assert.Equal([Bot.Commands.Incidents.AddToTimelineShortcut.CallbackId], Values(manifest, "features.shortcuts.callback_id"));
        Assert.Equal(["message"], Values(manifest, "features.shortcuts.type"));
        Assert.Equal(["Add to incident timeline"], Values(manifest, "features.shortcuts.name"));
    }

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_subscribed_events_are_the_ones_the_event_handler_acts_on(string manifest) =>
        Assert.Equal(SlackEventHandler.HandledEvents.Order(), Values(manifest, "settings.event_subscriptions.bot_events").Order());

    [Theory]
    [MemberData(nameof(Manifests))]
    public void The_home_tab_the_bot_publishes_and_the_interactivity_its_buttons_need_are_on(string manifest)
    {
        Assert.Contains("views.publish", CalledMethods());
        Assert.Equal(["true"], Values(manifest, "features.app_home.home_tab_enabled"));
        Assert.Equal(["true"], Values(manifest, "settings.interactivity.is_enabled"));
    }

    [Fact]
    public void Request_urls_point_at_the_slack_endpoints_over_https_on_one_host()
    {
        var urls = new[]
        {
            (Url: new Uri(Assert.Single(Values(HttpManifest, "features.slash_commands.url"))), Path: SlackRoutes.Commands),
            (Url: new Uri(Assert.Single(Values(HttpManifest, "settings.interactivity.request_url"))), Path: SlackRoutes.Interactions),
            (Url: new Uri(Assert.Single(Values(HttpManifest, "settings.event_subscriptions.request_url"))), Path: SlackRoutes.Events),
        };
        foreach (var (url, path) in urls)
        {
            Assert.Equal(Uri.UriSchemeHttps, url.Scheme);
            Assert.Equal(path, url.AbsolutePath);
        }
        Assert.Single(urls.Select(u => u.Url.Host).Distinct());
        Assert.Equal(["false"], Values(HttpManifest, "settings.socket_mode_enabled"));
    }

    [Fact]
    public void The_socket_mode_manifest_has_no_request_urls_and_otherwise_matches_the_http_one()
    {
        static IEnumerable<string> Without(YamlNode node, string prefix = "") => node switch
        {
            YamlMappingNode map => map.Children
                .Where(c => ((YamlScalarNode)c.Key).Value is not ("url" or "request_url" or "socket_mode_enabled"))
                .SelectMany(c => Without(c.Value, $"{prefix}.{((YamlScalarNode)c.Key).Value}")),
            YamlSequenceNode seq => seq.Children.SelectMany(c => Without(c, prefix + "[]")),
            YamlScalarNode scalar => [$"{prefix}={scalar.Value}"],
            _ => [],
        };

        Assert.Equal(["true"], Values(SocketModeManifest, "settings.socket_mode_enabled"));
        Assert.Empty(Values(SocketModeManifest, "features.slash_commands.url").Concat(Values(SocketModeManifest, "settings.interactivity.request_url"))
            .Concat(Values(SocketModeManifest, "settings.event_subscriptions.request_url")));
        Assert.Equal(Without(Read(HttpManifest)), Without(Read(SocketModeManifest)));
    }

    [Fact]
    public void Every_registered_interaction_id_is_routed_and_fits_slacks_limit()
    {
        using var host = ShellHost.Build([], TextWriter.Null, ansi: false,
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Shell:SqlitePath"] = TestStorage.NewSqlitePath() }));
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
            configure: c => c.AddInMemoryCollection(new Dictionary<string, string?> { ["Shell:SqlitePath"] = TestStorage.NewSqlitePath() }));
        var specs = host.Services.GetRequiredService<CommandRouter>().Specs;

        Assert.Contains(specs, s => s.Verb == CommandRouter.HelpVerb);
        Assert.All(specs, s => Assert.StartsWith($"{CommandRouter.SlashCommand} {s.Verb}", s.Usage));
    }
}
