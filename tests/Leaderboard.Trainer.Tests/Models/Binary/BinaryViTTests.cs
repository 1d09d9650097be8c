using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Models.Binary;
using Leaderboard.Training.Models;

namespace Leaderboard.Trainer.Tests.Models.Binary;

/// <summary>
/// BinaryViT's mechanics (Le &amp; Li 2023): binarised values, the straight-through gradients, finite differences where the
/// model is smooth (affine transforms, pooling branches, full-precision downsampling), and the pyramid's shapes.
/// </summary>
[Collection(TorchCollection.Name)]
public sealed class BinaryViTTests
{
    public static ModelConfig Config(int[] depths, bool fullPrecisionDownsample = false, int patch = 2) =>
        new(EmbedDim: 8, Depth: depths.Sum(), Heads: 1, MlpRatio: 2, PatchSize: patch, NumClasses: 5, Pooling: "gap",
            Binary: new BinaryConfig(depths, [3, 5], fullPrecisionDownsample, 0.1));

    [Fact]
    public void Binary_weights_are_plus_or_minus_alpha_per_row_of_the_centred_weights()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var w = randn(6, 10).add(tensor(new float[] { 0, 3, -2, 0.5f, 0, 0, 1, 0, 0, 0 }));
        var b = Binarize.Weights(w);
        var centred = w - w.mean([1L], keepdim: true);
        var alpha = centred.abs().mean([1L], keepdim: true);
        Assert.True(b.abs().allclose(alpha.expand_as(b), rtol: 0, atol: 1e-7), "every entry is ±α of its row");
        Assert.True(b.sign().eq(centred.sign()).all().item<bool>(), "the sign is the centred weight's");
        Assert.False(alpha.squeeze().sub(alpha[0]).abs().max().item<float>() < 1e-6f, "α differs per row");
    }

    [Fact]
    public void Binary_activations_are_plus_or_minus_one_with_zero_mapped_to_plus_one()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { -2.5f, -0.3f, 0f, 1e-8f, 0.7f, 4f });
        Assert.Equal([-1f, -1f, 1f, 1f, 1f, 1f], Binarize.Activations(x).data<float>().ToArray());
    }

    [Fact]
    public void Activation_gradient_is_bi_real_piecewise_polynomial_inside_the_window_and_zero_outside()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new double[] { -1.5, -1.0, -0.5, -0.1, 0.25, 0.9, 1.0, 3.0 }).requires_grad_();
        Binarize.Activations(x).sum().backward();
        double[] expected = [0, 0, 1, 1.8, 1.5, 0.2, 0, 0]; // 2 − 2|x| for |x| < 1
        var grad = x.grad!.data<double>().ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], grad[i], 12);
    }

    [Fact]
    public void Weight_gradient_passes_straight_through_the_clip_and_the_row_centring()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var w0 = randn([4, 6], ScalarType.Float64).mul(0.8);
        var w = w0.clone().requires_grad_();
        var g = randn([4, 6], ScalarType.Float64);
        (Binarize.Weights(w) * g).sum().backward();

        var centred = w0 - w0.mean([1L], keepdim: true);
        var inside = centred.abs().le(1).to(ScalarType.Float64);
        Assert.True(inside.min().item<double>() == 0, "the test needs some clipped weights");
        var masked = g * inside;
        var expected = masked - masked.mean([1L], keepdim: true); // d(clip(w − mean w))/dw, α detached
        Assert.True(w.grad!.allclose(expected, rtol: 0, atol: 1e-12));
    }

    [Fact]
    public void Binary_linear_is_sign_input_times_binary_weights_plus_full_precision_bias()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        using var linear = new BinaryLinear(6, 3);
        var parameters = linear.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad()) parameters["bias"].copy_(tensor(new float[] { 0.5f, -1f, 2f }));
        var x = randn(2, 6);
        var expected = Binarize.Activations(x).matmul(Binarize.Weights(parameters["weight"]).t()) + parameters["bias"];
        Assert.True(linear.forward(x).allclose(expected, atol: 1e-6));
        var bits = Binarize.Activations(x).abs();
        Assert.True(bits.eq(1).all().item<bool>());
    }

    public static IEnumerable<object[]> SmoothParts() => [["affine"], ["downsample-fp"], ["block-pools"]];

    /// <summary>Central differences in float64 wherever no sign sits between the input (or parameter) and the output.</summary>
    [Theory]
    [MemberData(nameof(SmoothParts))]
    public void Smooth_parts_match_finite_differences(string which)
    {
        manual_seed(4);
        using var scope = NewDisposeScope();
        nn.Module<Tensor, Tensor> module = which switch
        {
            "affine" => new Affine(8, 0.3),
            "downsample-fp" => new Downsample(8, 16, fullPrecision: true),
            _ => new BinaryBlock(8, 2, 16, [3, 5], 0.1, 0),
        };
        using (module)
        {
            module.to(ScalarType.Float64);
            foreach (var p in module.parameters()) // non-trivial affine transforms (the pooling branches start at scale 0)
                using (no_grad()) p.add_(randn_like(p).mul(0.3));
            var x0 = randn([2, 16, 8], ScalarType.Float64); // 4×4 grid
            var w = randn(module.forward(x0).shape, ScalarType.Float64);
            double Loss(Tensor input)
            {
                using var s = NewDisposeScope();
                using var ng = no_grad();
                return (module.forward(input) * w).sum().item<double>();
            }
            var x = x0.clone().requires_grad_();
            (module.forward(x) * w).sum().backward();

            // The block's input reaches the output through the binary linears too: only its smooth parameters are checked.
            var smooth = module.named_parameters().Where(p => which != "block-pools" || p.name.StartsWith("pool_") || p.name.StartsWith("affine2")).ToList();
            Assert.NotEmpty(smooth);
            var rng = new Random(5);
            if (which != "block-pools")
            {
                var values = x0.data<double>().ToArray();
                for (int k = 0; k < 10; k++)
                {
                    int i = rng.Next(values.Length);
                    var plus = (double[])values.Clone();
                    var minus = (double[])values.Clone();
                    plus[i] += 1e-6;
                    minus[i] -= 1e-6;
                    double numeric = (Loss(tensor(plus, x0.shape)) - Loss(tensor(minus, x0.shape))) / 2e-6;
                    double analytic = x.grad!.view(-1)[i].item<double>();
                    Assert.True(Math.Abs(numeric - analytic) <= 1e-5 + 1e-4 * Math.Abs(numeric), $"{which}: d/dx[{i}] {analytic} vs {numeric}");
                }
            }
            foreach (var (name, p) in smooth)
            {
                for (int k = 0; k < 3; k++)
                {
                    int i = rng.Next((int)p.numel());
                    double Perturbed(double delta)
                    {
                        using var ng = no_grad();
                        using var element = p.view(-1).narrow(0, i, 1);
                        element.add_(delta);
                        double l = Loss(x0);
                        element.sub_(delta);
                        return l;
                    }
                    double numeric = (Perturbed(1e-6) - Perturbed(-1e-6)) / 2e-6;
                    double analytic = p.grad!.view(-1)[i].item<double>();
                    Assert.True(Math.Abs(numeric - analytic) <= 1e-5 + 1e-4 * Math.Abs(numeric), $"{which}: d/d{name}[{i}] {analytic} vs {numeric}");
                }
            }
        }
    }

    [Fact]
    public void Pooling_branch_averages_a_k_by_1_window_of_the_normed_tokens_with_zero_padding_counted()
    {
        using var scope = NewDisposeScope();
        using var block = new BinaryBlock(2, 1, 2, [3], 0.1, 0);
        block.to(ScalarType.Float64);
        // Everything off but the 3×1 branch: affines 0, pool_h3's scale 1.
        using (no_grad())
            foreach (var (name, p) in block.named_parameters())
                if (name.StartsWith("affine") || name.StartsWith("pool_w")) p.zero_();
                else if (name == "pool_h3.scale") p.fill_(1);
        // Tokens (10·s, −10·s) with s = ±1 on a 4×4 grid: norm2 gives (s, −s).
        var rng = new Random(7);
        var s = Enumerable.Range(0, 16).Select(_ => rng.Next(2) == 0 ? -1.0 : 1.0).ToArray();
        var x = tensor(s.SelectMany(v => new[] { 10 * v, -10 * v }).ToArray(), [1, 16, 2]);
        var branch = (block.forward(x) - x).data<double>().ToArray();
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
            {
                double sum = 0;
                for (int dr = -1; dr <= 1; dr++)
                    if (r + dr is >= 0 and < 4) sum += s[(r + dr) * 4 + c];
                int t = r * 4 + c;
                Assert.Equal(sum / 3, branch[2 * t], 6);
                Assert.Equal(-sum / 3, branch[2 * t + 1], 6);
            }
    }

    [Fact]
    public void Pyramid_halves_the_grid_and_doubles_the_width_at_each_stage()
    {
        using var scope = NewDisposeScope();
        using var down = new Downsample(8, 16, fullPrecision: false);
        Assert.Equal(new long[] { 2, 16, 16 }, down.forward(randn(2, 64, 8)).shape); // 8×8 grid → 4×4, 8 → 16 channels

        var config = Config([1, 2, 1]);
        manual_seed(5);
        using var model = new BinaryVisionTransformer(config, 16); // 8×8 → 4×4 → 2×2 tokens; 8 → 16 → 32 channels
        var expected = ModelCost.Parameters(config, 16).Select(p => (p.Name, string.Join(",", p.Shape))).Order().ToList();
        var actual = model.named_parameters().Select(p => (p.name, string.Join(",", p.parameter.shape))).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.Contains(("stages.2.blocks.0.mlp.fc2.weight", "32,64"), actual);
        Assert.Equal(new long[] { 3, 5 }, model.forward(randn(3, 3, 16, 16)).shape);
        Assert.Equal(new long[] { 3, 5 }, model.forward(randn(3, 3, 24, 24)).shape); // another size: pos_embed interpolated
        Assert.Throws<ArgumentException>(() => new BinaryVisionTransformer(config, 12)); // a 6×6 grid cannot halve twice
    }

    [Fact]
    public void Learns_a_fixed_batch_through_the_straight_through_estimators()
    {
        manual_seed(6);
        using var model = ImageClassifier.Create(Config([1, 1], fullPrecisionDownsample: false) with { Init = "torch" }, 8);
        Assert.IsType<BinaryVisionTransformer>(model);
        using var optimizer = optim.AdamW(model.parameters(), lr: 0.01, weight_decay: 0);
        using var scope = NewDisposeScope();
        var x = randn(16, 3, 8, 8);
        var y = randint(0, 5, [16]);
        double first = 0, last = 0;
        for (int step = 0; step < 40; step++)
        {
            using var s = NewDisposeScope();
            optimizer.zero_grad();
            var loss = nn.functional.cross_entropy(model.forward(x), y);
            loss.backward();
            optimizer.step();
            if (step == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.5, $"loss {first:0.###} → {last:0.###}");
    }
}
