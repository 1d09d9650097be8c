using Leaderboard.Torch.Modules;
using static Leaderboard.Torch.torch;
using static Leaderboard.Torch.Tests.TestSupport;

namespace Leaderboard.Torch.Tests;

public sealed class ModuleTests
{
    private sealed class Attention : nn.Module
    {
        public Attention(long dim)
        {
            qkv = new Linear(dim, dim * 3);
            proj = new Linear(dim, dim);
            RegisterComponents();
        }

        private Linear qkv { get; }
        private Linear proj { get; }

        public override Tensor forward(Tensor input)
        {
            using var h = qkv.forward(input);
            using var first = h.narrow(-1, 0, input.size(-1));
            return proj.forward(first);
        }
    }

    private sealed class Block : nn.Module
    {
        public Block(long dim)
        {
            norm1 = new LayerNorm(dim);
            attn = new Attention(dim);
            gamma = new nn.Parameter(full([dim], 0.1));
            register_module("norm1", norm1);
            register_module("attn", attn);
            register_parameter("gamma", gamma);
        }

        private LayerNorm norm1 { get; }
        private Attention attn { get; }
        private nn.Parameter gamma { get; }

        public override Tensor forward(Tensor input)
        {
            using var n = norm1.forward(input);
            using var a = attn.forward(n);
            using var g = a * gamma;
            return input + g;
        }
    }

    private sealed class Tiny : nn.Module
    {
        public Tiny()
        {
            cls_token = new nn.Parameter(zeros(1, 1, 4));
            register_parameter("cls_token", cls_token);
            blocks = new ModuleList(new Block(4), new Block(4));
            register_module("blocks", blocks);
            head = new Sequential(("norm", new LayerNorm(4)), ("fc", new Linear(4, 2)));
            RegisterModule("head", head);
            register_buffer("scratch", zeros(2), persistent: false);
        }

        private nn.Parameter cls_token { get; }
        private ModuleList blocks { get; }
        private Sequential head { get; }

        public override Tensor forward(Tensor input)
        {
            var x = input.alias();
            foreach (var b in blocks)
            {
                var next = b.forward(x);
                x.Dispose();
                x = next;
            }

            using (x)
            {
                return head.forward(x);
            }
        }
    }

    // As PyTorch: a module's own parameters first, then its children's (depth first), each in registration order.
    [Fact]
    public void Named_parameters_are_hierarchical_in_registration_order()
    {
        using var m = new Tiny();
        var names = m.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(
        [
            "cls_token",
            "blocks.0.gamma", "blocks.0.norm1.weight", "blocks.0.norm1.bias", "blocks.0.attn.qkv.weight", "blocks.0.attn.qkv.bias",
            "blocks.0.attn.proj.weight", "blocks.0.attn.proj.bias",
            "blocks.1.gamma", "blocks.1.norm1.weight", "blocks.1.norm1.bias", "blocks.1.attn.qkv.weight", "blocks.1.attn.qkv.bias",
            "blocks.1.attn.proj.weight", "blocks.1.attn.proj.bias",
            "head.norm.weight", "head.norm.bias", "head.fc.weight", "head.fc.bias",
        ], names);
        Assert.Equal(names.Count, m.parameters().Count());
        Assert.All(m.parameters(), p => Assert.True(p.requires_grad));
        Assert.Equal(["scratch"], m.named_buffers().Select(b => b.name));
        Assert.DoesNotContain("scratch", m.state_dict().Keys);
        Assert.Equal([12L, 4L], m.state_dict()["blocks.1.attn.qkv.weight"].shape);
        Assert.Contains(("blocks.0.attn", true), m.named_modules().Select(x => (x.name, x.module is nn.Module)));
        Assert.Equal(["cls_token"], m.named_parameters(recurse: false).Select(p => p.name));
        Assert.Equal(2, m.children().Count());
    }

    [Fact]
    public void State_dict_round_trip_reproduces_outputs()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        using var a = new Tiny();
        manual_seed(2);
        using var b = new Tiny();
        var x = randn(3, 5, 4);
        Assert.NotEqual(a.forward(x).data<float>(), b.forward(x).data<float>());
        var (missing, unexpected) = b.load_state_dict(a.state_dict());
        Assert.Empty(missing);
        Assert.Empty(unexpected);
        AssertClose(a.forward(x), b.forward(x), 1e-6);
        Assert.Equal([3L, 5L, 2L], b.forward(x).shape);
    }

    [Fact]
    public void Load_state_dict_strict_reports_missing_unexpected_and_shape_mismatch()
    {
        using var scope = NewDisposeScope();
        using var lin = new Linear(2, 3);
        var ex = Assert.Throws<ArgumentException>(() => lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = zeros(3, 2), ["extra"] = zeros(1) }));
        Assert.Contains("missing keys [bias]", ex.Message);
        Assert.Contains("unexpected keys [extra]", ex.Message);
        var (missing, unexpected) = lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = ones(3, 2), ["extra"] = zeros(1) }, strict: false);
        Assert.Equal(["bias"], missing);
        Assert.Equal(["extra"], unexpected);
        Assert.All(lin.weight.data<float>(), v => Assert.Equal(1f, v));
        var shape = Assert.Throws<ArgumentException>(() => lin.load_state_dict(new Dictionary<string, Tensor> { ["weight"] = ones(2, 3), ["bias"] = zeros(3) }));
        Assert.Contains("'weight' has shape [2, 3], the module expects [3, 2]", shape.Message);
    }

    [Fact]
    public void Train_eval_propagate_and_dropout_follows_them()
    {
        using var scope = NewDisposeScope();
        using var m = new Sequential(new Dropout(0.5), new Identity());
        Assert.True(m.training);
        m.eval();
        Assert.False(m[0].training);
        var x = ones(1000);
        Assert.All(m.forward(x).data<float>(), v => Assert.Equal(1f, v));
        m.train();
        Assert.True(m[0].training);
        Assert.Contains(0f, m.forward(x).data<float>());
    }

    [Fact]
    public void To_dtype_keeps_parameter_identity_and_zero_grad_clears()
    {
        using var scope = NewDisposeScope();
        using var lin = new Linear(3, 2);
        var w = lin.weight;
        lin.to(ScalarType.Float64);
        Assert.Same(w, lin.parameters().First());
        Assert.Equal(ScalarType.Float64, lin.weight.dtype);
        Assert.True(lin.weight.requires_grad);
        Assert.True(lin.weight.is_leaf());
        lin.to(CPU);
        var y = lin.forward(ones([4, 3], ScalarType.Float64)).sum();
        y.backward();
        Assert.NotNull(lin.weight.grad);
        lin.zero_grad();
        Assert.Null(lin.weight.grad);
    }

    [Fact]
    public void Building_blocks_shapes_and_initialisation()
    {
        using var scope = NewDisposeScope();
        using var lin = nn.Linear(16, 4);
        Assert.All(lin.weight.data<float>(), v => Assert.InRange(v, -0.25f, 0.25f));
        Assert.Null(nn.Linear(2, 2, hasBias: false).bias);
        using var ln = nn.LayerNorm(4);
        Assert.All(ln.weight!.data<float>(), v => Assert.Equal(1f, v));
        Assert.All(ln.bias!.data<float>(), v => Assert.Equal(0f, v));
        using var conv = nn.Conv2d(4, 8, 3, stride: 2, padding: 1, groups: 2);
        Assert.Equal([8L, 2L, 3L, 3L], conv.weight.shape);
        Assert.Equal([1L, 8L, 4L, 4L], conv.forward(randn(1, 4, 8, 8)).shape);
        Assert.Throws<ArgumentException>(() => nn.Conv2d(3, 8, 3, groups: 2));
        using var bn = nn.BatchNorm2d(2);
        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"], bn.state_dict().Keys);
        var x = arange(8, ScalarType.Float32).reshape(2, 2, 2, 1);
        _ = bn.forward(x);
        AssertClose([0.25, 0.45], bn.running_mean);
        Assert.Equal(1L, bn.num_batches_tracked.item<long>());
        bn.eval();
        _ = bn.forward(x);
        Assert.Equal(1L, bn.num_batches_tracked.item<long>());
        using var seq = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.1), nn.Identity());
        Assert.Equal(3, seq.Count);
        Assert.Equal([2L, 3L], seq.forward(ones(2, 3)).shape);
        using var list = nn.ModuleList(nn.Identity());
        Assert.Single(list);
        Assert.Throws<NotSupportedException>(() => list.forward(ones(1)));
        Assert.Throws<ArgumentException>(() => list.register_module("a.b", nn.Identity()));
    }

    [Fact]
    public void Init_functions()
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var t = empty(20000);
        nn.init.trunc_normal_(t, std: 0.02, a: -0.04, b: 0.04);
        var v = t.data<float>();
        Assert.All(v, x => Assert.InRange(x, -0.04f, 0.04f));
        Assert.InRange(t.std().item<double>(), 0.015, 0.019);
        nn.init.normal_(t, 1, 2);
        Assert.InRange(t.mean().item<double>(), 0.9, 1.1);
        Assert.InRange(t.std().item<double>(), 1.9, 2.1);
        nn.init.uniform_(t, -3, -2);
        Assert.All(t.data<float>(), x => Assert.InRange(x, -3f, -2f));
        nn.init.constant_(t, 0.5);
        Assert.Equal(0.5f, t.max().item<float>());
        nn.init.zeros_(t);
        nn.init.ones_(t);
        Assert.Equal(20000f, t.sum().item<float>());
        var w = empty(30, 20);
        nn.init.xavier_uniform_(w);
        var bound = (float)Math.Sqrt(6.0 / 50);
        Assert.All(w.data<float>(), x => Assert.InRange(x, -bound, bound));
        var p = new nn.Parameter(zeros(3));
        nn.init.trunc_normal_(p, std: 0.02);
        Assert.True(p.requires_grad);
        p.Dispose();
    }
}
