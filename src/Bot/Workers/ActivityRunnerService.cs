using Bot.Workflows.Activities;

namespace Bot.Workers;

/// <summary>Runs the activity runner (side effects of saved transitions) for the life of the host.</summary>
internal sealed class ActivityRunnerService(ActivityRunner runner) : PumpService(runner.RunAsync);
