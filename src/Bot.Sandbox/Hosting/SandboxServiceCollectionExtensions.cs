using Bot.Sandbox.Account;
using Bot.Sandbox.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Bot.Sandbox;

/// <summary>DI registration of the in-process sandbox account.</summary>
public static class SandboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers the sandbox account (<see cref="SandboxAccount"/>), its server as a hosted service, and
    /// <see cref="SandboxEndpoint"/> whose <c>Address</c> completes with the bound URL. Options come from the
    /// <c>Sandbox</c> configuration section when present, then <paramref name="configure"/>. Uses the
    /// registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    public static IServiceCollection AddSandboxAccount(this IServiceCollection services, Action<SandboxOptions>? configure = null)
    {
        services.AddOptions<SandboxOptions>()
            .BindConfiguration(SandboxOptions.SectionName)
            .Configure(o => configure?.Invoke(o))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new SandboxAccount(sp.GetRequiredService<IOptions<SandboxOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<SandboxEndpoint>();
        services.AddHostedService<SandboxHostedService>();
        return services;
    }

    private sealed class SandboxOptionsValidator : IValidateOptions<SandboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, SandboxOptions options)
        {
            try
            {
                SandboxServer.LoopbackUrls(options.Urls);
            }
            catch (ArgumentException ex)
            {
                return ValidateOptionsResult.Fail(ex.Message);
            }
            return options.Environments.Count == 0 ? ValidateOptionsResult.Fail("Sandbox:Environments is empty.") : ValidateOptionsResult.Success;
        }
    }
}
