using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Models;

/// <summary>BinaryViT's cost (Le &amp; Li 2023): binary multiply-adds counted apart from full-precision ones, OPs = FLOPs + BOPs/64.</summary>
public class BinaryCostTests
{
    // Two stages: 16 px, patch 4 → a 4×4 grid of 8 channels, then 2×2 of 16; FFN ratio 2; 3 classes; pooling branches 3 and 5.
    private static ModelConfig Small(bool fullPrecisionDownsample = false) => ModelResolver.Resolve(new ModelSpec
    {
        Variant = "custom", EmbedDim = 8, Heads = 1, MlpRatio = 2, PatchSize = 4, Pooling = "gap",
        Binary = new BinarySpec { Depths = [1, 1], FullPrecisionDownsample = fullPrecisionDownsample },
    }, 3);

    [Fact]
    public void Operations_match_a_hand_count()
    {
        // Full precision: stem 16·8·48 = 6144 and its norm 5·16·8 = 640; stage-0 block norms 2·5·16·8 = 1280 and attn·v 16²·8 = 2048;
        // downsample norms 5·16·8 = 640 and 5·4·16 = 320; stage-1 block norms 2·5·4·16 = 640 and attn·v 4²·16 = 256; final norm
        // 5·4·16 = 320 and head 16·3 = 48: 12 336.
        // Binary: stage-0 block qkv 16·8·24 = 3072, q·kᵀ 2048, proj 16·64 = 1024, fc1+fc2 2·16·8·16 = 4096 (10 240); downsample
        // conv 4·16·8·4 = 2048; stage-1 block 4·16·48 = 3072 + 256 + 4·256 = 1024 + 2·4·16·32 = 4096 (8 448): 20 736.
        var config = Small();
        Assert.Equal(2, config.Depth);
        Assert.Equal(12_336, BinaryCost.FullPrecisionFlops(config, 16));
        Assert.Equal(20_736, BinaryCost.BinaryOps(config, 16));
        Assert.Equal(12_336 + 20_736 / 64.0, ModelCost.Flops(config, 16)); // the paper's OPs
        Assert.Equal(20_736, ModelCost.Bops(config, 16));
        Assert.Equal(12_336 + 20_736, ModelCost.ExecutedFlops(config, 16)); // training simulates the binary layers in floating point

        // The "some FP" variant moves the downsampling convolution to the full-precision count.
        var fp = Small(fullPrecisionDownsample: true);
        Assert.Equal(12_336 + 2048, BinaryCost.FullPrecisionFlops(fp, 16));
        Assert.Equal(20_736 - 2048, BinaryCost.BinaryOps(fp, 16));
    }

    [Fact]
    public void Parameters_match_a_hand_count()
    {
        // stem 392 + norm 16 + pos_embed 128; stage-0 block 696 (norms 32, qkv 216, proj 72, fc1 144, fc2 136, affines 32, four
        // pooling affines 64); downsample 576 (norms 48, conv 528); stage-1 block 2416; final norm 32 and head 51.
        var (parameters, _) = ModelCost.Count(Small(), 16);
        Assert.Equal(4307, parameters);
        Assert.Equal(0, ModelCost.Bops(ModelResolver.Resolve(new ModelSpec(), 10), 32));
    }

    [Fact]
    public void The_estimate_pays_binary_layers_at_full_price_while_training()
    {
        var recipe = new Recipe
        {
            Model = new ModelSpec
            {
                Variant = "custom", EmbedDim = 8, Heads = 1, MlpRatio = 2, PatchSize = 4, Pooling = "gap", Binary = new BinarySpec { Depths = [1, 1] },
            },
            Data = new DataSpec { ImageSize = 16 },
        };
        var track = new TrackInfo(3, 1000, 100, ReferenceTflops: 1, Utilisation: 1);
        var estimate = CostEstimator.Estimate(recipe, track);
        Assert.Equal((12_336 + 20_736 / 64.0) / 1e9, estimate.Gflops, 12);
        Assert.Equal(1e12 / (CostEstimator.FlopsPerMac * 3 * (12_336 + 20_736)), estimate.ExpectedImagesPerSecond!.Value, 6);
    }
}
