using Bot.Testing;
using Bot.Tests;
using static Bot.Tests.Deploy.Stack;

namespace Bot.Tests.Deploy;

/// <summary>
/// The state table outlives the stack (every workflow, approval and audit record is in it), but a first create that
/// rolls back leaves nothing behind that would make the retry fail.
/// </summary>
public sealed class StateTableTests
{
    [Fact]
    public void A_first_create_that_rolls_back_removes_the_table_and_a_later_delete_or_replacement_keeps_it()
    {
        var table = Deployed().Resources["StateTable"];

        Assert.Equal("RetainExceptOnCreate", table["DeletionPolicy"]);
        // UpdateReplacePolicy has no RetainExceptOnCreate (cfn-lint E3036): a replacement keeps the old table.
        Assert.Equal("Retain", table["UpdateReplacePolicy"]);
    }

    [Fact]
    public void The_table_is_protected_against_deletion_unless_the_first_deploy_turns_protection_off()
    {
        Assert.Equal("true", Deployed().Properties("StateTable")["DeletionProtectionEnabled"]);
        // deploy/README.md step 3: the first create runs unprotected, so its rollback can delete the table; step 4 turns it on.
        Assert.Equal("false", Deployed(more: new() { ["StateTableDeletionProtection"] = "false" }).Properties("StateTable")["DeletionProtectionEnabled"]);
    }
}
