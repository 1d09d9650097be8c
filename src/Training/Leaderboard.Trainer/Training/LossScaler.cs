using System.Globalization;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// Dynamic loss scaling for fp16 (Micikevicius et al. 2018; PyTorch's GradScaler): the loss is multiplied by S before
/// backward so that small fp16 gradients do not flush to zero; the fp32 gradients are divided by S again before
/// clipping and the step. When any gradient is inf or NaN the step is skipped and S halves; after
/// <see cref="GrowthInterval"/> good steps in a row S doubles.
/// </summary>
public sealed class LossScaler(double initialScale = 65536, int growthInterval = 2000)
{
    public double Scale { get; private set; } = initialScale;
    public int GrowthInterval { get; } = growthInterval;
    /// <summary>Good steps since the scale last changed.</summary>
    public int GoodSteps { get; private set; }
    public long SkippedSteps { get; private set; }

    public Tensor ScaleLoss(Tensor loss) => loss.mul(Scale);

    /// <summary>Divides the gradients by the scale in place; true when all are finite (one host sync).</summary>
    public bool Unscale(IEnumerable<Parameter> parameters)
    {
        using var ng = no_grad();
        using var scope = NewDisposeScope();
        var sums = new List<Tensor>();
        foreach (var p in parameters)
        {
            if (p.grad is not Tensor g) continue;
            g.mul_(1 / Scale);
            sums.Add(g.sum().to(ScalarType.Float32));
        }
        // inf or NaN anywhere makes the total inf or NaN.
        return sums.Count == 0 || double.IsFinite(stack(sums).sum().item<float>());
    }

    /// <summary>After a step: halves the scale on overflow (the step was skipped), doubles it after a run of good steps.</summary>
    public void Update(bool finite)
    {
        if (!finite)
        {
            Scale *= 0.5;
            GoodSteps = 0;
            SkippedSteps++;
            return;
        }
        if (++GoodSteps >= GrowthInterval)
        {
            Scale *= 2;
            GoodSteps = 0;
        }
    }

    public Dictionary<string, string> ToMetadata() => new()
    {
        ["scale"] = Scale.ToString("R", CultureInfo.InvariantCulture),
        ["goodSteps"] = GoodSteps.ToString(CultureInfo.InvariantCulture),
    };

    public void Load(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.TryGetValue("scale", out var s)) Scale = double.Parse(s, CultureInfo.InvariantCulture);
        if (meta.TryGetValue("goodSteps", out var g)) GoodSteps = int.Parse(g, CultureInfo.InvariantCulture);
    }
}
