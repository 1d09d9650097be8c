using Leaderboard.Trainer.Training;


namespace Leaderboard.Trainer.Models;

/// <summary>
/// Multi-head self-attention (Vaswani et al. 2017; ViT, Dosovitskiy et al. 2021) with timm's parameter names
/// (<c>qkv</c>, <c>proj</c>), or, with <paramref name="locality"/>, locality self-attention (LSA, Lee et al. 2021,
/// "Vision Transformer for Small-Size Datasets"): a learnable temperature <c>temperature</c> (log scale, initialised to
/// log(1/√head_dim)) replaces the fixed 1/√d and each token's attention to itself is masked out.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Parameter? temperature;
    private readonly Linear proj;
    private readonly int heads;
    private readonly double dropout;

    public Attention(int dim, int heads, bool locality = false, double dropout = 0) : base("Attention")
    {
        this.heads = heads;
        this.dropout = dropout;
        qkv = Layers.Linear(dim, 3 * dim);
        register_module("qkv", qkv);
        if (locality)
        {
            temperature = Init.Parameter([], Math.Log(1 / Math.Sqrt(dim / heads)));
            register_parameter("temperature", temperature);
        }
        proj = Layers.Linear(dim, dim);
        register_module("proj", proj);
    }

    public override Tensor forward(Tensor input)
    {
        long b = input.shape[0], n = input.shape[1], d = input.shape[2];
        var parts = qkv.forward(input).reshape(b, n, 3, heads, d / heads).permute(2, 0, 3, 1, 4);
        Tensor q = parts[0], k = parts[1], v = parts[2];
        Tensor x;
        if (temperature is null)
        {
            x = MixedPrecision.Attention(q, k, v);
        }
        else
        {
            // LSA: scores = q·kᵀ·exp(temperature), diagonal masked. SDPA divides by √head_dim and takes no scale of its
            // own, so exp(temperature)·√head_dim is folded into q (in q's dtype) and the fused kernel still applies.
            using var eye = torch.eye(n, dtype: ScalarType.Bool, device: input.device);
            var mask = eye.logical_not();
            var scale = temperature.exp().mul(Math.Sqrt(d / heads)).to(q.dtype);
            x = MixedPrecision.Attention(q * scale, k, v, mask);
        }
        x = x.transpose(1, 2).reshape(b, n, d);
        x = proj.forward(x);
        return dropout > 0 ? nn.functional.dropout(x, dropout, training) : x;
    }
}
