using System.Globalization;
using Bot.Integrations.Slack.BlockKit;

namespace Bot.Slack.AppHome;

/// <summary>The App Home tab as Block Kit: four sections, each a short list, and when it was last refreshed.</summary>
public static class AppHomeView
{
    public const string CallbackId = "sb-home";

    /// <summary>Lines per section: the tab stays short (and within Slack's 100 blocks).</summary>
    public const int MaxLines = 10;

    public static HomeView Build(AppHomeContent content)
    {
        var blocks = new List<Block> { HeaderBlock.Of("SecureBase operations") };
        Section(blocks, ":rotating_light: Open incidents", content.OpenIncidents, "No open incidents.");
        Section(blocks, ":raised_hand: Changes waiting for your approval", content.WaitingForMyApproval, "Nothing waits for your approval.");
        Section(blocks, ":memo: Your recent changes", content.MyRecentChanges, "You have requested no changes lately.");
        Section(blocks, ":pager: On call now", content.OnCall, "Nobody is on call.");
        blocks.Add(new DividerBlock());
        blocks.Add(ContextBlock.Markdown(string.Create(CultureInfo.InvariantCulture,
            $"Updated {content.At:yyyy-MM-dd HH:mm} UTC · `/sb help` lists the commands · `/sb status` shows how the bot is doing")));
        return new HomeView { CallbackId = CallbackId, Blocks = blocks };
    }

    private static void Section(List<Block> blocks, string title, IReadOnlyList<string> lines, string empty)
    {
        blocks.Add(new DividerBlock());
        blocks.Add(SectionBlock.Markdown($"*{title}*"));
        var shown = lines.Take(MaxLines).ToList();
        var text = shown.Count == 0 ? $"_{empty}_" : string.Join("\n", shown.Select(l => "• " + l));
        if (lines.Count > MaxLines) text += $"\n_…and {lines.Count - MaxLines} more_";
        blocks.Add(SectionBlock.Markdown(text));
    }
}
