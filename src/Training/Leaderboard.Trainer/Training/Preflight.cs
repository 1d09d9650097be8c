using System.Diagnostics;
using System.Globalization;
using Leaderboard.Training.Progress;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// The pre-flight check a run gets before it spends its budget: build the model from the recipe, take a few training
/// steps at the curriculum's first and final image size (the recipe's batch and precision, the real data), and fail
/// fast on out-of-memory, a NaN/Inf loss, or a throughput too low to finish one epoch of the train split within the
/// budget — each with the numbers measured.
/// </summary>
public static class Preflight
{
    /// <param name="steps">Timed steps per size (after one warm-up step).</param>
    /// <param name="maxSeconds">The pre-flight's own cap: measuring stops after the first timed step at a size once it has passed.</param>
    /// <param name="cpuClock">
    /// Judge throughput per second of the trainer's CPU time instead of wall-clock time: for a CPU-time budget, where a
    /// busy neighbour slows the wall clock but not the budget's.
    /// </param>
    public static PreflightReport Run(TrainOptions options, int steps, double maxSeconds, bool cpuClock = false)
    {
        string perSecond = cpuClock ? "images per CPU-second" : "images/s";
        var watch = Stopwatch.StartNew();
        var recipe = options.Recipe;
        int batch = recipe.Training.BatchSize;
        var curriculum = CurriculumPlan.FromRecipe(recipe.Data);
        var probes = curriculum.IsActive
            ? new[] { (curriculum.Start, 0.0), (curriculum.Final, SchedulePosition(recipe, curriculum.Points()[^1].At)) }
            : [(curriculum.Final, 0.0)];
        var sizes = new List<PreflightSize>();
        long trainImages = 0;
        int probing = probes[0].Item1;
        string phase = "building the model";
        try
        {
            using var loop = new TrainingLoop(options, new ProgressWriter(TextWriter.Null));
            trainImages = loop.TrainImages;
            for (int i = 0; i < probes.Length; i++)
            {
                var (size, position) = probes[i];
                probing = size;
                phase = $"training at {size} px";
                // Each size gets an equal share of the cap.
                var result = loop.Probe(size, position, steps, watch, TimeSpan.FromSeconds(maxSeconds * (i + 1) / probes.Length));
                if (result.NonFiniteStep is int bad)
                {
                    return Report(false, PreflightReport.NonFiniteLoss,
                        $"the loss was {Number(result.Loss)} at step {bad} of the pre-flight at {size} px (lr {result.Lr:0.######}, batch {batch}, {recipe.Training.Precision}): " +
                        "lower optimizer.lr, lengthen schedule.warmup or set optimizer.clip_grad_norm",
                        sizes, trainImages, options.BudgetSeconds, null, watch);
                }
                sizes.Add(new PreflightSize
                {
                    ImageSize = size, BatchSize = batch, Steps = result.TimedSteps,
                    ImagesPerSecond = Math.Round(cpuClock ? result.ImagesPerCpuSecond : result.ImagesPerSecond, 2), Loss = Math.Round(result.Loss, 5),
                });
            }
        }
        catch (Exception e) when (IsOutOfMemory(e))
        {
            return Report(false, PreflightReport.OutOfMemory,
                $"out of memory {phase} (batch {batch}, {recipe.Training.Precision}): {FirstLine(e)}; lower training.batch_size, the image size or the model size" +
                (recipe.Training.Precision == "fp32" ? ", or train in bf16" : ""),
                sizes, trainImages, options.BudgetSeconds, null, watch);
        }

        var estimate = new PreflightEstimate(curriculum, sizes.ToDictionary(s => s.ImageSize, s => s.ImagesPerSecond), trainImages, options.BudgetSeconds);
        double epochSeconds = estimate.SecondsFor(1);
        string rates = string.Join(", ", sizes.Select(s => $"at {s.ImageSize} px: {s.ImagesPerSecond.ToString("#,0.#", CultureInfo.InvariantCulture)} {perSecond}"));
        string epoch = $"one epoch of {trainImages.ToString("#,0", CultureInfo.InvariantCulture)} images needs {Duration(epochSeconds)}" +
            (curriculum.IsActive ? " over the curriculum" : "");
        if (!(epochSeconds <= options.BudgetSeconds))
            return Report(false, PreflightReport.TooSlow, $"{rates}; {epoch}, the budget is {Duration(options.BudgetSeconds)}",
                sizes, trainImages, options.BudgetSeconds, estimate, watch);
        return Report(true, null,
            $"{rates}; {epoch}, the budget is {Duration(options.BudgetSeconds)} (about {(options.BudgetSeconds / epochSeconds).ToString("#,0.#", CultureInfo.InvariantCulture)} epochs)",
            sizes, trainImages, options.BudgetSeconds, estimate, watch);

        PreflightReport Report(bool passed, string? failure, string reason, List<PreflightSize> measured, long images, double budget, PreflightEstimate? est, Stopwatch w) => new()
        {
            Passed = passed, Failure = failure, Reason = reason, Sizes = measured, TrainImages = images, BudgetSeconds = budget, Clock = cpuClock ? "cpu" : "wall",
            EpochSeconds = est is null ? null : Math.Round(est.SecondsFor(1), 3),
            ExpectedTrainSeconds = est is null ? null : Math.Round(ExpectedTrainSeconds(recipe, est, budget), 3),
            Seconds = Math.Round(w.Elapsed.TotalSeconds, 3),
        };
    }

    /// <summary>How long the training will run: the budget, or the time its epochs take when the schedule counts epochs and they finish sooner.</summary>
    private static double ExpectedTrainSeconds(Recipe recipe, PreflightEstimate estimate, double budget) =>
        recipe.Schedule.Over == "epochs" && recipe.Schedule.Epochs is int epochs ? Math.Min(budget, estimate.SecondsFor(epochs)) : budget;

    /// <summary>
    /// The schedule's progress where the curriculum reaches its final size (its lr is what the run trains with there):
    /// the same position when both count the same unit; otherwise the start.
    /// </summary>
    private static double SchedulePosition(Recipe recipe, double curriculumPosition)
    {
        var unit = recipe.Data.Curriculum?.Unit ?? "budget";
        if (unit != recipe.Schedule.Over) return 0;
        return unit == "epochs" ? curriculumPosition / Math.Max(1, recipe.Schedule.Epochs ?? 1) : Math.Min(1, curriculumPosition);
    }

    /// <summary>
    /// libtorch's out-of-memory errors: CUDA's caching allocator ("CUDA out of memory. Tried to allocate …") and the CPU
    /// allocator ("DefaultCPUAllocator: can't allocate memory: …"), as TorchSharp rethrows them; and the runtime's own.
    /// </summary>
    public static bool IsOutOfMemory(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is OutOfMemoryException) return true;
            if (x.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }

    private static string FirstLine(Exception e)
    {
        var line = e.Message.Split('\n', 2)[0].Trim();
        // libtorch appends its C++ stack ("Exception raised from … (most recent call first)"): the first sentence says it.
        int from = line.IndexOf(" (most recent call first)", StringComparison.Ordinal);
        if (from > 0) line = line[..from];
        // ... and may prefix its check ("[enforce fail at alloc_cpu.cpp:127] err == 0. "): the allocator's own words follow.
        foreach (var start in new[] { "DefaultCPUAllocator", "CUDA out of memory" })
            if (line.IndexOf(start, StringComparison.Ordinal) is > 0 and var at) return line[at..];
        return line;
    }

    private static string Number(double value) => double.IsNaN(value) ? "NaN" : double.IsPositiveInfinity(value) ? "+Inf" : double.IsNegativeInfinity(value) ? "-Inf" : value.ToString("G4", CultureInfo.InvariantCulture);

    /// <summary>Seconds in the unit a person reads best: "3.2 s", "12.5 min", "8.7 h".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        double.PositiveInfinity or double.NaN => "forever (nothing was measured)",
        < 10 => $"{seconds.ToString("0.###", CultureInfo.InvariantCulture)} s",
        < 120 => $"{seconds.ToString("0.#", CultureInfo.InvariantCulture)} s",
        < 7200 => $"{(seconds / 60).ToString("0.#", CultureInfo.InvariantCulture)} min",
        _ => $"{(seconds / 3600).ToString("0.#", CultureInfo.InvariantCulture)} h",
    };
}

/// <summary>
/// Training time from the rates the pre-flight measured at the curriculum's first and final size: a size in between
/// gets seconds per image interpolated linearly in its pixel count (a ViT's cost grows with the tokens), and the
/// curriculum's segments are summed in its own unit (a budget fraction: the budget's average rate; epochs: each epoch
/// at its sizes).
/// </summary>
public sealed class PreflightEstimate(CurriculumPlan curriculum, IReadOnlyDictionary<int, double> imagesPerSecond, long trainImages, double budgetSeconds)
{
    /// <summary>Images per second at a size (0 when the rates are missing).</summary>
    public double RateAt(int size)
    {
        if (imagesPerSecond.TryGetValue(size, out var exact)) return exact;
        if (!imagesPerSecond.TryGetValue(curriculum.Start, out var first) || !imagesPerSecond.TryGetValue(curriculum.Final, out var last) || first <= 0 || last <= 0) return 0;
        double a = (double)curriculum.Start * curriculum.Start, b = (double)curriculum.Final * curriculum.Final, x = (double)size * size;
        double t = b == a ? 1 : Math.Clamp((x - a) / (b - a), 0, 1);
        return 1 / (1 / first + t * (1 / last - 1 / first));
    }

    /// <summary>Seconds <paramref name="epochs"/> epochs of the train split take (infinity when a rate is 0).</summary>
    public double SecondsFor(double epochs)
    {
        var points = curriculum.Points();
        if (!curriculum.IsActive) return Seconds(epochs * trainImages, RateAt(curriculum.Final));
        if (curriculum.Unit == "epochs")
        {
            double total = 0;
            for (int i = 0; i < points.Count; i++)
            {
                double from = points[i].At, to = i + 1 < points.Count ? points[i + 1].At : double.PositiveInfinity;
                double span = Math.Min(to, epochs) - from;
                if (span > 0) total += Seconds(span * trainImages, RateAt(points[i].Size));
            }
            return total;
        }
        // Budget fractions: the images the whole budget trains, at each segment's rate, give the average rate.
        double images = 0;
        for (int i = 0; i < points.Count && points[i].At < 1; i++)
        {
            double to = i + 1 < points.Count ? Math.Min(1, points[i + 1].At) : 1;
            images += (to - points[i].At) * budgetSeconds * RateAt(points[i].Size);
        }
        return Seconds(epochs * trainImages, images / budgetSeconds);
    }

    private static double Seconds(double images, double rate) => images <= 0 ? 0 : rate > 0 ? images / rate : double.PositiveInfinity;
}
