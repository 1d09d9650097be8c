using Leaderboard.Training.Models;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// What the estimator needs to know about a track: classes, train-split size, budget, and the reference hardware's
/// dense throughput (TFLOP/s of real flops, at bf16/fp16; <paramref name="ReferenceTflopsFp32"/> for fp32 recipes when the
/// hardware is much slower there, e.g. a GPU without TF32). <paramref name="Utilisation"/> is the fraction of that peak a
/// ViT training loop reaches end to end (data loading, optimizer, small kernels, evaluation and checkpoints included).
/// <paramref name="MaxImagesPerSecond"/>, when known, is the data pipeline's ceiling on the reference node (decoding and
/// augmenting): compute alone would promise hundreds of thousands of 32 px images per second. <paramref name="Gpu"/>
/// tracks get an estimate per GPU class as well (<see cref="GpuClasses"/>).
/// </summary>
public sealed record TrackInfo(
    int NumClasses,
    int TrainImages,
    double BudgetSeconds,
    double ReferenceTflops,
    double Utilisation = CostEstimator.DefaultUtilisation,
    double? ReferenceTflopsFp32 = null,
    double? MaxImagesPerSecond = null,
    bool Gpu = false);

/// <summary>One curriculum size: forward GFLOPs per image there, and (when throughput is known) the expected images/s,
/// the fraction of the budget spent there and the epochs done there.</summary>
public sealed record SizeCost(int ImageSize, double Gflops, double? ImagesPerSecond = null, double? BudgetFraction = null, double? Epochs = null)
{
    /// <summary>Budgeted training: the stage's active heads (null otherwise).</summary>
    public int? Heads { get; init; }
    /// <summary>Budgeted training: the stage's active MLP hidden channels (null otherwise).</summary>
    public int? MlpHidden { get; init; }
}

/// <summary>
/// The cost of a recipe shown before it is queued. <see cref="Gflops"/> is the forward cost of one image at the final
/// training size; <see cref="ExpectedImagesPerSecond"/> the average training throughput over the whole budget;
/// <see cref="ExpectedEpochs"/> the epochs that fit in the budget. Both are null when the track gives no reference
/// throughput or train-set size. <see cref="PerGpu"/>: the same for each GPU class of the throughput table (GPU tracks;
/// empty otherwise).
/// </summary>
public sealed record CostEstimate(long Params, double Gflops, IReadOnlyList<SizeCost> PerSize, double? ExpectedEpochs, double? ExpectedImagesPerSecond)
{
    public IReadOnlyList<GpuEstimate> PerGpu { get; init; } = [];
    /// <summary>HydraViT: each sub-network's params and GFLOPs at the final size, and how often a step trains it (empty otherwise).</summary>
    public IReadOnlyList<HeadsCost> PerHeads { get; init; } = [];
    /// <summary>Budgeted training: forward GFLOPs per training image averaged over the run (per stage in <see cref="PerSize"/>); null otherwise.</summary>
    public double? AverageGflops { get; init; }
}

/// <summary>A HydraViT sub-network of <paramref name="Heads"/> heads: params, forward GFLOPs per image, and its sampling probability.</summary>
public sealed record HeadsCost(int Heads, long Params, double Gflops, double Probability);

/// <summary>
/// Params, GFLOPs per image at each curriculum size, and the expected epochs within the budget on the track's reference
/// hardware (DESIGN.md "A recipe"). A training step costs ≈ 3× the forward pass (forward + backward for activations
/// and weights) and a multiply-add is 2 real flops, so images/s = ReferenceTflops·10¹²·utilisation / (3·2·FLOPs), with
/// FLOPs as <see cref="ModelCost"/> counts them (multiply-add = 1). Utilisation defaults to <see cref="DefaultUtilisation"/>:
/// typical of a well-fed GPU training a small ViT in mixed precision (model FLOPs utilisation 30–40 %); it is a
/// property of the track's hardware, so CPU tracks may set their own. The curriculum is followed: with
/// <c>unit: budget</c> each size holds for <c>every</c> of the budget; with <c>unit: epochs</c> each size holds until
/// <c>every</c> epochs are done at its throughput, the final size for whatever time remains. With distillation (DeiT)
/// the teacher's forward pass runs on every training image too: images/s = … / (2·(3·FLOPs + teacher FLOPs)). With
/// HydraViT a step trains one sampled sub-network, so the training FLOPs are the expectation over the sampling distribution.
/// Budgeted training (<see cref="BudgetedPlan"/>): one entry per stage, at the stage's active FLOPs, for the stage's share of the budget.
/// </summary>
public static class CostEstimator
{
    public const double DefaultUtilisation = 0.35;

    /// <summary>Real flops per multiply-add (the unit <see cref="ModelCost"/> counts in).</summary>
    public const double FlopsPerMac = 2;

    /// <summary>
    /// The estimate; on a GPU track also per class of <paramref name="gpus"/> (default <see cref="GpuClasses.All"/>).
    /// <paramref name="teacher"/>: the model of the run a distilling recipe learns from (its forward pass is paid per image).
    /// </summary>
    /// <exception cref="ArgumentException">the model section does not resolve (validate the recipe first).</exception>
    public static CostEstimate Estimate(Recipe recipe, TrackInfo track, IReadOnlyList<GpuClass>? gpus = null, ModelSpec? teacher = null)
    {
        var config = ModelResolver.Resolve(recipe.Model, track.NumClasses);
        var teacherConfig = teacher is null ? null : ModelResolver.Resolve(teacher, track.NumClasses);
        int final = recipe.Data.ImageSize;
        var plan = BudgetedPlan.FromRecipe(recipe, track.NumClasses);
        var sizes = plan is not null ? plan.Stages.Select(s => s.ImageSize).ToArray()
            : recipe.Data.Curriculum is { } cur ? RecipeValidator.CurriculumSizes(cur, final) : [final];
        long parameters = ModelCost.Count(config, final).Params;

        double tflops = recipe.Training.Precision == "fp32" && track.ReferenceTflopsFp32 is double fp32 ? fp32 : track.ReferenceTflops;
        bool known = tflops > 0 && track.Utilisation > 0;
        var flops = plan is not null ? plan.Stages.Select(s => s.Flops).ToArray() : sizes.Select(s => ModelCost.Flops(config, s)).ToArray();
        var hydra = recipe.Model.Hydra is { } spec ? HydraSubnetworks.All(spec, config) : null;
        // A budgeted stage trains its active width; HydraViT a sampled sub-network per step (its expected forward); a BinaryViT
        // trains with simulated binary layers, so its binary operations cost full multiply-adds here.
        double TrainedForward(int size, int i) => plan is not null ? flops[i]
            : hydra?.Sum(h => h.Probability * ModelCost.Flops(h.Config, size)) ?? ModelCost.ExecutedFlops(config, size);
        // Training MACs per image: forward + backward ≈ 3 forwards, plus the teacher's forward when distilling.
        var trainMacs = sizes.Select((s, i) => 3 * TrainedForward(s, i) + (teacherConfig is null ? 0 : ModelCost.ExecutedFlops(teacherConfig, s))).ToArray();
        double ceiling = track.MaxImagesPerSecond is > 0 ? track.MaxImagesPerSecond.Value : double.PositiveInfinity;
        var ips = trainMacs.Select(f => known && f > 0 ? Math.Min(ceiling, tflops * 1e12 * track.Utilisation / (FlopsPerMac * f)) : (double?)null).ToArray();

        double[]? fractions = known ? Fractions(recipe.Data.Curriculum, plan, ips.Select(x => x!.Value).ToArray(), track) : null;
        var perSize = new SizeCost[sizes.Count];
        for (int i = 0; i < sizes.Count; i++)
        {
            double? epochs = fractions is not null && track.TrainImages > 0
                ? ips[i]!.Value * fractions[i] * track.BudgetSeconds / track.TrainImages
                : null;
            perSize[i] = new SizeCost(sizes[i], flops[i] / 1e9, ips[i], fractions?[i], epochs)
            {
                Heads = plan?.Stages[i].Heads,
                MlpHidden = plan?.Stages[i].MlpHidden,
            };
        }

        double? averageIps = fractions is null ? null : Enumerable.Range(0, sizes.Count).Sum(i => fractions[i] * ips[i]!.Value);
        double? totalEpochs = perSize.All(s => s.Epochs is not null) ? perSize.Sum(s => s.Epochs!.Value) : null;
        return new CostEstimate(parameters, flops[^1] / 1e9, perSize, totalEpochs, averageIps)
        {
            PerGpu = track.Gpu ? (gpus ?? GpuClasses.All).Select(g => OnGpu(recipe, config, plan, sizes, trainMacs, track, g)).ToArray() : [],
            AverageGflops = plan?.AverageFlops / 1e9,
            PerHeads = hydra?.Select(h => new HeadsCost(h.Heads, ModelCost.Count(h.Config, final).Params, ModelCost.Flops(h.Config, final) / 1e9, h.Probability)).ToArray() ?? [],
        };
    }

    /// <summary>Throughput and epochs on one GPU class: measured images/s where the table has them, else its peak × utilisation.</summary>
    private static GpuEstimate OnGpu(Recipe recipe, ModelConfig config, BudgetedPlan? plan, IReadOnlyList<int> sizes, double[] trainMacs, TrackInfo track, GpuClass gpu)
    {
        string precision = recipe.Training.Precision, model = GpuClasses.ModelKey(config);
        double? peak = gpu.Tflops(precision);
        double ceiling = Math.Min(gpu.MaxImagesPerSecond, track.MaxImagesPerSecond is > 0 ? track.MaxImagesPerSecond.Value : double.PositiveInfinity);
        // Measurements are of the full model: a budgeted stage with fewer heads or MLP channels is estimated from its FLOPs.
        var measured = sizes.Select((s, i) => plan is not null && (plan.Stages[i].Heads != config.Heads || plan.Stages[i].MlpHidden != config.MlpHidden)
            ? null
            : gpu.Measured.FirstOrDefault(m => m.Model == model && m.ImageSize == s && m.Precision == precision && m.BatchSize == recipe.Training.BatchSize)).ToArray();
        if (peak is null && measured.Any(m => m is null))
            return new GpuEstimate(gpu.Name, null, null, false, $"no {precision} tensor cores on this class: use another precision");

        var ips = sizes.Select((s, i) => Math.Min(ceiling, measured[i]?.ImagesPerSecond
            ?? peak!.Value * 1e12 * gpu.Utilisation / (FlopsPerMac * trainMacs[i]))).ToArray();
        var fractions = Fractions(recipe.Data.Curriculum, plan, ips, track);
        double average = ips.Zip(fractions).Sum(p => p.First * p.Second);
        double? epochs = track.TrainImages > 0 ? average * track.BudgetSeconds / track.TrainImages : null;
        bool allMeasured = measured.All(m => m is not null);
        string basis = allMeasured
            ? "measured: " + string.Join("; ", measured.Select(m => m!.Source).Distinct())
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{peak} TFLOP/s {precision} x {gpu.Utilisation:0.##} utilisation, at most {gpu.MaxImagesPerSecond:0} images/s from the data pipeline ({gpu.Source})");
        return new GpuEstimate(gpu.Name, average, epochs, allMeasured, basis);
    }

    /// <summary>Fraction of the budget spent at each size (each budgeted stage: its planned share of the time).</summary>
    private static double[] Fractions(CurriculumSpec? curriculum, BudgetedPlan? plan, double[] ips, TrackInfo track)
    {
        if (plan is not null) return plan.Stages.Select(s => s.TimeShare).ToArray();
        int n = ips.Length;
        var fractions = new double[n];
        if (curriculum is null || n == 1)
        {
            fractions[^1] = 1;
            return fractions;
        }
        double remaining = 1;
        for (int i = 0; i < n - 1; i++)
        {
            double want = curriculum.Unit == "epochs"
                ? (track.TrainImages > 0 && track.BudgetSeconds > 0 ? curriculum.Every * track.TrainImages / ips[i] / track.BudgetSeconds : 0)
                : curriculum.Every;
            fractions[i] = Math.Clamp(want, 0, remaining);
            remaining -= fractions[i];
        }
        fractions[^1] = remaining;
        return fractions;
    }
}
