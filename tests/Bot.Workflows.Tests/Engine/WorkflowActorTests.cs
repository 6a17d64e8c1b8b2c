using Bot.Workflows.Engine;
using Bot.Workflows.Roles;

namespace Bot.Workflows.Tests.Engine;

public sealed class WorkflowActorTests
{
    /// <summary>Found by the data changes' two-person property: the bot's roles were null (initialised before the empty set), so a guard asking them threw.</summary>
    [Fact]
    public void The_bot_holds_no_role_and_asking_does_not_throw() =>
        Assert.False(WorkflowActor.Bot.Has(Role.Approver));
}
