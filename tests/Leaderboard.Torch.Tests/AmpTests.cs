using Leaderboard.Torch.Modules;
using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;
using F = Leaderboard.Torch.torch.nn.functional;

namespace Leaderboard.Torch.Tests;

public sealed class AmpTests
{
    [Fact]
    public void Autocast_bf16_on_cpu_runs_matmul_and_linear_in_bf16()
    {
        using var scope = NewDisposeScope();
        var a = randn(4, 8);
        var b = randn(8, 3);
        Assert.False(is_autocast_enabled(DeviceType.CPU));
        using (autocast(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(is_autocast_enabled(DeviceType.CPU));
            var y = a.matmul(b);
            Assert.Equal(ScalarType.BFloat16, y.dtype);
            AssertClose(a.matmul(b).to(ScalarType.Float32), y.to(ScalarType.Float32), 1e-6);
            Assert.Equal(ScalarType.BFloat16, F.linear(a, b.t()).dtype);
            using (autocast(CPU, ScalarType.BFloat16, enabled: false))
            {
                Assert.Equal(ScalarType.Float32, a.matmul(b).dtype);
            }

            Assert.True(is_autocast_enabled(DeviceType.CPU));
        }

        Assert.False(is_autocast_enabled(DeviceType.CPU));
        var f = a.matmul(b);
        Assert.Equal(ScalarType.Float32, f.dtype);
        using (autocast(DeviceType.CPU, ScalarType.BFloat16))
        {
            AssertClose(f, a.matmul(b).to(ScalarType.Float32), 0.05);
        }
    }

    [Fact]
    public void Autocast_backward_gives_float32_gradients_for_float32_parameters()
    {
        using var scope = NewDisposeScope();
        using var lin = new Linear(8, 2);
        var x = randn(4, 8);
        Tensor loss;
        using (autocast(DeviceType.CPU, ScalarType.BFloat16))
        {
            loss = lin.forward(x).to(ScalarType.Float32).pow(2).mean();
        }

        loss.backward();
        Assert.Equal(ScalarType.Float32, lin.weight.grad!.dtype);
    }

    [Fact]
    public void GradScaler_scales_unscales_and_steps_on_finite_gradients()
    {
        using var scope = NewDisposeScope();
        using var w = new nn.Parameter(tensor(new float[] { 1, 2 }));
        using var opt = new optim.SGD([w], lr: 0.1);
        var scaler = new amp.GradScaler(init_scale: 8, growth_interval: 2);
        var loss = (w * w).sum();
        var scaled = scaler.scale(loss);
        Assert.Equal(8 * loss.item<float>(), scaled.item<float>());
        scaled.backward();
        AssertClose([16, 32], w.grad!);
        Assert.True(scaler.step(opt));
        AssertClose([2, 4], w.grad!);
        AssertClose([0.8, 1.6], w, 1e-6);
        scaler.update();
        Assert.Equal(8, scaler.get_scale());
        Assert.Equal(1, scaler.growth_tracker);
        opt.zero_grad();
        scaler.scale((w * w).sum()).backward();
        scaler.unscale_(opt);
        scaler.unscale_(opt);
        AssertClose([1.6, 3.2], w.grad!, 1e-6);
        Assert.True(scaler.step(opt));
        scaler.update();
        Assert.Equal(16, scaler.get_scale());
        Assert.Equal(0, scaler.growth_tracker);
    }

    [Fact]
    public void GradScaler_skips_the_step_on_inf_and_backs_off()
    {
        using var scope = NewDisposeScope();
        using var w = new nn.Parameter(tensor(new float[] { 1, 2 }));
        using var opt = new optim.SGD([w], lr: 0.1);
        var scaler = new amp.GradScaler(init_scale: 1024);
        w.grad = tensor(new float[] { float.PositiveInfinity, 1 });
        Assert.False(scaler.step(opt));
        Assert.Equal([1f, 2], w.data<float>());
        scaler.update();
        Assert.Equal(512, scaler.get_scale());
        w.grad = tensor(new float[] { float.NaN, 1 });
        Assert.False(scaler.step(opt));
        scaler.update();
        Assert.Equal(256, scaler.get_scale());
        var state = scaler.state_dict();
        var resumed = new amp.GradScaler();
        resumed.load_state_dict(state);
        Assert.Equal(256, resumed.get_scale());
    }

    [Fact]
    public void Disabled_GradScaler_passes_through()
    {
        using var scope = NewDisposeScope();
        using var w = new nn.Parameter(tensor(new float[] { 1 }));
        using var opt = new optim.SGD([w], lr: 1);
        var scaler = new amp.GradScaler(enabled: false);
        var loss = (w * 3).sum();
        Assert.Equal(3f, scaler.scale(loss).item<float>());
        w.grad = tensor(new float[] { float.PositiveInfinity });
        Assert.True(scaler.step(opt));
        Assert.Equal(1.0, scaler.get_scale());
    }
}
