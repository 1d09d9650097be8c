namespace Leaderboard.Training.Recipes;

/// <summary>
/// A submission's declarative training recipe: which model and how to train it, within what the harness implements.
/// Parsed from YAML or JSON (snake_case keys) by <see cref="RecipeParser"/>; every field has a default so a recipe
/// only states what it changes. Field paths in validation errors use the YAML keys (e.g. <c>model.patch_size</c>).
/// </summary>
public sealed record Recipe
{
    public ModelSpec Model { get; init; } = new();
    public OptimizerSpec Optimizer { get; init; } = new();
    public ScheduleSpec Schedule { get; init; } = new();
    public TrainingSpec Training { get; init; } = new();
    public DataSpec Data { get; init; } = new();
    public EvaluationSpec Evaluation { get; init; } = new();
    public long Seed { get; init; }
}

/// <summary>ViT / DeiT family. <c>variant</c> picks dims (tiny 192×12×3, small 384×12×6, base 768×12×12); explicit dims override.</summary>
public sealed record ModelSpec
{
    /// <summary>tiny | small | base | custom (custom requires embed_dim, depth, heads).</summary>
    public string Variant { get; init; } = "tiny";
    public int? EmbedDim { get; init; }
    public int? Depth { get; init; }
    public int? Heads { get; init; }
    public double MlpRatio { get; init; } = 4.0;
    public int PatchSize { get; init; } = 16;
    /// <summary>cls (class token) | gap (global average pooling of patch tokens).</summary>
    public string Pooling { get; init; } = "cls";
    public double Dropout { get; init; }
    /// <summary>Stochastic depth rate of the last block, increasing linearly over depth (Huang et al. 2016; DeiT).</summary>
    public double DropPath { get; init; }
    /// <summary>LayerScale initial value (Touvron et al. 2021, CaiT); null = off.</summary>
    public double? LayerScale { get; init; }
    /// <summary>mlp | locality (Irandoust et al. 2022) | localvit (Li et al. 2021).</summary>
    public string Ffn { get; init; } = "mlp";
    /// <summary>patch | spt (shifted patch tokenization, Lee et al. 2021).</summary>
    public string Tokenizer { get; init; } = "patch";
    /// <summary>mhsa | lsa (locality self-attention, Lee et al. 2021).</summary>
    public string Attention { get; init; } = "mhsa";
    /// <summary>DeiT distillation token (Touvron et al. 2021).</summary>
    public bool DistillationToken { get; init; }
    /// <summary>
    /// Linear-layer initialisation: timm (truncated normal, std .02; zero biases: timm's ViT) | torch (PyTorch's
    /// default, U(±1/√fan_in)). Small models on short budgets sit on the ln(C) loss plateau for hundreds of steps
    /// with timm's (bench/parity: 17.7 % vs 45.3 % top-1 for the same 30 s in PyTorch).
    /// </summary>
    public string Init { get; init; } = "timm";
    /// <summary>learned (a parameter, interpolated across sizes) | sincos2d (fixed 2-D sin-cos, no parameter: Beyer et al. 2022, "Better plain ViT baselines for ImageNet-1k").</summary>
    public string PosEmbed { get; init; } = "learned";
    /// <summary>Zero-initialised classifier head, so training starts from uniform predictions (Beyer et al. 2022).</summary>
    public bool ZeroHead { get; init; }
    /// <summary>BinaryViT (Le &amp; Li 2023): a binarised pyramid ViT; null = the plain ViT / DeiT family.</summary>
    public BinarySpec? Binary { get; init; }
    /// <summary>HydraViT stochastic head-subnetwork training (Haberer et al. 2024); null = off.</summary>
    public HydraSpec? Hydra { get; init; }
}

/// <summary>
/// BinaryViT (Le &amp; Li 2023, "BinaryViT: Pushing Binary Vision Transformers Towards Convolutional Models"): every
/// Linear inside the blocks has binary weights and activations; the model is a pyramid of stages (stage i has
/// embed_dim·2ⁱ channels and heads·2ⁱ heads, the grid halves between stages), pools its tokens on average (GAP head),
/// adds average-pooling branches beside each FFN and a learnable affine transform before each residual add. The stem
/// (patch_size) and the head stay full precision.
/// </summary>
public sealed record BinarySpec
{
    /// <summary>Blocks per stage; its length is the number of stages (the paper's BinaryViT: [3, 4, 8, 4]).</summary>
    public IReadOnlyList<double> Depths { get; init; } = [1, 1, 1, 1];
    /// <summary>Kernel sizes of the average-pooling branches (each a k×1 and a 1×k pool over the token grid); [] = none.</summary>
    public IReadOnlyList<double> PoolKernels { get; init; } = [3, 5];
    /// <summary>Downsampling patch embeddings between stages in full precision (the paper's "some FP" variant).</summary>
    public bool FullPrecisionDownsample { get; init; }
    /// <summary>Initial scale of the affine transform before each residual add (the paper's code: 0.1).</summary>
    public double AffineInit { get; init; } = 0.1;

    // Value equality for the lists too (a record compares lists by reference); keep in step with the properties above.
    public bool Equals(BinarySpec? other) =>
        other is not null && Depths.SequenceEqual(other.Depths) && PoolKernels.SequenceEqual(other.PoolKernels)
        && FullPrecisionDownsample == other.FullPrecisionDownsample && AffineInit.Equals(other.AffineInit);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in Depths) hash.Add(d);
        foreach (var k in PoolKernels) hash.Add(k);
        hash.Add(FullPrecisionDownsample);
        hash.Add(AffineInit);
        return hash.ToHashCode();
    }
}

/// <summary>
/// HydraViT (Haberer et al., NeurIPS 2024, "HydraViT: Stacking Heads for a Scalable ViT"): the sub-network of the first k
/// heads uses the first k·head_dim channels of every layer; each training step samples k in [min_heads, max_heads], and
/// evaluation scores every k. weights: the relative probability of each k from min_heads up (sampling: weighted only).
/// </summary>
public sealed record HydraSpec
{
    public int MinHeads { get; init; } = 1;
    /// <summary>null = all of the model's heads.</summary>
    public int? MaxHeads { get; init; }
    /// <summary>uniform | weighted.</summary>
    public string Sampling { get; init; } = "uniform";
    public IReadOnlyList<double> Weights { get; init; } = [];

    // Value equality for Weights too (a record compares lists by reference); keep in step with the properties above.
    public bool Equals(HydraSpec? other) =>
        other is not null && MinHeads == other.MinHeads && MaxHeads == other.MaxHeads && Sampling == other.Sampling && Weights.SequenceEqual(other.Weights);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(MinHeads);
        hash.Add(MaxHeads);
        hash.Add(Sampling);
        foreach (var w in Weights) hash.Add(w);
        return hash.ToHashCode();
    }
}

public sealed record OptimizerSpec
{
    /// <summary>adamw | sgd.</summary>
    public string Name { get; init; } = "adamw";
    public double Lr { get; init; } = 1e-3;
    public double WeightDecay { get; init; } = 0.05;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double Momentum { get; init; } = 0.9;
    public bool Nesterov { get; init; }
    /// <summary>Gradient clipping by global norm; null = off.</summary>
    public double? ClipGradNorm { get; init; }
}

/// <summary>Learning-rate schedule, defined over the budget (progress = elapsed / budget) or over epochs.</summary>
public sealed record ScheduleSpec
{
    /// <summary>cosine | linear (to zero, Li et al. 2020 "Budgeted Training") | step | rex (Chen et al. 2022) | constant.</summary>
    public string Name { get; init; } = "cosine";
    /// <summary>budget | epochs.</summary>
    public string Over { get; init; } = "budget";
    /// <summary>Total epochs; required when <c>over: epochs</c>.</summary>
    public int? Epochs { get; init; }
    /// <summary>Warmup length: a fraction of the budget (over: budget) or a number of epochs (over: epochs).</summary>
    public double Warmup { get; init; } = 0.05;
    public double MinLr { get; init; } = 1e-5;
    /// <summary>step schedule: multiply by <c>gamma</c> at each of these progress points (fractions or epochs).</summary>
    public IReadOnlyList<double> Milestones { get; init; } = [];
    public double Gamma { get; init; } = 0.1;

    // Value equality for Milestones too (a record compares lists by reference), so equal recipes compare equal.
    // Keep these two in step with the properties above.
    public bool Equals(ScheduleSpec? other) =>
        other is not null && Name == other.Name && Over == other.Over && Epochs == other.Epochs && Warmup.Equals(other.Warmup)
        && MinLr.Equals(other.MinLr) && Milestones.SequenceEqual(other.Milestones) && Gamma.Equals(other.Gamma);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Name);
        hash.Add(Over);
        hash.Add(Epochs);
        hash.Add(Warmup);
        hash.Add(MinLr);
        foreach (var m in Milestones) hash.Add(m);
        hash.Add(Gamma);
        return hash.ToHashCode();
    }
}

public sealed record TrainingSpec
{
    public int BatchSize { get; init; } = 64;
    /// <summary>fp32 | bf16 | fp16.</summary>
    public string Precision { get; init; } = "fp32";
    public double LabelSmoothing { get; init; } = 0.1;
    /// <summary>EMA decay of weights (e.g. 0.9998); null = off.</summary>
    public double? Ema { get; init; }
    /// <summary>Periodic checkpoint interval as a fraction of the budget.</summary>
    public double CheckpointEvery { get; init; } = 0.25;
    /// <summary>Knowledge distillation from an earlier run's checkpoint (DeiT, Touvron et al. 2021); null = off.</summary>
    public DistillationSpec? Distillation { get; init; }
    /// <summary>Budgeted training (Xia et al. 2023): active heads, MLP width and image size grow in stages; null = off.</summary>
    public BudgetedSpec? Budgeted { get; init; }
}

/// <summary>
/// Budgeted training for ViT (Xia et al., ICLR 2023, "Budgeted Training for Vision Transformer"): early in training heads,
/// MLP channels and tokens are redundant, so the model trains in stages with only the first <see cref="Heads"/> heads,
/// the first ⌊embed_dim·<see cref="MlpRatio"/>⌋ MLP channels and images of <see cref="ImageSize"/> px active (the
/// inactive parts are not computed), growing to the full model, which the last stage trains. The stages' shares of the
/// training images are solved so that their cost relative to the full model averages <see cref="RelativeCost"/>
/// (<see cref="BudgetedPlan"/>). Each list gives one value per stage; an empty list keeps that dimension full throughout.
/// </summary>
public sealed record BudgetedSpec
{
    /// <summary>The run's compute relative to training the full model on the same images (the paper's budget, e.g. 0.5).</summary>
    public double RelativeCost { get; init; } = 0.5;
    /// <summary>Active attention heads per stage, non-decreasing; the last is model.heads.</summary>
    public IReadOnlyList<double> Heads { get; init; } = [];
    /// <summary>Active MLP hidden channels per stage as a ratio of embed_dim, non-decreasing; the last is model.mlp_ratio.</summary>
    public IReadOnlyList<double> MlpRatio { get; init; } = [];
    /// <summary>Training image size per stage (fewer tokens), non-decreasing; the last is data.image_size.</summary>
    public IReadOnlyList<double> ImageSize { get; init; } = [];

    // Value equality for the lists (a record compares them by reference). Keep in step with the properties above.
    public bool Equals(BudgetedSpec? other) =>
        other is not null && RelativeCost.Equals(other.RelativeCost) && Heads.SequenceEqual(other.Heads)
        && MlpRatio.SequenceEqual(other.MlpRatio) && ImageSize.SequenceEqual(other.ImageSize);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(RelativeCost);
        foreach (var v in Heads.Concat(MlpRatio).Concat(ImageSize)) hash.Add(v);
        return hash.ToHashCode();
    }
}

/// <summary>
/// DeiT distillation (Touvron et al. 2021, "Training data-efficient image transformers &amp; distillation through
/// attention"): the teacher is a completed run on the same track, whose checkpoint the platform provides (never the val
/// split). Its forward pass runs in every step, so it counts in the budget. With <c>model.distillation_token</c> the
/// distillation head learns from the teacher and the class head from the labels; without it the class head learns from both.
/// </summary>
public sealed record DistillationSpec
{
    /// <summary>Id of the completed run on the same track whose checkpoint teaches.</summary>
    public long TeacherRun { get; init; }
    /// <summary>hard (cross-entropy with the teacher's argmax) | soft (KL divergence at temperature <see cref="Tau"/>).</summary>
    public string Type { get; init; } = "hard";
    /// <summary>Weight of the distillation term: loss = (1 − α)·CE(labels) + α·distillation (DeiT: 0.5).</summary>
    public double Alpha { get; init; } = 0.5;
    /// <summary>Soft distillation's temperature τ (DeiT: 1.0); the KL term is scaled by τ².</summary>
    public double Tau { get; init; } = 1.0;
}

public sealed record DataSpec
{
    /// <summary>Training image size in pixels (the final size when a curriculum is set); a multiple of the patch size.</summary>
    public int ImageSize { get; init; } = 32;
    public CurriculumSpec? Curriculum { get; init; }
    /// <summary>Augmentation preset: none | light | medium | strong | deit (AugReg-style levels).</summary>
    public string Augment { get; init; } = "light";
    /// <summary>The training crop, on top of any preset.</summary>
    public CropSpec Crop { get; init; } = new();
    /// <summary>Horizontal flip probability; 0 for orientation-sensitive images (glyphs, text, digits).</summary>
    public double Flip { get; init; } = 0.5;
    public double Mixup { get; init; }
    public double Cutmix { get; init; }
    public double MixupSwitchProb { get; init; } = 0.5;
    /// <summary>Repeated augmentation count (DeiT's RASampler); 1 = off.</summary>
    public int RepeatedAugment { get; init; } = 1;
}

/// <summary>
/// The training crop. random_resized: the Inception crop (Szegedy et al. 2015, "Going deeper with convolutions"), a random
/// area fraction and aspect ratio resized to the training size; padded: zero-pad then a random crop at the training size
/// (the CIFAR crop of He et al. 2016), which keeps tiny images whole; center: resize and centre-crop, as evaluation does.
/// </summary>
public sealed record CropSpec
{
    /// <summary>random_resized | padded | center.</summary>
    public string Mode { get; init; } = "random_resized";
    public double ScaleMin { get; init; } = 0.08;
    public double ScaleMax { get; init; } = 1.0;
    public double AspectMin { get; init; } = 0.75;
    public double AspectMax { get; init; } = 4.0 / 3.0;
    /// <summary>padded: pixels of zero padding on each side (4 at 32 px).</summary>
    public int Padding { get; init; } = 4;
}

/// <summary>Image-size curriculum (Irandoust et al. 2022: 32 px, +32 every 5 epochs, up to 224).</summary>
public sealed record CurriculumSpec
{
    public int Start { get; init; } = 32;
    public int Step { get; init; } = 32;
    /// <summary>Interval between size steps, in <see cref="Unit"/>.</summary>
    public double Every { get; init; } = 0.2;
    /// <summary>epochs | budget (fraction of the budget).</summary>
    public string Unit { get; init; } = "budget";
}

public sealed record EvaluationSpec
{
    /// <summary>Evaluation resolution; null = the final training size.</summary>
    public int? ImageSize { get; init; }
    public double CropRatio { get; init; } = 0.875;
}
