namespace Bot.Tests.Deploy;

/// <summary>
/// The container's health check, <c>dotnet Bot.dll probe http://127.0.0.1:8080/healthz</c> (deploy/Dockerfile and the
/// task definition), on the running bot in Socket Mode: it fails while Slack gives the instance no connection (past
/// <c>Slack__SocketMode__UnhealthyAfter</c>, 2 minutes in production), so ECS replaces the task; it passes once connected.
/// </summary>
[Collection(RunningBotCollection.Name)]
public sealed class ContainerHealthCheckTests(RunningBot bot)
{
    [Fact]
    public void A_socket_mode_instance_without_a_connection_fails_the_container_health_check_and_passes_once_connected()
    {
        Assert.Equal((1, "/healthz: 503"), (bot.Probe.ExitCode, bot.Probe.StandardOutput.Trim()));
        Assert.Equal((0, "/healthz: 200"), (bot.ProbeConnected.ExitCode, bot.ProbeConnected.StandardOutput.Trim()));
        Assert.Equal(0, bot.ExitCode);
    }
}
