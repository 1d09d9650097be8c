using Leaderboard.Trainer.Models;
using Leaderboard.Training.Models;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Training;

/// <summary>
/// HydraViT's stochastic sub-network training (Haberer et al., NeurIPS 2024): before every step the number of active
/// heads k is drawn from the recipe's distribution over [min_heads, max_heads] (uniform or weighted), so that step trains
/// the first-k-heads sub-network. Draws come from its own generator, seeded by the recipe's seed and, on resume, the
/// step; it counts the steps each k trained.
/// </summary>
public sealed class HydraSampling
{
    private readonly HydraVisionTransformer model;
    private readonly double[] cumulative;
    private readonly long[] steps;
    private readonly long seed;
    private Random rng;

    public IReadOnlyList<HydraSubnetwork> Subnetworks { get; }

    public HydraSampling(HydraSpec spec, HydraVisionTransformer model, long seed)
    {
        this.model = model;
        this.seed = seed;
        Subnetworks = HydraSubnetworks.All(spec, model.Config);
        cumulative = new double[Subnetworks.Count];
        double sum = 0;
        for (int i = 0; i < cumulative.Length; i++) cumulative[i] = sum += Subnetworks[i].Probability;
        steps = new long[Subnetworks.Count];
        rng = Generator(seed, 0);
    }

    /// <summary>The component for a recipe's model; null when the model is not a HydraViT.</summary>
    public static HydraSampling? For(Recipe recipe, nn.Module<Tensor, Tensor> model) =>
        model is HydraVisionTransformer hydra ? new HydraSampling(recipe.Model.Hydra!, hydra, recipe.Seed) : null;

    public int MaxHeads => Subnetworks[^1].Heads;

    /// <summary>Draws k and makes the model's next forward use the first k heads.</summary>
    public int BeforeStep()
    {
        double u = rng.NextDouble();
        int i = Array.FindIndex(cumulative, c => u < c);
        if (i < 0) i = cumulative.Length - 1; // rounding of the last cumulative sum
        steps[i]++;
        model.ActiveHeads = Subnetworks[i].Heads;
        return Subnetworks[i].Heads;
    }

    /// <summary>Evaluation and checkpoints see the largest sub-network.</summary>
    public void AfterStep() => model.ActiveHeads = MaxHeads;

    /// <summary>A resumed run draws from a generator of its own seed and step (deterministic for both).</summary>
    public void Resume(long step) => rng = Generator(seed, step);

    public string Describe() =>
        $"HydraViT: {Subnetworks[0].Heads} to {MaxHeads} heads, P(k) = " +
        string.Join(", ", Subnetworks.Select(s => $"{s.Heads}: {s.Probability:0.###}"));

    /// <summary>Steps trained per k, e.g. <c>k=1: 40, k=2: 38</c>.</summary>
    public string StepsPerHeads() => string.Join(", ", Subnetworks.Select((s, i) => $"k={s.Heads}: {steps[i]}"));

    private static Random Generator(long seed, long step) => new(unchecked((int)(seed * 1_000_003 + step * 7919 + 0x48794)));
}
