using PdfSharp.Fonts;

namespace Bot.Integrations.Documents;

/// <summary>
/// PDFsharp's fonts on any platform: DejaVu Sans (text, bold) and DejaVu Sans Mono (tables) from the machine's font
/// folders (the container image installs <c>fonts-dejavu-core</c>, as the charts need), embedded in the PDF.
/// </summary>
internal sealed class PdfFonts : IFontResolver
{
    public const string Sans = "Report Sans";
    public const string Mono = "Report Mono";

    private static readonly string[] Folders =
    [
        "/usr/share/fonts", "/usr/local/share/fonts", Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".fonts"),
        Environment.GetFolderPath(Environment.SpecialFolder.Fonts),
    ];

    private static readonly Dictionary<string, string[]> Faces = new(StringComparer.Ordinal)
    {
        ["sans"] = ["DejaVuSans.ttf", "LiberationSans-Regular.ttf", "Arial.ttf", "arial.ttf"],
        ["sans-bold"] = ["DejaVuSans-Bold.ttf", "LiberationSans-Bold.ttf", "Arialbd.ttf", "arialbd.ttf"],
        ["mono"] = ["DejaVuSansMono.ttf", "LiberationMono-Regular.ttf", "Cour.ttf", "cour.ttf"],
    };

    private static readonly Lazy<PdfFonts> Instance = new(() => new PdfFonts());
    private static readonly object Gate = new();
    private static bool _installed;
    private readonly Dictionary<string, byte[]?> _loaded = new(StringComparer.Ordinal);

    /// <summary>Makes these fonts PDFsharp's (once per process); false when no font file can be found.</summary>
    public static bool Install()
    {
        lock (Gate)
        {
            if (_installed) return Instance.Value.GetFont("sans") is not null;
            if (Instance.Value.GetFont("sans") is null) return false;
            if (GlobalFontSettings.FontResolver is null) GlobalFontSettings.FontResolver = Instance.Value;
            _installed = true;
            return true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) => familyName switch
    {
        Mono => new FontResolverInfo("mono"),
        _ when bold => new FontResolverInfo(GetFont("sans-bold") is null ? "sans" : "sans-bold", mustSimulateBold: GetFont("sans-bold") is null, mustSimulateItalic: italic),
        _ => new FontResolverInfo("sans", mustSimulateBold: false, mustSimulateItalic: italic),
    };

    public byte[]? GetFont(string faceName)
    {
        lock (_loaded)
        {
            if (_loaded.TryGetValue(faceName, out var bytes)) return bytes;
            bytes = Find(Faces.GetValueOrDefault(faceName) ?? []) is { } path ? File.ReadAllBytes(path) : faceName == "sans" ? null : GetFontUnlocked("sans");
            _loaded[faceName] = bytes;
            return bytes;
        }
    }

    private byte[]? GetFontUnlocked(string faceName) =>
        _loaded.TryGetValue(faceName, out var b) ? b : Find(Faces[faceName]) is { } p ? _loaded[faceName] = File.ReadAllBytes(p) : null;

    private static string? Find(IEnumerable<string> names)
    {
        foreach (var name in names)
            foreach (var folder in Folders.Where(f => !string.IsNullOrEmpty(f) && Directory.Exists(f)))
            {
                try
                {
                    if (Directory.EnumerateFiles(folder, name, SearchOption.AllDirectories).FirstOrDefault() is { } found) return found;
                }
                catch (Exception e) when (e is UnauthorizedAccessException or IOException)
                {
                    // A folder we cannot read: try the next.
                }
            }
        return null;
    }
}
