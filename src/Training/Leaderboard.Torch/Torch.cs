using System.Runtime.InteropServices;
using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

/// <summary>The libtorch binding's entry point, shaped like TorchSharp's <c>torch</c>: <c>using static Leaderboard.Torch.torch;</c>.</summary>
public static partial class torch
{
    public static readonly Device CPU = new(DeviceType.CPU);
    public static readonly Device CUDA = new(DeviceType.CUDA, 0);

    public const ScalarType float32 = ScalarType.Float32;
    public const ScalarType float64 = ScalarType.Float64;
    public const ScalarType bfloat16 = ScalarType.BFloat16;
    public const ScalarType float16 = ScalarType.Float16;
    public const ScalarType int64 = ScalarType.Int64;
    public const ScalarType int32 = ScalarType.Int32;
    public const ScalarType uint8 = ScalarType.UInt8;
    public const ScalarType @bool = ScalarType.Bool;

    /// <summary>The version of the libtorch the shim was built against, e.g. "1.13.0".</summary>
    public static string __version__
    {
        get
        {
            var p = LibTorch.lb_torch_version();
            LibTorch.Check();
            return Marshal.PtrToStringUTF8(p) ?? "";
        }
    }

    /// <summary>The number of threads libtorch's CPU kernels use (process-wide).</summary>
    public static void set_num_threads(int threads)
    {
        LibTorch.lb_set_num_threads(threads);
        LibTorch.Check();
    }

    public static int get_num_threads()
    {
        var n = LibTorch.lb_get_num_threads();
        LibTorch.Check();
        return n;
    }

    /// <summary>Opens a dispose scope on this thread: tensors created until it is disposed are freed with it.</summary>
    public static DisposeScope NewDisposeScope() => new();

    public static void manual_seed(long seed)
    {
        lb_tensor_manual_seed(seed);
        LibTorch.Check();
    }

    // ---------- creation ----------

    private static unsafe torch.Tensor New(NewKind kind, long[] size, ScalarType? dtype, Device? device, bool requires_grad)
    {
        var d = device ?? CPU;
        fixed (long* p = size)
        {
            return Tensor.Wrap(lb_tensor_new(kind, p, size.Length, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index, requires_grad ? 1 : 0));
        }
    }

    public static Tensor zeros(params long[] size) => New(NewKind.Zeros, size, null, null, false);
    public static Tensor zeros(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => New(NewKind.Zeros, size, dtype, device, requires_grad);
    public static Tensor ones(params long[] size) => New(NewKind.Ones, size, null, null, false);
    public static Tensor ones(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => New(NewKind.Ones, size, dtype, device, requires_grad);
    public static Tensor empty(params long[] size) => New(NewKind.Empty, size, null, null, false);
    public static Tensor empty(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => New(NewKind.Empty, size, dtype, device, requires_grad);
    public static Tensor randn(params long[] size) => New(NewKind.Randn, size, null, null, false);
    public static Tensor randn(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => New(NewKind.Randn, size, dtype, device, requires_grad);
    public static Tensor rand(params long[] size) => New(NewKind.Rand, size, null, null, false);
    public static Tensor rand(long[] size, ScalarType? dtype = null, Device? device = null, bool requires_grad = false) => New(NewKind.Rand, size, dtype, device, requires_grad);

    public static Tensor zeros_like(Tensor t) => zeros(t.shape, t.dtype, t.device);
    public static Tensor ones_like(Tensor t) => ones(t.shape, t.dtype, t.device);

    public static unsafe Tensor full(long[] size, double value, ScalarType? dtype = null, Device? device = null, bool requires_grad = false)
    {
        var d = device ?? CPU;
        var st = dtype ?? ScalarType.Float32;
        fixed (long* p = size)
        {
            return Tensor.Wrap(lb_tensor_full(p, size.Length, value, st.IsFloatingPoint() ? 0 : 1, (int)st, (int)d.type, d.index, requires_grad ? 1 : 0));
        }
    }

    /// <summary>Integers uniform in [low, high).</summary>
    public static unsafe Tensor randint(long low, long high, long[] size, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        fixed (long* p = size)
        {
            return Tensor.Wrap(lb_tensor_randint(low, high, p, size.Length, (int)(dtype ?? ScalarType.Int64), (int)d.type, d.index));
        }
    }

    public static Tensor randint(long high, long[] size, ScalarType? dtype = null, Device? device = null) => randint(0, high, size, dtype, device);

    /// <summary>start, start+step, … below end. Int64 unless a dtype is given.</summary>
    public static Tensor arange(double start, double end, double step = 1, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        return Tensor.Wrap(lb_tensor_arange(start, end, step, (int)(dtype ?? ScalarType.Int64), (int)d.type, d.index));
    }

    public static Tensor arange(long end, ScalarType? dtype = null, Device? device = null) => arange(0, end, 1, dtype, device);

    /// <summary>A random permutation of 0 … n−1.</summary>
    public static Tensor randperm(long n, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        return Tensor.Wrap(lb_tensor_randperm(n, (int)(dtype ?? ScalarType.Int64), (int)d.type, d.index));
    }

    public static Tensor linspace(double start, double end, long steps, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        return Tensor.Wrap(lb_tensor_linspace(start, end, steps, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index));
    }

    public static Tensor eye(long n, long m = -1, ScalarType? dtype = null, Device? device = null)
    {
        var d = device ?? CPU;
        return Tensor.Wrap(lb_tensor_eye(n, m < 0 ? n : m, (int)(dtype ?? ScalarType.Float32), (int)d.type, d.index));
    }

    /// <summary>A new tensor holding a copy of <paramref name="data"/> with the given shape (1-D when null).</summary>
    public static Tensor tensor(ReadOnlySpan<float> data, long[]? shape = null, Device? device = null, bool requires_grad = false) => FromSpan(data, ScalarType.Float32, shape, device, requires_grad);
    public static Tensor tensor(ReadOnlySpan<double> data, long[]? shape = null, Device? device = null, bool requires_grad = false) => FromSpan(data, ScalarType.Float64, shape, device, requires_grad);
    public static Tensor tensor(ReadOnlySpan<long> data, long[]? shape = null, Device? device = null) => FromSpan(data, ScalarType.Int64, shape, device, false);
    public static Tensor tensor(ReadOnlySpan<int> data, long[]? shape = null, Device? device = null) => FromSpan(data, ScalarType.Int32, shape, device, false);
    public static Tensor tensor(ReadOnlySpan<byte> data, long[]? shape = null, Device? device = null) => FromSpan(data, ScalarType.UInt8, shape, device, false);
    public static Tensor tensor(ReadOnlySpan<bool> data, long[]? shape = null, Device? device = null) => FromSpan(data, ScalarType.Bool, shape, device, false);
    public static Tensor tensor(float[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) => FromSpan<float>(data, ScalarType.Float32, shape, device, requires_grad);
    public static Tensor tensor(double[] data, long[]? shape = null, Device? device = null, bool requires_grad = false) => FromSpan<double>(data, ScalarType.Float64, shape, device, requires_grad);
    public static Tensor tensor(long[] data, long[]? shape = null, Device? device = null) => FromSpan<long>(data, ScalarType.Int64, shape, device, false);
    public static Tensor tensor(int[] data, long[]? shape = null, Device? device = null) => FromSpan<int>(data, ScalarType.Int32, shape, device, false);
    public static Tensor tensor(byte[] data, long[]? shape = null, Device? device = null) => FromSpan<byte>(data, ScalarType.UInt8, shape, device, false);
    public static Tensor tensor(bool[] data, long[]? shape = null, Device? device = null) => FromSpan<bool>(data, ScalarType.Bool, shape, device, false);

    /// <summary>A 0-dim tensor.</summary>
    public static Tensor tensor(float value, Device? device = null) => FromSpan([value], ScalarType.Float32, [], device, false);
    public static Tensor tensor(double value, Device? device = null) => FromSpan([value], ScalarType.Float64, [], device, false);
    public static Tensor tensor(long value, Device? device = null) => FromSpan([value], ScalarType.Int64, [], device, false);

    /// <summary>A copy of raw little-endian element bytes as a tensor of <paramref name="dtype"/> (e.g. BF16 from a checkpoint).</summary>
    public static Tensor from_bytes(ReadOnlySpan<byte> data, ScalarType dtype, long[] shape, Device? device = null) => FromSpan(data, dtype, shape, device, false);

    private static unsafe Tensor FromSpan<T>(ReadOnlySpan<T> data, ScalarType dtype, long[]? shape, Device? device, bool requires_grad) where T : unmanaged
    {
        var byteLength = (long)data.Length * sizeof(T);
        shape ??= [byteLength / dtype.ElementSize()];
        long n = 1;
        foreach (var s in shape)
        {
            n *= s;
        }

        if (n * dtype.ElementSize() != byteLength)
        {
            throw new ArgumentException($"shape [{string.Join(", ", shape)}] needs {n} elements of {dtype}, the data has {byteLength} bytes", nameof(shape));
        }

        var d = device ?? CPU;
        fixed (T* p = data)
        fixed (long* sp = shape)
        {
            return Tensor.Wrap(lb_tensor_from_data(p, (int)dtype, sp, shape.Length, (int)d.type, d.index, requires_grad ? 1 : 0));
        }
    }

    // ---------- functions over several tensors ----------

    public static unsafe Tensor cat(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var hs = Handles(tensors);
        fixed (IntPtr* p = hs) return Tensor.Wrap(lb_tensor_cat(p, hs.Length, dim));
    }

    public static unsafe Tensor stack(IReadOnlyList<Tensor> tensors, long dim = 0)
    {
        var hs = Handles(tensors);
        fixed (IntPtr* p = hs) return Tensor.Wrap(lb_tensor_stack(p, hs.Length, dim));
    }

    public static Tensor where(Tensor condition, Tensor x, Tensor y) => Tensor.Wrap(lb_tensor_where(condition.Handle, x.Handle, y.Handle));

    public static Tensor matmul(Tensor a, Tensor b) => a.matmul(b);

    public static Tensor bmm(Tensor a, Tensor b) => a.bmm(b);

    public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);

    public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

    public static Tensor sqrt(Tensor x) => x.sqrt();

    public static Tensor exp(Tensor x) => x.exp();

    public static Tensor log(Tensor x) => x.log();

    public static Tensor abs(Tensor x) => x.abs();

    public static Tensor sign(Tensor x) => x.sign();

    public static Tensor clamp(Tensor x, double? min = null, double? max = null) => x.clamp(min, max);

    public static Tensor flip(Tensor x, params long[] dims) => x.flip(dims);

    public static Tensor roll(Tensor x, long[] shifts, long[] dims) => x.roll(shifts, dims);

    public static Tensor maximum(Tensor a, Tensor b) => a.maximum(b);

    public static Tensor minimum(Tensor a, Tensor b) => a.minimum(b);

    public static Tensor flatten(Tensor x, long start_dim = 0, long end_dim = -1) => x.flatten(start_dim, end_dim);

    public static Tensor[] chunk(Tensor x, long chunks, long dim = 0) => x.chunk(chunks, dim);

    public static Tensor[] split(Tensor x, long split_size, long dim = 0) => x.split(split_size, dim);

    internal static IntPtr[] Handles(IReadOnlyList<Tensor> tensors)
    {
        var hs = new IntPtr[tensors.Count];
        for (var i = 0; i < hs.Length; i++)
        {
            hs[i] = tensors[i].Handle;
        }

        return hs;
    }
}
