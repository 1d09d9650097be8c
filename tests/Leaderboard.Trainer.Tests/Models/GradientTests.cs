using Leaderboard.Trainer.Models;

namespace Leaderboard.Trainer.Tests.Models;

/// <summary>Analytic gradients of the custom modules against central finite differences, in float64 at tiny sizes.</summary>
[Collection(TorchCollection.Name)]
public sealed class GradientTests
{
    private const double Eps = 1e-6;

    public static IEnumerable<object[]> Modules() =>
    [
        ["locality"], ["localvit"], ["spt"], ["lsa"], ["droppath-eval"], ["vit-interpolated-pos"],
    ];

    [Theory]
    [MemberData(nameof(Modules))]
    public void Gradients_match_finite_differences(string which)
    {
        manual_seed(3);
        var (module, inputShape) = Build(which);
        using (module)
        {
            module.to(ScalarType.Float64);
            if (which == "droppath-eval") module.eval();
            using var scope = NewDisposeScope();
            var x0 = randn(inputShape, ScalarType.Float64);
            var x = x0.clone().requires_grad_();
            var outShape = module.forward(x0).shape;
            var w = randn(outShape, ScalarType.Float64); // loss = Σ w·f(x): a generic direction
            double Loss(Tensor input)
            {
                using var s = NewDisposeScope();
                using var ng = no_grad();
                return (module.forward(input) * w).sum().item<double>();
            }

            (module.forward(x) * w).sum().backward();
            var analytic = x.grad!.data<double>().ToArray();
            var values = x0.data<double>().ToArray();
            var rng = new Random(4);
            for (int k = 0; k < 12; k++)
            {
                int i = rng.Next(values.Length);
                var plus = (double[])values.Clone();
                var minus = (double[])values.Clone();
                plus[i] += Eps;
                minus[i] -= Eps;
                double numeric = (Loss(tensor(plus, inputShape)) - Loss(tensor(minus, inputShape))) / (2 * Eps);
                Assert.True(Math.Abs(numeric - analytic[i]) <= 1e-5 + 1e-4 * Math.Abs(numeric),
                    $"{which}: d/dx[{i}] analytic {analytic[i]} vs numeric {numeric}");
            }

            // And every parameter of the module: a few coordinates each.
            foreach (var (name, p) in module.named_parameters())
            {
                var grad = p.grad!.data<double>().ToArray();
                for (int k = 0; k < 3; k++)
                {
                    int i = rng.Next((int)p.numel());
                    double Perturbed(double delta)
                    {
                        using var ng = no_grad();
                        using var flat = p.view(-1);
                        using var element = flat.narrow(0, i, 1);
                        element.add_(delta);
                        double l = Loss(x0);
                        element.sub_(delta);
                        return l;
                    }
                    double numeric = (Perturbed(Eps) - Perturbed(-Eps)) / (2 * Eps);
                    Assert.True(Math.Abs(numeric - grad[i]) <= 1e-5 + 1e-4 * Math.Abs(numeric),
                        $"{which}: d/d{name}[{i}] analytic {grad[i]} vs numeric {numeric}");
                }
            }
        }
    }

    private static (nn.Module<Tensor, Tensor> Module, long[] Input) Build(string which) => which switch
    {
        // [B, N, D] with one prefix token and a 3×3 grid.
        "locality" => (new LocalityFeedForward(6, 8, prefixTokens: 1), [2, 10, 6]),
        "localvit" => (new LocalVitFeedForward(6, 8, 2, prefixTokens: 1), [3, 10, 6]),
        "spt" => (new ShiftedPatchTokenizer(5, 2), [2, 3, 4, 4]),
        "lsa" => (new Attention(8, 2, locality: true), [2, 5, 8]),
        "droppath-eval" => (new DropPath(0.5), [3, 4, 2]),
        "vit-interpolated-pos" => (new VisionTransformer(TinyModels.Config() with { EmbedDim = 8, Depth = 1, MlpRatio = 1 }, 16), [2, 3, 8, 8]),
        _ => throw new ArgumentException(which, nameof(which)),
    };
}
