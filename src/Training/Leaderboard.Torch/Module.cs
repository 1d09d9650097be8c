using System.Reflection;
using Leaderboard.Torch.Native;
using static Leaderboard.Torch.Native.TensorNative;

namespace Leaderboard.Torch;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>A trainable tensor (requires_grad, a leaf) owned by a module; never part of a dispose scope.</summary>
        public sealed class Parameter : Tensor
        {
            /// <summary>A parameter sharing <paramref name="data"/>'s storage; the caller keeps owning <paramref name="data"/>.</summary>
            public Parameter(Tensor data, bool requires_grad = true)
                : base(LibTorch.CheckHandle(lb_tensor_detach(data.Handle)), register: false)
            {
                this.requires_grad = requires_grad;
            }
        }

        /// <summary>
        /// A neural-network module (as TorchSharp's Module&lt;Tensor, Tensor&gt;): registered parameters, buffers and
        /// sub-modules with hierarchical dotted names in registration order.
        /// </summary>
        public abstract class Module : IDisposable
        {
            private readonly List<KeyValuePair<string, Parameter?>> ownParameters = [];
            private readonly List<KeyValuePair<string, Tensor?>> ownBuffers = [];
            private readonly HashSet<string> nonPersistent = [];
            private readonly List<KeyValuePair<string, Module>> modules = [];
            private bool disposed;

            protected Module(string name) => this.name = name;

            protected Module() => name = GetType().Name;

            public string name { get; }

            public bool training { get; private set; } = true;

            /// <summary>The module's computation; modules with other inputs add their own overloads.</summary>
            public virtual Tensor forward(Tensor input) =>
                throw new NotSupportedException($"{GetType().Name} has no forward(Tensor)");

            public Tensor call(Tensor input) => forward(input);

            // ---------- registration ----------

            public void register_parameter(string name, Parameter? parameter)
            {
                CheckName(name);
                Set(ownParameters, name, parameter);
            }

            /// <summary>Registers a buffer (state that is not trained, e.g. running statistics); the module owns it.</summary>
            public void register_buffer(string name, Tensor? buffer, bool persistent = true)
            {
                CheckName(name);
                buffer?.DetachFromDisposeScope();
                Set(ownBuffers, name, buffer);
                if (persistent)
                {
                    nonPersistent.Remove(name);
                }
                else
                {
                    nonPersistent.Add(name);
                }
            }

            public void register_module(string name, Module module)
            {
                CheckName(name);
                Set(modules, name, module);
            }

            /// <summary>Same as register_module.</summary>
            public void RegisterModule(string name, Module module) => register_module(name, module);

            /// <summary>Registers the Module and Parameter fields of the concrete class (in declaration order), named after the fields.</summary>
            protected void RegisterComponents()
            {
                for (var type = GetType(); type is not null && type != typeof(Module); type = type.BaseType)
                {
                    // Base-class fields first would need a reversal; concrete classes usually declare all their parts.
                    foreach (var f in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        var fieldName = f.Name.StartsWith('_') ? f.Name[1..] : f.Name;
                        if (fieldName.Contains('<', StringComparison.Ordinal))
                        {
                            fieldName = fieldName[(fieldName.IndexOf('<', StringComparison.Ordinal) + 1)..fieldName.IndexOf('>', StringComparison.Ordinal)];
                        }

                        switch (f.GetValue(this))
                        {
                            case Module m when !modules.Exists(kv => ReferenceEquals(kv.Value, m)):
                                register_module(fieldName, m);
                                break;
                            case Parameter p when !ownParameters.Exists(kv => ReferenceEquals(kv.Value, p)):
                                register_parameter(fieldName, p);
                                break;
                        }
                    }
                }
            }

            private static void Set<T>(List<KeyValuePair<string, T>> list, string name, T value)
            {
                var i = list.FindIndex(kv => kv.Key == name);
                if (i >= 0)
                {
                    list[i] = new(name, value);
                }
                else
                {
                    list.Add(new(name, value));
                }
            }

            private static void CheckName(string name)
            {
                if (string.IsNullOrEmpty(name) || name.Contains('.', StringComparison.Ordinal))
                {
                    throw new ArgumentException($"bad component name '{name}' (non-empty, no dots)", nameof(name));
                }
            }

            // ---------- traversal ----------

            public IEnumerable<(string name, Module module)> named_children() => modules.Select(kv => (kv.Key, kv.Value));

            public IEnumerable<Module> children() => modules.Select(kv => kv.Value);

            /// <summary>This module ("") and all descendants, depth first, with dotted names.</summary>
            public IEnumerable<(string name, Module module)> named_modules()
            {
                yield return ("", this);
                foreach (var (n, m) in named_children())
                {
                    foreach (var (sub, sm) in m.named_modules())
                    {
                        yield return (sub.Length == 0 ? n : n + "." + sub, sm);
                    }
                }
            }

            public IEnumerable<(string name, Parameter parameter)> named_parameters(bool recurse = true)
            {
                var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                {
                    foreach (var kv in m.ownParameters)
                    {
                        if (kv.Value is { } p && seen.Add(p))
                        {
                            yield return (prefix.Length == 0 ? kv.Key : prefix + "." + kv.Key, p);
                        }
                    }
                }
            }

            public IEnumerable<Parameter> parameters(bool recurse = true) => named_parameters(recurse).Select(x => x.parameter);

            public IEnumerable<(string name, Tensor buffer)> named_buffers(bool recurse = true) => Buffers(recurse, persistentOnly: false);

            public IEnumerable<Tensor> buffers(bool recurse = true) => named_buffers(recurse).Select(x => x.buffer);

            private IEnumerable<(string name, Tensor buffer)> Buffers(bool recurse, bool persistentOnly)
            {
                foreach (var (prefix, m) in recurse ? named_modules() : [("", this)])
                {
                    foreach (var kv in m.ownBuffers)
                    {
                        if (kv.Value is { } b && (!persistentOnly || !m.nonPersistent.Contains(kv.Key)))
                        {
                            yield return (prefix.Length == 0 ? kv.Key : prefix + "." + kv.Key, b);
                        }
                    }
                }
            }

            /// <summary>Parameters and persistent buffers by dotted name (the module's own tensors, not copies).</summary>
            public Dictionary<string, Tensor> state_dict()
            {
                var d = new Dictionary<string, Tensor>();
                foreach (var (n, p) in named_parameters())
                {
                    d[n] = p;
                }

                foreach (var (n, b) in Buffers(true, persistentOnly: true))
                {
                    d[n] = b;
                }

                return d;
            }

            /// <summary>
            /// Copies values into the parameters and persistent buffers. With strict, missing or unexpected names throw;
            /// a shape mismatch always throws.
            /// </summary>
            public (IList<string> missing_keys, IList<string> unexpected_keys) load_state_dict(IReadOnlyDictionary<string, Tensor> source, bool strict = true)
            {
                var own = state_dict();
                var missing = own.Keys.Where(k => !source.ContainsKey(k)).ToList();
                var unexpected = source.Keys.Where(k => !own.ContainsKey(k)).ToList();
                if (strict && (missing.Count > 0 || unexpected.Count > 0))
                {
                    throw new ArgumentException(
                        $"load_state_dict: missing keys [{string.Join(", ", missing)}], unexpected keys [{string.Join(", ", unexpected)}]", nameof(source));
                }

                using var ng = no_grad();
                foreach (var (k, dst) in own)
                {
                    if (!source.TryGetValue(k, out var src))
                    {
                        continue;
                    }

                    var ds = dst.shape;
                    var ss = src.shape;
                    if (!ds.SequenceEqual(ss))
                    {
                        throw new ArgumentException($"load_state_dict: '{k}' has shape [{string.Join(", ", ss)}], the module expects [{string.Join(", ", ds)}]", nameof(source));
                    }

                    dst.copy_(src);
                }

                return (missing, unexpected);
            }

            // ---------- modes, devices, gradients ----------

            public virtual Module train(bool on = true)
            {
                training = on;
                foreach (var m in children())
                {
                    m.train(on);
                }

                return this;
            }

            public Module eval() => train(false);

            /// <summary>Moves parameters and buffers in place (the Parameter objects stay the same, as in PyTorch).</summary>
            public Module to(Device device) => Apply(t => lb_tensor_to_device(t.Handle, (int)device.type, device.index, 0), floatingOnly: false);

            /// <summary>Converts floating-point parameters and buffers in place.</summary>
            public Module to(ScalarType dtype) => Apply(t => lb_tensor_to_dtype(t.Handle, (int)dtype), floatingOnly: true);

            public Module to(Device device, ScalarType dtype)
            {
                to(device);
                return to(dtype);
            }

            private Module Apply(Func<Tensor, IntPtr> convert, bool floatingOnly)
            {
                using var ng = no_grad();
                foreach (var (_, m) in named_modules())
                {
                    foreach (var kv in m.ownParameters)
                    {
                        if (kv.Value is { } p && (!floatingOnly || p.dtype.IsFloatingPoint()))
                        {
                            var req = p.requires_grad;
                            var h = LibTorch.CheckHandle(convert(p));
                            p.ReplaceHandle(h);
                            p.requires_grad = req;
                        }
                    }

                    foreach (var kv in m.ownBuffers)
                    {
                        if (kv.Value is { } b && (!floatingOnly || b.dtype.IsFloatingPoint()))
                        {
                            b.ReplaceHandle(LibTorch.CheckHandle(convert(b)));
                        }
                    }
                }

                return this;
            }

            /// <summary>Drops the gradients (set to none, as PyTorch's default).</summary>
            public void zero_grad()
            {
                foreach (var p in parameters())
                {
                    p.grad = null;
                }
            }

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (disposed || !disposing)
                {
                    return;
                }

                disposed = true;
                foreach (var kv in modules)
                {
                    kv.Value.Dispose();
                }

                foreach (var kv in ownParameters)
                {
                    kv.Value?.Dispose();
                }

                foreach (var kv in ownBuffers)
                {
                    kv.Value?.Dispose();
                }
            }
        }
    }
}
