using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.NNNative;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Stateless neural-network ops (torch.nn.functional).</summary>
        public static class functional
        {
            private static IntPtr H(Tensor? t) => t?.Handle ?? IntPtr.Zero;

            /// <summary>x · wᵀ + b.</summary>
            public static Tensor linear(Tensor input, Tensor weight, Tensor? bias = null) =>
                Tensor.Wrap(lb_nn_linear(input.Handle, weight.Handle, H(bias)));

            public static unsafe Tensor layer_norm(Tensor input, long[] normalized_shape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
            {
                fixed (long* p = normalized_shape)
                {
                    return Tensor.Wrap(lb_nn_layer_norm(input.Handle, p, normalized_shape.Length, H(weight), H(bias), eps));
                }
            }

            /// <summary>Batch norm; in training, batch statistics are used and the running ones updated in place.</summary>
            public static Tensor batch_norm(Tensor input, Tensor? running_mean, Tensor? running_var, Tensor? weight = null, Tensor? bias = null,
                bool training = false, double momentum = 0.1, double eps = 1e-5) =>
                Tensor.Wrap(lb_nn_batch_norm(input.Handle, H(weight), H(bias), H(running_mean), H(running_var), training ? 1 : 0, momentum, eps));

            /// <summary>GELU; approximate "tanh" for the tanh form.</summary>
            public static Tensor gelu(Tensor x, string approximate = "none") => approximate switch
            {
                "none" => x.U(Unary.Gelu),
                "tanh" => x.U(Unary.GeluTanh),
                _ => throw new ArgumentException($"gelu: approximate must be 'none' or 'tanh', not '{approximate}'", nameof(approximate)),
            };

            public static Tensor hardswish(Tensor x) => x.U(Unary.Hardswish);

            public static Tensor relu(Tensor x) => x.relu();

            public static Tensor silu(Tensor x) => x.U(Unary.Silu);

            public static Tensor sigmoid(Tensor x) => x.sigmoid();

            public static Tensor tanh(Tensor x) => x.tanh();

            /// <summary>Zeroes elements with probability p and scales the rest by 1/(1−p) when training; identity otherwise.</summary>
            public static Tensor dropout(Tensor x, double p = 0.5, bool training = true)
            {
                if (p is < 0 or > 1)
                {
                    throw new ArgumentOutOfRangeException(nameof(p), p, "dropout probability must be in [0, 1]");
                }

                return Tensor.Wrap(lb_nn_dropout(x.Handle, p, training ? 1 : 0));
            }

            public static unsafe Tensor conv2d(Tensor input, Tensor weight, Tensor? bias = null, long[]? stride = null, long[]? padding = null,
                long[]? dilation = null, long groups = 1)
            {
                var s = Pair(stride, 1);
                var p = Pair(padding, 0);
                var d = Pair(dilation, 1);
                fixed (long* sp = s)
                fixed (long* pp = p)
                fixed (long* dp = d)
                {
                    return Tensor.Wrap(lb_nn_conv2d(input.Handle, weight.Handle, H(bias), sp, pp, dp, groups));
                }
            }

            public static Tensor conv2d(Tensor input, Tensor weight, Tensor? bias, long stride, long padding = 0, long dilation = 1, long groups = 1) =>
                conv2d(input, weight, bias, [stride, stride], [padding, padding], [dilation, dilation], groups);

            public static unsafe Tensor avg_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null,
                bool ceil_mode = false, bool count_include_pad = true)
            {
                var k = Pair(kernel_size, 1);
                var s = stride is null ? k : Pair(stride, 1);
                var p = Pair(padding, 0);
                fixed (long* kp = k)
                fixed (long* sp = s)
                fixed (long* pp = p)
                {
                    return Tensor.Wrap(lb_nn_avg_pool2d(input.Handle, kp, sp, pp, ceil_mode ? 1 : 0, count_include_pad ? 1 : 0));
                }
            }

            public static Tensor avg_pool2d(Tensor input, long kernel_size, long? stride = null, long padding = 0) =>
                avg_pool2d(input, [kernel_size, kernel_size], [stride ?? kernel_size, stride ?? kernel_size], [padding, padding]);

            public static unsafe Tensor max_pool2d(Tensor input, long[] kernel_size, long[]? stride = null, long[]? padding = null)
            {
                var k = Pair(kernel_size, 1);
                var s = stride is null ? k : Pair(stride, 1);
                var p = Pair(padding, 0);
                fixed (long* kp = k)
                fixed (long* sp = s)
                fixed (long* pp = p)
                {
                    return Tensor.Wrap(lb_nn_max_pool2d(input.Handle, kp, sp, pp));
                }
            }

            public static Tensor adaptive_avg_pool2d(Tensor input, long output_h, long output_w) =>
                Tensor.Wrap(lb_nn_adaptive_avg_pool2d(input.Handle, output_h, output_w));

            public static Tensor adaptive_avg_pool2d(Tensor input, long output_size) => adaptive_avg_pool2d(input, output_size, output_size);

            public static Tensor softmax(Tensor x, long dim) => x.softmax(dim);

            public static Tensor log_softmax(Tensor x, long dim) => x.log_softmax(dim);

            /// <summary>
            /// Cross-entropy of logits [N, C] against class indices [N] (Int64), with label smoothing; or, when
            /// <paramref name="target"/> is floating point with the logits' shape, against soft targets
            /// (mixup / cutmix): −(target · log_softmax(logits)).sum(−1).mean().
            /// </summary>
            public static Tensor cross_entropy(Tensor input, Tensor target, double label_smoothing = 0.0, Reduction reduction = Reduction.Mean,
                long ignore_index = -100, Tensor? weight = null)
            {
                if (target.dtype.IsFloatingPoint())
                {
                    if (weight is not null || reduction != Reduction.Mean || label_smoothing != 0)
                    {
                        throw new ArgumentException("soft-target cross_entropy supports only the mean reduction, no weight and no label smoothing (smooth the targets instead)");
                    }

                    return soft_target_cross_entropy(input, target);
                }

                return Tensor.Wrap(lb_nn_cross_entropy(input.Handle, target.Handle, H(weight), (long)reduction, ignore_index, label_smoothing));
            }

            /// <summary>−(target · log_softmax(logits, −1)).sum(−1).mean().</summary>
            public static Tensor soft_target_cross_entropy(Tensor logits, Tensor target)
            {
                using var logp = logits.log_softmax(-1);
                using var prod = target * logp;
                using var rows = prod.sum(-1);
                using var mean = rows.mean();
                return mean.neg();
            }

            public static Tensor mse_loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean) =>
                Tensor.Wrap(lb_nn_mse_loss(input.Handle, target.Handle, (long)reduction));

            /// <summary>Pads the last dims: pad = (left, right, top, bottom, …) as torch.nn.functional.pad.</summary>
            public static unsafe Tensor pad(Tensor input, long[] pad, PaddingModes mode = PaddingModes.Constant, double value = 0)
            {
                fixed (long* p = pad)
                {
                    return Tensor.Wrap(lb_nn_pad(input.Handle, p, pad.Length, (int)mode, value));
                }
            }

            /// <summary>Resizes [N, C, H, W] to size (h, w).</summary>
            public static Tensor interpolate(Tensor input, long[] size, InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
            {
                if (size.Length != 2)
                {
                    throw new ArgumentException("interpolate: size must be (h, w)", nameof(size));
                }

                return Interpolate(input, size[0], size[1], double.NaN, double.NaN, mode, align_corners);
            }

            /// <summary>Resizes [N, C, H, W] by scale factors (output = floor(input · scale)), as F.interpolate(scale_factor=…).</summary>
            public static Tensor interpolate(Tensor input, double[] scale_factor, InterpolationMode mode = InterpolationMode.Nearest, bool? align_corners = null)
            {
                if (scale_factor.Length != 2)
                {
                    throw new ArgumentException("interpolate: scale_factor must be (h, w)", nameof(scale_factor));
                }

                var s = input.shape;
                var oh = (long)Math.Floor(s[^2] * scale_factor[0]);
                var ow = (long)Math.Floor(s[^1] * scale_factor[1]);
                return Interpolate(input, oh, ow, scale_factor[0], scale_factor[1], mode, align_corners);
            }

            private static Tensor Interpolate(Tensor input, long oh, long ow, double sh, double sw, InterpolationMode mode, bool? align_corners)
            {
                if (mode == InterpolationMode.Nearest && align_corners is not null)
                {
                    throw new ArgumentException("align_corners applies to bilinear and bicubic only", nameof(align_corners));
                }

                return Tensor.Wrap(lb_nn_interpolate(input.Handle, oh, ow, sh, sw, (int)mode, align_corners == true ? 1 : 0));
            }

            /// <summary>
            /// softmax(q·kᵀ·scale + mask)·v over [..., L, E] queries and [..., S, E] keys. A Bool mask marks the
            /// positions that take part; a float mask is added. Uses libtorch's fused kernels on 2.x (flash /
            /// memory-efficient on GPU), the same computation written out on 1.13.
            /// </summary>
            public static Tensor scaled_dot_product_attention(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null,
                double dropout_p = 0.0, bool is_causal = false, double? scale = null) =>
                Tensor.Wrap(lb_nn_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, H(attn_mask), dropout_p, is_causal ? 1 : 0, scale ?? double.NaN, 0));

            /// <summary>The written-out attention (no fused kernel), for comparisons.</summary>
            public static Tensor scaled_dot_product_attention_math(Tensor query, Tensor key, Tensor value, Tensor? attn_mask = null,
                double dropout_p = 0.0, bool is_causal = false, double? scale = null) =>
                Tensor.Wrap(lb_nn_scaled_dot_product_attention(query.Handle, key.Handle, value.Handle, H(attn_mask), dropout_p, is_causal ? 1 : 0, scale ?? double.NaN, 1));

            /// <summary>Whether this libtorch has fused scaled-dot-product attention (2.x).</summary>
            public static bool has_fused_attention()
            {
                var v = lb_nn_has_fused_attention();
                LibTorch.Check();
                return v != 0;
            }

            private static long[] Pair(long[]? v, long fallback) => v switch
            {
                null => [fallback, fallback],
                { Length: 1 } => [v[0], v[0]],
                { Length: 2 } => v,
                _ => throw new ArgumentException("expected one or two values (h, w)", nameof(v)),
            };
        }
    }

    public partial class Tensor
    {
        internal Tensor U(Unary op) => Wrap(lb_tensor_unary(Handle, op));
    }
}

/// <summary>Loss reductions (values as at::Reduction).</summary>
public enum Reduction
{
    None = 0,
    Mean = 1,
    Sum = 2,
}

public enum PaddingModes
{
    Constant = 0,
    Reflect = 1,
    Replicate = 2,
    Circular = 3,
}

public enum InterpolationMode
{
    Nearest = 0,
    Bilinear = 1,
    Bicubic = 2,
}
