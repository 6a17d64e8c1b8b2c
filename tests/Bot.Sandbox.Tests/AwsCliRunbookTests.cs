using System.Globalization;
using System.Text.RegularExpressions;
using Bot.Sandbox;

namespace Bot.Sandbox.Tests;

/// <summary>The standalone sandbox (as <c>dotnet run --project src/Bot.Sandbox</c> starts it) on a free loopback port, and Debian's CLI pointed at it.</summary>
public sealed class StandaloneSandboxWithCli : IAsyncLifetime, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _output = new();
    private Task<int> _sandbox = Task.FromResult(0);

    internal AwsCli Aws { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var cli = AwsCli.Locate();
        // Rotations step every half second, so following one to AWSCURRENT takes two seconds of the test's time.
        _sandbox = SandboxProgram.RunAsync(["--urls", "http://127.0.0.1:0", "--Sandbox:SecretRotationStepDuration=00:00:00.5",
            "--Sandbox:Recovery:ExportDuration=00:00:01"], TextWriter.Synchronized(_output), TextWriter.Null, _stop.Token);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        Match url;
        while (!(url = Regex.Match(_output.ToString(), @"listening on (http://127\.0\.0\.1:\d+)")).Success)
        {
            if (_sandbox.IsCompleted) throw new InvalidOperationException("The sandbox stopped: " + _output);
            await Task.Delay(20, timeout.Token);
        }
        var options = new SandboxOptions();
        Aws = new AwsCli(cli, new Uri(url.Groups[1].Value), options.AccessKeyId, options.SecretAccessKey, options.Region);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sandbox;
    }

    public void Dispose()
    {
        _stop.Dispose();
        _output.Dispose();
    }
}

/// <summary>
/// The ops guides' read-only AWS CLI commands, verbatim, with Debian's <c>aws</c> against the standalone sandbox on
/// a loopback port: the daily health check, alarms, metric statistics, log filtering and the cost review. (Debian's
/// CLI speaks CloudWatch's query protocol, so this is also the test of that protocol with a real client.)
/// </summary>
/// <summary>
/// The CLI is a Python program that takes a core to start: these tests run on their own, after the others, so
/// they neither starve nor are starved by tests that wait on time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AwsCliCollection
{
    public const string Name = "AWS CLI";
}

[Collection(AwsCliCollection.Name)]
public sealed class AwsCliRunbookTests(StandaloneSandboxWithCli sandbox) : IClassFixture<StandaloneSandboxWithCli>
{
    private readonly AwsCli _aws = sandbox.Aws;

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_guides_read_only_commands_answer_from_the_sandbox()
    {
        var now = DateTimeOffset.UtcNow;
        // The CLI starts slowly; the commands are independent, so they run side by side.
        var health = _aws.RunAsync("dynamodb", "describe-table", "--table-name", "securebase-prod-user-sessions");
        var function = _aws.RunAsync("lambda", "get-function", "--function-name", "securebase-prod-user-management");
        var alarms = _aws.RunAsync("cloudwatch", "describe-alarms", "--state-value", "ALARM");
        var errors = _aws.RunAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/Lambda", "--metric-name", "Errors",
            "--dimensions", "Name=FunctionName,Value=securebase-prod-user-management",
            "--start-time", Iso(now.AddHours(-1)), "--end-time", Iso(now), "--period", "300", "--statistics", "Sum");
        var logs = _aws.RunAsync("logs", "filter-log-events", "--log-group-name", "/aws/lambda/securebase-prod-user-management", "--filter-pattern", "ERROR");
        var cost = _aws.RunAsync("ce", "get-cost-and-usage",
            "--time-period", $"Start={now.AddDays(-7):yyyy-MM-dd},End={now:yyyy-MM-dd}",
            "--granularity", "DAILY", "--metrics", "UnblendedCost", "--group-by", "Type=DIMENSION,Key=SERVICE");
        await Task.WhenAll(health, function, alarms, errors, logs, cost);

        Assert.Equal("ACTIVE", (await health).Json.GetProperty("Table").GetProperty("TableStatus").GetString());
        Assert.Equal("securebase-prod-user-management", (await function).Json.GetProperty("Configuration").GetProperty("FunctionName").GetString());

        var firing = (await alarms).Json.GetProperty("MetricAlarms").EnumerateArray().ToList();
        var api = Assert.Single(firing);
        Assert.Equal("securebase-prod-api-5xx", api.GetProperty("AlarmName").GetString());
        Assert.Equal("ALARM", api.GetProperty("StateValue").GetString());
        Assert.Equal(0.05, api.GetProperty("Threshold").GetDouble());

        var datapoints = (await errors).Json.GetProperty("Datapoints").EnumerateArray().ToList();
        Assert.InRange(datapoints.Count, 12, 13);
        Assert.All(datapoints, d => Assert.True(d.GetProperty("Sum").GetDouble() >= 0));
        Assert.All(datapoints, d => Assert.Equal("Count", d.GetProperty("Unit").GetString()));

        var lines = (await logs).Json.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("message").GetString()!).ToList();
        Assert.NotEmpty(lines);
        Assert.All(lines, l => Assert.Contains("ERROR", l));

        var days = (await cost).Json.GetProperty("ResultsByTime").EnumerateArray().ToList();
        Assert.Equal(7, days.Count);
        Assert.Contains(days[0].GetProperty("Groups").EnumerateArray(), g => g.GetProperty("Keys")[0].GetString() == "AWS Lambda");
    }

    [Fact]
    public async Task A_CloudWatch_error_reaches_the_CLI_with_its_code_and_message()
    {
        var now = DateTimeOffset.UtcNow;

        var bad = await _aws.RunAsync("cloudwatch", "get-metric-statistics", "--namespace", "AWS/Lambda", "--metric-name", "Errors",
            "--start-time", Iso(now.AddHours(-1)), "--end-time", Iso(now), "--period", "7", "--statistics", "Sum");

        Assert.NotEqual(0, bad.ExitCode);
        Assert.Contains("An error occurred (InvalidParameterValue) when calling the GetMetricStatistics operation", bad.StandardError);
    }

    [Fact]
    public void Without_the_CLI_the_test_says_how_to_install_it()
    {
        var missing = Assert.Throws<FileNotFoundException>(() => AwsCli.Locate("/nonexistent/bin/aws"));

        Assert.Contains("apt-get install -y awscli", missing.Message);
    }
}
