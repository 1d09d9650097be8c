using System.Globalization;
using Leaderboard.Training.Models;

namespace Leaderboard.Training.Recipes;

/// <summary>
/// Checks a parsed recipe's values against what the harness implements and the track allows. Every error names the
/// field (dotted snake_case path) and says what to change. Checks that depend on a field that is itself invalid
/// (e.g. image size vs. an invalid patch size) are skipped rather than reported twice.
/// </summary>
public static class RecipeValidator
{
    public const int MaxDepth = 48;
    public const int MaxEmbedDim = 4096;
    public const int MaxPatchSize = 64;
    public const int MaxBatchSize = 4096;
    public const int MaxTokens = 4096;
    public const long MaxParams = 2_000_000_000;

    /// <summary>The allowed names of every enumerated field, by path (for forms and documentation).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> AllowedValues { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        ["model.variant"] = ["tiny", "small", "base", "custom"],
        ["model.pooling"] = ["cls", "gap"],
        ["model.ffn"] = ["mlp", "locality", "localvit"],
        ["model.tokenizer"] = ["patch", "spt"],
        ["model.attention"] = ["mhsa", "lsa"],
        ["model.init"] = ["timm", "torch"],
        ["model.pos_embed"] = ["learned", "sincos2d"],
        ["model.hydra.sampling"] = ["uniform", "weighted"],
        ["optimizer.name"] = ["adamw", "sgd"],
        ["schedule.name"] = ["cosine", "linear", "step", "rex", "constant"],
        ["schedule.over"] = ["budget", "epochs"],
        ["training.precision"] = ["fp32", "bf16", "fp16"],
        ["training.distillation.type"] = ["hard", "soft"],
        ["data.augment"] = ["none", "light", "medium", "strong", "deit"],
        ["data.crop.mode"] = ["random_resized", "padded", "center"],
        ["data.curriculum.unit"] = ["epochs", "budget"],
    };

    public static IReadOnlyList<RecipeError> Validate(Recipe recipe, TrackRules rules)
    {
        var c = new Checks();
        bool modelOk = ValidateModel(recipe.Model, c);
        ValidateOptimizer(recipe.Optimizer, c);
        ValidateSchedule(recipe.Schedule, recipe.Optimizer, c);
        ValidateTraining(recipe.Training, rules, c);
        ValidateData(recipe, rules, c);
        ValidateEvaluation(recipe, rules, c);
        c.Require("seed", recipe.Seed >= 0, $"must be 0 or more, got {recipe.Seed}");
        if (recipe.Training.Budgeted is { } budgeted)
            ValidateBudgeted(budgeted, recipe, rules, modelOk && c.Count == 0, c);
        if (c.Count == 0) ValidateBinaryGrid(recipe, c);

        if (modelOk && c.Count == 0 && rules.NumClasses > 0)
        {
            var config = ModelResolver.Resolve(recipe.Model, rules.NumClasses);
            long parameters = ModelCost.Count(config, recipe.Data.ImageSize).Params;
            c.Require("model", parameters <= MaxParams,
                $"the model has {parameters / 1e9:0.##} billion parameters; at most {MaxParams / 1e9:0.#} billion are accepted: reduce embed_dim or depth");
        }
        return c.Errors;
    }

    private static bool ValidateModel(ModelSpec m, Checks c)
    {
        int before = c.Count;
        bool variantOk = c.OneOf("model.variant", m.Variant);
        if (variantOk && m.Variant == "custom")
        {
            foreach (var (path, value) in new[] { ("model.embed_dim", m.EmbedDim), ("model.depth", m.Binary is null ? m.Depth : 0), ("model.heads", m.Heads) })
                c.Require(path, value is not null, "is required when variant is custom: give embed_dim, depth and heads (or pick variant tiny, small or base)");
        }
        c.Require("model.embed_dim", m.EmbedDim is null or (> 0 and <= MaxEmbedDim), $"must be between 1 and {MaxEmbedDim}, got {m.EmbedDim}");
        c.Require("model.depth", m.Depth is null or (> 0 and <= MaxDepth), $"must be between 1 and {MaxDepth} blocks, got {m.Depth}");
        c.Require("model.heads", m.Heads is null or > 0, $"must be 1 or more, got {m.Heads}");
        c.Require("model.mlp_ratio", m.MlpRatio > 0 && m.MlpRatio <= 16, $"must be more than 0 and at most 16, got {F(m.MlpRatio)}");
        c.Require("model.patch_size", m.PatchSize is > 0 and <= MaxPatchSize, $"must be between 1 and {MaxPatchSize} pixels, got {m.PatchSize}");
        c.OneOf("model.pooling", m.Pooling);
        c.OneOf("model.ffn", m.Ffn);
        c.OneOf("model.tokenizer", m.Tokenizer);
        c.OneOf("model.attention", m.Attention);
        c.OneOf("model.init", m.Init);
        bool sincos = c.OneOf("model.pos_embed", m.PosEmbed) && m.PosEmbed == "sincos2d";
        c.Fraction("model.dropout", m.Dropout);
        c.Fraction("model.drop_path", m.DropPath);
        c.Require("model.layer_scale", m.LayerScale is null or (> 0 and <= 1),
            $"must be more than 0 and at most 1 (typical: 1e-5 to 0.1), or null to turn LayerScale off; got {F(m.LayerScale)}");

        if (m.Binary is { } binary) ValidateBinary(m, binary, c);

        if (c.Count == before && variantOk)
        {
            var dims = ModelResolver.VariantDims(m.Variant);
            int embed = m.EmbedDim ?? dims.EmbedDim, heads = m.Heads ?? dims.Heads;
            if (heads > embed)
                c.Add("model.heads", $"{heads} heads is more than embed_dim {embed}; use at most {embed}");
            else if (embed % heads != 0)
                c.Add(m.Heads is null ? "model.embed_dim" : "model.heads",
                    $"embed_dim {embed} is not divisible by heads {heads}; choose heads that divide it (e.g. {string.Join(", ", Divisors(embed))}) or change embed_dim");
            if (sincos && (embed % 4 != 0 || embed < 8))
                c.Add("model.pos_embed", $"sincos2d splits embed_dim into four sin/cos bands and needs a multiple of 4 of at least 8; embed_dim is {embed}");
            if ((int)(embed * m.MlpRatio) < 1)
                c.Add("model.mlp_ratio", $"mlp_ratio {F(m.MlpRatio)} gives an FFN of 0 units at embed_dim {embed}; increase it");
            if (m.Hydra is { } hydra && c.Count == before) ValidateHydra(m, hydra, embed, heads, c);
        }
        return c.Count == before;
    }

    /// <summary>BinaryViT (Le &amp; Li 2023): the pyramid's shape, and the ViT options it does not combine with.</summary>
    private static void ValidateBinary(ModelSpec m, BinarySpec b, Checks c)
    {
        const int MaxStages = 5, MaxPoolKernel = 9;
        if (c.Require("model.binary.depths", b.Depths.Count is > 0 and <= MaxStages, $"give 1 to {MaxStages} stages (blocks per stage, e.g. [3, 4, 8, 4]), got {b.Depths.Count}"))
        {
            for (int i = 0; i < b.Depths.Count; i++)
                c.Require($"model.binary.depths[{i}]", b.Depths[i] is >= 1 and <= MaxDepth && b.Depths[i] == Math.Floor(b.Depths[i]),
                    $"must be a whole number of blocks between 1 and {MaxDepth}, got {F(b.Depths[i])}");
            c.Require("model.binary.depths", b.Depths.Sum() <= MaxDepth, $"{F(b.Depths.Sum())} blocks in all; at most {MaxDepth} are accepted");
        }
        for (int i = 0; i < b.PoolKernels.Count; i++)
            c.Require($"model.binary.pool_kernels[{i}]", b.PoolKernels[i] is >= 3 and <= MaxPoolKernel && b.PoolKernels[i] % 2 == 1,
                $"must be an odd kernel size from 3 to {MaxPoolKernel} (the paper: 3 and 5), got {F(b.PoolKernels[i])}");
        c.Require("model.binary.pool_kernels", b.PoolKernels.Distinct().Count() == b.PoolKernels.Count, "lists a kernel size twice; give each once");
        c.Require("model.binary.affine_init", b.AffineInit is > 0 and <= 1, $"must be more than 0 and at most 1 (the paper's code: 0.1), got {F(b.AffineInit)}");
        c.Require("model.depth", m.Depth is null, "is set by model.binary.depths (the blocks of all stages): leave it out");
        const string Unavailable = "is not available with model.binary (BinaryViT): ";
        c.Require("model.pooling", m.Pooling == "gap", Unavailable + "it pools its tokens on average; set pooling: gap");
        c.Require("model.ffn", m.Ffn == "mlp", Unavailable + "use ffn: mlp");
        c.Require("model.tokenizer", m.Tokenizer == "patch", Unavailable + "use tokenizer: patch");
        c.Require("model.attention", m.Attention == "mhsa", Unavailable + "use attention: mhsa");
        c.Require("model.distillation_token", !m.DistillationToken, Unavailable + "distil into its class head instead (training.distillation without a token)");
        c.Require("model.layer_scale", m.LayerScale is null, Unavailable + "its affine transforms (model.binary.affine_init) take LayerScale's place");
        c.Require("model.pos_embed", m.PosEmbed == "learned", Unavailable + "use pos_embed: learned");
    }

    /// <summary>The pyramid halves the token grid between stages: every training and evaluation grid must divide evenly.</summary>
    private static void ValidateBinaryGrid(Recipe recipe, Checks c)
    {
        if (recipe.Model.Binary is not { } b || b.Depths.Count is 0 or > 5 || recipe.Model.PatchSize <= 0) return;
        int patch = recipe.Model.PatchSize, reduction = 1 << (b.Depths.Count - 1);
        var sizes = recipe.Data.Curriculum is { } cur ? CurriculumSizes(cur, recipe.Data.ImageSize) : [recipe.Data.ImageSize];
        if (recipe.Evaluation.ImageSize is int eval) sizes = [.. sizes, eval];
        foreach (int size in sizes.Distinct())
        {
            if (size % patch != 0) continue; // reported by the data section
            if (!c.Require("data.image_size", size / patch % reduction == 0,
                $"{size} px is a {size / patch}×{size / patch} grid at patch {patch}, which {b.Depths.Count} stages cannot halve {b.Depths.Count - 1} times: " +
                $"use an image size that is a multiple of {patch * reduction}")) return;
        }
    }

    /// <summary>HydraViT slices the plain ViT (patch embedding, MHSA, MLP, LayerNorms): the range must fit the model's heads.</summary>
    private static void ValidateHydra(ModelSpec m, HydraSpec h, int embed, int heads, Checks c)
    {
        foreach (var (path, plain) in new[] { ("model.ffn", m.Ffn == "mlp"), ("model.tokenizer", m.Tokenizer == "patch"), ("model.attention", m.Attention == "mhsa") })
            c.Require(path, plain, "HydraViT slices the plain ViT: use ffn mlp, tokenizer patch and attention mhsa with model.hydra");
        c.Require("model.distillation_token", !m.DistillationToken, "is not available with model.hydra (HydraViT has no distillation token)");
        c.Require("model.layer_scale", m.LayerScale is null, "is not available with model.hydra: set it to null");
        int max = h.MaxHeads ?? heads;
        if (!c.Require("model.hydra.min_heads", h.MinHeads >= 1 && h.MinHeads <= heads, $"must be between 1 and the model's {heads} heads, got {h.MinHeads}")) return;
        if (!c.Require("model.hydra.max_heads", max >= h.MinHeads && max <= heads, $"must be between min_heads {h.MinHeads} and the model's {heads} heads, got {max}")) return;
        if (m.PosEmbed == "sincos2d" && (embed / heads * h.MinHeads % 4 != 0 || embed / heads * h.MinHeads < 8))
            c.Add("model.hydra.min_heads", $"with sincos2d every sub-network's width (heads x {embed / heads}) must be a multiple of 4 of at least 8; the {h.MinHeads}-head one has {embed / heads * h.MinHeads}");
        if ((int)(embed / heads * h.MinHeads * m.MlpRatio) < 1)
            c.Add("model.hydra.min_heads", $"the {h.MinHeads}-head sub-network has an FFN of 0 units at mlp_ratio {F(m.MlpRatio)}; raise min_heads or mlp_ratio");
        if (!c.OneOf("model.hydra.sampling", h.Sampling)) return;
        int count = max - h.MinHeads + 1;
        if (h.Sampling == "weighted")
        {
            if (c.Require("model.hydra.weights", h.Weights.Count == count,
                    $"weighted sampling needs one weight per head count from {h.MinHeads} to {max} ({count} numbers), got {h.Weights.Count}"))
                c.Require("model.hydra.weights", h.Weights.All(w => w >= 0 && double.IsFinite(w)) && h.Weights.Sum() > 0,
                    "weights must be 0 or more, with at least one above 0");
        }
        else
        {
            c.Require("model.hydra.weights", h.Weights.Count == 0, "are only used by sampling: weighted; remove them or set sampling: weighted");
        }
    }

    private static void ValidateOptimizer(OptimizerSpec o, Checks c)
    {
        bool nameOk = c.OneOf("optimizer.name", o.Name);
        c.Require("optimizer.lr", o.Lr > 0 && o.Lr <= 10, $"must be more than 0 and at most 10, got {F(o.Lr)}");
        c.Require("optimizer.weight_decay", o.WeightDecay >= 0, $"must be 0 or more, got {F(o.WeightDecay)}");
        c.Require("optimizer.beta1", o.Beta1 is >= 0 and < 1, $"must be in [0, 1), got {F(o.Beta1)}");
        c.Require("optimizer.beta2", o.Beta2 is >= 0 and < 1, $"must be in [0, 1), got {F(o.Beta2)}");
        c.Require("optimizer.eps", o.Eps is > 0 and <= 1, $"must be more than 0 and at most 1 (typical: 1e-8), got {F(o.Eps)}");
        c.Require("optimizer.momentum", o.Momentum is >= 0 and < 1, $"must be in [0, 1), got {F(o.Momentum)}");
        if (nameOk && o.Nesterov)
            c.Require("optimizer.nesterov", o.Name == "sgd" && o.Momentum > 0, "applies only to optimizer sgd with momentum above 0; remove it or switch to sgd");
        c.Require("optimizer.clip_grad_norm", o.ClipGradNorm is null or > 0, $"must be more than 0 (typical: 1.0), or null for no clipping; got {F(o.ClipGradNorm)}");
    }

    private static void ValidateSchedule(ScheduleSpec s, OptimizerSpec o, Checks c)
    {
        bool nameOk = c.OneOf("schedule.name", s.Name);
        bool overOk = c.OneOf("schedule.over", s.Over);
        c.Require("schedule.min_lr", s.MinLr >= 0, $"must be 0 or more, got {F(s.MinLr)}");
        if (nameOk && s.Name == "cosine" && s.MinLr >= 0 && o.Lr > 0)
            c.Require("schedule.min_lr", s.MinLr <= o.Lr, $"{F(s.MinLr)} is above optimizer.lr {F(o.Lr)}; the cosine schedule decays from lr down to min_lr");
        c.Require("schedule.gamma", s.Gamma is > 0 and <= 1, $"must be more than 0 and at most 1 (the factor the step schedule multiplies lr by), got {F(s.Gamma)}");
        if (!overOk) return;

        bool epochsOk = true;
        if (s.Over == "epochs")
        {
            if (s.Epochs is null)
            {
                c.Add("schedule.epochs", "is required when over is epochs: give the number of epochs the schedule spans (or use over: budget)");
                epochsOk = false;
            }
            else epochsOk = c.Require("schedule.epochs", s.Epochs is > 0 and <= 100_000, $"must be between 1 and 100000, got {s.Epochs}");
        }
        else if (s.Epochs is not null)
            c.Add("schedule.epochs", "applies only with over: epochs; remove it (over: budget spans the whole budget) or set over: epochs");

        double end = s.Over == "epochs" ? s.Epochs ?? 0 : 1;
        if (s.Over == "budget")
            c.Require("schedule.warmup", s.Warmup is >= 0 and < 1, $"is a fraction of the budget with over: budget and must be in [0, 1), got {F(s.Warmup)}");
        else if (epochsOk)
            c.Require("schedule.warmup", s.Warmup >= 0 && s.Warmup < end, $"is a number of epochs with over: epochs and must be 0 or more and less than epochs ({F(end)}), got {F(s.Warmup)}");

        if (nameOk && s.Name == "step" && s.Milestones.Count == 0)
            c.Add("schedule.milestones", $"the step schedule needs at least one milestone ({(s.Over == "budget" ? "fractions of the budget, e.g. [0.5, 0.8]" : "epochs, e.g. [30, 60]")})");
        else if (nameOk && s.Name != "step" && s.Milestones.Count > 0)
            c.Add("schedule.milestones", $"apply only to the step schedule; remove them or set schedule.name: step");
        else if (epochsOk)
        {
            for (int i = 0; i < s.Milestones.Count; i++)
            {
                double m = s.Milestones[i];
                if (!(m > 0 && m < end))
                    c.Add($"schedule.milestones[{i}]", s.Over == "budget"
                        ? $"must be a fraction of the budget between 0 and 1 (exclusive), got {F(m)}"
                        : $"must be an epoch between 0 and epochs ({F(end)}) (exclusive), got {F(m)}");
                else if (i > 0 && m <= s.Milestones[i - 1])
                    c.Add($"schedule.milestones[{i}]", $"milestones must increase: {F(m)} does not come after {F(s.Milestones[i - 1])}");
            }
        }
    }

    private static void ValidateTraining(TrainingSpec t, TrackRules rules, Checks c)
    {
        c.Require("training.batch_size", t.BatchSize is >= 1 and <= MaxBatchSize, $"must be between 1 and {MaxBatchSize}, got {t.BatchSize}");
        if (c.OneOf("training.precision", t.Precision) && t.Precision == "fp16" && !rules.Gpu)
            c.Add("training.precision", "fp16 needs a GPU and this track runs on the CPU; use bf16 or fp32");
        c.Fraction("training.label_smoothing", t.LabelSmoothing);
        c.Require("training.ema", t.Ema is null or (> 0 and < 1), $"is the EMA decay and must be strictly between 0 and 1 (typical: 0.9998), or null for no EMA; got {F(t.Ema)}");
        c.Require("training.checkpoint_every", t.CheckpointEvery is > 0 and <= 1, $"is a fraction of the budget and must be more than 0 and at most 1, got {F(t.CheckpointEvery)}");
        if (t.Distillation is { } d)
        {
            c.Require("training.distillation.teacher_run", d.TeacherRun > 0, "name the teacher: the id of a completed run on this track whose checkpoint teaches (e.g. teacher_run: 42)");
            c.OneOf("training.distillation.type", d.Type);
            c.Probability("training.distillation.alpha", d.Alpha);
            c.Require("training.distillation.tau", d.Tau is > 0 and <= 100, $"is the soft distillation's temperature and must be more than 0 and at most 100 (DeiT: 1.0), got {F(d.Tau)}");
        }
    }

    /// <param name="restOk">the rest of the recipe is valid, so the model resolves and the stages' costs can be computed.</param>
    private static void ValidateBudgeted(BudgetedSpec b, Recipe recipe, TrackRules rules, bool restOk, Checks c)
    {
        const string at = "training.budgeted.";
        int before = c.Count;
        // Budgeted training grows a plain ViT's active heads and channels; HydraViT and BinaryViT size themselves otherwise.
        if (!c.Require("training.budgeted", recipe.Model.Hydra is null && recipe.Model.Binary is null,
                "is not available with model.hydra or model.binary: budgeted training grows a plain ViT / DeiT")) return;
        c.Require(at + "relative_cost", b.RelativeCost is > 0 and < 1,
            $"is the run's compute relative to training the full model on the same images and must be strictly between 0 and 1 (the paper: 0.25 to 0.75), got {F(b.RelativeCost)}");
        var lists = new[] { ("heads", b.Heads), ("mlp_ratio", b.MlpRatio), ("image_size", b.ImageSize) };
        int stages = lists.Max(l => l.Item2.Count);
        if (stages < 2)
        {
            c.Add("training.budgeted", "give at least two stages in heads, mlp_ratio or image_size (e.g. heads: [2, 4, 6]); the last stage is the full model");
            return;
        }
        c.Require(at + "heads", stages <= BudgetedPlan.MaxStages, $"at most {BudgetedPlan.MaxStages} stages are accepted, got {stages}");
        foreach (var (key, list) in lists)
            if (list.Count != 0 && list.Count != stages)
                c.Add(at + key, $"has {list.Count} stages but another list has {stages}: give one value per stage in each list (or leave a list out to keep that part full)");
        for (int i = 1; i < stages; i++)
            foreach (var (key, list) in lists)
                if (list.Count == stages && list[i] < list[i - 1])
                    c.Add($"{at}{key}[{i}]", $"stages grow: {F(list[i])} is less than the stage before ({F(list[i - 1])})");

        var m = recipe.Model;
        var dims = ModelResolver.VariantDims(m.Variant);
        int heads = m.Heads ?? dims.Heads, patch = m.PatchSize;
        for (int i = 0; i < b.Heads.Count; i++)
        {
            double h = b.Heads[i];
            c.Require($"{at}heads[{i}]", h == Math.Floor(h) && h >= 1 && (heads <= 0 || h <= heads),
                $"is a number of active heads and must be a whole number between 1 and model.heads ({heads}), got {F(h)}");
        }
        if (b.Heads.Count > 0 && heads > 0)
            c.Require($"{at}heads[{b.Heads.Count - 1}]", b.Heads[^1] == heads, $"the last stage trains the full model: make it model.heads ({heads}), got {F(b.Heads[^1])}");
        for (int i = 0; i < b.MlpRatio.Count; i++)
            c.Require($"{at}mlp_ratio[{i}]", b.MlpRatio[i] > 0 && b.MlpRatio[i] <= m.MlpRatio,
                $"is the active MLP width as a ratio of embed_dim and must be more than 0 and at most model.mlp_ratio ({F(m.MlpRatio)}), got {F(b.MlpRatio[i])}");
        if (b.MlpRatio.Count > 0)
            c.Require($"{at}mlp_ratio[{b.MlpRatio.Count - 1}]", b.MlpRatio[^1] == m.MlpRatio, $"the last stage trains the full model: make it model.mlp_ratio ({F(m.MlpRatio)}), got {F(b.MlpRatio[^1])}");
        for (int i = 0; i < b.ImageSize.Count; i++)
        {
            double size = b.ImageSize[i];
            c.Require($"{at}image_size[{i}]", size == Math.Floor(size) && size > 0 && size <= rules.MaxImageSize && patch > 0 && size % patch == 0,
                $"must be a whole multiple of model.patch_size ({patch}) between 1 and {rules.MaxImageSize} pixels, got {F(size)}");
        }
        if (b.ImageSize.Count > 0)
            c.Require($"{at}image_size[{b.ImageSize.Count - 1}]", b.ImageSize[^1] == recipe.Data.ImageSize,
                $"the last stage trains at the final size: make it data.image_size ({recipe.Data.ImageSize}), got {F(b.ImageSize[^1])}");
        if (recipe.Data.Curriculum is not null)
            c.Add("data.curriculum", "budgeted training grows the tokens itself: remove data.curriculum and give training.budgeted.image_size per stage");
        if (m.Ffn == "localvit")
            c.Add("model.ffn", "budgeted training computes the first MLP channels of an mlp or locality FFN; localvit's BatchNorms do not slice: use ffn mlp or locality");

        if (!restOk || c.Count != before) return;
        var config = ModelResolver.Resolve(m, Math.Max(1, rules.NumClasses));
        var levels = BudgetedPlan.Levels(b, config, recipe.Data.ImageSize);
        if (levels.Any(l => l.MlpHidden < 1))
        {
            c.Add(at + "mlp_ratio", $"a stage has no MLP channel at embed_dim {config.EmbedDim}; increase its ratio");
            return;
        }
        double first = ModelCost.Flops(config, levels[0].ImageSize, levels[0].Heads, levels[0].MlpHidden) / ModelCost.Flops(config, recipe.Data.ImageSize);
        if (first >= 1)
            c.Add("training.budgeted", "the first stage is already the full model: give it fewer heads, a smaller mlp_ratio or a smaller image_size");
        else
            c.Require(at + "relative_cost", b.RelativeCost > first,
                $"the first stage alone costs {F(Math.Round(first, 3))} of the full model, so the run cannot cost less: make relative_cost more than that (and below 1), or shrink the first stage");
    }

    private static void ValidateData(Recipe recipe, TrackRules rules, Checks c)
    {
        var d = recipe.Data;
        int patch = recipe.Model.PatchSize;
        bool patchOk = patch is > 0 and <= MaxPatchSize;
        bool sizeOk = c.Require("data.image_size", d.ImageSize > 0 && d.ImageSize <= rules.MaxImageSize,
            $"must be between 1 and {rules.MaxImageSize} pixels on this track, got {d.ImageSize}");
        if (sizeOk && patchOk)
        {
            sizeOk = c.Require("data.image_size", d.ImageSize % patch == 0,
                $"{d.ImageSize} is not a multiple of model.patch_size ({patch}); use e.g. {NearMultiples(d.ImageSize, patch, rules.MaxImageSize)}");
            int tokens = (d.ImageSize / patch) * (d.ImageSize / patch);
            if (sizeOk)
                c.Require("model.patch_size", tokens <= MaxTokens,
                    $"patch {patch} at {d.ImageSize} px gives {tokens} tokens; at most {MaxTokens} are accepted: use a larger patch or a smaller image");
        }
        c.OneOf("data.augment", d.Augment);
        ValidateCrop(d.Crop, Math.Min(d.ImageSize, d.Curriculum?.Start ?? d.ImageSize), c);
        c.Probability("data.flip", d.Flip);
        c.Require("data.mixup", d.Mixup is >= 0 and <= 10, $"is mixup's Beta(α, α) parameter (0 = off, DeiT: 0.8) and must be between 0 and 10, got {F(d.Mixup)}");
        c.Require("data.cutmix", d.Cutmix is >= 0 and <= 10, $"is CutMix's Beta(α, α) parameter (0 = off, DeiT: 1.0) and must be between 0 and 10, got {F(d.Cutmix)}");
        c.Probability("data.mixup_switch_prob", d.MixupSwitchProb);
        c.Require("data.repeated_augment", d.RepeatedAugment is >= 1 and <= 16, $"is the number of augmented copies of each image per batch (1 = off, DeiT: 3) and must be between 1 and 16, got {d.RepeatedAugment}");

        if (d.Curriculum is { } cur)
            ValidateCurriculum(cur, recipe, patchOk && sizeOk, c);
    }

    /// <param name="imageSize">The smallest training size (a curriculum's start).</param>
    private static void ValidateCrop(CropSpec crop, int imageSize, Checks c)
    {
        c.OneOf("data.crop.mode", crop.Mode);
        if (c.Require("data.crop.scale_min", crop.ScaleMin is > 0 and <= 1, $"is the smallest crop area as a fraction of the image and must be in (0, 1], got {F(crop.ScaleMin)}"))
            c.Require("data.crop.scale_max", crop.ScaleMax >= crop.ScaleMin && crop.ScaleMax <= 1, $"must be between scale_min ({F(crop.ScaleMin)}) and 1, got {F(crop.ScaleMax)}");
        if (c.Require("data.crop.aspect_min", crop.AspectMin is > 0 and <= 1, $"is the narrowest crop's width / height and must be in (0, 1], got {F(crop.AspectMin)}"))
            c.Require("data.crop.aspect_max", crop.AspectMax is >= 1 and <= 10, $"is the widest crop's width / height and must be between 1 and 10, got {F(crop.AspectMax)}");
        if (crop.Mode == "padded" && imageSize > 0)
            c.Require("data.crop.padding", crop.Padding >= 0 && crop.Padding <= imageSize / 2,
                $"is the zero padding on each side in pixels and must be between 0 and half the smallest training image size ({imageSize / 2}), got {crop.Padding}");
    }

    private static void ValidateCurriculum(CurriculumSpec cur, Recipe recipe, bool sizeOk, Checks c)
    {
        int patch = recipe.Model.PatchSize, final = recipe.Data.ImageSize;
        bool unitOk = c.OneOf("data.curriculum.unit", cur.Unit);
        bool startOk = c.Require("data.curriculum.start", cur.Start > 0, $"must be a positive image size, got {cur.Start}");
        bool stepOk = c.Require("data.curriculum.step", cur.Step > 0, $"must be a positive number of pixels, got {cur.Step}");
        bool everyOk = c.Require("data.curriculum.every", cur.Every > 0, $"must be more than 0, got {F(cur.Every)}");
        if (!sizeOk || !startOk || !stepOk) return;

        if (cur.Start > final)
        {
            c.Add("data.curriculum.start", $"{cur.Start} is larger than data.image_size ({final}); the curriculum grows from start up to image_size");
            return;
        }
        if (!c.Require("data.curriculum.start", cur.Start % patch == 0, $"{cur.Start} is not a multiple of model.patch_size ({patch}); every curriculum size must be"))
            return;
        var sizes = CurriculumSizes(cur, final);
        int bad = sizes.FirstOrDefault(s => s % patch != 0);
        if (bad != 0)
        {
            c.Add("data.curriculum.step", $"the curriculum reaches {bad} px (start {cur.Start} + k × step {cur.Step}), which is not a multiple of model.patch_size ({patch}); use a step that is a multiple of {patch}");
            return;
        }

        if (!unitOk || !everyOk || sizes.Count < 2) return;
        int steps = sizes.Count - 1;
        if (cur.Unit == "budget")
        {
            double needed = steps * cur.Every;
            c.Require("data.curriculum.every", needed < 1,
                $"reaching {final} px takes {steps} steps of {F(cur.Every)} = {F(Math.Round(needed, 6))} of the budget, so the final size would never be trained; make every less than 1/{steps} (≈ {F(Math.Round(1.0 / steps, 4))}) or increase step");
        }
        else if (recipe.Schedule is { Over: "epochs", Epochs: int epochs and > 0 })
        {
            double needed = steps * cur.Every;
            c.Require("data.curriculum.every", needed < epochs,
                $"reaching {final} px takes {steps} steps of {F(cur.Every)} = {F(Math.Round(needed, 6))} epochs, not less than schedule.epochs ({epochs}); make every smaller or increase step");
        }
    }

    private static void ValidateEvaluation(Recipe recipe, TrackRules rules, Checks c)
    {
        var e = recipe.Evaluation;
        int patch = recipe.Model.PatchSize;
        if (e.ImageSize is int size)
        {
            bool ok = c.Require("evaluation.image_size", size > 0 && size <= rules.MaxImageSize,
                $"must be between 1 and {rules.MaxImageSize} pixels on this track, got {size}");
            if (ok && patch is > 0 and <= MaxPatchSize)
                c.Require("evaluation.image_size", size % patch == 0,
                    $"{size} is not a multiple of model.patch_size ({patch}); use e.g. {NearMultiples(size, patch, rules.MaxImageSize)}");
        }
        c.Require("evaluation.crop_ratio", e.CropRatio is > 0 and <= 1, $"is the center-crop fraction (DeiT: 0.875) and must be more than 0 and at most 1, got {F(e.CropRatio)}");
    }

    /// <summary>The training sizes of a curriculum in order: start, start + step, … and finally <paramref name="finalSize"/>.</summary>
    public static IReadOnlyList<int> CurriculumSizes(CurriculumSpec curriculum, int finalSize)
    {
        var sizes = new List<int>();
        if (curriculum.Step <= 0 || curriculum.Start >= finalSize) return [finalSize];
        for (long s = curriculum.Start; s < finalSize; s += curriculum.Step) sizes.Add((int)s);
        sizes.Add(finalSize);
        return sizes;
    }

    /// <summary>Head counts that divide <paramref name="embed"/> with a head dim of at least 16.</summary>
    private static int[] Divisors(int embed)
    {
        var options = Enumerable.Range(1, 32).Where(h => embed % h == 0 && embed / h >= 16).ToArray();
        return options.Length == 0 ? [1] : options;
    }

    private static string NearMultiples(int size, int patch, int max)
    {
        int below = size / patch * patch, above = below + patch;
        var options = new[] { below, above }.Where(s => s > 0 && s <= max).Select(s => s.ToString(CultureInfo.InvariantCulture)).ToArray();
        return options.Length == 0 ? $"a multiple of {patch}" : string.Join(" or ", options);
    }

    private static string F(double? value) => value is double d ? d.ToString("R", CultureInfo.InvariantCulture) : "null";

    private sealed class Checks
    {
        public List<RecipeError> Errors { get; } = [];
        public int Count => Errors.Count;

        public void Add(string path, string message) => Errors.Add(new RecipeError(path, message));

        public bool Require(string path, bool condition, string message)
        {
            if (!condition) Add(path, message);
            return condition;
        }

        public bool OneOf(string path, string value) =>
            Require(path, AllowedValues[path].Contains(value),
                $"'{value}' is not one of: {string.Join(", ", AllowedValues[path])}");

        public bool Fraction(string path, double value) => Require(path, value is >= 0 and < 1, $"must be in [0, 1), got {F(value)}");

        public bool Probability(string path, double value) => Require(path, value is >= 0 and <= 1, $"is a probability and must be in [0, 1], got {F(value)}");
    }
}
