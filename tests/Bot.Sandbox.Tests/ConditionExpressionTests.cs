using Bot.Sandbox.Account.DynamoDb;
using Bot.Sandbox.Account.DynamoDb.Expressions;
using Bot.Sandbox.Protocols;

namespace Bot.Sandbox.Tests;

/// <summary>DynamoDB's condition and filter expressions as the sandbox evaluates them, on one session item.</summary>
public sealed class ConditionExpressionTests
{
    private static readonly StoredItem Session = new(new Dictionary<string, DynamoValue>
    {
        ["customer_id"] = DynamoValue.OfString("cust-0007"),
        ["session_id"] = DynamoValue.OfString("0a1b2c3d"),
        ["created_at"] = DynamoValue.OfNumber(1_700_000_000),
        ["expires_at"] = DynamoValue.OfNumber(1_700_043_200),
        ["mfa"] = DynamoValue.OfBool(true),
    });

    private static bool Evaluate(string expression, Dictionary<string, DynamoValue>? values = null, Dictionary<string, string>? names = null)
    {
        var attributes = new ExpressionAttributes(names ?? [], values ?? []);
        var condition = ExpressionParser.Parse(expression, "ConditionExpression", attributes);
        attributes.CheckAllUsed();
        return condition.Evaluate(Session);
    }

    private static Dictionary<string, DynamoValue> Values(params (string Name, long N)[] values) =>
        values.ToDictionary(v => v.Name, v => DynamoValue.OfNumber(v.N));

    [Theory]
    [InlineData("created_at < :a", 1_700_000_001, true)]
    [InlineData("created_at < :a", 1_700_000_000, false)]
    [InlineData("created_at <= :a", 1_700_000_000, true)]
    [InlineData("expires_at > :a", 1_700_000_000, true)]
    [InlineData("created_at = :a", 1_700_000_000, true)]
    [InlineData("created_at <> :a", 1_700_000_000, false)]
    [InlineData("NOT created_at = :a", 5, true)]
    [InlineData("revoked_at <> :a", 5, true)]
    [InlineData("revoked_at < :a", 5, false)]
    public void Comparisons_follow_DynamoDB(string expression, long value, bool expected) =>
        Assert.Equal(expected, Evaluate(expression, Values((":a", value))));

    [Fact]
    public void Functions_BETWEEN_IN_and_boolean_logic_work_with_names_and_values()
    {
        var values = new Dictionary<string, DynamoValue>
        {
            [":lo"] = DynamoValue.OfNumber(1), [":hi"] = DynamoValue.OfNumber(1_800_000_000),
            [":p"] = DynamoValue.OfString("cust-"), [":c"] = DynamoValue.OfString("cust-0007"), [":d"] = DynamoValue.OfString("cust-0001"),
        };

        Assert.True(Evaluate("#c BETWEEN :lo AND :hi AND begins_with(customer_id, :p) AND customer_id IN (:d, :c)", values, new() { ["#c"] = "created_at" }));
        Assert.True(Evaluate("attribute_exists(mfa) AND (attribute_not_exists(revoked) OR mfa = :t)", new() { [":t"] = DynamoValue.OfBool(false) }));
        Assert.False(Evaluate("attribute_not_exists(session_id)"));
        Assert.True(Evaluate("size(session_id) = :n", Values((":n", 8))));
    }

    [Theory]
    [InlineData("created_at < :missing", "An expression attribute value used in expression is not defined; attribute value: :missing")]
    [InlineData("#x < :a", "An expression attribute name used in the document path is not defined; attribute name: #x")]
    [InlineData("created_at << :a", "Syntax error; token: \"<\"")]
    [InlineData("name = :a", "Attribute name is a reserved keyword; reserved keyword: name")]
    [InlineData("created_at BETWEEN :hi AND :a", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound")]
    public void Bad_expressions_are_ValidationExceptions_with_DynamoDB_s_words(string expression, string message)
    {
        var error = Assert.Throws<AwsException>(() => Evaluate(expression, Values((":a", 1), (":hi", 2))));

        Assert.Equal("ValidationException", error.Code);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_key_condition_takes_the_partition_key_and_one_sort_key_condition()
    {
        var values = new Dictionary<string, DynamoValue> { [":c"] = DynamoValue.OfString("cust-0007"), [":s"] = DynamoValue.OfString("0a") };
        var key = KeyCondition.Parse("customer_id = :c AND begins_with(session_id, :s)", "customer_id", "session_id", new ExpressionAttributes(new Dictionary<string, string>(), values));
        var missing = Assert.Throws<AwsException>(() =>
            KeyCondition.Parse("session_id = :s", "customer_id", "session_id", new ExpressionAttributes(new Dictionary<string, string>(), values)));

        Assert.Equal("cust-0007", key.HashValue.Text);
        Assert.True(key.RangeCondition!.Evaluate(Session));
        Assert.Equal("Query condition missed key schema element: customer_id", missing.Message); // as AWS words it, without "Invalid KeyConditionExpression:"
    }
}
