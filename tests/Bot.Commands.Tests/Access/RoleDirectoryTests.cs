using Bot.Testing;
using Bot.Integrations.Slack;
using System.ComponentModel.DataAnnotations;
using Bot.Commands.Access;
using Bot.Commands.Tests.Slack;
using Bot.Testing.Slack;
using Bot.Workflows.Engine;
using Bot.Workflows.Ports;
using Bot.Workflows.Roles;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bot.Commands.Tests.Access;

/// <summary>Roles from configuration and Slack user groups, through the real Slack client against the Slack API fake.</summary>
public sealed class RoleDirectoryTests
{
    private static readonly WorkflowActor Bob = new("U0BOB", "bob");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 22, 14, 2, 0, TimeSpan.Zero));

    private static RbacOptions Rbac() => new()
    {
        Roles =
        {
            [Role.Approver] = new RoleMembers { Groups = ["S0SRE"] },
            [Role.Admin] = new RoleMembers { Users = ["U0ERIN"] },
            [Role.OpsManager] = new RoleMembers { Users = ["U0BOB"] },
        },
    };

    private RoleDirectory Directory(SlackApiHarness slack, RbacOptions? options = null) =>
        new(new FixedOptions<RbacOptions>(options ?? Rbac()), new SlackUserGroups(slack.Get<Bot.Integrations.Slack.WebApi.SlackWebApiClient>()), _time, NullLogger<RoleDirectory>.Instance,
            new SlackUserProfiles(slack.Get<Bot.Integrations.Slack.WebApi.SlackWebApiClient>()));

    [Fact]
    public async Task A_persons_email_comes_from_their_slack_profile_and_is_remembered()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("users.info", new ScriptedResponse(200, """{"ok":true,"user":{"id":"U0BOB","name":"bob","profile":{"email":"bob@securebase.example"}}}"""));
        var directory = Directory(slack);

        var first = await directory.EmailOfAsync(Bob, CancellationToken.None);
        var second = await directory.EmailOfAsync(Bob, CancellationToken.None);

        Assert.Equal(("bob@securebase.example", "bob@securebase.example"), (first, second));
        Assert.Single(slack.Fake.Calls("users.info"));
    }

    [Fact]
    public async Task Without_an_email_on_the_profile_there_is_none_and_when_slack_fails_the_directory_says_so()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("users.info", new ScriptedResponse(200, """{"ok":true,"user":{"id":"U0BOB","name":"bob","profile":{}}}"""), ScriptedResponse.ServerError(),
            ScriptedResponse.ServerError(), ScriptedResponse.ServerError(), ScriptedResponse.ServerError());

        Assert.Null(await Directory(slack).EmailOfAsync(Bob, CancellationToken.None));
        await Assert.ThrowsAsync<DirectoryUnavailableException>(() => Directory(slack).EmailOfAsync(Bob, CancellationToken.None));
    }

    [Fact]
    public async Task A_shell_identity_has_an_email_only_in_the_configured_rehearsal_domain()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        var alice = WorkflowActor.ShellUser("UALICE", "alice");

        var server = await Directory(slack).EmailOfAsync(alice, CancellationToken.None);
        var shell = await Directory(slack, new RbacOptions { ShellEmailDomain = "securebase.example" }).EmailOfAsync(alice, CancellationToken.None);

        Assert.Equal((null, "alice@securebase.example"), (server, shell));
        Assert.Empty(slack.Fake.Calls("users.info"));
    }

    [Fact]
    public async Task A_role_comes_from_a_listed_user_id_or_a_slack_user_group()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("usergroups.users.list", new ScriptedResponse(200, """{"ok":true,"users":["U0AMY","U0BOB"]}"""));

        var roles = await Directory(slack).RolesOfAsync(Bob, CancellationToken.None);

        Assert.Equal([Role.Approver, Role.OpsManager], roles.Order(StringComparer.Ordinal));
        Assert.Single(slack.Fake.Calls("usergroups.users.list"));
    }

    [Fact]
    public async Task Group_members_are_remembered_briefly_then_asked_again()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("usergroups.users.list",
            new ScriptedResponse(200, """{"ok":true,"users":["U0BOB"]}"""),
            new ScriptedResponse(200, """{"ok":true,"users":[]}"""));
        var directory = Directory(slack);

        Assert.Contains(Role.Approver, await directory.RolesOfAsync(Bob, CancellationToken.None));
        Assert.Contains(Role.Approver, await directory.RolesOfAsync(Bob, CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.DoesNotContain(Role.Approver, await directory.RolesOfAsync(Bob, CancellationToken.None));
        Assert.Equal(2, slack.Fake.Calls("usergroups.users.list").Count);
    }

    [Fact]
    public async Task When_slack_cannot_list_a_group_the_directory_fails_closed()
    {
        await using var slack = await SlackApiHarness.StartAsync();
        slack.Fake.Script("usergroups.users.list", ScriptedResponse.SlackError("missing_scope"));

        var error = await Assert.ThrowsAsync<DirectoryUnavailableException>(() => Directory(slack).RolesOfAsync(Bob, CancellationToken.None));

        Assert.Contains("user group S0SRE could not be read", error.Message);
    }

    [Theory]
    [InlineData("aprover", "U0BOB", null, "unknown role")]
    [InlineData("approver", "bob", null, "is not a Slack user id")]
    [InlineData("approver", null, "@sre", "is not a Slack user group id")]
    public void Misconfigured_roles_stop_the_start_with_the_reason(string role, string? user, string? group, string expected)
    {
        var options = new RbacOptions();
        options.Roles[role] = new RoleMembers { Users = user is null ? [] : [user], Groups = group is null ? [] : [group] };

        var errors = options.Validate(new ValidationContext(options)).Select(e => e.ErrorMessage).ToList();

        Assert.Contains(errors, e => e!.Contains(expected, StringComparison.Ordinal));
    }

}
