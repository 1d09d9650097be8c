using Leaderboard.Trainer.Training;
using Leaderboard.Training.Recipes;

namespace Leaderboard.Trainer.Tests.Training;

public sealed class LrScheduleTests
{
    [Theory]
    // name, progress, expected (base 1.0, warmup 0.1, min 0.1)
    [InlineData("cosine", 0.0, 0.0)]
    [InlineData("cosine", 0.05, 0.5)]
    [InlineData("cosine", 0.1, 1.0)]
    [InlineData("cosine", 0.55, 0.55)]     // halfway through the decay: min + (1 − min)/2
    [InlineData("cosine", 1.0, 0.1)]
    [InlineData("linear", 0.55, 0.5)]
    [InlineData("linear", 1.0, 0.0)]
    [InlineData("rex", 0.55, 2.0 / 3.0)]  // (1 − ½) / (½ + ½·½)
    [InlineData("rex", 1.0, 0.0)]
    [InlineData("constant", 0.7, 1.0)]
    [InlineData("step", 0.2, 1.0)]
    [InlineData("step", 0.5, 0.1)]
    [InlineData("step", 0.8, 0.01)]
    public void Values_at_progress_points(string name, double progress, double expected)
    {
        var schedule = new LrSchedule(name, 1.0, warmup: 0.1, minLr: 0.1, milestones: [0.5, 0.75], gamma: 0.1);
        Assert.Equal(expected, schedule.At(progress), 9);
    }

    [Fact]
    public void Over_epochs_converts_warmup_and_milestones()
    {
        var spec = new ScheduleSpec { Name = "step", Over = "epochs", Epochs = 10, Warmup = 2, Milestones = [5], Gamma = 0.5 };
        var schedule = LrSchedule.FromRecipe(spec, 2.0);
        Assert.Equal(1.0, schedule.At(0.1), 9);  // epoch 1 of a 2-epoch warmup
        Assert.Equal(2.0, schedule.At(0.3), 9);
        Assert.Equal(1.0, schedule.At(0.6), 9);  // past the epoch-5 milestone
    }

    [Fact]
    public void Progress_outside_0_1_is_clamped_and_unknown_names_refused()
    {
        var schedule = new LrSchedule("cosine", 1.0, 0, 0);
        Assert.Equal(1.0, schedule.At(-1), 9);
        Assert.Equal(0.0, schedule.At(2), 9);
        Assert.Throws<ArgumentException>(() => new LrSchedule("onecycle", 1, 0));
    }
}

public sealed class CurriculumPlanTests
{
    [Fact]
    public void Irandoust_style_plan_steps_up_to_the_final_size()
    {
        var plan = new CurriculumPlan(start: 32, step: 32, every: 0.1, final: 224);
        Assert.Equal(32, plan.SizeAt(0.0));
        Assert.Equal(32, plan.SizeAt(0.099));
        Assert.Equal(64, plan.SizeAt(0.1));
        Assert.Equal(224, plan.SizeAt(0.6));
        Assert.Equal(224, plan.SizeAt(1.0));
        Assert.Equal([(0.0, 32), (0.1, 64), (0.2, 96), (0.30000000000000004, 128), (0.4, 160), (0.5, 192), (0.6000000000000001, 224)], plan.Points());
    }

    [Fact]
    public void Epoch_unit_reads_epochs_and_no_curriculum_is_constant()
    {
        var byEpochs = CurriculumPlan.FromRecipe(new DataSpec { ImageSize = 64, Curriculum = new CurriculumSpec { Start = 32, Step = 16, Every = 5, Unit = "epochs" } });
        Assert.Equal(32, byEpochs.SizeAt(0.9, 4.9));
        Assert.Equal(48, byEpochs.SizeAt(0.0, 5));
        Assert.Equal(64, byEpochs.SizeAt(0.0, 12));
        var none = CurriculumPlan.FromRecipe(new DataSpec { ImageSize = 48 });
        Assert.False(none.IsActive);
        Assert.Equal(48, none.SizeAt(0.5, 3));
    }
}

public sealed class StepClockTests
{
    [Fact]
    public void Stops_when_the_next_step_and_a_checkpoint_would_pass_the_budget()
    {
        var clock = new StepClock(100) { CheckpointSeconds = 2 };
        clock.RecordStep(1);
        Assert.False(clock.ShouldStop(90));
        Assert.True(clock.ShouldStop(96.5)); // 96.5 + 1 + 2 + margin 1 ≥ 100
        clock.Rescale(32, 64);                // 4× the pixels: 4 s steps
        Assert.True(clock.ShouldStop(93));
    }
}
