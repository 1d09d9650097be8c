using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Tests.Models;
using Leaderboard.Trainer.Training;

namespace Leaderboard.Trainer.Tests.Training;

/// <summary>bf16 / fp16 without autocast: low-precision matmuls, convolutions and attention; fp32 weights, gradients,
/// optimizer state and normalisations; fp16's loss scaler skips overflowing steps.</summary>
[Collection(TorchCollection.Name)]
public sealed class MixedPrecisionTests
{
    [Fact]
    public void Bf16_scope_computes_linear_in_bf16_with_fp32_weights_and_gradients()
    {
        manual_seed(1);
        using var linear = new Linear(8, 4);
        using var scope = NewDisposeScope();
        var x = randn(3, 8);
        var full = linear.forward(x);
        Tensor low;
        using (MixedPrecision.Enable(ScalarType.BFloat16))
            low = linear.forward(x);
        Assert.Equal(ScalarType.Float32, full.dtype);
        Assert.Equal(ScalarType.BFloat16, low.dtype);
        Assert.True(low.to(ScalarType.Float32).allclose(full, rtol: 2e-2, atol: 2e-2));
        low.to(ScalarType.Float32).sum().backward();
        Assert.All(linear.parameters(), p =>
        {
            Assert.Equal(ScalarType.Float32, p.dtype);
            Assert.Equal(ScalarType.Float32, p.grad!.dtype);
        });
        Assert.Null(MixedPrecision.ComputeType); // the scope ended
    }

    [Fact]
    public void Normalisations_take_fp32_and_convolutions_attention_run_low()
    {
        using var norm = new LayerNorm(6, 1e-6);
        using var conv = new Conv2d(3, 4, 3, stride: 1, padding: 1, groups: 1, bias: true);
        using var scope = NewDisposeScope();
        using (MixedPrecision.Enable(ScalarType.BFloat16))
        {
            Assert.Equal(ScalarType.Float32, norm.forward(randn(2, 6).to(ScalarType.BFloat16)).dtype);
            Assert.Equal(ScalarType.BFloat16, conv.forward(randn(1, 3, 5, 5)).dtype);
            var q = randn(1, 2, 4, 8);
            Assert.Equal(ScalarType.BFloat16, MixedPrecision.Attention(q, q, q).dtype);
        }
        Assert.Equal(ScalarType.Float32, conv.forward(randn(1, 3, 5, 5)).dtype);
    }

    [Theory]
    [InlineData("locality", "spt", "lsa")]
    [InlineData("localvit", "patch", "mhsa")]
    public void A_bf16_training_step_keeps_master_weights_and_optimizer_state_fp32(string ffn, string tokenizer, string attention)
    {
        manual_seed(2);
        using var model = new VisionTransformer(TinyModels.Config(ffn, tokenizer, attention, distillation: true), TinyModels.ImageSize);
        using var optimizer = OptimizerFactory.Create(model, new Leaderboard.Training.Recipes.OptimizerSpec { Lr = 3e-3 });
        using var scope = NewDisposeScope();
        var x = randn(8, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var y = tensor(new long[] { 0, 1, 2, 3, 4, 0, 1, 2 });
        double first = 0, last = 0;
        for (int i = 0; i < 15; i++)
        {
            using var s = NewDisposeScope();
            Tensor logits;
            using (MixedPrecision.Enable(ScalarType.BFloat16))
                logits = model.forward(x);
            Assert.Equal(ScalarType.BFloat16, logits.dtype);
            var loss = nn.functional.cross_entropy(logits.to(ScalarType.Float32), y);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (i == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.8, $"loss went from {first} to {last}");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        var (state, _) = OptimizerFactory.State(optimizer);
        Assert.All(state, t => Assert.Equal(ScalarType.Float32, t.Tensor.dtype));
    }

    [Fact]
    public void Loss_scaler_unscales_finite_gradients_and_grows_after_a_run_of_good_steps()
    {
        var scaler = new LossScaler(initialScale: 1024, growthInterval: 2);
        using var p = new Parameter(ones(3));
        using var scope = NewDisposeScope();
        scaler.ScaleLoss(p.mul(tensor(new float[] { 1, 2, 3 })).sum()).backward();
        Assert.Equal(new float[] { 1024, 2048, 3072 }, p.grad!.data<float>().ToArray());
        Assert.True(scaler.Unscale([p]));
        Assert.Equal(new float[] { 1, 2, 3 }, p.grad!.data<float>().ToArray());
        scaler.Update(true);
        Assert.Equal(1024, scaler.Scale);
        scaler.Update(true);
        Assert.Equal(2048, scaler.Scale);
    }

    [Fact]
    public void Loss_scaler_reports_overflow_and_backs_off()
    {
        var scaler = new LossScaler(initialScale: 65536);
        using var p = new Parameter(ones(2));
        using var scope = NewDisposeScope();
        scaler.ScaleLoss(p.mul(tensor(new float[] { float.MaxValue, 1 })).sum()).backward(); // 65536·max overflows fp32
        Assert.False(scaler.Unscale([p]));
        scaler.Update(false);
        Assert.Equal(32768, scaler.Scale);
        Assert.Equal(1, scaler.SkippedSteps);
        var restored = new LossScaler();
        restored.Load(scaler.ToMetadata());
        Assert.Equal(32768, restored.Scale);
    }
}
