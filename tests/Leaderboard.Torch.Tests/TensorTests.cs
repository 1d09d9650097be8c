using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;

namespace Leaderboard.Torch.Tests;

public sealed class TensorTests
{
    [Fact]
    public void Creation_fills_and_reports_shape_dtype_device()
    {
        using var scope = NewDisposeScope();
        var z = zeros(2, 3);
        Assert.Equal([2L, 3L], z.shape);
        Assert.Equal(2, z.dim());
        Assert.Equal(6, z.numel());
        Assert.Equal(ScalarType.Float32, z.dtype);
        Assert.Equal(CPU, z.device);
        Assert.All(z.data<float>(), v => Assert.Equal(0f, v));
        Assert.All(ones([4], ScalarType.Int64).data<long>(), v => Assert.Equal(1L, v));
        Assert.All(full([2, 2], 7.5).data<float>(), v => Assert.Equal(7.5f, v));
        Assert.All(full([3], 3, ScalarType.Int32).data<int>(), v => Assert.Equal(3, v));
        Assert.Equal([5L], empty(5).shape);
        Assert.Equal(ScalarType.BFloat16, zeros([2], ScalarType.BFloat16).dtype);
    }

    [Fact]
    public void Tensor_from_arrays_and_spans_copies_the_data()
    {
        using var scope = NewDisposeScope();
        var data = new float[] { 1, 2, 3, 4, 5, 6 };
        var t = tensor(data, [2, 3]);
        data[0] = 100;
        Assert.Equal([1f, 2, 3, 4, 5, 6], t.data<float>());
        Assert.Equal([2L, 3L], t.shape);
        Assert.Equal([7L, 8L], tensor(new long[] { 7, 8 }).data<long>());
        Assert.Equal([1, 2], tensor(new[] { 1, 2 }).data<int>());
        Assert.Equal(ScalarType.Int32, tensor(new[] { 1, 2 }).dtype);
        Assert.Equal([0.5, 1.5], tensor(new[] { 0.5, 1.5 }).data<double>());
        Assert.Equal([3f, 4f], tensor(new ReadOnlySpan<float>([9f, 3f, 4f])[1..], [2]).data<float>());
        Assert.Equal([255L, 0L], tensor(new byte[] { 255, 0 }).data<long>());
        Assert.Equal(2.5f, tensor(2.5f).item<float>());
        Assert.Empty(tensor(2.5f).shape);
        Assert.Throws<ArgumentException>(() => tensor(new float[] { 1, 2, 3 }, [2, 2]));
    }

    [Fact]
    public void Ranges_eye_linspace_and_random_creation()
    {
        using var scope = NewDisposeScope();
        Assert.Equal([0L, 1, 2, 3], arange(4).data<long>());
        Assert.Equal([1.0, 1.5, 2.0, 2.5], arange(1, 3, 0.5, ScalarType.Float64).data<double>());
        Assert.Equal([0f, 0.25f, 0.5f, 0.75f, 1f], linspace(0, 1, 5).data<float>());
        Assert.Equal([1f, 0, 0, 0, 1, 0], eye(2, 3).data<float>());
        manual_seed(0);
        AssertClose([1.5409960746765137, -0.293428897857666, -2.1787893772125244], randn(3));
        manual_seed(0);
        var again = randn(3).data<float>();
        Assert.Equal(1.5409961f, again[0], 5);
        var r = rand(1000).data<float>();
        Assert.All(r, v => Assert.InRange(v, 0f, 1f));
        var ri = randint(3, 7, [1000]).data<long>();
        Assert.All(ri, v => Assert.InRange(v, 3L, 6L));
        Assert.Contains(3L, ri);
        Assert.Contains(6L, ri);
        Assert.Equal(ScalarType.Int64, randint(5, [2]).dtype);
        var perm = randperm(10).data<long>();
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (long)i), perm.Order());
    }

    [Fact]
    public void Conversions_dtype_device_clone_contiguous()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1.5f, -2.25f });
        Assert.Equal([1.5, -2.25], t.to(ScalarType.Float64).data<double>());
        Assert.Equal([1L, -2L], t.to(ScalarType.Int64).data<long>());
        Assert.Equal(ScalarType.BFloat16, t.to(ScalarType.BFloat16).dtype);
        Assert.Equal([1.5f, -2.25f], t.to(ScalarType.BFloat16).data<float>());
        Assert.Equal(CPU, t.cpu().device);
        Assert.Equal(CPU, t.to(new Device("cpu")).device);
        var c = t.clone();
        c.add_(1.0);
        Assert.Equal([1.5f, -2.25f], t.data<float>());
        var tr = arange(6, ScalarType.Float32).reshape(2, 3).t();
        Assert.False(tr.is_contiguous());
        Assert.True(tr.contiguous().is_contiguous());
        Assert.Equal([0f, 3, 1, 4, 2, 5], tr.contiguous().data<float>());
        Assert.Equal(3.0, tensor(3.0).item<double>());
        Assert.Equal(4L, tensor(4L).item<long>());
        Assert.Equal(4, tensor(4L).item<int>());
    }

    [Fact]
    public void Device_parses_and_compares()
    {
        Assert.Equal(DeviceType.CUDA, new Device("cuda:1").type);
        Assert.Equal(1, new Device("cuda:1").index);
        Assert.Equal(new Device("cuda"), new Device("cuda:0"));
        Assert.Equal("cuda:0", CUDA.ToString());
        Assert.Equal("cpu", CPU.ToString());
        Assert.Throws<ArgumentException>(() => new Device("tpu"));
        Assert.Throws<ArgumentException>(() => new Device("cpu:1"));
    }

    [Fact]
    public void Shape_ops_view_permute_transpose_flatten_squeeze_expand()
    {
        using var scope = NewDisposeScope();
        var t = arange(24, ScalarType.Float32).view(2, 3, 4);
        Assert.Equal([2L, 12L], t.reshape(2, -1).shape);
        Assert.Equal([4L, 2L, 3L], t.permute(2, 0, 1).shape);
        Assert.Equal(1f, t.permute(2, 0, 1)[1][0][0].item<float>());
        Assert.Equal([2L, 4L, 3L], t.transpose(1, 2).shape);
        Assert.Equal([2L, 12L], t.flatten(1).shape);
        Assert.Equal([24L], t.flatten().shape);
        Assert.Equal([6L, 4L], t.flatten(0, 1).shape);
        Assert.Equal([2L, 1L, 3L, 4L], t.unsqueeze(1).shape);
        Assert.Equal([2L, 3L, 4L], t.unsqueeze(1).squeeze(1).shape);
        Assert.Equal([3L], zeros(1, 3, 1).squeeze().shape);
        Assert.Equal([2L, 3L], tensor(new float[] { 1, 2 }, [2, 1]).expand(2, 3).shape);
        Assert.Equal([1f, 1, 1, 2, 2, 2], tensor(new float[] { 1, 2 }, [2, 1]).expand(2, 3).data<float>());
        Assert.Equal([1f, 2, 1, 2], tensor(new float[] { 1, 2 }).repeat(2).data<float>());
        Assert.Equal(3, t.size(1));
        Assert.Equal(4, t.size(-1));
        Assert.Throws<TorchException>(() => t.view(5, 5));
    }

    [Fact]
    public void Slicing_narrow_slice_select_index_select_gather()
    {
        using var scope = NewDisposeScope();
        var t = arange(12, ScalarType.Float32).view(3, 4);
        Assert.Equal([4f, 5, 6, 7, 8, 9, 10, 11], t.narrow(0, 1, 2).data<float>());
        Assert.Equal([1f, 3, 5, 7, 9, 11], t.slice(1, 1, 4, 2).data<float>());
        Assert.Equal([2f, 6, 10], t.select(1, 2).data<float>());
        Assert.Equal([8f, 9, 10, 11], t[2].data<float>());
        Assert.Equal([8f, 9, 10, 11, 0, 1, 2, 3], t.index_select(0, tensor(new long[] { 2, 0 })).data<float>());
        Assert.Equal([1f, 4], t.gather(1, tensor(new long[] { 1, 0 }, [2, 1])).data<float>());
        // a view shares storage: writing through it changes the base
        t.select(0, 0).fill_(-1.0);
        Assert.Equal([-1f, -1, -1, -1], t[0].data<float>());
    }

    [Fact]
    public void Chunk_split_cat_stack_roll_flip()
    {
        using var scope = NewDisposeScope();
        var t = arange(6, ScalarType.Float32);
        var chunks = t.chunk(3);
        Assert.Equal(3, chunks.Length);
        Assert.Equal([2f, 3], chunks[1].data<float>());
        var parts = t.split(4);
        Assert.Equal([4L], parts[0].shape);
        Assert.Equal([2L], parts[1].shape);
        var sized = t.split([1, 2, 3]);
        Assert.Equal([3f, 4, 5], sized[2].data<float>());
        Assert.Equal([0f, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 5], cat([t, t]).data<float>());
        Assert.Equal([2L, 6L], stack([t, t]).shape);
        Assert.Equal([6L, 2L], stack([t, t], 1).shape);
        Assert.Equal([4f, 5, 0, 1, 2, 3], t.roll(2, 0).data<float>());
        Assert.Equal([5f, 4, 3, 2, 1, 0], t.flip(0).data<float>());
        var m = arange(4, ScalarType.Float32).view(2, 2);
        Assert.Equal([1f, 0, 3, 2], m.flip(1).data<float>());
        Assert.Equal([3f, 2, 1, 0], m.roll([1, 1], [0, 1]).data<float>());
    }

    [Fact]
    public void Arithmetic_operators_with_tensors_and_scalars()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 4, 5, 6 });
        Assert.Equal([5f, 7, 9], (a + b).data<float>());
        Assert.Equal([-3f, -3, -3], (a - b).data<float>());
        Assert.Equal([4f, 10, 18], (a * b).data<float>());
        Assert.Equal([0.25f, 0.4f, 0.5f], (a / b).data<float>());
        Assert.Equal([-1f, -2, -3], (-a).data<float>());
        Assert.Equal([3f, 4, 5], (a + 2).data<float>());
        Assert.Equal([3f, 4, 5], (2.0 + a).data<float>());
        Assert.Equal([0f, 1, 2], (a - 1.0).data<float>());
        Assert.Equal([9f, 8, 7], (10 - a).data<float>());
        Assert.Equal([0.5f, 1, 1.5f], (a * 0.5).data<float>());
        Assert.Equal([2f, 4, 6], (2 * a).data<float>());
        Assert.Equal([0.5f, 1, 1.5f], (a / 2).data<float>());
        Assert.Equal([6f, 3, 2], (6.0 / a).data<float>());
        Assert.Equal([-3f, 0, 5], a.add(b, alpha: -1).add(tensor(new float[] { 0, 3, 8 })).data<float>());
        Assert.Equal([1f, 4, 9], a.pow(2).data<float>());
        Assert.Equal([1f, 32, 729], a.pow(b).data<float>());
        var ints = tensor(new long[] { 5, 7 });
        Assert.Equal(ScalarType.Int64, (ints * 2).dtype);
        Assert.Equal(ScalarType.Float32, (ints * 2.5).dtype);
        Assert.Equal([4f, 5, 6], a.maximum(b).data<float>());
        Assert.Equal([1f, 2, 3], minimum(a, b).data<float>());
        Assert.Equal([1f, 0, 1], a.remainder(2.0).data<float>());
    }

    [Fact]
    public void In_place_ops_update_the_tensor()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 2, 3 });
        var o = tensor(new float[] { 1, 1, 1 });
        t.add_(o).mul_(2.0);
        Assert.Equal([4f, 6, 8], t.data<float>());
        t.add_(o, alpha: 2).sub_(1.0).div_(tensor(new float[] { 5, 7, 9 }));
        Assert.Equal([1f, 1, 1], t.data<float>());
        t.mul_(tensor(new float[] { 2, 3, 4 })).sub_(o);
        Assert.Equal([1f, 2, 3], t.data<float>());
        t.addcmul_(tensor(new float[] { 1, 2, 3 }), tensor(new float[] { 2, 2, 2 }), 0.5);
        Assert.Equal([2f, 4, 6], t.data<float>());
        t.addcdiv_(tensor(new float[] { 2, 4, 6 }), tensor(new float[] { 2, 2, 2 }), -1);
        Assert.Equal([1f, 2, 3], t.data<float>());
        t.lerp_(tensor(new float[] { 3, 4, 5 }), 0.5);
        Assert.Equal([2f, 3, 4], t.data<float>());
        t.copy_(tensor(new float[] { -1, 5, 9 }));
        t.clamp_(0, 6);
        Assert.Equal([0f, 5, 6], t.data<float>());
        t.clamp_(max: 4);
        Assert.Equal([0f, 4, 4], t.data<float>());
        t.fill_(2.0).pow_(3).div_(4.0);
        Assert.Equal([2f, 2, 2], t.data<float>());
        t.sqrt_().zero_();
        Assert.Equal([0f, 0, 0], t.data<float>());
        var m = tensor(new float[] { 1, 2, 3 });
        m.masked_fill_(tensor(new[] { true, false, true }), 9);
        Assert.Equal([9f, 2, 9], m.data<float>());
        Assert.Equal([1f, 2], tensor(new float[] { -1, -2 }).neg_().data<float>());
        Assert.Equal([1f, 0], tensor(new float[] { 1, -2 }).relu_().data<float>());
        Assert.Equal([1f, 2], tensor(new float[] { -1, -2 }).abs_().data<float>());
        AssertClose([Math.E], tensor(new float[] { 1 }).exp_());
    }

    [Fact]
    public void Integer_in_place_ops_keep_the_integer_dtype()
    {
        using var scope = NewDisposeScope();
        var t = zeros([], ScalarType.Int64);
        Assert.Equal(ScalarType.Int64, t.dtype);
        t.add_(1L).mul_(3L);
        Assert.Equal(3L, t.item<long>());
        t.fill_(7L);
        Assert.Equal(7L, t.item<long>());
        Assert.Throws<TorchException>(() => t.add_(0.5));
    }

    [Fact]
    public void Unary_math()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 4, 1, -2.5f });
        AssertClose([2, 1], t.narrow(0, 0, 2).sqrt());
        AssertClose([0.5, 1], t.narrow(0, 0, 2).rsqrt());
        AssertClose([Math.Exp(4), Math.E, Math.Exp(-2.5)], t.exp());
        AssertClose([Math.Log(4), 0], t.narrow(0, 0, 2).log());
        Assert.Equal([4f, 1, 2.5f], t.abs().data<float>());
        Assert.Equal([1f, 1, -1], t.sign().data<float>());
        Assert.Equal([1f, 1, -1], sign(t).data<float>());
        Assert.Equal([4f, 1, 0], t.relu().data<float>());
        AssertClose([Math.Tanh(4), Math.Tanh(1), Math.Tanh(-2.5)], t.tanh());
        AssertClose([Math.Sin(4), Math.Sin(1), Math.Sin(-2.5)], t.sin());
        AssertClose([Math.Cos(4), Math.Cos(1), Math.Cos(-2.5)], t.cos());
        Assert.Equal([4f, 1, -3], t.floor().data<float>());
        Assert.Equal([4f, 1, -2], t.ceil().data<float>());
        Assert.Equal([4f, 1, -2], t.round().data<float>());
        Assert.Equal([0.25f, 1, -0.4f], t.reciprocal().data<float>());
        Assert.Equal([16f, 1, 6.25f], t.square().data<float>());
        AssertClose([0.9999999846, 0.8427007929, -0.9995930480], t.erf());
        var bad = tensor(new float[] { 1, float.NaN, float.PositiveInfinity });
        Assert.Equal([true, false, false], bad.isfinite().data<bool>());
        Assert.Equal([false, true, false], bad.isnan().data<bool>());
        Assert.Equal([false, false, true], bad.isinf().data<bool>());
        Assert.Equal([false, true, true], bad.isfinite().logical_not().data<bool>());
        Assert.Equal([5f, 2, 0.5f], clamp(tensor(new float[] { 7, 2, -1 }), 0.5, 5).data<float>());
        Assert.Equal([2f, 2], tensor(new float[] { 1, 2 }).clamp_min(2).data<float>());
        Assert.Equal([1f, 1], tensor(new float[] { 1, 2 }).clamp_max(1).data<float>());
    }

    [Fact]
    public void Comparisons_where_masked_fill_logical()
    {
        using var scope = NewDisposeScope();
        var a = tensor(new float[] { 1, 2, 3 });
        var b = tensor(new float[] { 3, 2, 1 });
        Assert.Equal([false, true, false], a.eq(b).data<bool>());
        Assert.Equal([true, false, true], a.ne(b).data<bool>());
        Assert.Equal([false, false, true], a.gt(b).data<bool>());
        Assert.Equal([true, false, false], a.lt(b).data<bool>());
        Assert.Equal([false, true, true], a.ge(b).data<bool>());
        Assert.Equal([true, true, false], a.le(b).data<bool>());
        Assert.Equal([false, true, false], a.eq(2).data<bool>());
        Assert.Equal([true, true, false], a.lt(3).data<bool>());
        Assert.Equal([false, false, true], a.gt(2.5).data<bool>());
        Assert.Equal([false, true, true], a.ge(2).data<bool>());
        Assert.Equal([true, false, false], a.le(1).data<bool>());
        Assert.Equal([true, false, true], a.ne(2).data<bool>());
        Assert.Equal([3f, 2, 3], where(a.gt(b), a, b).data<float>());
        Assert.Equal([3f, 2, 3], a.where(a.gt(b), b).data<float>());
        Assert.Equal([1f, -9, 3], a.masked_fill(a.eq(2), -9).data<float>());
        Assert.Equal([false, true, false], a.ge(2).logical_and(a.le(2)).data<bool>());
        Assert.Equal([true, false, true], a.lt(2).logical_or(a.gt(2)).data<bool>());
    }

    [Fact]
    public void Reductions_sum_mean_max_argmax_topk_norm()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 5, 3, 4, 2, 6 }, [2, 3]);
        Assert.Equal(21f, t.sum().item<float>());
        Assert.Equal(3.5f, t.mean().item<float>());
        Assert.Equal([9f, 12], t.sum(1).data<float>());
        Assert.Equal([2L, 1L], t.sum(1, keepdim: true).shape);
        Assert.Equal([2.5f, 3.5f, 4.5f], t.mean(0).data<float>());
        Assert.Equal([1L, 3L], t.mean(0, keepdim: true).shape);
        Assert.Equal(3.5f, t.mean([0L, 1L]).item<float>());
        Assert.Equal(6f, t.max().item<float>());
        Assert.Equal(1f, t.min().item<float>());
        var (vals, idx) = t.max(1);
        Assert.Equal([5f, 6], vals.data<float>());
        Assert.Equal([1L, 2L], idx.data<long>());
        var (minv, mini) = t.min(0);
        Assert.Equal([1f, 2, 3], minv.data<float>());
        Assert.Equal([0L, 1, 0], mini.data<long>());
        Assert.Equal(5L, t.argmax().item<long>());
        Assert.Equal([1L, 2L], t.argmax(1).data<long>());
        Assert.Equal([2L, 1L], t.argmax(1, keepdim: true).shape);
        var (tv, ti) = t.topk(2);
        Assert.Equal([5f, 3, 6, 4], tv.data<float>());
        Assert.Equal([1L, 2, 2, 0], ti.data<long>());
        var (sv, _) = t.topk(1, largest: false);
        Assert.Equal([1f, 2], sv.data<float>());
        Assert.Equal([5f, 6], t.amax([1]).data<float>());
        Assert.Equal([1f, 2], t.amin([1]).data<float>());
        AssertClose([Math.Sqrt(91)], t.norm());
        Assert.Equal(21f, t.norm(1).item<float>());
        AssertClose([Math.Sqrt(35), Math.Sqrt(56)], t.norm([1]));
        Assert.Equal([2L, 1L], t.norm([1], keepdim: true).shape);
        Assert.Equal(720f, t.prod().item<float>());
        Assert.Equal(3.5f, t.var().item<float>());
        AssertClose([Math.Sqrt(3.5)], t.std());
        AssertClose([4, 4], t.var(1));
        AssertClose([2, 2], t.std(1));
        Assert.True(t.gt(0).all().item<bool>());
        Assert.False(t.gt(5).all().item<bool>());
        Assert.True(t.gt(5).any().item<bool>());
        Assert.Equal([1f, 6, 9, 4, 6, 12], t.cumsum(1).data<float>());
    }

    [Fact]
    public void Softmax_log_softmax_matmul_bmm()
    {
        using var scope = NewDisposeScope();
        var x = tensor(new float[] { 1, 2, 3 });
        var e = new[] { Math.Exp(1), Math.Exp(2), Math.Exp(3) };
        var s = e.Sum();
        AssertClose(e.Select(v => v / s).ToArray(), x.softmax(0));
        AssertClose(e.Select(v => Math.Log(v / s)).ToArray(), x.log_softmax(-1));
        AssertClose(e.Select(v => v / s).ToArray(), softmax(x, 0));
        AssertClose(e.Select(v => Math.Log(v / s)).ToArray(), log_softmax(x, 0));
        var a = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        var b = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);
        Assert.Equal([19f, 22, 43, 50], a.matmul(b).data<float>());
        Assert.Equal([19f, 22, 43, 50], matmul(a, b).data<float>());
        var ba = stack([a, b]);
        Assert.Equal([2L, 2L, 2L], bmm(ba, ba).shape);
        Assert.Equal([7f, 10, 15, 22], ba.bmm(ba)[0].data<float>());
    }

    [Fact]
    public void Shape_mismatch_in_matmul_throws_TorchException_with_libtorch_message()
    {
        using var scope = NewDisposeScope();
        var a = zeros(2, 3);
        var b = zeros(4, 5);
        var ex = Assert.Throws<TorchException>(() => a.matmul(b));
        Assert.Contains("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", ex.Message);
        // the error slot was cleared: the next call works
        Assert.Equal([2L, 5L], zeros(2, 4).matmul(b).shape);
    }

    [Fact]
    public void Disposed_tensor_throws_ObjectDisposedException()
    {
        var t = zeros(2);
        t.Dispose();
        Assert.True(t.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => t.shape);
        t.Dispose();
    }
}
