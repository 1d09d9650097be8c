using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class CheckpointTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("lb-ckpt-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Theory]
    [InlineData("mlp", "patch", "mhsa", false)]
    [InlineData("localvit", "spt", "lsa", true)]
    public void Safetensors_round_trip_reproduces_outputs_exactly(string ffn, string tokenizer, string attention, bool distillation)
    {
        var recipe = new Recipe
        {
            Model = new ModelSpec { Variant = "custom", EmbedDim = 32, Depth = 2, Heads = 2, MlpRatio = 2, PatchSize = 4, Ffn = ffn, Tokenizer = tokenizer, Attention = attention, DistillationToken = distillation },
            Data = new DataSpec { ImageSize = 16 },
        };
        string[] classes = ["a", "b", "c"];
        var info = new CheckpointInfo(recipe, RecipeCanonical.ToCanonicalJson(recipe), 12.5, 7, 0.25, 16, 16, classes);
        manual_seed(5);
        using var model = new VisionTransformer(info.ModelConfig, 16);
        using var scope = NewDisposeScope();
        // A few steps so batch-norm statistics and weights move away from their initial values.
        using (var optimizer = optim.AdamW(model.parameters(), 1e-2))
        {
            for (int i = 0; i < 3; i++)
            {
                using var s = NewDisposeScope();
                var loss = model.forward(randn(4, 3, 16, 16)).square().mean();
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
        }
        model.eval();
        var x = randn(3, 3, 16, 16);
        var before = model.forward(x).data<float>().ToArray();

        string path = Path.Combine(dir, "m.safetensors");
        Checkpoints.SaveModel(path, model.state_dict(), info);
        var (loaded, copy) = Checkpoints.LoadModel(path, CPU);
        using (copy)
        {
            copy.eval();
            Assert.Equal(before, copy.forward(x).data<float>().ToArray());
            Assert.Equal(7, loaded.Step);
            Assert.Equal(12.5, loaded.Elapsed);
            Assert.Equal(classes, loaded.Classes);
            Assert.Equal(RecipeCanonical.Hash(recipe), RecipeCanonical.Hash(loaded.Recipe));
        }
    }
}
