using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bot.Testing;

/// <summary>A quiet Kestrel app on a free 127.0.0.1 port: the base of the loopback fakes.</summary>
public static class LoopbackApp
{
    /// <summary>Starts <paramref name="handler"/> (after <paramref name="configure"/>, e.g. middleware) and returns the app and its base address, ending in <c>/</c>.</summary>
    public static async Task<(WebApplication App, Uri BaseAddress)> StartAsync(RequestDelegate handler, Action<WebApplication>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        configure?.Invoke(app);
        app.Run(handler);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.EndsWith('/') ? address : address + "/"));
    }
}

/// <summary>What a fake received, in order, with a way to wait for what has not arrived yet.</summary>
public sealed class ArrivalLog<T> : IDisposable
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<T> Items => _items.ToArray();

    public void Add(T item)
    {
        _items.Enqueue(item);
        _arrived.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> items match; the timeout message lists what did arrive.</summary>
    public async Task<IReadOnlyList<T>> WaitForAsync(Func<T, bool> predicate, int count, TimeSpan? timeout, Func<T, string> describe)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var matching = _items.Where(predicate).ToArray();
            if (matching.Length >= count) return matching;
            try
            {
                await _arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Expected {count} matching request(s), saw {matching.Length}. All: {string.Join(", ", _items.Select(describe))}");
            }
        }
    }

    public void Dispose() => _arrived.Dispose();
}
