using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;

namespace Leaderboard.Torch.Tests;

public sealed class AutogradTests
{
    [Fact]
    public void Backward_accumulates_gradients_into_leaves()
    {
        using var scope = NewDisposeScope();
        var w = tensor(new float[] { 1, 2, 3 }, requires_grad: true);
        Assert.True(w.requires_grad);
        Assert.True(w.is_leaf());
        Assert.Null(w.grad);
        var loss = (w * w).sum();
        loss.backward(retain_graph: true);
        Assert.Equal([2f, 4, 6], w.grad!.data<float>());
        loss.backward();
        Assert.Equal([4f, 8, 12], w.grad!.data<float>());
        Assert.False((w * 2).is_leaf());
        w.grad = null;
        Assert.Null(w.grad);
        var y = w * 3;
        y.backward(ones(3));
        Assert.Equal([3f, 3, 3], w.grad!.data<float>());
    }

    [Fact]
    public void No_grad_and_enable_grad_nest_and_restore()
    {
        using var scope = NewDisposeScope();
        var w = ones([2], requires_grad: true);
        Assert.True(is_grad_enabled());
        using (no_grad())
        {
            Assert.False(is_grad_enabled());
            Assert.False((w * 2).requires_grad);
            using (enable_grad())
            {
                Assert.True((w * 2).requires_grad);
            }

            Assert.False(is_grad_enabled());
        }

        Assert.True(is_grad_enabled());
        Assert.True((w * 2).requires_grad);
        Assert.False((w * 2).detach().requires_grad);
        var d = zeros(2).requires_grad_();
        Assert.True(d.requires_grad);
        d.requires_grad = false;
        Assert.False(d.requires_grad);
    }

    [Fact]
    public void Backward_of_a_non_scalar_without_gradient_throws()
    {
        using var scope = NewDisposeScope();
        var w = ones([2], requires_grad: true);
        var ex = Assert.Throws<TorchException>(() => (w * 2).backward());
        Assert.Contains("grad can be implicitly created only for scalar outputs", ex.Message);
    }

    [Fact]
    public void Clip_grad_norm_scales_to_max_norm_and_returns_the_total()
    {
        using var scope = NewDisposeScope();
        var a = zeros([2], requires_grad: true);
        var b = zeros([2], requires_grad: true);
        a.grad = tensor(new float[] { 3, 4 });
        b.grad = tensor(new float[] { 0, 12 });
        var total = nn.utils.clip_grad_norm_([a, b], 6.5);
        Assert.Equal(13.0, total, 4);
        AssertClose([1.5, 2], a.grad!, 1e-5);
        AssertClose([0, 6], b.grad!, 1e-5);
        // below the limit: unchanged
        Assert.Equal(6.5, nn.utils.clip_grad_norm_([a, b], 100), 4);
        AssertClose([1.5, 2], a.grad!, 1e-5);
        Assert.Equal(6.0, nn.utils.clip_grad_norm_([a, b], 100, double.PositiveInfinity), 4);
    }
}
