using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Image-size curriculum (Irandoust et al. 2022: start at 32 px, +32 every 5 epochs, up to 224): the training image
/// size as a pure function of progress, in the curriculum's unit (a fraction of the budget, or epochs). Without a
/// curriculum the size is the recipe's <c>data.image_size</c> throughout.
/// </summary>
public sealed class CurriculumPlan
{
    public int Start { get; }
    public int Step { get; }
    public double Every { get; }
    public int Final { get; }
    /// <summary>budget (positions are fractions of the budget) | epochs.</summary>
    public string Unit { get; }

    public CurriculumPlan(int start, int step, double every, int final, string unit = "budget")
    {
        Start = Math.Min(start, final);
        Step = Math.Max(1, step);
        Every = every;
        Final = final;
        Unit = unit;
    }

    public static CurriculumPlan FromRecipe(DataSpec data) => data.Curriculum is { } c
        ? new CurriculumPlan(c.Start, c.Step, c.Every, data.ImageSize, c.Unit)
        : new CurriculumPlan(data.ImageSize, 1, double.PositiveInfinity, data.ImageSize);

    public bool IsActive => Start < Final;

    /// <summary>Size at a position: budget fraction or epochs, depending on <see cref="Unit"/>.</summary>
    public int SizeAt(double position)
    {
        if (!IsActive || Every <= 0 || double.IsInfinity(Every)) return Final;
        long steps = (long)Math.Floor(position / Every + 1e-9);
        long size = Start + Step * steps;
        return (int)Math.Min(Final, size);
    }

    public int SizeAt(double budgetFraction, double epochs) => SizeAt(Unit == "epochs" ? epochs : budgetFraction);

    /// <summary>The planned changes: (position, size) for every size after the start one.</summary>
    public IReadOnlyList<(double At, int Size)> Points()
    {
        var points = new List<(double, int)> { (0, Start) };
        if (!IsActive) return points;
        for (int k = 1; Start + (long)Step * (k - 1) < Final; k++)
            points.Add((k * Every, (int)Math.Min(Final, Start + (long)Step * k)));
        return points;
    }
}
