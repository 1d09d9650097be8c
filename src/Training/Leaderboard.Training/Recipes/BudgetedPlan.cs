using Leaderboard.Training.Models;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// One stage of budgeted training: the active heads, MLP hidden channels and image size, its forward FLOPs per image, its
/// cost relative to the full model, its share of the run's training images and of its time, and where it starts and
/// ends in the loop's progress (fractions of the budget, or of schedule.epochs with <c>over: epochs</c>).
/// </summary>
public sealed record BudgetedStage(int Heads, int MlpHidden, int ImageSize, double Flops, double RelativeCost, double ImageShare, double TimeShare, double Start, double End);

/// <summary>
/// The stage plan of budgeted training (Xia et al., ICLR 2023, "Budgeted Training for Vision Transformer"), a pure
/// function of progress. Stage i has relative cost cᵢ (its FLOPs per image over the full model's, <see cref="ModelCost"/>)
/// and takes a share eᵢ of the run's training images, with Σ eᵢ = 1 and Σ eᵢ·cᵢ = relative_cost: the run costs what
/// relative_cost × (the full model on the same images) would. The shares follow eᵢ ∝ exp(−α·i) with α solved by
/// bisection, so a smaller budget (larger α) keeps the model longer at the cheap levels and a larger one grows it
/// sooner; the last stage is always the full model. In time, stage i lasts eᵢ·cᵢ / relative_cost of the run.
/// </summary>
public sealed class BudgetedPlan
{
    public const int MaxStages = 8;

    public IReadOnlyList<BudgetedStage> Stages { get; }
    public double RelativeCost { get; }
    /// <summary>budget (positions are fractions of the budget) | epochs (fractions of schedule.epochs), as schedule.over.</summary>
    public string Unit { get; }

    private BudgetedPlan(IReadOnlyList<BudgetedStage> stages, double relativeCost, string unit)
    {
        Stages = stages;
        RelativeCost = relativeCost;
        Unit = unit;
    }

    /// <summary>The plan of a recipe's <c>training.budgeted</c>; null when the recipe does not use it.</summary>
    /// <exception cref="ArgumentException">the section does not describe a plan (validate the recipe first).</exception>
    public static BudgetedPlan? FromRecipe(Recipe recipe, int numClasses)
    {
        if (recipe.Training.Budgeted is not { } spec) return null;
        var config = ModelResolver.Resolve(recipe.Model, numClasses);
        var levels = Levels(spec, config, recipe.Data.ImageSize);
        double full = ModelCost.Flops(config, recipe.Data.ImageSize);
        var flops = levels.Select(l => ModelCost.Flops(config, l.ImageSize, l.Heads, l.MlpHidden)).ToArray();
        var costs = flops.Select(f => f / full).ToArray();
        var shares = ImageShares(costs, spec.RelativeCost);
        string unit = recipe.Schedule.Over == "epochs" ? "epochs" : "budget";

        var stages = new BudgetedStage[levels.Count];
        double start = 0;
        for (int i = 0; i < stages.Length; i++)
        {
            double time = shares[i] * costs[i] / spec.RelativeCost;
            double length = unit == "epochs" ? shares[i] : time;
            double end = i == stages.Length - 1 ? 1 : Math.Min(1, start + length);
            stages[i] = new BudgetedStage(levels[i].Heads, levels[i].MlpHidden, levels[i].ImageSize, flops[i], costs[i], shares[i], time, start, end);
            start = end;
        }
        return new BudgetedPlan(stages, spec.RelativeCost, unit);
    }

    /// <summary>The stage at a progress position (the loop's progress: a fraction of the budget or of schedule.epochs).</summary>
    public BudgetedStage At(double progress) => Stages[IndexAt(progress)];

    /// <summary>The index of the stage at a progress position.</summary>
    public int IndexAt(double progress)
    {
        for (int i = 0; i < Stages.Count - 1; i++)
            if (progress < Stages[i].End) return i;
        return Stages.Count - 1;
    }

    /// <summary>Forward FLOPs per training image averaged over the run: Σ eᵢ·FLOPsᵢ (= relative_cost × the full model's).</summary>
    public double AverageFlops => Stages.Sum(s => s.ImageShare * s.Flops);

    /// <summary>The stages' (heads, MLP hidden, image size): one per entry of the longest list, an empty list = full throughout.</summary>
    public static IReadOnlyList<(int Heads, int MlpHidden, int ImageSize)> Levels(BudgetedSpec spec, ModelConfig config, int imageSize)
    {
        int count = Math.Max(spec.Heads.Count, Math.Max(spec.MlpRatio.Count, spec.ImageSize.Count));
        return Enumerable.Range(0, count).Select(i => (
            spec.Heads.Count == 0 ? config.Heads : (int)spec.Heads[i],
            spec.MlpRatio.Count == 0 ? config.MlpHidden : (int)(config.EmbedDim * spec.MlpRatio[i]),
            spec.ImageSize.Count == 0 ? imageSize : (int)spec.ImageSize[i])).ToArray();
    }

    /// <summary>
    /// Image shares eᵢ ∝ exp(−α·i) with Σ eᵢ·cᵢ = <paramref name="relativeCost"/>, for non-decreasing costs whose first is
    /// below and last is 1 (above) the target. Σ eᵢ·cᵢ falls as α grows (weight moves to cheaper stages), so bisection finds α.
    /// </summary>
    /// <exception cref="ArgumentException">the target is not strictly between the first stage's cost and the last's.</exception>
    public static double[] ImageShares(IReadOnlyList<double> costs, double relativeCost)
    {
        if (costs.Count < 2 || !(relativeCost > costs[0] && relativeCost < costs[^1]))
            throw new ArgumentException($"relative cost {relativeCost} must lie strictly between the first stage's cost {costs[0]:0.###} and the last's {costs[^1]:0.###}", nameof(relativeCost));
        double lo = -200, hi = 200; // α: Cost(lo) ≈ last stage's, Cost(hi) ≈ first stage's
        for (int k = 0; k < 200; k++)
        {
            double mid = 0.5 * (lo + hi);
            if (Cost(Shares(costs.Count, mid), costs) > relativeCost) lo = mid;
            else hi = mid;
        }
        return Shares(costs.Count, 0.5 * (lo + hi));
    }

    private static double[] Shares(int count, double alpha)
    {
        // exp(−α·i) scaled by its largest term so that neither end overflows.
        double top = alpha >= 0 ? 0 : -alpha * (count - 1);
        var w = Enumerable.Range(0, count).Select(i => Math.Exp(-alpha * i - top)).ToArray();
        double sum = w.Sum();
        return w.Select(x => x / sum).ToArray();
    }

    private static double Cost(double[] shares, IReadOnlyList<double> costs) => shares.Select((e, i) => e * costs[i]).Sum();
}
