using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Tests.Models;

/// <summary>The registry sweep (as timm's test_models.py): every model option builds with exactly the parameters
/// ModelCost documents, runs forward and backward, and learns a fixed batch.</summary>
[Collection(TorchCollection.Name)]
public sealed class ModelRegistryTests
{
    [Theory]
    [MemberData(nameof(TinyModels.AllOptions), MemberType = typeof(TinyModels))]
    public void Every_option_matches_ModelCost_and_steps(string ffn, string tokenizer, string attention, string pooling, bool distillation, double? layerScale)
    {
        var config = TinyModels.Config(ffn, tokenizer, attention, pooling, distillation, layerScale);
        manual_seed(1);
        using var model = new VisionTransformer(config, TinyModels.ImageSize);

        // Same names and shapes; the order is PyTorch's (a module's own parameters before its children's), as timm's state dict.
        var expected = ModelCost.Parameters(config, TinyModels.ImageSize).Select(p => (p.Name, string.Join(",", p.Shape))).Order().ToList();
        var actual = model.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(ModelCost.Count(config, TinyModels.ImageSize).Params, model.parameters().Sum(p => p.numel()));

        using var scope = NewDisposeScope();
        var x = randn(4, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var y = tensor(new long[] { 0, 1, 2, 3 });
        var logits = model.forward(x);
        Assert.Equal(new long[] { 4, config.NumClasses }, logits.shape);
        nn.functional.cross_entropy(logits, y).backward();
        Assert.All(model.named_parameters(), p => Assert.True(p.parameter.grad is not null, $"{p.name} has no gradient"));
    }

    public static IEnumerable<object?[]> OneOptionEach() =>
    [
        ["mlp", "patch", "mhsa", "cls", false, null],
        ["locality", "patch", "mhsa", "cls", false, null],
        ["localvit", "patch", "mhsa", "cls", false, null],
        ["mlp", "spt", "mhsa", "cls", false, null],
        ["mlp", "patch", "lsa", "cls", false, null],
        ["mlp", "patch", "mhsa", "gap", false, null],
        ["mlp", "patch", "mhsa", "cls", true, null],
        ["mlp", "patch", "mhsa", "cls", false, 0.1],
        ["locality", "spt", "lsa", "gap", true, 0.1],
    ];

    [Theory]
    [MemberData(nameof(OneOptionEach))]
    public void Loss_falls_on_a_fixed_batch(string ffn, string tokenizer, string attention, string pooling, bool distillation, double? layerScale)
    {
        var config = TinyModels.Config(ffn, tokenizer, attention, pooling, distillation, layerScale, dropPath: 0.1);
        manual_seed(2);
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        using var optimizer = optim.AdamW(model.parameters(), lr: 3e-3, weight_decay: 0.0);
        using var scope = NewDisposeScope();
        var x = randn(8, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var y = tensor(new long[] { 0, 1, 2, 3, 4, 0, 1, 2 });
        double first = 0, last = 0;
        for (int i = 0; i < 15; i++)
        {
            using var stepScope = NewDisposeScope();
            var (cls, dist) = model.ForwardHeads(x);
            var loss = nn.functional.cross_entropy(cls, y);
            if (dist is not null) loss = (loss + nn.functional.cross_entropy(dist, y)).mul(0.5);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            double value = loss.item<float>();
            if (i == 0) first = value;
            last = value;
        }
        Assert.True(last < first * 0.8, $"loss went from {first} to {last}");
    }

    [Fact]
    public void DeiT_tiny_has_timm_names_and_size()
    {
        var config = ModelResolver.Resolve(new Leaderboard.Training.Recipes.ModelSpec { Variant = "tiny", PatchSize = 16 }, 1000);
        using var model = new VisionTransformer(config, 224);
        var names = model.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(5_717_416, model.parameters().Sum(p => p.numel())); // timm deit_tiny_patch16_224
        // timm's state-dict order: the model's own parameters first.
        Assert.Equal(["cls_token", "pos_embed", "patch_embed.proj.weight", "patch_embed.proj.bias", "blocks.0.norm1.weight"], names.Take(5));
        Assert.Contains("blocks.11.mlp.fc2.bias", names);
        Assert.Equal(["norm.weight", "norm.bias", "head.weight", "head.bias"], names.TakeLast(4));
    }

    [Theory]
    [InlineData("timm")]
    [InlineData("torch")]
    public void Linear_layers_start_as_the_recipe_asks(string init)
    {
        // timm: N(0, .02) weights and zero biases; torch: PyTorch's nn.Linear default, weight and bias U(±1/√fan_in).
        // The choice matters on a budget: timm's keeps small models on the ln(C) plateau for hundreds of steps (issue 16).
        using var model = new VisionTransformer(TinyModels.Config() with { Init = init }, TinyModels.ImageSize);
        foreach (var (name, p) in model.named_parameters().Where(p => p.name.StartsWith("blocks.0.attn.qkv", StringComparison.Ordinal) || p.name.StartsWith("head", StringComparison.Ordinal)))
        {
            double bound = 1 / Math.Sqrt(32), absMax = p.abs().max().item<float>(), std = p.std().item<float>();
            if (init == "torch")
            {
                Assert.True(absMax <= bound + 1e-6, $"{name}: |w| up to {absMax}, beyond 1/√fan_in = {bound}");
                Assert.InRange(std, bound / Math.Sqrt(3) * 0.7, bound / Math.Sqrt(3) * 1.3); // U(±b) has std b/√3
            }
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) Assert.Equal(0, absMax);
            else Assert.InRange(std, 0.014, 0.026);
        }
    }

    [Fact]
    public void Position_embedding_is_one_parameter_interpolated_for_other_sizes()
    {
        var config = TinyModels.Config();
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        var before = model.named_parameters().Single(p => p.name == "pos_embed").parameter;
        using var scope = NewDisposeScope();
        var small = model.forward(randn(2, 3, 8, 8));
        Assert.Equal(new long[] { 2, 5 }, small.shape);
        small.sum().backward();
        var after = model.named_parameters().Single(p => p.name == "pos_embed").parameter;
        Assert.Same(before, after);
        Assert.Equal(new long[] { 1, 1 + 16, 32 }, after.shape);
        Assert.NotNull(after.grad);
        Assert.True(after.grad!.abs().sum().item<float>() > 0);
        // At the base size the parameter is used as it is.
        Assert.Same(before, model.PositionEmbedding(16));
    }

    [Fact]
    public void Sincos_position_embeddings_follow_the_formula_and_are_no_parameter()
    {
        var config = TinyModels.Config(pooling: "gap") with { PosEmbed = "sincos2d" };
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        Assert.DoesNotContain(model.named_parameters(), p => p.name.Contains("pos", StringComparison.Ordinal));
        Assert.DoesNotContain(model.state_dict().Keys, k => k.Contains("pos", StringComparison.Ordinal));
        Assert.Equal(ModelCost.Count(config, TinyModels.ImageSize).Params, model.parameters().Sum(p => p.numel()));

        // big_vision's posemb_sincos_2d, element by element: D/4 = 8 frequencies ω_k = 10000^(−k/7);
        // token (row y, column x) = [sin(xω), cos(xω), sin(yω), cos(yω)]. Each size gets its own grid: 4x4 at 16 px, 3x3 at 12 px.
        foreach (int grid in new[] { 4, 3 })
        {
            var table = model.PositionEmbedding(grid * grid);
            Assert.Equal(new long[] { 1, grid * grid, 32 }, table.shape);
            Assert.False(table.requires_grad);
            var values = table.data<float>().ToArray();
            for (int t = 0; t < grid * grid; t++)
            {
                int y = t / grid, x = t % grid;
                for (int k = 0; k < 8; k++)
                {
                    double omega = 1 / Math.Pow(10_000, k / 7.0);
                    double[] expected = [Math.Sin(x * omega), Math.Cos(x * omega), Math.Sin(y * omega), Math.Cos(y * omega)];
                    for (int band = 0; band < 4; band++)
                        Assert.Equal(expected[band], values[t * 32 + band * 8 + k], 5);
                }
            }
        }
    }

    [Fact]
    public void Sincos_position_embeddings_leave_prefix_tokens_alone()
    {
        using var model = new VisionTransformer(TinyModels.Config(distillation: true) with { PosEmbed = "sincos2d" }, TinyModels.ImageSize);
        var table = model.PositionEmbedding(16);
        Assert.Equal(new long[] { 1, 2 + 16, 32 }, table.shape);
        Assert.Equal(0, table.narrow(1, 0, 2).abs().sum().item<float>());
        Assert.True(table.narrow(1, 2, 16).allclose(VisionTransformer.SinCos2d(4, 4, 32)));
    }

    [Fact]
    public void A_zero_initialised_head_starts_at_uniform_predictions()
    {
        var config = TinyModels.Config(pooling: "gap", distillation: true) with { ZeroHead = true, Init = "torch" };
        manual_seed(3);
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        using var scope = NewDisposeScope();
        var x = randn(4, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var probabilities = nn.functional.softmax(model.forward(x), 1);
        Assert.True(probabilities.allclose(full(4, config.NumClasses, 1.0 / config.NumClasses)));
        var loss = nn.functional.cross_entropy(model.forward(x), tensor(new long[] { 0, 1, 2, 3 }));
        Assert.Equal(Math.Log(config.NumClasses), loss.item<float>(), 5);
        // It still learns: the head's weights get a gradient from the first step on.
        loss.backward();
        var grad = model.named_parameters().Single(p => p.name == "head.weight").parameter.grad!;
        Assert.True(grad.abs().sum().item<float>() > 0);
        // Without zero_head the same model does not start uniform.
        using var plain = new VisionTransformer(config with { ZeroHead = false }, TinyModels.ImageSize);
        Assert.False(nn.functional.softmax(plain.forward(x), 1).allclose(full(4, config.NumClasses, 1.0 / config.NumClasses)));
    }

    [Fact]
    public void Weight_decay_excludes_norms_biases_tokens_and_pos_embed()
    {
        var config = TinyModels.Config(attention: "lsa", layerScale: 0.1, distillation: true);
        using var model = new VisionTransformer(config, TinyModels.ImageSize);
        var noDecay = model.named_parameters().Where(p => VisionTransformer.NoWeightDecay(p.name, p.parameter)).Select(p => p.name).ToHashSet();
        Assert.Contains("pos_embed", noDecay);
        Assert.Contains("cls_token", noDecay);
        Assert.Contains("dist_token", noDecay);
        Assert.Contains("blocks.0.norm1.weight", noDecay);
        Assert.Contains("blocks.0.attn.qkv.bias", noDecay);
        Assert.Contains("blocks.0.attn.temperature", noDecay);
        Assert.Contains("blocks.0.ls1.gamma", noDecay);
        Assert.DoesNotContain("blocks.0.attn.qkv.weight", noDecay);
        Assert.DoesNotContain("patch_embed.proj.weight", noDecay);
        Assert.DoesNotContain("head.weight", noDecay);
    }
}
