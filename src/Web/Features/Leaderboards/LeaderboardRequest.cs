using Leaderboard.Data;
using Microsoft.Extensions.Primitives;

namespace Leaderboard.Web.Features.Leaderboards;

public enum LeaderboardFormat
{
    Json,
    Csv,
}

/// <summary>
/// A leaderboard query as the API and the track page take it from the query string: <c>page</c>, <c>pageSize</c>
/// (at most <see cref="LeaderboardQuery.MaxPageSize"/>), <c>sort</c> (<see cref="SortNames"/>), <c>order</c> (asc | desc;
/// default best-first for scores, cheapest-first for costs), <c>family</c> and <c>component</c> (repeated or
/// comma-separated), <c>device</c>, <c>owner</c> (a user name), <c>hardware</c> (the hardware class: GPU model, or CPU model),
/// <c>rules</c> (all | current: only entries trained under the track's current rules), <c>format</c> (json | csv). Both callers share it, so links and API URLs agree.
/// </summary>
public sealed record LeaderboardRequest(LeaderboardQuery Query, LeaderboardFormat? Format)
{
    public const int MaxDeviceLength = 200;
    public const int MaxOwnerLength = 256;

    public static readonly IReadOnlyList<string> Families = ["tiny", "small", "base", "custom"];

    public static readonly IReadOnlyDictionary<string, LeaderboardSort> SortNames = new Dictionary<string, LeaderboardSort>(StringComparer.OrdinalIgnoreCase)
    {
        ["rank"] = LeaderboardSort.Rank,
        ["top1"] = LeaderboardSort.Top1,
        ["top5"] = LeaderboardSort.Top5,
        ["params"] = LeaderboardSort.Params,
        ["gflops"] = LeaderboardSort.Gflops,
        ["imagesPerSecond"] = LeaderboardSort.ImagesPerSecond,
        ["trainSeconds"] = LeaderboardSort.TrainSeconds,
        ["submittedAt"] = LeaderboardSort.SubmittedAt,
        ["createdAt"] = LeaderboardSort.SubmittedAt,
        ["name"] = LeaderboardSort.Name,
    };

    public static readonly LeaderboardRequest Default = new(new LeaderboardQuery(), null);

    public string SortName => NameOf(Query.Sort);
    public string Order => Query.Descending ? "desc" : "asc";

    public static string NameOf(LeaderboardSort sort) => sort switch
    {
        LeaderboardSort.ImagesPerSecond => "imagesPerSecond",
        LeaderboardSort.TrainSeconds => "trainSeconds",
        LeaderboardSort.SubmittedAt => "submittedAt",
        _ => sort.ToString().ToLowerInvariant(),
    };

    /// <summary>Reads the query string; unknown values are errors keyed by parameter name (the API answers 400 with them).</summary>
    public static (LeaderboardRequest Request, Dictionary<string, string[]> Errors) Parse(IQueryCollection query)
    {
        var errors = new Dictionary<string, string[]>();
        var page = ParseInt(query, "page", 1, 1, int.MaxValue / LeaderboardQuery.MaxPageSize, errors);
        var pageSize = ParseInt(query, "pageSize", LeaderboardQuery.DefaultPageSize, 1, LeaderboardQuery.MaxPageSize, errors);

        var sort = LeaderboardSort.Rank;
        var sortText = Single(query, "sort", errors);
        if (sortText is not null && !SortNames.TryGetValue(sortText, out sort))
            errors["sort"] = [$"Unknown sort column '{sortText}'; one of: {string.Join(", ", SortNames.Keys)}."];

        var descending = LeaderboardQuery.DescendingByDefault(sort);
        switch (Single(query, "order", errors)?.ToLowerInvariant())
        {
            case null: break;
            case "asc": descending = false; break;
            case "desc": descending = true; break;
            case var other: errors["order"] = [$"Unknown order '{other}'; asc or desc."]; break;
        }

        var families = List(query, "family", Families, "family", errors);
        var components = List(query, "component", Data.SubmissionFacets.Components, "component", errors);

        var device = Single(query, "device", errors)?.Trim();
        if (device is { Length: > MaxDeviceLength }) errors["device"] = [$"The device is longer than {MaxDeviceLength} characters."];
        if (string.IsNullOrEmpty(device)) device = null;

        var owner = Single(query, "owner", errors)?.Trim();
        if (owner is { Length: > MaxOwnerLength }) errors["owner"] = [$"The owner is longer than {MaxOwnerLength} characters."];
        if (string.IsNullOrEmpty(owner)) owner = null;

        var hardware = Single(query, "hardware", errors)?.Trim();
        if (hardware is { Length: > MaxDeviceLength }) errors["hardware"] = [$"The hardware class is longer than {MaxDeviceLength} characters."];
        if (string.IsNullOrEmpty(hardware)) hardware = null;

        var currentRulesOnly = false;
        switch (Single(query, "rules", errors)?.ToLowerInvariant())
        {
            case null or "all": break;
            case "current": currentRulesOnly = true; break;
            case var other: errors["rules"] = [$"Unknown rules filter '{other}'; all or current."]; break;
        }

        LeaderboardFormat? format = null;
        switch (Single(query, "format", errors)?.ToLowerInvariant())
        {
            case null: break;
            case "json": format = LeaderboardFormat.Json; break;
            case "csv": format = LeaderboardFormat.Csv; break;
            case var other: errors["format"] = [$"Unknown format '{other}'; json or csv."]; break;
        }

        return (new LeaderboardRequest(new LeaderboardQuery(page, pageSize, sort, descending, families, components, device, owner, hardware, currentRulesOnly), format), errors);
    }

    /// <summary>Identifies the query for caching: equal for requests that ask for the same page in any spelling.</summary>
    public string CacheKey(string slug) =>
        $"{slug}\n{Query.Page}\n{Query.PageSize}\n{Query.Sort}\n{Query.Descending}\n{string.Join(',', Query.Families)}\n{string.Join(',', Query.Components)}\n{Query.Device}\n{Query.Owner}\n{Query.Hardware}\n{Query.CurrentRulesOnly}";

    /// <summary>This query as a query string (only what differs from the defaults), e.g. for the track page's links.</summary>
    public string ToQueryString()
    {
        var parts = new List<string>();
        if (Query.Sort != LeaderboardSort.Rank) parts.Add("sort=" + SortName);
        if (Query.Descending != LeaderboardQuery.DescendingByDefault(Query.Sort)) parts.Add("order=" + Order);
        if (Query.Families.Count > 0) parts.Add("family=" + string.Join(',', Query.Families));
        if (Query.Components.Count > 0) parts.Add("component=" + string.Join(',', Query.Components));
        if (Query.Device is not null) parts.Add("device=" + Uri.EscapeDataString(Query.Device));
        if (Query.Owner is not null) parts.Add("owner=" + Uri.EscapeDataString(Query.Owner));
        if (Query.Hardware is not null) parts.Add("hardware=" + Uri.EscapeDataString(Query.Hardware));
        if (Query.CurrentRulesOnly) parts.Add("rules=current");
        if (Query.PageSize != LeaderboardQuery.DefaultPageSize) parts.Add("pageSize=" + Query.PageSize);
        if (Query.Page != 1) parts.Add("page=" + Query.Page);
        if (Format is { } f) parts.Add("format=" + f.ToString().ToLowerInvariant());
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private static string? Single(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        var values = query[name];
        if (values.Count > 1) errors[name] = [$"'{name}' is given more than once."];
        return StringValues.IsNullOrEmpty(values) ? null : values[0];
    }

    private static int ParseInt(IQueryCollection query, string name, int fallback, int min, int max, Dictionary<string, string[]> errors)
    {
        var text = Single(query, name, errors);
        if (text is null) return fallback;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return value;
        errors[name] = [$"'{name}' must be a whole number from {min} to {max}."];
        return fallback;
    }

    /// <summary>Repeated or comma-separated values, each from <paramref name="allowed"/>; sorted and distinct so equal filters are equal keys.</summary>
    private static string[] List(IQueryCollection query, string name, IReadOnlyList<string> allowed, string label, Dictionary<string, string[]> errors)
    {
        var values = query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(v => v.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToArray();
        var unknown = values.Where(v => !allowed.Contains(v)).ToList();
        if (unknown.Count > 0)
            errors[name] = [$"Unknown {label} '{string.Join("', '", unknown)}'; known: {string.Join(", ", allowed)}."];
        return values;
    }
}
