using System.Diagnostics;
using System.Text;
using Leaderboard.Imaging;
using Leaderboard.Training.Progress;

namespace Leaderboard.Trainer.Tests.Cli;

/// <summary>Runs the built <c>lb-trainer.dll</c> as a child process, as the worker and <c>./lb</c> do.</summary>
public sealed class TrainerProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stderr = new();
    private readonly List<string> lines = [];
    private readonly Lock gate = new();

    public TrainerProcess(params string[] args) : this([], args)
    {
    }

    /// <param name="launcher">A command the trainer runs under, e.g. <c>taskset -c 1</c> to pin it to a core.</param>
    public TrainerProcess(string[] launcher, string[] args)
    {
        var start = new ProcessStartInfo(launcher.Length > 0 ? launcher[0] : "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in launcher.Skip(1)) start.ArgumentList.Add(a);
        if (launcher.Length > 0) start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "lb-trainer.dll"));
        foreach (var a in args) start.ArgumentList.Add(a);
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (gate) lines.Add(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (gate) stderr.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Lines { get { lock (gate) return [.. lines]; } }
    public string Stderr { get { lock (gate) return stderr.ToString(); } }
    public IReadOnlyList<ProgressEvent> Events => Lines.Select(ProgressEvent.TryParse).OfType<ProgressEvent>().ToList();

    public int Wait(int timeoutSeconds = 120)
    {
        if (!process.WaitForExit(timeoutSeconds * 1000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"lb-trainer did not finish in {timeoutSeconds} s; stderr: {Stderr}");
        }
        process.WaitForExit();
        return process.ExitCode;
    }

    /// <summary>Waits until an event matching <paramref name="predicate"/> arrives.</summary>
    public ProgressEvent WaitFor(Func<ProgressEvent, bool> predicate, int timeoutSeconds = 120)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < timeoutSeconds)
        {
            if (Events.FirstOrDefault(predicate) is { } e) return e;
            if (process.HasExited) break;
            Thread.Sleep(50);
        }
        throw new TimeoutException($"no such event; output: {string.Join("\n", Lines)} stderr: {Stderr}");
    }

    public void Kill() => process.Kill(entireProcessTree: true);

    public static (int Code, string Stdout, string Stderr) Run(params string[] args)
    {
        using var p = new TrainerProcess(args);
        int code = p.Wait();
        return (code, string.Join("\n", p.Lines), p.Stderr);
    }

    public void Dispose() => process.Dispose();
}

/// <summary>A tiny synthetic ImageFolder shared by the CLI tests (4 classes of 16 px images), generated once.</summary>
public sealed class TinyDataset : IDisposable
{
    public string Root { get; } = Directory.CreateTempSubdirectory("lb-trainer-data-").FullName;

    public TinyDataset() => SyntheticDataset.Generate(Root, new SynthOptions(Classes: 4, Size: 16, TrainPerClass: 60, ValPerClass: 10, Seed: 1));

    /// <param name="curriculum">e.g. <c>{ start: 8, step: 4, every: 0.3 }</c> (YAML flow mapping).</param>
    public string Recipe(string dir, string? curriculum = null, string precision = "fp32")
    {
        string path = Path.Combine(dir, "recipe.yaml");
        File.WriteAllText(path, $"""
            model:
              variant: custom
              embed_dim: 32
              depth: 2
              heads: 2
              patch_size: 4
            optimizer:
              lr: 0.003
            training:
              batch_size: 16
              checkpoint_every: 0.2
              precision: {precision}
            data:
              image_size: 16
              augment: none
              curriculum: {curriculum ?? "null"}
            evaluation:
              crop_ratio: 1.0
            """);
        return path;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
