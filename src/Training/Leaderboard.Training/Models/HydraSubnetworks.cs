using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Models;

/// <summary>One HydraViT sub-network: k heads, its configuration (a plain ViT of width k·head_dim) and its sampling probability.</summary>
public sealed record HydraSubnetwork(int Heads, ModelConfig Config, double Probability);

/// <summary>
/// The sub-networks of a HydraViT model (Haberer et al. 2024): the first k heads use the first k·head_dim channels of every
/// layer and the first ⌊mlp_ratio·k·head_dim⌋ MLP hidden units, so each is exactly a plain ViT of that width, counted by
/// <see cref="ModelCost"/> as such.
/// </summary>
public static class HydraSubnetworks
{
    /// <summary>The plain ViT the first <paramref name="heads"/> heads of <paramref name="full"/> form.</summary>
    public static ModelConfig Config(ModelConfig full, int heads) => full with { EmbedDim = heads * full.HeadDim, Heads = heads };

    /// <summary>Every sub-network in [min_heads, max_heads], smallest first, with its probability of being sampled in a step.</summary>
    public static IReadOnlyList<HydraSubnetwork> All(HydraSpec spec, ModelConfig full)
    {
        int min = spec.MinHeads, max = spec.MaxHeads ?? full.Heads;
        int count = max - min + 1;
        double total = spec.Sampling == "weighted" ? spec.Weights.Sum() : count;
        return Enumerable.Range(min, count)
            .Select(k => new HydraSubnetwork(k, Config(full, k), (spec.Sampling == "weighted" ? spec.Weights[k - min] : 1) / total))
            .ToArray();
    }
}
