using System.Text.Json;
using Bot.Sandbox.Account;
using Bot.Sandbox.Control;
using Bot.Sandbox.PagerDuty;
using Bot.Sandbox.Services;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Bot.Sandbox.Protocols;

/// <summary>
/// The single entry point on the sandbox's port: the control API under <c>/_sandbox/</c>, the AWS JSON
/// services by <c>X-Amz-Target</c>, CloudWatch's query protocol (a form <c>POST /</c>), and Lambda by REST path. For AWS requests it checks SigV4 shape,
/// applies latency and error faults, runs the operation and writes the answer or the error in the
/// service's wire form. Unexpected failures become a 500 InternalFailure without internals.
/// </summary>
internal sealed class SandboxRequestHandler
{
    private const int MaxBodyBytes = 1 << 20;
    private readonly SandboxAccount _account;
    private readonly Dictionary<string, IJsonService> _jsonServices;
    private readonly Dictionary<string, (IJsonService Service, QueryShapes Shapes)> _queryServices;
    private readonly LambdaService _lambda;
    private readonly S3Service _s3;
    private readonly SigV4AuthCheck _auth;
    private readonly ControlApi _control;
    private readonly PagerDutyRestApi _pagerDuty;
    private readonly PagerDutyEventsApi _pagerDutyEvents;
    private readonly ILogger _logger;

    public SandboxRequestHandler(SandboxAccount account, ILogger logger)
    {
        _account = account;
        _logger = logger;
        IJsonService[] services = [new DynamoDbService(account), new CloudWatchService(account), new LogsService(account), new CostExplorerService(account),
            new ApplicationAutoScalingService(account), new SecretsManagerService(account), new KmsService(account)];
        _jsonServices = services.ToDictionary(s => s.TargetPrefix, StringComparer.Ordinal);
        // Query-protocol services, told apart by their API Version (AWS tells them apart by host name).
        _queryServices = new(StringComparer.Ordinal)
        {
            [QueryShapes.CloudWatch.ApiVersion] = (_jsonServices["GraniteServiceVersion20100801"], QueryShapes.CloudWatch),
            [IamService.Shapes.ApiVersion] = (new IamService(account), IamService.Shapes),
        };
        _lambda = new LambdaService(account);
        _s3 = new S3Service(account, logger);
        _auth = new SigV4AuthCheck(account.Options, account.Time);
        _control = new ControlApi(account);
        _pagerDuty = new PagerDutyRestApi(account.PagerDuty);
        _pagerDutyEvents = new PagerDutyEventsApi(account.PagerDuty);
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var started = _account.Time.GetTimestamp();
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        string what;
        if (request.Path.StartsWithSegments("/_sandbox", StringComparison.Ordinal))
        {
            what = $"{request.Method} {request.Path}";
            await _control.HandleAsync(context);
        }
        else if (request.Path.StartsWithSegments(PagerDutyRestApi.Prefix, StringComparison.Ordinal))
        {
            what = $"PagerDuty {request.Method} {request.Path}";
            await _pagerDuty.HandleAsync(context);
        }
        else if (request.Path.StartsWithSegments(PagerDutyEventsApi.Prefix, StringComparison.Ordinal))
        {
            what = $"PagerDuty Events {request.Method} {request.Path}";
            await _pagerDutyEvents.HandleAsync(context);
        }
        else if (_s3.Matches(request))
        {
            what = "S3." + await _s3.HandleAsync(context);
        }
        else if (request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } target)
        {
            what = target;
            await HandleJsonAsync(context, target);
        }
        else if (request.Method == "POST" && request.Path == "/" && request.HasFormContentType)
        {
            what = "Query";
            await HandleQueryAsync(context);
        }
        else if (_lambda.Match(request.Method, request.Path.Value ?? "/") is { } route)
        {
            what = "Lambda." + route.Operation;
            await HandleLambdaAsync(context, route);
        }
        else
        {
            what = $"{request.Method} {request.Path}";
            await WriteUnknownAsync(context);
        }
        if (_logger.IsEnabled(LogLevel.Debug))
            _logger.LogDebug("{Request} -> {Status} in {Elapsed} ms", what, context.Response.StatusCode,
                (long)_account.Time.GetElapsedTime(started).TotalMilliseconds);
    }

    private static Task WriteUnknownAsync(HttpContext context)
    {
        var request = context.Request;
        var unknown = new AwsException("UnknownOperationException",
            $"No operation matches {request.Method} {request.Path}: use POST / with X-Amz-Target for DynamoDB, CloudWatch, Logs, Cost Explorer and Secrets Manager, a form POST / with Action and Version=2010-08-01 for CloudWatch or Version=2010-05-08 for IAM, or a Lambda REST path.", 404);
        return ErrorWriter.WriteAsync(context, WireProtocol.RestJson, "", unknown);
    }

    private async Task HandleJsonAsync(HttpContext context, string target)
    {
        var dot = target.IndexOf('.');
        var prefix = dot < 0 ? target : target[..dot];
        var name = dot < 0 ? "" : target[(dot + 1)..];
        if (!_jsonServices.TryGetValue(prefix, out var service) || context.Request.Method != "POST")
        {
            await ErrorWriter.WriteAsync(context, WireProtocol.Json10, "",
                new AwsException("UnknownOperationException", $"The sandbox does not serve the target '{target}' with {context.Request.Method}."));
            return;
        }
        var operation = new SandboxOperation(service.SigningName, name, service.Protocol);
        try
        {
            if (!service.Supports(name))
                throw new AwsException("UnknownOperationException", $"The sandbox does not implement {prefix}.{name}.");
            var contentType = context.Request.ContentType ?? "";
            if (!contentType.StartsWith("application/x-amz-json-", StringComparison.OrdinalIgnoreCase) &&
                !contentType.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
                throw new AwsException("SerializationException", $"Expected Content-Type {operation.ContentType}, got '{contentType}'.");
            _auth.Check(context.Request, operation);
            await ApplyFaultsAsync(operation, context.RequestAborted);
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var input = JsonInput.Parse(body, service.ValidationCode);
            var result = service.Invoke(name, input);
            context.Response.StatusCode = 200;
            context.Response.ContentType = operation.ContentType;
            await context.Response.WriteAsync(JsonSerializer.Serialize(result, service.Json), context.RequestAborted);
        }
        catch (AwsException ex)
        {
            await ErrorWriter.WriteAsync(context, service.Protocol, service.ErrorNamespace, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Sandbox {Operation} failed", name);
            await ErrorWriter.WriteAsync(context, service.Protocol, service.ErrorNamespace,
                new AwsException("InternalFailure", "The sandbox failed to process the request.", 500));
        }
    }

    /// <summary>
    /// The query protocol (<c>Action=…&amp;Version=…</c>, form-encoded, XML answers): CloudWatch (Version=2010-08-01, which it
    /// still serves beside JSON and older clients such as Debian's AWS CLI 2.9 speak) and IAM (Version=2010-05-08), the same
    /// operation implementations in the other wire form.
    /// </summary>
    private async Task HandleQueryAsync(HttpContext context)
    {
        var (service, shapes) = _queryServices[QueryShapes.CloudWatch.ApiVersion];
        var operation = new SandboxOperation(service.SigningName, "", WireProtocol.Query);
        try
        {
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var version = QueryInput.Version(body);
            if (version is null || !_queryServices.TryGetValue(version, out var target))
                throw new AwsException("UnknownOperationException",
                    $"The sandbox serves the query protocol for CloudWatch (Version=2010-08-01) and IAM (Version=2010-05-08), not Version={version ?? "(none)"}.");
            (service, shapes) = target;
            var (action, _, input) = QueryInput.Parse(body, shapes, service.ValidationCode);
            operation = new SandboxOperation(service.SigningName, action, WireProtocol.Query);
            if (!service.Supports(action))
                throw new AwsException("UnknownOperationException", $"The sandbox does not implement {service.SigningName} {action}.");
            _auth.Check(context.Request, operation);
            await ApplyFaultsAsync(operation, context.RequestAborted);
            var result = JsonSerializer.SerializeToElement(service.Invoke(action, input), service.Json);
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync(
                QueryXmlWriter.Response(action, result, shapes, context.Response.Headers["x-amzn-RequestId"].ToString()), context.RequestAborted);
        }
        catch (AwsException ex)
        {
            await ErrorWriter.WriteQueryAsync(context, shapes, ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Sandbox query {Operation} failed", operation.Name);
            await ErrorWriter.WriteQueryAsync(context, shapes, new AwsException("InternalServiceFault", "The sandbox failed to process the request.", 500));
        }
    }

    private async Task HandleLambdaAsync(HttpContext context, LambdaRoute route)
    {
        var operation = new SandboxOperation("lambda", route.Operation, WireProtocol.RestJson);
        try
        {
            _auth.Check(context.Request, operation);
            await ApplyFaultsAsync(operation, context.RequestAborted);
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            if (route.Operation == "Invoke")
            {
                var answer = _lambda.Invoke(route, context.Request, body);
                context.Response.StatusCode = answer.Status;
                foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
                if (answer.Payload.Length == 0) return;
                context.Response.ContentType = "application/json";
                await context.Response.Body.WriteAsync(answer.Payload, context.RequestAborted);
                return;
            }
            var (status, result) = _lambda.Invoke(route, context.Request.Query, () => JsonInput.Parse(body, "InvalidParameterValueException"));
            context.Response.StatusCode = status;
            if (status == 204) return;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(JsonSerializer.Serialize(result, SandboxJson.Pascal), context.RequestAborted);
        }
        catch (AwsException ex)
        {
            // Lambda names a body it cannot read InvalidRequestContentException, not SerializationException.
            var error = ex is { Code: "SerializationException", Status: 400 } ? new AwsException("InvalidRequestContentException", "Could not parse request body into json: " + ex.Message, 400) : ex;
            await ErrorWriter.WriteAsync(context, WireProtocol.RestJson, "", error);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogError(ex, "Sandbox Lambda {Operation} failed", route.Operation);
            await ErrorWriter.WriteAsync(context, WireProtocol.RestJson, "",
                new AwsException("ServiceException", "The sandbox failed to process the request.", 500));
        }
    }

    private async Task ApplyFaultsAsync(SandboxOperation operation, CancellationToken cancellationToken)
    {
        await _account.Faults.DelayAsync(operation, cancellationToken);
        if (_account.Faults.ErrorFor(operation) is { } error) throw error;
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
            throw new AwsException("SerializationException", "The request body is too large.", 413);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes) throw new AwsException("SerializationException", "The request body is too large.", 413);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
