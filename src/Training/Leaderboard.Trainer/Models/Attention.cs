using Leaderboard.Trainer.Training;


namespace Leaderboard.Trainer.Models;

/// <summary>
/// Multi-head self-attention (Vaswani et al. 2017; ViT, Dosovitskiy et al. 2021) with timm's parameter names
/// (<c>qkv</c>, <c>proj</c>), or, with <paramref name="locality"/>, locality self-attention (LSA, Lee et al. 2021,
/// "Vision Transformer for Small-Size Datasets"): a learnable temperature <c>temperature</c> (log scale, initialised to
/// log(1/√head_dim)) replaces the fixed 1/√d and each token's attention to itself is masked out.
/// With <see cref="ActiveHeads"/> below the head count (budgeted training, Xia et al. 2023) only the first heads are
/// computed: their q, k, v rows of <c>qkv</c> and their columns of <c>proj</c>.
/// </summary>
public sealed class Attention : nn.Module<Tensor, Tensor>
{
    private readonly Linear qkv;
    private readonly Parameter? temperature;
    private readonly Linear proj;
    private readonly int heads;
    private readonly double dropout;

    /// <summary>Heads computed in forward: the first ones (all by default).</summary>
    public int ActiveHeads { get; set; }

    public Attention(int dim, int heads, bool locality = false, double dropout = 0) : base("Attention")
    {
        this.heads = heads;
        ActiveHeads = heads;
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
        long b = input.shape[0], n = input.shape[1], d = input.shape[2], headDim = d / heads, a = ActiveHeads * headDim;
        var parts = (ActiveHeads == heads ? qkv.forward(input) : MixedPrecision.Linear(input, ActiveRows(qkv.Weight, a), ActiveRows(qkv.Bias!, a)))
            .reshape(b, n, 3, ActiveHeads, headDim).permute(2, 0, 3, 1, 4);
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
            var scale = temperature.exp().mul(Math.Sqrt(headDim)).to(q.dtype);
            x = MixedPrecision.Attention(q * scale, k, v, mask);
        }
        x = x.transpose(1, 2).reshape(b, n, a);
        x = ActiveHeads == heads ? proj.forward(x) : MixedPrecision.Linear(x, proj.Weight.narrow(1, 0, a), proj.Bias);
        return dropout > 0 ? nn.functional.dropout(x, dropout, training) : x;
    }

    /// <summary>The q, k and v rows of the first <paramref name="channels"/> attention channels: [3·D, …] → [3·channels, …].</summary>
    private static Tensor ActiveRows(Tensor t, long channels) =>
        t.unflatten(0, [3, t.shape[0] / 3]).narrow(1, 0, channels).flatten(0, 1);
}
