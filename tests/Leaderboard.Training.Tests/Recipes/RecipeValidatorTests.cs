using Leaderboard.Training.Recipes;

namespace Leaderboard.Training.Tests.Recipes;

public class RecipeValidatorTests
{
    private static readonly TrackRules ImageNet = TrackRules.ImageNet1k;
    private static readonly TrackRules Cpu = TrackRules.SyntheticCpu;

    private static IReadOnlyList<RecipeError> Errors(string yaml, TrackRules? rules = null)
    {
        var result = RecipeLoader.Load(yaml, rules ?? ImageNet);
        Assert.NotNull(result.Recipe);
        return result.Errors;
    }

    [Fact]
    public void The_default_recipe_is_valid_on_every_track()
    {
        Assert.Empty(RecipeValidator.Validate(new Recipe(), ImageNet));
        Assert.Empty(RecipeValidator.Validate(new Recipe { Model = new ModelSpec { PatchSize = 4 } }, Cpu));
    }

    [Theory]
    // Enumerated names.
    [InlineData("model: {variant: huge}", "model.variant", "'huge' is not one of: tiny, small, base, custom")]
    [InlineData("model: {pooling: max}", "model.pooling", "not one of: cls, gap")]
    [InlineData("model: {ffn: glu}", "model.ffn", "not one of: mlp, locality, localvit")]
    [InlineData("model: {tokenizer: conv}", "model.tokenizer", "not one of: patch, spt")]
    [InlineData("model: {attention: linear}", "model.attention", "not one of: mhsa, lsa")]
    [InlineData("model: {init: xavier}", "model.init", "not one of: timm, torch")]
    [InlineData("model: {pos_embed: rope}", "model.pos_embed", "not one of: learned, sincos2d")]
    [InlineData("training: {distillation: {type: hard}}", "training.distillation.teacher_run", "name the teacher: the id of a completed run on this track")]
    [InlineData("training: {distillation: {teacher_run: 4, type: medium}}", "training.distillation.type", "not one of: hard, soft")]
    [InlineData("training: {distillation: {teacher_run: 4, alpha: 1.5}}", "training.distillation.alpha", "is a probability")]
    [InlineData("training: {distillation: {teacher_run: 4, type: soft, tau: 0}}", "training.distillation.tau", "temperature and must be more than 0")]
    [InlineData("model: {variant: custom, embed_dim: 90, depth: 2, heads: 3, pos_embed: sincos2d}", "model.pos_embed", "multiple of 4 of at least 8; embed_dim is 90")]
    [InlineData("optimizer: {name: lamb}", "optimizer.name", "not one of: adamw, sgd")]
    [InlineData("schedule: {name: onecycle}", "schedule.name", "not one of: cosine, linear, step, rex, constant")]
    [InlineData("schedule: {over: steps}", "schedule.over", "not one of: budget, epochs")]
    [InlineData("training: {precision: fp8}", "training.precision", "not one of: fp32, bf16, fp16")]
    [InlineData("data: {augment: extreme}", "data.augment", "not one of: none, light, medium, strong, deit")]
    [InlineData("data: {curriculum: {unit: steps}}", "data.curriculum.unit", "not one of: epochs, budget")]
    [InlineData("data: {crop: {mode: random}}", "data.crop.mode", "not one of: random_resized, padded, center")]
    [InlineData("data: {crop: {scale_min: 0}}", "data.crop.scale_min", "must be in (0, 1]")]
    [InlineData("data: {crop: {scale_min: 0.5, scale_max: 0.4}}", "data.crop.scale_max", "between scale_min (0.5) and 1")]
    [InlineData("data: {crop: {aspect_min: 1.5}}", "data.crop.aspect_min", "must be in (0, 1]")]
    [InlineData("data: {crop: {aspect_max: 0.5}}", "data.crop.aspect_max", "between 1 and 10")]
    [InlineData("data: {image_size: 32, crop: {mode: padded, padding: 17}}", "data.crop.padding", "half the smallest training image size (16), got 17")]
    [InlineData("data: {flip: 1.5}", "data.flip", "is a probability")]
    // Model dims.
    [InlineData("model: {variant: custom, depth: 6, heads: 4}", "model.embed_dim", "required when variant is custom")]
    [InlineData("model: {variant: custom, embed_dim: 256, heads: 4}", "model.depth", "required when variant is custom")]
    [InlineData("model: {variant: custom, embed_dim: 256, depth: 6}", "model.heads", "required when variant is custom")]
    [InlineData("model: {embed_dim: 0}", "model.embed_dim", "between 1 and 4096")]
    [InlineData("model: {embed_dim: 8192, heads: 8}", "model.embed_dim", "between 1 and 4096")]
    [InlineData("model: {depth: 0}", "model.depth", "between 1 and 48")]
    [InlineData("model: {depth: 49}", "model.depth", "between 1 and 48")]
    [InlineData("model: {heads: -2}", "model.heads", "1 or more")]
    [InlineData("model: {heads: 5}", "model.heads", "embed_dim 192 is not divisible by heads 5; choose heads that divide it (e.g. 1, 2, 3, 4, 6, 8, 12)")]
    [InlineData("model: {embed_dim: 200}", "model.embed_dim", "embed_dim 200 is not divisible by heads 3")]
    [InlineData("model: {variant: custom, embed_dim: 4, depth: 2, heads: 8}", "model.heads", "8 heads is more than embed_dim 4")]
    [InlineData("model: {mlp_ratio: 0}", "model.mlp_ratio", "more than 0 and at most 16")]
    [InlineData("model: {mlp_ratio: 32}", "model.mlp_ratio", "more than 0 and at most 16")]
    [InlineData("model: {mlp_ratio: 0.001}", "model.mlp_ratio", "gives an FFN of 0 units")]
    [InlineData("model: {patch_size: 0}", "model.patch_size", "between 1 and 64")]
    [InlineData("model: {patch_size: 128}", "model.patch_size", "between 1 and 64")]
    [InlineData("model: {patch_size: 2}\ndata: {image_size: 224}", "model.patch_size", "gives 12544 tokens; at most 4096")]
    [InlineData("model: {dropout: 1}", "model.dropout", "must be in [0, 1)")]
    [InlineData("model: {drop_path: -0.1}", "model.drop_path", "must be in [0, 1)")]
    [InlineData("model: {layer_scale: 0}", "model.layer_scale", "more than 0 and at most 1")]
    [InlineData("model: {layer_scale: 2}", "model.layer_scale", "more than 0 and at most 1")]
    [InlineData("model: {variant: custom, embed_dim: 4096, depth: 48, heads: 32, mlp_ratio: 16}", "model", "billion parameters; at most 2 billion")]
    // Optimizer.
    [InlineData("optimizer: {lr: 0}", "optimizer.lr", "more than 0 and at most 10")]
    [InlineData("optimizer: {lr: 11}", "optimizer.lr", "more than 0 and at most 10")]
    [InlineData("optimizer: {weight_decay: -0.01}", "optimizer.weight_decay", "0 or more")]
    [InlineData("optimizer: {beta1: 1}", "optimizer.beta1", "in [0, 1)")]
    [InlineData("optimizer: {beta2: -0.5}", "optimizer.beta2", "in [0, 1)")]
    [InlineData("optimizer: {eps: 0}", "optimizer.eps", "more than 0")]
    [InlineData("optimizer: {momentum: 1.5}", "optimizer.momentum", "in [0, 1)")]
    [InlineData("optimizer: {nesterov: true}", "optimizer.nesterov", "applies only to optimizer sgd")]
    [InlineData("optimizer: {name: sgd, momentum: 0, nesterov: true}", "optimizer.nesterov", "momentum above 0")]
    [InlineData("optimizer: {clip_grad_norm: 0}", "optimizer.clip_grad_norm", "more than 0")]
    // Schedule.
    [InlineData("schedule: {over: epochs}", "schedule.epochs", "required when over is epochs")]
    [InlineData("schedule: {over: epochs, epochs: 0}", "schedule.epochs", "between 1 and 100000")]
    [InlineData("schedule: {epochs: 30}", "schedule.epochs", "applies only with over: epochs")]
    [InlineData("schedule: {warmup: 1}", "schedule.warmup", "fraction of the budget with over: budget and must be in [0, 1)")]
    [InlineData("schedule: {warmup: -0.1}", "schedule.warmup", "in [0, 1)")]
    [InlineData("schedule: {over: epochs, epochs: 10, warmup: 10}", "schedule.warmup", "less than epochs (10)")]
    [InlineData("schedule: {min_lr: -1}", "schedule.min_lr", "0 or more")]
    [InlineData("schedule: {min_lr: 0.01}\noptimizer: {lr: 0.001}", "schedule.min_lr", "above optimizer.lr")]
    [InlineData("schedule: {name: step}", "schedule.milestones", "needs at least one milestone")]
    [InlineData("schedule: {name: cosine, milestones: [0.5]}", "schedule.milestones", "apply only to the step schedule")]
    [InlineData("schedule: {name: step, milestones: [0.6, 0.3]}", "schedule.milestones[1]", "milestones must increase: 0.3 does not come after 0.6")]
    [InlineData("schedule: {name: step, milestones: [0.5, 0.5]}", "schedule.milestones[1]", "must increase")]
    [InlineData("schedule: {name: step, milestones: [1.5]}", "schedule.milestones[0]", "fraction of the budget between 0 and 1")]
    [InlineData("schedule: {name: step, over: epochs, epochs: 90, milestones: [30, 90]}", "schedule.milestones[1]", "epoch between 0 and epochs (90)")]
    [InlineData("schedule: {gamma: 0}", "schedule.gamma", "more than 0 and at most 1")]
    // Training.
    [InlineData("training: {batch_size: 0}", "training.batch_size", "between 1 and 4096")]
    [InlineData("training: {batch_size: 4097}", "training.batch_size", "between 1 and 4096")]
    [InlineData("training: {label_smoothing: 1}", "training.label_smoothing", "in [0, 1)")]
    [InlineData("training: {ema: 1}", "training.ema", "strictly between 0 and 1")]
    [InlineData("training: {ema: 0}", "training.ema", "strictly between 0 and 1")]
    [InlineData("training: {checkpoint_every: 0}", "training.checkpoint_every", "more than 0 and at most 1")]
    [InlineData("training: {checkpoint_every: 1.5}", "training.checkpoint_every", "more than 0 and at most 1")]
    // Data and curriculum.
    [InlineData("data: {image_size: 0}", "data.image_size", "between 1 and 384 pixels on this track")]
    [InlineData("data: {image_size: 512}", "data.image_size", "between 1 and 384 pixels on this track")]
    [InlineData("data: {image_size: 200}", "data.image_size", "200 is not a multiple of model.patch_size (16); use e.g. 192 or 208")]
    [InlineData("data: {image_size: 8}", "data.image_size", "8 is not a multiple of model.patch_size (16); use e.g. 16")]
    [InlineData("data: {mixup: -1}", "data.mixup", "between 0 and 10")]
    [InlineData("data: {cutmix: 11}", "data.cutmix", "between 0 and 10")]
    [InlineData("data: {mixup_switch_prob: 1.5}", "data.mixup_switch_prob", "probability and must be in [0, 1]")]
    [InlineData("data: {repeated_augment: 0}", "data.repeated_augment", "between 1 and 16")]
    [InlineData("data: {image_size: 224, curriculum: {start: 256}}", "data.curriculum.start", "256 is larger than data.image_size (224)")]
    [InlineData("data: {image_size: 224, curriculum: {start: 40}}", "data.curriculum.start", "40 is not a multiple of model.patch_size (16)")]
    [InlineData("data: {image_size: 224, curriculum: {start: 32, step: 24}}", "data.curriculum.step", "reaches 56 px (start 32 + k × step 24), which is not a multiple of model.patch_size (16)")]
    [InlineData("data: {image_size: 224, curriculum: {start: 0}}", "data.curriculum.start", "positive image size")]
    [InlineData("data: {image_size: 224, curriculum: {step: 0}}", "data.curriculum.step", "positive number of pixels")]
    [InlineData("data: {image_size: 224, curriculum: {every: 0}}", "data.curriculum.every", "more than 0")]
    [InlineData("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 0.2}}", "data.curriculum.every", "takes 6 steps of 0.2 = 1.2 of the budget")]
    [InlineData("data: {image_size: 224, curriculum: {every: 5, unit: epochs}}\nschedule: {over: epochs, epochs: 30}", "data.curriculum.every", "30 epochs, not less than schedule.epochs (30)")]
    // Evaluation.
    [InlineData("evaluation: {image_size: 0}", "evaluation.image_size", "between 1 and 384")]
    [InlineData("evaluation: {image_size: 1024}", "evaluation.image_size", "between 1 and 384")]
    [InlineData("evaluation: {image_size: 230}", "evaluation.image_size", "230 is not a multiple of model.patch_size (16); use e.g. 224 or 240")]
    [InlineData("evaluation: {crop_ratio: 0}", "evaluation.crop_ratio", "more than 0 and at most 1")]
    [InlineData("evaluation: {crop_ratio: 1.2}", "evaluation.crop_ratio", "more than 0 and at most 1")]
    [InlineData("seed: -3", "seed", "0 or more")]
    public void Each_rule_reports_one_error_at_its_field(string yaml, string path, string message)
    {
        var error = Assert.Single(Errors(yaml));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("training: {precision: fp16}", "training.precision", "fp16 needs a GPU")]
    [InlineData("model: {patch_size: 4}\ndata: {image_size: 96}", "data.image_size", "between 1 and 64 pixels on this track")]
    [InlineData("model: {patch_size: 4}\nevaluation: {image_size: 128}", "evaluation.image_size", "between 1 and 64 pixels on this track")]
    public void The_cpu_track_has_its_own_limits(string yaml, string path, string message)
    {
        var error = Assert.Single(Errors(yaml, Cpu));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
        Assert.Empty(Errors(yaml.Replace("fp16", "bf16").Replace("96", "64").Replace("128", "64"), Cpu));
    }

    [Theory]
    [InlineData("model: {variant: small}")]
    [InlineData("model: {variant: base, heads: 16}")]
    [InlineData("model: {variant: custom, embed_dim: 96, depth: 4, heads: 3, patch_size: 4}\ndata: {image_size: 32}")]
    [InlineData("model: {ffn: localvit, tokenizer: spt, attention: lsa, layer_scale: 0.1, distillation_token: true, pooling: gap}")]
    [InlineData("schedule: {name: step, milestones: [0.5, 0.75]}")]
    [InlineData("schedule: {name: step, over: epochs, epochs: 90, warmup: 5, milestones: [30, 60, 80]}")]
    [InlineData("schedule: {name: rex, warmup: 0}\noptimizer: {name: sgd, lr: 0.1, nesterov: true}")]
    [InlineData("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 0.1}}")]
    [InlineData("data: {image_size: 224, curriculum: {start: 32, step: 32, every: 5, unit: epochs}}")]
    [InlineData("data: {image_size: 224, curriculum: {start: 64, step: 48, every: 0.1}}")] // 64, 112, 160, 208, then 224
    [InlineData("data: {image_size: 224, curriculum: {start: 224}}")]
    [InlineData("training: {ema: 0.9998, precision: fp16}")]
    [InlineData("evaluation: {image_size: 256, crop_ratio: 1}")]
    public void Sound_recipes_pass(string yaml) => Assert.Empty(Errors(yaml));

    [Fact]
    public void Dependent_checks_are_skipped_when_their_inputs_are_invalid()
    {
        // An invalid patch size is reported once, not again as "image size not a multiple of it".
        var errors = Errors("model: {patch_size: 0}\ndata: {image_size: 200, curriculum: {start: 30}}\nevaluation: {image_size: 230}");
        Assert.Equal(["model.patch_size"], errors.Select(e => e.Path));
    }

    [Fact]
    public void All_errors_are_reported_at_once()
    {
        var errors = Errors("model: {variant: huge, dropout: 2}\noptimizer: {lr: -1}\ntraining: {batch_size: 0}\nseed: -1");
        Assert.Equal(["model.variant", "model.dropout", "optimizer.lr", "training.batch_size", "seed"], errors.Select(e => e.Path));
    }

    [Fact]
    public void Messages_are_sentences_that_say_what_to_do()
    {
        var errors = Errors("model: {heads: 5, patch_size: 16}\ndata: {image_size: 100}");
        Assert.All(errors, e => Assert.True(e.Message.Length > 20, e.Message));
        Assert.Contains(errors, e => e.Message.Contains("choose heads"));
    }

    [Fact]
    public void Load_returns_the_parse_error_without_a_recipe()
    {
        var result = RecipeLoader.Load("model: [", ImageNet);
        Assert.Null(result.Recipe);
        Assert.False(result.IsValid);
        Assert.Equal("", Assert.Single(result.Errors).Path);
    }

    [Fact]
    public void Load_keeps_the_recipe_when_only_validation_fails()
    {
        var result = RecipeLoader.Load("optimizer: {lr: 0}", ImageNet);
        Assert.NotNull(result.Recipe);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Curriculum_sizes_run_from_start_to_the_final_size()
    {
        Assert.Equal([32, 64, 96, 128, 160, 192, 224], RecipeValidator.CurriculumSizes(new CurriculumSpec { Start = 32, Step = 32 }, 224));
        Assert.Equal([64, 112, 160, 208, 224], RecipeValidator.CurriculumSizes(new CurriculumSpec { Start = 64, Step = 48 }, 224));
        Assert.Equal([224], RecipeValidator.CurriculumSizes(new CurriculumSpec { Start = 224 }, 224));
    }
}
