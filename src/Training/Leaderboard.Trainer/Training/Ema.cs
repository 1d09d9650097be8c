
namespace Leaderboard.Trainer.Training;

/// <summary>
/// Exponential moving average of the model's weights (Polyak &amp; Juditsky 1992; timm's ModelEmaV2 as DeiT uses it):
/// after every optimizer step ema ← d·ema + (1 − d)·w for parameters, buffers copied. The effective decay is
/// min(decay, (1 + step) / (10 + step)) (TensorFlow's num_updates warm-up) so that a short run's average does not stay
/// dominated by the random initialisation. Holds its own copies of the state dict; keyed by the model's names.
/// </summary>
public sealed class Ema : IDisposable
{
    private readonly Dictionary<string, Tensor> shadow = [];
    private readonly HashSet<string> parameterNames;

    public double Decay { get; }

    public Ema(nn.Module model, double decay)
    {
        Decay = decay;
        parameterNames = model.named_parameters().Select(p => p.name).ToHashSet();
        using var ng = no_grad();
        foreach (var (name, t) in model.state_dict())
            shadow[name] = t.detach().clone().DetachFromDisposeScope();
    }

    public IReadOnlyDictionary<string, Tensor> State => shadow;

    public double EffectiveDecay(long step) => Math.Min(Decay, (1.0 + step) / (10.0 + step));

    public void Update(nn.Module model, long step)
    {
        double d = EffectiveDecay(step);
        using var ng = no_grad();
        foreach (var (name, t) in model.state_dict())
        {
            var s = shadow[name];
            if (parameterNames.Contains(name) && s.is_floating_point()) s.mul_(d).add_(t, alpha: 1 - d);
            else s.copy_(t);
        }
    }

    /// <summary>Replaces the averages (resume).</summary>
    public void Load(IReadOnlyDictionary<string, Tensor> values)
    {
        using var ng = no_grad();
        foreach (var (name, s) in shadow)
            if (values.TryGetValue(name, out var v)) s.copy_(v);
    }

    public void Dispose()
    {
        foreach (var t in shadow.Values) t.Dispose();
        shadow.Clear();
    }
}
