using System.Diagnostics;
using System.Text.Json;

namespace Bot.Sandbox.Tests;

/// <summary>What one <c>aws</c> command printed and how it ended.</summary>
internal sealed record AwsCliResult(string Command, int ExitCode, string StandardOutput, string StandardError)
{
    public JsonElement Json
    {
        get
        {
            Assert.True(ExitCode == 0, $"`aws {Command}` exited {ExitCode}: {StandardError}");
            return JsonDocument.Parse(StandardOutput).RootElement;
        }
    }
}

/// <summary>
/// Debian's AWS CLI (the <c>awscli</c> package, <c>/usr/bin/aws</c>; <c>SANDBOX_AWS_CLI</c> names another), run
/// against an endpoint on loopback with the sandbox's credentials and nothing from the user's AWS set-up.
/// </summary>
internal sealed class AwsCli(string executable, Uri endpoint, string accessKeyId, string secretAccessKey, string region)
{
    public const string DebianPath = "/usr/bin/aws";
    public const string InstallHint = "Debian's AWS CLI is needed to rehearse the ops guides' commands against the sandbox: " +
                                      "install it with `apt-get install -y awscli` (.ci/run does), or set SANDBOX_AWS_CLI to an aws executable.";

    /// <summary>The CLI to use; throws with the install instructions when it is not there.</summary>
    public static string Locate(string? configured = null)
    {
        var path = configured ?? Environment.GetEnvironmentVariable("SANDBOX_AWS_CLI") ?? DebianPath;
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no AWS CLI at {path}. {InstallHint}", path);
        return path;
    }

    public async Task<AwsCliResult> RunAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        foreach (var a in new[] { "--endpoint-url", endpoint.ToString().TrimEnd('/'), "--region", region, "--output", "json", "--no-cli-pager" })
            start.ArgumentList.Add(a);
        // Nothing of the user's own AWS set-up may leak in: no profile, no config, no other endpoint.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
            start.Environment.Remove(name);
        start.Environment["AWS_ACCESS_KEY_ID"] = accessKeyId;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = secretAccessKey;
        start.Environment["AWS_CONFIG_FILE"] = "/dev/null";
        start.Environment["AWS_SHARED_CREDENTIALS_FILE"] = "/dev/null";
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        start.Environment["AWS_MAX_ATTEMPTS"] = "1";

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"`aws {string.Join(' ', arguments)}` did not finish.");
        }
        return new AwsCliResult(string.Join(' ', arguments), process.ExitCode, await output, await errors);
    }
}
