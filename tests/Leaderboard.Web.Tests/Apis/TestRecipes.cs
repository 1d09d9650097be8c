namespace Leaderboard.Web.Tests.Apis;

/// <summary>Recipes the API tests submit: small enough to train on the CPU in seconds.</summary>
public static class TestRecipes
{
    public const string Small = """
        model:
          variant: custom
          embed_dim: 64
          depth: 3
          heads: 2
          patch_size: 4
        optimizer:
          lr: 0.002
          weight_decay: 0.05
        training:
          batch_size: 64
          label_smoothing: 0.0
        data:
          image_size: 32
          augment: none
        seed: 1
        """;
}
