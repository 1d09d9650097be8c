using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Tests.Models;

/// <summary>
/// Budgeted training's sub-networks (Xia et al. 2023): with fewer active heads and MLP channels the model computes exactly
/// the full model restricted to them, and only their weights get gradients.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class ActiveWidthTests
{
    private const int Dim = 32, Heads = 4, HeadDim = Dim / Heads, Hidden = 64;

    private static ModelConfig Config(string ffn, string attention, string pooling = "cls", bool distillation = false) =>
        TinyModels.Config(ffn: ffn, attention: attention, pooling: pooling, distillation: distillation) with { EmbedDim = Dim, Heads = Heads };

    public static IEnumerable<object[]> Variants() =>
    [
        ["mlp", "mhsa", "cls", false], ["locality", "lsa", "gap", false], ["mlp", "lsa", "cls", true], ["locality", "mhsa", "cls", true],
    ];

    [Theory]
    [MemberData(nameof(Variants))]
    public void The_sliced_forward_equals_the_full_model_with_the_inactive_parts_masked(string ffn, string attention, string pooling, bool distillation)
    {
        var config = Config(ffn, attention, pooling, distillation);
        Assert.Equal(Hidden, config.MlpHidden);
        manual_seed(1);
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        using var masked = new VisionTransformer(config, TinyModels.ImageSize);
        masked.load_state_dict(model.state_dict());
        const int heads = 2, hidden = 24;
        // The masked reference computes every head and channel, but the inactive ones reach nothing: their columns of
        // proj (heads) and of fc2 (channels; the depth-wise conv keeps channels apart) are zero.
        using (no_grad())
        {
            foreach (var (name, p) in masked.named_parameters())
            {
                if (name.EndsWith("attn.proj.weight", StringComparison.Ordinal)) p.narrow(1, heads * HeadDim, Dim - heads * HeadDim).zero_();
                if (name.EndsWith("mlp.fc2.weight", StringComparison.Ordinal)) p.narrow(1, hidden, Hidden - hidden).zero_();
            }
        }
        model.SetActiveWidth(heads, hidden);
        using var scope = NewDisposeScope();
        var x = randn(3, 3, TinyModels.ImageSize, TinyModels.ImageSize);

        var sliced = model.forward(x);
        var reference = masked.forward(x);

        Assert.True(sliced.allclose(reference, rtol: 1e-4, atol: 1e-5), $"max difference {(sliced - reference).abs().max().item<float>()}");
        // The full model is different (the inactive parts do count there), and setting the full width gives it back.
        using var full = new VisionTransformer(config, TinyModels.ImageSize);
        full.load_state_dict(model.state_dict());
        Assert.False(full.forward(x).allclose(sliced, rtol: 1e-3, atol: 1e-4));
        model.SetActiveWidth(Heads, Hidden);
        Assert.True(model.forward(x).allclose(full.forward(x), rtol: 1e-5, atol: 1e-6));
    }

    [Theory]
    [InlineData("mlp", "mhsa")]
    [InlineData("locality", "lsa")]
    public void Only_the_active_weights_get_gradients(string ffn, string attention)
    {
        manual_seed(2);
        // gap: every patch token reaches the loss (with cls, the last block's depth-wise conv on the patches would not).
        using var model = new VisionTransformer(Config(ffn, attention, pooling: "gap"), TinyModels.ImageSize);
        const int heads = 1, hidden = 16;
        int a = heads * HeadDim;
        model.SetActiveWidth(heads, hidden);
        using var scope = NewDisposeScope();
        var x = randn(4, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        nn.functional.cross_entropy(model.forward(x), tensor(new long[] { 0, 1, 2, 3 })).backward();

        var grads = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        static double Abs(Tensor t) => t.abs().sum().item<float>();
        for (int i = 0; i < 2; i++)
        {
            string b = $"blocks.{i}.";
            var qkv = grads[b + "attn.qkv.weight"].view(3, Dim, Dim);
            Assert.True(Abs(qkv.narrow(1, 0, a)) > 0);
            Assert.Equal(0, Abs(qkv.narrow(1, a, Dim - a)));
            Assert.Equal(0, Abs(grads[b + "attn.qkv.bias"].view(3, Dim).narrow(1, a, Dim - a)));
            Assert.True(Abs(grads[b + "attn.proj.weight"].narrow(1, 0, a)) > 0);
            Assert.Equal(0, Abs(grads[b + "attn.proj.weight"].narrow(1, a, Dim - a)));
            Assert.True(Abs(grads[b + "mlp.fc1.weight"].narrow(0, 0, hidden)) > 0);
            Assert.Equal(0, Abs(grads[b + "mlp.fc1.weight"].narrow(0, hidden, Hidden - hidden)));
            Assert.Equal(0, Abs(grads[b + "mlp.fc1.bias"].narrow(0, hidden, Hidden - hidden)));
            Assert.True(Abs(grads[b + "mlp.fc2.weight"].narrow(1, 0, hidden)) > 0);
            Assert.Equal(0, Abs(grads[b + "mlp.fc2.weight"].narrow(1, hidden, Hidden - hidden)));
            if (ffn == "locality")
            {
                Assert.True(Abs(grads[b + "mlp.dwconv.weight"].narrow(0, 0, hidden)) > 0);
                Assert.Equal(0, Abs(grads[b + "mlp.dwconv.weight"].narrow(0, hidden, Hidden - hidden)));
                Assert.Equal(0, Abs(grads[b + "mlp.dwconv.bias"].narrow(0, hidden, Hidden - hidden)));
            }
        }
    }

    [Fact]
    public void Widths_beyond_the_model_or_a_sliced_localvit_ffn_are_refused()
    {
        using var model = new VisionTransformer(Config("mlp", "mhsa"), TinyModels.ImageSize);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SetActiveWidth(Heads + 1, Hidden));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.SetActiveWidth(1, 0));
        using var localvit = new VisionTransformer(Config("localvit", "mhsa"), TinyModels.ImageSize);
        localvit.SetActiveWidth(1, Hidden);
        Assert.Throws<ArgumentOutOfRangeException>(() => localvit.SetActiveWidth(1, Hidden / 2));
    }
}
