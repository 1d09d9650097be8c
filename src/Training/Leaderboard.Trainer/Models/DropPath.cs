
namespace Leaderboard.Trainer.Models;

/// <summary>Stochastic depth per sample (Huang et al. 2016, "Deep Networks with Stochastic Depth"; timm's DropPath):
/// in training, each sample's residual branch is zeroed with probability p and the rest scaled by 1/(1 − p); identity in eval.</summary>
public sealed class DropPath(double p) : nn.Module<Tensor, Tensor>("DropPath")
{
    public double P { get; } = p;

    public override Tensor forward(Tensor input)
    {
        if (!training || P <= 0) return input.alias();
        double keep = 1 - P;
        var shape = new long[input.dim()];
        Array.Fill(shape, 1L);
        shape[0] = input.shape[0];
        var mask = rand(shape, input.dtype, input.device).lt(keep).to(input.dtype).div_(keep);
        return input * mask;
    }
}

/// <summary>LayerScale (Touvron et al. 2021, "Going deeper with Image Transformers", CaiT): a learnable per-channel
/// scale of a residual branch, initialised small. Parameter <c>gamma</c> as timm.</summary>
public sealed class LayerScale : nn.Module<Tensor, Tensor>
{
    private readonly Parameter gamma;

    public LayerScale(int dim, double init) : base("LayerScale")
    {
        gamma = Init.Parameter([dim], init);
        register_parameter("gamma", gamma);
    }

    public override Tensor forward(Tensor input) => input * gamma;
}
