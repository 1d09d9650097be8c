using System.Runtime.InteropServices;

namespace Leaderboard.Torch.Native;

/// <summary>P/Invoke for lb_tensor_* (src/Training/Native/src/tensor.cpp).</summary>
internal static unsafe class TensorNative
{
    private const string Lib = LibTorch.Lib;

    static TensorNative() => LibTorch.Init();

    internal enum Unary
    {
        Neg, Sqrt, Exp, Log, Abs, Sign, Relu, Sigmoid, Tanh, Rsqrt, Sin, Cos, Floor, Ceil, Round, IsFinite, IsNan,
        LogicalNot, Reciprocal, Square, Erf, Silu, Hardswish, Gelu, GeluTanh, IsInf,
    }

    internal enum Binary
    {
        Add, Sub, Mul, Div, Matmul, Bmm, Eq, Ne, Gt, Lt, Ge, Le, Pow, Maximum, Minimum, LogicalAnd, LogicalOr, Copy, Remainder,
    }

    internal enum ScalarOp { Add, Sub, Mul, Div, Pow, Eq, Ne, Gt, Lt, Ge, Le, RSub, RDiv, Fill, Remainder, RPow }

    internal enum Reduce { Sum, Mean, Max, Min, All, Any, Prod, Var, Std }

    internal enum NewKind { Zeros, Ones, Empty, Randn, Rand }

    internal enum InitKind { Normal, Uniform, TruncNormal }

    [DllImport(Lib)] internal static extern void lb_tensor_free(IntPtr t);
    [DllImport(Lib)] internal static extern long lb_tensor_live_count();
    [DllImport(Lib)] internal static extern int lb_tensor_dim(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_shape(IntPtr t, long* shape, int cap);
    [DllImport(Lib)] internal static extern long lb_tensor_numel(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_dtype(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_device_type(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_device_index(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_requires_grad(IntPtr t);
    [DllImport(Lib)] internal static extern void lb_tensor_set_requires_grad(IntPtr t, int v);
    [DllImport(Lib)] internal static extern int lb_tensor_is_contiguous(IntPtr t);
    [DllImport(Lib)] internal static extern double lb_tensor_item_double(IntPtr t);
    [DllImport(Lib)] internal static extern long lb_tensor_item_long(IntPtr t);
    [DllImport(Lib)] internal static extern void lb_tensor_copy_out(IntPtr t, int dtype, void* dst, long nbytes);

    [DllImport(Lib)] internal static extern IntPtr lb_tensor_from_data(void* data, int dtype, long* shape, int ndim, int devType, int devIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_new(NewKind kind, long* shape, int ndim, int dtype, int devType, int devIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_full(long* shape, int ndim, double v, int isInt, int dtype, int devType, int devIndex, int requiresGrad);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_randint(long low, long high, long* shape, int ndim, int dtype, int devType, int devIndex);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_arange(double start, double end, double step, int dtype, int devType, int devIndex);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_linspace(double start, double end, long steps, int dtype, int devType, int devIndex);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_eye(long n, long m, int dtype, int devType, int devIndex);
    [DllImport(Lib)] internal static extern void lb_tensor_manual_seed(long seed);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_randperm(long n, int dtype, int devType, int devIndex);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_pin_memory(IntPtr t);
    [DllImport(Lib)] internal static extern int lb_tensor_is_pinned(IntPtr t);
    [DllImport(Lib)] internal static extern void lb_tensor_init_(IntPtr t, InitKind kind, double a, double b, double lo, double hi);

    [DllImport(Lib)] internal static extern IntPtr lb_tensor_to_device(IntPtr t, int devType, int devIndex, int nonBlocking);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_to_dtype(IntPtr t, int dtype);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_clone(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_detach(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_contiguous(IntPtr t);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_alias(IntPtr t);

    [DllImport(Lib)] internal static extern IntPtr lb_tensor_view(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_reshape(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_permute(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_expand(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_repeat(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_flip(IntPtr t, long* s, int n);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_transpose(IntPtr t, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_flatten(IntPtr t, long a, long b);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_unsqueeze(IntPtr t, long d);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_squeeze(IntPtr t, long d, int all);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_narrow(IntPtr t, long dim, long start, long len);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_slice(IntPtr t, long dim, long start, long end, long step);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_select(IntPtr t, long dim, long idx);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_index_select(IntPtr t, long dim, IntPtr idx);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_gather(IntPtr t, long dim, IntPtr idx);
    [DllImport(Lib)] internal static extern IntPtr* lb_tensor_chunk(IntPtr t, long chunks, long dim, long* count);
    [DllImport(Lib)] internal static extern IntPtr* lb_tensor_split(IntPtr t, long* sizes, int n, long dim, long* count);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_cat(IntPtr* ts, long n, long dim);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_stack(IntPtr* ts, long n, long dim);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_roll(IntPtr t, long* shifts, long* dims, int n);

    [DllImport(Lib)] internal static extern IntPtr lb_tensor_unary(IntPtr t, Unary op);
    [DllImport(Lib)] internal static extern void lb_tensor_unary_(IntPtr t, Unary op);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_binary(IntPtr a, IntPtr b, Binary op, double alpha);
    [DllImport(Lib)] internal static extern void lb_tensor_binary_(IntPtr a, IntPtr b, Binary op, double alpha);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_scalar_op(IntPtr t, double v, int isInt, ScalarOp op);
    [DllImport(Lib)] internal static extern void lb_tensor_scalar_op_(IntPtr t, double v, int isInt, ScalarOp op);
    [DllImport(Lib)] internal static extern void lb_tensor_zero_(IntPtr t);
    [DllImport(Lib)] internal static extern void lb_tensor_addcmul_(IntPtr t, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern void lb_tensor_addcdiv_(IntPtr t, IntPtr a, IntPtr b, double value);
    [DllImport(Lib)] internal static extern void lb_tensor_lerp_(IntPtr t, IntPtr end, double weight);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_clamp(IntPtr t, double lo, double hi);
    [DllImport(Lib)] internal static extern void lb_tensor_clamp_(IntPtr t, double lo, double hi);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_where(IntPtr cond, IntPtr a, IntPtr b);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_masked_fill(IntPtr t, IntPtr mask, double v);
    [DllImport(Lib)] internal static extern void lb_tensor_masked_fill_(IntPtr t, IntPtr mask, double v);

    [DllImport(Lib)] internal static extern IntPtr lb_tensor_reduce_all(IntPtr t, Reduce op);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_reduce_dims(IntPtr t, Reduce op, long* dims, int n, int keepdim);
    [DllImport(Lib)] internal static extern void lb_tensor_max_dim(IntPtr t, long dim, int keepdim, int isMin, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_argmax(IntPtr t, long dim, int hasDim, int keepdim);
    [DllImport(Lib)] internal static extern void lb_tensor_topk(IntPtr t, long k, long dim, int largest, int sorted, out IntPtr values, out IntPtr indices);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_norm(IntPtr t, double p, long* dims, int n, int keepdim);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_softmax(IntPtr t, long dim, int log);
    [DllImport(Lib)] internal static extern IntPtr lb_tensor_cumsum(IntPtr t, long dim);
}
