using System.Globalization;

namespace Leaderboard.Trainer.Cli;

/// <summary>A usage error: printed as one line on stderr, exit code 2.</summary>
public sealed class UsageException(string message) : Exception(message);

/// <summary>A failure the user can act on (missing dataset, invalid recipe): one line on stderr, exit code 1.</summary>
public sealed class CommandFailedException(string message) : Exception(message);

/// <summary>
/// Parsed arguments of one verb: positionals and <c>--name value</c> options (<c>--name=value</c> also accepted).
/// Each verb states which options it knows; anything else is a usage error naming it.
/// </summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    public string Verb { get; }
    public IReadOnlyList<string> Positionals { get; }

    private CommandLine(string verb, List<string> positionals, Dictionary<string, string> options)
    {
        Verb = verb;
        Positionals = positionals;
        this.options = options;
    }

    /// <param name="flags">options that take no value (e.g. <c>--json</c>).</param>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlySet<string>? flags = null)
    {
        if (args.Count == 0) throw new UsageException("missing verb: " + Usage.Verbs);
        var positionals = new List<string>();
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 1; i < args.Count; i++)
        {
            string a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a[2..];
                string? value = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { value = name[(eq + 1)..]; name = name[..eq]; }
                else if (flags?.Contains(name) == true) value = "true";
                else if (i + 1 < args.Count) value = args[++i];
                else throw new UsageException($"option --{name} needs a value");
                options[name] = value;
            }
            else positionals.Add(a);
        }
        return new CommandLine(args[0], positionals, options);
    }

    public string? Option(string name)
    {
        used.Add(name);
        return options.TryGetValue(name, out var v) ? v : null;
    }

    public string RequireOption(string name) =>
        Option(name) ?? throw new UsageException($"{Verb}: missing --{name}");

    public bool Flag(string name) => Option(name) is { } v && v != "false";

    public int IntOption(string name, int fallback, int min = 1)
    {
        string? v = Option(name);
        if (v is null) return fallback;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) || n < min)
            throw new UsageException($"{Verb}: --{name} must be an integer ≥ {min}, got '{v}'");
        return n;
    }

    public double DoubleOption(string name, double fallback, double min = double.Epsilon)
    {
        string? v = Option(name);
        if (v is null) return fallback;
        if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || d < min || !double.IsFinite(d))
            throw new UsageException($"{Verb}: --{name} must be a number ≥ {min}, got '{v}'");
        return d;
    }

    public string Positional(int index, string what) =>
        index < Positionals.Count ? Positionals[index] : throw new UsageException($"{Verb}: missing {what}");

    /// <summary>Fails on options no one asked for and on extra positionals (call after reading every option).</summary>
    public void RejectUnknown(int maxPositionals)
    {
        var unknown = options.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"{Verb}: unknown option --{unknown[0]}");
        if (Positionals.Count > maxPositionals)
            throw new UsageException($"{Verb}: unexpected argument '{Positionals[maxPositionals]}'");
    }

    /// <summary>The device option: cpu (default) or cuda.</summary>
    public string Device()
    {
        string d = Option("device") ?? "cpu";
        return d is "cpu" or "cuda" || d.StartsWith("cuda:", StringComparison.Ordinal)
            ? d : throw new UsageException($"{Verb}: --device must be cpu or cuda, got '{d}'");
    }
}

public static class Usage
{
    public const string Verbs = "train | preflight | evaluate | synth | flops | bench | prepare-data";

    public const string Text = """
        usage: lb-trainer <verb> ...
          train RECIPE --dataset DIR --budget SECONDS --out DIR [--device cpu|cuda] [--resume CKPT] [--teacher CKPT] [--threads N] [--seed N] [--deadline ISO8601]
              [--budget-mode wall|cpu-time|calibrated [--speed R]]   (cpu-time: CPU seconds of this process; --deadline is then its wall-clock cap)
          preflight RECIPE --dataset DIR --budget SECONDS [--device cpu|cuda] [--teacher CKPT] [--threads N] [--seed N] [--steps 5] [--max-seconds 120] [--clock wall|cpu] [--memory-limit-mb N]
          evaluate CHECKPOINT --dataset DIR [--device cpu|cuda] [--threads N]
          synth DIR [--classes N] [--size PX] [--train-per-class N] [--val-per-class N] [--seed N]
          flops (RECIPE | --model deit_tiny|deit_small|deit_base) [--img PX] [--classes N] [--budget SECONDS [--train-images N]]
          bench train [--model deit_tiny | --recipe RECIPE [--stage K]] [--img 64] [--batch 64] [--steps 30] [--warmup 5] [--device cpu] [--threads N] [--precision fp32|bf16|fp16]
          bench data --dataset DIR [--size 224] [--augment deit] [--threads N]
          prepare-data SRC OUT [--max-side PX] [--shard-size N]
        RECIPE is a YAML/JSON file or a platform template: template:NAME (e.g. template:tiny-quick).
        """;
}
