using System.Runtime.InteropServices;
using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

public static partial class torch
{
    /// <summary>
    /// A tensor owning one native at::Tensor handle. Free it with Dispose (or a dispose scope); the finalizer
    /// frees a forgotten one.
    /// </summary>
    public partial class Tensor : IDisposable
    {
        private IntPtr handle;

        /// <summary>Takes ownership of a native handle and registers with this thread's dispose scope.</summary>
        internal Tensor(IntPtr handle) : this(handle, register: true) { }

        internal Tensor(IntPtr handle, bool register)
        {
            if (handle == IntPtr.Zero)
            {
                throw new ArgumentException("null tensor handle", nameof(handle));
            }

            this.handle = handle;
            if (register)
            {
                DisposeScope.Current?.Register(this);
            }
        }

        ~Tensor() => Free();

        /// <summary>Native tensors alive now (all threads): for leak tests.</summary>
        public static long TotalLiveCount
        {
            get
            {
                var n = lb_tensor_live_count();
                LibTorch.Check();
                return n;
            }
        }

        /// <summary>The native at::Tensor*; throws once disposed.</summary>
        public IntPtr Handle
        {
            get
            {
                ObjectDisposedException.ThrowIf(handle == IntPtr.Zero, this);
                return handle;
            }
        }

        public bool IsInvalid => handle == IntPtr.Zero;

        /// <summary>The scope that will free this tensor, or null.</summary>
        public DisposeScope? OwningDisposeScope { get; internal set; }

        /// <summary>Wraps a handle the shim just returned (after checking the error slot).</summary>
        internal static Tensor Wrap(IntPtr h) => new(LibTorch.CheckHandle(h));

        internal static Tensor? WrapOrNull(IntPtr h)
        {
            LibTorch.Check();
            return h == IntPtr.Zero ? null : new Tensor(h);
        }

        /// <summary>Swaps the native tensor behind this object (Module.to keeps parameter identity this way).</summary>
        internal void ReplaceHandle(IntPtr newHandle)
        {
            var old = handle;
            handle = newHandle;
            if (old != IntPtr.Zero)
            {
                lb_tensor_free(old);
            }
        }

        public void Dispose()
        {
            OwningDisposeScope?.Unregister(this);
            Free();
            GC.SuppressFinalize(this);
        }

        private void Free()
        {
            var h = Interlocked.Exchange(ref handle, IntPtr.Zero);
            if (h != IntPtr.Zero)
            {
                lb_tensor_free(h);
            }
        }

        /// <summary>Moves this tensor to the scope around its scope (or out of all scopes).</summary>
        public Tensor MoveToOuterDisposeScope()
        {
            if (OwningDisposeScope is { } s)
            {
                s.MoveToOuter(this);
            }

            return this;
        }

        /// <summary>Takes this tensor out of its dispose scope: the caller frees it.</summary>
        public Tensor DetachFromDisposeScope()
        {
            OwningDisposeScope?.Detach(this);
            return this;
        }

        // ---------- properties ----------

        public long[] shape
        {
            get
            {
                unsafe
                {
                    Span<long> buf = stackalloc long[16];
                    int n;
                    fixed (long* p = buf)
                    {
                        n = lb_tensor_shape(Handle, p, buf.Length);
                    }

                    LibTorch.Check();
                    if (n <= buf.Length)
                    {
                        return buf[..n].ToArray();
                    }

                    var big = new long[n];
                    fixed (long* p = big)
                    {
                        _ = lb_tensor_shape(Handle, p, n);
                    }

                    LibTorch.Check();
                    return big;
                }
            }
        }

        /// <summary>The size of one dimension (negative counts from the end).</summary>
        public long size(int dim)
        {
            var s = shape;
            return s[dim < 0 ? dim + s.Length : dim];
        }

        public long dim() => Checked(lb_tensor_dim(Handle));

        public long Dimensions => dim();

        public long numel() => Checked(lb_tensor_numel(Handle));

        public ScalarType dtype => (ScalarType)Checked(lb_tensor_dtype(Handle));

        public Device device
        {
            get
            {
                var t = Checked(lb_tensor_device_type(Handle));
                var i = Checked(lb_tensor_device_index(Handle));
                return new Device((DeviceType)t, i);
            }
        }

        public DeviceType device_type => (DeviceType)Checked(lb_tensor_device_type(Handle));

        public bool requires_grad
        {
            get => Checked(lb_tensor_requires_grad(Handle)) != 0;
            set
            {
                lb_tensor_set_requires_grad(Handle, value ? 1 : 0);
                LibTorch.Check();
            }
        }

        public bool is_contiguous() => Checked(lb_tensor_is_contiguous(Handle)) != 0;

        public bool is_leaf() => Checked(AutogradNative.lb_autograd_is_leaf(Handle)) != 0;

        /// <summary>The accumulated gradient (a new handle sharing its storage), or null.</summary>
        public Tensor? grad
        {
            get => WrapOrNull(AutogradNative.lb_autograd_grad(Handle));
            set
            {
                AutogradNative.lb_autograd_set_grad(Handle, value?.Handle ?? IntPtr.Zero);
                LibTorch.Check();
            }
        }

        public override string ToString()
        {
            if (IsInvalid)
            {
                return "Tensor(disposed)";
            }

            return $"Tensor[{string.Join(", ", shape)}], dtype={dtype}, device={device}";
        }

        // ---------- reading values ----------

        /// <summary>The single value of a one-element tensor.</summary>
        public T item<T>() where T : unmanaged
        {
            if (typeof(T) == typeof(long) || typeof(T) == typeof(int) || typeof(T) == typeof(bool) || typeof(T) == typeof(byte) || typeof(T) == typeof(short))
            {
                var l = lb_tensor_item_long(Handle);
                LibTorch.Check();
                if (typeof(T) == typeof(bool))
                {
                    var b = l != 0;
                    return (T)(object)b;
                }

                return (T)Convert.ChangeType(l, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
            }

            var d = lb_tensor_item_double(Handle);
            LibTorch.Check();
            if (typeof(T) == typeof(float))
            {
                return (T)(object)(float)d;
            }

            if (typeof(T) == typeof(double))
            {
                return (T)(object)d;
            }

            if (typeof(T) == typeof(Half))
            {
                return (T)(object)(Half)d;
            }

            throw new NotSupportedException($"item<{typeof(T).Name}> is not supported");
        }

        /// <summary>Copies the elements out (row-major, converted to T, from any device).</summary>
        public T[] data<T>() where T : unmanaged
        {
            var st = ScalarTypeOf<T>();
            var result = new T[numel()];
            CopyTo(MemoryMarshal.AsBytes(result.AsSpan()), st);
            return result;
        }

        /// <summary>Copies the elements, converted to <paramref name="as"/>, into bytes (row-major).</summary>
        public void CopyTo(Span<byte> destination, ScalarType @as)
        {
            unsafe
            {
                fixed (byte* p = destination)
                {
                    lb_tensor_copy_out(Handle, (int)@as, p, destination.Length);
                }
            }

            LibTorch.Check();
        }

        /// <summary>The raw bytes of the elements in this tensor's own dtype (row-major).</summary>
        public byte[] bytes()
        {
            var st = dtype;
            var result = new byte[numel() * st.ElementSize()];
            CopyTo(result, st);
            return result;
        }

        internal static ScalarType ScalarTypeOf<T>() where T : unmanaged
        {
            if (typeof(T) == typeof(float)) return ScalarType.Float32;
            if (typeof(T) == typeof(double)) return ScalarType.Float64;
            if (typeof(T) == typeof(long)) return ScalarType.Int64;
            if (typeof(T) == typeof(int)) return ScalarType.Int32;
            if (typeof(T) == typeof(short)) return ScalarType.Int16;
            if (typeof(T) == typeof(byte)) return ScalarType.UInt8;
            if (typeof(T) == typeof(sbyte)) return ScalarType.Int8;
            if (typeof(T) == typeof(bool)) return ScalarType.Bool;
            if (typeof(T) == typeof(Half)) return ScalarType.Float16;
            throw new NotSupportedException($"no tensor dtype for {typeof(T).Name}");
        }

        private static int Checked(int v)
        {
            LibTorch.Check();
            return v;
        }

        private static long Checked(long v)
        {
            LibTorch.Check();
            return v;
        }
    }
}
