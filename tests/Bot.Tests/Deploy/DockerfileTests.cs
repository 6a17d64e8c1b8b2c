using Bot.Testing;
using Bot.Tests;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Bot.Tests.Deploy;

/// <summary>
/// deploy/Dockerfile, read as Docker reads it (images can't be pulled here, so it is right by construction and by
/// these checks): pinned base images that match the SDK and runtime the code is built for, a non-root user, no secret,
/// a health check on /healthz through the bot itself, and the bot as the entrypoint.
/// </summary>
public sealed partial class DockerfileTests
{
    private static readonly Lazy<List<(string Instruction, string Arguments)>> Instructions = new(() => Parse(File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, "deploy", "Dockerfile"))));

    /// <summary>Instructions with line continuations joined and comments dropped.</summary>
    private static List<(string, string)> Parse(IEnumerable<string> lines)
    {
        var joined = new List<string>();
        var current = "";
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.Length == 0) continue;
            current += (current.Length > 0 ? " " : "") + line.TrimEnd('\\').Trim();
            if (line.EndsWith('\\')) continue;
            joined.Add(current);
            current = "";
        }
        return joined.Select(l => (l.Split(' ', 2)[0].ToUpperInvariant(), l.Split(' ', 2).ElementAtOrDefault(1) ?? "")).ToList();
    }

    private static List<string> All(string instruction) => Instructions.Value.Where(i => i.Instruction == instruction).Select(i => i.Arguments).ToList();

    /// <summary>The instructions of the last stage (the image that runs).</summary>
    private static List<(string Instruction, string Arguments)> FinalStage() =>
        Instructions.Value.Skip(Instructions.Value.FindLastIndex(i => i.Instruction == "FROM")).ToList();

    [GeneratedRegex(@"^(--platform=\$BUILDPLATFORM\s+)?(?<image>[a-z0-9./-]+):(?<version>\d+\.\d+\.\d+)(-[a-z0-9]+)?(@sha256:[0-9a-f]{64})?(\s+AS\s+\w+)?$", RegexOptions.IgnoreCase)]
    private static partial Regex PinnedImage();

    [Fact]
    public void Every_base_image_is_pinned_to_an_exact_version()
    {
        Assert.Equal(2, All("FROM").Count);
        Assert.All(All("FROM"), from => Assert.Matches(PinnedImage(), from));
    }

    [Fact]
    public void The_build_image_can_build_the_sdk_global_json_asks_for_and_the_runtime_is_the_target_framework()
    {
        using var global = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "global.json")));
        var wanted = Version.Parse(global.RootElement.GetProperty("sdk").GetProperty("version").GetString()!);
        var sdk = Version.Parse(PinnedImage().Match(All("FROM")[0]).Groups["version"].Value);
        var runtime = Version.Parse(PinnedImage().Match(All("FROM")[1]).Groups["version"].Value);
        var framework = Version.Parse(Regex.Match(File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "Directory.Build.props")), @"<TargetFramework>net(\d+\.\d+)</TargetFramework>").Groups[1].Value);

        Assert.Contains("dotnet/sdk", All("FROM")[0]);
        Assert.Contains("dotnet/aspnet", All("FROM")[1]);
        Assert.True(sdk.Major == wanted.Major && sdk.Minor == wanted.Minor && sdk >= wanted, $"SDK image {sdk} does not satisfy global.json {wanted}");
        Assert.Equal((framework.Major, framework.Minor), (runtime.Major, runtime.Minor));
    }

    [Fact]
    public void The_bot_runs_as_an_unprivileged_user()
    {
        var user = Assert.Single(FinalStage(), i => i.Instruction == "USER").Arguments;

        Assert.DoesNotMatch(@"^(root|0)(:.*)?$", user);
    }

    [Fact]
    public void No_secret_is_baked_into_the_image()
    {
        var settings = All("ENV").Concat(All("ARG")).SelectMany(a => Regex.Matches(a, @"([A-Za-z_][A-Za-z0-9_]*)=").Select(m => m.Groups[1].Value)).ToList();
        var copied = All("COPY").Where(c => !c.StartsWith("--from", StringComparison.Ordinal)).SelectMany(c => c.Split(' ')[..^1]).ToList();
        var ignored = File.ReadAllLines(Path.Combine(Fixtures.RepositoryRoot, ".dockerignore"));

        Assert.Contains("Store__Provider", settings);
        Assert.DoesNotContain(settings, s => Regex.IsMatch(s, "secret|token|password|key", RegexOptions.IgnoreCase));
        Assert.Equal(["global.json", "Directory.Build.props", "Directory.Packages.props", "Bot.sln", "src/"], copied);
        Assert.Contains("**/.env", ignored);
        Assert.Contains("**/*.db", ignored);
    }

    [Fact]
    public void The_health_check_asks_healthz_through_the_bots_own_probe_and_the_entrypoint_is_the_bot()
    {
        var health = Assert.Single(FinalStage(), i => i.Instruction == "HEALTHCHECK").Arguments;
        var entrypoint = JsonSerializer.Deserialize<string[]>(Assert.Single(FinalStage(), i => i.Instruction == "ENTRYPOINT").Arguments)!;

        Assert.EndsWith("""CMD ["dotnet", "/app/Bot.dll", "probe", "http://127.0.0.1:8080/healthz"]""", health);
        Assert.Equal(["dotnet", typeof(Program).Assembly.GetName().Name + ".dll"], entrypoint);
        Assert.Contains(All("RUN"), r => r.Contains("dotnet publish src/Bot/Bot.csproj", StringComparison.Ordinal));
        Assert.Contains("8080", Assert.Single(FinalStage(), i => i.Instruction == "EXPOSE").Arguments);
    }

    [Fact]
    public void The_sdk_runs_on_the_machine_that_builds_and_only_the_runtime_stage_is_the_tasks_platform()
    {
        // An ARM laptop builds natively (no emulated SDK) and cross-compiles; the runtime stage follows --platform.
        Assert.StartsWith("--platform=$BUILDPLATFORM ", All("FROM")[0]);
        Assert.DoesNotContain("--platform", All("FROM")[1]);
    }

    [Fact]
    public void The_bot_is_published_ready_to_run_for_the_cpu_the_stack_runs_its_tasks_on()
    {
        var publish = Assert.Single(All("RUN"), r => r.Contains("dotnet publish", StringComparison.Ordinal));
        var template = File.ReadAllText(Path.Combine(Fixtures.RepositoryRoot, "deploy", "aws", "securebase-ops-bot.yml"));
        var architecture = Regex.Match(template, @"CpuArchitecture:\s*(\w+)").Groups[1].Value;

        Assert.Contains("-p:PublishReadyToRun=true", publish);
        Assert.Contains(architecture switch { "X86_64" => "-r linux-x64", "ARM64" => "-r linux-arm64", _ => $"(unknown architecture '{architecture}')" }, publish);
    }
}
