using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Tests.Models;

/// <summary>HydraViT (Haberer et al. 2024): the k-head sub-network is exactly a plain ViT of width k·head_dim made of the
/// first rows and columns of the shared weights, and training one sub-network touches only its slice.</summary>
[Collection(TorchCollection.Name)]
public sealed class HydraVisionTransformerTests
{
    private static ModelConfig Config(string pooling = "cls", string posEmbed = "learned") =>
        new(EmbedDim: 48, Depth: 2, Heads: 3, MlpRatio: 2, PatchSize: 4, NumClasses: 5, Pooling: pooling, PosEmbed: posEmbed);

    [Fact]
    public void Parameters_are_the_plain_vits_as_ModelCost_lists_them()
    {
        var config = Config();
        using var model = new HydraVisionTransformer(config, 16);
        var expected = ModelCost.Parameters(config, 16).Select(p => (p.Name, string.Join(",", p.Shape))).Order().ToList();
        var actual = model.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))).Order().ToList();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("cls", "learned", 16)]
    [InlineData("gap", "learned", 16)]
    [InlineData("cls", "sincos2d", 16)]
    [InlineData("cls", "learned", 24)] // position embeddings interpolated to another grid
    public void Each_subnetwork_computes_what_a_plain_vit_with_the_sliced_weights_computes(string pooling, string posEmbed, int imageSize)
    {
        var config = Config(pooling, posEmbed);
        manual_seed(3);
        using var hydra = new HydraVisionTransformer(config, 16);
        hydra.eval();
        using var scope = NewDisposeScope();
        var x = randn(2, 3, imageSize, imageSize);
        for (int k = 1; k <= config.Heads; k++)
        {
            var sub = HydraSubnetworks.Config(config, k);
            using var plain = new VisionTransformer(sub, 16);
            plain.load_state_dict(hydra.SubnetworkWeights(k));
            plain.eval();
            hydra.ActiveHeads = k;
            using var ng = no_grad();
            var expected = plain.forward(x);
            var actual = hydra.forward(x);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"k = {k}: max difference {(actual - expected).abs().max().item<float>()}");
            Assert.Equal(ModelCost.Count(sub, 16).Params, plain.parameters().Sum(p => p.numel()));
        }
    }

    [Fact]
    public void Subnetworks_slice_the_first_heads_rows_and_channels_of_the_shared_weights()
    {
        var config = Config();
        manual_seed(4);
        using var hydra = new HydraVisionTransformer(config, 16);
        var full = hydra.state_dict();
        var one = hydra.SubnetworkWeights(1); // 16 channels, 32 hidden units
        Assert.True(one["patch_embed.proj.weight"].allclose(full["patch_embed.proj.weight"].narrow(0, 0, 16), rtol: 0, atol: 0));
        Assert.True(one["pos_embed"].allclose(full["pos_embed"].narrow(2, 0, 16), rtol: 0, atol: 0));
        Assert.True(one["blocks.0.norm1.weight"].allclose(full["blocks.0.norm1.weight"].narrow(0, 0, 16), rtol: 0, atol: 0));
        // q, k and v of head 0: rows 0-15, 48-63 and 96-111 of qkv, over input channels 0-15.
        var qkv = full["blocks.1.attn.qkv.weight"];
        var rows = cat([qkv.narrow(0, 0, 16), qkv.narrow(0, 48, 16), qkv.narrow(0, 96, 16)], 0).narrow(1, 0, 16);
        Assert.True(one["blocks.1.attn.qkv.weight"].allclose(rows));
        Assert.True(one["blocks.1.mlp.fc1.weight"].allclose(full["blocks.1.mlp.fc1.weight"].narrow(0, 0, 32).narrow(1, 0, 16), rtol: 0, atol: 0));
        Assert.True(one["blocks.1.mlp.fc2.weight"].allclose(full["blocks.1.mlp.fc2.weight"].narrow(0, 0, 16).narrow(1, 0, 32), rtol: 0, atol: 0));
        Assert.True(one["head.weight"].allclose(full["head.weight"].narrow(1, 0, 16), rtol: 0, atol: 0));
        // The largest sub-network is the whole model.
        var all = hydra.SubnetworkWeights(config.Heads);
        Assert.All(full, kv => Assert.True(all[kv.Key].allclose(kv.Value), kv.Key));
    }

    [Fact]
    public void Training_the_one_head_subnetwork_changes_only_its_slice()
    {
        var config = Config();
        manual_seed(5);
        using var hydra = new HydraVisionTransformer(config, 16) { ActiveHeads = 1 };
        using var scope = NewDisposeScope();
        nn.functional.cross_entropy(hydra.forward(randn(4, 3, 16, 16)), tensor(new long[] { 0, 1, 2, 3 })).backward();
        var grads = hydra.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!);
        var qkv = grads["blocks.0.attn.qkv.weight"].view(3, 48, 48);
        Assert.True(qkv.narrow(1, 0, 16).narrow(2, 0, 16).abs().sum().item<float>() > 0);
        Assert.Equal(0, qkv.narrow(1, 16, 32).abs().sum().item<float>());
        Assert.Equal(0, qkv.narrow(2, 16, 32).abs().sum().item<float>());
        Assert.Equal(0, grads["blocks.0.mlp.fc1.weight"].narrow(0, 32, 64).abs().sum().item<float>());
        Assert.Equal(0, grads["patch_embed.proj.weight"].narrow(0, 16, 32).abs().sum().item<float>());
        Assert.Equal(0, grads["head.weight"].narrow(1, 16, 32).abs().sum().item<float>());
        Assert.True(grads["head.bias"].abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Active_heads_outside_the_model_are_refused()
    {
        using var hydra = new HydraVisionTransformer(Config(), 16);
        Assert.Throws<ArgumentOutOfRangeException>(() => hydra.ActiveHeads = 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => hydra.ActiveHeads = 0);
    }
}
