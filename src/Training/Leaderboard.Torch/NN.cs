using Leaderboard.Torch.Modules;
using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

public static partial class torch
{
    /// <summary>Modules (factories as TorchSharp's torch.nn), initialisers and utilities.</summary>
    public static partial class nn
    {
        public static Linear Linear(long in_features, long out_features, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_features, out_features, hasBias, device, dtype);

        public static LayerNorm LayerNorm(long normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static LayerNorm LayerNorm(long[] normalized_shape, double eps = 1e-5, bool elementwise_affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(normalized_shape, eps, elementwise_affine, device, dtype);

        public static Conv2d Conv2d(long in_channels, long out_channels, long kernel_size, long stride = 1, long padding = 0, long dilation = 1,
            long groups = 1, bool hasBias = true, Device? device = null, ScalarType? dtype = null) =>
            new(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, hasBias, device, dtype);

        public static BatchNorm2d BatchNorm2d(long num_features, double eps = 1e-5, double momentum = 0.1, bool affine = true, Device? device = null, ScalarType? dtype = null) =>
            new(num_features, eps, momentum, affine, device, dtype);

        public static Dropout Dropout(double p = 0.5) => new(p);

        public static Identity Identity() => new();

        public static Sequential Sequential(params Module[] modules) => new(modules);

        public static Sequential Sequential(params (string name, Module module)[] modules) => new(modules);

        public static ModuleList ModuleList(params Module[] modules) => new(modules);

        /// <summary>In-place initialisers (run without autograd), as torch.nn.init.</summary>
        public static class init
        {
            public static Tensor normal_(Tensor t, double mean = 0, double std = 1) => Init(t, InitKind.Normal, mean, std, 0, 0);

            public static Tensor uniform_(Tensor t, double a = 0, double b = 1) => Init(t, InitKind.Uniform, a, b, 0, 0);

            /// <summary>Normal(mean, std) redrawn into [a, b] (the ViT initialisation: std 0.02, a −2, b 2).</summary>
            public static Tensor trunc_normal_(Tensor t, double mean = 0, double std = 1, double a = -2, double b = 2) => Init(t, InitKind.TruncNormal, mean, std, a, b);

            public static Tensor zeros_(Tensor t)
            {
                using var ng = no_grad();
                return t.zero_();
            }

            public static Tensor ones_(Tensor t) => constant_(t, 1.0);

            public static Tensor constant_(Tensor t, double value)
            {
                using var ng = no_grad();
                return t.fill_(value);
            }

            /// <summary>Uniform ±gain·√(6 / (fan_in + fan_out)) over a [out, in, …] weight.</summary>
            public static Tensor xavier_uniform_(Tensor t, double gain = 1)
            {
                var s = t.shape;
                if (s.Length < 2)
                {
                    throw new ArgumentException("xavier_uniform_ needs a tensor with at least 2 dims", nameof(t));
                }

                long receptive = 1;
                for (var i = 2; i < s.Length; i++)
                {
                    receptive *= s[i];
                }

                var bound = gain * Math.Sqrt(6.0 / ((s[1] * receptive) + (s[0] * receptive)));
                return uniform_(t, -bound, bound);
            }

            private static Tensor Init(Tensor t, InitKind kind, double a, double b, double lo, double hi)
            {
                lb_tensor_init_(t.Handle, kind, a, b, lo, hi);
                LibTorch.Check();
                return t;
            }

            /// <summary>A new parameter of the given shape, filled by <paramref name="fill"/>.</summary>
            internal static Parameter NewParameter(long[] shape, Action<Tensor> fill, Device? device, ScalarType? dtype)
            {
                using var data = empty(shape, dtype, device);
                fill(data);
                return new Parameter(data);
            }
        }

        public static class utils
        {
            /// <summary>Scales the gradients so that their joint norm is at most max_norm; returns the norm before clipping.</summary>
            public static unsafe double clip_grad_norm_(IEnumerable<Tensor> parameters, double max_norm, double norm_type = 2.0)
            {
                var hs = Handles(parameters.ToList());
                double total;
                fixed (IntPtr* p = hs)
                {
                    total = OptimNative.lb_optim_clip_grad_norm(p, hs.Length, max_norm, norm_type);
                }

                LibTorch.Check();
                return total;
            }
        }
    }
}
