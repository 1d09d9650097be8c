using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;

namespace Leaderboard.Torch.Tests;

public sealed class OptimTests
{
    private static readonly float[][] Grads = [[0.5f, -1, 2], [0.1f, 0.2f, -0.3f]];

    private static nn.Parameter Param() => new(tensor(new float[] { 1, -2, 3 }));

    [Fact]
    public void AdamW_first_step_matches_the_hand_computed_update()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.AdamW([w], lr: 0.1, weight_decay: 0.1);
        w.grad = tensor(Grads[0]);
        opt.step();
        // step 1: w ← w(1 − lr·wd); m = (1−β1)g, v = (1−β2)g²; m̂ = g, v̂ = g² → w ← w − lr·g/(|g| + ε)
        AssertClose([(1 * 0.99) - 0.1, (-2 * 0.99) + 0.1, (3 * 0.99) - 0.1], w, 1e-6);
    }

    [Fact]
    public void AdamW_two_steps_match_torch_optim_AdamW()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.AdamW([w], lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weight_decay: 0.1);
        foreach (var g in Grads)
        {
            w.grad = tensor(g);
            opt.step();
        }

        // torch 1.13: torch.optim.AdamW([w], lr=0.1, weight_decay=0.1), same gradients
        AssertClose([0.800796, -1.810097, 2.78608], w, 1e-5);
    }

    [Fact]
    public void Param_groups_have_their_own_lr_and_weight_decay()
    {
        using var scope = NewDisposeScope();
        using var decayed = Param();
        using var noDecay = Param();
        using var opt = new optim.AdamW([new optim.ParamGroup([decayed]), new optim.ParamGroup([noDecay], weight_decay: 0)], lr: 0.1, weight_decay: 0.1);
        Assert.Equal(0.1, opt.param_groups[0].weight_decay);
        Assert.Equal(0.0, opt.param_groups[1].weight_decay);
        Assert.Equal(0.1, opt.param_groups[1].initial_lr);
        opt.param_groups[1].lr = 0.2;
        decayed.grad = tensor(Grads[0]);
        noDecay.grad = tensor(Grads[0]);
        opt.step();
        AssertClose([0.89, -1.88, 2.87], decayed, 1e-6);
        AssertClose([0.8, -1.8, 2.8], noDecay, 1e-6);
        opt.set_lr(0.05);
        Assert.All(opt.param_groups, g => Assert.Equal(0.05, g.lr));
        opt.zero_grad();
        Assert.Null(decayed.grad);
        Assert.Throws<ArgumentException>(() => new optim.AdamW([new optim.ParamGroup([decayed]), new optim.ParamGroup([decayed])]));
    }

    [Fact]
    public void Parameters_without_gradients_are_skipped()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.AdamW([w], lr: 0.1);
        opt.step();
        Assert.Equal([1f, -2, 3], w.data<float>());
        Assert.Equal("0", opt.state_dict().metadata["state.0.step"]);
    }

    [Fact]
    public void SGD_nesterov_matches_torch_optim_SGD()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.SGD([w], lr: 0.1, momentum: 0.9, weight_decay: 0.01, nesterov: true);
        foreach (var g in Grads)
        {
            w.grad = tensor(g);
            opt.step();
        }

        // torch 1.13: torch.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
        AssertClose([0.841074, -1.758148, 2.501903], w, 1e-5);
        Assert.Throws<ArgumentException>(() => new optim.SGD([w], lr: 0.1, nesterov: true));
    }

    [Fact]
    public void SGD_plain_and_momentum()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.SGD([w], lr: 0.5);
        w.grad = tensor(new float[] { 1, 1, 1 });
        opt.step();
        AssertClose([0.5, -2.5, 2.5], w);
        using var m = Param();
        using var mo = new optim.SGD([m], lr: 1, momentum: 0.5);
        m.grad = tensor(new float[] { 1, 0, 0 });
        mo.step();
        mo.step();
        // buffers: 1, then 0.5·1 + 1 = 1.5 → 1 − 1 − 1.5
        AssertClose([-1.5, -2, 3], m);
    }

    [Fact]
    public void AdamW_state_export_import_resumes_identically()
    {
        using var scope = NewDisposeScope();
        using var a = Param();
        using var b = Param();
        using var optA = new optim.AdamW([a], lr: 0.1, weight_decay: 0.1);
        a.grad = tensor(Grads[0]);
        optA.step();
        var (tensors, meta) = optA.state_dict();
        Assert.Equal(["state.0.exp_avg", "state.0.exp_avg_sq"], tensors.Keys.Order());
        Assert.Equal("1", meta["state.0.step"]);
        Assert.Equal("0.1", meta["group.0.lr"]);

        // resume: b gets a's weights and optimizer state, then both take the same second step
        using (no_grad())
        {
            b.copy_(a);
        }

        using var optB = new optim.AdamW([b], lr: 0.5, weight_decay: 0.1);
        optB.load_state_dict(tensors, meta);
        Assert.Equal(0.1, optB.param_groups[0].lr);
        a.grad = tensor(Grads[1]);
        b.grad = tensor(Grads[1]);
        optA.step();
        optB.step();
        AssertClose(a, b, 1e-7);
        AssertClose([0.800796, -1.810097, 2.78608], b, 1e-5);

        var bad = new Dictionary<string, Tensor> { ["state.0.exp_avg"] = zeros(5) };
        Assert.Throws<ArgumentException>(() => optB.load_state_dict(bad, meta));
    }

    [Fact]
    public void SGD_momentum_buffers_export_and_import()
    {
        using var scope = NewDisposeScope();
        using var w = Param();
        using var opt = new optim.SGD([w], lr: 0.1, momentum: 0.9);
        w.grad = tensor(Grads[0]);
        opt.step();
        var (tensors, meta) = opt.state_dict();
        AssertClose([0.5, -1, 2], tensors["state.0.momentum_buffer"]);
        using var w2 = Param();
        using var opt2 = new optim.SGD([w2], lr: 0.1, momentum: 0.9);
        opt2.load_state_dict(tensors, meta);
        var (t2, _) = opt2.state_dict();
        AssertClose(tensors["state.0.momentum_buffer"], t2["state.0.momentum_buffer"]);
    }

    [Fact]
    public void Optimizer_state_is_freed_on_dispose()
    {
        var before = StableLiveCount();
        using (var scope = NewDisposeScope())
        {
            using var w = Param();
            using var opt = new optim.AdamW([w]);
            w.grad = ones(3);
            opt.step();
        }

        Assert.Equal(before, StableLiveCount());
    }
}
