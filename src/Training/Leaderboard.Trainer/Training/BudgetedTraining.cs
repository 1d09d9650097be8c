using System.Globalization;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Budgeted training for ViT (Xia et al., ICLR 2023) as a loop component over <see cref="BudgetedPlan"/>: before each
/// step it looks up the stage at the loop's progress and, when the stage changes, makes the model compute only the
/// stage's heads and MLP channels and hands the loop the stage's image size. The stage is a pure function of progress,
/// so a resumed run continues in the right stage. The optimizer holds all weights throughout: inactive rows and columns
/// get zero gradients (AdamW then moves them by its decoupled weight decay only) and join in when their stage comes.
/// </summary>
public sealed class BudgetedTraining(BudgetedPlan plan)
{
    private int current = -1;

    public BudgetedPlan Plan { get; } = plan;

    /// <summary>The stage the model is set to (the first until <see cref="Advance"/> runs).</summary>
    public BudgetedStage Stage => Plan.Stages[Math.Max(0, current)];

    /// <summary>The component of a recipe's <c>training.budgeted</c>; null when the recipe does not use it.</summary>
    public static BudgetedTraining? FromRecipe(Recipe recipe, int classes) =>
        BudgetedPlan.FromRecipe(recipe, classes) is { } plan ? new BudgetedTraining(plan) : null;

    /// <summary>Sets the model to the stage at <paramref name="progress"/>; returns the stage it left (null: none yet) when it changed.</summary>
    public (BudgetedStage? From, BudgetedStage To)? Advance(ImageClassifier model, double progress)
    {
        // The validator allows training.budgeted only on the plain ViT / DeiT family.
        if (model is not VisionTransformer vit) throw new InvalidOperationException($"budgeted training needs a plain ViT, not {model.GetType().Name}");
        int index = Plan.IndexAt(progress);
        if (index == current) return null;
        var stage = Plan.Stages[index];
        BudgetedStage? from = current < 0 ? null : Plan.Stages[current];
        vit.SetActiveWidth(stage.Heads, stage.MlpHidden);
        current = index;
        return (from, stage);
    }

    /// <summary>"stage 2/3: 4 heads, MLP 384, 32 px (0.41 of the full model's cost)".</summary>
    public string DescribeStage() => string.Create(CultureInfo.InvariantCulture,
        $"budgeted stage {current + 1}/{Plan.Stages.Count}: {Stage.Heads} heads, MLP {Stage.MlpHidden}, {Stage.ImageSize} px ({Stage.RelativeCost:0.##} of the full model's cost)");

    /// <summary>"budgeted training to 0.5 of the full cost: heads 1→2, MLP 32→64, 16→16 px over 0–0.38–1 of the budget".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"budgeted training at {Plan.RelativeCost:0.##} of the full cost: heads {string.Join("→", Plan.Stages.Select(s => s.Heads))}, " +
        $"MLP {string.Join("→", Plan.Stages.Select(s => s.MlpHidden))}, {string.Join("→", Plan.Stages.Select(s => s.ImageSize))} px, " +
        $"stages from {string.Join(", ", Plan.Stages.Select(s => s.Start.ToString("0.###", CultureInfo.InvariantCulture)))} of the {Plan.Unit}");
}
