using Bot.Integrations.Slack.WebApi;

namespace Bot.Integrations.Slack;

/// <summary>
/// The e-mail address on a person's chat profile (Slack: <c>users.info</c>, scope <c>users:read.email</c>), and the person with
/// an address (<c>users.lookupByEmail</c>, the same scope): how the bot finds a pager's user in the chat and back.
/// </summary>
public interface IUserProfiles
{
    /// <summary>The address, or null when the profile shows none or the user does not exist. Throws when Slack cannot be asked.</summary>
    Task<string?> EmailOfAsync(string userId, CancellationToken cancellationToken);

    /// <summary>The user id of the member with <paramref name="email"/>, or null when there is none. Throws when Slack cannot be asked.</summary>
    Task<string?> UserIdOfAsync(string email, CancellationToken cancellationToken);
}

public sealed class SlackUserProfiles(SlackWebApiClient slack) : IUserProfiles
{
    public async Task<string?> EmailOfAsync(string userId, CancellationToken cancellationToken)
    {
        try
        {
            var user = await slack.UserInfoAsync(userId, cancellationToken);
            return user.Deleted || string.IsNullOrWhiteSpace(user.Profile?.Email) ? null : user.Profile.Email.Trim();
        }
        catch (SlackApiException e) when (e.ErrorCode is "user_not_found" or "users_not_found")
        {
            return null;
        }
    }

    public async Task<string?> UserIdOfAsync(string email, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(email)) return null;
        try
        {
            var user = await slack.LookupByEmailAsync(email.Trim(), cancellationToken);
            return user.Deleted || user.IsBot || string.IsNullOrEmpty(user.Id) ? null : user.Id;
        }
        catch (SlackApiException e) when (e.ErrorCode is "user_not_found" or "users_not_found" or "missing_user")
        {
            return null;
        }
    }
}

/// <summary>Where the Slack Web API is not registered: nobody's e-mail is known.</summary>
public sealed class NoUserProfiles : IUserProfiles
{
    public Task<string?> EmailOfAsync(string userId, CancellationToken cancellationToken) => Task.FromResult<string?>(null);

    public Task<string?> UserIdOfAsync(string email, CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
