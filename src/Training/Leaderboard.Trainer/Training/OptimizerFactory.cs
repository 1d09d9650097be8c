using Leaderboard.Torch;
using Leaderboard.Trainer.Models;
using Leaderboard.Training.Recipes;
using static Leaderboard.Torch.torch;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// AdamW (Loshchilov &amp; Hutter 2019) or SGD with two parameter groups as DeiT / timm: weight decay on the weight
/// matrices and kernels, none on norms, biases, LayerScale gammas, LSA temperatures, pos_embed and the cls/dist tokens
/// (<see cref="VisionTransformer.NoWeightDecay"/>). Group 0 decays, group 1 does not.
/// </summary>
public static class OptimizerFactory
{
    public static optim.Optimizer Create(nn.Module model, OptimizerSpec spec)
    {
        var decay = new List<Tensor>();
        var noDecay = new List<Tensor>();
        foreach (var (name, p) in model.named_parameters())
            (VisionTransformer.NoWeightDecay(name, p) ? noDecay : decay).Add(p);
        var groups = new List<optim.ParamGroup> { new(decay, weight_decay: spec.WeightDecay), new(noDecay, weight_decay: 0.0) };
        return spec.Name == "sgd"
            ? new optim.SGD(groups, spec.Lr, momentum: spec.Momentum, weight_decay: spec.WeightDecay, nesterov: spec.Nesterov)
            : new optim.AdamW(groups, spec.Lr, spec.Beta1, spec.Beta2, spec.Eps, spec.WeightDecay);
    }

    public static void SetLr(optim.Optimizer optimizer, double lr)
    {
        foreach (var g in optimizer.param_groups) g.lr = lr;
    }
}
