using Bot.Workflows.Timers;

namespace Bot.Workers;

/// <summary>Runs the durable timer pump for the life of the host.</summary>
internal sealed class TimerPumpService(TimerPump pump) : PumpService(pump.RunAsync);
