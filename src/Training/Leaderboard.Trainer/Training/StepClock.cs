namespace Leaderboard.Trainer.Training;

/// <summary>
/// Decides when to stop before the deadline: keeps a pessimistic estimate of the next step's duration (the maximum of
/// a decaying average and the last step, scaled by the pixel ratio after a size change) and of the time a checkpoint
/// write takes, and says stop when elapsed + next step + checkpoint + margin would pass the budget.
/// </summary>
public sealed class StepClock(double budgetSeconds)
{
    private double average;
    private double last;

    public double BudgetSeconds { get; } = budgetSeconds;

    /// <summary>Safety margin: 1 % of the budget, at least 0.5 s, at most 60 s.</summary>
    public double Margin => Math.Clamp(BudgetSeconds * 0.01, 0.5, 60);

    /// <summary>Seconds of the last checkpoint write (before any: a guess from the model's size).</summary>
    public double CheckpointSeconds { get; set; } = 1;

    public double NextStepEstimate => Math.Max(average, last);

    public void RecordStep(double seconds)
    {
        last = seconds;
        average = average == 0 ? seconds : 0.9 * average + 0.1 * seconds;
    }

    /// <summary>The image size changed: step time scales roughly with the number of pixels (tokens).</summary>
    public void Rescale(int oldSize, int newSize)
    {
        Scale((double)newSize * newSize / ((double)oldSize * oldSize));
    }

    /// <summary>A step now costs <paramref name="factor"/> times as much (a budgeted-training stage changed).</summary>
    public void Scale(double factor)
    {
        average *= factor;
        last *= factor;
    }

    public bool ShouldStop(double elapsed) => elapsed + NextStepEstimate + CheckpointSeconds + Margin >= BudgetSeconds;
}
