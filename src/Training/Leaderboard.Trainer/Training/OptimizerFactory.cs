using System.Globalization;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Recipes;
using TorchSharp.Modules;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) or SGD with two parameter groups as DeiT / timm: weight decay on the weight
/// matrices and kernels, none on norms, biases, LayerScale gammas, LSA temperatures, pos_embed and the cls/dist tokens
/// (<see cref="VisionTransformer.NoWeightDecay"/>). Group 0 decays, group 1 does not. Each group gets its lr and
/// weight decay explicitly (TorchSharp's group shortcut constructors default lr to 1e-3).
/// </summary>
public static class OptimizerFactory
{
    public static OptimizerHelper Create(nn.Module model, OptimizerSpec spec)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (name, p) in model.named_parameters())
            (VisionTransformer.NoWeightDecay(name, p) ? noDecay : decay).Add(p);
        if (spec.Name == "sgd")
        {
            SGD.ParamGroup Group(List<Parameter> ps, double wd) => new(ps, new SGD.Options
            {
                LearningRate = spec.Lr, InitialLearningRate = spec.Lr, momentum = spec.Momentum, dampening = 0,
                weight_decay = wd, nesterov = spec.Nesterov, maximize = false,
            });
            return new SGD([Group(decay, spec.WeightDecay), Group(noDecay, 0)], spec.Lr, spec.Momentum, 0, spec.WeightDecay, spec.Nesterov);
        }
        AdamW.ParamGroup AdamGroup(List<Parameter> ps, double wd) => new(ps, new AdamW.Options
        {
            LearningRate = spec.Lr, InitialLearningRate = spec.Lr, beta1 = spec.Beta1, beta2 = spec.Beta2, eps = spec.Eps,
            weight_decay = wd, amsgrad = false, maximize = false,
        });
        return new AdamW([AdamGroup(decay, spec.WeightDecay), AdamGroup(noDecay, 0)], spec.Lr, spec.Beta1, spec.Beta2, spec.Eps, spec.WeightDecay);
    }

    public static void SetLr(OptimizerHelper optimizer, double lr)
    {
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
    }

    /// <summary>The weight decay of each group, in order.</summary>
    public static IReadOnlyList<double> WeightDecays(OptimizerHelper optimizer) =>
        optimizer.ParamGroups.Cast<ParamGroup>().Select(g => g.Options switch
        {
            AdamW.Options a => a.weight_decay ?? 0,
            SGD.Options s => s.weight_decay ?? 0,
            _ => throw new NotSupportedException(g.Options.GetType().Name),
        }).ToList();

    /// <summary>
    /// The optimizer's per-parameter state as named tensors (<c>N.exp_avg</c>, <c>N.exp_avg_sq</c> for AdamW;
    /// <c>N.momentum_buffer</c> for SGD; N = the parameter's position) plus the step counts as metadata, for the resume
    /// file. Tensors are the optimizer's own (not copies).
    /// </summary>
    public static (List<(string Name, Tensor Tensor)> Tensors, Dictionary<string, string> Meta) State(OptimizerHelper optimizer)
    {
        var tensors = new List<(string, Tensor)>();
        var meta = new Dictionary<string, string>();
        var states = optimizer.state_dict().State;
        for (int i = 0; i < states.Count; i++)
        {
            switch (states[i])
            {
                case AdamW.State a:
                    meta[$"{i}.step"] = a.step.ToString(CultureInfo.InvariantCulture);
                    tensors.Add(($"{i}.exp_avg", a.exp_avg));
                    tensors.Add(($"{i}.exp_avg_sq", a.exp_avg_sq));
                    break;
                case SGD.State s when s.momentum_buffer is not null:
                    tensors.Add(($"{i}.momentum_buffer", s.momentum_buffer));
                    break;
            }
        }
        return (tensors, meta);
    }

    /// <summary>Restores what <see cref="State"/> wrote (resume): copies into the optimizer's state tensors.</summary>
    public static void LoadState(OptimizerHelper optimizer, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> meta)
    {
        using var ng = no_grad();
        var states = optimizer.state_dict().State;
        Tensor Get(string name) => tensors.TryGetValue(name, out var t) ? t : throw new InvalidDataException($"resume: the training state has no optimizer tensor '{name}'");
        for (int i = 0; i < states.Count; i++)
        {
            switch (states[i])
            {
                case AdamW.State a:
                    a.step = long.Parse(meta.TryGetValue($"{i}.step", out var step) ? step : "0", CultureInfo.InvariantCulture);
                    a.exp_avg.copy_(Get($"{i}.exp_avg"));
                    a.exp_avg_sq.copy_(Get($"{i}.exp_avg_sq"));
                    break;
                case SGD.State s when tensors.TryGetValue($"{i}.momentum_buffer", out var buffer):
                    s.momentum_buffer?.Dispose();
                    s.momentum_buffer = buffer.clone().DetachFromDisposeScope();
                    break;
            }
        }
    }
}
