using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Learning rate as a pure function of training progress in [0, 1]: linear warmup from 0, then the named decay over
/// the rest. Progress is elapsed / budget (<c>over: budget</c>) or epochs done / epochs (<c>over: epochs</c>); the
/// trainer computes it, this class only maps it to a learning rate.
/// <list type="bullet">
/// <item>cosine: min_lr + (lr − min_lr)·½(1 + cos πt) (Loshchilov &amp; Hutter 2017, SGDR)</item>
/// <item>linear: lr·(1 − t), to zero (Li et al. 2020, "Budgeted Training: Rethinking Deep Neural Network Training
/// Under Resource Constraints")</item>
/// <item>step: lr·γ^k, k = milestones passed (milestones in the same unit as <c>over</c>)</item>
/// <item>rex: lr·(1 − t) / (½ + ½(1 − t)) (Chen et al. 2022, "REX: Revisiting Budgeted Training with an Improved
/// Schedule")</item>
/// <item>constant: lr</item>
/// </list>
/// t is the progress after warmup, rescaled to [0, 1].
/// </summary>
public sealed class LrSchedule
{
    public string Name { get; }
    public double BaseLr { get; }
    public double MinLr { get; }
    /// <summary>Warmup length as a fraction of progress.</summary>
    public double Warmup { get; }
    /// <summary>Step milestones as fractions of progress.</summary>
    public IReadOnlyList<double> Milestones { get; }
    public double Gamma { get; }

    public LrSchedule(string name, double baseLr, double warmup, double minLr = 0, IReadOnlyList<double>? milestones = null, double gamma = 0.1)
    {
        if (name is not ("cosine" or "linear" or "step" or "rex" or "constant"))
            throw new ArgumentException($"unknown schedule '{name}' (cosine, linear, step, rex, constant)", nameof(name));
        Name = name;
        BaseLr = baseLr;
        MinLr = minLr;
        Warmup = Math.Clamp(warmup, 0, 1);
        Milestones = milestones ?? [];
        Gamma = gamma;
    }

    /// <summary>The schedule of a recipe: over epochs, warmup and milestones are converted from epochs to fractions.</summary>
    public static LrSchedule FromRecipe(ScheduleSpec spec, double baseLr)
    {
        double scale = spec.Over == "epochs" ? 1.0 / Math.Max(1, spec.Epochs ?? 1) : 1.0;
        return new LrSchedule(spec.Name, baseLr, spec.Warmup * scale, spec.MinLr,
            spec.Milestones.Select(m => m * scale).ToArray(), spec.Gamma);
    }

    public double At(double progress)
    {
        double p = Math.Clamp(progress, 0, 1);
        if (Warmup > 0 && p < Warmup) return BaseLr * p / Warmup;
        double t = Warmup >= 1 ? 1 : (p - Warmup) / (1 - Warmup);
        return Name switch
        {
            "cosine" => MinLr + (BaseLr - MinLr) * 0.5 * (1 + Math.Cos(Math.PI * t)),
            "linear" => BaseLr * (1 - t),
            "rex" => BaseLr * (1 - t) / (0.5 + 0.5 * (1 - t)),
            "step" => BaseLr * Math.Pow(Gamma, Milestones.Count(m => p >= m)),
            _ => BaseLr,
        };
    }
}
