namespace Bot.Sandbox.PagerDuty;

/// <summary>An error answer of the simulated REST API: HTTP status plus PagerDuty's <c>{"error":{"code","message","errors"}}</c>.</summary>
public sealed class PagerDutyException(int status, int code, string message, params string[] errors) : Exception(message)
{
    public int Status { get; } = status;
    public int Code { get; } = code;
    public IReadOnlyList<string> Errors { get; } = errors;

    public static PagerDutyException NotFound(string what) => new(404, 2100, "Not Found", $"{what} was not found.");
    public static PagerDutyException InvalidInput(params string[] errors) => new(400, 2001, "Invalid Input Provided", errors);
}
