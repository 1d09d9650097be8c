using System.Globalization;
using Leaderboard.Torch.Native;

namespace Leaderboard.Torch;

public static partial class torch
{
    public static partial class optim
    {
        /// <summary>
        /// A group of parameters with its own learning rate and weight decay (e.g. norms, biases, position
        /// embedding and class token in a group with weight_decay 0). Unset values take the optimizer's defaults.
        /// </summary>
        public sealed class ParamGroup
        {
            public ParamGroup(IEnumerable<Tensor> parameters, double? lr = null, double? weight_decay = null)
            {
                Parameters = parameters.ToList();
                lrOrNull = lr;
                wdOrNull = weight_decay;
            }

            private double? lrOrNull;
            private double? wdOrNull;

            public IReadOnlyList<Tensor> Parameters { get; }

            /// <summary>The learning rate of this group; the trainer sets it every step from its schedule.</summary>
            public double lr
            {
                get => lrOrNull ?? throw new InvalidOperationException("lr is unset until the group joins an optimizer");
                set => lrOrNull = value;
            }

            public double weight_decay
            {
                get => wdOrNull ?? throw new InvalidOperationException("weight_decay is unset until the group joins an optimizer");
                set => wdOrNull = value;
            }

            /// <summary>The lr the group was created with (for schedules that scale a base lr).</summary>
            public double initial_lr { get; internal set; }

            internal void Defaults(double lr, double weightDecay)
            {
                lrOrNull ??= lr;
                wdOrNull ??= weightDecay;
                initial_lr = lrOrNull.Value;
            }
        }

        /// <summary>Common optimizer machinery: groups, per-parameter state tensors, zero_grad, state export/import.</summary>
        public abstract class Optimizer : IDisposable
        {
            private readonly string[] slots;
            private bool disposed;

            protected Optimizer(IEnumerable<ParamGroup> groups, double lr, double weight_decay, params string[] slots)
            {
                param_groups = groups.ToList();
                if (param_groups.Count == 0)
                {
                    throw new ArgumentException("an optimizer needs at least one parameter group", nameof(groups));
                }

                foreach (var g in param_groups)
                {
                    g.Defaults(lr, weight_decay);
                }

                this.slots = slots;
                var all = param_groups.SelectMany(g => g.Parameters).ToList();
                if (all.Distinct(ReferenceEqualityComparer.Instance).Count() != all.Count)
                {
                    throw new ArgumentException("a parameter appears in more than one group", nameof(groups));
                }

                State = new IntPtr[slots.Length][];
                for (var s = 0; s < slots.Length; s++)
                {
                    State[s] = new IntPtr[all.Count];
                }

                Steps = new long[all.Count];
            }

            public IReadOnlyList<ParamGroup> param_groups { get; }

            /// <summary>Per slot (e.g. exp_avg), per parameter (in group order): native handles owned by the optimizer, or zero.</summary>
            protected IntPtr[][] State { get; }

            /// <summary>Per parameter: how many steps it has taken.</summary>
            protected long[] Steps { get; }

            /// <summary>Sets the learning rate of every group.</summary>
            public void set_lr(double lr)
            {
                foreach (var g in param_groups)
                {
                    g.lr = lr;
                }
            }

            public abstract void step();

            /// <summary>Drops the parameters' gradients (set to none).</summary>
            public void zero_grad()
            {
                foreach (var g in param_groups)
                {
                    foreach (var p in g.Parameters)
                    {
                        p.grad = null;
                    }
                }
            }

            /// <summary>Runs <paramref name="update"/> once per group with that group's handles and state slice.</summary>
            protected void ForEachGroup(Action<ParamGroup, IntPtr[], int> update)
            {
                ObjectDisposedException.ThrowIf(disposed, this);
                var offset = 0;
                foreach (var g in param_groups)
                {
                    update(g, Handles(g.Parameters), offset);
                    offset += g.Parameters.Count;
                }
            }

            /// <summary>
            /// The optimizer state as tensors ("state.{i}.{slot}", i = parameter index over the groups) plus metadata
            /// ("state.{i}.step", "group.{g}.lr", "group.{g}.weight_decay"); ready for Safetensors.Save. The tensors
            /// are new handles sharing the state's storage, owned by the caller (dispose them, or let a scope do it).
            /// </summary>
            public (Dictionary<string, Tensor> tensors, Dictionary<string, string> metadata) state_dict()
            {
                var tensors = new Dictionary<string, Tensor>();
                var meta = new Dictionary<string, string>();
                for (var i = 0; i < Steps.Length; i++)
                {
                    meta[$"state.{i}.step"] = Steps[i].ToString(CultureInfo.InvariantCulture);
                    for (var s = 0; s < slots.Length; s++)
                    {
                        if (State[s][i] != IntPtr.Zero)
                        {
                            tensors[$"state.{i}.{slots[s]}"] = Tensor.Wrap(TensorNative.lb_tensor_alias(State[s][i]));
                        }
                    }
                }

                for (var g = 0; g < param_groups.Count; g++)
                {
                    meta[$"group.{g}.lr"] = param_groups[g].lr.ToString("R", CultureInfo.InvariantCulture);
                    meta[$"group.{g}.weight_decay"] = param_groups[g].weight_decay.ToString("R", CultureInfo.InvariantCulture);
                }

                return (tensors, meta);
            }

            /// <summary>Restores what <see cref="state_dict"/> exported (copies the tensors onto each parameter's device).</summary>
            public void load_state_dict(IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
            {
                var parameters = param_groups.SelectMany(g => g.Parameters).ToList();
                for (var i = 0; i < Steps.Length; i++)
                {
                    Steps[i] = metadata.TryGetValue($"state.{i}.step", out var st) ? long.Parse(st, CultureInfo.InvariantCulture) : 0;
                    for (var s = 0; s < slots.Length; s++)
                    {
                        if (State[s][i] != IntPtr.Zero)
                        {
                            TensorNative.lb_tensor_free(State[s][i]);
                            State[s][i] = IntPtr.Zero;
                        }

                        if (tensors.TryGetValue($"state.{i}.{slots[s]}", out var t))
                        {
                            if (!t.shape.SequenceEqual(parameters[i].shape))
                            {
                                throw new ArgumentException($"optimizer state 'state.{i}.{slots[s]}' has shape [{string.Join(", ", t.shape)}], parameter {i} has [{string.Join(", ", parameters[i].shape)}]", nameof(tensors));
                            }

                            var d = parameters[i].device;
                            State[s][i] = LibTorch.CheckHandle(TensorNative.lb_tensor_to_device(t.Handle, (int)d.type, d.index, 0));
                            var c = LibTorch.CheckHandle(TensorNative.lb_tensor_clone(State[s][i]));
                            TensorNative.lb_tensor_free(State[s][i]);
                            State[s][i] = c;
                        }
                    }
                }

                for (var g = 0; g < param_groups.Count; g++)
                {
                    if (metadata.TryGetValue($"group.{g}.lr", out var lr))
                    {
                        param_groups[g].lr = double.Parse(lr, CultureInfo.InvariantCulture);
                    }

                    if (metadata.TryGetValue($"group.{g}.weight_decay", out var wd))
                    {
                        param_groups[g].weight_decay = double.Parse(wd, CultureInfo.InvariantCulture);
                    }
                }
            }

            public void Dispose()
            {
                Dispose(true);
                GC.SuppressFinalize(this);
            }

            protected virtual void Dispose(bool disposing)
            {
                if (disposed)
                {
                    return;
                }

                disposed = true;

                // State is null when a constructor threw before creating it (the finalizer still runs).
                foreach (var slot in State ?? [])
                {
                    for (var i = 0; i < slot.Length; i++)
                    {
                        if (slot[i] != IntPtr.Zero)
                        {
                            TensorNative.lb_tensor_free(slot[i]);
                            slot[i] = IntPtr.Zero;
                        }
                    }
                }
            }

            ~Optimizer() => Dispose(false);
        }

        /// <summary>AdamW (decoupled weight decay) as torch.optim.AdamW; one native call per group and step.</summary>
        public sealed class AdamW : Optimizer
        {
            public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0.01, bool maximize = false)
                : this([new ParamGroup(parameters)], lr, beta1, beta2, eps, weight_decay, maximize)
            {
            }

            public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
                double weight_decay = 0.01, bool maximize = false)
                : base(groups, lr, weight_decay, "exp_avg", "exp_avg_sq")
            {
                this.beta1 = beta1;
                this.beta2 = beta2;
                this.eps = eps;
                this.maximize = maximize;
            }

            public double beta1 { get; }

            public double beta2 { get; }

            public double eps { get; }

            public bool maximize { get; }

            public override unsafe void step()
            {
                ForEachGroup((g, hs, offset) =>
                {
                    var n = hs.Length;
                    var m = State[0].AsSpan(offset, n);
                    var v = State[1].AsSpan(offset, n);
                    var st = Steps.AsSpan(offset, n);
                    fixed (IntPtr* pp = hs)
                    fixed (IntPtr* mp = m)
                    fixed (IntPtr* vp = v)
                    fixed (long* sp = st)
                    {
                        OptimNative.lb_optim_adamw_step(pp, mp, vp, sp, n, g.lr, beta1, beta2, eps, g.weight_decay, maximize ? 1 : 0);
                    }

                    LibTorch.Check();
                });
            }
        }

        /// <summary>SGD with momentum, dampening, Nesterov and (L2) weight decay, as torch.optim.SGD.</summary>
        public sealed class SGD : Optimizer
        {
            public SGD(IEnumerable<Tensor> parameters, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
                bool nesterov = false, bool maximize = false)
                : this([new ParamGroup(parameters)], lr, momentum, dampening, weight_decay, nesterov, maximize)
            {
            }

            public SGD(IEnumerable<ParamGroup> groups, double lr, double momentum = 0, double dampening = 0, double weight_decay = 0,
                bool nesterov = false, bool maximize = false)
                : base(groups, lr, weight_decay, "momentum_buffer")
            {
                if (nesterov && (momentum <= 0 || dampening != 0))
                {
                    throw new ArgumentException("Nesterov momentum needs momentum > 0 and no dampening", nameof(nesterov));
                }

                this.momentum = momentum;
                this.dampening = dampening;
                this.nesterov = nesterov;
                this.maximize = maximize;
            }

            public double momentum { get; }

            public double dampening { get; }

            public bool nesterov { get; }

            public bool maximize { get; }

            public override unsafe void step()
            {
                ForEachGroup((g, hs, offset) =>
                {
                    var n = hs.Length;
                    var buf = State[0].AsSpan(offset, n);
                    fixed (IntPtr* pp = hs)
                    fixed (IntPtr* bp = buf)
                    {
                        OptimNative.lb_optim_sgd_step(pp, bp, n, g.lr, momentum, dampening, g.weight_decay, nesterov ? 1 : 0, maximize ? 1 : 0);
                    }

                    LibTorch.Check();
                    for (var i = 0; i < n; i++)
                    {
                        Steps[offset + i]++;
                    }
                });
            }
        }
    }
}
