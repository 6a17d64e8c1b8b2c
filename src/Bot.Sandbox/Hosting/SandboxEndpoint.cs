using Bot.Sandbox.Account;

namespace Bot.Sandbox.Hosting;

/// <summary>
/// Where the in-process sandbox listens, once it has started. Resolve it from DI and await
/// <see cref="Address"/> before pointing the AWS clients at the sandbox.
/// </summary>
public sealed class SandboxEndpoint
{
    private readonly TaskCompletionSource<Uri> _address = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SandboxEndpoint(SandboxAccount account) => Account = account;

    public SandboxAccount Account { get; }

    /// <summary>Completes with the base address (e.g. <c>http://127.0.0.1:41234/</c>) when the server is up.</summary>
    public Task<Uri> Address => _address.Task;

    /// <summary>The access key and secret the sandbox suggests (any key except the denied and expired ones works).</summary>
    public (string AccessKeyId, string SecretAccessKey) Credentials => (Account.Options.AccessKeyId, Account.Options.SecretAccessKey);

    internal void Started(Uri address) => _address.TrySetResult(address);

    internal void Failed(Exception error) => _address.TrySetException(error);
}
