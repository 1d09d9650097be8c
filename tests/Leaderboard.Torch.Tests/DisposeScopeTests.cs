using Leaderboard.Torch.Modules;
using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;
using F = Leaderboard.Torch.torch.nn.functional;

namespace Leaderboard.Torch.Tests;

public sealed class DisposeScopeTests
{
    [Fact]
    public void Scope_frees_the_tensors_created_inside_it()
    {
        var before = StableLiveCount();
        Tensor a;
        using (var scope = NewDisposeScope())
        {
            a = ones(3);
            var b = a + 1;
            _ = b * a;
            Assert.Equal(3, scope.DisposablesCount);
            Assert.Equal(before + 3, Tensor.TotalLiveCount);
        }

        Assert.True(a.IsInvalid);
        Assert.Equal(before, Tensor.TotalLiveCount);
    }

    [Fact]
    public void MoveToOuterDisposeScope_and_DetachFromDisposeScope_keep_tensors_alive()
    {
        var before = StableLiveCount();
        Tensor kept;
        Tensor detached;
        using (var outer = NewDisposeScope())
        {
            using (var inner = NewDisposeScope())
            {
                kept = (ones(2) * 3).MoveToOuterDisposeScope();
                detached = zeros(2).DetachFromDisposeScope();
                Assert.Same(outer, kept.OwningDisposeScope);
                Assert.Null(detached.OwningDisposeScope);
            }

            Assert.False(kept.IsInvalid);
            Assert.Equal([3f, 3], kept.data<float>());
        }

        Assert.True(kept.IsInvalid);
        Assert.False(detached.IsInvalid);
        detached.Dispose();
        Assert.Equal(before, Tensor.TotalLiveCount);
    }

    [Fact]
    public void Disposing_a_tensor_early_removes_it_from_its_scope()
    {
        using var scope = NewDisposeScope();
        var t = zeros(1);
        Assert.Equal(1, scope.DisposablesCount);
        t.Dispose();
        Assert.Equal(0, scope.DisposablesCount);
        Assert.Null(DisposeScope.Current?.OuterScope);
    }

    [Fact]
    public void Module_parameters_and_buffers_survive_scopes()
    {
        BatchNorm2d bn;
        Linear lin;
        using (NewDisposeScope())
        {
            lin = new Linear(2, 3);
            bn = new BatchNorm2d(3);
        }

        Assert.False(lin.weight.IsInvalid);
        Assert.False(bn.running_mean.IsInvalid);
        Assert.Equal([3L, 2L], lin.weight.shape);
        lin.Dispose();
        bn.Dispose();
        Assert.True(lin.weight.IsInvalid);
    }

    [Fact]
    public void Training_loop_under_dispose_scopes_does_not_leak()
    {
        manual_seed(1);
        using var model = new Sequential(new Linear(4, 16), new Identity(), new Linear(16, 3));
        using var opt = new optim.AdamW(model.parameters(), lr: 0.01);
        using var x = randn(32, 4);
        using var y = randint(3, [32]);
        long afterWarmup = 0;
        double firstLoss = 0, lastLoss = 0;
        for (var step = 0; step < 200; step++)
        {
            using (NewDisposeScope())
            {
                opt.zero_grad();
                var h = model.forward(x);
                var loss = F.cross_entropy(F.gelu(h), y);
                loss.backward();
                opt.step();
                if (step == 0)
                {
                    firstLoss = loss.item<double>();
                }

                lastLoss = loss.item<double>();
            }

            if (step == 10)
            {
                afterWarmup = StableLiveCount();
            }
        }

        Assert.Equal(afterWarmup, StableLiveCount());
        Assert.True(lastLoss < firstLoss * 0.7, $"loss went from {firstLoss} to {lastLoss}");
    }
}
