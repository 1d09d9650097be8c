using Leaderboard.Trainer.Models;
using Leaderboard.Trainer.Tests.Models;
using Leaderboard.Trainer.Training;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

[Collection(TorchCollection.Name)]
public sealed class OptimizerFactoryTests
{
    [Theory]
    [InlineData("adamw", 3e-3)]
    [InlineData("sgd", 0.3)]
    public void Grouped_optimizer_learns_a_fixed_batch(string name, double lr)
    {
        manual_seed(6);
        using var model = new VisionTransformer(TinyModels.Config(), TinyModels.ImageSize);
        using var optimizer = OptimizerFactory.Create(model, new OptimizerSpec { Name = name, Lr = lr, WeightDecay = 0.05 });
        Assert.Equal([0.05, 0.0], OptimizerFactory.WeightDecays(optimizer));
        Assert.All(optimizer.ParamGroups, g => Assert.Equal(lr, g.LearningRate));
        using var scope = NewDisposeScope();
        var x = randn(8, 3, TinyModels.ImageSize, TinyModels.ImageSize);
        var y = tensor(new long[] { 0, 1, 2, 3, 4, 0, 1, 2 });
        double first = 0, last = 0;
        for (int i = 0; i < 15; i++)
        {
            using var s = NewDisposeScope();
            OptimizerFactory.SetLr(optimizer, lr);
            var loss = nn.functional.cross_entropy(model.forward(x), y, label_smoothing: 0.1);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (i == 0) first = loss.item<float>();
            last = loss.item<float>();
        }
        Assert.True(last < first * 0.95, $"loss went from {first} to {last}"); // the groups step (speed is not the point)
    }
}
