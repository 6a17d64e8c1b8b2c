using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bot.Integrations.Aws.Signing;
using Bot.Commands.Routing;
using Bot.Integrations.Slack;
using Bot.Slack;
using Bot.Integrations.Slack.BlockKit;
using Bot.Workflows.Messages;

namespace Bot.Bench.Micro;

/// <summary>
/// The pure functions every request runs through, with time and allocations per call: the Slack signature check of
/// a slash command, SigV4 signing of a CloudWatch call, a change card rendered to Block Kit and serialized, and the
/// <c>/sb</c> tokenizer. In process (no separate build), so it runs offline.
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private const string Secret = "8f742231b10e8888abcd99yyyzzz85a5";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_764_500_000);
    private readonly byte[] _body = Encoding.UTF8.GetBytes(
        "token=x&team_id=T0TEAM&team_domain=securebase&channel_id=C0OPS&channel_name=securebase-ops&user_id=U1ALICE&user_name=alice" +
        "&command=%2Fsb&text=logs+securebase-prod-user-management+--since+1h+--filter+ERROR&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2F1%2F2%2F3&trigger_id=1.2.3");
    private string _timestamp = "";
    private string _signature = "";
    private readonly SignableRequest _aws = new("POST", "/", "",
        [new("Host", "monitoring.us-east-1.amazonaws.com"), new("Content-Type", "application/x-amz-json-1.0"), new("X-Amz-Target", "GraniteServiceVersion20100801.GetMetricData")],
        Encoding.UTF8.GetBytes("""{"StartTime":1764496400,"EndTime":1764500000,"MetricDataQueries":[{"Id":"e","MetricStat":{"Metric":{"Namespace":"AWS/Lambda","MetricName":"Errors","Dimensions":[{"Name":"FunctionName","Value":"securebase-prod-user-management"}]},"Period":60,"Stat":"Sum"}}]}"""));
    private readonly AwsCredentialSet _credentials = new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    private readonly ChatContent _card = ChatContent.Of(new Card
    {
        Title = "Deploy securebase-prod-user-management 6 → 7",
        Tone = CardTone.Waiting,
        Status = Line.Of("Waiting for an approver (two-person rule)"),
        Fields = [new CardField("Requested by", Line.Of("@alice")), new CardField("Category", Line.Of("Standard")), new CardField("Reason", Line.Of("ship 1.8.0 <fix> & more"))],
        Details = [Line.Of("staging runs the same code (v7 of securebase-staging-user-management)"), Line.Of("digest 5c0f…")],
        Buttons = [new CardButton("Approve", "Approve", ButtonStyle.Primary), new CardButton("Reject", "Reject", ButtonStyle.Danger, AskFor: "a reason"), new CardButton("Cancel", "Cancel")],
        Ref = new CardRef("change", "CHG-261130-8E6N", 3),
    });

    [GlobalSetup]
    public void Setup()
    {
        _timestamp = Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _signature = SlackSignatureVerifier.Sign(Secret, _timestamp, _body);
    }

    [Benchmark]
    public SignatureCheck SlackSignatureCheck() => SlackSignatureVerifier.Verify(Secret, _timestamp, _signature, _body, Now);

    [Benchmark]
    public SigningResult SigV4Sign() => SigV4Signer.Sign(_aws, _credentials, "us-east-1", "monitoring", Now);

    [Benchmark]
    public string BlockKitCard()
    {
        var (text, blocks) = CardRenderer.Render(_card);
        return text + BlockKitJson.Serialize(blocks);
    }

    [Benchmark]
    public IReadOnlyList<string> Tokenize() => CommandTokenizer.Tokenize("logs securebase-prod-user-management --since 1h --filter \"ERROR timeout\" --env prod");

    public static int Run(string[] args)
    {
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance)).WithOptions(ConfigOptions.DisableOptimizationsValidator);
        BenchmarkSwitcher.FromTypes([typeof(HotPathBenchmarks)]).Run(args, config);
        return 0;
    }
}
