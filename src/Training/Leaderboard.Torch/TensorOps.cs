using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

public static partial class torch
{
    public partial class Tensor
    {
        // ---------- autograd ----------

        /// <summary>Backpropagates from this (scalar) tensor, accumulating into leaves' grad.</summary>
        public void backward(Tensor? gradient = null, bool retain_graph = false)
        {
            AutogradNative.lb_autograd_backward(Handle, gradient?.Handle ?? IntPtr.Zero, retain_graph ? 1 : 0);
            LibTorch.Check();
        }

        public Tensor detach() => Wrap(lb_tensor_detach(Handle));

        public Tensor requires_grad_(bool requires = true)
        {
            requires_grad = requires;
            return this;
        }

        // ---------- conversion ----------

        public Tensor to(Device device, bool non_blocking = false) =>
            Wrap(lb_tensor_to_device(Handle, (int)device.type, device.index, non_blocking ? 1 : 0));

        public Tensor to(ScalarType type) => Wrap(lb_tensor_to_dtype(Handle, (int)type));

        public Tensor to(ScalarType type, Device device)
        {
            using var moved = to(device);
            return moved.to(type);
        }

        public Tensor cpu() => to(CPU);

        public Tensor cuda(int index = 0) => to(new Device(DeviceType.CUDA, index));

        public Tensor @float() => to(ScalarType.Float32);

        public Tensor @long() => to(ScalarType.Int64);

        public Tensor bfloat16() => to(ScalarType.BFloat16);

        public Tensor half() => to(ScalarType.Float16);

        /// <summary>A copy in page-locked host memory, for to(cuda, non_blocking: true); needs CUDA.</summary>
        public Tensor pin_memory() => Wrap(lb_tensor_pin_memory(Handle));

        public bool is_pinned()
        {
            var v = lb_tensor_is_pinned(Handle);
            LibTorch.Check();
            return v != 0;
        }

        public Tensor clone() => Wrap(lb_tensor_clone(Handle));

        public Tensor contiguous() => Wrap(lb_tensor_contiguous(Handle));

        /// <summary>A second handle to the same tensor (shares storage and autograd history).</summary>
        public Tensor alias() => Wrap(lb_tensor_alias(Handle));

        // ---------- shape ----------

        public unsafe Tensor view(params long[] shape)
        {
            fixed (long* p = shape) return Wrap(lb_tensor_view(Handle, p, shape.Length));
        }

        public unsafe Tensor reshape(params long[] shape)
        {
            fixed (long* p = shape) return Wrap(lb_tensor_reshape(Handle, p, shape.Length));
        }

        public unsafe Tensor permute(params long[] dims)
        {
            fixed (long* p = dims) return Wrap(lb_tensor_permute(Handle, p, dims.Length));
        }

        public unsafe Tensor expand(params long[] shape)
        {
            fixed (long* p = shape) return Wrap(lb_tensor_expand(Handle, p, shape.Length));
        }

        public unsafe Tensor repeat(params long[] repeats)
        {
            fixed (long* p = repeats) return Wrap(lb_tensor_repeat(Handle, p, repeats.Length));
        }

        public unsafe Tensor flip(params long[] dims)
        {
            fixed (long* p = dims) return Wrap(lb_tensor_flip(Handle, p, dims.Length));
        }

        public Tensor transpose(long dim0, long dim1) => Wrap(lb_tensor_transpose(Handle, dim0, dim1));

        public Tensor t() => transpose(0, 1);

        public Tensor flatten(long start_dim = 0, long end_dim = -1) => Wrap(lb_tensor_flatten(Handle, start_dim, end_dim));

        public Tensor unsqueeze(long dim) => Wrap(lb_tensor_unsqueeze(Handle, dim));

        public Tensor squeeze() => Wrap(lb_tensor_squeeze(Handle, 0, 1));

        public Tensor squeeze(long dim) => Wrap(lb_tensor_squeeze(Handle, dim, 0));

        public Tensor narrow(long dim, long start, long length) => Wrap(lb_tensor_narrow(Handle, dim, start, length));

        /// <summary>Elements start..end (exclusive) with a step along dim; end may exceed the size (clamped).</summary>
        public Tensor slice(long dim, long start, long end, long step = 1) => Wrap(lb_tensor_slice(Handle, dim, start, end, step));

        public Tensor select(long dim, long index) => Wrap(lb_tensor_select(Handle, dim, index));

        /// <summary>t[i] along dim 0.</summary>
        public Tensor this[long index] => select(0, index);

        public Tensor index_select(long dim, Tensor index) => Wrap(lb_tensor_index_select(Handle, dim, index.Handle));

        public Tensor gather(long dim, Tensor index) => Wrap(lb_tensor_gather(Handle, dim, index.Handle));

        public unsafe Tensor[] chunk(long chunks, long dim = 0)
        {
            long n;
            var arr = lb_tensor_chunk(Handle, chunks, dim, &n);
            return WrapList(arr, n);
        }

        /// <summary>Pieces of split_size along dim (the last may be smaller).</summary>
        public unsafe Tensor[] split(long split_size, long dim = 0)
        {
            long n;
            var arr = lb_tensor_split(Handle, &split_size, 1, dim, &n);
            return WrapList(arr, n);
        }

        /// <summary>Pieces of the given sizes along dim.</summary>
        public unsafe Tensor[] split(long[] sizes, long dim = 0)
        {
            if (sizes.Length == 1)
            {
                return split(sizes[0], dim);
            }

            long n;
            IntPtr* arr;
            fixed (long* p = sizes) arr = lb_tensor_split(Handle, p, sizes.Length, dim, &n);
            return WrapList(arr, n);
        }

        public unsafe Tensor roll(long[] shifts, long[] dims)
        {
            if (shifts.Length != dims.Length)
            {
                throw new ArgumentException("roll: shifts and dims differ in length", nameof(dims));
            }

            fixed (long* s = shifts)
            fixed (long* d = dims)
            {
                return Wrap(lb_tensor_roll(Handle, s, d, shifts.Length));
            }
        }

        public Tensor roll(long shift, long dim) => roll([shift], [dim]);

        internal static unsafe Tensor[] WrapList(IntPtr* arr, long n)
        {
            try
            {
                LibTorch.Check();
                var result = new Tensor[n];
                for (long i = 0; i < n; i++)
                {
                    result[i] = new Tensor(arr[i]);
                }

                return result;
            }
            finally
            {
                if (arr != null)
                {
                    LibTorch.lb_free((IntPtr)arr);
                }
            }
        }

        // ---------- elementwise ----------


        private Tensor U_(Unary op)
        {
            lb_tensor_unary_(Handle, op);
            LibTorch.Check();
            return this;
        }

        private Tensor B(Tensor other, Binary op, double alpha = 1) => Wrap(lb_tensor_binary(Handle, other.Handle, op, alpha));

        private Tensor B_(Tensor other, Binary op, double alpha = 1)
        {
            lb_tensor_binary_(Handle, other.Handle, op, alpha);
            LibTorch.Check();
            return this;
        }

        private Tensor S(double v, bool isInt, ScalarOp op) => Wrap(lb_tensor_scalar_op(Handle, v, isInt ? 1 : 0, op));

        private Tensor S_(double v, bool isInt, ScalarOp op)
        {
            lb_tensor_scalar_op_(Handle, v, isInt ? 1 : 0, op);
            LibTorch.Check();
            return this;
        }

        public Tensor neg() => U(Unary.Neg);
        public Tensor sqrt() => U(Unary.Sqrt);
        public Tensor rsqrt() => U(Unary.Rsqrt);
        public Tensor exp() => U(Unary.Exp);
        public Tensor log() => U(Unary.Log);
        public Tensor abs() => U(Unary.Abs);
        public Tensor sign() => U(Unary.Sign);
        public Tensor relu() => U(Unary.Relu);
        public Tensor sigmoid() => U(Unary.Sigmoid);
        public Tensor tanh() => U(Unary.Tanh);
        public Tensor sin() => U(Unary.Sin);
        public Tensor cos() => U(Unary.Cos);
        public Tensor floor() => U(Unary.Floor);
        public Tensor ceil() => U(Unary.Ceil);
        public Tensor round() => U(Unary.Round);
        public Tensor isfinite() => U(Unary.IsFinite);
        public Tensor isnan() => U(Unary.IsNan);
        public Tensor isinf() => U(Unary.IsInf);
        public Tensor logical_not() => U(Unary.LogicalNot);
        public Tensor reciprocal() => U(Unary.Reciprocal);
        public Tensor square() => U(Unary.Square);
        public Tensor erf() => U(Unary.Erf);

        public Tensor neg_() => U_(Unary.Neg);
        public Tensor sqrt_() => U_(Unary.Sqrt);
        public Tensor exp_() => U_(Unary.Exp);
        public Tensor relu_() => U_(Unary.Relu);
        public Tensor abs_() => U_(Unary.Abs);

        public Tensor add(Tensor other, double alpha = 1) => B(other, Binary.Add, alpha);
        public Tensor sub(Tensor other, double alpha = 1) => B(other, Binary.Sub, alpha);
        public Tensor mul(Tensor other) => B(other, Binary.Mul);
        public Tensor div(Tensor other) => B(other, Binary.Div);
        public Tensor pow(Tensor exponent) => B(exponent, Binary.Pow);
        public Tensor matmul(Tensor other) => B(other, Binary.Matmul);
        public Tensor bmm(Tensor other) => B(other, Binary.Bmm);
        public Tensor eq(Tensor other) => B(other, Binary.Eq);
        public Tensor ne(Tensor other) => B(other, Binary.Ne);
        public Tensor gt(Tensor other) => B(other, Binary.Gt);
        public Tensor lt(Tensor other) => B(other, Binary.Lt);
        public Tensor ge(Tensor other) => B(other, Binary.Ge);
        public Tensor le(Tensor other) => B(other, Binary.Le);
        public Tensor maximum(Tensor other) => B(other, Binary.Maximum);
        public Tensor minimum(Tensor other) => B(other, Binary.Minimum);
        public Tensor logical_and(Tensor other) => B(other, Binary.LogicalAnd);
        public Tensor logical_or(Tensor other) => B(other, Binary.LogicalOr);
        public Tensor remainder(Tensor other) => B(other, Binary.Remainder);

        public Tensor add(double v) => S(v, false, ScalarOp.Add);
        public Tensor add(long v) => S(v, true, ScalarOp.Add);
        public Tensor sub(double v) => S(v, false, ScalarOp.Sub);
        public Tensor sub(long v) => S(v, true, ScalarOp.Sub);
        public Tensor mul(double v) => S(v, false, ScalarOp.Mul);
        public Tensor mul(long v) => S(v, true, ScalarOp.Mul);
        public Tensor div(double v) => S(v, false, ScalarOp.Div);
        public Tensor div(long v) => S(v, true, ScalarOp.Div);
        public Tensor pow(double exponent) => S(exponent, false, ScalarOp.Pow);
        public Tensor eq(double v) => S(v, false, ScalarOp.Eq);
        public Tensor ne(double v) => S(v, false, ScalarOp.Ne);
        public Tensor gt(double v) => S(v, false, ScalarOp.Gt);
        public Tensor lt(double v) => S(v, false, ScalarOp.Lt);
        public Tensor ge(double v) => S(v, false, ScalarOp.Ge);
        public Tensor le(double v) => S(v, false, ScalarOp.Le);
        public Tensor remainder(double v) => S(v, false, ScalarOp.Remainder);

        public Tensor add_(Tensor other, double alpha = 1) => B_(other, Binary.Add, alpha);
        public Tensor sub_(Tensor other, double alpha = 1) => B_(other, Binary.Sub, alpha);
        public Tensor mul_(Tensor other) => B_(other, Binary.Mul);
        public Tensor div_(Tensor other) => B_(other, Binary.Div);
        public Tensor copy_(Tensor source) => B_(source, Binary.Copy);
        public Tensor add_(double v) => S_(v, false, ScalarOp.Add);
        public Tensor add_(long v) => S_(v, true, ScalarOp.Add);
        public Tensor mul_(long v) => S_(v, true, ScalarOp.Mul);
        public Tensor sub_(double v) => S_(v, false, ScalarOp.Sub);
        public Tensor mul_(double v) => S_(v, false, ScalarOp.Mul);
        public Tensor div_(double v) => S_(v, false, ScalarOp.Div);
        public Tensor pow_(double v) => S_(v, false, ScalarOp.Pow);
        public Tensor fill_(double v) => S_(v, false, ScalarOp.Fill);
        public Tensor fill_(long v) => S_(v, true, ScalarOp.Fill);

        public Tensor zero_()
        {
            lb_tensor_zero_(Handle);
            LibTorch.Check();
            return this;
        }

        /// <summary>this += value · t1 · t2.</summary>
        public Tensor addcmul_(Tensor tensor1, Tensor tensor2, double value = 1)
        {
            lb_tensor_addcmul_(Handle, tensor1.Handle, tensor2.Handle, value);
            LibTorch.Check();
            return this;
        }

        /// <summary>this += value · t1 / t2.</summary>
        public Tensor addcdiv_(Tensor tensor1, Tensor tensor2, double value = 1)
        {
            lb_tensor_addcdiv_(Handle, tensor1.Handle, tensor2.Handle, value);
            LibTorch.Check();
            return this;
        }

        /// <summary>this += weight · (end − this).</summary>
        public Tensor lerp_(Tensor end, double weight)
        {
            lb_tensor_lerp_(Handle, end.Handle, weight);
            LibTorch.Check();
            return this;
        }

        public Tensor clamp(double? min = null, double? max = null) =>
            Wrap(lb_tensor_clamp(Handle, min ?? double.NaN, max ?? double.NaN));

        public Tensor clamp_(double? min = null, double? max = null)
        {
            lb_tensor_clamp_(Handle, min ?? double.NaN, max ?? double.NaN);
            LibTorch.Check();
            return this;
        }

        public Tensor clamp_min(double min) => clamp(min, null);

        public Tensor clamp_max(double max) => clamp(null, max);

        public Tensor masked_fill(Tensor mask, double value) => Wrap(lb_tensor_masked_fill(Handle, mask.Handle, value));

        public Tensor masked_fill_(Tensor mask, double value)
        {
            lb_tensor_masked_fill_(Handle, mask.Handle, value);
            LibTorch.Check();
            return this;
        }

        /// <summary>Elements of this where condition holds, else of other.</summary>
        public Tensor where(Tensor condition, Tensor other) => torch.where(condition, this, other);

        // ---------- reductions ----------

        private unsafe Tensor R(Reduce op, long[]? dims, bool keepdim)
        {
            if (dims is null || dims.Length == 0)
            {
                if (keepdim)
                {
                    throw new ArgumentException("keepdim needs dims", nameof(keepdim));
                }

                return Wrap(lb_tensor_reduce_all(Handle, op));
            }

            fixed (long* p = dims) return Wrap(lb_tensor_reduce_dims(Handle, op, p, dims.Length, keepdim ? 1 : 0));
        }

        public Tensor sum() => R(Reduce.Sum, null, false);
        public Tensor sum(long dim, bool keepdim = false) => R(Reduce.Sum, [dim], keepdim);
        public Tensor sum(long[] dims, bool keepdim = false) => R(Reduce.Sum, dims, keepdim);
        public Tensor mean() => R(Reduce.Mean, null, false);
        public Tensor mean(long dim, bool keepdim = false) => R(Reduce.Mean, [dim], keepdim);
        public Tensor mean(long[] dims, bool keepdim = false) => R(Reduce.Mean, dims, keepdim);
        public Tensor var(long dim, bool keepdim = false) => R(Reduce.Var, [dim], keepdim);
        public Tensor std(long dim, bool keepdim = false) => R(Reduce.Std, [dim], keepdim);
        public Tensor var() => R(Reduce.Var, null, false);
        public Tensor std() => R(Reduce.Std, null, false);
        public Tensor prod() => R(Reduce.Prod, null, false);
        public Tensor all() => R(Reduce.All, null, false);
        public Tensor any() => R(Reduce.Any, null, false);

        /// <summary>The largest element (a 0-dim tensor).</summary>
        public Tensor max() => R(Reduce.Max, null, false);

        public Tensor min() => R(Reduce.Min, null, false);

        public Tensor amax(long[] dims, bool keepdim = false) => R(Reduce.Max, dims, keepdim);

        public Tensor amin(long[] dims, bool keepdim = false) => R(Reduce.Min, dims, keepdim);

        /// <summary>Largest values along dim and their indices.</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false)
        {
            lb_tensor_max_dim(Handle, dim, keepdim ? 1 : 0, 0, out var v, out var i);
            return Pair(v, i);
        }

        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false)
        {
            lb_tensor_max_dim(Handle, dim, keepdim ? 1 : 0, 1, out var v, out var i);
            return Pair(v, i);
        }

        /// <summary>Index of the largest element of the flattened tensor.</summary>
        public Tensor argmax() => Wrap(lb_tensor_argmax(Handle, 0, 0, 0));

        public Tensor argmax(long dim, bool keepdim = false) => Wrap(lb_tensor_argmax(Handle, dim, 1, keepdim ? 1 : 0));

        public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true)
        {
            lb_tensor_topk(Handle, k, dim, largest ? 1 : 0, sorted ? 1 : 0, out var v, out var i);
            return Pair(v, i);
        }

        private static (Tensor, Tensor) Pair(IntPtr v, IntPtr i)
        {
            try
            {
                LibTorch.Check();
            }
            catch
            {
                lb_tensor_free(v);
                lb_tensor_free(i);
                throw;
            }

            return (new Tensor(v), new Tensor(i));
        }

        /// <summary>The p-norm of all elements.</summary>
        public unsafe Tensor norm(double p = 2) => Wrap(lb_tensor_norm(Handle, p, null, 0, 0));

        public unsafe Tensor norm(long[] dims, double p = 2, bool keepdim = false)
        {
            fixed (long* d = dims) return Wrap(lb_tensor_norm(Handle, p, d, dims.Length, keepdim ? 1 : 0));
        }

        public Tensor softmax(long dim) => Wrap(lb_tensor_softmax(Handle, dim, 0));

        public Tensor log_softmax(long dim) => Wrap(lb_tensor_softmax(Handle, dim, 1));

        public Tensor cumsum(long dim) => Wrap(lb_tensor_cumsum(Handle, dim));

        // ---------- operators ----------

        public static Tensor operator +(Tensor a, Tensor b) => a.add(b);
        public static Tensor operator -(Tensor a, Tensor b) => a.sub(b);
        public static Tensor operator *(Tensor a, Tensor b) => a.mul(b);
        public static Tensor operator /(Tensor a, Tensor b) => a.div(b);
        public static Tensor operator -(Tensor a) => a.neg();
        public static Tensor operator +(Tensor a, double b) => a.add(b);
        public static Tensor operator +(double a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, double b) => a.sub(b);
        public static Tensor operator -(double a, Tensor b) => b.S(a, false, ScalarOp.RSub);
        public static Tensor operator *(Tensor a, double b) => a.mul(b);
        public static Tensor operator *(double a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, double b) => a.div(b);
        public static Tensor operator /(double a, Tensor b) => b.S(a, false, ScalarOp.RDiv);
        public static Tensor operator +(Tensor a, long b) => a.add(b);
        public static Tensor operator +(long a, Tensor b) => b.add(a);
        public static Tensor operator -(Tensor a, long b) => a.sub(b);
        public static Tensor operator -(long a, Tensor b) => b.S(a, true, ScalarOp.RSub);
        public static Tensor operator *(Tensor a, long b) => a.mul(b);
        public static Tensor operator *(long a, Tensor b) => b.mul(a);
        public static Tensor operator /(Tensor a, long b) => a.div(b);
    }
}
