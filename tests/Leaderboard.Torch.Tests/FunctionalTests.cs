using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;
using F = Leaderboard.Torch.torch.nn.functional;

namespace Leaderboard.Torch.Tests;

// Expected values from PyTorch 1.13 (torch.nn.functional), rounded to 6 decimals.
public sealed class FunctionalTests
{
    private static Tensor X() => tensor(new float[] { -2, -0.5f, 0, 0.5f, 2 });

    [Fact]
    public void Activations()
    {
        using var scope = NewDisposeScope();
        AssertClose([-0.0455, -0.154269, 0.0, 0.345731, 1.9545], F.gelu(X()), 1e-4);
        AssertClose([-0.045402, -0.154286, 0.0, 0.345714, 1.954598], F.gelu(X(), "tanh"), 1e-4);
        AssertClose([-0.333333, -0.208333, 0.0, 0.291667, 1.666667], F.hardswish(X()), 1e-4);
        AssertClose([-0.238406, -0.18877, 0.0, 0.31123, 1.761594], F.silu(X()), 1e-4);
        AssertClose([0.119203, 0.377541, 0.5, 0.622459, 0.880797], F.sigmoid(X()), 1e-4);
        AssertClose([0, 0, 0, 0.5, 2], F.relu(X()));
        AssertClose(X().data<float>().Select(v => Math.Tanh(v)).ToArray(), F.tanh(X()));
        Assert.Throws<ArgumentException>(() => F.gelu(X(), "erf"));
    }

    [Fact]
    public void Linear_is_x_wT_plus_b()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var w = tensor(new float[] { 1, 0, 1, 1, 0, -1 }, [3, 2]);
        var b = tensor(new float[] { 0.5f, 0, -1 });
        Assert.Equal([1.5f, 3, -3, 3.5f, 7, -5], F.linear(x, w, b).data<float>());
        Assert.Equal([1f, 3, -2, 3, 7, -4], F.linear(x, w).data<float>());
    }

    [Fact]
    public void Layer_norm_with_affine()
    {
        using var scope = NewDisposeScope();
        var a = arange(6, ScalarType.Float32).reshape(2, 3);
        var y = F.layer_norm(a, [3], tensor(new float[] { 1, 2, 3 }), tensor(new float[] { 0.5f, 0, -0.5f }));
        AssertClose([-0.724736, 0.0, 3.174207, -0.724736, 0.0, 3.174207], y, 1e-4);
        AssertClose([-1.224736, 0, 1.224736], F.layer_norm(arange(3, ScalarType.Float32), [3]), 1e-4);
    }

    [Fact]
    public void Batch_norm_training_updates_running_stats_and_eval_uses_them()
    {
        using var scope = NewDisposeScope();
        var x = arange(8, ScalarType.Float32).reshape(2, 2, 2, 1);
        var rm = zeros(2);
        var rv = ones(2);
        var y = F.batch_norm(x, rm, rv, training: true, momentum: 0.1);
        AssertClose([-1.212677, -0.727606, -1.212677, -0.727606, 0.727606, 1.212677, 0.727606, 1.212677], y, 1e-4);
        AssertClose([0.25, 0.45], rm);
        AssertClose([1.466667, 1.466667], rv, 1e-4);
        var e = F.batch_norm(x, rm, rv, tensor(new float[] { 2, 1 }), tensor(new float[] { 0, 1 }), training: false);
        AssertClose([2 * (0 - 0.25) / Math.Sqrt(1.466667 + 1e-5)], e.flatten().narrow(0, 0, 1), 1e-4);
    }

    [Fact]
    public void Dropout_respects_the_training_flag()
    {
        using var scope = NewDisposeScope();
        var x = ones(10000);
        Assert.Equal(x.data<float>(), F.dropout(x, 0.5, training: false).data<float>());
        var y = F.dropout(x, 0.25, training: true).data<float>();
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - (1 / 0.75f)) < 1e-6));
        var zeroFrac = y.Count(v => v == 0f) / 10000.0;
        Assert.InRange(zeroFrac, 0.22, 0.28);
        Assert.Throws<ArgumentOutOfRangeException>(() => F.dropout(x, 1.5));
    }

    [Fact]
    public void Conv2d_with_stride_padding_groups()
    {
        using var scope = NewDisposeScope();
        var x = arange(32, ScalarType.Float32).reshape(1, 2, 4, 4);
        var w = arange(8, ScalarType.Float32).reshape(2, 1, 2, 2) / 10;
        var y = F.conv2d(x, w, tensor(new float[] { 1, -1 }), stride: 2, padding: 1, groups: 2);
        Assert.Equal([1L, 2L, 3L, 3L], y.shape);
        AssertClose([1.0, 1.8, 1.6, 3.8, 6.4, 3.2, 2.2, 2.4, 1.0, 10.2, 21.800001, 10.400001, 25.799999, 51.600002, 24.4, 13.0, 25.6, 11.400001], y, 1e-4);
        var plain = F.conv2d(ones(1, 1, 3, 3), ones(1, 1, 2, 2));
        Assert.Equal([4f, 4, 4, 4], plain.data<float>());
    }

    [Fact]
    public void Pooling()
    {
        using var scope = NewDisposeScope();
        var img = arange(16, ScalarType.Float32).reshape(1, 1, 4, 4);
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], F.avg_pool2d(img, 2).data<float>());
        Assert.Equal([2.5f, 4.5f, 10.5f, 12.5f], F.adaptive_avg_pool2d(img, 2).data<float>());
        Assert.Equal([7.5f], F.adaptive_avg_pool2d(img, 1).data<float>());
        Assert.Equal([5f, 7, 13, 15], F.max_pool2d(img, [2, 2]).data<float>());
    }

    [Fact]
    public void Cross_entropy_hard_smoothed_and_soft_targets()
    {
        using var scope = NewDisposeScope();
        var logits = tensor(new float[] { 1, 2, 0.5f, 0.1f, -1, 3 }, [2, 3]);
        var target = tensor(new long[] { 1, 2 });
        AssertClose([0.26757150888442993], F.cross_entropy(logits, target));
        AssertClose([0.4242382049560547], F.cross_entropy(logits, target, label_smoothing: 0.1));
        var soft = tensor(new float[] { 0.2f, 0.7f, 0.1f, 0, 0.1f, 0.9f }, [2, 3]);
        AssertClose([0.6425715088844299], F.cross_entropy(logits, soft));
        AssertClose([0.6425715088844299], F.soft_target_cross_entropy(logits, soft));
        Assert.Equal([2L], F.cross_entropy(logits, target, reduction: Reduction.None).shape);
        AssertClose([0.26757150888442993 * 2], F.cross_entropy(logits, target, reduction: Reduction.Sum));
        var ex = Assert.Throws<TorchException>(() => F.cross_entropy(logits, tensor(new long[] { 1, 2, 0 })));
        Assert.Contains("batch_size", ex.Message, StringComparison.OrdinalIgnoreCase);
        AssertClose([2.5], F.mse_loss(tensor(new float[] { 1, 2 }), tensor(new float[] { 2, 4 })));
    }

    [Fact]
    public void Pad_constant_and_reflect()
    {
        using var scope = NewDisposeScope();
        var x = arange(4, ScalarType.Float32).reshape(1, 1, 4);
        Assert.Equal([2f, 1, 0, 1, 2, 3, 2], F.pad(x, [2, 1], PaddingModes.Reflect).data<float>());
        Assert.Equal([9f, 0, 1, 2, 3, 9, 9], F.pad(x, [1, 2], PaddingModes.Constant, 9).data<float>());
        Assert.Equal([1L, 3L, 6L], F.pad(x, [1, 1, 1, 1]).shape);
        Assert.Equal([0f, 0, 0, 1, 2, 3, 3], F.pad(x, [2, 1], PaddingModes.Replicate).data<float>());
    }

    [Fact]
    public void Interpolate_bilinear_bicubic_nearest()
    {
        using var scope = NewDisposeScope();
        var img = arange(16, ScalarType.Float32).reshape(1, 1, 4, 4);
        AssertClose([0.0, 1.5, 3.0, 6.0, 7.5, 9.0, 12.0, 13.5, 15.0], F.interpolate(img, [3, 3], InterpolationMode.Bilinear, align_corners: true), 1e-4);
        AssertClose([0.833333, 2.166667, 3.5, 6.166667, 7.5, 8.833334, 11.500001, 12.833334, 14.166667], F.interpolate(img, [3, 3], InterpolationMode.Bilinear, align_corners: false), 1e-4);
        AssertClose([2.03125, 4.21875, 10.78125, 12.96875], F.interpolate(img, [2, 2], InterpolationMode.Bicubic, align_corners: false), 1e-4);
        Assert.Equal([0f, 2, 8, 10], F.interpolate(img, [2, 2]).data<float>());
        Assert.Equal([1L, 1L, 8L, 8L], F.interpolate(img, [2.0, 2.0], InterpolationMode.Bilinear).shape);
        Assert.Throws<ArgumentException>(() => F.interpolate(img, [2, 2], InterpolationMode.Nearest, align_corners: true));
    }

    [Fact]
    public void Scaled_dot_product_attention_equals_manual_attention()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var q = randn(2, 3, 5, 4);
        var k = randn(2, 3, 6, 4);
        var v = randn(2, 3, 6, 8);
        var manual = (q.matmul(k.transpose(-2, -1)) * (1 / Math.Sqrt(4))).softmax(-1).matmul(v);
        var y = F.scaled_dot_product_attention(q, k, v);
        Assert.Equal([2L, 3L, 5L, 8L], y.shape);
        AssertClose(manual, y, 1e-4);
        AssertClose(manual, F.scaled_dot_product_attention_math(q, k, v), 1e-4);

        // explicit scale, additive float mask, boolean mask
        var scaled = (q.matmul(k.transpose(-2, -1)) * 0.3).softmax(-1).matmul(v);
        AssertClose(scaled, F.scaled_dot_product_attention(q, k, v, scale: 0.3), 1e-4);
        var bias = randn(5, 6);
        var biased = ((q.matmul(k.transpose(-2, -1)) * 0.5) + bias).softmax(-1).matmul(v);
        AssertClose(biased, F.scaled_dot_product_attention(q, k, v, bias), 1e-4);
        var keep = ones([5, 6], ScalarType.Bool);
        keep.select(1, 0).fill_(0L);
        var masked = (q.matmul(k.transpose(-2, -1)) * 0.5).masked_fill(keep.logical_not(), double.NegativeInfinity).softmax(-1).matmul(v);
        AssertClose(masked, F.scaled_dot_product_attention(q, k, v, keep), 1e-4);

        // causal: the first query sees only the first key
        var qc = randn(1, 1, 4, 4);
        var kc = randn(1, 1, 4, 4);
        var vc = randn(1, 1, 4, 4);
        var causal = F.scaled_dot_product_attention(qc, kc, vc, is_causal: true);
        AssertClose(vc.narrow(2, 0, 1), causal.narrow(2, 0, 1), 1e-5);
        Assert.Equal(__version__.StartsWith('2'), F.has_fused_attention());
    }
}
