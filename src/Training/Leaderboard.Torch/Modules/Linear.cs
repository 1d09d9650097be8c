using static Leaderboard.Torch.torch;
using F = Leaderboard.Torch.torch.nn.functional;

namespace Leaderboard.Torch.Modules;

/// <summary>y = x · Wᵀ + b; W is [out, in], initialised as PyTorch does (uniform ±1/√in).</summary>
public sealed class Linear : nn.Module
{
    public Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null)
    {
        this.in_features = in_features;
        this.out_features = out_features;
        var bound = 1.0 / Math.Sqrt(in_features);
        weight = nn.init.NewParameter([out_features, in_features], t => nn.init.uniform_(t, -bound, bound), device, dtype);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = nn.init.NewParameter([out_features], t => nn.init.uniform_(t, -bound, bound), device, dtype);
            register_parameter("bias", bias);
        }
    }

    public long in_features { get; }

    public long out_features { get; }

    public nn.Parameter weight { get; }

    public nn.Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.linear(input, weight, bias);
}

/// <summary>Layer normalisation over the last dims, with elementwise affine weight (ones) and bias (zeros).</summary>
public sealed class LayerNorm : nn.Module
{
    public LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
    {
        this.normalized_shape = normalized_shape;
        this.eps = eps;
        if (elementwise_affine)
        {
            weight = nn.init.NewParameter(normalized_shape, t => nn.init.ones_(t), device, dtype);
            bias = nn.init.NewParameter(normalized_shape, t => nn.init.zeros_(t), device, dtype);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }
    }

    public LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null)
        : this([normalized_shape], eps, elementwise_affine, device, dtype)
    {
    }

    public long[] normalized_shape { get; }

    public double eps { get; }

    public nn.Parameter? weight { get; }

    public nn.Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.layer_norm(input, normalized_shape, weight, bias, eps);
}

/// <summary>2-D convolution; weight [out, in/groups, kh, kw] initialised as PyTorch does (uniform ±1/√fan_in).</summary>
public sealed class Conv2d : nn.Module
{
    public Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1, long groups = 1,
        bool hasBias = true, Device? device = null, ScalarType? dtype = null)
        : this(in_channels, out_channels, [kernel_size, kernel_size], [stride, stride], [padding, padding], [dilation, dilation], groups, hasBias, device, dtype)
    {
    }

    public Conv2d(long in_channels, long out_channels, long[] kernel_size, long[] stride, long[] padding, long[] dilation, long groups = 1,
        bool hasBias = true, Device? device = null, ScalarType? dtype = null)
    {
        if (in_channels % groups != 0 || out_channels % groups != 0)
        {
            throw new ArgumentException($"Conv2d: channels ({in_channels} in, {out_channels} out) must divide by groups ({groups})", nameof(groups));
        }

        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.groups = groups;
        var fanIn = in_channels / groups * kernel_size[0] * kernel_size[1];
        var bound = 1.0 / Math.Sqrt(fanIn);
        weight = nn.init.NewParameter([out_channels, in_channels / groups, kernel_size[0], kernel_size[1]], t => nn.init.uniform_(t, -bound, bound), device, dtype);
        register_parameter("weight", weight);
        if (hasBias)
        {
            bias = nn.init.NewParameter([out_channels], t => nn.init.uniform_(t, -bound, bound), device, dtype);
            register_parameter("bias", bias);
        }
    }

    public long[] stride { get; }

    public long[] padding { get; }

    public long[] dilation { get; }

    public long groups { get; }

    public nn.Parameter weight { get; }

    public nn.Parameter? bias { get; }

    public override Tensor forward(Tensor input) => F.conv2d(input, weight, bias, stride, padding, dilation, groups);
}

/// <summary>Batch normalisation over [N, C, H, W] with running statistics (buffers running_mean, running_var, num_batches_tracked).</summary>
public sealed class BatchNorm2d : nn.Module
{
    public BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null, ScalarType? dtype = null)
    {
        this.eps = eps;
        this.momentum = momentum;
        if (affine)
        {
            weight = nn.init.NewParameter([num_features], t => nn.init.ones_(t), device, dtype);
            bias = nn.init.NewParameter([num_features], t => nn.init.zeros_(t), device, dtype);
            register_parameter("weight", weight);
            register_parameter("bias", bias);
        }

        running_mean = zeros([num_features], dtype, device);
        running_var = ones([num_features], dtype, device);
        num_batches_tracked = zeros([], ScalarType.Int64, device);
        register_buffer("running_mean", running_mean);
        register_buffer("running_var", running_var);
        register_buffer("num_batches_tracked", num_batches_tracked);
    }

    public double eps { get; }

    public double momentum { get; }

    public nn.Parameter? weight { get; }

    public nn.Parameter? bias { get; }

    public Tensor running_mean { get; }

    public Tensor running_var { get; }

    public Tensor num_batches_tracked { get; }

    public override Tensor forward(Tensor input)
    {
        if (training)
        {
            using var ng = no_grad();
            num_batches_tracked.add_(1L);
        }

        return F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps);
    }
}

/// <summary>Dropout that is active in training mode only.</summary>
public sealed class Dropout : nn.Module
{
    public Dropout(double p = 0.5) => this.p = p;

    public double p { get; }

    public override Tensor forward(Tensor input) => F.dropout(input, p, training);
}

/// <summary>Returns its input (as a new handle to the same tensor).</summary>
public sealed class Identity : nn.Module
{
    public override Tensor forward(Tensor input) => input.alias();
}

/// <summary>Applies its modules in order; intermediate results are freed as it goes.</summary>
public sealed class Sequential : nn.Module
{
    private readonly List<nn.Module> layers = [];

    public Sequential(params nn.Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    public Sequential(params (string name, nn.Module module)[] modules)
    {
        foreach (var (n, m) in modules)
        {
            register_module(n, m);
            layers.Add(m);
        }
    }

    public int Count => layers.Count;

    public nn.Module this[int index] => layers[index];

    public void Add(nn.Module module)
    {
        register_module(layers.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        layers.Add(module);
    }

    public override Tensor forward(Tensor input)
    {
        if (layers.Count == 0)
        {
            return input.alias();
        }

        var x = input;
        foreach (var m in layers)
        {
            var next = m.forward(x);
            if (!ReferenceEquals(x, input) && !ReferenceEquals(x, next))
            {
                x.Dispose();
            }

            x = next;
        }

        return x;
    }
}

/// <summary>A list of sub-modules named 0, 1, … (no forward of its own).</summary>
public sealed class ModuleList : nn.Module, IEnumerable<nn.Module>
{
    private readonly List<nn.Module> items = [];

    public ModuleList(params nn.Module[] modules)
    {
        foreach (var m in modules)
        {
            Add(m);
        }
    }

    public int Count => items.Count;

    public nn.Module this[int index] => items[index];

    public void Add(nn.Module module)
    {
        register_module(items.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), module);
        items.Add(module);
    }

    public IEnumerator<nn.Module> GetEnumerator() => items.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
