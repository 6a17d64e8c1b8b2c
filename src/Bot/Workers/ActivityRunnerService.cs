using Bot.Workflows.Activities;
using Bot.Workflows.Storage;

namespace Bot.Workers;

/// <summary>Runs the activity runner of the changes' lane (side effects of saved transitions) for the life of the host.</summary>
internal sealed class ActivityRunnerService(ActivityRunner runner) : PumpService(runner.RunAsync);

/// <summary>Runs the activity runner of the incidents' lane for the life of the host.</summary>
internal sealed class IncidentActivityRunnerService([FromKeyedServices(WorkQueues.IncidentActivities)] ActivityRunner runner) : PumpService(runner.RunAsync);
