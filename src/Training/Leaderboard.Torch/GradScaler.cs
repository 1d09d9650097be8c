using System.Globalization;
using Leaderboard.Torch.Native;

namespace Leaderboard.Torch;

public static partial class torch
{
    public static partial class amp
    {
        /// <summary>
        /// Loss scaling for float16 training (as torch.cuda.amp.GradScaler): scale the loss before backward,
        /// step() unscales the gradients and skips the optimizer step when any is inf/NaN, update() adapts the scale.
        /// When disabled every call passes through.
        /// </summary>
        public sealed class GradScaler
        {
            private readonly Dictionary<optim.Optimizer, bool> foundInf = new(ReferenceEqualityComparer.Instance);

            public GradScaler(double init_scale = 65536.0, double growth_factor = 2.0, double backoff_factor = 0.5, int growth_interval = 2000, bool enabled = true)
            {
                scale_value = init_scale;
                this.growth_factor = growth_factor;
                this.backoff_factor = backoff_factor;
                this.growth_interval = growth_interval;
                this.enabled = enabled;
            }

            public bool enabled { get; }

            public double growth_factor { get; }

            public double backoff_factor { get; }

            public int growth_interval { get; }

            private double scale_value;

            /// <summary>Steps without inf/NaN since the scale last changed.</summary>
            public int growth_tracker { get; private set; }

            public double get_scale() => enabled ? scale_value : 1.0;

            /// <summary>loss · scale (a new tensor).</summary>
            public Tensor scale(Tensor loss)
            {
                if (!enabled)
                {
                    return loss.alias();
                }

                return loss * scale_value;
            }

            /// <summary>Divides the optimizer's gradients by the scale (once per step); remembers whether any was inf/NaN.</summary>
            public unsafe void unscale_(optim.Optimizer optimizer)
            {
                if (!enabled || foundInf.ContainsKey(optimizer))
                {
                    return;
                }

                var hs = Handles(optimizer.param_groups.SelectMany(g => g.Parameters).ToList());
                int found;
                fixed (IntPtr* p = hs)
                {
                    found = OptimNative.lb_optim_unscale_grads(p, hs.Length, 1.0 / scale_value);
                }

                LibTorch.Check();
                foundInf[optimizer] = found != 0;
            }

            /// <summary>Unscales (if not yet done) and steps unless a gradient was inf/NaN; returns whether it stepped.</summary>
            public bool step(optim.Optimizer optimizer)
            {
                if (!enabled)
                {
                    optimizer.step();
                    return true;
                }

                unscale_(optimizer);
                if (foundInf[optimizer])
                {
                    return false;
                }

                optimizer.step();
                return true;
            }

            /// <summary>Backs off after an inf/NaN step, grows after growth_interval clean steps.</summary>
            public void update()
            {
                if (!enabled)
                {
                    return;
                }

                if (foundInf.Values.Any(v => v))
                {
                    scale_value *= backoff_factor;
                    growth_tracker = 0;
                }
                else if (foundInf.Count > 0)
                {
                    growth_tracker++;
                    if (growth_tracker == growth_interval)
                    {
                        scale_value *= growth_factor;
                        growth_tracker = 0;
                    }
                }

                foundInf.Clear();
            }

            /// <summary>Scale and growth tracker as strings (checkpoint metadata).</summary>
            public Dictionary<string, string> state_dict() => new()
            {
                ["scale"] = scale_value.ToString("R", CultureInfo.InvariantCulture),
                ["growth_tracker"] = growth_tracker.ToString(CultureInfo.InvariantCulture),
            };

            public void load_state_dict(IReadOnlyDictionary<string, string> state)
            {
                scale_value = double.Parse(state["scale"], CultureInfo.InvariantCulture);
                growth_tracker = int.Parse(state["growth_tracker"], CultureInfo.InvariantCulture);
            }
        }
    }
}
