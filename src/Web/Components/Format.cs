using System.Globalization;

namespace Leaderboard.Web.Components;

/// <summary>How numbers read on the site: fixed, sensible precision, invariant culture (tables align).</summary>
public static class Format
{
    private static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static string Percent(double value) => value.ToString("0.00", Culture);
    public static string? Percent(double? value) => value is double v ? Percent(v) : null;

    /// <summary>Parameters in millions: 5.72.</summary>
    public static string Millions(long count) => (count / 1e6).ToString(count >= 100_000_000 ? "0.0" : "0.00", Culture);

    public static string Gflops(double value) => value.ToString(value >= 100 ? "0.0" : value >= 1 ? "0.00" : "0.000", Culture);

    public static string Rate(double value) => value.ToString(value >= 100 ? "#,0" : "0.0", Culture);
    public static string? Rate(double? value) => value is double v ? Rate(v) : null;

    public static string Number(double value, string format = "0.###") => value.ToString(format, Culture);
    public static string? Number(double? value, string format = "0.###") => value is double v ? Number(v, format) : null;
    public static string Integer(long value) => value.ToString("#,0", Culture);
    public static string? Integer(long? value) => value is long v ? Integer(v) : null;

    /// <summary>Learning rates and other small values: 5.0e-4.</summary>
    public static string? Scientific(double? value) => value is double v ? (v == 0 ? "0" : v.ToString(Math.Abs(v) < 0.01 ? "0.00e+0" : "0.0000", Culture)) : null;

    /// <summary>A duration as 1 h 05 min, 2 min 03 s or 45 s.</summary>
    public static string Duration(double seconds)
    {
        var t = TimeSpan.FromSeconds(Math.Max(0, seconds));
        if (t.TotalHours >= 1) return $"{(int)t.TotalHours} h {t.Minutes:00} min";
        if (t.TotalMinutes >= 1) return $"{t.Minutes} min {t.Seconds:00} s";
        return $"{t.Seconds} s";
    }

    public static string? Duration(double? seconds) => seconds is double s ? Duration(s) : null;

    public static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Culture);
    public static string? Date(DateTimeOffset? at) => at is { } a ? Date(a) : null;

    /// <summary>A budget in words: 24 h, 1 h, 2 min, 20 s.</summary>
    public static string Budget(int seconds) =>
        seconds % 3600 == 0 ? $"{seconds / 3600} h" : seconds % 60 == 0 ? $"{seconds / 60} min" : $"{seconds} s";

    public static string Hardware(string hardware) => hardware switch
    {
        "gpu" => "1 GPU",
        "cpu" => "CPU",
        _ => hardware,
    };
}
