using Leaderboard.Torch.Modules;
using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;

namespace Leaderboard.Torch.Tests;

public sealed class MiscTests
{
    [Fact]
    public void Num_threads_round_trip()
    {
        var before = get_num_threads();
        Assert.True(before > 0);
        set_num_threads(1);
        Assert.Equal(1, get_num_threads());
        set_num_threads(before);
        Assert.Equal(before, get_num_threads());
        Assert.Throws<TorchException>(() => set_num_threads(0));
    }

    [Fact]
    public void Conversion_shorthands_and_like_factories()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new double[] { 1.5, 2.5 });
        Assert.Equal(ScalarType.Float32, t.@float().dtype);
        Assert.Equal([1L, 2L], t.@long().data<long>());
        Assert.Equal(ScalarType.BFloat16, t.bfloat16().dtype);
        Assert.Equal(ScalarType.Float16, t.half().dtype);
        Assert.Equal([1.5f, 2.5f], t.half().data<float>());
        Assert.Equal(ScalarType.Float32, t.to(ScalarType.Float32, CPU).dtype);
        Assert.Equal(ScalarType.Float64, zeros_like(t).dtype);
        Assert.Equal([1.0, 1.0], ones_like(t).data<double>());
        Assert.Equal(7.0, tensor(7.0).item<double>());
        Assert.Equal(ScalarType.Int64, tensor(7L).dtype);
        Assert.Equal([true, false], tensor(new ReadOnlySpan<bool>([true, false])).data<bool>());
        Assert.Equal([9L], tensor(new ReadOnlySpan<long>([9L])).data<long>());
        Assert.Equal([9], tensor(new ReadOnlySpan<int>([9])).data<int>());
        Assert.Equal([9.0], tensor(new ReadOnlySpan<double>([9.0])).data<double>());
        Assert.Equal([(byte)9], tensor(new ReadOnlySpan<byte>([9])).data<byte>());
        Assert.Equal([1.5f, 2.5f], from_bytes(t.@float().bytes(), ScalarType.Float32, [2]).data<float>());
        Assert.Equal("Tensor[2], dtype=Float64, device=cpu", t.ToString());
        Assert.Equal(ScalarType.Float64, float64);
        Assert.Equal(ScalarType.BFloat16, bfloat16);
        Assert.Equal(2, ScalarType.BFloat16.ElementSize());
        Assert.False(ScalarType.Int64.IsFloatingPoint());
    }

    [Fact]
    public void Static_forms_of_tensor_functions()
    {
        using var scope = NewDisposeScope();
        var t = tensor(new float[] { 1, 4, 9, 16 });
        Assert.Equal([1f, 2, 3, 4], sqrt(t).data<float>());
        AssertClose([0, Math.Log(4), Math.Log(9), Math.Log(16)], log(t));
        AssertClose(t.data<float>().Select(v => Math.Exp(v)).ToArray(), exp(t), 1e-5);
        Assert.Equal([1f, 4], abs(-t).narrow(0, 0, 2).data<float>());
        Assert.Equal(2, chunk(t, 2).Length);
        Assert.Equal(2, split(t, 3).Length);
        Assert.Equal([4L], flatten(t.view(2, 2)).shape);
        Assert.Equal([16f, 9, 4, 1], flip(t, 0).data<float>());
        Assert.Equal([16f, 1, 4, 9], roll(t, [1], [0]).data<float>());
        Assert.Equal([4f, 4, 9, 16], maximum(t, full([4], 4.0)).data<float>());
    }

    [Fact]
    public void Dispose_scope_include_and_dispose_everything()
    {
        var outside = ones(2);
        using var scope = NewDisposeScope();
        scope.Include(outside);
        Assert.Same(scope, outside.OwningDisposeScope);
        var inside = zeros(1);
        Assert.Equal(2, scope.DisposablesCount);
        scope.DisposeEverything();
        Assert.True(outside.IsInvalid);
        Assert.True(inside.IsInvalid);
        Assert.Equal(0, scope.DisposablesCount);
        var after = zeros(1);
        Assert.Same(scope, after.OwningDisposeScope);
        Assert.Same(scope, DisposeScope.Current);
        Assert.Same(after, scope.Detach(after));
        after.Dispose();
    }

    [Fact]
    public void Module_to_with_device_and_dtype_and_children()
    {
        using var scope = NewDisposeScope();
        using var bn = new BatchNorm2d(2, dtype: ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, bn.running_mean.dtype);
        bn.to(CPU, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, bn.weight!.dtype);
        Assert.Equal(ScalarType.Float32, bn.running_var.dtype);
        Assert.Equal(ScalarType.Int64, bn.num_batches_tracked.dtype);
        using var lin = new Linear(2, 2, dtype: ScalarType.Float64);
        Assert.Equal(ScalarType.Float64, lin.weight.dtype);
        Assert.Equal([1L, 2L], lin.call(ones([1, 2], ScalarType.Float64)).shape);
        using var seq = new Sequential(("a", (nn.Module)new Identity()), ("b", new Identity()));
        Assert.Equal(["a", "b"], seq.named_children().Select(c => c.name));
        using var conv = new Conv2d(2, 4, [3, 1], [1, 1], [1, 0], [1, 1]);
        Assert.Equal([4L, 2L, 3L, 1L], conv.weight.shape);
        Assert.Equal([1L, 4L, 5L, 5L], conv.forward(ones(1, 2, 5, 5)).shape);
        Assert.Equal([1L, 2L, 2L, 2L], nn.functional.avg_pool2d(ones(1, 2, 5, 5), [2, 2], [2, 2]).shape);
        Assert.Equal([1L, 2L, 3L, 3L], nn.functional.avg_pool2d(ones(1, 2, 5, 5), [2, 2], [2, 2], ceil_mode: true).shape);
    }
}
