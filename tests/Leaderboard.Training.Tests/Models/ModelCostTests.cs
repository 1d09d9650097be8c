using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Models;

public class ModelCostTests
{
    private static ModelConfig Deit(string variant, int classes = 1000) => ModelResolver.Resolve(new ModelSpec { Variant = variant }, classes);

    private static ModelConfig Tiny => Deit("tiny");

    [Theory]
    // timm: sum(p.numel() for p in deit_*_patch16_224().parameters()); fvcore/timm: 1.26 / 4.61 / 17.58 GFLOPs.
    [InlineData("tiny", 5_717_416L, 1.26, 1_258_411_200d)]
    [InlineData("small", 22_050_664L, 4.61, 4_608_338_304d)]
    [InlineData("base", 86_567_656L, 17.58, 17_582_740_224d)]
    public void Deit_models_match_the_published_counts(string variant, long parameters, double publishedGflops, double flops)
    {
        var (p, f) = ModelCost.Count(Deit(variant), 224);
        Assert.Equal(parameters, p);
        Assert.Equal(flops, f);
        Assert.InRange(f / 1e9, publishedGflops * 0.98, publishedGflops * 1.02);
        Assert.Equal(publishedGflops, Math.Round(f / 1e9, 2));
    }

    [Fact]
    public void Sincos_position_embeddings_have_no_parameter_and_the_same_flops()
    {
        var sincos = Tiny with { PosEmbed = "sincos2d", Pooling = "gap", ZeroHead = true };
        var gap = Tiny with { Pooling = "gap" };
        Assert.DoesNotContain(ModelCost.Parameters(sincos, 224), p => p.Name == "pos_embed");
        Assert.Equal(ModelCost.Count(gap, 224).Params - 196 * 192, ModelCost.Count(sincos, 224).Params);
        Assert.Equal(ModelCost.Flops(gap, 224), ModelCost.Flops(sincos, 224));
        // The count no longer depends on the image size: nothing is sized to the grid.
        Assert.Equal(ModelCost.Count(sincos, 224).Params, ModelCost.Count(sincos, 32).Params);
    }

    [Fact]
    public void Deit_tiny_has_timm_parameter_names_and_shapes()
    {
        var parameters = ModelCost.Parameters(Tiny, 224);
        Assert.Equal(4 + 12 * 12 + 4, parameters.Count);
        Assert.Equal(parameters.Count, parameters.Select(p => p.Name).Distinct().Count());
        var byName = parameters.ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([192, 3, 16, 16], byName["patch_embed.proj.weight"]);
        Assert.Equal([1, 1, 192], byName["cls_token"]);
        Assert.Equal([1, 197, 192], byName["pos_embed"]);
        Assert.Equal([576, 192], byName["blocks.0.attn.qkv.weight"]);
        Assert.Equal([576], byName["blocks.0.attn.qkv.bias"]);
        Assert.Equal([192, 192], byName["blocks.5.attn.proj.weight"]);
        Assert.Equal([768, 192], byName["blocks.11.mlp.fc1.weight"]);
        Assert.Equal([192, 768], byName["blocks.11.mlp.fc2.weight"]);
        Assert.Equal([192], byName["blocks.11.norm2.bias"]);
        Assert.Equal([192], byName["norm.weight"]);
        Assert.Equal([1000, 192], byName["head.weight"]);
        Assert.DoesNotContain("blocks.12.norm1.weight", byName.Keys);
    }

    public static TheoryData<string, Func<ModelConfig, ModelConfig>, long> ParameterDeltas()
    {
        const int D = 192, H = 768, L = 12, C = 1000, S = H / 4, K = 15 * 16 * 16;
        return new()
        {
            // locality FFN: a depth-wise 3x3 conv with bias per block.
            { "locality", c => c with { Ffn = "locality" }, L * (H * 9 + H) },
            // localvit: 1x1 convs without bias, 3 BatchNorms, dwconv without bias, SE(H → H/4 → H), and no norm2.
            { "localvit", c => c with { Ffn = "localvit" }, L * (13L * H + 2L * H * S + S - D) },
            // SPT: LayerNorm(K) + Linear(K, D) instead of Conv2d(3, D, 16).
            { "spt", c => c with { Tokenizer = "spt" }, 2L * K + (long)K * D - 3 * 16 * 16 * D },
            { "lsa", c => c with { Attention = "lsa" }, L },
            { "layer_scale", c => c with { LayerScale = 1e-5 }, L * 2 * D },
            // dist_token, its pos_embed row, head_dist.
            { "distillation", c => c with { DistillationToken = true }, D + D + (long)D * C + C },
            // no cls_token, one pos_embed row less.
            { "gap", c => c with { Pooling = "gap" }, -2 * D },
            { "10 classes", c => c with { NumClasses = 10 }, -990L * (D + 1) },
            { "mlp_ratio 3", c => c with { MlpRatio = 3 }, -L * (2L * D * D + D) },
            { "depth 13", c => c with { Depth = 13 }, 444_864 },
            { "patch 8", c => c with { PatchSize = 8 }, (3L * 8 * 8 * D) - (3L * 16 * 16 * D) + (784 - 196) * D },
        };
    }

    [Theory]
    [MemberData(nameof(ParameterDeltas))]
    public void Each_option_adds_exactly_its_parameters(string option, Func<ModelConfig, ModelConfig> change, long delta)
    {
        _ = option;
        Assert.Equal(delta, ModelCost.Count(change(Tiny), 224).Params - ModelCost.Count(Tiny, 224).Params);
    }

    [Fact]
    public void Localvit_tiny_matches_the_published_localvit_t_se4()
    {
        // LocalViT (Li et al. 2021) model zoo: LocalViT-T-SE4 9.4M parameters (SE hidden = H / 4).
        var (p, _) = ModelCost.Count(Tiny with { Ffn = "localvit" }, 224);
        Assert.Equal(9.4, Math.Round(p / 1e6, 1));
    }

    [Fact]
    public void Option_parameters_have_the_documented_names()
    {
        var all = Tiny with { Ffn = "locality", Attention = "lsa", LayerScale = 0.1, DistillationToken = true };
        var names = ModelCost.Parameters(all, 224).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([768, 1, 3, 3], names["blocks.3.mlp.dwconv.weight"]);
        Assert.Equal([768], names["blocks.3.mlp.dwconv.bias"]);
        Assert.Empty(names["blocks.3.attn.temperature"]);
        Assert.Equal([192], names["blocks.3.ls1.gamma"]);
        Assert.Equal([192], names["blocks.3.ls2.gamma"]);
        Assert.Equal([1, 1, 192], names["dist_token"]);
        Assert.Equal([1, 198, 192], names["pos_embed"]);
        Assert.Equal([1000, 192], names["head_dist.weight"]);

        var localvit = ModelCost.Parameters(Tiny with { Ffn = "localvit" }, 224).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([768, 192, 1, 1], localvit["blocks.0.mlp.conv1.weight"]);
        Assert.Equal([768, 1, 3, 3], localvit["blocks.0.mlp.dwconv.weight"]);
        Assert.Equal([192, 768], localvit["blocks.0.mlp.se.fc1.weight"]);
        Assert.Equal([768, 192], localvit["blocks.0.mlp.se.fc2.weight"]);
        Assert.Equal([192, 768, 1, 1], localvit["blocks.0.mlp.conv2.weight"]);
        Assert.Equal([192], localvit["blocks.0.mlp.bn3.bias"]);
        Assert.DoesNotContain("blocks.0.norm2.weight", localvit.Keys);
        Assert.DoesNotContain("blocks.0.mlp.conv1.bias", localvit.Keys);

        var spt = ModelCost.Parameters(Tiny with { Tokenizer = "spt" }, 224).ToDictionary(p => p.Name, p => p.Shape);
        Assert.Equal([3840], spt["patch_embed.norm.weight"]);
        Assert.Equal([192, 3840], spt["patch_embed.proj.weight"]);
    }

    [Fact]
    public void Flop_deltas_follow_the_documented_ops()
    {
        double baseline = ModelCost.Flops(Tiny, 224);
        const double T = 196, N = 197, H = 768, D = 192, L = 12;
        Assert.Equal(L * 9 * T * H, ModelCost.Flops(Tiny with { Ffn = "locality" }, 224) - baseline);
        Assert.Equal(baseline, ModelCost.Flops(Tiny with { Attention = "lsa", LayerScale = 0.1 }, 224));
        // Distillation: one more token everywhere, and a second head.
        var dist = Tiny with { DistillationToken = true };
        Assert.True(ModelCost.Flops(dist, 224) > baseline + D * 1000);
        // GAP: one token fewer than cls.
        Assert.True(ModelCost.Flops(Tiny with { Pooling = "gap" }, 224) < baseline);
        // localvit: convs on patch tokens only, BatchNorm at 2 per element, SE once per image, no norm2.
        double localvit = ModelCost.Flops(Tiny with { Ffn = "localvit" }, 224);
        double mlpBlockFfn = 5 * N * D + 2 * N * D * H;
        double localvitBlockFfn = T * D * H + 2 * T * H + 9 * T * H + 2 * T * H + 2 * H * (H / 4) + T * H * D + 2 * T * D;
        Assert.Equal(L * (localvitBlockFfn - mlpBlockFfn), localvit - baseline, 6);
        // SPT: LayerNorm over 15·p² values and a linear instead of the conv.
        double spt = ModelCost.Flops(Tiny with { Tokenizer = "spt" }, 224);
        Assert.Equal(5 * T * 3840 + T * 3840 * D - T * D * 768, spt - baseline, 6);
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(112)]
    [InlineData(160)]
    public void Flops_grow_with_image_size_faster_than_linearly_in_tokens(int size)
    {
        double small = ModelCost.Flops(Tiny, size), large = ModelCost.Flops(Tiny, 224);
        double tokenRatio = (Math.Pow(224 / 16, 2) + 1) / (Math.Pow(size / 16, 2) + 1);
        Assert.True(large / small >= tokenRatio * 0.97, $"{large / small} vs {tokenRatio}");
        Assert.True(large / small <= tokenRatio * 1.3);
        // pos_embed is sized to the image; nothing else changes.
        Assert.Equal((Math.Pow(224 / 16, 2) - Math.Pow(size / 16, 2)) * 192, ModelCost.Count(Tiny, 224).Params - ModelCost.Count(Tiny, size).Params);
    }

    [Fact]
    public void Resolver_applies_variants_and_explicit_dims()
    {
        Assert.Equal((192, 12, 3), (Tiny.EmbedDim, Tiny.Depth, Tiny.Heads));
        Assert.Equal((384, 12, 6), (Deit("small").EmbedDim, Deit("small").Depth, Deit("small").Heads));
        Assert.Equal((768, 12, 12), (Deit("base").EmbedDim, Deit("base").Depth, Deit("base").Heads));
        var custom = ModelResolver.Resolve(new ModelSpec { Variant = "small", Depth = 6, Ffn = "locality", PatchSize = 8, LayerScale = 0.1 }, 10);
        Assert.Equal(new ModelConfig(384, 6, 6, 4, 8, 10, LayerScale: 0.1, Ffn: "locality"), custom);
        Assert.Throws<ArgumentException>(() => ModelResolver.Resolve(new ModelSpec { Variant = "custom", EmbedDim = 64 }, 10));
        Assert.Throws<ArgumentException>(() => ModelResolver.Resolve(new ModelSpec { Variant = "huge" }, 10));
    }
}
